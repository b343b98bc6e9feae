//! The world of an MPP ammonia input folder (`mpp-shared-code/ammonia/`) for `decarb run
//! --mpp-ammonia DIR` and `decarb validate mpp-ammonia`: the bundled MPP ammonia scenario (or a
//! scenario file written for that world), with the folder's CO2-storage and electrolysis limits
//! added.

use super::mpp_scenario_text;
use crate::commands::UserError;
use anyhow::Result;
use decarb_engine::{Scenario, World};
use std::path::Path;

/// The bundled scenario run when neither a file nor an example is given.
pub const DEFAULT_EXAMPLE: &str = "mpp-ammonia-lc-cc200";

/// Reads an MPP ammonia input folder and loads a scenario on its world: a file, or an MPP
/// ammonia example (default `mpp-ammonia-lc-cc200`).
pub fn mpp_ammonia_world_and_scenario(
    dir: &Path,
    file: Option<&Path>,
    example: Option<&str>,
) -> Result<(World, Scenario)> {
    let inputs = decarb_data::mpp_ammonia::read_inputs(dir)?;
    let world = decarb_scenario::mpp_ammonia::world(&inputs).map_err(|e| UserError(e.to_string()))?;
    let (text, origin) = mpp_scenario_text(
        file,
        example.unwrap_or(DEFAULT_EXAMPLE),
        "MPP ammonia",
        &decarb_scenario::mpp_ammonia::EXAMPLES,
    )?;
    let scenario = decarb_scenario::mpp_ammonia::scenario(&text, &origin, &inputs, &world)
        .map_err(|e| UserError(e.to_string()))?;
    Ok((world, scenario))
}

/// The scenario text and origin an MPP ammonia run uses (for its manifest).
pub fn mpp_ammonia_text(file: Option<&Path>, example: Option<&str>) -> Result<(String, String)> {
    mpp_scenario_text(
        file,
        example.unwrap_or(DEFAULT_EXAMPLE),
        "MPP ammonia",
        &decarb_scenario::mpp_ammonia::EXAMPLES,
    )
}
