//! Importing a release older than the newest one already stored (back-filling history).
//!
//! History is ordered by release date, not by import order: a release dated `D` imported after
//! a newer one (dated `N > D`) writes what it says as the states of `[D, next)`, where `next` is
//! the date the plant's following state begins, and leaves every state from `next` on as the
//! newer release wrote it. So `plants(as_of)` between `D` and `N` answers with the older
//! release's values and from `N` on with the newer one's, whichever was imported first.
//!
//! Matching is the same rule as a forward import ([`super::match_records`]), against each
//! plant's state at `D` or, for a plant the store only knows from later releases, its first
//! later state. Per plant:
//!
//! - listed in the release and known at `D`: its state at `D` is split at `D` (or rewritten in
//!   place when it starts on `D`) when anything differs;
//! - listed in the release and only known later: a state `[D, first later state)` is added;
//! - listed in the release and unknown to the store: a new plant, listed from `D` until the
//!   family's next release date and unlisted from then on (the newer release did not list it);
//! - known at `D` but absent from the release: unlisted from `D` until its next state.
//!
//! Every change is logged with `valid_from` = its date and a note saying it was back-filled.
//! Corrections in force from the date or before apply to what it writes when it repeats the
//! value corrected; a back-fill never ends a correction ([`super::corrections`]).

use super::corrections::{self, Correction};
use super::{
    Current, ImportContext, ImportSummary, Incoming, PlantFields, PlantRecord, at_record, incoming_ids,
    insert_plant, insert_ref, insert_state, load_refs, match_records, write_ownership, write_state,
    write_wiki,
};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::history::{EntityKind, LogEntry};
use sqlx::{Any, Row, Transaction};
use std::collections::HashMap;

/// Where a plant's known history stands relative to the back-filled date.
struct Around {
    /// The state valid on the date (`valid_from <= D < valid_to`), else the first later one.
    current: Current,
    /// End of that state when it is valid on the date (`None`: still current).
    valid_to: Option<String>,
    /// True when the store knows the plant only from later releases.
    starts_after: bool,
}

impl Store {
    /// Imports a plant release dated before the family's newest stored release.
    pub(super) async fn backfill_plants_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        ctx: &ImportContext<'_>,
        records: &[PlantRecord],
    ) -> Result<ImportSummary> {
        let release = ctx.release;
        let date = release.as_of.as_str();
        let next_release: String =
            sqlx::query("SELECT MIN(as_of) FROM import_run WHERE family = $1 AND as_of > $2 AND id <> $3")
                .bind(ctx.family)
                .bind(date)
                .bind(ctx.import_id)
                .fetch_one(&mut **tx)
                .await
                .map_err(StoreError::Database)?
                .try_get::<Option<String>, _>(0)
                .map_err(StoreError::Database)?
                .ok_or_else(|| {
                    StoreError::invalid(
                        format!("{}: release date", release.file),
                        date,
                        "a back-filled release older than a stored one",
                    )
                })?;
        let around = load_around(tx, ctx.family, date).await?;
        let (mut current, meta): (Vec<Current>, Vec<(Option<String>, bool)>) =
            around.into_iter().map(|a| (a.current, (a.valid_to, a.starts_after))).unzip();
        let ref_index = load_refs(tx, ctx.family, &mut current).await?;
        let fixes = corrections::in_force(tx, ctx.family).await?;
        let (external_ids, incoming) = incoming_ids(ctx.family, records);
        let mut summary = ImportSummary::starting(release, ctx.family, records.len());
        let (matched, taken) =
            match_records(records, &incoming, &external_ids, &current, &ref_index, &mut summary);
        let mut companies: HashMap<String, i64> = HashMap::new();
        for (i, record) in records.iter().enumerate() {
            let item = Incoming::nth(record, i, &external_ids, &incoming);
            let fields = PlantFields::from_plant(&record.plant);
            let Some((c, how)) = matched[i] else {
                self.backfill_new(tx, ctx, &item, &fields, &next_release, &mut companies).await?;
                summary.added += 1;
                continue;
            };
            let existing = &current[c];
            let plant_fixes = fixes.get(&existing.plant_id).map_or(&[][..], Vec::as_slice);
            self.backfill_matched(
                tx,
                ctx,
                &item,
                existing,
                &meta[c],
                how,
                &fields,
                plant_fixes,
                &mut summary,
            )
            .await?;
        }
        summary.removed = self.backfill_absent(tx, ctx, &current, &meta, &taken).await?;
        Ok(summary)
    }

    /// A record the store does not know: listed from its date until the next release.
    async fn backfill_new(
        &self,
        tx: &mut Transaction<'static, Any>,
        ctx: &ImportContext<'_>,
        item: &Incoming<'_>,
        fields: &PlantFields,
        next_release: &str,
        companies: &mut HashMap<String, i64>,
    ) -> Result<()> {
        let release = ctx.release;
        let date = release.as_of.as_str();
        let at = || at_record(release, item.index, item.record);
        let base_key = if item.occurrence == 1 {
            item.external.to_owned()
        } else {
            format!("{}#{}", item.external, item.occurrence)
        };
        let (plant_id, key) = insert_plant(tx, ctx.family, &base_key, date, &at).await?;
        insert_ref(tx, plant_id, item.scheme, item.external, item.occurrence, "id", &at).await?;
        write_wiki(tx, plant_id, None, item.record.plant.wiki_url.as_deref(), true, &at).await?;
        insert_state(tx, plant_id, date, Some(next_release), release, fields, true, &at).await?;
        insert_state(tx, plant_id, next_release, None, release, fields, false, &at).await?;
        write_ownership(tx, companies, plant_id, &item.record.plant, &at).await?;
        let entity_key = format!("{}/{key}", ctx.family);
        let new_value = format!("{} {} {}", fields.status, fields.route, fields.capacity_text());
        let note =
            format!("new in {} (back-filled; absent from the release of {next_release})", release.source.id);
        self.log_backfill(tx, ctx, &entity_key, &fields.name, "created", None, Some(&new_value), date, &note)
            .await?;
        self.log_backfill(
            tx,
            ctx,
            &entity_key,
            &fields.name,
            "listed",
            Some("1"),
            Some("0"),
            next_release,
            &note,
        )
        .await
    }

    /// A record matched to a stored plant: its values from its date until the next state.
    #[allow(clippy::too_many_arguments)]
    async fn backfill_matched(
        &self,
        tx: &mut Transaction<'static, Any>,
        ctx: &ImportContext<'_>,
        item: &Incoming<'_>,
        existing: &Current,
        meta: &(Option<String>, bool),
        how: &str,
        fields: &PlantFields,
        fixes: &[Correction],
        summary: &mut ImportSummary,
    ) -> Result<()> {
        let release = ctx.release;
        let date = release.as_of.as_str();
        let at = || at_record(release, item.index, item.record);
        let (valid_to, starts_after) = meta;
        if how != "id" {
            insert_ref(tx, existing.plant_id, item.scheme, item.external, item.occurrence, how, &at).await?;
        }
        write_wiki(
            tx,
            existing.plant_id,
            existing.wiki.as_deref(),
            item.record.plant.wiki_url.as_deref(),
            true,
            &at,
        )
        .await?;
        let (corrected, listed) = corrections::apply_kept(fields, fixes, date);
        let fields = &corrected;
        let entity_key = format!("{}/{}", ctx.family, existing.key);
        let note = format!("back-filled from {}", release.source.id);
        if *starts_after {
            // Known only from later releases: this release's state runs until the first one.
            insert_state(tx, existing.plant_id, date, Some(&existing.valid_from), release, fields, true, &at)
                .await?;
            let new_value = format!("{} {} {}", fields.status, fields.route, fields.capacity_text());
            self.log_backfill(
                tx,
                ctx,
                &entity_key,
                &fields.name,
                "created",
                None,
                Some(&new_value),
                date,
                &note,
            )
            .await?;
            summary.added += 1;
            return Ok(());
        }
        let mut differences = existing.fields.differences(fields);
        if existing.listed && !listed {
            differences.push(("listed", Some("1".to_owned()), Some("0".to_owned())));
        }
        // Unlisted by a retirement the release does not end: nothing to write.
        let still_unlisted = !existing.listed && !listed && differences.is_empty();
        if still_unlisted || !summary.count_matched(differences.is_empty(), existing.listed) {
            if still_unlisted {
                summary.unchanged += 1;
            }
            return Ok(());
        }
        let state = Some((existing.state_id, existing.valid_from.as_str()));
        write_state(tx, existing.plant_id, state, valid_to.as_deref(), release, fields, listed, &at).await?;
        if !existing.listed && listed {
            self.log_backfill(
                tx,
                ctx,
                &entity_key,
                &fields.name,
                "listed",
                Some("0"),
                Some("1"),
                date,
                &note,
            )
            .await?;
        }
        for (field, old, new) in &differences {
            self.log_backfill(
                tx,
                ctx,
                &entity_key,
                &fields.name,
                field,
                old.as_deref(),
                new.as_deref(),
                date,
                &note,
            )
            .await?;
        }
        Ok(())
    }

    /// Plants known on the date but absent from the release: unlisted until their next state.
    async fn backfill_absent(
        &self,
        tx: &mut Transaction<'static, Any>,
        ctx: &ImportContext<'_>,
        current: &[Current],
        meta: &[(Option<String>, bool)],
        taken: &[bool],
    ) -> Result<usize> {
        let release = ctx.release;
        let mut removed = 0;
        for (c, existing) in current.iter().enumerate() {
            let (valid_to, starts_after) = &meta[c];
            if taken[c] || *starts_after || !existing.listed {
                continue;
            }
            let at = || format!("{}: unlisting plant {}/{}", release.file, ctx.family, existing.key);
            let state = Some((existing.state_id, existing.valid_from.as_str()));
            write_state(
                tx,
                existing.plant_id,
                state,
                valid_to.as_deref(),
                release,
                &existing.fields,
                false,
                &at,
            )
            .await?;
            let entity_key = format!("{}/{}", ctx.family, existing.key);
            let note = format!("absent from {} (back-filled)", release.source.id);
            self.log_backfill(
                tx,
                ctx,
                &entity_key,
                &existing.fields.name,
                "listed",
                Some("1"),
                Some("0"),
                &release.as_of,
                &note,
            )
            .await?;
            removed += 1;
        }
        Ok(removed)
    }

    #[allow(clippy::too_many_arguments)]
    async fn log_backfill(
        &self,
        tx: &mut Transaction<'static, Any>,
        ctx: &ImportContext<'_>,
        key: &str,
        label: &str,
        field: &str,
        old_value: Option<&str>,
        new_value: Option<&str>,
        valid_from: &str,
        note: &str,
    ) -> Result<()> {
        self.log(
            tx,
            ctx.recorded_at,
            LogEntry {
                entity: EntityKind::Plant,
                key,
                label,
                field,
                old_value,
                new_value,
                valid_from,
                import_id: Some(ctx.import_id),
                note: Some(note),
            },
        )
        .await
    }
}

/// Each plant of the family with its state on `date`, or its first state after it.
async fn load_around(tx: &mut Transaction<'static, Any>, family: &str, date: &str) -> Result<Vec<Around>> {
    let rows = sqlx::query(
        "SELECT p.id, p.plant_key, s.id, s.valid_from, s.listed, s.name, s.sector, s.country, s.country_text, s.subnational, \
         s.latitude, s.longitude, s.status, s.route, s.capacity_kind, s.capacity_tpa, s.start_date, s.last_investment, \
         s.owners, s.parents, s.valid_to, p.gem_wiki FROM plant p JOIN plant_state s ON s.plant_id = p.id \
         WHERE p.family = $1 AND (s.valid_to IS NULL OR s.valid_to > $2) ORDER BY p.id, s.valid_from",
    )
    .bind(family)
    .bind(date)
    .fetch_all(&mut **tx)
    .await
    .map_err(StoreError::Database)?;
    let mut out: Vec<Around> = Vec::new();
    for row in &rows {
        let read = || -> Result<Around, sqlx::Error> {
            let valid_from: String = row.try_get(3)?;
            let starts_after = valid_from.as_str() > date;
            Ok(Around {
                current: Current {
                    plant_id: row.try_get(0)?,
                    key: row.try_get(1)?,
                    state_id: row.try_get(2)?,
                    valid_from,
                    listed: row.try_get::<i64, _>(4)? == 1,
                    fields: PlantFields::from_row(row, 5)?,
                    schemes: Vec::new(),
                    wiki: row.try_get(21)?,
                },
                valid_to: row.try_get(20)?,
                starts_after,
            })
        };
        let around = read().map_err(StoreError::Database)?;
        // Rows come by plant and date: the first row of a plant is its state on D or after it.
        if out.last().is_some_and(|last| last.current.plant_id == around.current.plant_id) {
            continue;
        }
        out.push(around);
    }
    Ok(out)
}
