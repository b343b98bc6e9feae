//! The compared runs' results: world emissions (with their bands) and investment, resource
//! demand, the chosen sector's technology mix by family, the 2030 milestones and the bands' table.

use crate::api::scenarios::{Bands, RunResult};
use decarb_brief::view::{self, Dataset, Frame, Series, chart, num_cell};
use decarb_model::Sector;
use maud::{Markup, html};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

pub(super) fn run_label(r: &RunResult) -> String {
    format!("{} ({})", r.scenario, &r.id[..8])
}

pub(super) fn charts(runs: &[Arc<RunResult>], sector: &str, bands: &BTreeMap<String, Arc<Bands>>) -> Markup {
    let ids: Vec<&str> = runs.iter().map(|r| r.id.as_str()).collect();
    html! {
        div.grid { (world(runs, bands)) (resources(runs)) }
        h2 { "Technology mix: " (sector) }
        p.links {
            "Sector: "
            @for s in Sector::ALL { a href={ "/scenarios?ids=" (ids.join(",")) "&sector=" (s.as_str()) } { (s.as_str()) } " " }
        }
        div.grid { @for (k, r) in runs.iter().enumerate() { (mix(k, r, sector)) } }
        (milestones(runs))
        (bands_table(bands))
    }
}

/// World direct emissions (one line per run, with its band) and investment, all sectors.
fn world(runs: &[Arc<RunResult>], bands: &BTreeMap<String, Arc<Bands>>) -> Markup {
    let columns = ["run", "scenario", "year", "direct_emissions_mt", "capex_busd"];
    let mut data = Dataset { columns: columns.iter().map(|c| (*c).to_owned()).collect(), rows: vec![] };
    let (mut emissions, mut capex) = (Vec::new(), Vec::new());
    for r in runs {
        let mut by_year: BTreeMap<i32, (f64, f64)> = BTreeMap::new();
        for row in r.summary.iter().filter(|row| row.region.is_none()) {
            let e = by_year.entry(row.year).or_default();
            e.0 += row.direct_emissions_t / 1e6;
            e.1 += row.capex_usd / 1e9;
        }
        for (y, (e, c)) in &by_year {
            data.rows.push(vec![json!(r.id), json!(r.scenario), json!(y), json!(e), json!(c)]);
        }
        emissions.push(Series {
            name: run_label(r),
            points: by_year.iter().map(|(y, v)| (f64::from(*y), v.0)).collect(),
            band: bands.get(&r.id).map_or_else(Vec::new, |b| {
                b.world.iter().map(|row| (f64::from(row.year), row.p5, row.p95)).collect()
            }),
        });
        capex.push(Series {
            name: run_label(r),
            points: by_year.iter().map(|(y, v)| (f64::from(*y), v.1)).collect(),
            ..Series::default()
        });
    }
    let title = "World direct emissions, all sectors";
    let capex_title = "Investment (capex), all sectors";
    html! {
        (chart::lines(&Frame::Page { id: "emissions", title, unit: "Mt CO2", data: &data }, "year", &emissions, &[]))
        (chart::lines(&Frame::Page { id: "capex", title: capex_title, unit: "billion USD", data: &data }, "year", &capex, &[]))
    }
}

/// Resource demand: one chart per resource, one line per run.
fn resources(runs: &[Arc<RunResult>]) -> Markup {
    let resources: BTreeSet<(String, String)> =
        runs.iter().flat_map(|r| r.resources.iter().map(|x| (x.resource.clone(), x.unit.clone()))).collect();
    let shown = resources
        .iter()
        .filter(|(name, _)| ["hydrogen", "electricity", "co2_stored", "scrap"].contains(&name.as_str()));
    html! {
        @for (resource, unit) in shown {
            (resource_chart(runs, resource, unit))
        }
    }
}

fn resource_chart(runs: &[Arc<RunResult>], resource: &str, unit: &str) -> Markup {
    let columns = vec!["run".into(), "scenario".into(), "year".into(), format!("{resource}_{unit}")];
    let mut data = Dataset { columns, rows: vec![] };
    let mut series = Vec::new();
    for r in runs {
        let mut by_year: BTreeMap<i32, f64> = BTreeMap::new();
        for x in r.resources.iter().filter(|x| x.resource == resource) {
            *by_year.entry(x.year).or_default() += x.quantity;
        }
        for (y, v) in &by_year {
            data.rows.push(vec![json!(r.id), json!(r.scenario), json!(y), json!(v)]);
        }
        series.push(Series {
            name: run_label(r),
            points: by_year.iter().map(|(y, v)| (f64::from(*y), *v)).collect(),
            ..Series::default()
        });
    }
    let (id, title) = (format!("resource-{resource}"), format!("Demand: {resource}"));
    chart::lines(&Frame::Page { id: &id, title: &title, unit, data: &data }, "year", &series, &[])
}

/// A run's production of the chosen sector stacked by technology family (one colour each,
/// decarb_chart); the CSV keeps the technologies.
fn mix(k: usize, r: &RunResult, sector: &str) -> Markup {
    let rows: Vec<_> = r.technology_mix.iter().filter(|m| m.sector == sector).collect();
    let years: Vec<i32> = rows.iter().map(|m| m.year).collect::<BTreeSet<_>>().into_iter().collect();
    let series: Vec<(String, Vec<f64>)> = decarb_chart::Family::ALL
        .iter()
        .map(|&family| {
            let values = years
                .iter()
                .map(|y| {
                    rows.iter()
                        .filter(|m| decarb_chart::family_of(&m.technology) == family && m.year == *y)
                        .map(|m| m.production_t / 1e6)
                        .sum()
                })
                .collect();
            (family.label().to_owned(), values)
        })
        .filter(|(_, v): &(String, Vec<f64>)| v.iter().any(|x| *x > 0.0))
        .collect();
    let data = Dataset {
        columns: vec!["run".into(), "year".into(), "technology".into(), "production_mt".into()],
        rows: rows
            .iter()
            .map(|m| vec![json!(r.id), json!(m.year), json!(m.technology), json!(m.production_t / 1e6)])
            .collect(),
    };
    let categories: Vec<String> = years.iter().map(ToString::to_string).collect();
    let (id, title) = (format!("mix-{k}"), format!("{}: production by technology family", run_label(r)));
    chart::stacked(&Frame::Page { id: &id, title: &title, unit: "Mt", data: &data }, &categories, &series)
}

fn milestones(runs: &[Arc<RunResult>]) -> Markup {
    let mut rows = Vec::new();
    for r in runs {
        for m in &r.milestones {
            rows.push(vec![
                html! { (run_label(r)) },
                html! { (m.sector) },
                num_cell(m.base_t / 1e6, 1, None),
                m.in_2030_t.map_or_else(|| html! { "–" }, |v| num_cell(v / 1e6, 1, None)),
                m.change_2030_pct.map_or_else(
                    || html! { "–" },
                    |v| num_cell(v, 1, Some(&format!("change-{}-{}", &r.id[..8], m.sector))),
                ),
                num_cell(m.end_t / 1e6, 1, None),
            ]);
        }
    }
    view::data_table(
        "milestones",
        "Direct emissions: base year, 2030 milestone, end year",
        &["run", "sector", "base (Mt CO2)", "2030 (Mt CO2)", "change to 2030 (%)", "end year (Mt CO2)"],
        &rows,
    )
}

/// The bands' table, or what the bands would show.
fn bands_table(bands: &BTreeMap<String, Arc<Bands>>) -> Markup {
    if bands.is_empty() {
        return html! {
            p.notice {
                "Uncertainty bands: " em { "Show uncertainty bands" } " runs each scenario as a Monte Carlo ensemble \
                 with the uncertain inputs its " code { "[uncertainty]" } " table declares (prices, carbon price, \
                 demand, technology availability; docs/scenario-format.md) and shades p5 to p95 of world emissions. A \
                 scenario without " code { "[uncertainty]" } " varies only the random timing of investments ("
                code { "investment_jitter_years" } ")."
            }
        };
    }
    let rows: Vec<Vec<Markup>> = bands
        .iter()
        .map(|(id, b)| {
            let widest = b.world.iter().map(|r| r.p95 - r.p5).fold(0.0f64, f64::max);
            vec![
                html! { (b.scenario) " (" (&id[..8]) ")" },
                html! { (b.runs) },
                html! { (b.varied.join(", ")) },
                num_cell(widest, 1, Some(&format!("band-width-{}", &id[..8]))),
                num_cell(b.probability_milestone.probability * 100.0, 0, None),
                num_cell(b.probability_near_zero.probability * 100.0, 0, None),
            ]
        })
        .collect();
    view::data_table(
        "bands",
        "Uncertainty bands: world direct emissions over a Monte Carlo ensemble",
        &[
            "run",
            "runs",
            "varied",
            "widest p5-p95 range (Mt CO2)",
            "P(cut of at least 25 % by 2030) (%)",
            "P(cut of at least 90 % by the end year) (%)",
        ],
        &rows,
    )
}
