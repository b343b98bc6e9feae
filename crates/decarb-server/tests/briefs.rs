//! Briefs served by the dashboard from the server's own database.

mod common;

use axum::http::StatusCode;
use common::{get, runtime};
use decarb_store::Store;

#[test]
fn country_and_sector_briefs_are_served() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("briefs.db");
    runtime().block_on(async {
        let store = Store::open(db.to_str().unwrap()).await.unwrap();
        store.init().await.unwrap();
        store.close().await;
        let app = decarb_server::app(common::state(&db).await);

        let usa = get(&app, "/briefs/countries/USA?statistics_year=2020").await;
        assert_eq!(usa.status, StatusCode::OK);
        assert_eq!(usa.content_type, "text/html; charset=utf-8");
        let html = usa.text();
        assert!(html.contains("4th largest crude steel producer in 2020, worldsteel"));
        assert!(html.contains("9th largest primary aluminium producer in 2020, BGS"));
        assert!(html.contains("From the tracker database of this decarb server"));
        assert!(!html.contains("src=") && !html.contains("href=\"http"), "self-contained");

        let steel = get(&app, "/briefs/sectors/steel?scenario=baseline").await;
        assert_eq!(steel.status, StatusCode::OK);
        assert!(steel.text().contains("pathway scenario baseline"));

        for (path, status) in [
            ("/briefs/countries/XXX", StatusCode::NOT_FOUND),
            ("/briefs/sectors/wood", StatusCode::NOT_FOUND),
            ("/briefs/countries/USA?scenario=nope", StatusCode::NOT_FOUND),
            ("/briefs/countries/USA?statistics_year=soon", StatusCode::BAD_REQUEST),
        ] {
            assert_eq!(get(&app, path).await.status, status, "{path}");
        }
    });
}
