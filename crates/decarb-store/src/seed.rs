//! The tables bundled with decarb so a fresh store starts useful: countries (from the model's
//! ISO table), and cited members, pledges, partnerships and notable projects (`seed/*.csv`,
//! every row naming its source in `seed/sources.csv`).

use crate::db::{Store, first_day, now_utc};
use crate::error::{Result, StoreError};
use crate::projects::{ProjectImport, ProjectRecord, ProjectRelease};
use crate::registry::{MemberRecord, PartnershipRecord, PledgeRecord};
use crate::source::SourceRecord;
use decarb_model::CountryCode;
use decarb_model::tracker::{MemberKind, PartnershipKind, ProjectStage};
use serde::Serialize;
use sqlx::{Any, Row, Transaction};
use std::collections::BTreeMap;

const SOURCES: &str = include_str!("../seed/sources.csv");
const MEMBERS: &str = include_str!("../seed/members.csv");
const PLEDGES: &str = include_str!("../seed/pledges.csv");
const PARTNERSHIPS: &str = include_str!("../seed/partnerships.csv");
const PROJECTS: &str = include_str!("../seed/projects.csv");

/// The date the bundled tables were compiled: seed rows without a date of their own are valid
/// from then.
pub const SEED_DATE: &str = "2026-11-29";

/// What `init` loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct InitSummary {
    pub backend: String,
    pub countries: i64,
    pub seeded: bool,
    pub members: usize,
    pub pledges: usize,
    pub partnerships: usize,
    pub projects: usize,
}

/// Reads a bundled CSV into maps of column -> value; a malformed bundled table is a bug, so it
/// is reported as such with the table and line.
fn rows(name: &str, text: &str) -> Result<Vec<BTreeMap<String, String>>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|err| StoreError::invalid(format!("bundled table {name}"), err.to_string(), "a CSV header"))?
        .clone();
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|err| {
            StoreError::invalid(format!("bundled table {name}, line {}", i + 2), err.to_string(), "a CSV row")
        })?;
        out.push(
            headers.iter().zip(record.iter()).map(|(h, v)| (h.to_owned(), v.trim().to_owned())).collect(),
        );
    }
    Ok(out)
}

fn opt(row: &BTreeMap<String, String>, column: &str) -> Option<String> {
    row.get(column).filter(|value| !value.is_empty()).cloned()
}

fn need(name: &str, line: usize, row: &BTreeMap<String, String>, column: &str) -> Result<String> {
    opt(row, column).ok_or_else(|| {
        StoreError::invalid(format!("bundled table {name}, line {line}, column {column}"), "", "a value")
    })
}

fn parse<T: std::str::FromStr>(
    name: &str,
    line: usize,
    column: &str,
    text: &str,
    expected: &str,
) -> Result<T> {
    text.parse().map_err(|_| {
        StoreError::invalid(format!("bundled table {name}, line {line}, column {column}"), text, expected)
    })
}

fn bundled_sources() -> Result<BTreeMap<String, SourceRecord>> {
    let mut out = BTreeMap::new();
    for (i, row) in rows("sources.csv", SOURCES)?.iter().enumerate() {
        let id = need("sources.csv", i + 2, row, "id")?;
        out.insert(
            id.clone(),
            SourceRecord {
                id,
                citation: need("sources.csv", i + 2, row, "citation")?,
                url: opt(row, "url"),
                licence: opt(row, "licence"),
                retrieved: opt(row, "retrieved"),
            },
        );
    }
    Ok(out)
}

fn source_of(
    sources: &BTreeMap<String, SourceRecord>,
    table: &str,
    line: usize,
    row: &BTreeMap<String, String>,
) -> Result<SourceRecord> {
    let id = need(table, line, row, "source_id")?;
    sources.get(&id).cloned().ok_or_else(|| {
        StoreError::invalid(
            format!("bundled table {table}, line {line}, column source_id"),
            id,
            "an id of seed/sources.csv",
        )
    })
}

fn country(table: &str, line: usize, text: &str) -> Result<CountryCode> {
    CountryCode::resolve(text).ok_or_else(|| {
        StoreError::invalid(
            format!("bundled table {table}, line {line}, column country"),
            text,
            "an ISO3 code",
        )
    })
}

impl Store {
    /// Creates or migrates the schema, loads every country, and on a store without members
    /// loads the bundled cited tables. Safe to run again.
    pub async fn init(&self) -> Result<InitSummary> {
        self.migrate().await?;
        let mut summary = InitSummary { backend: self.backend.as_str().to_owned(), ..InitSummary::default() };
        let seeded = self
            .retrying(|| async {
                let mut tx = self.begin_write().await?;
                if self.backend == crate::db::Backend::Postgres {
                    // Two `init`s at once would both see no members and both load them; SQLite's
                    // IMMEDIATE transaction already serialises them, PostgreSQL needs a lock.
                    sqlx::query("SELECT pg_advisory_xact_lock(7305261)")
                        .execute(&mut *tx)
                        .await
                        .map_err(StoreError::Database)?;
                }
                Self::insert_countries(&mut tx).await?;
                let members: i64 = sqlx::query("SELECT COUNT(*) FROM member")
                    .fetch_one(&mut *tx)
                    .await
                    .and_then(|row| row.try_get(0))
                    .map_err(StoreError::Database)?;
                let loaded = if members == 0 { Some(self.load_seed(&mut tx).await?) } else { None };
                tx.commit().await.map_err(StoreError::Database)?;
                Ok(loaded)
            })
            .await?;
        if let Some((members, pledges, partnerships, projects)) = seeded {
            summary.seeded = true;
            summary.members = members;
            summary.pledges = pledges;
            summary.partnerships = partnerships;
            summary.projects = projects;
        }
        summary.countries = self.count(crate::db::CountedTable::Countries).await?;
        Ok(summary)
    }

    /// Loads the ISO country table (idempotent): the foreign key every country column points at.
    pub(crate) async fn insert_countries(tx: &mut Transaction<'static, Any>) -> Result<()> {
        for code in CountryCode::all() {
            sqlx::query(
                "INSERT INTO country (iso3, name, region) VALUES ($1, $2, $3) ON CONFLICT (iso3) DO NOTHING",
            )
            .bind(code.as_str())
            .bind(code.name())
            .bind(code.region().as_str())
            .execute(&mut **tx)
            .await
            .map_err(|err| StoreError::at(err, || format!("country {code}")))?;
        }
        Ok(())
    }

    /// Makes sure the country table is full, so that imports into a store that was never
    /// `init`-ed do not fail on the country foreign key.
    pub(crate) async fn ensure_countries(&self) -> Result<()> {
        let known: i64 = sqlx::query("SELECT COUNT(*) FROM country")
            .fetch_one(&self.pool)
            .await
            .and_then(|row| row.try_get(0))
            .map_err(StoreError::Database)?;
        if usize::try_from(known).unwrap_or(0) >= CountryCode::all().count() {
            return Ok(());
        }
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            Self::insert_countries(&mut tx).await?;
            tx.commit().await.map_err(StoreError::Database)
        })
        .await
    }

    // Five tables read in sequence inside one transaction; a flat list reads best.
    #[allow(clippy::too_many_lines)]
    async fn load_seed(&self, tx: &mut Transaction<'static, Any>) -> Result<(usize, usize, usize, usize)> {
        let recorded_at = now_utc();
        let sources = bundled_sources()?;
        for source in sources.values() {
            Self::ensure_source(tx, source).await?;
        }
        let members = rows("members.csv", MEMBERS)?;
        for (i, row) in members.iter().enumerate() {
            let line = i + 2;
            let kind_text = need("members.csv", line, row, "kind")?;
            let record = MemberRecord {
                name: need("members.csv", line, row, "name")?,
                kind: parse("members.csv", line, "kind", &kind_text, MemberKind::EXPECTED)?,
                country: Some(country("members.csv", line, &need("members.csv", line, row, "country")?)?),
                joined: opt(row, "joined"),
                known_from: opt(row, "known_from"),
                left_on: None,
                notes: opt(row, "notes"),
                source: source_of(&sources, "members.csv", line, row)?,
            };
            self.add_member_tx(tx, &recorded_at, &record, &crate::history::Provenance::default()).await?;
        }
        let pledges = rows("pledges.csv", PLEDGES)?;
        for (i, row) in pledges.iter().enumerate() {
            let line = i + 2;
            let record = PledgeRecord {
                member: need("pledges.csv", line, row, "member")?,
                target_year: opt(row, "target_year")
                    .map(|y| parse("pledges.csv", line, "target_year", &y, "a year"))
                    .transpose()?,
                metric: need("pledges.csv", line, row, "metric")?,
                scope: need("pledges.csv", line, row, "scope")?,
                milestone_2030: opt(row, "milestone_2030"),
                status: opt(row, "status"),
                verified: opt(row, "verified").as_deref() == Some("1"),
                stated: opt(row, "stated"),
                notes: opt(row, "notes"),
                source: source_of(&sources, "pledges.csv", line, row)?,
            };
            self.add_pledge_tx(tx, &recorded_at, &record, &crate::history::Provenance::default())
                .await
                .map_err(|err| match err {
                    StoreError::NotFound { kind: "member", key } => StoreError::invalid(
                        format!("bundled table pledges.csv, line {line}, column member"),
                        key,
                        "a member of members.csv",
                    ),
                    other => other,
                })?;
        }
        let partnerships = rows("partnerships.csv", PARTNERSHIPS)?;
        for (i, row) in partnerships.iter().enumerate() {
            let line = i + 2;
            let kind_text = need("partnerships.csv", line, row, "kind")?;
            let record = PartnershipRecord {
                name: need("partnerships.csv", line, row, "name")?,
                kind: parse("partnerships.csv", line, "kind", &kind_text, PartnershipKind::EXPECTED)?,
                parties: need("partnerships.csv", line, row, "parties")?
                    .split(';')
                    .map(|p| p.trim().to_owned())
                    .collect(),
                started: opt(row, "started"),
                venue: opt(row, "venue"),
                parent: opt(row, "parent"),
                description: opt(row, "description"),
                source: source_of(&sources, "partnerships.csv", line, row)?,
            };
            self.add_partnership_tx(tx, &recorded_at, &record, &crate::history::Provenance::default())
                .await?;
        }
        let projects = rows("projects.csv", PROJECTS)?;
        let mut imports = Vec::with_capacity(projects.len());
        for (i, row) in projects.iter().enumerate() {
            let line = i + 2;
            let stage_text = need("projects.csv", line, row, "stage")?;
            let country_code = country("projects.csv", line, &need("projects.csv", line, row, "country")?)?;
            let number = |column: &str| -> Result<Option<f64>> {
                opt(row, column).map(|v| parse("projects.csv", line, column, &v, "a number")).transpose()
            };
            let capacity = number("capacity_value")?.zip(opt(row, "capacity_unit"));
            let investment = number("investment_value")?.zip(opt(row, "investment_currency"));
            let record = ProjectRecord {
                key: need("projects.csv", line, row, "key")?,
                name: need("projects.csv", line, row, "name")?,
                sector: need("projects.csv", line, row, "sector")?,
                technology: need("projects.csv", line, row, "technology")?,
                country: Some(country_code),
                country_text: country_code.as_str().to_owned(),
                site: None,
                companies: opt(row, "companies").into_iter().collect(),
                partners: Vec::new(),
                stage: parse::<ProjectStage>("projects.csv", line, "stage", &stage_text, "a project stage")?,
                stage_raw: None,
                capacity,
                announced: opt(row, "announced"),
                fid: None,
                start: opt(row, "start"),
                investment,
                gem_plant_id: None,
                parent_programme: None,
                notes: None,
                assessment: None,
                row: Some(line),
            };
            imports.push(ProjectImport {
                record,
                valid_from: Some(
                    opt(row, "status_as_of").map_or_else(|| SEED_DATE.to_owned(), |d| first_day(&d)),
                ),
                source: Some(source_of(&sources, "projects.csv", line, row)?),
            });
        }
        let release = ProjectRelease {
            file: "seed/projects.csv".to_owned(),
            kind: "decarb-seed".to_owned(),
            source: sources
                .values()
                .next()
                .cloned()
                .unwrap_or_else(|| SourceRecord::new("decarb-seed", "decarb bundled tables")),
            as_of: SEED_DATE.to_owned(),
        };
        self.import_projects_tx(tx, &recorded_at, &release, &imports).await?;
        Ok((members.len(), pledges.len(), partnerships.len(), projects.len()))
    }
}
