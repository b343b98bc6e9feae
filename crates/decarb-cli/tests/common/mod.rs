//! What the MPP side-by-side tests (`mpp_steel`, `mpp_aluminium`, `mpp_ammonia`) share: running
//! the binary as the user runs it and reading what it wrote.

// Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

pub fn decarb(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_decarb")).args(args).output().expect("the decarb binary runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
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
