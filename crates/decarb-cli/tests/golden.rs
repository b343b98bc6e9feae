//! Golden outputs: the summary of every bundled example (world and regions, every sector and
//! year) is committed under `tests/golden/` and a fresh run must match it within a relative
//! tolerance of 1e-9 (runs are deterministic, so any difference is a change of results).
//!
//! A change that moves results regenerates them with one command and shows the diff in its
//! commit, where a reviewer reads it:
//!
//! ```text
//! DECARB_UPDATE_GOLDEN=1 cargo test -p decarb-cli --test golden
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;

/// The bundled examples (`decarb example list`).
const EXAMPLES: [&str; 5] =
    ["baseline", "carbon-price", "tech-moratorium", "fastest-abatement", "net-zero-2050"];
const RELATIVE_TOLERANCE: f64 = 1e-9;

fn golden_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(format!("{name}.summary.csv"))
}

fn fresh_summary(name: &str, dir: &Path) -> String {
    let out = dir.join(name);
    let output = Command::new(env!("CARGO_BIN_EXE_decarb"))
        .args(["run", "--example", name, "--out"])
        .arg(&out)
        .output()
        .expect("the decarb binary runs");
    assert!(output.status.success(), "{name}: {}", String::from_utf8_lossy(&output.stderr));
    std::fs::read_to_string(out.join("summary.csv")).expect("summary.csv written")
}

/// Cell-by-cell differences beyond the tolerance: (line, column, golden, fresh).
fn differences(golden: &str, fresh: &str) -> Vec<(usize, String, String, String)> {
    let (golden_lines, fresh_lines): (Vec<&str>, Vec<&str>) =
        (golden.lines().collect(), fresh.lines().collect());
    let header: Vec<&str> = golden_lines.first().map(|h| h.split(',').collect()).unwrap_or_default();
    let mut out = Vec::new();
    if golden_lines.len() != fresh_lines.len() {
        out.push((0, "rows".to_owned(), golden_lines.len().to_string(), fresh_lines.len().to_string()));
    }
    for (i, (g, f)) in golden_lines.iter().zip(&fresh_lines).enumerate() {
        for (j, (a, b)) in g.split(',').zip(f.split(',')).enumerate() {
            let same = match (a.parse::<f64>(), b.parse::<f64>()) {
                (Ok(x), Ok(y)) => (x - y).abs() <= RELATIVE_TOLERANCE * x.abs().max(y.abs()),
                _ => a == b,
            };
            if !same {
                let column = header.get(j).map_or_else(|| j.to_string(), |c| (*c).to_owned());
                out.push((i + 1, column, a.to_owned(), b.to_owned()));
            }
        }
    }
    out
}

#[test]
fn every_bundled_example_matches_its_golden_summary() {
    // The bundled world's smelters and refineries come from the user's copy of the MPP aluminium
    // stacks when there is one (AGPL-3.0, not bundled; docs/data-licences.md), and the goldens were
    // made with it: without it the world is the coarser bundled fallback. `dataset` skips with a
    // printed reason when the copy is absent, and fails under CI=true.
    if decarb_data::shared::dataset("mpp-shared-code").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let update = std::env::var_os("DECARB_UPDATE_GOLDEN").is_some();
    let mut report = Vec::new();
    for name in EXAMPLES {
        let fresh = fresh_summary(name, dir.path());
        let path = golden_path(name);
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &fresh).unwrap();
            continue;
        }
        let golden = std::fs::read_to_string(&path).unwrap_or_else(|_| {
            panic!(
                "{} is missing: run DECARB_UPDATE_GOLDEN=1 cargo test -p decarb-cli --test golden",
                path.display()
            )
        });
        let diffs = differences(&golden, &fresh);
        if !diffs.is_empty() {
            report.push(format!(
                "{name}: {} cells differ, first: {:?}",
                diffs.len(),
                &diffs[..diffs.len().min(5)]
            ));
        }
    }
    assert!(
        report.is_empty(),
        "results changed; if intended, regenerate with DECARB_UPDATE_GOLDEN=1 cargo test -p decarb-cli --test golden \
         and explain the change in the commit:\n{}",
        report.join("\n")
    );
}

#[test]
fn the_comparison_sees_a_change_and_tolerates_rounding_noise() {
    let golden = "scenario,year,value\nx,2020,100.000\nx,2021,0.000\n";
    assert!(differences(golden, golden).is_empty());
    assert!(differences(golden, "scenario,year,value\nx,2020,100.0000000000001\nx,2021,0.000\n").is_empty());
    let changed = differences(golden, "scenario,year,value\nx,2020,100.001\nx,2021,0.000\n");
    assert_eq!(changed, vec![(2, "value".to_owned(), "100.000".to_owned(), "100.001".to_owned())]);
    assert_eq!(differences(golden, "scenario,year,value\nx,2020,100.000\n")[0].1, "rows");
}
