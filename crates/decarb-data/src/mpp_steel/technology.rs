//! The routes: `Technology Business Cases.csv` (inputs and emissions per t crude steel),
//! `Technology Availability.csv` (phase and years) and `CAPEX OPEX Per Technology.xlsx` (sheets
//! `GF capex`, `Renewal capex`, `Other Opex`, route x 2020-2050).
//!
//! Currency: the cost sheets carry no unit. The model's code reads them as EUR and multiplies by
//! 1/0.877 = 1.140 to get USD (`capex_dictionary_generator`, `mppsteel/data_load_and_format/
//! data_interface.py`; TECHNOLOGY.md §0, §1.2). Values here are kept as stored (EUR);
//! [`CapexOpex::usd`] converts with [`crate::facts::USD_PER_EUR`].

use super::grid::{Grid, Workbook, YearValues, csv_file};
use super::{FILE_AVAILABILITY, FILE_BUSINESS_CASES, FILE_CAPEX};
use crate::error::{Error, Result};
use crate::read_report::ReadReport;
use std::collections::BTreeMap;
use std::path::Path;

/// The 23 materials and metrics every business case must give.
pub const MATERIALS: [&str; 23] = [
    "Iron ore",
    "Scrap",
    "DRI",
    "Met coal",
    "Coke",
    "Thermal coal",
    "BF gas",
    "COG",
    "BOF gas",
    "Natural gas",
    "Plastic waste",
    "Biomass",
    "Biomethane",
    "Hydrogen",
    "Electricity",
    "Steam",
    "BF slag",
    "Other slag",
    "Process emissions",
    "Emissivity wout CCS",
    "Captured CO2",
    "Used CO2",
    "Emissivity",
];

/// One row of the business cases: a material or metric, its unit, and a value per route.
#[derive(Debug, Clone, PartialEq)]
pub struct BusinessCaseRow {
    pub material: String,
    pub metric_type: String,
    /// `t/t steel`, `GJ/t steel`, `kg/t steel` or `tCO2/t steel`.
    pub unit: String,
    /// Aligned with [`BusinessCases::routes`].
    pub values: Vec<f64>,
}

/// `Technology Business Cases.csv`: materials x routes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BusinessCases {
    /// Route names in column order (22 with `Close plant`).
    pub routes: Vec<String>,
    pub rows: Vec<BusinessCaseRow>,
}

impl BusinessCases {
    /// The amount of `material` per t crude steel on `route`, in the row's unit.
    pub fn value(&self, route: &str, material: &str) -> Option<f64> {
        let column = self.routes.iter().position(|r| r == route)?;
        self.rows.iter().find(|r| r.material.eq_ignore_ascii_case(material))?.values.get(column).copied()
    }
}

/// One row of `Technology Availability.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Availability {
    pub route: String,
    pub main_type: String,
    /// `Initial`, `Transition` or `End-state`.
    pub phase: String,
    pub from: i32,
    pub until: i32,
}

/// `CAPEX OPEX Per Technology.xlsx`, as stored (EUR per the model's code).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CapexOpex {
    /// `GF capex`: greenfield capex, EUR per t/yr of capacity.
    pub greenfield: BTreeMap<String, YearValues>,
    /// `Renewal capex`: brownfield renovation of the same route, EUR per t/yr.
    pub renewal: BTreeMap<String, YearValues>,
    /// `Other Opex`: fixed and non-energy variable opex, EUR per t steel (for `Close plant`, the
    /// closure cost).
    pub other_opex: BTreeMap<String, YearValues>,
}

impl CapexOpex {
    /// A stored EUR value in USD at the model's rate.
    pub fn usd(eur: f64) -> f64 {
        eur * crate::facts::USD_PER_EUR
    }

    fn value(table: &BTreeMap<String, YearValues>, route: &str, year: i32) -> Option<f64> {
        let values = table.get(route)?;
        values.get(&year).or_else(|| values.range(..=year).next_back().map(|(_, v)| v)).copied()
    }

    /// Greenfield capex in EUR per t/yr for `route` in `year` (the last year given after 2050).
    pub fn greenfield_eur(&self, route: &str, year: i32) -> Option<f64> {
        Self::value(&self.greenfield, route, year)
    }
    pub fn renewal_eur(&self, route: &str, year: i32) -> Option<f64> {
        Self::value(&self.renewal, route, year)
    }
    pub fn other_opex_eur(&self, route: &str, year: i32) -> Option<f64> {
        Self::value(&self.other_opex, route, year)
    }
}

pub(super) fn read_business_cases(dir: &Path, report: &mut ReadReport) -> Result<BusinessCases> {
    let grid = csv_file(dir, FILE_BUSINESS_CASES)?;
    let material = grid.col("Material")?;
    let metric_type = grid.col("Type of metric")?;
    let unit = grid.col("Unit")?;
    let route_cols: Vec<(usize, String)> = grid
        .header
        .iter()
        .enumerate()
        .filter(|(i, name)| ![material, metric_type, unit].contains(i) && !name.trim().is_empty())
        .map(|(i, name)| (i, name.trim().to_owned()))
        .collect();
    if route_cols.is_empty() {
        return Err(Error::format(grid.at.clone(), "no route columns after Material, Type of metric, Unit"));
    }
    let mut rows = Vec::with_capacity(grid.rows.len());
    for row in &grid.rows {
        let values = route_cols.iter().map(|(col, _)| grid.number(row, *col)).collect::<Result<Vec<_>>>()?;
        rows.push(BusinessCaseRow {
            material: grid.required_text(row, material, "a material name")?,
            metric_type: Grid::text(row, metric_type),
            unit: grid.required_text(row, unit, "a unit such as t/t steel")?,
            values,
        });
    }
    for wanted in MATERIALS {
        if !rows.iter().any(|r| r.material.eq_ignore_ascii_case(wanted)) {
            return Err(Error::value(
                grid.at.clone().column("Material"),
                "",
                format!("a row for {wanted:?} (every one of: {})", MATERIALS.join(", ")),
            ));
        }
    }
    let routes: Vec<String> = route_cols.into_iter().map(|(_, name)| name).collect();
    report.read(format!("{FILE_BUSINESS_CASES}: {} materials x {} routes", rows.len(), routes.len()));
    Ok(BusinessCases { routes, rows })
}

pub(super) fn read_availability(dir: &Path, report: &mut ReadReport) -> Result<Vec<Availability>> {
    let grid = csv_file(dir, FILE_AVAILABILITY)?;
    let route = grid.col("Technology")?;
    let main_type = grid.col("Main Technology Type")?;
    let phase = grid.col("Technology Phase")?;
    let from = grid.col("Year available from")?;
    let until = grid.col("Year available until")?;
    let mut out = Vec::new();
    for row in &grid.rows {
        let phase_text = grid.required_text(row, phase, "Initial, Transition or End-state")?;
        if !["initial", "transition", "end-state"].contains(&phase_text.to_ascii_lowercase().as_str()) {
            return Err(grid.error(row, phase, "Initial, Transition or End-state"));
        }
        out.push(Availability {
            route: grid.required_text(row, route, "a route name")?,
            main_type: Grid::text(row, main_type),
            phase: phase_text,
            from: grid.year(row, from)?,
            until: grid.year(row, until)?,
        });
    }
    report.read(format!("{FILE_AVAILABILITY}: {} rows", out.len()));
    Ok(out)
}

pub(super) fn read_capex(dir: &Path, report: &mut ReadReport) -> Result<CapexOpex> {
    let mut book = Workbook::open(&dir.join(FILE_CAPEX))?;
    let mut sheet = |name: &str| -> Result<BTreeMap<String, YearValues>> {
        let grid = book.sheet(name)?;
        let route = grid.col("Technology")?;
        let years = grid.year_columns()?;
        let mut table = BTreeMap::new();
        for row in &grid.rows {
            table.insert(grid.required_text(row, route, "a route name")?, grid.series(row, &years)?);
        }
        Ok(table)
    };
    let capex = CapexOpex {
        greenfield: sheet("GF capex")?,
        renewal: sheet("Renewal capex")?,
        other_opex: sheet("Other Opex")?,
    };
    report.read(format!(
        "{FILE_CAPEX} (sheets \"GF capex\", \"Renewal capex\", \"Other Opex\"): {} routes, EUR as stored, x {} = USD",
        capex.greenfield.len(),
        crate::facts::USD_PER_EUR
    ));
    Ok(capex)
}

/// The model's route names and the ids of decarb's bundled routes built from them
/// (`facts/technologies.csv`, sourced to these same files). `Close plant` has no route.
pub const ROUTE_IDS: [(&str, &str); 21] = [
    ("Avg BF-BOF", "steel.bf-bof-avg"),
    ("BAT BF-BOF", "steel.bf-bof-bat"),
    ("BAT BF-BOF_bio PCI", "steel.bf-bof-bio-pci"),
    ("BAT BF-BOF_H2 PCI", "steel.bf-bof-h2-pci"),
    ("BAT BF-BOF+CCUS", "steel.bf-bof-ccus"),
    ("BAT BF-BOF+CCU", "steel.bf-bof-ccu"),
    ("BAT BF-BOF+BECCUS", "steel.bf-bof-beccus"),
    ("DRI-EAF", "steel.dri-eaf-gas"),
    ("DRI-EAF_50% bio-CH4", "steel.dri-eaf-bio-ch4-50"),
    ("DRI-EAF_50% green H2", "steel.dri-eaf-h2-50"),
    ("DRI-EAF+CCUS", "steel.dri-eaf-ccus"),
    ("DRI-EAF_100% green H2", "steel.h2-dri-eaf"),
    ("DRI-Melt-BOF", "steel.dri-melt-bof"),
    ("DRI-Melt-BOF+CCUS", "steel.dri-melt-bof-ccus"),
    ("DRI-Melt-BOF_100% zero-C H2", "steel.dri-melt-bof-h2"),
    ("Smelting Reduction", "steel.smelting-reduction"),
    ("Smelting Reduction+CCUS", "steel.smelting-reduction-ccus"),
    ("Electrolyzer-EAF", "steel.electrolyzer-eaf"),
    ("Electrowinning-EAF", "steel.electrowinning-eaf"),
    ("EAF", "steel.eaf-scrap"),
    ("Charcoal mini furnace", "steel.charcoal-mini-furnace"),
];

/// The bundled route id for a model route name.
pub fn route_id(route: &str) -> Option<&'static str> {
    ROUTE_IDS.iter().find(|(name, _)| *name == route).map(|(_, id)| *id)
}

/// The model route name for a bundled route id.
pub fn route_name(id: &str) -> Option<&'static str> {
    ROUTE_IDS.iter().find(|(_, i)| *i == id).map(|(name, _)| *name)
}
