//! `manifest.json`: what produced an output folder of `decarb run` (single runs and ensembles):
//! decarb's version and git commit, the rustc that built it, the platform, the scenario text as
//! run, seed, runs and threads, every input file with its SHA-256, and the emissions boundary. It
//! holds no timestamp and no output path, so that a run repeated with the same inputs (or with
//! `decarb run --from manifest.json`) writes a byte-identical folder, manifest included.
//! docs/manifest.md documents the fields.

use super::RunArgs;
use crate::commands::UserError;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Version of the manifest's layout.
pub const MANIFEST_VERSION: u32 = 1;

/// The build that wrote a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Build {
    pub decarb_version: String,
    /// `git rev-parse HEAD` at build time, "unknown" outside a git checkout (uncommitted changes
    /// are not detected).
    pub git_commit: String,
    pub rustc: String,
    /// Target triple, OS and architecture.
    pub target: String,
    pub os: String,
    pub arch: String,
}

impl Build {
    pub fn current() -> Build {
        Build {
            decarb_version: env!("CARGO_PKG_VERSION").to_owned(),
            git_commit: env!("DECARB_GIT_COMMIT").to_owned(),
            rustc: env!("DECARB_RUSTC_VERSION").to_owned(),
            target: env!("DECARB_TARGET").to_owned(),
            os: std::env::consts::OS.to_owned(),
            arch: std::env::consts::ARCH.to_owned(),
        }
    }
}

/// One input file and its SHA-256 (hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    /// What the file is: fleet, db, mpp-steel, mpp-aluminium, mpp-ammonia, scenario.
    pub role: String,
    pub path: String,
    pub sha256: String,
}

/// The scenario as run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioText {
    pub name: String,
    /// The file path or "example <name>" the text came from.
    pub origin: String,
    /// The bundled example run (when no file was given).
    pub example: Option<String>,
    /// The full TOML as run.
    pub text: String,
}

/// The options of the run that shape its outputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Options {
    pub seed: u64,
    /// Ensemble size (`--runs`), none for a single run.
    pub runs: Option<u64>,
    /// `--threads` as given; none = all cores (results do not depend on it).
    pub threads: Option<usize>,
    pub choice: Option<String>,
    pub by: String,
    pub format: String,
    pub iamc: bool,
    pub fleet: Vec<String>,
    pub db: Option<String>,
    pub as_of: Option<String>,
    pub mpp_steel: Option<String>,
    pub mpp_aluminium: Option<String>,
    pub mpp_ammonia: Option<String>,
}

/// The manifest of an output folder.
#[allow(clippy::struct_field_names)] // `manifest_version` is the field's name in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub manifest_version: u32,
    pub build: Build,
    pub scenario: ScenarioText,
    pub options: Options,
    pub inputs: Vec<Input>,
    pub emissions_boundary: String,
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// SHA-256 of a file, hex.
pub fn sha256_file(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path)
        .map_err(|e| UserError(format!("{}: cannot read the input to hash it: {e}", path.display())))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).with_context(|| format!("hashing {}", path.display()))?;
    Ok(format!("{:x}", hasher.finalize()))
}

/// The files of an input: the file itself, or every file under a folder in path order.
fn files_of(path: &Path) -> Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).with_context(|| format!("listing {}", dir.display()))?;
        for entry in entries {
            let p = entry?.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Hashes of the run's input files (`--fleet`, a SQLite `--db`, the MPP folders, the scenario file).
fn inputs(args: &RunArgs) -> Result<Vec<Input>> {
    let mut roles: Vec<(&str, PathBuf)> = Vec::new();
    if let Some(p) = &args.scenario {
        roles.push(("scenario", p.clone()));
    }
    roles.extend(args.fleet.iter().map(|p| ("fleet", p.clone())));
    if let Some(db) = args.db.as_deref() {
        let target = if db.is_empty() { decarb_store::default_target(None) } else { db.to_owned() };
        let path = PathBuf::from(target.strip_prefix("sqlite://").unwrap_or(&target));
        if !target.contains("://") || target.starts_with("sqlite://") {
            roles.push(("db", path));
        }
    }
    for (role, dir) in [
        ("mpp-steel", &args.mpp_steel),
        ("mpp-aluminium", &args.mpp_aluminium),
        ("mpp-ammonia", &args.mpp_ammonia),
    ] {
        if let Some(d) = dir {
            roles.push((role, d.clone()));
        }
    }
    let mut out = Vec::new();
    for (role, path) in roles {
        for file in files_of(&path)? {
            out.push(Input { role: role.to_owned(), path: display(&file), sha256: sha256_file(&file)? });
        }
    }
    Ok(out)
}

fn value_name<T: clap::ValueEnum>(v: &T) -> String {
    v.to_possible_value().map(|p| p.get_name().to_owned()).unwrap_or_default()
}

/// The manifest of a run with these arguments, scenario and seed.
pub fn build(args: &RunArgs, scenario: ScenarioText, seed: u64) -> Result<Manifest> {
    let path = |p: &Option<PathBuf>| p.as_deref().map(display);
    Ok(Manifest {
        manifest_version: MANIFEST_VERSION,
        build: Build::current(),
        scenario,
        options: Options {
            seed,
            runs: args.runs,
            threads: args.threads,
            choice: args.choice.clone(),
            by: value_name(&args.by),
            format: value_name(&args.format),
            iamc: args.iamc,
            fleet: args.fleet.iter().map(|p| display(p)).collect(),
            db: args.db.as_deref().map(decarb_store::redact_url),
            as_of: args.as_of.clone(),
            mpp_steel: path(&args.mpp_steel),
            mpp_aluminium: path(&args.mpp_aluminium),
            mpp_ammonia: path(&args.mpp_ammonia),
        },
        inputs: inputs(args)?,
        emissions_boundary: decarb_engine::outcome::EMISSIONS_BOUNDARY.to_owned(),
    })
}

/// Writes `manifest.json` into `dir`.
pub fn write(manifest: &Manifest, dir: &Path) -> Result<()> {
    let mut text = serde_json::to_string_pretty(manifest)?;
    text.push('\n');
    let path = dir.join("manifest.json");
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
}

/// Reads a manifest for `--from`: warns when another decarb build wrote it, and refuses inputs
/// whose SHA-256 changed since (the run would not be the same).
pub fn read(path: &Path) -> Result<Manifest> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| UserError(format!("{}: cannot read the manifest: {e}", path.display())))?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
        UserError(format!(
            "{}: line {}, column {}: not a decarb manifest ({e}); expected the manifest.json a `decarb run` wrote",
            path.display(),
            e.line(),
            e.column()
        ))
    })?;
    if manifest.manifest_version != MANIFEST_VERSION {
        return Err(UserError(format!(
            "{}: manifest_version {} is not supported; this decarb reads version {MANIFEST_VERSION}",
            path.display(),
            manifest.manifest_version
        ))
        .into());
    }
    let here = Build::current();
    if manifest.build.decarb_version != here.decarb_version || manifest.build.git_commit != here.git_commit {
        eprintln!(
            "warning: {} was written by decarb {} ({}); this is decarb {} ({}): the outputs may differ",
            path.display(),
            manifest.build.decarb_version,
            manifest.build.git_commit,
            here.decarb_version,
            here.git_commit
        );
    }
    for input in &manifest.inputs {
        let now = sha256_file(Path::new(&input.path))?;
        if now != input.sha256 {
            return Err(UserError(format!(
                "{}: input {} ({}) has SHA-256 {now}, the manifest records {}: the file changed since the run",
                path.display(),
                input.path,
                input.role,
                input.sha256
            ))
            .into());
        }
    }
    Ok(manifest)
}
