//! `decarb run --mpp-aluminium` and `decarb validate mpp-aluminium`, run as the user runs them, on
//! the shared copy of the MPP aluminium input folders and the model's June 2022 run.

mod common;

use common::{decarb, text, validate, world_2020};
use decarb_data::shared;

#[test]
fn run_on_both_folder_layouts_gives_the_same_pathway() {
    let Some(dataset) = shared::dataset("mpp-shared-code") else { return };
    let mut outputs = Vec::new();
    for folder in ["aluminium-inputs-lc-def", "aluminium"] {
        let out = tempfile::tempdir().unwrap();
        let inputs = dataset.join(folder);
        let output = decarb(&[
            "run",
            "--mpp-aluminium",
            inputs.to_str().unwrap(),
            "--example",
            "mpp-aluminium-lc",
            "--out",
            out.path().to_str().unwrap(),
        ]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        let (production, scope1) = world_2020(out.path(), "aluminium");
        // demand.csv 2020: 65.29 Mt, less 0.46 Mt Africa and Oceania cannot make in 2020;
        // scope 1 with emissions.csv's 2020 factors (crates/decarb-scenario/tests/mpp_aluminium.rs).
        assert!((production / 65.287_62 - 1.0).abs() < 0.01, "{production}");
        assert!((scope1 - 586.1).abs() < 1.0, "{scope1}");
        outputs.push(out);
    }
    for file in ["summary.csv", "technology_mix.csv", "decisions.csv"] {
        let a = std::fs::read(outputs[0].path().join(file)).unwrap();
        let b = std::fs::read(outputs[1].path().join(file)).unwrap();
        assert!(a == b, "{file} differs between the two layouts");
    }
}

#[test]
fn validate_prints_one_line_per_check_and_exits_by_them() {
    let Some(dataset) = shared::dataset("mpp-shared-code") else { return };
    let out = tempfile::tempdir().unwrap();
    let inputs = dataset.join("aluminium-inputs-lc-def");
    let results = dataset.join("aluminium/model_outputs/simulation_outputs_aluminium_lc_def_0640df6.csv");
    let output = validate("mpp-aluminium", &inputs, &results, out.path());
    let stdout = text(&output.stdout);
    let lines: Vec<&str> =
        stdout.lines().filter(|l| l.starts_with("pass ") || l.starts_with("FAIL ")).collect();
    let expected = [
        "2020 production within 3 % of the reference: decarb ",
        "2020 scope 1 within 3 % of the reference: decarb ",
        "2030 scope 1 within 25 % of the reference: decarb ",
        "2040 scope 1 within 25 % of the reference: decarb ",
        "2050 scope 1 within 25 % of the reference: decarb ",
        "2050 share of Carbon Anode + Coal within 10 points of the reference: decarb ",
        "2050 share of Carbon Anode + Grid within 10 points of the reference: decarb ",
        "2050 share of Inert Anode + Grid within 10 points of the reference: decarb ",
    ];
    assert_eq!(lines.len(), expected.len(), "{stdout}");
    for (line, start) in lines.iter().zip(expected) {
        assert!(line[5..].starts_with(start), "{line:?} should start with {start:?}");
        assert!(line.contains(" Mt") || line.contains(" %"), "{line}");
    }
    // The reference figures: 65.5 Mt and 943.2 Mt CO2 in 2020.
    assert!(lines[0].contains("MPP 65.5 Mt") && lines[1].contains("MPP 943.2 Mt"), "{stdout}");
    let failed = lines.iter().filter(|l| l.starts_with("FAIL ")).count();
    assert!(stdout.contains(&format!("{} of 8 checks pass", 8 - failed)), "{stdout}");
    // Exit 0 only when every check passes; a failed check is not the user's error (1, not 2).
    assert_eq!(output.status.code(), Some(i32::from(failed != 0)), "{}", text(&output.stderr));
    let report = std::fs::read_to_string(out.path().join("mpp-aluminium.md")).unwrap();
    assert!(report.contains("| 2050 |") && report.contains("Carbon Anode + Coal"), "{report}");
    for chart in ["mpp-aluminium-production.svg", "mpp-aluminium-scope1.svg", "mpp-aluminium-shares.svg"] {
        assert!(std::fs::read_to_string(out.path().join(chart)).unwrap().starts_with("<svg"), "{chart}");
    }
}

#[test]
fn a_broken_aluminium_folder_is_a_user_error_naming_the_place() {
    let empty = tempfile::tempdir().unwrap();
    let output = decarb(&[
        "run",
        "--mpp-aluminium",
        empty.path().to_str().unwrap(),
        "--out",
        empty.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("initial_asset_stack.csv"), "{}", text(&output.stderr));
    let Some(dataset) = shared::dataset("mpp-shared-code") else { return };
    // A copy of the published folder (in a temporary folder) with one bad capacity on line 5.
    let dir = tempfile::tempdir().unwrap();
    let source = dataset.join("aluminium-inputs-lc-def");
    for entry in std::fs::read_dir(&source).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let stack = dir.path().join("initial_asset_stack.csv");
    let original = std::fs::read_to_string(&stack).unwrap();
    let mut lines: Vec<String> = original.lines().map(str::to_owned).collect();
    lines[4] = lines[4].replace(",0.195,", ",0.1x5,");
    assert!(lines[4].contains("0.1x5"), "{}", lines[4]);
    std::fs::write(&stack, lines.join("\n")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = decarb(&[
        "run",
        "--mpp-aluminium",
        dir.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    for part in ["initial_asset_stack.csv", "row 5", "annual_production_capacity", "0.1x5", "Mt per year"] {
        assert!(stderr.contains(part), "{part} missing in: {stderr}");
    }
}
