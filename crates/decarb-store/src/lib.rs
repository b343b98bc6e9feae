//! The tracker store: countries, companies, plants of every sector, low-carbon projects, the
//! group's members, their pledges and partnerships, and the sources of every fact, with every
//! change kept so the tracker can say what it held on any date.
//!
//! One schema (`migrations/`), the same code on SQLite (a file, the default) and PostgreSQL (a
//! `postgres://` URL), through sqlx's `Any` driver with runtime-bound, parameterised SQL: no
//! database is needed to build, and no user value is ever spliced into SQL.
//!
//! - **History**: plants and projects are stored as dated states (`valid_from`, `valid_to`);
//!   every changed field is logged with old and new value, date, time recorded and writer.
//!   Reads take an "as of" date.
//! - **Releases**: importing a newer release of a tracker matches plants by the source's ids (and
//!   across GEM's 2023 -> 2025 id change by name or place; see [`plants`]) and logs what was
//!   added, changed, retired or dropped. `db diff --since` reads that log. An older release
//!   imported after a newer one back-fills the dates before it (history is ordered by release
//!   date, not import order).
//! - **All or nothing**: an import of several files is one transaction; a rejected row (a
//!   negative capacity, an unknown stage) rejects the whole import with an error naming it.
//! - **Concurrent writers**: SQLite write transactions start `IMMEDIATE` with a long busy
//!   timeout; edits check an optimistic version column and retry when another writer won.
//! - **Corrections**: an editor corrects a plant's fields as a dated change with who, why and
//!   source; a later release keeps the correction while it repeats the value corrected
//!   ([`plants::corrections`]).
//!
//! ```no_run
//! # async fn demo() -> Result<(), decarb_store::StoreError> {
//! use decarb_store::{Store, PlantFilter};
//! let store = Store::open("decarb.db").await?; // or "postgres://user@host/db"
//! store.init().await?;                          // countries and the bundled cited tables
//! let file = decarb_store::read_file("gem.xlsx".as_ref(), None)?;
//! store.import_files(&[file], &|_| {}).await?;
//! let plants = store.plants(&PlantFilter { as_of: Some("2023-12-31".into()), ..PlantFilter::default() }).await?;
//! let fleet = store.load_fleet(Some("2023-12-31")).await?; // for the engine
//! # let _ = (plants, fleet);
//! # Ok(()) }
//! ```

// Non-test code returns errors instead of panicking (issue 15; tests may unwrap: clippy.toml).
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// The shared SQL fragments (as of, operating) are macros, so the queries built with them stay
// string literals; declared first so every module can use them.
#[macro_use]
mod sql;

pub mod analyses;
pub mod db;
pub mod edits;
pub mod error;
pub mod export;
pub mod history;
pub mod import;
pub mod limits;
pub mod plants;
pub mod project_files;
pub mod projects;
pub mod registry;
pub mod search;
pub mod seed;
pub mod source;
pub mod tokens;
pub mod views;

pub use analyses::AnalysisPatch;
pub use db::{
    Backend, CountedTable, Store, database_url, default_target, parse_day, parse_day_named,
    parse_partial_date, redact_url, today,
};
pub use edits::{
    Applied, Edit, MemberPatch, NewRecord, PartnershipPatch, PledgePatch, Proposal, RecordVersion, Target,
    WriteMeta, check_url,
};
pub use error::{ConstraintRule, Result, StoreError};
pub use history::{Change, ChangeClass, EntityKind};
pub use import::{ImportFile, read_file};
pub use plants::corrections::{CorrectionRow, Holder, PlantPatch};
pub use plants::{CapacityRow, ImportSummary, PlantDetail, PlantFilter, PlantRecord, PlantRelease, PlantRow};
pub use projects::{ProjectFilter, ProjectRecord, ProjectRow, ProjectUpdate};
pub use registry::{
    MemberRecord, MemberRow, PartnershipRecord, PartnershipRow, PledgeRecord, PledgeRow, RegistryFilter,
};
pub use search::SearchRequest;
pub use seed::InitSummary;
pub use source::{SourceRecord, source_id_for};
pub use tokens::{Role, TokenCheck, TokenRow, parse_expiry};

/// Runs a store future to completion on a small runtime of its own, for callers that are not
/// async (the CLI, the engine's `run --db`).
pub fn block_on<F: Future>(future: F) -> Result<F::Output> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| StoreError::Database(sqlx::Error::Io(err)))?;
    Ok(runtime.block_on(future))
}

/// The stored fleet as of a date (latest when `None`), read from the store at `target` (a path
/// or URL): what `decarb run --db` hands to the engine.
pub fn load_fleet(target: &str, as_of: Option<&str>) -> Result<decarb_model::Fleet> {
    let as_of = as_of.map(|day| parse_day_named("as of", day)).transpose()?;
    block_on(async {
        let store = Store::open(target).await?;
        let fleet = store.load_fleet(as_of.as_deref()).await;
        store.close().await;
        fleet
    })?
}
