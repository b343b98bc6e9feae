//! `Bio Model.xlsx`: biomass feedstock prices (`Feedstock_Prices`, USD/GJ for 2020/2030/2040/2050
//! by region, price scenario, growth scenario and feedstock) and the biomass available to each
//! sector (`Biomass_constraint`, EJ/yr, Prudent and MaxPotential).

use super::FILE_BIO;
use super::grid::{Grid, Workbook, YearValues};
use crate::error::Result;
use crate::read_report::ReadReport;
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub struct BioPrice {
    pub region: String,
    /// `Low`, `Medium` or `High`.
    pub price_scenario: String,
    pub growth_scenario: String,
    pub feedstock: String,
    pub unit: String,
    pub values: YearValues,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BioConstraint {
    /// `Prudent` or `MaxPotential`.
    pub scenario: String,
    /// `Steel`, `Cement`, `Aviation`...
    pub sector: String,
    /// `EJ` per year.
    pub unit: String,
    pub values: YearValues,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct BioModel {
    pub prices: Vec<BioPrice>,
    pub constraint: Vec<BioConstraint>,
}

pub(super) fn read(dir: &Path, report: &mut ReadReport) -> Result<BioModel> {
    let mut book = Workbook::open(&dir.join(FILE_BIO))?;
    let mut model = BioModel::default();
    let grid = book.sheet("Feedstock_Prices")?;
    let (region, price, growth, feedstock, unit) = (
        grid.col("Region")?,
        grid.col("Price scenario")?,
        grid.col("Growth scenario")?,
        grid.col("Feedstock type")?,
        grid.col("Unit")?,
    );
    let years = grid.year_columns()?;
    for row in &grid.rows {
        model.prices.push(BioPrice {
            region: grid.required_text(row, region, "a region")?,
            price_scenario: grid.required_text(row, price, "Low, Medium or High")?,
            growth_scenario: Grid::text(row, growth),
            feedstock: grid.required_text(row, feedstock, "a feedstock type")?,
            unit: Grid::text(row, unit),
            values: grid.series(row, &years)?,
        });
    }
    let grid = book.sheet("Biomass_constraint")?;
    let (scenario, sector, unit) = (grid.col("Scenario")?, grid.col("Sector")?, grid.col("Unit")?);
    let years = grid.year_columns()?;
    for row in &grid.rows {
        model.constraint.push(BioConstraint {
            scenario: grid.required_text(row, scenario, "Prudent or MaxPotential")?,
            sector: grid.required_text(row, sector, "a sector")?,
            unit: Grid::text(row, unit),
            values: grid.series(row, &years)?,
        });
    }
    report.read(format!(
        "{FILE_BIO}: Feedstock_Prices {}, Biomass_constraint {} rows",
        model.prices.len(),
        model.constraint.len()
    ));
    Ok(model)
}
