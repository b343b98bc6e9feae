//! The aluminium fleet read at run time from the user's copy of the MPP aluminium model's smelter
//! and refinery stacks (`mpp-shared-code/aluminium/{smelters,refineries}/initial_asset_stack.csv`).
//!
//! Those files are AGPL-3.0. A plant-by-plant copy of them compiled into decarb (Apache-2.0 OR MIT)
//! would put an AGPL-covered table into every decarb binary, so decarb does not bundle it
//! (`docs/data-licences.md`): the loader reads the user's copy when there is one, one plant per
//! row, and otherwise falls back to the bundled `fleet_aluminium.csv` (country x decade sums split
//! into units of the MPP mean plant size, a decarb derivation).
//!
//! Where the copy is looked for: `$DECARB_MPP_SHARED_CODE` (the `mpp-shared-code` folder; the value
//! `none` forces the bundled fallback), else `$DECARB_SHARED_DATA/mpp-shared-code`, else
//! `../shared/data/mpp-shared-code` beside the decarb source tree the binary was built from.

use super::tables::FleetRow;
use decarb_model::units::TonnesPerYear;
use decarb_model::{CountryCode, PlantStatus, Route, Sector};
use std::path::{Path, PathBuf};

/// The environment variable naming the user's `mpp-shared-code` folder (`none`: use the bundled
/// fallback).
pub const ENV: &str = "DECARB_MPP_SHARED_CODE";
const SMELTERS: &str = "aluminium/smelters/initial_asset_stack.csv";
const REFINERIES: &str = "aluminium/refineries/initial_asset_stack.csv";
/// A stack row more than this many times the stack's second-largest row is a multi-plant site
/// (MPP's 17.5 Mt "refinery" and 5.86 Mt smelter near Zouping, Shandong): it is split into equal
/// units no larger than the second-largest row.
const SITE_FACTOR: f64 = 1.5;
pub const LICENCE: &str =
    "AGPL-3.0 (MPP mpp-shared-code); read at run time from the user's copy, not bundled with decarb";

/// The user's `mpp-shared-code` folder, when it holds the aluminium stacks.
pub fn locate() -> Option<PathBuf> {
    let dir = match std::env::var_os(ENV) {
        Some(value) if value == "none" || value.is_empty() => return None,
        Some(value) => PathBuf::from(value),
        None => std::env::var_os("DECARB_SHARED_DATA")
            .map_or_else(
                || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
                PathBuf::from,
            )
            .join("mpp-shared-code"),
    };
    (dir.join(SMELTERS).is_file() && dir.join(REFINERIES).is_file()).then_some(dir)
}

fn smelter_process(technology: &str) -> Option<&'static str> {
    Some(match technology {
        "Carbon Anode + Coal" => "coal",
        "Carbon Anode + Grid" => "grid",
        "Carbon Anode + Hydro" => "hydro",
        "Carbon Anode + Natural Gas" => "natural-gas",
        "Carbon Anode + PPA+Grid" => "ppa-grid",
        _ => return None,
    })
}

/// `Coal-Boiler + Gas-Calciner` -> `coal-boiler-gas-calciner`.
fn refinery_process(technology: &str) -> String {
    technology.trim().to_ascii_lowercase().replace(" + ", "-")
}

struct StackRow {
    index: String,
    country: CountryCode,
    coordinates: String,
    process: String,
    capacity_mt: f64,
    year: i32,
}

fn read_stack(path: &Path, route: Route) -> Result<Vec<StackRow>, String> {
    let err = |what: String| format!("{}: {what}", path.display());
    let mut reader = csv::Reader::from_path(path).map_err(|e| err(e.to_string()))?;
    let headers = reader.headers().map_err(|e| err(e.to_string()))?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').trim() == name)
            .ok_or_else(|| err(format!("no column {name:?}")))
    };
    let (region, country, coordinates, technology, capacity, year) = (
        col("region")?,
        col("country")?,
        col("coordinates")?,
        col("technology")?,
        col("annual_production_capacity")?,
        col("year")?,
    );
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| err(e.to_string()))?;
        let field = |c: usize| record.get(c).unwrap_or("").trim();
        let country_text = field(country);
        let china = country_text.starts_with("China")
            || (country_text == "Refinery" && field(region).starts_with("China"));
        let code = if china { CountryCode::resolve("CHN") } else { CountryCode::resolve(country_text) }
            .ok_or_else(|| err(format!("row {}: unknown country {country_text:?}", i + 2)))?;
        let process = if route == Route::AluminiumSmelter {
            smelter_process(field(technology))
                .ok_or_else(|| err(format!("row {}: unknown technology {:?}", i + 2, field(technology))))?
                .to_owned()
        } else {
            refinery_process(field(technology))
        };
        let capacity_mt: f64 = field(capacity)
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v > 0.0)
            .ok_or_else(|| err(format!("row {}: capacity {:?}", i + 2, field(capacity))))?;
        let year: i32 =
            field(year).parse().map_err(|_| err(format!("row {}: year {:?}", i + 2, field(year))))?;
        rows.push(StackRow {
            index: i.to_string(),
            country: code,
            coordinates: field(coordinates).to_owned(),
            process,
            capacity_mt,
            year,
        });
    }
    Ok(rows)
}

/// The smelters and refineries of the user's copy, one row per stack row (multi-plant sites
/// split), start years as MPP gives them.
pub(super) fn aluminium(dir: &Path) -> Result<Vec<FleetRow>, String> {
    let mut out = Vec::new();
    for (route, file, kind) in
        [(Route::AluminiumSmelter, SMELTERS, "smelter"), (Route::AluminaRefinery, REFINERIES, "refinery")]
    {
        let rows = read_stack(&dir.join(file), route)?;
        let mut sizes: Vec<f64> = rows.iter().map(|r| r.capacity_mt).collect();
        sizes.sort_by(f64::total_cmp);
        let second = sizes.iter().rev().nth(1).copied().unwrap_or(f64::INFINITY);
        let source = format!(
            "MPP aluminium model, {file} (mpp-shared-code), one row per stack row, read at run time from {}",
            dir.display()
        );
        for row in rows {
            // Equal units no larger than the second-largest row, for a multi-plant site.
            let mut units: u32 = 1;
            if row.capacity_mt > SITE_FACTOR * second {
                while row.capacity_mt > second * f64::from(units) {
                    units += 1;
                }
            }
            for unit in 1..=units {
                let (id, basis) = if units == 1 {
                    (format!("mpp.{kind}.{}", row.index), "reported")
                } else {
                    (format!("mpp.{kind}.{}.{unit}", row.index), "site-split")
                };
                let part = if units > 1 { format!(", unit {unit} of {units}") } else { String::new() };
                let name = format!(
                    "{} {kind} at {} (MPP stack row {}){part}",
                    row.country.name(),
                    row.coordinates,
                    row.index
                );
                out.push(FleetRow {
                    sector: Sector::Aluminium,
                    id,
                    name,
                    country: row.country,
                    route,
                    process: row.process.clone(),
                    status: PlantStatus::Operating,
                    start: Some(row.year),
                    last_investment: None,
                    start_year: row.year,
                    cohort: String::new(),
                    capacity: TonnesPerYear::from_mt(row.capacity_mt / f64::from(units)),
                    owner: String::new(),
                    parent: String::new(),
                    basis: basis.to_owned(),
                    source: source.clone(),
                    licence: LICENCE.to_owned(),
                });
            }
        }
    }
    Ok(out)
}
