//! `decarb run --iamc` (iamc.csv, iamc.xlsx) and the run manifest (`manifest.json`, `decarb run
//! --from`), run as the user runs them. The IAMC files are also read with pyam
//! (tests/iamc/check_pyam.py): required under `CI=true` (`.ci/run` installs pyam-iamc 4.0.0 and
//! sets `DECARB_PYTHON`), skipped with a printed reason elsewhere when pyam is not importable.

mod common;

use common::{decarb, text};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(name)
}

/// The kept common-definitions list: variable -> unit.
fn common_definitions() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(data("data/iamc-common-definitions-variables.txt")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (v, u) = l.split_once('\t').expect("variable<TAB>unit");
            (v.to_owned(), u.to_owned())
        })
        .collect()
}

fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| headers.iter().zip(r.unwrap().iter()).map(|(h, v)| (h.to_owned(), v.to_owned())).collect())
        .collect()
}

fn number(row: &BTreeMap<String, String>, column: &str) -> f64 {
    row[column].parse().unwrap_or_else(|_| panic!("{column}: {:?}", row[column]))
}

/// net-zero-2050 (all four sectors) with --iamc and --by country into a temporary folder.
fn iamc_run() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let output = decarb(&["run", "--example", "net-zero-2050", "--iamc", "--by", "country", "--out", out]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    dir
}

#[test]
fn iamc_export_has_world_regions_and_countries_with_common_definitions_names() {
    let dir = iamc_run();
    let rows = read_csv(&dir.path().join("iamc.csv"));
    let header = std::fs::read_to_string(dir.path().join("iamc.csv")).unwrap();
    assert!(header.starts_with("model,scenario,region,variable,unit,2020,2021,"), "{}", &header[..80]);
    assert!(header.lines().next().unwrap().ends_with(",2049,2050"));
    assert!(dir.path().join("iamc.xlsx").is_file());
    let known = common_definitions();
    let extensions: BTreeMap<String, &str> = decarb_engine::iamc::extension_variables().into_iter().collect();
    for row in &rows {
        assert_eq!(row["model"], format!("decarb {}", env!("CARGO_PKG_VERSION")));
        let (variable, unit) = (&row["variable"], &row["unit"]);
        let expected = known.get(variable).map(String::as_str).or(extensions.get(variable).copied());
        assert_eq!(
            expected,
            Some(unit.as_str()),
            "{variable} [{unit}] is neither in the list nor an extension"
        );
    }
    let common: BTreeSet<&str> =
        rows.iter().map(|r| r["variable"].as_str()).filter(|v| known.contains_key(*v)).collect();
    // Production and final energy (total and by carrier) of the four sectors.
    assert!(common.contains("Production|Iron and Steel|Steel"), "{common:?}");
    assert!(common.contains("Final Energy|Industry|Non-Metallic Minerals|Cement|Solids|Coal"), "{common:?}");
    assert!(common.contains("Final Energy|Industry|Iron and Steel|Hydrogen"), "{common:?}");
    assert!(common.contains("Final Energy|Industry|Non-Ferrous Metals|Aluminum|Electricity"), "{common:?}");

    // World once per variable; the World rows equal summary.csv's World rows (summary.csv rounds to
    // 3 decimals, iamc.csv to 6).
    let summary = read_csv(&dir.path().join("summary.csv"));
    let iamc_at = |region: &str, variable: &str, year: &str| -> Vec<f64> {
        rows.iter()
            .filter(|r| r["region"] == region && r["variable"] == variable)
            .map(|r| number(r, year))
            .collect()
    };
    let production = |sector: &str| match sector {
        "steel" => "Production|Iron and Steel|Steel",
        "cement" => "Production|Non-Metallic Minerals|Cement",
        "aluminium" => "Production|Non-Ferrous Metals|Aluminum",
        _ => "Production|Chemicals|Ammonia",
    };
    let mut checked = 0;
    for s in summary.iter().filter(|r| r["region"] == "World") {
        let world = iamc_at("World", production(&s["sector"]), &s["year"]);
        assert_eq!(world.len(), 1, "World {} {}", s["sector"], s["year"]);
        assert!((world[0] - number(s, "production_mt")).abs() <= 0.0005 + 1e-9, "{s:?}: {world:?}");
        checked += 1;
    }
    assert_eq!(checked, 31 * 4);
    // Steel 2020 World production from the bundled world, as summary.csv states it (1812.0 Mt).
    let steel_2020 = iamc_at("World", "Production|Iron and Steel|Steel", "2020")[0];
    assert!((steel_2020 - 1812.0).abs() < 0.5, "{steel_2020}");

    // Countries (ISO3) plus the plants without a country sum to World (summary_by_country.csv).
    let by_country = read_csv(&dir.path().join("summary_by_country.csv"));
    for (sector, year) in [("steel", "2020"), ("cement", "2035"), ("aluminium", "2050"), ("ammonia", "2050")]
    {
        let countries: f64 = rows
            .iter()
            .filter(|r| r["region"].len() == 3 && r["region"].chars().all(|c| c.is_ascii_uppercase()))
            .filter(|r| r["variable"] == production(sector))
            .map(|r| number(r, year))
            .sum();
        let unknown: f64 = by_country
            .iter()
            .filter(|r| r["sector"] == sector && r["year"] == year && r["country"] == "(country unknown)")
            .map(|r| number(r, "production_mt"))
            .sum();
        let world = iamc_at("World", production(sector), year)[0];
        // Each country row is rounded to 1e-6 Mt, the unknown row to 1e-3 Mt.
        assert!(
            (countries + unknown - world).abs() < 0.01,
            "{sector} {year}: {countries} + {unknown} vs {world}"
        );
    }
}

/// The Python that has pyam: $DECARB_PYTHON, else python3.
fn python() -> String {
    std::env::var("DECARB_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

#[test]
fn pyam_reads_the_iamc_files_and_their_world_values_equal_the_summary() {
    let home = tempfile::tempdir().unwrap();
    let has_pyam = Command::new(python())
        .args(["-c", "import pyam"])
        .env("HOME", home.path())
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_pyam {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but {} cannot import pyam (.ci/run installs pyam-iamc==4.0.0 and sets DECARB_PYTHON)",
            python()
        );
        eprintln!(
            "skipped: {} cannot import pyam (pip install pyam-iamc==4.0.0; set DECARB_PYTHON)",
            python()
        );
        return;
    }
    let dir = iamc_run();
    let extensions = dir.path().join("extensions.txt");
    let names: Vec<String> =
        decarb_engine::iamc::extension_variables().into_iter().map(|(v, u)| format!("{v}\t{u}")).collect();
    std::fs::write(&extensions, names.join("\n")).unwrap();
    let output = Command::new(python())
        .arg(data("iamc/check_pyam.py"))
        .arg(dir.path())
        .arg(data("data/iamc-common-definitions-variables.txt"))
        .arg(&extensions)
        .env("HOME", home.path())
        .output()
        .unwrap();
    let report = text(&output.stdout);
    println!("{report}");
    assert!(output.status.success(), "{report}\n{}", text(&output.stderr));
    assert!(report.contains("World: 744 values equal summary.csv"), "{report}");
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn a_run_from_its_manifest_writes_a_byte_identical_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let output = decarb(&[
        "run",
        "--example",
        "carbon-price",
        "--seed",
        "7",
        "--threads",
        "2",
        "--iamc",
        "--out",
        a.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(a.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["options"]["seed"], 7);
    assert_eq!(manifest["options"]["threads"], 2);
    assert_eq!(manifest["scenario"]["example"], "carbon-price");
    assert_eq!(manifest["scenario"]["text"], decarb_engine::examples::example("carbon-price").unwrap());
    assert_eq!(manifest["build"]["decarb_version"], env!("CARGO_PKG_VERSION"));
    assert!(manifest["emissions_boundary"].as_str().unwrap().starts_with("direct = scope 1"));
    let from = a.join("manifest.json");
    let output = decarb(&["run", "--from", from.to_str().unwrap(), "--out", b.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let (fa, fb) = (files(&a), files(&b));
    assert_eq!(fa.iter().map(|f| &f.0).collect::<Vec<_>>(), fb.iter().map(|f| &f.0).collect::<Vec<_>>());
    assert!(fa.iter().any(|f| f.0 == "iamc.xlsx") && fa.iter().any(|f| f.0 == "manifest.json"));
    for ((name, x), (_, y)) in fa.iter().zip(&fb) {
        assert!(x == y, "{name} differs between the run and its replay from the manifest");
    }
}

#[test]
fn a_manifest_with_a_changed_input_is_refused_and_another_version_warns() {
    let dir = tempfile::tempdir().unwrap();
    let fleet = dir.path().join("fleet.csv");
    // A fleet file: one EAF plant in Germany in decarb's own CSV (docs/fleet-format.md).
    std::fs::write(
        &fleet,
        "id,name,sector,country,status,route,capacity_tpa,start\nP1,Works,steel,DEU,operating,eaf,1000000,2010\n",
    )
    .unwrap();
    let a = dir.path().join("a");
    let output = decarb(&[
        "run",
        "--example",
        "baseline",
        "--fleet",
        fleet.to_str().unwrap(),
        "--out",
        a.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let manifest_path = a.join("manifest.json");
    let manifest = std::fs::read_to_string(&manifest_path).unwrap();
    assert!(manifest.contains("\"role\": \"fleet\""), "{manifest}");
    // Another version: a warning, and the run goes ahead.
    let older = dir.path().join("older.json");
    std::fs::write(&older, manifest.replace(&format!("\"{}\"", env!("CARGO_PKG_VERSION")), "\"0.0.1\""))
        .unwrap();
    let b = dir.path().join("b");
    let output = decarb(&["run", "--from", older.to_str().unwrap(), "--out", b.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("written by decarb 0.0.1"), "{}", text(&output.stderr));
    // A changed input: exit 2, naming the file and both hashes.
    std::fs::write(&fleet, std::fs::read_to_string(&fleet).unwrap().replace("1000000,2010", "2000000,2010"))
        .unwrap();
    let output = decarb(&["run", "--from", manifest_path.to_str().unwrap(), "--out", b.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    let err = text(&output.stderr);
    assert!(err.contains("fleet.csv") && err.contains("the file changed since the run"), "{err}");
}

#[test]
fn export_iamc_adds_the_same_files_to_a_folder_written_without_iamc() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, with) = (dir.path().join("plain"), dir.path().join("with"));
    for (out, extra) in [(&plain, None), (&with, Some("--iamc"))] {
        let mut args = vec!["run", "--example", "tech-moratorium", "--out", out.to_str().unwrap()];
        args.extend(extra);
        let output = decarb(&args);
        assert!(output.status.success(), "{}", text(&output.stderr));
    }
    assert!(!plain.join("iamc.csv").exists());
    let output = decarb(&["export", "iamc", plain.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    for name in ["iamc.csv", "iamc.xlsx"] {
        assert!(
            std::fs::read(plain.join(name)).unwrap() == std::fs::read(with.join(name)).unwrap(),
            "{name}"
        );
    }
    // A folder whose summary no longer matches its manifest: exit 2, nothing written.
    std::fs::remove_file(plain.join("iamc.csv")).unwrap();
    let summary = std::fs::read_to_string(plain.join("summary.csv")).unwrap();
    std::fs::write(plain.join("summary.csv"), summary.replacen(",World,", ",world,", 1)).unwrap();
    let output = decarb(&["export", "iamc", plain.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("differs from the run its manifest.json records"));
    assert!(!plain.join("iamc.csv").exists());
    // Not an output folder.
    let output = decarb(&["export", "iamc", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("no manifest.json"), "{}", text(&output.stderr));
}
