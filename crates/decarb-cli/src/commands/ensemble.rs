//! `decarb run SCENARIO --runs N`: a Monte Carlo ensemble of the scenario's uncertain inputs
//! (`decarb_engine::ensemble`), written as `bands.csv`, `runs.csv` (streamed, one row per run),
//! `probabilities.csv` and `fan.svg`, with a progress bar on a terminal and plain log lines
//! otherwise (stderr).

use crate::commands::UserError;
use crate::output::{Cell, Format, Table};
use anyhow::{Context, Result, anyhow};
use decarb_engine::ensemble::{
    self, BandRow, Ensemble, MILESTONE_MAX_SHARE, MILESTONE_YEAR, NEAR_ZERO_MAX_SHARE, RunRecord, Variable,
};
use decarb_engine::uncertainty::Resolved;
use decarb_engine::{Scenario, World};
use plotters::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// A progress display: an indicatif bar with ETA on a terminal, a log line every tenth
/// otherwise.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    total: u64,
    done: u64,
    label: String,
}

impl Progress {
    pub fn new(total: u64, label: &str) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(total);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{msg} [{bar:40}] {pos}/{len} runs, {elapsed_precise} elapsed, ETA {eta_precise}",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(label.to_owned());
            bar
        });
        Progress { bar, total, done: 0, label: label.to_owned() }
    }

    pub fn tick(&mut self) {
        self.done += 1;
        if let Some(bar) = &self.bar {
            bar.inc(1);
        } else {
            let step = (self.total / 10).max(1);
            if self.done.is_multiple_of(step) || self.done == self.total {
                eprintln!("{}: {}/{} runs done", self.label, self.done, self.total);
            }
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Builds a pool of `threads` workers (all cores when `None`).
pub fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(threads) = threads {
        builder = builder.num_threads(threads.max(1));
    }
    builder.build().map_err(|e| anyhow!("cannot start {threads:?} worker threads: {e}"))
}

/// What to run: N runs seeded with `seed` on `threads` workers, files into `out`.
#[derive(Clone, Copy)]
pub struct Request<'a> {
    pub runs: u64,
    pub seed: u64,
    pub threads: Option<usize>,
    pub out: &'a Path,
    /// Only the K-th of M slices of the runs (`--shard K/M`): partial results into
    /// `out/part-K-of-M/`.
    pub shard: Option<(u64, u64)>,
}

/// clap's parser for `--shard K/M`: whole numbers with 1 <= K <= M (M <= N is checked with N).
pub fn parse_shard(text: &str) -> Result<(u64, u64), String> {
    let expected = "expected K/M, two whole numbers with 1 <= K <= M (the K-th of M shards), e.g. 3/8";
    let (k, m) = text.split_once('/').ok_or_else(|| format!("{text:?}: {expected}"))?;
    let (Ok(k), Ok(m)) = (k.trim().parse::<u64>(), m.trim().parse::<u64>()) else {
        return Err(format!("{text:?}: {expected}"));
    };
    if k == 0 || k > m {
        return Err(format!("{text:?}: shard {k} of {m}: {expected}"));
    }
    Ok((k, m))
}

/// SHA-256 (hex) of the scenario as run: its resolved form as JSON, so overrides (--seed aside,
/// which parts record on their own, --choice) count.
pub fn scenario_sha256(scenario: &Scenario) -> Result<String> {
    use sha2::Digest;
    let json = serde_json::to_vec(scenario).context("serialising the scenario")?;
    Ok(hex(&sha2::Sha256::digest(&json)))
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(2 * bytes.len()), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Runs the ensemble and writes its files into `out`; `text` and `origin` locate errors.
pub fn run(
    world: &World,
    scenario: &Scenario,
    text: &str,
    origin: &str,
    request: &Request<'_>,
) -> Result<()> {
    let located = |e: decarb_engine::EngineError| -> anyhow::Error {
        match &e {
            decarb_engine::EngineError::Scenario { .. } => {
                anyhow::Error::new(UserError(decarb_scenario::file::locate(text, origin, &e).to_string()))
            }
            _ => anyhow::Error::new(UserError(e.to_string())),
        }
    };
    let Request { runs, seed, threads, out, shard } = *request;
    if runs == 0 {
        return Err(UserError("--runs: expected at least 1 run".into()).into());
    }
    let range = match shard {
        None => 0..runs,
        Some((k, m)) => ensemble::shard_range(runs, k, m).ok_or_else(|| {
            UserError(format!(
                "--shard {k}/{m}: expected 1 <= K <= M <= N, and M = {m} is more than the {runs} runs (--runs)"
            ))
        })?,
    };
    let (final_out, out) = match shard {
        None => (out.to_path_buf(), out.to_path_buf()),
        Some((k, m)) => (out.to_path_buf(), out.join(format!("part-{k}-of-{m}"))),
    };
    let out = out.as_path();
    let workers = threads.unwrap_or_else(rayon::current_num_threads) as u64;
    decarb_engine::memory::estimate(
        world,
        scenario,
        decarb_engine::memory::RunKind::Ensemble { runs, threads: workers },
    )
    .check(super::limits::memory_budget())
    .map_err(located)?;
    let resolved = ensemble::resolve(world, scenario).map_err(located)?;
    if resolved.is_empty() {
        eprintln!(
            "warning: {origin} declares no uncertain inputs ([uncertainty] in docs/scenario-format.md){}",
            if resolved.vary_seed {
                "; runs differ only by their engine seed"
            } else {
                ": every run is the same"
            }
        );
    }
    std::fs::create_dir_all(out)
        .map_err(|e| UserError(format!("{}: cannot create the output directory: {e}", out.display())))?;
    let runs_path = out.join("runs.csv");
    let file =
        std::fs::File::create(&runs_path).with_context(|| format!("writing {}", runs_path.display()))?;
    let mut writer = csv::Writer::from_writer(std::io::BufWriter::new(file));
    writer.write_record(runs_header(&resolved))?;
    let mut progress = Progress::new(range.end - range.start, &scenario.name);
    let mut write_error: Option<csv::Error> = None;
    let ensemble = pool(threads)?
        .install(|| {
            ensemble::run_ensemble_range(
                world,
                scenario,
                runs,
                range.clone(),
                seed,
                |record| {
                    if write_error.is_none()
                        && let Err(e) = writer.write_record(runs_row(&scenario.name, &resolved, record))
                    {
                        write_error = Some(e);
                    }
                    progress.tick();
                },
                || false,
            )
        })
        .map_err(located)?;
    progress.finish();
    if let Some(e) = write_error {
        return Err(anyhow::Error::new(e).context(format!("writing {}", runs_path.display())));
    }
    writer.flush().with_context(|| format!("writing {}", runs_path.display()))?;
    if let Some((k, m)) = shard {
        return write_part(&ensemble, scenario, seed, (runs, k, m), (out, &final_out));
    }
    write_aggregates(&ensemble, out)?;
    println!("{}", super::run::rules_line(scenario));
    print_summary(&ensemble, &resolved, seed, out);
    Ok(())
}

/// Writes a shard's partial results (part.json, cells.bin; runs.csv is already there) and says how
/// to merge them.
fn write_part(
    ensemble: &Ensemble,
    scenario: &Scenario,
    seed: u64,
    (runs, k, m): (u64, u64, u64),
    (out, final_out): (&Path, &Path),
) -> Result<()> {
    let mut header =
        ensemble::PartHeader::of(ensemble, scenario, &scenario_sha256(scenario)?, seed, (runs, k, m));
    let cells = ensemble.encode_cells();
    header.cells_sha256 = {
        use sha2::Digest;
        hex(&sha2::Sha256::digest(&cells))
    };
    let cells_path = out.join("cells.bin");
    std::fs::write(&cells_path, &cells).with_context(|| format!("writing {}", cells_path.display()))?;
    let header_path = out.join("part.json");
    let json = serde_json::to_string_pretty(&header).context("serialising the part header")?;
    std::fs::write(&header_path, json + "\n")
        .with_context(|| format!("writing {}", header_path.display()))?;
    println!(
        "scenario {}: shard {k}/{m}, runs {}..{} of {runs}, seed {seed}; partial results in {} \
         (merge all {m} parts with `decarb merge {} --out DIR`)",
        scenario.name,
        header.first_run,
        header.end_run,
        out.display(),
        final_out.display()
    );
    Ok(())
}

/// Writes bands.csv, probabilities.csv and fan.svg of an ensemble's aggregates: one path for an
/// ensemble run on one machine and for merged shards (`decarb merge`).
pub fn write_aggregates(ensemble: &Ensemble, out: &Path) -> Result<()> {
    let bands = ensemble.bands();
    write_table(&bands_table(&ensemble.scenario, &bands), &out.join("bands.csv"))?;
    write_table(&probabilities_table(ensemble), &out.join("probabilities.csv"))?;
    std::fs::write(out.join("fan.svg"), fan_chart(ensemble, &bands)?)
        .with_context(|| format!("writing {}", out.join("fan.svg").display()))
}

fn runs_header(resolved: &Resolved) -> Vec<String> {
    let mut header = vec!["scenario".to_owned(), "run".to_owned(), "engine_seed".to_owned()];
    header.extend(resolved.inputs.iter().map(|i| format!("{}_{}", i.name, i.unit())));
    header.extend(
        [
            "direct_base_mtco2",
            "direct_2030_mtco2",
            "direct_end_mtco2",
            "captured_end_mtco2",
            "cumulative_capex_busd",
            "meets_2030_milestone",
            "near_zero_end",
            "infeasible",
        ]
        .map(str::to_owned),
    );
    header
}

fn runs_row(scenario: &str, resolved: &Resolved, record: &RunRecord) -> Vec<String> {
    let h = &record.headline;
    let mut row = vec![scenario.to_owned(), record.index.to_string(), record.engine_seed.to_string()];
    row.extend(record.inputs.iter().zip(&resolved.inputs).map(|(v, input)| {
        // Years are whole numbers as applied; factors keep six decimals.
        if input.unit() == "factor" { format!("{v:.6}") } else { format!("{v:.0}") }
    }));
    match &record.infeasible {
        // An infeasible run has no pathway: its figures are left empty and the reason given.
        Some(reason) => {
            row.extend(std::iter::repeat_n(String::new(), 7));
            row.push(reason.clone());
        }
        None => row.extend([
            format!("{:.3}", h.direct_base),
            format!("{:.3}", h.direct_milestone),
            format!("{:.3}", h.direct_end),
            format!("{:.3}", h.captured_end),
            format!("{:.3}", h.cumulative_capex),
            h.meets_milestone.to_string(),
            h.near_zero.to_string(),
            String::new(),
        ]),
    }
    row
}

fn region_name(region: Option<decarb_model::Region>) -> &'static str {
    region.map_or("World", decarb_model::Region::as_str)
}

fn sector_name(sector: Option<decarb_model::Sector>) -> &'static str {
    sector.map_or("all", decarb_model::Sector::as_str)
}

/// `bands.csv`: scenario, year, sector, region, variable, mean, p5, p25, p50, p75, p95.
pub fn bands_table(scenario: &str, bands: &[BandRow]) -> Table {
    let mut table = Table::new([
        "scenario", "year", "sector", "region", "variable", "mean", "p5", "p25", "p50", "p75", "p95",
    ]);
    for b in bands {
        let mut row = vec![
            Cell::text(scenario),
            Cell::int(b.year),
            Cell::text(sector_name(b.sector)),
            Cell::text(region_name(b.region)),
            Cell::text(b.variable.as_str()),
            Cell::number(b.mean, 4),
        ];
        row.extend(b.percentiles.iter().map(|&v| Cell::number(v, 4)));
        table.push(row);
    }
    table
}

fn probabilities_table(e: &Ensemble) -> Table {
    let mut table = Table::new(["scenario", "event", "definition", "runs", "runs_meeting", "probability"]);
    let rows = [
        (
            "2030_milestone",
            format!(
                "world direct CO2 of the scenario's sectors in {MILESTONE_YEAR} <= {:.0} % of the base year ({:.0} % cut; IEA NZR 2023: steel -25 %, GCCA -25 %/t by 2030)",
                100.0 * MILESTONE_MAX_SHARE,
                100.0 * (1.0 - MILESTONE_MAX_SHARE)
            ),
            e.meeting_milestone,
            e.probability_milestone(),
        ),
        (
            "near_zero_end_year",
            format!(
                "world direct CO2 of the scenario's sectors in {} <= {:.0} % of the base year (IEA NZR 2023: 93-96 % of production near-zero by 2050)",
                e.layout.years.last().copied().unwrap_or(2050),
                100.0 * NEAR_ZERO_MAX_SHARE
            ),
            e.near_zero,
            e.probability_near_zero(),
        ),
    ];
    for (event, definition, meeting, p) in rows {
        table.push(vec![
            Cell::text(e.scenario.clone()),
            Cell::text(event),
            Cell::text(definition),
            Cell::int(e.runs),
            Cell::int(meeting),
            Cell::number(p, 4),
        ]);
    }
    let total = e.runs + e.infeasible;
    table.push(vec![
        Cell::text(e.scenario.clone()),
        Cell::text("infeasible"),
        Cell::text(
            "runs whose sampled inputs leave some year with demand no allowed technology can meet within the resource limits (no pathway; the rows above count the other runs)",
        ),
        Cell::int(total),
        Cell::int(e.infeasible),
        Cell::number(if total == 0 { f64::NAN } else { e.infeasible as f64 / total as f64 }, 4),
    ]);
    table
}

fn write_table(table: &Table, path: &Path) -> Result<()> {
    let mut bytes = Vec::new();
    table.write(Format::Csv, &mut bytes)?;
    let mut file = std::fs::File::create(path).with_context(|| format!("writing {}", path.display()))?;
    file.write_all(&bytes).with_context(|| format!("writing {}", path.display()))
}

fn err(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow!("drawing a chart: {e}")
}

/// `fan.svg`: world direct emissions of all the scenario's sectors, p5-p95 and p25-p75 bands,
/// the median and the mean; one thin median line per sector.
fn fan_chart(e: &Ensemble, bands: &[BandRow]) -> Result<String> {
    let world = |sector: Option<decarb_model::Sector>| -> Vec<&BandRow> {
        bands
            .iter()
            .filter(|b| b.sector == sector && b.region.is_none() && b.variable == Variable::DirectEmissions)
            .collect()
    };
    let total = world(None);
    let (Some(first), Some(last)) = (e.layout.years.first().copied(), e.layout.years.last().copied()) else {
        return Err(anyhow!("the ensemble has no years"));
    };
    let top = super::run::charts::finite_max(total.iter().map(|b| b.percentiles[4]))?.max(1.0) * 1.1;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1000, 640)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!(
                    "Direct CO2 emissions, {} ({} runs): median, 50 % and 90 % bands",
                    e.scenario, e.runs
                ),
                ("sans-serif", 20),
            )
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(first..last, 0.0..top)
            .map_err(err)?;
        chart.configure_mesh().x_desc("year").y_desc("Mt CO2 (direct, after capture)").draw().map_err(err)?;
        // All sectors together in black (decarb's one palette), each sector in its own colour.
        let total_colour = crate::commands::run::charts::rgb(decarb_chart::okabe_ito::BLACK);
        for (lo, hi, alpha, label) in [(0, 4, 0.18, "p5-p95"), (1, 3, 0.35, "p25-p75")] {
            let mut polygon: Vec<(i32, f64)> = total.iter().map(|b| (b.year, b.percentiles[hi])).collect();
            polygon.extend(total.iter().rev().map(|b| (b.year, b.percentiles[lo])));
            chart
                .draw_series(std::iter::once(Polygon::new(polygon, total_colour.mix(alpha).filled())))
                .map_err(err)?
                .label(label)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 14, y + 5)], total_colour.mix(alpha).filled())
                });
        }
        chart
            .draw_series(LineSeries::new(
                total.iter().map(|b| (b.year, b.percentiles[2])),
                total_colour.stroke_width(3),
            ))
            .map_err(err)?
            .label("median, all sectors")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], total_colour.stroke_width(3)));
        chart
            .draw_series(DashedLineSeries::new(
                total.iter().map(|b| (b.year, b.mean)),
                6,
                4,
                BLACK.stroke_width(1),
            ))
            .map_err(err)?
            .label("mean")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], BLACK.stroke_width(1)));
        for sector in e.layout.sectors.iter().filter_map(|s| *s) {
            let c = crate::commands::run::charts::rgb(decarb_chart::sector(sector));
            let rows = world(Some(sector));
            chart
                .draw_series(LineSeries::new(
                    rows.iter().map(|b| (b.year, b.percentiles[2])),
                    c.stroke_width(1),
                ))
                .map_err(err)?
                .label(format!("median, {}", sector.as_str()))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], c.stroke_width(1)));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

fn print_summary(e: &Ensemble, resolved: &Resolved, seed: u64, out: &Path) {
    let end = e.layout.years.last().copied().unwrap_or(2050);
    let base = e.layout.years.first().copied().unwrap_or(2020);
    println!(
        "scenario {}: {} runs, seed {seed}, {} uncertain inputs",
        e.scenario,
        e.runs,
        resolved.inputs.len()
    );
    if e.infeasible > 0 {
        println!(
            "{} of {} runs infeasible: their sampled inputs leave demand that no allowed technology meets within the limits; \
             bands and probabilities are over the {} others (first: {})",
            e.infeasible,
            e.runs + e.infeasible,
            e.runs,
            e.first_infeasible.as_deref().unwrap_or("")
        );
    }
    println!("world direct CO2 of all sectors, Mt (mean; p5 / p50 / p95):");
    for year in [base, MILESTONE_YEAR.clamp(base, end), end] {
        if let Some(b) = e.band(year, None, None, Variable::DirectEmissions) {
            println!(
                "  {year}: {:.1}; {:.1} / {:.1} / {:.1}",
                b.mean, b.percentiles[0], b.percentiles[2], b.percentiles[4]
            );
        }
    }
    println!(
        "P(2030 milestone) = {:.3} ({} of {} runs): direct CO2 in {MILESTONE_YEAR} at most {:.0} % of {base}",
        e.probability_milestone(),
        e.meeting_milestone,
        e.runs,
        100.0 * MILESTONE_MAX_SHARE
    );
    println!(
        "P(near zero by {end}) = {:.3} ({} of {} runs): direct CO2 in {end} at most {:.0} % of {base}",
        e.probability_near_zero(),
        e.near_zero,
        e.runs,
        100.0 * NEAR_ZERO_MAX_SHARE
    );
    println!(
        "percentiles from a log-bucket sketch: within {:.1} % of the exact rank value; means exact ({} cells, {} buckets)",
        100.0 * decarb_engine::sketch::RELATIVE_ACCURACY,
        e.layout.len(),
        e.buckets()
    );
    println!("outputs in {} (bands.csv, runs.csv, probabilities.csv, fan.svg)", out.display());
}
