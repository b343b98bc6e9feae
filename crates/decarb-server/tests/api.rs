//! The API on a real tracker database (GEM's 2025 plant file): lists, filters, aggregates,
//! problem details, tokens, limits, SQL injection attempts and static-file traversal.

// Test counts are small and non-negative; JSON hands them over as u64/i64.
#![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_possible_wrap)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{get, runtime, send, state, tracker_copy, tracker_db};
use decarb_model::{CountryCode, PlantStatus, Sector};
use decarb_store::{CountedTable, PlantFilter, Store};

const PROBLEM: &str = "application/problem+json";

#[test]
fn plant_list_counts_and_filters_match_the_store() {
    let Some(db) = tracker_db() else { return };
    runtime().block_on(async {
        let state = state(db).await;
        let store = state.store.clone();
        let app = decarb_server::app(state);
        let all = store.plants(&PlantFilter::default()).await.unwrap();
        let page = get(&app, "/api/v1/plants?limit=5").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.content_type, "application/json");
        let page = page.json();
        assert_eq!(page["total"].as_u64().unwrap() as usize, all.len());
        // Every record of GEM's 2025 plant file is listed: 1,546.
        let data = decarb_data::shared::dataset("gem-iron-steel-tracker-2025-03").unwrap();
        let file = decarb_store::read_file(&data.join(common::GIST_PLANTS), None).unwrap();
        assert_eq!(all.len(), file.records());
        assert_eq!(all.len(), 1546);
        assert_eq!(page["items"].as_array().unwrap().len(), 5);
        assert_eq!(page["items"][0]["id"], format!("{}/{}", all[0].family, all[0].key));

        let filter = PlantFilter {
            sector: Some(Sector::Steel),
            country: CountryCode::resolve("DEU"),
            status: Some(PlantStatus::Operating),
            ..PlantFilter::default()
        };
        let german = store.plants(&filter).await.unwrap();
        assert!(german.len() > 10, "{}", german.len());
        let answer =
            get(&app, "/api/v1/plants?sector=steel&country=Germany&status=operating&limit=1000").await.json();
        assert_eq!(answer["total"].as_u64().unwrap() as usize, german.len());
        let ids: Vec<&str> =
            answer["items"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
        let expected: Vec<String> = german.iter().map(|p| format!("{}/{}", p.family, p.key)).collect();
        assert_eq!(ids, expected);

        // Text search: case-insensitive, and `%` is a literal, not a wildcard.
        let salz = get(&app, "/api/v1/plants?text=SALZGITTER").await.json();
        let by_hand = all
            .iter()
            .filter(|p| {
                p.name.to_lowercase().contains("salzgitter")
                    || p.key.to_lowercase().contains("salzgitter")
                    || p.country_text.to_lowercase().contains("salzgitter")
            })
            .count();
        assert!(by_hand >= 1);
        assert_eq!(salz["total"].as_u64().unwrap() as usize, by_hand);
        assert_eq!(get(&app, "/api/v1/plants?text=%25").await.json()["total"], 0);

        // Paging walks the whole list without gaps.
        let second = get(&app, "/api/v1/plants?limit=3&offset=3").await.json();
        assert_eq!(second["items"][0]["id"], format!("{}/{}", all[3].family, all[3].key));
    });
}

#[test]
fn fleet_aggregates_sum_to_the_plant_list() {
    let Some(db) = tracker_db() else { return };
    runtime().block_on(async {
        let state = state(db).await;
        let store = state.store.clone();
        let app = decarb_server::app(state);
        let answer = get(&app, "/api/v1/fleet?group_by=sector,status").await;
        assert_eq!(answer.status, StatusCode::OK);
        let answer = answer.json();
        assert_eq!(answer["group_by"], serde_json::json!(["sector", "status"]));
        let plants = store.plants(&PlantFilter::default()).await.unwrap();
        let total: i64 =
            answer["groups"].as_array().unwrap().iter().map(|g| g["plants"].as_i64().unwrap()).sum();
        assert_eq!(total as usize, plants.len());
        let operating: f64 = answer["groups"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["keys"][1] == "operating")
            .map(|g| g["capacity_tpa"].as_f64().unwrap())
            .sum();
        let by_hand: f64 =
            plants.iter().filter(|p| p.status == "operating").filter_map(|p| p.capacity_tpa).sum();
        assert!((operating - by_hand).abs() < 1.0, "{operating} vs {by_hand}");
        // The store's own headline query agrees (operating + pre-retirement, by country and route).
        let headline: f64 =
            store.operating_capacity(None, None).await.unwrap().iter().map(|r| r.capacity_tpa).sum();
        let both: f64 = answer["groups"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["keys"][1] == "operating" || g["keys"][1] == "operating-pre-retirement")
            .map(|g| g["capacity_tpa"].as_f64().unwrap())
            .sum();
        assert!((headline - both).abs() < 1.0, "{headline} vs {both}");

        let bad = get(&app, "/api/v1/fleet?group_by=sector;DROP").await;
        assert_eq!((bad.status, bad.content_type.as_str()), (StatusCode::BAD_REQUEST, PROBLEM));
        assert!(bad.json()["detail"].as_str().unwrap().contains("group_by"), "{}", bad.text());
    });
}

async fn counts(store: &Store) -> Vec<i64> {
    let mut out = Vec::new();
    for table in [
        CountedTable::Plants,
        CountedTable::PlantStates,
        CountedTable::Projects,
        CountedTable::Members,
        CountedTable::Pledges,
        CountedTable::Partnerships,
        CountedTable::Changes,
        CountedTable::Countries,
    ] {
        out.push(store.count(table).await.unwrap());
    }
    out
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[test]
fn sql_injection_attempts_in_filters_change_nothing() {
    let Some(db) = tracker_copy("injection") else { return };
    runtime().block_on(async {
        let state = state(&db).await;
        let store = state.store.clone();
        let app = decarb_server::app(state);
        let before = counts(&store).await;
        assert!(before[0] > 1000);
        let payloads = [
            "'; DROP TABLE plant; --",
            "'; DROP TABLE plants; --",
            "' OR '1'='1",
            "steel' OR 1=1 --",
            "1; DELETE FROM plant_state",
            "\" OR \"\"=\"",
            "') UNION SELECT name, name, name FROM sqlite_master --",
            "%' AND 1=0 UNION SELECT 1 --",
        ];
        let params =
            ["text", "sector", "country", "status", "route", "as_of", "group_by", "limit", "stage", "kind"];
        let paths = [
            "/api/v1/plants",
            "/api/v1/fleet",
            "/api/v1/projects",
            "/api/v1/members",
            "/api/v1/pledges",
            "/api/v1/partnerships",
        ];
        for payload in payloads {
            for param in params {
                for path in paths {
                    let answer = get(&app, &format!("{path}?{param}={}", encode(payload))).await;
                    assert!(
                        answer.status == StatusCode::OK || answer.status == StatusCode::BAD_REQUEST,
                        "{path}?{param}={payload}: {} {}",
                        answer.status,
                        answer.text()
                    );
                    if answer.status == StatusCode::OK && param == "text" && path == "/api/v1/plants" {
                        assert_eq!(answer.json()["total"], 0, "{payload}");
                    }
                    if answer.status == StatusCode::BAD_REQUEST {
                        assert_eq!(answer.content_type, PROBLEM);
                    }
                }
            }
            let by_id = get(&app, &format!("/api/v1/plants/{}", encode(payload))).await;
            assert_eq!(by_id.status, StatusCode::NOT_FOUND, "{payload}: {}", by_id.text());
        }
        assert_eq!(counts(&store).await, before);
        // The plant list still answers in full.
        let all = get(&app, "/api/v1/plants?limit=1").await.json();
        assert_eq!(all["total"].as_i64().unwrap(), before[0]);
    });
}

fn member_body(name: &str) -> String {
    serde_json::json!({
        "name": name, "kind": "company", "country": "SWE", "joined": "2025-06",
        "source": {"citation": "Test fixture: a member added through the API", "url": null}
    })
    .to_string()
}

fn post_member(body: String, token: Option<&str>) -> Request<Body> {
    let mut request = Request::post("/api/v1/members").header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", token);
    }
    request.body(Body::from(body)).unwrap()
}

#[test]
fn writes_need_a_valid_unrevoked_token() {
    let Some(db) = tracker_copy("tokens") else { return };
    runtime().block_on(async {
        let state = state(&db).await;
        let store = state.store.clone();
        let app = decarb_server::app(state);
        let members = store.count(CountedTable::Members).await.unwrap();
        let token = decarb_server::tokens::create(&store, "ci").await.unwrap();
        assert!(token.starts_with("decarb_") && token.len() == 7 + 64);
        let listed = store.tokens().await.unwrap();
        assert_eq!(listed.len(), 1);
        assert!(token.starts_with(&listed[0].prefix));
        // The database holds only the hash.
        let raw: Vec<(String,)> =
            sqlx::query_as("SELECT token_hash FROM api_token").fetch_all(store.pool()).await.unwrap();
        assert_eq!(raw[0].0, decarb_server::tokens::hash_token(&token));
        assert!(!raw[0].0.contains(&token[7..]));

        for bad in [
            None,
            Some("Bearer"),
            Some("Bearer nope"),
            Some("Basic dXNlcjpwYXNz"),
            Some(&*format!("Bearer {token}x")),
        ] {
            let answer = send(&app, post_member(member_body("Nobody AB"), bad)).await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{bad:?}");
            assert_eq!(answer.content_type, PROBLEM);
        }
        assert_eq!(store.count(CountedTable::Members).await.unwrap(), members);

        let created =
            send(&app, post_member(member_body("Test Steel AB"), Some(&format!("Bearer {token}")))).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
        assert_eq!(created.json()["name"], "Test Steel AB");
        assert_eq!(created.json()["joined"], "2025-06");
        assert_eq!(store.count(CountedTable::Members).await.unwrap(), members + 1);
        let history = store.history(decarb_store::EntityKind::Member, "Test Steel AB").await.unwrap();
        assert_eq!(history[0].recorded_by, "api:ci");

        // A bad body with a good token is a 400 naming the field, and nothing is written.
        let bad_body = send(
            &app,
            post_member(
                "{\"name\": \"X\", \"kind\": \"planet\", \"source\": {\"citation\": \"c\"}}".into(),
                Some(&format!("Bearer {token}")),
            ),
        )
        .await;
        assert_eq!(bad_body.status, StatusCode::BAD_REQUEST);
        assert!(bad_body.json()["detail"].as_str().unwrap().contains("planet"));

        store.revoke_token("ci").await.unwrap();
        let revoked = send(&app, post_member(member_body("Late AB"), Some(&format!("Bearer {token}")))).await;
        assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
        assert_eq!(store.count(CountedTable::Members).await.unwrap(), members + 1);
    });
}

#[test]
fn oversized_bodies_get_413_as_problem_details() {
    let Some(db) = tracker_db() else { return };
    runtime().block_on(async {
        let app = decarb_server::app(state(db).await);
        let big = format!("name = \"big\"\n# {}\n", "x".repeat(70 * 1024));
        let with_length = Request::post("/api/v1/scenarios")
            .header("content-type", "application/toml")
            .header("content-length", big.len())
            .body(Body::from(big.clone()))
            .unwrap();
        let answer = send(&app, with_length).await;
        assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", answer.text());
        assert_eq!(answer.content_type, PROBLEM);
        // Without a length header (as a streamed body arrives), the limit still holds while reading.
        let unannounced = Request::post("/api/v1/scenarios")
            .header("content-type", "application/toml")
            .body(Body::from(big))
            .unwrap();
        let answer = send(&app, unannounced).await;
        assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", answer.text());
        assert_eq!(answer.content_type, PROBLEM);
        // Writes too (the token is checked first, but the body never gets through either way).
        let members = Request::post("/api/v1/members")
            .header("content-type", "application/json")
            .body(Body::from("x".repeat(100 * 1024)))
            .unwrap();
        let answer = send(&app, members).await;
        assert!(answer.status == StatusCode::PAYLOAD_TOO_LARGE || answer.status == StatusCode::UNAUTHORIZED);
    });
}

#[test]
fn the_json_built_by_the_database_equals_the_typed_page() {
    let Some(db) = tracker_db() else { return };
    runtime().block_on(async {
        let state = state(db).await;
        for (query, limit, offset) in [
            (decarb_server::queries::PlantQuery::default(), 1000, 0),
            (decarb_server::queries::PlantQuery::default(), 1000, 1000),
            (decarb_server::queries::PlantQuery { text: Some("steel".into()), ..Default::default() }, 7, 3),
            (
                decarb_server::queries::PlantQuery {
                    text: Some("no such plant anywhere".into()),
                    ..Default::default()
                },
                10,
                0,
            ),
        ] {
            let typed =
                decarb_server::queries::plant_page(&state.store, &query, limit, offset).await.unwrap();
            let json =
                decarb_server::queries::plant_page_json(&state.store, &query, limit, offset).await.unwrap();
            let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
            common::assert_same_page(&parsed, &serde_json::to_value(&typed).unwrap());
        }
    });
}

#[test]
fn search_groups_hits_by_kind_links_them_and_bounds_the_query() {
    let Some(db) = tracker_db() else { return };
    runtime().block_on(async {
        let app = decarb_server::app(state(db).await);
        // "Oxelosund", without its accent, finds SSAB Oxelösund; its link opens the plant.
        let found = get(&app, "/api/v1/search?q=Oxelosund").await;
        assert_eq!(found.status, StatusCode::OK, "{}", found.text());
        let found = found.json();
        let plants = found["groups"].as_array().unwrap().iter().find(|g| g["kind"] == "plant").unwrap();
        let hit = &plants["hits"][0];
        assert_eq!(hit["key"], "gem-steel/P100000120844");
        let plant = get(&app, hit["url"].as_str().unwrap()).await;
        assert_eq!(plant.status, StatusCode::OK, "{}", plant.text());
        assert_eq!(plant.json()["row"]["key"], "P100000120844");

        // A misspelt country, kinds filtered, groups in a fixed order.
        let found = get(&app, "/api/v1/search?q=Indai&kind=country,plant&limit=3").await.json();
        let groups = found["groups"].as_array().unwrap();
        assert_eq!(groups[0]["kind"], "country");
        assert_eq!(groups[0]["hits"][0]["key"], "IND");
        assert_eq!(groups[0]["hits"][0]["url"], "/countries/IND");
        assert!(groups.iter().all(|g| g["kind"] == "country" || g["kind"] == "plant"));
        assert!(groups.iter().all(|g| g["hits"].as_array().unwrap().len() <= 3));

        for bad in
            ["/api/v1/search?q=", "/api/v1/search?q=steel&kind=plnat", "/api/v1/search?q=steel&limit=51"]
        {
            let answer = get(&app, bad).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad}");
            assert_eq!(answer.content_type, PROBLEM);
        }
        let plnat = get(&app, "/api/v1/search?q=steel&kind=plnat").await.text();
        assert!(plnat.contains("did you mean plant"), "{plnat}");
    });
}
