//! Installation data for complex goods (issue 19 item 5; docs/cbam-declare-format.md,
//! "Installation data"): a CSV of production processes and their precursors, read into
//! [`Process`] records for [`crate::emissions::specific_embedded_emissions`] (IR (EU) 2025/2547
//! Annex III B, Eqs. 59-63).

use crate::cn::CnCode;
use crate::emissions::{Precursor, PrecursorSource, Process};
use crate::error::{Error, LineError, Result};
use crate::num::parse_decimal;
use crate::origin::Origin;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::io::Read;

/// Every column of the installations file.
pub const COLUMNS: &[&str] = &[
    "process_id",
    "kind",
    "cn_code",
    "attributed_direct_tco2",
    "attributed_indirect_tco2",
    "activity_level",
    "precursor_cn_code",
    "produced_in",
    "mass_per_unit",
    "source",
    "source_process",
    "see_direct",
    "see_indirect",
    "verified",
    "waste",
];

const REF: &str = "IR (EU) 2025/2547 Annex III B";

/// Reads an installations CSV: `kind` = `process` rows (one per process id) and `precursor` rows
/// (one per precursor of a process). Every bad cell is reported, with its line and column.
// One pass over the rows, reporting every bad cell together: split, the closures over the row
// would have to be threaded through several functions.
#[allow(clippy::too_many_lines)]
pub fn read_installations(reader: impl Read, file: &str) -> Result<Vec<Process>> {
    let mut csv = csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::All).from_reader(reader);
    let fail = |line: u64, column: &str, message: String| Error::Lines {
        file: file.to_owned(),
        errors: vec![LineError { line, row: line.saturating_sub(1), column: column.into(), message }],
    };
    let headers = csv.headers().map_err(|e| fail(1, "(header)", e.to_string()))?.clone();
    let mut index = BTreeMap::new();
    for (i, name) in headers.iter().enumerate() {
        let key = name.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
        if !COLUMNS.contains(&key.as_str()) {
            return Err(fail(
                1,
                name,
                format!("unknown column {name:?}; expected some of {}", COLUMNS.join(", ")),
            ));
        }
        if index.insert(key, i).is_some() {
            return Err(fail(1, name, format!("column {name:?} appears twice")));
        }
    }
    for required in ["process_id", "kind"] {
        if !index.contains_key(required) {
            return Err(fail(1, required, format!("the required column {required:?} is missing")));
        }
    }
    let mut processes: Vec<Process> = Vec::new();
    let mut precursors: Vec<(u64, String, Precursor)> = Vec::new();
    let mut errors = Vec::new();
    for (n, record) in csv.records().enumerate() {
        let row = u64::try_from(n).unwrap_or(u64::MAX).saturating_add(1);
        let line = row + 1;
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                errors.push(LineError { line, row, column: "(record)".into(), message: err.to_string() });
                continue;
            }
        };
        let cell =
            |c: &str| index.get(c).and_then(|i| record.get(*i)).map(str::trim).filter(|v| !v.is_empty());
        let mut err = |column: &str, message: String| {
            errors.push(LineError { line, row, column: column.into(), message });
        };
        let need = |column: &str, err: &mut dyn FnMut(&str, String)| {
            let value = cell(column);
            if value.is_none() {
                err(column, format!("{column}: required on this row ({REF})"));
            }
            value
        };
        let number = |column: &str, err: &mut dyn FnMut(&str, String)| -> Option<Decimal> {
            let text = need(column, err)?;
            match parse_decimal(text, column) {
                Ok(v) if v < Decimal::ZERO => {
                    err(
                        column,
                        format!("{column}: found {text:?}, expected a value of zero or more ({REF})"),
                    );
                    None
                }
                Ok(v) => Some(v),
                Err(e) => {
                    err(column, e.to_string());
                    None
                }
            }
        };
        let id = cell("process_id").unwrap_or("").to_owned();
        if id.is_empty() {
            err("process_id", format!("process_id: required ({REF})"));
            continue;
        }
        let cn = |column: &str, err: &mut dyn FnMut(&str, String)| {
            let text = cell(column)?;
            CnCode::parse(text).map_err(|e| err(column, e.to_string())).ok()
        };
        match cell("kind").map(str::to_ascii_lowercase).as_deref() {
            Some("process") => {
                let good = need("cn_code", &mut err).and(cn("cn_code", &mut err));
                let direct = number("attributed_direct_tco2", &mut err);
                let indirect = cell("attributed_indirect_tco2")
                    .map_or(Some(Decimal::ZERO), |_| number("attributed_indirect_tco2", &mut err));
                let level = number("activity_level", &mut err);
                if level.is_some_and(|l| l.is_zero()) {
                    err(
                        "activity_level",
                        format!("activity_level: found 0, expected more than 0 ({REF}, Eq. 59)"),
                    );
                }
                if processes.iter().any(|p| p.id == id) {
                    err("process_id", format!("process_id: {id:?} has two process rows"));
                }
                if let (Some(cn), Some(d), Some(i), Some(l)) = (good, direct, indirect, level) {
                    processes.push(Process {
                        id,
                        cn,
                        attributed_direct: d,
                        attributed_indirect: i,
                        activity_level: l,
                        precursors: Vec::new(),
                    });
                }
            }
            Some("precursor") => {
                let good = need("precursor_cn_code", &mut err).and(cn("precursor_cn_code", &mut err));
                let origin = need("produced_in", &mut err)
                    .and_then(|t| Origin::parse(t).map_err(|e| err("produced_in", e.to_string())).ok());
                let mass = number("mass_per_unit", &mut err);
                let verified =
                    matches!(cell("verified").map(str::to_ascii_lowercase).as_deref(), Some("yes" | "true"));
                let waste =
                    matches!(cell("waste").map(str::to_ascii_lowercase).as_deref(), Some("yes" | "true"));
                let source = match cell("source").map(str::to_ascii_lowercase).as_deref() {
                    None | Some("default") => Some(PrecursorSource::Default),
                    Some("process") => need("source_process", &mut err)
                        .map(|p| PrecursorSource::Process { id: p.to_owned(), verified }),
                    Some("stated") => {
                        let d = number("see_direct", &mut err);
                        let i = cell("see_indirect")
                            .map_or(Some(Decimal::ZERO), |_| number("see_indirect", &mut err));
                        d.zip(i).map(|(direct, indirect)| PrecursorSource::Stated {
                            direct,
                            indirect,
                            verified,
                        })
                    }
                    Some(other) => {
                        err(
                            "source",
                            format!("source: found {other:?}, expected default, process or stated"),
                        );
                        None
                    }
                };
                if let (Some(cn), Some(produced_in), Some(mass_per_unit), Some(source)) =
                    (good, origin, mass, source)
                {
                    precursors.push((
                        line,
                        id,
                        Precursor { cn, produced_in, mass_per_unit, source, is_waste_or_by_product: waste },
                    ));
                }
            }
            other => {
                err("kind", format!("kind: found {:?}, expected process or precursor", other.unwrap_or("")));
            }
        }
    }
    for (line, id, precursor) in precursors {
        match processes.iter_mut().find(|p| p.id == id) {
            Some(process) => process.precursors.push(precursor),
            None => errors.push(LineError {
                line,
                row: line - 1,
                column: "process_id".into(),
                message: format!("process_id: the precursor's process {id:?} has no process row"),
            }),
        }
    }
    if errors.is_empty() { Ok(processes) } else { Err(Error::Lines { file: file.to_owned(), errors }) }
}
