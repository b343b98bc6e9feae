//! Connecting, migrating and the transaction discipline shared by every write.
//!
//! A note on PostgreSQL: sqlx 0.9's `Any` driver gives a NULL `f64` the type float4 (and a NULL
//! `f32` float8) when it hands arguments to PostgreSQL, so a statement prepared and cached with a
//! NULL rejects a later non-NULL float8 ("incorrect binary data format"), and the other way
//! round. Every statement that binds an optional `f64` therefore runs with `persistent(false)`:
//! prepared with the types of its own arguments each time, where a typed NULL is harmless. All
//! other statements keep the statement cache.

use crate::error::{Result, StoreError};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{Any, AnyPool, Executor, Row, SqlSafeStr, Transaction};
use std::path::Path;
use std::sync::Once;
use std::time::Duration;

/// The database behind a [`Store`]. Almost all SQL is shared; the few statements whose dialects
/// differ (opening a write transaction) pick theirs from this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// The tracker store: a connection pool, the backend it talks to, and who is writing (kept in
/// every history record).
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    pub(crate) backend: Backend,
    pub(crate) actor: String,
}

/// How many times a write that lost a race to another writer is run again before giving up.
const MAX_ATTEMPTS: u32 = 200;
/// How long SQLite waits for another process's write lock before reporting "busy".
const SQLITE_BUSY_TIMEOUT_MS: &str = "PRAGMA busy_timeout = 60000";

static DRIVERS: Once = Once::new();

/// Turns what the user gave (`--db PATH`, a `sqlite:` or `postgres://` URL) into a database URL.
/// A plain path is a SQLite file, created if missing.
pub fn database_url(target: &str) -> String {
    if target.starts_with("postgres://")
        || target.starts_with("postgresql://")
        || target.starts_with("sqlite:")
    {
        return target.to_owned();
    }
    // Characters that would end the path part of the URL are escaped.
    let path = target.replace('%', "%25").replace('?', "%3F").replace('#', "%23");
    format!("sqlite://{path}?mode=rwc")
}

/// A database URL without its password, for messages.
pub fn redact_url(target: &str) -> String {
    match (target.find("://"), target.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => match target[scheme + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{user}:***{}", &target[..scheme + 3], &target[at..]),
            None => target.to_owned(),
        },
        _ => target.to_owned(),
    }
}

/// The database to use when none is named: `DECARB_DATABASE_URL`, else `decarb.db` in the
/// working directory.
pub fn default_target(explicit: Option<&Path>) -> String {
    if let Some(path) = explicit {
        return path.display().to_string();
    }
    std::env::var("DECARB_DATABASE_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
        .unwrap_or_else(|| "decarb.db".to_owned())
}

impl Store {
    /// Connects to the database at `target` (a path or URL, see [`database_url`]) without
    /// creating or migrating tables; use [`Store::init`] for that.
    pub async fn connect(target: &str) -> Result<Store> {
        DRIVERS.call_once(sqlx::any::install_default_drivers);
        let url = database_url(target);
        let backend = if url.starts_with("sqlite:") { Backend::Sqlite } else { Backend::Postgres };
        let mut options = AnyPoolOptions::new().max_connections(4).acquire_timeout(Duration::from_secs(20));
        if backend == Backend::Sqlite {
            options = options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute(SQLITE_BUSY_TIMEOUT_MS).await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    Ok(())
                })
            });
        }
        // Failing to open the store is almost always a wrong path or URL: the user's to fix. One
        // direct attempt first, because the pool would retry a refused connection until its
        // acquire timeout and then only say it timed out.
        if backend == Backend::Postgres {
            use sqlx::Connection;
            let probe = sqlx::AnyConnection::connect(&url).await.map_err(|err| {
                StoreError::invalid(
                    "database",
                    redact_url(target),
                    format!("a database decarb can open ({err})"),
                )
            })?;
            probe.close().await.map_err(StoreError::Database)?;
        }
        let pool = options.connect(&url).await.map_err(|err| {
            StoreError::invalid("database", redact_url(target), format!("a database decarb can open ({err})"))
        })?;
        if backend == Backend::Sqlite {
            // Write-ahead logging lets readers work while an import runs, and a killed writer
            // leaves a log the next connection rolls back.
            // Switching to WAL needs the file to itself; another process opening or migrating
            // the same new store at that moment makes it answer "locked" at once (no busy wait).
            let mut tries: u32 = 0;
            loop {
                tries += 1;
                match sqlx::query("PRAGMA journal_mode = WAL").fetch_optional(&pool).await {
                    Ok(_) => break,
                    Err(_) if tries < 30 => {
                        tokio::time::sleep(Duration::from_millis((100 * u64::from(tries)).min(1000))).await;
                    }
                    Err(err) => return Err(StoreError::Database(err)),
                }
            }
        }
        let actor = std::env::var("DECARB_USER")
            .or_else(|_| std::env::var("USER"))
            .ok()
            .filter(|name| !name.trim().is_empty())
            .unwrap_or_else(|| "unnamed (no DECARB_USER or USER)".to_owned());
        Ok(Store { pool, backend, actor })
    }

    /// Connects, brings the schema up to date and fills the country table (idempotent). Does not
    /// load the bundled tables of members, pledges, partnerships and projects; see [`Store::init`].
    pub async fn open(target: &str) -> Result<Store> {
        let store = Store::connect(target).await?;
        store.migrate().await?;
        store.ensure_countries().await?;
        Ok(store)
    }

    /// Names who writes from now on (kept in history); defaults to `DECARB_USER` or `USER`.
    #[must_use]
    pub fn with_actor(mut self, actor: &str) -> Store {
        actor.clone_into(&mut self.actor);
        self
    }

    /// The connection pool, for queries the store has no method for (read-only reports, tests
    /// of the schema's own constraints).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// Closes every connection (a SQLite file can then be removed or copied).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub(crate) async fn migrate(&self) -> Result<()> {
        let (tracker, tokens, analyses, limits, write, corrections) = match self.backend {
            Backend::Sqlite => (
                include_str!("../migrations/sqlite/0001_tracker.sql"),
                include_str!("../migrations/sqlite/0002_tokens.sql"),
                include_str!("../migrations/sqlite/0003_analyses.sql"),
                include_str!("../migrations/sqlite/0004_limits.sql"),
                include_str!("../migrations/sqlite/0005_write.sql"),
                include_str!("../migrations/sqlite/0006_corrections.sql"),
            ),
            Backend::Postgres => (
                include_str!("../migrations/postgres/0001_tracker.sql"),
                include_str!("../migrations/postgres/0002_tokens.sql"),
                include_str!("../migrations/postgres/0003_analyses.sql"),
                include_str!("../migrations/postgres/0004_limits.sql"),
                include_str!("../migrations/postgres/0005_write.sql"),
                include_str!("../migrations/postgres/0006_corrections.sql"),
            ),
        };
        let migrator = Migrator::with_migrations(vec![
            Migration::new(1, "tracker".into(), MigrationType::Simple, tracker.into_sql_str(), false),
            Migration::new(2, "tokens".into(), MigrationType::Simple, tokens.into_sql_str(), false),
            Migration::new(3, "analyses".into(), MigrationType::Simple, analyses.into_sql_str(), false),
            Migration::new(4, "limits".into(), MigrationType::Simple, limits.into_sql_str(), false),
            Migration::new(5, "write".into(), MigrationType::Simple, write.into_sql_str(), false),
            Migration::new(6, "corrections".into(), MigrationType::Simple, corrections.into_sql_str(), false),
        ]);
        // Several processes opening a new SQLite store at once can race to create the tables
        // (sqlx takes no lock on SQLite); the loser finds them made when it tries again. Migration
        // 5 rebuilds a table on SQLite, so a loser may wait a while: up to 30 tries, backing off
        // to 1 s (about 25 s in all, inside the 60 s busy timeout). Migration 6 rebuilds it again.
        let mut tries: u32 = 0;
        loop {
            tries += 1;
            match migrator.run(&self.pool).await {
                Ok(()) => return Ok(()),
                Err(_) if tries < 30 => {
                    tokio::time::sleep(Duration::from_millis((100 * u64::from(tries)).min(1000))).await;
                }
                Err(err) => return Err(err.into()),
            }
        }
    }

    /// Opens a write transaction. SQLite takes the write lock at once (`BEGIN IMMEDIATE`), so two
    /// writers queue on the busy timeout instead of failing when one upgrades a read lock;
    /// PostgreSQL relies on row locks taken by the statements themselves.
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Any>> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        };
        tx.map_err(StoreError::Database)
    }

    /// Runs `attempt` until it succeeds or fails for a reason other than a lost race.
    pub(crate) async fn retrying<T, F, Fut>(&self, mut attempt: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let mut tries = 0;
        loop {
            tries += 1;
            match attempt().await {
                Err(err) if err.is_retryable() && tries < MAX_ATTEMPTS => {
                    // Back off a little, differently per try, so racing writers spread out.
                    tokio::time::sleep(Duration::from_millis(u64::from(tries % 7) * 3 + 1)).await;
                }
                other => return other,
            }
        }
    }

    /// Number of rows in a table; for tests and summaries.
    pub async fn count(&self, table: CountedTable) -> Result<i64> {
        let row: AnyRow =
            sqlx::query(table.sql()).fetch_one(&self.pool).await.map_err(StoreError::Database)?;
        row.try_get::<i64, _>(0).map_err(StoreError::Database)
    }
}

/// Tables whose size [`Store::count`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountedTable {
    Countries,
    Sources,
    Companies,
    Plants,
    PlantStates,
    PlantUnits,
    Projects,
    ProjectStates,
    Members,
    Pledges,
    Partnerships,
    Changes,
    Imports,
}

impl CountedTable {
    fn sql(self) -> &'static str {
        match self {
            CountedTable::Countries => "SELECT COUNT(*) FROM country",
            CountedTable::Sources => "SELECT COUNT(*) FROM source",
            CountedTable::Companies => "SELECT COUNT(*) FROM company",
            CountedTable::Plants => "SELECT COUNT(*) FROM plant",
            CountedTable::PlantStates => "SELECT COUNT(*) FROM plant_state",
            CountedTable::PlantUnits => "SELECT COUNT(*) FROM plant_unit",
            CountedTable::Projects => "SELECT COUNT(*) FROM project",
            CountedTable::ProjectStates => "SELECT COUNT(*) FROM project_state",
            CountedTable::Members => "SELECT COUNT(*) FROM member",
            CountedTable::Pledges => "SELECT COUNT(*) FROM pledge",
            CountedTable::Partnerships => "SELECT COUNT(*) FROM partnership",
            CountedTable::Changes => "SELECT COUNT(*) FROM change_log",
            CountedTable::Imports => "SELECT COUNT(*) FROM import_run",
        }
    }
}

/// Now, as ISO 8601 UTC with seconds (`2026-11-29T17:05:00Z`), for `recorded_at`.
pub(crate) fn now_utc() -> String {
    now_plus_days(0)
}

/// `days` days from now, as [`now_utc`] writes it.
pub(crate) fn now_plus_days(days: u64) -> String {
    let ahead = i64::try_from(days).unwrap_or(i64::MAX).saturating_mul(24);
    let now = jiff::Timestamp::now();
    let at = now.checked_add(jiff::SignedDuration::from_hours(ahead)).unwrap_or(jiff::Timestamp::MAX);
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Today's date in UTC (`2026-11-29`), the default "as of" of an edit.
pub fn today() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%d").to_string()
}

/// Checks a full date (`2023-12-31`) given for "as of" and returns it normalised: through
/// [`decarb_model::date::parse_day`], so a day that does not exist is refused with the reason.
pub fn parse_day(text: &str) -> Result<String> {
    parse_day_named("date", text)
}

/// [`parse_day`] with the name of what is read (`--since`, `as_of`) in the error.
pub fn parse_day_named(what: &str, text: &str) -> Result<String> {
    decarb_model::date::parse_day(text)
        .map(|day| day.to_string())
        .map_err(|err| StoreError::invalid(what, text, err.expected()))
}

/// Checks a date as precise as its source (`2019`, `2019-09`, `2019-09-23`).
pub fn parse_partial_date(what: &str, text: &str) -> Result<String> {
    let date: decarb_model::PartialDate = text.parse().map_err(|_| {
        StoreError::invalid(what, text, "a year (2019), year-month (2019-09) or date (2019-09-23)")
    })?;
    Ok(date.to_string())
}

/// The first day of a partial date (`2023-03` -> `2023-03-01`): when a release dated only by
/// month or year starts to be valid.
pub(crate) fn first_day(date: &str) -> String {
    match date.len() {
        4 => format!("{date}-01-01"),
        7 => format!("{date}-01"),
        _ => date.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_to_the_second_in_utc() {
        let now = now_utc();
        assert_eq!(now.len(), 20, "{now}");
        assert!(now.ends_with('Z') && now.starts_with(&today()), "{now}");
        assert!(now_plus_days(1) > now);
    }

    #[test]
    fn paths_become_sqlite_urls_and_urls_pass_through() {
        assert_eq!(database_url("decarb.db"), "sqlite://decarb.db?mode=rwc");
        assert_eq!(database_url("/tmp/a?b.db"), "sqlite:///tmp/a%3Fb.db?mode=rwc");
        assert_eq!(database_url("postgres://u@h:1/d"), "postgres://u@h:1/d");
    }

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(redact_url("postgres://u:secret@h:1/d"), "postgres://u:***@h:1/d");
        assert_eq!(redact_url("postgres://u@h:1/d"), "postgres://u@h:1/d");
        assert_eq!(redact_url("decarb.db"), "decarb.db");
    }

    #[test]
    fn as_of_dates_must_be_full_days() {
        assert_eq!(parse_day("2023-12-31").unwrap(), "2023-12-31");
        assert!(parse_day("2023").is_err());
        assert!(parse_day("31/12/2023").is_err());
        let err = parse_day_named("--since", "2024-02-30").unwrap_err().to_string();
        assert!(
            err.starts_with("--since: found \"2024-02-30\"") && err.ends_with("February 2024 has 29 days"),
            "{err}"
        );
        assert_eq!(first_day("2023-03"), "2023-03-01");
    }
}
