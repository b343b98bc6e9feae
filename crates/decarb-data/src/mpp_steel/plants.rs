//! `Steel Plant Data Anon.xlsx`: the model's plant list (1,384 plants anonymised from GEM's
//! Global Steel Plant Tracker), sheet `Anonymized`, one header row.

use super::FILE_PLANTS;
use super::grid::{Grid, Workbook};
use crate::error::Result;
use crate::import::cells::{self, Quantity};
use crate::read_report::ReadReport;
use decarb_model::{PlantStatus, Reported};
use std::path::Path;

/// The technology a plant is given in 2020 (`Plant Technology in 2020`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum InitialTechnology {
    /// One of the model's route names (`Avg BF-BOF`, `BAT BF-BOF`, `DRI-EAF`, `EAF`).
    Route(String),
    /// The cell holds `0` (27 rows, none operating): no technology was derived.
    Zero,
    /// Empty (10 operating rows, all with zero derived capacity): the model drops them.
    Blank,
}

impl InitialTechnology {
    pub fn route(&self) -> Option<&str> {
        match self {
            InitialTechnology::Route(name) => Some(name),
            _ => None,
        }
    }
}

/// One row of the plant list. Capacities in kt of steel per year, as the file gives them.
#[derive(Debug, Clone, PartialEq)]
pub struct MppPlant {
    /// Spreadsheet row.
    pub row: usize,
    pub id: String,
    pub name: String,
    pub country: String,
    /// `Region - analysis` (7 broad regions; the model's own regions come from the country
    /// reference).
    pub region: String,
    /// The status word as written (`operating`, `proposed`, `construction`, `mothballed`, `closed`).
    pub status_text: String,
    pub status: PlantStatus,
    /// `Start of operation`; `None` for `unknown` (194 rows).
    pub start_year: Option<i32>,
    /// `Nominal crude steel capacity (ttpa)`, with `N/A` / `unknown` / `>0` kept apart.
    pub nominal_capacity_kt: Reported<f64>,
    /// `Final estimated BF-BOF capacity (kt steel/y)`.
    pub bf_bof_kt: f64,
    /// `Final estimated DRI-EAF capacity (kt steel/y)`.
    pub dri_eaf_kt: f64,
    /// `Final estimated EAF capacity (kt steel/y)`.
    pub eaf_kt: f64,
    pub technology_2020: InitialTechnology,
    /// `Primary Capacity` = `Y`: the plant makes iron (otherwise it stays EAF in the model).
    pub primary_capacity: bool,
}

impl MppPlant {
    /// The capacity the model gives the plant: the sum of the three derived capacities, kt/yr.
    pub fn capacity_kt(&self) -> f64 {
        self.bf_bof_kt + self.dri_eaf_kt + self.eaf_kt
    }
}

const SHEET: &str = "Anonymized";
/// Columns decarb reads; the others are listed in the report as not used.
const READ: [&str; 12] = [
    "Plant ID",
    "Plant name (English)",
    "Country",
    "Region - analysis",
    "Status",
    "Start of operation",
    "Nominal crude steel capacity (ttpa)",
    "Final estimated BF-BOF capacity (kt steel/y)",
    "Final estimated DRI-EAF capacity (kt steel/y)",
    "Final estimated EAF capacity (kt steel/y)",
    "Plant Technology in 2020",
    "Primary Capacity",
];

pub(super) fn read(dir: &Path, report: &mut ReadReport) -> Result<Vec<MppPlant>> {
    let mut book = Workbook::open(&dir.join(FILE_PLANTS))?;
    let grid = book.sheet(SHEET)?;
    let cols = READ.iter().map(|name| grid.col(name)).collect::<Result<Vec<_>>>()?;
    let [id, name, country, region, status, start, nominal, bf_bof, dri_eaf, eaf, tech, primary] = cols[..]
    else {
        unreachable!("READ has 12 columns")
    };
    for (index, column) in grid.header.iter().enumerate() {
        if !cols.contains(&index) && !column.is_empty() {
            report.skip(grid.at.clone().column(column), "column not used by decarb (the model derives its capacities into the three \"Final estimated\" columns)");
        }
    }
    let mut plants = Vec::with_capacity(grid.rows.len());
    for row in &grid.rows {
        let status_text = grid.required_text(row, status, "a plant status")?;
        let status_value =
            status_text.parse::<PlantStatus>().map_err(|err| grid.error(row, status, err.expected))?;
        let start_year = match row.get(start).text().to_ascii_lowercase().as_str() {
            "unknown" => None,
            _ => Some(
                grid.year(row, start)
                    .map_err(|_| grid.error(row, start, "a year such as 1969, or \"unknown\""))?,
            ),
        };
        let nominal_capacity_kt = match cells::quantity(as_cell(row.get(nominal))) {
            Ok(Quantity::Value(v)) => Reported::Value(v),
            Ok(Quantity::Positive) => Reported::Positive,
            Ok(Quantity::Unknown | Quantity::Range(..)) => Reported::Unknown,
            Ok(Quantity::Blank) => Reported::Blank,
            Err(expected) => return Err(grid.error(row, nominal, expected)),
        };
        let capacity = |col: usize| -> Result<f64> {
            row.get(col)
                .number()
                .filter(|v| *v >= 0.0)
                .ok_or_else(|| grid.error(row, col, "a non-negative capacity in kt steel per year"))
        };
        let technology_2020 = match row.get(tech).text().as_str() {
            "" => InitialTechnology::Blank,
            "0" => InitialTechnology::Zero,
            other => InitialTechnology::Route(other.to_owned()),
        };
        let primary_capacity = match row.get(primary).text().to_ascii_uppercase().as_str() {
            "Y" => true,
            "N" => false,
            _ => return Err(grid.error(row, primary, "Y or N")),
        };
        plants.push(MppPlant {
            row: row.number,
            id: grid.required_text(row, id, "a plant id")?,
            name: Grid::text(row, name),
            country: grid.required_text(row, country, "a country name")?,
            region: Grid::text(row, region),
            status_text,
            status: status_value,
            start_year,
            nominal_capacity_kt,
            bf_bof_kt: capacity(bf_bof)?,
            dri_eaf_kt: capacity(dri_eaf)?,
            eaf_kt: capacity(eaf)?,
            technology_2020,
            primary_capacity,
        });
    }
    report.read(format!("{FILE_PLANTS} (sheet {SHEET:?}): {} plants", plants.len()));
    Ok(plants)
}

fn as_cell(value: &super::grid::Value) -> cells::Cell<'_> {
    match value {
        super::grid::Value::Empty => cells::Cell::Empty,
        super::grid::Value::Text(text) => cells::Cell::Text(text),
        super::grid::Value::Number(v) => cells::Cell::Number(*v),
        super::grid::Value::Other(_) => cells::Cell::Error,
    }
}

/// Checks that every named 2020 technology is a route of the business cases.
pub(super) fn check_technologies(plants: &[MppPlant], routes: &[String], dir: &Path) -> Result<()> {
    for plant in plants {
        if let InitialTechnology::Route(name) = &plant.technology_2020
            && !routes.iter().any(|r| r == name)
        {
            let at = crate::error::Location::file(&dir.join(FILE_PLANTS))
                .sheet(SHEET)
                .row(plant.row)
                .column("Plant Technology in 2020");
            return Err(crate::error::Error::value(
                at,
                name,
                format!(
                    "one of the routes of Technology Business Cases.csv ({}), 0 or an empty cell",
                    routes.join(", ")
                ),
            ));
        }
    }
    Ok(())
}
