//! The input folder of the Mission Possible Partnership aluminium model
//! (`missionpossiblepartnership/mpp-shared-code`, `aluminium/data/lc/def/intermediate/` for
//! smelters and `.../def_refineries/intermediate/` for alumina refineries), read exactly as
//! published: five CSV files, some with a byte-order mark or an unnamed index column, the two
//! large ones optionally gzipped (`emissions.csv.gz`, `technology_characteristics.csv.gz`).
//!
//! [`read_inputs`] takes either a product-line folder holding the five files or a folder with a
//! `smelters/` subfolder (the layout of `mpp-shared-code/aluminium/`), in which case the smelters
//! are read. It returns typed tables in the source's own names and units ([`MppAluminiumInputs`]);
//! turning them into engine inputs is `decarb_scenario::mpp_aluminium`'s job. Missing or malformed
//! data is an [`Error`] naming the file, row, column, the value found and what was expected.
//!
//! ```no_run
//! let inputs = decarb_data::mpp_aluminium::read_inputs("aluminium-inputs-lc-def".as_ref()).unwrap();
//! println!("{} smelters; {}", inputs.assets.len(), inputs.report.summary());
//! ```

// An `Error` carries the whole location; it is made once per failed import.
#![allow(clippy::result_large_err)]

use crate::error::{Error, Location, Result};
use crate::mpp_steel::YearValues;
use crate::mpp_steel::grid::{Grid, Row, plain_or_gz};
use crate::read_report::ReadReport;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_CARBON_BUDGET: &str = "carbon_budget.csv";
pub const FILE_DEMAND: &str = "demand.csv";
pub const FILE_EMISSIONS: &str = "emissions.csv";
pub const FILE_ASSETS: &str = "initial_asset_stack.csv";
pub const FILE_CHARACTERISTICS: &str = "technology_characteristics.csv";
/// The five files of a product-line folder.
pub const FILES: [&str; 5] =
    [FILE_CARBON_BUDGET, FILE_DEMAND, FILE_EMISSIONS, FILE_ASSETS, FILE_CHARACTERISTICS];
/// Subfolder read when the given folder is `mpp-shared-code/aluminium/` itself.
pub const SMELTERS: &str = "smelters";
/// Capacity factors above 1 occur (smelters: up to 1.04; refineries: up to 1.06): production
/// above nameplate. Beyond this the value is taken for a typo.
pub const MAX_CAPACITY_FACTOR: f64 = 1.5;
/// The smelters' product name in every file.
pub const ALUMINIUM: &str = "Aluminium";

/// One smelter (or refinery) of `initial_asset_stack.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Asset {
    /// Line of the file (header = 1).
    pub row: usize,
    /// One of the model's 16 regions (`China - North`, `Rest of Europe`...).
    pub region: String,
    pub country: String,
    pub product: String,
    /// The model's route name (`Carbon Anode + Coal`).
    pub technology: String,
    /// `annual_production_capacity`, Mt per year.
    pub capacity_mt: f64,
    /// Commissioning year.
    pub year: i32,
    /// Share of capacity used in 2020 (may exceed 1 slightly: output above nameplate).
    pub capacity_factor: f64,
    /// `ppa_allowed` (TRUE/FALSE).
    pub ppa_allowed: bool,
}

impl Asset {
    /// Production in 2020, Mt: capacity x capacity factor.
    pub fn production_2020(&self) -> f64 {
        self.capacity_mt * self.capacity_factor
    }
}

/// One row of `demand.csv`, Mt of product.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandSeries {
    pub product: String,
    /// `1.5deg` in the published folders.
    pub scenario: String,
    /// `Global` or one of the model's demand regions (`China`, `Rest of Europe`...).
    pub region: String,
    pub values: YearValues,
}

/// One row of `emissions.csv`, t CO2 per t of product.
#[derive(Debug, Clone, PartialEq)]
pub struct EmissionFactor {
    pub technology: String,
    pub region: String,
    pub year: i32,
    /// Direct CO2: anode and process CO2 plus any captive power plant's CO2.
    pub scope1: f64,
    /// `co2_scope1_captured` where given (empty in the published files).
    pub scope1_captured: Option<f64>,
    /// Purchased electricity CO2; `None` where empty.
    pub scope2: Option<f64>,
}

/// Route phase as the model classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Classification {
    Initial,
    Transition,
    EndState,
}

/// One row of `technology_characteristics.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Characteristic {
    pub technology: String,
    pub region: String,
    pub year: i32,
    /// Years; 0 for grid and PPA routes (the power asset is not part of the plant).
    pub lifetime: f64,
    pub wacc: f64,
    pub classification: Classification,
    /// First year the route can be built.
    pub expected_maturity: i32,
}

/// Every input of an MPP aluminium product line, in the source's units.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MppAluminiumInputs {
    /// The product-line folder read.
    pub dir: PathBuf,
    /// `carbon_budget.csv`: annual limit, Gt CO2 per year.
    pub carbon_budget: YearValues,
    pub demand: Vec<DemandSeries>,
    pub emissions: Vec<EmissionFactor>,
    pub assets: Vec<Asset>,
    pub characteristics: Vec<Characteristic>,
    pub report: ReadReport,
}

impl MppAluminiumInputs {
    /// The emission factor of a route in a region and year.
    pub fn emission(&self, technology: &str, region: &str, year: i32) -> Option<&EmissionFactor> {
        self.emissions.iter().find(|e| e.year == year && e.technology == technology && e.region == region)
    }

    /// The characteristics of a route in a region and year.
    pub fn characteristic(&self, technology: &str, region: &str, year: i32) -> Option<&Characteristic> {
        self.characteristics
            .iter()
            .find(|c| c.year == year && c.technology == technology && c.region == region)
    }

    /// A demand series (first scenario found) of a region, Mt.
    pub fn demand(&self, region: &str) -> Option<&DemandSeries> {
        self.demand.iter().find(|d| d.region == region)
    }

    /// The routes of `emissions.csv`, in first-seen order.
    pub fn technologies(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for e in &self.emissions {
            if !out.contains(&e.technology.as_str()) {
                out.push(&e.technology);
            }
        }
        out
    }

    /// 2020 production (capacity x capacity factor) and scope 1 of the asset stack, Mt and Mt CO2,
    /// with `emissions.csv`'s 2020 factor of each asset's route and region.
    pub fn stack_2020(&self) -> (f64, f64) {
        let mut production = 0.0;
        let mut scope1 = 0.0;
        for a in &self.assets {
            production += a.production_2020();
            scope1 +=
                a.production_2020() * self.emission(&a.technology, &a.region, 2020).map_or(0.0, |e| e.scope1);
        }
        (production, scope1)
    }
}

/// The product-line folder of `dir`: `dir` itself when it holds the asset stack, else its
/// `smelters/` subfolder.
pub fn product_folder(dir: &Path) -> Result<PathBuf> {
    if !dir.is_dir() {
        return Err(Error::format(
            Location::file(dir),
            "not a folder: expected an MPP aluminium input folder (holding initial_asset_stack.csv, demand.csv, \
             emissions.csv[.gz], technology_characteristics.csv[.gz], carbon_budget.csv) or one with a smelters/ subfolder",
        ));
    }
    if dir.join(FILE_ASSETS).is_file() {
        return Ok(dir.to_path_buf());
    }
    let smelters = dir.join(SMELTERS);
    if smelters.join(FILE_ASSETS).is_file() {
        return Ok(smelters);
    }
    Err(Error::format(
        Location::file(&dir.join(FILE_ASSETS)),
        "file not found: expected the MPP aluminium input files in this folder or in its smelters/ subfolder",
    ))
}

/// Opens `name`, or `name.gz` when only the gzipped copy is there.
fn grid(dir: &Path, name: &str) -> Result<Grid> {
    match plain_or_gz(dir, name) {
        Some(path) => Grid::csv(&path),
        None => Err(Error::format(
            Location::file(&dir.join(name)),
            "file not found in the MPP aluminium input folder (nor a .gz copy)",
        )),
    }
}

fn skip_unused(grid: &Grid, used: &[usize], report: &mut ReadReport, reason: &str) {
    for (index, column) in grid.header.iter().enumerate() {
        if !used.contains(&index) && !column.trim().is_empty() {
            report.skip(grid.at.clone().column(column), reason);
        }
    }
}

fn non_negative(grid: &Grid, row: &Row, col: usize, expected: &str) -> Result<f64> {
    row.get(col).number().filter(|v| *v >= 0.0).ok_or_else(|| grid.error(row, col, expected))
}

fn optional(grid: &Grid, row: &Row, col: usize) -> Result<Option<f64>> {
    if Grid::text(row, col).is_empty() { Ok(None) } else { grid.number(row, col).map(Some) }
}

/// Reads an MPP aluminium input folder (see the module documentation for the layouts).
pub fn read_inputs(dir: &Path) -> Result<MppAluminiumInputs> {
    let dir = product_folder(dir)?;
    let mut report = ReadReport::new("MPP aluminium", "files");
    let carbon_budget = read_budget(&dir, &mut report)?;
    let demand = read_demand(&dir, &mut report)?;
    let emissions = read_emissions(&dir, &mut report)?;
    let characteristics = read_characteristics(&dir, &mut report)?;
    let assets = read_assets(&dir, &mut report)?;
    let inputs =
        MppAluminiumInputs { dir, carbon_budget, demand, emissions, assets, characteristics, report };
    check_assets(&inputs)?;
    Ok(inputs)
}

fn read_budget(dir: &Path, report: &mut ReadReport) -> Result<YearValues> {
    let grid = grid(dir, FILE_CARBON_BUDGET)?;
    let (year, limit) = (grid.col("year")?, grid.col("annual_limit")?);
    let mut out = YearValues::new();
    for row in &grid.rows {
        out.insert(
            grid.year(row, year)?,
            non_negative(&grid, row, limit, "an annual limit in Gt CO2 (>= 0)")?,
        );
    }
    report.read(format!("{}: {} years", grid.at.file.display(), out.len()));
    Ok(out)
}

fn read_demand(dir: &Path, report: &mut ReadReport) -> Result<Vec<DemandSeries>> {
    let grid = grid(dir, FILE_DEMAND)?;
    let cols = ["product", "scenario", "year", "value", "region"].map(|c| grid.col(c));
    let [product, scenario, year, value, region] = cols;
    let (product, scenario, year, value, region) = (product?, scenario?, year?, value?, region?);
    let mut by_key: BTreeMap<(String, String, String), YearValues> = BTreeMap::new();
    let mut order = Vec::new();
    for row in &grid.rows {
        let key = (
            grid.required_text(row, product, "a product name")?,
            grid.required_text(row, scenario, "a scenario name")?,
            grid.required_text(row, region, "a region")?,
        );
        let y = grid.year(row, year)?;
        let v = non_negative(&grid, row, value, "a demand in Mt (>= 0)")?;
        if !by_key.contains_key(&key) {
            order.push(key.clone());
        }
        by_key.entry(key).or_default().insert(y, v);
    }
    let out: Vec<DemandSeries> = order
        .into_iter()
        .filter_map(|key| {
            let values = by_key.remove(&key)?;
            let (product, scenario, region) = key;
            Some(DemandSeries { product, scenario, region, values })
        })
        .collect();
    if !out.iter().any(|d| d.region == "Global") {
        return Err(Error::value(grid.at.clone().column("region"), "", "a Global demand series"));
    }
    report.read(format!("{}: {} series", grid.at.file.display(), out.len()));
    Ok(out)
}

fn read_emissions(dir: &Path, report: &mut ReadReport) -> Result<Vec<EmissionFactor>> {
    let grid = grid(dir, FILE_EMISSIONS)?;
    let technology = grid.col("technology")?;
    let year = grid.col("year")?;
    let region = grid.col("region")?;
    let scope1 = grid.col("co2_scope1")?;
    let captured = grid.col("co2_scope1_captured")?;
    let scope2 = grid.col("co2_scope2")?;
    let product = grid.col("product")?;
    let mut out = Vec::with_capacity(grid.rows.len());
    for row in &grid.rows {
        out.push(EmissionFactor {
            technology: grid.required_text(row, technology, "a route name")?,
            region: grid.required_text(row, region, "a region")?,
            year: grid.year(row, year)?,
            scope1: non_negative(&grid, row, scope1, "scope 1 CO2 in t per t of product (>= 0)")?,
            scope1_captured: optional(&grid, row, captured)?,
            scope2: optional(&grid, row, scope2)?,
        });
    }
    skip_unused(
        &grid,
        &[technology, year, region, scope1, captured, scope2, product],
        report,
        "scope 3 is neither charged nor validated",
    );
    report.read(format!("{}: {} route x region x year factors", grid.at.file.display(), out.len()));
    Ok(out)
}

fn read_characteristics(dir: &Path, report: &mut ReadReport) -> Result<Vec<Characteristic>> {
    let grid = grid(dir, FILE_CHARACTERISTICS)?;
    let technology = grid.col("technology")?;
    let region = grid.col("region")?;
    let year = grid.col("year")?;
    let lifetime = grid.col("technology_lifetime")?;
    let wacc = grid.col("wacc")?;
    let class = grid.col("technology_classification")?;
    let maturity = grid.col("expected_maturity")?;
    let product = grid.col("product")?;
    let mut out = Vec::with_capacity(grid.rows.len());
    for row in &grid.rows {
        let classification = match Grid::text(row, class).to_ascii_lowercase().as_str() {
            "initial" => Classification::Initial,
            "transition" => Classification::Transition,
            "end-state" => Classification::EndState,
            _ => return Err(grid.error(row, class, "initial, transition or end-state")),
        };
        let w = row.get(wacc).number().filter(|v| (0.0..1.0).contains(v));
        out.push(Characteristic {
            technology: grid.required_text(row, technology, "a route name")?,
            region: grid.required_text(row, region, "a region")?,
            year: grid.year(row, year)?,
            lifetime: non_negative(&grid, row, lifetime, "a lifetime in years (>= 0)")?,
            wacc: w.ok_or_else(|| grid.error(row, wacc, "a cost of capital as a fraction (0-1)"))?,
            classification,
            expected_maturity: grid.year(row, maturity)?,
        });
    }
    skip_unused(
        &grid,
        &[technology, region, year, lifetime, wacc, class, maturity, product],
        report,
        "not used by decarb (TRL and capacity factor are empty in the published files)",
    );
    report.read(format!("{}: {} route x region x year rows", grid.at.file.display(), out.len()));
    Ok(out)
}

fn read_assets(dir: &Path, report: &mut ReadReport) -> Result<Vec<Asset>> {
    let grid = grid(dir, FILE_ASSETS)?;
    let region = grid.col("region")?;
    let country = grid.col("country")?;
    let product = grid.col("product")?;
    let technology = grid.col("technology")?;
    let capacity = grid.col("annual_production_capacity")?;
    let year = grid.col("year")?;
    let factor = grid.col("capacity_factor")?;
    let ppa = grid.col("ppa_allowed")?;
    let mut out = Vec::with_capacity(grid.rows.len());
    for row in &grid.rows {
        let ppa_allowed = match Grid::text(row, ppa).to_ascii_uppercase().as_str() {
            "TRUE" => true,
            "FALSE" => false,
            _ => return Err(grid.error(row, ppa, "TRUE or FALSE")),
        };
        let capacity_factor =
            row.get(factor).number().filter(|v| (0.0..=MAX_CAPACITY_FACTOR).contains(v)).ok_or_else(
                || grid.error(row, factor, "a capacity factor between 0 and 1.5 (a share of capacity)"),
            )?;
        out.push(Asset {
            row: row.number,
            region: grid.required_text(row, region, "a region")?,
            country: grid.required_text(row, country, "a country name")?,
            product: grid.required_text(row, product, "a product name")?,
            technology: grid.required_text(row, technology, "a route name")?,
            capacity_mt: non_negative(&grid, row, capacity, "a capacity in Mt per year (>= 0)")?,
            year: grid.year(row, year)?,
            capacity_factor,
            ppa_allowed,
        });
    }
    skip_unused(
        &grid,
        &[region, country, product, technology, capacity, year, factor, ppa],
        report,
        "not used by decarb (short name and coordinates)",
    );
    report.read(format!("{}: {} assets", grid.at.file.display(), out.len()));
    Ok(out)
}

/// Every asset's route and region must have a 2020 emission factor and a characteristics row.
fn check_assets(inputs: &MppAluminiumInputs) -> Result<()> {
    let path = inputs.dir.join(FILE_ASSETS);
    for a in &inputs.assets {
        let at = || Location::file(&path).row(a.row).column("technology");
        if inputs.emission(&a.technology, &a.region, 2020).is_none() {
            return Err(Error::value(
                at(),
                &a.technology,
                format!("a route with a 2020 row for region {:?} in {FILE_EMISSIONS}", a.region),
            ));
        }
        if inputs.characteristic(&a.technology, &a.region, 2020).is_none() {
            return Err(Error::value(
                at(),
                &a.technology,
                format!("a route with a 2020 row for region {:?} in {FILE_CHARACTERISTICS}", a.region),
            ));
        }
    }
    Ok(())
}
