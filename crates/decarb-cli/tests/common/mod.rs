//! What the CLI's test files share: running the binary as the user runs it (`decarb`,
//! `decarb_in` a folder), its output as text, and for the MPP side-by-side tests (`mpp_steel`,
//! `mpp_aluminium`, `mpp_ammonia`) reading what it wrote.

// Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

pub fn decarb(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_decarb")).args(args).output().expect("the decarb binary runs")
}

/// `decarb ARGS` run in `dir` (where it writes `decarb-out/`).
pub fn decarb_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_decarb"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the decarb binary runs")
}

/// Output as text (a stray byte shows as U+FFFD; the assertions then say what was printed).
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The stdout of a command that must succeed (else its exit code and stderr).
pub fn ok(output: &Output) -> String {
    assert!(output.status.success(), "exit {:?}: {}", output.status.code(), text(&output.stderr));
    text(&output.stdout)
}

/// `decarb validate <model> --inputs .. --results .. --out ..`.
pub fn validate(model: &str, inputs: &Path, results: &Path, out: &Path) -> Output {
    decarb(&[
        "validate",
        model,
        "--inputs",
        inputs.to_str().unwrap(),
        "--results",
        results.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

/// World production (Mt) and direct emissions (Mt CO2) of `sector` in 2020 from a run's
/// `summary.csv`.
pub fn world_2020(out: &Path, sector: &str) -> (f64, f64) {
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(summary.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[col("year")] == "2020" && &r[col("region")] == "World" && &r[col("sector")] == sector)
        .unwrap_or_else(|| panic!("no world 2020 {sector} row in\n{summary}"));
    (row[col("production_mt")].parse().unwrap(), row[col("direct_emissions_mtco2")].parse().unwrap())
}
