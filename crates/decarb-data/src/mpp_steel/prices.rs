//! Prices and factors that are not models of their own: `Fossil Fuel Model.csv` (gas and coal by
//! region, BAU and Decarbonized), `Feedstock Prices.xlsx` (iron ore, scrap, DRI, coal, slag; EUR),
//! `Energy Prices - Static.xlsx` (internal gases and steam, USD/GJ), `Scope 1 Emissions
//! Factors.xlsx` (kg CO2/GJ by fuel) and `CO2 CCU Capacity.csv` (the CO2-use market, Mt/yr).

use super::grid::{Grid, Workbook, YearValues, csv_file};
use super::{FILE_CCU, FILE_FEEDSTOCK, FILE_FOSSIL, FILE_SCOPE1, FILE_STATIC_ENERGY};
use crate::error::Result;
use crate::read_report::ReadReport;
use std::path::Path;

/// One row of `Fossil Fuel Model.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct FossilFuelPrice {
    /// The model's fossil-fuel region (`Europe`, `Rest of Asia and Pacific`, `Australasia/Oceania`).
    pub region: String,
    /// `Natural gas` or `Coal`.
    pub variable: String,
    /// `BAU` or `Decarbonized` (the model's "low" fossil-fuel scenario).
    pub scenario: String,
    /// `USD/MMBTu` (gas) or `USD/t` (coal).
    pub unit: String,
    pub values: YearValues,
}

/// A single value per year and metric, as in the static workbooks.
#[derive(Debug, Clone, PartialEq)]
pub struct StaticValue {
    pub year: i32,
    pub metric: String,
    pub unit: String,
    pub value: f64,
}

/// Finds the value of `metric` for `year` (or the latest earlier year given).
pub fn static_value(values: &[StaticValue], metric: &str, year: i32) -> Option<f64> {
    values
        .iter()
        .filter(|v| v.metric.eq_ignore_ascii_case(metric) && v.year <= year)
        .max_by_key(|v| v.year)
        .map(|v| v.value)
}

pub(super) fn read_fossil(dir: &Path, report: &mut ReadReport) -> Result<Vec<FossilFuelPrice>> {
    let grid = csv_file(dir, FILE_FOSSIL)?;
    let (region, variable, scenario, unit) =
        (grid.col("Region")?, grid.col("Variable")?, grid.col("Scenario")?, grid.col("Unit")?);
    let years = grid.year_columns()?;
    let mut out = Vec::new();
    for row in &grid.rows {
        out.push(FossilFuelPrice {
            region: grid.required_text(row, region, "a region")?,
            variable: grid.required_text(row, variable, "Natural gas or Coal")?,
            scenario: grid.required_text(row, scenario, "BAU or Decarbonized")?,
            unit: grid.required_text(row, unit, "a unit such as USD/MMBTu")?,
            values: grid.series(row, &years)?,
        });
    }
    report.read(format!("{FILE_FOSSIL}: {} series", out.len()));
    Ok(out)
}

/// A workbook of `Year`, `Metric`, `Unit`, `Value` rows on its first sheet.
fn read_static(dir: &Path, file: &str, sheet: &str, report: &mut ReadReport) -> Result<Vec<StaticValue>> {
    let mut book = Workbook::open(&dir.join(file))?;
    let grid = book.sheet(sheet)?;
    let (year, metric, unit, value) =
        (grid.col("Year")?, grid.col("Metric")?, grid.col("Unit")?, grid.col("Value")?);
    let mut out = Vec::new();
    for row in &grid.rows {
        out.push(StaticValue {
            year: grid.year(row, year)?,
            metric: grid.required_text(row, metric, "a metric name")?,
            unit: Grid::text(row, unit),
            value: grid.number(row, value)?,
        });
    }
    report.read(format!("{file} (sheet {sheet:?}): {} values", out.len()));
    Ok(out)
}

pub(super) fn read_feedstock(dir: &Path, report: &mut ReadReport) -> Result<Vec<StaticValue>> {
    read_static(dir, FILE_FEEDSTOCK, "Sheet1", report)
}

pub(super) fn read_static_energy(dir: &Path, report: &mut ReadReport) -> Result<Vec<StaticValue>> {
    read_static(dir, FILE_STATIC_ENERGY, "Sheet1", report)
}

pub(super) fn read_scope1(dir: &Path, report: &mut ReadReport) -> Result<Vec<StaticValue>> {
    read_static(dir, FILE_SCOPE1, "Sheet1", report)
}

/// `CO2 CCU Capacity.csv`: Mt CO2 per year that steel may sell for use.
pub(super) fn read_ccu(dir: &Path, report: &mut ReadReport) -> Result<YearValues> {
    let grid = csv_file(dir, FILE_CCU)?;
    let (year, value) = (grid.col("Year")?, grid.col("Value")?);
    let mut out = YearValues::new();
    for row in &grid.rows {
        out.insert(grid.year(row, year)?, grid.number(row, value)?);
    }
    let missing: Vec<String> =
        super::MODEL_YEARS.filter(|y| !out.contains_key(y)).map(|y| y.to_string()).collect();
    if !missing.is_empty() {
        return Err(crate::error::Error::value(
            grid.at.clone().column("Year"),
            &format!("no row for {}", missing.join(", ")),
            "a row for every year 2020-2050 (the file may be cut short)",
        ));
    }
    report.read(format!("{FILE_CCU}: {} years", out.len()));
    Ok(out)
}
