//! `decarb stats` and `decarb tech`, run as the user runs them: the binary, its output and its
//! exit codes.

mod common;

use common::decarb;
use std::process::{Command, Output};

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn json(args: &[&str]) -> Vec<serde_json::Value> {
    let output = decarb(args);
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_str(&stdout(&output)).expect("valid JSON")
}

#[test]
fn steel_2020_top_five_in_order() {
    let rows =
        json(&["stats", "rank", "--sector", "steel", "--year", "2020", "--top", "5", "--format", "json"]);
    let codes: Vec<&str> = rows.iter().map(|r| r["country"].as_str().unwrap()).collect();
    assert_eq!(codes, ["CHN", "IND", "JPN", "USA", "RUS"]);
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["China", "India", "Japan", "United States", "Russian Federation"]);
    let keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 6);
    for key in ["rank", "country", "name", "value", "unit", "source"] {
        assert!(rows[0].get(key).is_some(), "{key}");
    }
    assert_eq!(rows[0]["rank"], 1);
    assert_eq!(rows[0]["value"], 1_064_767.0);
    assert!(rows[0]["source"].as_str().unwrap().contains("World Steel Association"));
}

#[test]
fn csv_output_has_the_documented_header() {
    let output =
        decarb(&["stats", "rank", "--sector", "cement", "--year", "2017", "--top", "2", "--format", "csv"]);
    assert!(output.status.success());
    let text = stdout(&output);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("rank,country,name,value,unit,source"));
    assert!(lines.next().unwrap().starts_with("1,CHN,China,"));
    assert!(lines.next().unwrap().starts_with("2,IND,India,"));
}

#[test]
fn aluminium_2020_united_states_ninth() {
    let rows = json(&["stats", "rank", "--sector", "aluminium", "--year", "2020", "--format", "json"]);
    let us = rows.iter().find(|r| r["country"] == "USA").unwrap();
    assert_eq!(us["rank"], 9);
    assert!((us["value"].as_f64().unwrap() - 1027.0).abs() < 1.0, "{us}");
}

#[test]
fn uncovered_year_exits_2_and_lists_the_covered_years() {
    let output = decarb(&["stats", "rank", "--sector", "steel", "--year", "1999"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("1999") && stderr.contains("2015") && stderr.contains("2021"), "{stderr}");
    // Ammonia 2022: in no USGS table found (MCS 2023-2025), so refused with the years there are.
    let output = decarb(&["stats", "rank", "--sector", "ammonia", "--year", "2022"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("2017, 2018, 2019, 2020, 2021, 2024, 2025"), "{stderr}");
}

/// "The third largest producer of cement" after 2017: USGS Mineral Commodity Summaries'
/// leading producers (`production_cement_mcs.csv`), cited row by row.
#[test]
fn cement_third_largest_producer_after_2017_is_answered_with_its_source() {
    let rows =
        json(&["stats", "rank", "--sector", "cement", "--year", "2021", "--top", "3", "--format", "json"]);
    let codes: Vec<&str> = rows.iter().map(|r| r["country"].as_str().unwrap()).collect();
    assert_eq!(codes, ["CHN", "IND", "VNM"]);
    assert_eq!(rows[0]["value"], 2_400_000.0);
    assert!(rows[2]["source"].as_str().unwrap().contains("Mineral Commodity Summaries 2023"));
    // 2020, from MCS 2022 (January 2022): China 2,400,000 kt, India 295,000, Vietnam 98,000 third,
    // the United States 89,000 fourth.
    let output =
        decarb(&["stats", "rank", "--sector", "cement", "--year", "2020", "--top", "4", "--format", "json"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout(&output)).unwrap();
    let codes: Vec<&str> = rows.iter().map(|r| r["country"].as_str().unwrap()).collect();
    assert_eq!(codes, ["CHN", "IND", "VNM", "USA"]);
    assert_eq!(rows[0]["value"], 2_400_000.0);
    assert_eq!(rows[2]["value"], 98_000.0);
    assert!(rows[2]["source"].as_str().unwrap().contains("Mineral Commodity Summaries 2022"));
    assert!(rows[2]["source"].as_str().unwrap().contains("mcs2022-cement.pdf"));
    // The world total is USGS's, said beside the ranking, not a sum of the rows.
    let note = String::from_utf8_lossy(&output.stderr);
    assert!(
        note.contains("14 countries for 2020") && note.contains("world total (rounded) 4200000 kt"),
        "{note}"
    );
    // 2018 from MCS 2020, which revised Vietnam above the United States.
    let rows =
        json(&["stats", "rank", "--sector", "cement", "--year", "2018", "--top", "3", "--format", "json"]);
    let codes: Vec<&str> = rows.iter().map(|r| r["country"].as_str().unwrap()).collect();
    assert_eq!(codes, ["CHN", "IND", "VNM"]);
}

/// Ammonia by country: USGS MCS world ammonia production (plant production, kt of contained
/// nitrogen), ranked in kt NH3 (x 17.031/14.007), each row saying so.
#[test]
fn ammonia_ranking_top_three_with_the_conversion_in_the_source() {
    let rows =
        json(&["stats", "rank", "--sector", "ammonia", "--year", "2020", "--top", "3", "--format", "json"]);
    let codes: Vec<&str> = rows.iter().map(|r| r["country"].as_str().unwrap()).collect();
    // MCS 2022: China 39,000, Russia 16,100, United States 14,000 kt N in 2020.
    assert_eq!(codes, ["CHN", "RUS", "USA"]);
    let russia = rows[1]["value"].as_f64().unwrap();
    assert!((russia - 16_100.0 * 17.031 / 14.007).abs() < 1e-6, "{russia}");
    assert_eq!(rows[1]["unit"], "kt ammonia (NH3)");
    let source = rows[1]["source"].as_str().unwrap();
    assert!(source.contains("Mineral Commodity Summaries 2022") && source.contains("Nitrogen"), "{source}");
    assert!(source.contains("published as 16100 kt N"), "{source}");
}

#[test]
fn stats_show_gives_a_country_series() {
    let rows = json(&["stats", "show", "--sector", "steel", "--country", "Viet Nam", "--format", "json"]);
    let years: Vec<i64> = rows.iter().map(|r| r["year"].as_i64().unwrap()).collect();
    assert_eq!(years, (2015..=2021).collect::<Vec<_>>());
    assert_eq!(rows[5]["value"], 19_900.0);
}

#[test]
fn tech_list_json_includes_the_issue_routes() {
    let rows = json(&["tech", "list", "--format", "json"]);
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for id in [
        "steel.bf-bof-avg",
        "steel.bf-bof-bat",
        "steel.bf-bof-ccus",
        "steel.dri-eaf-gas",
        "steel.h2-dri-eaf",
        "steel.eaf-scrap",
        "steel.smelting-reduction",
        "steel.electrowinning-eaf",
        "cement.kiln-coal",
        "cement.kiln-coal-postcomb-ccs",
        "cement.kiln-coal-oxyfuel-ccs",
        "cement.electric-kiln-ds",
        "aluminium.smelter-carbon-anode-grid",
        "aluminium.smelter-inert-anode-grid",
        "aluminium.recycling",
        "aluminium.refinery-gas-boiler-gas-calciner",
        "ammonia.smr",
        "ammonia.smr-ccs",
        "ammonia.atr-ccs",
        "ammonia.coal-gasification",
        "ammonia.electrolytic-grid-ppa",
    ] {
        assert!(ids.contains(&id), "{id} missing");
    }
    let avg = rows.iter().find(|r| r["id"] == "steel.bf-bof-avg").unwrap();
    assert!((avg["direct_co2"].as_f64().unwrap() - 2.434).abs() < 1e-9);
    assert!((avg["capex_greenfield"].as_f64().unwrap() - 871.9 * 1.14).abs() < 0.01);
    assert!(rows.iter().all(|r| !r["source"].as_str().unwrap().is_empty()));
    let cement = json(&["tech", "list", "--sector", "cement", "--format", "json"]);
    assert_eq!(cement.len(), 18);
}

#[test]
fn tech_show_prints_fields_and_unknown_routes_exit_2() {
    let output = decarb(&["tech", "show", "ammonia.atr-ccs", "--format", "csv"]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.starts_with("field,value,unit\n"));
    assert!(text.contains("input.natural_gas,27.9,GJ/t"), "{text}");
    assert!(text.contains("capture_rate,0.9463,"), "{text}");
    let output = decarb(&["tech", "show", "steel.h2-dri"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("steel.h2-dri-eaf"));
}

fn at_width(columns: &str, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_decarb"))
        .args(args)
        .env("COLUMNS", columns)
        .output()
        .expect("decarb runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    stdout(&output)
}

/// Issue 17: on a 100-column terminal `tech list` was about 500 columns and `stats rank` 215.
/// Both now fit every line in 100 characters, keep their numbers whole, and `--wide` still
/// shows everything on one line per row.
#[test]
fn tech_list_and_stats_rank_fit_a_100_column_terminal() {
    let tech = at_width("100", &["tech", "list", "--format", "table"]);
    assert!(tech.lines().all(|l| l.chars().count() <= 100), "{tech}");
    // steel.bf-bof-avg: 2.434 t CO2/t, whole on its line.
    assert!(tech.lines().any(|l| l.contains("direct_co2") && l.contains("2.434")), "{tech}");
    let rank = at_width("100", &["stats", "rank", "--sector", "steel", "--year", "2021", "-f", "table"]);
    assert!(rank.lines().all(|l| l.chars().count() <= 100), "{rank}");
    // worldsteel 2021: China 1,035,243 kt crude steel, first.
    assert!(rank.lines().any(|l| l.contains("CHN") && l.contains("1035243.0")), "{rank}");
    let wide =
        at_width("100", &["stats", "rank", "--sector", "steel", "--year", "2021", "-f", "table", "--wide"]);
    assert!(wide.lines().any(|l| l.chars().count() > 100), "{wide}");
    assert!(wide.contains("World Steel Association, Steel Statistical Yearbook"));
}

/// `-o FILE` writes the rows, CSV for `.csv` and JSON for `.json`, the CSV at full precision and
/// equal to the JSON value.
#[test]
fn out_writes_the_rows_at_full_precision_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, json) = (dir.path().join("rank.csv"), dir.path().join("rank.json"));
    for path in [&csv, &json] {
        let output = decarb(&[
            "stats",
            "rank",
            "--sector",
            "aluminium",
            "--year",
            "2020",
            "-o",
            path.to_str().unwrap(),
        ]);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    let csv = std::fs::read_to_string(&csv).unwrap();
    let json: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let first: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    let value: f64 = first[3].parse().unwrap();
    assert_eq!(value.to_bits(), json[0]["value"].as_f64().unwrap().to_bits());
    assert_eq!(first[1], json[0]["country"].as_str().unwrap());
    assert!(!csv.contains(",-0,") && !csv.contains("-0.0"));
}
