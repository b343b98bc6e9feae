//! `decarb validate mpp-ammonia`: runs the bundled MPP ammonia scenario on an MPP ammonia input
//! folder and compares it with a run of the MPP model (`model_outputs/<run>_emissions_trajectory.csv`
//! and `_technology_roadmap.csv`): writes `mpp-ammonia.md` (generated tables only) with SVG charts
//! and prints one line per check. Checks (issue 12): 2020 production and scope 1 within 3 %;
//! 2030, 2040 and 2050 scope 1 within 25 %; the three largest 2050 routes within 10 points.

use crate::commands::UserError;
use crate::commands::run::{mpp_ammonia_world_and_scenario, solve};
use anyhow::{Context, Result, anyhow};
use decarb_data::mpp_ammonia::{MppAmmoniaRun, read_outputs};
use decarb_engine::outcome::Outcome;
use decarb_model::Sector;
use plotters::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
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
    /// Where the report and charts go.
    #[arg(long, value_name = "DIR", default_value = "docs/validation")]
    pub out: PathBuf,
    /// Bundled scenario to run.
    #[arg(long, value_name = "NAME", default_value = "mpp-ammonia-lc-cc200")]
    pub example: String,
    /// Seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "T")]
    pub threads: Option<usize>,
}

/// One run's global figures: production (Mt NH3-eq), scope 1 and captured (Mt CO2), and
/// production by MPP route name.
#[derive(Debug, Clone, Default)]
struct Run {
    name: String,
    production: BTreeMap<i32, f64>,
    scope1: BTreeMap<i32, f64>,
    captured: BTreeMap<i32, f64>,
    by_route: BTreeMap<i32, BTreeMap<String, f64>>,
}

impl Run {
    fn get(series: &BTreeMap<i32, f64>, year: i32) -> f64 {
        series.get(&year).copied().unwrap_or(0.0)
    }
    fn share(&self, year: i32, route: &str) -> f64 {
        let Some(routes) = self.by_route.get(&year) else { return 0.0 };
        let total: f64 = routes.values().sum();
        if total > 0.0 { 100.0 * routes.get(route).copied().unwrap_or(0.0) / total } else { 0.0 }
    }
}

fn reference(run: &MppAmmoniaRun) -> Run {
    let mut out = Run { name: run.name.clone(), ..Run::default() };
    for year in 2020..=2050 {
        out.production.insert(year, run.production(year));
        out.scope1.insert(year, run.scope1(year));
        let captured = run.emissions.get("emissions_co2_scope1_captured").and_then(|v| v.get(&year)).copied();
        out.captured.insert(year, captured.unwrap_or(0.0));
        let routes = out.by_route.entry(year).or_default();
        for (route, values) in &run.roadmap {
            *routes.entry(route.clone()).or_default() += values.get(&year).copied().unwrap_or(0.0);
        }
    }
    out
}

fn ours(outcome: &Outcome, names: &BTreeMap<String, String>) -> Run {
    let mut run = Run { name: "decarb".into(), ..Run::default() };
    for row in outcome.summary.iter().filter(|r| r.region.is_none() && r.sector == Sector::Ammonia) {
        run.production.insert(row.year, row.production.to_mt());
        run.scope1.insert(row.year, row.direct_emissions.0 / 1e6);
        run.captured.insert(row.year, row.captured.0 / 1e6);
    }
    for row in outcome.technology_mix.iter().filter(|r| r.region.is_none() && r.sector == Sector::Ammonia) {
        let id = row.technology.as_str();
        let name = names.get(id).cloned().unwrap_or_else(|| id.to_owned());
        *run.by_route.entry(row.year).or_default().entry(name).or_default() += row.production.to_mt();
    }
    run
}

fn pct(ours: f64, reference: f64) -> String {
    if reference.abs() < 1e-9 { "–".into() } else { format!("{:+.1} %", 100.0 * (ours / reference - 1.0)) }
}

pub fn run(args: &MppAmmoniaArgs) -> Result<()> {
    let reference_run = read_outputs(&args.results)?;
    let refs = reference(&reference_run);
    let started = std::time::Instant::now();
    let (world, scenario) = mpp_ammonia_world_and_scenario(&args.inputs, None, Some(&args.example))?;
    let seed = args.seed.unwrap_or(scenario.seed);
    let outcome = solve(&world, &scenario, seed, args.threads).map_err(|e| UserError(e.to_string()))?;
    let elapsed = started.elapsed();
    let names: BTreeMap<String, String> =
        world.technologies.iter().map(|t| (t.id.as_str().to_owned(), t.name.clone())).collect();
    let ours = ours(&outcome, &names);
    std::fs::create_dir_all(&args.out)
        .map_err(|e| UserError(format!("{}: cannot create the folder: {e}", args.out.display())))?;
    let checks = checks(&ours, &refs);
    let text = report(&ours, &refs, &checks, seed, args);
    let path = args.out.join("mpp-ammonia.md");
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    charts(&ours, &refs, args)?;
    for (what, ok, numbers) in &checks {
        println!("{}: {what}: {numbers}", if *ok { "pass" } else { "FAIL" });
    }
    let passed = checks.iter().filter(|c| c.1).count();
    println!("{passed} of {} checks pass", checks.len());
    println!("report: {} (run took {:.2} s)", path.display(), elapsed.as_secs_f64());
    if passed == checks.len() { Ok(()) } else { Err(ChecksFailed(checks.len() - passed).into()) }
}

/// Some checks failed (exit code 1: the comparison ran; the figures differ).
#[derive(Debug, thiserror::Error)]
#[error("{0} validation check(s) failed")]
pub struct ChecksFailed(pub usize);

type Check = (String, bool, String);

fn checks(ours: &Run, refs: &Run) -> Vec<Check> {
    let mut out = Vec::new();
    for (what, o, r) in [
        ("production", Run::get(&ours.production, 2020), Run::get(&refs.production, 2020)),
        ("scope 1", Run::get(&ours.scope1, 2020), Run::get(&refs.scope1, 2020)),
    ] {
        let diff = (o / r - 1.0).abs();
        out.push((
            format!("2020 {what} within 3 % of the reference"),
            diff <= 0.03,
            format!("decarb {o:.1} Mt, reference {r:.1} Mt ({})", pct(o, r)),
        ));
    }
    for y in [2030, 2040, 2050] {
        let (o, r) = (Run::get(&ours.scope1, y), Run::get(&refs.scope1, y));
        out.push((
            format!("{y} scope 1 within 25 % of the reference"),
            (o / r - 1.0).abs() <= 0.25,
            format!("decarb {o:.1} Mt, reference {r:.1} Mt ({})", pct(o, r)),
        ));
    }
    if let Some(routes) = refs.by_route.get(&2050) {
        let mut largest: Vec<(&String, &f64)> = routes.iter().collect();
        largest.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
        for (name, _) in largest.into_iter().take(3) {
            let (o, r) = (ours.share(2050, name), refs.share(2050, name));
            out.push((
                format!("2050 share of {name} within 10 points of the reference"),
                (o - r).abs() <= 10.0,
                format!("decarb {o:.1} %, reference {r:.1} % ({:+.1} points)", o - r),
            ));
        }
    }
    out
}

fn report(ours: &Run, refs: &Run, checks: &[Check], seed: u64, args: &MppAmmoniaArgs) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# decarb vs the MPP ammonia model: `{}`\n", refs.name);
    let _ = writeln!(
        md,
        "Generated by `decarb validate mpp-ammonia --inputs {} --results {} --out {}` (decarb {}, scenario \
         `{}`, seed {seed}). Mt per year; production in Mt NH3-equivalent; scope 1 = direct CO2 after capture. \
         Explanation of the differences: docs/mpp-ammonia.md.\n",
        args.inputs.display(),
        args.results.display(),
        args.out.display(),
        env!("CARGO_PKG_VERSION"),
        args.example,
    );
    let metrics: [(&str, Get, &str); 3] = [
        ("Production, Mt NH3-eq", |r| &r.production, "mpp-ammonia-production.svg"),
        ("Scope 1 emissions, Mt CO2", |r| &r.scope1, "mpp-ammonia-scope1.svg"),
        ("CO2 captured, Mt CO2", |r| &r.captured, "mpp-ammonia-captured.svg"),
    ];
    for (title, get, chart) in metrics {
        let _ = writeln!(md, "## {title}\n\n![{title}]({chart})\n");
        let _ = writeln!(md, "| year | decarb | {} | difference |\n|---|---|---|---|", refs.name);
        for y in (2020..=2050).step_by(5) {
            let (o, r) = (Run::get(get(ours), y), Run::get(get(refs), y));
            let _ = writeln!(md, "| {y} | {o:.1} | {r:.1} | {} |", pct(o, r));
        }
        let _ = writeln!(md);
    }
    let _ = writeln!(md, "## Route shares of production, %\n\n![Shares](mpp-ammonia-shares.svg)\n");
    let mut routes: BTreeSet<String> = BTreeSet::new();
    for run in [ours, refs] {
        for y in [2030, 2040, 2050] {
            if let Some(m) = run.by_route.get(&y) {
                routes.extend(m.iter().filter(|(_, v)| **v > 1e-6).map(|(k, _)| k.clone()));
            }
        }
    }
    for y in [2030, 2040, 2050] {
        let _ = writeln!(md, "### {y}\n\n| route | decarb | {} | points |\n|---|---|---|---|", refs.name);
        let mut rows: Vec<(&String, f64, f64)> =
            routes.iter().map(|n| (n, ours.share(y, n), refs.share(y, n))).collect();
        rows.sort_by(|a, b| (b.1 + b.2).total_cmp(&(a.1 + a.2)).then(a.0.cmp(b.0)));
        for (name, o, r) in rows {
            let _ = writeln!(md, "| {name} | {o:.1} | {r:.1} | {:+.1} |", o - r);
        }
        let _ = writeln!(md);
    }
    let _ = writeln!(md, "## Checks (issue 12)\n\n| check | result | numbers |\n|---|---|---|");
    for (what, ok, numbers) in checks {
        let _ = writeln!(md, "| {what} | {} | {numbers} |", if *ok { "pass" } else { "**fail**" });
    }
    let passed = checks.iter().filter(|c| c.1).count();
    let _ = writeln!(md, "\n{passed} of {} checks pass.", checks.len());
    md
}

fn err(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow!("drawing a chart: {e}")
}

/// Reads one series of a run.
type Get = fn(&Run) -> &BTreeMap<i32, f64>;

fn charts(ours: &Run, refs: &Run, args: &MppAmmoniaArgs) -> Result<()> {
    let metrics: [(&str, &str, Get); 3] = [
        ("mpp-ammonia-production.svg", "Ammonia production, Mt NH3-eq", |r| &r.production),
        ("mpp-ammonia-scope1.svg", "Scope 1 emissions, Mt CO2", |r| &r.scope1),
        ("mpp-ammonia-captured.svg", "CO2 captured, Mt CO2", |r| &r.captured),
    ];
    let colors = [RGBColor(0, 0, 0), RGBColor(31, 119, 180)];
    for (file, title, get) in metrics {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (900, 520)).into_drawing_area();
            root.fill(&WHITE).map_err(err)?;
            let top =
                [ours, refs].iter().flat_map(|r| get(r).values().copied()).fold(1.0_f64, f64::max) * 1.1;
            let mut chart = ChartBuilder::on(&root)
                .caption(title, ("sans-serif", 22))
                .margin(16)
                .x_label_area_size(40)
                .y_label_area_size(70)
                .build_cartesian_2d(2020..2050, 0.0..top)
                .map_err(err)?;
            chart.configure_mesh().x_desc("year").draw().map_err(err)?;
            for (i, run) in [ours, refs].iter().enumerate() {
                let c = colors[i];
                chart
                    .draw_series(LineSeries::new(
                        get(run).iter().map(|(&y, &v)| (y, v)),
                        c.stroke_width(if i == 0 { 3 } else { 2 }),
                    ))
                    .map_err(err)?
                    .label(run.name.clone())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], c.stroke_width(2)));
            }
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .draw()
                .map_err(err)?;
            root.present().map_err(err)?;
        }
        std::fs::write(args.out.join(file), svg).with_context(|| format!("writing {file}"))?;
    }
    shares_chart(ours, refs, args)
}

/// Stacked bars of the route shares in 2030, 2040 and 2050, decarb beside the reference.
fn shares_chart(ours: &Run, refs: &Run, args: &MppAmmoniaArgs) -> Result<()> {
    let mut largest: BTreeMap<String, f64> = BTreeMap::new();
    for run in [ours, refs] {
        for name in run.by_route.get(&2050).into_iter().flat_map(BTreeMap::keys) {
            let entry = largest.entry(name.clone()).or_default();
            *entry = entry.max(run.share(2050, name));
        }
    }
    let mut names: Vec<(String, f64)> = largest.into_iter().collect();
    names.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let names: Vec<String> = names.into_iter().take(7).map(|(n, _)| n).collect();
    let palette = [
        RGBColor(31, 119, 180),
        RGBColor(255, 127, 14),
        RGBColor(44, 160, 44),
        RGBColor(214, 39, 40),
        RGBColor(148, 103, 189),
        RGBColor(140, 86, 75),
        RGBColor(227, 119, 194),
        RGBColor(190, 190, 190),
    ];
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1000, 560)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("Production shares by route; bars: decarb, {}", refs.name), ("sans-serif", 18))
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..13.0, 0.0..100.0)
            .map_err(err)?;
        chart.configure_mesh().disable_x_mesh().x_labels(0).y_desc("% of production").draw().map_err(err)?;
        for (yi, year) in [2030, 2040, 2050].into_iter().enumerate() {
            for (ri, run) in [ours, refs].iter().enumerate() {
                let x = (yi * 3 + ri) as f64;
                let mut bottom = 0.0;
                let mut shares: Vec<f64> = names.iter().map(|n| run.share(year, n)).collect();
                shares.push((100.0 - shares.iter().sum::<f64>()).max(0.0));
                for (k, share) in shares.iter().enumerate() {
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(x + 0.1, bottom), (x + 0.9, bottom + share)],
                            palette[k % palette.len()].filled(),
                        )))
                        .map_err(err)?;
                    bottom += share;
                }
                let label = if ri == 0 { format!("decarb {year}") } else { format!("MPP {year}") };
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
    std::fs::write(args.out.join("mpp-ammonia-shares.svg"), svg).context("writing mpp-ammonia-shares.svg")?;
    Ok(())
}
