//! Reading one worksheet within a bound. calamine turns a sheet into a dense grid spanning its
//! non-empty cells, so one stray cell far away (XFD1048576) makes it allocate for 17 billion
//! cells (512 GB; abort). [`read_sheet`] reads an xlsx sheet's cells lazily, in file order, and
//! refuses the sheet as soon as the cells seen so far span more than [`MAX_SHEET_CELLS`], before
//! the grid is allocated; the error names the file, the sheet, the span and the farthest cell.

use crate::error::{Error, Location, Result};
use calamine::{Cell, Data, DataRef, Range, Reader as _, Sheets, XlsxError};
use std::io::{Read, Seek};

pub use crate::limits::MAX_SHEET_CELLS;

/// The sheet `name` of `book`, as `worksheet_range` gives it, but refused with an error naming
/// `at` (file and sheet) when its cells span more than [`MAX_SHEET_CELLS`]. Xlsx sheets are read
/// lazily and refused before the grid is allocated; other formats (xls, xlsb, ods) are read whole
/// and then checked.
pub fn read_sheet<RS: Read + Seek>(book: &mut Sheets<RS>, name: &str, at: &Location) -> Result<Range<Data>> {
    // A malformed file can make the spreadsheet reader itself panic (an arithmetic overflow on a
    // mangled cell reference, found by tests/robustness.rs): that is the file's fault, so it is
    // an error naming the file like any other, never a crash.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match book {
        Sheets::Xlsx(xlsx) => read_xlsx(xlsx, name, at),
        other => other
            .worksheet_range(name)
            .map_err(|err| Error::format(at.clone(), format!("unreadable worksheet: {err}"))),
    }));
    let range = match read {
        Ok(range) => range?,
        Err(_) => {
            return Err(Error::format(
                at.clone(),
                "unreadable worksheet: the spreadsheet reader failed on malformed content".to_owned(),
            ));
        }
    };
    if let (Some(start), Some(end)) = (range.start(), range.end()) {
        check_span(start, end, at)?;
    }
    Ok(range)
}

fn read_xlsx<RS: Read + Seek>(
    xlsx: &mut calamine::Xlsx<RS>,
    name: &str,
    at: &Location,
) -> Result<Range<Data>> {
    let unreadable = |err: XlsxError| Error::format(at.clone(), format!("unreadable worksheet: {err}"));
    let mut reader = match xlsx.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        // A chart sheet or the like: no cells, as calamine's own `worksheet_range` has it.
        Err(XlsxError::NotAWorksheet(_)) => return Ok(Range::empty()),
        Err(err) => return Err(unreadable(err)),
    };
    let mut cells: Vec<Cell<Data>> = Vec::new();
    let (mut start, mut end) = ((u32::MAX, u32::MAX), (0u32, 0u32));
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        let (row, col) = cell.get_position();
        start = (start.0.min(row), start.1.min(col));
        end = (end.0.max(row), end.1.max(col));
        check_span(start, end, at)?;
        cells.push(Cell::new((row, col), Data::from(cell.get_value().clone())));
    }
    Ok(Range::from_sparse(cells))
}

/// Refuses a grid from `start` to `end` (row, column; 0-based, inclusive) of more than
/// [`MAX_SHEET_CELLS`] cells.
fn check_span(start: (u32, u32), end: (u32, u32), at: &Location) -> Result<()> {
    let rows = u64::from(end.0.saturating_sub(start.0)) + 1;
    let cols = u64::from(end.1.saturating_sub(start.1)) + 1;
    let span = rows * cols;
    if span <= MAX_SHEET_CELLS {
        return Ok(());
    }
    Err(Error::format(
        at.clone(),
        format!(
            "the sheet's cells span {}{} to {}{} ({rows} rows x {cols} columns = {span} cells), more than decarb reads \
             ({MAX_SHEET_CELLS} cells): delete stray cells far from the data (such as {}{}) and save the workbook again",
            column_name(start.1),
            start.0 + 1,
            column_name(end.1),
            end.0 + 1,
            column_name(end.1),
            end.0 + 1,
        ),
    ))
}

/// A 0-based column index as Excel names it (0 = A, 25 = Z, 26 = AA, 16383 = XFD).
pub fn column_name(index: u32) -> String {
    let mut n = u64::from(index) + 1;
    let mut name = Vec::new();
    while n > 0 {
        let rem = u8::try_from((n - 1) % 26).unwrap_or(0);
        name.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_are_excels() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(50), "AY");
        assert_eq!(column_name(16_383), "XFD");
    }
}
