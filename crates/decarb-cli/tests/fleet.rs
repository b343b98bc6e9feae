//! `decarb fleet`, run as the user runs it: the binary on the real GEM workbook, its output,
//! its import report on stderr and its exit codes.

mod common;

use common::{decarb, text};
use decarb_data::shared;
use std::path::{Path, PathBuf};
use std::process::Output;

fn gem_workbook() -> Option<PathBuf> {
    shared::dataset("gem-steel-plant-tracker-2023-03")
        .map(|d| d.join("global_steel_plant_tracker_2023_03.xlsx"))
}

fn csv_rows(output: &Output) -> Vec<Vec<String>> {
    assert!(output.status.success(), "{}", text(&output.stderr));
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(output.stdout.as_slice());
    reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect()
}

#[test]
fn the_gem_workbook_has_2271_mt_operating_and_43_plants_of_unknown_capacity() {
    let Some(workbook) = gem_workbook() else { return };
    let path = workbook.to_str().unwrap();
    let output = decarb(&["fleet", "summary", path, "--status", "operating", "--format", "csv"]);
    let rows = csv_rows(&output);
    assert_eq!(rows[0], ["plants", "capacity_mt", "capacity_unknown"]);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], "932");
    let capacity: f64 = rows[1][1].parse().unwrap();
    assert!((capacity - 2271.0).abs() / 2271.0 < 0.005, "{capacity}");
    assert_eq!(rows[1][2], "43");
    // The import report goes to stderr: placeholders are counted where the user sees them.
    let report = text(&output.stderr);
    assert!(report.contains("1433 plants") && report.contains(">0 2, blank 103"), "{report}");
    assert!(report.contains("SMY00015"), "{report}");
}

#[test]
fn groups_come_in_the_order_of_by_and_sorted() {
    let Some(workbook) = gem_workbook() else { return };
    let path = workbook.to_str().unwrap();
    let rows = csv_rows(&decarb(&["fleet", "summary", path, "--by", "status,route", "--format", "csv"]));
    assert_eq!(rows[0], ["status", "route", "plants", "capacity_mt", "capacity_unknown"]);
    let keys: Vec<(String, String)> = rows[1..].iter().map(|r| (r[0].clone(), r[1].clone())).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let plants: usize = rows[1..].iter().map(|r| r[2].parse::<usize>().unwrap()).sum();
    assert_eq!(plants, 1433);
    let json =
        decarb(&["fleet", "summary", path, "--by", "country", "--sector", "steel", "--format", "json"]);
    let records: Vec<serde_json::Value> = serde_json::from_slice(&json.stdout).unwrap();
    let china = records.iter().find(|r| r["country"] == "CHN").unwrap();
    assert_eq!(china["plants"], 557);
}

#[test]
fn export_then_summary_gives_the_same_totals() {
    let Some(workbook) = gem_workbook() else { return };
    let path = workbook.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    for name in ["fleet.csv", "fleet.json"] {
        let out = dir.path().join(name);
        let exported = decarb(&["fleet", "export", path, "--to", out.to_str().unwrap()]);
        assert!(exported.status.success(), "{}", text(&exported.stderr));
        let by = ["--by", "country,route,status,sector", "--format", "csv"];
        let source = csv_rows(&decarb(&[&["fleet", "summary", path][..], &by].concat()));
        let copy = csv_rows(&decarb(&[&["fleet", "summary", out.to_str().unwrap()][..], &by].concat()));
        assert_eq!(source, copy, "{name}");
    }
}

fn corrupted_copy(dir: &Path) -> Option<PathBuf> {
    let original = shared::dataset("gem-steel-plant-tracker-2023-03")?.join("steel_plants.csv");
    let mut reader = csv::Reader::from_path(original).unwrap();
    let header = reader.headers().unwrap().clone();
    let column = header.iter().position(|h| h == "Nominal crude steel capacity (ttpa)").unwrap();
    let path = dir.join("corrupted plants.csv");
    let mut writer = csv::Writer::from_path(&path).unwrap();
    writer.write_record(&header).unwrap();
    for (index, record) in reader.records().enumerate() {
        let mut record: Vec<String> = record.unwrap().iter().map(str::to_owned).collect();
        if index == 40 {
            "about 3 Mt".clone_into(&mut record[column]);
        }
        writer.write_record(&record).unwrap();
    }
    writer.flush().unwrap();
    Some(path)
}

#[test]
fn a_corrupted_cell_exits_2_naming_file_row_column_value_and_expectation() {
    let dir = tempfile::tempdir().unwrap();
    let Some(path) = corrupted_copy(dir.path()) else { return };
    let output = decarb(&["fleet", "summary", path.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "no partial output");
    let message = text(&output.stderr);
    // Record 40 (0-based) is spreadsheet row 42: header row 1, first plant row 2.
    for part in [
        "corrupted plants.csv",
        "row 42",
        "Nominal crude steel capacity (ttpa)",
        "\"about 3 Mt\"",
        "expected a non-negative number",
    ] {
        assert!(message.contains(part), "{part:?} missing from: {message}");
    }
}

#[test]
fn unrecognised_files_and_bad_arguments_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.csv");
    std::fs::write(&path, "a,b\n1,2\n").unwrap();
    let output = decarb(&["fleet", "summary", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("format not recognised"), "{}", text(&output.stderr));
    let missing = decarb(&["fleet", "summary", dir.path().join("missing.csv").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
    let bad_status = decarb(&["fleet", "summary", path.to_str().unwrap(), "--status", "sold"]);
    assert_eq!(bad_status.status.code(), Some(2));
}
