//! The input folder of the Mission Possible Partnership ammonia model (`ammonia/data/lc/def/
//! intermediate/` of `missionpossiblepartnership/mpp-shared-code`, as copied into the shared
//! folder `mpp-shared-code/ammonia/`), read exactly as published: CSVs, some with a byte-order
//! mark; any file may also be given gzipped (`technology_characteristics.csv.gz`, as in
//! `ammonia-inputs-lc-def/`).
//!
//! [`read_inputs`] reads every file the model's decisions depend on and returns typed tables in
//! the source's own units and names ([`MppAmmoniaInputs`]); turning them into engine inputs is
//! `decarb_scenario::mpp_ammonia`'s job. Missing or malformed data is an [`Error`] naming the
//! file, row, column, the value found and what was expected; files decarb does not use are
//! listed in [`ReadReport::skipped`] with the reason. [`read_outputs`] reads a run of the model
//! (`model_outputs/<run>_emissions_trajectory.csv` and `_technology_roadmap.csv`).
//!
//! Folder layout: `DIR` is the folder holding `inputs_outputs_wide.csv` and the emissions file
//! (the shared `mpp-shared-code/ammonia/`). `ammonia-inputs-lc-def/` alone is not enough: it
//! lacks both (the reader says so and names the file).
//!
//! Units: capacities and volumes Mt of product per year (Ammonia, Urea, Ammonium nitrate);
//! costs USD per t of product (per t/yr for capex); energy GJ per t of product; emissions t CO2
//! per t of product; demand Mt of product; CO2 storage Mt CO2 added per year; electrolysis GW
//! added per year.

// An `Error` carries the whole location; it is made once per failed import.
#![allow(clippy::result_large_err)]

use crate::error::{Error, Location, Result};
use crate::mpp_steel::YearValues;
use crate::mpp_steel::grid::{Grid, plain_or_gz};
use crate::read_report::ReadReport;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_STACK: &str = "initial_asset_stack.csv";
pub const FILE_INPUTS_OUTPUTS: &str = "inputs_outputs_wide.csv";
pub const FILE_CHARACTERISTICS: &str = "technology_characteristics.csv";
pub const FILE_EMISSIONS: &str = "emissions_bau_def_1f173cf.csv";
/// The same file as named in the model's repository.
pub const FILE_EMISSIONS_ALT: &str = "emissions.csv";
pub const FILE_DEMAND: &str = "demand.csv";
pub const FILE_CO2_STORAGE: &str = "co2_storage_constraint.csv";
pub const FILE_ELECTROLYSIS: &str = "electrolysis_capacity_addition_constraint.csv";
/// Files of the folder decarb does not read, with the reason (listed in the report when present).
pub const FILES_NOT_USED: [(&str, &str); 7] = [
    (
        "demand_bau.csv",
        "demand of the model's BAU pathway; the bundled scenario runs the least-cost (NZ demand) pathway",
    ),
    ("demand_fa.csv", "demand of the model's fastest-abatement pathway (NZ+Circular)"),
    (
        "project_pipeline.csv",
        "announced projects the model forces in; decarb builds only by its own decisions",
    ),
    (
        "regional_production_constraint.csv",
        "regional minimum production shares; decarb plans each region against its own demand",
    ),
    ("solar_capex.csv", "already inside the dedicated-VRE routes' capex and opex of inputs_outputs_wide.csv"),
    ("wind_capex.csv", "already inside the dedicated-VRE routes' capex and opex of inputs_outputs_wide.csv"),
    ("demand_by_driver.csv", "demand split by driver; demand.csv gives the totals the model uses"),
];

/// The model's products and t NH3 per t of each (`config_ammonia.py`: `AMMONIA_PER_UREA`
/// 0.565724, `AMMONIA_PER_AMMONIUM_NITRATE` 0.425534).
pub const PRODUCTS: [(&str, f64); 3] =
    [("Ammonia", 1.0), ("Urea", 0.565_724), ("Ammonium nitrate", 0.425_534)];

/// t NH3-equivalent per t of a product, `None` for an unknown product.
pub fn nh3_per_tonne(product: &str) -> Option<f64> {
    PRODUCTS.iter().find(|(p, _)| p.eq_ignore_ascii_case(product)).map(|(_, f)| *f)
}

/// One row of `initial_asset_stack.csv`: the 2020 stack of one product, region and route.
#[derive(Debug, Clone, PartialEq)]
pub struct StackRow {
    pub row: usize,
    pub product: String,
    pub region: String,
    pub technology: String,
    /// Mt of product per year.
    pub capacity: f64,
    /// Mt of product in 2020.
    pub volume: f64,
    pub average_age: f64,
}

/// One row of `inputs_outputs_wide.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct InputOutput {
    pub product: String,
    pub region: String,
    pub technology: String,
    /// `Cost`, `Energy`, `Raw material`, `H2 storage`.
    pub group: String,
    /// `Variable OPEX`, `Natural gas`, `Electricity - PPA`...
    pub parameter: String,
    pub unit: String,
    pub values: YearValues,
}

/// Scope 1 factors of one product and route (`emissions_bau_def_1f173cf.csv`, 2020 rows; the
/// file gives the same factors in every region and year).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Scope1 {
    /// `scope1_pre_ccs`, t CO2 per t of product.
    pub before_capture: f64,
    /// `co2_scope1_captured`.
    pub captured: f64,
    /// `co2_scope1`: after capture.
    pub after_capture: f64,
}

/// A route's characteristics (`technology_characteristics.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct Characteristics {
    /// `expected_maturity`: first year the route may be chosen.
    pub from: i32,
    pub lifetime: f64,
    pub wacc: f64,
    /// `initial`, `transition` or `end-state`.
    pub classification: String,
}

/// One row of `demand.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandRow {
    pub product: String,
    pub scenario: String,
    pub region: String,
    pub year: i32,
    /// Mt of product.
    pub value: f64,
}

/// Every input of the MPP ammonia model that decarb uses, in the source's units.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MppAmmoniaInputs {
    pub dir: PathBuf,
    pub stack: Vec<StackRow>,
    pub inputs_outputs: Vec<InputOutput>,
    /// Rows of `inputs_outputs` by (product, region, technology, parameter), for lookups.
    pub by_parameter: BTreeMap<(String, String, String, String), Vec<usize>>,
    /// By (product, technology).
    pub scope1: BTreeMap<(String, String), Scope1>,
    /// `co2_scope2` of the `Ammonia` rows by (technology, region), t CO2 per t NH3 by year.
    pub scope2: BTreeMap<(String, String), YearValues>,
    /// By technology (the Ammonia rows, region Europe, 2020).
    pub characteristics: BTreeMap<String, Characteristics>,
    pub demand: Vec<DemandRow>,
    /// Mt CO2 of storage the model lets the sector add each year (`Midpoint`, Global).
    pub co2_storage_additions: YearValues,
    /// GW of electrolysers the model lets the sector add each year (Global).
    pub electrolysis_additions: YearValues,
    pub report: ReadReport,
}

impl MppAmmoniaInputs {
    fn rows(
        &self,
        product: &str,
        region: &str,
        technology: &str,
        parameter: &str,
    ) -> impl Iterator<Item = &InputOutput> {
        let key = (product.to_owned(), region.to_owned(), technology.to_owned(), parameter.to_owned());
        self.by_parameter.get(&key).into_iter().flatten().map(|&i| &self.inputs_outputs[i])
    }

    /// The series of one product, region, route and parameter of `inputs_outputs_wide.csv`.
    pub fn series(
        &self,
        product: &str,
        region: &str,
        technology: &str,
        parameter: &str,
    ) -> Option<&YearValues> {
        self.rows(product, region, technology, parameter).next().map(|r| &r.values)
    }

    /// The sum of a parameter's rows over its groups (`Natural gas` is both energy and raw
    /// material) for one product, region and route in `year`, GJ (or t) per t of product.
    pub fn quantity(&self, product: &str, region: &str, technology: &str, parameter: &str, year: i32) -> f64 {
        self.rows(product, region, technology, parameter)
            .filter(|r| r.group != "Cost")
            .filter_map(|r| r.values.get(&year))
            .sum()
    }

    /// World demand in t NH3-equivalent of a demand scenario (`NZ`), by year: the `Global` rows
    /// of every product times its NH3 content.
    pub fn world_demand_nh3(&self, scenario: &str) -> YearValues {
        let mut out = YearValues::new();
        for row in self.demand.iter().filter(|r| r.scenario == scenario && r.region == "Global") {
            if let Some(f) = nh3_per_tonne(&row.product) {
                *out.entry(row.year).or_default() += row.value * f * 1e6;
            }
        }
        out
    }

    /// Scope 1 factors of a route per t NH3: the `Ammonia` rows. decarb counts every product in t
    /// NH3-equivalent and uses these for all of them: the model's reference run reports 2020
    /// scope 1 consistent with its roadmap x these factors (424 vs 433 Mt), not with the urea and
    /// ammonium-nitrate rows (which would give about 320 Mt).
    pub fn factors(&self, technology: &str) -> Option<Scope1> {
        self.scope1.get(&("Ammonia".to_owned(), technology.to_owned())).copied()
    }

    /// The 2020 stack's production volume, t NH3-equivalent.
    pub fn stack_volume_nh3(&self) -> f64 {
        self.stack.iter().map(|r| r.volume * 1e6 * nh3_per_tonne(&r.product).unwrap_or(0.0)).sum()
    }
}

/// Finds `name` or `name.gz` in the folder and parses it; a missing file is an error naming it.
fn grid(dir: &Path, names: &[&str]) -> Result<Grid> {
    grid_where(dir, names, &|_, _| true)
}

/// The value of `column` in a raw CSV record (empty when absent).
fn field<'a>(header: &[String], record: &'a csv::StringRecord, column: &str) -> &'a str {
    header.iter().position(|h| h == column).and_then(|i| record.get(i)).map_or("", str::trim)
}

/// As [`grid`], keeping only the rows `keep` accepts.
fn grid_where(
    dir: &Path,
    names: &[&str],
    keep: &dyn Fn(&[String], &csv::StringRecord) -> bool,
) -> Result<Grid> {
    if let Some(path) = names.iter().find_map(|name| plain_or_gz(dir, name)) {
        return Grid::csv_where(&path, keep);
    }
    let hint = if names.contains(&FILE_INPUTS_OUTPUTS) || names.contains(&FILE_EMISSIONS) {
        " (ammonia-inputs-lc-def/ lacks it: give the folder mpp-shared-code/ammonia/)"
    } else {
        ""
    };
    Err(Error::format(
        Location::file(&dir.join(names[0])),
        format!("file not found in the MPP ammonia input folder (nor {}.gz){hint}", names[0]),
    ))
}

fn product(grid: &Grid, row: &crate::mpp_steel::grid::Row, col: usize) -> Result<String> {
    let text = grid.required_text(row, col, "Ammonia, Urea or Ammonium nitrate")?;
    if nh3_per_tonne(&text).is_none() && text != "All" {
        return Err(grid.error(row, col, "Ammonia, Urea or Ammonium nitrate"));
    }
    Ok(text)
}

fn non_negative(grid: &Grid, row: &crate::mpp_steel::grid::Row, col: usize, what: &str) -> Result<f64> {
    let v = grid.number(row, col)?;
    if v < 0.0 {
        return Err(grid.error(row, col, what));
    }
    Ok(v)
}

fn read_stack(dir: &Path, report: &mut ReadReport) -> Result<Vec<StackRow>> {
    let g = grid(dir, &[FILE_STACK])?;
    let cols = [
        "product",
        "region",
        "technology",
        "annual_production_capacity",
        "annual_production_volume",
        "average_age",
    ]
    .iter()
    .map(|c| g.col(c))
    .collect::<Result<Vec<_>>>()?;
    let [product_c, region, technology, capacity, volume, age] = cols[..] else {
        unreachable!("six columns")
    };
    let mut out = Vec::new();
    for row in &g.rows {
        let p = product(&g, row, product_c)?;
        out.push(StackRow {
            row: row.number,
            product: p,
            region: g.required_text(row, region, "a region")?,
            technology: g.required_text(row, technology, "a technology name")?,
            capacity: non_negative(&g, row, capacity, "a capacity in Mt per year, 0 or more")?,
            volume: non_negative(&g, row, volume, "a production volume in Mt, 0 or more")?,
            average_age: non_negative(&g, row, age, "an average age in years, 0 or more")?,
        });
    }
    if out.is_empty() {
        return Err(Error::format(g.at.clone(), "no rows: expected the 2020 asset stack"));
    }
    report.read(format!("{FILE_STACK}: {} rows", out.len()));
    Ok(out)
}

fn read_inputs_outputs(dir: &Path, report: &mut ReadReport) -> Result<Vec<InputOutput>> {
    let g = grid(dir, &[FILE_INPUTS_OUTPUTS])?;
    let cols = ["product", "region", "technology", "parameter_group", "parameter", "unit"]
        .iter()
        .map(|c| g.col(c))
        .collect::<Result<Vec<_>>>()?;
    let [product_c, region, technology, group, parameter, unit] = cols[..] else {
        unreachable!("six columns")
    };
    let years = g.year_columns()?;
    let mut out = Vec::with_capacity(g.rows.len());
    for row in &g.rows {
        out.push(InputOutput {
            product: product(&g, row, product_c)?,
            region: g.required_text(row, region, "a region")?,
            technology: g.required_text(row, technology, "a technology name")?,
            group: g.required_text(row, group, "a parameter group such as Cost")?,
            parameter: g.required_text(row, parameter, "a parameter such as Variable OPEX")?,
            unit: Grid::text(row, unit),
            values: g.series(row, &years)?,
        });
    }
    report.read(format!("{FILE_INPUTS_OUTPUTS}: {} rows", out.len()));
    Ok(out)
}

/// Scope 1 factors by (product, technology) and scope 2 of the Ammonia rows by (technology,
/// region) and year.
type Emissions = (BTreeMap<(String, String), Scope1>, BTreeMap<(String, String), YearValues>);

fn read_emissions(dir: &Path, report: &mut ReadReport) -> Result<Emissions> {
    // Only the Ammonia rows (scope 2 by region and year) and the 2020 Europe rows (scope 1) are
    // used: the other rows are not turned into cells.
    let g = grid_where(dir, &[FILE_EMISSIONS, FILE_EMISSIONS_ALT], &|header, record| {
        field(header, record, "product") == "Ammonia"
            || (field(header, record, "year") == "2020" && field(header, record, "region") == "Europe")
    })?;
    let cols = [
        "product",
        "technology",
        "year",
        "region",
        "scope1_pre_ccs",
        "co2_scope1",
        "co2_scope1_captured",
        "co2_scope2",
    ]
    .iter()
    .map(|c| g.col(c))
    .collect::<Result<Vec<_>>>()?;
    let [product_c, technology, year, region, before, after, captured, scope2_c] = cols[..] else {
        unreachable!("eight columns")
    };
    let mut out = BTreeMap::new();
    let mut scope2: BTreeMap<(String, String), YearValues> = BTreeMap::new();
    for row in &g.rows {
        let is_ammonia = row.get(product_c).text() == "Ammonia";
        if is_ammonia {
            let key = (
                g.required_text(row, technology, "a technology name")?,
                g.required_text(row, region, "a region")?,
            );
            scope2.entry(key).or_default().insert(g.year(row, year)?, g.number(row, scope2_c)?);
        }
        // The scope 1 factors are the same in every region and year: the 2020 Europe rows stand
        // for all.
        if row.get(year).text() != "2020" || row.get(region).text() != "Europe" {
            continue;
        }
        let key = (product(&g, row, product_c)?, g.required_text(row, technology, "a technology name")?);
        out.insert(
            key,
            Scope1 {
                before_capture: g.number(row, before)?,
                captured: g.number(row, captured)?,
                after_capture: g.number(row, after)?,
            },
        );
    }
    if out.is_empty() {
        return Err(Error::format(
            g.at.clone().column("year"),
            "no rows for 2020 in region Europe: expected the model's emission factors",
        ));
    }
    report.read(format!(
        "{}: scope 1 of {} product x route pairs (2020, Europe rows), scope 2 of the Ammonia rows",
        g.at.file.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        out.len()
    ));
    Ok((out, scope2))
}

fn read_characteristics(dir: &Path, report: &mut ReadReport) -> Result<BTreeMap<String, Characteristics>> {
    let g = grid_where(dir, &[FILE_CHARACTERISTICS], &|header, record| {
        field(header, record, "year") == "2020" && field(header, record, "region") == "Europe"
    })?;
    let cols = [
        "product",
        "year",
        "region",
        "technology",
        "expected_maturity",
        "wacc",
        "technology_lifetime",
        "technology_classification",
    ]
    .iter()
    .map(|c| g.col(c))
    .collect::<Result<Vec<_>>>()?;
    let [product_c, year, region, technology, maturity, wacc, lifetime, class] = cols[..] else {
        unreachable!("eight columns")
    };
    let mut out = BTreeMap::new();
    for row in &g.rows {
        if row.get(year).text() != "2020" || row.get(region).text() != "Europe" {
            continue;
        }
        let tech = g.required_text(row, technology, "a technology name")?;
        if out.contains_key(&tech) && row.get(product_c).text() != "Ammonia" {
            continue;
        }
        let classification = g.required_text(row, class, "initial, transition or end-state")?;
        // `Waste Water to ammonium nitrate` has 0 everywhere: not a route the model ranks.
        if classification == "0" {
            continue;
        }
        if !["initial", "transition", "end-state"].contains(&classification.as_str()) {
            return Err(g.error(row, class, "initial, transition or end-state"));
        }
        out.insert(
            tech,
            Characteristics {
                from: g.year(row, maturity)?,
                lifetime: non_negative(&g, row, lifetime, "a lifetime in years")?,
                wacc: non_negative(&g, row, wacc, "a WACC such as 0.08")?,
                classification,
            },
        );
    }
    report.read(format!("{FILE_CHARACTERISTICS}: {} routes (2020, Europe rows)", out.len()));
    Ok(out)
}

fn read_demand(dir: &Path, report: &mut ReadReport) -> Result<Vec<DemandRow>> {
    let g = grid(dir, &[FILE_DEMAND])?;
    let cols = ["product", "scenario", "region", "year", "value"]
        .iter()
        .map(|c| g.col(c))
        .collect::<Result<Vec<_>>>()?;
    let [product_c, scenario, region, year, value] = cols[..] else { unreachable!("five columns") };
    let mut out = Vec::with_capacity(g.rows.len());
    for row in &g.rows {
        out.push(DemandRow {
            product: product(&g, row, product_c)?,
            scenario: g.required_text(row, scenario, "a demand scenario such as NZ")?,
            region: g.required_text(row, region, "a region or Global")?,
            year: g.year(row, year)?,
            value: non_negative(&g, row, value, "a demand in Mt, 0 or more")?,
        });
    }
    if !out.iter().any(|d| d.region == "Global") {
        return Err(Error::format(g.at.clone().column("region"), "no Global rows: expected world demand"));
    }
    report.read(format!("{FILE_DEMAND}: {} rows", out.len()));
    Ok(out)
}

/// A yearly global constraint file: `year` and `value` of its `Global` rows.
fn read_constraint(dir: &Path, file: &str, report: &mut ReadReport) -> Result<YearValues> {
    let g = grid(dir, &[file])?;
    let (region, year, value) = (g.col("region")?, g.col("year")?, g.col("value")?);
    let mut out = YearValues::new();
    for row in &g.rows {
        if row.get(region).text() != "Global" {
            continue;
        }
        out.insert(g.year(row, year)?, non_negative(&g, row, value, "a non-negative number")?);
    }
    let missing: Vec<String> =
        (2020..=2050).filter(|y| !out.contains_key(y)).map(|y| y.to_string()).collect();
    if !missing.is_empty() {
        return Err(Error::value(
            g.at.clone().column("year"),
            &format!("no Global row for {}", missing.join(", ")),
            "a Global row for every year 2020-2050",
        ));
    }
    report.read(format!("{file}: {} years", out.len()));
    Ok(out)
}

/// Reads the MPP ammonia input folder.
pub fn read_inputs(dir: &Path) -> Result<MppAmmoniaInputs> {
    if !dir.is_dir() {
        return Err(Error::format(
            Location::file(dir),
            "not a folder: expected the MPP ammonia input folder (mpp-shared-code/ammonia)",
        ));
    }
    let mut report = ReadReport::new("MPP ammonia", "files");
    let stack = read_stack(dir, &mut report)?;
    let inputs_outputs = read_inputs_outputs(dir, &mut report)?;
    let mut by_parameter: BTreeMap<_, Vec<usize>> = BTreeMap::new();
    for (i, r) in inputs_outputs.iter().enumerate() {
        let key = (r.product.clone(), r.region.clone(), r.technology.clone(), r.parameter.clone());
        by_parameter.entry(key).or_default().push(i);
    }
    let (scope1, scope2) = read_emissions(dir, &mut report)?;
    let characteristics = read_characteristics(dir, &mut report)?;
    for row in &stack {
        if !characteristics.contains_key(&row.technology) {
            return Err(Error::value(
                Location::file(&dir.join(FILE_STACK)).row(row.row).column("technology"),
                &row.technology,
                format!("a route of {FILE_CHARACTERISTICS}"),
            ));
        }
    }
    let demand = read_demand(dir, &mut report)?;
    let co2_storage_additions = read_constraint(dir, FILE_CO2_STORAGE, &mut report)?;
    let electrolysis_additions = read_constraint(dir, FILE_ELECTROLYSIS, &mut report)?;
    for (file, reason) in FILES_NOT_USED {
        let path = dir.join(file);
        if path.is_file() {
            report.skip(Location::file(&path), reason);
        }
    }
    Ok(MppAmmoniaInputs {
        dir: dir.to_path_buf(),
        stack,
        inputs_outputs,
        by_parameter,
        scope1,
        scope2,
        characteristics,
        demand,
        co2_storage_additions,
        electrolysis_additions,
        report,
    })
}

/// A run of the MPP ammonia model: the emissions trajectory (Mt by variable and year) and the
/// technology roadmap (Mt NH3-eq by route and year).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MppAmmoniaRun {
    /// The run's file stem, such as `lc_ng_partial_cc200`.
    pub name: String,
    pub emissions: BTreeMap<String, YearValues>,
    pub roadmap: BTreeMap<String, YearValues>,
}

impl MppAmmoniaRun {
    /// `emissions_co2_scope1` in a year, Mt.
    pub fn scope1(&self, year: i32) -> f64 {
        self.emissions.get("emissions_co2_scope1").and_then(|v| v.get(&year)).copied().unwrap_or(0.0)
    }
    /// Production (the roadmap's sum over routes) in a year, Mt NH3-eq.
    pub fn production(&self, year: i32) -> f64 {
        self.roadmap.values().filter_map(|v| v.get(&year)).sum()
    }
}

fn named_rows(path: &Path, key: &str) -> Result<BTreeMap<String, YearValues>> {
    if !path.is_file() {
        return Err(Error::format(Location::file(path), "file not found"));
    }
    let g = Grid::csv(path)?;
    let col = g.col(key)?;
    let years = g.year_columns()?;
    let mut out = BTreeMap::new();
    for row in &g.rows {
        out.insert(g.required_text(row, col, key)?, g.series(row, &years)?);
    }
    Ok(out)
}

/// Reads a model run from its emissions trajectory file (`..._emissions_trajectory.csv`) and the
/// technology roadmap beside it (`..._technology_roadmap.csv`).
pub fn read_outputs(emissions_file: &Path) -> Result<MppAmmoniaRun> {
    const SUFFIX: &str = "_emissions_trajectory.csv";
    let name = emissions_file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let Some(stem) = name.strip_suffix(SUFFIX) else {
        return Err(Error::format(
            Location::file(emissions_file),
            format!("expected a file named <run>{SUFFIX}, such as lc_ng_partial_cc200{SUFFIX}"),
        ));
    };
    let emissions = named_rows(emissions_file, "variable")?;
    if !emissions.contains_key("emissions_co2_scope1") {
        return Err(Error::format(
            Location::file(emissions_file).column("variable"),
            "no emissions_co2_scope1 row",
        ));
    }
    let roadmap =
        named_rows(&emissions_file.with_file_name(format!("{stem}_technology_roadmap.csv")), "technology")?;
    Ok(MppAmmoniaRun { name: stem.to_owned(), emissions, roadmap })
}
