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
}

impl Store {
    /// Stores a new token under a unique name.
    pub async fn add_token(&self, name: &str, token_hash: &str, prefix: &str) -> Result<()> {
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
        sqlx::query("INSERT INTO api_token (name, token_hash, prefix, created_at, created_by) VALUES ($1, $2, $3, $4, $5)")
            .bind(name)
            .bind(token_hash)
            .bind(prefix)
            .bind(now_utc())
            .bind(self.actor.as_str())
            .execute(&self.pool)
            .await
            .map_err(StoreError::Database)?;
        Ok(())
    }

    /// Every token, revoked ones included, by name.
    pub async fn tokens(&self) -> Result<Vec<TokenRow>> {
        let rows = sqlx::query(
            "SELECT name, prefix, created_at, created_by, revoked_at FROM api_token ORDER BY name",
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
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::Database)
    }

    /// Revokes a token by name; revoking twice is an error naming the first revocation.
    pub async fn revoke_token(&self, name: &str) -> Result<()> {
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
        sqlx::query("UPDATE api_token SET revoked_at = $1 WHERE name = $2")
            .bind(now_utc())
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
}
