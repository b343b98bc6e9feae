//! Errors as RFC 9457 problem details (`application/problem+json`): every failure of the API,
//! including those of the extractors and middleware (bad query, oversized body, timeout), is
//! answered in this one shape.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of a problem document.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem detail (RFC 9457).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem; `about:blank` when the status says it all.
    #[serde(rename = "type")]
    #[schema(example = "about:blank")]
    pub kind: String,
    /// The status code's reason phrase.
    #[schema(example = "Bad Request")]
    pub title: String,
    #[schema(example = 400)]
    pub status: u16,
    /// What was wrong, for a person: the parameter or key, the value found and what was expected.
    #[schema(example = "sector: found \"coal\", expected steel, cement, aluminium or ammonia")]
    pub detail: String,
    /// For a write refused as invalid (422): each field that is wrong, with what was expected.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(nullable = false)]
    pub errors: Vec<FieldError>,
}

/// One invalid field of a write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// The field as the request named it (`note`, `changes.target_year`, `source_url`).
    #[schema(example = "note")]
    pub field: String,
    #[schema(example = "note: found \"\", expected a note saying why the change is made")]
    pub detail: String,
}

/// An API failure: a status and a human-readable detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub detail: String,
    /// Seconds after which the request may succeed (a `Retry-After` header on 503 and 429).
    pub retry_after: Option<u64>,
    /// The fields at fault, for a 422.
    pub errors: Vec<FieldError>,
}

impl ApiError {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        ApiError { status, detail: detail.into(), retry_after: None, errors: Vec::new() }
    }
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, detail)
    }
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, detail)
    }
    pub fn unprocessable(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, detail)
    }
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, detail)
    }
    /// A write that is not valid: 422 naming the field.
    pub fn field(field: &str, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        ApiError {
            errors: vec![FieldError { field: field.to_owned(), detail: detail.clone() }],
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, detail)
        }
    }
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, detail)
    }
    pub fn internal(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, detail)
    }
    /// The server is busy with as much heavy work as it allows: try again after `seconds`.
    pub fn busy(detail: impl Into<String>, seconds: u64) -> Self {
        ApiError { retry_after: Some(seconds), ..Self::new(StatusCode::SERVICE_UNAVAILABLE, detail) }
    }
    /// A parameter that is not one of the accepted values.
    pub fn invalid(what: &str, found: &str, expected: &str) -> Self {
        Self::bad_request(format!("{what}: found {found:?}, expected {expected}"))
    }

    pub fn problem(&self) -> Problem {
        Problem {
            kind: "about:blank".to_owned(),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            errors: self.errors.clone(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status, self.detail)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!(status = self.status.as_u16(), detail = %self.detail, "request failed");
        }
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut response = (self.status, body).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<decarb_store::StoreError> for ApiError {
    fn from(err: decarb_store::StoreError) -> Self {
        match &err {
            decarb_store::StoreError::NotFound { .. } => ApiError::not_found(err.to_string()),
            decarb_store::StoreError::Field { field, .. } => ApiError::field(field, err.to_string()),
            decarb_store::StoreError::Stale { .. } => {
                ApiError::new(StatusCode::PRECONDITION_FAILED, err.to_string())
            }
            decarb_store::StoreError::Duplicate(_) => ApiError::new(StatusCode::CONFLICT, err.to_string()),
            _ if err.is_user_error() => ApiError::bad_request(err.to_string()),
            _ => ApiError::internal(err.to_string()),
        }
    }
}

impl From<decarb_cbam::Error> for ApiError {
    fn from(err: decarb_cbam::Error) -> Self {
        if err.is_user_error() {
            ApiError::bad_request(err.to_string())
        } else {
            ApiError::internal(err.to_string())
        }
    }
}
