//! `decarb run --mpp-ammonia DIR`: the world of an MPP ammonia input folder
//! (`mpp-shared-code/ammonia/`) and the bundled MPP ammonia scenario (or a scenario file written
//! for that world), with the folder's CO2-storage and electrolysis limits added.

use super::{RunArgs, charts, print_summary, solve, write_outputs};
use crate::commands::UserError;
use anyhow::Result;
use decarb_engine::{Scenario, World};
use std::path::{Path, PathBuf};

/// The bundled scenario run when neither a file nor an example is given.
pub const DEFAULT_EXAMPLE: &str = "mpp-ammonia-lc-cc200";

pub(super) fn run_mpp_ammonia(args: &RunArgs, dir: &Path) -> Result<()> {
    let (world, scenario) =
        mpp_ammonia_world_and_scenario(dir, args.scenario.as_deref(), args.example.as_deref())?;
    let seed = args.seed.unwrap_or(scenario.seed);
    let outcome = solve(&world, &scenario, seed, args.threads).map_err(|e| UserError(e.to_string()))?;
    let out = args.out.clone().unwrap_or_else(|| PathBuf::from("decarb-out").join(&scenario.name));
    std::fs::create_dir_all(&out)
        .map_err(|e| UserError(format!("{}: cannot create the output directory: {e}", out.display())))?;
    write_outputs(&outcome, &out, args.format)?;
    charts::write_all(&outcome, &out)?;
    print_summary(&outcome, &out);
    Ok(())
}

/// Reads an MPP ammonia input folder and loads a scenario on its world: a file, or an MPP
/// ammonia example (default `mpp-ammonia-lc-cc200`).
pub fn mpp_ammonia_world_and_scenario(
    dir: &Path,
    file: Option<&Path>,
    example: Option<&str>,
) -> Result<(World, Scenario)> {
    let inputs = decarb_data::mpp_ammonia::read_inputs(dir)?;
    let world = decarb_scenario::mpp_ammonia::world(&inputs).map_err(|e| UserError(e.to_string()))?;
    let (text, origin) = if let Some(path) = file {
        let text = std::fs::read_to_string(path)
            .map_err(|e| UserError(format!("{}: cannot read the scenario file: {e}", path.display())))?;
        (text, path.display().to_string())
    } else {
        let name = example.unwrap_or(DEFAULT_EXAMPLE);
        let text = decarb_scenario::mpp_ammonia::example(name).ok_or_else(|| {
            UserError(format!(
                "unknown MPP ammonia example {name:?}; known: {}",
                decarb_scenario::mpp_ammonia::EXAMPLES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
            ))
        })?;
        (text.to_owned(), format!("example {name}"))
    };
    let scenario = decarb_scenario::mpp_ammonia::scenario(&text, &origin, &inputs, &world)
        .map_err(|e| UserError(e.to_string()))?;
    Ok((world, scenario))
}
