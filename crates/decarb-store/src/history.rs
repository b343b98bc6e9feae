//! The change log: every change to every entity, and the questions asked of it ("what happened
//! to this plant", "what changed since March 2023").

use crate::db::Store;
use crate::error::{Result, StoreError};
use serde::Serialize;
use sqlx::{Any, Row, Transaction};

/// The kinds of entity the log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Plant,
    Project,
    Member,
    Pledge,
    Partnership,
    Analysis,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Plant => "plant",
            EntityKind::Project => "project",
            EntityKind::Member => "member",
            EntityKind::Pledge => "pledge",
            EntityKind::Partnership => "partnership",
            EntityKind::Analysis => "analysis",
        }
    }
}

impl std::str::FromStr for EntityKind {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "analysis" | "analyses" => Ok(EntityKind::Analysis),
            other => match other.trim_end_matches('s') {
                "plant" => Ok(EntityKind::Plant),
                "project" => Ok(EntityKind::Project),
                "member" => Ok(EntityKind::Member),
                "pledge" => Ok(EntityKind::Pledge),
                "partnership" => Ok(EntityKind::Partnership),
                _ => Err(StoreError::invalid(
                    "kind",
                    s,
                    "plant, project, member, pledge, partnership or analysis",
                )),
            },
        }
    }
}

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub entity: String,
    pub key: String,
    /// The entity's name when the change was made.
    pub label: String,
    /// The field that changed; `created` for a new record, `listed` for a plant that left a
    /// release.
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    /// The date from which the new value holds (the release date for imports); empty when the
    /// date is unknown (a seed member with no join date): such a change is in no "since" diff.
    pub valid_from: String,
    pub recorded_at: String,
    pub recorded_by: String,
    pub note: Option<String>,
    /// Why the change was made (required of every write through the API and the CLI verbs).
    pub reason: Option<String>,
    /// The evidence for it.
    pub source_url: Option<String>,
    /// The editor who approved a contributor's proposal (the proposer is `recorded_by`).
    pub approved_by: Option<String>,
}

/// What a change means for the secretariat's "what changed" question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeClass {
    /// A record new to the store.
    Added,
    /// A plant absent from a newer release of its tracker.
    Removed,
    /// A status change to retired (or a project stage change to decommissioned/cancelled).
    Retired,
    /// Any other status or stage change.
    Status,
    /// A capacity change.
    Capacity,
    /// Anything else (name, owners, dates...).
    Other,
}

impl ChangeClass {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeClass::Added => "added",
            ChangeClass::Removed => "removed",
            ChangeClass::Retired => "retired",
            ChangeClass::Status => "status",
            ChangeClass::Capacity => "capacity",
            ChangeClass::Other => "other",
        }
    }
}

impl Change {
    pub fn class(&self) -> ChangeClass {
        let new = self.new_value.as_deref().unwrap_or("");
        match self.field.as_str() {
            "listed" if new == "0" => ChangeClass::Removed,
            "created" | "listed" => ChangeClass::Added,
            "status" | "stage" if matches!(new, "retired" | "cancelled" | "decommissioned") => {
                ChangeClass::Retired
            }
            "status" | "stage" => ChangeClass::Status,
            "capacity" => ChangeClass::Capacity,
            _ => ChangeClass::Other,
        }
    }
}

/// One row of the log to write.
pub(crate) struct LogEntry<'a> {
    pub entity: EntityKind,
    pub key: &'a str,
    pub label: &'a str,
    pub field: &'a str,
    pub old_value: Option<&'a str>,
    pub new_value: Option<&'a str>,
    pub valid_from: &'a str,
    pub import_id: Option<i64>,
    pub note: Option<&'a str>,
}

/// Who, why and on what evidence a write was made, and whether its date is known: what a change
/// through the API or a CLI verb adds to a log row beyond the change itself.
#[derive(Debug, Clone, Default)]
pub(crate) struct Provenance<'a> {
    /// `false` keeps the row's date unknown (NULL) whatever `LogEntry::valid_from` says.
    pub date_unknown: bool,
    pub recorded_by: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub source_url: Option<&'a str>,
    pub approved_by: Option<&'a str>,
    pub proposal_id: Option<i64>,
}

impl Store {
    pub(crate) async fn log(
        &self,
        tx: &mut Transaction<'static, Any>,
        recorded_at: &str,
        entry: LogEntry<'_>,
    ) -> Result<()> {
        self.log_with(tx, recorded_at, entry, &Provenance::default()).await
    }

    pub(crate) async fn log_with(
        &self,
        tx: &mut Transaction<'static, Any>,
        recorded_at: &str,
        entry: LogEntry<'_>,
        provenance: &Provenance<'_>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO change_log (entity, entity_key, entity_label, field, old_value, new_value, valid_from, \
             recorded_at, recorded_by, import_id, note, reason, source_url, approved_by, proposal_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(entry.entity.as_str())
        .bind(entry.key)
        .bind(entry.label)
        .bind(entry.field)
        .bind(entry.old_value)
        .bind(entry.new_value)
        .bind((!provenance.date_unknown).then_some(entry.valid_from))
        .bind(recorded_at)
        .bind(provenance.recorded_by.unwrap_or(self.actor.as_str()))
        .bind(entry.import_id)
        .bind(entry.note)
        .bind(provenance.reason)
        .bind(provenance.source_url)
        .bind(provenance.approved_by)
        .bind(provenance.proposal_id)
        .execute(&mut **tx)
        .await
        .map_err(|err| StoreError::at(err, || format!("history of {} {}", entry.entity.as_str(), entry.key)))?;
        Ok(())
    }

    /// Every change to one record, oldest first. Plants are found by their store key
    /// (`gem-steel/SMY00015`), their key alone, or any source id a release gave them.
    pub async fn history(&self, kind: EntityKind, id: &str) -> Result<Vec<Change>> {
        let key = match kind {
            EntityKind::Plant => self.resolve_plant_key(id).await?,
            _ => id.to_owned(),
        };
        let rows = sqlx::query(
            "SELECT entity, entity_key, entity_label, field, old_value, new_value, COALESCE(valid_from, ''), recorded_at, \
             recorded_by, note, reason, source_url, approved_by \
             FROM change_log WHERE entity = $1 AND entity_key = $2 ORDER BY COALESCE(valid_from, ''), id",
        )
        .bind(kind.as_str())
        .bind(key.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::Database)?;
        if rows.is_empty() {
            return Err(StoreError::NotFound { kind: kind.as_str(), key: id.to_owned() });
        }
        rows.iter().map(change_from_row).collect()
    }

    /// Every change valid after `since` (exclusive) and up to `until` (inclusive, when given),
    /// ordered by entity, key and time. A change whose date is unknown is in no such window.
    pub async fn diff(&self, since: &str, until: Option<&str>) -> Result<Vec<Change>> {
        let rows = sqlx::query(
            "SELECT entity, entity_key, entity_label, field, old_value, new_value, COALESCE(valid_from, ''), recorded_at, \
             recorded_by, note, reason, source_url, approved_by \
             FROM change_log WHERE valid_from IS NOT NULL AND valid_from > $1 AND (CAST($2 AS TEXT) IS NULL OR valid_from <= $2) \
             ORDER BY entity, entity_key, valid_from, id",
        )
        .bind(since)
        .bind(until)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::Database)?;
        rows.iter().map(change_from_row).collect()
    }
}

fn change_from_row(row: &sqlx::any::AnyRow) -> Result<Change> {
    let get = |i: usize| row.try_get::<String, _>(i).map_err(StoreError::Database);
    let get_opt = |i: usize| row.try_get::<Option<String>, _>(i).map_err(StoreError::Database);
    Ok(Change {
        entity: get(0)?,
        key: get(1)?,
        label: get(2)?,
        field: get(3)?,
        old_value: get_opt(4)?,
        new_value: get_opt(5)?,
        valid_from: get(6)?,
        recorded_at: get(7)?,
        recorded_by: get(8)?,
        note: get_opt(9)?,
        reason: get_opt(10)?,
        source_url: get_opt(11)?,
        approved_by: get_opt(12)?,
    })
}
