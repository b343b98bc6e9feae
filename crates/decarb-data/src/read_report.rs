//! What an importer of a model's input folder read and what it left aside: one type for the MPP
//! steel, aluminium and ammonia readers, so their reports read alike.

use crate::error::Location;
use std::fmt::Write as _;

/// What was read and what was left aside.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadReport {
    /// The inputs read, as the summary names them (`MPP steel`).
    pub model: &'static str,
    /// What one line of `read` stands for (`files`, or `parts` where a workbook's sheets count
    /// one by one).
    pub unit: &'static str,
    /// One line per file (or sheet) read.
    pub read: Vec<String>,
    /// Optional parts not read (a file, a sheet or a column), with why.
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub at: Location,
    pub reason: String,
}

impl ReadReport {
    pub fn new(model: &'static str, unit: &'static str) -> ReadReport {
        ReadReport { model, unit, ..ReadReport::default() }
    }

    pub(crate) fn read(&mut self, line: String) {
        self.read.push(line);
    }

    pub(crate) fn skip(&mut self, at: Location, reason: &str) {
        self.skipped.push(Skipped { at, reason: reason.to_owned() });
    }

    /// A few lines for a terminal.
    pub fn summary(&self) -> String {
        let mut out = format!("read {} {} of the {} inputs", self.read.len(), self.unit, self.model);
        for line in &self.read {
            let _ = write!(out, "\n  - {line}");
        }
        if !self.skipped.is_empty() {
            let _ = write!(out, "\nnot used ({}):", self.skipped.len());
            for skipped in &self.skipped {
                let _ = write!(out, "\n  - {}: {}", skipped.at, skipped.reason);
            }
        }
        out
    }
}
