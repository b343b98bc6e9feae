//! What the three side-by-side validations (`mpp-steel`, `mpp-aluminium`, `mpp-ammonia`) share in
//! their output: the arguments after the inputs, the checks' table and printed lines, the share
//! tables, and the line and share charts. The comparison itself is `decarb_scenario::validation`.

use anyhow::Result;
use decarb_chart::svg::doc::{Chart, Columns, Line, Plot, Xy};
use decarb_chart::{Rgb, okabe_ito};
use decarb_scenario::validation::{Check, Metric, RunData, SHARE_YEARS};
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
const COLOURS: [Rgb; 3] = [okabe_ito::BLACK, okabe_ito::BLUE, okabe_ito::ORANGE];

/// One line per run of a yearly metric, the first run (decarb) drawn thicker. The title's last
/// part after a comma is the metric's unit ("Scope 1 emissions, Mt CO2"), written on its axis.
pub fn line_chart(runs: &[&RunData], path: &Path, title: &str, get: Metric) -> Result<()> {
    let lines = runs
        .iter()
        .enumerate()
        .map(|(i, run)| {
            let points = run.years.iter().map(|(&y, r)| (f64::from(y), get(r))).collect();
            let width = if i == 0 { 3.0 } else { 2.0 };
            Line::new(run.name.clone(), points).colour(COLOURS[i % COLOURS.len()]).width(width)
        })
        .collect();
    let unit = title.rsplit_once(", ").map_or("", |(_, unit)| unit);
    let xy = Xy { x_name: "year".into(), unit: unit.into(), lines, ..Xy::default() };
    crate::charts::write(path, &Chart::single(title, "World", Plot::Xy(xy)))
}

/// Stacked columns: for each of [`SHARE_YEARS`] and each run, the shares of the seven routes
/// with the largest 2050 share in any run, and the rest. `bar_labels` names each run's columns.
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
    // Columns by year, a gap between years; each run's shares of the routes, then the rest.
    let mut categories = Vec::new();
    let mut shares: Vec<Vec<f64>> = Vec::new();
    for (yi, &year) in SHARE_YEARS.iter().enumerate() {
        if yi > 0 {
            categories.push(String::new());
            shares.push(Vec::new());
        }
        for (run, label) in runs.iter().zip(bar_labels) {
            categories.push(format!("{label}\n{year}"));
            let mut column: Vec<f64> = names.iter().map(|n| run.share(year, n)).collect();
            column.push((100.0 - column.iter().sum::<f64>()).max(0.0));
            shares.push(column);
        }
    }
    // The seven largest routes in the Okabe-Ito colours after black (by rank: MPP's route names
    // share families, so a colour per family would merge them), and black for the rest.
    let colours = okabe_ito::ALL[1..].iter().copied().chain(std::iter::once(okabe_ito::BLACK));
    let series = names
        .iter()
        .cloned()
        .chain(std::iter::once("other".to_owned()))
        .zip(colours)
        .enumerate()
        .map(|(k, (name, colour))| {
            (name, colour, shares.iter().map(|c| c.get(k).copied().unwrap_or(0.0)).collect())
        })
        .collect();
    let columns = Columns { unit: "% of production".into(), categories, series, top: Some(100.0) };
    let names: Vec<&str> = runs.iter().map(|r| r.name.as_str()).collect();
    let title = format!("Production shares by route; bars: {}", names.join(", "));
    crate::charts::write(path, &Chart::single(title, "World", Plot::Columns(columns)))
}
