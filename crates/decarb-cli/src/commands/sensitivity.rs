//! `decarb sensitivity SCENARIO`: one-at-a-time swings of each uncertain input between its 5th
//! and 95th percentile (`tornado.csv`, `tornado.svg`) and, with `--sobol N`, first-order and
//! total Sobol indices with bootstrap 95 % intervals (`sobol.csv`) and, with `--morris R`, Morris
//! elementary effects (`morris.csv`). See `decarb_engine::sensitivity`.

use crate::commands::UserError;
use crate::commands::ensemble::pool;
use crate::output::{Cell, Format, Table};
use anyhow::{Context, Result, anyhow};
use decarb_engine::EngineError;
use decarb_engine::sensitivity::{
    BOOTSTRAP, CONFIDENCE, Metric, MorrisRow, SobolRow, TornadoRow, morris, sobol_with_progress, tornado,
};
use plotters::prelude::*;
use std::path::{Path, PathBuf};

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
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also estimate variance-based (Sobol) indices from N base samples (2 to 10,000): N x (inputs + 2) runs.
    #[arg(long, value_name = "N", value_parser = super::limits::sobol_samples)]
    pub sobol: Option<u64>,
    /// Also screen the inputs with Morris elementary effects from R trajectories (2 to 10,000):
    /// R x (inputs + 1) runs, written to morris.csv (mu*, mu, sigma).
    #[arg(long, value_name = "R", value_parser = super::limits::sobol_samples)]
    pub morris: Option<u64>,
    /// How the tables print on stdout (files are always CSV) [default: table].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Seed of the Sobol and Morris samples and of every run (overrides the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads, 1 to 256 (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "T", value_parser = super::limits::threads)]
    pub threads: Option<usize>,
}

pub fn run(args: &SensitivityArgs) -> Result<()> {
    let (text, origin) = scenario_text(args.scenario.as_deref(), args.example.as_deref())?;
    let world = decarb_scenario::bundled::default_world();
    let mut scenario = decarb_scenario::load(&text, &origin, &world).map_err(|e| UserError(e.to_string()))?;
    if let Some(seed) = args.seed {
        scenario.seed = seed;
    }
    let located = |e: EngineError| -> anyhow::Error {
        match &e {
            EngineError::Scenario { .. } => {
                anyhow::Error::new(UserError(decarb_scenario::file::locate(&text, &origin, &e).to_string()))
            }
            _ => anyhow::Error::new(UserError(e.to_string())),
        }
    };
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
    .check(super::limits::memory_budget())
    .map_err(located)?;
    let out = args.out.clone().unwrap_or_else(|| super::run::default_out(&scenario.name).join("sensitivity"));
    std::fs::create_dir_all(&out)
        .map_err(|e| UserError(format!("{}: cannot create the output directory: {e}", out.display())))?;
    let pool = pool(args.threads)?;
    eprintln!("{}: tornado, {} runs", scenario.name, 1 + 2 * k);
    let rows = pool.install(|| tornado(&world, &scenario)).map_err(located)?;
    write_table(&tornado_table(&scenario.name, &rows), &out.join("tornado.csv"))?;
    std::fs::write(out.join("tornado.svg"), tornado_chart(&scenario.name, &rows)?)
        .with_context(|| format!("writing {}", out.join("tornado.svg").display()))?;
    tornado_table(&scenario.name, &rows).print(format)?;
    if let Some(n) = args.sobol {
        if n < 2 {
            return Err(UserError("--sobol: expected at least 2 base samples".into()).into());
        }
        let total = n * (k as u64 + 2);
        eprintln!("{}: Sobol indices, {total} runs", scenario.name);
        let bar = progress(total);
        let tick = || bar.as_ref().map_or((), |b| b.inc(1));
        let indices = pool
            .install(|| sobol_with_progress(&world, &scenario, n, scenario.seed, &tick))
            .map_err(located)?;
        if let Some(b) = &bar {
            b.finish_and_clear();
        }
        let table = sobol_table(&scenario.name, n, &indices);
        write_table(&table, &out.join("sobol.csv"))?;
        table.print(format)?;
    }
    if let Some(r) = args.morris {
        let total = r * (k as u64 + 1);
        eprintln!("{}: Morris elementary effects, {total} runs", scenario.name);
        let bar = progress(total);
        let tick = || bar.as_ref().map_or((), |b| b.inc(1));
        let effects = pool.install(|| morris(&world, &scenario, r, scenario.seed, &tick)).map_err(located)?;
        if let Some(b) = &bar {
            b.finish_and_clear();
        }
        let table = morris_table(&scenario.name, &effects);
        write_table(&table, &out.join("morris.csv"))?;
        table.print(format)?;
    }
    println!("outputs in {}", out.display());
    Ok(())
}

/// A progress bar on a terminal (stderr) only.
fn progress(total: u64) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(total);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "[{bar:40}] {pos}/{len} runs, {elapsed_precise} elapsed, ETA {eta_precise}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    })
}

fn scenario_text(file: Option<&Path>, example: Option<&str>) -> Result<(String, String)> {
    let source =
        decarb_scenario::source::file_or_example(file, example).map_err(|e| UserError(e.to_string()))?;
    Ok((source.text, source.origin))
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

fn write_table(table: &Table, path: &Path) -> Result<()> {
    let mut bytes = Vec::new();
    table.write(Format::Csv, &mut bytes)?;
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

fn err(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow!("drawing a chart: {e}")
}

/// Three panels (2030 emissions, end-year emissions, cumulative capex): a bar per input from
/// its value at the input's p5 (orange) to its value at p95 (blue), around the base run.
fn tornado_chart(scenario: &str, rows: &[TornadoRow]) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1500, 720)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let root = root
            .titled(&format!("Sensitivity of {scenario}: each input at its p5 and p95"), ("sans-serif", 20))
            .map_err(err)?;
        let panels = root.split_evenly((1, Metric::ALL.len()));
        let low_colour = crate::commands::run::charts::rgb(decarb_chart::okabe_ito::ORANGE);
        let high_colour = crate::commands::run::charts::rgb(decarb_chart::okabe_ito::BLUE);
        for (panel, metric) in panels.iter().zip(Metric::ALL) {
            let bars: Vec<&TornadoRow> = rows.iter().filter(|r| r.metric == metric).collect();
            let Some(base) = bars.first().map(|r| r.base) else { continue };
            let lo = bars.iter().flat_map(|r| [r.at_low, r.at_high]).fold(base, f64::min);
            let hi = bars.iter().flat_map(|r| [r.at_low, r.at_high]).fold(base, f64::max);
            let pad = ((hi - lo) * 0.1).max(base.abs() * 0.01).max(1e-6);
            let n = i32::try_from(bars.len()).unwrap_or(i32::MAX);
            let names: Vec<String> = bars.iter().map(|r| r.label.clone()).collect();
            let mut chart = ChartBuilder::on(panel)
                .caption(metric.as_str(), ("sans-serif", 14))
                .margin(10)
                .x_label_area_size(30)
                .y_label_area_size(230)
                .build_cartesian_2d((lo - pad)..(hi + pad), (0..n).into_segmented())
                .map_err(err)?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .y_labels(bars.len() + 1)
                .y_label_formatter(&|value| match value {
                    // Widest bar on top: bar k is drawn in row n - 1 - k.
                    SegmentValue::CenterOf(i) => usize::try_from(n - 1 - *i)
                        .ok()
                        .and_then(|k| names.get(k))
                        .cloned()
                        .unwrap_or_default(),
                    _ => String::new(),
                })
                .x_labels(5)
                .draw()
                .map_err(err)?;
            for (k, r) in bars.iter().enumerate() {
                let row = n - 1 - i32::try_from(k).unwrap_or(0);
                for (value, colour) in [(r.at_low, low_colour), (r.at_high, high_colour)] {
                    // An infeasible end (no pathway) has no bar.
                    if !value.is_finite() {
                        continue;
                    }
                    let (a, b) = if value < base { (value, base) } else { (base, value) };
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(a, SegmentValue::Exact(row)), (b, SegmentValue::Exact(row + 1))],
                            colour.mix(0.8).filled(),
                        )))
                        .map_err(err)?;
                }
            }
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(base, SegmentValue::Exact(0)), (base, SegmentValue::Exact(n))],
                    BLACK.stroke_width(2),
                )))
                .map_err(err)?;
        }
        // Legend: a swatch per colour and the base line.
        let y = 690;
        for (i, (colour, text)) in [
            (low_colour, "input at its 5th percentile (p5)"),
            (high_colour, "input at its 95th percentile (p95)"),
        ]
        .into_iter()
        .enumerate()
        {
            let x = 20 + 330 * i32::try_from(i).unwrap_or(0);
            root.draw(&Rectangle::new([(x, y), (x + 16, y + 12)], colour.mix(0.8).filled())).map_err(err)?;
            root.draw(&Text::new(text, (x + 22, y), ("sans-serif", 13))).map_err(err)?;
        }
        root.draw(&PathElement::new(vec![(680, y + 6), (700, y + 6)], BLACK.stroke_width(2))).map_err(err)?;
        root.draw(&Text::new("base run (every input as the scenario has it)", (706, y), ("sans-serif", 13)))
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}
