//! One module per command group. Each exposes a clap `Subcommand` enum and a `run` function.

pub mod analyses;
pub mod brief;
pub mod cbam;
pub mod db;
pub mod diff;
pub mod example;
pub mod fleet;
pub mod leakage;
pub mod merge;
pub mod review;
pub mod run;
pub mod search;
pub mod sensitivity;
pub mod serve;
pub mod stats;
pub mod tech;
pub mod token;
pub mod tracker;
pub mod validate;

/// An error the user can fix by changing the command line or the input (exit code 2), as opposed
/// to an internal failure (exit code 1).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UserError(pub String);

/// Exit code 2 for anything the user can fix (bad input file, bad value, bad argument), 1 for the
/// rest (a failed write to stdout, a bug).
pub fn exit_code(err: &anyhow::Error) -> u8 {
    let is_user_error = err.chain().any(|cause| {
        cause.is::<UserError>()
            || cause.is::<decarb_data::Error>()
            || cause.is::<decarb_model::ParseError>()
            || cause.downcast_ref::<decarb_cbam::Error>().is_some_and(decarb_cbam::Error::is_user_error)
    });
    if is_user_error { 2 } else { 1 }
}

/// An engine error as the user's (exit code 2), a scenario error located in the scenario's text
/// (file or example `origin`) by line and key.
pub fn located(text: &str, origin: &str, e: &decarb_engine::EngineError) -> anyhow::Error {
    match e {
        decarb_engine::EngineError::Scenario { .. } => {
            UserError(decarb_scenario::file::locate(text, origin, e).to_string()).into()
        }
        _ => UserError(e.to_string()).into(),
    }
}

/// The scenario's text and origin: the file when given, else the bundled example (the default
/// example when none is named).
pub fn scenario_text(
    file: Option<&std::path::Path>,
    example: Option<&str>,
) -> anyhow::Result<(String, String)> {
    let source =
        decarb_scenario::source::file_or_example(file, example).map_err(|e| UserError(e.to_string()))?;
    Ok((source.text, source.origin))
}
