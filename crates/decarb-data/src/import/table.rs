//! One view over a worksheet and a CSV file, so each importer is written once for both: a header
//! with columns found by name (never by position, so reordered columns import the same), rows of
//! [`Cell`]s, and the helpers that read a typed value or fail with the file, sheet, row, column,
//! the value found and what was expected.

use super::Imported;
use super::cells::{self, Cell, DateCell, Quantity};
use super::columns;
use super::report::ImportReport;
use crate::error::{Error, Location, Result};
use calamine::Data;
use decarb_model::units::TonnesPerYear;
use decarb_model::{CountryCode, Fleet, PartialDate, Plant, PlantStatus, Reported};
use std::cell::RefCell;
use std::collections::BTreeSet;

#[derive(Debug, Clone)]
pub struct Header {
    /// As written in the file, for messages.
    pub names: Vec<String>,
    keys: Vec<String>,
    /// Which columns an importer asked for (found by [`Table::col`] or marked by hand), so the
    /// others can be reported as not read.
    used: RefCell<Vec<bool>>,
}

impl Header {
    pub fn new(names: Vec<String>) -> Self {
        let keys = names.iter().map(|n| columns::loose_key(n)).collect();
        let used = RefCell::new(vec![false; names.len()]);
        Self { names, keys, used }
    }

    /// The column named `name`: its own spelling (loosely compared: case, spaces, `-`, `_`, `/`),
    /// else any synonym of it from [`columns::SYNONYMS`].
    pub fn find(&self, name: &str) -> Option<usize> {
        let exact = |wanted: &str| {
            let key = columns::loose_key(wanted);
            self.keys.iter().position(|k| *k == key)
        };
        exact(name).or_else(|| columns::synonyms_of(name).find_map(exact))
    }

    pub fn has(&self, name: &str) -> bool {
        self.find(name).is_some()
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Records that an importer reads column `index`.
    pub fn mark_used(&self, index: usize) {
        if let Some(flag) = self.used.borrow_mut().get_mut(index) {
            *flag = true;
        }
    }

    /// The non-empty column names no importer asked for, in file order.
    pub fn unused_names(&self) -> Vec<String> {
        let used = self.used.borrow();
        self.names
            .iter()
            .zip(used.iter())
            .filter(|(name, used)| !**used && !name.trim().is_empty())
            .map(|(name, _)| name.trim().to_owned())
            .collect()
    }
}

/// A column the importer reads: where it is (None for an optional column that is absent) and
/// its canonical name, used as the key of the report's counts.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub index: Option<usize>,
    pub name: &'static str,
}

/// The rows of a table: CSV records, or a worksheet's cells.
pub enum Rows<'a> {
    Csv(Vec<(usize, csv::StringRecord)>),
    Sheet { range: &'a calamine::Range<Data>, first_row: usize, header_offset: usize },
}

/// One data row and the line/row number a user would look for.
#[derive(Clone, Copy)]
pub struct RowView<'a> {
    pub number: usize,
    cells: RowCells<'a>,
}

#[derive(Clone, Copy)]
enum RowCells<'a> {
    Csv(&'a csv::StringRecord),
    Sheet(&'a [Data]),
}

impl<'a> RowView<'a> {
    pub fn cell(&self, col: Col) -> Cell<'a> {
        let Some(index) = col.index else { return Cell::Empty };
        match self.cells {
            RowCells::Csv(record) => record.get(index).map_or(Cell::Empty, Cell::Text),
            RowCells::Sheet(cells) => cells.get(index).map_or(Cell::Empty, data_cell),
        }
    }

    /// True when every cell is empty (trailing blank rows of worksheets).
    pub fn is_blank(&self) -> bool {
        match self.cells {
            RowCells::Csv(record) => record.iter().all(|f| f.trim().is_empty()),
            RowCells::Sheet(cells) => cells.iter().all(|c| data_cell(c).is_blank()),
        }
    }
}

/// A worksheet cell as header text.
pub fn cell_text(data: &Data) -> String {
    data_cell(data).to_text()
}

fn data_cell(data: &Data) -> Cell<'_> {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => Cell::Text(text),
        Data::Float(value) => Cell::Number(*value),
        Data::Int(value) => Cell::Number(*value as f64),
        Data::Bool(value) => Cell::Bool(*value),
        Data::DateTime(value) => Cell::DateTime(value.as_f64()),
        Data::Error(_) => Cell::Error,
    }
}

/// A header and its rows, with the location of the table for messages.
pub struct Table<'a> {
    pub at: Location,
    pub header: Header,
    pub rows: Rows<'a>,
}

impl Table<'_> {
    /// Calls `visit` for every non-blank data row, in order, stopping at the first error.
    pub fn for_each_row(&self, mut visit: impl FnMut(RowView<'_>) -> Result<()>) -> Result<()> {
        match &self.rows {
            Rows::Csv(records) => {
                for (number, record) in records {
                    let row = RowView { number: *number, cells: RowCells::Csv(record) };
                    if !row.is_blank() {
                        visit(row)?;
                    }
                }
            }
            Rows::Sheet { range, first_row, header_offset } => {
                for (index, cells) in range.rows().enumerate().skip(header_offset + 1) {
                    // Spreadsheet rows are 1-based and the range may not start at row 1.
                    let row = RowView { number: first_row + index + 1, cells: RowCells::Sheet(cells) };
                    if !row.is_blank() {
                        visit(row)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// An optional column (absent: every cell reads as empty).
    pub fn col(&self, name: &'static str) -> Col {
        let index = self.header.find(name);
        if let Some(index) = index {
            self.header.mark_used(index);
        }
        Col { index, name }
    }

    /// A column that must be there.
    pub fn require(&self, name: &'static str) -> Result<Col> {
        let col = self.col(name);
        if col.index.is_none() {
            return Err(Error::format(
                self.at.clone().column(name),
                format!("missing required column {name:?}"),
            ));
        }
        Ok(col)
    }

    pub fn location(&self, row: &RowView<'_>, col: Col) -> Location {
        let name = col.index.and_then(|i| self.header.names.get(i)).map_or(col.name, String::as_str);
        self.at.clone().row(row.number).column(name)
    }

    pub fn error(&self, row: &RowView<'_>, col: Col, expected: &str) -> Error {
        Error::value(self.location(row, col), &row.cell(col).display(), expected)
    }
}

/// Reads typed values out of rows and keeps the report up to date.
pub struct Reader<'t, 'a> {
    pub table: &'t Table<'a>,
    pub report: ImportReport,
    unresolved_countries: BTreeSet<String>,
}

impl<'t, 'a> Reader<'t, 'a> {
    pub fn new(table: &'t Table<'a>, report: ImportReport) -> Self {
        Self { table, report, unresolved_countries: BTreeSet::new() }
    }

    /// What an importer of one plant per row read: `plants`, each one row, one plant and one
    /// record, their capacity from the column `capacity_column`.
    pub fn one_plant_per_row(self, plants: Vec<Plant>, capacity_column: &str) -> Imported {
        let mut report = self.report;
        report.rows = plants.len();
        report.plants = plants.len();
        report.plant_records = plants.len();
        report.capacity_column = Some(capacity_column.to_owned());
        Imported { fleet: Fleet { plants }, units: Vec::new(), report }
    }

    /// Free text, trimmed; numbers as the integers they usually are (ids). A method, like the
    /// typed readers, so call sites read alike.
    #[allow(clippy::unused_self)]
    pub fn text(&self, row: &RowView<'_>, col: Col) -> String {
        row.cell(col).to_text()
    }

    /// Free text, `None` when empty.
    pub fn optional_text(&self, row: &RowView<'_>, col: Col) -> Option<String> {
        let text = self.text(row, col);
        (!text.is_empty()).then_some(text)
    }

    /// A web address (a plant's wiki page), `None` when empty. Only an `http://` or `https://`
    /// address with a host and no spaces or control characters is kept ([`cells::web_address`]);
    /// anything else is left out with a warning naming the cell: a link is a reference for
    /// readers, never a reason to refuse a tracker file.
    pub fn link(&mut self, row: &RowView<'_>, col: Col) -> Option<String> {
        let text = self.text(row, col);
        if text.is_empty() {
            self.report.tally(col.name, |c| c.blank += 1);
            return None;
        }
        let link = cells::web_address(&text).map(str::to_owned);
        if link.is_none() {
            let at = self.table.location(row, col);
            self.report.warn(at, format!("{text:?} is not an http(s) address; no link kept"));
        }
        link
    }

    /// A text cell that must not be empty (ids).
    pub fn required_text(&self, row: &RowView<'_>, col: Col, expected: &str) -> Result<String> {
        let text = self.text(row, col);
        if text.is_empty() {
            return Err(self.table.error(row, col, expected));
        }
        Ok(text)
    }

    /// A quantity in the column's unit, converted by `unit` to tonnes per year. Ranges become
    /// unknown with a warning that keeps the text.
    pub fn quantity(
        &mut self,
        row: &RowView<'_>,
        col: Col,
        unit: fn(f64) -> TonnesPerYear,
    ) -> Result<Reported<TonnesPerYear>> {
        let cell = row.cell(col);
        let quantity = cells::quantity(cell).map_err(|expected| self.table.error(row, col, expected))?;
        let reported = match quantity {
            Quantity::Value(value) => {
                let converted = unit(value);
                if !(converted.0.is_finite() && converted.0 <= crate::limits::MAX_CAPACITY_TPA) {
                    return Err(self.table.error(
                        row,
                        col,
                        &format!(
                            "a capacity of at most {} Mt/yr once converted to tonnes",
                            crate::limits::MAX_CAPACITY_TPA / 1e6
                        ),
                    ));
                }
                return Ok(Reported::Value(converted));
            }
            Quantity::Positive => {
                self.report.tally(col.name, |c| c.positive += 1);
                Reported::Positive
            }
            Quantity::Unknown => {
                self.report.tally(col.name, |c| c.unknown += 1);
                Reported::Unknown
            }
            Quantity::Blank => {
                self.report.tally(col.name, |c| c.blank += 1);
                Reported::Blank
            }
            Quantity::Range(..) => {
                self.report.tally(col.name, |c| c.range += 1);
                let at = self.table.location(row, col);
                self.report.warn(at, format!("range {:?} kept as unknown capacity", cell.display()));
                Reported::Unknown
            }
        };
        Ok(reported)
    }

    /// A quantity where the source writes 0 for none and never a placeholder (GIST plant file):
    /// blank and placeholders are still accepted and counted, never read as zero.
    pub fn quantity_or_zero(
        &mut self,
        row: &RowView<'_>,
        col: Col,
        unit: fn(f64) -> TonnesPerYear,
    ) -> Result<f64> {
        match self.quantity(row, col, unit)? {
            Reported::Value(value) => Ok(value.0),
            _ => Ok(0.0),
        }
    }

    pub fn date(&mut self, row: &RowView<'_>, col: Col) -> Result<Option<PartialDate>> {
        match cells::date(row.cell(col)).map_err(|expected| self.table.error(row, col, expected))? {
            DateCell::Date(date) => Ok(Some(date)),
            DateCell::Unknown => {
                self.report.tally(col.name, |c| c.unknown += 1);
                Ok(None)
            }
            DateCell::Blank => {
                self.report.tally(col.name, |c| c.blank += 1);
                Ok(None)
            }
        }
    }

    pub fn status(&self, row: &RowView<'_>, col: Col) -> Result<PlantStatus> {
        let cell = row.cell(col);
        let text = cell.text().unwrap_or_default();
        text.parse::<PlantStatus>().map_err(|err| self.table.error(row, col, err.expected))
    }

    /// Resolves a country name or code; unknown names are kept as text, with one warning each.
    pub fn country(&mut self, row: &RowView<'_>, col: Col, text: &str) -> Option<CountryCode> {
        if text.is_empty() {
            self.report.tally(col.name, |c| c.blank += 1);
            return None;
        }
        let code = CountryCode::resolve(text);
        if code.is_none() && self.unresolved_countries.insert(text.to_owned()) {
            let at = self.table.location(row, col);
            self.report.warn(at, format!("country {text:?} not resolved to an ISO code; kept as text"));
        }
        code
    }

    pub fn coordinates(&mut self, row: &RowView<'_>, col: Col) -> Result<Option<(f64, f64)>> {
        let cell = row.cell(col);
        let coordinates =
            cells::coordinates(cell).map_err(|expected| self.table.error(row, col, expected))?;
        if coordinates.is_none() {
            self.report.tally(col.name, |c| c.blank += 1);
        }
        Ok(coordinates)
    }

    /// A latitude and a longitude in two columns; both or neither.
    pub fn lat_lon(&mut self, row: &RowView<'_>, lat: Col, lon: Col) -> Result<Option<(f64, f64)>> {
        let read =
            |col: Col| cells::degrees(row.cell(col)).map_err(|expected| self.table.error(row, col, expected));
        match (read(lat)?, read(lon)?) {
            (Some(la), Some(lo)) => cells::lat_lon(la, lo).map(Some).ok_or_else(|| {
                self.table.error(row, lat, "a latitude in -90..=90 with a longitude in -180..=180")
            }),
            (None, None) => {
                self.report.tally(lat.name, |c| c.blank += 1);
                Ok(None)
            }
            (None, Some(_)) => Err(self.table.error(row, lat, "a latitude, since a longitude is given")),
            (Some(_), None) => Err(self.table.error(row, lon, "a longitude, since a latitude is given")),
        }
    }

    /// Warns about ids that occur more than once; all records are kept.
    pub fn warn_duplicates(&mut self, col: Col, ids: &[(String, usize)]) {
        let mut sorted: Vec<&(String, usize)> = ids.iter().collect();
        sorted.sort();
        for pair in sorted.chunk_by(|a, b| a.0 == b.0) {
            if pair.len() > 1 {
                let rows: Vec<String> = pair.iter().map(|(_, row)| row.to_string()).collect();
                let at = self.table.at.clone().column(col.name);
                self.report.warn(
                    at,
                    format!(
                        "id {} occurs {} times (rows {}); all kept",
                        pair[0].0,
                        pair.len(),
                        rows.join(", ")
                    ),
                );
            }
        }
    }
}
