//! The scenarios page: a scenario runner (edit an example's TOML, run it), and the comparison of
//! runs: examples and recent runs by id, with uncertainty bands on request ([`results`]) and
//! results by country or owner ([`breakdown`]).

mod breakdown;
mod results;

use super::page::layout;
use crate::AppState;
use crate::api::scenarios::{RunResult, run_text};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use decarb_engine::breakdown::GroupBy;
use decarb_engine::examples::{EXAMPLES, example};
use maud::{Markup, html};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Refuses a comparison page over the limits of [`crate::limits`] before any run starts: 400,
/// naming the parameter, the value and the limit.
fn check_scenario_page(params: &BTreeMap<String, String>, examples: &str) -> Result<(), String> {
    use crate::limits::{MAX_ANONYMOUS_RUNS, MAX_RUNS_PER_PAGE, MAX_RUNS_PER_REQUEST};
    let listed = |text: &str| text.split(',').map(str::trim).filter(|n| !n.is_empty()).count();
    let count = listed(examples) + params.get("ids").map_or(0, |ids| listed(ids));
    if count > MAX_RUNS_PER_PAGE {
        return Err(format!(
            "examples and ids: found {count} runs, expected at most {MAX_RUNS_PER_PAGE} on one page"
        ));
    }
    if let Some(text) = params.get("bands") {
        // The dashboard is anonymous: its ensembles are at most an anonymous API request's.
        let bands = text.trim().parse::<u64>().ok().filter(|b| (1..=MAX_ANONYMOUS_RUNS).contains(b));
        let Some(bands) = bands else {
            return Err(format!(
                "bands: found {text:?}, expected a number of runs from 1 to {MAX_ANONYMOUS_RUNS}"
            ));
        };
        let total = bands.saturating_mul(count as u64);
        if total > MAX_RUNS_PER_REQUEST {
            return Err(format!(
                "bands: {bands} runs for each of {count} scenarios is {total} runs, expected at most {MAX_RUNS_PER_REQUEST} on one page"
            ));
        }
    }
    Ok(())
}

fn split(list: &str) -> impl Iterator<Item = &str> {
    list.split(',').map(str::trim).filter(|n| !n.is_empty())
}

/// The runs the page compares: the examples (run, or from the cache) and recent runs by id, and
/// what could not be had.
async fn runs(state: &AppState, examples: &str, ids: &str) -> (Vec<Arc<RunResult>>, Vec<String>) {
    let (mut runs, mut problems) = (Vec::new(), Vec::new());
    for name in split(examples) {
        match example(name) {
            Some(text) => match run_text(state, text, &format!("example {name}"), None).await {
                Ok(r) => runs.push(r),
                Err(e) => problems.push(e.detail),
            },
            None => problems.push(format!("unknown example {name:?}")),
        }
    }
    for id in split(ids) {
        match state.scenarios.get(id) {
            Some(r) => runs.push(r),
            None => {
                problems.push(format!("no recent run with id {id:?} (the server keeps recent runs only)"));
            }
        }
    }
    (runs, problems)
}

pub async fn scenarios(
    State(state): State<AppState>,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    let examples = params
        .get("examples")
        .cloned()
        .unwrap_or_else(|| if params.contains_key("ids") { String::new() } else { "net-zero-2050".into() });
    if let Err(detail) = check_scenario_page(&params, &examples) {
        let body = html! { p.error data-testid="limit-error" { (detail) } };
        return (StatusCode::BAD_REQUEST, layout("Pathway scenarios", "/scenarios", &body)).into_response();
    }
    let (runs, problems) = runs(&state, &examples, params.get("ids").map_or("", String::as_str)).await;
    let sector = params.get("sector").cloned().unwrap_or_else(|| "steel".into());
    let ids: Vec<&str> = runs.iter().map(|r| r.id.as_str()).collect();
    let body = html! {
        (runner(&sector))
        @for p in &problems { p.error { (p) } }
        div #compare data-ids=(ids.join(",")) data-examples=(examples) {
            (compare(&state, &params, &runs, &sector).await)
        }
    };
    layout("Pathway scenarios", "/scenarios", &body).into_response()
}

/// The scenario runner and the links comparing each example with net-zero-2050.
fn runner(sector: &str) -> Markup {
    html! {
        section.run {
            h2 { "Run a scenario" }
            p {
                "Start from an example, edit the TOML (docs/scenario-format.md) and run it on the bundled world. \
                 Each run is added to the comparison below."
            }
            label { "Example " select #example-select {
                option value="" { "choose…" }
                @for (name, _) in EXAMPLES { option { (name) } }
            } }
            textarea #scenario-text rows="12" spellcheck="false" aria-label="Scenario TOML" {}
            button type="button" #run-scenario { "Run" } " "
            span #run-status role="status" {}
            pre #scenario-error .error hidden {}
        }
        p.links {
            "Compare examples: "
            @for (name, _) in EXAMPLES {
                a href={ "/scenarios?examples=net-zero-2050," (name) "&sector=" (sector) } { (name) } " "
            }
        }
    }
}

/// The comparison of the runs: bands (on request), charts and tables, breakdowns.
async fn compare(
    state: &AppState,
    params: &BTreeMap<String, String>,
    runs: &[Arc<RunResult>],
    sector: &str,
) -> Markup {
    let ids: Vec<&str> = runs.iter().map(|r| r.id.as_str()).collect();
    // Bands on request: a Monte Carlo ensemble of each run (cached by scenario, runs and seed).
    let mut bands = BTreeMap::new();
    let mut problems = Vec::new();
    let ensemble_runs = params.get("bands").and_then(|b| b.parse::<u64>().ok());
    if let Some(ensemble_runs) = ensemble_runs {
        for r in runs {
            match crate::api::scenarios::bands(state, &r.id, ensemble_runs, None).await {
                Ok(b) => {
                    bands.insert(r.id.clone(), b);
                }
                Err(e) => problems.push(e.detail),
            }
        }
    }
    let by = match params.get("by").map(String::as_str) {
        Some("country") => Some(GroupBy::Country),
        Some("owner") => Some(GroupBy::Owner),
        _ => None,
    };
    let breakdowns = match by {
        Some(by) if !runs.is_empty() => breakdown::sections(state, runs, by, sector).await,
        _ => html! {},
    };
    let default_runs = crate::api::scenarios::DEFAULT_RUNS;
    html! {
        @for p in &problems { p.error { (p) } }
        @if ensemble_runs.is_none() && !runs.is_empty() {
            p.links {
                a #show-bands href={ "/scenarios?ids=" (ids.join(",")) "&sector=" (sector) "&bands=" (default_runs) } {
                    "Show uncertainty bands (" (default_runs) " Monte Carlo runs)"
                }
            }
        }
        @if !runs.is_empty() {
            (results::charts(runs, sector, &bands))
            (breakdown::links(&ids, sector, by))
            (breakdowns)
        }
    }
}
