//! `GET /pledges/alignment`: every pledge of the tracker against the pathway of the member's own
//! plants in a bundled example run (`decarb_engine::alignment`, docs/pledge-alignment.md); the
//! same rows `decarb pledges alignment` prints.

use super::ApiQuery;
use crate::AppState;
use crate::problem::{ApiError, Problem};
use axum::Json;
use axum::extract::State;
use decarb_engine::alignment::Alignment;
use decarb_engine::examples::{DEFAULT_EXAMPLE, EXAMPLES, example};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

/// Which run the pledges are judged against.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlignmentParams {
    /// A bundled example (`GET /scenarios/examples`); default `net-zero-2050`.
    #[param(example = "baseline")]
    pub scenario: Option<String>,
}

/// One pledge against the pathway of the member's own plants (Mt CO2, direct, the run's
/// sectors).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AlignmentRow {
    pub member: String,
    /// country or company.
    pub kind: String,
    pub target_year: Option<i32>,
    pub metric: String,
    pub scope: String,
    pub base_year_mtco2: Option<f64>,
    pub pathway_2030_mtco2: Option<f64>,
    pub pathway_target_year_mtco2: Option<f64>,
    /// Pathway minus what the pledge allows in the judged year; positive: above the pledge.
    pub gap_mtco2: Option<f64>,
    /// The gap as a percentage of the base year's emissions.
    pub gap_pct: Option<f64>,
    pub required_2030_mtco2: Option<f64>,
    pub gap_2030_mtco2: Option<f64>,
    /// The target year, or the run's last year for a target after it.
    pub judged_year: Option<i32>,
    pub required_judged_year_mtco2: Option<f64>,
    /// aligned, off track or unknown.
    #[schema(example = "off track")]
    pub status: String,
    /// Why the status is unknown.
    pub reason: String,
    /// How the allowance was read.
    pub note: String,
    pub plants: usize,
    /// The member's pathway, [year, Mt CO2] for every year of the run.
    pub pathway: Vec<(i32, f64)>,
    /// What the pledge allows, [year, Mt CO2], from the base year to the judged year.
    pub allowed: Vec<(i32, f64)>,
}

/// The pledges of the tracker judged against one run.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AlignmentResult {
    pub scenario: String,
    pub base_year: i32,
    pub end_year: i32,
    /// Where the method is written down.
    pub method: String,
    pub rows: Vec<AlignmentRow>,
}

impl From<&Alignment> for AlignmentRow {
    fn from(a: &Alignment) -> Self {
        AlignmentRow {
            member: a.member.clone(),
            kind: a.kind.as_str().to_owned(),
            target_year: a.target_year,
            metric: a.metric.clone(),
            scope: a.scope.clone(),
            base_year_mtco2: a.base_year_mtco2,
            pathway_2030_mtco2: a.pathway_2030_mtco2,
            pathway_target_year_mtco2: a.pathway_target_year_mtco2,
            gap_mtco2: a.gap_mtco2,
            gap_pct: a.gap_pct,
            required_2030_mtco2: a.required_2030_mtco2,
            gap_2030_mtco2: a.gap_2030_mtco2,
            judged_year: a.judged_year,
            required_judged_year_mtco2: a.required_judged_year_mtco2,
            status: a.status.as_str().to_owned(),
            reason: a.reason.clone(),
            note: a.note.clone(),
            plants: a.plants,
            pathway: a.pathway.clone(),
            allowed: a.allowed.clone(),
        }
    }
}

/// Pledges against the pathway of the members' own plants (a country's plants, a company's held
/// share) in a bundled example run.
#[utoipa::path(get, path = "/pledges/alignment", tag = "tracker", params(AlignmentParams),
    responses(
        (status = 200, description = "One row per pledge", body = AlignmentResult),
        (status = 400, description = "Unknown example", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A pledge names a member the tracker does not list", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Every heavy-job slot is taken: try again after Retry-After seconds", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn alignment(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<AlignmentParams>,
) -> Result<Json<AlignmentResult>, ApiError> {
    Ok(Json(alignment_of(&state, params.scenario.as_deref().unwrap_or(DEFAULT_EXAMPLE)).await?))
}

/// The alignment of the tracker's pledges in the bundled example `name` (the dashboard's page
/// reads the same): one run with per-plant results, governed as every uncached run is (memory
/// budget, heavy-job slot, engine pool).
pub async fn alignment_of(state: &AppState, name: &str) -> Result<AlignmentResult, ApiError> {
    let text = example(name).ok_or_else(|| {
        let known: Vec<&str> = EXAMPLES.iter().map(|(n, _)| *n).collect();
        ApiError::bad_request(format!("scenario {name:?}: not a bundled example ({})", known.join(", ")))
    })?;
    let tracker = decarb_brief::gather::read_tracker(&state.store, "tracker database".into())
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let origin = format!("example {name}");
    let scenario = decarb_scenario::load(text, &origin, &state.world)
        .map_err(|e| ApiError::unprocessable(e.to_string()))?;
    let what = format!("the pledge alignment against {name}");
    super::scenarios::with_plant_run(state, Arc::new(scenario), &what, move |world, outcome| {
        let rows = decarb_brief::gather::alignment(&tracker, world, outcome)
            .map_err(|e| ApiError::unprocessable(e.to_string()))?;
        Ok(AlignmentResult {
            scenario: outcome.scenario.clone(),
            base_year: outcome.base_year,
            end_year: outcome.end_year,
            method: "docs/pledge-alignment.md".into(),
            rows: rows.iter().map(AlignmentRow::from).collect(),
        })
    })
    .await
}
