//! Plants: importing releases of the plant trackers with history, and reading the fleet as it
//! stood on any date.
//!
//! ## Identity and matching (the rule, documented here and in the README of the crate)
//! - A plant belongs to a tracker *family*: `gem-steel` holds GEM's Global Steel Plant Tracker
//!   (GSPT, 2023) and its successor the Global Iron and Steel Tracker (GIST, 2025); `sfi-cement`
//!   the SFI cement database. A plant's store key is the first source id it was known by.
//! - Ids are kept per *scheme*: GSPT ids look like `SMY00015`, GIST plant ids like
//!   `P100000120882`. An id repeated within one release (GSPT 2023 lists SMY00015 twice; SFI has
//!   8 repeated uids) is told apart by its occurrence in file order: the second `SMY00015` is key
//!   `SMY00015#2`.
//! - A newer release is matched, record by record, in this order: (1) same scheme, id and
//!   occurrence; then, only for records of a scheme the plant was never known by (GSPT -> GIST,
//!   whose files carry no crosswalk): (2) the same normalised name in the same country; (3) the
//!   only not-yet-matched plant of that country within 0.005 degrees (about 500 m) in both
//!   latitude and longitude. How each plant was matched is kept in `plant_ref.matched_by`.
//! - A plant of the family that a newer release no longer lists is not declared closed: its
//!   last state is kept, marked `listed = 0` from the new release's date, and the change log
//!   records `listed 1 -> 0` ("removed" in `db diff`). A status of `retired` is only ever what a
//!   source says. Unlisted plants are left out of lists and fleets from that date.
//! - A release older than the newest stored release of its family back-fills history: history
//!   is ordered by release date, not import order (`backfill`: its states cover the dates up to
//!   the plant's next stored state; a plant only the older release lists is unlisted from the
//!   family's next release). Re-importing the same release updates it in place.
//! - An editor's correction of a plant is a dated state too, and a later release keeps it while
//!   it repeats the value corrected ([`corrections`]). Every import that changes a plant bumps
//!   its version (the API's `ETag`), as a correction does.
//! - Each import keeps the plant's GEM.wiki page as the newest release gives it (`gem_wiki`); an
//!   older release only fills a page the store lacks.

use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::history::{EntityKind, LogEntry};
use crate::source::SourceRecord;
use decarb_model::units::TonnesPerYear;
use decarb_model::{CountryCode, Fleet, Ownership, PartialDate, Plant, PlantStatus, Reported, Route, Sector};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use std::collections::{BTreeMap, HashMap};

mod backfill;
pub mod corrections;

/// One release of a plant tracker to import.
#[derive(Debug, Clone)]
pub struct PlantRelease {
    /// The file it was read from, for messages and the import log.
    pub file: String,
    /// The reader that understood it (`gem-gspt-xlsx`, `gist-plant-csv`...).
    pub kind: String,
    pub source: SourceRecord,
    /// The date the release describes; its facts are valid from then.
    pub as_of: String,
}

/// A plant with the row of the file it came from, when known, for error messages.
#[derive(Debug, Clone)]
pub struct PlantRecord {
    pub plant: Plant,
    pub row: Option<usize>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub file: String,
    pub kind: String,
    pub family: String,
    pub as_of: String,
    pub records: usize,
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub relisted: usize,
    pub matched_by_id: usize,
    pub matched_by_name: usize,
    pub matched_by_coordinates: usize,
}

/// The store key of a site from the key of one of its status slices. A tracker that splits a
/// plant by status (GIST map files) is stored as one plant per status: the first under the
/// plant's id, the others under `ID~status` ([`slice_key`]); this gives back `ID` for any of them.
pub fn site_key(key: &str) -> &str {
    key.split_once('~').map_or(key, |(site, _)| site)
}

/// The store key of a site's slice of one status (see [`site_key`]).
pub fn slice_key(site: &str, status: PlantStatus) -> String {
    format!("{site}~{status}")
}

/// The family a plant's `source` belongs to: releases of one family replace each other.
pub fn family_of(source: &str) -> String {
    let lower = source.to_ascii_lowercase();
    if lower.starts_with("gem-gspt") || lower.starts_with("gem-gist") || lower.starts_with("gem-steel") {
        "gem-steel".to_owned()
    } else if lower.starts_with("sfi") {
        "sfi-cement".to_owned()
    } else {
        // Drop a trailing release date (`-2021`, `-2023-03`) so releases share a family.
        let trimmed: Vec<&str> = lower.split('-').collect();
        let keep = trimmed
            .iter()
            .take_while(|part| !part.chars().all(|c| c.is_ascii_digit()) || part.is_empty())
            .count();
        let family = trimmed[..keep.max(1)].join("-");
        if family.is_empty() { lower } else { family }
    }
}

/// The id scheme of a source id within its family: GEM changed id format between GSPT and GIST.
pub fn scheme_of(family: &str, id: &str) -> String {
    if family == "gem-steel" {
        let bytes = id.as_bytes();
        if bytes.len() == 13 && bytes[0] == b'P' && bytes[1..].iter().all(u8::is_ascii_digit) {
            return "gem-gist".to_owned();
        }
        // GSPT: `SSE00001`, and expansion rows `SSE00001-1`.
        if bytes.len() >= 8
            && bytes[0] == b'S'
            && bytes[3..8].iter().all(u8::is_ascii_digit)
            && (bytes.len() == 8 || bytes[8] == b'-')
        {
            return "gem-gspt".to_owned();
        }
    }
    family.to_owned()
}

/// The stored fields of a plant state, in the form they are compared and written.
#[derive(Debug, Clone, PartialEq)]
struct PlantFields {
    name: String,
    sector: String,
    country: Option<String>,
    country_text: String,
    subnational: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    status: String,
    route: String,
    capacity_kind: String,
    capacity_tpa: Option<f64>,
    start_date: Option<String>,
    last_investment: Option<String>,
    owners: String,
    parents: String,
}

impl PlantFields {
    fn from_plant(plant: &Plant) -> PlantFields {
        let (capacity_kind, capacity_tpa) = match plant.capacity {
            Reported::Value(value) => ("value", Some(value.0)),
            Reported::Positive => ("positive", None),
            Reported::Unknown => ("unknown", None),
            Reported::Blank => ("blank", None),
        };
        PlantFields {
            name: plant.name.clone(),
            sector: plant.sector.as_str().to_owned(),
            country: plant.country.map(|code| code.as_str().to_owned()),
            country_text: plant.country_text.clone(),
            subnational: plant.subnational.clone(),
            latitude: plant.coordinates.map(|(lat, _)| lat),
            longitude: plant.coordinates.map(|(_, lon)| lon),
            status: plant.status.as_str().to_owned(),
            route: plant.route.as_str().to_owned(),
            capacity_kind: capacity_kind.to_owned(),
            capacity_tpa,
            start_date: plant.start.map(|date| date.to_string()),
            last_investment: plant.last_investment.map(|date| date.to_string()),
            owners: serde_json::to_string(&plant.owners).unwrap_or_else(|_| "[]".to_owned()),
            parents: serde_json::to_string(&plant.parents).unwrap_or_else(|_| "[]".to_owned()),
        }
    }

    fn capacity_text(&self) -> String {
        match self.capacity_tpa {
            Some(value) => format!("{value}"),
            None => self.capacity_kind.clone(),
        }
    }

    fn coordinates_text(&self) -> Option<String> {
        Some(format!("{}, {}", self.latitude?, self.longitude?))
    }

    /// The fields that differ, as (field, old, new) in a fixed order.
    fn differences(&self, new: &PlantFields) -> Vec<(&'static str, Option<String>, Option<String>)> {
        let mut out = Vec::new();
        let mut text = |field: &'static str, old: Option<String>, new: Option<String>| {
            if old != new {
                out.push((field, old, new));
            }
        };
        text("name", Some(self.name.clone()), Some(new.name.clone()));
        text("sector", Some(self.sector.clone()), Some(new.sector.clone()));
        text(
            "country",
            Some(self.country.clone().unwrap_or_else(|| self.country_text.clone())),
            Some(new.country.clone().unwrap_or_else(|| new.country_text.clone())),
        );
        text("subnational", self.subnational.clone(), new.subnational.clone());
        text("status", Some(self.status.clone()), Some(new.status.clone()));
        text("route", Some(self.route.clone()), Some(new.route.clone()));
        let same_capacity = self.capacity_kind == new.capacity_kind
            && match (self.capacity_tpa, new.capacity_tpa) {
                (Some(a), Some(b)) => (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0),
                (None, None) => true,
                _ => false,
            };
        if !same_capacity {
            out.push(("capacity", Some(self.capacity_text()), Some(new.capacity_text())));
        }
        let mut text = |field: &'static str, old: Option<String>, new: Option<String>| {
            if old != new {
                out.push((field, old, new));
            }
        };
        text("start", self.start_date.clone(), new.start_date.clone());
        text("last_investment", self.last_investment.clone(), new.last_investment.clone());
        text("owners", Some(self.owners.clone()), Some(new.owners.clone()));
        text("parents", Some(self.parents.clone()), Some(new.parents.clone()));
        let same_place = match (self.latitude.zip(self.longitude), new.latitude.zip(new.longitude)) {
            (Some((a, b)), Some((c, d))) => (a - c).abs() < 1e-7 && (b - d).abs() < 1e-7,
            (None, None) => true,
            _ => false,
        };
        if !same_place {
            out.push(("coordinates", self.coordinates_text(), new.coordinates_text()));
        }
        out
    }

    fn from_row(row: &AnyRow, first: usize) -> Result<PlantFields, sqlx::Error> {
        Ok(PlantFields {
            name: row.try_get(first)?,
            sector: row.try_get(first + 1)?,
            country: row.try_get(first + 2)?,
            country_text: row.try_get(first + 3)?,
            subnational: row.try_get(first + 4)?,
            latitude: row.try_get(first + 5)?,
            longitude: row.try_get(first + 6)?,
            status: row.try_get(first + 7)?,
            route: row.try_get(first + 8)?,
            capacity_kind: row.try_get(first + 9)?,
            capacity_tpa: row.try_get(first + 10)?,
            start_date: row.try_get(first + 11)?,
            last_investment: row.try_get(first + 12)?,
            owners: row.try_get(first + 13)?,
            parents: row.try_get(first + 14)?,
        })
    }

    /// The plant as the engine reads it; `key` is the store key (`P100000120882~announced` for
    /// a status slice, whose id is then the bare plant id).
    fn to_plant(&self, key: &str, source: &str, status_slice: bool, wiki_url: Option<String>) -> Plant {
        let parse_date = |text: &Option<String>| text.as_deref().and_then(|t| t.parse::<PartialDate>().ok());
        let owners: Vec<Ownership> = serde_json::from_str(&self.owners).unwrap_or_default();
        let parents: Vec<Ownership> = serde_json::from_str(&self.parents).unwrap_or_default();
        let capacity = match (self.capacity_kind.as_str(), self.capacity_tpa) {
            ("value", Some(value)) => Reported::Value(TonnesPerYear(value)),
            ("positive", _) => Reported::Positive,
            ("unknown", _) => Reported::Unknown,
            _ => Reported::Blank,
        };
        Plant {
            id: site_key(key).to_owned(),
            source: source.to_owned(),
            name: self.name.clone(),
            sector: self.sector.parse().unwrap_or(Sector::Steel),
            country: self.country.as_deref().and_then(CountryCode::resolve),
            country_text: self.country_text.clone(),
            subnational: self.subnational.clone(),
            coordinates: self.latitude.zip(self.longitude),
            status: self.status.parse().unwrap_or(PlantStatus::Operating),
            route: self.route.parse().unwrap_or(Route::Unknown),
            capacity,
            start: parse_date(&self.start_date),
            last_investment: parse_date(&self.last_investment),
            owners,
            parents,
            status_slice,
            process: None,
            wiki_url,
        }
    }
}

/// The current state of a stored plant, as loaded for matching.
struct Current {
    plant_id: i64,
    key: String,
    state_id: i64,
    valid_from: String,
    listed: bool,
    fields: PlantFields,
    schemes: Vec<String>,
    /// The plant's GEM.wiki page as stored.
    wiki: Option<String>,
}

/// A state from `$2` until `$20` (NULL: still), for imports in date order and back-fills alike.
const STATE_INSERT: &str = "INSERT INTO plant_state (plant_id, valid_from, valid_to, source_id, listed, name, sector, \
     country, country_text, subnational, latitude, longitude, status, route, capacity_kind, capacity_tpa, start_date, \
     last_investment, owners, parents) VALUES ($1, $2, $20, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
     $16, $17, $18, $19)";

const STATE_UPDATE_IN_PLACE: &str = "UPDATE plant_state SET source_id = $2, listed = $3, name = $4, sector = $5, country = $6, \
     country_text = $7, subnational = $8, latitude = $9, longitude = $10, status = $11, route = $12, capacity_kind = $13, \
     capacity_tpa = $14, start_date = $15, last_investment = $16, owners = $17, parents = $18 WHERE id = $1";

/// Normalised plant name for matching across id schemes: lower case, letters and digits only.
fn match_name(name: &str) -> String {
    // "Ya'an" and "Yaan", "Iron & Steel" and "Iron and Steel" are one name across releases.
    let name = name.replace(['\'', '’'], "").replace('&', " and ");
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Degrees of latitude and longitude within which two records of one country are taken for the
/// same site when names and ids do not match.
const SAME_SITE_DEGREES: f64 = 0.005;

/// A filter for plant lists; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct PlantFilter {
    pub sector: Option<Sector>,
    pub country: Option<CountryCode>,
    pub status: Option<PlantStatus>,
    pub route: Option<Route>,
    pub family: Option<String>,
    /// The date the list describes (`YYYY-MM-DD`); `None` is the latest.
    pub as_of: Option<String>,
}

/// One plant as a list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlantRow {
    pub family: String,
    pub key: String,
    pub name: String,
    pub sector: String,
    pub country: Option<String>,
    pub country_text: String,
    pub status: String,
    pub route: String,
    pub capacity_kind: String,
    pub capacity_tpa: Option<f64>,
    pub start: Option<String>,
    pub source: String,
    pub valid_from: String,
}

/// Everything known about one plant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlantDetail {
    pub row: PlantRow,
    pub listed: bool,
    /// Every source id the plant was known by: (scheme, id, occurrence, how it was matched).
    pub ids: Vec<(String, String, i64, String)>,
    pub subnational: Option<String>,
    pub coordinates: Option<(f64, f64)>,
    pub owners: Vec<Ownership>,
    pub parents: Vec<Ownership>,
    pub units: Vec<UnitRow>,
    /// The record's version (the API's `ETag`): bumped by every correction and by every import
    /// that changes the plant.
    pub version: i64,
    /// The plant's page on GEM.wiki (an http or https address), as the newest release gave it.
    pub gem_wiki: Option<String>,
    /// Editors' corrections of the plant, in force or ended, by date.
    pub corrections: Vec<corrections::CorrectionRow>,
}

/// A furnace unit of a plant (GIST unit file).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitRow {
    pub key: String,
    pub kind: String,
    pub name: String,
    pub status: String,
    pub capacity_tpa: Option<f64>,
    pub last_relining: Option<String>,
}

/// One furnace unit to store, attached to its plant by the plant's source id.
#[derive(Debug, Clone)]
pub struct UnitRecord {
    pub unit_id: String,
    pub plant_id: String,
    pub kind: String,
    pub name: String,
    pub status: String,
    pub capacity_tpa: Option<f64>,
    pub last_relining: Option<String>,
    pub row: Option<usize>,
}

/// Capacity of one country and route, summed over plants (`capacity by country and route`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapacityRow {
    pub country: Option<String>,
    pub route: String,
    pub plants: i64,
    pub capacity_tpa: f64,
}

fn at_record(release: &PlantRelease, index: usize, record: &PlantRecord) -> String {
    let place = record.row.map_or_else(|| format!("record {}", index + 1), |row| format!("row {row}"));
    format!("{}, {place} (plant {} {:?})", release.file, record.plant.id, record.plant.name)
}

impl Store {
    /// Imports one release of a plant tracker inside `tx`, matching records to stored plants and
    /// logging every difference. See the module documentation for the matching rule.
    pub(crate) async fn import_plants_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        recorded_at: &str,
        release: &PlantRelease,
        records: &[PlantRecord],
    ) -> Result<ImportSummary> {
        let Some(first) = records.first() else {
            return Err(StoreError::invalid("plant file", &release.file, "at least one plant"));
        };
        let family = family_of(&first.plant.source);
        for (index, record) in records.iter().enumerate() {
            if family_of(&record.plant.source) != family {
                return Err(StoreError::invalid(
                    at_record(release, index, record),
                    &record.plant.source,
                    format!("plants of one tracker family per file ({family})"),
                ));
            }
        }
        Self::ensure_source(tx, &release.source).await?;
        let latest = self.lock_family(tx, &family, &release.as_of).await?;
        // A release older than the newest stored one back-fills history (`backfill`).
        let older = latest.is_some_and(|latest| latest.as_str() > release.as_of.as_str());
        let import_id: i64 = sqlx::query(
            "INSERT INTO import_run (file, kind, family, source_id, as_of, recorded_at, recorded_by, records) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(release.file.as_str())
        .bind(release.kind.as_str())
        .bind(family.as_str())
        .bind(release.source.id.as_str())
        .bind(release.as_of.as_str())
        .bind(recorded_at)
        .bind(self.actor.as_str())
        .bind(i64::try_from(records.len()).unwrap_or(i64::MAX))
        .fetch_one(&mut **tx)
        .await
        .map_err(|err| StoreError::at(err, || release.file.clone()))?
        .try_get(0)
        .map_err(StoreError::Database)?;

        let ctx = ImportContext { recorded_at, release, family: &family, import_id };
        let summary = if older {
            self.backfill_plants_tx(tx, &ctx, records).await?
        } else {
            self.import_forward_tx(tx, &ctx, records).await?
        };
        // Every plant the release changed gets a new version, so an editor's write made against
        // what it was before is stale (412), as after another editor's write.
        sqlx::query(
            "UPDATE plant SET version = version + 1 WHERE family = $1 AND (family || '/' || plant_key) IN \
             (SELECT entity_key FROM change_log WHERE import_id = $2 AND entity = 'plant' AND field <> 'created')",
        )
        .bind(family.as_str())
        .bind(import_id)
        .execute(&mut **tx)
        .await
        .map_err(StoreError::Database)?;
        Ok(summary)
    }

    /// Imports a release dated on or after the family's newest stored one.
    async fn import_forward_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        ctx: &ImportContext<'_>,
        records: &[PlantRecord],
    ) -> Result<ImportSummary> {
        let (release, family) = (ctx.release, ctx.family);
        let mut current = load_current(tx, family).await?;
        let ref_index = load_refs(tx, family, &mut current).await?;
        let fixes = corrections::in_force(tx, family).await?;

        // Scheme and occurrence of every incoming record, in file order.
        let (external_ids, incoming) = incoming_ids(family, records);

        let mut summary = ImportSummary::starting(release, family, records.len());
        let (matched, taken) =
            match_records(records, &incoming, &external_ids, &current, &ref_index, &mut summary);

        let mut companies: HashMap<String, i64> = HashMap::new();
        for (i, record) in records.iter().enumerate() {
            let item = Incoming::nth(record, i, &external_ids, &incoming);
            if let Some((c, how)) = matched[i] {
                let existing = &current[c];
                let plant_fixes = fixes.get(&existing.plant_id).map_or(&[][..], Vec::as_slice);
                // A plant with corrections in force, or with a state dated after this release
                // (a correction's), goes through the corrections' rule.
                if plant_fixes.is_empty() && existing.valid_from.as_str() <= release.as_of.as_str() {
                    self.write_matched(tx, ctx, &item, existing, how, &mut companies, &mut summary).await?;
                } else {
                    self.write_matched_corrected(
                        tx,
                        ctx,
                        &item,
                        existing,
                        how,
                        plant_fixes,
                        &mut companies,
                        &mut summary,
                    )
                    .await?;
                }
            } else {
                self.write_new(tx, ctx, &item, &mut companies).await?;
                summary.added += 1;
            }
        }
        summary.removed = self.unlist_absent(tx, ctx, &current, &taken).await?;
        Ok(summary)
    }

    /// Takes the family's row lock (PostgreSQL) and returns the newest release date stored.
    async fn lock_family(
        &self,
        tx: &mut Transaction<'static, Any>,
        family: &str,
        as_of: &str,
    ) -> Result<Option<String>> {
        let inserted = sqlx::query("INSERT INTO dataset_family (family, latest_as_of) VALUES ($1, $2) ON CONFLICT (family) DO NOTHING")
            .bind(family)
            .bind(as_of)
            .execute(&mut **tx)
            .await
            .map_err(StoreError::Database)?
            .rows_affected();
        if inserted == 1 {
            return Ok(None);
        }
        // An UPDATE locks the row in PostgreSQL until commit: a second import of the family waits.
        let previous: String = sqlx::query(
            "UPDATE dataset_family SET latest_as_of = CASE WHEN latest_as_of > $2 THEN latest_as_of ELSE $2 END \
             WHERE family = $1 RETURNING latest_as_of",
        )
        .bind(family)
        .bind(as_of)
        .fetch_one(&mut **tx)
        .await
        .map_err(StoreError::Database)?
        .try_get(0)
        .map_err(StoreError::Database)?;
        // `previous` is the greater of the two; when it is later than this release, refuse.
        Ok(Some(previous))
    }

    /// Stores the furnace units of a unit file, attached to plants by their source id (which
    /// must already be stored: import the plant file first, in the same or an earlier run). A
    /// unit already stored from a newer unit file keeps the newer values (units are one row each,
    /// not dated states).
    pub(crate) async fn import_units_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        family: &str,
        release: &PlantRelease,
        units: &[UnitRecord],
    ) -> Result<usize> {
        Self::ensure_source(tx, &release.source).await?;
        let mut plant_ids: HashMap<String, Option<i64>> = HashMap::new();
        let mut stored = 0;
        for (index, unit) in units.iter().enumerate() {
            let at = || {
                let place =
                    unit.row.map_or_else(|| format!("record {}", index + 1), |row| format!("row {row}"));
                format!("{}, {place} (unit {})", release.file, unit.unit_id)
            };
            if !plant_ids.contains_key(&unit.plant_id) {
                let found: Option<i64> = sqlx::query(
                    "SELECT r.plant_id FROM plant_ref r JOIN plant p ON p.id = r.plant_id \
                     WHERE p.family = $1 AND r.external_id = $2 ORDER BY r.occurrence LIMIT 1",
                )
                .bind(family)
                .bind(unit.plant_id.as_str())
                .fetch_optional(&mut **tx)
                .await
                .map_err(StoreError::Database)?
                .map(|row| row.try_get(0))
                .transpose()
                .map_err(StoreError::Database)?;
                plant_ids.insert(unit.plant_id.clone(), found);
            }
            let Some(Some(plant_id)) = plant_ids.get(&unit.plant_id).copied() else {
                return Err(StoreError::invalid(
                    at(),
                    &unit.plant_id,
                    "the id of a plant already in the store (import the GIST plant file first)",
                ));
            };
            sqlx::query(
                "INSERT INTO plant_unit (plant_id, unit_key, valid_from, source_id, kind, name, status, capacity_tpa, last_relining) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (unit_key) DO UPDATE SET plant_id = $1, \
                 valid_from = $3, source_id = $4, kind = $5, name = $6, status = $7, capacity_tpa = $8, last_relining = $9 \
                 WHERE plant_unit.valid_from <= $3",
            )
            .persistent(false)
            .bind(plant_id)
            .bind(unit.unit_id.as_str())
            .bind(release.as_of.as_str())
            .bind(release.source.id.as_str())
            .bind(unit.kind.as_str())
            .bind(unit.name.as_str())
            .bind(unit.status.as_str())
            .bind(unit.capacity_tpa)
            .bind(unit.last_relining.as_deref())
            .execute(&mut **tx)
            .await
            .map_err(|err| StoreError::at(err, at))?;
            stored += 1;
        }
        Ok(stored)
    }

    /// Plants as the tracker listed them on `filter.as_of` (latest when `None`), ordered by
    /// family and key.
    pub async fn plants(&self, filter: &PlantFilter) -> Result<Vec<PlantRow>> {
        let rows = sqlx::query(concat!(
            "SELECT p.family, p.plant_key, s.name, s.sector, s.country, s.country_text, s.status, s.route, s.capacity_kind, \
             s.capacity_tpa, s.start_date, s.source_id, s.valid_from FROM plant p JOIN plant_state s ON s.plant_id = p.id WHERE ",
            as_of_held!("$1", "s.valid_from", "s.valid_to"),
            " AND s.listed = 1 AND (CAST($2 AS TEXT) IS NULL OR s.sector = $2) AND (CAST($3 AS TEXT) IS NULL OR s.country = $3) \
             AND (CAST($4 AS TEXT) IS NULL OR s.status = $4) AND (CAST($5 AS TEXT) IS NULL OR s.route = $5) \
             AND (CAST($6 AS TEXT) IS NULL OR p.family = $6) ORDER BY p.family, p.plant_key"
        ))
        .bind(filter.as_of.as_deref())
        .bind(filter.sector.map(Sector::as_str))
        .bind(filter.country.map(CountryCode::as_str))
        .bind(filter.status.map(PlantStatus::as_str))
        .bind(filter.route.map(Route::as_str))
        .bind(filter.family.as_deref())
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::Database)?;
        rows.iter().map(|row| plant_row(row).map_err(StoreError::Database)).collect()
    }

    /// One plant as of a date, with its ids, owners and units.
    pub async fn plant(&self, id: &str, as_of: Option<&str>) -> Result<PlantDetail> {
        let entity_key = self.resolve_plant_key(id).await?;
        let (family, key) = entity_key.split_once('/').unwrap_or(("", entity_key.as_str()));
        let row = sqlx::query(concat!(
            "SELECT p.family, p.plant_key, s.name, s.sector, s.country, s.country_text, s.status, s.route, s.capacity_kind, \
             s.capacity_tpa, s.start_date, s.source_id, s.valid_from, s.listed, s.subnational, s.latitude, s.longitude, \
             s.owners, s.parents, p.id, p.version, p.gem_wiki FROM plant p JOIN plant_state s ON s.plant_id = p.id \
             WHERE p.family = $1 AND p.plant_key = $2 AND ",
            as_of_held!("$3", "s.valid_from", "s.valid_to")
        ))
        .bind(family)
        .bind(key)
        .bind(as_of)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::Database)?
        .ok_or_else(|| StoreError::NotFound { kind: "plant", key: as_of.map_or_else(|| id.to_owned(), |d| format!("{id} as of {d}")) })?;
        let detail = (|| -> Result<PlantDetail, sqlx::Error> {
            let owners: String = row.try_get(17)?;
            let parents: String = row.try_get(18)?;
            Ok(PlantDetail {
                row: plant_row(&row)?,
                listed: row.try_get::<i64, _>(13)? == 1,
                ids: Vec::new(),
                subnational: row.try_get(14)?,
                coordinates: row.try_get::<Option<f64>, _>(15)?.zip(row.try_get::<Option<f64>, _>(16)?),
                owners: serde_json::from_str(&owners).unwrap_or_default(),
                parents: serde_json::from_str(&parents).unwrap_or_default(),
                units: Vec::new(),
                version: row.try_get(20)?,
                gem_wiki: row.try_get(21)?,
                corrections: Vec::new(),
            })
        })()
        .map_err(StoreError::Database)?;
        let plant_id: i64 = row.try_get(19).map_err(StoreError::Database)?;
        let mut detail = detail;
        detail.corrections = self.corrections_of(plant_id, as_of).await?;
        let refs = sqlx::query(
            "SELECT scheme, external_id, occurrence, matched_by FROM plant_ref WHERE plant_id = $1 ORDER BY scheme, external_id, occurrence",
        )
        .bind(plant_id)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::Database)?;
        for r in &refs {
            detail.ids.push((
                r.try_get(0).map_err(StoreError::Database)?,
                r.try_get(1).map_err(StoreError::Database)?,
                r.try_get(2).map_err(StoreError::Database)?,
                r.try_get(3).map_err(StoreError::Database)?,
            ));
        }
        let units = sqlx::query(concat!(
            "SELECT unit_key, kind, name, status, capacity_tpa, last_relining FROM plant_unit WHERE plant_id = $1 AND ",
            as_of_begun!("$2", "valid_from"),
            " ORDER BY unit_key"
        ))
        .bind(plant_id)
        .bind(as_of)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::Database)?;
        for u in &units {
            detail.units.push(
                (|| -> Result<UnitRow, sqlx::Error> {
                    Ok(UnitRow {
                        key: u.try_get(0)?,
                        kind: u.try_get(1)?,
                        name: u.try_get(2)?,
                        status: u.try_get(3)?,
                        capacity_tpa: u.try_get(4)?,
                        last_relining: u.try_get(5)?,
                    })
                })()
                .map_err(StoreError::Database)?,
            );
        }
        Ok(detail)
    }

    /// The store key (`family/key`) of a plant named by its key, a source id, or `family/key`.
    pub async fn resolve_plant_key(&self, id: &str) -> Result<String> {
        let id = id.trim();
        if let Some((family, key)) = id.split_once('/') {
            let found = sqlx::query("SELECT plant_key FROM plant WHERE family = $1 AND plant_key = $2")
                .bind(family)
                .bind(key)
                .fetch_optional(&self.pool)
                .await
                .map_err(StoreError::Database)?;
            return found
                .map(|_| id.to_owned())
                .ok_or_else(|| StoreError::NotFound { kind: "plant", key: id.to_owned() });
        }
        let (external, occurrence) = match id.rsplit_once('#') {
            Some((external, n)) if n.parse::<i64>().is_ok() => (external, n.parse::<i64>().unwrap_or(1)),
            _ => (id, 1),
        };
        let rows = sqlx::query(
            "SELECT DISTINCT p.family, p.plant_key FROM plant p LEFT JOIN plant_ref r ON r.plant_id = p.id \
             WHERE p.plant_key = $1 OR (r.external_id = $2 AND r.occurrence = $3) ORDER BY p.family, p.plant_key",
        )
        .bind(id)
        .bind(external)
        .bind(occurrence)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::Database)?;
        match rows.as_slice() {
            [row] => {
                let family: String = row.try_get(0).map_err(StoreError::Database)?;
                let key: String = row.try_get(1).map_err(StoreError::Database)?;
                Ok(format!("{family}/{key}"))
            }
            [] => Err(StoreError::NotFound { kind: "plant", key: id.to_owned() }),
            _ => Err(StoreError::invalid(
                "plant id",
                id,
                "an id of exactly one plant; prefix it with its family (gem-steel/...)",
            )),
        }
    }

    /// The stored fleet as of a date (latest when `None`): every listed plant, with its store key
    /// as id. This is what `decarb run --db` hands to the engine.
    pub async fn load_fleet(&self, as_of: Option<&str>) -> Result<Fleet> {
        let rows = sqlx::query(concat!(
            "SELECT p.family, p.plant_key, s.source_id, s.name, s.sector, s.country, s.country_text, s.subnational, s.latitude, \
             s.longitude, s.status, s.route, s.capacity_kind, s.capacity_tpa, s.start_date, s.last_investment, s.owners, s.parents, \
             p.gem_wiki FROM plant p JOIN plant_state s ON s.plant_id = p.id WHERE ",
            as_of_held!("$1", "s.valid_from", "s.valid_to"),
            " AND s.listed = 1 ORDER BY p.family, p.plant_key"
        ))
        .bind(as_of)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::Database)?;
        let mut loaded = Vec::with_capacity(rows.len());
        for row in &rows {
            let family: String = row.try_get(0).map_err(StoreError::Database)?;
            let key: String = row.try_get(1).map_err(StoreError::Database)?;
            let source: String = row.try_get(2).map_err(StoreError::Database)?;
            let fields = PlantFields::from_row(row, 3).map_err(StoreError::Database)?;
            let wiki: Option<String> = row.try_get(18).map_err(StoreError::Database)?;
            loaded.push((family, key, source, fields, wiki));
        }
        // A plant with a `~status` slice stored is sliced, its first slice included.
        let sliced: std::collections::BTreeSet<(String, String)> = loaded
            .iter()
            .filter(|(_, key, _, _, _)| site_key(key) != key)
            .map(|(family, key, _, _, _)| (family.clone(), site_key(key).to_owned()))
            .collect();
        let mut fleet = Fleet::default();
        for (family, key, source, fields, wiki) in &loaded {
            let base = site_key(key);
            let is_slice = sliced.contains(&(family.clone(), base.to_owned()));
            fleet.plants.push(fields.to_plant(key, source, is_slice, wiki.clone()));
        }
        Ok(fleet)
    }

    /// Operating capacity by country and route on a date: the tracker's headline query.
    pub async fn operating_capacity(
        &self,
        as_of: Option<&str>,
        sector: Option<Sector>,
    ) -> Result<Vec<CapacityRow>> {
        let rows = sqlx::query(concat!(
            "SELECT s.country, s.route, COUNT(*), SUM(COALESCE(s.capacity_tpa, 0.0)) FROM plant_state s WHERE ",
            as_of_held!("$1", "s.valid_from", "s.valid_to"),
            " AND s.listed = 1 AND ",
            operating_in!("s.status"),
            " AND (CAST($2 AS TEXT) IS NULL OR s.sector = $2) GROUP BY s.country, s.route ORDER BY s.country, s.route"
        ))
        .bind(as_of)
        .bind(sector.map(Sector::as_str))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::Database)?;
        rows.iter()
            .map(|row| {
                Ok(CapacityRow {
                    country: row.try_get(0)?,
                    route: row.try_get(1)?,
                    plants: row.try_get(2)?,
                    capacity_tpa: row.try_get::<Option<f64>, _>(3)?.unwrap_or(0.0),
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::Database)
    }
}

/// What every write of one import shares.
struct ImportContext<'a> {
    recorded_at: &'a str,
    release: &'a PlantRelease,
    family: &'a str,
    import_id: i64,
}

/// One incoming record with its id as the store keys it.
struct Incoming<'a> {
    index: usize,
    record: &'a PlantRecord,
    scheme: &'a str,
    external: &'a str,
    occurrence: i64,
}

impl<'a> Incoming<'a> {
    /// The `index`-th record of a file, with its id as [`incoming_ids`] keyed it.
    fn nth(
        record: &'a PlantRecord,
        index: usize,
        external_ids: &'a [String],
        incoming: &'a [(String, i64)],
    ) -> Self {
        Incoming {
            index,
            record,
            scheme: &incoming[index].0,
            external: &external_ids[index],
            occurrence: incoming[index].1,
        }
    }
}

impl ImportSummary {
    /// Nothing written yet of a release's `records` records into `family`.
    fn starting(release: &PlantRelease, family: &str, records: usize) -> Self {
        ImportSummary {
            file: release.file.clone(),
            kind: release.kind.clone(),
            family: family.to_owned(),
            as_of: release.as_of.clone(),
            records,
            ..ImportSummary::default()
        }
    }

    /// Counts a record matched to a stored plant: unchanged and listed (nothing to write: false),
    /// else changed or listed again (true).
    fn count_matched(&mut self, same_fields: bool, listed: bool) -> bool {
        if same_fields && listed {
            self.unchanged += 1;
            return false;
        }
        if listed {
            self.changed += 1;
        } else {
            self.relisted += 1;
        }
        true
    }
}

impl Store {
    /// A record matched to a stored plant: a new state and a log entry per changed field.
    #[allow(clippy::too_many_arguments)]
    async fn write_matched(
        &self,
        tx: &mut Transaction<'static, Any>,
        ctx: &ImportContext<'_>,
        item: &Incoming<'_>,
        existing: &Current,
        how: &str,
        companies: &mut HashMap<String, i64>,
        summary: &mut ImportSummary,
    ) -> Result<()> {
        let (release, recorded_at, import_id) = (ctx.release, ctx.recorded_at, ctx.import_id);
        let record = item.record;
        let at = || at_record(release, item.index, record);
        let fields = PlantFields::from_plant(&record.plant);
        let entity_key = format!("{}/{}", ctx.family, existing.key);
        link_matched(tx, existing, item, how, &at).await?;
        let differences = existing.fields.differences(&fields);
        if !summary.count_matched(differences.is_empty(), existing.listed) {
            return Ok(());
        }
        let current = Some((existing.state_id, existing.valid_from.as_str()));
        write_state(tx, existing.plant_id, current, None, release, &fields, true, &at).await?;
        if !existing.listed {
            let note = format!("listed again by {}", release.source.id);
            self.log(
                tx,
                recorded_at,
                LogEntry {
                    entity: EntityKind::Plant,
                    key: &entity_key,
                    label: &fields.name,
                    field: "listed",
                    old_value: Some("0"),
                    new_value: Some("1"),
                    valid_from: &release.as_of,
                    import_id: Some(import_id),
                    note: Some(&note),
                },
            )
            .await?;
        }
        let note = (how != "id").then(|| format!("matched to {} {} by {how}", item.scheme, item.external));
        for (field, old, new) in &differences {
            self.log(
                tx,
                recorded_at,
                LogEntry {
                    entity: EntityKind::Plant,
                    key: &entity_key,
                    label: &fields.name,
                    field,
                    old_value: old.as_deref(),
                    new_value: new.as_deref(),
                    valid_from: &release.as_of,
                    import_id: Some(import_id),
                    note: note.as_deref(),
                },
            )
            .await?;
        }
        if differences.iter().any(|(field, _, _)| *field == "owners" || *field == "parents") {
            write_ownership(tx, companies, existing.plant_id, &record.plant, &at).await?;
        }
        Ok(())
    }

    /// A record matched to a stored plant that has corrections in force (or a state dated after
    /// the release): [`corrections`]' rule decides what the release changes.
    #[allow(clippy::too_many_arguments)]
    async fn write_matched_corrected(
        &self,
        tx: &mut Transaction<'static, Any>,
        ctx: &ImportContext<'_>,
        item: &Incoming<'_>,
        existing: &Current,
        how: &str,
        fixes: &[corrections::Correction],
        companies: &mut HashMap<String, i64>,
        summary: &mut ImportSummary,
    ) -> Result<()> {
        let record = item.record;
        let at = || at_record(ctx.release, item.index, record);
        link_matched(tx, existing, item, how, &at).await?;
        let fields = PlantFields::from_plant(&record.plant);
        let note = (how != "id").then(|| format!("matched to {} {} by {how}", item.scheme, item.external));
        let (wrote, listed) =
            self.write_corrected(tx, ctx, existing, Some(&fields), fixes, note.as_deref()).await?;
        if !wrote {
            summary.unchanged += 1;
            return Ok(());
        }
        if !existing.listed && listed {
            summary.relisted += 1;
        } else {
            summary.changed += 1;
        }
        // The ownership table follows the plant's latest state.
        let latest =
            sqlx::query("SELECT owners, parents FROM plant_state WHERE plant_id = $1 AND valid_to IS NULL")
                .bind(existing.plant_id)
                .fetch_one(&mut **tx)
                .await
                .map_err(StoreError::Database)?;
        let holders = |i: usize| -> Result<Vec<Ownership>> {
            let json: String = latest.try_get(i).map_err(StoreError::Database)?;
            Ok(serde_json::from_str(&json).unwrap_or_default())
        };
        write_holders(tx, companies, existing.plant_id, &holders(0)?, &holders(1)?, &at).await
    }

    /// A record no stored plant matched: a new plant.
    async fn write_new(
        &self,
        tx: &mut Transaction<'static, Any>,
        ctx: &ImportContext<'_>,
        item: &Incoming<'_>,
        companies: &mut HashMap<String, i64>,
    ) -> Result<()> {
        let release = ctx.release;
        let record = item.record;
        let at = || at_record(release, item.index, record);
        let fields = PlantFields::from_plant(&record.plant);
        let base_key = if item.occurrence == 1 {
            item.external.to_owned()
        } else {
            format!("{}#{}", item.external, item.occurrence)
        };
        let (plant_id, key) = insert_plant(tx, ctx.family, &base_key, &release.as_of, &at).await?;
        insert_ref(tx, plant_id, item.scheme, item.external, item.occurrence, "id", &at).await?;
        write_wiki(tx, plant_id, None, record.plant.wiki_url.as_deref(), false, &at).await?;
        write_state(tx, plant_id, None, None, release, &fields, true, &at).await?;
        write_ownership(tx, companies, plant_id, &record.plant, &at).await?;
        let entity_key = format!("{}/{key}", ctx.family);
        let summary = format!("{} {} {}", fields.status, fields.route, fields.capacity_text());
        let note = format!("new in {}", release.source.id);
        self.log(
            tx,
            ctx.recorded_at,
            LogEntry {
                entity: EntityKind::Plant,
                key: &entity_key,
                label: &fields.name,
                field: "created",
                old_value: None,
                new_value: Some(&summary),
                valid_from: &release.as_of,
                import_id: Some(ctx.import_id),
                note: Some(&note),
            },
        )
        .await
    }

    /// Plants of the family this release no longer lists: kept, marked unlisted from its date.
    async fn unlist_absent(
        &self,
        tx: &mut Transaction<'static, Any>,
        ctx: &ImportContext<'_>,
        current: &[Current],
        taken: &[bool],
    ) -> Result<usize> {
        let release = ctx.release;
        let mut removed = 0;
        for (c, existing) in current.iter().enumerate() {
            if taken[c] || !existing.listed {
                continue;
            }
            if existing.valid_from.as_str() > release.as_of.as_str() {
                // Its current state is a correction dated after the release: unlisted from the
                // release's date through every later state.
                if self.write_corrected(tx, ctx, existing, None, &[], None).await?.0 {
                    removed += 1;
                }
                continue;
            }
            let at = || format!("{}: unlisting plant {}/{}", release.file, ctx.family, existing.key);
            let state = Some((existing.state_id, existing.valid_from.as_str()));
            write_state(tx, existing.plant_id, state, None, release, &existing.fields, false, &at).await?;
            let entity_key = format!("{}/{}", ctx.family, existing.key);
            let note = format!("absent from {}", release.source.id);
            self.log(
                tx,
                ctx.recorded_at,
                LogEntry {
                    entity: EntityKind::Plant,
                    key: &entity_key,
                    label: &existing.fields.name,
                    field: "listed",
                    old_value: Some("1"),
                    new_value: Some("0"),
                    valid_from: &release.as_of,
                    import_id: Some(ctx.import_id),
                    note: Some(&note),
                },
            )
            .await?;
            removed += 1;
        }
        Ok(removed)
    }
}

/// The id of each incoming record as the store keys it, with its scheme and occurrence.
fn incoming_ids(family: &str, records: &[PlantRecord]) -> (Vec<String>, Vec<(String, i64)>) {
    // Status slices of one plant (GIST writes a plant's operating, announced and retired
    // capacity on one row) are told apart by status: the first slice keeps the bare id, the
    // others are `<id>~<status>`. Other repeated ids are told apart by occurrence.
    let mut seen: HashMap<(String, String), i64> = HashMap::new();
    let mut sliced: HashMap<String, usize> = HashMap::new();
    let external_ids: Vec<String> = records
        .iter()
        .map(|record| {
            if !record.plant.status_slice {
                return record.plant.id.clone();
            }
            let count = sliced.entry(record.plant.id.clone()).or_insert(0);
            *count += 1;
            if *count == 1 {
                record.plant.id.clone()
            } else {
                slice_key(&record.plant.id, record.plant.status)
            }
        })
        .collect();
    let incoming: Vec<(String, i64)> = records
        .iter()
        .zip(&external_ids)
        .map(|(record, external)| {
            let scheme = scheme_of(family, &record.plant.id);
            let occurrence = seen.entry((scheme.clone(), external.clone())).or_insert(0);
            *occurrence += 1;
            (scheme, *occurrence)
        })
        .collect();
    (external_ids, incoming)
}

/// Per incoming record, the stored plant it matched (index into the current plants) and how.
type Matches = Vec<Option<(usize, &'static str)>>;

/// Matches incoming records to stored plants (see the module documentation for the rule).
/// Returns, per record, the stored plant it matched and how, and which stored plants were taken.
fn match_records(
    records: &[PlantRecord],
    incoming: &[(String, i64)],
    external_ids: &[String],
    current: &[Current],
    ref_index: &HashMap<(String, String, i64), usize>,
    summary: &mut ImportSummary,
) -> (Matches, Vec<bool>) {
    let mut matched: Matches = vec![None; records.len()];
    let mut taken = vec![false; current.len()];
    for (i, (scheme, occurrence)) in incoming.iter().enumerate() {
        if let Some(&c) = ref_index.get(&(scheme.clone(), external_ids[i].clone(), *occurrence))
            && !taken[c]
        {
            taken[c] = true;
            matched[i] = Some((c, "id"));
            summary.matched_by_id += 1;
        }
    }
    // Cross-scheme matching, by name then by place.
    let by_name: BTreeMap<(String, Option<String>), Vec<usize>> = {
        let mut map: BTreeMap<(String, Option<String>), Vec<usize>> = BTreeMap::new();
        for (c, plant) in current.iter().enumerate() {
            map.entry((match_name(&plant.fields.name), plant.fields.country.clone())).or_default().push(c);
        }
        map
    };
    for (i, record) in records.iter().enumerate() {
        if matched[i].is_some() {
            continue;
        }
        let scheme = &incoming[i].0;
        let key = (match_name(&record.plant.name), record.plant.country.map(|c| c.as_str().to_owned()));
        let candidate = by_name.get(&key).and_then(|list| {
            list.iter().copied().find(|&c| !taken[c] && !current[c].schemes.contains(scheme))
        });
        if let Some(c) = candidate {
            taken[c] = true;
            matched[i] = Some((c, "name-country"));
            summary.matched_by_name += 1;
        }
    }
    for (i, record) in records.iter().enumerate() {
        if matched[i].is_some() {
            continue;
        }
        let (Some((lat, lon)), Some(country)) = (record.plant.coordinates, record.plant.country) else {
            continue;
        };
        let scheme = &incoming[i].0;
        let mut near = current.iter().enumerate().filter(|(c, plant)| {
            !taken[*c]
                && !plant.schemes.contains(scheme)
                && plant.fields.country.as_deref() == Some(country.as_str())
                && plant.fields.latitude.zip(plant.fields.longitude).is_some_and(|(a, b)| {
                    (a - lat).abs() <= SAME_SITE_DEGREES && (b - lon).abs() <= SAME_SITE_DEGREES
                })
        });
        if let (Some((c, _)), None) = (near.next(), near.next()) {
            taken[c] = true;
            matched[i] = Some((c, "coordinates"));
            summary.matched_by_coordinates += 1;
        }
    }
    (matched, taken)
}

/// Writes a state of a plant from the release date until `valid_to` (still valid when `None`):
/// a current state (`current`: its id and first day) that starts on that date is rewritten in
/// place; one that starts earlier ends there and the new state follows it. Shared by imports in
/// date order and back-fills of older releases.
#[allow(clippy::too_many_arguments)]
async fn write_state(
    tx: &mut Transaction<'static, Any>,
    plant_id: i64,
    current: Option<(i64, &str)>,
    valid_to: Option<&str>,
    release: &PlantRelease,
    fields: &PlantFields,
    listed: bool,
    at: &(dyn Fn() -> String + Sync),
) -> Result<()> {
    if let Some((state_id, valid_from)) = current {
        if valid_from == release.as_of {
            let query = sqlx::query(STATE_UPDATE_IN_PLACE)
                .persistent(false)
                .bind(state_id)
                .bind(release.source.id.as_str());
            bind_fields(query, listed, fields)
                .execute(&mut **tx)
                .await
                .map_err(|err| StoreError::at(err, at))?;
            return Ok(());
        }
        sqlx::query("UPDATE plant_state SET valid_to = $1 WHERE id = $2")
            .bind(release.as_of.as_str())
            .bind(state_id)
            .execute(&mut **tx)
            .await
            .map_err(|err| StoreError::at(err, at))?;
    }
    insert_state(tx, plant_id, &release.as_of, valid_to, release, fields, listed, at).await
}

/// Adds a state of a plant from `valid_from` until `valid_to` (still valid when `None`).
#[allow(clippy::too_many_arguments)]
async fn insert_state(
    tx: &mut Transaction<'static, Any>,
    plant_id: i64,
    valid_from: &str,
    valid_to: Option<&str>,
    release: &PlantRelease,
    fields: &PlantFields,
    listed: bool,
    at: &(dyn Fn() -> String + Sync),
) -> Result<()> {
    let query = sqlx::query(STATE_INSERT)
        .persistent(false)
        .bind(plant_id)
        .bind(valid_from)
        .bind(release.source.id.as_str());
    bind_fields(query, listed, fields)
        .bind(valid_to)
        .execute(&mut **tx)
        .await
        .map_err(|err| StoreError::at(err, at))?;
    Ok(())
}

/// Binds a plant state's fields. Statements binding an optional `f64` are not cached
/// (`persistent(false)`): see the note on PostgreSQL in [`crate::db`].
fn bind_fields<'q>(
    query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments>,
    listed: bool,
    fields: &'q PlantFields,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments> {
    query
        .bind(i64::from(listed))
        .bind(fields.name.as_str())
        .bind(fields.sector.as_str())
        .bind(fields.country.as_deref())
        .bind(fields.country_text.as_str())
        .bind(fields.subnational.as_deref())
        .bind(fields.latitude)
        .bind(fields.longitude)
        .bind(fields.status.as_str())
        .bind(fields.route.as_str())
        .bind(fields.capacity_kind.as_str())
        .bind(fields.capacity_tpa)
        .bind(fields.start_date.as_deref())
        .bind(fields.last_investment.as_deref())
        .bind(fields.owners.as_str())
        .bind(fields.parents.as_str())
}

fn plant_row(row: &AnyRow) -> Result<PlantRow, sqlx::Error> {
    Ok(PlantRow {
        family: row.try_get(0)?,
        key: row.try_get(1)?,
        name: row.try_get(2)?,
        sector: row.try_get(3)?,
        country: row.try_get(4)?,
        country_text: row.try_get(5)?,
        status: row.try_get(6)?,
        route: row.try_get(7)?,
        capacity_kind: row.try_get(8)?,
        capacity_tpa: row.try_get(9)?,
        start: row.try_get(10)?,
        source: row.try_get(11)?,
        valid_from: row.try_get(12)?,
    })
}

async fn load_current(tx: &mut Transaction<'static, Any>, family: &str) -> Result<Vec<Current>> {
    let rows = sqlx::query(
        "SELECT p.id, p.plant_key, s.id, s.valid_from, s.listed, s.name, s.sector, s.country, s.country_text, s.subnational, \
         s.latitude, s.longitude, s.status, s.route, s.capacity_kind, s.capacity_tpa, s.start_date, s.last_investment, \
         s.owners, s.parents, p.gem_wiki FROM plant p JOIN plant_state s ON s.plant_id = p.id AND s.valid_to IS NULL \
         WHERE p.family = $1 ORDER BY p.id",
    )
    .bind(family)
    .fetch_all(&mut **tx)
    .await
    .map_err(StoreError::Database)?;
    rows.iter()
        .map(|row| {
            Ok(Current {
                plant_id: row.try_get(0)?,
                key: row.try_get(1)?,
                state_id: row.try_get(2)?,
                valid_from: row.try_get(3)?,
                listed: row.try_get::<i64, _>(4)? == 1,
                fields: PlantFields::from_row(row, 5)?,
                schemes: Vec::new(),
                wiki: row.try_get(20)?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(StoreError::Database)
}

/// Index of stored ids -> position in `current`; also fills each plant's schemes.
async fn load_refs(
    tx: &mut Transaction<'static, Any>,
    family: &str,
    current: &mut [Current],
) -> Result<HashMap<(String, String, i64), usize>> {
    let position: HashMap<i64, usize> = current.iter().enumerate().map(|(i, c)| (c.plant_id, i)).collect();
    let rows = sqlx::query(
        "SELECT r.plant_id, r.scheme, r.external_id, r.occurrence FROM plant_ref r JOIN plant p ON p.id = r.plant_id \
         WHERE p.family = $1",
    )
    .bind(family)
    .fetch_all(&mut **tx)
    .await
    .map_err(StoreError::Database)?;
    let mut index = HashMap::new();
    for row in &rows {
        let plant_id: i64 = row.try_get(0).map_err(StoreError::Database)?;
        let scheme: String = row.try_get(1).map_err(StoreError::Database)?;
        let external: String = row.try_get(2).map_err(StoreError::Database)?;
        let occurrence: i64 = row.try_get(3).map_err(StoreError::Database)?;
        if let Some(&i) = position.get(&plant_id) {
            if !current[i].schemes.contains(&scheme) {
                current[i].schemes.push(scheme.clone());
            }
            index.insert((scheme, external, occurrence), i);
        }
    }
    Ok(index)
}

async fn insert_plant(
    tx: &mut Transaction<'static, Any>,
    family: &str,
    base_key: &str,
    as_of: &str,
    at: &(dyn Fn() -> String + Sync),
) -> Result<(i64, String)> {
    // A key already taken by another plant (an id reused by a later release) gets the release
    // date appended, so keys stay unique and stable.
    for key in [base_key.to_owned(), format!("{base_key}@{as_of}")] {
        let row = sqlx::query("INSERT INTO plant (family, plant_key) VALUES ($1, $2) ON CONFLICT (family, plant_key) DO NOTHING RETURNING id")
            .bind(family)
            .bind(key.as_str())
            .fetch_optional(&mut **tx)
            .await
            .map_err(|err| StoreError::at(err, at))?;
        if let Some(row) = row {
            return Ok((row.try_get(0).map_err(StoreError::Database)?, key));
        }
    }
    Err(StoreError::invalid(at(), base_key, "a plant id not already used twice in this family"))
}

/// What a release's row matched to a stored plant adds whatever else it changes: the row's id as
/// one more reference of the plant (unless it matched by that id), and its GEM.wiki address.
async fn link_matched(
    tx: &mut Transaction<'static, Any>,
    existing: &Current,
    item: &Incoming<'_>,
    how: &str,
    at: &(dyn Fn() -> String + Sync),
) -> Result<()> {
    if how != "id" {
        insert_ref(tx, existing.plant_id, item.scheme, item.external, item.occurrence, how, at).await?;
    }
    write_wiki(
        tx,
        existing.plant_id,
        existing.wiki.as_deref(),
        item.record.plant.wiki_url.as_deref(),
        false,
        at,
    )
    .await
}

async fn insert_ref(
    tx: &mut Transaction<'static, Any>,
    plant_id: i64,
    scheme: &str,
    external_id: &str,
    occurrence: i64,
    matched_by: &str,
    at: &(dyn Fn() -> String + Sync),
) -> Result<()> {
    sqlx::query(
        "INSERT INTO plant_ref (plant_id, scheme, external_id, occurrence, matched_by) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (scheme, external_id, occurrence) DO NOTHING",
    )
    .bind(plant_id)
    .bind(scheme)
    .bind(external_id)
    .bind(occurrence)
    .bind(matched_by)
    .execute(&mut **tx)
    .await
    .map_err(|err| StoreError::at(err, at))?;
    Ok(())
}

async fn write_ownership(
    tx: &mut Transaction<'static, Any>,
    companies: &mut HashMap<String, i64>,
    plant_id: i64,
    plant: &Plant,
    at: &(dyn Fn() -> String + Sync),
) -> Result<()> {
    write_holders(tx, companies, plant_id, &plant.owners, &plant.parents, at).await
}

/// Replaces a plant's rows of the ownership table (its current owners and parents, which the
/// owner search reads).
async fn write_holders(
    tx: &mut Transaction<'static, Any>,
    companies: &mut HashMap<String, i64>,
    plant_id: i64,
    owners: &[Ownership],
    parents: &[Ownership],
    at: &(dyn Fn() -> String + Sync),
) -> Result<()> {
    sqlx::query("DELETE FROM ownership WHERE plant_id = $1")
        .bind(plant_id)
        .execute(&mut **tx)
        .await
        .map_err(|err| StoreError::at(err, at))?;
    for (role, list) in [("owner", owners), ("parent", parents)] {
        for owner in list {
            let name = owner.name.trim();
            if name.is_empty() {
                continue;
            }
            let company_id = if let Some(&id) = companies.get(name) {
                id
            } else {
                let id = company_id(tx, name, owner.entity_id.as_deref(), at).await?;
                companies.insert(name.to_owned(), id);
                id
            };
            sqlx::query(
                "INSERT INTO ownership (plant_id, company_id, role, share) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (plant_id, company_id, role) DO NOTHING",
            )
            .persistent(false)
            .bind(plant_id)
            .bind(company_id)
            .bind(role)
            .bind(owner.share)
            .execute(&mut **tx)
            .await
            .map_err(|err| StoreError::at(err, || format!("{}, {role} {name:?}", at())))?;
        }
    }
    Ok(())
}

/// Stores the plant's GEM.wiki page when the release gives one that differs from the stored
/// one (`only_missing`: a back-filled, older release fills a missing page, never replaces one).
async fn write_wiki(
    tx: &mut Transaction<'static, Any>,
    plant_id: i64,
    stored: Option<&str>,
    given: Option<&str>,
    only_missing: bool,
    at: &(dyn Fn() -> String + Sync),
) -> Result<()> {
    let Some(given) = given else { return Ok(()) };
    if stored == Some(given) || (only_missing && stored.is_some()) {
        return Ok(());
    }
    sqlx::query("UPDATE plant SET gem_wiki = $1 WHERE id = $2")
        .bind(given)
        .bind(plant_id)
        .execute(&mut **tx)
        .await
        .map_err(|err| StoreError::at(err, at))?;
    Ok(())
}

pub(crate) async fn company_id(
    tx: &mut Transaction<'static, Any>,
    name: &str,
    entity_id: Option<&str>,
    at: &(dyn Fn() -> String + Sync),
) -> Result<i64> {
    sqlx::query("INSERT INTO company (name, entity_id) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .bind(entity_id)
        .execute(&mut **tx)
        .await
        .map_err(|err| StoreError::at(err, at))?;
    sqlx::query("SELECT id FROM company WHERE name = $1")
        .bind(name)
        .fetch_one(&mut **tx)
        .await
        .and_then(|row| row.try_get(0))
        .map_err(StoreError::Database)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_join_releases_and_schemes_tell_id_formats_apart() {
        assert_eq!(family_of("gem-gspt-2023-03"), "gem-steel");
        assert_eq!(family_of("gem-gist-2025-03"), "gem-steel");
        assert_eq!(family_of("sfi-cement-2021"), "sfi-cement");
        assert_eq!(family_of("decarb-2026"), "decarb");
        assert_eq!(scheme_of("gem-steel", "SMY00015"), "gem-gspt");
        assert_eq!(scheme_of("gem-steel", "SSE00001-2"), "gem-gspt");
        assert_eq!(scheme_of("gem-steel", "P100000120882"), "gem-gist");
        assert_eq!(scheme_of("sfi-cement", "GACTCHN0001"), "sfi-cement");
    }

    #[test]
    fn names_match_across_punctuation_and_case() {
        assert_eq!(
            match_name("ArcelorMittal  Gent steel-plant"),
            match_name("arcelormittal gent steel plant")
        );
    }
}
