//! `decarb run SCENARIO --runs N`: a Monte Carlo ensemble of the scenario's uncertain inputs
//! (`decarb_engine::ensemble`), written as `bands.csv`, `runs.csv` (streamed, one row per run),
//! `probabilities.csv` and `fan.svg`, with a progress bar on a terminal and plain log lines
//! otherwise (stderr).

use crate::commands::UserError;
use anyhow::{Context, Result};
use decarb_engine::ensemble::{
    self, Ensemble, MILESTONE_MAX_SHARE, MILESTONE_YEAR, NEAR_ZERO_MAX_SHARE, RunRecord, Variable,
};
use decarb_engine::uncertainty::Resolved;
use decarb_engine::{Scenario, World};
use std::path::Path;

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
    Ok(format!("{:x}", sha2::Sha256::digest(&json)))
}

/// Runs the ensemble and writes its files into `out`; `text` and `origin` locate errors.
pub fn run(
    world: &World,
    scenario: &Scenario,
    text: &str,
    origin: &str,
    request: &Request<'_>,
) -> Result<()> {
    let located = |e: decarb_engine::EngineError| crate::commands::located(text, origin, &e);
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
    .check(crate::limits::memory_budget())
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
    let mut progress = crate::progress::Progress::new(range.end - range.start, &scenario.name);
    let mut write_error: Option<csv::Error> = None;
    let ensemble = crate::threads::pool(threads)?
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
    crate::ensemble_files::write_aggregates(&ensemble, out)?;
    println!("{}", decarb_scenario::rules::describe(scenario));
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
        format!("{:x}", sha2::Sha256::digest(&cells))
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
