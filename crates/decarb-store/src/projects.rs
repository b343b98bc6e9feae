//! Low-carbon projects: imported from the Green Steel Tracker and the IEA CCUS database, bundled
//! as cited seed rows, and edited by hand, every change kept as a dated state.

use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::history::{EntityKind, LogEntry, Provenance};
use crate::source::SourceRecord;
use decarb_model::CountryCode;
use decarb_model::tracker::ProjectStage;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// A project as an importer or a command gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectRecord {
    /// Stable key: `GST-nnn` for Green Steel Tracker rows, `IEA-CCUS-<id>` for the IEA database,
    /// a slug otherwise.
    pub key: String,
    pub name: String,
    /// `steel`, `cement`, `aluminium`, `ammonia`, `hydrogen`, or the IEA sector as a slug.
    pub sector: String,
    pub technology: String,
    pub country: Option<CountryCode>,
    /// The country as the source wrote it (kept when it names several countries).
    pub country_text: String,
    pub site: Option<String>,
    pub companies: Vec<String>,
    pub partners: Vec<String>,
    pub stage: ProjectStage,
    /// The source's own status word.
    pub stage_raw: Option<String>,
    /// Capacity with its product and unit (`Mt steel/yr`, `Mt CO2/yr`); never summed across units.
    pub capacity: Option<(f64, String)>,
    pub announced: Option<String>,
    pub fid: Option<String>,
    pub start: Option<String>,
    /// Amount in millions and ISO 4217 currency.
    pub investment: Option<(f64, String)>,
    pub gem_plant_id: Option<String>,
    pub parent_programme: Option<String>,
    pub notes: Option<String>,
    /// The Green Steel Tracker's own judgement: (`Qualified for Tracker`, reason).
    pub assessment: Option<(String, Option<String>)>,
    /// Where the record came from in its file, for error messages.
    #[serde(skip)]
    pub row: Option<usize>,
}

/// A set of project records from one file or table, with the source and date they speak for.
#[derive(Debug, Clone)]
pub struct ProjectRelease {
    pub file: String,
    pub kind: String,
    pub source: SourceRecord,
    /// Default date the records are valid from; a record's own `status as of` may override it
    /// (see [`ProjectImport::valid_from`]).
    pub as_of: String,
}

/// One record to import with the date it is valid from and the source that supports it.
#[derive(Debug, Clone)]
pub struct ProjectImport {
    pub record: ProjectRecord,
    pub valid_from: Option<String>,
    pub source: Option<SourceRecord>,
}

/// A project as stored on a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectRow {
    pub key: String,
    pub name: String,
    pub sector: String,
    pub technology: String,
    pub country: Option<String>,
    pub country_text: String,
    pub site: Option<String>,
    pub companies: Vec<String>,
    pub partners: Vec<String>,
    pub stage: String,
    pub stage_raw: Option<String>,
    pub capacity_value: Option<f64>,
    pub capacity_unit: Option<String>,
    pub announced: Option<String>,
    pub fid: Option<String>,
    pub start: Option<String>,
    pub investment_value: Option<f64>,
    pub investment_currency: Option<String>,
    pub gem_plant_id: Option<String>,
    pub parent_programme: Option<String>,
    pub notes: Option<String>,
    pub source: String,
    pub valid_from: String,
}

/// Filters for project lists; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct ProjectFilter {
    pub sector: Option<String>,
    pub country: Option<CountryCode>,
    pub stage: Option<ProjectStage>,
    pub as_of: Option<String>,
}

/// A change to a project typed on the command line or sent to the API. Unset fields stay as
/// they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProjectUpdate {
    pub stage: Option<ProjectStage>,
    pub capacity: Option<(f64, String)>,
    pub start: Option<String>,
    pub fid: Option<String>,
    pub investment: Option<(f64, String)>,
    pub technology: Option<String>,
    /// Partners to add (kept once each, in the order first added).
    pub add_partners: Vec<String>,
    pub notes: Option<String>,
    /// Arithmetic change to the capacity value (used to prove that concurrent edits all land).
    pub capacity_delta: Option<f64>,
}

fn project_row(row: &AnyRow) -> Result<ProjectRow, sqlx::Error> {
    let list = |text: String| serde_json::from_str::<Vec<String>>(&text).unwrap_or_default();
    Ok(ProjectRow {
        key: row.try_get(0)?,
        name: row.try_get(1)?,
        sector: row.try_get(2)?,
        technology: row.try_get(3)?,
        country: row.try_get(4)?,
        country_text: row.try_get(5)?,
        site: row.try_get(6)?,
        companies: list(row.try_get(7)?),
        partners: list(row.try_get(8)?),
        stage: row.try_get(9)?,
        stage_raw: row.try_get(10)?,
        capacity_value: row.try_get(11)?,
        capacity_unit: row.try_get(12)?,
        announced: row.try_get(13)?,
        fid: row.try_get(14)?,
        start: row.try_get(15)?,
        investment_value: row.try_get(16)?,
        investment_currency: row.try_get(17)?,
        gem_plant_id: row.try_get(18)?,
        parent_programme: row.try_get(19)?,
        notes: row.try_get(20)?,
        source: row.try_get(21)?,
        valid_from: row.try_get(22)?,
    })
}

impl ProjectRow {
    fn to_record(&self) -> ProjectRecord {
        ProjectRecord {
            key: self.key.clone(),
            name: self.name.clone(),
            sector: self.sector.clone(),
            technology: self.technology.clone(),
            country: self.country.as_deref().and_then(CountryCode::resolve),
            country_text: self.country_text.clone(),
            site: self.site.clone(),
            companies: self.companies.clone(),
            partners: self.partners.clone(),
            stage: self.stage.parse().unwrap_or(ProjectStage::Announced),
            stage_raw: self.stage_raw.clone(),
            capacity: self.capacity_value.zip(self.capacity_unit.clone()),
            announced: self.announced.clone(),
            fid: self.fid.clone(),
            start: self.start.clone(),
            investment: self.investment_value.zip(self.investment_currency.clone()),
            gem_plant_id: self.gem_plant_id.clone(),
            parent_programme: self.parent_programme.clone(),
            notes: self.notes.clone(),
            assessment: None,
            row: None,
        }
    }
}

/// (field, text) pairs of a record, in a fixed order, for comparing and logging.
fn field_texts(record: &ProjectRecord) -> Vec<(&'static str, Option<String>)> {
    let pair = |v: &Option<(f64, String)>| v.as_ref().map(|(value, unit)| format!("{value} {unit}"));
    vec![
        ("name", Some(record.name.clone())),
        ("sector", Some(record.sector.clone())),
        ("technology", Some(record.technology.clone())),
        (
            "country",
            Some(record.country.map_or_else(|| record.country_text.clone(), |c| c.as_str().to_owned())),
        ),
        ("site", record.site.clone()),
        ("companies", Some(record.companies.join("; "))),
        ("partners", Some(record.partners.join("; "))),
        ("stage", Some(record.stage.as_str().to_owned())),
        ("capacity", pair(&record.capacity)),
        ("announced", record.announced.clone()),
        ("fid", record.fid.clone()),
        ("start", record.start.clone()),
        ("investment", pair(&record.investment)),
        ("gem_plant_id", record.gem_plant_id.clone()),
        ("parent_programme", record.parent_programme.clone()),
        ("notes", record.notes.clone()),
    ]
}

fn at_project(file: &str, index: usize, record: &ProjectRecord) -> String {
    let place = record.row.map_or_else(|| format!("record {}", index + 1), |row| format!("row {row}"));
    format!("{file}, {place} (project {} {:?})", record.key, record.name)
}

impl Store {
    /// Imports project records inside `tx`: new keys are created, known keys get a new state
    /// when anything differs, and each difference is logged.
    pub(crate) async fn import_projects_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        recorded_at: &str,
        release: &ProjectRelease,
        records: &[ProjectImport],
    ) -> Result<(usize, usize, usize)> {
        Self::ensure_source(tx, &release.source).await?;
        let (mut added, mut changed, mut unchanged) = (0, 0, 0);
        for (index, item) in records.iter().enumerate() {
            let record = &item.record;
            let at = || at_project(&release.file, index, record);
            let source = item.source.as_ref().unwrap_or(&release.source);
            if item.source.is_some() {
                Self::ensure_source(tx, source).await?;
            }
            let valid_from = item.valid_from.clone().unwrap_or_else(|| release.as_of.clone());
            match self
                .write_project(
                    tx,
                    recorded_at,
                    record,
                    &valid_from,
                    &source.id,
                    None,
                    &Provenance::default(),
                    &at,
                )
                .await?
            {
                Written::Added => added += 1,
                Written::Changed => changed += 1,
                Written::Unchanged => unchanged += 1,
            }
            if let Some((qualified, reason)) = &record.assessment {
                sqlx::query(
                    "INSERT INTO gst_assessment (project_id, as_of, qualified, reason) \
                     SELECT id, $2, $3, $4 FROM project WHERE project_key = $1 \
                     ON CONFLICT (project_id, as_of) DO UPDATE SET qualified = $3, reason = $4",
                )
                .bind(record.key.as_str())
                .bind(valid_from.as_str())
                .bind(qualified.as_str())
                .bind(reason.as_deref())
                .execute(&mut **tx)
                .await
                .map_err(|err| StoreError::at(err, at))?;
            }
        }
        Ok((added, changed, unchanged))
    }

    /// Creates the project or writes a new state of it; `expected_version` makes the write fail
    /// with a conflict when another writer got there first.
    // One read-compare-write sequence; split, its transaction invariants would be harder to see.
    #[allow(clippy::too_many_arguments, clippy::too_many_lines)]
    pub(crate) async fn write_project(
        &self,
        tx: &mut Transaction<'static, Any>,
        recorded_at: &str,
        record: &ProjectRecord,
        valid_from: &str,
        source_id: &str,
        expected_version: Option<i64>,
        provenance: &Provenance<'_>,
        at: &(dyn Fn() -> String + Sync),
    ) -> Result<Written> {
        crate::limits::check_text(&at(), "name", &record.name, crate::limits::MAX_NAME_CHARS)?;
        if let Some(notes) = &record.notes {
            crate::limits::check_text(&at(), "notes", notes, crate::limits::MAX_TEXT_CHARS)?;
        }
        if let Some((value, _)) = &record.capacity {
            crate::limits::check_capacity(&at(), *value)?;
        }
        let existing = sqlx::query(
            "SELECT p.project_key, s.name, s.sector, s.technology, s.country, s.country_text, s.site, s.companies, \
             s.partners, s.stage, s.stage_raw, s.capacity_value, s.capacity_unit, s.announced, s.fid, s.start_date, s.investment_value, \
             s.investment_currency, s.gem_plant_id, s.parent_programme, s.notes, s.source_id, s.valid_from, s.id, p.id, p.version \
             FROM project p JOIN project_state s ON s.project_id = p.id AND s.valid_to IS NULL WHERE p.project_key = $1",
        )
        .bind(record.key.as_str())
        .fetch_optional(&mut **tx)
        .await
        .map_err(StoreError::Database)?;
        let new_fields = field_texts(record);
        let Some(existing) = existing else {
            let project_id: i64 = sqlx::query("INSERT INTO project (project_key) VALUES ($1) RETURNING id")
                .bind(record.key.as_str())
                .fetch_one(&mut **tx)
                .await
                .and_then(|row| row.try_get(0))
                .map_err(|err| StoreError::at(err, at))?;
            insert_project_state(tx, project_id, valid_from, source_id, record, at).await?;
            let summary = format!("{} {}", record.stage, record.name);
            self.log_with(
                tx,
                recorded_at,
                LogEntry {
                    entity: EntityKind::Project,
                    key: &record.key,
                    label: &record.name,
                    field: "created",
                    old_value: None,
                    new_value: Some(&summary),
                    valid_from,
                    import_id: None,
                    note: Some(source_id),
                },
                provenance,
            )
            .await?;
            return Ok(Written::Added);
        };
        let row = project_row(&existing).map_err(StoreError::Database)?;
        let state_id: i64 = existing.try_get(23).map_err(StoreError::Database)?;
        let project_id: i64 = existing.try_get(24).map_err(StoreError::Database)?;
        let version: i64 = existing.try_get(25).map_err(StoreError::Database)?;
        // The record was computed from what the caller read; if the project moved on since, the
        // comparison below would be against a state the caller never saw.
        if expected_version.is_some_and(|expected| expected != version) {
            return Err(StoreError::Conflict(format!("project {}", record.key)));
        }
        let old_fields = field_texts(&row.to_record());
        let differences: Vec<_> = old_fields
            .iter()
            .zip(&new_fields)
            .filter(|((_, old), (_, new))| old != new)
            .map(|((field, old), (_, new))| (*field, old.clone(), new.clone()))
            .collect();
        if differences.is_empty() && row.stage_raw == record.stage_raw {
            return Ok(Written::Unchanged);
        }
        if valid_from < row.valid_from.as_str() {
            return Err(StoreError::invalid(
                format!("{}: date of the change", at()),
                valid_from,
                format!("a date not before {}, the date of the project's current state", row.valid_from),
            ));
        }
        // The optimistic check: the version read above must still be the version now. Under
        // PostgreSQL the UPDATE also waits for a concurrent writer's row lock, then sees its
        // new version and matches no row.
        let expected = expected_version.unwrap_or(version);
        let bumped = sqlx::query("UPDATE project SET version = version + 1 WHERE id = $1 AND version = $2")
            .bind(project_id)
            .bind(expected)
            .execute(&mut **tx)
            .await
            .map_err(|err| StoreError::at(err, at))?
            .rows_affected();
        if bumped != 1 {
            return Err(StoreError::Conflict(format!("project {}", record.key)));
        }
        if valid_from == row.valid_from {
            sqlx::query("DELETE FROM project_state WHERE id = $1")
                .bind(state_id)
                .execute(&mut **tx)
                .await
                .map_err(|err| StoreError::at(err, at))?;
        } else {
            sqlx::query("UPDATE project_state SET valid_to = $1 WHERE id = $2")
                .bind(valid_from)
                .bind(state_id)
                .execute(&mut **tx)
                .await
                .map_err(|err| StoreError::at(err, at))?;
        }
        insert_project_state(tx, project_id, valid_from, source_id, record, at).await?;
        for (field, old, new) in &differences {
            self.log_with(
                tx,
                recorded_at,
                LogEntry {
                    entity: EntityKind::Project,
                    key: &record.key,
                    label: &record.name,
                    field,
                    old_value: old.as_deref(),
                    new_value: new.as_deref(),
                    valid_from,
                    import_id: None,
                    note: Some(source_id),
                },
                provenance,
            )
            .await?;
        }
        Ok(Written::Changed)
    }

    /// Adds a new project typed on the command line. Fails if the key exists.
    pub async fn add_project(
        &self,
        record: &ProjectRecord,
        source: &SourceRecord,
        valid_from: &str,
    ) -> Result<()> {
        self.retrying(|| async move {
            let recorded_at = crate::db::now_utc();
            let mut tx = self.begin_write().await?;
            let exists = sqlx::query("SELECT id FROM project WHERE project_key = $1")
                .bind(record.key.as_str())
                .fetch_optional(&mut *tx)
                .await
                .map_err(StoreError::Database)?;
            if exists.is_some() {
                return Err(StoreError::invalid(
                    "project id",
                    &record.key,
                    "a new id (use `projects update` to change a project)",
                ));
            }
            Self::ensure_source(&mut tx, source).await?;
            let at = || format!("project {}", record.key);
            self.write_project(
                &mut tx,
                &recorded_at,
                record,
                valid_from,
                &source.id,
                None,
                &Provenance::default(),
                &at,
            )
            .await?;
            tx.commit().await.map_err(StoreError::Database)?;
            Ok(())
        })
        .await
    }

    /// Applies `update` to the project's latest state as a new state valid from `valid_from`.
    /// Read, change and write happen in one transaction guarded by the project's version, and
    /// are retried when another writer changed the project in between: no update is lost.
    pub async fn update_project(
        &self,
        key: &str,
        update: &ProjectUpdate,
        source: &SourceRecord,
        valid_from: &str,
    ) -> Result<ProjectRow> {
        self.retrying(|| async move {
            let recorded_at = crate::db::now_utc();
            let mut tx = self.begin_write().await?;
            let current = sqlx::query(
                "SELECT p.project_key, s.name, s.sector, s.technology, s.country, s.country_text, s.site, s.companies, \
                 s.partners, s.stage, s.stage_raw, s.capacity_value, s.capacity_unit, s.announced, s.fid, s.start_date, \
                 s.investment_value, s.investment_currency, s.gem_plant_id, s.parent_programme, s.notes, s.source_id, \
                 s.valid_from, s.id, p.id, p.version FROM project p JOIN project_state s ON s.project_id = p.id \
                 AND s.valid_to IS NULL WHERE p.project_key = $1",
            )
            .bind(key)
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::Database)?
            .ok_or_else(|| StoreError::NotFound { kind: "project", key: key.to_owned() })?;
            let version: i64 = current.try_get(25).map_err(StoreError::Database)?;
            let row = project_row(&current).map_err(StoreError::Database)?;
            let mut record = row.to_record();
            apply_update(&mut record, update)?;
            Self::ensure_source(&mut tx, source).await?;
            let at = || format!("project {key}");
            // A change dated before the project's current state is refused (write_project names
            // both dates): it is never silently re-dated.
            self.write_project(&mut tx, &recorded_at, &record, valid_from, &source.id, Some(version), &Provenance::default(), &at)
                .await?;
            tx.commit().await.map_err(StoreError::Database)?;
            self.project(key, None).await
        })
        .await
    }

    /// Applies `update` inside `tx` as the write of an [`crate::edits::Edit`]: the version was
    /// checked by the caller; the source is the meta's address or the current state's source.
    /// Returns how many fields changed.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn update_project_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        recorded_at: &str,
        key: &str,
        update: &ProjectUpdate,
        meta: &crate::edits::WriteMeta,
        version: i64,
        provenance: &Provenance<'_>,
    ) -> Result<usize> {
        let row = self.current_project_tx(tx, key).await?;
        let mut record = row.to_record();
        apply_update(&mut record, update)?;
        let valid_from = meta.valid_from.clone().unwrap_or_else(crate::db::today);
        let source_id = match &meta.source_url {
            Some(url) => {
                let mut source = SourceRecord::new(&crate::source::source_id_for(url), url);
                source.url = Some(url.clone());
                source.retrieved = Some(crate::db::today());
                Self::ensure_source(tx, &source).await?;
                source.id
            }
            None => row.source.clone(),
        };
        let at = || format!("project {key}");
        let before = field_texts(&row.to_record());
        let after = field_texts(&record);
        let changed = before.iter().zip(&after).filter(|(a, b)| a != b).count();
        match self
            .write_project(tx, recorded_at, &record, &valid_from, &source_id, Some(version), provenance, &at)
            .await?
        {
            Written::Unchanged => Ok(0),
            _ => Ok(changed.max(1)),
        }
    }

    async fn current_project_tx(&self, tx: &mut Transaction<'static, Any>, key: &str) -> Result<ProjectRow> {
        let current = sqlx::query(
            "SELECT p.project_key, s.name, s.sector, s.technology, s.country, s.country_text, s.site, s.companies, \
             s.partners, s.stage, s.stage_raw, s.capacity_value, s.capacity_unit, s.announced, s.fid, s.start_date, \
             s.investment_value, s.investment_currency, s.gem_plant_id, s.parent_programme, s.notes, s.source_id, \
             s.valid_from, s.id, p.id, p.version FROM project p JOIN project_state s ON s.project_id = p.id \
             AND s.valid_to IS NULL WHERE p.project_key = $1",
        )
        .bind(key)
        .fetch_optional(&mut **tx)
        .await
        .map_err(StoreError::Database)?
        .ok_or_else(|| StoreError::NotFound { kind: "project", key: key.to_owned() })?;
        project_row(&current).map_err(StoreError::Database)
    }

    /// Projects on a date (latest when `None`), by key; a retired project leaves the list from
    /// its retirement date (`projects show` still finds it).
    pub async fn projects(&self, filter: &ProjectFilter) -> Result<Vec<ProjectRow>> {
        let rows = sqlx::query(concat!(
            "SELECT p.project_key, s.name, s.sector, s.technology, s.country, s.country_text, s.site, s.companies, \
             s.partners, s.stage, s.stage_raw, s.capacity_value, s.capacity_unit, s.announced, s.fid, s.start_date, \
             s.investment_value, s.investment_currency, s.gem_plant_id, s.parent_programme, s.notes, s.source_id, \
             s.valid_from, s.id, p.id, p.version FROM project p JOIN project_state s ON s.project_id = p.id WHERE ",
            as_of_held!("$1", "s.valid_from", "s.valid_to"),
            " AND ",
            as_of_not_ended!("$1", "p.retired_on"),
            " AND (CAST($2 AS TEXT) IS NULL OR s.sector = $2) AND (CAST($3 AS TEXT) IS NULL OR s.country = $3) \
             AND (CAST($4 AS TEXT) IS NULL OR s.stage = $4) ORDER BY p.project_key"
        ))
        .bind(filter.as_of.as_deref())
        .bind(filter.sector.as_deref())
        .bind(filter.country.map(CountryCode::as_str))
        .bind(filter.stage.map(ProjectStage::as_str))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::Database)?;
        rows.iter().map(|row| project_row(row).map_err(StoreError::Database)).collect()
    }

    /// One project as of a date (latest when `None`).
    pub async fn project(&self, key: &str, as_of: Option<&str>) -> Result<ProjectRow> {
        let row = sqlx::query(concat!(
            "SELECT p.project_key, s.name, s.sector, s.technology, s.country, s.country_text, s.site, s.companies, \
             s.partners, s.stage, s.stage_raw, s.capacity_value, s.capacity_unit, s.announced, s.fid, s.start_date, \
             s.investment_value, s.investment_currency, s.gem_plant_id, s.parent_programme, s.notes, s.source_id, \
             s.valid_from, s.id, p.id, p.version FROM project p JOIN project_state s ON s.project_id = p.id \
             WHERE p.project_key = $1 AND ",
            as_of_held!("$2", "s.valid_from", "s.valid_to")
        ))
        .bind(key)
        .bind(as_of)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::Database)?
        .ok_or_else(|| StoreError::NotFound {
            kind: "project",
            key: as_of.map_or_else(|| key.to_owned(), |d| format!("{key} (as of {d})")),
        })?;
        project_row(&row).map_err(StoreError::Database)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written {
    Added,
    Changed,
    Unchanged,
}

fn apply_update(record: &mut ProjectRecord, update: &ProjectUpdate) -> Result<()> {
    if let Some(stage) = update.stage {
        record.stage = stage;
        record.stage_raw = None;
    }
    if let Some(capacity) = &update.capacity {
        record.capacity = Some(capacity.clone());
    }
    if let Some(delta) = update.capacity_delta {
        let Some((value, _)) = record.capacity.as_mut() else {
            return Err(StoreError::invalid(
                "capacity change",
                format!("{delta:+}"),
                "a project that has a capacity",
            ));
        };
        *value += delta;
    }
    if let Some(start) = &update.start {
        record.start = Some(start.clone());
    }
    if let Some(fid) = &update.fid {
        record.fid = Some(fid.clone());
    }
    if let Some(investment) = &update.investment {
        record.investment = Some(investment.clone());
    }
    if let Some(technology) = &update.technology {
        record.technology.clone_from(technology);
    }
    for partner in &update.add_partners {
        if !record.partners.contains(partner) {
            record.partners.push(partner.clone());
        }
    }
    if let Some(notes) = &update.notes {
        record.notes = Some(notes.clone());
    }
    Ok(())
}

async fn insert_project_state(
    tx: &mut Transaction<'static, Any>,
    project_id: i64,
    valid_from: &str,
    source_id: &str,
    record: &ProjectRecord,
    at: &(dyn Fn() -> String + Sync),
) -> Result<()> {
    let companies = serde_json::to_string(&record.companies).unwrap_or_else(|_| "[]".to_owned());
    let partners = serde_json::to_string(&record.partners).unwrap_or_else(|_| "[]".to_owned());
    sqlx::query(
        "INSERT INTO project_state (project_id, valid_from, valid_to, source_id, name, sector, technology, country, country_text, \
         site, companies, partners, stage, stage_raw, capacity_value, capacity_unit, announced, fid, start_date, investment_value, \
         investment_currency, gem_plant_id, parent_programme, notes) VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
         $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)",
    )
    .persistent(false)
    .bind(project_id)
    .bind(valid_from)
    .bind(source_id)
    .bind(record.name.as_str())
    .bind(record.sector.as_str())
    .bind(record.technology.as_str())
    .bind(record.country.map(CountryCode::as_str))
    .bind(record.country_text.as_str())
    .bind(record.site.as_deref())
    .bind(companies)
    .bind(partners)
    .bind(record.stage.as_str())
    .bind(record.stage_raw.as_deref())
    .bind(record.capacity.as_ref().map(|(value, _)| *value))
    .bind(record.capacity.as_ref().map(|(_, unit)| unit.as_str()))
    .bind(record.announced.as_deref())
    .bind(record.fid.as_deref())
    .bind(record.start.as_deref())
    .bind(record.investment.as_ref().map(|(value, _)| *value))
    .bind(record.investment.as_ref().map(|(_, currency)| currency.as_str()))
    .bind(record.gem_plant_id.as_deref())
    .bind(record.parent_programme.as_deref())
    .bind(record.notes.as_deref())
    .execute(&mut **tx)
    .await
    .map_err(|err| StoreError::at(err, at))?;
    Ok(())
}
