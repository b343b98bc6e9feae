//! The pledge-alignment section a member or country brief shows: each of the member's pledges
//! against the pathway of its own plants (`decarb_engine::alignment`), a table and, for each
//! pledge that could be judged, a chart of the pathway against what the pledge allows.

use crate::view::{self, Frame, Series, chart, num, opt_num};
use decarb_engine::alignment::{Alignment, Status};
use maud::{Markup, html};

/// The section for `rows` (one member's pledges) in a run of `scenario`; empty when there are none.
pub fn section(rows: &[&Alignment], scenario: &str) -> Markup {
    if rows.is_empty() {
        return html! {};
    }
    let mt = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| num(v, 1));
    let table_rows: Vec<Vec<Markup>> = rows
        .iter()
        .map(|a| {
            vec![
                html! { (opt_num(a.target_year)) },
                html! { (a.metric) },
                html! { (mt(a.base_year_mtco2)) },
                html! { (mt(a.pathway_2030_mtco2)) },
                html! { (mt(a.required_2030_mtco2)) },
                html! { (opt_num(a.judged_year)) },
                html! { (mt(a.gap_mtco2)) },
                html! { strong { (a.status.as_str()) } },
                html! { (if a.status == Status::Unknown { &a.reason } else { &a.note }) },
            ]
        })
        .collect();
    let headers = [
        "target year",
        "metric",
        "base year Mt CO2",
        "2030 Mt CO2",
        "2030 allowed",
        "judged in",
        "gap Mt CO2",
        "status",
        "reason / note",
    ];
    html! {
        h2 { "Pledge alignment" }
        p {
            "The pathway of the member's own plants in the scenario " (scenario) " (direct CO2 of steel, cement, \
             aluminium and ammonia; a company's share of the plants it holds) against what each pledge allows: net \
             zero leaves at most 10 % of the base year's emissions (SBTi Corporate Net-Zero Standard v1.0, 2021); \
             2030 is judged on the pledge's milestone where it is a cut against a year of the run, else on the \
             straight line to the target. An economy-wide pledge is judged on heavy industry only."
        }
        (view::table(&headers, &[2, 3, 4, 6], &table_rows))
        @for a in rows.iter().filter(|a| a.status != Status::Unknown) {
            (pledge_chart(a))
        }
    }
}

/// One pledge: the pathway of the member's own plants against what the pledge allows.
fn pledge_chart(a: &Alignment) -> Markup {
    let points = |v: &[(i32, f64)]| v.iter().map(|&(y, mt)| (f64::from(y), mt)).collect();
    let series = [
        Series { name: "own plants".to_owned(), points: points(&a.pathway), band: vec![] },
        Series {
            name: format!("allowed by the {} {} pledge", a.metric, a.target_year.unwrap_or_default()),
            points: points(&a.allowed),
            band: vec![],
        },
    ];
    let markers: Vec<(f64, String)> =
        a.judged_year.map(|y| (f64::from(y), "judged".to_owned())).into_iter().collect();
    let caption = html! { (a.member) ": own plants against the pledge (" (a.status.as_str()) "), Mt CO2" };
    chart::lines(&Frame::Print { unit: "Mt CO2 (direct)", caption }, "", &series, &markers)
}
