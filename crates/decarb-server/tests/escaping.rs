//! Every text the dashboard prints is escaped (maud): a project named with markup and an
//! ampersand, filed through the write API, comes out as text on the projects page and on its
//! country's page.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{get, runtime, send, state, tracker_copy};
use decarb_store::Role;
use serde_json::json;

#[test]
fn a_project_named_with_markup_is_printed_as_text() {
    let Some(db) = tracker_copy("escaping") else { return };
    runtime().block_on(async {
        let state = state(&db).await;
        let store = state.store.clone();
        let app = decarb_server::app(state);
        let editor = decarb_server::tokens::create_with(&store, "editor", Role::Editor, None).await.unwrap();
        let project = json!({"note": "escaping test", "source_url": "https://example.org/press",
            "project": {"key": "escaping-test", "name": "<script>alert(1)</script> & Co plant", "sector": "steel",
                "technology": "H2-DRI + EAF", "country": "SWE", "stage": "announced",
                "companies": ["<b>Bold</b> & Sons"], "start": "2030"}});
        let request = Request::post("/api/v1/projects")
            .header("authorization", format!("Bearer {editor}"))
            .header("content-type", "application/json")
            .body(Body::from(project.to_string()))
            .unwrap();
        let created = send(&app, request).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
        let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co plant";
        for path in ["/projects?text=alert", "/countries/SWE"] {
            let page = get(&app, path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            let html = page.text();
            assert!(html.contains(escaped), "{path}: the name, escaped");
            assert!(!html.contains("<script>alert"), "{path}: no markup from the data");
        }
        store.close().await;
    });
}
