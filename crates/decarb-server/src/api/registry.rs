//! Projects, members, pledges and partnerships of the tracker.

use super::plants::PageParams;
use super::{ApiQuery, parse_as_of, parse_country, parse_opt};
use crate::AppState;
use crate::problem::{ApiError, Problem};
use crate::tokens::Caller;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use decarb_model::tracker::{MemberKind, ProjectStage};
use decarb_store::{MemberRecord, ProjectFilter, RegistryFilter, SourceRecord, source_id_for};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

const STAGES: &str = ProjectStage::EXPECTED;

/// Filters of the project list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProjectParams {
    /// Sector as the project source names it (steel, cement, ...).
    pub sector: Option<String>,
    /// ISO 3166-1 code or country name.
    pub country: Option<String>,
    /// Project stage (announced, feasibility, fid, construction, operating, ...).
    pub stage: Option<String>,
    /// Case-insensitive text in the name, technology, site or companies.
    pub text: Option<String>,
    /// The tracker as it stood on this day (YYYY-MM-DD).
    pub as_of: Option<String>,
}

/// A page of a list of records.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordPage {
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
    #[schema(value_type = Vec<super::schemas::Project>)]
    pub items: Vec<serde_json::Value>,
}

fn to_values<T: Serialize>(rows: Vec<T>) -> Result<Vec<serde_json::Value>, ApiError> {
    rows.into_iter().map(|r| serde_json::to_value(r).map_err(|e| ApiError::internal(e.to_string()))).collect()
}

/// Low-carbon projects (H2-DRI, CCS, electrified kilns, ...), filtered and paged, by key.
#[utoipa::path(get, path = "/projects", tag = "tracker", params(ProjectParams, PageParams),
    responses(
        (status = 200, description = "A page of projects", body = RecordPage),
        (status = 400, description = "A filter value is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_projects(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ProjectParams>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> Result<Json<RecordPage>, ApiError> {
    let (limit, _) = page.checked()?;
    let (total, offset, items) = project_page(&state, &params, &page).await?;
    Ok(Json(RecordPage { total, limit, offset, items: to_values(items)? }))
}

/// The projects matching `params`: total, offset and the page's rows.
pub async fn project_page(
    state: &AppState,
    params: &ProjectParams,
    page: &PageParams,
) -> Result<(i64, i64, Vec<decarb_store::ProjectRow>), ApiError> {
    let (limit, offset) = page.checked()?;
    let filter = ProjectFilter {
        sector: params.sector.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_lowercase),
        country: parse_country(params.country.as_deref())?,
        stage: parse_opt::<ProjectStage>("stage", params.stage.as_deref(), STAGES)?,
        as_of: parse_as_of(params.as_of.as_deref())?,
    };
    let mut rows = state.store.projects(&filter).await?;
    if let Some(text) = params.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let needle = text.to_lowercase();
        rows.retain(|p| {
            [
                p.name.as_str(),
                p.technology.as_str(),
                p.site.as_deref().unwrap_or(""),
                p.country_text.as_str(),
                p.key.as_str(),
            ]
            .iter()
            .any(|field| field.to_lowercase().contains(&needle))
                || p.companies.iter().any(|c| c.to_lowercase().contains(&needle))
        });
    }
    let total = i64::try_from(rows.len()).unwrap_or(i64::MAX);
    let items = rows
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(0))
        .collect();
    Ok((total, offset, items))
}

/// A project key.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ProjectKey {
    #[param(example = "seed-salcos-stage-1-salzgitter")]
    pub key: String,
}

/// One project as of a date (latest when absent).
#[utoipa::path(get, path = "/projects/{key}", tag = "tracker", params(ProjectKey, super::plants::AsOfParams),
    responses(
        (status = 200, description = "The project, with `version` (and `retired_on` once retired)", body = super::schemas::Project,
            headers(("ETag" = String, description = "The record's version, for If-Match on writes"))),
        (status = 400, description = "The as_of date is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_project(
    State(state): State<AppState>,
    Path(ProjectKey { key }): Path<ProjectKey>,
    ApiQuery(params): ApiQuery<super::plants::AsOfParams>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let as_of = parse_as_of(params.as_of.as_deref())?;
    let row = state.store.project(&key, as_of.as_deref()).await?;
    let version = state.store.record_version(&decarb_store::Target::Project { key: key.clone() }).await?;
    let mut value = serde_json::to_value(row).map_err(|e| ApiError::internal(e.to_string()))?;
    if let Some(object) = value.as_object_mut() {
        object.insert("version".to_owned(), version.version.into());
        if let Some(day) = version.retired_on {
            object.insert("retired_on".to_owned(), day.into());
        }
    }
    let mut response = Json(value).into_response();
    if let Ok(etag) = axum::http::HeaderValue::from_str(&format!("\"{}\"", version.version)) {
        response.headers_mut().insert(axum::http::header::ETAG, etag);
    }
    Ok(response)
}

/// Filters of members, pledges and partnerships.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegistryParams {
    /// Members: country or company. Partnerships: bilateral or value_chain.
    pub kind: Option<String>,
    /// ISO 3166-1 code or country name.
    pub country: Option<String>,
    /// Members on this day (YYYY-MM-DD).
    pub as_of: Option<String>,
}

impl RegistryParams {
    fn filter(&self) -> Result<RegistryFilter, ApiError> {
        Ok(RegistryFilter {
            kind: self.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()).map(str::to_lowercase),
            country: parse_country(self.country.as_deref())?,
            as_of: parse_as_of(self.as_of.as_deref())?,
        })
    }
}

/// Members of the group (countries and companies), by join date.
#[utoipa::path(get, path = "/members", tag = "tracker", params(RegistryParams),
    responses(
        (status = 200, description = "Members", body = Vec<super::schemas::Member>),
        (status = 400, description = "A filter value is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_members(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<RegistryParams>,
) -> Result<Json<Vec<serde_json::Value>>, ApiError> {
    Ok(Json(to_values(state.store.members(&params.filter()?).await?)?))
}

/// A new member, as a write sends it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Examplestan", "kind": "country", "country": "KAZ", "joined": "2025-11",
    "source": {"citation": "Leadership group press release, November 2025", "url": "https://example.org/release"}}))]
pub struct NewMember {
    pub name: String,
    /// country or company.
    pub kind: String,
    /// ISO 3166-1 code or country name (required for a country member).
    pub country: Option<String>,
    /// Join date as precise as known (2019, 2019-09, 2019-09-23).
    pub joined: Option<String>,
    pub notes: Option<String>,
    pub source: NewSource,
    /// Why the member is added (kept in its history); the source's citation when absent.
    pub note: Option<String>,
    /// The day the addition holds from (YYYY-MM-DD); today when absent.
    pub valid_from: Option<String>,
}

/// Where a written fact comes from.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSource {
    pub citation: String,
    pub url: Option<String>,
}

/// Adds a member (a bearer token of an editor or admin; a contributor's is filed as a proposal
/// for review, 202). The change is kept in the tracker's history.
#[utoipa::path(post, path = "/members", tag = "tracker", request_body(content = NewMember, content_type = "application/json"),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The member as stored", body = super::schemas::Member),
        (status = 202, description = "Filed as a proposal for review (contributor)", body = super::schemas::Proposal),
        (status = 400, description = "The member is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not write", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A member with this name exists", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "No content type, or not application/json", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn add_member(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    caller.require(decarb_store::Role::Contributor, "writing to the tracker")?;
    let new: NewMember =
        serde_json::from_slice(&body).map_err(|e| ApiError::bad_request(format!("request body: {e}")))?;
    let (edit, meta, record) = member_edit(new, &caller)?;
    if caller.role == decarb_store::Role::Contributor {
        let proposal = state.store.propose(&edit, &meta, None).await?;
        let value = serde_json::to_value(proposal).map_err(|e| ApiError::internal(e.to_string()))?;
        return Ok((StatusCode::ACCEPTED, Json(value)).into_response());
    }
    state.store.apply_edit(&edit, &meta, None).await?;
    let members = state.store.members(&RegistryFilter::default()).await?;
    let stored = members
        .into_iter()
        .find(|m| m.name == record.name)
        .ok_or_else(|| ApiError::internal("the member was written but cannot be read back"))?;
    let value = serde_json::to_value(stored).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok((StatusCode::CREATED, Json(value)).into_response())
}

/// A new member's record, its creation and why: the checks of `POST /members`, which the
/// dashboard's form shares.
pub(crate) fn member_edit(
    new: NewMember,
    caller: &Caller,
) -> Result<(decarb_store::Edit, decarb_store::WriteMeta, MemberRecord), ApiError> {
    let kind: MemberKind =
        new.kind.parse().map_err(|_| ApiError::invalid("kind", &new.kind, MemberKind::EXPECTED))?;
    let joined = new.joined.as_deref().map(|j| decarb_store::parse_partial_date("joined", j)).transpose()?;
    if new.name.trim().is_empty() || new.source.citation.trim().is_empty() {
        return Err(ApiError::bad_request("name and source.citation must not be empty"));
    }
    let mut source = SourceRecord::new(&source_id_for(&new.source.citation), &new.source.citation);
    source.url.clone_from(&new.source.url);
    let record = MemberRecord {
        name: new.name.trim().to_owned(),
        kind,
        country: parse_country(new.country.as_deref())?,
        joined,
        known_from: None,
        left_on: None,
        notes: new.notes,
        source,
    };
    let meta = decarb_store::WriteMeta {
        by: caller.actor(),
        note: new
            .note
            .unwrap_or_else(|| format!("added through the API, citing {}", new.source.citation.trim())),
        source_url: new.source.url.clone(),
        valid_from: new.valid_from,
    };
    let edit =
        decarb_store::Edit::Create { record: Box::new(decarb_store::NewRecord::Member(record.clone())) };
    Ok((edit, meta, record))
}

/// Pledges of members (net-zero year, 2030 milestone), with source.
#[utoipa::path(get, path = "/pledges", tag = "tracker", params(RegistryParams),
    responses(
        (status = 200, description = "Pledges", body = Vec<super::schemas::Pledge>),
        (status = 400, description = "A filter value is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_pledges(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<RegistryParams>,
) -> Result<Json<Vec<serde_json::Value>>, ApiError> {
    Ok(Json(to_values(state.store.pledges(&params.filter()?).await?)?))
}

/// Partnerships (bilateral and value-chain) with their parties.
#[utoipa::path(get, path = "/partnerships", tag = "tracker", params(RegistryParams),
    responses(
        (status = 200, description = "Partnerships", body = Vec<super::schemas::Partnership>),
        (status = 400, description = "A filter value is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_partnerships(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<RegistryParams>,
) -> Result<Json<Vec<serde_json::Value>>, ApiError> {
    Ok(Json(to_values(state.store.partnerships(&params.filter()?).await?)?))
}
