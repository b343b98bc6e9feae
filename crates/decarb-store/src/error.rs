//! What can go wrong in the store, split into the user's to fix (bad input, a constraint, a
//! record that does not exist) and the rest (the database itself failing).

use std::fmt;

/// A store error. [`StoreError::is_user_error`] tells the CLI which exit code to use.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// An input file or value decarb cannot use (bad cell, missing column).
    #[error(transparent)]
    Input(#[from] decarb_data::Error),
    /// A value on the command line or in a record is not what the store accepts.
    #[error("{what}: found {found:?}, expected {expected}")]
    Invalid { what: String, found: String, expected: String },
    /// The database refused a write because it breaks a rule of the schema (foreign key,
    /// non-negative capacity, valid stage, unique key). The message names the field when the
    /// database says which; the database's own wording stays in `detail` (for logs), never in the
    /// message a user sees.
    #[error("{at}: {}", constraint_message(*rule, detail))]
    Constraint { at: String, rule: ConstraintRule, detail: String },
    /// One field of a write is not valid: the field's name (as the API and the CLI spell it),
    /// the value found and what was expected.
    #[error("{field}: found {found:?}, expected {expected}")]
    Field { field: String, found: String, expected: String },
    /// A write made against a version of the record that is no longer current (HTTP 412).
    #[error(
        "{what} is at version {current}, not {expected}: it was changed since it was read; read it again"
    )]
    Stale { what: String, expected: i64, current: i64 },
    /// A record with this key is already in the store (HTTP 409).
    #[error("{0}")]
    Duplicate(String),
    /// No record of that kind with that key.
    #[error("no {kind} with id {key:?}")]
    NotFound { kind: &'static str, key: String },
    /// Another writer changed the record first; the operation is retried, and this only surfaces
    /// after many failed attempts.
    #[error("{0} was changed by another writer at the same time; try again")]
    Conflict(String),
    /// The database failed (connection lost, disk full...).
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Which kind of schema rule a rejected write broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstraintRule {
    ForeignKey,
    Check,
    Unique,
    NotNull,
    Other,
}

impl fmt::Display for ConstraintRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConstraintRule::ForeignKey => "reference to a record that does not exist",
            ConstraintRule::Check => "value out of the allowed range or vocabulary",
            ConstraintRule::Unique => "duplicate key",
            ConstraintRule::NotNull => "required value missing",
            ConstraintRule::Other => "constraint",
        })
    }
}

/// What a user is told about a refused write: the rule in plain words, with the field when the
/// database names it (SQLite: `UNIQUE constraint failed: member.name`).
fn constraint_message(rule: ConstraintRule, detail: &str) -> String {
    let field = detail
        .split_once("failed: ")
        .map(|(_, rest)| rest.split([',', ' ']).next().unwrap_or(rest))
        .map(|column| column.rsplit('.').next().unwrap_or(column).to_owned())
        .filter(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    match (rule, field) {
        (ConstraintRule::Unique, Some(field)) => {
            format!("a record with this {field} is already in the store")
        }
        (ConstraintRule::Unique, None) => "a record with this key is already in the store".to_owned(),
        (ConstraintRule::NotNull, Some(field)) => format!("{field} is required"),
        (ConstraintRule::Check, Some(field)) => format!("{field} is out of the allowed range or vocabulary"),
        (rule, _) => format!("refused: {rule}"),
    }
}

impl StoreError {
    pub fn field(field: impl Into<String>, found: impl Into<String>, expected: impl Into<String>) -> Self {
        StoreError::Field { field: field.into(), found: found.into(), expected: expected.into() }
    }

    pub fn invalid(what: impl Into<String>, found: impl Into<String>, expected: impl Into<String>) -> Self {
        StoreError::Invalid { what: what.into(), found: found.into(), expected: expected.into() }
    }

    /// True for errors the user can fix by changing the input or the command.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            StoreError::Input(_)
                | StoreError::Invalid { .. }
                | StoreError::Constraint { .. }
                | StoreError::NotFound { .. }
                | StoreError::Field { .. }
                | StoreError::Stale { .. }
                | StoreError::Duplicate(_)
        )
    }

    /// True when the whole transaction should simply be run again: a concurrent writer won.
    pub(crate) fn is_retryable(&self) -> bool {
        match self {
            StoreError::Conflict(_) => true,
            StoreError::Database(err) => is_retryable_db_error(err),
            _ => false,
        }
    }

    /// Wraps a database error with the place it happened; constraint violations become
    /// [`StoreError::Constraint`] naming that place.
    pub(crate) fn at(err: sqlx::Error, at: impl FnOnce() -> String) -> Self {
        if let sqlx::Error::Database(db) = &err {
            let rule = match db.kind() {
                sqlx::error::ErrorKind::ForeignKeyViolation => Some(ConstraintRule::ForeignKey),
                sqlx::error::ErrorKind::CheckViolation => Some(ConstraintRule::Check),
                sqlx::error::ErrorKind::UniqueViolation => Some(ConstraintRule::Unique),
                sqlx::error::ErrorKind::NotNullViolation => Some(ConstraintRule::NotNull),
                _ => None,
            };
            if let Some(rule) = rule {
                let mut detail = db.message().to_owned();
                if let Some(constraint) = db.constraint() {
                    detail = format!("{detail} (constraint {constraint})");
                }
                return StoreError::Constraint { at: at(), rule, detail };
            }
        }
        StoreError::Database(err)
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        StoreError::at(err, || "write".to_owned())
    }
}

/// SQLite's "database is locked/busy" and PostgreSQL's serialization failure and deadlock: the
/// transaction lost a race and can be retried as a whole.
fn is_retryable_db_error(err: &sqlx::Error) -> bool {
    let sqlx::Error::Database(db) = err else {
        return false;
    };
    let Some(code) = db.code() else {
        return false;
    };
    // SQLite: 5 SQLITE_BUSY, 6 SQLITE_LOCKED, 517 SQLITE_BUSY_SNAPSHOT, 261 SQLITE_BUSY_RECOVERY.
    // PostgreSQL: 40001 serialization_failure, 40P01 deadlock_detected.
    matches!(code.as_ref(), "5" | "6" | "517" | "261" | "40001" | "40P01")
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[cfg(test)]
mod constraint_tests {
    use super::*;

    #[test]
    fn refused_writes_name_the_field_without_the_databases_wording() {
        let err = StoreError::Constraint {
            at: "member \"SSAB\"".to_owned(),
            rule: ConstraintRule::Unique,
            detail: "UNIQUE constraint failed: member.name".to_owned(),
        };
        assert_eq!(err.to_string(), "member \"SSAB\": a record with this name is already in the store");
        let postgres = StoreError::Constraint {
            at: "member \"SSAB\"".to_owned(),
            rule: ConstraintRule::Unique,
            detail: "duplicate key value violates unique constraint \"member_name_key\"".to_owned(),
        };
        assert!(!postgres.to_string().contains("violates"), "{postgres}");
        assert!(!err.to_string().contains("UNIQUE"), "{err}");
    }
}
