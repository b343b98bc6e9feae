//! `decarb sensitivity SCENARIO`: one-at-a-time swings of each uncertain input between its 5th
//! and 95th percentile (`tornado.csv`, `tornado.svg`) and, with `--sobol N`, first-order and
//! total Sobol indices with bootstrap 95 % intervals (`sobol.csv`) and, with `--morris R`, Morris
//! elementary effects (`morris.csv`). See `decarb_engine::sensitivity`.

mod chart;

use crate::commands::UserError;
use crate::output::{Cell, Format, Table};
use anyhow::Result;
use decarb_engine::EngineError;
use decarb_engine::sensitivity::{
    BOOTSTRAP, CONFIDENCE, MorrisRow, SobolRow, TornadoRow, morris, sobol_with_progress,
    tornado_with_progress,
};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct SensitivityArgs {
    /// Scenario file (TOML with an [uncertainty] table, docs/scenario-format.md). Without it (and
    /// without --example) the bundled `net-zero-2050` is analysed.
    #[arg(value_name = "SCENARIO.toml")]
    pub scenario: Option<PathBuf>,
    /// Analyse a bundled example instead of a file (`decarb example list`).
    #[arg(long, value_name = "NAME", conflicts_with = "scenario")]
    pub example: Option<String>,
    /// Output directory [default: ./decarb-out/<scenario>/sensitivity].
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also estimate variance-based (Sobol) indices from N base samples (2 to 10,000): N x (inputs + 2) runs.
    #[arg(long, value_name = "N", value_parser = crate::limits::sobol_samples)]
    pub sobol: Option<u64>,
    /// Also screen the inputs with Morris elementary effects from R trajectories (2 to 10,000):
    /// R x (inputs + 1) runs, written to morris.csv (mu*, mu, sigma).
    #[arg(long, value_name = "R", value_parser = crate::limits::sobol_samples)]
    pub morris: Option<u64>,
    /// How the tables print on stdout (files are always CSV) [default: table].
    #[arg(short, long, value_enum)]
    pub format: Option<Format>,
    /// Seed of the Sobol and Morris samples and of every run (overrides the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads, 1 to 256 (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "T", value_parser = crate::limits::threads)]
    pub threads: Option<usize>,
}

pub fn run(args: &SensitivityArgs) -> Result<()> {
    let (text, origin) = super::scenario_text(args.scenario.as_deref(), args.example.as_deref())?;
    let world = decarb_scenario::bundled::default_world();
    let mut scenario = decarb_scenario::load(&text, &origin, &world).map_err(|e| UserError(e.to_string()))?;
    if let Some(seed) = args.seed {
        scenario.seed = seed;
    }
    let located = |e: EngineError| super::located(&text, &origin, &e);
    if scenario.uncertainty.as_ref().is_none_or(|u| u.inputs.is_empty()) {
        return Err(UserError(format!(
            "{origin}: the scenario declares no uncertain inputs (add [[uncertainty.inputs]], docs/scenario-format.md)"
        ))
        .into());
    }
    let k = scenario.uncertainty.as_ref().map_or(0, |u| u.inputs.len());
    // Every run keeps its headline only: estimated as an ensemble of all the runs.
    let runs = 1
        + 2 * k as u64
        + args.sobol.map_or(0, |n| n.saturating_mul(k as u64 + 2))
        + args.morris.map_or(0, |r| r.saturating_mul(k as u64 + 1));
    let format = args.format.unwrap_or(Format::Table);
    let workers = args.threads.unwrap_or_else(rayon::current_num_threads) as u64;
    decarb_engine::memory::estimate(
        &world,
        &scenario,
        decarb_engine::memory::RunKind::Ensemble { runs, threads: workers },
    )
    .check(crate::limits::memory_budget())
    .map_err(located)?;
    let out =
        args.out.clone().unwrap_or_else(|| crate::output::default_out(&scenario.name).join("sensitivity"));
    std::fs::create_dir_all(&out)
        .map_err(|e| UserError(format!("{}: cannot create the output directory: {e}", out.display())))?;
    let pool = crate::threads::pool(args.threads)?;
    eprintln!("{}: tornado, {} runs", scenario.name, 1 + 2 * k);
    let bar = crate::progress::terminal_bar(1 + 2 * k as u64, None);
    let tick = || bar.as_ref().map_or((), |b| b.inc(1));
    let rows = pool.install(|| tornado_with_progress(&world, &scenario, &tick)).map_err(located)?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    tornado_table(&scenario.name, &rows).write_file(&out.join("tornado.csv"), Format::Csv)?;
    crate::charts::write(&out.join("tornado.svg"), &chart::tornado(&scenario.name, &rows))?;
    tornado_table(&scenario.name, &rows).print(format)?;
    if let Some(n) = args.sobol {
        if n < 2 {
            return Err(UserError("--sobol: expected at least 2 base samples".into()).into());
        }
        let total = n * (k as u64 + 2);
        eprintln!("{}: Sobol indices, {total} runs", scenario.name);
        let bar = crate::progress::terminal_bar(total, None);
        let tick = || bar.as_ref().map_or((), |b| b.inc(1));
        let indices = pool
            .install(|| sobol_with_progress(&world, &scenario, n, scenario.seed, &tick))
            .map_err(located)?;
        if let Some(b) = &bar {
            b.finish_and_clear();
        }
        let table = sobol_table(&scenario.name, n, &indices);
        table.write_file(&out.join("sobol.csv"), Format::Csv)?;
        table.print(format)?;
    }
    if let Some(r) = args.morris {
        let total = r * (k as u64 + 1);
        eprintln!("{}: Morris elementary effects, {total} runs", scenario.name);
        let bar = crate::progress::terminal_bar(total, None);
        let tick = || bar.as_ref().map_or((), |b| b.inc(1));
        let effects = pool.install(|| morris(&world, &scenario, r, scenario.seed, &tick)).map_err(located)?;
        if let Some(b) = &bar {
            b.finish_and_clear();
        }
        let table = morris_table(&scenario.name, &effects);
        table.write_file(&out.join("morris.csv"), Format::Csv)?;
        table.print(format)?;
    }
    println!("outputs in {}", out.display());
    Ok(())
}

fn tornado_table(scenario: &str, rows: &[TornadoRow]) -> Table {
    let mut table = Table::new([
        "scenario",
        "metric",
        "input",
        "low_input",
        "high_input",
        "base",
        "at_low",
        "at_high",
        "swing",
        "label",
    ]);
    for r in rows {
        table.push(vec![
            Cell::text(scenario),
            Cell::text(r.metric.as_str()),
            Cell::text(r.input.clone()),
            Cell::number(r.low_input, 4),
            Cell::number(r.high_input, 4),
            Cell::number(r.base, 3),
            Cell::number(r.at_low, 3),
            Cell::number(r.at_high, 3),
            Cell::number(r.swing(), 3),
            Cell::text(r.label.clone()),
        ]);
    }
    table
}

/// `sobol.csv`: the first six columns as before issue 18, then the bootstrap intervals, their
/// coverage and resamples, the input's label, and the base samples left out because one of their
/// runs was infeasible.
fn sobol_table(scenario: &str, n: u64, rows: &[SobolRow]) -> Table {
    let mut table = Table::new([
        "scenario",
        "metric",
        "input",
        "first_order",
        "total",
        "base_samples",
        "first_order_low",
        "first_order_high",
        "total_low",
        "total_high",
        "confidence",
        "bootstrap_resamples",
        "label",
        "infeasible_samples",
    ]);
    for r in rows {
        table.push(vec![
            Cell::text(scenario),
            Cell::text(r.metric.as_str()),
            Cell::text(r.input.clone()),
            Cell::number(r.first_order, 4),
            Cell::number(r.total, 4),
            Cell::int(n),
            Cell::number(r.first_order_ci.0, 4),
            Cell::number(r.first_order_ci.1, 4),
            Cell::number(r.total_ci.0, 4),
            Cell::number(r.total_ci.1, 4),
            Cell::number(CONFIDENCE, 2),
            Cell::int(BOOTSTRAP as u64),
            Cell::text(r.label.clone()),
            Cell::int(r.infeasible_samples),
        ]);
    }
    table
}

/// `morris.csv`: mu*, mu and sigma of the elementary effects, in the metric's unit per move of
/// the input across its whole probability range.
fn morris_table(scenario: &str, rows: &[MorrisRow]) -> Table {
    let mut table =
        Table::new(["scenario", "metric", "input", "mu_star", "mu", "sigma", "trajectories", "label"]);
    for r in rows {
        table.push(vec![
            Cell::text(scenario),
            Cell::text(r.metric.as_str()),
            Cell::text(r.input.clone()),
            Cell::number(r.mu_star, 4),
            Cell::number(r.mu, 4),
            Cell::number(r.sigma, 4),
            Cell::int(r.trajectories),
            Cell::text(r.label.clone()),
        ]);
    }
    table
}
