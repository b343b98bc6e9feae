//! `decarb db`: create the tracker store, import releases into it, read its history and export
//! it. The store is a SQLite file (`decarb.db` in the working directory unless `--db` or
//! `DECARB_DATABASE_URL` says otherwise) or a PostgreSQL database (`postgres://...`).

use crate::output::{Cell, FolderOut, RowsOut, Table};
use crate::store_args::{StoreArgs, date_arg, opt_text, seeded, store_error, with_store, with_store_or_new};
use anyhow::Result;
use clap::{Args, Subcommand};
use decarb_store::{ChangeClass, EntityKind};
use std::collections::BTreeMap;
use std::path::PathBuf;

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
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        as_of: Option<String>,
        /// The table of what each file brought.
        #[command(flatten)]
        output: RowsOut,
    },
    /// Every recorded change to one record.
    History {
        /// plant, project, member, pledge, partnership or analysis.
        kind: String,
        /// The record's id (a plant's source id or store key, a project id, a member's name, an
        /// analysis's slug).
        id: String,
        #[command(flatten)]
        output: RowsOut,
    },
    /// What changed after a date: records added, removed (absent from a newer release),
    /// retired, status and capacity changes.
    Diff {
        /// Changes valid after this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        since: String,
        /// ... and on or before this one.
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        until: Option<String>,
        /// Only changes of this kind of record (plant, project, member, pledge, partnership).
        #[arg(long)]
        kind: Option<String>,
        #[command(flatten)]
        output: RowsOut,
    },
    /// Write every table, history included, as CSV files into a directory.
    Export {
        #[command(flatten)]
        folder: FolderOut,
    },
}

pub fn run(cli: DbCli) -> Result<()> {
    let target = cli.store.target();
    match cli.command {
        DbCommand::Init => {
            let summary = with_store_or_new(&target, async |store| store.init().await)?;
            if summary.seeded {
                eprintln!(
                    "initialised {} store {}: {} countries; loaded {}",
                    summary.backend,
                    decarb_store::redact_url(&target),
                    summary.countries,
                    seeded(&summary)
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
        DbCommand::Import { files, as_of, output } => import(&target, &files, as_of.as_deref(), &output),
        DbCommand::History { kind, id, output } => history(&target, &kind, &id, &output),
        DbCommand::Diff { since, until, kind, output } => {
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
            output.emit(&table)?;
            for ((entity, class), keys) in &counts {
                eprintln!("{entity}s {}: {}", class.as_str(), keys.len());
            }
            Ok(())
        }
        DbCommand::Export { folder } => {
            let dir = folder.path()?;
            let written = with_store(&target, async |store| store.export(dir).await)?;
            for (path, rows) in written {
                eprintln!("wrote {} ({rows} rows)", path.display());
            }
            Ok(())
        }
    }
}

fn import(target: &str, files: &[PathBuf], as_of: Option<&str>, output: &RowsOut) -> Result<()> {
    let mut read = Vec::with_capacity(files.len());
    // Reading a large workbook and writing a release take seconds: a bar over the files, then a
    // spinner while the one transaction runs (terminal only).
    let bar = crate::progress::terminal_bar_of(files.len() as u64, Some("reading"), "files");
    for path in files {
        let file = decarb_store::read_file(path, as_of).map_err(store_error)?;
        let line = format!("read {}: {} records", path.display(), file.records());
        match &bar {
            Some(bar) => {
                bar.println(line);
                bar.inc(1);
            }
            None => eprintln!("{line}"),
        }
        read.push(file);
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let spinner = crate::progress::terminal_spinner("writing to the store");
    let summaries = with_store(target, async |store| {
        store
            .import_files(&read, &|summary| {
                let line = format!(
                    "wrote {} ({}, {} as of {}): {} added, {} changed, {} unchanged, {} removed (not committed yet)",
                    summary.file, summary.kind, summary.family, summary.as_of, summary.added, summary.changed, summary.unchanged,
                    summary.removed
                );
                match &spinner {
                    Some(spinner) => spinner.println(line),
                    None => eprintln!("{line}"),
                }
            })
            .await
    });
    if let Some(spinner) = spinner {
        spinner.finish_and_clear();
    }
    let summaries = summaries?;
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
    output.emit(&table)
}

/// `decarb db history KIND ID`: the record's change log, oldest first.
fn history(target: &str, kind: &str, id: &str, output: &RowsOut) -> Result<()> {
    let kind: EntityKind = kind.parse().map_err(store_error)?;
    let changes = with_store(target, async |store| store.history(kind, id).await)?;
    let mut table = Table::new([
        "valid_from",
        "field",
        "old_value",
        "new_value",
        "recorded_at",
        "recorded_by",
        "note",
        // Added after the first release of this table (columns are a contract: appended).
        "reason",
        "source_url",
        "approved_by",
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
            opt_text(change.reason),
            opt_text(change.source_url),
            opt_text(change.approved_by),
        ]);
    }
    output.emit(&table)
}
