//! The bounds the store checks before it writes, in one place, each with the reason for its
//! value (`docs/limits.md`). A value beyond one is [`StoreError::Invalid`] naming the record, the
//! field and the bound; nothing is written.

use crate::error::{Result, StoreError};

/// The longest name (member, partnership, project, pledge metric): the longest in the bundled
/// and imported tables is under 150 characters ("... Green Hydrogen and Steel ..." projects of
/// the IEA database); 200 KB names were accepted before.
pub const MAX_NAME_CHARS: usize = 300;

/// The longest free text (notes, a source's citation or address): a paragraph; whole documents
/// belong in analyses (`decarb analyses add`), not in a field.
pub const MAX_TEXT_CHARS: usize = 4000;

/// The largest project capacity, in the project's own unit (`Mt steel/yr`, `MW`, `t H2/yr`): a
/// billion of any of them is beyond any single project, and `1e308` printed as `inf`.
pub const MAX_PROJECT_CAPACITY: f64 = 1e9;

/// Refuses `value` longer than `max` characters, naming `what` (the record) and `field`.
pub fn check_text(what: &str, field: &str, value: &str, max: usize) -> Result<()> {
    let chars = value.chars().count();
    if chars <= max {
        return Ok(());
    }
    Err(StoreError::invalid(
        format!("{what}: {field}"),
        format!("{}... ({chars} characters)", value.chars().take(40).collect::<String>()),
        format!("at most {max} characters"),
    ))
}

/// Refuses a capacity that is not finite or above [`MAX_PROJECT_CAPACITY`] (a negative one is
/// refused by the database's own CHECK, on both backends).
pub fn check_capacity(what: &str, value: f64) -> Result<()> {
    if value.is_finite() && value <= MAX_PROJECT_CAPACITY {
        return Ok(());
    }
    Err(StoreError::invalid(
        format!("{what}: capacity"),
        value.to_string(),
        format!("a finite number of at most {MAX_PROJECT_CAPACITY:e} in the project's unit"),
    ))
}

/// The longest analysis body, in characters of Markdown: a long report chapter (about 30,000
/// words); the group's analyses are a few thousand words each, and a whole document beyond this
/// belongs in a file the analysis links to.
pub const MAX_ANALYSIS_CHARS: usize = 200_000;
