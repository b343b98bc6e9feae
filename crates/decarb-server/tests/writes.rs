//! The write API: roles, ETag / If-Match (428, 412), problem details naming the field, proposals
//! and their review, creation and retirement, and eight concurrent editors of one record.

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{runtime, state, tracker_copy};
use decarb_store::{EntityKind, Role};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

struct Reply {
    status: StatusCode,
    etag: Option<String>,
    body: Value,
}

async fn call(
    app: &Router,
    method: &str,
    uri: &str,
    token: Option<&str>,
    if_match: Option<&str>,
    body: Option<Value>,
) -> Reply {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    if let Some(tag) = if_match {
        request = request.header("if-match", tag);
    }
    let request = match body {
        Some(body) => request.header("content-type", "application/json").body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let etag = response.headers().get("etag").map(|v| v.to_str().unwrap().to_owned());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply { status, etag, body }
}

fn change(note: &str, changes: &Value) -> Value {
    json!({"note": note, "source_url": "https://www.industrytransition.org/leadit/", "changes": changes})
}

#[test]
fn roles_versions_and_field_errors() {
    let Some(db) = tracker_copy("writes_roles") else { return };
    runtime().block_on(async {
        let state = state(&db).await;
        let store = state.store.clone();
        let app = decarb_server::app(state);
        let reader = decarb_server::tokens::create_with(&store, "reader", Role::Reader, None).await.unwrap();
        let editor = decarb_server::tokens::create_with(&store, "editor", Role::Editor, None).await.unwrap();
        let expired =
            decarb_server::tokens::create_with(&store, "old", Role::Editor, Some("2020-01-01T00:00:00Z")).await.unwrap();

        let read = call(&app, "GET", "/api/v1/members/Sweden", None, None, None).await;
        assert_eq!(read.status, StatusCode::OK);
        assert_eq!(read.body["name"], "Sweden");
        let tag = read.etag.unwrap();
        assert_eq!(tag, format!("\"{}\"", read.body["version"]));
        let uri = "/api/v1/members/Sweden";
        let body = change("co-chair announced", &json!({"notes": "co-chair of LeadIT"}));

        // No token, an expired one, a reader's, no If-Match.
        assert_eq!(call(&app, "PATCH", uri, None, Some(&tag), Some(body.clone())).await.status, StatusCode::UNAUTHORIZED);
        let old = call(&app, "PATCH", uri, Some(&expired), Some(&tag), Some(body.clone())).await;
        assert_eq!(old.status, StatusCode::UNAUTHORIZED);
        assert!(old.body["detail"].as_str().unwrap().contains("expired"), "{}", old.body);
        assert_eq!(call(&app, "PATCH", uri, Some(&reader), Some(&tag), Some(body.clone())).await.status, StatusCode::FORBIDDEN);
        assert_eq!(call(&app, "PATCH", uri, Some(&editor), None, Some(body.clone())).await.status, StatusCode::PRECONDITION_REQUIRED);

        // An editor's write applies; the same If-Match again is stale.
        let done = call(&app, "PATCH", uri, Some(&editor), Some(&tag), Some(body.clone())).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert_ne!(done.etag.as_deref(), Some(tag.as_str()));
        assert_eq!(done.body["changed"], 1);
        let late = call(&app, "PATCH", uri, Some(&editor), Some(&tag), Some(body)).await;
        assert_eq!(late.status, StatusCode::PRECONDITION_FAILED, "{}", late.body);

        // A missing note and a bad address are 422 naming the field.
        let now = done.etag.unwrap();
        let no_note = call(&app, "PATCH", uri, Some(&editor), Some(&now), Some(change("", &json!({"notes": "x"})))).await;
        assert_eq!(no_note.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(no_note.body["errors"][0]["field"], "note");
        let bad_url = json!({"note": "n", "source_url": "javascript:alert(1)", "changes": {"notes": "x"}});
        let bad = call(&app, "PATCH", uri, Some(&editor), Some(&now), Some(bad_url)).await;
        assert_eq!((bad.status, bad.body["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("source_url")));
        let bad_year = call(
            &app,
            "PATCH",
            "/api/v1/pledges/Sweden/net-zero/economy-wide",
            Some(&editor),
            Some("*"),
            Some(change("typo", &json!({"target_year": 1990}))),
        )
        .await;
        assert_eq!(bad_year.body["errors"][0]["field"], "target_year", "{}", bad_year.body);

        // History: who, why, evidence.
        let history = store.history(EntityKind::Member, "Sweden").await.unwrap();
        let last = history.last().unwrap();
        assert_eq!((last.recorded_by.as_str(), last.reason.as_deref()), ("api:editor", Some("co-chair announced")));
        let tokens = store.tokens().await.unwrap();
        let used = tokens.iter().find(|t| t.name == "editor").unwrap();
        assert!(used.last_used_at.is_some() && used.role == "editor");

        // A duplicate pledge is a 409 in plain words.
        let dup = call(
            &app,
            "POST",
            "/api/v1/pledges",
            Some(&editor),
            None,
            Some(json!({"note": "n", "source_url": "https://example.org/a",
                "pledge": {"member": "Sweden", "target_year": 2045, "metric": "net-zero", "scope": "economy-wide"}})),
        )
        .await;
        assert_eq!(dup.status, StatusCode::CONFLICT, "{}", dup.body);
        assert!(!dup.body["detail"].as_str().unwrap().contains("UNIQUE"), "{}", dup.body);

        // Retire: the record leaves the API, its history stays.
        let ssab = call(&app, "GET", "/api/v1/members/SSAB", None, None, None).await;
        let gone = call(
            &app,
            "POST",
            "/api/v1/retire/members/SSAB",
            Some(&editor),
            ssab.etag.as_deref(),
            Some(json!({"note": "test retirement"})),
        )
        .await;
        assert_eq!(gone.status, StatusCode::OK, "{}", gone.body);
        assert_eq!(call(&app, "GET", "/api/v1/members/SSAB", None, None, None).await.status, StatusCode::NOT_FOUND);
        assert_eq!(store.history(EntityKind::Member, "SSAB").await.unwrap().last().unwrap().field, "retired");
        store.close().await;
    });
}

#[test]
fn a_contributors_project_waits_for_an_editors_approval() {
    let Some(db) = tracker_copy("writes_review") else { return };
    runtime().block_on(async {
        let state = state(&db).await;
        let store = state.store.clone();
        let app = decarb_server::app(state);
        let contributor = decarb_server::tokens::create_with(&store, "analyst", Role::Contributor, None).await.unwrap();
        let editor = decarb_server::tokens::create_with(&store, "secretariat", Role::Editor, None).await.unwrap();
        let project = json!({"note": "announced by the company", "source_url": "https://example.org/press/2026-11-30",
            "project": {"key": "test-h2-dri-2030", "name": "Test H2-DRI plant", "sector": "steel",
                "technology": "H2-DRI + EAF", "country": "SWE", "stage": "announced", "companies": ["Test AB"],
                "capacity_value": 1.5, "capacity_unit": "Mt steel/yr", "start": "2030"}});
        let filed = call(&app, "POST", "/api/v1/projects", Some(&contributor), None, Some(project)).await;
        assert_eq!(filed.status, StatusCode::ACCEPTED, "{}", filed.body);
        assert_eq!(filed.body["status"], "pending");
        assert_eq!(call(&app, "GET", "/api/v1/projects/test-h2-dri-2030", None, None, None).await.status, StatusCode::NOT_FOUND);
        // The contributor cannot approve its own proposal.
        let id = filed.body["id"].as_i64().unwrap();
        let uri = format!("/api/v1/review/{id}/approve");
        assert_eq!(call(&app, "POST", &uri, Some(&contributor), None, Some(json!({}))).await.status, StatusCode::FORBIDDEN);
        let queue = call(&app, "GET", "/api/v1/review", Some(&editor), None, None).await;
        assert_eq!(queue.body.as_array().unwrap().len(), 1);
        let approved = call(&app, "POST", &uri, Some(&editor), None, Some(json!({"note": "checked"}))).await;
        assert_eq!((approved.status, approved.body["status"].as_str()), (StatusCode::OK, Some("approved")), "{}", approved.body);
        let stored = call(&app, "GET", "/api/v1/projects/test-h2-dri-2030", None, None, None).await;
        assert_eq!((stored.status, stored.body["capacity_value"].as_f64()), (StatusCode::OK, Some(1.5)));
        let listed = call(&app, "GET", "/api/v1/projects?text=Test%20H2-DRI", None, None, None).await;
        assert_eq!(listed.body["total"], 1);
        let history = store.history(EntityKind::Project, "test-h2-dri-2030").await.unwrap();
        assert_eq!(
            (history[0].recorded_by.as_str(), history[0].approved_by.as_deref()),
            ("api:analyst", Some("api:secretariat"))
        );
        assert_eq!(call(&app, "GET", "/api/v1/review", Some(&editor), None, None).await.body.as_array().unwrap().len(), 0);
        store.close().await;
    });
}

#[test]
fn eight_concurrent_editors_get_one_success_and_seven_412() {
    let Some(db) = tracker_copy("writes_concurrent") else { return };
    runtime().block_on(async {
        let state = state(&db).await;
        let store = state.store.clone();
        let app = decarb_server::app(state);
        let editor = decarb_server::tokens::create_with(&store, "editor", Role::Editor, None).await.unwrap();
        let uri = "/api/v1/projects/seed-salcos-stage-1-salzgitter";
        let tag = call(&app, "GET", uri, None, None, None).await.etag.unwrap();
        let mut tasks = Vec::new();
        for i in 0..8 {
            let (app, editor, tag) = (app.clone(), editor.clone(), tag.clone());
            tasks.push(tokio::spawn(async move {
                let body = change(&format!("editor {i}"), &json!({"capacity_delta": 0.125}));
                call(&app, "PATCH", uri, Some(&editor), Some(&tag), Some(body)).await.status
            }));
        }
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.unwrap());
        }
        assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
        assert_eq!(
            statuses.iter().filter(|s| **s == StatusCode::PRECONDITION_FAILED).count(),
            7,
            "{statuses:?}"
        );
        let after = call(&app, "GET", uri, None, None, None).await;
        assert_eq!(after.body["capacity_value"].as_f64(), Some(2.125));
        store.close().await;
    });
}

#[test]
fn analyses_are_created_changed_and_retired_through_the_api() {
    let Some(db) = tracker_copy("writes_analyses") else { return };
    runtime().block_on(async {
        let state = state(&db).await;
        let store = state.store.clone();
        let app = decarb_server::app(state);
        let reader = decarb_server::tokens::create_with(&store, "reader", Role::Reader, None).await.unwrap();
        let analyst = decarb_server::tokens::create_with(&store, "analyst", Role::Contributor, None).await.unwrap();
        let editor = decarb_server::tokens::create_with(&store, "editor", Role::Editor, None).await.unwrap();
        let new = json!({"note": "published on the website", "source_url": "https://www.industrytransition.org/insights/us-joins-leadit/",
            "analysis": {"title": "U.S. joins LeadIT", "published": "2021-04-23", "authors": ["Andrea Lindblom"],
                "tags": ["Climate Politics", "Partnerships"], "countries": ["United States", "SWE"], "sectors": ["Steel"],
                "body_markdown": "The **United States** has joined."}});
        assert_eq!(call(&app, "POST", "/api/v1/analyses", None, None, Some(new.clone())).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(call(&app, "POST", "/api/v1/analyses", Some(&reader), None, Some(new.clone())).await.status, StatusCode::FORBIDDEN);
        let mut no_source = new.clone();
        no_source["source_url"] = Value::Null;
        let refused = call(&app, "POST", "/api/v1/analyses", Some(&editor), None, Some(no_source)).await;
        assert_eq!((refused.status, refused.body["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("source_url")));
        let made = call(&app, "POST", "/api/v1/analyses", Some(&editor), None, Some(new.clone())).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        assert_eq!((made.body["key"].as_str(), made.etag.as_deref()), (Some("u-s-joins-leadit"), Some("\"1\"")));
        assert_eq!(call(&app, "POST", "/api/v1/analyses", Some(&editor), None, Some(new)).await.status, StatusCode::CONFLICT);

        let uri = "/api/v1/analyses/u-s-joins-leadit";
        let read = call(&app, "GET", uri, None, None, None).await;
        assert_eq!((read.status, read.etag.as_deref()), (StatusCode::OK, Some("\"1\"")));
        assert_eq!(read.body["links"][1], json!({"kind": "country", "target": "USA"}), "{}", read.body);
        assert_eq!(read.body["version"], 1);
        let body = change("tag added", &json!({"tags": ["Partnerships", "Steel"]}));
        assert_eq!(call(&app, "PATCH", uri, Some(&editor), None, Some(body.clone())).await.status, StatusCode::PRECONDITION_REQUIRED);
        let done = call(&app, "PATCH", uri, Some(&editor), Some("\"1\""), Some(body.clone())).await;
        assert_eq!((done.status, done.etag.as_deref()), (StatusCode::OK, Some("\"2\"")), "{}", done.body);
        assert_eq!(call(&app, "PATCH", uri, Some(&editor), Some("\"1\""), Some(body)).await.status, StatusCode::PRECONDITION_FAILED);
        // Problem details name the field; a note is required.
        let bad = call(&app, "PATCH", uri, Some(&editor), Some("*"), Some(change("typo", &json!({"published": "2021-02-30"})))).await;
        assert_eq!((bad.status, bad.body["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("published")));
        assert!(bad.body["detail"].as_str().unwrap().contains("February 2021 has 28 days"), "{}", bad.body);
        let silent = call(&app, "PATCH", uri, Some(&editor), Some("*"), Some(change("", &json!({"title": "x"})))).await;
        assert_eq!(silent.body["errors"][0]["field"], "note", "{}", silent.body);
        // A contributor proposes; an editor approves.
        let filed = call(&app, "PATCH", uri, Some(&analyst), Some("\"2\""), Some(change("full name", &json!({"title": "The United States joins LeadIT"})))).await;
        assert_eq!((filed.status, filed.body["entity"].as_str()), (StatusCode::ACCEPTED, Some("analysis")), "{}", filed.body);
        assert_eq!(call(&app, "GET", uri, None, None, None).await.body["title"], "U.S. joins LeadIT");
        let approve = format!("/api/v1/review/{}/approve", filed.body["id"]);
        assert_eq!(call(&app, "POST", &approve, Some(&editor), None, Some(json!({}))).await.status, StatusCode::OK);
        let read = call(&app, "GET", uri, None, None, None).await;
        assert_eq!((read.body["title"].as_str(), read.etag.as_deref()), (Some("The United States joins LeadIT"), Some("\"3\"")));
        // Listed with its tag; retired, it leaves the API and the dashboard, its history stays.
        let tagged = call(&app, "GET", "/api/v1/analyses?tag=steel", None, None, None).await;
        assert_eq!(tagged.body.as_array().unwrap().len(), 1, "{}", tagged.body);
        let gone = call(&app, "POST", "/api/v1/retire/analyses/u-s-joins-leadit", Some(&editor), Some("\"3\""), Some(json!({"note": "withdrawn"}))).await;
        assert_eq!(gone.status, StatusCode::OK, "{}", gone.body);
        assert_eq!(call(&app, "GET", uri, None, None, None).await.status, StatusCode::NOT_FOUND);
        assert_eq!(call(&app, "GET", "/api/v1/analyses", None, None, None).await.body, json!([]));
        assert_eq!(common::get(&app, "/analyses/u-s-joins-leadit").await.status, StatusCode::NOT_FOUND);
        let history = common::get(&app, "/history/analyses/u-s-joins-leadit").await.text();
        assert!(history.contains("withdrawn") && history.contains("full name") && history.contains("api:analyst"), "{history}");
        let fields: Vec<String> = store.history(EntityKind::Analysis, "u-s-joins-leadit").await.unwrap().into_iter().map(|c| c.field).collect();
        assert_eq!(fields, ["created", "tags", "title", "retired"]);
        store.close().await;
    });
}

/// SSAB Luleå in GEM's 2025 map file: its GEM.wiki page in the API, the plant page and the map's
/// data; a correction through `PATCH /plants/{id}` with ETag / If-Match, roles, field errors, a
/// contributor's proposal, and its retirement.
#[test]
fn plants_are_corrected_through_the_api_and_keep_their_gem_wiki_page() {
    let Some(db) = tracker_copy("writes_plants") else { return };
    runtime().block_on(async {
        let state = state(&db).await;
        let store = state.store.clone();
        let app = decarb_server::app(state);
        let reader = decarb_server::tokens::create_with(&store, "reader", Role::Reader, None).await.unwrap();
        let analyst = decarb_server::tokens::create_with(&store, "analyst", Role::Contributor, None).await.unwrap();
        let editor = decarb_server::tokens::create_with(&store, "editor", Role::Editor, None).await.unwrap();
        let wiki = "https://www.gem.wiki/SSAB_Luleå_steel_plant";

        let uri = "/api/v1/plants/P100000120845~operating-pre-retirement";
        let read = call(&app, "GET", uri, None, None, None).await;
        assert_eq!(read.status, StatusCode::OK, "{}", read.body);
        assert_eq!((read.body["gem_wiki"].as_str(), read.etag.as_deref()), (Some(wiki), Some("\"1\"")));
        assert_eq!(read.body["row"]["capacity_tpa"].as_f64(), Some(2_300_000.0));
        let map = common::get(&app, "/map/plants.geojson").await.json();
        let lulea = map["features"].as_array().unwrap().iter().find(|f| f["properties"]["id"] == "P100000120845").unwrap();
        assert_eq!(lulea["properties"]["gem_wiki"], wiki);

        let fix = |note: &str, changes: Value| json!({"note": note, "source_url": "https://www.ssab.com/en/news", "valid_from": "2026-01-15", "changes": changes});
        let body = fix("blast furnace 3 closes early", json!({"status": "retired", "capacity_tpa": 2_200_000.0}));
        assert_eq!(call(&app, "PATCH", uri, None, Some("\"1\""), Some(body.clone())).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(call(&app, "PATCH", uri, Some(&reader), Some("\"1\""), Some(body.clone())).await.status, StatusCode::FORBIDDEN);
        assert_eq!(call(&app, "PATCH", uri, Some(&editor), None, Some(body.clone())).await.status, StatusCode::PRECONDITION_REQUIRED);
        for (changes, field) in [
            (json!({"capacity_tpa": 1e12}), "capacity_tpa"),
            (json!({"coordinates": [65.5, 200.0]}), "coordinates"),
            (json!({"owners": [{"name": "SSAB AB", "share": 1.2}]}), "owners"),
            (json!({"status": "open"}), "status"),
        ] {
            let bad = call(&app, "PATCH", uri, Some(&editor), Some("\"1\""), Some(fix("typo", changes))).await;
            assert_eq!((bad.status, bad.body["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{}", bad.body);
        }
        let silent = call(&app, "PATCH", uri, Some(&editor), Some("\"1\""), Some(fix(" ", json!({"status": "retired"})))).await;
        assert_eq!(silent.body["errors"][0]["field"], "note");
        let done = call(&app, "PATCH", uri, Some(&editor), Some("\"1\""), Some(body.clone())).await;
        assert_eq!((done.status, done.etag.as_deref(), done.body["changed"].as_i64()), (StatusCode::OK, Some("\"2\""), Some(2)), "{}", done.body);
        assert_eq!(call(&app, "PATCH", uri, Some(&editor), Some("\"1\""), Some(body)).await.status, StatusCode::PRECONDITION_FAILED);
        let read = call(&app, "GET", uri, None, None, None).await;
        assert_eq!((read.body["row"]["status"].as_str(), read.body["version"].as_i64()), (Some("retired"), Some(2)));
        let corrections = read.body["corrections"].as_array().unwrap();
        assert_eq!(corrections.len(), 2);
        assert_eq!((corrections[1]["field"].as_str(), corrections[1]["file_value"].as_str()), (Some("capacity"), Some("2300000")));
        // As of the day before, the tracker as GEM's file had it.
        let before = call(&app, "GET", &format!("{uri}?as_of=2026-01-14"), None, None, None).await;
        assert_eq!(before.body["row"]["status"], "operating-pre-retirement");

        // A contributor's correction is a proposal until an editor approves it.
        let filed = call(&app, "PATCH", "/api/v1/plants/P100000120845", Some(&analyst), Some("*"), Some(fix("start of the pilot", json!({"start": "2026"})))).await;
        assert_eq!((filed.status, filed.body["entity"].as_str()), (StatusCode::ACCEPTED, Some("plant")), "{}", filed.body);
        assert_eq!(filed.body["key"], "gem-steel/P100000120845");
        let approve = format!("/api/v1/review/{}/approve", filed.body["id"]);
        assert_eq!(call(&app, "POST", &approve, Some(&editor), None, Some(json!({}))).await.status, StatusCode::OK);
        let pilot = call(&app, "GET", "/api/v1/plants/P100000120845", None, None, None).await;
        assert_eq!(pilot.body["row"]["start"], "2026");

        // The plant page and the history page show who, why and the source.
        let page = common::get(&app, "/plants/P100000120845").await.text();
        assert!(page.contains("<h2>Corrections</h2>") && page.contains("blast furnace 3 closes early"), "corrections");
        assert!(page.contains(&format!("href=\"{wiki}\"")), "wiki link");
        let history = common::get(&app, "/history/plants/gem-steel%2FP100000120845~operating-pre-retirement").await;
        assert_eq!(history.status, StatusCode::OK, "{}", history.text());
        assert!(history.text().contains("blast furnace 3 closes early") && history.text().contains("https://www.ssab.com/en/news"));
        let log = store.history(EntityKind::Plant, "gem-steel/P100000120845").await.unwrap();
        let start = log.iter().find(|c| c.field == "start" && c.reason.is_some()).unwrap();
        assert_eq!((start.recorded_by.as_str(), start.approved_by.as_deref()), ("api:analyst", Some("api:editor")));

        // Retired: unlisted (not deleted) from its day; the API still answers with `listed: false`.
        let gone = call(&app, "POST", "/api/v1/retire/plants/P100000120845~announced", Some(&editor), Some("*"), Some(json!({"note": "plan withdrawn", "valid_from": "2026-02-01"}))).await;
        assert_eq!(gone.status, StatusCode::OK, "{}", gone.body);
        let read = call(&app, "GET", "/api/v1/plants/P100000120845~announced", None, None, None).await;
        assert_eq!((read.body["listed"].as_bool(), read.etag.as_deref()), (Some(false), Some("\"2\"")));
        let listed = call(&app, "GET", "/api/v1/plants?text=Lule&limit=10", None, None, None).await;
        assert_eq!(listed.body["total"], 2, "{}", listed.body);
        store.close().await;
    });
}

/// Eight editors correct SSAB Luleå's operating slice (GEM's 2025 file) holding the same ETag:
/// one 200, seven 412, and the stored capacity is the one editor's whose write landed.
#[test]
fn eight_concurrent_editors_of_one_plant_get_one_success_and_seven_412() {
    let Some(db) = tracker_copy("writes_plants_concurrent") else { return };
    runtime().block_on(async {
        let state = state(&db).await;
        let store = state.store.clone();
        let app = decarb_server::app(state);
        let editor = decarb_server::tokens::create_with(&store, "editor", Role::Editor, None).await.unwrap();
        let uri = "/api/v1/plants/P100000120845~operating-pre-retirement";
        let read = call(&app, "GET", uri, None, None, None).await;
        assert_eq!(read.body["row"]["capacity_tpa"].as_f64(), Some(2_300_000.0));
        let tag = read.etag.unwrap();
        let mut tasks = Vec::new();
        for i in 0..8 {
            let (app, editor, tag) = (app.clone(), editor.clone(), tag.clone());
            tasks.push(tokio::spawn(async move {
                let capacity = 2_200_000.0 + 1000.0 * f64::from(i);
                let body = change(&format!("editor {i}"), &json!({"capacity_tpa": capacity}));
                (capacity, call(&app, "PATCH", uri, Some(&editor), Some(&tag), Some(body)).await.status)
            }));
        }
        let mut answers = Vec::new();
        for task in tasks {
            answers.push(task.await.unwrap());
        }
        let landed: Vec<f64> =
            answers.iter().filter(|(_, s)| *s == StatusCode::OK).map(|(c, _)| *c).collect();
        let refused = answers.iter().filter(|(_, s)| *s == StatusCode::PRECONDITION_FAILED).count();
        assert_eq!((landed.len(), refused), (1, 7), "{answers:?}");
        let after = call(&app, "GET", uri, None, None, None).await;
        assert_eq!(after.body["row"]["capacity_tpa"].as_f64(), Some(landed[0]));
        let tag_after = after.etag.unwrap();
        assert_eq!(tag_after, format!("\"{}\"", read.body["version"].as_i64().unwrap() + 1));
        assert_eq!(after.body["corrections"].as_array().unwrap().len(), 1, "{}", after.body);
        store.close().await;
    });
}
