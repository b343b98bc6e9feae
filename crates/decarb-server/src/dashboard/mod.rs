//! The dashboard: server-rendered HTML pages, one module per page, written with maud through the
//! presentation layer it shares with the briefs (`decarb_brief::view`, charts from
//! `decarb_chart::svg`), and a little
//! hand-written JavaScript (`assets/app.js`) for hover values, series toggles and CSV downloads.
//! Nothing is fetched from another site. The map's country outlines come from the npm packages
//! `world-atlas` and `topojson-client` under [`crate::Config::node_modules`] when installed;
//! without them the map shows the plants only, and says so.

pub mod analyses;
pub mod briefs;
pub mod cbam;
pub mod country;
pub mod edit;
pub mod history;
pub mod map;
pub mod map_data;
pub mod overview;
pub mod page;
pub mod plant;
pub mod plant_pathway;
pub mod pledges;
pub mod projects;
pub mod review;
pub mod scenarios;
pub mod search;
pub mod session;

use crate::AppState;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::services::ServeDir;

const APP_JS: &str = include_str!("../../assets/app.js");
const APP_CSS: &str = include_str!("../../assets/app.css");
const MAP_JS: &str = include_str!("../../assets/map.js");

/// The npm packages the map uses, and the URL prefix each is served under.
pub const VENDOR_PACKAGES: [&str; 3] = ["world-atlas", "topojson-client", "maplibre-gl"];

pub fn router(state: &AppState) -> Router<AppState> {
    let mut router = Router::new()
        .route("/", get(overview::overview))
        .route("/map", get(map::map))
        .route("/map/static", get(map::static_map))
        .route("/map/plants.geojson", get(map_data::plants_geojson))
        .route("/countries/{iso3}", get(country::country))
        .route("/scenarios", get(scenarios::scenarios))
        .route("/projects", get(projects::projects))
        .route("/projects/{key}", get(plant::project))
        .route("/plants/{id}", get(plant::plant))
        .route("/search", get(search::search))
        .route("/pledges", get(pledges::page))
        .route("/cbam", get(cbam::cbam))
        .route("/analyses", get(analyses::list))
        .route("/analyses.atom", get(analyses::feed))
        .route("/analyses/{slug}", get(analyses::show))
        .route("/briefs/countries/{iso3}", get(briefs::country))
        .route("/briefs/sectors/{sector}", get(briefs::sector))
        // Signing in and editing (docs/tracker-writes.md, "The dashboard").
        .route("/sign-in", get(session::sign_in_page).post(session::sign_in))
        .route("/sign-out", post(session::sign_out))
        .route("/edit", get(edit::index))
        .route("/edit/lookup", get(edit::lookup))
        .route("/edit/{kind}", get(edit::form))
        .route("/edit/{kind}/{action}", post(edit::submit))
        .route("/review", get(review::queue))
        .route("/review/{id}/{decision}", post(review::decide))
        .route("/history/{kind}/{*key}", get(history::history))
        .route("/assets/app.js", get(|| async { asset(APP_JS, "text/javascript; charset=utf-8") }))
        .route("/assets/app.css", get(|| async { asset(APP_CSS, "text/css; charset=utf-8") }))
        .route("/assets/map.js", get(|| async { asset(MAP_JS, "text/javascript; charset=utf-8") }));
    for package in VENDOR_PACKAGES {
        // ServeDir refuses `..` segments and paths outside its folder (404). It serves the `.br`
        // or `.gz` file beside a file when the client accepts it: `npm ci` writes them for the
        // files the map loads (dashboard/precompress.mjs, brotli at its best quality, which is too
        // slow to run per request); other files are compressed as they are sent (`crate::app`).
        let dir = state.config.node_modules.join(package);
        router = router.nest_service(
            &format!("/vendor/{package}"),
            ServeDir::new(dir).precompressed_br().precompressed_gzip(),
        );
    }
    router
        .fallback(page::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), session::identify))
}

fn asset(text: &'static str, content_type: &'static str) -> Response {
    let mut response = crate::static_body(text).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// True when MapLibre GL JS is installed (the interactive map; the SVG map needs none of it).
pub fn maplibre_available(state: &AppState) -> bool {
    state.config.node_modules.join("maplibre-gl/dist/maplibre-gl.mjs").is_file()
}

/// True when the map's outline packages are installed.
pub fn vendor_available(state: &AppState) -> bool {
    let nm = &state.config.node_modules;
    nm.join("world-atlas/countries-110m.json").is_file()
        && nm.join("topojson-client/dist/topojson-client.min.js").is_file()
}
