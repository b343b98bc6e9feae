//! The store's one "as of" rule and one "operating", held across every reader (plant lists, plant
//! views, aggregates, the fleet for the engine, projects, members), on SQLite and (when
//! configured) PostgreSQL. The rule (docs/tracker-writes.md, "As of"): a state holds from its
//! first day up to, not including, the first day of the next; no date is the latest state, with
//! no upper bound and no sentinel day.

mod common;

use common::{backends, fresh, runtime, steel_plant};
use decarb_model::{Plant, PlantStatus};
use decarb_store::views::{self, GroupBy, PlantQuery};
use decarb_store::{
    Edit, ImportFile, PlantFilter, PlantRecord, PlantRelease, ProjectFilter, RegistryFilter, SourceRecord,
    Target, WriteMeta,
};

fn plant(id: &str, status: PlantStatus, capacity_kt: f64) -> Plant {
    Plant {
        country_text: "Sweden".to_owned(),
        coordinates: None,
        ..steel_plant(id, &format!("{id} works"), "SWE", status, capacity_kt)
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

#[test]
fn every_reader_applies_the_same_as_of_rule_and_the_same_operating() {
    for db in backends("as_of_rule") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            let first = vec![
                plant("A", PlantStatus::Operating, 1000.0),
                plant("B", PlantStatus::OperatingPreRetirement, 400.0),
                plant("C", PlantStatus::Construction, 700.0),
            ];
            let second = vec![
                plant("A", PlantStatus::Operating, 1200.0),
                plant("B", PlantStatus::Retired, 400.0),
                plant("C", PlantStatus::Operating, 700.0),
            ];
            store.import_files(&[release("2023-03-01", first)], &|_| {}).await.unwrap();
            store.import_files(&[release("2025-03-25", second)], &|_| {}).await.unwrap();

            // (day, plants listed, operating plants, operating capacity in kt)
            let cases = [
                (Some("2023-02-28".to_owned()), 0, 0, 0.0), // before the first release: nothing
                (Some("2023-03-01".to_owned()), 3, 2, 1400.0), // a state holds from its first day
                (Some("2025-03-24".to_owned()), 3, 2, 1400.0), // ... to the day before the next
                (Some("2025-03-25".to_owned()), 3, 2, 1900.0), // the next holds from its own first day
                (None, 3, 2, 1900.0),                       // no date: the latest, with no upper bound
            ];
            for (as_of, listed, operating, capacity_kt) in cases {
                let label = format!("{} as of {as_of:?}", db.label);
                let plants = store
                    .plants(&PlantFilter { as_of: as_of.clone(), ..PlantFilter::default() })
                    .await
                    .unwrap();
                assert_eq!(plants.len(), listed, "{label}");
                let page = views::plant_page(
                    &store,
                    &PlantQuery { as_of: as_of.clone(), ..PlantQuery::default() },
                    100,
                    0,
                )
                .await
                .unwrap();
                assert_eq!(page.total, i64::try_from(listed).unwrap(), "{label}");
                let fleet = store.load_fleet(as_of.as_deref()).await.unwrap();
                assert_eq!(fleet.len(), listed, "{label}");

                // Operating: the model's definition, the views' filter and the headline query agree.
                let by_model = fleet.plants.iter().filter(|p| p.status.is_operating()).count();
                assert_eq!(by_model, operating, "{label}");
                let query = PlantQuery { operating: true, as_of: as_of.clone(), ..PlantQuery::default() };
                let groups = views::fleet_groups(&store, &query, &[]).await.unwrap();
                let (plants_operating, capacity) =
                    groups.first().map_or((0, 0.0), |g| (g.plants, g.capacity_tpa));
                assert_eq!(plants_operating, i64::try_from(operating).unwrap(), "{label}");
                assert!((capacity - capacity_kt * 1000.0).abs() < 1e-6, "{label}: {capacity}");
                let headline = store.operating_capacity(as_of.as_deref(), None).await.unwrap();
                let total: f64 = headline.iter().map(|r| r.capacity_tpa).sum();
                assert!((total - capacity_kt * 1000.0).abs() < 1e-6, "{label}: {total}");
                let statuses = views::fleet_groups(&store, &query, &[GroupBy::Status]).await.unwrap();
                for g in statuses {
                    let status: PlantStatus = g.keys[0].as_deref().unwrap().parse().unwrap();
                    assert!(status.is_operating(), "{label}: {status:?}");
                }
            }
            // One plant's state on the boundary days.
            assert_eq!(
                store.plant("B", Some("2025-03-24")).await.unwrap().row.status,
                "operating-pre-retirement"
            );
            assert_eq!(store.plant("B", Some("2025-03-25")).await.unwrap().row.status, "retired");
            assert_eq!(store.plant("B", None).await.unwrap().row.status, "retired");
            let err = store.plant("B", Some("2020-01-01")).await.unwrap_err().to_string();
            assert!(err.contains("B as of 2020-01-01"), "{err}");
            store.close().await;
        });
    }
}

#[test]
fn retirement_ends_a_record_on_its_day_and_the_latest_view_has_no_upper_bound() {
    for db in backends("as_of_retire") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            let key = "seed-salcos-stage-1-salzgitter";
            let meta = WriteMeta {
                by: "test".to_owned(),
                note: "cancelled".to_owned(),
                source_url: None,
                valid_from: Some("2026-06-01".to_owned()),
            };
            let listed = async |as_of: Option<&str>| {
                let filter = ProjectFilter { as_of: as_of.map(str::to_owned), ..ProjectFilter::default() };
                store.projects(&filter).await.unwrap().iter().any(|p| p.key == key)
            };
            assert!(listed(None).await);
            store
                .apply_edit(&Edit::Retire { target: Target::Project { key: key.to_owned() } }, &meta, None)
                .await
                .unwrap();
            assert!(listed(Some("2026-05-31")).await, "{}: listed the day before", db.label);
            assert!(!listed(Some("2026-06-01")).await, "{}: gone on its retirement day", db.label);
            assert!(!listed(None).await, "{}: gone from the latest list", db.label);

            // A member with no known date is only in the latest list; a dated one from its day.
            let members = async |as_of: Option<&str>| {
                let filter = RegistryFilter { as_of: as_of.map(str::to_owned), ..RegistryFilter::default() };
                store.members(&filter).await.unwrap()
            };
            let latest = members(None).await;
            assert!(latest.iter().any(|m| m.name == "Tata Steel"));
            assert!(!members(Some("2099-12-31")).await.iter().any(|m| m.name == "Tata Steel"));
            // Undated members are listed after every dated one.
            let dated: Vec<bool> =
                latest.iter().map(|m| m.joined.is_some() || m.known_from.is_some()).collect();
            assert!(dated.windows(2).all(|w| w[0] || !w[1]), "{}: {dated:?}", db.label);
            store.close().await;
        });
    }
}

#[test]
fn an_impossible_day_is_refused_with_the_reason() {
    let err = decarb_store::load_fleet("unused.db", Some("2024-02-30")).unwrap_err().to_string();
    assert!(err.contains("2024-02-30") && err.contains("February 2024 has 29 days"), "{err}");
    let err = decarb_store::parse_day("2023-02-29").unwrap_err().to_string();
    assert!(err.contains("February 2023 has 28 days"), "{err}");
}
