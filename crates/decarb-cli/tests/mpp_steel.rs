//! `decarb run --mpp-steel` and `decarb validate mpp-steel`, run as the user runs them, on the
//! shared copy of the MPP steel model's input folder and reference runs.

mod common;

use common::{decarb, text, validate, world_2020};
use decarb_data::shared;

#[test]
fn run_on_the_mpp_folder_writes_steel_rows_that_start_from_worldsteel_2020() {
    let Some(dataset) = shared::dataset("mpp-steel-model") else { return };
    let inputs = dataset.join("inputs");
    let out = tempfile::tempdir().unwrap();
    let output = decarb(&[
        "run",
        "--mpp-steel",
        inputs.to_str().unwrap(),
        "--example",
        "mpp-carbon-cost",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let (production, scope1) = world_2020(out.path(), "steel");
    // worldsteel 2020 (WSA Production 2020.csv) and the reference run's 3,161 Mt scope 1.
    assert!((production - 1_880.4).abs() < 0.1, "{production}");
    assert!((scope1 / 3_161.3 - 1.0).abs() < 0.02, "{scope1}");
    // The same seed gives byte-identical files.
    let again = tempfile::tempdir().unwrap();
    let output =
        decarb(&["run", "--mpp-steel", inputs.to_str().unwrap(), "--out", again.path().to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    for file in ["summary.csv", "technology_mix.csv", "decisions.csv"] {
        let a = std::fs::read(out.path().join(file)).unwrap();
        let b = std::fs::read(again.path().join(file)).unwrap();
        assert!(a == b, "{file} differs between two runs with the same seed");
    }
}

#[test]
fn a_broken_mpp_folder_is_a_user_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let output = decarb(&["run", "--mpp-steel", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    let err = text(&output.stderr);
    assert!(err.contains("Technology Business Cases.csv") && err.contains("not found"), "{err}");
    let output = decarb(&["run", "--mpp-steel", dir.path().to_str().unwrap(), "--example", "nope"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
}

#[test]
fn validate_writes_the_side_by_side_report_and_charts() {
    let Some(dataset) = shared::dataset("mpp-steel-model") else { return };
    let out = tempfile::tempdir().unwrap();
    let output =
        validate("mpp-steel", &dataset.join("inputs"), &dataset.join("results-carbon_cost"), out.path());
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report = std::fs::read_to_string(out.path().join("mpp-steel.md")).unwrap();
    for needle in [
        "`carbon_cost`",
        "`carbon_cost_run2_same_inputs`",
        "| 2020 production within 2 % of the reference runs | pass |",
        "| 2020 scope 1 within 2 % of the reference runs | pass |",
        "| same seed, byte-identical outcome (two runs) | pass |",
        "### 2050",
    ] {
        assert!(report.contains(needle), "{needle} not in\n{report}");
    }
    for chart in
        ["mpp-steel-production.svg", "mpp-steel-capacity.svg", "mpp-steel-scope1.svg", "mpp-steel-shares.svg"]
    {
        let svg = std::fs::read_to_string(out.path().join(chart)).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("carbon_cost"), "{chart}");
    }
}

/// Issue 13: the side by side keeps passing with the MPP model's own choice rule, and the report
/// says which rule decarb ran.
#[test]
fn validate_with_the_mpp_choice_rule_passes_every_check_and_states_the_rule() {
    let Some(dataset) = shared::dataset("mpp-steel-model") else { return };
    let out = tempfile::tempdir().unwrap();
    let output = decarb(&[
        "validate",
        "mpp-steel",
        "--inputs",
        dataset.join("inputs").to_str().unwrap(),
        "--results",
        dataset.join("results-carbon_cost").to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--choice",
        "mpp",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("9 of 9 checks pass"), "{}", text(&output.stdout));
    let report = std::fs::read_to_string(out.path().join("mpp-steel.md")).unwrap();
    assert!(report.contains("--choice mpp"), "{report}");
    assert!(report.contains("choice mpp (a seeded draw among the options within 10 %"), "{report}");
}
