//! Plants and fleet aggregates.

use super::{ApiQuery, parse_as_of, parse_country, parse_opt};
use crate::AppState;
use crate::problem::{ApiError, Problem};
use crate::queries::{self, FleetGroup, GroupBy, PlantPage, PlantQuery};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

const SECTORS: &str = "steel, cement, aluminium or ammonia";
const STATUSES: &str =
    "operating, operating-pre-retirement, construction, announced, mothballed, retired or cancelled";
const ROUTES: &str = "a route such as bf-bof, dri-eaf, eaf, cement-integrated, aluminium-smelter, ammonia";
/// Largest page a plant list returns.
pub const MAX_LIMIT: i64 = 1000;

/// Filters of plant lists and fleet aggregates.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlantParams {
    /// steel, cement, aluminium or ammonia.
    #[param(example = "steel")]
    pub sector: Option<String>,
    /// ISO 3166-1 code (DEU, DE) or a country name.
    pub country: Option<String>,
    /// Plant status (operating, construction, ...).
    pub status: Option<String>,
    /// Production route (bf-bof, dri-eaf, eaf, cement-integrated, ...).
    pub route: Option<String>,
    /// Case-insensitive text in the plant's name, id or country.
    pub text: Option<String>,
    /// The tracker as it stood on this day (YYYY-MM-DD); latest when absent.
    pub as_of: Option<String>,
}

impl PlantParams {
    pub fn query(&self) -> Result<PlantQuery, ApiError> {
        Ok(PlantQuery {
            sector: parse_opt("sector", self.sector.as_deref(), SECTORS)?,
            country: parse_country(self.country.as_deref())?,
            status: parse_opt("status", self.status.as_deref(), STATUSES)?,
            route: parse_opt("route", self.route.as_deref(), ROUTES)?,
            text: self.text.clone().filter(|t| !t.trim().is_empty()),
            operating: false,
            as_of: parse_as_of(self.as_of.as_deref())?,
        })
    }
}

/// Paging of a list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Items per page, 1 to 1000 (default 100).
    pub limit: Option<i64>,
    /// Items to skip (default 0).
    pub offset: Option<i64>,
}

impl PageParams {
    pub fn checked(&self) -> Result<(i64, i64), ApiError> {
        let limit = self.limit.unwrap_or(100);
        let offset = self.offset.unwrap_or(0);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::invalid("limit", &limit.to_string(), "1 to 1000"));
        }
        if offset < 0 {
            return Err(ApiError::invalid("offset", &offset.to_string(), "0 or more"));
        }
        Ok((limit, offset))
    }
}

/// Plants matching the filters, a page at a time, ordered by id.
#[utoipa::path(get, path = "/plants", tag = "tracker", params(PlantParams, PageParams),
    responses(
        (status = 200, description = "A page of plants", body = PlantPage),
        (status = 400, description = "A filter value is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_plants(
    State(state): State<AppState>,
    ApiQuery(filters): ApiQuery<PlantParams>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> Result<Response, ApiError> {
    let (limit, offset) = page.checked()?;
    let query = filters.query()?;
    // The page comes back from the database as JSON text (see `queries::plant_page_json`); a
    // test checks it equals the typed `PlantPage` on both backends.
    let body = state.plant_pages.page(&state.store, &query, limit, offset).await?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response())
}

/// The plant's store id or any source id.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct PlantId {
    /// Store id (`gem-steel/P100000120152`, URL-encoded) or a source id (`P100000120152`).
    #[param(example = "P100000120001")]
    pub id: String,
}

/// As-of date of a single record.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOfParams {
    /// The record as it stood on this day (YYYY-MM-DD); latest when absent.
    pub as_of: Option<String>,
}

/// Everything known about one plant: ids, owners, units, coordinates, its GEM.wiki page
/// (`gem_wiki`), its corrections and its `version`, also the `ETag` a correction
/// (`PATCH /plants/{id}`) sends back as `If-Match`.
#[utoipa::path(get, path = "/plants/{id}", tag = "tracker", params(PlantId, AsOfParams),
    responses(
        (status = 200, description = "The plant", body = Object,
            headers(("ETag" = String, description = "The plant's current version"))),
        (status = 400, description = "The as_of date is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such plant", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_plant(
    State(state): State<AppState>,
    Path(PlantId { id }): Path<PlantId>,
    ApiQuery(params): ApiQuery<AsOfParams>,
) -> Result<Response, ApiError> {
    let as_of = parse_as_of(params.as_of.as_deref())?;
    let detail = state.store.plant(&id, as_of.as_deref()).await?;
    let etag = HeaderValue::from_str(&format!("\"{}\"", detail.version))
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let value = serde_json::to_value(detail).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(([(header::ETAG, etag)], Json(value)).into_response())
}

/// Grouping of a fleet aggregate.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GroupParams {
    /// Comma-separated columns to group by: sector, country, route, status, start_decade (default: sector).
    #[param(example = "sector,route")]
    pub group_by: Option<String>,
}

/// A fleet aggregate: the grouping asked and its groups.
#[derive(Debug, Serialize, ToSchema)]
pub struct FleetAggregate {
    /// The grouping columns, in the order of each group's `keys`.
    pub group_by: Vec<String>,
    pub groups: Vec<FleetGroup>,
}

/// Plant counts and capacity of the plants matching the filters, grouped.
#[utoipa::path(get, path = "/fleet", tag = "tracker", params(PlantParams, GroupParams),
    responses(
        (status = 200, description = "Groups with plant counts and capacity", body = FleetAggregate),
        (status = 400, description = "A filter or grouping is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn fleet(
    State(state): State<AppState>,
    ApiQuery(filters): ApiQuery<PlantParams>,
    ApiQuery(group): ApiQuery<GroupParams>,
) -> Result<Json<FleetAggregate>, ApiError> {
    let group_by = parse_group_by(group.group_by.as_deref())?;
    let query = filters.query()?;
    let groups = queries::fleet_groups(&state.store, &query, &group_by).await?;
    Ok(Json(FleetAggregate { group_by: group_by.iter().map(|g| g.as_str().to_owned()).collect(), groups }))
}

fn parse_group_by(text: Option<&str>) -> Result<Vec<GroupBy>, ApiError> {
    let text = text.map(str::trim).filter(|t| !t.is_empty()).unwrap_or("sector");
    let mut columns = Vec::new();
    for part in text.split(',') {
        let column = GroupBy::parse(part).ok_or_else(|| {
            ApiError::invalid(
                "group_by",
                part,
                "sector, country, route, status or start_decade, comma-separated",
            )
        })?;
        if !columns.contains(&column) {
            columns.push(column);
        }
    }
    Ok(columns)
}
