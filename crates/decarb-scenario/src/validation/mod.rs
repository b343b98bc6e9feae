//! decarb's run of an MPP world against the MPP model's own runs on the same inputs: each side's
//! yearly figures and route mix, and the checks of `decarb validate mpp-steel` (issue 4),
//! `mpp-aluminium` and `mpp-ammonia` (issue 12). The reports and charts are the CLI's.

pub mod aluminium;
pub mod ammonia;
pub mod steel;

use decarb_engine::outcome::Outcome;
use decarb_model::Sector;
use std::collections::BTreeMap;
use std::path::Path;

/// The years whose route shares the reports and share charts show.
pub const SHARE_YEARS: [i32; 3] = [2030, 2040, 2050];

/// Reads one quantity of a year.
pub type Metric = fn(&YearRow) -> f64;

/// A reference run that cannot be read: the message names file, row, column and value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ReferenceError(pub String);

/// One year of a run: Mt (of product, or of CO2).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct YearRow {
    pub production: f64,
    pub capacity: f64,
    pub scope1: f64,
    /// CO2 captured (only the ammonia validation reports it).
    pub captured: f64,
}

/// A run: its years and its production by route name per year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunData {
    pub name: String,
    pub years: BTreeMap<i32, YearRow>,
    pub production_by_route: BTreeMap<i32, BTreeMap<String, f64>>,
}

impl RunData {
    /// A route's share of the year's production, %.
    pub fn share(&self, year: i32, route: &str) -> f64 {
        let Some(routes) = self.production_by_route.get(&year) else { return 0.0 };
        let total: f64 = routes.values().sum();
        if total > 0.0 { 100.0 * routes.get(route).copied().unwrap_or(0.0) / total } else { 0.0 }
    }
    /// The year's figures, zero for a year the run does not have.
    pub fn at(&self, year: i32) -> YearRow {
        self.years.get(&year).copied().unwrap_or_default()
    }
    /// The three routes with the largest production in `year`, largest first (ties by name).
    pub fn largest_routes(&self, year: i32) -> Vec<String> {
        let mut largest: Vec<(&String, &f64)> =
            self.production_by_route.get(&year).map(|m| m.iter().collect()).unwrap_or_default();
        largest.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
        largest.into_iter().take(3).map(|(name, _)| name.clone()).collect()
    }
}

/// decarb's run of one sector as the reference's quantities (world totals, Mt), each route named
/// by `route_name` of its technology id as the MPP model names it.
pub fn decarb_run(outcome: &Outcome, sector: Sector, route_name: impl Fn(&str) -> String) -> RunData {
    let mut run = RunData { name: "decarb".into(), ..RunData::default() };
    for row in outcome.summary.iter().filter(|r| r.region.is_none() && r.sector == sector) {
        run.years.insert(
            row.year,
            YearRow {
                production: row.production.to_mt(),
                capacity: row.capacity.to_mt(),
                scope1: row.direct_emissions.to_mt(),
                captured: row.captured.to_mt(),
            },
        );
    }
    for row in outcome.technology_mix.iter().filter(|r| r.region.is_none() && r.sector == sector) {
        *run.production_by_route
            .entry(row.year)
            .or_default()
            .entry(route_name(row.technology.as_str()))
            .or_default() += row.production.to_mt();
    }
    run
}

/// decarb's difference to the reference, signed %, `–` where the reference is zero.
pub fn pct(ours: f64, reference: f64) -> String {
    if reference.abs() < 1e-9 { "–".into() } else { format!("{:+.1} %", 100.0 * (ours / reference - 1.0)) }
}

/// One check: what, whether it passed, and the figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub what: String,
    pub pass: bool,
    pub figures: String,
}

/// Whether two runs of the same world, scenario and seed are the same, value by value.
pub fn same_outcome(a: &Outcome, b: &Outcome) -> bool {
    format!("{:?}{:?}{:?}", a.summary, a.technology_mix, a.decisions)
        == format!("{:?}{:?}{:?}", b.summary, b.technology_mix, b.decisions)
}

/// The rows of a CSV file deserialised into `T` (header names matched to field names), with
/// their row numbers (the header is row 1). A cell of the wrong kind is an error naming the row
/// and column.
fn read_rows<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<(usize, T)>, ReferenceError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ReferenceError(format!("{}: cannot read: {e}", path.display())))?;
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = reader
        .headers()
        .map_err(|e| ReferenceError(format!("{}: unreadable CSV: {e}", path.display())))?
        .clone();
    let mut rows = Vec::new();
    for (index, record) in reader.deserialize::<T>().enumerate() {
        let row = index + 2;
        let value = record.map_err(|e| {
            let column = match e.kind() {
                csv::ErrorKind::Deserialize { err, .. } => err
                    .field()
                    .and_then(|f| usize::try_from(f).ok())
                    .and_then(|f| header.get(f))
                    .map(|name| format!(", column {name:?}")),
                _ => None,
            };
            let reason = match e.kind() {
                csv::ErrorKind::Deserialize { err, .. } => err.to_string(),
                _ => e.to_string(),
            };
            ReferenceError(format!(
                "{}, row {row}{}: {reason}; columns found: {}",
                path.display(),
                column.unwrap_or_default(),
                header.iter().collect::<Vec<_>>().join(", ")
            ))
        })?;
        rows.push((row, value));
    }
    Ok(rows)
}

/// `value` when finite, else an error naming the row and column.
fn finite(path: &Path, row: usize, column: &str, value: f64) -> Result<f64, ReferenceError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(ReferenceError(format!(
            "{}, row {row}, column {column:?}: found {value}, expected a number",
            path.display()
        )))
    }
}
