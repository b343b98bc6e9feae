//! `decarb fleet`: read plant trackers (GEM GSPT 2023, GEM GIST 2025 plant and unit files, SFI
//! cement, decarb's own CSV/JSON), summarise them by group and export them in decarb's format.
//!
//! The import report of every file (placeholder cells, duplicate ids, unresolved countries) goes
//! to stderr, so capacities that are unknown are seen, never silently taken as zero.

use crate::output::{Cell, RowsOut, Table};
use anyhow::Result;
use decarb_data::summary::{self, Filter, GroupKey, SummaryRow};
use decarb_data::{FleetFormat, Imported, import_fleet};
use decarb_model::{Fleet, FurnaceUnit, PlantStatus, Sector};
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum FleetCommand {
    /// Plants and capacity per group (country, route, status, sector).
    ///
    /// One record per group: the group keys, `plants`, `capacity_mt` (crude steel for steel
    /// plants, cement for cement plants, Mt per year) and `capacity_unknown` (plants whose
    /// capacity is unknown, >0 or blank: not in `capacity_mt`). Unit files (GEM GIST furnaces) add
    /// `units` and `iron_capacity_mt`; there `capacity_mt` is the crude steel capacity of BOF, EAF
    /// and OHF units, `iron_capacity_mt` that of BF and DRI units, `plants` the distinct plant ids
    /// and `route` the furnace kind.
    Summary(SummaryArgs),
    /// Write the normalised fleet in decarb's own CSV or JSON format (docs/fleet-format.md).
    Export(ExportArgs),
}

#[derive(Debug, clap::Args)]
pub struct SummaryArgs {
    /// Fleet files: GEM workbook or CSV, GIST map files, SFI cement workbook or CSV, decarb CSV/JSON.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Group by these keys, in this order (repeat or separate with commas).
    #[arg(long, value_delimiter = ',', value_name = "KEY", value_parser = parse_key)]
    by: Vec<GroupKey>,
    /// Keep only plants (units) of this status (repeatable): operating, operating-pre-retirement,
    /// construction, announced, mothballed, retired, cancelled.
    #[arg(long, value_delimiter = ',', value_name = "S", value_parser = parse_status)]
    status: Vec<PlantStatus>,
    /// Keep only plants of this sector (repeatable): steel, cement, aluminium, ammonia.
    #[arg(long, value_delimiter = ',', value_name = "S", value_parser = parse_sector)]
    sector: Vec<Sector>,
    #[command(flatten)]
    output: RowsOut,
    /// Input format, when detection from the content should be overridden: gem-gspt,
    /// gem-gist-plants, gem-gist-units, sfi-cement, decarb-csv, decarb-json.
    #[arg(long, value_name = "FORMAT", value_parser = parse_input_format)]
    input_format: Option<FleetFormat>,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Fleet files to read (see `fleet summary`).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Output file: `.csv` (plants, or units) or `.json` (both). `-o/--out` is the same flag.
    #[arg(long, short = 'o', visible_alias = "out", value_name = "OUT")]
    to: PathBuf,
    /// Input format override (see `fleet summary`).
    #[arg(long, value_name = "FORMAT", value_parser = parse_input_format)]
    input_format: Option<FleetFormat>,
}

fn parse_key(text: &str) -> Result<GroupKey, String> {
    text.parse().map_err(|err: decarb_model::ParseError| err.to_string())
}
fn parse_status(text: &str) -> Result<PlantStatus, String> {
    text.parse().map_err(|err: decarb_model::ParseError| err.to_string())
}
fn parse_sector(text: &str) -> Result<Sector, String> {
    text.parse().map_err(|err: decarb_model::ParseError| err.to_string())
}
fn parse_input_format(text: &str) -> Result<FleetFormat, String> {
    text.parse().map_err(|err: decarb_model::ParseError| err.to_string())
}

pub fn run(command: FleetCommand) -> Result<()> {
    match command {
        FleetCommand::Summary(args) => summarise(&args),
        FleetCommand::Export(args) => export(&args),
    }
}

/// Imports every file (all of them, before any output), printing each report to stderr.
fn import_all(files: &[PathBuf], format: Option<FleetFormat>) -> Result<(Fleet, Vec<FurnaceUnit>)> {
    let mut fleet = Fleet::default();
    let mut units = Vec::new();
    for file in files {
        let Imported { fleet: file_fleet, units: file_units, report } = import_fleet(file, format)?;
        eprintln!("{}", report.summary(5));
        fleet.extend(file_fleet);
        units.extend(file_units);
    }
    Ok((fleet, units))
}

fn summarise(args: &SummaryArgs) -> Result<()> {
    let (fleet, units) = import_all(&args.files, args.input_format)?;
    if !fleet.is_empty() && !units.is_empty() {
        return Err(super::UserError(
            "plant files and furnace-unit files cannot be summarised together: summarise them separately"
                .into(),
        )
        .into());
    }
    let filter = Filter { statuses: args.status.clone(), sectors: args.sector.clone() };
    let (rows, unit_file) = if units.is_empty() {
        (summary::summarise_plants(&fleet.plants, &args.by, &filter), false)
    } else {
        (summary::summarise_units(&units, &args.by, &filter), true)
    };
    args.output.emit(&summary_table(&args.by, &rows, unit_file))
}

fn summary_table(by: &[GroupKey], rows: &[SummaryRow], unit_file: bool) -> Table {
    let mut columns: Vec<&str> = by.iter().map(|k| k.as_str()).collect();
    columns.extend(["plants", "capacity_mt", "capacity_unknown"]);
    if unit_file {
        columns.extend(["units", "iron_capacity_mt"]);
    }
    let mut table = Table::new(columns);
    for row in rows {
        let mut cells: Vec<Cell> = row.keys.iter().map(Cell::text).collect();
        cells.push(Cell::int(row.plants));
        cells.push(Cell::number(row.capacity.to_mt(), 1));
        cells.push(Cell::int(row.capacity_unknown));
        if unit_file {
            cells.push(row.units.map_or(Cell::Empty, Cell::int));
            cells.push(row.iron_capacity.map_or(Cell::Empty, |c| Cell::number(c.to_mt(), 1)));
        }
        table.push(cells);
    }
    table
}

fn export(args: &ExportArgs) -> Result<()> {
    let (fleet, units) = import_all(&args.files, args.input_format)?;
    decarb_data::export::export_fleet(&fleet.plants, &units, &args.to)?;
    eprintln!("wrote {} plant records and {} units to {}", fleet.len(), units.len(), args.to.display());
    Ok(())
}
