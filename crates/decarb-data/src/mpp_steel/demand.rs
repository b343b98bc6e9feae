//! `Regional Steel Demand.csv` (crude steel demand and scrap availability, Mt, by the model's 11
//! regions and World, BAU and High Circ, 2020-2050) and `WSA Production 2020.csv` (worldsteel
//! crude steel production 2020 by region, Mt).

use super::grid::{YearValues, csv_file};
use super::{FILE_DEMAND, FILE_WSA};
use crate::error::Result;
use crate::read_report::ReadReport;
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub struct DemandSeries {
    /// `Crude steel demand` or `Scrap availability`.
    pub metric: String,
    /// One of the model's regions, or `World`.
    pub region: String,
    /// `BAU` or `High Circ`.
    pub scenario: String,
    /// Mt per year.
    pub values: YearValues,
}

/// Finds the series of one metric, region and scenario.
pub fn demand_series<'a>(
    rows: &'a [DemandSeries],
    metric: &str,
    region: &str,
    scenario: &str,
) -> Option<&'a DemandSeries> {
    rows.iter().find(|r| {
        r.metric.eq_ignore_ascii_case(metric)
            && r.region.eq_ignore_ascii_case(region)
            && r.scenario.eq_ignore_ascii_case(scenario)
    })
}

#[derive(Debug, Clone, PartialEq)]
pub struct WsaProduction {
    pub region: String,
    /// Mt crude steel in 2020.
    pub production: f64,
}

pub(super) fn read_demand(dir: &Path, report: &mut ReadReport) -> Result<Vec<DemandSeries>> {
    let grid = csv_file(dir, FILE_DEMAND)?;
    let (metric, region, scenario) = (grid.col("Metric")?, grid.col("Region")?, grid.col("Scenario")?);
    let years = grid.year_columns()?;
    let mut out = Vec::new();
    for row in &grid.rows {
        out.push(DemandSeries {
            metric: grid.required_text(row, metric, "Crude steel demand or Scrap availability")?,
            region: grid.required_text(row, region, "a region")?,
            scenario: grid.required_text(row, scenario, "BAU or High Circ")?,
            values: grid.series(row, &years)?,
        });
    }
    report.read(format!("{FILE_DEMAND}: {} series", out.len()));
    Ok(out)
}

pub(super) fn read_wsa(dir: &Path, report: &mut ReadReport) -> Result<Vec<WsaProduction>> {
    let grid = csv_file(dir, FILE_WSA)?;
    let (region, value) = (grid.col("Region")?, grid.col("Value")?);
    let mut out = Vec::new();
    for row in &grid.rows {
        out.push(WsaProduction {
            region: grid.required_text(row, region, "a region")?,
            production: grid.number(row, value)?,
        });
    }
    report.read(format!("{FILE_WSA}: {} regions", out.len()));
    Ok(out)
}
