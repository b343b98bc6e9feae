//! `decarb export iamc DIR`: the IAMC files (iamc.csv, iamc.xlsx; docs/iamc.md) of an output
//! folder `decarb run` wrote without `--iamc`. The run is repeated from the folder's manifest.json
//! (its inputs must be unchanged), checked against the folder's summary.csv, and only the two IAMC
//! files are added to the folder.

use super::manifest;
use crate::commands::UserError;
use crate::output::FolderOut;
use anyhow::{Context, Result};
use std::path::Path;

#[derive(Debug, clap::Subcommand)]
pub enum ExportCommand {
    /// Add iamc.csv and iamc.xlsx to an output folder of a single `decarb run`: the run is repeated
    /// from its manifest.json and must reproduce the folder's summary.csv.
    Iamc {
        /// The output folder of the run (with manifest.json and summary.csv).
        #[command(flatten)]
        folder: FolderOut,
    },
}

pub fn run(command: &ExportCommand) -> Result<()> {
    let ExportCommand::Iamc { folder } = command;
    let dir = folder.path()?;
    let manifest_path = dir.join("manifest.json");
    if !manifest_path.is_file() {
        return Err(UserError(format!(
            "{}: no manifest.json; expected an output folder of `decarb run` (or run it again with --iamc)",
            dir.display()
        ))
        .into());
    }
    let recorded = manifest::read(&manifest_path)?;
    if recorded.options.runs.is_some() {
        return Err(UserError(format!(
            "{}: an ensemble folder (--runs); the IAMC export is of a single run",
            dir.display()
        ))
        .into());
    }
    let scratch = std::env::temp_dir().join(format!("decarb-export-iamc-{}", std::process::id()));
    let result = export(dir, &recorded, &scratch);
    // The scratch folder is ours alone (named by process id); a failed removal leaves only a temp folder.
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn export(dir: &Path, recorded: &manifest::Manifest, scratch: &Path) -> Result<()> {
    let mut args = super::args_from(recorded, Some(scratch.to_path_buf()))?;
    args.iamc = true;
    args.quiet = true;
    super::run_with(&args, Some(&recorded.scenario))?;
    let original = dir.join("summary.csv");
    let before = std::fs::read(&original)
        .map_err(|e| UserError(format!("{}: cannot read it: {e}", original.display())))?;
    let again =
        std::fs::read(scratch.join("summary.csv")).context("reading the repeated run's summary.csv")?;
    if before != again {
        return Err(UserError(format!(
            "{}: differs from the run its manifest.json records (edited, or written by another decarb); no IAMC files written",
            original.display()
        ))
        .into());
    }
    for name in ["iamc.csv", "iamc.xlsx"] {
        let to = dir.join(name);
        std::fs::copy(scratch.join(name), &to).with_context(|| format!("writing {}", to.display()))?;
    }
    println!("wrote {} and {}", dir.join("iamc.csv").display(), dir.join("iamc.xlsx").display());
    Ok(())
}
