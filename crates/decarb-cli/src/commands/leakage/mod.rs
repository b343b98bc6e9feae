//! `decarb leakage exposure`: carbon-leakage exposure by country for one sector and year:
//! production, exports, imports, trade intensity, emission intensity, the carbon cost of
//! production at a price, and the CBAM cost of exports to the EU, ranked (decarb-cbam::exposure).
//!
//! Trade comes from the bundled worldsteel table (`decarb_data::facts::steel_trade`) unless a
//! table is given with `--trade`. Emission intensity comes from the bundled world fleet (each
//! country's capacity-weighted net direct CO2 of the technologies the engine starts its plants
//! on), from an engine run (`--run`), or from the CBAM default values (`--intensity
//! cbam-default`); the `intensity_source` column says which one each row used. The fleet
//! intensities are `decarb_scenario::fleet_intensity`'s, the trade and run readers and the
//! table's assembly `decarb_cbam::{inputs, leakage, exposure}`'s: these modules parse arguments
//! and print.

mod chart;
mod exposure;

use crate::output::RowsOut;
use anyhow::Result;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum LeakageCommand {
    /// Per country: production, exports, imports, trade intensity, emission intensity, carbon cost
    /// at a price and CBAM exposure of exports to the EU, ranked; table and (--chart) SVG chart.
    Exposure(ExposureArgs),
}

#[derive(Debug, clap::Args)]
pub struct ExposureArgs {
    /// Sector: steel or aluminium (the sectors with bundled country intensities).
    #[arg(long)]
    pub(super) sector: String,
    /// Year of the production and trade statistics.
    #[arg(long, value_name = "Y")]
    pub(super) year: i32,
    /// Carbon price for the carbon cost of production, EUR per t CO2e.
    #[arg(long, value_name = "EUR", default_value = "80", allow_hyphen_values = true)]
    pub(super) carbon_price: String,
    /// CBAM year whose factor and mark-up price the exports (default 2026).
    #[arg(long, value_name = "Y", default_value_t = 2026)]
    pub(super) cbam_year: i32,
    /// Trade table in the worldsteel format (country,metric,YEAR...; metric Exports or Imports;
    /// thousand tonnes), replacing the bundled steel trade (worldsteel 2019-2021).
    #[arg(long, value_name = "FILE")]
    pub(super) trade: Option<PathBuf>,
    /// Where emission intensities come from: the bundled world fleet (default) or the CBAM
    /// default values of IR 2025/2621 (the act's country averages).
    #[arg(long, value_enum, default_value = "fleet")]
    pub(super) intensity: IntensityChoice,
    /// Take each country's intensity from an engine run instead: its region's direct emissions /
    /// production in the run's summary.csv for this sector and year (DIR or DIR/summary.csv).
    #[arg(long, value_name = "DIR", conflicts_with = "intensity")]
    pub(super) run: Option<PathBuf>,
    /// Share of each country's exports that goes to the EU (default: all, an upper bound).
    #[arg(long, value_name = "F")]
    pub(super) eu_export_share: Option<String>,
    /// EUR per CBAM certificate (default: the bundled published price).
    #[arg(long, value_name = "EUR")]
    pub(super) certificate_price: Option<String>,
    /// Cross-sectoral correction factor (default 1, a flagged placeholder).
    #[arg(long, value_name = "F")]
    pub(super) correction_factor: Option<String>,
    /// Show the first N countries only.
    #[arg(long, value_name = "N")]
    pub(super) top: Option<usize>,
    /// Write a bar chart of CBAM exposure to FILE (leakage-exposure.svg when no FILE is given).
    #[arg(long, value_name = "FILE.svg", num_args = 0..=1, default_missing_value = "leakage-exposure.svg")]
    pub(super) chart: Option<PathBuf>,
    #[command(flatten)]
    pub(super) output: RowsOut,
}

/// The source of emission intensities when no run is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum IntensityChoice {
    /// Capacity-weighted net direct CO2 of the country's bundled-world fleet.
    Fleet,
    /// The country's IR 2025/2621 default value without mark-up.
    CbamDefault,
}

pub fn run(command: LeakageCommand) -> Result<()> {
    match command {
        LeakageCommand::Exposure(args) => exposure::run(&args),
    }
}
