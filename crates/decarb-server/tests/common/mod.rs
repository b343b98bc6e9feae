//! A tracker database for the server tests: the bundled tables (`init`) and GEM's 2025 iron and
//! steel plant file from ../shared/data, built once per test binary and copied for tests that
//! write.

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use decarb_server::{AppState, Config};
use decarb_store::Store;
use http_body_util::BodyExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tower::ServiceExt;

pub const GIST_PLANTS: &str = "gist_plant_map_file_2025-03-25.csv";

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

/// A scratch folder `name` under Cargo's `target/tmp` (`CARGO_TARGET_TMPDIR`), emptied the first
/// time this test binary asks for it: the tests leave nothing in the system's temporary directory,
/// and a rerun starts clean.
pub fn scratch_dir(name: &str) -> PathBuf {
    static EMPTIED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("decarb-server-{name}"));
    let mut emptied = EMPTIED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if !emptied.iter().any(|n| n == name) {
        let _ = std::fs::remove_dir_all(&dir);
        emptied.push(name.to_owned());
    }
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Where the browser tests keep their screenshots (their artefacts): `screenshots` in Cargo's
/// target directory (the parent of `CARGO_TARGET_TMPDIR`), git-ignored wherever the target
/// directory is.
pub fn screenshots_dir() -> PathBuf {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(&tmp).join("screenshots")
}

fn scratch() -> PathBuf {
    scratch_dir("tests")
}

/// The shared database file, or `None` (with the reason printed) without the shared data.
pub fn tracker_db() -> Option<&'static Path> {
    static DB: OnceLock<Option<PathBuf>> = OnceLock::new();
    DB.get_or_init(|| {
        let data = decarb_data::shared::dataset("gem-iron-steel-tracker-2025-03")?;
        let file = scratch().join("tracker.db");
        runtime().block_on(async {
            let store = Store::open(file.to_str().unwrap()).await.unwrap();
            store.init().await.unwrap();
            let plants = decarb_store::read_file(&data.join(GIST_PLANTS), None).unwrap();
            store.import_files(&[plants], &|_| {}).await.unwrap();
            // Fold the write-ahead log into the file so copies are complete.
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(store.pool()).await.unwrap();
            store.close().await;
        });
        Some(file)
    })
    .as_deref()
}

/// A private copy of the shared database, for a test that writes.
pub fn tracker_copy(name: &str) -> Option<PathBuf> {
    let source = tracker_db()?;
    let copy = scratch().join(format!("{name}.db"));
    std::fs::copy(source, &copy).unwrap();
    Some(copy)
}

pub async fn state(db: &Path) -> AppState {
    let config = Config { db: db.display().to_string(), body_limit: 64 * 1024, ..Config::default() };
    AppState::open(config).await.unwrap()
}

/// Status, content type and body of one request.
pub struct Answer {
    pub status: StatusCode,
    pub content_type: String,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let content_type =
        response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    Answer { status, content_type, body }
}

pub async fn get(app: &Router, uri: &str) -> Answer {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// JSON with every number as f64 (2700000 and 2700000.0 are the same JSON number; PostgreSQL
/// writes the first, serde the second).
pub fn numbers_as_f64(value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Number(n) => serde_json::json!(n.as_f64().unwrap()),
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.iter().map(numbers_as_f64).collect())
        }
        serde_json::Value::Object(map) => {
            serde_json::Value::Object(map.iter().map(|(k, v)| (k.clone(), numbers_as_f64(v))).collect())
        }
        other => other.clone(),
    }
}

/// Asserts two plant pages are the same JSON, naming the first differing plant and field.
pub fn assert_same_page(actual: &serde_json::Value, expected: &serde_json::Value) {
    let (actual, expected) = (numbers_as_f64(actual), numbers_as_f64(expected));
    for key in ["total", "limit", "offset"] {
        assert_eq!(actual[key], expected[key], "{key}");
    }
    let (a, b) = (actual["items"].as_array().unwrap(), expected["items"].as_array().unwrap());
    assert_eq!(a.len(), b.len(), "items");
    for (x, y) in a.iter().zip(b) {
        for (key, value) in y.as_object().unwrap() {
            assert_eq!(&x[key], value, "{} {key}", y["id"]);
        }
        assert_eq!(x.as_object().unwrap().len(), y.as_object().unwrap().len(), "{} fields", y["id"]);
    }
}

/// The repository's root (the dashboard's npm packages and browser scripts live under it).
pub fn workspace() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// What a browser test lacks on this machine (Chromium, the npm packages, Node), if anything.
pub fn missing_browser_tools() -> Option<String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !std::path::PathBuf::from(&chromium).exists() {
        return Some(format!("no Chromium at {chromium} (.ci/dashboard.sh installs it)"));
    }
    if !workspace().join("dashboard/node_modules/playwright-core").is_dir() {
        return Some("dashboard/node_modules is missing (run `npm ci` in dashboard/)".into());
    }
    if std::process::Command::new("node").arg("--version").output().is_err() {
        return Some("no node on PATH".into());
    }
    None
}
