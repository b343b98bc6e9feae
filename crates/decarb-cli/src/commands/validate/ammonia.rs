//! `decarb validate mpp-ammonia`: runs the bundled MPP ammonia scenario on an MPP ammonia input
//! folder and compares it with a run of the MPP model (`model_outputs/<run>_emissions_trajectory.csv`
//! and `_technology_roadmap.csv`): writes `mpp-ammonia.md` (generated tables only) with SVG charts
//! and prints one line per check. Checks (issue 12): 2020 production and scope 1 within 3 %;
//! 2030, 2040 and 2050 scope 1 within 25 %; the three largest 2050 routes within 10 points.

use super::compare::{
    Check, CompareArgs, Legend, Metric, RunData, YearRow, decarb_run, line_chart, pct, print_checks,
    shares_chart, write_checks, write_share_tables,
};
use crate::commands::UserError;
use crate::commands::run::{mpp_ammonia_world_and_scenario, solve};
use anyhow::{Context, Result};
use decarb_data::mpp_ammonia::{MppAmmoniaRun, read_outputs};
use decarb_model::Sector;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct MppAmmoniaArgs {
    /// The MPP ammonia input folder (`mpp-shared-code/ammonia`).
    #[arg(long, value_name = "DIR")]
    pub inputs: PathBuf,
    /// The reference run's emissions trajectory (`model_outputs/lc_ng_partial_cc200_emissions_trajectory.csv`);
    /// its `_technology_roadmap.csv` is read from beside it.
    #[arg(long, value_name = "FILE")]
    pub results: PathBuf,
    /// Bundled scenario to run.
    #[arg(long, value_name = "NAME", default_value = "mpp-ammonia-lc-cc200")]
    pub example: String,
    #[command(flatten)]
    pub compare: CompareArgs,
}

/// The reference run's global figures: production (Mt NH3-eq), scope 1 and captured (Mt CO2),
/// and production by MPP route name.
fn reference(run: &MppAmmoniaRun) -> RunData {
    let mut out = RunData { name: run.name.clone(), ..RunData::default() };
    for year in 2020..=2050 {
        let captured = run.emissions.get("emissions_co2_scope1_captured").and_then(|v| v.get(&year)).copied();
        out.years.insert(
            year,
            YearRow {
                production: run.production(year),
                scope1: run.scope1(year),
                captured: captured.unwrap_or(0.0),
                ..YearRow::default()
            },
        );
        let routes = out.production_by_route.entry(year).or_default();
        for (route, values) in &run.roadmap {
            *routes.entry(route.clone()).or_default() += values.get(&year).copied().unwrap_or(0.0);
        }
    }
    out
}

pub fn run(args: &MppAmmoniaArgs) -> Result<()> {
    let reference_run = read_outputs(&args.results)?;
    let refs = reference(&reference_run);
    let started = std::time::Instant::now();
    let (world, scenario) = mpp_ammonia_world_and_scenario(&args.inputs, None, Some(&args.example))?;
    let seed = args.compare.seed.unwrap_or(scenario.seed);
    let outcome =
        solve(&world, &scenario, seed, args.compare.threads).map_err(|e| UserError(e.to_string()))?;
    let elapsed = started.elapsed();
    let names: BTreeMap<String, String> =
        world.technologies.iter().map(|t| (t.id.as_str().to_owned(), t.name.clone())).collect();
    let ours =
        decarb_run(&outcome, Sector::Ammonia, |id| names.get(id).cloned().unwrap_or_else(|| id.to_owned()));
    let out = &args.compare.out;
    std::fs::create_dir_all(out)
        .map_err(|e| UserError(format!("{}: cannot create the folder: {e}", out.display())))?;
    let checks = checks(&ours, &refs);
    let text = report(&ours, &refs, &checks, seed, args);
    let path = out.join("mpp-ammonia.md");
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    charts(&ours, &refs, out)?;
    let failed = print_checks(&checks, ": ");
    println!("report: {} (run took {:.2} s)", path.display(), elapsed.as_secs_f64());
    if failed == 0 { Ok(()) } else { Err(ChecksFailed(failed).into()) }
}

/// Some checks failed (exit code 1: the comparison ran; the figures differ).
#[derive(Debug, thiserror::Error)]
#[error("{0} validation check(s) failed")]
pub struct ChecksFailed(pub usize);

fn checks(ours: &RunData, refs: &RunData) -> Vec<Check> {
    let mut out = Vec::new();
    for (what, get) in [("production", (|r: &YearRow| r.production) as Metric), ("scope 1", |r| r.scope1)] {
        let (o, r) = (get(&ours.at(2020)), get(&refs.at(2020)));
        out.push(Check {
            what: format!("2020 {what} within 3 % of the reference"),
            pass: (o / r - 1.0).abs() <= 0.03,
            figures: format!("decarb {o:.1} Mt, reference {r:.1} Mt ({})", pct(o, r)),
        });
    }
    for y in [2030, 2040, 2050] {
        let (o, r) = (ours.at(y).scope1, refs.at(y).scope1);
        out.push(Check {
            what: format!("{y} scope 1 within 25 % of the reference"),
            pass: (o / r - 1.0).abs() <= 0.25,
            figures: format!("decarb {o:.1} Mt, reference {r:.1} Mt ({})", pct(o, r)),
        });
    }
    if let Some(routes) = refs.production_by_route.get(&2050) {
        let mut largest: Vec<(&String, &f64)> = routes.iter().collect();
        largest.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
        for (name, _) in largest.into_iter().take(3) {
            let (o, r) = (ours.share(2050, name), refs.share(2050, name));
            out.push(Check {
                what: format!("2050 share of {name} within 10 points of the reference"),
                pass: (o - r).abs() <= 10.0,
                figures: format!("decarb {o:.1} %, reference {r:.1} % ({:+.1} points)", o - r),
            });
        }
    }
    out
}

/// The charted and tabled series: title, chart file, chart title and the figure read.
const METRICS: [(&str, &str, &str, Metric); 3] = [
    ("Production, Mt NH3-eq", "mpp-ammonia-production.svg", "Ammonia production, Mt NH3-eq", |r| {
        r.production
    }),
    ("Scope 1 emissions, Mt CO2", "mpp-ammonia-scope1.svg", "Scope 1 emissions, Mt CO2", |r| r.scope1),
    ("CO2 captured, Mt CO2", "mpp-ammonia-captured.svg", "CO2 captured, Mt CO2", |r| r.captured),
];

fn report(ours: &RunData, refs: &RunData, checks: &[Check], seed: u64, args: &MppAmmoniaArgs) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# decarb vs the MPP ammonia model: `{}`\n", refs.name);
    let _ = writeln!(
        md,
        "Generated by `decarb validate mpp-ammonia --inputs {} --results {} --out {}` (decarb {}, scenario \
         `{}`, seed {seed}). Mt per year; production in Mt NH3-equivalent; scope 1 = direct CO2 after capture. \
         Explanation of the differences: docs/mpp-ammonia.md.\n",
        args.inputs.display(),
        args.results.display(),
        args.compare.out.display(),
        env!("CARGO_PKG_VERSION"),
        args.example,
    );
    for (title, chart, _, get) in METRICS {
        let _ = writeln!(md, "## {title}\n\n![{title}]({chart})\n");
        let _ = writeln!(md, "| year | decarb | {} | difference |\n|---|---|---|---|", refs.name);
        for y in (2020..=2050).step_by(5) {
            let (o, r) = (get(&ours.at(y)), get(&refs.at(y)));
            let _ = writeln!(md, "| {y} | {o:.1} | {r:.1} | {} |", pct(o, r));
        }
        let _ = writeln!(md);
    }
    let _ = writeln!(md, "## Route shares of production, %\n\n![Shares](mpp-ammonia-shares.svg)\n");
    write_share_tables(&mut md, ours, std::slice::from_ref(refs));
    write_checks(&mut md, 12, "numbers", checks);
    md
}

fn charts(ours: &RunData, refs: &RunData, out: &std::path::Path) -> Result<()> {
    let runs = [ours, refs];
    for (_, file, title, get) in METRICS {
        line_chart(&runs, &out.join(file), title, get, Legend::Thin)?;
    }
    let bar_labels = ["decarb".to_owned(), "MPP".to_owned()];
    shares_chart(&runs, &bar_labels, &out.join("mpp-ammonia-shares.svg"))
}
