//! `decarb run --runs N` and `decarb sensitivity`, run as the user runs them: the binary, its
//! files and its exit codes.

use std::path::Path;
use std::process::{Command, Output};

fn decarb_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_decarb"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the decarb binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

fn ensemble(dir: &Path, name: &str, runs: &str, threads: &str) -> Output {
    let output = decarb_in(
        dir,
        &[
            "run",
            "--example",
            "carbon-price",
            "--runs",
            runs,
            "--threads",
            threads,
            "--seed",
            "7",
            "--out",
            name,
        ],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    output
}

#[test]
fn bands_are_byte_identical_for_one_and_two_threads_and_runs_have_the_prefix_property() {
    let dir = tempfile::tempdir().unwrap();
    let one = ensemble(dir.path(), "one", "12", "1");
    ensemble(dir.path(), "two", "12", "2");
    ensemble(dir.path(), "short", "5", "2");
    let read = |path: &str| std::fs::read(dir.path().join(path)).unwrap();
    for file in ["bands.csv", "runs.csv", "probabilities.csv", "fan.svg"] {
        assert!(
            read(&format!("one/{file}")) == read(&format!("two/{file}")),
            "{file} differs between 1 and 2 threads"
        );
    }
    let bands = text(&read("one/bands.csv"));
    assert!(bands.starts_with("scenario,year,sector,region,variable,mean,p5,p25,p50,p75,p95\n"), "{bands}");
    assert!(bands.contains("carbon-price,2050,all,World,direct_emissions_mtco2,"), "missing the world total");
    // The first 5 runs of 12 are the 5-run ensemble.
    let long = text(&read("one/runs.csv"));
    let short = text(&read("short/runs.csv"));
    let long_lines: Vec<&str> = long.lines().collect();
    let short_lines: Vec<&str> = short.lines().collect();
    assert_eq!(short_lines.len(), 6);
    assert_eq!(long_lines.len(), 13);
    assert_eq!(long_lines[..6], short_lines[..]);
    assert!(
        long_lines[0].contains("hydrogen_price_factor") && long_lines[0].contains("h2_dri_available_year")
    );
    // The inputs vary between runs.
    let column = long_lines[0].split(',').position(|c| c == "hydrogen_price_factor").unwrap();
    let values: std::collections::BTreeSet<&str> =
        long_lines[1..].iter().map(|l| l.split(',').nth(column).unwrap()).collect();
    assert!(values.len() > 10, "{values:?}");
    let summary = text(&one.stdout);
    assert!(summary.contains("P(2030 milestone)") && summary.contains("at most 75 % of 2020"), "{summary}");
    assert!(
        summary.contains("P(near zero by 2050)") && summary.contains("at most 10 % of 2020"),
        "{summary}"
    );
    let probabilities = text(&read("one/probabilities.csv"));
    assert!(probabilities.contains("2030_milestone") && probabilities.contains("near_zero_end_year"));
    // Not a terminal: plain progress lines on stderr.
    let stderr = text(&one.stderr);
    assert!(stderr.contains("12/12 runs done"), "{stderr}");
}

#[test]
fn a_bad_distribution_is_a_user_error_naming_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = "name = \"t\"\nprice_set = \"mpp-shared-2022\"\ndemand = \"bau\"\n\n[[uncertainty.inputs]]\n\
                    name = \"h2\"\ntarget = \"price\"\ncommodity = \"hydrogen\"\ndistribution = \"normal\"\n\
                    mean = 1.0\nsd = -0.1\nsource = \"s\"\n";
    std::fs::write(dir.path().join("t.toml"), scenario).unwrap();
    let output = decarb_in(dir.path(), &["run", "t.toml", "--runs", "3"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("line 11") && stderr.contains("uncertainty.inputs[0].sd"), "{stderr}");
}

#[test]
fn sensitivity_writes_a_tornado_with_every_input_and_metric() {
    let dir = tempfile::tempdir().unwrap();
    let output =
        decarb_in(dir.path(), &["sensitivity", "--example", "carbon-price", "--out", "s", "--sobol", "2"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let tornado = text(&std::fs::read(dir.path().join("s/tornado.csv")).unwrap());
    let lines: Vec<&str> = tornado.lines().collect();
    assert_eq!(lines[0], "scenario,metric,input,low_input,high_input,base,at_low,at_high,swing");
    assert_eq!(lines.len(), 1 + 6 * 3, "{tornado}");
    // The carbon price swings 2050 emissions of the carbon-price scenario.
    let carbon = lines
        .iter()
        .find(|l| l.contains("direct_emissions_2050_mtco2,carbon_price,"))
        .expect("a carbon price row");
    let swing: f64 = carbon.rsplit(',').next().unwrap().parse().unwrap();
    assert!(swing > 10.0, "{carbon}");
    let svg = text(&std::fs::read(dir.path().join("s/tornado.svg")).unwrap());
    assert!(svg.contains("<svg") && svg.contains("carbon_price"));
    let sobol = text(&std::fs::read(dir.path().join("s/sobol.csv")).unwrap());
    assert_eq!(sobol.lines().count(), 1 + 6 * 3);
}
