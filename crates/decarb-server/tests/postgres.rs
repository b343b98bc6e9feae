//! The server's own queries (plant pages with text search, fleet aggregates) and the token
//! table on PostgreSQL, the store's second backend: the same answers as the store's own plant
//! list. Runs when `DECARB_TEST_POSTGRES_URL` names a server (`.ci/postgres.sh`); required
//! under CI=true.

// Test counts are small and non-negative; JSON hands them over as u64/i64.
#![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_possible_wrap)]

mod common;

use common::{get, runtime};
use decarb_model::{PlantStatus, Sector};
use decarb_server::{AppState, Config};
use decarb_store::{PlantFilter, Store};

fn postgres_base() -> Option<String> {
    match std::env::var("DECARB_TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            decarb_data::shared::skip("DECARB_TEST_POSTGRES_URL is not set (the PostgreSQL server tests)");
            None
        }
    }
}

#[test]
fn plant_pages_aggregates_and_tokens_work_on_postgres() {
    let Some(base) = postgres_base() else { return };
    let Some(data) = decarb_data::shared::dataset("gem-iron-steel-tracker-2025-03") else { return };
    runtime().block_on(async {
        let db_name = format!("decarb_server_{}", std::process::id());
        let admin = Store::connect(&base).await.unwrap();
        // Test-generated identifier; CREATE DATABASE takes no bind parameters.
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")))
            .execute(admin.pool())
            .await
            .unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db_name}")))
            .execute(admin.pool())
            .await
            .unwrap();
        let (prefix, _) = base.rsplit_once('/').unwrap();
        let target = format!("{prefix}/{db_name}");
        let store = Store::open(&target).await.unwrap();
        store.init().await.unwrap();
        let plants = decarb_store::read_file(&data.join(common::GIST_PLANTS), None).unwrap();
        store.import_files(&[plants], &|_| {}).await.unwrap();

        let state = AppState::new(store.clone(), Config { db: target.clone(), ..Config::default() });
        let app = decarb_server::app(state);
        let all = store.plants(&PlantFilter::default()).await.unwrap();
        assert_eq!(all.len(), 1546);
        let page = get(&app, "/api/v1/plants?limit=2&offset=1").await.json();
        assert_eq!(page["total"].as_u64().unwrap() as usize, all.len());
        assert_eq!(page["items"][0]["id"], format!("{}/{}", all[1].family, all[1].key));
        let filter = PlantFilter {
            sector: Some(Sector::Steel),
            status: Some(PlantStatus::Operating),
            country: decarb_model::CountryCode::resolve("IND"),
            ..PlantFilter::default()
        };
        let india = store.plants(&filter).await.unwrap().len();
        let answer = get(&app, "/api/v1/plants?sector=steel&status=operating&country=IND").await.json();
        assert_eq!(answer["total"].as_u64().unwrap() as usize, india);
        let text = get(&app, "/api/v1/plants?text=%27%3B%20DROP%20TABLE%20plant%3B%20--").await.json();
        assert_eq!(text["total"], 0);
        let fleet = get(&app, "/api/v1/fleet?group_by=status,start_decade").await.json();
        let total: i64 =
            fleet["groups"].as_array().unwrap().iter().map(|g| g["plants"].as_i64().unwrap()).sum();
        assert_eq!(total as usize, all.len());
        assert!(fleet["groups"].as_array().unwrap().iter().any(|g| g["keys"][1] == "1970s"));
        assert_eq!(store.count(decarb_store::CountedTable::Plants).await.unwrap() as usize, all.len());

        // The page PostgreSQL builds as JSON equals the typed page.
        for text in [None, Some("steel".to_owned())] {
            let query = decarb_server::queries::PlantQuery { text, ..Default::default() };
            let typed = decarb_server::queries::plant_page(&store, &query, 1000, 500).await.unwrap();
            let json = decarb_server::queries::plant_page_json(&store, &query, 1000, 500).await.unwrap();
            let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
            common::assert_same_page(&parsed, &serde_json::to_value(&typed).unwrap());
        }

        let token = decarb_server::tokens::create(&store, "pg").await.unwrap();
        assert_eq!(
            store.token_by_hash(&decarb_server::tokens::hash_token(&token)).await.unwrap().as_deref(),
            Some("pg")
        );
        store.revoke_token("pg").await.unwrap();
        assert_eq!(store.token_by_hash(&decarb_server::tokens::hash_token(&token)).await.unwrap(), None);

        store.close().await;
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")))
            .execute(admin.pool())
            .await
            .unwrap();
        admin.close().await;
    });
}
