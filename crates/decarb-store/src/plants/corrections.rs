//! Corrections to plants: an editor's change of a plant's fields, and what a later release of
//! the tracker does to a corrected field (docs/tracker-writes.md, "Corrections to plants").
//!
//! - **A correction is a dated state.** Correcting from day D ends the plant's state in force at
//!   D and starts a new one with the corrected fields (a state that begins on D is rewritten in
//!   place); a day before the plant's current state is refused, never re-dated. Each changed
//!   field is one change-log row with who, why and the source's address, and one
//!   `plant_correction` row holding the corrected value and the value the tracker's file gave.
//! - **Retiring a plant unlists it**: a correction of `listed` from 1 to 0. Nothing is deleted;
//!   the plant leaves every list and fleet from D, as a plant a release no longer lists does.
//! - **A later release keeps a correction while it repeats the value corrected.** When a release
//!   gives a corrected field the value the file gave when the correction was made, the
//!   correction stands (the release changes nothing there). When it gives another value, the
//!   release wins: it is newer evidence than what was corrected. The correction ends (recorded
//!   in `plant_correction` with the import that ended it) and the change log says so: the
//!   field's row of the release names the correction it replaces. A release dated before a
//!   correction's day writes its values up to that day, and from that day the corrected state
//!   takes the release's values for every other field. A release older than the newest stored
//!   one (a back-fill) applies corrections by the same rule but never ends one.

use super::{Current, ImportContext, PlantFields, STATE_INSERT, STATE_UPDATE_IN_PLACE, bind_fields};
use crate::db::Store;
use crate::edits::WriteMeta;
use crate::error::{Result, StoreError};
use crate::history::{EntityKind, LogEntry, Provenance};
use crate::limits::MAX_NAME_CHARS;
use decarb_data::import::cells;
use decarb_model::{Ownership, PlantStatus, Route};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use std::collections::HashMap;

/// One holder (owner or parent) of a plant as a correction gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holder {
    pub name: String,
    /// The holder's share as a fraction (0.49 for 49 %), when known.
    #[serde(default)]
    pub share: Option<f64>,
}

/// Corrections of a plant's fields; fields left out stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlantPatch {
    pub name: Option<String>,
    /// operating, operating-pre-retirement, construction, announced, mothballed, retired or
    /// cancelled.
    pub status: Option<String>,
    /// bf-bof, dri-eaf, eaf, ohf, iron-bf, iron-dri, bof, cement-integrated, ...
    pub route: Option<String>,
    /// Nameplate capacity in tonnes per year.
    pub capacity_tpa: Option<f64>,
    /// Start of operation as precise as known (2019, 2019-09, 2019-09-23), or `unknown`.
    pub start: Option<String>,
    /// The full list of owners, replacing the old.
    pub owners: Option<Vec<Holder>>,
    /// The full list of parent companies, replacing the old.
    pub parents: Option<Vec<Holder>>,
    /// `[latitude, longitude]` in degrees (WGS84).
    pub coordinates: Option<[f64; 2]>,
}

/// A correction as the plant's page and the API show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorrectionRow {
    /// name, status, route, capacity (t/yr), start, owners, parents, coordinates or listed.
    pub field: String,
    pub value: Option<String>,
    /// What the tracker's file gave when the correction was made.
    pub file_value: Option<String>,
    pub valid_from: String,
    pub recorded_at: String,
    pub recorded_by: String,
    pub reason: String,
    pub source_url: Option<String>,
    pub approved_by: Option<String>,
    /// True while the correction holds; false once a release or a later correction ended it.
    pub in_force: bool,
    pub ended_at: Option<String>,
    /// What ended it: a later correction, or the import of a release giving another value.
    pub ended_by: Option<String>,
}

/// A correction in force, as an import weighs it.
#[derive(Debug, Clone)]
pub(super) struct Correction {
    id: i64,
    field: String,
    value: Option<String>,
    file_value: Option<String>,
    valid_from: String,
    recorded_by: String,
}

/// The corrections in force of every plant of `family`, by plant id.
pub(super) async fn in_force(
    tx: &mut Transaction<'static, Any>,
    family: &str,
) -> Result<HashMap<i64, Vec<Correction>>> {
    let rows = sqlx::query(
        "SELECT c.plant_id, c.id, c.field, c.value, c.file_value, c.valid_from, c.recorded_by FROM plant_correction c \
         JOIN plant p ON p.id = c.plant_id WHERE p.family = $1 AND c.ended_at IS NULL ORDER BY c.valid_from, c.id",
    )
    .bind(family)
    .fetch_all(&mut **tx)
    .await
    .map_err(StoreError::Database)?;
    let mut out: HashMap<i64, Vec<Correction>> = HashMap::new();
    for row in &rows {
        let read = || -> Result<(i64, Correction), sqlx::Error> {
            Ok((
                row.try_get(0)?,
                Correction {
                    id: row.try_get(1)?,
                    field: row.try_get(2)?,
                    value: row.try_get(3)?,
                    file_value: row.try_get(4)?,
                    valid_from: row.try_get(5)?,
                    recorded_by: row.try_get(6)?,
                },
            ))
        };
        let (plant, correction) = read().map_err(StoreError::Database)?;
        out.entry(plant).or_default().push(correction);
    }
    Ok(out)
}

/// A field's value as the change log and the corrections write it.
fn field_text(fields: &PlantFields, field: &str) -> Option<String> {
    match field {
        "name" => Some(fields.name.clone()),
        "status" => Some(fields.status.clone()),
        "route" => Some(fields.route.clone()),
        "capacity" => Some(fields.capacity_text()),
        "start" => fields.start_date.clone(),
        "owners" => Some(fields.owners.clone()),
        "parents" => Some(fields.parents.clone()),
        "coordinates" => fields.coordinates_text(),
        _ => None,
    }
}

/// Sets a field from its text (as [`field_text`] writes it).
fn set_field_text(fields: &mut PlantFields, field: &str, text: Option<&str>) {
    let owned = text.map(str::to_owned);
    match field {
        "name" => fields.name = owned.unwrap_or_default(),
        "status" => fields.status = owned.unwrap_or_default(),
        "route" => fields.route = owned.unwrap_or_default(),
        "capacity" => {
            let value = text.and_then(|t| t.parse::<f64>().ok());
            fields.capacity_kind = if value.is_some() {
                "value".to_owned()
            } else {
                owned.unwrap_or_else(|| "unknown".to_owned())
            };
            fields.capacity_tpa = value;
        }
        "start" => fields.start_date = owned,
        "owners" => fields.owners = owned.unwrap_or_else(|| "[]".to_owned()),
        "parents" => fields.parents = owned.unwrap_or_else(|| "[]".to_owned()),
        "coordinates" => {
            let pair = text.and_then(|t| {
                let (lat, lon) = t.split_once(',')?;
                Some((lat.trim().parse::<f64>().ok()?, lon.trim().parse::<f64>().ok()?))
            });
            fields.latitude = pair.map(|p| p.0);
            fields.longitude = pair.map(|p| p.1);
        }
        _ => {}
    }
}

/// Whether two values of `field` are the same, as the import's comparison of states has it
/// (capacities to a millionth, coordinates to 1e-7 degrees).
fn same_value(field: &str, a: Option<&str>, b: Option<&str>) -> bool {
    let numbers = |t: Option<&str>| -> Option<Vec<f64>> {
        t?.split(',').map(|part| part.trim().parse::<f64>().ok()).collect()
    };
    match (field, numbers(a), numbers(b)) {
        ("capacity", Some(x), Some(y)) if x.len() == 1 && y.len() == 1 => {
            (x[0] - y[0]).abs() <= 1e-6 * x[0].abs().max(y[0].abs()).max(1.0)
        }
        ("coordinates", Some(x), Some(y)) if x.len() == 2 && y.len() == 2 => {
            (x[0] - y[0]).abs() < 1e-7 && (x[1] - y[1]).abs() < 1e-7
        }
        _ => a == b,
    }
}

fn listed_text(listed: bool) -> String {
    if listed { "1" } else { "0" }.to_owned()
}

/// What a release says of a plant (`file`, listed) with the corrections `kept` applied that
/// hold on `day`.
fn overlay(file: &PlantFields, kept: &[&Correction], day: &str) -> (PlantFields, bool) {
    let mut fields = file.clone();
    let mut listed = true;
    for c in kept.iter().filter(|c| c.valid_from.as_str() <= day) {
        if c.field == "listed" {
            listed = c.value.as_deref() == Some("1");
        } else {
            set_field_text(&mut fields, &c.field, c.value.as_deref());
        }
    }
    (fields, listed)
}

/// Splits corrections into those a release keeps (it repeats the value corrected) and those it
/// ends (it gives another value). A listed record says `listed` is 1.
fn weigh<'a>(
    file: &PlantFields,
    corrections: &'a [Correction],
) -> (Vec<&'a Correction>, Vec<&'a Correction>) {
    corrections.iter().partition(|c| {
        let given = if c.field == "listed" { Some(listed_text(true)) } else { field_text(file, &c.field) };
        same_value(&c.field, given.as_deref(), c.file_value.as_deref())
    })
}

/// The corrections kept by a release: for a back-fill, which applies them but ends none.
pub(super) fn apply_kept(file: &PlantFields, corrections: &[Correction], day: &str) -> (PlantFields, bool) {
    let (kept, _) = weigh(file, corrections);
    overlay(file, &kept, day)
}

fn holders(field: &str, list: &[Holder], current: &[Ownership]) -> Result<Vec<Ownership>> {
    let mut out: Vec<Ownership> = Vec::new();
    for holder in list {
        let name = holder.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(StoreError::field(field, name, format!("names of 1 to {MAX_NAME_CHARS} characters")));
        }
        if let Some(share) = holder.share
            && !(share.is_finite() && (0.0..=1.0).contains(&share))
        {
            return Err(StoreError::field(field, share.to_string(), "a share from 0 to 1 (0.49 for 49 %)"));
        }
        if out.iter().any(|o| o.name == name) {
            return Err(StoreError::field(field, name, "each holder once"));
        }
        // A holder already listed keeps the source's entity id.
        let entity_id = current.iter().find(|o| o.name == name).and_then(|o| o.entity_id.clone());
        out.push(Ownership { name: name.to_owned(), entity_id, share: holder.share });
    }
    if let Some(problem) = cells::share_problem(&out) {
        return Err(StoreError::field(field, problem, cells::EXPECTED_SHARES));
    }
    Ok(out)
}

/// Applies a patch to a plant's fields, checking each value with the importer's own limits
/// (capacity up to `decarb_data::limits::MAX_CAPACITY_TPA`, dates as the importer reads them,
/// coordinates in range, holders' shares as `cells::share_problem` allows).
fn apply_patch(fields: &mut PlantFields, patch: &PlantPatch) -> Result<()> {
    if let Some(name) = &patch.name {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(StoreError::field(
                "name",
                name,
                format!("a name of 1 to {MAX_NAME_CHARS} characters"),
            ));
        }
        name.clone_into(&mut fields.name);
    }
    if let Some(status) = &patch.status {
        let parsed: PlantStatus = status
            .parse()
            .map_err(|err: decarb_model::ParseError| StoreError::field("status", status, err.expected))?;
        parsed.as_str().clone_into(&mut fields.status);
    }
    if let Some(route) = &patch.route {
        let parsed: Route = route
            .parse()
            .map_err(|err: decarb_model::ParseError| StoreError::field("route", route, err.expected))?;
        parsed.as_str().clone_into(&mut fields.route);
    }
    if let Some(capacity) = patch.capacity_tpa {
        let max = decarb_data::limits::MAX_CAPACITY_TPA;
        if !(capacity.is_finite() && (0.0..=max).contains(&capacity)) {
            return Err(StoreError::field(
                "capacity_tpa",
                capacity.to_string(),
                format!("tonnes per year from 0 to {max:e} (the importer's limit)"),
            ));
        }
        "value".clone_into(&mut fields.capacity_kind);
        fields.capacity_tpa = Some(capacity);
    }
    if let Some(start) = &patch.start {
        fields.start_date = match cells::date(cells::Cell::Text(start)) {
            Ok(cells::DateCell::Date(date)) => Some(date.to_string()),
            Ok(cells::DateCell::Unknown | cells::DateCell::Blank) => None,
            Err(expected) => return Err(StoreError::field("start", start, expected)),
        };
    }
    let current = |json: &str| serde_json::from_str::<Vec<Ownership>>(json).unwrap_or_default();
    for (field, list, stored) in
        [("owners", &patch.owners, &mut fields.owners), ("parents", &patch.parents, &mut fields.parents)]
    {
        if let Some(list) = list {
            let holders = holders(field, list, &current(stored))?;
            *stored = serde_json::to_string(&holders)
                .map_err(|e| StoreError::field(field, e.to_string(), "holders decarb can store"))?;
        }
    }
    if let Some([lat, lon]) = patch.coordinates {
        let (lat, lon) =
            cells::lat_lon(lat, lon).filter(|(a, b)| a.is_finite() && b.is_finite()).ok_or_else(|| {
                StoreError::field(
                    "coordinates",
                    format!("[{lat}, {lon}]"),
                    "[latitude in -90..=90, longitude in -180..=180]",
                )
            })?;
        fields.latitude = Some(lat);
        fields.longitude = Some(lon);
    }
    Ok(())
}

/// A plant's state as a correction or an import rewrites it.
struct State {
    id: i64,
    valid_from: String,
    valid_to: Option<String>,
    source_id: String,
    listed: bool,
    fields: PlantFields,
}

fn state_row(row: &AnyRow) -> Result<State, sqlx::Error> {
    Ok(State {
        id: row.try_get(0)?,
        valid_from: row.try_get(1)?,
        valid_to: row.try_get(2)?,
        source_id: row.try_get(3)?,
        listed: row.try_get::<i64, _>(4)? == 1,
        fields: PlantFields::from_row(row, 5)?,
    })
}

/// The plant's states in force on `day` or after it, by date.
async fn states_from(tx: &mut Transaction<'static, Any>, plant_id: i64, day: &str) -> Result<Vec<State>> {
    sqlx::query(
        "SELECT s.id, s.valid_from, s.valid_to, s.source_id, s.listed, s.name, s.sector, s.country, s.country_text, \
         s.subnational, s.latitude, s.longitude, s.status, s.route, s.capacity_kind, s.capacity_tpa, s.start_date, \
         s.last_investment, s.owners, s.parents FROM plant_state s \
         WHERE s.plant_id = $1 AND (s.valid_to IS NULL OR s.valid_to > $2) ORDER BY s.valid_from",
    )
    .bind(plant_id)
    .bind(day)
    .fetch_all(&mut **tx)
    .await
    .map_err(StoreError::Database)?
    .iter()
    .map(|row| state_row(row).map_err(StoreError::Database))
    .collect()
}

async fn update_in_place(
    tx: &mut Transaction<'static, Any>,
    state_id: i64,
    source_id: &str,
    listed: bool,
    fields: &PlantFields,
    at: &(dyn Fn() -> String + Sync),
) -> Result<()> {
    let query = sqlx::query(STATE_UPDATE_IN_PLACE).persistent(false).bind(state_id).bind(source_id);
    bind_fields(query, listed, fields).execute(&mut **tx).await.map_err(|err| StoreError::at(err, at))?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn insert(
    tx: &mut Transaction<'static, Any>,
    plant_id: i64,
    valid_from: &str,
    valid_to: Option<&str>,
    source_id: &str,
    listed: bool,
    fields: &PlantFields,
    at: &(dyn Fn() -> String + Sync),
) -> Result<()> {
    let query = sqlx::query(STATE_INSERT).persistent(false).bind(plant_id).bind(valid_from).bind(source_id);
    bind_fields(query, listed, fields)
        .bind(valid_to)
        .execute(&mut **tx)
        .await
        .map_err(|err| StoreError::at(err, at))?;
    Ok(())
}

async fn end_state(
    tx: &mut Transaction<'static, Any>,
    state_id: i64,
    day: &str,
    at: &(dyn Fn() -> String + Sync),
) -> Result<()> {
    sqlx::query("UPDATE plant_state SET valid_to = $1 WHERE id = $2")
        .bind(day)
        .bind(state_id)
        .execute(&mut **tx)
        .await
        .map_err(|err| StoreError::at(err, at))?;
    Ok(())
}

/// Marks corrections a release ended, naming the import.
async fn end_corrections(
    tx: &mut Transaction<'static, Any>,
    ctx: &ImportContext<'_>,
    ended: &[&Correction],
) -> Result<()> {
    let release = ctx.release;
    for c in ended {
        sqlx::query("UPDATE plant_correction SET ended_at = $1, ended_by = $2 WHERE id = $3")
            .bind(ctx.recorded_at)
            .bind(format!("the import of {} ({}, as of {})", release.file, release.source.id, release.as_of))
            .bind(c.id)
            .execute(&mut **tx)
            .await
            .map_err(StoreError::Database)?;
    }
    Ok(())
}

/// (field, old, new) of every field that differs, `listed` last.
type Diffs = Vec<(&'static str, Option<String>, Option<String>)>;

fn differences(old: &PlantFields, old_listed: bool, new: &PlantFields, new_listed: bool) -> Diffs {
    let mut diffs = old.differences(new);
    if old_listed != new_listed {
        diffs.push(("listed", Some(listed_text(old_listed)), Some(listed_text(new_listed))));
    }
    diffs
}

impl Store {
    /// Corrects the plant `plant_id` (store key `key`) with `patch`, or retires it (`None`:
    /// unlisted), inside a write; returns how many fields changed. The version check and bump
    /// are the caller's ([`crate::edits`]) but for the bump, done here with the same
    /// compare-and-set.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn correct_plant_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        recorded_at: &str,
        plant_id: i64,
        key: &str,
        patch: Option<&PlantPatch>,
        meta: &WriteMeta,
        version: i64,
        provenance: &Provenance<'_>,
    ) -> Result<usize> {
        let day = meta.valid_from.clone().unwrap_or_else(crate::db::today);
        let at = || format!("plant {key}");
        let states = states_from(tx, plant_id, &day).await?;
        let Some(current) = states.last() else {
            return Err(StoreError::NotFound { kind: "plant", key: key.to_owned() });
        };
        if day < current.valid_from {
            return Err(StoreError::field(
                "valid_from",
                &day,
                format!("a date not before {}, the date of the plant's current state", current.valid_from),
            ));
        }
        let mut fields = current.fields.clone();
        let listed = match patch {
            Some(patch) => {
                apply_patch(&mut fields, patch)?;
                current.listed
            }
            None => false,
        };
        let diffs = differences(&current.fields, current.listed, &fields, listed);
        if diffs.is_empty() {
            return Ok(0);
        }
        if day == current.valid_from {
            update_in_place(tx, current.id, &current.source_id, listed, &fields, &at).await?;
        } else {
            end_state(tx, current.id, &day, &at).await?;
            insert(tx, plant_id, &day, None, &current.source_id, listed, &fields, &at).await?;
        }
        if diffs.iter().any(|(field, _, _)| matches!(*field, "owners" | "parents")) {
            let owners: Vec<Ownership> = serde_json::from_str(&fields.owners).unwrap_or_default();
            let parents: Vec<Ownership> = serde_json::from_str(&fields.parents).unwrap_or_default();
            super::write_holders(tx, &mut HashMap::new(), plant_id, &owners, &parents, &at).await?;
        }
        for (field, old, new) in &diffs {
            self.record_correction(
                tx,
                recorded_at,
                plant_id,
                field,
                old.as_deref(),
                new.as_deref(),
                &day,
                provenance,
            )
            .await?;
            self.log_with(
                tx,
                recorded_at,
                LogEntry {
                    entity: EntityKind::Plant,
                    key,
                    label: &fields.name,
                    field,
                    old_value: old.as_deref(),
                    new_value: new.as_deref(),
                    valid_from: &day,
                    import_id: None,
                    note: Some("correction"),
                },
                provenance,
            )
            .await?;
        }
        let bumped = sqlx::query("UPDATE plant SET version = version + 1 WHERE id = $1 AND version = $2")
            .bind(plant_id)
            .bind(version)
            .execute(&mut **tx)
            .await
            .map_err(StoreError::Database)?
            .rows_affected();
        if bumped != 1 {
            return Err(StoreError::Conflict(format!("plant {key:?}")));
        }
        Ok(diffs.len())
    }

    /// Keeps the correction of one field: the value the file gave is carried from a correction
    /// of the same field still in force (which this one ends), else it is the value corrected. A
    /// correction back to the file's own value only ends the one in force.
    #[allow(clippy::too_many_arguments)]
    async fn record_correction(
        &self,
        tx: &mut Transaction<'static, Any>,
        recorded_at: &str,
        plant_id: i64,
        field: &str,
        old: Option<&str>,
        new: Option<&str>,
        day: &str,
        provenance: &Provenance<'_>,
    ) -> Result<()> {
        let by = provenance.recorded_by.unwrap_or(self.actor.as_str());
        let previous = sqlx::query(
            "SELECT id, file_value FROM plant_correction WHERE plant_id = $1 AND field = $2 AND ended_at IS NULL",
        )
        .bind(plant_id)
        .bind(field)
        .fetch_optional(&mut **tx)
        .await
        .map_err(StoreError::Database)?;
        let file_value: Option<String> = match &previous {
            Some(row) => {
                let id: i64 = row.try_get(0).map_err(StoreError::Database)?;
                sqlx::query("UPDATE plant_correction SET ended_at = $1, ended_by = $2 WHERE id = $3")
                    .bind(recorded_at)
                    .bind(format!("a later correction by {by}"))
                    .bind(id)
                    .execute(&mut **tx)
                    .await
                    .map_err(StoreError::Database)?;
                row.try_get(1).map_err(StoreError::Database)?
            }
            None => old.map(str::to_owned),
        };
        if same_value(field, new, file_value.as_deref()) {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO plant_correction (plant_id, field, value, file_value, valid_from, recorded_at, recorded_by, reason, \
             source_url, approved_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(plant_id)
        .bind(field)
        .bind(new)
        .bind(file_value.as_deref())
        .bind(day)
        .bind(recorded_at)
        .bind(by)
        .bind(provenance.reason.unwrap_or("correction"))
        .bind(provenance.source_url)
        .bind(provenance.approved_by)
        .execute(&mut **tx)
        .await
        .map_err(|err| StoreError::at(err, || format!("correction of {field} of plant {plant_id}")))?;
        Ok(())
    }

    /// Writes what a release says of a plant that has corrections in force, or states dated
    /// after the release (a correction's): the rule in the module documentation. `file` is the
    /// release's record (`None`: the release does not list the plant). Returns whether anything
    /// was written, and whether the plant is listed once written.
    pub(super) async fn write_corrected(
        &self,
        tx: &mut Transaction<'static, Any>,
        ctx: &ImportContext<'_>,
        existing: &Current,
        file: Option<&PlantFields>,
        corrections: &[Correction],
        match_note: Option<&str>,
    ) -> Result<(bool, bool)> {
        let release = ctx.release;
        let date = release.as_of.as_str();
        let entity_key = format!("{}/{}", ctx.family, existing.key);
        let at = || format!("{}: plant {entity_key}", release.file);
        let states = states_from(tx, existing.plant_id, date).await?;
        let (kept, ended) = match file {
            Some(file) => weigh(file, corrections),
            None => (corrections.iter().collect(), Vec::new()),
        };
        // What the release makes of a state beginning on `day` whose fields were `before`.
        let target = |day: &str, before: &PlantFields| match file {
            Some(file) => overlay(file, &kept, day),
            None => (before.clone(), false),
        };
        let base = match &release.source.id {
            id if file.is_some() => {
                format!("{}{}", id, match_note.map_or(String::new(), |n| format!("; {n}")))
            }
            id => format!("absent from {id}"),
        };
        let note_for = |field: &str, day: &str| -> String {
            match ended.iter().find(|c| c.field == field && c.valid_from.as_str() <= day) {
                Some(c) => format!(
                    "{base}: the release gives another value than the one corrected on {} by {}, so the correction ends",
                    c.valid_from, c.recorded_by
                ),
                None => base.clone(),
            }
        };
        let mut wrote = false;
        let mut later: &[State] = &states;
        if let Some(first) = states.first() {
            let (fields, listed) = target(date, &first.fields);
            if first.valid_from.as_str() <= date {
                later = &states[1..];
                let diffs = differences(&first.fields, first.listed, &fields, listed);
                if !diffs.is_empty() {
                    wrote = true;
                    if first.valid_from == date {
                        update_in_place(tx, first.id, &release.source.id, listed, &fields, &at).await?;
                    } else {
                        end_state(tx, first.id, date, &at).await?;
                        insert(
                            tx,
                            existing.plant_id,
                            date,
                            first.valid_to.as_deref(),
                            &release.source.id,
                            listed,
                            &fields,
                            &at,
                        )
                        .await?;
                    }
                    self.log_release(tx, ctx, &entity_key, &fields.name, &diffs, date, &note_for).await?;
                }
            } else if file.is_some() {
                // Known only from later (corrected) states: the release's state runs until them.
                wrote = true;
                insert(
                    tx,
                    existing.plant_id,
                    date,
                    Some(&first.valid_from),
                    &release.source.id,
                    listed,
                    &fields,
                    &at,
                )
                .await?;
            }
        }
        for state in later {
            let (fields, listed) = target(&state.valid_from, &state.fields);
            let diffs = differences(&state.fields, state.listed, &fields, listed);
            if diffs.is_empty() {
                continue;
            }
            wrote = true;
            let source = if file.is_some() { release.source.id.as_str() } else { state.source_id.as_str() };
            update_in_place(tx, state.id, source, listed, &fields, &at).await?;
            // The release's changes were logged on its date; from a correction's day on, only
            // the end of that correction is news.
            let ending: Diffs = diffs
                .into_iter()
                .filter(|(field, _, _)| {
                    ended.iter().any(|c| c.field == *field && c.valid_from == state.valid_from)
                })
                .collect();
            self.log_release(tx, ctx, &entity_key, &fields.name, &ending, &state.valid_from, &note_for)
                .await?;
        }
        end_corrections(tx, ctx, &ended).await?;
        // Listed in the latest state, once written.
        let listed_now = match file {
            Some(file) => {
                let latest = states.last().map_or(date, |s| s.valid_from.as_str().max(date));
                overlay(file, &kept, latest).1
            }
            None => false,
        };
        Ok((wrote, listed_now))
    }

    #[allow(clippy::too_many_arguments)]
    async fn log_release(
        &self,
        tx: &mut Transaction<'static, Any>,
        ctx: &ImportContext<'_>,
        key: &str,
        label: &str,
        diffs: &Diffs,
        day: &str,
        note_for: &(dyn Fn(&str, &str) -> String + Sync),
    ) -> Result<()> {
        for (field, old, new) in diffs {
            let note = note_for(field, day);
            self.log(
                tx,
                ctx.recorded_at,
                LogEntry {
                    entity: EntityKind::Plant,
                    key,
                    label,
                    field,
                    old_value: old.as_deref(),
                    new_value: new.as_deref(),
                    valid_from: day,
                    import_id: Some(ctx.import_id),
                    note: Some(&note),
                },
            )
            .await?;
        }
        Ok(())
    }

    /// Every correction of a plant (in force or ended), by date; with `as_of`, those made from
    /// that day or before.
    pub(super) async fn corrections_of(
        &self,
        plant_id: i64,
        as_of: Option<&str>,
    ) -> Result<Vec<CorrectionRow>> {
        let rows = sqlx::query(concat!(
            "SELECT field, value, file_value, valid_from, recorded_at, recorded_by, reason, source_url, approved_by, \
             ended_at, ended_by FROM plant_correction WHERE plant_id = $1 AND ",
            as_of_begun!("$2", "valid_from"),
            " ORDER BY valid_from, id"
        ))
        .bind(plant_id)
        .bind(as_of)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::Database)?;
        rows.iter()
            .map(|row| {
                let ended_at: Option<String> = row.try_get(9)?;
                Ok(CorrectionRow {
                    field: row.try_get(0)?,
                    value: row.try_get(1)?,
                    file_value: row.try_get(2)?,
                    valid_from: row.try_get(3)?,
                    recorded_at: row.try_get(4)?,
                    recorded_by: row.try_get(5)?,
                    reason: row.try_get(6)?,
                    source_url: row.try_get(7)?,
                    approved_by: row.try_get(8)?,
                    in_force: ended_at.is_none(),
                    ended_at,
                    ended_by: row.try_get(10)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::Database)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_compare_as_the_import_compares_states() {
        assert!(same_value("capacity", Some("4813000"), Some("4813000.000001")));
        assert!(!same_value("capacity", Some("4813000"), Some("4900000")));
        assert!(same_value("capacity", Some("unknown"), Some("unknown")));
        assert!(!same_value("capacity", Some("unknown"), Some("4813000")));
        assert!(same_value(
            "coordinates",
            Some("65.559719, 22.219699"),
            Some("65.559719, 22.21969900000001")
        ));
        assert!(!same_value("coordinates", Some("65.56, 22.22"), None));
        assert!(same_value("start", None, None));
        assert!(!same_value("name", Some("A"), Some("B")));
    }
}
