//! The dashboard's pages render from the tracker database, show the API's numbers, and the
//! static file routes refuse path traversal.

// Test counts are small and non-negative; JSON hands them over as u64/i64.
#![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_possible_wrap)]

mod common;

use axum::http::StatusCode;
use common::{get, runtime, tracker_db};
use decarb_server::{AppState, Config};
use std::collections::BTreeMap;

/// The `data-value` of each `data-testid` on a page.
fn test_values(html: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for part in html.split("data-testid=\"").skip(1) {
        let Some((id, rest)) = part.split_once('"') else { continue };
        let Some(value) = rest.split("data-value=\"").nth(1).and_then(|v| v.split('"').next()) else {
            continue;
        };
        out.insert(id.to_owned(), value.to_owned());
    }
    out
}

#[test]
fn every_page_renders_and_shows_the_apis_numbers() {
    let Some(db) = tracker_db() else { return };
    runtime().block_on(async {
        let app = decarb_server::app(common::state(db).await);
        for path in [
            "/",
            "/map",
            "/map?color=status&sector=steel",
            "/map/static?color=status&sector=steel",
            "/countries/DEU",
            "/countries/go?country=India",
            "/projects",
            "/projects?stage=construction",
            "/scenarios",
            "/cbam",
        ] {
            let page = get(&app, path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.text());
            assert_eq!(page.content_type, "text/html; charset=utf-8", "{path}");
            assert!(page.text().contains("<script src=\"/assets/app.js\""), "{path}");
            // Nothing is loaded from another site (links to sources may leave it).
            let text = page.text();
            assert!(
                !text.contains("src=\"http")
                    && !text.contains("stylesheet\" href=\"http")
                    && !text.contains("https://cdn"),
                "{path}: no external resource"
            );
        }
        let overview = get(&app, "/").await.text();
        let values = test_values(&overview);
        let fleet = get(&app, "/api/v1/fleet?group_by=sector,status").await.json();
        let steel_plants: i64 = fleet["groups"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["keys"][0] == "steel")
            .map(|g| g["plants"].as_i64().unwrap())
            .sum();
        assert_eq!(values["plants-steel"], steel_plants.to_string());
        let operating: f64 = fleet["groups"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| {
                g["keys"][0] == "steel"
                    && (g["keys"][1] == "operating" || g["keys"][1] == "operating-pre-retirement")
            })
            .map(|g| g["capacity_tpa"].as_f64().unwrap())
            .sum();
        assert!((values["operating-mtpa-steel"].parse::<f64>().unwrap() - operating / 1e6).abs() < 1e-6);
        let members = get(&app, "/api/v1/members").await.json();
        assert_eq!(values["members-total"], members.as_array().unwrap().len().to_string());
        let projects = get(&app, "/api/v1/projects?limit=1").await.json();
        assert_eq!(values["projects-total"], projects["total"].to_string());

        let map = get(&app, "/map").await.text();
        let map_values = test_values(&map);
        let plants = get(&app, "/api/v1/plants?limit=1000&offset=0").await.json();
        assert_eq!(map_values["map-total"], plants["total"].to_string());
        assert!(
            map.contains("id=\"outline-notice\""),
            "no outline packages in the test config: the map says so"
        );
        let circles = map.matches("<circle class=\"point\"").count();
        assert_eq!(map_values["map-points"], circles.to_string());
        assert!(circles > 1000, "{circles}");

        let germany = test_values(&get(&app, "/countries/DEU").await.text());
        let ranking = get(&app, "/api/v1/production/steel").await.json();
        let deu = ranking["rows"].as_array().unwrap().iter().find(|r| r["country"] == "DEU").unwrap();
        assert_eq!(germany["rank-steel"], deu["rank"].to_string());
        // The page writes the value with Rust's shortest round-trip formatting: exact.
        assert_eq!(germany["production-steel"], deu["value"].as_f64().unwrap().to_string());
        // Cement and ammonia flow through the same ranking (USGS Mineral Commodity Summaries):
        // cement 2020 from MCS 2022, Vietnam third of the 14 listed, with USGS's own world total.
        let cement = get(&app, "/api/v1/production/cement?year=2020").await.json();
        assert_eq!(cement["rows"][2]["country"], "VNM");
        assert_eq!(cement["rows"][2]["estimated"], true);
        assert_eq!(cement["rows"].as_array().unwrap().len(), 14);
        assert_eq!(cement["world_total"], 4_200_000.0);
        assert_eq!(cement["other_countries"], 760_000.0);
        // Ammonia: latest year 2025 (MCS 2026 estimates); the United States 4th, on its page too.
        let ammonia = get(&app, "/api/v1/production/ammonia").await.json();
        assert_eq!(ammonia["year"], 2025);
        let usa = ammonia["rows"].as_array().unwrap().iter().find(|r| r["country"] == "USA").unwrap();
        assert_eq!(usa["rank"], 4);
        let page = test_values(&get(&app, "/countries/USA").await.text());
        assert_eq!(page["rank-ammonia"], "4");

        let quote = get(&app, "/api/v1/cbam/quote?good=7208&origin=IND&tonnes=1000&year=2026").await.json();
        let cbam = test_values(&get(&app, "/cbam?good=7208&origin=IND&tonnes=1000&year=2026").await.text());
        assert_eq!(cbam["cbam-cost"], quote["cost"].as_str().unwrap());
        let bad = get(&app, "/cbam?good=9999&origin=IND").await;
        assert_eq!(bad.status, StatusCode::OK);
        assert!(bad.text().contains("data-testid=\"cbam-error\""));
        assert_eq!(get(&app, "/countries/Atlantis").await.status, StatusCode::NOT_FOUND);
        assert_eq!(get(&app, "/no-such-page").await.status, StatusCode::NOT_FOUND);
    });
}

#[test]
fn static_routes_refuse_path_traversal() {
    runtime().block_on(async {
        let dir = common::scratch_dir("static");
        let atlas = dir.join("node_modules/world-atlas");
        std::fs::create_dir_all(&atlas).unwrap();
        std::fs::write(atlas.join("countries-110m.json"), "{\"type\":\"Topology\"}").unwrap();
        std::fs::write(dir.join("node_modules/secret.txt"), "secret").unwrap();
        std::fs::write(dir.join("secret.txt"), "secret").unwrap();
        let config = Config {
            db: dir.join("t.db").display().to_string(),
            node_modules: dir.join("node_modules"),
            ..Config::default()
        };
        let app = decarb_server::app(AppState::open(config).await.unwrap());
        let ok = get(&app, "/vendor/world-atlas/countries-110m.json").await;
        assert_eq!(ok.status, StatusCode::OK);
        assert_eq!(ok.text(), "{\"type\":\"Topology\"}");
        for attack in [
            "/vendor/world-atlas/../secret.txt",
            "/vendor/world-atlas/../../secret.txt",
            "/vendor/world-atlas/%2e%2e/secret.txt",
            "/vendor/world-atlas/%2e%2e%2fsecret.txt",
            "/vendor/world-atlas/..%2f..%2fsecret.txt",
            "/vendor/world-atlas/..%5csecret.txt",
            "/vendor/world-atlas//etc/passwd",
            "/vendor/world-atlas/%2fetc%2fpasswd",
            "/assets/../Cargo.toml",
            "/assets/..%2fCargo.toml",
            "/vendor/topojson-client/../world-atlas/../secret.txt",
        ] {
            let answer = get(&app, attack).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{attack}: {}", answer.text());
            assert!(!answer.text().contains("secret"), "{attack}");
        }
    });
}

#[test]
fn pages_escape_what_the_request_sent() {
    let Some(db) = tracker_db() else { return };
    runtime().block_on(async {
        let app = decarb_server::app(common::state(db).await);
        let x = "%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%27";
        for path in [
            format!("/cbam?year={x}"),
            format!("/cbam?good={x}&origin={x}&tonnes={x}&certificate_price={x}&see_direct={x}"),
            format!("/projects?text={x}&sector={x}&stage={x}"),
            format!("/projects?country={x}"),
            format!("/map?color={x}"),
            format!("/map/static?color={x}"),
            format!("/scenarios?examples={x}&ids={x}&sector={x}"),
            format!("/scenarios?bands={x}"),
            format!("/countries/{x}"),
            format!("/countries/go?country={x}"),
        ] {
            let page = get(&app, &path).await;
            // 400: a `bands` that is not a number of runs is refused (issue 14), the value escaped.
            assert!(
                page.status == StatusCode::OK
                    || page.status == StatusCode::NOT_FOUND
                    || page.status == StatusCode::BAD_REQUEST,
                "{path}: {}",
                page.status
            );
            assert!(!page.text().contains("<script>alert"), "{path} echoes markup");
            assert!(!page.text().contains("alert(1)</script>\""), "{path}");
        }
    });
}
