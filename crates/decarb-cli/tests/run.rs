//! `decarb run` and `decarb example`, run as the user runs them: the binary, its output files,
//! its terminal summary and its exit codes.

mod common;

use common::{decarb_in, text};
use decarb_data::shared;
use std::path::Path;

#[test]
fn run_without_arguments_runs_net_zero_2050_into_decarb_out() {
    let dir = tempfile::tempdir().unwrap();
    let output = decarb_in(dir.path(), &["run"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let summary = text(&output.stdout);
    assert!(summary.contains("scenario net-zero-2050"), "{summary}");
    assert!(summary.contains("emissions boundary: direct = scope 1"), "{summary}");
    assert!(summary.contains("remaining gap to net zero in 2050"), "{summary}");
    assert!(summary.contains("resource limits"), "{summary}");
    let out = dir.path().join("decarb-out/net-zero-2050");
    for file in [
        "summary.csv",
        "technology_mix.csv",
        "resources.csv",
        "decisions.csv",
        "limits.csv",
        "emissions.svg",
        "technology_mix.svg",
        "capex.svg",
        "resources.svg",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "scenario,year,sector,region,production_mt,capacity_mt,direct_emissions_mtco2,captured_mtco2,\
             indirect_emissions_mtco2,capex_busd,opex_busd,stranded_capacity_mt"
        )
    );
    assert!(csv.contains("net-zero-2050,2020,steel,World,"), "no World row");
    let svg = std::fs::read_to_string(out.join("emissions.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("2030 milestone"), "emissions chart");
}

#[test]
fn the_same_seed_gives_the_same_files_and_json_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    for (out, threads) in [("a", "1"), ("b", "2")] {
        let output = decarb_in(
            dir.path(),
            &[
                "run",
                "--example",
                "baseline",
                "--out",
                out,
                "--seed",
                "7",
                "--threads",
                threads,
                "--format",
                "json",
            ],
        );
        assert!(output.status.success(), "{}", text(&output.stderr));
    }
    for file in ["summary.csv", "summary.json", "decisions.csv", "technology_mix.json", "capex.svg"] {
        let a = std::fs::read(dir.path().join("a").join(file)).unwrap();
        let b = std::fs::read(dir.path().join("b").join(file)).unwrap();
        assert!(a == b, "{file} differs");
    }
}

#[test]
fn a_malformed_scenario_exits_2_naming_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(
        &file,
        "name = \"bad\"\nprice_set = \"mpp-shared-2022\"\ndemand = \"bau\"\n\n[[limits]]\nresource = \"hydrogen\"\nquantity = \"5 TWh\"\n",
    )
    .unwrap();
    let output = decarb_in(dir.path(), &["run", "bad.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let err = text(&output.stderr);
    assert!(
        err.contains("bad.toml, line 7") && err.contains("limits[0].quantity") && err.contains("TWh"),
        "{err}"
    );
    let output = decarb_in(dir.path(), &["run", "--example", "no-such"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("net-zero-2050"));
}

#[test]
fn examples_are_listed_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    let output = decarb_in(dir.path(), &["example", "list", "--format", "csv"]);
    assert!(output.status.success());
    let list = text(&output.stdout);
    for name in ["baseline", "carbon-price", "tech-moratorium", "fastest-abatement", "net-zero-2050"] {
        assert!(list.contains(name), "{list}");
    }
    let output = decarb_in(dir.path(), &["example", "show", "tech-moratorium"]);
    assert!(output.status.success());
    assert!(text(&output.stdout).contains("moratorium_year = 2030"));
    assert_eq!(decarb_in(dir.path(), &["example", "show", "nope"]).status.code(), Some(2));
}

#[test]
fn a_gem_workbook_replaces_the_bundled_steel_fleet() {
    let Some(data) = shared::dataset("gem-steel-plant-tracker-2023-03") else { return };
    let workbook = data.join("global_steel_plant_tracker_2023_03.xlsx");
    let dir = tempfile::tempdir().unwrap();
    let output = decarb_in(
        dir.path(),
        &["run", "--example", "baseline", "--fleet", workbook.to_str().unwrap(), "--out", "gem"],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let csv = std::fs::read_to_string(dir.path().join("gem/summary.csv")).unwrap();
    let row = csv.lines().find(|l| l.starts_with("baseline,2020,steel,World,")).unwrap();
    let capacity: f64 = row.split(',').nth(5).unwrap().parse().unwrap();
    // The workbook's operating crude-steel capacity (2,271 Mt/yr) less 4 plants of unknown route.
    assert!((capacity - 2268.3).abs() < 0.5, "{capacity}");
}

#[test]
fn a_fleet_stored_in_the_tracker_runs_like_the_file_it_came_from() {
    let Some(data) = shared::dataset("gem-steel-plant-tracker-2023-03") else { return };
    let workbook = data.join("global_steel_plant_tracker_2023_03.xlsx");
    let workbook = workbook.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tracker.db");
    let db = db.to_str().unwrap();
    for args in [vec!["db", "init", "--db", db], vec!["db", "import", workbook, "--db", db]] {
        let output = decarb_in(dir.path(), &args);
        assert!(output.status.success(), "{args:?}: {}", text(&output.stderr));
    }
    let from_file =
        decarb_in(dir.path(), &["run", "--example", "baseline", "--fleet", workbook, "--out", "file"]);
    assert!(from_file.status.success(), "{}", text(&from_file.stderr));
    let from_store = decarb_in(dir.path(), &["run", "--example", "baseline", "--db", db, "--out", "store"]);
    assert!(from_store.status.success(), "{}", text(&from_store.stderr));
    assert!(text(&from_store.stderr).contains("read 1433 plants from the tracker store"));
    // The store keeps every field the engine reads, so the pathway is the same to the byte.
    for file in ["summary.csv", "technology_mix.csv", "resources.csv"] {
        let a = std::fs::read(dir.path().join("file").join(file)).unwrap();
        let b = std::fs::read(dir.path().join("store").join(file)).unwrap();
        assert!(a == b, "{file} differs between --fleet and --db");
    }
    // As of a date before the release was imported, the store holds no plant: the bundled
    // fleet stays, and the run says so.
    let early = decarb_in(dir.path(), &["run", "--example", "baseline", "--db", db, "--as-of", "2020-01-01"]);
    assert!(early.status.success(), "{}", text(&early.stderr));
    assert!(text(&early.stderr).contains("read 0 plants from the tracker store"));
    let missing = decarb_in(dir.path(), &["run", "--db", "no/such/dir/x.db"]);
    assert_eq!(missing.status.code(), Some(2), "{}", text(&missing.stderr));
}

/// Issue 12, bad input: limits that leave a sector no feasible option stop the run with exit 2
/// and an error naming the year, sector, region and the binding limit. With CO2 storage held to
/// announced projects by region (IEA CCUS Projects Database 2025: 9.55 Mt/yr in China in 2030) and
/// no unabated capacity from 2030, China cannot build the cement plants its demand needs in 2030.
#[test]
fn limits_that_leave_a_sector_no_option_are_an_error_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = decarb_engine::examples::example("net-zero-2050")
        .unwrap()
        .replace("limit_set = \"net-zero\"", "limit_set = \"net-zero-announced-storage\"");
    let path = dir.path().join("announced.toml");
    std::fs::write(&path, scenario).unwrap();
    let output = decarb_in(dir.path(), &["run", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let err = text(&output.stderr);
    for part in ["2030", "cement", "china", "co2_storage@china"] {
        assert!(err.contains(part), "{part} missing from: {err}");
    }
}

/// The rows of a CSV file as maps from column to value.
fn csv_rows(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(str::to_owned).collect();
    lines
        .map(|line| {
            // Owner names may hold commas: the CSV quotes them.
            let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(line.as_bytes());
            let record = reader.records().next().unwrap().unwrap();
            header.iter().cloned().zip(record.iter().map(str::to_owned)).collect()
        })
        .collect()
}

fn number(row: &std::collections::BTreeMap<String, String>, column: &str) -> f64 {
    row[column].parse().unwrap_or_else(|_| panic!("{column}: {:?}", row[column]))
}

/// `--by country`: India's 2020 steel from its own plants is the bundled fleet's Indian crude-steel
/// capacity x the India region's base-year utilisation (reported production / bundled capacity),
/// within 0.5 %; the country rows add up to the World row; summary.csv is unchanged.
#[test]
fn run_by_country_writes_each_country_from_its_own_plants() {
    use decarb_model::{Region, Route, Sector};
    let dir = tempfile::tempdir().unwrap();
    let output = decarb_in(dir.path(), &["run", "--example", "baseline", "--by", "country", "--out", "out"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("steel by country: the 10 largest by 2020 direct CO2, then the rest"),
        "{stdout}"
    );
    assert!(stdout.contains("India (IND)"), "{stdout}");
    let rows = csv_rows(&dir.path().join("out/summary_by_country.csv"));
    assert_eq!(
        rows[0].keys().cloned().collect::<Vec<_>>(),
        [
            "capacity_mt",
            "captured_mtco2",
            "country",
            "direct_emissions_mtco2",
            "indirect_emissions_mtco2",
            "production_mt",
            "scenario",
            "sector",
            "year"
        ]
    );
    let at = |country: &str| {
        rows.iter()
            .find(|r| r["year"] == "2020" && r["sector"] == "steel" && r["country"] == country)
            .unwrap()
    };
    let capacity_mt: f64 = decarb_data::world::sector_fleet(Sector::Steel)
        .plants
        .iter()
        .filter(|p| p.status.is_operating() && p.country.is_some_and(|c| c.as_str() == "IND"))
        .filter(|p| matches!(p.route, Route::BfBof | Route::DriEaf | Route::Eaf | Route::Ohf | Route::Bof))
        .filter_map(|p| p.capacity.value())
        .map(decarb_model::units::TonnesPerYear::to_mt)
        .sum();
    let expected = capacity_mt * decarb_data::world::base_utilisation(Sector::Steel, Region::India);
    let india = number(at("IND"), "production_mt");
    assert!(
        (india - expected).abs() <= 0.005 * expected,
        "India 2020 steel {india:.3} Mt vs {expected:.3} Mt"
    );
    assert!(number(at("IND"), "direct_emissions_mtco2") > 150.0);
    // The countries add up to the world.
    let summary = csv_rows(&dir.path().join("out/summary.csv"));
    let world = summary
        .iter()
        .find(|r| r["year"] == "2020" && r["sector"] == "steel" && r["region"] == "World")
        .unwrap();
    for column in ["production_mt", "direct_emissions_mtco2"] {
        let sum: f64 = rows
            .iter()
            .filter(|r| r["year"] == "2020" && r["sector"] == "steel")
            .map(|r| number(r, column))
            .sum();
        let want = number(world, column);
        assert!((sum - want).abs() <= 0.0005 * want, "{column}: countries {sum:.3} vs World {want:.3}");
    }
}

/// `--by owner`: the owner rows (shares of plants, unattributed parts in their own groups) add up
/// to the World row, the attribution counts are written, and the terminal names the largest
/// owners.
#[test]
fn run_by_owner_adds_up_to_the_world_and_reports_assumed_shares() {
    let dir = tempfile::tempdir().unwrap();
    let output = decarb_in(dir.path(), &["run", "--example", "baseline", "--by", "owner", "--out", "out"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("steel by owner") && stdout.contains("ArcelorMittal SA"), "{stdout}");
    assert!(stdout.contains("split equally among holders without a stated share (assumed)"), "{stdout}");
    let rows = csv_rows(&dir.path().join("out/summary_by_owner.csv"));
    let summary = csv_rows(&dir.path().join("out/summary.csv"));
    for year in ["2020", "2050"] {
        for sector in ["steel", "cement"] {
            let world = summary
                .iter()
                .find(|r| r["year"] == year && r["sector"] == sector && r["region"] == "World")
                .unwrap();
            for column in ["production_mt", "direct_emissions_mtco2", "captured_mtco2"] {
                let sum: f64 = rows
                    .iter()
                    .filter(|r| r["year"] == year && r["sector"] == sector)
                    .map(|r| number(r, column))
                    .sum();
                let want = number(world, column);
                assert!(
                    (sum - want).abs() <= 0.0005 * want.abs() + 0.05,
                    "{year} {sector} {column}: owners {sum:.3} vs World {want:.3}"
                );
            }
        }
    }
    let attribution = csv_rows(&dir.path().join("out/owner_attribution.csv"));
    let assumed = attribution.iter().find(|r| r["attribution"] == "assumed_equal_shares").unwrap();
    assert!(number(assumed, "plants") > 100.0);
}

#[test]
fn run_by_region_changes_nothing_and_an_ensemble_cannot_be_broken_down() {
    let dir = tempfile::tempdir().unwrap();
    let plain = decarb_in(dir.path(), &["run", "--example", "baseline", "--out", "a"]);
    let by_region = decarb_in(dir.path(), &["run", "--example", "baseline", "--by", "region", "--out", "b"]);
    assert!(plain.status.success() && by_region.status.success());
    for file in ["summary.csv", "technology_mix.csv"] {
        assert_eq!(
            std::fs::read(dir.path().join("a").join(file)).unwrap(),
            std::fs::read(dir.path().join("b").join(file)).unwrap()
        );
    }
    assert!(!dir.path().join("b/summary_by_region.csv").exists());
    let output = decarb_in(
        dir.path(),
        &["run", "--example", "baseline", "--by", "owner", "--runs", "3", "--out", "c"],
    );
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("--by country and --by owner break down a single run"));
}
