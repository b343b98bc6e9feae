//! What this machine lets the test suite check. Tests that need a shared dataset, PostgreSQL,
//! Chromium, Node or python3 skip (with a printed reason) when it is missing, and fail under CI
//! (`decarb_data::shared::skip`). This test gathers every such prerequisite in one place and
//! prints one line saying what is missing and so what is skipped; under CI it fails if anything
//! is. See it with:
//!
//! ```sh
//! cargo test -p decarb-cli --test environment -- --nocapture
//! ```

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every shared dataset the code asks for: the names in `dataset("...")` calls under crates/.
fn datasets_in_use() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut stack = vec![workspace().join("crates")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable crates/") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for (i, _) in text.match_indices("dataset(\"") {
                    let rest = &text[i + "dataset(\"".len()..];
                    // Dataset folder names only (a doc comment's `dataset("...")` is not one).
                    let name: String =
                        rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
                    if !name.is_empty() && rest[name.len()..].starts_with('"') {
                        names.insert(name);
                    }
                }
            }
        }
    }
    names
}

fn runs(program: &str, arg: &str) -> bool {
    std::process::Command::new(program).arg(arg).output().is_ok_and(|o| o.status.success())
}

fn missing_prerequisites() -> (usize, Vec<String>) {
    let mut missing = Vec::new();
    let datasets = datasets_in_use();
    let root = decarb_data::shared::root();
    for name in &datasets {
        if !root.join(name).is_dir() {
            missing.push(format!("dataset {name}"));
        }
    }
    if std::env::var("DECARB_TEST_POSTGRES_URL").map_or(true, |url| url.trim().is_empty()) {
        missing.push("PostgreSQL (DECARB_TEST_POSTGRES_URL)".into());
    }
    if decarb_brief::pdf::find_chromium().is_none() {
        missing.push("Chromium".into());
    }
    if !runs("node", "--version") {
        missing.push("node".into());
    }
    if !Path::new(&workspace().join("dashboard/node_modules/playwright-core")).is_dir() {
        missing.push("dashboard/node_modules (npm ci)".into());
    }
    if !runs("python3", "--version") {
        missing.push("python3".into());
    }
    (datasets.len() + 5, missing)
}

#[test]
fn every_prerequisite_of_the_suite_is_here_or_its_absence_is_said() {
    let (total, missing) = missing_prerequisites();
    // The scan finds the datasets the suite is known to use: it is not reading nothing.
    assert!(total > 10, "only {total} prerequisites found: the dataset scan is broken");
    if missing.is_empty() {
        eprintln!("environment: all {total} prerequisites present; no check skips");
        return;
    }
    let line = format!(
        "environment: {} of {total} prerequisites missing, the checks needing them skip: {}",
        missing.len(),
        missing.join(", ")
    );
    assert!(!decarb_data::shared::under_ci(), "{line}");
    eprintln!("{line}");
}
