//! The one error type of the crate. Every variant says what was found and what was expected, so
//! the command line can print it as is.

/// Why a CBAM computation could not be done.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A value given by the user (or read from an imports file) is not acceptable.
    #[error("{what}: found {found:?}, expected {expected}")]
    Invalid { what: String, found: String, expected: String },
    /// The CN code is not one the CBAM covers (Reg. 2023/956 Annex I) or is too general to tell.
    #[error("CN code {code}: {reason}")]
    Scope { code: String, reason: String },
    /// No default value for this good and origin in the bundled tables (missing data is never zero).
    #[error("no default value for CN {code} from {origin}: {reason}")]
    NoDefaultValue { code: String, origin: String, reason: String },
    /// No CBAM benchmark for this good, route or year in the bundled IR 2025/2620 table.
    #[error("no CBAM benchmark for CN {code}: {reason}")]
    NoBenchmark { code: String, reason: String },
    /// A required input has no published value and was not given.
    #[error("{what} is required: {reason}")]
    Missing { what: String, reason: String },
    /// Two inputs that cannot be combined.
    #[error("{0}")]
    Conflict(String),
    /// A year outside the span the rules cover.
    #[error("year {year}: {reason}")]
    Year { year: i32, reason: String },
    /// An intermediate result left the range of the 96-bit decimal type (about 7.9e28).
    #[error("{what} is too large to compute exactly (decimal overflow); check the inputs")]
    Overflow { what: String },
    /// The precursor graph refers back to itself.
    #[error("precursor cycle: {0}")]
    Cycle(String),
    /// A precursor or node id that is not defined.
    #[error("unknown installation or precursor id {0:?}")]
    UnknownNode(String),
    /// Bad rows of an imports file: every one is listed, each with its line and column.
    #[error("{} bad row(s) in {file}:{}", errors.len(), list_lines(errors))]
    Lines { file: String, errors: Vec<LineError> },
    /// A row of a bundled reference table is malformed: a defect of decarb, not of the input.
    #[error("bundled table {file}, line {line}, column {column}: found {found:?}, expected {expected}")]
    Facts { file: &'static str, line: u64, column: String, found: String, expected: String },
}

impl Error {
    /// True for every error the user can fix by changing the inputs; false only for defects of
    /// the bundled tables (exit code 1 rather than 2).
    pub fn is_user_error(&self) -> bool {
        !matches!(self, Error::Facts { .. })
    }

    // By value so call sites can pass `&str`, `String` and `Decimal` alike.
    #[allow(clippy::needless_pass_by_value)]
    pub(crate) fn invalid(
        what: impl Into<String>,
        found: impl ToString,
        expected: impl Into<String>,
    ) -> Self {
        Error::Invalid { what: what.into(), found: found.to_string(), expected: expected.into() }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One bad row of an imports file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line} (row {row}), column {column}: {message}")]
pub struct LineError {
    /// Line of the file (the header is line 1).
    pub line: u64,
    /// Data row, counted from 1 after the header.
    pub row: u64,
    pub column: String,
    pub message: String,
}

fn list_lines(errors: &[LineError]) -> String {
    errors.iter().fold(String::new(), |mut out, e| {
        out.push_str("\n  ");
        out.push_str(&e.to_string());
        out
    })
}
