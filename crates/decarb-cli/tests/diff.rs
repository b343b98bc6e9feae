//! `decarb diff A B`, run as the user runs it: two bundled examples run on the fly, against the
//! committed golden summaries of the same examples; folders; identical runs; the chart; errors.

mod common;

use common::{decarb, text};
use std::path::Path;

/// The value of `column` in the golden summary of `example` for (year, sector, region).
fn golden(example: &str, year: &str, sector: &str, region: &str, column: &str) -> f64 {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/{example}.summary.csv"));
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    reader
        .records()
        .map(Result::unwrap)
        .find(|r| r[at("year")] == *year && r[at("sector")] == *sector && r[at("region")] == *region)
        .map(|r| r[at(column)].parse().unwrap())
        .unwrap()
}

#[test]
fn diff_of_baseline_and_net_zero_matches_their_golden_summaries_largest_first() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("diff.svg");
    let output =
        decarb(&["diff", "baseline", "net-zero-2050", "--format", "csv", "--chart", chart.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let csv = text(&output.stdout);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>().join(","),
        "sector,region,year,variable,a,b,difference,relative"
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // Every summary variable of 4 sectors x 12 regions (11 and World) x 31 years could differ; most do.
    assert!(rows.len() > 1000, "{} rows", rows.len());
    let magnitudes: Vec<f64> = rows.iter().map(|r| r[6].parse::<f64>().unwrap().abs()).collect();
    assert!(magnitudes.windows(2).all(|w| w[0] >= w[1]), "not largest first");
    // World steel direct CO2 in 2050: baseline 2228.8 Mt, net-zero-2050 276.1 Mt (golden files).
    let row = rows
        .iter()
        .find(|r| {
            &r[0] == "steel" && &r[1] == "World" && &r[2] == "2050" && &r[3] == "direct_emissions_mtco2"
        })
        .expect("the World steel 2050 direct CO2 row");
    let a = golden("baseline", "2050", "steel", "World", "direct_emissions_mtco2");
    let b = golden("net-zero-2050", "2050", "steel", "World", "direct_emissions_mtco2");
    let value = |i: usize| row[i].parse::<f64>().unwrap();
    assert!((value(4) - a).abs() < 1e-9 && (value(5) - b).abs() < 1e-9, "{row:?} vs {a} {b}");
    // Both sides are rounded to 3 decimals; their difference to within 1e-3 of rounding.
    assert!((value(6) - (b - a)).abs() < 1e-6, "{row:?}");
    assert!((value(7) - (b - a) / a).abs() < 1e-4, "{row:?}");
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("steel A") && svg.contains("steel B"), "{}", &svg[..200]);

    // The table format shows the top rows with the intro line.
    let output = decarb(&["diff", "baseline", "net-zero-2050", "--format", "table", "--top", "5"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let table = text(&output.stdout);
    assert!(table.contains("differ; the 5 largest (difference = B - A)"), "{table}");
}

#[test]
fn a_folder_and_the_same_example_run_on_the_fly_are_identical() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cp");
    let output = decarb(&["run", "--example", "carbon-price", "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let output = decarb(&["diff", out.to_str().unwrap(), "carbon-price", "--format", "table"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.starts_with("identical: "), "{stdout}");
    assert!(stdout.contains("values compared, no differences"), "{stdout}");
}

#[test]
fn a_side_that_is_neither_folder_file_nor_example_is_an_error_naming_it() {
    let output = decarb(&["diff", "no-such-run", "baseline"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("no-such-run: neither an output folder"),
        "{}",
        text(&output.stderr)
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("summary.csv"),
        "scenario,year,sector,region,production_mt\nx,2020,steel,World,abc\n",
    )
    .unwrap();
    let output = decarb(&["diff", dir.path().to_str().unwrap(), "baseline"]);
    assert_eq!(output.status.code(), Some(2));
    let err = text(&output.stderr);
    assert!(err.contains("row 2, column production_mt: \"abc\" is not a number"), "{err}");
}

/// `-o FILE.json` writes every difference as JSON (by the extension) and prints none; World steel
/// direct CO2 in 2050 is the golden figures' difference (276.1 - 2228.8 Mt) at full precision.
#[test]
fn out_writes_the_differences_to_a_file_in_the_format_of_its_extension() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.json");
    let output = decarb(&["diff", "baseline", "net-zero-2050", "-o", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(output.stdout.is_empty(), "{}", text(&output.stdout));
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(rows.len() > 1000, "all of them, not the top 20");
    let steel = rows
        .iter()
        .find(|r| {
            r["sector"] == "steel"
                && r["region"] == "World"
                && r["year"] == 2050
                && r["variable"] == "direct_emissions_mtco2"
        })
        .expect("World steel 2050");
    let (a, b) = (
        golden("baseline", "2050", "steel", "World", "direct_emissions_mtco2"),
        golden("net-zero-2050", "2050", "steel", "World", "direct_emissions_mtco2"),
    );
    let difference = steel["difference"].as_f64().unwrap();
    assert!((difference - (b - a)).abs() < 1e-9 * a.abs(), "{steel} vs {a} {b}");
}
