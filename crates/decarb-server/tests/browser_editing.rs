//! Editing in a real browser with JavaScript off: runs `node dashboard/tests/editing.mjs`
//! (playwright-core, Debian's Chromium) against a server on a copy of the tracker database with
//! a contributor's and an editor's token: the contributor proposes a project through the form,
//! the editor approves it, the project is listed. Skipped, with the reason printed, when
//! Chromium, Node or the npm packages are missing.

mod common;

use common::{missing_browser_tools, runtime, state, tracker_copy, workspace};
use decarb_store::Role;
use std::process::Command;

#[test]
fn a_contributors_project_approved_by_an_editor_in_chromium() {
    if let Some(reason) = missing_browser_tools() {
        decarb_data::shared::skip(&format!("the editing browser test cannot run: {reason}"));
        return;
    }
    let Some(db) = tracker_copy("browser_editing") else { return };
    let rt = runtime();
    let (addr, server, contributor, editor) = rt.block_on(async {
        let app_state = state(&db).await;
        let store = app_state.store.clone();
        let contributor =
            decarb_server::tokens::create_with(&store, "web-contributor", Role::Contributor, None)
                .await
                .unwrap();
        let editor =
            decarb_server::tokens::create_with(&store, "web-editor", Role::Editor, None).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move { axum::serve(listener, decarb_server::app(app_state)).await });
        (addr, server, contributor, editor)
    });
    let shots = common::screenshots_dir();
    let output = Command::new("node")
        .arg(workspace().join("dashboard/tests/editing.mjs"))
        .arg(format!("http://{addr}"))
        .arg(&shots)
        .arg(&contributor)
        .arg(&editor)
        .output()
        .unwrap();
    server.abort();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(output.status.success(), "editing checks failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("all editing checks passed"));
}
