//! `decarb merge PARTS... --out DIR`: combines the partial results of an ensemble run in shards
//! (`decarb run --runs N --shard K/M`, one `part-K-of-M/` folder each) into the `bands.csv`,
//! `runs.csv`, `probabilities.csv` and `fan.svg` that one machine running all N runs writes, byte
//! for byte. The parts are checked first (same scenario, seed, N and M; every shard once; files
//! intact), so nothing is written from an incomplete or mixed set (docs/cluster.md).

use crate::commands::UserError;
use anyhow::{Context, Result};
use decarb_engine::ensemble::{self, PartHeader};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Part folders (`part-K-of-M/`, each with part.json, cells.bin and runs.csv), or folders
    /// holding them (every `part-*-of-*` inside is taken).
    #[arg(required = true, value_name = "PARTS")]
    pub parts: Vec<PathBuf>,
    /// Output directory for the merged files.
    #[arg(short, long, value_name = "DIR")]
    pub out: PathBuf,
}

/// A part as read: its folder, header, cell bytes and runs.csv.
struct Part {
    dir: PathBuf,
    header: PartHeader,
    cells: Vec<u8>,
    runs: Vec<u8>,
}

fn is_part_dir(path: &Path) -> bool {
    path.join("part.json").is_file()
}

/// The part folders named on the command line, a folder of parts expanded in name order.
fn part_dirs(args: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut dirs = Vec::new();
    for path in args {
        if is_part_dir(path) {
            dirs.push(path.clone());
            continue;
        }
        let entries = std::fs::read_dir(path).map_err(|e| {
            UserError(format!(
                "{}: not a part folder (no part.json) and cannot be listed: {e}",
                path.display()
            ))
        })?;
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("part-") && n.contains("-of-"))
                    && is_part_dir(p)
            })
            .collect();
        if found.is_empty() {
            return Err(UserError(format!(
                "{}: expected a part folder (with part.json) or a folder holding part-K-of-M folders; found neither",
                path.display()
            ))
            .into());
        }
        found.sort();
        dirs.extend(found);
    }
    Ok(dirs)
}

fn read_part(dir: &Path) -> Result<Part> {
    let read = |name: &str| -> Result<Vec<u8>> {
        let path = dir.join(name);
        std::fs::read(&path).map_err(|e| UserError(format!("{}: cannot read: {e}", path.display())).into())
    };
    let json = read("part.json")?;
    let header: PartHeader = serde_json::from_slice(&json).map_err(|e| {
        UserError(format!(
            "{}: not a decarb ensemble part header ({e}); expected the part.json `decarb run --shard` writes",
            dir.join("part.json").display()
        ))
    })?;
    let cells = read("cells.bin")?;
    let digest = {
        use sha2::Digest;
        format!("{:x}", sha2::Sha256::digest(&cells))
    };
    if digest != header.cells_sha256 {
        return Err(UserError(format!(
            "{}: SHA-256 {digest}, but part.json records {}: the file is damaged or from another part",
            dir.join("cells.bin").display(),
            header.cells_sha256
        ))
        .into());
    }
    let runs = read("runs.csv")?;
    Ok(Part { dir: dir.to_path_buf(), header, cells, runs })
}

/// The header line and the body of a runs.csv.
fn split_header(bytes: &[u8]) -> (&[u8], &[u8]) {
    match bytes.iter().position(|&b| b == b'\n') {
        Some(i) => bytes.split_at(i + 1),
        None => (bytes, &[]),
    }
}

pub fn run(args: &MergeArgs) -> Result<()> {
    let dirs = part_dirs(&args.parts)?;
    let parts: Vec<Part> = dirs.iter().map(|d| read_part(d)).collect::<Result<_>>()?;
    let headers: Vec<PartHeader> = parts.iter().map(|p| p.header.clone()).collect();
    let names: Vec<String> = parts.iter().map(|p| p.dir.display().to_string()).collect();
    let order = ensemble::check_parts(&headers, &names).map_err(|e| UserError(e.to_string()))?;
    let first = &parts[order[0]];
    let (header_line, _) = split_header(&first.runs);
    let mut merged: Option<ensemble::Ensemble> = None;
    let mut runs_csv = header_line.to_vec();
    for &i in &order {
        let part = &parts[i];
        let (head, body) = split_header(&part.runs);
        if head != header_line {
            return Err(UserError(format!(
                "{}: its header differs from that of {} (other uncertain inputs?)",
                part.dir.join("runs.csv").display(),
                first.dir.join("runs.csv").display()
            ))
            .into());
        }
        // Records, not lines: a quoted reason may hold a line break.
        let rows = csv::ReaderBuilder::new().has_headers(false).from_reader(body).records().count() as u64;
        let expected = part.header.end_run - part.header.first_run;
        if rows != expected {
            return Err(UserError(format!(
                "{}: {rows} rows, expected {expected} (runs {}..{}): the file is cut short or damaged",
                part.dir.join("runs.csv").display(),
                part.header.first_run,
                part.header.end_run
            ))
            .into());
        }
        runs_csv.extend_from_slice(body);
        merged
            .get_or_insert_with(|| part.header.empty_ensemble())
            .merge_part(&part.header, &part.cells)
            .map_err(|err| UserError(format!("{}: {err}", part.dir.join("cells.bin").display())))?;
    }
    let Some(ensemble) = merged else {
        return Err(UserError("no parts to merge".into()).into());
    };
    let out = &args.out;
    std::fs::create_dir_all(out)
        .map_err(|e| UserError(format!("{}: cannot create the output directory: {e}", out.display())))?;
    let runs_path = out.join("runs.csv");
    std::fs::write(&runs_path, &runs_csv).with_context(|| format!("writing {}", runs_path.display()))?;
    crate::ensemble_files::write_aggregates(&ensemble, out)?;
    println!(
        "scenario {}: merged {} parts of {} runs (seed {}): {} runs with a pathway, {} infeasible",
        ensemble.scenario,
        order.len(),
        first.header.runs,
        first.header.seed,
        ensemble.runs,
        ensemble.infeasible
    );
    println!("outputs in {} (bands.csv, runs.csv, probabilities.csv, fan.svg)", out.display());
    Ok(())
}
