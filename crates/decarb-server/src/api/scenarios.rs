//! Pathway scenario runs: POST a scenario (TOML, or the same as JSON), get the results; results
//! are kept by the hash of the scenario's canonical form, so the same scenario runs once.

use super::ApiQuery;
use crate::AppState;
use crate::problem::{ApiError, Problem};
use crate::tokens::hex;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use decarb_engine::examples::{EXAMPLES, description, example};
use decarb_engine::outcome::Outcome;
use decarb_engine::{Scenario, World};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use utoipa::{IntoParams, ToSchema};

/// Results of recent runs by scenario hash, the oldest dropped first.
#[derive(Debug)]
pub struct ScenarioCache {
    capacity: usize,
    inner: Mutex<CacheEntries>,
}

/// Results (with the scenario that made them) by id, and ids from oldest to newest.
type CacheEntries = (BTreeMap<String, (Arc<RunResult>, Arc<Scenario>)>, VecDeque<String>);

impl ScenarioCache {
    pub fn new(capacity: usize) -> Self {
        ScenarioCache { capacity: capacity.max(1), inner: Mutex::new((BTreeMap::new(), VecDeque::new())) }
    }

    pub fn get(&self, id: &str) -> Option<Arc<RunResult>> {
        let guard = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        guard.0.get(id).map(|(result, _)| result.clone())
    }

    /// The scenario (as loaded, seed included) behind a cached result.
    pub fn scenario(&self, id: &str) -> Option<Arc<Scenario>> {
        let guard = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        guard.0.get(id).map(|(_, scenario)| scenario.clone())
    }

    fn put(&self, result: Arc<RunResult>, scenario: Arc<Scenario>) {
        let mut guard = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (map, order) = &mut *guard;
        let id = result.id.clone();
        if map.insert(id.clone(), (result, scenario)).is_none() {
            order.push_back(id);
        }
        while order.len() > self.capacity {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner).0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// World totals of one sector in one year (region `null`) or of one region.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SummaryRow {
    pub year: i32,
    pub sector: String,
    /// Region name, or `null` for the world.
    pub region: Option<String>,
    pub production_t: f64,
    pub capacity_tpa: f64,
    /// Scope 1 after capture, t CO2.
    pub direct_emissions_t: f64,
    pub captured_t: f64,
    /// Purchased grid electricity x grid factor, t CO2.
    pub indirect_emissions_t: f64,
    pub capex_usd: f64,
    pub opex_usd: f64,
    pub carbon_cost_usd: f64,
    pub stranded_capacity_tpa: f64,
}

/// World production of one technology in one year.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MixRow {
    pub year: i32,
    pub sector: String,
    pub technology: String,
    pub production_t: f64,
    pub capacity_tpa: f64,
}

/// World use of one resource by one sector in one year.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ResourceRow {
    pub year: i32,
    pub sector: String,
    #[schema(example = "hydrogen")]
    pub resource: String,
    #[schema(example = "Mt")]
    pub unit: String,
    pub quantity: f64,
}

/// A sector's direct emissions at the base year, 2030 and the end year, against the milestone.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Milestone {
    pub sector: String,
    pub base_year: i32,
    pub base_t: f64,
    pub in_2030_t: Option<f64>,
    pub end_year: i32,
    pub end_t: f64,
    /// Change from the base year to 2030, percent.
    pub change_2030_pct: Option<f64>,
}

/// The results of one run.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RunResult {
    /// SHA-256 of the scenario's canonical form and seed: GET /scenarios/{id} returns this again.
    pub id: String,
    pub scenario: String,
    pub description: String,
    pub base_year: i32,
    pub end_year: i32,
    pub seed: u64,
    pub sectors: Vec<String>,
    /// What the emission figures include.
    pub boundary: String,
    /// World rows (region null) then regional rows, by year, sector.
    pub summary: Vec<SummaryRow>,
    pub technology_mix: Vec<MixRow>,
    pub resources: Vec<ResourceRow>,
    pub milestones: Vec<Milestone>,
    pub warnings: Vec<String>,
}

/// A bundled example scenario.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExampleInfo {
    #[schema(example = "net-zero-2050")]
    pub name: String,
    pub description: String,
    /// The scenario file (TOML).
    pub toml: String,
}

/// The bundled example scenarios, with their TOML text.
#[utoipa::path(get, path = "/scenarios/examples", tag = "scenarios",
    responses((status = 200, description = "Examples", body = Vec<ExampleInfo>)))]
pub async fn examples() -> Json<Vec<ExampleInfo>> {
    Json(
        EXAMPLES
            .iter()
            .map(|(name, text)| ExampleInfo {
                name: (*name).to_owned(),
                description: description(text).to_owned(),
                toml: (*text).to_owned(),
            })
            .collect(),
    )
}

/// An example's name.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ExampleName {
    #[param(example = "baseline")]
    pub name: String,
}

/// Runs a bundled example on the bundled world (cached).
#[utoipa::path(get, path = "/scenarios/examples/{name}/result", tag = "scenarios", params(ExampleName),
    responses(
        (status = 200, description = "The run's results", body = RunResult),
        (status = 404, description = "No such example", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn run_example(
    State(state): State<AppState>,
    Path(ExampleName { name }): Path<ExampleName>,
) -> Result<Json<RunResult>, ApiError> {
    let text = example(&name).ok_or_else(|| {
        ApiError::not_found(format!(
            "unknown example {name:?}; known: {}",
            EXAMPLES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
        ))
    })?;
    let result = run_text(&state, text, &format!("example {name}"), None).await?;
    Ok(Json((*result).clone()))
}

/// How a POSTed scenario is named in error messages, and an optional seed.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunParams {
    /// The file name errors name (as `decarb run FILE` would); default `scenario.toml`.
    #[param(example = "my-scenario.toml")]
    pub origin: Option<String>,
    /// Seed for every random choice (overrides the scenario's `seed`).
    pub seed: Option<u64>,
}

const EXAMPLE_TOML: &str = "name = \"api-example\"\nsectors = [\"steel\"]\nprice_set = \"mpp-shared-2022\"\ndemand = \"bau\"\n\n[carbon_price]\npath = \"zero\"\n";

/// Runs a scenario on the bundled world. The body is a scenario file (TOML, `text/plain` or
/// `application/toml`) or the same keys as a JSON object (`application/json`). A scenario that
/// cannot be used gets 422 with the message `decarb run` prints for the same file.
#[utoipa::path(post, path = "/scenarios", tag = "scenarios", params(RunParams),
    request_body(description = "A scenario file (docs/scenario-format.md)", content(
        (String = "application/toml", example = json!(EXAMPLE_TOML)),
        (String = "text/plain"),
        (Object = "application/json"),
    )),
    responses(
        (status = 200, description = "The run's results", body = RunResult),
        (status = 400, description = "A parameter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the server accepts", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is neither TOML nor JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The scenario cannot be used (line, key, reason)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn post_scenario(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<RunParams>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<RunResult>, ApiError> {
    let origin = params
        .origin
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .unwrap_or("scenario.toml")
        .to_owned();
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .unwrap_or_default();
    let text = match content_type.as_str() {
        "application/json" => json_to_toml(&body, &origin)?,
        "" | "text/plain" | "application/toml" | "text/toml" | "application/x-toml" => {
            String::from_utf8(body.to_vec()).map_err(|_| {
                ApiError::unprocessable(format!("{origin}: the scenario file is not UTF-8 text"))
            })?
        }
        other => {
            return Err(ApiError::new(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "content type {other:?}: send a scenario as application/toml, text/plain or application/json"
                ),
            ));
        }
    };
    let result = run_text(&state, &text, &origin, params.seed).await?;
    Ok(Json((*result).clone()))
}

/// A JSON scenario written out as TOML, so it is checked (and its errors worded) exactly as a file.
fn json_to_toml(body: &[u8], origin: &str) -> Result<String, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::unprocessable(format!("{origin}: not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(ApiError::unprocessable(format!(
            "{origin}: a JSON scenario must be an object of scenario keys"
        )));
    }
    toml::to_string(&value)
        .map_err(|e| ApiError::unprocessable(format!("{origin}: cannot be read as a scenario: {e}")))
}

/// The result of a scenario text: from the cache, or run now on a blocking thread.
pub async fn run_text(
    state: &AppState,
    text: &str,
    origin: &str,
    seed: Option<u64>,
) -> Result<Arc<RunResult>, ApiError> {
    let world = state.world.clone();
    let mut scenario =
        decarb_scenario::load(text, origin, &world).map_err(|e| ApiError::unprocessable(e.to_string()))?;
    if let Some(seed) = seed {
        scenario.seed = seed;
    }
    run_scenario(state, scenario, text, origin).await
}

/// The result of a loaded scenario: from the cache, or run now on a blocking thread. `text` and
/// `origin` place an engine error in the file.
pub async fn run_scenario(
    state: &AppState,
    scenario: Scenario,
    text: &str,
    origin: &str,
) -> Result<Arc<RunResult>, ApiError> {
    let id = scenario_hash(&scenario)?;
    if let Some(hit) = state.scenarios.get(&id) {
        return Ok(hit);
    }
    let world = state.world.clone();
    let scenario = Arc::new(scenario);
    let (text, origin, run) = (text.to_owned(), origin.to_owned(), scenario.clone());
    let result = tokio::task::spawn_blocking(move || run_now(&world, &run, id, &text, &origin))
        .await
        .map_err(|e| ApiError::internal(format!("the run stopped: {e}")))??;
    let result = Arc::new(result);
    state.scenarios.put(result.clone(), scenario);
    Ok(result)
}

/// SHA-256 of the scenario as the engine sees it (comments, layout and key order of the file do
/// not matter), hex.
pub fn scenario_hash(scenario: &Scenario) -> Result<String, ApiError> {
    let canonical = serde_json::to_string(scenario).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(hex(&Sha256::digest(canonical.as_bytes())))
}

fn run_now(
    world: &World,
    scenario: &Scenario,
    id: String,
    text: &str,
    origin: &str,
) -> Result<RunResult, ApiError> {
    let outcome = decarb_engine::run(world, scenario, scenario.seed).map_err(|e| match &e {
        decarb_engine::EngineError::Scenario { .. } => {
            ApiError::unprocessable(decarb_scenario::file::locate(text, origin, &e).to_string())
        }
        _ => ApiError::unprocessable(e.to_string()),
    })?;
    Ok(result_of(&outcome, scenario, id))
}

fn region_name(region: Option<decarb_model::Region>) -> Option<String> {
    region.map(|r| r.as_str().to_owned())
}

/// The compact results the API returns (the per-plant decision log stays out).
pub fn result_of(outcome: &Outcome, scenario: &Scenario, id: String) -> RunResult {
    let mut summary: Vec<SummaryRow> = outcome
        .summary
        .iter()
        .map(|r| SummaryRow {
            year: r.year,
            sector: r.sector.as_str().to_owned(),
            region: region_name(r.region),
            production_t: r.production.0,
            capacity_tpa: r.capacity.0,
            direct_emissions_t: r.direct_emissions.0,
            captured_t: r.captured.0,
            indirect_emissions_t: r.indirect_emissions.0,
            capex_usd: r.capex.0,
            opex_usd: r.opex.0,
            carbon_cost_usd: r.carbon_cost.0,
            stranded_capacity_tpa: r.stranded_capacity.0,
        })
        .collect();
    // World rows first (the charts' main series), each group in the engine's fixed order.
    summary.sort_by_key(|r| r.region.is_some());
    let technology_mix = outcome
        .technology_mix
        .iter()
        .filter(|r| r.region.is_none())
        .map(|r| MixRow {
            year: r.year,
            sector: r.sector.as_str().to_owned(),
            technology: r.technology.as_str().to_owned(),
            production_t: r.production.0,
            capacity_tpa: r.capacity.0,
        })
        .collect();
    let resources = outcome
        .resources
        .iter()
        .filter(|r| r.region.is_none())
        .map(|r| {
            let (name, unit, factor) = r.resource.report();
            ResourceRow {
                year: r.year,
                sector: r.sector.as_str().to_owned(),
                resource: name.to_owned(),
                unit: unit.to_owned(),
                quantity: r.quantity * factor,
            }
        })
        .collect();
    let milestones = outcome
        .sectors
        .iter()
        .filter_map(|&sector| {
            let base = outcome.world(sector, outcome.base_year)?;
            let end = outcome.world(sector, outcome.end_year)?;
            let in_2030 = outcome.world(sector, 2030).map(|r| r.direct_emissions.0);
            let base_t = base.direct_emissions.0;
            Some(Milestone {
                sector: sector.as_str().to_owned(),
                base_year: outcome.base_year,
                base_t,
                in_2030_t: in_2030,
                end_year: outcome.end_year,
                end_t: end.direct_emissions.0,
                change_2030_pct: in_2030.filter(|_| base_t > 0.0).map(|v| (v / base_t - 1.0) * 100.0),
            })
        })
        .collect();
    RunResult {
        id,
        scenario: outcome.scenario.clone(),
        description: scenario.description.clone(),
        base_year: outcome.base_year,
        end_year: outcome.end_year,
        seed: outcome.seed,
        sectors: outcome.sectors.iter().map(|s| s.as_str().to_owned()).collect(),
        boundary: outcome.boundary.to_owned(),
        summary,
        technology_mix,
        resources,
        milestones,
        warnings: outcome.warnings.clone(),
    }
}

/// A result id.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ResultId {
    /// The `id` of a run's results (64 hex digits).
    #[param(example = "0000000000000000000000000000000000000000000000000000000000000000")]
    pub id: String,
}

/// The results of a recent run, by its id (runs are kept while the server runs, newest first).
#[utoipa::path(get, path = "/scenarios/{id}", tag = "scenarios", params(ResultId),
    responses(
        (status = 200, description = "The run's results", body = RunResult),
        (status = 404, description = "No recent run with that id", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_result(
    State(state): State<AppState>,
    Path(ResultId { id }): Path<ResultId>,
) -> Result<Json<RunResult>, ApiError> {
    state
        .scenarios
        .get(&id)
        .map(|r| Json((*r).clone()))
        .ok_or_else(|| ApiError::not_found(format!("no recent run with id {id:?}; POST the scenario again")))
}

/// How many seeds a band spans.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BandParams {
    /// Runs with seeds seed, seed+1, ... (2 to 16, default 8).
    #[param(example = 4)]
    pub seeds: Option<u32>,
}

/// The spread of one year over the seeds.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BandRow {
    pub year: i32,
    pub min_t: f64,
    pub median_t: f64,
    pub max_t: f64,
}

/// World direct emissions (all sectors) of a scenario run with several seeds: the spread the
/// random parts of a run (investment timing jitter) give. A scenario without jitter has none.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Bands {
    pub id: String,
    pub scenario: String,
    pub metric: String,
    pub investment_jitter_years: u32,
    pub seeds: Vec<u64>,
    /// The result id of each seed's run.
    pub runs: Vec<String>,
    pub rows: Vec<BandRow>,
}

/// Uncertainty bands of a recent run: the same scenario run with consecutive seeds.
#[utoipa::path(get, path = "/scenarios/{id}/bands", tag = "scenarios", params(ResultId, BandParams),
    responses(
        (status = 200, description = "Min, median and max by year", body = Bands),
        (status = 400, description = "seeds out of range", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No recent run with that id", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_bands(
    State(state): State<AppState>,
    Path(ResultId { id }): Path<ResultId>,
    ApiQuery(params): ApiQuery<BandParams>,
) -> Result<Json<Bands>, ApiError> {
    bands(&state, &id, params.seeds.unwrap_or(8)).await.map(Json)
}

/// Runs (or finds in the cache) the scenario of result `id` with `seeds` consecutive seeds.
pub async fn bands(state: &AppState, id: &str, seeds: u32) -> Result<Bands, ApiError> {
    if !(2..=16).contains(&seeds) {
        return Err(ApiError::invalid("seeds", &seeds.to_string(), "2 to 16"));
    }
    let base = state.scenarios.scenario(id).ok_or_else(|| {
        ApiError::not_found(format!("no recent run with id {id:?}; POST the scenario again"))
    })?;
    let mut runs = Vec::new();
    let mut seed_list = Vec::new();
    for k in 0..u64::from(seeds) {
        let mut scenario = (*base).clone();
        scenario.seed = base.seed.wrapping_add(k);
        seed_list.push(scenario.seed);
        runs.push(run_scenario(state, scenario, "", &format!("seed {}", base.seed.wrapping_add(k))).await?);
    }
    let mut by_year: BTreeMap<i32, Vec<f64>> = BTreeMap::new();
    for run in &runs {
        let mut totals: BTreeMap<i32, f64> = BTreeMap::new();
        for row in run.summary.iter().filter(|r| r.region.is_none()) {
            *totals.entry(row.year).or_default() += row.direct_emissions_t;
        }
        for (year, total) in totals {
            by_year.entry(year).or_default().push(total);
        }
    }
    let rows = by_year
        .into_iter()
        .map(|(year, mut values)| {
            values.sort_by(f64::total_cmp);
            let n = values.len();
            let median =
                if n % 2 == 1 { values[n / 2] } else { f64::midpoint(values[n / 2 - 1], values[n / 2]) };
            BandRow { year, min_t: values[0], median_t: median, max_t: values[n - 1] }
        })
        .collect();
    Ok(Bands {
        id: id.to_owned(),
        scenario: base.name.clone(),
        metric: "world direct emissions, all sectors (t CO2)".to_owned(),
        investment_jitter_years: base.investment_jitter_years,
        seeds: seed_list,
        runs: runs.iter().map(|r| r.id.clone()).collect(),
        rows,
    })
}
