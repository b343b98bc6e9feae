//! Writes to the tracker's records after they exist: update and retire a project, member, pledge,
//! partnership or analysis, create one, correct or retire a plant, and the review queue of
//! contributors' proposals. The API (`decarb serve`) and the CLI verbs (`decarb members update`,
//! `decarb plants correct`, ...) both call these.
//!
//! - **Who, why, evidence, when**: every write carries a [`WriteMeta`]: the writer (a token's
//!   owner, or the CLI's `--by`), a required note saying why, the source's address, and the date
//!   the change holds from. Each changed field is one row of the change log with all four.
//! - **Optimistic concurrency**: each record has a version. A write names the version it was
//!   made against (`If-Match` in the API); the version is compared and bumped in one statement
//!   inside the write transaction, so of several writers holding the same version exactly one
//!   succeeds and the others get [`StoreError::Stale`] (HTTP 412). A write without a version
//!   (the CLI) applies to whatever is current.
//! - **No hard delete**: retiring sets `retired_on`; the record leaves every list and as-of view
//!   from that date, and its history stays.
//! - **Proposals**: a contributor's edit is stored as a [`Proposal`]; an editor's approval
//!   applies it (against the version it was made on) and logs it with the proposer as
//!   `recorded_by` and the editor as `approved_by`.

use crate::analyses::{Analysis, AnalysisPatch};
use crate::db::{Store, now_utc, today};
use crate::error::{Result, StoreError};
use crate::history::{EntityKind, LogEntry, Provenance};
use crate::limits::{MAX_NAME_CHARS, MAX_TEXT_CHARS};
use crate::plants::corrections::PlantPatch;
use crate::projects::{ProjectRecord, ProjectUpdate};
use crate::registry::{MemberRecord, PartnershipRecord, PledgeRecord};
use crate::source::{SourceRecord, source_id_for};
use decarb_model::CountryCode;
use decarb_model::tracker::{MemberKind, PartnershipKind};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// Who makes a write, why, on what evidence, and from when it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteMeta {
    /// The writer: the API token's name, or the CLI's `--by` / `DECARB_USER`.
    pub by: String,
    /// Why (required, not blank).
    pub note: String,
    /// The address of the evidence (http or https).
    pub source_url: Option<String>,
    /// The day the change holds from (YYYY-MM-DD); today when absent.
    pub valid_from: Option<String>,
}

impl WriteMeta {
    /// Checks the note, the address and the date, naming the field that is wrong.
    pub fn check(&self) -> Result<()> {
        if self.by.trim().is_empty() {
            return Err(StoreError::field("by", &self.by, "the name of who makes the change"));
        }
        if self.note.trim().is_empty() {
            return Err(StoreError::field("note", &self.note, "a note saying why the change is made"));
        }
        if self.note.chars().count() > MAX_TEXT_CHARS {
            return Err(StoreError::field(
                "note",
                format!("{} characters", self.note.chars().count()),
                format!("at most {MAX_TEXT_CHARS} characters"),
            ));
        }
        if let Some(url) = &self.source_url {
            check_url("source_url", url)?;
        }
        if let Some(day) = &self.valid_from {
            decarb_model::date::parse_day(day)
                .map_err(|err| StoreError::field("valid_from", day, err.expected()))?;
        }
        Ok(())
    }

    fn day(&self) -> String {
        self.valid_from.clone().unwrap_or_else(today)
    }

    /// The source a state written with this meta cites: the address itself (a source row keyed
    /// by it), or `fallback` (the record's current source) when no address is given.
    fn source(&self, fallback: &str) -> SourceRecord {
        match &self.source_url {
            Some(url) => {
                let mut source = SourceRecord::new(&source_id_for(url), url);
                source.url = Some(url.clone());
                source.retrieved = Some(today());
                source
            }
            None => SourceRecord::new(fallback, fallback),
        }
    }
}

/// Checks an address: `http://` or `https://`, a host, no spaces or control characters.
pub fn check_url(field: &str, url: &str) -> Result<()> {
    let expected = "an http:// or https:// address";
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let ok = rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !host.starts_with(':') && !host.contains('@')
    }) && !url.chars().any(|c| c.is_whitespace() || c.is_control())
        && url.len() <= 2000;
    if ok { Ok(()) } else { Err(StoreError::field(field, url, expected)) }
}

/// Changes to a member; unset fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberPatch {
    /// `country` or `company`.
    pub kind: Option<String>,
    /// ISO 3166-1 code or country name.
    pub country: Option<String>,
    /// Join date as precise as known (2019, 2019-09, 2019-09-23).
    pub joined: Option<String>,
    /// The date the member left the group.
    pub left_on: Option<String>,
    pub notes: Option<String>,
}

/// Changes to a pledge; unset fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PledgePatch {
    pub target_year: Option<i32>,
    pub milestone_2030: Option<String>,
    /// How binding: `in law`, `policy document`, `pledge`...
    pub status: Option<String>,
    pub verified: Option<bool>,
    /// When the pledge was made (2019, 2019-09, 2019-09-23).
    pub stated: Option<String>,
    pub notes: Option<String>,
}

/// Changes to a partnership; unset fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnershipPatch {
    /// The full list of parties (countries by name or code, or companies), replacing the old.
    pub parties: Option<Vec<String>>,
    pub started: Option<String>,
    pub venue: Option<String>,
    pub parent: Option<String>,
    pub description: Option<String>,
}

/// Which record a write is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "entity", rename_all = "snake_case")]
pub enum Target {
    Project {
        key: String,
    },
    Member {
        name: String,
    },
    Pledge {
        member: String,
        metric: String,
        scope: String,
    },
    Partnership {
        name: String,
    },
    Analysis {
        slug: String,
    },
    /// A stored plant by its store key, `family/key` (`gem-steel/P100000120845`; a status slice
    /// of a site is `gem-steel/P100000120845~announced`).
    Plant {
        key: String,
    },
}

impl Target {
    pub fn entity(&self) -> EntityKind {
        match self {
            Target::Project { .. } => EntityKind::Project,
            Target::Member { .. } => EntityKind::Member,
            Target::Pledge { .. } => EntityKind::Pledge,
            Target::Partnership { .. } => EntityKind::Partnership,
            Target::Analysis { .. } => EntityKind::Analysis,
            Target::Plant { .. } => EntityKind::Plant,
        }
    }

    /// The key the change log files the record under.
    pub fn key(&self) -> String {
        match self {
            Target::Project { key } | Target::Plant { key } => key.clone(),
            Target::Member { name } | Target::Partnership { name } => name.clone(),
            Target::Analysis { slug } => slug.clone(),
            Target::Pledge { member, metric, scope } => format!("{member}/{metric}/{scope}"),
        }
    }

    fn describe(&self) -> String {
        format!("{} {:?}", self.entity().as_str(), self.key())
    }
}

/// A new record, as a write sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "entity", rename_all = "snake_case")]
pub enum NewRecord {
    Project(ProjectRecord),
    Member(MemberRecord),
    Pledge(PledgeRecord),
    Partnership(PartnershipRecord),
    Analysis(Analysis),
}

impl NewRecord {
    pub fn target(&self) -> Target {
        match self {
            NewRecord::Project(r) => Target::Project { key: r.key.clone() },
            NewRecord::Member(r) => Target::Member { name: r.name.clone() },
            NewRecord::Pledge(r) => {
                Target::Pledge { member: r.member.clone(), metric: r.metric.clone(), scope: r.scope.clone() }
            }
            NewRecord::Partnership(r) => Target::Partnership { name: r.name.clone() },
            NewRecord::Analysis(r) => Target::Analysis { slug: r.slug.clone() },
        }
    }
}

/// A change to the tracker: what a write asks for, what a proposal holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Edit {
    Create {
        record: Box<NewRecord>,
    },
    UpdateProject {
        key: String,
        patch: ProjectUpdate,
    },
    UpdateMember {
        name: String,
        patch: MemberPatch,
    },
    UpdatePledge {
        member: String,
        metric: String,
        scope: String,
        patch: PledgePatch,
    },
    UpdatePartnership {
        name: String,
        patch: PartnershipPatch,
    },
    UpdateAnalysis {
        slug: String,
        patch: AnalysisPatch,
    },
    /// An editor's correction of a plant's fields (`key`: the store key, `family/key`).
    CorrectPlant {
        key: String,
        patch: PlantPatch,
    },
    Retire {
        target: Target,
    },
}

impl Edit {
    pub fn target(&self) -> Target {
        match self {
            Edit::Create { record } => record.target(),
            Edit::UpdateProject { key, .. } => Target::Project { key: key.clone() },
            Edit::UpdateMember { name, .. } => Target::Member { name: name.clone() },
            Edit::UpdatePledge { member, metric, scope, .. } => {
                Target::Pledge { member: member.clone(), metric: metric.clone(), scope: scope.clone() }
            }
            Edit::UpdatePartnership { name, .. } => Target::Partnership { name: name.clone() },
            Edit::UpdateAnalysis { slug, .. } => Target::Analysis { slug: slug.clone() },
            Edit::CorrectPlant { key, .. } => Target::Plant { key: key.clone() },
            Edit::Retire { target } => target.clone(),
        }
    }

    pub fn action(&self) -> &'static str {
        match self {
            Edit::Create { .. } => "create",
            Edit::Retire { .. } => "retire",
            _ => "update",
        }
    }
}

/// What a write left: the record's key and its new version (the next `If-Match`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applied {
    pub entity: String,
    pub key: String,
    pub version: i64,
    /// How many fields changed (0: the write changed nothing and the version stays).
    pub changed: usize,
}

/// A contributor's change waiting for (or after) review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    pub id: i64,
    pub entity: String,
    pub key: String,
    pub action: String,
    pub edit: serde_json::Value,
    /// The version of the record the proposal was made against (none for a new record).
    pub base_version: Option<i64>,
    pub note: String,
    pub source_url: Option<String>,
    pub proposed_by: String,
    pub proposed_at: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_note: Option<String>,
}

/// A record's current version and whether (from when) it is retired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordVersion {
    pub version: i64,
    pub retired_on: Option<String>,
}

/// Who approved a proposal, for the log rows its approval writes.
#[derive(Clone, Copy)]
struct Approval<'a> {
    by: &'a str,
    proposal_id: i64,
}

fn db(err: sqlx::Error) -> StoreError {
    StoreError::Database(err)
}

fn text_field(field: &str, value: &str, max: usize) -> Result<()> {
    if value.chars().count() > max {
        return Err(StoreError::field(
            field,
            format!("{} characters", value.chars().count()),
            format!("at most {max} characters"),
        ));
    }
    Ok(())
}

fn partial_date(field: &str, value: &str) -> Result<String> {
    crate::db::parse_partial_date(field, value).map_err(|_| {
        StoreError::field(field, value, "a year (2019), year-month (2019-09) or date (2019-09-23)")
    })
}

/// The SQL that reads a target's id, version and retirement (`$1..` its key columns).
fn version_sql(target: &Target) -> &'static str {
    match target {
        Target::Project { .. } => "SELECT id, version, retired_on FROM project WHERE project_key = $1",
        Target::Member { .. } => "SELECT id, version, retired_on FROM member WHERE name = $1",
        Target::Pledge { .. } => {
            "SELECT p.id, p.version, p.retired_on FROM pledge p JOIN member m ON m.id = p.member_id \
             WHERE m.name = $1 AND p.metric = $2 AND p.scope = $3"
        }
        Target::Partnership { .. } => "SELECT id, version, retired_on FROM partnership WHERE name = $1",
        Target::Analysis { .. } => "SELECT id, version, retired_on FROM analysis WHERE slug = $1",
        // A plant is never retired as a record: retiring unlists it (a correction of `listed`).
        Target::Plant { .. } => {
            "SELECT id, version, CAST(NULL AS TEXT) FROM plant WHERE family = $1 AND plant_key = $2"
        }
    }
}

fn bump_sql(target: &Target) -> &'static str {
    match target {
        Target::Project { .. } => "UPDATE project SET version = version + 1 WHERE id = $1 AND version = $2",
        Target::Member { .. } => "UPDATE member SET version = version + 1 WHERE id = $1 AND version = $2",
        Target::Pledge { .. } => "UPDATE pledge SET version = version + 1 WHERE id = $1 AND version = $2",
        Target::Partnership { .. } => {
            "UPDATE partnership SET version = version + 1 WHERE id = $1 AND version = $2"
        }
        Target::Analysis { .. } => "UPDATE analysis SET version = version + 1 WHERE id = $1 AND version = $2",
        Target::Plant { .. } => "UPDATE plant SET version = version + 1 WHERE id = $1 AND version = $2",
    }
}

/// The statement retiring a record; none for a plant, whose retirement is a correction of
/// `listed` (`plants::corrections`).
fn retire_sql(target: &Target) -> Option<&'static str> {
    Some(match target {
        Target::Project { .. } => "UPDATE project SET retired_on = $1 WHERE id = $2",
        Target::Member { .. } => "UPDATE member SET retired_on = $1 WHERE id = $2",
        Target::Pledge { .. } => "UPDATE pledge SET retired_on = $1 WHERE id = $2",
        Target::Partnership { .. } => "UPDATE partnership SET retired_on = $1 WHERE id = $2",
        Target::Analysis { .. } => "UPDATE analysis SET retired_on = $1 WHERE id = $2",
        Target::Plant { .. } => return None,
    })
}

async fn find(
    tx: &mut Transaction<'static, Any>,
    target: &Target,
) -> Result<Option<(i64, i64, Option<String>)>> {
    find_locking(tx, target, false).await
}

/// The SQL of [`version_sql`] that also takes the row's write lock (PostgreSQL `FOR UPDATE`).
fn version_sql_locking(target: &Target) -> &'static str {
    match target {
        Target::Project { .. } => {
            "SELECT id, version, retired_on FROM project WHERE project_key = $1 FOR UPDATE"
        }
        Target::Member { .. } => "SELECT id, version, retired_on FROM member WHERE name = $1 FOR UPDATE",
        Target::Pledge { .. } => {
            "SELECT p.id, p.version, p.retired_on FROM pledge p JOIN member m ON m.id = p.member_id \
             WHERE m.name = $1 AND p.metric = $2 AND p.scope = $3 FOR UPDATE OF p"
        }
        Target::Partnership { .. } => {
            "SELECT id, version, retired_on FROM partnership WHERE name = $1 FOR UPDATE"
        }
        Target::Analysis { .. } => "SELECT id, version, retired_on FROM analysis WHERE slug = $1 FOR UPDATE",
        Target::Plant { .. } => {
            "SELECT id, version, CAST(NULL AS TEXT) FROM plant WHERE family = $1 AND plant_key = $2 FOR UPDATE"
        }
    }
}

/// [`find`], taking the row's write lock at once when `lock` (PostgreSQL), so that writers of
/// one record queue on the lock instead of each reading the same version and all but one
/// failing the compare-and-set and starting again. SQLite needs none: its write transactions
/// hold the database's write lock from their first statement (`BEGIN IMMEDIATE`).
async fn find_locking(
    tx: &mut Transaction<'static, Any>,
    target: &Target,
    lock: bool,
) -> Result<Option<(i64, i64, Option<String>)>> {
    let mut query = sqlx::query(if lock { version_sql_locking(target) } else { version_sql(target) });
    query = match target {
        Target::Project { key } => query.bind(key.clone()),
        Target::Member { name } | Target::Partnership { name } => query.bind(name.clone()),
        Target::Pledge { member, metric, scope } => {
            query.bind(member.clone()).bind(metric.clone()).bind(scope.clone())
        }
        Target::Analysis { slug } => query.bind(slug.clone()),
        Target::Plant { key } => {
            let (family, key) = key.split_once('/').unwrap_or(("", key.as_str()));
            query.bind(family.to_owned()).bind(key.to_owned())
        }
    };
    let row = query.fetch_optional(&mut **tx).await.map_err(db)?;
    row.map(|row| Ok((row.try_get(0).map_err(db)?, row.try_get(1).map_err(db)?, row.try_get(2).map_err(db)?)))
        .transpose()
}

impl Store {
    /// The current version of a record and its retirement date (the API's `ETag`).
    pub async fn record_version(&self, target: &Target) -> Result<RecordVersion> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let found = find(&mut tx, target).await?;
        tx.rollback().await.map_err(db)?;
        let (_, version, retired_on) = found
            .ok_or_else(|| StoreError::NotFound { kind: target.entity().as_str(), key: target.key() })?;
        Ok(RecordVersion { version, retired_on })
    }

    /// Applies `edit` at once (an editor's or admin's write, or the CLI's). `expected_version`
    /// is the version the writer read (required by the API, `None` from the CLI: whatever is
    /// current); a stale one is [`StoreError::Stale`]. All or nothing: one transaction.
    pub async fn apply_edit(
        &self,
        edit: &Edit,
        meta: &WriteMeta,
        expected_version: Option<i64>,
    ) -> Result<Applied> {
        meta.check()?;
        self.retrying(|| async move {
            let mut tx = self.begin_write().await?;
            let applied = self.apply_tx(&mut tx, edit, meta, expected_version, None).await?;
            tx.commit().await.map_err(db)?;
            Ok(applied)
        })
        .await
    }

    /// Stores `edit` as a proposal for review (a contributor's write); returns it. The edit is
    /// checked as far as it can be without applying it: the record must exist (or, for a new
    /// record, not exist) and the version must be current.
    pub async fn propose(
        &self,
        edit: &Edit,
        meta: &WriteMeta,
        expected_version: Option<i64>,
    ) -> Result<Proposal> {
        meta.check()?;
        let target = edit.target();
        let json = serde_json::to_string(edit)
            .map_err(|err| StoreError::invalid("edit", err.to_string(), "an edit decarb can store"))?;
        let id = self
            .retrying(|| {
                let (target, json) = (&target, &json);
                async move {
                    let mut tx = self.begin_write().await?;
                    // A dry run of the edit validates it; it is rolled back.
                    self.apply_tx(&mut tx, edit, meta, expected_version, None).await?;
                    tx.rollback().await.map_err(db)?;
                    let base = if let Edit::Create { .. } = edit {
                        None
                    } else {
                        let mut read = self.begin_write().await?;
                        let found = find(&mut read, target).await?;
                        read.rollback().await.map_err(db)?;
                        found.map(|(_, version, _)| version)
                    };
                    let mut tx = self.begin_write().await?;
                    let id: i64 = sqlx::query(
                        "INSERT INTO proposal (entity, entity_key, action, edit, base_version, reason, source_url, \
                         proposed_by, proposed_at, valid_from) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                    )
                    .bind(target.entity().as_str())
                    .bind(target.key())
                    .bind(edit.action())
                    .bind(json.as_str())
                    .bind(base)
                    .bind(meta.note.as_str())
                    .bind(meta.source_url.as_deref())
                    .bind(meta.by.as_str())
                    .bind(now_utc())
                    .bind(meta.valid_from.as_deref())
                    .fetch_one(&mut *tx)
                    .await
                    .and_then(|row| row.try_get(0))
                    .map_err(db)?;
                    tx.commit().await.map_err(db)?;
                    Ok(id)
                }
            })
            .await?;
        self.proposal(id).await
    }

    /// Proposals, newest first; only those with `status` (`pending`, `approved`, `rejected`)
    /// when given.
    pub async fn proposals(&self, status: Option<&str>) -> Result<Vec<Proposal>> {
        if let Some(status) = status
            && !matches!(status, "pending" | "approved" | "rejected")
        {
            return Err(StoreError::field("status", status, "pending, approved or rejected"));
        }
        let rows = sqlx::query(
            "SELECT id, entity, entity_key, action, edit, base_version, reason, source_url, proposed_by, proposed_at, \
             status, decided_by, decided_at, decision_note FROM proposal \
             WHERE (CAST($1 AS TEXT) IS NULL OR status = $1) ORDER BY id DESC",
        )
        .bind(status)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(proposal_row).collect()
    }

    pub async fn proposal(&self, id: i64) -> Result<Proposal> {
        let row = sqlx::query(
            "SELECT id, entity, entity_key, action, edit, base_version, reason, source_url, proposed_by, proposed_at, \
             status, decided_by, decided_at, decision_note FROM proposal WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?
        .ok_or_else(|| StoreError::NotFound { kind: "proposal", key: id.to_string() })?;
        proposal_row(&row)
    }

    /// Approves (applies, logged with the proposer and `by`) or rejects a pending proposal. An
    /// approval of a proposal made against a version that is no longer current is
    /// [`StoreError::Stale`]: the editor rejects it, and the contributor proposes again.
    pub async fn decide(&self, id: i64, approve: bool, by: &str, note: Option<&str>) -> Result<Proposal> {
        if by.trim().is_empty() {
            return Err(StoreError::field("by", by, "the name of who decides"));
        }
        if let Some(note) = note {
            text_field("note", note, MAX_TEXT_CHARS)?;
        }
        self.retrying(|| async move {
            let mut tx = self.begin_write().await?;
            let row = sqlx::query(
                "SELECT id, entity, entity_key, action, edit, base_version, reason, source_url, proposed_by, proposed_at, \
                 status, decided_by, decided_at, decision_note, valid_from FROM proposal WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .ok_or_else(|| StoreError::NotFound { kind: "proposal", key: id.to_string() })?;
            let proposal = proposal_row(&row)?;
            if proposal.status != "pending" {
                return Err(StoreError::field(
                    "proposal",
                    format!("{id} ({})", proposal.status),
                    "a pending proposal",
                ));
            }
            if approve {
                let edit: Edit = serde_json::from_value(proposal.edit.clone())
                    .map_err(|err| StoreError::invalid("proposal", err.to_string(), "an edit decarb can read"))?;
                let valid_from: Option<String> = row.try_get(14).map_err(db)?;
                let meta = WriteMeta {
                    by: proposal.proposed_by.clone(),
                    note: proposal.note.clone(),
                    source_url: proposal.source_url.clone(),
                    valid_from,
                };
                self.apply_tx(&mut tx, &edit, &meta, proposal.base_version, Some(Approval { by, proposal_id: id }))
                    .await?;
            }
            sqlx::query(
                "UPDATE proposal SET status = $1, decided_by = $2, decided_at = $3, decision_note = $4 WHERE id = $5",
            )
            .bind(if approve { "approved" } else { "rejected" })
            .bind(by)
            .bind(now_utc())
            .bind(note)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
            tx.commit().await.map_err(db)?;
            Ok(())
        })
        .await?;
        self.proposal(id).await
    }

    // One transaction's read-check-write sequence for every kind of edit; split, the version
    // check and the log rows it guards would sit apart.
    #[allow(clippy::too_many_lines)]
    async fn apply_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        edit: &Edit,
        meta: &WriteMeta,
        expected_version: Option<i64>,
        approval: Option<Approval<'_>>,
    ) -> Result<Applied> {
        let target = edit.target();
        let provenance = Provenance {
            date_unknown: false,
            recorded_by: Some(meta.by.as_str()),
            reason: Some(meta.note.as_str()),
            source_url: meta.source_url.as_deref(),
            approved_by: approval.map(|a| a.by),
            proposal_id: approval.map(|a| a.proposal_id),
        };
        let recorded_at = now_utc();
        let day = meta.day();
        if let Edit::Create { record } = edit {
            if find(tx, &target).await?.is_some() {
                return Err(StoreError::Duplicate(format!(
                    "{} is already in the store (update it instead)",
                    target.describe()
                )));
            }
            match record.as_ref() {
                NewRecord::Project(record) => {
                    let source = meta.source(&record.key);
                    if meta.source_url.is_none() {
                        return Err(StoreError::field(
                            "source_url",
                            "",
                            "the address of the source of a new project",
                        ));
                    }
                    Self::ensure_source(tx, &source).await?;
                    let at = || format!("project {}", record.key);
                    self.write_project(tx, &recorded_at, record, &day, &source.id, None, &provenance, &at)
                        .await?;
                }
                NewRecord::Member(record) => {
                    self.add_member_tx(tx, &recorded_at, record, &provenance).await?;
                }
                NewRecord::Pledge(record) => {
                    self.add_pledge_tx(tx, &recorded_at, record, &provenance).await?;
                }
                NewRecord::Partnership(record) => {
                    self.add_partnership_tx(tx, &recorded_at, record, &provenance).await?;
                }
                NewRecord::Analysis(record) => {
                    self.add_analysis_tx(tx, &recorded_at, record, &provenance).await?;
                }
            }
            let (_, version, _) = find(tx, &target).await?.ok_or_else(|| {
                StoreError::invalid(target.describe(), "not found after writing", "a record that reads back")
            })?;
            return Ok(Applied {
                entity: target.entity().as_str().to_owned(),
                key: target.key(),
                version,
                changed: 1,
            });
        }
        let lock = self.backend == crate::db::Backend::Postgres;
        let (id, version, retired_on) = find_locking(tx, &target, lock)
            .await?
            .ok_or_else(|| StoreError::NotFound { kind: target.entity().as_str(), key: target.key() })?;
        if let Some(expected) = expected_version
            && expected != version
        {
            return Err(StoreError::Stale { what: target.describe(), expected, current: version });
        }
        if let Some(retired) = retired_on {
            return Err(StoreError::field(
                target.entity().as_str(),
                format!("{} (retired on {retired})", target.key()),
                "a record that is not retired",
            ));
        }
        let changes: Vec<(&'static str, Option<String>, Option<String>)> = match edit {
            Edit::Create { .. } => {
                return Err(StoreError::invalid(target.describe(), "create", "an update or a retirement"));
            }
            Edit::UpdateProject { key, patch } => {
                return self
                    .update_project_tx(tx, &recorded_at, key, patch, meta, version, &provenance)
                    .await
                    .map(|changed| Applied {
                        entity: "project".to_owned(),
                        key: key.clone(),
                        version: if changed > 0 { version + 1 } else { version },
                        changed,
                    });
            }
            Edit::UpdateMember { patch, .. } => update_member(tx, id, patch).await?,
            Edit::UpdatePledge { patch, .. } => update_pledge(tx, id, patch).await?,
            Edit::UpdatePartnership { patch, .. } => update_partnership(tx, id, patch).await?,
            Edit::UpdateAnalysis { patch, .. } => crate::analyses::update_analysis(tx, id, patch).await?,
            Edit::CorrectPlant { patch, .. } => {
                let changed = self
                    .correct_plant_tx(
                        tx,
                        &recorded_at,
                        id,
                        &target.key(),
                        Some(patch),
                        meta,
                        version,
                        &provenance,
                    )
                    .await?;
                return Ok(applied_plant(&target, version, changed));
            }
            Edit::Retire { target: Target::Plant { key } } => {
                let changed = self
                    .correct_plant_tx(tx, &recorded_at, id, key, None, meta, version, &provenance)
                    .await?;
                return Ok(applied_plant(&target, version, changed));
            }
            Edit::Retire { .. } => {
                let sql = retire_sql(&target).ok_or_else(|| {
                    StoreError::invalid(target.describe(), "retire", "a record with a retirement date")
                })?;
                sqlx::query(sql).bind(day.as_str()).bind(id).execute(&mut **tx).await.map_err(db)?;
                vec![("retired", None, Some(day.clone()))]
            }
        };
        if changes.is_empty() {
            return Ok(Applied {
                entity: target.entity().as_str().to_owned(),
                key: target.key(),
                version,
                changed: 0,
            });
        }
        let bumped = sqlx::query(bump_sql(&target))
            .bind(id)
            .bind(version)
            .execute(&mut **tx)
            .await
            .map_err(db)?
            .rows_affected();
        if bumped != 1 {
            // Another writer moved the record between the read and this write (PostgreSQL): the
            // whole transaction is run again, and then meets the new version.
            return Err(StoreError::Conflict(target.describe()));
        }
        let key = target.key();
        let label = match &target {
            Target::Pledge { member, .. } => member.clone(),
            _ => key.clone(),
        };
        for (field, old, new) in &changes {
            self.log_with(
                tx,
                &recorded_at,
                LogEntry {
                    entity: target.entity(),
                    key: &key,
                    label: &label,
                    field,
                    old_value: old.as_deref(),
                    new_value: new.as_deref(),
                    valid_from: &day,
                    import_id: None,
                    note: None,
                },
                &provenance,
            )
            .await?;
        }
        Ok(Applied {
            entity: target.entity().as_str().to_owned(),
            key,
            version: version + 1,
            changed: changes.len(),
        })
    }
}

/// What a correction or retirement of a plant left (its version is bumped by the correction).
fn applied_plant(target: &Target, version: i64, changed: usize) -> Applied {
    Applied {
        entity: "plant".to_owned(),
        key: target.key(),
        version: if changed > 0 { version + 1 } else { version },
        changed,
    }
}

fn proposal_row(row: &AnyRow) -> Result<Proposal> {
    let edit: String = row.try_get(4).map_err(db)?;
    Ok(Proposal {
        id: row.try_get(0).map_err(db)?,
        entity: row.try_get(1).map_err(db)?,
        key: row.try_get(2).map_err(db)?,
        action: row.try_get(3).map_err(db)?,
        edit: serde_json::from_str(&edit).unwrap_or(serde_json::Value::Null),
        base_version: row.try_get(5).map_err(db)?,
        note: row.try_get(6).map_err(db)?,
        source_url: row.try_get(7).map_err(db)?,
        proposed_by: row.try_get(8).map_err(db)?,
        proposed_at: row.try_get(9).map_err(db)?,
        status: row.try_get(10).map_err(db)?,
        decided_by: row.try_get(11).map_err(db)?,
        decided_at: row.try_get(12).map_err(db)?,
        decision_note: row.try_get(13).map_err(db)?,
    })
}

type Diffs = Vec<(&'static str, Option<String>, Option<String>)>;

/// Sets `field` to `new` when given and different, recording the difference.
fn set(diffs: &mut Diffs, field: &'static str, current: &mut Option<String>, new: Option<String>) {
    if let Some(new) = new
        && current.as_deref() != Some(new.as_str())
    {
        diffs.push((field, current.clone(), Some(new.clone())));
        *current = Some(new);
    }
}

async fn update_member(tx: &mut Transaction<'static, Any>, id: i64, patch: &MemberPatch) -> Result<Diffs> {
    let row = sqlx::query("SELECT kind, country, joined, left_on, notes FROM member WHERE id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await
        .map_err(db)?;
    let mut kind: Option<String> = row.try_get(0).map_err(db)?;
    let mut country: Option<String> = row.try_get(1).map_err(db)?;
    let mut joined: Option<String> = row.try_get(2).map_err(db)?;
    let mut left_on: Option<String> = row.try_get(3).map_err(db)?;
    let mut notes: Option<String> = row.try_get(4).map_err(db)?;
    let new_kind = patch
        .kind
        .as_deref()
        .map(|k| {
            k.parse::<MemberKind>()
                .map(|k| k.as_str().to_owned())
                .map_err(|_| StoreError::field("kind", k, MemberKind::EXPECTED))
        })
        .transpose()?;
    let new_country = patch
        .country
        .as_deref()
        .map(|c| {
            CountryCode::resolve(c).map(|c| c.as_str().to_owned()).ok_or_else(|| {
                StoreError::field("country", c, "an ISO 3166-1 code (DEU, DE) or a country name")
            })
        })
        .transpose()?;
    let new_joined = patch.joined.as_deref().map(|d| partial_date("joined", d)).transpose()?;
    let new_left = patch.left_on.as_deref().map(|d| partial_date("left_on", d)).transpose()?;
    if let Some(n) = &patch.notes {
        text_field("notes", n, MAX_TEXT_CHARS)?;
    }
    let mut diffs = Vec::new();
    set(&mut diffs, "kind", &mut kind, new_kind);
    set(&mut diffs, "country", &mut country, new_country);
    set(&mut diffs, "joined", &mut joined, new_joined);
    set(&mut diffs, "left_on", &mut left_on, new_left);
    set(&mut diffs, "notes", &mut notes, patch.notes.clone());
    if kind.as_deref() == Some("country") && country.is_none() {
        return Err(StoreError::field("country", "", "an ISO country code for a country member"));
    }
    if diffs.is_empty() {
        return Ok(diffs);
    }
    sqlx::query(
        "UPDATE member SET kind = $1, country = $2, joined = $3, left_on = $4, notes = $5 WHERE id = $6",
    )
    .bind(kind)
    .bind(country)
    .bind(joined)
    .bind(left_on)
    .bind(notes)
    .bind(id)
    .execute(&mut **tx)
    .await
    .map_err(|err| StoreError::at(err, || format!("member {id}")))?;
    Ok(diffs)
}

async fn update_pledge(tx: &mut Transaction<'static, Any>, id: i64, patch: &PledgePatch) -> Result<Diffs> {
    let row = sqlx::query(
        "SELECT CAST(target_year AS TEXT), milestone_2030, status, CAST(verified AS TEXT), stated, notes FROM pledge WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await
    .map_err(db)?;
    let mut year: Option<String> = row.try_get(0).map_err(db)?;
    let mut milestone: Option<String> = row.try_get(1).map_err(db)?;
    let mut status: Option<String> = row.try_get(2).map_err(db)?;
    let mut verified: Option<String> = row.try_get(3).map_err(db)?;
    let mut stated: Option<String> = row.try_get(4).map_err(db)?;
    let mut notes: Option<String> = row.try_get(5).map_err(db)?;
    if let Some(y) = patch.target_year
        && !(2000..=2100).contains(&y)
    {
        return Err(StoreError::field("target_year", y.to_string(), "a year from 2000 to 2100"));
    }
    for (field, value) in
        [("milestone_2030", &patch.milestone_2030), ("status", &patch.status), ("notes", &patch.notes)]
    {
        if let Some(value) = value {
            text_field(field, value, MAX_TEXT_CHARS)?;
        }
    }
    let new_stated = patch.stated.as_deref().map(|d| partial_date("stated", d)).transpose()?;
    let mut diffs = Vec::new();
    set(&mut diffs, "target_year", &mut year, patch.target_year.map(|y| y.to_string()));
    set(&mut diffs, "milestone_2030", &mut milestone, patch.milestone_2030.clone());
    set(&mut diffs, "status", &mut status, patch.status.clone());
    set(&mut diffs, "verified", &mut verified, patch.verified.map(|v| i64::from(v).to_string()));
    set(&mut diffs, "stated", &mut stated, new_stated);
    set(&mut diffs, "notes", &mut notes, patch.notes.clone());
    if diffs.is_empty() {
        return Ok(diffs);
    }
    let year: Option<i64> = year.as_deref().and_then(|y| y.parse().ok());
    let verified: i64 = verified.as_deref().and_then(|v| v.parse().ok()).unwrap_or(0);
    sqlx::query(
        "UPDATE pledge SET target_year = $1, milestone_2030 = $2, status = $3, verified = $4, stated = $5, notes = $6 WHERE id = $7",
    )
    .bind(year)
    .bind(milestone)
    .bind(status)
    .bind(verified)
    .bind(stated)
    .bind(notes)
    .bind(id)
    .execute(&mut **tx)
    .await
    .map_err(|err| StoreError::at(err, || format!("pledge {id}")))?;
    Ok(diffs)
}

async fn update_partnership(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    patch: &PartnershipPatch,
) -> Result<Diffs> {
    let row = sqlx::query("SELECT started, venue, parent, description FROM partnership WHERE id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await
        .map_err(db)?;
    let mut started: Option<String> = row.try_get(0).map_err(db)?;
    let mut venue: Option<String> = row.try_get(1).map_err(db)?;
    let mut parent: Option<String> = row.try_get(2).map_err(db)?;
    let mut description: Option<String> = row.try_get(3).map_err(db)?;
    let new_started = patch.started.as_deref().map(|d| partial_date("started", d)).transpose()?;
    for (field, value) in
        [("venue", &patch.venue), ("parent", &patch.parent), ("description", &patch.description)]
    {
        if let Some(value) = value {
            text_field(field, value, MAX_TEXT_CHARS)?;
        }
    }
    let mut diffs = Vec::new();
    set(&mut diffs, "started", &mut started, new_started);
    set(&mut diffs, "venue", &mut venue, patch.venue.clone());
    set(&mut diffs, "parent", &mut parent, patch.parent.clone());
    set(&mut diffs, "description", &mut description, patch.description.clone());
    if let Some(parties) = &patch.parties {
        let parties: Vec<String> =
            parties.iter().map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect();
        if parties.len() < 2 {
            return Err(StoreError::field("parties", parties.join(", "), "at least two parties"));
        }
        for party in &parties {
            text_field("parties", party, MAX_NAME_CHARS)?;
        }
        let old: Vec<String> =
            sqlx::query("SELECT party FROM partnership_party WHERE partnership_id = $1 ORDER BY party")
                .bind(id)
                .fetch_all(&mut **tx)
                .await
                .map_err(db)?
                .iter()
                .map(|row| row.try_get::<String, _>(0))
                .collect::<Result<_, _>>()
                .map_err(db)?;
        let mut named: Vec<(String, Option<&'static str>)> = parties
            .iter()
            .map(|party| {
                let country = CountryCode::resolve(party);
                (
                    country.map_or_else(|| party.clone(), |c| c.name().to_owned()),
                    country.map(CountryCode::as_str),
                )
            })
            .collect();
        named.sort();
        named.dedup_by(|a, b| a.0 == b.0);
        let new: Vec<String> = named.iter().map(|(name, _)| name.clone()).collect();
        if new != old {
            sqlx::query("DELETE FROM partnership_party WHERE partnership_id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await
                .map_err(db)?;
            for (name, country) in &named {
                sqlx::query(
                    "INSERT INTO partnership_party (partnership_id, party, country) VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(name.as_str())
                .bind(*country)
                .execute(&mut **tx)
                .await
                .map_err(|err| StoreError::at(err, || format!("partnership {id}, party {name:?}")))?;
            }
            diffs.push(("parties", Some(old.join("; ")), Some(new.join("; "))));
        }
    }
    if diffs.is_empty() {
        return Ok(diffs);
    }
    sqlx::query(
        "UPDATE partnership SET started = $1, venue = $2, parent = $3, description = $4 WHERE id = $5",
    )
    .bind(started)
    .bind(venue)
    .bind(parent)
    .bind(description)
    .bind(id)
    .execute(&mut **tx)
    .await
    .map_err(|err| StoreError::at(err, || format!("partnership {id}")))?;
    Ok(diffs)
}

/// The kind of a partnership in the store's words.
pub fn partnership_kind_str(kind: PartnershipKind) -> &'static str {
    match kind {
        PartnershipKind::Bilateral => "bilateral",
        PartnershipKind::ValueChain => "value_chain",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_must_be_http_with_a_host() {
        assert!(check_url("source_url", "https://www.leadit.org/news/").is_ok());
        assert!(check_url("source_url", "http://example.org").is_ok());
        for bad in ["ftp://x.org", "https://", "javascript:alert(1)", "https://a b.org", "www.x.org"] {
            let err = check_url("source_url", bad).unwrap_err();
            assert!(err.to_string().starts_with("source_url: found"), "{bad}: {err}");
        }
    }

    #[test]
    fn a_write_needs_a_note_and_a_valid_day() {
        let meta = WriteMeta { by: "api:ci".into(), note: " ".into(), source_url: None, valid_from: None };
        assert!(meta.check().unwrap_err().to_string().starts_with("note:"));
        let meta = WriteMeta { note: "press release".into(), valid_from: Some("2024-13-01".into()), ..meta };
        assert!(meta.check().unwrap_err().to_string().starts_with("valid_from:"));
        let meta = WriteMeta { valid_from: Some("2025-02-29".into()), ..meta };
        assert!(meta.check().unwrap_err().to_string().ends_with("February 2025 has 28 days"));
    }
}
