//! The MPP aluminium model's June 2022 run (`simulation_outputs_aluminium_lc_def_0640df6.csv`)
//! and the checks of issue 12: 2020 within 3 %, scope 1 within 25 %, the 2050 shares of the
//! largest routes within 10 points.
//!
//! Reference boundary: the run file's rows per model region and route (the `All` rows are totals
//! of those and are left out), parameter `Annual production volume` (Mt primary aluminium) and
//! `CO2 Scope1` (Mt CO2: the smelter's direct CO2, anode and process CO2 plus captive power; the
//! run has no alumina refining — its only product is `Aluminium`). decarb's side is the aluminium
//! sector's direct CO2 of the run, which holds smelters only (the MPP world has no refineries).

use super::{Check, Metric, ReferenceError, RunData, YearRow, pct};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The bundled scenario the validation runs.
pub const EXAMPLE: &str = "mpp-aluminium-lc";
/// File name of the reference run.
pub const REFERENCE: &str = "simulation_outputs_aluminium_lc_def_0640df6.csv";
/// The reference run's name in reports.
pub const REFERENCE_NAME: &str = "MPP 0640df6";
pub const YEARS: std::ops::RangeInclusive<i32> = 2020..=2050;
const SCOPE1_YEARS: [i32; 3] = [2030, 2040, 2050];
/// Tolerances of issue 12.
const TOL_2020: f64 = 0.03;
const TOL_SCOPE1: f64 = 0.25;
const TOL_SHARE_POINTS: f64 = 10.0;

/// The reference file: `path` itself, or [`REFERENCE`] in the folder `path` or its
/// `model_outputs/`.
pub fn locate(path: &Path) -> Result<PathBuf, ReferenceError> {
    if path.is_file() {
        return Ok(path.to_path_buf());
    }
    for candidate in [path.join(REFERENCE), path.join("model_outputs").join(REFERENCE)] {
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    Err(ReferenceError(format!("{}: no {REFERENCE} there or in its model_outputs/ folder", path.display())))
}

/// A CSV record keyed by header name, with its row number (the header is row 1).
type Record = (usize, BTreeMap<String, String>);

/// Reads a CSV into records keyed by header name (the year columns are many and named by year).
fn read_csv(path: &Path, required: &[&str]) -> Result<Vec<Record>, ReferenceError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ReferenceError(format!("{}: cannot read: {e}", path.display())))?;
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| ReferenceError(format!("{}: unreadable CSV: {e}", path.display())))?
        .iter()
        .map(str::to_owned)
        .collect();
    for column in required {
        if !header.iter().any(|h| h == column) {
            return Err(ReferenceError(format!(
                "{}, column {column:?}: missing required column; columns found: {}",
                path.display(),
                header.join(", ")
            )));
        }
    }
    let mut out = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            ReferenceError(format!("{}, row {}: unreadable CSV: {e}", path.display(), index + 2))
        })?;
        out.push((index + 2, header.iter().cloned().zip(record.iter().map(str::to_owned)).collect()));
    }
    Ok(out)
}

/// Production, scope 1 and production by route of the reference run, summed over its regions.
pub fn read_reference(path: &Path) -> Result<RunData, ReferenceError> {
    let years: Vec<String> = YEARS.map(|y| y.to_string()).collect();
    let mut required = vec!["region", "technology", "parameter", "unit"];
    required.extend(years.iter().map(String::as_str));
    let mut run = RunData { name: REFERENCE_NAME.into(), ..RunData::default() };
    let mut rows = 0;
    let cell =
        |record: &BTreeMap<String, String>, column: &str| record.get(column).cloned().unwrap_or_default();
    for (row, record) in read_csv(path, &required)? {
        let (region, technology) = (cell(&record, "region"), cell(&record, "technology"));
        if region == "All" || technology == "All" {
            continue;
        }
        let parameter = cell(&record, "parameter");
        if !matches!(parameter.as_str(), "Annual production volume" | "CO2 Scope1") {
            continue;
        }
        let unit = cell(&record, "unit");
        let expected_unit = if parameter == "CO2 Scope1" { "Mt CO2" } else { "Mt" };
        if unit != expected_unit {
            return Err(ReferenceError(format!(
                "{}, row {row}, column \"unit\": found {unit:?}, expected {expected_unit:?} for {parameter}",
                path.display()
            )));
        }
        rows += 1;
        for (year, column) in YEARS.zip(&years) {
            let text = record.get(column).map_or("", String::as_str).trim();
            // An empty cell is no production (the run leaves years before a route exists blank).
            let value = if text.is_empty() {
                0.0
            } else {
                text.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| {
                    ReferenceError(format!(
                        "{}, row {row}, column {column:?}: found {text:?}, expected a number",
                        path.display()
                    ))
                })?
            };
            let entry = run.years.entry(year).or_default();
            if parameter == "CO2 Scope1" {
                entry.scope1 += value;
            } else {
                entry.production += value;
                *run.production_by_route.entry(year).or_default().entry(technology.clone()).or_default() +=
                    value;
            }
        }
    }
    if rows == 0 {
        return Err(ReferenceError(format!(
            "{}: no \"Annual production volume\" or \"CO2 Scope1\" rows by region and route",
            path.display()
        )));
    }
    Ok(run)
}

/// The checks of issue 12 of decarb's run `ours` against the reference.
pub fn checks(ours: &RunData, reference: &RunData) -> Vec<Check> {
    let mut out = Vec::new();
    let within = |o: f64, r: f64, tol: f64| r.abs() > 1e-9 && (o / r - 1.0).abs() <= tol;
    for (what, get) in [("production", (|r: &YearRow| r.production) as Metric), ("scope 1", |r| r.scope1)] {
        let (o, r) = (get(&ours.at(2020)), get(&reference.at(2020)));
        out.push(Check {
            what: format!("2020 {what} within 3 % of the reference"),
            pass: within(o, r, TOL_2020),
            figures: format!("decarb {o:.1} Mt, MPP {r:.1} Mt ({})", pct(o, r)),
        });
    }
    for y in SCOPE1_YEARS {
        let (o, r) = (ours.at(y).scope1, reference.at(y).scope1);
        out.push(Check {
            what: format!("{y} scope 1 within 25 % of the reference"),
            pass: within(o, r, TOL_SCOPE1),
            figures: format!("decarb {o:.1} Mt, MPP {r:.1} Mt ({})", pct(o, r)),
        });
    }
    for name in reference.largest_routes(2050) {
        let (o, r) = (ours.share(2050, &name), reference.share(2050, &name));
        out.push(Check {
            what: format!("2050 share of {name} within 10 points of the reference"),
            pass: (o - r).abs() <= TOL_SHARE_POINTS,
            figures: format!("decarb {o:.1} %, MPP {r:.1} % ({:+.1} points)", o - r),
        });
    }
    out
}
