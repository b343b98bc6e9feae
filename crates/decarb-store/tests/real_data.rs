//! The store on the real trackers in ../shared/data: GEM's 2023 and 2025 steel trackers, the
//! IEA CCUS database. Run on SQLite and, when configured, PostgreSQL.

mod common;

use common::{backends, fresh, runtime};
use decarb_store::{ChangeClass, CountedTable, EntityKind, PlantFilter, ProjectFilter, read_file};
use std::collections::BTreeMap;

#[test]
fn gem_2023_then_gem_2025_names_what_was_added_removed_and_changed_and_keeps_2023_readable() {
    let (Some(gspt), Some(gist)) = (
        decarb_data::shared::dataset("gem-steel-plant-tracker-2023-03"),
        decarb_data::shared::dataset("gem-iron-steel-tracker-2025-03"),
    ) else {
        return;
    };
    let gspt_file = read_file(&gspt.join("global_steel_plant_tracker_2023_03.xlsx"), None).unwrap();
    let gist_file = read_file(&gist.join("gist_plant_map_file_2025-03-25.csv"), None).unwrap();
    let units_file = read_file(&gist.join("gist_unit_map_file_2025-03-18.csv"), None).unwrap();
    assert_eq!(gspt_file.records(), 1433);
    for db in backends("gem_releases") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            let first = store.import_files(std::slice::from_ref(&gspt_file), &|_| {}).await.unwrap();
            assert_eq!((first[0].added, first[0].as_of.as_str()), (1433, "2023-03-01"), "{}", db.label);
            let second = store.import_files(&[gist_file.clone(), units_file.clone()], &|_| {}).await.unwrap();
            let s = &second[0];
            eprintln!("{}: {s:?}", db.label);
            assert_eq!(s.as_of, "2025-03-25");
            assert_eq!(s.records, gist_file.records());
            // Every 2025 record is new, changed or unchanged; every 2023 plant is matched or removed.
            assert_eq!(s.added + s.changed + s.unchanged, s.records);
            assert_eq!(
                s.matched_by_id + s.matched_by_name + s.matched_by_coordinates,
                s.changed + s.unchanged
            );
            assert_eq!(1433 - (s.changed + s.unchanged), s.removed);
            assert_eq!((s.added, s.changed, s.unchanged, s.removed), EXPECTED_GEM_SUMMARY, "{}", db.label);
            assert_eq!((s.matched_by_name, s.matched_by_coordinates), EXPECTED_GEM_MATCHES, "{}", db.label);
            assert_eq!(second[1].added, 4983, "furnace units stored");

            // The diff names the plants added, removed and changed.
            let diff = store.diff("2023-03-01", Some("2025-12-31")).await.unwrap();
            let mut classes: BTreeMap<ChangeClass, std::collections::BTreeSet<String>> = BTreeMap::new();
            for change in diff.iter().filter(|c| c.entity == "plant") {
                classes.entry(change.class()).or_default().insert(change.key.clone());
            }
            assert_eq!(classes[&ChangeClass::Added].len(), s.added);
            assert_eq!(classes[&ChangeClass::Removed].len(), s.removed);
            assert!(classes[&ChangeClass::Status].len() > 10, "{:?}", classes[&ChangeClass::Status].len());
            assert!(classes[&ChangeClass::Capacity].len() > 100);
            assert!(classes.get(&ChangeClass::Retired).is_some_and(|r| !r.is_empty()));
            let added = diff.iter().find(|c| c.entity == "plant" && c.class() == ChangeClass::Added).unwrap();
            assert!(
                added.note.as_deref().is_some_and(|n| n.contains("gem-gist-plants-2025-03-25")),
                "{added:?}"
            );

            // As of 2023-12-31 the 2023 release is what the store says; today, the 2025 one.
            let at_2023 = store
                .plants(&PlantFilter { as_of: Some("2023-12-31".into()), ..PlantFilter::default() })
                .await
                .unwrap();
            assert_eq!(at_2023.len(), 1433);
            assert!(
                at_2023.iter().all(|p| p.valid_from == "2023-03-01" && p.source == "gem-gspt-2023-03-01")
            );
            let now = store.plants(&PlantFilter::default()).await.unwrap();
            assert_eq!(now.len(), s.records);
            let operating_2023: f64 = store
                .operating_capacity(Some("2023-12-31"), None)
                .await
                .unwrap()
                .iter()
                .map(|r| r.capacity_tpa)
                .sum();
            let gspt_operating: f64 = match &gspt_file {
                decarb_store::ImportFile::Plants { records, .. } => records
                    .iter()
                    .filter(|r| r.plant.status.is_operating())
                    .filter_map(|r| r.plant.capacity.value())
                    .map(|c| c.0)
                    .sum(),
                _ => unreachable!(),
            };
            assert!((operating_2023 - gspt_operating).abs() < 1.0, "{operating_2023} vs {gspt_operating}");

            // The duplicated GSPT id is two plants, the second keyed SMY00015#2.
            let dup = store.plant("SMY00015#2", Some("2023-12-31")).await.unwrap();
            assert_eq!(dup.row.name, "Southern Steel Prai Penang plant");
            let first_smy = store.plant("SMY00015", Some("2023-12-31")).await.unwrap();
            assert_eq!(first_smy.row.name, "Alliance Steel Kuantan plant");
            // A GIST id finds the plant it was matched to, with its units and both ids.
            let boden = store.plant("P100000120850", None).await.unwrap();
            assert_eq!(
                (boden.row.name.as_str(), boden.row.status.as_str()),
                ("Stegra Boden steel plant", "construction")
            );
            assert_eq!(boden.ids[0].0, "gem-gist");
            assert_eq!(boden.units.iter().filter(|u| u.kind == "dri").count(), 2, "{:?}", boden.units);
            let history = store.history(EntityKind::Plant, "gem-steel/SMY00015").await.unwrap();
            assert_eq!(history[0].field, "created");
            store.close().await;
        });
    }
}

/// Import order does not matter: GEM's 2025 map file imported first and the 2023 workbook after
/// it gives, as of 2023-12-31, the 2023 release (1,433 plants, its operating capacity) and, today,
/// the 2025 release, the same answers as importing them in date order.
#[test]
fn gem_2025_then_gem_2023_back_fills_history_by_release_date() {
    let (Some(gspt), Some(gist)) = (
        decarb_data::shared::dataset("gem-steel-plant-tracker-2023-03"),
        decarb_data::shared::dataset("gem-iron-steel-tracker-2025-03"),
    ) else {
        return;
    };
    let gspt_file = read_file(&gspt.join("global_steel_plant_tracker_2023_03.xlsx"), None).unwrap();
    let gist_file = read_file(&gist.join("gist_plant_map_file_2025-03-25.csv"), None).unwrap();
    let total = |rows: Vec<decarb_store::CapacityRow>| rows.iter().map(|r| r.capacity_tpa).sum::<f64>();
    for (forward_db, db) in backends("gem_forward").into_iter().zip(backends("gem_backfill")) {
        runtime().block_on(async {
            // Date order, for reference.
            let forward = fresh(&forward_db).await;
            forward.import_files(std::slice::from_ref(&gspt_file), &|_| {}).await.unwrap();
            forward.import_files(std::slice::from_ref(&gist_file), &|_| {}).await.unwrap();
            let forward_2023 = total(forward.operating_capacity(Some("2023-12-31"), None).await.unwrap());
            let forward_now = total(forward.operating_capacity(None, None).await.unwrap());
            let forward_listed = forward.plants(&PlantFilter::default()).await.unwrap().len();
            forward.close().await;

            let backward = fresh(&db).await;
            backward.import_files(std::slice::from_ref(&gist_file), &|_| {}).await.unwrap();
            let back = backward.import_files(std::slice::from_ref(&gspt_file), &|_| {}).await.unwrap();
            eprintln!("{}: {:?}", db.label, back[0]);
            assert_eq!(back[0].as_of, "2023-03-01");
            let at_2023 = backward
                .plants(&PlantFilter { as_of: Some("2023-12-31".into()), ..PlantFilter::default() })
                .await
                .unwrap();
            assert_eq!(at_2023.len(), 1433, "{}", db.label);
            assert!(at_2023.iter().all(|p| p.source == "gem-gspt-2023-03-01"), "{}", db.label);
            let backward_2023 = total(backward.operating_capacity(Some("2023-12-31"), None).await.unwrap());
            assert!((backward_2023 - forward_2023).abs() < 1.0, "{backward_2023} vs {forward_2023}");
            let now = backward.plants(&PlantFilter::default()).await.unwrap();
            assert_eq!(now.len(), forward_listed, "{}", db.label);
            assert!(now.iter().all(|p| p.source == "gem-gist-plants-2025-03-25"), "{}", db.label);
            let backward_now = total(backward.operating_capacity(None, None).await.unwrap());
            assert!((backward_now - forward_now).abs() < 1.0, "{backward_now} vs {forward_now}");
            backward.close().await;
        });
    }
}

/// Measured on the 2023-03 workbook and the 2025-03-25 plant map file with the matching rule of
/// `decarb_store::plants` (same id, then name and country, then a unique site within 0.005°).
const EXPECTED_GEM_SUMMARY: (usize, usize, usize, usize) = (475, 1071, 0, 362);
const EXPECTED_GEM_MATCHES: (usize, usize) = (907, 164);

#[test]
fn the_iea_ccus_database_imports_as_projects_with_the_tracker_status_mapping() {
    let Some(dir) = decarb_data::shared::dataset("iea-ccus-projects-2025") else {
        return;
    };
    let csv = read_file(&dir.join("ccus_projects.csv"), None).unwrap();
    let xlsx = read_file(&dir.join("IEA_CCUS_Projects_Database_2025.xlsx"), None).unwrap();
    assert_eq!((csv.records(), xlsx.records()), (1017, 1017));
    for db in backends("iea_ccus") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            let summary = store.import_files(std::slice::from_ref(&csv), &|_| {}).await.unwrap();
            assert_eq!(summary[0].added, 1017, "{}", db.label);
            // The same database from the workbook changes nothing.
            let again = store.import_files(std::slice::from_ref(&xlsx), &|_| {}).await.unwrap();
            assert_eq!((again[0].added, again[0].changed, again[0].unchanged), (0, 0, 1017), "{}", db.label);
            let projects = store.projects(&ProjectFilter::default()).await.unwrap();
            let iea: Vec<_> = projects.iter().filter(|p| p.key.starts_with("IEA-CCUS-")).collect();
            let mut stages: BTreeMap<&str, usize> = BTreeMap::new();
            for p in &iea {
                *stages.entry(p.stage.as_str()).or_default() += 1;
            }
            assert_eq!(
                stages,
                BTreeMap::from([
                    ("announced", 841),
                    ("cancelled", 55),
                    ("construction", 56),
                    ("decommissioned", 3),
                    ("operating", 62)
                ])
            );
            assert_eq!(iea.iter().filter(|p| p.sector == "cement").count(), 59);
            assert_eq!(iea.iter().filter(|p| p.sector == "steel").count(), 19);
            let dunkirk = iea.iter().find(|p| p.key == "IEA-CCUS-1").unwrap();
            assert_eq!(
                (dunkirk.stage.as_str(), dunkirk.country.as_deref(), dunkirk.capacity_value),
                ("cancelled", Some("FRA"), Some(0.7))
            );
            assert_eq!(store.count(CountedTable::Projects).await.unwrap(), 1017 + 50);
            store.close().await;
        });
    }
}

#[test]
fn the_sfi_cement_database_keeps_its_8_repeated_uids_as_separate_plants() {
    let Some(dir) = decarb_data::shared::dataset("sfi-cement-2021") else {
        return;
    };
    let file = read_file(&dir.join("SFI_ALD_Cement_Database.csv"), None).unwrap();
    assert_eq!(file.records(), 3117);
    for db in backends("sfi") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            let summary = store.import_files(std::slice::from_ref(&file), &|_| {}).await.unwrap();
            assert_eq!(
                (summary[0].family.as_str(), summary[0].added, summary[0].as_of.as_str()),
                ("sfi-cement", 3117, "2021-07-01"),
                "{}",
                db.label
            );
            let plants = store
                .plants(&PlantFilter { family: Some("sfi-cement".into()), ..PlantFilter::default() })
                .await
                .unwrap();
            assert_eq!(plants.len(), 3117);
            let repeated: Vec<_> =
                plants.iter().filter(|p| p.key.ends_with("#2")).map(|p| p.key.as_str()).collect();
            assert_eq!(repeated.len(), 8, "{repeated:?}");
            assert!(repeated.contains(&"GACTDEU0008#2"));
            // Importing the same release again changes nothing.
            let again = store.import_files(std::slice::from_ref(&file), &|_| {}).await.unwrap();
            assert_eq!((again[0].unchanged, again[0].added, again[0].removed), (3117, 0, 0), "{}", db.label);
            let fleet = store.load_fleet(None).await.unwrap();
            assert_eq!(fleet.plants.len(), 3117);
            store.close().await;
        });
    }
}
