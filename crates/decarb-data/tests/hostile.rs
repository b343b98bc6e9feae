//! A crafted workbook (issue 14): one extra cell far away used to make the xlsx reader allocate
//! a grid of billions of cells (XFD1048576: 512 GB, abort). It is refused before the grid is
//! allocated, with an error naming the file, the sheet and the stray cell.

use decarb_data::import_bytes;
use decarb_data::sheet::MAX_SHEET_CELLS;

const HEADER: [&str; 5] = ["id", "sector", "status", "capacity_tpa", "country"];
const ROW: [&str; 5] = ["A1", "steel", "operating", "2500000", "DEU"];

/// A decarb-layout fleet workbook, with a stray cell at (row, col) when given (0-based).
fn workbook(stray: Option<(u32, u16)>) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Plants").unwrap();
    for (c, (h, v)) in HEADER.iter().zip(ROW).enumerate() {
        let c = u16::try_from(c).unwrap();
        sheet.write_string(0, c, *h).unwrap();
        sheet.write_string(1, c, v).unwrap();
    }
    if let Some((row, col)) = stray {
        sheet.write_string(row, col, "x").unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn a_workbook_without_stray_cells_imports() {
    let imported = import_bytes("plants.xlsx".as_ref(), &workbook(None), None).unwrap();
    assert_eq!(imported.fleet.plants.len(), 1);
    assert_eq!(imported.fleet.plants[0].capacity.value().map(|c| c.0), Some(2_500_000.0));
}

#[test]
fn a_stray_cell_at_xfd1048576_is_refused_naming_file_sheet_and_cell() {
    for (stray, name) in [((1_048_575, 16_383), "XFD1048576"), ((1_048_575, 50), "AY1048576")] {
        let err = import_bytes("far.xlsx".as_ref(), &workbook(Some(stray)), None).unwrap_err().to_string();
        assert!(err.contains("far.xlsx"), "{err}");
        assert!(err.contains("Plants"), "{err}");
        assert!(err.contains(name), "{err}");
        assert!(err.contains(&MAX_SHEET_CELLS.to_string()), "{err}");
    }
}

/// A decarb fleet CSV with one plant of `capacity`.
fn fleet_csv(capacity: &str) -> Vec<u8> {
    format!("id,sector,status,capacity_tpa,country\nA1,steel,operating,{capacity},DEU\n").into_bytes()
}

#[test]
fn absurd_capacities_are_refused_naming_file_row_column_and_bound() {
    for capacity in ["1e308", "1234567890123456789", "\"1,234,567,890,123,456,789\"", "100000001"] {
        let err = import_bytes("fleet.csv".as_ref(), &fleet_csv(capacity), None).unwrap_err().to_string();
        assert!(err.contains("fleet.csv"), "{err}");
        assert!(err.contains("row 2"), "{err}");
        assert!(err.contains("capacity_tpa"), "{err}");
        assert!(err.contains("at most 100 Mt/yr"), "{err}");
        assert!(!err.split(|c: char| !c.is_alphanumeric()).any(|w| w == "inf"), "{err}");
    }
    // The largest plausible plant still imports.
    let imported = import_bytes("fleet.csv".as_ref(), &fleet_csv("100000000"), None).unwrap();
    assert_eq!(imported.fleet.plants.len(), 1);
}

#[test]
fn a_file_larger_than_decarb_reads_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.csv");
    // Sparse: no disk or time spent, but the size is what a 513 MiB file reports.
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(decarb_data::limits::MAX_FILE_BYTES + 1).unwrap();
    let err = decarb_data::import_fleet(&path, None).unwrap_err().to_string();
    assert!(err.contains("huge.csv") && err.contains("512 MiB"), "{err}");
}
