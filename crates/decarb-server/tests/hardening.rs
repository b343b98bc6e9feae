//! Hostile requests (issue 14): none of them may crash, hang or exhaust the server. A panic in a
//! handler is a 500 and the server goes on; absurd scenarios are refused before any run; heavy
//! work beyond the server's slots is a 503 with `Retry-After`; an ensemble whose request timed
//! out stops; oversized dashboard comparisons are refused; slow and idle connections are closed
//! and open connections are capped. The assertions are on statuses, errors and states, never on
//! how fast something was.

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{get, runtime, send};
use decarb_server::{AppState, Config};
use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Duration;

async fn state(name: &str, config: Config) -> AppState {
    let dir = common::scratch_dir("hardening");
    std::fs::create_dir_all(&dir).unwrap();
    let config = Config { db: dir.join(format!("{name}.db")).display().to_string(), ..config };
    AppState::open(config).await.unwrap()
}

fn post_toml(text: &str) -> Request<Body> {
    Request::post("/api/v1/scenarios")
        .header("content-type", "application/toml")
        .body(Body::from(text.to_owned()))
        .unwrap()
}

const STEEL: &str = "name = \"steel\"\nsectors = [\"steel\"]\nprice_set = \"mpp-shared-2022\"\ndemand = \"bau\"\ninvestment_jitter_years = 2\n";

/// A handler with a bug.
async fn boom() -> &'static str {
    panic!("injected by the test")
}

#[test]
fn a_panicking_handler_answers_500_and_the_server_goes_on() {
    runtime().block_on(async {
        let state = state("panic", Config::default()).await;
        let extra: Router<AppState> = Router::new()
            .route("/api/v1/test/panic", axum::routing::get(boom))
            .route("/test/panic", axum::routing::get(boom));
        let app = decarb_server::app_with(state, extra);
        let answer = get(&app, "/api/v1/test/panic").await;
        assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(answer.content_type, "application/problem+json");
        assert_eq!(answer.json()["status"], 500);
        assert!(!answer.text().contains("injected"), "the panic message stays in the log: {}", answer.text());
        assert_eq!(get(&app, "/test/panic").await.status, StatusCode::INTERNAL_SERVER_ERROR);
        // The same app answers the next request.
        let answer = get(&app, "/api/v1/scenarios/examples").await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    });
}

#[test]
fn the_uncertainty_bomb_is_refused_with_422_before_any_run() {
    runtime().block_on(async {
        let state = state("bomb", Config::default()).await;
        let app = decarb_server::app(state.clone());
        let bomb = format!(
            "{STEEL}[[uncertainty.inputs]]\nname = \"demand\"\ntarget = \"demand\"\ndistribution = \"uniform\"\nmin = 1e6\nmax = 1e6\nsource = \"an attacker\"\n"
        );
        let answer = send(&app, post_toml(&bomb)).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text());
        let detail = answer.json()["detail"].as_str().unwrap().to_owned();
        assert!(detail.contains("uncertainty.inputs[0].max"), "{detail}");
        assert!(detail.contains("expected factors from 0 to 5"), "{detail}");
        assert_eq!(state.scenarios.len(), 0, "nothing ran, nothing was kept");

        let size = format!("{STEEL}[sector.steel]\nnew_plant_size = \"1e300 Mt\"\n");
        let answer = send(&app, post_toml(&size)).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text());
        assert!(answer.json()["detail"].as_str().unwrap().contains("sector.steel.new_plant_size"));
    });
}

#[test]
fn heavy_work_beyond_the_slots_is_503_with_retry_after_and_cheap_routes_still_answer() {
    runtime().block_on(async {
        let config = Config { heavy_jobs: 1, heavy_wait: Duration::from_millis(50), ..Config::default() };
        let state = state("busy", config).await;
        let app = decarb_server::app(state.clone());
        let answer = send(&app, post_toml(STEEL)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        let id = answer.json()["id"].as_str().unwrap().to_owned();

        // Every slot taken (as by long ensembles of other clients).
        let held = state.heavy.clone().acquire_owned().await.unwrap();
        let request =
            Request::get(format!("/api/v1/scenarios/{id}/bands?runs=4")).body(Body::empty()).unwrap();
        let response = tower::ServiceExt::oneshot(app.clone(), request).await.unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()["retry-after"], "10");
        assert_eq!(response.headers()["content-type"], "application/problem+json");
        // An uncached run needs a slot too; a cached result and cheap routes do not.
        let other = send(&app, post_toml(&STEEL.replace("\"steel\"\nsectors", "\"other\"\nsectors"))).await;
        assert_eq!(other.status, StatusCode::SERVICE_UNAVAILABLE, "{}", other.text());
        assert_eq!(get(&app, &format!("/api/v1/scenarios/{id}")).await.status, StatusCode::OK);
        assert_eq!(get(&app, "/api/v1/technologies").await.status, StatusCode::OK);
        drop(held);
        let answer = get(&app, &format!("/api/v1/scenarios/{id}/bands?runs=4")).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    });
}

#[test]
fn anonymous_ensembles_are_small_and_larger_ones_need_a_token() {
    runtime().block_on(async {
        let config = Config { heavy_jobs: 1, heavy_wait: Duration::from_millis(50), ..Config::default() };
        let state = state("token", config).await;
        state.store.init().await.unwrap();
        let app = decarb_server::app(state.clone());
        let answer = send(&app, post_toml(STEEL)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        let id = answer.json()["id"].as_str().unwrap().to_owned();
        let answer = get(&app, &format!("/api/v1/scenarios/{id}/bands?runs=201")).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.text());
        let detail = answer.json()["detail"].as_str().unwrap().to_owned();
        assert!(detail.contains("1 to 200") && detail.contains("up to 1000"), "{detail}");
        // With a token the request gets as far as a heavy slot (all taken here: 503, not 401).
        let token = decarb_server::tokens::create(&state.store, "ci").await.unwrap();
        let _held = state.heavy.clone().acquire_owned().await.unwrap();
        let request = |auth: &str| {
            Request::get(format!("/api/v1/scenarios/{id}/bands?runs=1000"))
                .header("authorization", auth)
                .body(Body::empty())
                .unwrap()
        };
        assert_eq!(
            send(&app, request(&format!("Bearer {token}"))).await.status,
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(send(&app, request("Bearer not-a-token")).await.status, StatusCode::UNAUTHORIZED);
    });
}

#[test]
fn an_ensemble_whose_request_timed_out_stops_and_frees_its_slot() {
    runtime().block_on(async {
        let state = state("cancel", Config { heavy_jobs: 1, ..Config::default() }).await;
        let app = decarb_server::app(state.clone());
        let answer = send(&app, post_toml(STEEL)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        let id = answer.json()["id"].as_str().unwrap().to_owned();

        // The same state behind a request timeout far shorter than 200 runs.
        let mut quick = state.clone();
        quick.config = Arc::new(Config { timeout: Duration::from_millis(300), ..(*state.config).clone() });
        let quick = decarb_server::app(quick);
        let answer = get(&quick, &format!("/api/v1/scenarios/{id}/bands?runs=200")).await;
        assert_eq!(answer.status, StatusCode::REQUEST_TIMEOUT, "{}", answer.text());
        // The ensemble stops before its next run and gives its slot back, unfinished.
        let wait = async {
            while state.heavy.available_permits() < 1 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        };
        tokio::time::timeout(Duration::from_mins(5), wait).await.expect("the ensemble stopped");
        assert_eq!(state.scenarios.bands_len(), 0, "the stopped ensemble was not finished");
    });
}

#[test]
fn the_dashboard_refuses_too_many_runs_or_bands_on_one_page() {
    runtime().block_on(async {
        let state = state("page", Config::default()).await;
        let app = decarb_server::app(state);
        let ids = vec!["0".repeat(64); 9].join(",");
        let answer = get(&app, &format!("/scenarios?ids={ids}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert!(answer.text().contains("found 9 runs, expected at most 8"), "{}", answer.text());
        for (query, wanted) in [
            ("examples=baseline&bands=1000000", "expected a number of runs from 1 to 200"),
            ("examples=baseline&bands=201", "expected a number of runs from 1 to 200"),
            ("examples=baseline&bands=-1", "expected a number of runs from 1 to 200"),
            ("examples=a,b,c,d,e,f&bands=200", "1200 runs, expected at most 1000"),
        ] {
            let answer = get(&app, &format!("/scenarios?{query}")).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
            assert!(answer.text().contains(wanted), "{query}: {}", answer.text());
        }
    });
}

/// Serves `config` on a free local port in the background; returns the address.
fn serve_in_background(rt: &tokio::runtime::Runtime, name: &str, config: Config) -> std::net::SocketAddr {
    rt.block_on(async {
        let state = state(name, config).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(decarb_server::serve_until(state, listener, std::future::pending()));
        addr
    })
}

fn connect(addr: std::net::SocketAddr) -> std::net::TcpStream {
    let stream = std::net::TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_mins(1))).unwrap();
    stream
}

/// Everything the server sends until it closes the connection.
fn read_until_closed(stream: &mut std::net::TcpStream) -> String {
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out).expect("the server closes the connection");
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn slow_and_idle_connections_are_closed_by_the_header_read_timeout() {
    let rt = runtime();
    let config = Config { header_read_timeout: Duration::from_millis(500), ..Config::default() };
    let addr = serve_in_background(&rt, "slow", config);
    // A slow client: part of a header, then nothing.
    let mut slow = connect(addr);
    slow.write_all(b"GET /api/v1/technologies HTTP/1.1\r\nHost: x\r\n").unwrap();
    let answer = read_until_closed(&mut slow);
    assert!(!answer.contains("200 OK"), "{answer}");
    // An idle keep-alive connection after one answered request.
    let mut idle = connect(addr);
    idle.write_all(b"GET /api/v1/scenarios/examples HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let answer = read_until_closed(&mut idle);
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
}

#[test]
fn connections_over_the_cap_wait_until_a_slot_frees() {
    let rt = runtime();
    let config =
        Config { max_connections: 1, header_read_timeout: Duration::from_mins(2), ..Config::default() };
    let addr = serve_in_background(&rt, "cap", config);
    let mut first = connect(addr);
    first.write_all(b"GET /api/v1/scenarios/examples HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut head = [0u8; 12];
    first.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 200");
    // The first connection stays open (keep-alive): the second is not served meanwhile.
    let mut second = connect(addr);
    second
        .write_all(b"GET /api/v1/scenarios/examples HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    second.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    let mut byte = [0u8; 1];
    let waiting = second.read(&mut byte);
    assert!(waiting.is_err(), "answered over the cap: {waiting:?}");
    // When the first closes, the second is served.
    drop(first);
    second.set_read_timeout(Some(Duration::from_mins(1))).unwrap();
    let answer = read_until_closed(&mut second);
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
}

#[test]
fn every_response_has_security_headers_and_cross_origin_writes_are_refused() {
    runtime().block_on(async {
        let state = state("headers", Config::default()).await;
        let app = decarb_server::app(state.clone());
        for uri in ["/", "/api/v1/scenarios/examples", "/api/v1/nope", "/assets/app.js"] {
            let response =
                tower::ServiceExt::oneshot(app.clone(), Request::get(uri).body(Body::empty()).unwrap())
                    .await
                    .unwrap();
            let headers = response.headers();
            assert_eq!(headers["x-content-type-options"], "nosniff", "{uri}");
            assert_eq!(headers["x-frame-options"], "DENY", "{uri}");
            assert_eq!(headers["referrer-policy"], "same-origin", "{uri}");
            let csp = headers["content-security-policy"].to_str().unwrap();
            assert!(
                csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
                "{uri}: {csp}"
            );
        }
        // A cross-site text/plain POST (no preflight in a browser) is refused before it runs.
        let request = |origin: &str| {
            Request::post("/api/v1/scenarios")
                .header("host", "127.0.0.1:8080")
                .header("origin", origin)
                .header("content-type", "text/plain")
                .body(Body::from(STEEL))
                .unwrap()
        };
        let answer = send(&app, request("https://evil.example")).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.text());
        assert_eq!(answer.content_type, "application/problem+json");
        assert!(answer.json()["detail"].as_str().unwrap().contains("evil.example"));
        assert_eq!(state.scenarios.len(), 0, "nothing ran");
        // The dashboard's own pages post from the same origin.
        let answer = send(&app, request("http://127.0.0.1:8080")).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    });
}

#[test]
fn a_client_over_its_heavy_requests_a_minute_gets_429_and_others_do_not() {
    runtime().block_on(async {
        let state = state("rate", Config { heavy_requests_per_minute: 2, ..Config::default() }).await;
        let app = decarb_server::app(state);
        let from = |ip: &str, uri: &str| {
            let mut request = Request::get(uri).body(Body::empty()).unwrap();
            request.extensions_mut().insert(decarb_server::rate::ClientAddr(ip.parse().unwrap()));
            request
        };
        let heavy = "/api/v1/scenarios/examples/nope/result";
        for _ in 0..2 {
            assert_eq!(send(&app, from("192.0.2.1", heavy)).await.status, StatusCode::NOT_FOUND);
        }
        let response = tower::ServiceExt::oneshot(app.clone(), from("192.0.2.1", heavy)).await.unwrap();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(response.headers().contains_key("retry-after"));
        // Cheap routes and other clients are not limited.
        assert_eq!(send(&app, from("192.0.2.1", "/api/v1/scenarios/examples")).await.status, StatusCode::OK);
        assert_eq!(send(&app, from("192.0.2.2", heavy)).await.status, StatusCode::NOT_FOUND);
    });
}

#[test]
fn a_run_or_ensemble_over_the_memory_budget_is_refused_with_422_before_it_starts() {
    runtime().block_on(async {
        // The default budget lets the bundled world's runs and largest ensembles through.
        let ok = state("memory-ok", Config::default()).await;
        let app = decarb_server::app(ok.clone());
        let answer = send(&app, post_toml(STEEL)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        for runs in [1, 200, 1000] {
            let estimate = decarb_engine::memory::estimate(
                &ok.world,
                &decarb_scenario::load(STEEL, "steel", &ok.world).unwrap(),
                decarb_engine::memory::RunKind::Ensemble { runs, threads: 2 },
            );
            assert!(estimate.check(ok.config.memory_budget).is_ok(), "{runs} runs: {estimate:?}");
        }

        // A budget below the bundled world's run: refused before anything runs or is cached.
        let low = state("memory-low", Config { memory_budget: 8 << 20, ..Config::default() }).await;
        let app = decarb_server::app(low.clone());
        let answer = send(&app, post_toml(STEEL)).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text());
        assert_eq!(answer.content_type, "application/problem+json");
        let detail = answer.json()["detail"].as_str().unwrap().to_owned();
        assert!(detail.contains("over the budget of 8.0 MiB"), "{detail}");
        assert!(detail.contains("plants x") && detail.contains("years"), "{detail}");
        assert_eq!(low.scenarios.len(), 0, "nothing ran, nothing was kept");
    });
}

#[test]
fn writes_refuse_a_missing_or_other_content_type_with_415_naming_the_accepted_ones() {
    runtime().block_on(async {
        let state = state("content-types", Config::default()).await;
        let app = decarb_server::app(state.clone());
        let post = |uri: &str, content_type: Option<&str>, body: &str| {
            let mut request = Request::post(uri);
            if let Some(t) = content_type {
                request = request.header("content-type", t);
            }
            request.body(Body::from(body.to_owned())).unwrap()
        };
        for content_type in [None, Some("application/x-www-form-urlencoded"), Some("text/html"), Some("")] {
            let answer = send(&app, post("/api/v1/scenarios", content_type, STEEL)).await;
            assert_eq!(
                answer.status,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{content_type:?}: {}",
                answer.text()
            );
            assert_eq!(answer.content_type, "application/problem+json");
            let detail = answer.json()["detail"].as_str().unwrap().to_owned();
            assert!(detail.contains("application/toml, text/plain, application/json"), "{detail}");
            let answer = send(&app, post("/api/v1/members", content_type, "{}")).await;
            assert_eq!(
                answer.status,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{content_type:?}: {}",
                answer.text()
            );
            assert!(answer.json()["detail"].as_str().unwrap().contains("accepts application/json"));
        }
        assert_eq!(state.scenarios.len(), 0, "nothing ran");
        // The documented types (parameters such as charset allowed) go through.
        for content_type in ["application/toml", "text/plain; charset=utf-8", "Application/TOML"] {
            let answer = send(&app, post("/api/v1/scenarios", Some(content_type), STEEL)).await;
            assert_eq!(answer.status, StatusCode::OK, "{content_type}: {}", answer.text());
        }
        let answer = send(&app, post("/api/v1/members", Some("application/json"), "{}")).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.text());
    });
}

#[test]
fn cors_is_same_origin_no_response_allows_another_origin() {
    runtime().block_on(async {
        let state = state("cors", Config::default()).await;
        let app = decarb_server::app(state);
        let requests = [
            Request::get("/api/v1/scenarios/examples").header("origin", "https://evil.example"),
            Request::options("/api/v1/scenarios")
                .header("origin", "https://evil.example")
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "content-type"),
            Request::get("/").header("origin", "https://evil.example"),
        ];
        for request in requests {
            let response =
                tower::ServiceExt::oneshot(app.clone(), request.body(Body::empty()).unwrap()).await.unwrap();
            let allows: Vec<_> =
                response.headers().keys().filter(|k| k.as_str().starts_with("access-control-")).collect();
            assert!(allows.is_empty(), "{:?}", response.headers());
        }
    });
}

#[test]
fn a_cached_plant_page_is_rebuilt_after_the_store_changes() {
    runtime().block_on(async {
        let state = state("plant-pages", Config::default()).await;
        let app = decarb_server::app(state.clone());
        let before = common::get(&app, "/api/v1/plants").await.json();
        assert_eq!(before["total"], 0);
        // Served again from the cache: the same page.
        assert_eq!(common::get(&app, "/api/v1/plants").await.json(), before);
        // A write by another handle on the store (as `decarb db import` in another process).
        let dir = common::scratch_dir("hardening");
        let file = dir.join("plant-pages-fleet.csv");
        std::fs::write(&file, "id,sector,status,capacity_tpa,country\nA1,steel,operating,1000000,DEU\n")
            .unwrap();
        let other = decarb_store::Store::open(&state.config.db).await.unwrap();
        let fleet = decarb_store::read_file(&file, Some("2025-01-01")).unwrap();
        other.import_files(&[fleet], &|_| {}).await.unwrap();
        other.close().await;
        let after = common::get(&app, "/api/v1/plants").await.json();
        assert_eq!(after["total"], 1, "{after}");
    });
}
