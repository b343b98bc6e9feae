//! The dashboard in a real browser: starts the server on 127.0.0.1:0 with the tracker database
//! and the dashboard's npm packages, and runs `node dashboard/tests/browser.mjs` (playwright-core
//! driving Debian's Chromium). Screenshots are the test's artefacts, kept in Cargo's target
//! directory (`<target>/screenshots`, beside `CARGO_TARGET_TMPDIR`), never in the repository or the
//! system's temporary directory. Skipped, with the reason printed, when Chromium, Node or the npm
//! packages are missing, unless CI=true.

// Test counts are small and non-negative; JSON hands them over as u64/i64.
#![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_possible_wrap)]

mod common;

use common::{missing_browser_tools, runtime, screenshots_dir, state, tracker_db, workspace};
use std::process::Command;

#[test]
fn every_page_works_in_chromium() {
    if let Some(reason) = missing_browser_tools() {
        decarb_data::shared::skip(&format!("the browser test cannot run: {reason}"));
        return;
    }
    let Some(db) = tracker_db() else { return };
    let rt = runtime();
    let (addr, server) = rt.block_on(async {
        let mut app_state = state(db).await;
        let mut config = (*app_state.config).clone();
        config.node_modules = workspace().join("dashboard/node_modules");
        app_state.config = std::sync::Arc::new(config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move { axum::serve(listener, decarb_server::app(app_state)).await });
        (addr, server)
    });
    let shots = screenshots_dir();
    let output = Command::new("node")
        .arg(workspace().join("dashboard/tests/browser.mjs"))
        .arg(format!("http://{addr}"))
        .arg(&shots)
        .output()
        .unwrap();
    server.abort();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(output.status.success(), "browser checks failed:\n{stdout}\n{stderr}");
    for page in [
        "overview",
        "map-static",
        "map-1400",
        "map-400",
        "country-DEU",
        "projects",
        "cbam",
        "scenarios",
        "search-1400",
        "search-400",
        "plant-1400",
        "plant-400",
        "overview-400",
        "country-DEU-400",
        "projects-400",
        "cbam-400",
    ] {
        assert!(shots.join(format!("{page}.png")).is_file(), "no screenshot of {page}");
    }
}
