//! The MPP steel model's reference runs (`summary_global_by_year.csv`, with
//! `summary_global_by_year_technology.csv` beside it) and the checks of issue 4: 2020 within 2 %,
//! scope 1 in the reference band widened by 25 %, the 2050 shares of the largest routes within 10
//! points, and a deterministic run.

use super::{Check, Metric, ReferenceError, RunData, YearRow, finite, read_rows};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const SUMMARY: &str = "summary_global_by_year.csv";
pub const BY_TECHNOLOGY: &str = "summary_global_by_year_technology.csv";
/// MPP scenario names and the bundled decarb scenario of each.
pub const SCENARIOS: [(&str, &str); 6] = [
    ("baseline_high_circ", "mpp-baseline-high-circularity"),
    ("baseline", "mpp-baseline"),
    ("fastest_abatement", "mpp-fastest-abatement"),
    ("abatement", "mpp-abatement"),
    ("carbon_cost", "mpp-carbon-cost"),
    ("tech_moratorium", "mpp-tech-moratorium"),
];
/// The years whose scope 1 is checked against the reference band.
pub const CHECK_YEARS: [i32; 3] = [2030, 2040, 2050];

/// The reference runs as read: each run's years, and whether the technology file was there.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub runs: Vec<RunData>,
    /// The by-technology file, when it was missing (route shares are then not compared).
    pub missing_by_technology: Option<PathBuf>,
}

/// The summary file: `path` itself, or [`SUMMARY`] in the folder `path` or its parent.
pub fn locate_summary(path: &Path) -> Result<PathBuf, ReferenceError> {
    if path.is_file() {
        return Ok(path.to_path_buf());
    }
    for dir in [Some(path), path.parent()].into_iter().flatten() {
        let candidate = dir.join(SUMMARY);
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    Err(ReferenceError(format!("{}: no {SUMMARY} there or in its parent folder", path.display())))
}

/// The bundled decarb scenario of the MPP scenario `mpp_name` (`carbon_cost_...`).
pub fn example_for(mpp_name: &str) -> Option<&'static str> {
    SCENARIOS.iter().find(|(mpp, _)| mpp_name.starts_with(mpp)).map(|(_, ours)| *ours)
}

#[derive(serde::Deserialize)]
struct SummaryRow {
    scenario: String,
    year: i32,
    capacity: f64,
    production: f64,
    s1_emissions_mt: f64,
}

#[derive(serde::Deserialize)]
struct TechnologyRow {
    scenario: String,
    year: i32,
    technology: String,
    production: f64,
}

/// Reads the reference runs of `summary`, in file order.
pub fn read_reference(summary: &Path) -> Result<Reference, ReferenceError> {
    let mut runs: BTreeMap<String, RunData> = BTreeMap::new();
    let mut order = Vec::new();
    for (row, r) in read_rows::<SummaryRow>(summary)? {
        if !runs.contains_key(&r.scenario) {
            order.push(r.scenario.clone());
        }
        let run = runs
            .entry(r.scenario.clone())
            .or_insert_with(|| RunData { name: r.scenario, ..RunData::default() });
        run.years.insert(
            r.year,
            YearRow {
                production: finite(summary, row, "production", r.production)?,
                capacity: finite(summary, row, "capacity", r.capacity)?,
                scope1: finite(summary, row, "s1_emissions_mt", r.s1_emissions_mt)?,
                ..YearRow::default()
            },
        );
    }
    let by_tech = summary.with_file_name(BY_TECHNOLOGY);
    let missing_by_technology = if by_tech.is_file() {
        for (row, r) in read_rows::<TechnologyRow>(&by_tech)? {
            if let Some(run) = runs.get_mut(&r.scenario) {
                let production = finite(&by_tech, row, "production", r.production)?;
                *run.production_by_route.entry(r.year).or_default().entry(r.technology).or_default() +=
                    production;
            }
        }
        None
    } else {
        Some(by_tech)
    };
    if order.is_empty() {
        return Err(ReferenceError(format!("{}: no reference runs", summary.display())));
    }
    Ok(Reference {
        runs: order.into_iter().filter_map(|name| runs.remove(&name)).collect(),
        missing_by_technology,
    })
}

/// The checks of issue 4 of decarb's run `ours` against the reference runs `refs`.
pub fn checks(ours: &RunData, refs: &[RunData], deterministic: bool) -> Vec<Check> {
    let mut checks: Vec<Check> = Vec::new();
    for (what, get) in [("production", (|r: &YearRow| r.production) as Metric), ("scope 1", |r| r.scope1)] {
        let o = get(&ours.at(2020));
        let worst = refs.iter().map(|r| (o / get(&r.at(2020)) - 1.0).abs()).fold(0.0, f64::max);
        checks.push(Check {
            what: format!("2020 {what} within 2 % of the reference runs"),
            pass: worst <= 0.02,
            figures: format!("decarb {o:.0} Mt, largest difference {:.2} %", 100.0 * worst),
        });
    }
    let range = |values: Vec<f64>| {
        values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)))
    };
    for y in CHECK_YEARS {
        let (lo, hi) = range(refs.iter().map(|r| r.at(y).scope1).collect());
        let (lo, hi) = (lo * 0.75, hi * 1.25);
        let o = ours.at(y).scope1;
        checks.push(Check {
            what: format!("{y} scope 1 inside the reference band widened by 25 %"),
            pass: (lo..=hi).contains(&o),
            figures: format!("decarb {o:.0} Mt, band {lo:.0}-{hi:.0} Mt"),
        });
    }
    if let Some(first) = refs.first() {
        for name in first.largest_routes(2050) {
            let o = ours.share(2050, &name);
            let (lo, hi) = range(refs.iter().map(|r| r.share(2050, &name)).collect());
            checks.push(Check {
                what: format!("2050 share of {name} within 10 points of the reference runs"),
                pass: o >= lo - 10.0 && o <= hi + 10.0,
                figures: format!("decarb {o:.1} %, reference {lo:.1}-{hi:.1} %"),
            });
        }
    }
    checks.push(Check {
        what: "same seed, byte-identical outcome (two runs)".into(),
        pass: deterministic,
        figures: if deterministic { "identical".into() } else { "differ".into() },
    });
    checks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_reference_summary_reads_by_header_name_and_a_bad_cell_names_row_and_column() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let summary = write(
            dir,
            SUMMARY,
            "year,scenario,production,capacity,s1_emissions_mt\n2020,carbon_cost_x,1874.6,2450.1,3163.9\n",
        );
        let _ = std::fs::remove_file(dir.join(BY_TECHNOLOGY));
        let reference = read_reference(&summary).unwrap();
        assert_eq!(reference.runs.len(), 1);
        assert!((reference.runs[0].at(2020).scope1 - 3163.9).abs() < 1e-9);
        assert!(reference.missing_by_technology.is_some());
        assert_eq!(example_for(&reference.runs[0].name), Some("mpp-carbon-cost"));
        write(dir, SUMMARY, "year,scenario,production,capacity,s1_emissions_mt\n2020,x,lots,2450.1,3163.9\n");
        let err = read_reference(&summary).unwrap_err().to_string();
        assert!(err.contains("row 2, column \"production\""), "{err}");
        write(dir, SUMMARY, "year,scenario,production,capacity,s1_emissions_mt\n2020,x,inf,2450.1,3163.9\n");
        let err = read_reference(&summary).unwrap_err().to_string();
        assert!(err.contains("row 2, column \"production\"") && err.contains("expected a number"), "{err}");
    }
}
