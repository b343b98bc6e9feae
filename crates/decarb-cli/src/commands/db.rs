//! `decarb db`: create the tracker store, import releases into it, read its history and export
//! it. The store is a SQLite file (`decarb.db` in the working directory unless `--db` or
//! `DECARB_DATABASE_URL` says otherwise) or a PostgreSQL database (`postgres://...`).

use super::UserError;
use crate::output::{Cell, Format, Table};
use anyhow::Result;
use clap::{Args, Subcommand};
use decarb_store::{ChangeClass, EntityKind, Store, StoreError};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Where the store is: shared by every tracker command.
#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// The store: a SQLite file, or a postgres:// URL [default: $DECARB_DATABASE_URL, else
    /// decarb.db in the working directory].
    #[arg(long, global = true, value_name = "PATH|URL")]
    pub db: Option<String>,
}

impl StoreArgs {
    pub fn target(&self) -> String {
        match &self.db {
            Some(db) => db.clone(),
            None => decarb_store::default_target(None),
        }
    }
}

#[derive(Debug, Args)]
pub struct DbCli {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(subcommand)]
    pub command: DbCommand,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Create the store (or bring its schema up to date) and load the countries and the bundled,
    /// cited tables of members, pledges, partnerships and notable projects.
    Init,
    /// Import files in one transaction: GEM steel trackers (2023 workbook, 2025 plant and unit
    /// files), the SFI cement database, decarb fleet files, the LeadIT Green Steel Tracker
    /// workbook, the IEA CCUS projects database.
    Import {
        /// Files to import; all land or none does.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The date the files describe (YYYY-MM-DD) [default: the date of the release decarb
        /// knows for the file's format; required for the Green Steel Tracker workbook].
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
    },
    /// Every recorded change to one record.
    History {
        /// plant, project, member, pledge or partnership.
        kind: String,
        /// The record's id (a plant's source id or store key, a project id, a member's name).
        id: String,
        #[arg(long, value_enum)]
        format: Option<Format>,
    },
    /// What changed after a date: records added, removed (absent from a newer release),
    /// retired, status and capacity changes.
    Diff {
        /// Changes valid after this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        since: String,
        /// ... and on or before this one.
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// Only changes of this kind of record (plant, project, member, pledge, partnership).
        #[arg(long)]
        kind: Option<String>,
        #[arg(long, value_enum)]
        format: Option<Format>,
    },
    /// Write every table, history included, as CSV files into a directory.
    Export { dir: PathBuf },
}

/// Converts a store error into one the CLI maps to the right exit code.
pub fn store_error(err: StoreError) -> anyhow::Error {
    if err.is_user_error() { UserError(err.to_string()).into() } else { anyhow::Error::new(err) }
}

/// Runs `work` on a store opened (and migrated) at `target`.
pub fn with_store<T>(target: &str, work: impl AsyncFnOnce(&Store) -> Result<T, StoreError>) -> Result<T> {
    existing_store(target)?;
    with_store_or_new(target, work)
}

/// A store file must exist for every command but `decarb db init` (and `decarb serve --init`);
/// `decarb run --db` shares the check, so it lives outside the commands.
pub use crate::store::existing_store;

/// [`with_store`] that creates the store file when it does not exist (`decarb db init`).
pub fn with_store_or_new<T>(
    target: &str,
    work: impl AsyncFnOnce(&Store) -> Result<T, StoreError>,
) -> Result<T> {
    decarb_store::block_on(async {
        let store = Store::open(target).await?;
        let result = work(&store).await;
        store.close().await;
        result
    })
    .map_err(store_error)?
    .map_err(store_error)
}

pub fn day(text: &str) -> Result<String> {
    decarb_store::parse_day(text).map_err(store_error)
}

pub fn run(cli: DbCli) -> Result<()> {
    let target = cli.store.target();
    match cli.command {
        DbCommand::Init => {
            let summary = with_store_or_new(&target, async |store| store.init().await)?;
            if summary.seeded {
                eprintln!(
                    "initialised {} store {}: {} countries; loaded {} members, {} pledges, {} partnerships, {} projects",
                    summary.backend,
                    decarb_store::redact_url(&target),
                    summary.countries,
                    summary.members,
                    summary.pledges,
                    summary.partnerships,
                    summary.projects
                );
            } else {
                eprintln!(
                    "{} store {} is up to date ({} countries); bundled tables already loaded",
                    summary.backend,
                    decarb_store::redact_url(&target),
                    summary.countries
                );
            }
            Ok(())
        }
        DbCommand::Import { files, as_of } => import(&target, &files, as_of.as_deref()),
        DbCommand::History { kind, id, format } => {
            let kind: EntityKind = kind.parse().map_err(store_error)?;
            let changes = with_store(&target, async |store| store.history(kind, &id).await)?;
            let mut table = Table::new([
                "valid_from",
                "field",
                "old_value",
                "new_value",
                "recorded_at",
                "recorded_by",
                "note",
            ]);
            for change in changes {
                table.push(vec![
                    Cell::text(change.valid_from),
                    Cell::text(change.field),
                    opt_text(change.old_value),
                    opt_text(change.new_value),
                    Cell::text(change.recorded_at),
                    Cell::text(change.recorded_by),
                    opt_text(change.note),
                ]);
            }
            table.print(Format::resolve(format))
        }
        DbCommand::Diff { since, until, kind, format } => {
            let since = day(&since)?;
            let until = until.as_deref().map(day).transpose()?;
            let kind: Option<EntityKind> =
                kind.as_deref().map(str::parse).transpose().map_err(store_error)?;
            let changes = with_store(&target, async |store| store.diff(&since, until.as_deref()).await)?;
            let mut table = Table::new([
                "change",
                "entity",
                "id",
                "name",
                "field",
                "old_value",
                "new_value",
                "valid_from",
                "note",
            ]);
            let mut counts: BTreeMap<(String, ChangeClass), std::collections::BTreeSet<String>> =
                BTreeMap::new();
            for change in changes.into_iter().filter(|c| kind.is_none_or(|k| k.as_str() == c.entity)) {
                let class = change.class();
                counts.entry((change.entity.clone(), class)).or_default().insert(change.key.clone());
                table.push(vec![
                    Cell::text(class.as_str()),
                    Cell::text(change.entity),
                    Cell::text(change.key),
                    Cell::text(change.label),
                    Cell::text(change.field),
                    opt_text(change.old_value),
                    opt_text(change.new_value),
                    Cell::text(change.valid_from),
                    opt_text(change.note),
                ]);
            }
            table.print(Format::resolve(format))?;
            for ((entity, class), keys) in &counts {
                eprintln!("{entity}s {}: {}", class.as_str(), keys.len());
            }
            Ok(())
        }
        DbCommand::Export { dir } => {
            let written = with_store(&target, async |store| store.export(&dir).await)?;
            for (path, rows) in written {
                eprintln!("wrote {} ({rows} rows)", path.display());
            }
            Ok(())
        }
    }
}

fn import(target: &str, files: &[PathBuf], as_of: Option<&str>) -> Result<()> {
    let mut read = Vec::with_capacity(files.len());
    for path in files {
        let file = decarb_store::read_file(path, as_of).map_err(store_error)?;
        eprintln!("read {}: {} records", path.display(), file.records());
        read.push(file);
    }
    let summaries = with_store(target, async |store| {
        store
            .import_files(&read, &|summary| {
                eprintln!(
                    "wrote {} ({}, {} as of {}): {} added, {} changed, {} unchanged, {} removed (not committed yet)",
                    summary.file, summary.kind, summary.family, summary.as_of, summary.added, summary.changed, summary.unchanged,
                    summary.removed
                );
            })
            .await
    })?;
    eprintln!("committed {} file(s) to {}", summaries.len(), decarb_store::redact_url(target));
    let mut table = Table::new([
        "file",
        "format",
        "family",
        "as_of",
        "records",
        "added",
        "changed",
        "unchanged",
        "removed",
        "matched_by_id",
        "matched_by_name",
        "matched_by_coordinates",
    ]);
    for s in summaries {
        table.push(vec![
            Cell::text(s.file),
            Cell::text(s.kind),
            Cell::text(s.family),
            Cell::text(s.as_of),
            Cell::int(s.records),
            Cell::int(s.added),
            Cell::int(s.changed),
            Cell::int(s.unchanged),
            Cell::int(s.removed),
            Cell::int(s.matched_by_id),
            Cell::int(s.matched_by_name),
            Cell::int(s.matched_by_coordinates),
        ]);
    }
    table.print(Format::resolve(None))
}

pub fn opt_text(value: Option<String>) -> Cell {
    value.map_or(Cell::Empty, Cell::Text)
}
