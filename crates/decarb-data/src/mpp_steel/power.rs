//! `Power Model.xlsx`: grid electricity prices (`GridPrice`, USD/MWh), grid emission factors
//! (`GridEmissions`, t CO2/MWh) and renewable PPA prices (`RESPrice`), each by region, customer
//! (Commercial / Industry / Transportation), grid scenario (BAU / Decarbonized) and cost case
//! (Min / Baseline / Max).

use super::FILE_POWER;
use super::grid::{Grid, Workbook, YearValues};
use crate::error::Result;
use crate::read_report::ReadReport;
use std::path::Path;

/// One series of the power model.
#[derive(Debug, Clone, PartialEq)]
pub struct PowerSeries {
    /// For `RESPrice`, the captive power source (`Price of solar`); empty for the grid sheets.
    pub source: String,
    /// The power model's region (`EU`, `US`, `Japan_SthKorea_Taiwan`...).
    pub region: String,
    pub customer: String,
    pub grid_scenario: String,
    pub cost_scenario: String,
    pub unit: String,
    pub values: YearValues,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PowerModel {
    pub grid_price: Vec<PowerSeries>,
    pub grid_emissions: Vec<PowerSeries>,
    pub res_price: Vec<PowerSeries>,
}

impl PowerModel {
    /// The series of `sheet_rows` for region, customer, grid scenario and cost case.
    pub fn find<'a>(
        rows: &'a [PowerSeries],
        region: &str,
        customer: &str,
        grid_scenario: &str,
        cost_scenario: &str,
    ) -> Option<&'a PowerSeries> {
        rows.iter().find(|s| {
            s.region == region
                && s.customer == customer
                && s.grid_scenario == grid_scenario
                && s.cost_scenario == cost_scenario
        })
    }
}

/// Reads one sheet; `with_source` marks `RESPrice`, whose captive-power rows have empty years
/// (kept out of the series and counted in the report).
fn read_sheet(
    book: &mut Workbook,
    name: &str,
    with_source: bool,
    report: &mut ReadReport,
) -> Result<Vec<PowerSeries>> {
    let grid = book.sheet(name)?;
    let source = if with_source { Some(grid.col("Captive power source")?) } else { None };
    let (region, customer, grid_scenario, cost, unit) = (
        grid.col("Region")?,
        grid.col("Customer")?,
        grid.col("Grid scenario")?,
        grid.col("Cost scenario")?,
        grid.col("Unit")?,
    );
    let years = grid.year_columns()?;
    let mut out = Vec::with_capacity(grid.rows.len());
    let mut gaps = 0;
    for row in &grid.rows {
        let values = if with_source {
            let (values, missing) = grid.sparse_series(row, &years)?;
            gaps += missing;
            values
        } else {
            grid.series(row, &years)?
        };
        out.push(PowerSeries {
            source: source.map(|c| Grid::text(row, c)).unwrap_or_default(),
            region: grid.required_text(row, region, "a region")?,
            customer: grid.required_text(row, customer, "Commercial, Industry or Transportation")?,
            grid_scenario: grid.required_text(row, grid_scenario, "BAU or Decarbonized")?,
            cost_scenario: grid.required_text(row, cost, "Min, Baseline or Max")?,
            unit: Grid::text(row, unit),
            values,
        });
    }
    if gaps > 0 {
        report.skip(grid.at.clone(), &format!("{gaps} empty year cells left out of the series (decarb's steel routes use grid power, not these PPA prices)"));
    }
    Ok(out)
}

pub(super) fn read(dir: &Path, report: &mut ReadReport) -> Result<PowerModel> {
    let mut book = Workbook::open(&dir.join(FILE_POWER))?;
    let model = PowerModel {
        grid_price: read_sheet(&mut book, "GridPrice", false, report)?,
        grid_emissions: read_sheet(&mut book, "GridEmissions", false, report)?,
        res_price: read_sheet(&mut book, "RESPrice", true, report)?,
    };
    report.read(format!(
        "{FILE_POWER}: GridPrice {}, GridEmissions {}, RESPrice {} series",
        model.grid_price.len(),
        model.grid_emissions.len(),
        model.res_price.len()
    ));
    Ok(model)
}
