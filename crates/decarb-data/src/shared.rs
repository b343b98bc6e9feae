//! Locating the shared real-world datasets (`../shared/data` beside the repository) for tests and
//! benchmarks, and the one rule for what a test may skip. The datasets are never copied into the
//! project; when they (or a service or browser a test needs) are absent, tests skip with a printed
//! reason, except under CI, where their absence is a failure.

use std::path::PathBuf;

/// Whether this is a CI run: `CI` set to one of the usual truthy values (`true`, `1`, `yes`,
/// `on`, any case), as CI services and `.ci/run` set it. An unset, empty or other value
/// (`false`, `0`) is not CI.
#[must_use]
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| is_truthy(&value))
}

fn is_truthy(value: &str) -> bool {
    matches!(value.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on")
}

/// Skips a check that lacks `what` (a dataset, a service, a browser), printing the reason, or
/// fails under CI, where every check must run.
///
/// # Panics
/// Under CI ([`under_ci`]).
pub fn skip(what: &str) {
    assert!(!under_ci(), "CI is set but {what}: every check must run under CI");
    eprintln!("skipping: {what}");
}

/// The root of the shared datasets: `DECARB_SHARED_DATA`, else `../shared/data` beside the
/// repository.
#[must_use]
pub fn root() -> PathBuf {
    std::env::var_os("DECARB_SHARED_DATA")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"), PathBuf::from)
}

/// The folder of one shared dataset (`gem-steel-plant-tracker-2023-03`), or `None` with a printed
/// reason when the shared data is not there and this is not CI.
///
/// # Panics
/// Under CI when the dataset is missing: CI must run the real-data tests.
pub fn dataset(name: &str) -> Option<PathBuf> {
    let dir = root().join(name);
    if dir.is_dir() {
        return Some(dir);
    }
    skip(&format!("the shared dataset {} is missing", dir.display()));
    None
}

#[cfg(test)]
mod tests {
    use super::is_truthy;

    #[test]
    fn the_usual_truthy_values_mean_ci_and_nothing_else_does() {
        for value in ["true", "TRUE", "True", "1", "yes", "on", " true "] {
            assert!(is_truthy(value), "{value:?}");
        }
        for value in ["", "0", "false", "no", "off", "maybe"] {
            assert!(!is_truthy(value), "{value:?}");
        }
    }
}
