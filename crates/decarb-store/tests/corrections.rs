//! Corrections to plants (docs/tracker-writes.md, "Corrections to plants"): an editor's correction
//! is a dated state with who, why and the source; a stale one is refused; a contributor's waits
//! for review; retiring unlists; and what later releases do to a corrected field: kept while the
//! release repeats the value corrected, ended (and said so) when it gives another. On SQLite and
//! (when configured) PostgreSQL.

mod common;

use common::{backends, fresh, runtime, steel_plant};
use decarb_model::units::TonnesPerYear;
use decarb_model::{Ownership, Plant, PlantStatus, Reported};
use decarb_store::{
    Edit, EntityKind, Holder, ImportFile, PlantFilter, PlantPatch, PlantRecord, PlantRelease, SourceRecord,
    Store, StoreError, Target, WriteMeta,
};

fn plant(id: &str, capacity_kt: f64) -> Plant {
    Plant {
        country_text: "Sweden".to_owned(),
        coordinates: Some((65.559_719, 22.219_699)),
        owners: vec![Ownership {
            name: "SSAB AB".into(),
            entity_id: Some("E100000001651".into()),
            share: Some(1.0),
        }],
        wiki_url: Some(format!("https://www.gem.wiki/{id}_works")),
        ..steel_plant(id, &format!("{id} works"), "SWE", PlantStatus::Operating, capacity_kt)
    }
}

fn release(as_of: &str, plants: Vec<Plant>) -> ImportFile {
    ImportFile::Plants {
        release: PlantRelease {
            file: format!("{as_of}.csv"),
            kind: "decarb-csv".to_owned(),
            source: SourceRecord::new(&format!("test-{as_of}"), "test release"),
            as_of: as_of.to_owned(),
        },
        records: plants
            .into_iter()
            .enumerate()
            .map(|(i, plant)| PlantRecord { plant, row: Some(i + 2) })
            .collect(),
    }
}

fn meta(by: &str, note: &str, day: &str) -> WriteMeta {
    WriteMeta {
        by: by.to_owned(),
        note: note.to_owned(),
        source_url: Some("https://www.ssab.com/en/news/2024".to_owned()),
        valid_from: Some(day.to_owned()),
    }
}

fn correct(key: &str, patch: PlantPatch) -> Edit {
    Edit::CorrectPlant { key: format!("decarb/{key}"), patch }
}

fn capacity(tpa: f64) -> PlantPatch {
    PlantPatch { capacity_tpa: Some(tpa), ..PlantPatch::default() }
}

/// The capacity (t/yr) and listing of a plant on a day (latest with `None`).
async fn state(store: &Store, key: &str, as_of: Option<&str>) -> (Option<f64>, bool) {
    let filter = PlantFilter { as_of: as_of.map(str::to_owned), ..PlantFilter::default() };
    let listed = store.plants(&filter).await.unwrap().iter().any(|p| p.key == key);
    let detail = store.plant(&format!("decarb/{key}"), as_of).await.unwrap();
    (detail.row.capacity_tpa, listed)
}

#[test]
fn a_correction_is_a_dated_change_with_who_why_and_source_and_a_stale_one_is_refused() {
    for db in backends("corrections_edit") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            store.import_files(&[release("2023-03-01", vec![plant("A", 1000.0)])], &|_| {}).await.unwrap();
            let target = Target::Plant { key: "decarb/A".into() };
            let v1 = store.record_version(&target).await.unwrap().version;
            assert_eq!(v1, 1);
            let detail = store.plant("A", None).await.unwrap();
            assert_eq!(detail.gem_wiki.as_deref(), Some("https://www.gem.wiki/A_works"));

            let patch = PlantPatch {
                capacity_tpa: Some(1_100_000.0),
                start: Some("1970".into()),
                owners: Some(vec![
                    Holder { name: "SSAB AB".into(), share: Some(0.6) },
                    Holder { name: "LKAB".into(), share: Some(0.4) },
                ]),
                ..PlantPatch::default()
            };
            let done = store
                .apply_edit(
                    &correct("A", patch.clone()),
                    &meta("api:secretariat", "annual report 2024", "2024-06-01"),
                    Some(v1),
                )
                .await
                .unwrap();
            assert_eq!((done.entity.as_str(), done.version, done.changed), ("plant", 2, 3), "{}", db.label);
            // Dated: the release's value before the day, the correction's from it.
            assert_eq!(state(&store, "A", Some("2024-05-31")).await, (Some(1_000_000.0), true));
            assert_eq!(state(&store, "A", Some("2024-06-01")).await, (Some(1_100_000.0), true));
            let detail = store.plant("A", None).await.unwrap();
            assert_eq!(detail.row.start.as_deref(), Some("1970"));
            assert_eq!(detail.owners.len(), 2);
            // SSAB's GEM entity id stays with it.
            assert_eq!(detail.owners[0].entity_id.as_deref(), Some("E100000001651"));
            let fields: Vec<(&str, Option<&str>)> =
                detail.corrections.iter().map(|c| (c.field.as_str(), c.file_value.as_deref())).collect();
            assert_eq!(
                fields,
                [
                    ("capacity", Some("1000000")),
                    ("start", None),
                    ("owners", Some(r#"[{"name":"SSAB AB","entity_id":"E100000001651","share":1.0}]"#))
                ]
            );
            assert!(detail.corrections.iter().all(|c| c.in_force && c.recorded_by == "api:secretariat"));
            // The owner search follows the corrected owners.
            let owners = store
                .search(&decarb_store::SearchRequest {
                    query: "LKAB".into(),
                    kinds: vec![decarb_model::search::HitKind::Owner],
                    per_kind: 3,
                })
                .await
                .unwrap();
            assert!(owners.iter().any(|h| h.candidate.key == "LKAB"), "{owners:?}");
            // The change log: who, when, why, evidence.
            let history = store.history(EntityKind::Plant, "A").await.unwrap();
            let row = history.iter().find(|c| c.field == "capacity").unwrap();
            assert_eq!(
                (row.old_value.as_deref(), row.new_value.as_deref(), row.valid_from.as_str()),
                (Some("1000000"), Some("1100000"), "2024-06-01")
            );
            assert_eq!(
                (row.recorded_by.as_str(), row.reason.as_deref()),
                ("api:secretariat", Some("annual report 2024"))
            );
            assert_eq!(row.source_url.as_deref(), Some("https://www.ssab.com/en/news/2024"));

            // Stale: made against version 1.
            let late = store
                .apply_edit(
                    &correct("A", capacity(1_200_000.0)),
                    &meta("api:other", "x", "2024-07-01"),
                    Some(v1),
                )
                .await;
            assert!(matches!(late, Err(StoreError::Stale { expected: 1, current: 2, .. })), "{late:?}");
            // Each bad value is named by its field, with the importer's limits.
            let bad = bad_patches();
            for (field, patch) in bad {
                let err = store
                    .apply_edit(&correct("A", patch), &meta("api:x", "typo", "2024-07-01"), None)
                    .await
                    .unwrap_err();
                assert!(matches!(&err, StoreError::Field { field: f, .. } if f == field), "{field}: {err}");
            }
            // A day before the plant's current state is refused, naming both.
            let early = store
                .apply_edit(&correct("A", capacity(900_000.0)), &meta("api:x", "old", "2024-01-01"), None)
                .await;
            let err = early.unwrap_err().to_string();
            assert!(err.starts_with("valid_from") && err.contains("2024-06-01"), "{err}");
            let no_note = store
                .apply_edit(&correct("A", capacity(900_000.0)), &meta("api:x", "", "2024-07-01"), None)
                .await;
            assert!(matches!(no_note, Err(StoreError::Field { ref field, .. }) if field == "note"));
            store.close().await;
        });
    }
}

#[test]
fn a_contributors_correction_waits_for_review_and_retiring_unlists() {
    for db in backends("corrections_review") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            store.import_files(&[release("2023-03-01", vec![plant("A", 1000.0)])], &|_| {}).await.unwrap();
            let target = Target::Plant { key: "decarb/A".into() };
            let first = meta("api:secretariat", "annual report 2024", "2024-06-01");
            store.apply_edit(&correct("A", capacity(1_100_000.0)), &first, Some(1)).await.unwrap();
            // A contributor's correction waits for an editor; approval logs both names.
            let proposal = store
                .propose(
                    &correct("A", PlantPatch { status: Some("mothballed".into()), ..PlantPatch::default() }),
                    &meta("api:analyst", "idled", "2024-09-01"),
                    Some(2),
                )
                .await
                .unwrap();
            assert_eq!(store.plant("A", None).await.unwrap().row.status, "operating");
            store.decide(proposal.id, true, "api:secretariat", Some("checked")).await.unwrap();
            let detail = store.plant("A", None).await.unwrap();
            assert_eq!((detail.row.status.as_str(), detail.version), ("mothballed", 3));
            let status = detail.corrections.iter().find(|c| c.field == "status").unwrap();
            assert_eq!(
                (status.recorded_by.as_str(), status.approved_by.as_deref()),
                ("api:analyst", Some("api:secretariat"))
            );
            // Correcting back to the file's own value ends the correction and keeps none.
            store
                .apply_edit(
                    &correct("A", capacity(1_000_000.0)),
                    &meta("api:secretariat", "report was wrong", "2024-10-01"),
                    None,
                )
                .await
                .unwrap();
            let detail = store.plant("A", None).await.unwrap();
            let capacity_fixes: Vec<bool> =
                detail.corrections.iter().filter(|c| c.field == "capacity").map(|c| c.in_force).collect();
            assert_eq!(capacity_fixes, [false]);

            // Retiring unlists from its day, nothing is deleted.
            store
                .apply_edit(
                    &Edit::Retire { target },
                    &meta("api:secretariat", "duplicate of B", "2024-12-01"),
                    None,
                )
                .await
                .unwrap();
            assert!(state(&store, "A", Some("2024-11-30")).await.1);
            assert!(!state(&store, "A", None).await.1);
            assert!(store.load_fleet(None).await.unwrap().plants.is_empty(), "{}", db.label);
            let last = store.history(EntityKind::Plant, "A").await.unwrap().pop().unwrap();
            assert_eq!((last.field.as_str(), last.new_value.as_deref()), ("listed", Some("0")));
            store.close().await;
        });
    }
}

/// Corrections the importer's limits refuse, with the field each error must name.
fn bad_patches() -> Vec<(&'static str, PlantPatch)> {
    let holders = |list: &[(&str, f64)]| PlantPatch {
        owners: Some(list.iter().map(|(n, s)| Holder { name: (*n).into(), share: Some(*s) }).collect()),
        ..PlantPatch::default()
    };
    vec![
        ("capacity_tpa", capacity(2e8)),
        ("status", PlantPatch { status: Some("open".into()), ..PlantPatch::default() }),
        ("route", PlantPatch { route: Some("magic".into()), ..PlantPatch::default() }),
        ("start", PlantPatch { start: Some("someday".into()), ..PlantPatch::default() }),
        ("coordinates", PlantPatch { coordinates: Some([95.0, 0.0]), ..PlantPatch::default() }),
        ("owners", holders(&[("X", 1.5)])),
        ("owners", holders(&[("X", 0.7), ("Y", 0.7)])),
        ("name", PlantPatch { name: Some(" ".into()), ..PlantPatch::default() }),
    ]
}

#[test]
fn a_later_release_keeps_a_correction_while_it_repeats_the_value_corrected_and_ends_it_otherwise() {
    for db in backends("corrections_import") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            let first = vec![plant("A", 1000.0), plant("B", 500.0), plant("C", 300.0)];
            store.import_files(&[release("2023-03-01", first)], &|_| {}).await.unwrap();
            let editor = |note: &str| meta("api:secretariat", note, "2024-06-01");
            store
                .apply_edit(&correct("A", capacity(1_100_000.0)), &editor("A's report"), None)
                .await
                .unwrap();
            store.apply_edit(&correct("B", capacity(600_000.0)), &editor("B's report"), None).await.unwrap();
            store
                .apply_edit(
                    &Edit::Retire { target: Target::Plant { key: "decarb/C".into() } },
                    &editor("never built"),
                    None,
                )
                .await
                .unwrap();

            // The next release repeats A's 1,000 kt and lists C again; it changes B to 550 kt and
            // A's name.
            let mut renamed = plant("A", 1000.0);
            renamed.name = "A steelworks".into();
            let second = vec![renamed, plant("B", 550.0), plant("C", 300.0)];
            let summaries = store.import_files(&[release("2025-03-25", second)], &|_| {}).await.unwrap();
            let summary = &summaries[0];
            assert_eq!((summary.changed, summary.unchanged, summary.relisted), (2, 1, 0), "{summary:?}");

            // A: the correction stands, the rest of the release applies.
            assert_eq!(state(&store, "A", None).await, (Some(1_100_000.0), true));
            let a = store.plant("A", None).await.unwrap();
            assert_eq!(a.row.name, "A steelworks");
            assert!(a.corrections[0].in_force);
            assert_eq!(a.version, 3, "1, the correction's 2, the release's 3");
            // B: the release gives another value than the one corrected: it wins, and says so.
            assert_eq!(state(&store, "B", None).await, (Some(550_000.0), true));
            assert_eq!(state(&store, "B", Some("2025-03-24")).await, (Some(600_000.0), true));
            let b = store.plant("B", None).await.unwrap();
            assert!(!b.corrections[0].in_force);
            assert!(
                b.corrections[0].ended_by.as_deref().unwrap().contains("2025-03-25.csv"),
                "{:?}",
                b.corrections
            );
            let history = store.history(EntityKind::Plant, "B").await.unwrap();
            let ended =
                history.iter().find(|c| c.valid_from == "2025-03-25" && c.field == "capacity").unwrap();
            assert_eq!(
                (ended.old_value.as_deref(), ended.new_value.as_deref()),
                (Some("600000"), Some("550000"))
            );
            let note = ended.note.as_deref().unwrap();
            assert!(
                note.contains("2024-06-01")
                    && note.contains("api:secretariat")
                    && note.contains("correction ends"),
                "{note}"
            );
            // C: listed by the release, kept unlisted by its retirement.
            assert!(!state(&store, "C", None).await.1);
            assert!(store.plant("C", None).await.unwrap().corrections[0].in_force);

            // A third release dropping C ends nothing (a release's absence is not a value), and a
            // fourth listing it keeps it retired.
            let third = vec![plant("A", 1000.0), plant("B", 550.0)];
            store.import_files(&[release("2025-09-01", third)], &|_| {}).await.unwrap();
            store
                .import_files(
                    &[release("2026-03-01", vec![plant("A", 1000.0), plant("B", 550.0), plant("C", 300.0)])],
                    &|_| {},
                )
                .await
                .unwrap();
            assert!(!state(&store, "C", None).await.1);
            store.close().await;
        });
    }
}

#[test]
fn a_release_dated_before_a_correction_fills_the_days_before_it() {
    for db in backends("corrections_before") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            store.import_files(&[release("2023-03-01", vec![plant("A", 1000.0)])], &|_| {}).await.unwrap();
            // Corrected from 2025-06-01; GEM's release of 2025-03-25 is imported afterwards.
            store
                .apply_edit(
                    &correct("A", capacity(1_100_000.0)),
                    &meta("api:secretariat", "report", "2025-06-01"),
                    None,
                )
                .await
                .unwrap();
            let mut renamed = plant("A", 1000.0);
            renamed.name = "A steelworks".into();
            store.import_files(&[release("2025-03-25", vec![renamed.clone()])], &|_| {}).await.unwrap();
            // Up to the correction's day, the release; from it, the correction over the release.
            let before = store.plant("A", Some("2025-05-31")).await.unwrap();
            assert_eq!(
                (before.row.name.as_str(), before.row.capacity_tpa),
                ("A steelworks", Some(1_000_000.0))
            );
            let after = store.plant("A", None).await.unwrap();
            assert_eq!(
                (after.row.name.as_str(), after.row.capacity_tpa),
                ("A steelworks", Some(1_100_000.0))
            );
            assert!(after.corrections[0].in_force);
            assert_eq!(store.plant("A", Some("2024-01-01")).await.unwrap().row.name, "A works");
            // A release still before the correction's day giving another capacity ends it, from
            // the release's day through the correction's.
            let mut bigger = renamed;
            bigger.capacity = Reported::Value(TonnesPerYear::from_kt(1200.0));
            store.import_files(&[release("2025-04-01", vec![bigger])], &|_| {}).await.unwrap();
            assert_eq!(state(&store, "A", Some("2025-04-01")).await.0, Some(1_200_000.0));
            assert_eq!(state(&store, "A", None).await.0, Some(1_200_000.0));
            let history = store.history(EntityKind::Plant, "A").await.unwrap();
            let rows: Vec<(&str, &str, Option<&str>)> = history
                .iter()
                .filter(|c| c.field == "capacity")
                .map(|c| (c.valid_from.as_str(), c.recorded_by.as_str(), c.new_value.as_deref()))
                .collect();
            assert_eq!(rows[0], ("2025-04-01", "test", Some("1200000")), "{rows:?}");
            assert!(rows.contains(&("2025-06-01", "api:secretariat", Some("1100000"))), "{rows:?}");
            assert!(rows.contains(&("2025-06-01", "test", Some("1200000"))), "{rows:?}");
            assert!(!store.plant("A", None).await.unwrap().corrections[0].in_force);
            store.close().await;
        });
    }
}

/// Eight editors correct one plant holding the same version: exactly one correction lands, the
/// seven others are stale (HTTP 412) and write nothing; read again, each lands in turn, none lost.
#[test]
fn eight_concurrent_editors_of_one_plant_get_one_success_and_seven_stale() {
    for db in backends("corrections_concurrent") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            store.import_files(&[release("2023-03-01", vec![plant("A", 1000.0)])], &|_| {}).await.unwrap();
            let target = Target::Plant { key: "decarb/A".into() };
            let version = store.record_version(&target).await.unwrap().version;
            let editor = |i: usize| meta(&format!("api:editor-{i}"), "report", "2024-06-01");
            let mut tasks = Vec::new();
            for i in 0..8 {
                let store = store.clone();
                tasks.push(tokio::spawn(async move {
                    let fix = correct("A", capacity(1_000_000.0 + 1000.0 * (i + 1) as f64));
                    (i, store.apply_edit(&fix, &editor(i), Some(version)).await)
                }));
            }
            let mut winner = None;
            let mut stale = 0;
            for task in tasks {
                match task.await.unwrap() {
                    (i, Ok(applied)) => {
                        assert_eq!(applied.version, version + 1);
                        winner = Some(i);
                    }
                    (_, Err(StoreError::Stale { expected, current, .. })) => {
                        assert_eq!((expected, current), (version, version + 1));
                        stale += 1;
                    }
                    (_, Err(other)) => panic!("{other}"),
                }
            }
            let winner = winner.expect("one success");
            assert_eq!(stale, 7, "{}", db.label);
            let detail = store.plant("A", None).await.unwrap();
            assert_eq!(detail.row.capacity_tpa, Some(1_000_000.0 + 1000.0 * (winner + 1) as f64));
            assert_eq!(detail.corrections.len(), 1, "the seven stale writes left nothing");
            let logged = store.history(EntityKind::Plant, "A").await.unwrap();
            assert_eq!(logged.iter().filter(|c| c.reason.is_some()).count(), 1);
            // Each reads again and retries (the same day: a state of that day is rewritten in
            // place): all eight land, one after the other, none lost.
            let mut tasks = Vec::new();
            for i in 0..8 {
                let (store, target) = (store.clone(), target.clone());
                tasks.push(tokio::spawn(async move {
                    loop {
                        let now = store.record_version(&target).await.unwrap().version;
                        let fix = correct("A", capacity(2_000_000.0 + 1000.0 * i as f64));
                        match store.apply_edit(&fix, &editor(i), Some(now)).await {
                            Ok(_) => return,
                            Err(StoreError::Stale { .. }) => {}
                            Err(other) => panic!("{other}"),
                        }
                    }
                }));
            }
            for task in tasks {
                task.await.unwrap();
            }
            assert_eq!(store.record_version(&target).await.unwrap().version, version + 9);
            let logged = store.history(EntityKind::Plant, "A").await.unwrap();
            assert_eq!(logged.iter().filter(|c| c.reason.is_some()).count(), 9, "{}", db.label);
            let detail = store.plant("A", None).await.unwrap();
            assert_eq!(detail.corrections.iter().filter(|c| c.in_force).count(), 1);
            assert_eq!(detail.corrections.len(), 9);
            // The one in force is the last to land, and keeps what the file gave.
            let last = logged.iter().rev().find(|c| c.field == "capacity").unwrap();
            assert_eq!(detail.row.capacity_tpa, last.new_value.as_deref().map(|v| v.parse().unwrap()));
            let in_force = detail.corrections.iter().find(|c| c.in_force).unwrap();
            assert_eq!(in_force.file_value.as_deref(), Some("1000000"));
            store.close().await;
        });
    }
}

/// A plant's GEM.wiki page is the newest release's: a newer release replaces it, one without a
/// page leaves it, and a back-filled older release only fills a missing one. It is a reference,
/// not in the change log, so a release changing only the page changes no version.
#[test]
fn the_wiki_page_follows_the_newest_release_that_gives_one() {
    for db in backends("corrections_wiki") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            let with_wiki = |id: &str, url: Option<&str>| {
                let mut p = plant(id, 1000.0);
                p.wiki_url = url.map(str::to_owned);
                p
            };
            let first = vec![with_wiki("A", Some("https://www.gem.wiki/A_old")), with_wiki("B", None)];
            store.import_files(&[release("2024-03-01", first)], &|_| {}).await.unwrap();
            let wiki = |id: &'static str| {
                let store = store.clone();
                async move { store.plant(id, None).await.unwrap().gem_wiki }
            };
            assert_eq!(
                (wiki("A").await.as_deref(), wiki("B").await),
                (Some("https://www.gem.wiki/A_old"), None)
            );
            let newer = vec![with_wiki("A", Some("https://www.gem.wiki/A_new")), with_wiki("B", None)];
            store.import_files(&[release("2025-03-01", newer)], &|_| {}).await.unwrap();
            assert_eq!(wiki("A").await.as_deref(), Some("https://www.gem.wiki/A_new"));
            assert_eq!(store.plant("A", None).await.unwrap().version, 1, "a page is not a change");
            // Older (back-filled): fills B's missing page, leaves A's.
            let older = vec![
                with_wiki("A", Some("https://www.gem.wiki/A_older")),
                with_wiki("B", Some("https://www.gem.wiki/B_older")),
            ];
            store.import_files(&[release("2023-03-01", older)], &|_| {}).await.unwrap();
            assert_eq!(wiki("A").await.as_deref(), Some("https://www.gem.wiki/A_new"));
            assert_eq!(wiki("B").await.as_deref(), Some("https://www.gem.wiki/B_older"));
            // A newer release without a page leaves the stored one.
            let bare = vec![with_wiki("A", None), with_wiki("B", None)];
            store.import_files(&[release("2026-03-01", bare)], &|_| {}).await.unwrap();
            assert_eq!(wiki("A").await.as_deref(), Some("https://www.gem.wiki/A_new"));
            store.close().await;
        });
    }
}
