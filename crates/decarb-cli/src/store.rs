//! The tracker store as the command line names it (`--db PATH|URL`).

use crate::commands::UserError;
use anyhow::Result;

/// A `--db` that names a file must name an existing store: a mistyped path is not made into a
/// new, empty one (URLs are checked when opened).
pub fn existing_store(target: &str) -> Result<()> {
    let is_url = target.starts_with("sqlite:") || target.contains("://");
    if is_url || std::path::Path::new(target).exists() {
        return Ok(());
    }
    Err(UserError(format!(
        "--db {target}: no such store (a mistyped path is not made into a new, empty one); create it with `decarb db init --db {target}`"
    ))
    .into())
}
