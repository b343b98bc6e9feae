//! The store's behaviour, run on SQLite and (when configured) PostgreSQL with the same code.

mod common;

use common::{backends, fresh, runtime, steel_plant as plant};
use decarb_model::tracker::{MemberKind, ProjectStage};
use decarb_model::{CountryCode, Plant, PlantStatus};
use decarb_store::{
    ChangeClass, ConstraintRule, CountedTable, EntityKind, ImportFile, MemberRecord, PlantFilter,
    PlantRecord, PlantRelease, ProjectFilter, ProjectUpdate, RegistryFilter, SourceRecord, Store, StoreError,
};
use sqlx::Row;

/// The first of two releases of four plants (one id twice: told apart by occurrence).
fn first_release() -> Vec<Plant> {
    vec![
        plant("A1", "Alpha works", "SWE", PlantStatus::Operating, 1000.0),
        plant("B2", "Beta works", "IND", PlantStatus::Announced, 500.0),
        plant("C3", "Gamma works", "DEU", PlantStatus::Operating, 800.0),
        plant("A1", "Alpha second site", "SWE", PlantStatus::Operating, 300.0),
    ]
}

/// The second: one capacity up, one plant under construction, one retired, one new.
fn second_release() -> Vec<Plant> {
    vec![
        plant("A1", "Alpha works", "SWE", PlantStatus::Operating, 1200.0),
        plant("B2", "Beta works", "IND", PlantStatus::Construction, 500.0),
        plant("A1", "Alpha second site", "SWE", PlantStatus::Retired, 300.0),
        plant("D4", "Delta works", "USA", PlantStatus::Announced, 900.0),
    ]
}

fn release(file: &str, as_of: &str) -> PlantRelease {
    PlantRelease {
        file: file.to_owned(),
        kind: "decarb-csv".to_owned(),
        source: SourceRecord::new(&format!("test-{as_of}"), "test release"),
        as_of: as_of.to_owned(),
    }
}

fn plants_file(file: &str, as_of: &str, plants: Vec<Plant>) -> ImportFile {
    ImportFile::Plants {
        release: release(file, as_of),
        records: plants
            .into_iter()
            .enumerate()
            .map(|(i, plant)| PlantRecord { plant, row: Some(i + 2) })
            .collect(),
    }
}

/// Everything in the store, as text, to prove a failed import changed nothing.
async fn snapshot(store: &Store) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for table in [
        CountedTable::Sources,
        CountedTable::Companies,
        CountedTable::Plants,
        CountedTable::PlantStates,
        CountedTable::Projects,
        CountedTable::ProjectStates,
        CountedTable::Members,
        CountedTable::Changes,
        CountedTable::Imports,
    ] {
        out.push((format!("{table:?}"), store.count(table).await.unwrap()));
    }
    let rows = sqlx::query("SELECT p.plant_key, s.status, s.capacity_tpa, s.valid_from, s.valid_to FROM plant p JOIN plant_state s ON s.plant_id = p.id ORDER BY p.plant_key, s.valid_from")
        .fetch_all(store.pool())
        .await
        .unwrap();
    for row in rows {
        let key: String = row.try_get(0).unwrap();
        let status: String = row.try_get(1).unwrap();
        let capacity: Option<f64> = row.try_get(2).unwrap();
        let from: String = row.try_get(3).unwrap();
        let to: Option<String> = row.try_get(4).unwrap();
        out.push((format!("{key} {status} {capacity:?} {from} {to:?}"), 0));
    }
    out
}

#[test]
fn init_loads_countries_and_cited_members_pledges_partnerships_projects() {
    for db in backends("init") {
        runtime().block_on(async {
            let store = Store::open(&db.target).await.unwrap();
            let summary = store.init().await.unwrap();
            assert!(summary.seeded, "{}", db.label);
            assert_eq!(summary.countries, 250);
            assert_eq!((summary.members, summary.partnerships, summary.projects), (34, 4, 50));
            // Running init again loads nothing twice.
            let again = store.init().await.unwrap();
            assert!(!again.seeded);
            assert_eq!(store.count(CountedTable::Members).await.unwrap(), 34);

            let members = store.members(&RegistryFilter::default()).await.unwrap();
            let usa = members.iter().find(|m| m.country.as_deref() == Some("USA")).unwrap();
            assert_eq!(usa.joined.as_deref(), Some("2021-04-23"));
            let founders: Vec<_> = members
                .iter()
                .filter(|m| m.joined.as_deref() == Some("2019-09-23"))
                .map(|m| m.name.as_str())
                .collect();
            assert!(founders.contains(&"Sweden") && founders.contains(&"India"), "{founders:?}");
            // Membership as of a date: the US is not yet a member at the end of 2020, and is on
            // the day it joined.
            let end_2020 = RegistryFilter { as_of: Some("2020-12-31".into()), ..RegistryFilter::default() };
            let in_2020 = store.members(&end_2020).await.unwrap();
            assert!(in_2020.iter().all(|m| m.name != "United States"));
            assert_eq!(in_2020.len(), 22, "11 founding countries and 11 founding companies");
            let joined_day = RegistryFilter { as_of: Some("2021-04-23".into()), ..RegistryFilter::default() };
            assert!(store.members(&joined_day).await.unwrap().iter().any(|m| m.name == "United States"));
            assert!(members.iter().all(|m| m.source_url.as_deref().is_some_and(|u| u.starts_with("http"))));

            let pledges = store.pledges(&RegistryFilter::default()).await.unwrap();
            let sweden = pledges.iter().find(|p| p.member == "Sweden").unwrap();
            assert_eq!((sweden.target_year, sweden.verified), (Some(2045), true));
            let india = pledges.iter().find(|p| p.member == "India").unwrap();
            assert_eq!(india.target_year, Some(2070));
            assert!(pledges.iter().any(|p| !p.verified), "unverified pledges are marked");

            let partnerships = store.partnerships(&RegistryFilter::default()).await.unwrap();
            let itp = partnerships
                .iter()
                .find(|p| p.name == "India-Sweden Industry Transition Partnership")
                .unwrap();
            assert_eq!(itp.parties, vec!["India".to_owned(), "Sweden".to_owned()]);
            assert_eq!(itp.started.as_deref(), Some("2023-12-01"));

            let steel = store
                .projects(&ProjectFilter { sector: Some("steel".into()), ..ProjectFilter::default() })
                .await
                .unwrap();
            assert_eq!(steel.len(), 24);
            let stegra = steel.iter().find(|p| p.name.starts_with("Stegra Boden")).unwrap();
            assert_eq!((stegra.stage.as_str(), stegra.capacity_value), ("construction", Some(5.0)));
            store.close().await;
        });
    }
}

#[test]
fn releases_are_matched_by_id_and_the_differences_kept_as_history() {
    for db in backends("releases") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            let first = first_release();
            store.import_files(&[plants_file("first.csv", "2023-03-01", first)], &|_| {}).await.unwrap();
            let second = second_release();
            let summary = store
                .import_files(&[plants_file("second.csv", "2025-03-25", second)], &|_| {})
                .await
                .unwrap();
            let s = &summary[0];
            assert_eq!(
                (s.added, s.changed, s.unchanged, s.removed, s.matched_by_id),
                (1, 3, 0, 1, 3),
                "{}",
                db.label
            );

            let diff = store.diff("2023-03-01", None).await.unwrap();
            let classes: Vec<(String, ChangeClass)> =
                diff.iter().map(|c| (c.key.clone(), c.class())).collect();
            assert!(classes.contains(&("decarb/D4".into(), ChangeClass::Added)));
            assert!(classes.contains(&("decarb/C3".into(), ChangeClass::Removed)));
            assert!(classes.contains(&("decarb/A1#2".into(), ChangeClass::Retired)));
            assert!(classes.contains(&("decarb/B2".into(), ChangeClass::Status)));
            assert!(classes.contains(&("decarb/A1".into(), ChangeClass::Capacity)));
            let capacity = diff.iter().find(|c| c.key == "decarb/A1" && c.field == "capacity").unwrap();
            assert_eq!(
                (capacity.old_value.as_deref(), capacity.new_value.as_deref()),
                (Some("1000000"), Some("1200000"))
            );
            assert_eq!(capacity.recorded_by, "test");

            // As of the end of 2023 the first release still stands; today, the second.
            let at_2023 = PlantFilter { as_of: Some("2023-12-31".into()), ..PlantFilter::default() };
            let old = store.plants(&at_2023).await.unwrap();
            let keys: Vec<_> =
                old.iter().map(|p| (p.key.as_str(), p.status.as_str(), p.capacity_tpa)).collect();
            assert_eq!(
                keys,
                vec![
                    ("A1", "operating", Some(1_000_000.0)),
                    ("A1#2", "operating", Some(300_000.0)),
                    ("B2", "announced", Some(500_000.0)),
                    ("C3", "operating", Some(800_000.0))
                ]
            );
            let now = store.plants(&PlantFilter::default()).await.unwrap();
            assert_eq!(
                now.iter().map(|p| p.key.as_str()).collect::<Vec<_>>(),
                vec!["A1", "A1#2", "B2", "D4"]
            );
            // Before the first release there was nothing.
            let before = PlantFilter { as_of: Some("2020-01-01".into()), ..PlantFilter::default() };
            assert!(store.plants(&before).await.unwrap().is_empty());

            let history = store.history(EntityKind::Plant, "B2").await.unwrap();
            assert_eq!(
                history.iter().map(|c| c.field.as_str()).collect::<Vec<_>>(),
                vec!["created", "status"]
            );
            let detail = store.plant("A1#2", Some("2024-01-01")).await.unwrap();
            assert_eq!(detail.row.status, "operating");

            store.close().await;
        });
    }
}

/// A release older than the stored ones back-fills history, ordered by release date, not import
/// order: as of its date it is what the store says; from the next release on nothing changes.
#[test]
fn an_older_release_imported_last_back_fills_history() {
    for db in backends("backfill") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            let first = first_release();
            store.import_files(&[plants_file("first.csv", "2023-03-01", first)], &|_| {}).await.unwrap();
            let second = second_release();
            store.import_files(&[plants_file("second.csv", "2025-03-25", second)], &|_| {}).await.unwrap();
            let at_2023 = PlantFilter { as_of: Some("2023-12-31".into()), ..PlantFilter::default() };
            // An older release after the newer ones back-fills history (ordered by release
            // date, not import order): as of 2022 it is what the store says; from 2023-03-01 on
            // nothing changes. Z9 (only in the old release) is listed until the next release.
            let summary = store
                .import_files(
                    &[plants_file(
                        "old.csv",
                        "2022-01-01",
                        vec![
                            plant("A1", "Alpha works", "SWE", PlantStatus::Construction, 1.0),
                            plant("Z9", "Zeta works", "FIN", PlantStatus::Operating, 2.0),
                        ],
                    )],
                    &|_| {},
                )
                .await
                .unwrap();
            assert_eq!((summary[0].added, summary[0].removed), (2, 0), "{:?}", summary[0]);
            let at_2022 = PlantFilter { as_of: Some("2022-06-01".into()), ..PlantFilter::default() };
            let old_rows: Vec<_> = store
                .plants(&at_2022)
                .await
                .unwrap()
                .into_iter()
                .map(|p| (p.key, p.status, p.capacity_tpa))
                .collect();
            assert_eq!(
                old_rows,
                vec![
                    ("A1".to_owned(), "construction".to_owned(), Some(1_000.0)),
                    ("Z9".to_owned(), "operating".to_owned(), Some(2_000.0))
                ]
            );
            let again: Vec<_> = store.plants(&at_2023).await.unwrap().into_iter().map(|p| p.key).collect();
            assert_eq!(again, ["A1", "A1#2", "B2", "C3"]);
            let now_again: Vec<_> =
                store.plants(&PlantFilter::default()).await.unwrap().into_iter().map(|p| p.key).collect();
            assert_eq!(now_again, ["A1", "A1#2", "B2", "D4"]);
            // A1's history starts with the back-filled release.
            let history = store.history(EntityKind::Plant, "A1").await.unwrap();
            assert_eq!(history[0].valid_from, "2022-01-01", "{history:?}");
            store.close().await;
        });
    }
}

#[test]
fn a_file_with_one_bad_row_is_rejected_whole_and_leaves_the_store_as_it_was() {
    for db in backends("atomic") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            let good = vec![plant("A1", "Alpha works", "SWE", PlantStatus::Operating, 1000.0)];
            store.import_files(&[plants_file("good.csv", "2023-03-01", good)], &|_| {}).await.unwrap();
            let before = snapshot(&store).await;
            // Two files in one import: the first is fine, the second has a negative capacity in
            // its third row (file row 4). Nothing of either may land.
            let fine = vec![
                plant("A1", "Alpha works", "SWE", PlantStatus::Operating, 1500.0),
                plant("E5", "Epsilon", "FRA", PlantStatus::Operating, 10.0),
            ];
            let bad = vec![
                plant("X1", "Xi", "SWE", PlantStatus::Operating, 10.0),
                plant("X2", "Omicron", "SWE", PlantStatus::Operating, 20.0),
                plant("X3", "Negative works", "SWE", PlantStatus::Operating, -5.0),
            ];
            let mut bad_file = plants_file("bad.csv", "2025-03-25", bad);
            if let ImportFile::Plants { release, .. } = &mut bad_file {
                release.source = SourceRecord::new("other-2025", "other");
            }
            let fine_file = plants_file("fine.csv", "2025-03-25", fine);
            // The bad plants belong to another family so that both files are written.
            if let ImportFile::Plants { records, .. } = &mut bad_file {
                for record in records.iter_mut() {
                    record.plant.source = "other".to_owned();
                }
            }
            let err = store.import_files(&[fine_file, bad_file], &|_| {}).await.unwrap_err();
            let message = err.to_string();
            assert!(
                matches!(err, StoreError::Constraint { rule: ConstraintRule::Check, .. }),
                "{}: {message}",
                db.label
            );
            assert!(message.contains("bad.csv, row 4") && message.contains("X3"), "{message}");
            assert_eq!(snapshot(&store).await, before, "{}", db.label);
            store.close().await;
        });
    }
}

#[test]
fn constraints_hold_in_the_database_itself_with_clear_errors() {
    for db in backends("constraints") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            let pool = store.pool();
            // An unknown country code, a stage outside the vocabulary, a member of no source:
            // rejected by the schema even when written around the API.
            let fk = sqlx::query("INSERT INTO member (name, kind, country, source_id) VALUES ('Atlantis', 'country', 'ATL', 'carbongap-tracker')")
                .execute(pool)
                .await
                .unwrap_err();
            assert_eq!(fk.as_database_error().unwrap().kind(), sqlx::error::ErrorKind::ForeignKeyViolation, "{}", db.label);
            let source = sqlx::query("INSERT INTO member (name, kind, country, source_id) VALUES ('Atlantis', 'company', NULL, 'no-such-source')")
                .execute(pool)
                .await
                .unwrap_err();
            assert_eq!(source.as_database_error().unwrap().kind(), sqlx::error::ErrorKind::ForeignKeyViolation);
            let stage = sqlx::query(
                "UPDATE project_state SET stage = 'dreaming' WHERE project_id = (SELECT id FROM project WHERE project_key = 'seed-stegra-boden-integrated-green-steel-plant')",
            )
            .execute(pool)
            .await
            .unwrap_err();
            assert_eq!(stage.as_database_error().unwrap().kind(), sqlx::error::ErrorKind::CheckViolation);
            let lowercase = sqlx::query("INSERT INTO country (iso3, name, region) VALUES ('abc', 'x', 'europe')").execute(pool).await.unwrap_err();
            assert_eq!(lowercase.as_database_error().unwrap().kind(), sqlx::error::ErrorKind::CheckViolation);

            // Through the API: an edit that would make a capacity negative names the project.
            let update = ProjectUpdate { capacity_delta: Some(-10.0), ..ProjectUpdate::default() };
            let source = SourceRecord::new("user-test", "test");
            let err = store.update_project("seed-stegra-boden-integrated-green-steel-plant", &update, &source, "2026-01-01").await.unwrap_err();
            assert!(matches!(err, StoreError::Constraint { rule: ConstraintRule::Check, .. }), "{err}");
            assert!(err.to_string().contains("seed-stegra-boden-integrated-green-steel-plant"), "{err}");
            // A pledge for a member that does not exist.
            let pledge = decarb_store::PledgeRecord {
                member: "Atlantis".into(),
                target_year: Some(2050),
                metric: "net-zero".into(),
                scope: "economy-wide".into(),
                milestone_2030: None,
                status: None,
                verified: false,
                stated: None,
                notes: None,
                source: SourceRecord::new("user-test", "test"),
            };
            assert!(matches!(store.add_pledge(&pledge).await.unwrap_err(), StoreError::NotFound { kind: "member", .. }));
            // A duplicate member.
            let member = MemberRecord {
                name: "Sweden".into(),
                kind: MemberKind::Country,
                country: CountryCode::resolve("SWE"),
                joined: None,
                known_from: None,
                left_on: None,
                notes: None,
                source: SourceRecord::new("user-test", "test"),
            };
            let dup = store.add_member(&member).await.unwrap_err();
            assert!(matches!(dup, StoreError::Constraint { rule: ConstraintRule::Unique, .. }), "{dup}");
            assert!(dup.to_string().contains("member \"Sweden\""), "{dup}");
            store.close().await;
        });
    }
}

#[test]
fn concurrent_writers_lose_no_update() {
    for db in backends("concurrent") {
        let rt = runtime();
        rt.block_on(async {
            let store = fresh(&db).await;
            store.close().await;
        });
        // Eight writers, each with its own connection pool (as separate processes would have),
        // each adding 1 Mt to the same project ten times and a partner of its own.
        let key = "seed-stegra-boden-integrated-green-steel-plant";
        let writers: Vec<_> = (0..8)
            .map(|w| {
                let target = db.target.clone();
                rt.spawn(async move {
                    let store = Store::open(&target).await.unwrap().with_actor(&format!("writer-{w}"));
                    let source = SourceRecord::new("user-test", "test");
                    for i in 0..10 {
                        let update = ProjectUpdate {
                            capacity_delta: Some(1.0),
                            add_partners: if i == 0 { vec![format!("Partner {w}")] } else { Vec::new() },
                            ..ProjectUpdate::default()
                        };
                        store.update_project(key, &update, &source, "2026-06-01").await.unwrap();
                    }
                    store.close().await;
                })
            })
            .collect();
        rt.block_on(async {
            for writer in writers {
                writer.await.unwrap();
            }
            let store = Store::open(&db.target).await.unwrap();
            let project = store.project(key, None).await.unwrap();
            assert_eq!(project.capacity_value, Some(85.0), "{}: 5 + 8 x 10 x 1", db.label);
            let mut partners = project.partners.clone();
            partners.sort();
            assert_eq!(partners, (0..8).map(|w| format!("Partner {w}")).collect::<Vec<_>>());
            let history = store.history(EntityKind::Project, key).await.unwrap();
            assert_eq!(history.iter().filter(|c| c.field == "capacity").count(), 80);
            // The state before the edits is still what the store says for 2026-01-01.
            assert_eq!(store.project(key, Some("2026-01-01")).await.unwrap().capacity_value, Some(5.0));
            store.close().await;
        });
    }
}

#[test]
fn project_edits_are_dated_and_readable_as_of_a_date() {
    for db in backends("project_edits") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            let key = "seed-hybrit-demonstration-plant-gallivare";
            let source = SourceRecord::new("user-test", "test");
            let update = ProjectUpdate {
                stage: Some(ProjectStage::Construction),
                start: Some("2029".into()),
                ..ProjectUpdate::default()
            };
            store.update_project(key, &update, &source, "2026-09-04").await.unwrap();
            assert_eq!(store.project(key, Some("2025-12-31")).await.unwrap().stage, "announced");
            let now = store.project(key, None).await.unwrap();
            assert_eq!((now.stage.as_str(), now.start.as_deref()), ("construction", Some("2029")));
            let history = store.history(EntityKind::Project, key).await.unwrap();
            let stage = history.iter().find(|c| c.field == "stage").unwrap();
            assert_eq!(
                (stage.old_value.as_deref(), stage.new_value.as_deref(), stage.valid_from.as_str()),
                (Some("announced"), Some("construction"), "2026-09-04")
            );
            let filter = ProjectFilter {
                stage: Some(ProjectStage::Construction),
                as_of: Some("2025-12-31".into()),
                ..ProjectFilter::default()
            };
            assert!(store.projects(&filter).await.unwrap().iter().all(|p| p.key != key));
            store.close().await;
        });
    }
}

#[test]
fn both_migrations_declare_the_same_tables_and_columns() {
    fn shape(sql: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut table = String::new();
        for line in sql.lines() {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("CREATE TABLE ") {
                table = rest.trim_end_matches(" (").to_owned();
            } else if let Some(column) = line.split_whitespace().next()
                && !line.starts_with("CREATE")
                && column.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
                && !["check", "unique", "primary", "references"]
                    .contains(&column.to_ascii_lowercase().as_str())
            {
                out.push(format!("{table}.{column}"));
            }
        }
        out
    }
    let sqlite = shape(include_str!("../migrations/sqlite/0001_tracker.sql"));
    let postgres = shape(include_str!("../migrations/postgres/0001_tracker.sql"));
    assert!(sqlite.len() > 100, "{}", sqlite.len());
    assert_eq!(sqlite, postgres);
}

#[test]
fn a_store_never_initialised_still_takes_imports_and_has_every_country() {
    for db in backends("uninitialised") {
        runtime().block_on(async {
            let store = Store::open(&db.target).await.unwrap();
            assert_eq!(store.count(CountedTable::Countries).await.unwrap(), 250);
            assert_eq!(
                store.count(CountedTable::Members).await.unwrap(),
                0,
                "{}: open does not seed",
                db.label
            );
            let plants = vec![plant("A1", "Alpha works", "BRA", PlantStatus::Operating, 100.0)];
            store.import_files(&[plants_file("a.csv", "2024-01-01", plants)], &|_| {}).await.unwrap();
            let fleet = store.load_fleet(Some("2024-06-30")).await.unwrap();
            assert_eq!(
                (fleet.plants.len(), fleet.plants[0].country.map(CountryCode::as_str)),
                (1, Some("BRA"))
            );
            store.close().await;
            // The blocking entry point the engine's `run --db` uses.
            let target = db.target.clone();
            let fleet =
                std::thread::spawn(move || decarb_store::load_fleet(&target, None)).join().unwrap().unwrap();
            assert_eq!(fleet.plants[0].id, "A1");
        });
    }
}

#[test]
fn several_inits_at_once_load_the_bundled_tables_once() {
    for db in backends("parallel_init") {
        let rt = runtime();
        let inits: Vec<_> = (0..4)
            .map(|_| {
                let target = db.target.clone();
                rt.spawn(async move {
                    let store = Store::open(&target).await.unwrap();
                    let summary = store.init().await.unwrap();
                    store.close().await;
                    summary.seeded
                })
            })
            .collect();
        rt.block_on(async {
            let mut seeded = 0;
            for init in inits {
                seeded += usize::from(init.await.unwrap());
            }
            assert_eq!(seeded, 1, "{}", db.label);
            let store = Store::open(&db.target).await.unwrap();
            assert_eq!(store.count(CountedTable::Members).await.unwrap(), 34);
            assert_eq!(store.count(CountedTable::Countries).await.unwrap(), 250);
            store.close().await;
        });
    }
}

/// Issue 14: a 200 KB member name and a project capacity of 1e308 are refused before they are
/// written, naming the record, the field and the bound.
#[test]
fn oversized_text_and_absurd_capacities_are_refused_before_writing() {
    for db in backends("limits") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            let before = store.members(&RegistryFilter::default()).await.unwrap().len();
            let member = MemberRecord {
                name: "x".repeat(200 * 1024),
                kind: MemberKind::Company,
                country: CountryCode::resolve("SWE"),
                joined: None,
                known_from: None,
                left_on: None,
                notes: None,
                source: SourceRecord::new("user-test", "test"),
            };
            let err = store.add_member(&member).await.unwrap_err();
            assert!(matches!(err, StoreError::Invalid { .. }), "{err}");
            let text = err.to_string();
            assert!(text.contains("member: name") && text.contains("at most 300 characters"), "{text}");
            assert!(text.len() < 300, "the message does not echo the whole name");
            assert_eq!(store.members(&RegistryFilter::default()).await.unwrap().len(), before);

            let update =
                ProjectUpdate { capacity: Some((1e308, "Mt steel/yr".into())), ..ProjectUpdate::default() };
            let source = SourceRecord::new("user-test", "test");
            let key = "seed-stegra-boden-integrated-green-steel-plant";
            let err = store.update_project(key, &update, &source, "2026-01-01").await.unwrap_err();
            assert!(err.to_string().contains("capacity") && err.to_string().contains("1e9"), "{err}");

            // The database holds the bounds too, for writers that skip decarb's checks.
            let pool = store.pool();
            let long = "x".repeat(301);
            let name = sqlx::query("UPDATE member SET name = $1 WHERE id = (SELECT MIN(id) FROM member)")
                .bind(&long)
                .execute(pool)
                .await;
            assert!(name.is_err(), "a 301-character name was stored");
            let capacity = sqlx::query(
                "UPDATE project_state SET capacity_value = 1e308 WHERE capacity_value IS NOT NULL AND valid_to IS NULL",
            )
            .execute(pool)
            .await;
            assert!(capacity.is_err(), "a capacity of 1e308 was stored");
        });
    }
}

/// A pledge's text fields are bounded like every other record's (docs/limits.md): an oversized
/// milestone is refused naming the record and field, and nothing is written.
#[test]
fn an_oversized_pledge_field_is_refused_and_nothing_is_written() {
    for db in backends("pledge_limits") {
        runtime().block_on(async {
            let store = Store::open(&db.target).await.unwrap();
            store.init().await.unwrap();
            let before = store.pledges(&decarb_store::RegistryFilter::default()).await.unwrap().len();
            let pledge = decarb_store::PledgeRecord {
                member: "Sweden".into(),
                target_year: Some(2045),
                metric: "net-zero".into(),
                scope: "industry".into(),
                milestone_2030: Some("x".repeat(5000)),
                status: None,
                verified: false,
                stated: None,
                notes: None,
                source: decarb_store::SourceRecord {
                    id: "test".into(),
                    citation: "test".into(),
                    url: None,
                    licence: None,
                    retrieved: None,
                },
            };
            let err = store.add_pledge(&pledge).await.unwrap_err().to_string();
            assert!(err.contains("milestone_2030") && err.contains("4000"), "{}: {err}", db.label);
            assert_eq!(store.pledges(&decarb_store::RegistryFilter::default()).await.unwrap().len(), before);
            store.close().await;
        });
    }
}
