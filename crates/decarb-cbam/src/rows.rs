//! What the user's CSV files (imports, installations) share: the header check (known columns,
//! none twice, the required ones present; case-insensitive, a byte-order mark accepted) that
//! turns the header into the field names of a serde row type, and the collector of a row's bad
//! cells, so that a row with several mistakes reports them all, each with its line and column.

use crate::error::{Error, LineError, Result};
use crate::num::parse_decimal;
use rust_decimal::Decimal;
use std::io::Read;

/// A CSV reader of a user's file and its header as serde field names (lower case).
pub(crate) fn open<R: Read>(
    reader: R,
    file: &str,
    columns: &[&str],
    required: &[&str],
) -> Result<(csv::Reader<R>, csv::StringRecord)> {
    let mut csv = csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::All).from_reader(reader);
    let fail = |column: &str, message: String| Error::Lines {
        file: file.to_owned(),
        errors: vec![LineError { line: 1, row: 0, column: column.into(), message }],
    };
    let headers = csv.headers().map_err(|e| fail("(header)", e.to_string()))?.clone();
    let mut keys = csv::StringRecord::new();
    for name in &headers {
        let key = name.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
        if !columns.contains(&key.as_str()) {
            return Err(fail(
                name,
                format!("unknown column {name:?}; expected some of {}", columns.join(", ")),
            ));
        }
        if keys.iter().any(|k| k == key) {
            return Err(fail(name, format!("column {name:?} appears twice")));
        }
        keys.push_field(&key);
    }
    for wanted in required {
        if !keys.iter().any(|k| k == *wanted) {
            return Err(fail(wanted, format!("the required column {wanted:?} is missing")));
        }
    }
    Ok((csv, keys))
}

/// Every data row as `T` with its line in the file and its row number (from 1 after the header);
/// a malformed record is an error of its line, column "(record)".
pub(crate) fn records<T: serde::de::DeserializeOwned, R: Read>(
    csv: &mut csv::Reader<R>,
    keys: &csv::StringRecord,
) -> impl Iterator<Item = Result<(u64, u64, T), LineError>> {
    csv.records().enumerate().map(move |(n, record)| {
        let row = u64::try_from(n).unwrap_or(u64::MAX).saturating_add(1);
        let parsed = record.and_then(|record| {
            let line = record.position().map_or(row + 1, csv::Position::line);
            Ok((line, row, record.deserialize::<T>(Some(keys))?))
        });
        parsed.map_err(|err| LineError {
            line: err.position().map_or(row + 1, csv::Position::line),
            row,
            column: "(record)".into(),
            message: err.to_string(),
        })
    })
}

/// The bad cells of one row.
pub(crate) struct Cells {
    pub(crate) line: u64,
    pub(crate) row: u64,
    pub(crate) errors: Vec<LineError>,
}

impl Cells {
    pub(crate) fn new(line: u64, row: u64) -> Cells {
        Cells { line, row, errors: Vec::new() }
    }

    /// The value, or None with the error recorded against `column`.
    pub(crate) fn check<T>(&mut self, column: &str, result: Result<T>) -> Option<T> {
        result
            .map_err(|e| {
                self.errors.push(LineError {
                    line: self.line,
                    row: self.row,
                    column: column.into(),
                    message: e.to_string(),
                });
            })
            .ok()
    }

    /// Records a message against `column`.
    pub(crate) fn fail(&mut self, column: &str, message: String) {
        self.errors.push(LineError { line: self.line, row: self.row, column: column.into(), message });
    }

    /// An optional decimal cell.
    pub(crate) fn number(&mut self, column: &str, text: Option<&String>) -> Option<Decimal> {
        let text = text?;
        self.check(column, parse_decimal(text, column))
    }
}
