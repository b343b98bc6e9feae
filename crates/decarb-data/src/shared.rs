//! Locating the shared real-world datasets (`../shared/data` beside the repository) for tests and
//! benchmarks. They are never copied into the project; when they are absent, tests skip with a
//! printed reason, except under `CI=true`, where their absence is a failure.

use std::path::PathBuf;

/// The folder of one shared dataset (`gem-steel-plant-tracker-2023-03`), or `None` with a printed
/// reason when the shared data is not there and this is not CI.
///
/// # Panics
/// Under `CI=true` when the dataset is missing: CI must run the real-data tests.
pub fn dataset(name: &str) -> Option<PathBuf> {
    let root = std::env::var_os("DECARB_SHARED_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    );
    let dir = root.join(name);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI=true but the shared dataset {} is missing",
        dir.display()
    );
    eprintln!("skipping: shared dataset {} not found", dir.display());
    None
}
