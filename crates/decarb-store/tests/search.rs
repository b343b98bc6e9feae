//! One search across the tracker (`Store::search`) on the bundled seed and GEM's 2025 steel
//! tracker: typos, accents and kinds, on SQLite and, when configured, PostgreSQL.

mod common;

use common::{backends, fresh, runtime};
use decarb_model::search::HitKind;
use decarb_store::{SearchRequest, read_file};

fn request(query: &str) -> SearchRequest {
    SearchRequest { query: query.to_owned(), kinds: Vec::new(), per_kind: 5 }
}

#[test]
fn search_finds_plants_projects_owners_and_countries_through_typos_and_accents() {
    let Some(gist) = decarb_data::shared::dataset("gem-iron-steel-tracker-2025-03") else { return };
    let plants = read_file(&gist.join("gist_plant_map_file_2025-03-25.csv"), None).unwrap();
    for db in backends("search") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            store.init().await.unwrap();
            store.import_files(std::slice::from_ref(&plants), &|_| {}).await.unwrap();
            let labels = |hits: &[decarb_model::search::Hit], kind: HitKind| -> Vec<String> {
                hits.iter().filter(|h| h.candidate.kind == kind).map(|h| h.candidate.label.clone()).collect()
            };

            // "Oxelosund" without its accent finds SSAB's plant (GIST P100000120844).
            let hits = store.search(&request("Oxelosund")).await.unwrap();
            let plant = hits.iter().find(|h| h.candidate.kind == HitKind::Plant).unwrap();
            assert_eq!(plant.candidate.key, "gem-steel/P100000120844", "{hits:?}");
            assert!(plant.candidate.label.contains("Oxelösund"), "{}", plant.candidate.label);

            // A misspelt country: "Indai" is India, first of its group.
            let hits = store.search(&request("Indai")).await.unwrap();
            assert_eq!(hits[0].candidate.key, "IND", "{hits:?}");

            // The seed's HYBRIT project, by name and by a typo of it.
            for query in ["hybrit", "hybirt"] {
                let hits = store.search(&request(query)).await.unwrap();
                assert!(
                    labels(&hits, HitKind::Project).iter().any(|l| l.to_lowercase().contains("hybrit")),
                    "{query}: {hits:?}"
                );
            }

            // Owners: GEM names ArcelorMittal as owner or parent of many plants.
            let hits = store
                .search(&SearchRequest {
                    query: "arcelormittal".into(),
                    kinds: vec![HitKind::Owner],
                    per_kind: 3,
                })
                .await
                .unwrap();
            assert!(!hits.is_empty() && hits.iter().all(|h| h.candidate.kind == HitKind::Owner));
            assert!(hits[0].candidate.label.starts_with("ArcelorMittal"), "{hits:?}");
            assert!(hits[0].candidate.detail.ends_with("plants"), "{}", hits[0].candidate.detail);

            // Members of the seed group.
            let hits = store.search(&request("sweden")).await.unwrap();
            assert_eq!(hits[0].candidate.key, "SWE");
            assert!(hits.iter().any(|h| h.candidate.kind == HitKind::Member), "{hits:?}");

            // Bounds.
            assert!(store.search(&request("")).await.unwrap_err().to_string().contains("letter or digit"));
            assert!(store.search(&request(&"x".repeat(101))).await.is_err());
            let too_many = SearchRequest { per_kind: 51, ..request("steel") };
            assert!(store.search(&too_many).await.is_err());
        });
    }
}
