//! API tokens for writes through the HTTP server. The store keeps only what it is given: a name,
//! the SHA-256 hash of the token (hex) and a short prefix for listings. Making and hashing tokens
//! is the server's job (`decarb_server::tokens`), so the plain token never reaches the database.

use crate::Store;
use crate::db::now_utc;
use crate::error::{Result, StoreError};
use serde::Serialize;
use sqlx::Row;

/// A stored token as `decarb token list` shows it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenRow {
    pub name: String,
    pub prefix: String,
    pub created_at: String,
    pub created_by: String,
    pub revoked_at: Option<String>,
    pub role: String,
    /// When the token stops working (UTC); `None`: never.
    pub expires_at: Option<String>,
    /// The last request made with it (to the second).
    pub last_used_at: Option<String>,
    pub revoked_by: Option<String>,
}

/// What a token may do. Each role may do what the ones before it may:
/// - `reader`: read (as anyone may) and see the review queue;
/// - `contributor`: propose changes, which wait in the review queue;
/// - `editor`: write directly, approve and reject proposals;
/// - `admin`: everything an editor may (and, from the CLI on the server's machine, tokens).
///
/// Tokens made before roles existed (migration 0005) are `editor`: they could write before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Reader,
    Contributor,
    Editor,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Contributor => "contributor",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "reader" => Ok(Role::Reader),
            "contributor" => Ok(Role::Contributor),
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            _ => Err(StoreError::field("role", s, "reader, contributor, editor or admin")),
        }
    }
}

/// What the store says of a token presented with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenCheck {
    Valid { name: String, role: Role },
    Unknown,
    Revoked { name: String, at: String },
    Expired { name: String, at: String },
}

/// An expiry typed by a person: a day (`2027-03-31`, the token works until that day begins,
/// UTC) or a number of days from now (`90d`). Returns the instant as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn parse_expiry(text: &str) -> Result<String> {
    let expected = "a date (2027-03-31) or a number of days from now (90d)";
    let text = text.trim();
    if let Some(days) = text.strip_suffix('d') {
        let days: u64 = days.parse().map_err(|_| StoreError::field("expires", text, expected))?;
        if days == 0 || days > 3650 {
            return Err(StoreError::field("expires", text, "between 1 and 3650 days"));
        }
        return Ok(crate::db::now_plus_days(days));
    }
    let day = crate::db::parse_day(text).map_err(|_| StoreError::field("expires", text, expected))?;
    Ok(format!("{day}T00:00:00Z"))
}

impl Store {
    /// Stores a new token under a unique name, as an `editor` that never expires (what tokens
    /// were before roles); see [`Store::add_token_with`].
    pub async fn add_token(&self, name: &str, token_hash: &str, prefix: &str) -> Result<()> {
        self.add_token_with(name, token_hash, prefix, Role::Editor, None).await
    }

    /// Stores a new token with a role and an optional expiry (see [`parse_expiry`]).
    pub async fn add_token_with(
        &self,
        name: &str,
        token_hash: &str,
        prefix: &str,
        role: Role,
        expires_at: Option<&str>,
    ) -> Result<()> {
        if name.trim().is_empty() {
            return Err(StoreError::invalid("token name", name, "a non-empty name"));
        }
        if token_hash.len() != 64 || !token_hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(StoreError::invalid("token hash", token_hash, "64 hexadecimal digits (SHA-256)"));
        }
        let taken = sqlx::query("SELECT 1 FROM api_token WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::Database)?;
        if taken.is_some() {
            return Err(StoreError::invalid(
                "token name",
                name,
                "a name no other token has (see `decarb token list`)",
            ));
        }
        sqlx::query(
            "INSERT INTO api_token (name, token_hash, prefix, created_at, created_by, role, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(name)
        .bind(token_hash)
        .bind(prefix)
        .bind(now_utc())
        .bind(self.actor.as_str())
        .bind(role.as_str())
        .bind(expires_at)
        .execute(&self.pool)
        .await
        .map_err(StoreError::Database)?;
        Ok(())
    }

    /// Every token, revoked ones included, by name.
    pub async fn tokens(&self) -> Result<Vec<TokenRow>> {
        let rows = sqlx::query(
            "SELECT name, prefix, created_at, created_by, revoked_at, role, expires_at, last_used_at, revoked_by \
             FROM api_token ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::Database)?;
        rows.iter()
            .map(|row| {
                Ok(TokenRow {
                    name: row.try_get(0)?,
                    prefix: row.try_get(1)?,
                    created_at: row.try_get(2)?,
                    created_by: row.try_get(3)?,
                    revoked_at: row.try_get(4)?,
                    role: row.try_get(5)?,
                    expires_at: row.try_get(6)?,
                    last_used_at: row.try_get(7)?,
                    revoked_by: row.try_get(8)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::Database)
    }

    /// Revokes a token by name, recording the store's actor as the revoker; revoking twice is an
    /// error naming the first revocation.
    pub async fn revoke_token(&self, name: &str) -> Result<()> {
        let by = self.actor.clone();
        self.revoke_token_by(name, &by).await
    }

    /// Revokes a token by name, recording who revoked it.
    pub async fn revoke_token_by(&self, name: &str, by: &str) -> Result<()> {
        let found = sqlx::query("SELECT revoked_at FROM api_token WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::Database)?
            .ok_or_else(|| StoreError::NotFound { kind: "token", key: name.to_owned() })?;
        let revoked: Option<String> = found.try_get(0).map_err(StoreError::Database)?;
        if let Some(at) = revoked {
            return Err(StoreError::invalid(
                "token",
                name,
                format!("a token not yet revoked (revoked at {at})"),
            ));
        }
        sqlx::query("UPDATE api_token SET revoked_at = $1, revoked_by = $2 WHERE name = $3")
            .bind(now_utc())
            .bind(by)
            .bind(name)
            .execute(&self.pool)
            .await
            .map_err(StoreError::Database)?;
        Ok(())
    }

    /// The name of the live (not revoked) token with this hash, if any.
    pub async fn token_by_hash(&self, token_hash: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT name FROM api_token WHERE token_hash = $1 AND revoked_at IS NULL")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::Database)?;
        row.map(|row| row.try_get(0)).transpose().map_err(StoreError::Database)
    }

    /// Checks a token's hash: valid (with its name and role, and its last use recorded),
    /// unknown, revoked or expired.
    pub async fn check_token(&self, token_hash: &str) -> Result<TokenCheck> {
        let row = sqlx::query(
            "SELECT id, name, role, expires_at, revoked_at, last_used_at FROM api_token WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::Database)?;
        let Some(row) = row else { return Ok(TokenCheck::Unknown) };
        let get = |i: usize| row.try_get::<Option<String>, _>(i).map_err(StoreError::Database);
        let id: i64 = row.try_get(0).map_err(StoreError::Database)?;
        let name: String = row.try_get(1).map_err(StoreError::Database)?;
        let role: Role = row.try_get::<String, _>(2).map_err(StoreError::Database)?.parse()?;
        let now = now_utc();
        if let Some(at) = get(4)? {
            return Ok(TokenCheck::Revoked { name, at });
        }
        if let Some(at) = get(3)?
            && now >= at
        {
            return Ok(TokenCheck::Expired { name, at });
        }
        // At most one write a second per token, so a busy client does not turn reads into writes.
        if get(5)?.as_deref() != Some(now.as_str()) {
            sqlx::query("UPDATE api_token SET last_used_at = $1 WHERE id = $2")
                .bind(now.as_str())
                .bind(id)
                .execute(&self.pool)
                .await
                .map_err(StoreError::Database)?;
        }
        Ok(TokenCheck::Valid { name, role })
    }
}
