//! The group itself: members with join dates, their pledges, and partnerships.

use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::history::Provenance;
use crate::history::{EntityKind, LogEntry};
use crate::source::SourceRecord;
use decarb_model::CountryCode;
use decarb_model::tracker::{MemberKind, PartnershipKind};
use serde::{Deserialize, Serialize};
use sqlx::{Any, Row, Transaction};

/// A member to add.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberRecord {
    pub name: String,
    pub kind: MemberKind,
    /// The country itself, or the company's headquarters country.
    pub country: Option<CountryCode>,
    /// Join date as precise as the source (`2019-09-23`, `2024-09`); `None` when unknown.
    pub joined: Option<String>,
    /// When no join date is known: the date of the first source naming the member.
    pub known_from: Option<String>,
    pub left_on: Option<String>,
    pub notes: Option<String>,
    pub source: SourceRecord,
}

/// A member as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberRow {
    pub name: String,
    pub kind: String,
    pub country: Option<String>,
    pub joined: Option<String>,
    pub known_from: Option<String>,
    pub left_on: Option<String>,
    pub source: String,
    pub source_url: Option<String>,
    pub notes: Option<String>,
}

/// A pledge to add: a member's target with its scope and source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PledgeRecord {
    pub member: String,
    pub target_year: Option<i32>,
    /// What is pledged: `net-zero`, `climate-neutrality`, `carbon-neutrality`, `emissions-cut`...
    pub metric: String,
    /// What it covers: `economy-wide`, `company`, `scope 1-2`...
    pub scope: String,
    pub milestone_2030: Option<String>,
    /// How binding: `in law`, `policy document`, `pledge`...
    pub status: Option<String>,
    /// False when the source supports the pledge only indirectly and it was not checked
    /// against the government's or company's own text.
    pub verified: bool,
    /// When the pledge was made or first reported.
    pub stated: Option<String>,
    pub notes: Option<String>,
    pub source: SourceRecord,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PledgeRow {
    pub member: String,
    pub target_year: Option<i64>,
    pub metric: String,
    pub scope: String,
    pub milestone_2030: Option<String>,
    pub status: Option<String>,
    pub verified: bool,
    pub stated: Option<String>,
    pub source: String,
    pub source_url: Option<String>,
    pub notes: Option<String>,
}

impl MemberRow {
    /// The member in the model's vocabulary (what the engine's pledge alignment reads). A kind
    /// or country the store holds is valid by construction; anything else is an error naming the
    /// member.
    pub fn to_member(&self) -> Result<decarb_model::tracker::Member> {
        let invalid = |field: &'static str, value: &str, expected: &'static str| {
            StoreError::invalid(field, format!("{value} (member {:?})", self.name), expected)
        };
        let kind =
            self.kind.parse::<MemberKind>().map_err(|_| invalid("kind", &self.kind, MemberKind::EXPECTED))?;
        let country = match self.country.as_deref() {
            Some(code) => Some(
                CountryCode::parse(code)
                    .map_err(|_| invalid("country", code, "an ISO 3166-1 alpha-3 code"))?,
            ),
            None => None,
        };
        Ok(decarb_model::tracker::Member {
            name: self.name.clone(),
            kind,
            country,
            joined: self.joined.as_deref().and_then(|d| d.parse().ok()),
            source: row_source(&self.source, self.source_url.as_ref()),
        })
    }
}

impl PledgeRow {
    /// The pledge in the model's vocabulary (what the engine's pledge alignment reads).
    pub fn to_pledge(&self) -> decarb_model::tracker::Pledge {
        decarb_model::tracker::Pledge {
            member: self.member.clone(),
            target_year: self.target_year.and_then(|y| i32::try_from(y).ok()),
            metric: self.metric.clone(),
            scope: self.scope.clone(),
            milestone_2030: self.milestone_2030.clone(),
            source: row_source(&self.source, self.source_url.as_ref()),
        }
    }
}

/// A listed row's source (its id stands for the citation; the sources table has the rest).
fn row_source(id: &str, url: Option<&String>) -> decarb_model::tracker::Source {
    decarb_model::tracker::Source {
        citation: id.to_owned(),
        url: url.cloned(),
        licence: None,
        retrieved: None,
    }
}

/// A partnership to add.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnershipRecord {
    pub name: String,
    pub kind: PartnershipKind,
    /// Countries (by name or ISO code) or companies.
    pub parties: Vec<String>,
    pub started: Option<String>,
    pub venue: Option<String>,
    /// The initiative it belongs to (`LeadIT`), if any.
    pub parent: Option<String>,
    pub description: Option<String>,
    pub source: SourceRecord,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnershipRow {
    pub name: String,
    pub kind: String,
    pub parties: Vec<String>,
    pub started: Option<String>,
    pub venue: Option<String>,
    pub parent: Option<String>,
    pub description: Option<String>,
    pub source: String,
    pub source_url: Option<String>,
}

/// Filters shared by the registry lists.
#[derive(Debug, Clone, Default)]
pub struct RegistryFilter {
    pub kind: Option<String>,
    pub country: Option<CountryCode>,
    pub as_of: Option<String>,
}

fn partnership_kind(kind: PartnershipKind) -> &'static str {
    match kind {
        PartnershipKind::Bilateral => "bilateral",
        PartnershipKind::ValueChain => "value_chain",
    }
}

/// A record of the registry (a member, a pledge, a partnership) and how it is added inside a
/// transaction: the one `add_*_tx` of its kind, which the edits' `create` calls too.
pub(crate) trait Registered {
    async fn add_tx(
        &self,
        store: &Store,
        tx: &mut Transaction<'static, Any>,
        recorded_at: &str,
        provenance: &Provenance<'_>,
    ) -> Result<()>;
}

impl Registered for MemberRecord {
    async fn add_tx(
        &self,
        store: &Store,
        tx: &mut Transaction<'static, Any>,
        at: &str,
        p: &Provenance<'_>,
    ) -> Result<()> {
        store.add_member_tx(tx, at, self, p).await
    }
}

impl Registered for PledgeRecord {
    async fn add_tx(
        &self,
        store: &Store,
        tx: &mut Transaction<'static, Any>,
        at: &str,
        p: &Provenance<'_>,
    ) -> Result<()> {
        store.add_pledge_tx(tx, at, self, p).await
    }
}

impl Registered for PartnershipRecord {
    async fn add_tx(
        &self,
        store: &Store,
        tx: &mut Transaction<'static, Any>,
        at: &str,
        p: &Provenance<'_>,
    ) -> Result<()> {
        store.add_partnership_tx(tx, at, self, p).await
    }
}

/// The change-log row of a record just added: "created", with a summary, dated by the date the
/// record gives (a join, start or stated date, as precise as its source) or else unknown, citing
/// the record's source.
struct Created<'a> {
    entity: EntityKind,
    key: &'a str,
    label: &'a str,
    summary: &'a str,
    date: Option<&'a str>,
    source: &'a str,
}

impl Store {
    /// Logs `created`. A record whose date is not known is logged with an unknown date, not the
    /// day it was recorded: it is in no "what changed since" diff.
    async fn log_created(
        &self,
        tx: &mut Transaction<'static, Any>,
        recorded_at: &str,
        provenance_in: &Provenance<'_>,
        created: Created<'_>,
    ) -> Result<()> {
        let known = created.date.map(crate::db::first_day);
        let provenance = Provenance { date_unknown: known.is_none(), ..provenance_in.clone() };
        let entry = LogEntry {
            entity: created.entity,
            key: created.key,
            label: created.label,
            field: "created",
            old_value: None,
            new_value: Some(created.summary),
            valid_from: &known.unwrap_or_default(),
            import_id: None,
            note: Some(created.source),
        };
        self.log_with(tx, recorded_at, entry, &provenance).await
    }

    /// Adds `record` in a transaction of its own, recorded now, retried while the database is
    /// busy.
    async fn add_alone(&self, record: &impl Registered) -> Result<()> {
        self.retrying(|| async move {
            let mut tx = self.begin_write().await?;
            record.add_tx(self, &mut tx, &crate::db::now_utc(), &Provenance::default()).await?;
            tx.commit().await.map_err(StoreError::Database)
        })
        .await
    }

    pub async fn add_member(&self, record: &MemberRecord) -> Result<()> {
        self.add_alone(record).await
    }

    /// Adds the record inside `tx`. A record whose date is not known (no join, start or stated
    /// date) is logged with an unknown date, not the day it was recorded: it is in no "what
    /// changed since" diff, and as-of lists treat it as their doc says.
    pub(crate) async fn add_member_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        recorded_at: &str,
        record: &MemberRecord,
        provenance_in: &Provenance<'_>,
    ) -> Result<()> {
        let at = || format!("member {:?}", record.name.chars().take(60).collect::<String>());
        crate::limits::check_text("member", "name", &record.name, crate::limits::MAX_NAME_CHARS)?;
        if let Some(notes) = &record.notes {
            crate::limits::check_text(&at(), "notes", notes, crate::limits::MAX_TEXT_CHARS)?;
        }
        if record.kind == MemberKind::Country && record.country.is_none() {
            return Err(StoreError::invalid(at(), "no country", "an ISO country code for a country member"));
        }
        Self::ensure_source(tx, &record.source).await?;
        sqlx::query(
            "INSERT INTO member (name, kind, country, joined, known_from, left_on, source_id, notes) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(record.name.as_str())
        .bind(record.kind.as_str())
        .bind(record.country.map(CountryCode::as_str))
        .bind(record.joined.as_deref())
        .bind(record.known_from.as_deref())
        .bind(record.left_on.as_deref())
        .bind(record.source.id.as_str())
        .bind(record.notes.as_deref())
        .execute(&mut **tx)
        .await
        .map_err(|err| StoreError::at(err, at))?;
        let joined = record.joined.as_deref().unwrap_or("(date unknown)");
        let created = Created {
            entity: EntityKind::Member,
            key: &record.name,
            label: &record.name,
            summary: &format!("{} joined {joined}", record.kind.as_str()),
            date: record.joined.as_deref().or(record.known_from.as_deref()),
            source: &record.source.id,
        };
        self.log_created(tx, recorded_at, provenance_in, created).await
    }

    /// Members on a date (all when `None`): joined (or, with no join date, first reported) on or
    /// before it, not left and not retired by then. A member whose date is unknown (Tata Steel
    /// in the bundled table: no join date, no first report) is in no as-of list, only in the
    /// latest one (no `as_of`), its `joined` and `known_from` empty: it cannot be placed in
    /// time (docs/tracker-writes.md, "Dates as they are known").
    pub async fn members(&self, filter: &RegistryFilter) -> Result<Vec<MemberRow>> {
        let rows = sqlx::query(concat!(
            "SELECT m.name, m.kind, m.country, m.joined, m.known_from, m.left_on, m.source_id, s.url, m.notes \
             FROM member m JOIN source s ON s.id = m.source_id \
             WHERE (CAST($1 AS TEXT) IS NULL OR m.kind = $1) AND (CAST($2 AS TEXT) IS NULL OR m.country = $2) \
             AND (CAST($3 AS TEXT) IS NULL OR ",
            as_of_held!("$3", "COALESCE(m.joined, m.known_from)", "m.left_on"),
            ") AND ",
            as_of_not_ended!("$3", "m.retired_on"),
            // Members of unknown date after all dated ones.
            " ORDER BY CASE WHEN COALESCE(m.joined, m.known_from) IS NULL THEN 1 ELSE 0 END, \
             COALESCE(m.joined, m.known_from), m.kind DESC, m.name"
        ))
        .bind(filter.kind.as_deref())
        .bind(filter.country.map(CountryCode::as_str))
        .bind(filter.as_of.as_deref())
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::Database)?;
        rows.iter()
            .map(|row| {
                Ok(MemberRow {
                    name: row.try_get(0)?,
                    kind: row.try_get(1)?,
                    country: row.try_get(2)?,
                    joined: row.try_get(3)?,
                    known_from: row.try_get(4)?,
                    left_on: row.try_get(5)?,
                    source: row.try_get(6)?,
                    source_url: row.try_get(7)?,
                    notes: row.try_get(8)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::Database)
    }

    pub async fn add_pledge(&self, record: &PledgeRecord) -> Result<()> {
        self.add_alone(record).await
    }

    /// Adds the record inside `tx`. A record whose date is not known (no join, start or stated
    /// date) is logged with an unknown date, not the day it was recorded: it is in no "what
    /// changed since" diff, and as-of lists treat it as their doc says.
    pub(crate) async fn add_pledge_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        recorded_at: &str,
        record: &PledgeRecord,
        provenance_in: &Provenance<'_>,
    ) -> Result<()> {
        let at = || format!("pledge of {:?} ({}, {})", record.member, record.metric, record.scope);
        {
            use crate::limits::{MAX_NAME_CHARS, MAX_TEXT_CHARS, check_text};
            let what = || format!("pledge of {:?}", record.member.chars().take(40).collect::<String>());
            check_text(&what(), "member", &record.member, MAX_NAME_CHARS)?;
            check_text(&what(), "metric", &record.metric, MAX_NAME_CHARS)?;
            check_text(&what(), "scope", &record.scope, MAX_NAME_CHARS)?;
            for (field, value) in [
                ("milestone_2030", &record.milestone_2030),
                ("status", &record.status),
                ("stated", &record.stated),
                ("notes", &record.notes),
            ] {
                if let Some(value) = value {
                    check_text(&what(), field, value, MAX_TEXT_CHARS)?;
                }
            }
        }
        let member_id: i64 = sqlx::query("SELECT id FROM member WHERE name = $1")
            .bind(record.member.as_str())
            .fetch_optional(&mut **tx)
            .await
            .map_err(StoreError::Database)?
            .ok_or_else(|| StoreError::NotFound { kind: "member", key: record.member.clone() })?
            .try_get(0)
            .map_err(StoreError::Database)?;
        let taken = sqlx::query("SELECT 1 FROM pledge WHERE member_id = $1 AND metric = $2 AND scope = $3")
            .bind(member_id)
            .bind(record.metric.as_str())
            .bind(record.scope.as_str())
            .fetch_optional(&mut **tx)
            .await
            .map_err(StoreError::Database)?;
        if taken.is_some() {
            return Err(StoreError::Duplicate(format!(
                "{:?} already has a {} pledge with scope {}: update it (`decarb pledges update`, PATCH /api/v1/pledges/...) instead of adding another",
                record.member, record.metric, record.scope
            )));
        }
        Self::ensure_source(tx, &record.source).await?;
        sqlx::query(
            "INSERT INTO pledge (member_id, target_year, metric, scope, milestone_2030, status, verified, stated, source_id, notes) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(member_id)
        .bind(record.target_year.map(i64::from))
        .bind(record.metric.as_str())
        .bind(record.scope.as_str())
        .bind(record.milestone_2030.as_deref())
        .bind(record.status.as_deref())
        .bind(i64::from(record.verified))
        .bind(record.stated.as_deref())
        .bind(record.source.id.as_str())
        .bind(record.notes.as_deref())
        .execute(&mut **tx)
        .await
        .map_err(|err| StoreError::at(err, at))?;
        let key = format!("{}/{}/{}", record.member, record.metric, record.scope);
        let target = record.target_year.map_or_else(|| "no year".to_owned(), |year| year.to_string());
        let created = Created {
            entity: EntityKind::Pledge,
            key: &key,
            label: &record.member,
            summary: &format!("{} by {target}", record.metric),
            date: record.stated.as_deref(),
            source: &record.source.id,
        };
        self.log_created(tx, recorded_at, provenance_in, created).await
    }

    /// Pledges made on or before a date (all when `None`), by member; a pledge whose date is
    /// unknown is in every as-of list; retired pledges (and those of retired members) leave the
    /// lists from their retirement date.
    pub async fn pledges(&self, filter: &RegistryFilter) -> Result<Vec<PledgeRow>> {
        let rows = sqlx::query(concat!(
            "SELECT m.name, p.target_year, p.metric, p.scope, p.milestone_2030, p.status, p.verified, p.stated, p.source_id, s.url, p.notes \
             FROM pledge p JOIN member m ON m.id = p.member_id JOIN source s ON s.id = p.source_id \
             WHERE (CAST($1 AS TEXT) IS NULL OR m.kind = $1) AND (CAST($2 AS TEXT) IS NULL OR m.country = $2) \
             AND ",
            as_of_known_since!("$3", "p.stated"),
            " AND ",
            as_of_not_ended!("$3", "p.retired_on"),
            " AND ",
            as_of_not_ended!("$3", "m.retired_on"),
            " ORDER BY m.name, p.metric, p.scope"
        ))
        .bind(filter.kind.as_deref())
        .bind(filter.country.map(CountryCode::as_str))
        .bind(filter.as_of.as_deref())
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::Database)?;
        rows.iter()
            .map(|row| {
                Ok(PledgeRow {
                    member: row.try_get(0)?,
                    target_year: row.try_get(1)?,
                    metric: row.try_get(2)?,
                    scope: row.try_get(3)?,
                    milestone_2030: row.try_get(4)?,
                    status: row.try_get(5)?,
                    verified: row.try_get::<i64, _>(6)? == 1,
                    stated: row.try_get(7)?,
                    source: row.try_get(8)?,
                    source_url: row.try_get(9)?,
                    notes: row.try_get(10)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::Database)
    }

    pub async fn add_partnership(&self, record: &PartnershipRecord) -> Result<()> {
        self.add_alone(record).await
    }

    /// Adds the record inside `tx`. A record whose date is not known (no join, start or stated
    /// date) is logged with an unknown date, not the day it was recorded: it is in no "what
    /// changed since" diff, and as-of lists treat it as their doc says.
    pub(crate) async fn add_partnership_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        recorded_at: &str,
        record: &PartnershipRecord,
        provenance_in: &Provenance<'_>,
    ) -> Result<()> {
        let at = || format!("partnership {:?}", record.name.chars().take(60).collect::<String>());
        crate::limits::check_text("partnership", "name", &record.name, crate::limits::MAX_NAME_CHARS)?;
        if record.parties.len() < 2 {
            return Err(StoreError::invalid(at(), record.parties.join(", "), "at least two parties"));
        }
        Self::ensure_source(tx, &record.source).await?;
        let id: i64 = sqlx::query(
            "INSERT INTO partnership (name, kind, started, venue, parent, description, source_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(record.name.as_str())
        .bind(partnership_kind(record.kind))
        .bind(record.started.as_deref())
        .bind(record.venue.as_deref())
        .bind(record.parent.as_deref())
        .bind(record.description.as_deref())
        .bind(record.source.id.as_str())
        .fetch_one(&mut **tx)
        .await
        .and_then(|row| row.try_get(0))
        .map_err(|err| StoreError::at(err, at))?;
        for party in &record.parties {
            let country = CountryCode::resolve(party);
            let name = country.map_or_else(|| party.trim().to_owned(), |code| code.name().to_owned());
            sqlx::query("INSERT INTO partnership_party (partnership_id, party, country) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(name.as_str())
                .bind(country.map(CountryCode::as_str))
                .execute(&mut **tx)
                .await
                .map_err(|err| StoreError::at(err, || format!("{}, party {party:?}", at())))?;
        }
        let created = Created {
            entity: EntityKind::Partnership,
            key: &record.name,
            label: &record.name,
            summary: &record.parties.join("; "),
            date: record.started.as_deref(),
            source: &record.source.id,
        };
        self.log_created(tx, recorded_at, provenance_in, created).await
    }

    /// Partnerships started on or before a date (all when `None`); one whose start is unknown is
    /// in every as-of list; retired ones leave the lists from their retirement date.
    pub async fn partnerships(&self, filter: &RegistryFilter) -> Result<Vec<PartnershipRow>> {
        let rows = sqlx::query(concat!(
            "SELECT p.id, p.name, p.kind, p.started, p.venue, p.parent, p.description, p.source_id, s.url \
             FROM partnership p JOIN source s ON s.id = p.source_id \
             WHERE (CAST($1 AS TEXT) IS NULL OR p.kind = $1) \
             AND (CAST($2 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM partnership_party q WHERE q.partnership_id = p.id AND q.country = $2)) \
             AND ",
            as_of_known_since!("$3", "p.started"),
            " AND ",
            as_of_not_ended!("$3", "p.retired_on"),
            " ORDER BY p.started, p.name"
        ))
        .bind(filter.kind.as_deref())
        .bind(filter.country.map(CountryCode::as_str))
        .bind(filter.as_of.as_deref())
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::Database)?;
        let mut out = Vec::new();
        for row in &rows {
            let id: i64 = row.try_get(0).map_err(StoreError::Database)?;
            let parties =
                sqlx::query("SELECT party FROM partnership_party WHERE partnership_id = $1 ORDER BY party")
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(StoreError::Database)?
                    .iter()
                    .map(|party| party.try_get::<String, _>(0))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(StoreError::Database)?;
            out.push(
                (|| -> Result<PartnershipRow, sqlx::Error> {
                    Ok(PartnershipRow {
                        name: row.try_get(1)?,
                        kind: row.try_get(2)?,
                        parties,
                        started: row.try_get(3)?,
                        venue: row.try_get(4)?,
                        parent: row.try_get(5)?,
                        description: row.try_get(6)?,
                        source: row.try_get(7)?,
                        source_url: row.try_get(8)?,
                    })
                })()
                .map_err(StoreError::Database)?,
            );
        }
        Ok(out)
    }
}
