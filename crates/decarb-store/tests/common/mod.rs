//! Runs each store test on every backend available: always SQLite (a fresh file), and
//! PostgreSQL when `DECARB_TEST_POSTGRES_URL` names a server (a fresh database per test).
//! Under `CI=true` the PostgreSQL URL is required, so CI cannot silently test one backend. Also
//! the plant the tests import.

#![allow(dead_code)]

use decarb_model::units::TonnesPerYear;
use decarb_model::{CountryCode, Plant, PlantStatus, Reported, Route, Sector};
use decarb_store::Store;
use std::path::PathBuf;

pub struct TestDb {
    pub label: &'static str,
    pub target: String,
    file: Option<PathBuf>,
    /// (server URL, database name) of a PostgreSQL test database, dropped afterwards.
    postgres: Option<(String, String)>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(file) = &self.file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
        if let Some((base, name)) = self.postgres.take() {
            // Leave a shared server as we found it; FORCE ends connections a test left open.
            let dropped = std::thread::spawn(move || {
                runtime().block_on(async {
                    let admin = Store::connect(&base).await.ok()?;
                    let sql = sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
                    let result = sqlx::query(sql).execute(admin.pool()).await;
                    admin.close().await;
                    result.ok()
                })
            })
            .join();
            if !matches!(dropped, Ok(Some(_))) {
                eprintln!("could not drop a PostgreSQL test database");
            }
        }
    }
}

pub fn sqlite_db(name: &str) -> TestDb {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("decarb-store-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}-{}.db", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    TestDb { label: "sqlite", target: file.display().to_string(), file: Some(file), postgres: None }
}

/// The PostgreSQL server to test against, if any.
pub fn postgres_base() -> Option<String> {
    match std::env::var("DECARB_TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            decarb_data::shared::skip(
                "DECARB_TEST_POSTGRES_URL is not set: the store tests run on PostgreSQL too (.ci/postgres.sh)",
            );
            None
        }
    }
}

/// A fresh database on the test server, named after the test.
pub async fn postgres_db(base: &str, name: &str) -> TestDb {
    let db_name = format!(
        "decarb_{}_{}",
        name.to_ascii_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
        std::process::id()
    );
    let admin = Store::connect(base).await.expect("connect to the PostgreSQL test server");
    // Test-generated identifiers, not user input; CREATE DATABASE takes no bind parameters.
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")))
        .execute(admin.pool())
        .await
        .unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db_name}")))
        .execute(admin.pool())
        .await
        .unwrap();
    admin.close().await;
    let (prefix, _) = base.rsplit_once('/').expect("a URL ending in /database");
    TestDb {
        label: "postgres",
        target: format!("{prefix}/{db_name}"),
        file: None,
        postgres: Some((base.to_owned(), db_name)),
    }
}

/// Every backend to run a test on: SQLite, plus PostgreSQL when configured.
pub fn backends(name: &str) -> Vec<TestDb> {
    let mut out = vec![sqlite_db(name)];
    if let Some(base) = postgres_base() {
        out.push(runtime().block_on(postgres_db(&base, name)));
    }
    out
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(4).enable_all().build().unwrap()
}

/// A fresh, initialised store.
pub async fn fresh(db: &TestDb) -> Store {
    let store = Store::open(&db.target).await.unwrap().with_actor("test");
    store.init().await.unwrap();
    store
}

/// A BF-BOF steel plant of `capacity_kt` kt/yr in `country` (an ISO code, also its text), at
/// (10, 20), from decarb's own format.
pub fn steel_plant(id: &str, name: &str, country: &str, status: PlantStatus, capacity_kt: f64) -> Plant {
    Plant {
        id: id.to_owned(),
        source: "decarb".to_owned(),
        name: name.to_owned(),
        sector: Sector::Steel,
        country: CountryCode::resolve(country),
        country_text: country.to_owned(),
        subnational: None,
        coordinates: Some((10.0, 20.0)),
        status,
        route: Route::BfBof,
        capacity: Reported::Value(TonnesPerYear::from_kt(capacity_kt)),
        start: None,
        last_investment: None,
        owners: Vec::new(),
        parents: Vec::new(),
        status_slice: false,
        process: None,
        wiki_url: None,
    }
}
