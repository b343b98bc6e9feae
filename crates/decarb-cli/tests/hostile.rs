//! Hostile and careless inputs to the command line (issue 14): absurd scenario numbers and
//! oversized options are usage errors (exit 2) naming the key or option and its limit, before any
//! work (they used to hang, exhaust memory or spend seconds starting threads).

mod common;

use common::{decarb_in, text};
use std::path::Path;
use std::process::{Command, Output};

const HEAD: &str =
    "name = \"hostile\"\nsectors = [\"steel\"]\nprice_set = \"mpp-shared-2022\"\ndemand = \"bau\"\n";

fn scenario(dir: &Path, extra: &str) -> String {
    let path = dir.join("hostile.toml");
    std::fs::write(&path, format!("{HEAD}{extra}")).unwrap();
    path.display().to_string()
}

fn assert_usage_error(output: &Output, wanted: &[&str]) {
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    for w in wanted {
        assert!(stderr.contains(w), "{w:?} not in {stderr}");
    }
    assert!(!stderr.split(|c: char| !c.is_alphanumeric()).any(|w| w == "inf"), "{stderr}");
}

#[test]
fn run_refuses_a_new_plant_size_of_1e300_mt_instead_of_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario(dir.path(), "[sector.steel]\nnew_plant_size = \"1e300 Mt\"\n");
    let output = decarb_in(dir.path(), &["run", &file]);
    assert_usage_error(&output, &["sector.steel.new_plant_size", "1e300 Mt", "10 kt to 50 Mt"]);
    assert!(!dir.path().join("decarb-out").exists(), "nothing is written");
}

#[test]
fn run_and_sensitivity_refuse_a_demand_factor_of_a_million() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario(
        dir.path(),
        "[[uncertainty.inputs]]\nname = \"demand\"\ntarget = \"demand\"\ndistribution = \"uniform\"\nmin = 1e6\nmax = 1e6\nsource = \"a test\"\n",
    );
    let wanted = ["uncertainty.inputs[0].max", "1000000", "0 to 5"];
    assert_usage_error(&decarb_in(dir.path(), &["run", &file, "--runs", "1"]), &wanted);
    assert_usage_error(&decarb_in(dir.path(), &["sensitivity", &file]), &wanted);
}

#[test]
fn oversized_runs_sobol_and_threads_are_usage_errors_stating_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let output =
        decarb_in(dir.path(), &["sensitivity", "--example", "net-zero-2050", "--sobol", "1000000000"]);
    assert_usage_error(&output, &["--sobol", "2 to 10000"]);
    let output = decarb_in(dir.path(), &["run", "--threads", "10000"]);
    assert_usage_error(&output, &["--threads", "1 to 256"]);
    let output = decarb_in(dir.path(), &["run", "--runs", "100000000"]);
    assert_usage_error(&output, &["--runs", "1 to 100000"]);
    let output = decarb_in(dir.path(), &["run", "--runs", "0"]);
    assert_usage_error(&output, &["--runs"]);
    assert!(!dir.path().join("decarb-out").exists(), "nothing is written");
}

#[test]
fn a_scenario_name_never_leaves_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("a/b");
    std::fs::create_dir_all(&work).unwrap();
    let text = HEAD.replace("name = \"hostile\"", "name = \"../../escaped\"");
    std::fs::write(work.join("s.toml"), text).unwrap();
    let output = decarb_in(&work, &["run", "s.toml"]);
    assert!(output.status.success(), "{}", text_of(&output));
    assert!(!dir.path().join("escaped").exists(), "wrote outside decarb-out");
    assert!(work.join("decarb-out/escaped/summary.csv").is_file(), "{}", text_of(&output));
}

fn text_of(output: &Output) -> String {
    format!("{}{}", text(&output.stdout), text(&output.stderr))
}

#[test]
fn a_mistyped_db_is_an_error_not_a_new_empty_store() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["plants", "list", "--db", "nonexist.db"][..],
        &["members", "list", "--db", "nonexist.db"],
        &["db", "export", "out", "--db", "nonexist.db"],
        &["run", "--db", "nonexist.db"],
        &["serve", "--db", "nonexist.db", "--addr", "127.0.0.1:0"],
    ] {
        let output = decarb_in(dir.path(), args);
        assert_usage_error(&output, &["nonexist.db", "no such store", "decarb db init --db nonexist.db"]);
        assert!(!dir.path().join("nonexist.db").exists(), "{args:?} created the store");
    }
}

#[test]
fn serve_init_creates_a_seeded_store_and_says_so() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_decarb"))
        .args(["serve", "--init", "--db", "new.db", "--addr", "127.0.0.1:0"])
        .current_dir(dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = Vec::new();
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        let serving = line.starts_with("decarb serving on");
        said.push(line);
        if serving {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let said = said.join("\n");
    assert!(said.contains("new.db: created and seeded ("), "{said}");
    assert!(said.contains("34 members"), "{said}");
    assert!(dir.path().join("new.db").exists());
}

#[test]
fn a_run_over_the_memory_budget_is_refused_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario(dir.path(), "");
    for args in [
        vec!["run", file.as_str()],
        vec!["run", file.as_str(), "--runs", "10"],
        vec!["sensitivity", "--example", "net-zero-2050"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_decarb"))
            .current_dir(dir.path())
            .args(&args)
            .env("DECARB_MEMORY_BUDGET_MIB", "8")
            .output()
            .unwrap();
        assert_usage_error(&output, &["would need about", "over the budget of 8.0 MiB", "plants x"]);
        assert!(!dir.path().join("decarb-out").exists(), "{args:?}: nothing was written");
    }
    // The default budget (1 GiB) lets the bundled world through.
    let output = decarb_in(dir.path(), &["run", &file, "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
}
