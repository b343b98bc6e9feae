//! `decarb sensitivity SCENARIO`: one-at-a-time swings of each uncertain input between its 5th
//! and 95th percentile (`tornado.csv`, `tornado.svg`) and, with `--sobol N`, first-order and
//! total Sobol indices (`sobol.csv`). See `decarb_engine::sensitivity`.

use crate::commands::UserError;
use crate::commands::ensemble::pool;
use crate::output::{Cell, Format, Table};
use anyhow::{Context, Result, anyhow};
use decarb_engine::EngineError;
use decarb_engine::sensitivity::{Metric, SobolRow, TornadoRow, sobol, tornado};
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
    /// Seed of the Sobol samples and of every run (overrides the scenario's `seed`).
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
    let runs = 1 + 2 * k as u64 + args.sobol.map_or(0, |n| n.saturating_mul(k as u64 + 2));
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
    tornado_table(&scenario.name, &rows).print(Format::Table)?;
    if let Some(n) = args.sobol {
        if n < 2 {
            return Err(UserError("--sobol: expected at least 2 base samples".into()).into());
        }
        eprintln!("{}: Sobol indices, {} runs", scenario.name, n * (k as u64 + 2));
        let indices = pool.install(|| sobol(&world, &scenario, n, scenario.seed)).map_err(located)?;
        let table = sobol_table(&scenario.name, n, &indices);
        write_table(&table, &out.join("sobol.csv"))?;
        table.print(Format::Table)?;
    }
    println!("outputs in {}", out.display());
    Ok(())
}

fn scenario_text(file: Option<&Path>, example: Option<&str>) -> Result<(String, String)> {
    if let Some(path) = file {
        let text = std::fs::read_to_string(path)
            .map_err(|e| UserError(format!("{}: cannot read the scenario file: {e}", path.display())))?;
        return Ok((text, path.display().to_string()));
    }
    let name = example.unwrap_or(decarb_engine::examples::DEFAULT_EXAMPLE);
    let text = decarb_engine::examples::example(name)
        .ok_or_else(|| UserError(decarb_engine::examples::unknown(name)))?;
    Ok((text.to_owned(), format!("example {name}")))
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
        ]);
    }
    table
}

fn sobol_table(scenario: &str, n: u64, rows: &[SobolRow]) -> Table {
    let mut table = Table::new(["scenario", "metric", "input", "first_order", "total", "base_samples"]);
    for r in rows {
        table.push(vec![
            Cell::text(scenario),
            Cell::text(r.metric.as_str()),
            Cell::text(r.input.clone()),
            Cell::number(r.first_order, 4),
            Cell::number(r.total, 4),
            Cell::int(n),
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
        let root = SVGBackend::with_string(&mut svg, (1200, 720)).into_drawing_area();
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
            let names: Vec<String> = bars.iter().map(|r| r.input.clone()).collect();
            let mut chart = ChartBuilder::on(panel)
                .caption(metric.as_str(), ("sans-serif", 14))
                .margin(10)
                .x_label_area_size(30)
                .y_label_area_size(130)
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
        root.draw(&Text::new(
            "orange: input at p5, blue: input at p95, line: base run",
            (20, 700),
            ("sans-serif", 13),
        ))
        .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}
