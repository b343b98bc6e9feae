//! Errors that point at the place in the input that is wrong.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in an input a problem was found: the file, and as far as known the sheet, the row
/// (1-based, as a spreadsheet or text editor shows it, header included) and the column name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    pub file: PathBuf,
    pub sheet: Option<String>,
    pub row: Option<usize>,
    pub column: Option<String>,
}

impl Location {
    pub fn file(file: &Path) -> Self {
        Self { file: file.to_path_buf(), ..Self::default() }
    }
    #[must_use]
    pub fn sheet(mut self, sheet: &str) -> Self {
        self.sheet = Some(sheet.to_owned());
        self
    }
    #[must_use]
    pub fn row(mut self, row: usize) -> Self {
        self.row = Some(row);
        self
    }
    #[must_use]
    pub fn column(mut self, column: &str) -> Self {
        self.column = Some(column.to_owned());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(sheet) = &self.sheet {
            write!(f, ", sheet {sheet:?}")?;
        }
        if let Some(row) = self.row {
            write!(f, ", row {row}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column {column:?}")?;
        }
        Ok(())
    }
}

/// An input decarb cannot use. Locations are boxed so that `Result<T, Error>` stays small on the
/// happy path.
///
/// Every variant is the user's to fix, so the CLI exits with code 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A cell holds a value of the wrong kind.
    #[error("{at}: found {found:?}, expected {expected}")]
    Value { at: Box<Location>, found: String, expected: String },
    /// The input's shape is wrong (missing sheet or column, unknown format).
    #[error("{at}: {message}")]
    Format { at: Box<Location>, message: String },
    /// The file could not be read at all.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub fn value(at: Location, found: &str, expected: impl Into<String>) -> Self {
        Error::Value { at: Box::new(at), found: found.to_owned(), expected: expected.into() }
    }
    pub fn format(at: Location, message: impl Into<String>) -> Self {
        Error::Format { at: Box::new(at), message: message.into() }
    }
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io { path: path.to_path_buf(), source }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
