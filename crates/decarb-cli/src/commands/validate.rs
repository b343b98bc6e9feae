//! `decarb validate mpp-steel`: runs decarb on an MPP steel input folder with the MPP scenario
//! that matches the reference runs, and writes a side-by-side report (`mpp-steel.md`) with SVG
//! charts: global production, capacity and scope 1 emissions by year, and technology shares in
//! 2030, 2040 and 2050, decarb against each reference run, with the differences and the checks of
//! issue 4 (2020 within 2 %, scope 1 in the widened band, 2050 shares, determinism).
//! `decarb validate mpp-aluminium` (module `aluminium`) does the same for the MPP aluminium model.

mod aluminium;
mod ammonia;
mod compare;

use crate::commands::UserError;
use crate::commands::run::{apply_choice, mpp_world_and_scenario, rules_line, solve};
use anyhow::{Context, Result};
use compare::{
    Check, CompareArgs, Legend, Metric, RunData, YearRow, decarb_run, line_chart, pct, read_csv,
    shares_chart, write_checks, write_share_tables,
};
use decarb_data::mpp_steel::route_name;
use decarb_model::Sector;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

// The variants are the subcommands `mpp-steel`, `mpp-aluminium`, `mpp-ammonia`: the shared prefix
// is the users' contract.
#[allow(clippy::enum_variant_names)]
#[derive(Debug, clap::Subcommand)]
pub enum ValidateCommand {
    /// Run an MPP steel input folder through decarb and compare with reference runs of the MPP model.
    MppSteel(MppSteelArgs),
    /// Run an MPP aluminium input folder through decarb and compare with the MPP model's June 2022
    /// run; prints one line per check, exit 0 only when all pass.
    MppAluminium(aluminium::MppAluminiumArgs),
    /// Run the MPP ammonia input folder through decarb and compare with a run of the MPP ammonia
    /// model; prints one line per check and exits 0 only when all pass.
    MppAmmonia(ammonia::MppAmmoniaArgs),
}

#[derive(Debug, clap::Args)]
pub struct MppSteelArgs {
    /// The MPP input folder (`mppsteel/data/import_data`).
    #[arg(long, value_name = "DIR")]
    pub inputs: PathBuf,
    /// `summary_global_by_year.csv` of the reference runs, or a folder holding it (or whose parent
    /// does); `summary_global_by_year_technology.csv` is read from beside it.
    #[arg(long, value_name = "DIR_OR_SUMMARY")]
    pub results: PathBuf,
    /// Choice rule for decarb's run (overrides the scenario's; `mpp` is the model's own rule).
    #[arg(long, value_name = "RULE", value_parser = ["cheapest", "mpp", "logit"])]
    pub choice: Option<String>,
    #[command(flatten)]
    pub compare: CompareArgs,
}

pub fn run(command: ValidateCommand) -> Result<()> {
    match command {
        ValidateCommand::MppSteel(args) => mpp_steel(&args),
        ValidateCommand::MppAluminium(args) => aluminium::run(&args),
        ValidateCommand::MppAmmonia(args) => ammonia::run(&args),
    }
}

const SUMMARY: &str = "summary_global_by_year.csv";
const BY_TECHNOLOGY: &str = "summary_global_by_year_technology.csv";
/// MPP scenario names and the bundled decarb scenario of each.
const SCENARIOS: [(&str, &str); 6] = [
    ("baseline_high_circ", "mpp-baseline-high-circularity"),
    ("baseline", "mpp-baseline"),
    ("fastest_abatement", "mpp-fastest-abatement"),
    ("abatement", "mpp-abatement"),
    ("carbon_cost", "mpp-carbon-cost"),
    ("tech_moratorium", "mpp-tech-moratorium"),
];
const CHECK_YEARS: [i32; 3] = [2030, 2040, 2050];

fn locate_summary(path: &Path) -> Result<PathBuf> {
    if path.is_file() {
        return Ok(path.to_path_buf());
    }
    for dir in [Some(path), path.parent()].into_iter().flatten() {
        let candidate = dir.join(SUMMARY);
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    Err(UserError(format!("{}: no {SUMMARY} there or in its parent folder", path.display())).into())
}

fn number(path: &Path, row: usize, record: &BTreeMap<String, String>, column: &str) -> Result<f64> {
    let text = record.get(column).map_or("", String::as_str);
    text.trim().parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| {
        UserError(format!(
            "{}, row {row}, column {column:?}: found {text:?}, expected a number",
            path.display()
        ))
        .into()
    })
}

fn year(path: &Path, row: usize, record: &BTreeMap<String, String>) -> Result<i32> {
    let text = record.get("year").map_or("", String::as_str);
    text.trim().parse::<i32>().map_err(|_| {
        UserError(format!("{}, row {row}, column \"year\": found {text:?}, expected a year", path.display()))
            .into()
    })
}

fn read_reference(summary: &Path) -> Result<Vec<RunData>> {
    let mut runs: BTreeMap<String, RunData> = BTreeMap::new();
    let mut order = Vec::new();
    for (row, record) in
        read_csv(summary, &["scenario", "year", "capacity", "production", "s1_emissions_mt"])?
    {
        let name = record["scenario"].clone();
        if !runs.contains_key(&name) {
            order.push(name.clone());
        }
        let run = runs.entry(name.clone()).or_insert_with(|| RunData { name, ..RunData::default() });
        run.years.insert(
            year(summary, row, &record)?,
            YearRow {
                production: number(summary, row, &record, "production")?,
                capacity: number(summary, row, &record, "capacity")?,
                scope1: number(summary, row, &record, "s1_emissions_mt")?,
                ..YearRow::default()
            },
        );
    }
    let by_tech = summary.with_file_name(BY_TECHNOLOGY);
    if by_tech.is_file() {
        for (row, record) in read_csv(&by_tech, &["scenario", "year", "technology", "production"])? {
            if let Some(run) = runs.get_mut(&record["scenario"]) {
                let y = year(&by_tech, row, &record)?;
                let production = number(&by_tech, row, &record, "production")?;
                *run.production_by_route
                    .entry(y)
                    .or_default()
                    .entry(record["technology"].clone())
                    .or_default() += production;
            }
        }
    } else {
        eprintln!("note: {} not found: technology shares are not compared", by_tech.display());
    }
    if order.is_empty() {
        return Err(UserError(format!("{}: no reference runs", summary.display())).into());
    }
    Ok(order.into_iter().filter_map(|name| runs.remove(&name)).collect())
}

fn mpp_steel(args: &MppSteelArgs) -> Result<()> {
    let summary = locate_summary(&args.results)?;
    let references = read_reference(&summary)?;
    let mpp_name = &references[0].name;
    let example = SCENARIOS
        .iter()
        .find(|(mpp, _)| mpp_name.starts_with(mpp))
        .map(|(_, ours)| *ours)
        .ok_or_else(|| UserError(format!("{}: unknown MPP scenario {mpp_name:?}", summary.display())))?;
    let started = std::time::Instant::now();
    let (world, mut scenario) = mpp_world_and_scenario(&args.inputs, None, Some(example))?;
    apply_choice(&mut scenario, args.choice.as_deref())?;
    let seed = args.compare.seed.unwrap_or(scenario.seed);
    let outcome =
        solve(&world, &scenario, seed, args.compare.threads).map_err(|e| UserError(e.to_string()))?;
    let again = solve(&world, &scenario, seed, args.compare.threads).map_err(|e| UserError(e.to_string()))?;
    let elapsed = started.elapsed();
    let deterministic = format!("{:?}{:?}{:?}", outcome.summary, outcome.technology_mix, outcome.decisions)
        == format!("{:?}{:?}{:?}", again.summary, again.technology_mix, again.decisions);
    let ours = decarb_run(&outcome, Sector::Steel, |id| route_name(id).unwrap_or(id).to_owned());
    let out = &args.compare.out;
    std::fs::create_dir_all(out)
        .map_err(|e| UserError(format!("{}: cannot create the folder: {e}", out.display())))?;
    let report = report(&ours, &references, example, &rules_line(&scenario), seed, deterministic, args);
    let path = out.join("mpp-steel.md");
    std::fs::write(&path, report.text).with_context(|| format!("writing {}", path.display()))?;
    charts(&ours, &references, out)?;
    println!("{}", report.verdict);
    println!("report: {} (runs took {:.2} s)", path.display(), elapsed.as_secs_f64());
    Ok(())
}

struct Report {
    text: String,
    verdict: String,
}

#[allow(clippy::too_many_lines)]
fn report(
    ours: &RunData,
    refs: &[RunData],
    example: &str,
    rules: &str,
    seed: u64,
    deterministic: bool,
    args: &MppSteelArgs,
) -> Report {
    let mut md = String::new();
    let _ = writeln!(md, "# decarb vs the MPP steel model: `{example}`\n");
    let _ = writeln!(
        md,
        "Generated by `decarb validate mpp-steel --inputs {} --results {} --out {}{}` (seed {seed}). \
         decarb runs its engine on the world built from the MPP input folder (`decarb_scenario::mpp`, \
         docs/mpp-steel.md); the reference runs are {} of the MPP model on the same inputs. Mt per year; \
         scope 1 = direct CO2 after capture.\n",
        args.inputs.display(),
        args.results.display(),
        args.compare.out.display(),
        args.choice.as_deref().map(|c| format!(" --choice {c}")).unwrap_or_default(),
        refs.iter().map(|r| format!("`{}`", r.name)).collect::<Vec<_>>().join(" and ")
    );
    let _ = writeln!(md, "decarb's {rules}.\n");
    let years: Vec<i32> = (2020..=2050).step_by(5).collect();
    let metrics: [(&str, Metric, &str); 3] = [
        ("Production", |r| r.production, "mpp-steel-production.svg"),
        ("Capacity", |r| r.capacity, "mpp-steel-capacity.svg"),
        ("Scope 1 emissions", |r| r.scope1, "mpp-steel-scope1.svg"),
    ];
    for (title, get, chart) in metrics {
        let _ = writeln!(md, "## {title}, Mt\n\n![{title}]({chart})\n");
        let mut head = String::from("| year | decarb |");
        let mut rule = String::from("|---|---|");
        for r in refs {
            let _ = write!(head, " {} | decarb vs {} |", r.name, r.name);
            rule.push_str("---|---|");
        }
        let _ = writeln!(md, "{head}\n{rule}");
        for &y in &years {
            let o = get(&ours.at(y));
            let mut line = format!("| {y} | {o:.0} |");
            for r in refs {
                let v = get(&r.at(y));
                let _ = write!(line, " {v:.0} | {} |", pct(o, v));
            }
            let _ = writeln!(md, "{line}");
        }
        let _ = writeln!(md);
    }
    // Technology shares.
    let _ = writeln!(md, "## Technology shares of production, %\n\n![Shares](mpp-steel-shares.svg)\n");
    write_share_tables(&mut md, ours, refs);
    // Checks.
    let mut checks: Vec<Check> = Vec::new();
    for (what, get) in [("production", (|r: &YearRow| r.production) as Metric), ("scope 1", |r| r.scope1)] {
        let o = get(&ours.at(2020));
        let worst = refs.iter().map(|r| (o / get(&r.at(2020)) - 1.0).abs()).fold(0.0, f64::max);
        checks.push(Check {
            what: format!("2020 {what} within 2 % of the reference runs"),
            pass: worst <= 0.02,
            figures: format!("decarb {o:.0} Mt, largest difference {:.2} %", 100.0 * worst),
        });
    }
    for y in CHECK_YEARS {
        let values: Vec<f64> = refs.iter().map(|r| r.at(y).scope1).collect();
        let (lo, hi) =
            values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
        let (lo, hi) = (lo * 0.75, hi * 1.25);
        let o = ours.at(y).scope1;
        checks.push(Check {
            what: format!("{y} scope 1 inside the reference band widened by 25 %"),
            pass: (lo..=hi).contains(&o),
            figures: format!("decarb {o:.0} Mt, band {lo:.0}-{hi:.0} Mt"),
        });
    }
    if let Some(first) = refs.first().and_then(|r| r.production_by_route.get(&2050)) {
        let mut largest: Vec<(&String, &f64)> = first.iter().collect();
        largest.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
        for (name, _) in largest.into_iter().take(3) {
            let o = ours.share(2050, name);
            let values: Vec<f64> = refs.iter().map(|r| r.share(2050, name)).collect();
            let (lo, hi) =
                values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
            checks.push(Check {
                what: format!("2050 share of {name} within 10 points of the reference runs"),
                pass: o >= lo - 10.0 && o <= hi + 10.0,
                figures: format!("decarb {o:.1} %, reference {lo:.1}-{hi:.1} %"),
            });
        }
    }
    checks.push(Check {
        what: "same seed, byte-identical outcome (two runs)".into(),
        pass: deterministic,
        figures: if deterministic { "identical".into() } else { "differ".into() },
    });
    let verdict = write_checks(&mut md, 4, "numbers", &checks);
    md.push_str(
        "\nWhy decarb differs where it does, and every mapping between the model and decarb: \
         [docs/mpp-steel.md](../mpp-steel.md) (written by hand, not generated).\n",
    );
    Report { text: md, verdict }
}

fn charts(ours: &RunData, refs: &[RunData], dir: &Path) -> Result<()> {
    let runs: Vec<&RunData> = std::iter::once(ours).chain(refs).collect();
    let metrics: [(&str, &str, Metric); 3] = [
        ("mpp-steel-production.svg", "Crude steel production, Mt", |r| r.production),
        ("mpp-steel-capacity.svg", "Crude steel capacity, Mt", |r| r.capacity),
        ("mpp-steel-scope1.svg", "Scope 1 emissions, Mt CO2", |r| r.scope1),
    ];
    for (file, title, get) in metrics {
        line_chart(&runs, &dir.join(file), title, get, Legend::AsDrawn)?;
    }
    shares_chart(&runs, &numbered_bar_labels(runs.len()), &dir.join("mpp-steel-shares.svg"))
}

/// `decarb`, then `ref 1`, `ref 2`... for the reference runs.
fn numbered_bar_labels(runs: usize) -> Vec<String> {
    (0..runs).map(|i| if i == 0 { "decarb".to_owned() } else { format!("ref {i}") }).collect()
}
