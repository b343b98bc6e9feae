//! Writes to the tracker: create, update (PATCH) and retire projects, members, pledges,
//! partnerships and analyses, correct (PATCH) and retire plants, and the review queue of
//! contributors' proposals. The logic (validation, versions, history, proposals, corrections) is
//! `decarb_store::edits`; this module maps HTTP onto it.
//!
//! - A bearer token is required (401 without, or with an unknown, revoked or expired one); a
//!   reader's is refused (403). An editor's or admin's write applies at once (200/201); a
//!   contributor's becomes a proposal (202) that an editor approves or rejects under `/review`.
//! - `GET` of one record answers its version as `ETag`; `PATCH` and `retire` need it back as
//!   `If-Match` (428 without, 412 when the record changed since).
//! - Every write carries `note` (why, required), `source_url` (http or https) and optionally
//!   `valid_from` (the day the change holds from, today by default); an invalid field is a 422
//!   problem document whose `errors` name it.

use super::plants::PlantId;
use super::schemas;
use crate::AppState;
use crate::problem::{ApiError, Problem};
use crate::tokens::Caller;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::{ETAG, IF_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use decarb_model::tracker::{PartnershipKind, ProjectStage};
use decarb_store::analyses::{Analysis, LinkKind, links_of_kind, slugify};
use decarb_store::{
    AnalysisPatch, Edit, MemberPatch, NewRecord, PartnershipPatch, PartnershipRecord, PlantPatch,
    PledgePatch, PledgeRecord, ProjectRecord, ProjectUpdate, RegistryFilter, Role, SourceRecord, Target,
    WriteMeta,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::{IntoParams, ToSchema};

/// Why a change is made, on what evidence, from when.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"note": "Withdrawn: the company left the group", "source_url": "https://www.industrytransition.org/leadit/members/", "valid_from": "2026-11-30"}))]
pub struct Why {
    /// Why the change is made (required).
    #[serde(default)]
    pub note: String,
    /// The evidence (http or https address).
    pub source_url: Option<String>,
    /// The day the change holds from (YYYY-MM-DD); today when absent.
    pub valid_from: Option<String>,
}

macro_rules! update_body {
    ($name:ident, $patch:ty, $doc:ty, $example:expr) => {
        /// Changes to a record with why, evidence and date; fields of `changes` left out stay.
        #[derive(Debug, Deserialize, ToSchema)]
        #[serde(deny_unknown_fields)]
        #[schema(example = $example)]
        pub struct $name {
            #[serde(default)]
            pub note: String,
            pub source_url: Option<String>,
            pub valid_from: Option<String>,
            #[schema(value_type = $doc)]
            pub changes: $patch,
        }

        impl $name {
            pub(crate) fn split(self, caller: &Caller) -> (WriteMeta, $patch) {
                let meta = WriteMeta {
                    by: caller.actor(),
                    note: self.note,
                    source_url: self.source_url,
                    valid_from: self.valid_from,
                };
                (meta, self.changes)
            }
        }
    };
}

update_body!(
    ProjectChange,
    ProjectUpdate,
    schemas::ProjectChanges,
    json!({"note": "FID taken", "source_url": "https://www.salcos.salzgitter-ag.com/en/", "valid_from": "2026-11-30", "changes": {"stage": "fid"}})
);
update_body!(
    MemberChange,
    MemberPatch,
    schemas::MemberChanges,
    json!({"note": "Join date from the summit communiqué", "source_url": "https://www.industrytransition.org/leadit/", "changes": {"joined": "2019-09-23"}})
);
update_body!(
    PledgeChange,
    PledgePatch,
    schemas::PledgeChanges,
    json!({"note": "Climate law adopted", "source_url": "https://www.government.se/", "changes": {"status": "in law", "verified": true}})
);
update_body!(
    PartnershipChange,
    PartnershipPatch,
    schemas::PartnershipChanges,
    json!({"note": "Venue confirmed", "source_url": "https://www.industrytransition.org/", "changes": {"venue": "COP28"}})
);
update_body!(
    AnalysisChange,
    AnalysisPatch,
    schemas::AnalysisChanges,
    json!({"note": "Tag added", "source_url": "https://www.industrytransition.org/insights/", "changes": {"tags": ["Partnerships", "Steel"]}})
);
update_body!(
    PlantChange,
    PlantPatch,
    schemas::PlantChanges,
    json!({"note": "Capacity as the company reports it", "source_url": "https://www.ssab.com/en/news", "valid_from": "2025-06-01",
        "changes": {"capacity_tpa": 2_300_000.0, "start": "1941"}})
);

pub(crate) fn meta(why: Why, caller: &Caller) -> WriteMeta {
    WriteMeta { by: caller.actor(), note: why.note, source_url: why.source_url, valid_from: why.valid_from }
}

fn body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| ApiError::bad_request(format!("request body: {e}")))
}

/// The version a write was made against: `If-Match: "7"` (or `W/"7"`, or `*` for whatever is
/// current). 428 without the header.
fn if_match(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let value = headers.get(IF_MATCH).ok_or_else(|| {
        ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "this write needs If-Match with the ETag of the record as read (GET it first)",
        )
    })?;
    let text = value.to_str().unwrap_or("").trim();
    if text == "*" {
        return Ok(None);
    }
    text.trim_start_matches("W/")
        .trim_matches('"')
        .parse::<i64>()
        .map(Some)
        .map_err(|_| ApiError::invalid("If-Match", text, "the ETag of the record (\"7\")"))
}

fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or_else(|_| HeaderValue::from_static("\"0\""))
}

/// What a write did: applied at once, or filed as a proposal.
pub(crate) enum Outcome {
    Applied(decarb_store::Applied),
    Proposed(Box<decarb_store::Proposal>),
}

/// The one write path of the API and the dashboard's forms: applies the edit (editor, admin) or
/// files it as a proposal (contributor); 403 for a reader.
pub(crate) async fn submit(
    state: &AppState,
    caller: &Caller,
    edit: &Edit,
    meta: &WriteMeta,
    expected: Option<i64>,
) -> Result<Outcome, ApiError> {
    caller.require(Role::Contributor, "writing to the tracker")?;
    if caller.role == Role::Contributor {
        return Ok(Outcome::Proposed(Box::new(state.store.propose(edit, meta, expected).await?)));
    }
    Ok(Outcome::Applied(state.store.apply_edit(edit, meta, expected).await?))
}

/// Applies the edit (editor, admin) or files it as a proposal (contributor); 403 for a reader.
async fn write(
    state: &AppState,
    caller: &Caller,
    edit: &Edit,
    meta: &WriteMeta,
    expected: Option<i64>,
    created: bool,
) -> Result<Response, ApiError> {
    let applied = match submit(state, caller, edit, meta, expected).await? {
        Outcome::Proposed(proposal) => {
            let value = serde_json::to_value(proposal).map_err(|e| ApiError::internal(e.to_string()))?;
            return Ok((StatusCode::ACCEPTED, Json(value)).into_response());
        }
        Outcome::Applied(applied) => applied,
    };
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    let mut response = (status, Json(serde_json::to_value(&applied).unwrap_or_default())).into_response();
    response.headers_mut().insert(ETAG, etag(applied.version));
    Ok(response)
}

/// The record as listed, with its version and as `ETag`.
async fn versioned(state: &AppState, target: &Target) -> Result<Response, ApiError> {
    let version = state.store.record_version(target).await?;
    if let Some(day) = &version.retired_on {
        return Err(ApiError::not_found(format!(
            "{} {:?} was retired on {day}",
            target.entity().as_str(),
            target.key()
        )));
    }
    let all = RegistryFilter::default();
    let mut value = match target {
        Target::Member { name } => {
            state.store.members(&all).await?.into_iter().find(|m| &m.name == name).map(serde_json::to_value)
        }
        Target::Pledge { member, metric, scope } => state
            .store
            .pledges(&all)
            .await?
            .into_iter()
            .find(|p| &p.member == member && &p.metric == metric && &p.scope == scope)
            .map(serde_json::to_value),
        Target::Partnership { name } => state
            .store
            .partnerships(&all)
            .await?
            .into_iter()
            .find(|p| &p.name == name)
            .map(serde_json::to_value),
        Target::Project { key } => Some(serde_json::to_value(state.store.project(key, None).await?)),
        Target::Analysis { slug } => Some(serde_json::to_value(state.store.analysis(slug).await?)),
        Target::Plant { key } => Some(serde_json::to_value(state.store.plant(key, None).await?)),
    }
    .ok_or_else(|| ApiError::not_found(format!("no {} {:?}", target.entity().as_str(), target.key())))?
    .map_err(|e| ApiError::internal(e.to_string()))?;
    if let Some(object) = value.as_object_mut() {
        object.insert("version".to_owned(), version.version.into());
    }
    let mut response = Json(value).into_response();
    response.headers_mut().insert(ETAG, etag(version.version));
    Ok(response)
}

/// A member's name.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct MemberName {
    #[param(example = "Sweden")]
    pub name: String,
}

/// A partnership's name.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct PartnershipName {
    #[param(example = "India-Sweden Industry Transition Partnership")]
    pub name: String,
}

/// A pledge: its member, what is pledged and what it covers.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct PledgeKey {
    #[param(example = "Sweden")]
    pub member: String,
    #[param(example = "net-zero")]
    pub metric: String,
    #[param(example = "economy-wide")]
    pub scope: String,
}

/// A project's key.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ProjectKeyParam {
    #[param(example = "seed-salcos-stage-1-salzgitter")]
    pub key: String,
}

/// An analysis's slug.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct AnalysisSlug {
    #[param(example = "u-s-joins-leadit")]
    pub slug: String,
}

/// One analysis with its version (`ETag`).
#[utoipa::path(get, path = "/analyses/{slug}", tag = "tracker", params(AnalysisSlug),
    responses(
        (status = 200, description = "The analysis, with `version`", body = schemas::AnalysisRecord,
            headers(("ETag" = String, description = "The record's version"))),
        (status = 404, description = "No such analysis, or retired", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_analysis(
    State(state): State<AppState>,
    Path(AnalysisSlug { slug }): Path<AnalysisSlug>,
) -> Result<Response, ApiError> {
    versioned(&state, &Target::Analysis { slug }).await
}

/// Filter of the analysis list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AnalysisParams {
    /// Only analyses with this tag (case-insensitive).
    #[param(example = "Partnerships")]
    pub tag: Option<String>,
}

/// The group's analyses, newest first (retired ones are left out).
#[utoipa::path(get, path = "/analyses", tag = "tracker", params(AnalysisParams),
    responses(
        (status = 200, description = "Analyses", body = Vec<schemas::AnalysisRecord>),
        (status = 400, description = "A parameter is not readable", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_analyses(
    State(state): State<AppState>,
    super::ApiQuery(params): super::ApiQuery<AnalysisParams>,
) -> Result<Json<Vec<Analysis>>, ApiError> {
    let tag = params.tag.as_deref().map(str::trim).filter(|t| !t.is_empty());
    Ok(Json(state.store.analyses(tag).await?))
}

/// One member with its version (`ETag`, for `If-Match` on writes).
#[utoipa::path(get, path = "/members/{name}", tag = "tracker", params(MemberName),
    responses(
        (status = 200, description = "The member, with `version`", body = schemas::Member,
            headers(("ETag" = String, description = "The record's version"))),
        (status = 404, description = "No such member, or retired", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_member(
    State(state): State<AppState>,
    Path(MemberName { name }): Path<MemberName>,
) -> Result<Response, ApiError> {
    versioned(&state, &Target::Member { name }).await
}

/// One pledge with its version (`ETag`).
#[utoipa::path(get, path = "/pledges/{member}/{metric}/{scope}", tag = "tracker", params(PledgeKey),
    responses(
        (status = 200, description = "The pledge, with `version`", body = schemas::Pledge,
            headers(("ETag" = String, description = "The record's version"))),
        (status = 404, description = "No such pledge, or retired", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_pledge(
    State(state): State<AppState>,
    Path(key): Path<PledgeKey>,
) -> Result<Response, ApiError> {
    versioned(&state, &Target::Pledge { member: key.member, metric: key.metric, scope: key.scope }).await
}

/// One partnership with its version (`ETag`).
#[utoipa::path(get, path = "/partnerships/{name}", tag = "tracker", params(PartnershipName),
    responses(
        (status = 200, description = "The partnership, with `version`", body = schemas::Partnership,
            headers(("ETag" = String, description = "The record's version"))),
        (status = 404, description = "No such partnership, or retired", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_partnership(
    State(state): State<AppState>,
    Path(PartnershipName { name }): Path<PartnershipName>,
) -> Result<Response, ApiError> {
    versioned(&state, &Target::Partnership { name }).await
}

/// One write route (PATCH of a record, or its retirement): its OpenAPI description, which every
/// write shares but for what a 200 and a 400 say, and a handler that checks the caller may write,
/// builds the edit (`$edit`: the edit, its why/evidence/date and the version from `If-Match`) and
/// hands it to [`write`].
macro_rules! write_route {
    (
        $(#[doc = $doc:literal])*
        $method:ident $path:literal, $fn:ident($params:ident, $body:ident), ok = $ok:literal, unreadable = $bad:literal,
        |$key:pat_param, $headers:ident, $bytes:ident, $caller:ident, $state:ident| $edit:block
    ) => {
        $(#[doc = $doc])*
        #[utoipa::path($method, path = $path, tag = "tracker", params($params,
                ("If-Match" = String, Header, description = "The ETag of the record as read")),
            request_body(content = $body, content_type = "application/json"),
            security(("bearer" = [])),
            responses(
                (status = 200, description = $ok, body = schemas::Applied, headers(("ETag" = String, description = "The new version"))),
                (status = 202, description = "Filed as a proposal for review (contributor)", body = schemas::Proposal),
                (status = 400, description = $bad, body = Problem, content_type = "application/problem+json"),
                (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
                (status = 403, description = "The token's role may not write", body = Problem, content_type = "application/problem+json"),
                (status = 404, description = "No such record", body = Problem, content_type = "application/problem+json"),
                (status = 412, description = "The record changed since it was read", body = Problem, content_type = "application/problem+json"),
                (status = 415, description = "Not application/json", body = Problem, content_type = "application/problem+json"),
                (status = 422, description = "A field is not valid (named in `errors`)", body = Problem, content_type = "application/problem+json"),
                (status = 428, description = "No If-Match", body = Problem, content_type = "application/problem+json"),
            ))]
        pub async fn $fn(
            State($state): State<AppState>,
            $caller: Caller,
            Path($key): Path<$params>,
            $headers: HeaderMap,
            $bytes: Bytes,
        ) -> Result<Response, ApiError> {
            $caller.require(Role::Contributor, "writing to the tracker")?;
            let (edit, meta, expected): (Edit, WriteMeta, Option<i64>) = $edit;
            write(&$state, &$caller, &edit, &meta, expected, false).await
        }
    };
}

/// The PATCH route of one kind of record: the body is `$body` (why, evidence, date and `changes`).
macro_rules! patch_route {
    (
        $(#[doc = $doc:literal])*
        $path:literal, $fn:ident($params:ident, $body:ident), |$key:pat_param, $patch:ident| $edit:expr
    ) => {
        write_route!(
            $(#[doc = $doc])*
            patch $path, $fn($params, $body), ok = "Applied", unreadable = "The body or If-Match is not readable",
            |$key, headers, bytes, caller, state| {
                let expected = if_match(&headers)?;
                let (meta, $patch) = body::<$body>(&bytes)?.split(&caller);
                ($edit, meta, expected)
            }
        );
    };
}

patch_route!(
    /// Changes a project (new dated state; editor or admin; a contributor's is a proposal).
    "/projects/{key}", patch_project(ProjectKeyParam, ProjectChange),
    |ProjectKeyParam { key }, patch| Edit::UpdateProject { key, patch }
);
patch_route!(
    /// Changes a member (editor or admin; a contributor's is a proposal).
    "/members/{name}", patch_member(MemberName, MemberChange),
    |MemberName { name }, patch| Edit::UpdateMember { name, patch }
);
patch_route!(
    /// Changes a pledge (editor or admin; a contributor's is a proposal).
    "/pledges/{member}/{metric}/{scope}", patch_pledge(PledgeKey, PledgeChange),
    |PledgeKey { member, metric, scope }, patch| Edit::UpdatePledge { member, metric, scope, patch }
);
patch_route!(
    /// Changes a partnership (editor or admin; a contributor's is a proposal).
    "/partnerships/{name}", patch_partnership(PartnershipName, PartnershipChange),
    |PartnershipName { name }, patch| Edit::UpdatePartnership { name, patch }
);
patch_route!(
    /// Changes an analysis (editor or admin; a contributor's is a proposal). A list in `changes`
    /// (`tags`, `countries`...) replaces the old one.
    "/analyses/{slug}", patch_analysis(AnalysisSlug, AnalysisChange),
    |AnalysisSlug { slug }, patch| Edit::UpdateAnalysis { slug, patch }
);

write_route!(
    /// Corrects a plant: the fields of `changes` hold from `valid_from` (today by default) as a
    /// dated state, each with who, why and the source, and the value the tracker's file gave
    /// is kept with the correction. A later release keeps the correction while it repeats the
    /// value corrected, and ends it when it gives another (docs/tracker-writes.md). Editor or
    /// admin; a contributor's is a proposal.
    patch "/plants/{id}", patch_plant(PlantId, PlantChange), ok = "Applied",
    unreadable = "The body or If-Match is not readable",
    |PlantId { id }, headers, bytes, caller, state| {
        let key = state.store.resolve_plant_key(&id).await?;
        let expected = if_match(&headers)?;
        let (meta, patch) = body::<PlantChange>(&bytes)?.split(&caller);
        (Edit::CorrectPlant { key, patch }, meta, expected)
    }
);

/// Which kind of record a retire route names.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct RetireTarget {
    /// projects, members, pledges, partnerships, analyses or plants.
    #[param(example = "members")]
    pub kind: String,
    /// The record's key: a project key, a member's or partnership's name, a pledge as
    /// `member/metric/scope`, an analysis's slug or a plant's id (URL-encoded).
    #[param(example = "Sweden")]
    pub key: String,
}

pub(crate) fn target_of(kind: &str, key: &str) -> Result<Target, ApiError> {
    Ok(match kind {
        "projects" => Target::Project { key: key.to_owned() },
        "members" => Target::Member { name: key.to_owned() },
        "partnerships" => Target::Partnership { name: key.to_owned() },
        "analyses" => Target::Analysis { slug: key.to_owned() },
        "plants" => Target::Plant { key: key.to_owned() },
        "pledges" => {
            let mut parts = key.splitn(3, '/');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(member), Some(metric), Some(scope)) => Target::Pledge {
                    member: member.to_owned(),
                    metric: metric.to_owned(),
                    scope: scope.to_owned(),
                },
                _ => return Err(ApiError::invalid("key", key, "member/metric/scope")),
            }
        }
        _ => {
            return Err(ApiError::invalid(
                "kind",
                kind,
                "projects, members, pledges, partnerships, analyses or plants",
            ));
        }
    })
}

write_route!(
    /// Retires a record: it leaves every list from `valid_from` (today by default); nothing is
    /// deleted and its history stays (editor or admin; a contributor's is a proposal). A plant
    /// is unlisted (a correction of `listed`: a later release listing it again keeps it so).
    post "/retire/{kind}/{key}", retire(RetireTarget, Why), ok = "Retired",
    unreadable = "The body, kind or If-Match is not readable",
    |RetireTarget { kind, key }, headers, bytes, caller, state| {
        let target = match target_of(&kind, &key)? {
            Target::Plant { key } => Target::Plant { key: state.store.resolve_plant_key(&key).await? },
            other => other,
        };
        let expected = if_match(&headers)?;
        (Edit::Retire { target }, meta(body::<Why>(&bytes)?, &caller), expected)
    }
);

/// A new project, as a write sends it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProject {
    /// A new, stable key (a slug such as `stegra-boden-phase-2`).
    pub key: String,
    pub name: String,
    /// steel, cement, aluminium, ammonia, hydrogen...
    pub sector: String,
    pub technology: String,
    /// ISO 3166-1 code or country name.
    pub country: String,
    /// announced (default), feasibility, fid, construction, operating, ...
    pub stage: Option<String>,
    #[serde(default)]
    pub companies: Vec<String>,
    pub capacity_value: Option<f64>,
    /// Product and unit (`Mt steel/yr`); required with `capacity_value`.
    pub capacity_unit: Option<String>,
    /// Start of operation (2027, 2027-06).
    pub start: Option<String>,
    pub notes: Option<String>,
}

/// A new pledge of a member, as a write sends it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPledge {
    pub member: String,
    pub target_year: Option<i32>,
    /// net-zero, climate-neutrality, carbon-neutrality, emissions-cut...
    pub metric: String,
    /// economy-wide, company, scope 1-2...
    pub scope: String,
    pub milestone_2030: Option<String>,
    pub status: Option<String>,
    #[serde(default)]
    pub verified: bool,
    pub stated: Option<String>,
    pub notes: Option<String>,
}

/// A new partnership, as a write sends it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPartnership {
    pub name: String,
    /// bilateral or value_chain.
    pub kind: String,
    /// At least two: countries (name or code) or companies.
    pub parties: Vec<String>,
    pub started: Option<String>,
    pub venue: Option<String>,
    pub parent: Option<String>,
    pub description: Option<String>,
}

/// A new analysis, as a write sends it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAnalysis {
    /// A stable slug (lowercase letters, digits, hyphens); made from the title when absent.
    pub slug: Option<String>,
    pub title: String,
    /// Publication date, YYYY-MM-DD.
    pub published: String,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// The body, Markdown (rendered and sanitised on output).
    #[serde(default)]
    pub body_markdown: String,
    /// Countries it discusses (names or ISO codes).
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub sectors: Vec<String>,
    /// Project keys.
    #[serde(default)]
    pub projects: Vec<String>,
    /// Partnership names.
    #[serde(default)]
    pub partnerships: Vec<String>,
}

/// A new record with why and evidence: the record under the key its route names (`project` for
/// `POST /projects`, `pledge`, `partnership`, `analysis`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"note": "Announced by the company", "source_url": "https://example.org/press/2026-11-30",
    "project": {"key": "example-h2-dri-2030", "name": "Example H2-DRI plant", "sector": "steel",
        "technology": "H2-DRI + EAF", "country": "SWE", "stage": "announced", "companies": ["Example AB"],
        "capacity_value": 1.0, "capacity_unit": "Mt steel/yr", "start": "2030"}}))]
pub struct NewRecordBody {
    #[serde(default)]
    pub note: String,
    /// The evidence (http or https address; required for a new record).
    #[serde(default)]
    pub source_url: Option<String>,
    /// A citation for the source; the address when absent.
    pub citation: Option<String>,
    pub valid_from: Option<String>,
    pub project: Option<NewProject>,
    pub pledge: Option<NewPledge>,
    pub partnership: Option<NewPartnership>,
    pub analysis: Option<NewAnalysis>,
}

fn new_source(body: &NewRecordBody) -> Result<SourceRecord, ApiError> {
    let url = body.source_url.as_deref().filter(|u| !u.trim().is_empty()).ok_or_else(|| {
        ApiError::field("source_url", "source_url: the address of the source of a new record is required")
    })?;
    decarb_store::check_url("source_url", url)?;
    let citation = body.citation.as_deref().map(str::trim).filter(|c| !c.is_empty()).unwrap_or(url);
    Ok(SourceRecord::typed(citation, Some(url)))
}

fn partial(field: &str, value: Option<&str>) -> Result<Option<String>, ApiError> {
    value
        .map(|v| {
            decarb_store::parse_partial_date(field, v).map_err(|_| {
                ApiError::field(
                    field,
                    format!("{field}: found {v:?}, expected a year (2019), year-month or date"),
                )
            })
        })
        .transpose()
}

pub(crate) fn new_record(body: &NewRecordBody) -> Result<NewRecord, ApiError> {
    let source = new_source(body)?;
    let required = |field: &str, value: &str| {
        if value.trim().is_empty() {
            Err(ApiError::field(field, format!("{field}: must not be empty")))
        } else {
            Ok(value.trim().to_owned())
        }
    };
    if let Some(a) = &body.analysis {
        return new_analysis(a).map(NewRecord::Analysis);
    }
    match (&body.project, &body.pledge, &body.partnership) {
        (Some(p), None, None) => {
            let country = decarb_model::CountryCode::resolve(&p.country).ok_or_else(|| {
                ApiError::field(
                    "project.country",
                    format!(
                        "project.country: found {:?}, expected an ISO 3166-1 code or a country name",
                        p.country
                    ),
                )
            })?;
            let stage = match p.stage.as_deref() {
                None => ProjectStage::Announced,
                Some(text) => text.parse().map_err(|_| {
                    ApiError::field(
                        "project.stage",
                        format!("project.stage: found {text:?}, expected {}", ProjectStage::EXPECTED),
                    )
                })?,
            };
            let capacity = match (p.capacity_value, p.capacity_unit.as_deref()) {
                (None, None) => None,
                (Some(value), Some(unit)) if value.is_finite() && value >= 0.0 && !unit.trim().is_empty() => {
                    Some((value, unit.trim().to_owned()))
                }
                _ => {
                    return Err(ApiError::field(
                        "project.capacity_value",
                        "project.capacity_value: a non-negative number, given with capacity_unit",
                    ));
                }
            };
            Ok(NewRecord::Project(ProjectRecord {
                key: required("project.key", &p.key)?,
                name: required("project.name", &p.name)?,
                sector: required("project.sector", &p.sector)?.to_ascii_lowercase(),
                technology: required("project.technology", &p.technology)?,
                country: Some(country),
                country_text: country.as_str().to_owned(),
                site: None,
                companies: p.companies.clone(),
                partners: Vec::new(),
                stage,
                stage_raw: None,
                capacity,
                announced: None,
                fid: None,
                start: partial("project.start", p.start.as_deref())?,
                investment: None,
                gem_plant_id: None,
                parent_programme: None,
                notes: p.notes.clone(),
                assessment: None,
                row: None,
            }))
        }
        (None, Some(p), None) => Ok(NewRecord::Pledge(PledgeRecord {
            member: required("pledge.member", &p.member)?,
            target_year: p.target_year,
            metric: required("pledge.metric", &p.metric)?,
            scope: required("pledge.scope", &p.scope)?,
            milestone_2030: p.milestone_2030.clone(),
            status: p.status.clone(),
            verified: p.verified,
            stated: partial("pledge.stated", p.stated.as_deref())?,
            notes: p.notes.clone(),
            source,
        })),
        (None, None, Some(p)) => {
            let kind: PartnershipKind = p.kind.parse().map_err(|_| {
                ApiError::field(
                    "partnership.kind",
                    format!("partnership.kind: found {:?}, expected {}", p.kind, PartnershipKind::EXPECTED),
                )
            })?;
            Ok(NewRecord::Partnership(PartnershipRecord {
                name: required("partnership.name", &p.name)?,
                kind,
                parties: p.parties.clone(),
                started: partial("partnership.started", p.started.as_deref())?,
                venue: p.venue.clone(),
                parent: p.parent.clone(),
                description: p.description.clone(),
                source,
            }))
        }
        _ => Err(ApiError::field("project", "give exactly one of project, pledge, partnership or analysis")),
    }
}

/// The analysis a write sends, its links checked; the store checks the rest
/// (`decarb_store::analyses::check_analysis`), naming the field.
fn new_analysis(a: &NewAnalysis) -> Result<Analysis, ApiError> {
    let slug = slugify(a.slug.as_deref().unwrap_or(&a.title));
    if slug.is_empty() {
        return Err(ApiError::field(
            "analysis.slug",
            "analysis.slug: a slug or title with at least one letter or digit is required",
        ));
    }
    let mut links = Vec::new();
    for (kind, targets) in [
        (LinkKind::Country, &a.countries),
        (LinkKind::Sector, &a.sectors),
        (LinkKind::Project, &a.projects),
        (LinkKind::Partnership, &a.partnerships),
    ] {
        links.extend(links_of_kind(kind, targets)?);
    }
    links.sort();
    let clean = |items: &[String]| -> Vec<String> {
        items.iter().map(|i| i.trim().to_owned()).filter(|i| !i.is_empty()).collect()
    };
    Ok(Analysis {
        slug,
        title: a.title.trim().to_owned(),
        published: a.published.trim().to_owned(),
        authors: clean(&a.authors),
        tags: clean(&a.tags),
        body_markdown: a.body_markdown.clone(),
        links,
    })
}

macro_rules! create_route {
    ($fn:ident, $path:literal, $field:literal, $what:literal) => {
        #[doc = concat!("Creates a ", $what, " (editor or admin; a contributor's is a proposal). The body holds it under `", $field, "`.")]
        #[utoipa::path(post, path = $path, tag = "tracker",
            request_body(content = NewRecordBody, content_type = "application/json"),
            security(("bearer" = [])),
            responses(
                (status = 201, description = "Created", body = schemas::Applied, headers(("ETag" = String, description = "The version"))),
                (status = 202, description = "Filed as a proposal for review (contributor)", body = schemas::Proposal),
                (status = 400, description = "The body is not readable", body = Problem, content_type = "application/problem+json"),
                (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
                (status = 403, description = "The token's role may not write", body = Problem, content_type = "application/problem+json"),
                (status = 404, description = "A record it refers to (a pledge's member) does not exist", body = Problem, content_type = "application/problem+json"),
                (status = 409, description = "A record with this key exists", body = Problem, content_type = "application/problem+json"),
                (status = 415, description = "Not application/json", body = Problem, content_type = "application/problem+json"),
                (status = 422, description = "A field is not valid (named in `errors`)", body = Problem, content_type = "application/problem+json"),
            ))]
        pub async fn $fn(State(state): State<AppState>, caller: Caller, bytes: Bytes) -> Result<Response, ApiError> {
            create(&state, &caller, &bytes, $field).await
        }
    };
}

create_route!(create_project, "/projects", "project", "project");
create_route!(create_pledge, "/pledges", "pledge", "pledge");
create_route!(create_partnership, "/partnerships", "partnership", "partnership");
create_route!(create_analysis, "/analyses", "analysis", "analysis");

async fn create(state: &AppState, caller: &Caller, bytes: &Bytes, field: &str) -> Result<Response, ApiError> {
    caller.require(Role::Contributor, "writing to the tracker")?;
    let body: NewRecordBody = body(bytes)?;
    let present = [
        ("project", body.project.is_some()),
        ("pledge", body.pledge.is_some()),
        ("partnership", body.partnership.is_some()),
        ("analysis", body.analysis.is_some()),
    ];
    if present.iter().any(|(name, there)| *there != (*name == field)) {
        return Err(ApiError::field(
            field,
            format!("{field}: this route takes the new record under `{field}` (and no other)"),
        ));
    }
    let record = new_record(&body)?;
    let meta = WriteMeta {
        by: caller.actor(),
        note: body.note,
        source_url: body.source_url,
        valid_from: body.valid_from,
    };
    write(state, caller, &Edit::Create { record: Box::new(record) }, &meta, None, true).await
}

/// Filter of the review queue.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewParams {
    /// pending (default), approved or rejected.
    #[param(example = "pending")]
    pub status: Option<String>,
}

/// The review queue: contributors' proposals, newest first (any valid token).
#[utoipa::path(get, path = "/review", tag = "tracker", params(ReviewParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Proposals", body = Vec<schemas::Proposal>),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a proposal status", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn review(
    State(state): State<AppState>,
    caller: Caller,
    super::ApiQuery(params): super::ApiQuery<ReviewParams>,
) -> Result<Json<Vec<serde_json::Value>>, ApiError> {
    caller.require(Role::Reader, "reading the review queue")?;
    let status = params.status.as_deref().unwrap_or("pending");
    let rows = state.store.proposals(Some(status)).await?;
    Ok(Json(rows.into_iter().filter_map(|p| serde_json::to_value(p).ok()).collect()))
}

/// A proposal's id and what to do with it.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct Decision {
    #[param(example = 1)]
    pub id: i64,
    /// approve or reject.
    #[param(example = "approve")]
    pub decision: String,
}

/// A reviewer's note on a decision.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"note": "checked against the press release"}))]
pub struct DecisionNote {
    pub note: Option<String>,
}

/// Approves (applies, logged with proposer and approver) or rejects a proposal (editor or admin).
#[utoipa::path(post, path = "/review/{id}/{decision}", tag = "tracker", params(Decision),
    request_body(content = DecisionNote, content_type = "application/json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The decided proposal", body = schemas::Proposal),
        (status = 400, description = "Not approve or reject, or an unreadable body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only editors and admins decide", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such proposal, or its record no longer exists", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The record it creates exists", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The record changed since the proposal was made", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not pending, or a field is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Path(Decision { id, decision }): Path<Decision>,
    bytes: Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    caller.require(Role::Editor, "deciding on a proposal")?;
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        other => return Err(ApiError::invalid("decision", other, "approve or reject")),
    };
    let note: DecisionNote = if bytes.is_empty() { DecisionNote::default() } else { body(&bytes)? };
    let decided = state.store.decide(id, approve, &caller.actor(), note.note.as_deref()).await?;
    serde_json::to_value(decided).map(Json).map_err(|e| ApiError::internal(e.to_string()))
}
