//! `H2 Model.xlsx`, sheet `Prices`: hydrogen prices, USD/kg, by region, production set-up (eight:
//! on-site or utility plant x dedicated VRE, grid, PPA, VRE + balancing) and cost case. The
//! `Emissions` sheet is not read (see the report): every set-up the model's scenarios use is
//! dedicated VRE, with a factor of 0.

use super::FILE_H2;
use super::grid::{Grid, Workbook, YearValues};
use crate::error::Result;
use crate::read_report::ReadReport;
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub struct HydrogenPrice {
    /// The H2 model's region (`EU`, `US`, `China`...).
    pub region: String,
    /// `Utility plant, dedicated VREs` and seven others.
    pub production: String,
    /// `Min`, `Baseline` or `Max`.
    pub cost_scenario: String,
    pub unit: String,
    pub values: YearValues,
}

pub(super) fn read(dir: &Path, report: &mut ReadReport) -> Result<Vec<HydrogenPrice>> {
    let mut book = Workbook::open(&dir.join(FILE_H2))?;
    let grid = book.sheet("Prices")?;
    let (region, production, cost, unit) = (
        grid.col("Region")?,
        grid.col("Production scenario")?,
        grid.col("Cost scenario")?,
        grid.col("Unit")?,
    );
    let years = grid.year_columns()?;
    let mut out = Vec::with_capacity(grid.rows.len());
    for row in &grid.rows {
        out.push(HydrogenPrice {
            region: grid.required_text(row, region, "a region")?,
            production: grid.required_text(row, production, "a production set-up")?,
            cost_scenario: grid.required_text(row, cost, "Min, Baseline or Max")?,
            unit: Grid::text(row, unit),
            values: grid.series(row, &years)?,
        });
    }
    if book.has_sheet("Emissions") {
        report.skip(
            crate::error::Location::file(&dir.join(FILE_H2)).sheet("Emissions"),
            "not read: decarb counts purchased hydrogen at zero scope 1, as the model does for its dedicated-VRE set-up",
        );
    }
    report.read(format!("{FILE_H2} (sheet \"Prices\"): {} series", out.len()));
    Ok(out)
}
