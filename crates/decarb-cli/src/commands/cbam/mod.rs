//! `decarb cbam`: border-adjustment obligations and costs (decarb-cbam). `quote` one import with
//! every step shown, `declare` a year's imports from a CSV file (docs/cbam-declare-format.md),
//! `schedule` the cost per tonne of one good through the phase-out, 2026-2034, with an SVG
//! chart, and `pathway` a run's regions. This module and its children parse arguments and format
//! output; every computation is decarb-cbam's.

mod args;
mod chart;
mod declare;
mod input;
mod json;
mod pathway;
mod quote;
mod schedule;
mod show;

pub use args::{DeclareArgs, PathwayArgs, QuoteArgs, ScheduleArgs};

use anyhow::Result;
use decarb_cbam::Facts;

#[derive(Debug, clap::Subcommand)]
pub enum CbamCommand {
    /// The certificate obligation and cost of one import, with every step and its legal basis.
    Quote(QuoteArgs),
    /// The annual CBAM declaration for a CSV list of imports (schema: docs/cbam-declare-format.md):
    /// per line and total, with the 50 t de minimis test.
    Declare(DeclareArgs),
    /// The cost per tonne of one good from one origin for 2026-2034, as a table and (--chart) an
    /// SVG chart.
    Schedule(ScheduleArgs),
    /// From a pathway run (`decarb run`'s summary.csv): each exporting region's CBAM cost per
    /// tonne over the years, given its fleet's intensity on that path.
    Pathway(PathwayArgs),
}

pub fn run(command: CbamCommand) -> Result<()> {
    let facts = Facts::bundled()?;
    match command {
        CbamCommand::Quote(args) => quote::run(facts, &args),
        CbamCommand::Declare(args) => declare::run(facts, &args),
        CbamCommand::Schedule(args) => schedule::run(facts, &args),
        CbamCommand::Pathway(args) => pathway::run(facts, &args),
    }
}
