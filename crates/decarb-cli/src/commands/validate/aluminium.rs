//! `decarb validate mpp-aluminium`: runs decarb on an MPP aluminium input folder with the bundled
//! `mpp-aluminium-lc` scenario and compares it with the MPP model's June 2022 run
//! (`simulation_outputs_aluminium_lc_def_0640df6.csv`): a generated report (`mpp-aluminium.md`)
//! with SVG charts, and one printed line per check. Exit 0 only when every check passes.
//!
//! Reference boundary: the run file's rows per model region and route (the `All` rows are totals
//! of those and are left out), parameter `Annual production volume` (Mt primary aluminium) and
//! `CO2 Scope1` (Mt CO2: the smelter's direct CO2, anode and process CO2 plus captive power; the
//! run has no alumina refining — its only product is `Aluminium`). decarb's side is the aluminium
//! sector's direct CO2 of the run, which holds smelters only (the MPP world has no refineries).

use super::compare::{
    Check, CompareArgs, Legend, Metric, RunData, SHARE_YEARS, YearRow, decarb_run, line_chart, pct,
    print_checks, read_csv, shares_chart, write_checks,
};
use crate::commands::UserError;
use crate::commands::run::{mpp_aluminium_world_and_scenario, solve};
use anyhow::{Context, Result, anyhow};
use decarb_model::Sector;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct MppAluminiumArgs {
    /// The MPP aluminium input folder (`aluminium-inputs-lc-def/`, `aluminium/smelters/`, or
    /// `aluminium/`, whose `smelters/` is read).
    #[arg(long, value_name = "DIR")]
    pub inputs: PathBuf,
    /// The MPP run to compare with: `simulation_outputs_aluminium_lc_def_0640df6.csv`, or a folder
    /// holding it (or holding `model_outputs/` with it).
    #[arg(long, value_name = "FILE")]
    pub results: PathBuf,
    #[command(flatten)]
    pub compare: CompareArgs,
}

/// The bundled scenario the validation runs.
const EXAMPLE: &str = "mpp-aluminium-lc";
/// File name of the reference run.
pub const REFERENCE: &str = "simulation_outputs_aluminium_lc_def_0640df6.csv";
const YEARS: std::ops::RangeInclusive<i32> = 2020..=2050;
const SCOPE1_YEARS: [i32; 3] = [2030, 2040, 2050];
/// Tolerances of issue 12.
const TOL_2020: f64 = 0.03;
const TOL_SCOPE1: f64 = 0.25;
const TOL_SHARE_POINTS: f64 = 10.0;

fn locate(path: &Path) -> Result<PathBuf> {
    if path.is_file() {
        return Ok(path.to_path_buf());
    }
    for candidate in [path.join(REFERENCE), path.join("model_outputs").join(REFERENCE)] {
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    Err(UserError(format!("{}: no {REFERENCE} there or in its model_outputs/ folder", path.display())).into())
}

/// Production, scope 1 and production by route of the reference run, summed over its regions.
fn read_reference(path: &Path) -> Result<RunData> {
    let years: Vec<String> = YEARS.map(|y| y.to_string()).collect();
    let mut required = vec!["region", "technology", "parameter", "unit"];
    required.extend(years.iter().map(String::as_str));
    let mut run = RunData { name: "MPP 0640df6".into(), ..RunData::default() };
    let mut rows = 0;
    for (row, record) in read_csv(path, &required)? {
        let (region, technology) = (&record["region"], &record["technology"]);
        if region == "All" || technology == "All" {
            continue;
        }
        let parameter = record["parameter"].as_str();
        if !matches!(parameter, "Annual production volume" | "CO2 Scope1") {
            continue;
        }
        let unit = record["unit"].as_str();
        let expected_unit = if parameter == "CO2 Scope1" { "Mt CO2" } else { "Mt" };
        if unit != expected_unit {
            return Err(UserError(format!(
                "{}, row {row}, column \"unit\": found {unit:?}, expected {expected_unit:?} for {parameter}",
                path.display()
            ))
            .into());
        }
        rows += 1;
        for (year, column) in YEARS.zip(&years) {
            let text = record.get(column).map_or("", String::as_str).trim();
            // An empty cell is no production (the run leaves years before a route exists blank).
            let value = if text.is_empty() {
                0.0
            } else {
                text.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| {
                    UserError(format!(
                        "{}, row {row}, column {column:?}: found {text:?}, expected a number",
                        path.display()
                    ))
                })?
            };
            let entry = run.years.entry(year).or_default();
            if parameter == "CO2 Scope1" {
                entry.scope1 += value;
            } else {
                entry.production += value;
                *run.production_by_route.entry(year).or_default().entry(technology.clone()).or_default() +=
                    value;
            }
        }
    }
    if rows == 0 {
        return Err(UserError(format!(
            "{}: no \"Annual production volume\" or \"CO2 Scope1\" rows by region and route",
            path.display()
        ))
        .into());
    }
    Ok(run)
}

fn checks(ours: &RunData, reference: &RunData) -> Vec<Check> {
    let mut out = Vec::new();
    let within = |o: f64, r: f64, tol: f64| r.abs() > 1e-9 && (o / r - 1.0).abs() <= tol;
    for (what, get) in [("production", (|r: &YearRow| r.production) as Metric), ("scope 1", |r| r.scope1)] {
        let (o, r) = (get(&ours.at(2020)), get(&reference.at(2020)));
        out.push(Check {
            what: format!("2020 {what} within 3 % of the reference"),
            pass: within(o, r, TOL_2020),
            figures: format!("decarb {o:.1} Mt, MPP {r:.1} Mt ({})", pct(o, r)),
        });
    }
    for y in SCOPE1_YEARS {
        let (o, r) = (ours.at(y).scope1, reference.at(y).scope1);
        out.push(Check {
            what: format!("{y} scope 1 within 25 % of the reference"),
            pass: within(o, r, TOL_SCOPE1),
            figures: format!("decarb {o:.1} Mt, MPP {r:.1} Mt ({})", pct(o, r)),
        });
    }
    let mut largest: Vec<(&String, &f64)> =
        reference.production_by_route.get(&2050).map(|m| m.iter().collect()).unwrap_or_default();
    largest.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
    for (name, _) in largest.into_iter().take(3) {
        let (o, r) = (ours.share(2050, name), reference.share(2050, name));
        out.push(Check {
            what: format!("2050 share of {name} within 10 points of the reference"),
            pass: (o - r).abs() <= TOL_SHARE_POINTS,
            figures: format!("decarb {o:.1} %, MPP {r:.1} % ({:+.1} points)", o - r),
        });
    }
    out
}

pub fn run(args: &MppAluminiumArgs) -> Result<()> {
    let path = locate(&args.results)?;
    let reference = read_reference(&path)?;
    let started = std::time::Instant::now();
    let (world, scenario) = mpp_aluminium_world_and_scenario(&args.inputs, None, Some(EXAMPLE))?;
    let seed = args.compare.seed.unwrap_or(scenario.seed);
    let outcome =
        solve(&world, &scenario, seed, args.compare.threads).map_err(|e| UserError(e.to_string()))?;
    let elapsed = started.elapsed();
    let ours = decarb_run(&outcome, Sector::Aluminium, |id| {
        world.technology(id).map_or(id, |t| t.name.as_str()).to_owned()
    });
    let checks = checks(&ours, &reference);
    let out = &args.compare.out;
    std::fs::create_dir_all(out)
        .map_err(|e| UserError(format!("{}: cannot create the folder: {e}", out.display())))?;
    let report_path = out.join("mpp-aluminium.md");
    let text = report(&ours, &reference, &checks, seed, args);
    std::fs::write(&report_path, text).with_context(|| format!("writing {}", report_path.display()))?;
    let runs = [&ours, &reference];
    let metrics: [(&str, &str, Metric); 2] = [
        ("mpp-aluminium-production.svg", "Primary aluminium production, Mt", |r| r.production),
        ("mpp-aluminium-scope1.svg", "Scope 1 emissions (smelters), Mt CO2", |r| r.scope1),
    ];
    for (file, title, get) in metrics {
        line_chart(&runs, &out.join(file), title, get, Legend::AsDrawn)?;
    }
    let bar_labels = ["decarb".to_owned(), "ref 1".to_owned()];
    shares_chart(&runs, &bar_labels, &out.join("mpp-aluminium-shares.svg"))?;
    let failed = print_checks(&checks, " ");
    println!("report: {} (run took {:.2} s)", report_path.display(), elapsed.as_secs_f64());
    if failed > 0 {
        return Err(anyhow!("{failed} of {} MPP aluminium checks fail", checks.len()));
    }
    Ok(())
}

fn report(
    ours: &RunData,
    reference: &RunData,
    checks: &[Check],
    seed: u64,
    args: &MppAluminiumArgs,
) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# decarb vs the MPP aluminium model: `{EXAMPLE}`\n");
    let _ = writeln!(
        md,
        "Generated by `decarb validate mpp-aluminium --inputs {} --results {} --out {}` (decarb {}, seed {seed}). \
         decarb runs its engine on the world built from the MPP aluminium input folder \
         (`decarb_scenario::mpp_aluminium`, docs/mpp-aluminium.md); the reference is the MPP model's \
         June 2022 run `{REFERENCE}` (least cost, default sensitivity), summed over its regions and routes. \
         Mt per year; scope 1 = smelter direct CO2 (anode and process CO2 plus captive power plants), no \
         alumina refining on either side. Why the figures differ: docs/mpp-aluminium.md.\n",
        args.inputs.display(),
        args.results.display(),
        args.compare.out.display(),
        env!("CARGO_PKG_VERSION"),
    );
    let metrics: [(&str, Metric, &str); 2] = [
        ("Production", |r| r.production, "mpp-aluminium-production.svg"),
        ("Scope 1 emissions", |r| r.scope1, "mpp-aluminium-scope1.svg"),
    ];
    for (title, get, chart) in metrics {
        let _ = writeln!(md, "## {title}, Mt\n\n![{title}]({chart})\n");
        let _ = writeln!(md, "| year | decarb | MPP 0640df6 | decarb vs MPP |\n|---|---|---|---|");
        for y in YEARS.step_by(5) {
            let (o, r) = (get(&ours.at(y)), get(&reference.at(y)));
            let _ = writeln!(md, "| {y} | {o:.1} | {r:.1} | {} |", pct(o, r));
        }
        let _ = writeln!(md);
    }
    let _ = writeln!(md, "decarb's capacity, Mt: {}.\n", {
        YEARS.step_by(5).map(|y| format!("{y} {:.1}", ours.at(y).capacity)).collect::<Vec<_>>().join(", ")
    });
    let _ = writeln!(md, "## Route shares of production, %\n\n![Shares](mpp-aluminium-shares.svg)\n");
    for y in SHARE_YEARS {
        let _ = writeln!(md, "### {y}\n\n| route | decarb | MPP 0640df6 | points |\n|---|---|---|---|");
        let mut routes: BTreeMap<&String, f64> = BTreeMap::new();
        for run in [ours, reference] {
            for (name, v) in run.production_by_route.get(&y).into_iter().flatten() {
                if *v > 1e-6 {
                    *routes.entry(name).or_default() += run.share(y, name);
                }
            }
        }
        let mut rows: Vec<(&String, f64)> = routes.into_iter().collect();
        rows.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        for (name, _) in rows {
            let (o, r) = (ours.share(y, name), reference.share(y, name));
            let _ = writeln!(md, "| {name} | {o:.1} | {r:.1} | {:+.1} |", o - r);
        }
        let _ = writeln!(md);
    }
    write_checks(&mut md, 12, "figures", checks);
    md
}
