//! `Country Reference.xlsx`: 249 countries with ISO codes and the model's region groupings;
//! `RMI Model Region` is the region the model plans in (11 regions, the same cut as decarb's).

use super::FILE_COUNTRIES;
use super::grid::{Grid, Workbook};
use crate::error::Result;
use crate::read_report::ReadReport;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryReference {
    pub country: String,
    pub iso3: String,
    pub region1: String,
    pub continent: String,
    pub wsa_region: String,
    /// `RMI Model Region`: China, India, NAFTA, Europe, CIS, ... (11 values).
    pub model_region: String,
}

/// The row for a country name as the plant list writes it.
pub fn country<'a>(rows: &'a [CountryReference], name: &str) -> Option<&'a CountryReference> {
    rows.iter().find(|r| r.country.eq_ignore_ascii_case(name.trim()))
}

pub(super) fn read(dir: &Path, report: &mut ReadReport) -> Result<Vec<CountryReference>> {
    let mut book = Workbook::open(&dir.join(FILE_COUNTRIES))?;
    let grid = book.sheet("Sheet1")?;
    let (country, iso, region1, continent, wsa, model) = (
        grid.col("Country")?,
        grid.col("ISO-alpha3 code")?,
        grid.col("Region 1")?,
        grid.col("Continent")?,
        grid.col("WSA Group Region")?,
        grid.col("RMI Model Region")?,
    );
    let mut out = Vec::with_capacity(grid.rows.len());
    for row in &grid.rows {
        out.push(CountryReference {
            country: grid.required_text(row, country, "a country name")?,
            iso3: grid.required_text(row, iso, "an ISO 3166 alpha-3 code")?,
            region1: Grid::text(row, region1),
            continent: Grid::text(row, continent),
            wsa_region: Grid::text(row, wsa),
            model_region: grid.required_text(row, model, "one of the model's 11 regions")?,
        });
    }
    report.read(format!("{FILE_COUNTRIES}: {} countries", out.len()));
    Ok(out)
}

/// The row for an ISO 3166 alpha-3 code.
pub fn country_by_iso3<'a>(rows: &'a [CountryReference], iso3: &str) -> Option<&'a CountryReference> {
    rows.iter().find(|r| r.iso3.eq_ignore_ascii_case(iso3.trim()))
}
