//! What the tracker commands (`db`, `plants`, `projects`, `members`, `pledges`, `partnerships`,
//! `analyses`, `token`, `review`, `serve`) share: where the store is, opening it, mapping its
//! errors to exit codes, reading days from flags, the filters of lists and the why/evidence/date
//! of every edit. Not a command: command modules import this, never each other.

use crate::commands::UserError;
use crate::output::Cell;
use anyhow::Result;
use clap::Args;
use decarb_model::CountryCode;
use decarb_store::{Edit, RegistryFilter, SourceRecord, Store, StoreError, WriteMeta};

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

/// Converts a store error into one the CLI maps to the right exit code.
pub fn store_error(err: StoreError) -> anyhow::Error {
    if err.is_user_error() { UserError(err.to_string()).into() } else { anyhow::Error::new(err) }
}

/// Runs `work` on a store opened (and migrated) at `target`.
pub fn with_store<T>(target: &str, work: impl AsyncFnOnce(&Store) -> Result<T, StoreError>) -> Result<T> {
    existing_store(target)?;
    with_store_or_new(target, work)
}

/// A store file must exist for every command but `decarb db init` (and `decarb serve --init`).
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

/// A day given on the command line (`--as-of`, `--since`, `--until`), as clap's value parser: a
/// day that does not exist is refused when the arguments are read, naming the flag, the value and
/// why (`--since 2024-02-30`: February 2024 has 29 days), exit code 2.
pub fn date_arg(text: &str) -> Result<String, String> {
    decarb_model::date::parse_day(text)
        .map(|day| day.to_string())
        .map_err(|err| format!("expected {}", err.expected()))
}

/// A date as precise as its source (`--joined 2019-09`), or `None`; the flag is named in the error.
pub fn partial(what: &str, text: Option<&str>) -> Result<Option<String>> {
    text.map(|t| decarb_store::parse_partial_date(what, t)).transpose().map_err(store_error)
}

pub fn opt_text(value: Option<String>) -> Cell {
    value.map_or(Cell::Empty, Cell::Text)
}

/// What `init` loaded into a new store, as `db init` and `serve --init` say it: "35 members, 40
/// pledges, 12 partnerships, 9 projects".
pub fn seeded(summary: &decarb_store::InitSummary) -> String {
    format!(
        "{} members, {} pledges, {} partnerships, {} projects",
        summary.members, summary.pledges, summary.partnerships, summary.projects
    )
}

/// Filters shared by list commands.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this country (ISO code or name).
    #[arg(long)]
    pub country: Option<String>,
    /// What the tracker said on this date (YYYY-MM-DD) [default: latest].
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub output: crate::output::RowsOut,
}

impl ListArgs {
    pub fn country(&self) -> Result<Option<CountryCode>> {
        Ok(self.country.as_deref().map(CountryCode::parse).transpose()?)
    }
    /// The filter of the member, pledge and partnership lists: a kind in the store's words,
    /// then this list's country and date.
    pub fn registry_filter(&self, kind: Option<String>) -> Result<RegistryFilter> {
        Ok(RegistryFilter { kind, country: self.country()?, as_of: self.as_of.clone() })
    }
}

/// The source of an edit typed on the command line: every fact carries one.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// Citation of the source of this fact ("LeadIT press release, 2024-06-25").
    #[arg(long, value_name = "CITATION")]
    pub source: String,
    /// Address of the source.
    #[arg(long)]
    pub url: Option<String>,
}

impl SourceArgs {
    pub fn record(&self) -> Result<SourceRecord> {
        if self.source.trim().is_empty() {
            return Err(UserError("--source: give the citation of the source of this fact".into()).into());
        }
        Ok(SourceRecord::typed(&self.source, self.url.as_deref()))
    }
}

/// A record named by its name (a member, a partnership) and why it is retired.
#[derive(Debug, Args)]
pub struct RetireByName {
    pub name: String,
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Why, on what evidence, from when and by whom: what every `update` and `retire` verb records
/// in the change log (the same as a write through the API).
#[derive(Debug, Args)]
pub struct WriteArgs {
    /// Why the change is made (required; kept in the record's history).
    #[arg(long)]
    pub note: String,
    /// The address of the evidence (http or https).
    #[arg(long, value_name = "URL")]
    pub source: Option<String>,
    /// The day the change holds from (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub as_of: Option<String>,
    /// Who makes the change [default: $DECARB_USER, else $USER, else "local CLI (unnamed ...)"].
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
}

impl WriteArgs {
    pub fn meta(&self) -> Result<WriteMeta> {
        let meta = WriteMeta {
            by: writer(self.by.as_deref()),
            note: self.note.clone(),
            source_url: self.source.clone(),
            valid_from: self.as_of.clone(),
        };
        meta.check().map_err(|err| match err {
            decarb_store::StoreError::Field { field, found, expected } => UserError(format!(
                "--{}: found {found:?}, expected {expected}",
                match field.as_str() {
                    "source_url" => "source",
                    "valid_from" => "as-of",
                    other => other,
                }
                .replace('_', "-")
            ))
            .into(),
            other => store_error(other),
        })?;
        Ok(meta)
    }
}

/// Who a write from the command line is recorded as: `--by`, else `DECARB_USER`, else `USER`;
/// without any of them, [`UNNAMED`] (said in so many words, with a warning, never "unknown").
pub fn writer(by: Option<&str>) -> String {
    let named = by
        .map(str::to_owned)
        .or_else(|| std::env::var("DECARB_USER").ok())
        .or_else(|| std::env::var("USER").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty());
    named.unwrap_or_else(|| {
        eprintln!("warning: no --by, DECARB_USER or USER: the change is recorded as by {UNNAMED:?}");
        UNNAMED.to_owned()
    })
}

/// The writer recorded when nobody is named.
pub const UNNAMED: &str = "local CLI (unnamed: no --by, DECARB_USER or USER)";

/// Applies an edit from the command line and says what it did.
pub fn apply(target: &str, edit: &Edit, args: &WriteArgs) -> Result<()> {
    let meta = args.meta()?;
    let applied = with_store(target, async |store| store.apply_edit(edit, &meta, None).await)?;
    let what = match edit {
        Edit::Retire { .. } => "retired",
        _ if applied.changed == 0 => "unchanged",
        _ => "updated",
    };
    eprintln!(
        "{what} {} {:?} (version {}, {} field(s), recorded by {})",
        applied.entity, applied.key, applied.version, applied.changed, meta.by
    );
    Ok(())
}
