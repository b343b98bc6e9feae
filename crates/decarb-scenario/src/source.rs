//! Where a scenario's text comes from: a TOML file, or a bundled example by name. One place for
//! the CLI's `run`, `sensitivity` and `diff`, the briefs and the MPP runs, so that a missing file or
//! an unknown example reads the same everywhere (with a "did you mean").

use std::path::Path;

/// A scenario's TOML text and its origin (the file's path, or `example NAME`), which every error
/// about the scenario names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioSource {
    pub text: String,
    pub origin: String,
}

/// Why no scenario text could be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    #[error("{path}: cannot read the scenario file: {reason}")]
    Read { path: String, reason: String },
    /// An example name nobody bundles; the message lists close and known names.
    #[error("{0}")]
    Unknown(String),
}

fn read_file(path: &Path) -> Result<ScenarioSource, SourceError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| SourceError::Read { path: path.display().to_string(), reason: e.to_string() })?;
    Ok(ScenarioSource { text, origin: path.display().to_string() })
}

/// The file when one is given, else the bundled example `example` (the default example when
/// none is named).
pub fn file_or_example(file: Option<&Path>, example: Option<&str>) -> Result<ScenarioSource, SourceError> {
    if let Some(path) = file {
        return read_file(path);
    }
    let name = example.unwrap_or(decarb_engine::examples::DEFAULT_EXAMPLE);
    let text = decarb_engine::examples::example(name)
        .ok_or_else(|| SourceError::Unknown(decarb_engine::examples::unknown(name)))?;
    Ok(ScenarioSource { text: text.to_owned(), origin: format!("example {name}") })
}

/// `name` as a bundled example, else as a scenario file.
pub fn example_or_file(name: &str) -> Result<ScenarioSource, SourceError> {
    if let Some(text) = decarb_engine::examples::example(name) {
        return Ok(ScenarioSource { text: text.to_owned(), origin: format!("example {name}") });
    }
    let path = Path::new(name);
    if path.is_file() {
        return read_file(path);
    }
    let names = decarb_engine::examples::EXAMPLES.iter().map(|(n, _)| *n);
    Err(SourceError::Unknown(format!(
        "{name}: not a bundled example nor a scenario file{}; examples: {}",
        decarb_model::suggest::did_you_mean(&decarb_model::suggest::closest(name, names.clone())),
        names.collect::<Vec<_>>().join(", ")
    )))
}

/// The file when one is given, else `example` among a model's own bundled `examples` (MPP
/// steel, aluminium, ammonia); `model` names the model in the error.
pub fn file_or_listed(
    file: Option<&Path>,
    example: &str,
    model: &str,
    examples: &[(&str, &'static str)],
) -> Result<ScenarioSource, SourceError> {
    if let Some(path) = file {
        return read_file(path);
    }
    let names = examples.iter().map(|(name, _)| *name);
    let text =
        examples.iter().find(|(name, _)| *name == example).map(|(_, text)| *text).ok_or_else(|| {
            SourceError::Unknown(format!(
                "unknown {model} example {example:?}{}; known: {}",
                decarb_model::suggest::did_you_mean(&decarb_model::suggest::closest(example, names.clone())),
                names.collect::<Vec<_>>().join(", ")
            ))
        })?;
    Ok(ScenarioSource { text: text.to_owned(), origin: format!("example {example}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_examples_and_their_errors() {
        let default = file_or_example(None, None).unwrap();
        assert_eq!(default.origin, format!("example {}", decarb_engine::examples::DEFAULT_EXAMPLE));
        let named = example_or_file("baseline").unwrap();
        assert!(named.text.contains("name = \"baseline\""));
        let missing = file_or_example(Some(Path::new("/nonexistent/s.toml")), None).unwrap_err().to_string();
        assert!(missing.starts_with("/nonexistent/s.toml: cannot read the scenario file"), "{missing}");
        let typo = example_or_file("carbonprice").unwrap_err().to_string();
        assert!(typo.contains("did you mean carbon-price"), "{typo}");
        let mpp = file_or_listed(None, "mpp-carbn-cost", "MPP", &[("mpp-carbon-cost", "x")]).unwrap_err();
        assert!(mpp.to_string().contains("did you mean mpp-carbon-cost"), "{mpp}");
    }
}
