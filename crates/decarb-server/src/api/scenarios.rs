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
use decarb_engine::breakdown::{Breakdown, GroupBy};
use decarb_engine::ensemble::{Ensemble, MILESTONE_MAX_SHARE, MILESTONE_YEAR, NEAR_ZERO_MAX_SHARE, Variable};
use decarb_engine::examples::{EXAMPLES, description, example};
use decarb_engine::memory::RunKind;
use decarb_engine::outcome::Outcome;
use decarb_engine::{Scenario, World};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use utoipa::{IntoParams, ToSchema};

/// Results of recent runs by scenario hash, and recent ensemble bands by (scenario hash, runs,
/// seed), each dropping its oldest entry first.
#[derive(Debug)]
pub struct ScenarioCache {
    capacity: usize,
    inner: Mutex<CacheEntries>,
    bands: Mutex<BandEntries>,
    /// Per-plant results by run id, for the plant pages: a few runs only
    /// ([`crate::limits::PLANT_RESULTS_KEPT`], about 10 MB each), oldest dropped first.
    plants: Mutex<PlantEntries>,
}

/// Plant results by run id, and ids from oldest to newest.
type PlantEntries = (BTreeMap<String, Arc<PlantResults>>, VecDeque<String>);

/// What identifies an ensemble: the scenario hash (the run's id), the number of runs and the seed.
type BandKey = (String, u64, u64);

/// Bands by key, and keys from oldest to newest.
type BandEntries = (BTreeMap<BandKey, Arc<Bands>>, VecDeque<BandKey>);

/// Results (with the scenario that made them) by id, and ids from oldest to newest.
type CacheEntries = (BTreeMap<String, (Arc<RunResult>, Arc<Scenario>)>, VecDeque<String>);

impl ScenarioCache {
    pub fn new(capacity: usize) -> Self {
        ScenarioCache {
            capacity: capacity.max(1),
            inner: Mutex::new((BTreeMap::new(), VecDeque::new())),
            bands: Mutex::new((BTreeMap::new(), VecDeque::new())),
            plants: Mutex::new((BTreeMap::new(), VecDeque::new())),
        }
    }

    /// The per-plant results of run `id`, when kept.
    pub fn get_plants(&self, id: &str) -> Option<Arc<PlantResults>> {
        let guard = self.plants.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        guard.0.get(id).cloned()
    }

    fn put_plants(&self, results: Arc<PlantResults>) {
        let mut guard = self.plants.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (map, order) = &mut *guard;
        let id = results.id.clone();
        if map.insert(id.clone(), results).is_none() {
            order.push_back(id);
        }
        while order.len() > crate::limits::PLANT_RESULTS_KEPT {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
    }

    /// Runs whose per-plant results are kept.
    pub fn plants_len(&self) -> usize {
        self.plants.lock().unwrap_or_else(std::sync::PoisonError::into_inner).0.len()
    }

    fn get_bands(&self, key: &BandKey) -> Option<Arc<Bands>> {
        let guard = self.bands.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        guard.0.get(key).cloned()
    }

    fn put_bands(&self, key: BandKey, bands: Arc<Bands>) {
        let mut guard = self.bands.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (map, order) = &mut *guard;
        if map.insert(key.clone(), bands).is_none() {
            order.push_back(key);
        }
        while order.len() > self.capacity {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
    }

    /// Ensembles kept.
    pub fn bands_len(&self) -> usize {
        self.bands.lock().unwrap_or_else(std::sync::PoisonError::into_inner).0.len()
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
    /// The results by country or owner, when the request asks for them (`by=country|owner`);
    /// absent otherwise (`summary` holds the regions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<BreakdownResult>,
}

/// Totals of one sector in one group (a country, an owner, or a bracketed group such as
/// `(new capacity)`) in one year.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct GroupRow {
    pub year: i32,
    pub sector: String,
    #[schema(example = "IND")]
    pub group: String,
    pub production_t: f64,
    pub capacity_tpa: f64,
    /// Scope 1 after capture, t CO2.
    pub direct_emissions_t: f64,
    pub captured_t: f64,
    pub indirect_emissions_t: f64,
}

/// Plants counted by how their owner shares were attributed (by owner only).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OwnerAttribution {
    /// Plants split equally among holders without a stated share (an assumption).
    pub plants_with_assumed_shares: usize,
    pub plants_with_other_holders: usize,
    pub plants_owner_unknown: usize,
    pub plants_new_capacity: usize,
}

/// A run's results by country or owner, from its plants; the groups of a sector add up to its
/// world row in `summary`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BreakdownResult {
    #[schema(example = "country")]
    pub by: String,
    /// By year, sector, then group name.
    pub rows: Vec<GroupRow>,
    /// By owner: how shares were attributed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution: Option<OwnerAttribution>,
    /// How owners were attributed, in words (empty by country).
    pub note: String,
}

/// The breakdown a request asks for (`by`), optionally of one sector.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BreakdownParams {
    /// `region` (default), `country` or `owner`.
    #[param(inline)]
    pub by: Option<GroupBy>,
    /// Only this sector's rows of the breakdown (`steel`, `cement`, `aluminium`, `ammonia`).
    #[param(example = "steel")]
    pub sector: Option<String>,
}

/// `result` with the breakdown `params` ask for (unchanged for `by=region`). The cache keeps no
/// plant results (about 6 MB a run): the run's scenario is run again (same seed, same results)
/// and broken down (the bundled four-sector solve: 26.9 ms on one core, BENCHMARKS.md).
pub async fn with_breakdown(
    state: &AppState,
    result: Arc<RunResult>,
    params: &BreakdownParams,
) -> Result<RunResult, ApiError> {
    let by = params.by.unwrap_or_default();
    if by == GroupBy::Region {
        return Ok((*result).clone());
    }
    let sector = match params.sector.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => Some(text.parse::<decarb_model::Sector>().map_err(|_| {
            ApiError::bad_request(format!("sector {text:?}: expected steel, cement, aluminium or ammonia"))
        })?),
        None => None,
    };
    let breakdown = breakdown(state, &result.id, by, sector).await?;
    let mut out = (*result).clone();
    out.breakdown = Some(breakdown);
    Ok(out)
}

/// The breakdown of a cached run by `by`, optionally of one sector only (the API's rows).
pub async fn breakdown(
    state: &AppState,
    id: &str,
    by: GroupBy,
    sector: Option<decarb_model::Sector>,
) -> Result<BreakdownResult, ApiError> {
    Ok(breakdown_result(&engine_breakdown(state, id, by).await?, sector))
}

/// The engine's breakdown of a cached run by `by`: its scenario run again (same seed, same
/// results) with plant results, on a blocking thread.
pub async fn engine_breakdown(state: &AppState, id: &str, by: GroupBy) -> Result<Breakdown, ApiError> {
    let scenario = state.scenarios.scenario(id).ok_or_else(|| {
        ApiError::not_found(format!("no recent run with id {id:?}; POST the scenario again"))
    })?;
    let what = format!("the breakdown of scenario {:?}", scenario.name);
    with_plant_run(state, scenario, &what, move |world, outcome| {
        Ok(decarb_engine::breakdown::breakdown(outcome, &world.fleet, by))
    })
    .await
}

/// Runs `scenario` with per-plant results (which the cache does not keep, about 6 MB a run) as
/// every uncached run goes: within the memory budget, in a heavy-job slot, on the engine pool;
/// then `then` reads the outcome on the same blocking thread. Breakdowns and pledge alignment
/// use it.
pub async fn with_plant_run<T: Send + 'static>(
    state: &AppState,
    scenario: Arc<Scenario>,
    what: &str,
    then: impl FnOnce(&World, &Outcome) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    check_memory(state, &scenario, RunKind::Single { record_plants: true })?;
    let permit = state.heavy_slot(what).await?;
    let (world, pool) = (state.world.clone(), state.engine.clone());
    tokio::task::spawn_blocking(move || {
        // The slot stays taken until the run has stopped, even when its request has gone.
        let _permit = permit;
        pool.install(|| {
            let outcome = decarb_engine::run(&world, &scenario, scenario.seed)
                .map_err(|e| ApiError::unprocessable(e.to_string()))?;
            then(&world, &outcome)
        })
    })
    .await
    .map_err(|e| ApiError::internal(format!("the run stopped: {e}")))?
}

fn breakdown_result(b: &Breakdown, sector: Option<decarb_model::Sector>) -> BreakdownResult {
    let a = &b.attribution;
    BreakdownResult {
        by: b.by.as_str().to_owned(),
        rows: b
            .rows
            .iter()
            .filter(|r| sector.is_none_or(|s| s == r.sector))
            .map(|r| GroupRow {
                year: r.year,
                sector: r.sector.as_str().to_owned(),
                group: r.group.clone(),
                production_t: r.production.0,
                capacity_tpa: r.capacity.0,
                direct_emissions_t: r.direct_emissions.0,
                captured_t: r.captured.0,
                indirect_emissions_t: r.indirect_emissions.0,
            })
            .collect(),
        attribution: (b.by == GroupBy::Owner).then_some(OwnerAttribution {
            plants_with_assumed_shares: a.plants_with_assumed_shares,
            plants_with_other_holders: a.plants_with_other_holders,
            plants_owner_unknown: a.plants_owner_unknown,
            plants_new_capacity: a.plants_new_capacity,
        }),
        note: b.note(),
    }
}

/// One plant of the input fleet in a run: its recorded yearly series and its decisions (without
/// the options each weighed, which the plant pages do not show).
#[derive(Debug, Clone)]
pub struct PlantRun {
    pub pathway: decarb_engine::outcome::PlantPathway,
    /// In year order.
    pub decisions: Vec<decarb_engine::outcome::Decision>,
}

impl PlantRun {
    /// The plant's technology at the end of each year of the run
    /// ([`decarb_engine::outcome::PlantPathway::technologies`]).
    pub fn technologies(&self, base_year: i32) -> Vec<Option<decarb_model::TechId>> {
        let decisions: Vec<&decarb_engine::outcome::Decision> = self.decisions.iter().collect();
        self.pathway.technologies(base_year, &decisions)
    }
}

/// The per-plant results of one run, by plant id: the plants of the input fleet (the bundled
/// world's `world.<sector>.<ISO3>.<table id>`), for the plant pages. Plants the engine built
/// belong to no tracker plant and are left out.
#[derive(Debug)]
pub struct PlantResults {
    /// The run's id ([`RunResult::id`]).
    pub id: String,
    pub base_year: i32,
    pub sectors: Vec<decarb_model::Sector>,
    pub plants: std::collections::HashMap<String, PlantRun>,
}

impl PlantResults {
    /// The fleet plants of `outcome` with their decisions.
    pub fn of(outcome: &Outcome, id: String) -> PlantResults {
        let mut plants: std::collections::HashMap<String, PlantRun> = outcome
            .plants
            .iter()
            .filter(|p| !p.is_new_build())
            .map(|p| (p.id.clone(), PlantRun { pathway: p.clone(), decisions: Vec::new() }))
            .collect();
        for decision in &outcome.decisions {
            if let Some(plant) = plants.get_mut(&decision.plant) {
                plant
                    .decisions
                    .push(decarb_engine::outcome::Decision { options: Vec::new(), ..decision.clone() });
            }
        }
        PlantResults { id, base_year: outcome.base_year, sectors: outcome.sectors.clone(), plants }
    }
}

/// The results of a scenario text with its per-plant results: both from the caches when kept,
/// else from one run (kept in both caches). A run whose compact results are cached but whose
/// plant results are not is run again (same scenario and seed, same results).
pub async fn run_text_with_plants(
    state: &AppState,
    text: &str,
    origin: &str,
) -> Result<(Arc<RunResult>, Arc<PlantResults>), ApiError> {
    let scenario = decarb_scenario::load(text, origin, &state.world)
        .map_err(|e| ApiError::unprocessable(e.to_string()))?;
    let id = scenario_hash(&scenario)?;
    if let (Some(result), Some(plants)) = (state.scenarios.get(&id), state.scenarios.get_plants(&id)) {
        return Ok((result, plants));
    }
    check_memory(state, &scenario, RunKind::Single { record_plants: true })?;
    let permit = state.heavy_slot(&format!("the run of scenario {:?}", scenario.name)).await?;
    let (world, pool) = (state.world.clone(), state.engine.clone());
    let scenario = Arc::new(scenario);
    let (text, origin, run) = (text.to_owned(), origin.to_owned(), scenario.clone());
    let (result, plants) = tokio::task::spawn_blocking(move || {
        // The slot stays taken until the run has stopped, even when its request has gone.
        let _permit = permit;
        pool.install(|| {
            let outcome = engine_run(&world, &run, &text, &origin)?;
            Ok::<_, ApiError>((result_of(&outcome, &run, id.clone()), PlantResults::of(&outcome, id)))
        })
    })
    .await
    .map_err(|e| ApiError::internal(format!("the run stopped: {e}")))??;
    let (result, plants) = (Arc::new(result), Arc::new(plants));
    state.scenarios.put(result.clone(), scenario);
    state.scenarios.put_plants(plants.clone());
    Ok((result, plants))
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

/// Runs a bundled example on the bundled world (cached). `by=country` or `by=owner` adds the
/// results by country or owner (`breakdown`).
#[utoipa::path(get, path = "/scenarios/examples/{name}/result", tag = "scenarios", params(ExampleName, BreakdownParams),
    responses(
        (status = 200, description = "The run's results", body = RunResult),
        (status = 400, description = "A parameter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such example", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn run_example(
    State(state): State<AppState>,
    Path(ExampleName { name }): Path<ExampleName>,
    ApiQuery(params): ApiQuery<BreakdownParams>,
) -> Result<Json<RunResult>, ApiError> {
    let text = example(&name).ok_or_else(|| ApiError::not_found(decarb_engine::examples::unknown(&name)))?;
    let result = run_text(&state, text, &format!("example {name}"), None).await?;
    Ok(Json(with_breakdown(&state, result, &params).await?))
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
    /// `region` (default), `country` or `owner`: adds the results by country or owner
    /// (`breakdown`).
    #[param(inline)]
    pub by: Option<GroupBy>,
    /// With `by`: only this sector's rows of the breakdown.
    #[param(example = "steel")]
    pub sector: Option<String>,
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
        (status = 415, description = "No content type, or not application/toml, text/plain or application/json", body = Problem, content_type = "application/problem+json"),
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
        "text/plain" | "application/toml" => String::from_utf8(body.to_vec())
            .map_err(|_| ApiError::unprocessable(format!("{origin}: the scenario file is not UTF-8 text")))?,
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
    let breakdown = BreakdownParams { by: params.by, sector: params.sector };
    Ok(Json(with_breakdown(&state, result, &breakdown).await?))
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

/// 422 when the run's memory, estimated before it starts ([`decarb_engine::memory`]), is over the
/// server's budget ([`crate::Config::memory_budget`]).
fn check_memory(state: &AppState, scenario: &Scenario, kind: RunKind) -> Result<(), ApiError> {
    decarb_engine::memory::estimate(&state.world, scenario, kind)
        .check(state.config.memory_budget)
        .map_err(|e| ApiError::unprocessable(e.to_string()))
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
    check_memory(state, &scenario, RunKind::Single { record_plants: true })?;
    let permit = state.heavy_slot(&format!("the run of scenario {:?}", scenario.name)).await?;
    let (world, pool) = (state.world.clone(), state.engine.clone());
    let scenario = Arc::new(scenario);
    let (text, origin, run) = (text.to_owned(), origin.to_owned(), scenario.clone());
    let result = tokio::task::spawn_blocking(move || {
        // The slot stays taken until the run has stopped, even when its request has gone.
        let _permit = permit;
        pool.install(|| run_now(&world, &run, id, &text, &origin))
    })
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
    Ok(result_of(&engine_run(world, scenario, text, origin)?, scenario, id))
}

/// One run of `scenario` (with plant pathways, [`decarb_engine::run`]); an error in the scenario
/// placed in its file (`text`, named `origin`).
fn engine_run(world: &World, scenario: &Scenario, text: &str, origin: &str) -> Result<Outcome, ApiError> {
    decarb_engine::run(world, scenario, scenario.seed).map_err(|e| match &e {
        decarb_engine::EngineError::Scenario { .. } => {
            ApiError::unprocessable(decarb_scenario::file::locate(text, origin, &e).to_string())
        }
        _ => ApiError::unprocessable(e.to_string()),
    })
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
    // The milestone figures are the run's gap to net zero (`Outcome::gap_to_net_zero`, as the
    // CLI's summary prints them); 2030 itself, when the run covers it.
    let gap = outcome.gap_to_net_zero();
    let milestones = gap
        .sectors
        .iter()
        .map(|(sector, direct)| {
            let base_t = direct.base.0;
            let in_2030 = (gap.milestone_year == 2030).then_some(direct.milestone.0);
            Milestone {
                sector: sector.as_str().to_owned(),
                base_year: gap.base_year,
                base_t,
                in_2030_t: in_2030,
                end_year: gap.end_year,
                end_t: direct.end.0,
                change_2030_pct: in_2030.filter(|_| base_t > 0.0).map(|v| (v / base_t - 1.0) * 100.0),
            }
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
        breakdown: None,
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
/// `by=country` or `by=owner` adds the results by country or owner (`breakdown`), from the run's
/// plants; `sector` keeps one sector's rows of it.
#[utoipa::path(get, path = "/scenarios/{id}", tag = "scenarios", params(ResultId, BreakdownParams),
    responses(
        (status = 200, description = "The run's results", body = RunResult),
        (status = 400, description = "A parameter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No recent run with that id", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_result(
    State(state): State<AppState>,
    Path(ResultId { id }): Path<ResultId>,
    ApiQuery(params): ApiQuery<BreakdownParams>,
) -> Result<Json<RunResult>, ApiError> {
    let result = state.scenarios.get(&id).ok_or_else(|| {
        ApiError::not_found(format!("no recent run with id {id:?}; POST the scenario again"))
    })?;
    Ok(Json(with_breakdown(&state, result, &params).await?))
}

/// Runs of an ensemble when the request names none.
pub const DEFAULT_RUNS: u64 = 64;
/// The most runs one request may ask for ([`crate::limits::MAX_RUNS_PER_REQUEST`]).
pub const MAX_RUNS: u64 = crate::limits::MAX_RUNS_PER_REQUEST;

/// Sets its flag when dropped: the handler's future is dropped when the request times out (408)
/// or the client goes away, and the ensemble on the blocking thread stops before its next run.
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// The size and seed of a Monte Carlo ensemble.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BandParams {
    /// Monte Carlo runs, 1 to 200 without a token, up to 1000 with a bearer token (default 64).
    #[param(example = 64, minimum = 1, maximum = 1000)]
    pub runs: Option<u64>,
    /// Seed of the ensemble (default: the scenario's `seed`). Run `i` draws its inputs from
    /// (seed, i) alone, so the first 100 runs of a 1,000-run ensemble are the 100-run ensemble.
    pub seed: Option<u64>,
}

/// One year of a band: mean and percentiles over the runs, in the unit of [`Bands::unit`].
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BandRow {
    pub year: i32,
    pub mean: f64,
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

/// The band of one sector's world direct emissions.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SectorBands {
    #[schema(example = "steel")]
    pub sector: String,
    pub rows: Vec<BandRow>,
}

/// The share of runs meeting a threshold on world direct emissions (the scenario's sectors
/// together) against the base year.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Probability {
    /// Share of runs, 0 to 1.
    pub probability: f64,
    /// The year compared with the base year.
    pub year: i32,
    /// A run meets the threshold when its emissions in `year` are at most this share of its
    /// base-year emissions.
    pub max_share_of_base: f64,
    pub description: String,
}

/// World direct emissions of a scenario over a Monte Carlo ensemble: the scenario run `runs`
/// times with its `[uncertainty]` inputs sampled (docs/scenario-format.md, "Uncertainty").
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Bands {
    /// The run's id (hash of the scenario); with `runs` and `seed` it names the ensemble.
    pub id: String,
    pub scenario: String,
    pub runs: u64,
    pub seed: u64,
    #[schema(example = "direct emissions (scope 1 after capture)")]
    pub variable: String,
    #[schema(example = "Mt CO2")]
    pub unit: String,
    /// What differs between runs: the names of the scenario's uncertain inputs, and
    /// `investment timing` when each run draws its own engine seed (`vary_seed`).
    pub varied: Vec<String>,
    /// Whether the scenario declares `[uncertainty]`. Without it, each run draws its own engine
    /// seed (as `vary_seed = true`), so only the seeded investment timing varies.
    pub uncertainty_declared: bool,
    pub investment_jitter_years: u32,
    /// How to read the bands (set when only investment timing varies, or nothing does).
    pub note: Option<String>,
    /// The scenario's sectors together, by year.
    pub world: Vec<BandRow>,
    /// Each sector, by year, in the scenario's order.
    pub sectors: Vec<SectorBands>,
    pub probability_milestone: Probability,
    pub probability_near_zero: Probability,
    /// Runs whose sampled inputs left some year with demand no allowed technology could meet
    /// within the resource limits: no pathway, so not in the bands or probabilities (which are
    /// over `runs - infeasible_runs`).
    pub infeasible_runs: u64,
    /// The first infeasible run's reason.
    pub first_infeasible: Option<String>,
}

/// Monte Carlo bands of a recent run: the scenario run `runs` times with its uncertain inputs
/// sampled; cached by (scenario, runs, seed).
#[utoipa::path(get, path = "/scenarios/{id}/bands", tag = "scenarios", params(ResultId, BandParams),
    responses(
        (status = 200, description = "Mean and p5, p25, p50, p75, p95 by year (Mt CO2), and the probabilities of the 2030 milestone and near zero", body = Bands),
        (status = 400, description = "runs or seed out of range", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "More than 200 runs without a valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No recent run with that id", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Every heavy-job slot is taken: try again after Retry-After seconds", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The scenario's uncertainty cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_bands(
    State(state): State<AppState>,
    Path(ResultId { id }): Path<ResultId>,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<BandParams>,
) -> Result<Json<Bands>, ApiError> {
    use crate::limits::MAX_ANONYMOUS_RUNS;
    let runs = params.runs.unwrap_or(DEFAULT_RUNS);
    if runs > MAX_ANONYMOUS_RUNS
        && runs <= MAX_RUNS
        && crate::tokens::holder(&headers, &state).await?.is_none()
    {
        return Err(ApiError::unauthorized(format!(
            "runs: found {runs}; without a bearer token an ensemble may have 1 to {MAX_ANONYMOUS_RUNS} runs (up to {MAX_RUNS} with one: Authorization: Bearer <token>)"
        )));
    }
    bands(&state, &id, runs, params.seed).await.map(|b| Json((*b).clone()))
}

/// Runs (or finds in the cache) the ensemble of the scenario of result `id` with `runs` runs and
/// `seed` (default: the scenario's).
pub async fn bands(state: &AppState, id: &str, runs: u64, seed: Option<u64>) -> Result<Arc<Bands>, ApiError> {
    if !(1..=MAX_RUNS).contains(&runs) {
        return Err(ApiError::invalid("runs", &runs.to_string(), &format!("1 to {MAX_RUNS}")));
    }
    let scenario = state.scenarios.scenario(id).ok_or_else(|| {
        ApiError::not_found(format!("no recent run with id {id:?}; POST the scenario again"))
    })?;
    let seed = seed.unwrap_or(scenario.seed);
    let key = (id.to_owned(), runs, seed);
    if let Some(hit) = state.scenarios.get_bands(&key) {
        return Ok(hit);
    }
    let threads = state.engine.current_num_threads() as u64;
    check_memory(state, &scenario, RunKind::Ensemble { runs, threads })?;
    let permit = state.heavy_slot(&format!("an ensemble of {runs} runs")).await?;
    let (world, cache, pool) = (state.world.clone(), state.scenarios.clone(), state.engine.clone());
    let stop = Arc::new(AtomicBool::new(false));
    let _stop_on_drop = StopOnDrop(stop.clone());
    tokio::task::spawn_blocking(move || {
        // The slot stays taken until the ensemble has stopped, even when its request has gone.
        let _permit = permit;
        let stopped = || stop.load(Ordering::Relaxed);
        let bands =
            pool.install(|| ensemble_bands_until(&world, &scenario, key.0.clone(), runs, seed, stopped));
        let bands = Arc::new(bands?);
        cache.put_bands(key, bands.clone());
        Ok(bands)
    })
    .await
    .map_err(|e| ApiError::internal(format!("the ensemble stopped: {e}")))?
}

/// Runs the ensemble (on the current rayon pool) and reduces it to the API's bands.
pub fn ensemble_bands(
    world: &World,
    scenario: &Scenario,
    id: String,
    runs: u64,
    seed: u64,
) -> Result<Bands, ApiError> {
    ensemble_bands_until(world, scenario, id, runs, seed, || false)
}

/// [`ensemble_bands`] that stops (503) as soon as `stop` answers true, before its next run.
pub fn ensemble_bands_until(
    world: &World,
    scenario: &Scenario,
    id: String,
    runs: u64,
    seed: u64,
    stop: impl Fn() -> bool + Sync,
) -> Result<Bands, ApiError> {
    let declared = scenario.uncertainty.is_some();
    let ensemble = decarb_engine::ensemble::run_ensemble_until(world, scenario, runs, seed, |_| (), stop)
        .map_err(|e| match e {
            decarb_engine::EngineError::Cancelled { .. } => ApiError::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                format!("{e}: its request timed out or was closed"),
            ),
            _ => ApiError::unprocessable(e.to_string()),
        })?;
    let uncertainty = decarb_engine::ensemble::ensemble_uncertainty(scenario);
    let mut varied: Vec<String> = uncertainty.inputs.iter().map(|i| i.name.clone()).collect();
    if uncertainty.vary_seed {
        varied.push("investment timing".to_owned());
    }
    let note = if !declared && scenario.investment_jitter_years == 0 {
        Some(
            "the scenario declares no [uncertainty] and no investment_jitter_years: every run is the same"
                .to_owned(),
        )
    } else if !declared {
        Some(format!(
            "the scenario declares no [uncertainty]: runs differ only by the seeded investment timing \
             (investment_jitter_years = {}); prices, demand and costs are as the scenario has them",
            scenario.investment_jitter_years
        ))
    } else if varied.is_empty() {
        Some(
            "the scenario's [uncertainty] declares no inputs and vary_seed is false: every run is the same"
                .to_owned(),
        )
    } else {
        None
    };
    let sectors = scenario
        .sectors
        .iter()
        .map(|&sector| SectorBands {
            sector: sector.as_str().to_owned(),
            rows: rows_of(&ensemble, Some(sector)),
        })
        .collect();
    let base_year = scenario.base_year;
    let milestone_year = MILESTONE_YEAR.clamp(base_year, scenario.end_year);
    Ok(Bands {
        id,
        scenario: scenario.name.clone(),
        runs,
        seed,
        variable: "direct emissions (scope 1 after capture)".to_owned(),
        unit: "Mt CO2".to_owned(),
        varied,
        uncertainty_declared: declared,
        investment_jitter_years: scenario.investment_jitter_years,
        note,
        world: rows_of(&ensemble, None),
        sectors,
        probability_milestone: Probability {
            probability: ensemble.probability_milestone(),
            year: milestone_year,
            max_share_of_base: MILESTONE_MAX_SHARE,
            description: format!(
                "share of runs whose {milestone_year} world direct emissions are at most {:.0} % of {base_year}'s (a cut of at least {:.0} %)",
                MILESTONE_MAX_SHARE * 100.0,
                (1.0 - MILESTONE_MAX_SHARE) * 100.0
            ),
        },
        probability_near_zero: Probability {
            probability: ensemble.probability_near_zero(),
            year: scenario.end_year,
            max_share_of_base: NEAR_ZERO_MAX_SHARE,
            description: format!(
                "share of runs whose {} world direct emissions are at most {:.0} % of {base_year}'s (near zero)",
                scenario.end_year,
                NEAR_ZERO_MAX_SHARE * 100.0
            ),
        },
        infeasible_runs: ensemble.infeasible,
        first_infeasible: ensemble.first_infeasible.clone(),
    })
}

/// World direct emissions of one sector (`None`: all together) by year.
fn rows_of(ensemble: &Ensemble, sector: Option<decarb_model::Sector>) -> Vec<BandRow> {
    ensemble
        .layout
        .years
        .iter()
        .filter_map(|&year| ensemble.band(year, sector, None, Variable::DirectEmissions))
        .map(|b| {
            let [p5, p25, p50, p75, p95] = b.percentiles;
            BandRow { year: b.year, mean: b.mean, p5, p25, p50, p75, p95 }
        })
        .collect()
}
