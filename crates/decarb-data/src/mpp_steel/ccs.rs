//! `CCS Model.xlsx`: CO2 transport (`Transport`, USD/t CO2 for three distances), storage
//! (`Storage`, USD/t CO2), capture (`Capture`, USD/t CO2 by region and flow type, 2020-2050) and
//! the storage constraint (`Constraint`, cumulative capacity in Mt by region, Low and High).

use super::FILE_CCS;
use super::grid::{Grid, Workbook, YearValues};
use crate::error::Result;
use crate::read_report::ReadReport;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub struct TransportCost {
    pub reference: String,
    pub region: String,
    /// `Onshore Pipeline`, `Offshore Pipeline` or `Shipping`.
    pub transport_type: String,
    /// `BaseCase` or `Low`.
    pub cost_estimate: String,
    /// Mt/yr of the transport system.
    pub capacity: f64,
    /// USD/t CO2 at node 1, 2, 3 (increasing distance).
    pub nodes: [f64; 3],
}

#[derive(Debug, Clone, PartialEq)]
pub struct StorageCost {
    pub reference: String,
    pub region: String,
    pub location: String,
    pub storage_type: String,
    pub reusable_legacy_wells: String,
    /// `Low`, `Medium` or `High`.
    pub cost_case: String,
    /// USD/t CO2.
    pub cost: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaptureCost {
    pub region: String,
    /// `Pure Flow`, `Point Source`, `Mixed Flow` or `DAC`.
    pub flow_type: String,
    pub unit: String,
    pub values: YearValues,
}

/// Cumulative storage capacity, Mt CO2, by the CCS model's regions.
#[derive(Debug, Clone, PartialEq)]
pub struct StorageConstraint {
    /// `Low` or `High`.
    pub scenario: String,
    pub year: i32,
    pub by_region: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CcsModel {
    pub transport: Vec<TransportCost>,
    pub storage: Vec<StorageCost>,
    pub capture: Vec<CaptureCost>,
    pub constraint: Vec<StorageConstraint>,
}

pub(super) fn read(dir: &Path, report: &mut ReadReport) -> Result<CcsModel> {
    let mut book = Workbook::open(&dir.join(FILE_CCS))?;
    let mut model = CcsModel::default();

    let grid = book.sheet("Transport")?;
    let (reference, region, kind, estimate, capacity) = (
        grid.col("Reference")?,
        grid.col("Region")?,
        grid.col("Transport Type")?,
        grid.col("Cost Estimate")?,
        grid.col("Capacity")?,
    );
    let nodes = [
        grid.col("Transport costs _Node 1")?,
        grid.col("Transport costs _Node 2")?,
        grid.col("Transport costs _Node 3")?,
    ];
    for row in &grid.rows {
        model.transport.push(TransportCost {
            reference: Grid::text(row, reference),
            region: grid.required_text(row, region, "a region")?,
            transport_type: grid.required_text(row, kind, "a transport type")?,
            cost_estimate: grid.required_text(row, estimate, "BaseCase or Low")?,
            capacity: grid.number(row, capacity)?,
            nodes: [grid.number(row, nodes[0])?, grid.number(row, nodes[1])?, grid.number(row, nodes[2])?],
        });
    }

    let grid = book.sheet("Storage")?;
    let (reference, region, location, kind, wells, case) = (
        grid.col("Reference")?,
        grid.col("Region")?,
        grid.col("Storage location")?,
        grid.col("Storage type")?,
        grid.col("Reusable legacy wells")?,
        grid.col("Value")?,
    );
    let cost = grid
        .header
        .iter()
        .position(|h| h.trim().to_ascii_lowercase().starts_with("costs"))
        .map_or_else(|| grid.col("Costs - capacity 5"), Ok)?;
    for row in &grid.rows {
        model.storage.push(StorageCost {
            reference: Grid::text(row, reference),
            region: grid.required_text(row, region, "a region")?,
            location: Grid::text(row, location),
            storage_type: Grid::text(row, kind),
            reusable_legacy_wells: Grid::text(row, wells),
            cost_case: grid.required_text(row, case, "Low, Medium or High")?,
            cost: grid.number(row, cost)?,
        });
    }

    let grid = book.sheet("Capture")?;
    let (region, flow, unit) = (grid.col("Country")?, grid.col("Flow Type")?, grid.col("Unit")?);
    let years = grid.year_columns()?;
    for row in &grid.rows {
        model.capture.push(CaptureCost {
            region: grid.required_text(row, region, "a region")?,
            flow_type: grid.required_text(row, flow, "a flow type")?,
            unit: Grid::text(row, unit),
            values: grid.series(row, &years)?,
        });
    }

    let grid = book.sheet("Constraint")?;
    let (scenario, year, variable, unit) =
        (grid.col("Scenario")?, grid.col("Year")?, grid.col("Variable")?, grid.col("Unit")?);
    let regions: Vec<(usize, String)> = grid
        .header
        .iter()
        .enumerate()
        .filter(|(i, h)| ![scenario, year, variable, unit].contains(i) && !h.trim().is_empty())
        .map(|(i, h)| (i, h.trim().to_owned()))
        .collect();
    for row in &grid.rows {
        let mut by_region = BTreeMap::new();
        for (col, name) in &regions {
            by_region.insert(name.clone(), grid.number(row, *col)?);
        }
        model.constraint.push(StorageConstraint {
            scenario: grid.required_text(row, scenario, "Low or High")?,
            year: grid.year(row, year)?,
            by_region,
        });
    }
    report.read(format!(
        "{FILE_CCS}: Transport {}, Storage {}, Capture {}, Constraint {} rows",
        model.transport.len(),
        model.storage.len(),
        model.capture.len(),
        model.constraint.len()
    ));
    Ok(model)
}
