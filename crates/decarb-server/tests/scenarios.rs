//! Scenario runs through the API: results equal the engine's, are cached by the scenario's
//! canonical content, JSON and TOML bodies are the same scenario, and a malformed scenario gets
//! a 422 whose detail is the message `decarb run` prints for the same file.

// Test counts are small and non-negative; JSON hands them over as u64/i64.
#![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_possible_wrap)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{runtime, send};
use decarb_engine::ensemble::{Variable, run_ensemble};
use decarb_engine::examples::example;
use decarb_engine::uncertainty::Uncertainty;
use decarb_model::Sector;
use decarb_server::{AppState, Config};

async fn app(name: &str) -> (axum::Router, AppState) {
    let dir = common::scratch_dir("scenarios");
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
        let dir = common::scratch_dir("timeout");
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

/// An example restricted to steel, so that an ensemble of a few runs stays quick in a debug build.
fn steel_only(name: &str) -> String {
    example(name)
        .unwrap()
        .replace("sectors = [\"steel\", \"cement\", \"aluminium\", \"ammonia\"]", "sectors = [\"steel\"]")
}

fn get_json(uri: String) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

/// The five percentiles of a band row, checked to be in order.
fn ordered(row: &serde_json::Value) -> [f64; 5] {
    let p = ["p5", "p25", "p50", "p75", "p95"].map(|k| row[k].as_f64().unwrap());
    assert!(p.windows(2).all(|w| w[0] <= w[1]), "percentiles out of order: {row}");
    p
}

#[test]
fn bands_are_the_engines_monte_carlo_ensemble() {
    runtime().block_on(async {
        let (app, state) = app("bands").await;
        let text = steel_only("carbon-price");
        assert!(text.contains("sectors = [\"steel\"]"));
        let result = send(&app, post("/api/v1/scenarios", "application/toml", text.clone())).await.json();
        let id = result["id"].as_str().unwrap();

        for bad in ["runs=0", "runs=1001", "runs=ten", "seed=-1"] {
            let answer = send(&app, get_json(format!("/api/v1/scenarios/{id}/bands?{bad}"))).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad}");
            assert_eq!(answer.content_type, "application/problem+json");
        }
        let missing = send(&app, get_json(format!("/api/v1/scenarios/{}/bands", "0".repeat(64)))).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);

        let answer = send(&app, get_json(format!("/api/v1/scenarios/{id}/bands?runs=12&seed=7"))).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        let bands = answer.json();
        assert_eq!(bands["runs"], 12);
        assert_eq!(bands["seed"], 7);
        assert_eq!(bands["unit"], "Mt CO2");
        assert_eq!(bands["uncertainty_declared"], true);
        assert_eq!(
            bands["varied"],
            serde_json::json!([
                "hydrogen_price",
                "electricity_price",
                "carbon_price",
                "steel_demand",
                "h2_dri_available",
                "cycle_jitter",
                "investment timing"
            ])
        );
        assert!(bands["note"].is_null());

        // The same figures, bit for bit, as the engine's ensemble with the same runs and seed.
        let world = decarb_scenario::bundled::default_world();
        let scenario = decarb_scenario::load(&text, "carbon-price.toml", &world).unwrap();
        let ensemble = run_ensemble(&world, &scenario, 12, 7, |_| ()).unwrap();
        let world_rows = bands["world"].as_array().unwrap();
        assert_eq!(world_rows.len(), 31, "2020 to 2050");
        let steel_rows = bands["sectors"][0]["rows"].as_array().unwrap();
        assert_eq!(bands["sectors"][0]["sector"], "steel");
        for (rows, sector) in [(world_rows, None), (steel_rows, Some(Sector::Steel))] {
            for row in rows {
                let year = row["year"].as_i64().unwrap() as i32;
                let expected = ensemble.band(year, sector, None, Variable::DirectEmissions).unwrap();
                assert_eq!(row["mean"].as_f64().unwrap().to_bits(), expected.mean.to_bits(), "{year}");
                let got = ordered(row);
                for (g, e) in got.iter().zip(expected.percentiles) {
                    assert_eq!(g.to_bits(), e.to_bits(), "{year}: {row}");
                }
                assert!(got[0] <= row["mean"].as_f64().unwrap() && row["mean"].as_f64().unwrap() <= got[4] * 1.01);
            }
        }
        assert_eq!(
            bands["probability_milestone"]["probability"].as_f64().unwrap().to_bits(),
            ensemble.probability_milestone().to_bits()
        );
        assert_eq!(bands["probability_milestone"]["year"], 2030);
        assert_eq!(bands["probability_milestone"]["max_share_of_base"], 0.75);
        assert_eq!(
            bands["probability_near_zero"]["probability"].as_f64().unwrap().to_bits(),
            ensemble.probability_near_zero().to_bits()
        );
        assert_eq!(bands["probability_near_zero"]["year"], 2050);
        assert_eq!(bands["probability_near_zero"]["max_share_of_base"], 0.1);

        // Sampled prices, carbon price and demand spread steel's 2050 emissions widely.
        let last = ordered(world_rows.last().unwrap());
        assert!(last[4] - last[0] > 0.05 * last[2], "p5..p95 in 2050: {last:?}");
        eprintln!(
            "carbon-price, steel, 12 runs, seed 7: 2050 p5 {:.1}, p50 {:.1}, p95 {:.1} Mt CO2; P(milestone) {}, P(near zero) {}",
            last[0],
            last[2],
            last[4],
            bands["probability_milestone"]["probability"],
            bands["probability_near_zero"]["probability"]
        );

        // Cached by (scenario, runs, seed): the same answer again, and another seed is another entry.
        assert_eq!(state.scenarios.bands_len(), 1);
        let again = send(&app, get_json(format!("/api/v1/scenarios/{id}/bands?runs=12&seed=7"))).await;
        assert_eq!(again.text(), answer.text());
        assert_eq!(state.scenarios.bands_len(), 1);
        let other = send(&app, get_json(format!("/api/v1/scenarios/{id}/bands?runs=2"))).await.json();
        assert_eq!(other["seed"], 42, "the scenario's seed by default");
        assert_eq!(state.scenarios.bands_len(), 2);
    });
}

#[test]
fn bands_of_a_scenario_without_uncertainty_vary_investment_timing() {
    runtime().block_on(async {
        let (app, _state) = app("bands-timing").await;
        let text = steel_only("baseline");
        assert!(!text.contains("[uncertainty]"));
        let result = send(&app, post("/api/v1/scenarios", "application/toml", text.clone())).await.json();
        let id = result["id"].as_str().unwrap();
        let answer = send(&app, get_json(format!("/api/v1/scenarios/{id}/bands?runs=6"))).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        let bands = answer.json();
        assert_eq!(bands["uncertainty_declared"], false);
        assert_eq!(bands["varied"], serde_json::json!(["investment timing"]));
        assert!(bands["note"].as_str().unwrap().contains("investment_jitter_years = 3"));

        // Equal to the engine's ensemble of the scenario with `vary_seed = true` and no inputs.
        let world = decarb_scenario::bundled::default_world();
        let mut scenario = decarb_scenario::load(&text, "baseline.toml", &world).unwrap();
        scenario.uncertainty = Some(Uncertainty { vary_seed: true, ..Uncertainty::default() });
        let ensemble = run_ensemble(&world, &scenario, 6, 42, |_| ()).unwrap();
        let mut widest = 0.0f64;
        for row in bands["world"].as_array().unwrap() {
            let year = row["year"].as_i64().unwrap() as i32;
            let expected = ensemble.band(year, None, None, Variable::DirectEmissions).unwrap();
            let got = ordered(row);
            assert_eq!(got[2].to_bits(), expected.percentiles[2].to_bits(), "{year}");
            assert_eq!(row["mean"].as_f64().unwrap().to_bits(), expected.mean.to_bits(), "{year}");
            widest = widest.max(got[4] - got[0]);
        }
        // Baseline moves investments by up to 3 years, so the runs differ somewhere.
        assert!(widest > 0.0, "no spread over investment timing");
        eprintln!("baseline, steel, 6 runs: widest p5..p95 range {widest:.2} Mt CO2");
    });
}

/// `GET /pledges/alignment` and the dashboard's pledges page: every pledge of the tracker against
/// the pathway of the member's own plants, the numbers of `decarb pledges alignment`.
#[test]
fn pledge_alignment_answers_one_row_per_pledge_and_the_page_charts_it() {
    runtime().block_on(async {
        let (app, state) = app("alignment").await;
        state.store.init().await.unwrap();
        let pledges = state.store.pledges(&decarb_store::RegistryFilter::default()).await.unwrap();
        let answer = common::get(&app, "/api/v1/pledges/alignment?scenario=baseline").await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        let body = answer.json();
        let rows = body["rows"].as_array().unwrap();
        assert_eq!(rows.len(), pledges.len());
        let row = |member: &str| rows.iter().find(|r| r["member"] == member).unwrap();
        // Without a carbon price Germany's blast furnaces stay: off track for 2045, the gap the
        // pathway minus the 10 % residual.
        let germany = row("Germany");
        assert_eq!(germany["status"], "off track");
        let (base, target, gap) = (
            germany["base_year_mtco2"].as_f64().unwrap(),
            germany["pathway_target_year_mtco2"].as_f64().unwrap(),
            germany["gap_mtco2"].as_f64().unwrap(),
        );
        assert!((gap - (target - 0.1 * base)).abs() < 1e-6);
        assert_eq!(germany["pathway"].as_array().unwrap().len(), 31, "2020-2050");
        assert_eq!(row("Stegra (formerly H2 Green Steel)")["status"], "unknown");

        let unknown = common::get(&app, "/api/v1/pledges/alignment?scenario=nope").await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
        assert_eq!(unknown.content_type, "application/problem+json");

        let page = common::get(&app, "/pledges?scenario=baseline&member=Germany").await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        assert!(html.contains("id=\"alignment-chart\""), "the member's chart");
        assert!(html.contains("Germany: off track"), "the chart's title");
        let off_track = rows.iter().filter(|r| r["status"] == "off track").count();
        assert!(html.contains(&format!("data-testid=\"pledges-off-track\" data-value=\"{off_track}\"")));
    });
}

/// `by=country` and `by=owner` add the run's results by country or owner, from its plants: the
/// groups add up to the world rows, India is its own plants (the India region), a bad `by` is a 400
/// problem, and `by=region` leaves the result as it was.
#[test]
fn results_by_country_and_owner_add_up_to_the_world() {
    runtime().block_on(async {
        let (app, _state) = app("by-country").await;
        let plain =
            send(&app, get_json("/api/v1/scenarios/examples/baseline/result".to_owned())).await.json();
        assert!(plain.get("breakdown").is_none());
        let id = plain["id"].as_str().unwrap().to_owned();
        let by_region = send(&app, get_json(format!("/api/v1/scenarios/{id}?by=region"))).await.json();
        assert_eq!(by_region, plain);
        let world_row = |sector: &str, year: i64| {
            plain["summary"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["year"] == year && r["sector"] == sector && r["region"].is_null())
                .unwrap()
                .clone()
        };
        for by in ["country", "owner"] {
            let answer = send(&app, get_json(format!("/api/v1/scenarios/{id}?by={by}&sector=steel"))).await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
            let result = answer.json();
            let breakdown = &result["breakdown"];
            assert_eq!(breakdown["by"], by);
            let rows = breakdown["rows"].as_array().unwrap();
            assert!(rows.iter().all(|r| r["sector"] == "steel"));
            for year in [2020, 2035, 2050] {
                let want = world_row("steel", year)["direct_emissions_t"].as_f64().unwrap();
                let sum: f64 = rows
                    .iter()
                    .filter(|r| r["year"] == year)
                    .map(|r| r["direct_emissions_t"].as_f64().unwrap())
                    .sum();
                assert!((sum - want).abs() <= 1e-6 * want, "{by} {year}: {sum} vs {want}");
            }
            if by == "country" {
                let india = rows.iter().find(|r| r["year"] == 2020 && r["group"] == "IND").unwrap();
                let region = plain["summary"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|r| r["year"] == 2020 && r["sector"] == "steel" && r["region"] == "india")
                    .unwrap();
                let (a, b) = (
                    india["direct_emissions_t"].as_f64().unwrap(),
                    region["direct_emissions_t"].as_f64().unwrap(),
                );
                assert!((a - b).abs() <= 1e-6 * b, "India {a} vs region {b}");
            } else {
                assert!(breakdown["attribution"]["plants_with_assumed_shares"].as_u64().unwrap() > 0);
                assert!(breakdown["note"].as_str().unwrap().contains("assumed"));
            }
        }
        let bad = send(&app, get_json(format!("/api/v1/scenarios/{id}?by=planet"))).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text());
        let bad = send(&app, get_json(format!("/api/v1/scenarios/{id}?by=country&sector=glass"))).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text());
        // The OpenAPI document names the parameter.
        let doc = serde_json::to_value(decarb_server::openapi()).unwrap();
        let params = doc["paths"]["/scenarios/{id}"]["get"]["parameters"].as_array().unwrap();
        assert!(params.iter().any(|p| p["name"] == "by"), "{params:?}");
    });
}

/// The dashboard's scenario page shows a run by country (chart and table) with the API's numbers.
#[test]
fn the_scenario_page_shows_a_run_by_country() {
    runtime().block_on(async {
        let (app, _state) = app("by-country-page").await;
        let result = send(
            &app,
            get_json("/api/v1/scenarios/examples/baseline/result?by=country&sector=steel".to_owned()),
        )
        .await
        .json();
        let id = result["id"].as_str().unwrap();
        let india = result["breakdown"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["year"] == 2020 && r["group"] == "IND")
            .unwrap()["direct_emissions_t"]
            .as_f64()
            .unwrap();
        let page = send(
            &app,
            Request::get("/scenarios?examples=baseline&sector=steel&by=country").body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        assert!(html.contains(&format!("id=\"by-country-{}\"", &id[..8])), "no by-country table");
        assert!(html.contains(&format!("id=\"by-country-chart-{}\"", &id[..8])), "no by-country chart");
        assert!(html.contains("India (IND)"));
        let testid = format!("data-testid=\"by-country-{}-IND\" data-value=\"", &id[..8]);
        let shown: f64 = html.split(&testid).nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
        assert!((shown - india / 1e6).abs() < 1e-9, "page {shown} vs API {india}");
        // Without `by`, the page links to the breakdowns and shows none.
        let plain = send(&app, Request::get("/scenarios?examples=baseline").body(Body::empty()).unwrap())
            .await
            .text();
        assert!(plain.contains("id=\"by-country\"") && !plain.contains("by-country-chart"));
    });
}
