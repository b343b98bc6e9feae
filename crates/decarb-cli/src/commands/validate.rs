//! `decarb validate mpp-steel | mpp-aluminium | mpp-ammonia`: runs decarb on an MPP model's input
//! folder and writes a side-by-side report with SVG charts against the model's own runs. The
//! comparison and its checks are `decarb_scenario::validation`; this module and its submodules
//! hold the arguments, the reports and the charts.

mod aluminium;
mod ammonia;
mod report;
mod steel;

use crate::commands::UserError;
use anyhow::Result;
use decarb_engine::outcome::Outcome;
use decarb_engine::{Scenario, World};
use decarb_scenario::mpp_folder::{LoadError, MppModel};
use decarb_scenario::validation::ReferenceError;
use report::CompareArgs;
use std::path::Path;

// The variants are the subcommands `mpp-steel`, `mpp-aluminium`, `mpp-ammonia`: the shared prefix
// is the users' contract.
#[allow(clippy::enum_variant_names)]
#[derive(Debug, clap::Subcommand)]
pub enum ValidateCommand {
    /// Run an MPP steel input folder through decarb and compare with reference runs of the MPP model.
    MppSteel(steel::MppSteelArgs),
    /// Run an MPP aluminium input folder through decarb and compare with the MPP model's June 2022
    /// run; prints one line per check, exit 0 only when all pass.
    MppAluminium(aluminium::MppAluminiumArgs),
    /// Run the MPP ammonia input folder through decarb and compare with a run of the MPP ammonia
    /// model; prints one line per check and exits 0 only when all pass.
    MppAmmonia(ammonia::MppAmmoniaArgs),
}

pub fn run(command: ValidateCommand) -> Result<()> {
    match command {
        ValidateCommand::MppSteel(args) => steel::run(&args),
        ValidateCommand::MppAluminium(args) => aluminium::run(&args),
        ValidateCommand::MppAmmonia(args) => ammonia::run(&args),
    }
}

/// A run of decarb on an MPP model's input folder for a validation.
struct DecarbRun {
    world: World,
    scenario: Scenario,
    seed: u64,
    outcome: Outcome,
}

/// Loads the MPP world of `inputs` with the bundled `example`, sets `--choice`, and runs it with
/// the validation's seed and threads.
fn decarb_run(
    model: MppModel,
    inputs: &Path,
    example: &str,
    choice: Option<&str>,
    compare: &CompareArgs,
) -> Result<DecarbRun> {
    let (world, mut scenario) = model.load(inputs, None, Some(example)).map_err(|e| match e {
        LoadError::Read(e) => anyhow::Error::from(e),
        LoadError::Invalid(message) => UserError(message).into(),
    })?;
    decarb_scenario::rules::apply_choice(&mut scenario, choice).map_err(UserError)?;
    let seed = compare.seed.unwrap_or(scenario.seed);
    let outcome = crate::threads::solve(&world, &scenario, seed, compare.threads)
        .map_err(|e| UserError(e.to_string()))?;
    Ok(DecarbRun { world, scenario, seed, outcome })
}

/// A reference run that cannot be read is the user's to fix (exit code 2).
fn reference_error(e: ReferenceError) -> anyhow::Error {
    UserError(e.0).into()
}

/// Creates the report's folder.
fn create_out(out: &Path) -> Result<()> {
    std::fs::create_dir_all(out)
        .map_err(|e| UserError(format!("{}: cannot create the folder: {e}", out.display())).into())
}
