//! Bearer tokens for writes: made here from the operating system's random source, shown once,
//! and stored only as a SHA-256 hash (`decarb_store::Store::add_token`). A request proves it may
//! write with `Authorization: Bearer <token>`; the [`Writer`] extractor checks it.

use crate::AppState;
use crate::problem::ApiError;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use decarb_store::{Role, Store, StoreError, TokenCheck};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// What every token starts with, so a leaked one is recognisable in logs and scanners.
pub const TOKEN_PREFIX: &str = "decarb_";

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// SHA-256 of a token, hex: what the store keeps.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Makes a new token named `name` (an `editor` that never expires), stores its hash and returns
/// the token itself (shown once).
pub async fn create(store: &Store, name: &str) -> Result<String, StoreError> {
    create_with(store, name, Role::Editor, None).await
}

/// Makes a new token with a role and an optional expiry (`decarb_store::parse_expiry`).
pub async fn create_with(
    store: &Store,
    name: &str,
    role: Role,
    expires_at: Option<&str>,
) -> Result<String, StoreError> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|err| {
        StoreError::Database(sqlx::Error::Io(std::io::Error::other(format!("no random source: {err}"))))
    })?;
    let token = format!("{TOKEN_PREFIX}{}", hex(&secret));
    let prefix = &token[..TOKEN_PREFIX.len() + 6];
    store.add_token_with(name, &hash_token(&token), prefix, role, expires_at).await?;
    Ok(token)
}

/// The name of the token a request holds: `None` without an `Authorization` header, 401 for a
/// header that is not a valid, unrevoked bearer token.
pub async fn holder(headers: &axum::http::HeaderMap, state: &AppState) -> Result<Option<String>, ApiError> {
    if headers.get(AUTHORIZATION).is_none() {
        return Ok(None);
    }
    let mut request = axum::http::Request::new(());
    *request.headers_mut() = headers.clone();
    let (mut parts, ()) = request.into_parts();
    Writer::from_request_parts(&mut parts, state).await.map(|w| Some(w.0))
}

/// The name of the token a request writes with. Extracting it fails with 401 when the request
/// has no bearer token or one the store does not know (or revoked, or expired).
#[derive(Debug, Clone)]
pub struct Writer(pub String);

impl FromRequestParts<AppState> for Writer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Caller::from_request_parts(parts, state).await.map(|caller| Writer(caller.name))
    }
}

/// The holder of a request's bearer token and its role: 401 without a token or with one that
/// is unknown, revoked or expired (the detail says which); [`Caller::require`] answers 403 for
/// a role too low.
#[derive(Debug, Clone)]
pub struct Caller {
    pub name: String,
    pub role: Role,
    /// How the caller came in: `api` (a bearer token) or `web` (a dashboard session).
    pub via: &'static str,
}

impl Caller {
    /// Who the change log names for this caller's writes.
    pub fn actor(&self) -> String {
        format!("{}:{}", self.via, self.name)
    }

    /// 403 unless the caller's role is at least `role`.
    pub fn require(&self, role: Role, what: &str) -> Result<(), ApiError> {
        if self.role >= role {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "{what} needs the role {} or higher; token {:?} is a {}",
                role.as_str(),
                self.name,
                self.role.as_str()
            )))
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(AUTHORIZATION).ok_or_else(|| {
            ApiError::unauthorized("writes need a bearer token (Authorization: Bearer <token>)")
        })?;
        let token = header
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::unauthorized("the Authorization header is not `Bearer <token>`"))?;
        match state.store.check_token(&hash_token(token)).await? {
            TokenCheck::Valid { name, role } => Ok(Caller { name, role, via: "api" }),
            TokenCheck::Unknown => Err(ApiError::unauthorized("the token is not valid or was revoked")),
            TokenCheck::Revoked { name, at } => {
                Err(ApiError::unauthorized(format!("the token {name:?} was revoked at {at}")))
            }
            TokenCheck::Expired { name, at } => {
                Err(ApiError::unauthorized(format!("the token {name:?} expired at {at}")))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_hash_to_sha256_hex() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(hash_token("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
