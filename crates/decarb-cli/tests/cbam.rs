//! `decarb cbam`, run as the user runs it: the binary, its JSON contract, its errors and exit
//! codes, and the chart file.

mod common;

use common::decarb;
use std::process::Output;

fn json(args: &[&str]) -> serde_json::Value {
    let output = decarb(args);
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("valid JSON")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn quote_hot_rolled_coil_from_india_matches_cbam_md() {
    // CBAM.md §16.2: 7208 from India, 2026, default path, CSCF 1, Column B (C) 1.370, EUR 75.36:
    // net 3.37225 t/t, EUR 254.13 a tonne.
    let quote = json(&[
        "cbam",
        "quote",
        "--good",
        "7208",
        "--origin",
        "IND",
        "--tonnes",
        "1000",
        "--year",
        "2026",
        "--correction-factor",
        "1",
        "--certificate-price",
        "75.36",
        "--format",
        "json",
    ]);
    for field in [
        "embedded_tco2",
        "free_allocation_adjustment_tco2",
        "carbon_price_deduction_tco2",
        "certificates",
        "cost_eur",
        "cost_eur_per_tonne",
        "steps",
        "notes",
    ] {
        assert!(quote.get(field).is_some(), "missing contract field {field}");
    }
    assert_eq!(quote["embedded_tco2"], serde_json::json!(4708));
    assert_eq!(quote["free_allocation_adjustment_tco2"], serde_json::json!(1335.75));
    assert_eq!(quote["carbon_price_deduction_tco2"], serde_json::json!(0));
    assert_eq!(quote["certificates_exact"], serde_json::json!(3372.25));
    assert_eq!(quote["certificates"], serde_json::json!(3373), "rounded up");
    assert_eq!(quote["cost_eur"], serde_json::json!(254_132.76));
    let per_tonne = quote["cost_eur_per_tonne"].as_f64().unwrap();
    assert!((per_tonne - 254.13).abs() < 0.005, "{per_tonne}");
    let steps: Vec<&str> =
        quote["steps"].as_array().unwrap().iter().map(|s| s["step"].as_str().unwrap()).collect();
    assert!(steps.starts_with(&[
        "default_value",
        "marked_up_default",
        "see_declared",
        "embedded_tco2",
        "cbam_factor"
    ]));
}

#[test]
fn quote_with_actual_data_reproduces_the_published_e1_example() {
    // CBAM.md §5.6 (E1, published): SEE 1.2, benchmark 1.0, 2026 → 0.225 t CO2e per tonne.
    let quote = json(&[
        "cbam",
        "quote",
        "--good",
        "7208",
        "--origin",
        "TUR",
        "--tonnes",
        "100",
        "--year",
        "2026",
        "--see-direct",
        "1.2",
        "--benchmark",
        "1.0",
        "--correction-factor",
        "1",
        "--format",
        "json",
    ]);
    assert_eq!(quote["data_path"], "actual");
    assert_eq!(quote["certificates_exact"], serde_json::json!(22.5));
    assert_eq!(quote["certificates"], serde_json::json!(23));
}

#[test]
fn bad_quote_inputs_exit_2_with_a_clear_message() {
    let cases: [(&[&str], &str); 4] = [
        (&["--good", "7208", "--origin", "IND", "--tonnes", "-5", "--year", "2026"], "tonnes"),
        (&["--good", "9403", "--origin", "IND", "--tonnes", "5", "--year", "2026"], "not a CBAM good"),
        (&["--good", "7208", "--origin", "India", "--tonnes", "5", "--year", "2026"], "ISO 3166-1"),
        (&["--good", "7208", "--origin", "IND", "--tonnes", "5", "--year", "2025"], "2026"),
    ];
    for (args, expected) in cases {
        let mut full = vec!["cbam", "quote"];
        full.extend_from_slice(args);
        let output = decarb(&full);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains(expected), "{args:?}: {}", stderr(&output));
    }
}

#[test]
fn declare_names_row_and_column_of_a_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("imports.csv");
    std::fs::write(&path, "cn_code,origin,tonnes\n7208,IND,100\n7601,CHN,-3\n").unwrap();
    let output = decarb(&["cbam", "declare", path.to_str().unwrap(), "--year", "2026"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains("line 3 (row 2), column tonnes"), "{message}");
    assert!(message.contains("\"-3\""), "{message}");
}

#[test]
fn declare_applies_de_minimis_but_not_to_hydrogen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("imports.csv");
    std::fs::write(&path, "cn_code,origin,tonnes\n7208,IND,30\n7601,CHN,20\n2804 10 00,USA,1\n").unwrap();
    let declaration = json(&[
        "cbam",
        "declare",
        path.to_str().unwrap(),
        "--year",
        "2027",
        "--correction-factor",
        "1",
        "--certificate-price",
        "80",
        "--format",
        "json",
    ]);
    assert_eq!(declaration["de_minimis"]["exempt"], true, "50.000 t is exempt");
    let liable: Vec<bool> =
        declaration["lines"].as_array().unwrap().iter().map(|l| l["liable"].as_bool().unwrap()).collect();
    assert_eq!(liable, [false, false, true]);
    // Hydrogen from the United States' own row of IR 2025/2621 Annex I, 2027: 26.640 × 1.2 = 31.968;
    // FAA 0.95 × 5.089 = 4.83455; 27.13345 certificates, 28 whole.
    assert_eq!(declaration["totals"]["certificates_exact"], serde_json::json!(27.13345));
    assert_eq!(declaration["totals"]["certificates"], serde_json::json!(28));
}

#[test]
fn schedule_writes_an_svg_chart() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("hrc.svg");
    let output = decarb(&[
        "cbam",
        "schedule",
        "--good",
        "7208",
        "--origin",
        "IND",
        "--correction-factor",
        "1",
        "--certificate-price",
        "75.36",
        "--format",
        "json",
        "--chart",
        chart.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let schedule: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let years = schedule["years"].as_array().unwrap();
    assert_eq!(years.len(), 9);
    // CBAM.md §16.2, India: 2030 EUR 366.13, 2034 EUR 419.30 a tonne.
    let cost = |i: usize| years[i]["cost_per_tonne"].as_f64().unwrap();
    assert!((cost(4) - 366.13).abs() < 0.005, "{}", cost(4));
    assert!((cost(8) - 419.30).abs() < 0.005, "{}", cost(8));
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(80)]);
    assert!(svg.contains("CBAM cost per tonne") && svg.contains("<polyline"), "title and line");
}

/// Issue 17 item 6: `-o/--out` on the cbam commands, the format by the file's extension unless
/// `-f` says otherwise, the notes with a table in the file, nothing on stdout.
#[test]
fn cbam_output_goes_to_the_out_file_in_its_format() {
    let dir = tempfile::tempdir().unwrap();
    let schedule = ["cbam", "schedule", "--good", "7208", "--origin", "IND", "--correction-factor", "1"];
    let json_file = dir.path().join("schedule.json");
    let output = decarb(
        &[&schedule[..], &["--certificate-price", "75.36", "-o", json_file.to_str().unwrap()]].concat(),
    );
    assert!(output.status.success() && output.stdout.is_empty(), "{}", stderr(&output));
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_file).unwrap()).unwrap();
    let years = written["years"].as_array().unwrap();
    // CBAM.md §16.2, India: 2030 EUR 366.13 a tonne.
    assert!((years[4]["cost_per_tonne"].as_f64().unwrap() - 366.13).abs() < 0.005);
    // -f wins over the extension; a table in a .txt file carries its notes.
    let csv_file = dir.path().join("schedule.json.csv");
    let output = decarb(&[&schedule[..], &["-f", "csv", "--out", csv_file.to_str().unwrap()]].concat());
    assert!(output.status.success(), "{}", stderr(&output));
    let csv = std::fs::read_to_string(&csv_file).unwrap();
    assert!(csv.starts_with("year,cbam_factor,") && csv.lines().count() == 10, "{csv}");
    let txt = dir.path().join("quote.txt");
    let quote = ["cbam", "quote", "--good", "7208", "--origin", "IND", "--tonnes", "1000", "--year", "2026"];
    let output = decarb(&[&quote[..], &["-o", txt.to_str().unwrap()]].concat());
    assert!(output.status.success() && output.stdout.is_empty(), "{}", stderr(&output));
    let table = std::fs::read_to_string(&txt).unwrap();
    assert!(table.contains("formula") && table.contains("note ("), "{table}");
    // A scenario's TOML, likewise (`decarb example show -o`).
    let toml = dir.path().join("net-zero-2050.toml");
    let shown = decarb(&["example", "show", "net-zero-2050"]);
    let output = decarb(&["example", "show", "net-zero-2050", "-o", toml.to_str().unwrap()]);
    assert!(output.status.success() && output.stdout.is_empty(), "{}", stderr(&output));
    assert_eq!(std::fs::read(&toml).unwrap(), shown.stdout);
}

/// `decarb ARGS -o FILE` (with `extra` flags) and `decarb ARGS` with `-f format` on stdout: the
/// file holds exactly what stdout showed, and nothing goes to stdout with `-o`.
fn out_file_and_stdout(args: &[&str], format: &str, file: &std::path::Path, extra: &[&str]) -> Vec<u8> {
    let shown = decarb(&[args, &["-f", format]].concat());
    assert!(shown.status.success(), "{args:?}: {}", stderr(&shown));
    let written = decarb(&[args, &["-o", file.to_str().unwrap()], extra].concat());
    assert!(written.status.success(), "{args:?} -o: {}", stderr(&written));
    assert!(written.stdout.is_empty(), "{args:?} -o printed {:?}", String::from_utf8_lossy(&written.stdout));
    let bytes = std::fs::read(file).unwrap();
    assert_eq!(String::from_utf8_lossy(&bytes), String::from_utf8_lossy(&shown.stdout), "{args:?}");
    bytes
}

/// Issue 17 item 6: `-o FILE` writes what the command prints, byte for byte: a quote as JSON by
/// the file's extension, the leakage table as CSV by `-f`.
#[test]
fn out_file_holds_what_stdout_shows() {
    let dir = tempfile::tempdir().unwrap();
    let quote = [
        "cbam",
        "quote",
        "--good",
        "7208",
        "--origin",
        "IND",
        "--tonnes",
        "1000",
        "--year",
        "2026",
        "--correction-factor",
        "1",
        "--certificate-price",
        "75.36",
    ];
    let bytes = out_file_and_stdout(&quote, "json", &dir.path().join("quote.json"), &[]);
    let written: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    // CBAM.md §16.2: EUR 254,132.76 for 1,000 t of 7208 from India in 2026.
    assert_eq!(written["cost_eur"], serde_json::json!(254_132.76));

    let exposure = [
        "leakage",
        "exposure",
        "--sector",
        "steel",
        "--year",
        "2020",
        "--certificate-price",
        "75.36",
        "--correction-factor",
        "1",
    ];
    let bytes = out_file_and_stdout(&exposure, "csv", &dir.path().join("exposure.csv"), &["-f", "csv"]);
    let mut rows = csv::Reader::from_reader(bytes.as_slice());
    let headers = rows.headers().unwrap().clone();
    let (country, exports) = (
        headers.iter().position(|h| h == "country").unwrap(),
        headers.iter().position(|h| h == "exports_t").unwrap(),
    );
    let china = rows.records().map(Result::unwrap).find(|r| &r[country] == "CHN").unwrap();
    // worldsteel 2020: China exported 53,086.76 kt.
    assert_eq!(&china[exports], "53086760");
}

/// A command that fails writes no `-o` file, whether it fails before its output is ready (an
/// unknown good) or after (its chart cannot be written), and leaves an existing file as it was.
#[test]
fn a_failing_command_leaves_no_out_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad_good = dir.path().join("bad.json");
    let output = decarb(&[
        "cbam",
        "quote",
        "--good",
        "9403",
        "--origin",
        "IND",
        "--tonnes",
        "5",
        "--year",
        "2026",
        "-o",
        bad_good.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(!bad_good.exists(), "no file for a failed quote");

    let schedule = dir.path().join("schedule.csv");
    std::fs::write(&schedule, "kept\n").unwrap();
    let no_folder = dir.path().join("no-such-folder").join("schedule.svg");
    let output = decarb(&[
        "cbam",
        "schedule",
        "--good",
        "7208",
        "--origin",
        "IND",
        "--correction-factor",
        "1",
        "--certificate-price",
        "75.36",
        "-o",
        schedule.to_str().unwrap(),
        "--chart",
        no_folder.to_str().unwrap(),
    ]);
    assert!(!output.status.success(), "the chart cannot be written");
    assert!(stderr(&output).contains("no-such-folder"), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&schedule).unwrap(), "kept\n", "the old file is untouched");
}

#[test]
fn leakage_exposure_of_steel_in_2020_ranks_countries() {
    let Some(dir) = decarb_data::shared::dataset("worldsteel-production-trade") else { return };
    let trade = dir.join("steel_trade_kt_2019_2021.csv");
    let chart = tempfile::tempdir().unwrap();
    let chart_path = chart.path().join("exposure.svg");
    let output = decarb(&[
        "leakage",
        "exposure",
        "--sector",
        "steel",
        "--year",
        "2020",
        "--trade",
        trade.to_str().unwrap(),
        // The CBAM default values (the act's country averages), not the bundled fleet.
        "--intensity",
        "cbam-default",
        "--certificate-price",
        "75.36",
        "--correction-factor",
        "1",
        "--carbon-price",
        "80",
        "--format",
        "json",
        "--chart",
        chart_path.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let countries: Vec<&str> = rows.iter().map(|r| r["country"].as_str().unwrap()).collect();
    assert_eq!(&countries[..3], ["CHN", "RUS", "IND"], "ranked by CBAM exposure");
    let india = rows.iter().find(|r| r["country"] == "IND").unwrap();
    // worldsteel 2020: India exported 17 296.46 kt and imported 5 314.64 kt; produced 100 256 kt.
    assert_eq!(india["exports_t"], serde_json::json!(17_296_460.0));
    let trade_intensity = india["trade_intensity"].as_f64().unwrap();
    assert!(
        (trade_intensity - (17_296.46 + 5_314.64) / (100_256.0 + 5_314.64)).abs() < 1e-6,
        "{trade_intensity}"
    );
    let cbam = india["cbam_cost_eur_per_t"].as_f64().unwrap();
    assert!((cbam - 254.13).abs() < 0.005, "CBAM.md §16.2: {cbam}");
    assert!(!rows.iter().any(|r| r["country"] == "DEU"), "EU producers face no CBAM");
    assert!(std::fs::read_to_string(&chart_path).unwrap().contains("<rect"));
}

/// Rows of a `decarb leakage exposure --format json` run, by country.
fn exposure_rows(args: &[&str]) -> std::collections::BTreeMap<String, serde_json::Value> {
    let mut all = vec!["leakage", "exposure", "--format", "json"];
    all.extend_from_slice(args);
    let rows = json(&all);
    rows.as_array().unwrap().iter().map(|r| (r["country"].as_str().unwrap().to_owned(), r.clone())).collect()
}

#[test]
fn leakage_exposure_uses_the_bundled_trade_and_fleet_by_default() {
    // No --trade, no run: everything comes from the binary.
    let rows = exposure_rows(&[
        "--sector",
        "steel",
        "--year",
        "2020",
        "--certificate-price",
        "75.36",
        "--correction-factor",
        "1",
    ]);
    let china = &rows["CHN"];
    // worldsteel 2020: China exported 53,086.76 kt and imported 38,709.65 kt.
    assert_eq!(china["exports_t"], serde_json::json!(53_086_760.0));
    assert_eq!(china["imports_t"], serde_json::json!(38_709_650.0));
    assert_eq!(china["rank"], 1, "largest exporter, highest BF-BOF share");
    let india = &rows["IND"];
    // (exports + imports) / (production + imports): (17,296.46 + 5,314.64) / (100,256 + 5,314.64).
    let trade_intensity = india["trade_intensity"].as_f64().unwrap();
    assert!((trade_intensity - (17_296.46 + 5_314.64) / (100_256.0 + 5_314.64)).abs() < 1e-6);
    // Bundled fleet, operating GEM plants: 82,394 kt/yr average BF-BOF (2.434), 15,931 gas DRI-EAF
    // (0.8516), 15,347 scrap EAF (0.1632) = 1.905645 t/t.
    let intensity = india["emission_intensity_t_per_t"].as_f64().unwrap();
    assert!((intensity - 1.905_645).abs() < 1e-6, "{intensity}");
    assert!(india["intensity_source"].as_str().unwrap().starts_with("bundled fleet"), "{india}");
    // Actual path, Column A: 7208 benchmark 0.044 x CBAM factor 0.975 (2026); (1.905645 - 0.0429) x 75.36.
    let cbam = india["cbam_cost_eur_per_t"].as_f64().unwrap();
    assert!((cbam - (1.905_645 - 0.975 * 0.044) * 75.36).abs() < 0.005, "{cbam}");
    let exposure = india["cbam_exposure_eur"].as_f64().unwrap();
    assert!((exposure - 17_296_460.0 * cbam).abs() <= 17_296_460.0 * 0.005, "{exposure}");
    assert!(!rows.contains_key("DEU"), "EU producers face no CBAM");
    // 2015 is outside the bundled trade years: production and intensity, no trade.
    let rows = exposure_rows(&["--sector", "steel", "--year", "2015"]);
    assert!(rows["CHN"]["exports_t"].is_null() && rows["CHN"]["emission_intensity_t_per_t"].is_number());
}

#[test]
fn leakage_exposure_takes_region_intensities_from_an_engine_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let run = decarb(&["run", "--out", out.to_str().unwrap(), "--threads", "1"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let rows = exposure_rows(&["--sector", "steel", "--year", "2020", "--run", out.to_str().unwrap()]);
    let india = &rows["IND"];
    assert!(india["intensity_source"].as_str().unwrap().starts_with("engine run: india"), "{india}");
    // The run's base year runs the bundled fleet on its start technologies, so India's run
    // intensity is the fleet's 1.905645 t/t, up to the 3 decimals of summary.csv.
    let intensity = india["emission_intensity_t_per_t"].as_f64().unwrap();
    assert!((intensity - 1.905_645).abs() < 1e-4, "{intensity}");
    // Japan and South Korea share their region's intensity.
    assert_eq!(rows["JPN"]["emission_intensity_t_per_t"], rows["KOR"]["emission_intensity_t_per_t"]);
    // A run without China: China falls back to its CBAM default value (3.187 t/t), and says so.
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let india_only: Vec<&str> = summary
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || l.contains(",india,"))
        .map(|(_, l)| l)
        .collect();
    let partial = dir.path().join("india-only.csv");
    std::fs::write(&partial, india_only.join("\n")).unwrap();
    let rows = exposure_rows(&["--sector", "steel", "--year", "2020", "--run", partial.to_str().unwrap()]);
    assert_eq!(rows["CHN"]["emission_intensity_t_per_t"], serde_json::json!(3.187));
    let source = rows["CHN"]["intensity_source"].as_str().unwrap();
    assert!(
        source.starts_with("IR 2025/2621") && source.ends_with("(fallback: no region row in the run)"),
        "{source}"
    );
    assert!(rows["IND"]["intensity_source"].as_str().unwrap().starts_with("engine run"));
    let defaults = exposure_rows(&["--sector", "steel", "--year", "2020", "--intensity", "cbam-default"]);
    assert_eq!(defaults["IND"]["emission_intensity_t_per_t"], serde_json::json!(4.28));
    let both = decarb(&[
        "leakage",
        "exposure",
        "--sector",
        "steel",
        "--year",
        "2020",
        "--intensity",
        "fleet",
        "--run",
        out.to_str().unwrap(),
    ]);
    assert_eq!(both.status.code(), Some(2), "--run and --intensity conflict");
    let bad =
        decarb(&["leakage", "exposure", "--sector", "steel", "--year", "2020", "--run", "/nonexistent"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
}

#[test]
fn pathway_prices_each_region_at_its_run_intensity() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.csv");
    std::fs::write(
        &summary,
        "scenario,year,sector,region,production_mt,capacity_mt,direct_emissions_mtco2,captured_mtco2,\
         indirect_emissions_mtco2,capex_busd,opex_busd,stranded_capacity_mt\n\
         s,2025,steel,india,100.000,120,200.000,0,10,0,0,0\n\
         s,2030,steel,india,100.000,120,150.000,0,10,0,0,0\n\
         s,2030,steel,World,1000.000,1200,1500.000,0,10,0,0,0\n\
         s,2030,cement,india,300.000,400,200.000,0,10,0,0,0\n",
    )
    .unwrap();
    let output = decarb(&[
        "cbam",
        "pathway",
        summary.to_str().unwrap(),
        "--sector",
        "steel",
        "--certificate-price",
        "80",
        "--correction-factor",
        "1",
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(rows.len(), 1, "2025 is before the CBAM; World and cement rows are left out");
    assert_eq!(rows[0]["exporter"], "india");
    // 150 Mt / 100 Mt = 1.5 t/t; FAA 0.515 × 0.044 (Column A); (1.5 − 0.02266) × 80 = 118.1872.
    assert_eq!(rows[0]["intensity_t_per_t"], "1.5");
    assert_eq!(rows[0]["cost_eur_per_tonne"], "118.19");
    let bad = decarb(&["cbam", "pathway", "/nonexistent/summary.csv", "--sector", "steel"]);
    assert_eq!(bad.status.code(), Some(2));
}

fn quote_args<'a>(good: &'a str, origin: &'a str, year: &'a str, price: &'a str) -> Vec<&'a str> {
    vec![
        "cbam",
        "quote",
        "--good",
        good,
        "--origin",
        origin,
        "--tonnes",
        "1",
        "--year",
        year,
        "--correction-factor",
        "1",
        "--certificate-price",
        price,
        "--format",
        "json",
    ]
}

#[test]
fn quote_uses_the_countrys_own_default_and_route_issue_19() {
    // DRI from India, 2026, EUR 75: India's 4.200 (not Other's 1.325): EUR 317.47 a tonne; the
    // heading 7203 gives the same (every line under it shares value and benchmark).
    for good in ["7203 10 00", "7203"] {
        let quote = json(&quote_args(good, "IND", "2026", "75"));
        assert_eq!(quote["see_declared_t_per_t"], serde_json::json!(4.62), "{good}");
        assert_eq!(quote["cost_eur_per_tonne"], serde_json::json!(317.469_375), "{good}");
    }
    // Hot-rolled flat from Thailand, 2027, EUR 80: 1.920 × 1.2 = 2.304, route E, benchmark 0.072.
    let quote = json(&quote_args("7208", "THA", "2027", "80"));
    assert_eq!(quote["cost_eur_per_tonne"], serde_json::json!(178.848));
    let notes = quote["notes"].to_string();
    assert!(notes.contains("route (E): the default production route of Thailand"), "{notes}");
    // An unlisted country: 'Other countries', said plainly.
    let quote = json(&quote_args("7208", "AFG", "2027", "80"));
    assert!(quote["notes"].to_string().contains("AFG is not listed in IR 2025/2621 Annex I"));
}

#[test]
fn grid_factors_are_read_from_the_users_file_only() {
    let dir = tempfile::tempdir().unwrap();
    let grid = dir.path().join("grid.csv");
    std::fs::write(
        &grid,
        "iso2,country,ef,unit,status,source\nIN,India,0.726,t CO2/MWh,transcribed,IR (EU) 2025/2621 Annex II (user copy)\n",
    )
    .unwrap();
    let mut args = quote_args("2523 29 00", "IND", "2026", "75");
    args.extend(["--see-direct", "0.8", "--electricity-mwh-per-t", "0.1"]);
    // Without the file: an error that says why it is not bundled (exit 2).
    let output = decarb(&args);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("CC BY-NC-SA 4.0"), "{}", stderr(&output));
    // With it: 0.1 MWh/t × 0.726 = 0.0726 t/t indirect (docs/CBAM.md §3.4), counted for cement.
    args.extend(["--grid-factors", grid.to_str().unwrap()]);
    let quote = json(&args);
    assert_eq!(quote["see_declared_t_per_t"], serde_json::json!(0.8726));
}

/// Issue 19 item 6: the annual declaration as documented JSON (docs/cbam-declare-format.md).
/// By hand, 2026, EUR 80, CSCF 1:
/// * hot-rolled flat from Thailand, 100 t, defaults: SEE round(1.920 × 1.1, 3) = 2.112, embedded
///   211.2 (direct 1.920 × 100 = 192, no indirect: Annex II good); route E, FAA 100 × 0.975 × 0.072
///   = 7.02; 204.18 certificates.
/// * grey cement from India, 50 t, defaults: 1.480 × 1.1 = 1.628, embedded 81.4 (direct 1.390 ×
///   50 = 69.5, indirect 0.090 × 50 = 4.5); FAA 50 × 0.975 × 0.666 = 32.4675; 48.9325.
/// * unwrought aluminium from China, 10 t, actual 8.0 direct, route K, carbon price paid EUR 20:
///   embedded 80; FAA 10 × 0.975 × 1.423 (Column A) = 13.87425; Art. 9: 80 × 20 / 80 = 20;
///   46.12575.
///
/// Totals: embedded 372.6 (direct 341.5, indirect 4.5); FAA 53.36175; Art. 9 20; exact 299.23825,
/// 300 certificates to surrender; EUR 23,939.06.
#[test]
fn declare_writes_the_annual_declaration_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("imports.csv");
    let out = dir.path().join("declaration.json");
    std::fs::write(
        &path,
        "line_id,cn_code,origin,tonnes,see_direct,route,carbon_price_paid_eur_per_t,installation\n\
         hrc,7208 51 20,THA,100,,,,TH-0001 Rayong mill\n\
         cem,2523 29 00,IND,50,,,,\n\
         alu,7601 10 10,CHN,10,8.0,K,20,CN-ALU-7\n",
    )
    .unwrap();
    let mut args = vec!["cbam", "declare", path.to_str().unwrap(), "--year", "2026"];
    args.extend(["--correction-factor", "1", "--certificate-price", "80", "--format", "json"]);
    // Without a declarant: a clear error naming the field and the article.
    let output = decarb(&[args.as_slice(), &["--declaration", out.to_str().unwrap()]].concat());
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("--declarant") && stderr(&output).contains("Art. 5"),
        "{}",
        stderr(&output)
    );
    let output = decarb(
        &[
            args.as_slice(),
            &[
                "--declaration",
                out.to_str().unwrap(),
                "--declarant",
                "Acme Metals BV",
                "--declarant-id",
                "NL123",
            ],
        ]
        .concat(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(doc["declarant"], serde_json::json!({"name": "Acme Metals BV", "id": "NL123"}));
    assert_eq!((doc["year"].as_i64(), doc["due"].as_str()), (Some(2026), Some("2027-09-30")));
    let goods = doc["goods"].as_array().unwrap();
    assert_eq!(goods.len(), 3);
    assert_eq!(goods[0]["installation"], "TH-0001 Rayong mill");
    assert_eq!(goods[1]["installation"], serde_json::Value::Null);
    assert_eq!(goods[0]["emissions_basis"], "default");
    assert!(goods[0]["legal_reference"].as_str().unwrap().contains("IR (EU) 2025/2621"));
    assert_eq!(goods[2]["emissions_basis"], "actual");
    assert_eq!(goods[0]["certificates_exact"], serde_json::json!(204.18));
    assert_eq!(goods[1]["embedded_indirect_tco2"], serde_json::json!(4.5));
    assert_eq!(goods[2]["deductions"]["carbon_price_paid_eur_per_t"], serde_json::json!(20));
    assert_eq!(goods[2]["deductions"]["carbon_price_deduction_tco2"], serde_json::json!(20));
    assert_eq!(goods[2]["deductions"]["free_allocation_adjustment_tco2"], serde_json::json!(13.87425));
    let totals = &doc["totals"];
    assert_eq!(
        totals["quantity_by_cn_tonnes"],
        serde_json::json!({"2523 29 00": 50, "7208 51 20": 100, "7601 10 10": 10})
    );
    assert_eq!(totals["embedded_tco2"], serde_json::json!(372.6));
    assert_eq!(totals["embedded_direct_tco2"], serde_json::json!(341.5));
    assert_eq!(totals["embedded_indirect_tco2"], serde_json::json!(4.5));
    assert_eq!(totals["free_allocation_adjustment_tco2"], serde_json::json!(53.36175));
    assert_eq!(totals["carbon_price_deduction_tco2"], serde_json::json!(20));
    assert_eq!(totals["certificates_exact"], serde_json::json!(299.23825));
    assert_eq!(totals["certificates_to_surrender"], serde_json::json!(300));
    assert_eq!(totals["cost_eur"], serde_json::json!(23939.06));
}

/// Issue 19 item 5: a complex good's SEE from installation data (docs/CBAM.md §3.6, fixture E5):
/// AttrEm 218.008 t over 100 t of ingots = 2.18008; DRI of unknown-to-the-act origin (OTHER,
/// default 1.325, no mark-up) at 1.10 t/t adds 1.4575; an EU ferro-alloy adds 0: SEE 3.63758.
#[test]
fn declare_takes_a_complex_goods_see_from_installation_data() {
    let dir = tempfile::tempdir().unwrap();
    let imports = dir.path().join("imports.csv");
    let installations = dir.path().join("installations.csv");
    std::fs::write(&imports, "cn_code,origin,tonnes,route,installation\n7206 10 00,TUR,100,D,melt\n")
        .unwrap();
    std::fs::write(
        &installations,
        "process_id,kind,cn_code,attributed_direct_tco2,attributed_indirect_tco2,activity_level,precursor_cn_code,produced_in,mass_per_unit,source\n\
         melt,process,7206 10 00,218.008,0,100,,,,\n\
         melt,precursor,,,,,7203 10 00,OTHER,1.10,default\n\
         melt,precursor,,,,,7202 11 20,DEU,0.02,default\n",
    )
    .unwrap();
    let mut args = vec!["cbam", "declare", imports.to_str().unwrap(), "--year", "2026"];
    args.extend(["--correction-factor", "1", "--certificate-price", "80", "--format", "json"]);
    args.extend(["--installations", installations.to_str().unwrap()]);
    let declaration = json(&args);
    let line = &declaration["lines"][0];
    assert_eq!(line["data_path"], "actual", "{line}");
    assert_eq!(line["see_declared_t_per_t"], serde_json::json!(3.63758));
    assert_eq!(line["embedded_tco2"], serde_json::json!(363.758));
    // An installation the file does not have: exit 2, naming the line and the column.
    std::fs::write(&imports, "cn_code,origin,tonnes,route,installation\n7206 10 00,TUR,100,D,melt-2\n")
        .unwrap();
    let output = decarb(&args);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("column installation") && stderr(&output).contains("melt-2"),
        "{}",
        stderr(&output)
    );
    // A negative activity level: the field and the act.
    std::fs::write(&imports, "cn_code,origin,tonnes,route,installation\n7206 10 00,TUR,100,D,melt\n")
        .unwrap();
    std::fs::write(
        &installations,
        "process_id,kind,cn_code,attributed_direct_tco2,activity_level\nmelt,process,7206 10 00,218.008,-100\n",
    )
    .unwrap();
    let output = decarb(&args);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("activity_level") && stderr(&output).contains("2025/2547"),
        "{}",
        stderr(&output)
    );
}

/// Issue 19, "Bad input": an unknown CN code, a country missing from an act that should list it,
/// a route that does not exist for the good, a negative or absurd emission intensity, a nitrogen
/// content given as a percentage: each exits 2 with a message naming the field and the act.
#[test]
fn bad_input_names_the_field_and_the_legal_reference() {
    let dir = tempfile::tempdir().unwrap();
    let annex3 = dir.path().join("annex3.csv");
    std::fs::write(&annex3, "iso2,country,ef,unit,status,source\nRS,Serbia,0.900,t CO2/MWh,test,test row\n")
        .unwrap();
    let annex3 = annex3.to_str().unwrap();
    let cases: [(&[&str], &[&str]); 8] = [
        (&["--good", "9403", "--origin", "IND"], &["CN code 9403", "Reg. 2023/956 Annex I"]),
        (
            &["--good", "2716", "--origin", "MAR", "--electricity-factors", annex3],
            &["MAR", "IR 2025/2621 Annex III"],
        ),
        (
            &["--good", "7208", "--origin", "IND", "--route", "K"],
            &["no route (K)", "IR 2025/2620 Annex pt 5.3", "--route"],
        ),
        (
            &["--good", "2814 10 00", "--origin", "CHN", "--route", "C"],
            &["route (C) does not exist", "IR 2025/2620"],
        ),
        (
            &["--good", "2523 10 00", "--origin", "UKR", "--route", "K"],
            &["route (K) does not exist", "IR 2025/2621 Annex I"],
        ),
        (
            &["--good", "7208", "--origin", "IND", "--see-direct", "-1"],
            &["SEE direct (--see-direct)", "IR (EU) 2025/2547"],
        ),
        (
            &["--good", "7208", "--origin", "IND", "--see-direct", "1500"],
            &["SEE direct (--see-direct)", "IR (EU) 2025/2621"],
        ),
        (
            &["--good", "3102 10 19", "--origin", "EGY", "--see-direct", "1.6", "--nitrogen-content", "46"],
            &["nitrogen content (--nitrogen-content)", "IR (EU) 2025/2547"],
        ),
    ];
    for (args, expected) in cases {
        let mut full = vec!["cbam", "quote", "--tonnes", "1", "--year", "2026", "--certificate-price", "75"];
        full.extend_from_slice(args);
        let output = decarb(&full);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
        for text in expected {
            assert!(stderr(&output).contains(text), "{args:?}, {text}: {}", stderr(&output));
        }
    }
}

/// Issue 19 item 4 through the binary: urea from Egypt on actual values per tonne of nitrogen
/// (1.60 × 0.46 = 0.736 t/t, Column A 0.053 × 0.975: 0.684325 t/t, EUR 51.57 at EUR 75.36), and
/// imported electricity on default values from the user's Annex III file (1 MWh × 0.900, no
/// mark-up, no free allocation: EUR 67.824).
#[test]
fn quote_converts_nitrogen_and_prices_electricity_from_annex_iii() {
    let mut args = quote_args("3102 10 19", "EGY", "2026", "75.36");
    args.extend(["--see-direct", "1.60", "--nitrogen-content", "0.46"]);
    let quote = json(&args);
    assert_eq!(quote["see_declared_t_per_t"], serde_json::json!(0.736));
    assert_eq!(quote["certificates_exact"], serde_json::json!(0.684_325));
    let dir = tempfile::tempdir().unwrap();
    let annex3 = dir.path().join("annex3.csv");
    std::fs::write(&annex3, "iso2,country,ef,unit,status,source\nRS,Serbia,0.900,t CO2/MWh,test,test row\n")
        .unwrap();
    let mut args = quote_args("2716 00 00", "SRB", "2026", "75.36");
    args.extend(["--electricity-factors", annex3.to_str().unwrap()]);
    let quote = json(&args);
    assert_eq!(quote["see_declared_t_per_t"], serde_json::json!(0.9));
    assert_eq!(quote["sefa_t_per_t"], serde_json::json!(0));
    assert_eq!(quote["cost_eur"], serde_json::json!(67.824));
}
