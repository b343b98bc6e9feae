//! One owned view over a CSV file or a worksheet of the MPP input folder: a header whose columns
//! are found by name (trimmed, case-insensitive, byte-order mark removed), rows of typed cells,
//! and readers that fail with the file, sheet, row (as a spreadsheet or editor shows it), column,
//! the value found and what was expected.

use crate::error::{Error, Location, Result};
use crate::import::cells;
use calamine::{Data, Reader as _};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Values by year, in the unit the source row states.
pub type YearValues = BTreeMap<i32, f64>;

/// One cell, owned.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Empty,
    Text(String),
    Number(f64),
    /// Excel error values, booleans and dates: never valid in these files.
    Other(String),
}

impl Value {
    fn from_data(data: &Data) -> Value {
        match data {
            Data::Empty => Value::Empty,
            Data::String(text) if text.trim().is_empty() => Value::Empty,
            Data::String(text) => Value::Text(text.clone()),
            Data::Float(value) => Value::Number(*value),
            Data::Int(value) => Value::Number(*value as f64),
            Data::Bool(value) => Value::Other(value.to_string()),
            Data::DateTime(value) => Value::Other(value.as_f64().to_string()),
            Data::DateTimeIso(text) | Data::DurationIso(text) => Value::Other(text.clone()),
            Data::Error(err) => Value::Other(format!("#{err:?}")),
        }
    }

    fn from_field(field: &str) -> Value {
        if field.trim().is_empty() { Value::Empty } else { Value::Text(field.to_owned()) }
    }

    /// As a user would see it in the file.
    pub fn display(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(text) | Value::Other(text) => text.clone(),
            Value::Number(value) => value.to_string(),
        }
    }

    /// Trimmed text; integral numbers without a fraction (a year header `2020`, not `2020.0`).
    pub fn text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(text) | Value::Other(text) => text.trim().to_owned(),
            Value::Number(value) if value.fract() == 0.0 && value.abs() < 1e15 => format!("{value:.0}"),
            Value::Number(value) => value.to_string(),
        }
    }

    /// A finite number: a numeric cell, or text holding a plain number (`1,234.5`, `7.0E-2`).
    pub fn number(&self) -> Option<f64> {
        match self {
            Value::Number(value) => value.is_finite().then_some(*value),
            Value::Text(text) => cells::number(text).filter(|v| v.is_finite()),
            _ => None,
        }
    }
}

fn normalise(name: &str) -> String {
    name.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Line numbers of record starts. The csv crate's own line count lags by one after a CRLF (the
/// record "starts" at the `\n` of the previous line end), so lines are counted here, from the
/// record's byte offset past any line-end bytes.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl LineCounter<'_> {
    // The files are small; a dependency for counting bytes would not pay.
    #[allow(clippy::naive_bytecount)]
    fn line_at(&mut self, byte: usize) -> usize {
        let mut start = byte.min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= self.offset {
            self.line += self.text[self.offset..start].iter().filter(|b| **b == b'\n').count();
            self.offset = start;
        }
        self.line
    }
}

/// A data row and its 1-based line (CSV) or spreadsheet row number.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub number: usize,
    cells: Vec<Value>,
}

impl Row {
    pub fn get(&self, col: usize) -> &Value {
        self.cells.get(col).unwrap_or(&Value::Empty)
    }
}

/// A header and its non-blank rows.
/// The CSV file `name` of `dir`, or its gzipped copy `name.gz` when only that is there: the MPP
/// folders ship their largest files either way.
pub(crate) fn plain_or_gz(dir: &Path, name: &str) -> Option<PathBuf> {
    [dir.join(name), dir.join(format!("{name}.gz"))].into_iter().find(|path| path.is_file())
}

#[derive(Debug, Clone)]
pub(crate) struct Grid {
    pub at: Location,
    pub header: Vec<String>,
    keys: Vec<String>,
    pub rows: Vec<Row>,
}

impl Grid {
    fn new(at: Location, header: Vec<String>, rows: Vec<Row>) -> Grid {
        let keys = header.iter().map(|h| normalise(h)).collect();
        Grid { at, header, keys, rows }
    }

    /// Reads a CSV file of the folder (UTF-8 with or without byte-order mark, CRLF or LF; gzipped
    /// when the name ends in `.gz`). A row
    /// with more or fewer fields than the header (a file cut short, an unbalanced quote) is an
    /// error naming its line.
    pub fn csv(path: &Path) -> Result<Grid> {
        Grid::csv_where(path, &|_, _| true)
    }

    /// As [`Grid::csv`], keeping only the rows `keep` accepts (given the header and the row's
    /// fields): large files parse without building cells for rows nobody reads. Rows are still
    /// checked for their number of fields.
    pub fn csv_where(path: &Path, keep: &dyn Fn(&[String], &csv::StringRecord) -> bool) -> Result<Grid> {
        let bytes = crate::limits::read_file(path)?;
        let bytes = if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz")) {
            crate::limits::gunzip(path, &bytes)?
        } else {
            bytes
        };
        Grid::csv_bytes_where(path, &bytes, keep)
    }

    /// Parses the file's bytes (already decompressed), keeping only the rows `keep` accepts;
    /// errors name `path`.
    fn csv_bytes_where(
        path: &Path,
        bytes: &[u8],
        keep: &dyn Fn(&[String], &csv::StringRecord) -> bool,
    ) -> Result<Grid> {
        let at = Location::file(path);
        let text = crate::import::text::decode(bytes, &at)?;
        let mut reader =
            csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        let mut header = None;
        let mut rows = Vec::new();
        let mut lines = LineCounter { text: text.as_bytes(), offset: 0, line: 1 };
        for (index, record) in reader.records().enumerate() {
            let record = record.map_err(|err| {
                let mut place = at.clone();
                place.row = err.position().map(|p| usize::try_from(p.line()).unwrap_or(usize::MAX));
                Error::format(place, format!("unreadable CSV: {err}"))
            })?;
            let number = record
                .position()
                .map_or(index + 1, |p| lines.line_at(usize::try_from(p.byte()).unwrap_or(usize::MAX)));
            let Some(header) = &header else {
                header = Some(
                    record.iter().map(|f| f.trim_start_matches('\u{feff}').to_owned()).collect::<Vec<_>>(),
                );
                continue;
            };
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let header: &Vec<String> = header;
            if record.len() != header.len() {
                return Err(Error::format(
                    at.clone().row(number),
                    format!(
                        "row has {} fields but the header has {}: the file may be cut short or have an unbalanced quote",
                        record.len(),
                        header.len()
                    ),
                ));
            }
            if keep(header, &record) {
                rows.push(Row { number, cells: record.iter().map(Value::from_field).collect() });
            }
        }
        let header = header.ok_or_else(|| Error::format(at.clone(), "empty file: no header row"))?;
        Ok(Grid::new(at, header, rows))
    }

    /// Reads one worksheet; the first non-empty row of the sheet is its header.
    fn sheet(at: Location, range: &calamine::Range<Data>) -> Grid {
        let first_row = range.start().map_or(0, |(row, _)| row as usize);
        let mut header = None;
        let mut rows = Vec::new();
        for (index, cells) in range.rows().enumerate() {
            let number = first_row + index + 1;
            let values: Vec<Value> = cells.iter().map(Value::from_data).collect();
            if values.iter().all(|v| *v == Value::Empty) {
                continue;
            }
            if header.is_none() {
                header = Some(values.iter().map(Value::text).collect::<Vec<_>>());
                continue;
            }
            rows.push(Row { number, cells: values });
        }
        Grid::new(at, header.unwrap_or_default(), rows)
    }

    /// The index of a column that must be there.
    pub fn col(&self, name: &str) -> Result<usize> {
        self.find(name).ok_or_else(|| {
            let found: Vec<&str> = self.header.iter().map(String::as_str).filter(|h| !h.is_empty()).collect();
            Error::format(
                self.at.clone().column(name),
                format!("missing required column {name:?}; columns found: {}", found.join(", ")),
            )
        })
    }

    pub fn find(&self, name: &str) -> Option<usize> {
        let key = normalise(name);
        self.keys.iter().position(|k| *k == key)
    }

    /// The columns whose header is a year (`2020`), in order. At least one is required.
    pub fn year_columns(&self) -> Result<Vec<(usize, i32)>> {
        let years: Vec<(usize, i32)> = self
            .header
            .iter()
            .enumerate()
            .filter_map(|(index, name)| {
                let name = name.trim();
                let name = name.strip_suffix(".0").unwrap_or(name);
                let year: i32 = name.parse().ok()?;
                (1900..=2200).contains(&year).then_some((index, year))
            })
            .collect();
        if years.is_empty() {
            return Err(Error::format(
                self.at.clone(),
                format!("no year columns (2020, 2021, ...) in the header: {}", self.header.join(", ")),
            ));
        }
        Ok(years)
    }

    /// Where a cell is, named by the column as the file writes it.
    pub fn location(&self, row: &Row, col: usize) -> Location {
        let name = self.header.get(col).map_or("?", String::as_str);
        self.at.clone().row(row.number).column(name)
    }

    pub fn error(&self, row: &Row, col: usize, expected: &str) -> Error {
        Error::value(self.location(row, col), &row.get(col).display(), expected)
    }

    /// Trimmed text (may be empty).
    pub fn text(row: &Row, col: usize) -> String {
        row.get(col).text()
    }

    /// Text that must not be empty.
    pub fn required_text(&self, row: &Row, col: usize, expected: &str) -> Result<String> {
        let text = row.get(col).text();
        if text.is_empty() {
            return Err(self.error(row, col, expected));
        }
        Ok(text)
    }

    pub fn number(&self, row: &Row, col: usize) -> Result<f64> {
        row.get(col).number().ok_or_else(|| self.error(row, col, "a number"))
    }

    /// A whole year such as 2020.
    pub fn year(&self, row: &Row, col: usize) -> Result<i32> {
        let value = row.get(col).number().filter(|v| v.fract() == 0.0 && (1600.0..=2200.0).contains(v));
        // The range check makes the cast exact.
        #[allow(clippy::cast_possible_truncation)]
        value.map(|v| v as i32).ok_or_else(|| self.error(row, col, "a year such as 2020"))
    }

    /// The row's values under the year columns, leaving out empty cells (sources with gaps);
    /// returns the series and the number of gaps.
    pub fn sparse_series(&self, row: &Row, years: &[(usize, i32)]) -> Result<(YearValues, usize)> {
        let mut gaps = 0;
        let mut out = YearValues::new();
        for &(col, year) in years {
            if *row.get(col) == Value::Empty {
                gaps += 1;
            } else {
                out.insert(year, self.number(row, col)?);
            }
        }
        Ok((out, gaps))
    }

    /// The row's values under the year columns.
    pub fn series(&self, row: &Row, years: &[(usize, i32)]) -> Result<YearValues> {
        years.iter().map(|&(col, year)| Ok((year, self.number(row, col)?))).collect()
    }
}

/// An open workbook of the folder.
pub(crate) struct Workbook {
    path: std::path::PathBuf,
    inner: calamine::Sheets<std::io::BufReader<std::fs::File>>,
}

impl Workbook {
    pub fn open(path: &Path) -> Result<Workbook> {
        if !path.is_file() {
            return Err(Error::format(Location::file(path), "file not found in the MPP input folder"));
        }
        let inner = calamine::open_workbook_auto(path)
            .map_err(|err| Error::format(Location::file(path), format!("not a readable workbook: {err}")))?;
        Ok(Workbook { path: path.to_path_buf(), inner })
    }

    pub fn has_sheet(&self, name: &str) -> bool {
        self.inner.sheet_names().iter().any(|s| s == name)
    }

    /// A worksheet that must be there.
    pub fn sheet(&mut self, name: &str) -> Result<Grid> {
        let at = Location::file(&self.path).sheet(name);
        if !self.has_sheet(name) {
            return Err(Error::format(
                at,
                format!("missing worksheet {name:?}; sheets found: {}", self.inner.sheet_names().join(", ")),
            ));
        }
        let range = crate::sheet::read_sheet(&mut self.inner, name, &at)?;
        let grid = Grid::sheet(at.clone(), &range);
        if grid.header.is_empty() {
            return Err(Error::format(at, "empty worksheet: no header row"));
        }
        Ok(grid)
    }
}

/// Reads a CSV file that must be in the folder.
pub(crate) fn csv_file(dir: &Path, name: &str) -> Result<Grid> {
    let path = dir.join(name);
    if !path.is_file() {
        return Err(Error::format(Location::file(&path), "file not found in the MPP input folder"));
    }
    Grid::csv(&path)
}

#[cfg(test)]
mod tests {
    // Values read from text compare exactly with the literals written there.
    #![allow(clippy::float_cmp)]
    use super::*;

    fn write(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn csv_with_bom_and_crlf_reads_by_column_name() {
        let (_dir, path) = write("a.csv", "\u{feff}Region,2020,2021\r\nChina,1.5,2\r\n\r\n");
        let grid = Grid::csv(&path).unwrap();
        assert_eq!(grid.col("region").unwrap(), 0);
        let years = grid.year_columns().unwrap();
        assert_eq!(years, [(1, 2020), (2, 2021)]);
        let series = grid.series(&grid.rows[0], &years).unwrap();
        assert_eq!(series[&2021], 2.0);
        assert_eq!(grid.rows[0].number, 2);
    }

    #[test]
    fn short_rows_and_bad_numbers_name_the_place() {
        let (_dir, path) = write("b.csv", "Region,2020\nChina,1\nIndia\n");
        let err = Grid::csv(&path).unwrap_err().to_string();
        assert!(err.contains("b.csv") && err.contains("row 3"), "{err}");
        let (_dir, path) = write("c.csv", "Region,2020\nChina,abc\n");
        let grid = Grid::csv(&path).unwrap();
        let err = grid.series(&grid.rows[0], &grid.year_columns().unwrap()).unwrap_err().to_string();
        assert!(err.contains("row 2") && err.contains("\"2020\"") && err.contains("abc"), "{err}");
        let err = grid.col("Scenario").unwrap_err().to_string();
        assert!(err.contains("Scenario") && err.contains("c.csv"), "{err}");
    }
}
