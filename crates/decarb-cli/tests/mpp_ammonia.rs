//! `decarb run --mpp-ammonia` and `decarb validate mpp-ammonia`, run as the user runs them, on the
//! shared copy of the MPP ammonia input folder and its `lc_ng_partial_cc200` run.

mod common;

use common::{decarb, text, validate};
use decarb_data::shared;

#[test]
fn validate_prints_one_line_per_check_and_exits_0_only_when_all_pass() {
    let Some(dataset) = shared::dataset("mpp-shared-code") else { return };
    let inputs = dataset.join("ammonia");
    let results = inputs.join("model_outputs/lc_ng_partial_cc200_emissions_trajectory.csv");
    let out = tempfile::tempdir().unwrap();
    let output = validate("mpp-ammonia", &inputs, &results, out.path());
    let stdout = text(&output.stdout);
    let lines: Vec<&str> =
        stdout.lines().filter(|l| l.starts_with("pass: ") || l.starts_with("FAIL: ")).collect();
    assert_eq!(lines.len(), 8, "{stdout}");
    for (line, check) in lines.iter().zip([
        "2020 production within 3 %",
        "2020 scope 1 within 3 %",
        "2030 scope 1 within 25 %",
        "2040 scope 1 within 25 %",
        "2050 scope 1 within 25 %",
        "2050 share of",
        "2050 share of",
        "2050 share of",
    ]) {
        assert!(line.contains(check) && line.contains("reference"), "{line}");
    }
    let all_pass = lines.iter().all(|l| l.starts_with("pass: "));
    // Exit 0 exactly when every check passes; a failed check is exit 1, not a user error (2).
    assert_eq!(output.status.code(), Some(i32::from(!all_pass)), "{stdout}\n{}", text(&output.stderr));
    assert!(stdout.contains(" of 8 checks pass"), "{stdout}");
    let report = std::fs::read_to_string(out.path().join("mpp-ammonia.md")).unwrap();
    assert!(report.contains("| 2020 |") && report.contains("## Checks"), "{report}");
    for chart in ["production", "scope1", "captured", "shares"] {
        assert!(out.path().join(format!("mpp-ammonia-{chart}.svg")).is_file(), "{chart}");
    }
}

#[test]
fn run_writes_ammonia_rows_and_bad_folders_exit_2_naming_the_file() {
    let Some(dataset) = shared::dataset("mpp-shared-code") else { return };
    let inputs = dataset.join("ammonia");
    let out = tempfile::tempdir().unwrap();
    let output =
        decarb(&["run", "--mpp-ammonia", inputs.to_str().unwrap(), "--out", out.path().to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let summary = std::fs::read_to_string(out.path().join("summary.csv")).unwrap();
    assert!(summary.lines().any(|l| l.contains(",2020,ammonia,")), "{summary}");
    // The lc-def copy lacks inputs_outputs_wide.csv: exit 2 with the file named.
    let lc_def = dataset.join("ammonia-inputs-lc-def");
    let output =
        decarb(&["run", "--mpp-ammonia", lc_def.to_str().unwrap(), "--out", out.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("inputs_outputs_wide.csv"), "{}", text(&output.stderr));
}
