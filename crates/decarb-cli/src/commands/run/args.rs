//! `decarb run`'s arguments, and the arguments a run's manifest records (`--from`, `decarb export
//! iamc`).

use super::{ensemble, manifest};
use crate::commands::UserError;
use anyhow::Result;
use decarb_engine::breakdown::GroupBy;
use std::path::PathBuf;

/// Output format of the run's tables: CSV always, JSON in addition when asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RunFormat {
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file (TOML, see docs/scenario-format.md). Without it (and without --example) the
    /// bundled `net-zero-2050` runs.
    #[arg(value_name = "SCENARIO.toml")]
    pub scenario: Option<PathBuf>,
    /// Run a bundled example instead of a file (`decarb example list`).
    #[arg(long, value_name = "NAME", conflicts_with = "scenario")]
    pub example: Option<String>,
    /// Fleet file(s) any importer reads (GEM workbook, SFI, decarb CSV/JSON); they replace the
    /// bundled fleet for the sectors they cover. Repeat the flag for several files.
    #[arg(long = "fleet", value_name = "FILE")]
    pub fleet: Vec<PathBuf>,
    /// Run on the fleet stored in the tracker (`decarb db import`): a SQLite file or a
    /// postgres:// URL; `--db` alone means $DECARB_DATABASE_URL, else decarb.db here. Stored
    /// plants replace the bundled fleet for the sectors they cover.
    #[arg(long, value_name = "PATH|URL", num_args = 0..=1, default_missing_value = "")]
    pub db: Option<String>,
    /// With --db: the tracker's state on this date (YYYY-MM-DD) [default: the latest].
    #[arg(long, value_name = "DATE", requires = "db")]
    pub as_of: Option<String>,
    /// Output directory [default: ./decarb-out/<scenario>].
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seed for every random choice (overrides the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads, 1 to 256 (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "T", value_parser = crate::limits::threads)]
    pub threads: Option<usize>,
    /// Choice rule (overrides the scenario's `choice`): cheapest, mpp (a seeded draw among the
    /// options within `choice_band` of the best, the MPP steel model's rule) or logit (seeded
    /// draws with multinomial-logit shares, GCAM's rule). See docs/scenario-format.md.
    #[arg(long, value_name = "RULE", value_parser = ["cheapest", "mpp", "logit"])]
    pub choice: Option<String>,
    /// Table format: csv, or json to write JSON files next to the CSV files.
    #[arg(short, long, value_enum, default_value = "csv")]
    pub format: RunFormat,
    /// An MPP steel model input folder (`import_data`): run on the world built from it, with the
    /// MPP examples (`--example mpp-carbon-cost`, docs/mpp-steel.md).
    #[arg(long = "mpp-steel", value_name = "DIR", conflicts_with_all = ["fleet", "db"])]
    pub mpp_steel: Option<PathBuf>,
    /// An MPP aluminium input folder: the five files of `aluminium-inputs-lc-def/` or
    /// `aluminium/smelters/` (CSV or .csv.gz), or `aluminium/` itself (its `smelters/` is read).
    /// Runs the smelters with the MPP aluminium example (`--example mpp-aluminium-lc`, the default;
    /// docs/mpp-aluminium.md) or a scenario file written for that world.
    #[arg(long = "mpp-aluminium", value_name = "DIR", conflicts_with_all = ["fleet", "db", "mpp_steel"])]
    pub mpp_aluminium: Option<PathBuf>,
    /// The MPP ammonia model's input folder (`mpp-shared-code/ammonia`, CSVs plain or `.gz`): run
    /// on the world built from it, with the bundled `mpp-ammonia-lc-cc200` scenario by default
    /// (docs/mpp-ammonia.md).
    #[arg(long = "mpp-ammonia", value_name = "DIR", conflicts_with_all = ["fleet", "db", "mpp_steel"])]
    pub mpp_ammonia: Option<PathBuf>,
    /// Monte Carlo ensemble of N runs (1 to 100,000) over the scenario's [uncertainty] inputs: writes bands.csv,
    /// runs.csv, probabilities.csv and fan.svg instead of the single-run files.
    #[arg(long, value_name = "N", value_parser = crate::limits::runs, conflicts_with_all = ["mpp_steel", "mpp_aluminium", "mpp_ammonia"])]
    pub runs: Option<u64>,
    /// With --runs N: run only the K-th of M contiguous slices of the N runs (1 <= K <= M <= N)
    /// and write its mergeable partial results to OUT/part-K-of-M/; `decarb merge` combines the M
    /// parts into the files one machine writes (docs/cluster.md).
    #[arg(long, value_name = "K/M", value_parser = ensemble::parse_shard, requires = "runs")]
    pub shard: Option<(u64, u64)>,
    /// Break results down by region (summary.csv, the default), country or owner: with country or
    /// owner the terminal shows each sector's largest groups by base-year direct CO2 and the rest,
    /// and summary_by_country.csv or summary_by_owner.csv (with owner_attribution.csv) is written
    /// beside summary.csv. Owners: GEM parents where given, else owners, at their stated shares;
    /// unstated shares split equally (docs/scenario-format.md, "Breakdowns").
    #[arg(long, value_enum, default_value = "region")]
    pub by: GroupBy,
    /// Also write the run as IAMC timeseries: iamc.csv (model, scenario, region, variable, unit,
    /// one column per year) and iamc.xlsx (sheet `data`, the layout pyam reads); docs/iamc.md.
    /// Single runs only.
    #[arg(long, conflicts_with = "runs")]
    pub iamc: bool,
    /// Repeat the run a manifest.json records (scenario text, seed, runs, threads, options and
    /// inputs, whose SHA-256 must still match); only --out may be given with it.
    #[arg(long, value_name = "manifest.json", conflicts_with_all = [
        "scenario", "example", "fleet", "db", "as_of", "seed", "threads", "choice", "format",
        "mpp_steel", "mpp_aluminium", "mpp_ammonia", "runs", "by", "iamc",
    ])]
    pub from: Option<PathBuf>,
    /// Write the files without the terminal summary (`decarb export iamc`).
    #[arg(skip)]
    pub quiet: bool,
}

/// The arguments a manifest records, with `out` as given on the command line.
pub(crate) fn args_from(m: &manifest::Manifest, out: Option<PathBuf>) -> Result<RunArgs> {
    use clap::ValueEnum;
    let o = &m.options;
    let by: GroupBy = o.by.parse().map_err(|e| UserError(format!("manifest: options.by: {e}")))?;
    let format = RunFormat::from_str(&o.format, false)
        .map_err(|e| UserError(format!("manifest: options.format: {e}")))?;
    let scenario = m.inputs.iter().find(|i| i.role == "scenario").map(|i| PathBuf::from(&i.path));
    Ok(RunArgs {
        example: if scenario.is_none() { m.scenario.example.clone() } else { None },
        scenario,
        fleet: o.fleet.iter().map(PathBuf::from).collect(),
        db: o.db.clone(),
        as_of: o.as_of.clone(),
        out,
        seed: Some(o.seed),
        threads: o.threads,
        choice: o.choice.clone(),
        format,
        mpp_steel: o.mpp_steel.as_ref().map(PathBuf::from),
        mpp_aluminium: o.mpp_aluminium.as_ref().map(PathBuf::from),
        mpp_ammonia: o.mpp_ammonia.as_ref().map(PathBuf::from),
        runs: o.runs,
        // Manifests are written for whole runs only, never for a shard.
        shard: None,
        by,
        iamc: o.iamc,
        from: None,
        quiet: false,
    })
}
