//! `decarb run --runs N` and `decarb sensitivity`, run as the user runs them: the binary, its
//! files and its exit codes.

mod common;

use common::{decarb_in, text};
use std::path::Path;
use std::process::Output;

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
    let output = decarb_in(
        dir.path(),
        &["sensitivity", "--example", "carbon-price", "--out", "s", "--sobol", "2", "--morris", "2"],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let tornado = text(&std::fs::read(dir.path().join("s/tornado.csv")).unwrap());
    let lines: Vec<&str> = tornado.lines().collect();
    // Issue 18 added the human-readable label as a last column.
    assert_eq!(lines[0], "scenario,metric,input,low_input,high_input,base,at_low,at_high,swing,label");
    assert_eq!(lines.len(), 1 + 6 * 3, "{tornado}");
    // The carbon price swings 2050 emissions of the carbon-price scenario.
    let carbon = lines
        .iter()
        .find(|l| l.contains("direct_emissions_2050_mtco2,carbon_price,"))
        .expect("a carbon price row");
    let swing: f64 = carbon.split(',').nth(8).unwrap().parse().unwrap();
    assert!(swing > 10.0, "{carbon}");
    assert!(carbon.ends_with(",Carbon price (x scenario path)"), "{carbon}");
    let svg = text(&std::fs::read(dir.path().join("s/tornado.svg")).unwrap());
    assert!(svg.contains("<svg") && svg.contains("Carbon price (x scenario path)"));
    assert!(
        svg.contains("input at its 5th percentile (p5)")
            && svg.contains("input at its 95th percentile (p95)")
    );
    let sobol = text(&std::fs::read(dir.path().join("s/sobol.csv")).unwrap());
    assert_eq!(sobol.lines().count(), 1 + 6 * 3);
    assert!(
        sobol.starts_with(
            "scenario,metric,input,first_order,total,base_samples,first_order_low,first_order_high,total_low,total_high,confidence,bootstrap_resamples,label,infeasible_samples\n"
        ),
        "{sobol}"
    );
    let morris = text(&std::fs::read(dir.path().join("s/morris.csv")).unwrap());
    assert_eq!(morris.lines().count(), 1 + 6 * 3, "{morris}");
    assert!(morris.starts_with("scenario,metric,input,mu_star,mu,sigma,trajectories,label\n"), "{morris}");
}

/// Issue 18, item 4: four shards of a 13-run ensemble, merged, are the one-machine ensemble byte
/// for byte; a missing or duplicate shard and a mixed-up seed are refused naming the shard.
#[test]
fn four_shards_merged_are_the_one_machine_ensemble_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let base = ["run", "--example", "carbon-price", "--runs", "13", "--seed", "7", "--threads", "2"];
    let whole = decarb_in(dir.path(), &[&base[..], &["--out", "whole"]].concat());
    assert!(whole.status.success(), "{}", text(&whole.stderr));
    for k in 1..=4 {
        let shard = format!("{k}/4");
        let threads = if k % 2 == 0 { "1" } else { "2" };
        let mut args = base.to_vec();
        args[8] = threads;
        let part = decarb_in(dir.path(), &[&args[..], &["--shard", &shard, "--out", "parts"]].concat());
        assert!(part.status.success(), "{}", text(&part.stderr));
        assert!(dir.path().join(format!("parts/part-{k}-of-4/part.json")).is_file());
    }
    // Parts given out of order and as folders: the merge sorts them by shard.
    let merged = decarb_in(
        dir.path(),
        &[
            "merge",
            "parts/part-3-of-4",
            "parts/part-1-of-4",
            "parts/part-4-of-4",
            "parts/part-2-of-4",
            "--out",
            "merged",
        ],
    );
    assert!(merged.status.success(), "{}", text(&merged.stderr));
    let read = |path: &str| std::fs::read(dir.path().join(path)).unwrap();
    for file in ["bands.csv", "runs.csv", "probabilities.csv", "fan.svg"] {
        assert!(
            read(&format!("whole/{file}")) == read(&format!("merged/{file}")),
            "{file} differs after the merge"
        );
    }
    assert_eq!(text(&read("merged/runs.csv")).lines().count(), 14);
    // The folder of parts works too.
    let again = decarb_in(dir.path(), &["merge", "parts", "--out", "again"]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(read("whole/bands.csv") == read("again/bands.csv"));
    // A missing shard.
    let missing = decarb_in(
        dir.path(),
        &["merge", "parts/part-1-of-4", "parts/part-2-of-4", "parts/part-4-of-4", "--out", "x"],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("missing shard 3 of 4"), "{}", text(&missing.stderr));
    assert!(!dir.path().join("x").exists(), "nothing is written from an incomplete set");
    // A duplicate shard.
    let twice = decarb_in(dir.path(), &["merge", "parts", "parts/part-2-of-4", "--out", "x"]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(text(&twice.stderr).contains("shard 2/4 given twice"), "{}", text(&twice.stderr));
    // A part of another seed.
    let other = decarb_in(
        dir.path(),
        &[
            "run",
            "--example",
            "carbon-price",
            "--runs",
            "13",
            "--seed",
            "8",
            "--shard",
            "3/4",
            "--out",
            "other",
        ],
    );
    assert!(other.status.success(), "{}", text(&other.stderr));
    let mixed = decarb_in(
        dir.path(),
        &[
            "merge",
            "parts/part-1-of-4",
            "parts/part-2-of-4",
            "other/part-3-of-4",
            "parts/part-4-of-4",
            "--out",
            "x",
        ],
    );
    assert_eq!(mixed.status.code(), Some(2));
    assert!(text(&mixed.stderr).contains("different seed"), "{}", text(&mixed.stderr));
    // Shards out of range.
    for (shard, says) in [
        ("5/4", "1 <= K <= M"),
        ("0/4", "1 <= K <= M"),
        ("1/20", "more than the 13 runs"),
        ("x", "expected K/M"),
    ] {
        let bad =
            decarb_in(dir.path(), &["run", "--example", "carbon-price", "--runs", "13", "--shard", shard]);
        assert_eq!(bad.status.code(), Some(2), "{shard}");
        assert!(text(&bad.stderr).contains(says), "{shard}: {}", text(&bad.stderr));
    }
}
