//! Scenario runs through the API: results equal the engine's, are cached by the scenario's
//! canonical content, JSON and TOML bodies are the same scenario, and a malformed scenario gets
//! a 422 whose detail is the message `decarb run` prints for the same file.

// Test counts are small and non-negative; JSON hands them over as u64/i64.
#![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_possible_wrap)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{runtime, send};
use decarb_engine::examples::example;
use decarb_model::Sector;
use decarb_server::{AppState, Config};

async fn app(name: &str) -> (axum::Router, AppState) {
    let dir = std::env::temp_dir().join(format!("decarb-server-scenarios-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = Config {
        db: dir.join(format!("{name}.db")).display().to_string(),
        body_limit: 64 * 1024,
        ..Config::default()
    };
    let state = AppState::open(config).await.unwrap();
    (decarb_server::app(state.clone()), state)
}

fn post(uri: &str, content_type: &str, body: String) -> Request<Body> {
    Request::post(uri).header("content-type", content_type).body(Body::from(body)).unwrap()
}

#[test]
fn a_posted_scenario_gives_the_engines_numbers_and_is_cached_by_content() {
    runtime().block_on(async {
        let (app, state) = app("cached").await;
        let text = example("baseline").unwrap();
        let answer = send(&app, post("/api/v1/scenarios", "application/toml", text.to_owned())).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        assert_eq!(answer.content_type, "application/json");
        let result = answer.json();
        assert_eq!(result["scenario"], "baseline");
        assert_eq!(state.scenarios.len(), 1);

        // The same numbers as the engine run directly.
        let world = decarb_scenario::bundled::default_world();
        let scenario = decarb_scenario::load(text, "baseline.toml", &world).unwrap();
        let outcome = decarb_engine::run(&world, &scenario, scenario.seed).unwrap();
        let steel_2030 = outcome.world(Sector::Steel, 2030).unwrap();
        let row = result["summary"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["year"] == 2030 && r["sector"] == "steel" && r["region"].is_null())
            .unwrap();
        assert_eq!(
            row["direct_emissions_t"].as_f64().unwrap().to_bits(),
            steel_2030.direct_emissions.0.to_bits()
        );
        assert_eq!(row["production_t"].as_f64().unwrap().to_bits(), steel_2030.production.0.to_bits());
        // Steel's 2020 direct emissions on the bundled world: the MPP reference of 3.16 Gt within 5 %.
        let steel_2020 =
            result["milestones"].as_array().unwrap().iter().find(|m| m["sector"] == "steel").unwrap();
        let gt = steel_2020["base_t"].as_f64().unwrap() / 1e9;
        assert!((gt - 3.16).abs() / 3.16 < 0.05, "{gt} Gt");

        // Comments and layout do not change the scenario: same id, served from the cache.
        let reformatted = format!("# a comment\n\n{}", text.replace(" = ", "="));
        let again =
            send(&app, post("/api/v1/scenarios?origin=other.toml", "text/plain", reformatted)).await.json();
        assert_eq!(again["id"], result["id"]);
        assert_eq!(state.scenarios.len(), 1);
        // The same scenario as JSON.
        let as_json: serde_json::Value = toml::from_str(text).unwrap();
        let json_answer =
            send(&app, post("/api/v1/scenarios", "application/json", as_json.to_string())).await;
        assert_eq!(json_answer.status, StatusCode::OK, "{}", json_answer.text());
        assert_eq!(json_answer.json()["id"], result["id"]);
        // Another seed is another run.
        let seeded =
            send(&app, post("/api/v1/scenarios?seed=7", "application/toml", text.to_owned())).await.json();
        assert_ne!(seeded["id"], result["id"]);
        assert_eq!(state.scenarios.len(), 2);

        let id = result["id"].as_str().unwrap();
        assert_eq!(id.len(), 64);
        let stored =
            send(&app, Request::get(format!("/api/v1/scenarios/{id}")).body(Body::empty()).unwrap()).await;
        assert_eq!(stored.json(), result);
    });
}

#[test]
fn a_malformed_scenario_gets_422_with_the_clis_message() {
    runtime().block_on(async {
        let (app, _) = app("malformed").await;
        let world = decarb_scenario::bundled::default_world();
        let cases = [
            "name = \"x\"\nprice_set = \"mpp-shared-2022\"\ndemand = \"bau\"\ndiscount = 0.1\n",
            "name = \"x\"\nprice_set = \"nope\"\ndemand = \"bau\"\n[carbon_price]\npath = \"zero\"\n",
            "name = \"x\"\nprice_set = \"mpp-shared-2022\"\ndemand = \"bau\"\n[carbon_price]\npath = \"zero\"\nsclae = 2\n",
            "name = \nbroken",
        ];
        for text in cases {
            let answer = send(&app, post("/api/v1/scenarios?origin=bad.toml", "application/toml", text.to_owned())).await;
            assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
            assert_eq!(answer.content_type, "application/problem+json");
            // `decarb run bad.toml` prints exactly this (commands/run.rs: UserError(err.to_string())).
            let expected = decarb_scenario::load(text, "bad.toml", &world).unwrap_err().to_string();
            assert_eq!(answer.json()["detail"], expected);
            assert!(expected.starts_with("bad.toml, line "), "{expected}");
        }
        let wrong_type = send(&app, post("/api/v1/scenarios", "image/png", "x".into())).await;
        assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(wrong_type.content_type, "application/problem+json");
    });
}

#[test]
fn a_request_over_the_time_limit_gets_408_as_a_problem() {
    runtime().block_on(async {
        let dir = std::env::temp_dir().join(format!("decarb-server-timeout-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = Config {
            db: dir.join("t.db").display().to_string(),
            timeout: std::time::Duration::from_millis(1),
            ..Config::default()
        };
        let app = decarb_server::app(AppState::open(config).await.unwrap());
        // A whole-world run takes far longer than a millisecond.
        let answer = send(
            &app,
            post("/api/v1/scenarios", "application/toml", example("net-zero-2050").unwrap().to_owned()),
        )
        .await;
        assert_eq!(answer.status, StatusCode::REQUEST_TIMEOUT);
        assert_eq!(answer.content_type, "application/problem+json");
        assert_eq!(answer.json()["status"], 408);
    });
}

#[test]
fn bands_span_the_runs_of_consecutive_seeds() {
    runtime().block_on(async {
        let (app, state) = app("bands").await;
        let text = example("baseline").unwrap();
        let result = send(&app, post("/api/v1/scenarios", "application/toml", text.to_owned())).await.json();
        let id = result["id"].as_str().unwrap();
        let bad = send(
            &app,
            Request::get(format!("/api/v1/scenarios/{id}/bands?seeds=1")).body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        let answer = send(
            &app,
            Request::get(format!("/api/v1/scenarios/{id}/bands?seeds=4")).body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        let bands = answer.json();
        assert_eq!(bands["seeds"], serde_json::json!([42, 43, 44, 45]), "baseline's seed is 42");
        assert_eq!(bands["runs"][0], result["id"], "the first seed is the run itself");
        assert_eq!(state.scenarios.len(), 4);
        // Each seed's world total, recomputed from the cached runs, lies within the band.
        let rows = bands["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 31);
        let mut widest = 0.0f64;
        for row in rows {
            let (lo, mid, hi) = (
                row["min_t"].as_f64().unwrap(),
                row["median_t"].as_f64().unwrap(),
                row["max_t"].as_f64().unwrap(),
            );
            assert!(lo <= mid && mid <= hi, "{row}");
            widest = widest.max(hi - lo);
        }
        for run in bands["runs"].as_array().unwrap() {
            let r = state.scenarios.get(run.as_str().unwrap()).unwrap();
            let total_2035: f64 = r
                .summary
                .iter()
                .filter(|s| s.region.is_none() && s.year == 2035)
                .map(|s| s.direct_emissions_t)
                .sum();
            let row = rows.iter().find(|row| row["year"] == 2035).unwrap();
            assert!(
                row["min_t"].as_f64().unwrap() <= total_2035 && total_2035 <= row["max_t"].as_f64().unwrap()
            );
        }
        // Baseline jitters investments by up to 3 years, so the seeds differ somewhere.
        assert!(widest > 0.0, "no spread over seeds");
        eprintln!("baseline, 4 seeds: widest range {:.1} Mt CO2", widest / 1e6);
    });
}
