//! What an import met on its way: per column, how many cells were placeholders rather than
//! values, and warnings about things kept but worth a look (duplicate ids, unknown countries).
//! The CLI prints a short form of it to stderr, so no placeholder is silently turned into a zero.

use super::FleetFormat;
use crate::error::Location;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

/// Counts of the cells of one column that did not hold a plain value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CellCounts {
    /// `unknown` (and the other "not known" placeholders: `N/A`, `--`, `?`).
    pub unknown: usize,
    /// `>0`.
    pub positive: usize,
    /// Empty cells.
    pub blank: usize,
    /// Ranges (`500-700`), kept as unknown; each is also listed as a warning with its text.
    pub range: usize,
}

impl CellCounts {
    pub fn total(&self) -> usize {
        self.unknown + self.positive + self.blank + self.range
    }
}

/// Something the importer kept but the user should know about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub at: Location,
    pub message: String,
}

/// The account of one imported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub file: PathBuf,
    pub format: FleetFormat,
    /// The worksheet read, for workbooks.
    pub sheet: Option<String>,
    /// Data rows read (header excluded).
    pub rows: usize,
    /// Distinct plants (a GIST plant split into status slices counts once).
    pub plants: usize,
    /// Plant records produced (more than `plants` when plants were split by status).
    pub plant_records: usize,
    pub units: usize,
    /// The column that gives each record's main capacity, for the short summary.
    pub capacity_column: Option<String>,
    /// Placeholder counts per column, for the columns decarb reads.
    pub columns: BTreeMap<String, CellCounts>,
    pub warnings: Vec<Warning>,
    /// Columns of the file that the importer does not read (in file order): a release with
    /// columns decarb has not met imports, and says which it left aside.
    pub unmapped_columns: Vec<String>,
}

impl ImportReport {
    pub(crate) fn new(file: PathBuf, format: FleetFormat, sheet: Option<String>) -> Self {
        Self {
            file,
            format,
            sheet,
            rows: 0,
            plants: 0,
            plant_records: 0,
            units: 0,
            capacity_column: None,
            columns: BTreeMap::new(),
            warnings: Vec::new(),
            unmapped_columns: Vec::new(),
        }
    }

    /// Applies `update` to the counts of `column` (no allocation once the column is known).
    pub(crate) fn tally(&mut self, column: &str, update: impl FnOnce(&mut CellCounts)) {
        if let Some(counts) = self.columns.get_mut(column) {
            update(counts);
        } else {
            let mut counts = CellCounts::default();
            update(&mut counts);
            self.columns.insert(column.to_owned(), counts);
        }
    }

    pub(crate) fn warn(&mut self, at: Location, message: impl Into<String>) {
        self.warnings.push(Warning { at, message: message.into() });
    }

    /// Placeholder counts of the capacity column, if it had any.
    pub fn capacity_counts(&self) -> CellCounts {
        self.capacity_column.as_ref().and_then(|c| self.columns.get(c)).copied().unwrap_or_default()
    }

    /// A few lines for a terminal: what was read, the capacity cells that are not values, and
    /// the first warnings.
    pub fn summary(&self, max_warnings: usize) -> String {
        let mut out = format!("{}", self.file.display());
        if let Some(sheet) = &self.sheet {
            let _ = write!(out, " (sheet {sheet:?})");
        }
        let _ = write!(out, " [{}]: ", self.format);
        if self.units > 0 {
            let _ = write!(out, "{} units of {} plants", self.units, self.plants);
        } else {
            let _ = write!(out, "{} plants", self.plants);
            if self.plant_records != self.plants {
                let _ = write!(out, " ({} status records)", self.plant_records);
            }
        }
        let counts = self.capacity_counts();
        if let Some(column) = &self.capacity_column {
            let _ = write!(
                out,
                "; {column}: not a number for {} (unknown {}, >0 {}, blank {}, range {})",
                counts.total(),
                counts.unknown,
                counts.positive,
                counts.blank,
                counts.range
            );
        }
        let others: Vec<String> = self
            .columns
            .iter()
            .filter(|(name, counts)| Some(*name) != self.capacity_column.as_ref() && counts.total() > 0)
            .map(|(name, counts)| format!("{name} {}", counts.total()))
            .collect();
        if !others.is_empty() {
            let _ = write!(out, "\n  other placeholder or empty cells: {}", others.join(", "));
        }
        if !self.unmapped_columns.is_empty() {
            let _ = write!(
                out,
                "\n  {} column(s) not read: {}",
                self.unmapped_columns.len(),
                self.unmapped_columns.join(", ")
            );
        }
        if !self.warnings.is_empty() {
            let _ = write!(out, "\n  {} warning(s)", self.warnings.len());
            for warning in self.warnings.iter().take(max_warnings) {
                let _ = write!(out, "\n  - {}: {}", warning.at, warning.message);
            }
            if self.warnings.len() > max_warnings {
                let _ = write!(out, "\n  - ... and {} more", self.warnings.len() - max_warnings);
            }
        }
        out
    }
}
