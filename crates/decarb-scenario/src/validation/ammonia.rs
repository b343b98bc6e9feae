//! A run of the MPP ammonia model (`model_outputs/<run>_emissions_trajectory.csv` and
//! `_technology_roadmap.csv`, read by `decarb_data::mpp_ammonia`) as the validation's reference,
//! and the checks of issue 12: 2020 production and scope 1 within 3 %; 2030, 2040 and 2050 scope
//! 1 within 25 %; the three largest 2050 routes within 10 points.

use super::{Check, Metric, RunData, YearRow, pct};
use decarb_data::mpp_ammonia::MppAmmoniaRun;

/// The reference run's global figures: production (Mt NH3-eq), scope 1 and captured (Mt CO2),
/// and production by MPP route name.
pub fn reference(run: &MppAmmoniaRun) -> RunData {
    let mut out = RunData { name: run.name.clone(), ..RunData::default() };
    for year in 2020..=2050 {
        let captured = run.emissions.get("emissions_co2_scope1_captured").and_then(|v| v.get(&year)).copied();
        out.years.insert(
            year,
            YearRow {
                production: run.production(year),
                scope1: run.scope1(year),
                captured: captured.unwrap_or(0.0),
                ..YearRow::default()
            },
        );
        let routes = out.production_by_route.entry(year).or_default();
        for (route, values) in &run.roadmap {
            *routes.entry(route.clone()).or_default() += values.get(&year).copied().unwrap_or(0.0);
        }
    }
    out
}

/// The checks of issue 12 of decarb's run `ours` against the reference `refs`.
pub fn checks(ours: &RunData, refs: &RunData) -> Vec<Check> {
    let mut out = Vec::new();
    for (what, get) in [("production", (|r: &YearRow| r.production) as Metric), ("scope 1", |r| r.scope1)] {
        let (o, r) = (get(&ours.at(2020)), get(&refs.at(2020)));
        out.push(Check {
            what: format!("2020 {what} within 3 % of the reference"),
            pass: (o / r - 1.0).abs() <= 0.03,
            figures: format!("decarb {o:.1} Mt, reference {r:.1} Mt ({})", pct(o, r)),
        });
    }
    for y in [2030, 2040, 2050] {
        let (o, r) = (ours.at(y).scope1, refs.at(y).scope1);
        out.push(Check {
            what: format!("{y} scope 1 within 25 % of the reference"),
            pass: (o / r - 1.0).abs() <= 0.25,
            figures: format!("decarb {o:.1} Mt, reference {r:.1} Mt ({})", pct(o, r)),
        });
    }
    for name in refs.largest_routes(2050) {
        let (o, r) = (ours.share(2050, &name), refs.share(2050, &name));
        out.push(Check {
            what: format!("2050 share of {name} within 10 points of the reference"),
            pass: (o - r).abs() <= 10.0,
            figures: format!("decarb {o:.1} %, reference {r:.1} % ({:+.1} points)", o - r),
        });
    }
    out
}
