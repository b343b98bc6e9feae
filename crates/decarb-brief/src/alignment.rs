//! The pledge-alignment section a member or country brief shows: each of the member's pledges
//! against the pathway of its own plants (`decarb_engine::alignment`), a table and, for each
//! pledge that could be judged, a chart of the pathway against what the pledge allows.

use crate::html::{self, esc, num};
use crate::svg;
use decarb_engine::alignment::{Alignment, Status};

/// The section for `rows` (one member's pledges) in a run of `scenario`; empty when there are none.
pub fn section(rows: &[&Alignment], scenario: &str) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let mt = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| num(v, 1));
    let table_rows: Vec<Vec<String>> = rows
        .iter()
        .map(|a| {
            vec![
                a.target_year.map_or_else(|| "–".to_owned(), |y| y.to_string()),
                esc(&a.metric),
                mt(a.base_year_mtco2),
                mt(a.pathway_2030_mtco2),
                mt(a.required_2030_mtco2),
                a.judged_year.map_or_else(|| "–".to_owned(), |y| y.to_string()),
                mt(a.gap_mtco2),
                format!("<strong>{}</strong>", esc(a.status.as_str())),
                esc(if a.status == Status::Unknown { &a.reason } else { &a.note }),
            ]
        })
        .collect();
    let mut out = format!(
        "<h2>Pledge alignment</h2><p>The pathway of the member's own plants in the scenario {} (direct CO2 of \
         steel, cement, aluminium and ammonia; a company's share of the plants it holds) against what each pledge \
         allows: net zero leaves at most 10 % of the base year's emissions (SBTi Corporate Net-Zero Standard v1.0, \
         2021); 2030 is judged on the pledge's milestone where it is a cut against a year of the run, else on the \
         straight line to the target. An economy-wide pledge is judged on heavy industry only.</p>",
        esc(scenario)
    );
    out.push_str(&html::table(
        &[
            "target year",
            "metric",
            "base year Mt CO2",
            "2030 Mt CO2",
            "2030 allowed",
            "judged in",
            "gap Mt CO2",
            "status",
            "reason / note",
        ],
        &[2, 3, 4, 6],
        &table_rows,
    ));
    for a in rows.iter().filter(|a| a.status != Status::Unknown) {
        let series = vec![
            ("own plants".to_owned(), a.pathway.clone()),
            (
                format!("allowed by the {} {} pledge", a.metric, a.target_year.unwrap_or_default()),
                a.allowed.clone(),
            ),
        ];
        let markers: Vec<(i32, String)> =
            a.judged_year.map(|y| (y, "judged".to_owned())).into_iter().collect();
        out.push_str(&svg::lines(
            &series,
            "Mt CO2 (direct)",
            &markers,
            &format!(
                "{}: own plants against the pledge ({}), Mt CO2",
                esc(&a.member),
                esc(a.status.as_str())
            ),
        ));
    }
    out
}
