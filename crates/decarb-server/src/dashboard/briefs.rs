//! Country and sector briefs served by the dashboard (`decarb_brief`): the same self-contained
//! HTML page `decarb brief` writes, built from this server's tracker database and the bundled
//! world, on the bundled `net-zero-2050` scenario (or `?scenario=NAME`, a bundled example).

use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use decarb_brief::country::BriefOptions;
use decarb_brief::gather::{self, Pathway, Tracker};
use decarb_model::{CountryCode, Sector};
use maud::{DOCTYPE, html};
use std::collections::BTreeMap;

type Params = Query<BTreeMap<String, String>>;

fn problem(status: StatusCode, message: &str) -> Response {
    let page = html! { (DOCTYPE) title { "Not available" } p { (message) } };
    (status, page).into_response()
}

fn page(html: String) -> Response {
    let mut response = Html(html).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The tracker of this server's database and one run of the scenario (on a blocking thread: a
/// run takes milliseconds of CPU).
async fn inputs(
    state: &AppState,
    params: &BTreeMap<String, String>,
) -> Result<(Tracker, Pathway, BriefOptions), Response> {
    let scenario =
        params.get("scenario").map_or(decarb_engine::examples::DEFAULT_EXAMPLE, String::as_str).to_owned();
    if decarb_engine::examples::example(&scenario).is_none() {
        return Err(problem(StatusCode::NOT_FOUND, &format!("No bundled scenario {scenario:?}.")));
    }
    let statistics_up_to = match params.get("statistics_year").map(|y| y.parse::<i32>()) {
        None => None,
        Some(Ok(year)) if (1900..=2100).contains(&year) => Some(year),
        Some(_) => {
            return Err(problem(
                StatusCode::BAD_REQUEST,
                "statistics_year: expected a year between 1900 and 2100",
            ));
        }
    };
    let origin =
        format!("tracker database of this decarb server ({})", decarb_store::redact_url(&state.config.db));
    let tracker = gather::read_tracker(&state.store, origin)
        .await
        .map_err(|e| problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()))?;
    // A whole-world run: a heavy job like an uncached scenario run (a slot, or 503).
    let permit = state
        .heavy_slot(&format!("the {scenario} run of a brief"))
        .await
        .map_err(axum::response::IntoResponse::into_response)?;
    let (world, pool) = (state.world.clone(), state.engine.clone());
    let pathway = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        pool.install(|| gather::run_pathway_on(&world, &scenario))
    })
    .await
    .map_err(|e| problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()))?
    .map_err(|e| problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()))?;
    Ok((tracker, pathway, BriefOptions { statistics_up_to }))
}

/// `GET /briefs/countries/{iso3}`.
pub async fn country(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Params,
) -> Response {
    let Some(country) = CountryCode::resolve(&code) else {
        return problem(StatusCode::NOT_FOUND, &format!("No country {code:?}."));
    };
    let (tracker, pathway, options) = match inputs(&state, &params).await {
        Ok(inputs) => inputs,
        Err(response) => return response,
    };
    match decarb_brief::country::gather(country, &tracker, &pathway, options) {
        Ok(brief) => page(decarb_brief::country::render(&brief)),
        Err(err) => problem(StatusCode::INTERNAL_SERVER_ERROR, &err.to_string()),
    }
}

/// `GET /briefs/sectors/{sector}`.
pub async fn sector(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(params): Params,
) -> Response {
    let Ok(sector) = name.parse::<Sector>() else {
        return problem(StatusCode::NOT_FOUND, &format!("No sector {name:?}."));
    };
    let (tracker, pathway, options) = match inputs(&state, &params).await {
        Ok(inputs) => inputs,
        Err(response) => return response,
    };
    page(decarb_brief::sector::render(&decarb_brief::sector::gather(sector, &tracker, &pathway, options)))
}
