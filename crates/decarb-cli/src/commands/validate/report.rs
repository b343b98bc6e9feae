//! What the three side-by-side validations (`mpp-steel`, `mpp-aluminium`, `mpp-ammonia`) share in
//! their output: the arguments after the inputs, the checks' table and printed lines, the share
//! tables, and the line and share charts. The comparison itself is `decarb_scenario::validation`.

use crate::charts::{Key, Mark, RIGHT_MARGIN, err, grid, legend_below, rgb, tick};
use anyhow::{Context, Result};
use decarb_scenario::validation::{Check, Metric, RunData, SHARE_YEARS};
use plotters::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The arguments every validation takes after its inputs and reference run.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Where the report and charts go.
    #[arg(short, long, value_name = "DIR", default_value = "docs/validation")]
    pub out: PathBuf,
    /// Seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads, 1 to 256 (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "T", value_parser = crate::limits::threads)]
    pub threads: Option<usize>,
}

/// Writes the checks' section (`## Checks (issue N)`, a table, the count) and returns the count
/// line (`7 of 8 checks pass`). `figures` names the table's last column.
pub fn write_checks(md: &mut String, issue: u32, figures: &str, checks: &[Check]) -> String {
    let _ = writeln!(md, "## Checks (issue {issue})\n\n| check | result | {figures} |\n|---|---|---|");
    for c in checks {
        let _ = writeln!(md, "| {} | {} | {} |", c.what, if c.pass { "pass" } else { "**fail**" }, c.figures);
    }
    let verdict = format!("{} of {} checks pass", checks.iter().filter(|c| c.pass).count(), checks.len());
    let _ = writeln!(md, "\n{verdict}.");
    verdict
}

/// Prints one line per check (`pass` or `FAIL`, then `after_status`, the check and its figures)
/// and the count; returns how many failed.
pub fn print_checks(checks: &[Check], after_status: &str) -> usize {
    for c in checks {
        println!("{}{after_status}{}: {}", if c.pass { "pass" } else { "FAIL" }, c.what, c.figures);
    }
    let failed = checks.iter().filter(|c| !c.pass).count();
    println!("{} of {} checks pass", checks.len() - failed, checks.len());
    failed
}

/// The share tables of [`SHARE_YEARS`]: one row per route with production in any of those years
/// in any run, decarb and each reference with the difference in points, largest first.
pub fn write_share_tables(md: &mut String, ours: &RunData, refs: &[RunData]) {
    let mut routes: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for run in std::iter::once(ours).chain(refs) {
        for y in SHARE_YEARS {
            if let Some(m) = run.production_by_route.get(&y) {
                routes.extend(m.iter().filter(|(_, v)| **v > 1e-6).map(|(k, _)| k.clone()));
            }
        }
    }
    for y in SHARE_YEARS {
        let _ = writeln!(md, "### {y}\n");
        let mut head = String::from("| route | decarb |");
        let mut rule = String::from("|---|---|");
        for r in refs {
            let _ = write!(head, " {} | points |", r.name);
            rule.push_str("---|---|");
        }
        let _ = writeln!(md, "{head}\n{rule}");
        let mut rows: Vec<(&String, f64)> = routes.iter().map(|n| (n, ours.share(y, n))).collect();
        rows.sort_by(|a, b| {
            let ref_a = refs.first().map_or(0.0, |r| r.share(y, a.0));
            let ref_b = refs.first().map_or(0.0, |r| r.share(y, b.0));
            (ref_b + b.1).total_cmp(&(ref_a + a.1)).then(a.0.cmp(b.0))
        });
        for (name, o) in rows {
            let mut line = format!("| {name} | {o:.1} |");
            for r in refs {
                let v = r.share(y, name);
                let _ = write!(line, " {v:.1} | {:+.1} |", o - v);
            }
            let _ = writeln!(md, "{line}");
        }
        let _ = writeln!(md);
    }
}

/// decarb's run black, the reference runs blue and orange (Okabe-Ito, decarb's one palette).
const COLORS: [RGBColor; 3] = [RGBColor(0, 0, 0), RGBColor(0, 114, 178), RGBColor(230, 159, 0)];

/// How wide a line chart's legend draws each run's sample line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legend {
    /// As wide as the run's line (decarb's is thicker).
    AsDrawn,
    /// 2 px for every run (the ammonia charts as first published).
    Thin,
}

/// One line per run of a yearly metric, the first run (decarb) drawn thicker.
pub fn line_chart(runs: &[&RunData], path: &Path, title: &str, get: Metric, legend: Legend) -> Result<()> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 520)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let top = runs.iter().flat_map(|r| r.years.values().map(get)).fold(0.0_f64, f64::max).max(1.0) * 1.1;
        let keys: Vec<Key> = runs
            .iter()
            .enumerate()
            .map(|(i, run)| {
                let width = if i == 0 && legend == Legend::AsDrawn { 3 } else { 2 };
                Key::new(run.name.clone(), Mark::Line(COLORS[i % COLORS.len()], width))
            })
            .collect();
        let plot = legend_below(&root, &keys)?;
        let mut chart = ChartBuilder::on(&plot)
            .caption(title, ("sans-serif", 22))
            .margin(16)
            .margin_right(RIGHT_MARGIN)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(2020..2050, 0.0..top)
            .map_err(err)?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(grid())
            .y_label_formatter(&|v| tick(*v))
            .x_desc("year")
            .draw()
            .map_err(err)?;
        for (i, run) in runs.iter().enumerate() {
            let c = COLORS[i % COLORS.len()];
            let width = if i == 0 { 3 } else { 2 };
            chart
                .draw_series(LineSeries::new(
                    run.years.iter().map(|(&y, r)| (y, get(r))),
                    c.stroke_width(width),
                ))
                .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    std::fs::write(path, svg).with_context(|| format!("writing {}", path.display()))
}

/// Grouped bars: for each of [`SHARE_YEARS`] and each run, the shares of the seven routes with
/// the largest 2050 share in any run, and the rest. `bar_labels` names each run's bars.
pub fn shares_chart(runs: &[&RunData], bar_labels: &[String], path: &Path) -> Result<()> {
    // The routes with the largest 2050 share in any run.
    let mut largest: BTreeMap<String, f64> = BTreeMap::new();
    for run in runs {
        for name in run.production_by_route.get(&2050).into_iter().flat_map(BTreeMap::keys) {
            let share = run.share(2050, name);
            let entry = largest.entry(name.clone()).or_default();
            *entry = entry.max(share);
        }
    }
    let mut names: Vec<(String, f64)> = largest.into_iter().collect();
    names.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let names: Vec<String> = names.into_iter().take(7).map(|(n, _)| n).collect();
    // The seven largest routes in the Okabe-Ito colours after black (by rank: MPP's route names
    // share families, so a colour per family would merge them), and black for the rest.
    let mut palette: Vec<RGBColor> = decarb_chart::okabe_ito::ALL[1..].iter().map(|&c| rgb(c)).collect();
    palette.push(rgb(decarb_chart::okabe_ito::BLACK));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1000, 560)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let groups = SHARE_YEARS.len() * (runs.len() + 1);
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!(
                    "Production shares by route; bars: {}",
                    runs.iter().map(|r| r.name.as_str()).collect::<Vec<_>>().join(", ")
                ),
                ("sans-serif", 18),
            )
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(60)
            // Four empty slots on the right hold the legend clear of the bars.
            .build_cartesian_2d(0.0..(groups + 4) as f64, 0.0..100.0)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(grid())
            .x_labels(0)
            .y_label_formatter(&|v| tick(*v))
            .y_desc("% of production")
            .draw()
            .map_err(err)?;
        for (yi, &year) in SHARE_YEARS.iter().enumerate() {
            for (ri, run) in runs.iter().enumerate() {
                let x = (yi * (runs.len() + 1) + ri) as f64;
                let mut bottom = 0.0;
                let mut shares: Vec<f64> = names.iter().map(|n| run.share(year, n)).collect();
                shares.push((100.0 - shares.iter().sum::<f64>()).max(0.0));
                for (k, share) in shares.iter().enumerate() {
                    let color = palette[k % palette.len()];
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(x + 0.1, bottom), (x + 0.9, bottom + share)],
                            color.filled(),
                        )))
                        .map_err(err)?;
                    bottom += share;
                }
                let label = format!("{} {year}", bar_labels[ri]);
                chart
                    .draw_series(std::iter::once(Text::new(label, (x + 0.1, 103.0), ("sans-serif", 11))))
                    .map_err(err)?;
            }
        }
        for (k, name) in names.iter().chain(std::iter::once(&"other".to_owned())).enumerate() {
            let color = palette[k % palette.len()];
            chart
                .draw_series(std::iter::once(Rectangle::new([(0.0, 0.0), (0.0, 0.0)], color.filled())))
                .map_err(err)?
                .label(name.clone())
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    std::fs::write(path, svg).with_context(|| format!("writing {}", path.display()))
}
