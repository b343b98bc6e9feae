//! The JSON API under `/api/v1`: handlers, their OpenAPI annotations, and the extractors that
//! turn every bad request into a problem document.

pub mod alignment;
pub mod cbam;
pub mod facts;
pub mod plants;
pub mod registry;
pub mod scenarios;
pub mod schemas;
pub mod search;
pub mod writes;

use crate::AppState;
use crate::problem::{ApiError, Problem};
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Query parameters, with a problem document (400) instead of axum's plain-text rejection.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::try_from_uri(&parts.uri)
            .map(|Query(value)| ApiQuery(value))
            .map_err(|err| ApiError::bad_request(format!("query string: {}", err.body_text())))
    }
}

/// The OpenAPI document's fixed parts; paths are added from the handlers by [`router`].
#[derive(OpenApi)]
#[openapi(
    info(
        title = "decarb API",
        description = "Plants, projects, members, pledges, partnerships and analyses of the heavy-industry tracker; pathway \
                       scenario runs; carbon border adjustment (CBAM) quotes. Reads are public; writes need a \
                       bearer token (`decarb token create`). Errors are RFC 9457 problem details.",
        license(name = "Apache-2.0 OR MIT")
    ),
    components(schemas(Problem)),
    modifiers(&BearerAuth),
    tags(
        (name = "tracker", description = "Plants (and their corrections), fleet aggregates, projects, members, pledges, partnerships, analyses"),
        (name = "facts", description = "Bundled production statistics and technologies, with sources"),
        (name = "scenarios", description = "Pathway runs of the engine"),
        (name = "cbam", description = "Carbon border adjustment quotes and schedules"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// Every API route with its OpenAPI operation. Paths are relative to `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(search::search))
        .routes(routes!(plants::list_plants))
        .routes(routes!(plants::get_plant, writes::patch_plant))
        .routes(routes!(plants::fleet))
        .routes(routes!(registry::list_projects, writes::create_project))
        .routes(routes!(registry::get_project, writes::patch_project))
        .routes(routes!(registry::list_members, registry::add_member))
        .routes(routes!(writes::get_member, writes::patch_member))
        .routes(routes!(registry::list_pledges, writes::create_pledge))
        .routes(routes!(writes::get_pledge, writes::patch_pledge))
        .routes(routes!(writes::retire))
        .routes(routes!(writes::review))
        .routes(routes!(writes::decide))
        .routes(routes!(alignment::alignment))
        .routes(routes!(registry::list_partnerships, writes::create_partnership))
        .routes(routes!(writes::get_partnership, writes::patch_partnership))
        .routes(routes!(writes::list_analyses, writes::create_analysis))
        .routes(routes!(writes::get_analysis, writes::patch_analysis))
        .routes(routes!(facts::production))
        .routes(routes!(facts::technologies))
        .routes(routes!(scenarios::examples))
        .routes(routes!(scenarios::run_example))
        .routes(routes!(scenarios::post_scenario))
        .routes(routes!(scenarios::get_result))
        .routes(routes!(scenarios::get_bands))
        .routes(routes!(cbam::quote))
        .routes(routes!(cbam::schedule))
}

/// Parses an optional filter value with the model's parser, naming the parameter on failure.
pub fn parse_opt<T: std::str::FromStr>(
    what: &str,
    value: Option<&str>,
    expected: &str,
) -> Result<Option<T>, ApiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| ApiError::invalid(what, text, expected)),
    }
}

/// A country given as ISO3, ISO2 or a name the model knows.
pub fn parse_country(value: Option<&str>) -> Result<Option<decarb_model::CountryCode>, ApiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => decarb_model::CountryCode::resolve(text).map(Some).ok_or_else(|| {
            ApiError::invalid("country", text, "an ISO 3166-1 code (DEU, DE) or a country name")
        }),
    }
}

/// An "as of" day, checked.
pub fn parse_as_of(value: Option<&str>) -> Result<Option<String>, ApiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => decarb_store::parse_day(text).map(Some).map_err(ApiError::from),
    }
}
