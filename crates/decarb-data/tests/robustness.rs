//! Every importer, fed damaged versions of the real files, returns a fleet or an error and never
//! panics; harmless changes (column order, UTF-16 encoding) give the identical fleet.
//!
//! Mutations work on the first rows of each real file, so a case costs milliseconds in a debug
//! build; truncation uses whole files.

use decarb_data::export::{ExportFormat, write_fleet};
use decarb_data::{Imported, import_bytes, shared};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use std::path::Path;

/// (dataset, file, rows kept for the mutation tests)
const CSV_SOURCES: [(&str, &str); 4] = [
    ("gem-steel-plant-tracker-2023-03", "steel_plants.csv"),
    ("gem-iron-steel-tracker-2025-03", "gist_plant_map_file_2025-03-25.csv"),
    ("gem-iron-steel-tracker-2025-03", "gist_unit_map_file_2025-03-18.csv"),
    ("sfi-cement-2021", "SFI_ALD_Cement_Database.csv"),
];
const SAMPLE_ROWS: usize = 60;

/// Header and the first rows of each real CSV, as records. Empty when the shared data is absent.
fn samples() -> Vec<(String, Vec<Vec<String>>)> {
    let mut out = Vec::new();
    for (dataset, name) in CSV_SOURCES {
        let Some(dir) = shared::dataset(dataset) else { return Vec::new() };
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_path(dir.join(name)).unwrap();
        let records: Vec<Vec<String>> = reader
            .records()
            .take(SAMPLE_ROWS + 1)
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        out.push((name.to_owned(), records));
    }
    out
}

fn to_csv(records: &[Vec<String>]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for record in records {
        writer.write_record(record).unwrap();
    }
    writer.into_inner().unwrap()
}

fn import(name: &str, bytes: &[u8]) -> decarb_data::Result<Imported> {
    import_bytes(Path::new(name), bytes, None)
}

/// Ok or Err are both fine; reaching here at all means no panic. An error must name the file.
fn survives(name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Err(err) = import(name, bytes) {
        prop_assert!(err.to_string().contains(name), "{err}");
    }
    Ok(())
}

fn same_fleet(a: &Imported, b: &Imported) -> Result<(), TestCaseError> {
    prop_assert_eq!(&a.fleet, &b.fleet);
    prop_assert_eq!(&a.units, &b.units);
    prop_assert_eq!(&a.report.columns, &b.report.columns);
    Ok(())
}

const CELL_POOL: [&str; 16] = [
    "",
    "abc",
    ">0",
    "unknown",
    "N/A",
    "1,234.5",
    "-5",
    "500-700",
    "2005.0",
    "1e400",
    "Türkiye",
    "中国",
    "operating_pre-retirement",
    "\"",
    "36.8, 7.4",
    "[['x']]",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn truncated_files_import_or_fail_cleanly(source in 0..CSV_SOURCES.len(), cut in 0.0..1.0f64) {
        let (dataset, name) = CSV_SOURCES[source];
        let Some(dir) = shared::dataset(dataset) else { return Ok(()) };
        let bytes = std::fs::read(dir.join(name)).unwrap();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let cut = (cut * bytes.len() as f64) as usize;
        survives(name, &bytes[..cut])?;
    }

    #[test]
    fn shuffled_columns_import_identically(source in 0..CSV_SOURCES.len(), seed in any::<u64>()) {
        let samples = samples();
        let Some((name, records)) = samples.get(source) else { return Ok(()) };
        let original = import(name, &to_csv(records)).unwrap();
        // A permutation from the seed (Fisher-Yates with a small LCG), applied to every record.
        let mut order: Vec<usize> = (0..records[0].len()).collect();
        let mut state = seed | 1;
        for i in (1..order.len()).rev() {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            #[allow(clippy::cast_possible_truncation)]
            let j = (state >> 33) as usize % (i + 1);
            order.swap(i, j);
        }
        let shuffled: Vec<Vec<String>> =
            records.iter().map(|r| order.iter().map(|&i| r[i].clone()).collect()).collect();
        let copy = import(name, &to_csv(&shuffled)).unwrap();
        same_fleet(&original, &copy)?;
    }

    #[test]
    fn random_byte_mutations_import_or_fail_cleanly(
        source in 0..CSV_SOURCES.len(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let samples = samples();
        let Some((name, records)) = samples.get(source) else { return Ok(()) };
        let mut bytes = to_csv(records);
        for (index, byte) in edits {
            let at = index.index(bytes.len());
            bytes[at] = byte;
        }
        survives(name, &bytes)?;
    }

    #[test]
    fn random_cell_mutations_import_or_fail_cleanly(
        source in 0..CSV_SOURCES.len(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0..CELL_POOL.len()), 1..6),
    ) {
        let samples = samples();
        let Some((name, records)) = samples.get(source) else { return Ok(()) };
        let mut records = records.clone();
        for (row, column, value) in edits {
            let row = 1 + row.index(records.len() - 1);
            let column = column.index(records[row].len());
            records[row][column] = CELL_POOL[value].to_owned();
        }
        survives(name, &to_csv(&records))?;
    }

    #[test]
    fn random_cell_mutations_in_a_workbook_import_or_fail_cleanly(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0..CELL_POOL.len()), 0..6),
        as_numbers in any::<bool>(),
    ) {
        let samples = samples();
        let Some((_, records)) = samples.first() else { return Ok(()) };
        let mut records = records.clone();
        for (row, column, value) in edits {
            let row = 1 + row.index(records.len() - 1);
            let column = column.index(records[row].len());
            records[row][column] = CELL_POOL[value].to_owned();
        }
        let bytes = workbook(&records, as_numbers);
        survives("mutated.xlsx", &bytes)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Damaged zip containers and XML inside them: calamine must report, not panic.
    #[test]
    fn random_byte_mutations_of_a_workbook_import_or_fail_cleanly(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in prop::option::of(any::<prop::sample::Index>()),
    ) {
        let samples = samples();
        let Some((_, records)) = samples.first() else { return Ok(()) };
        let mut bytes = workbook(&records[..records.len().min(20)], true);
        for (index, byte) in edits {
            let at = index.index(bytes.len());
            bytes[at] = byte;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len()));
        }
        survives("damaged.xlsx", &bytes)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// decarb's own CSV and JSON, damaged byte by byte or cut short.
    #[test]
    fn damaged_decarb_exports_import_or_fail_cleanly(
        source in 0..CSV_SOURCES.len(),
        json in any::<bool>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
        cut in prop::option::of(any::<prop::sample::Index>()),
    ) {
        let samples = samples();
        let Some((name, records)) = samples.get(source) else { return Ok(()) };
        let imported = import(name, &to_csv(records)).unwrap();
        let (format, file) = if json { (ExportFormat::Json, "export.json") } else { (ExportFormat::Csv, "export.csv") };
        let mut bytes = Vec::new();
        let at = decarb_data::Location::file(Path::new(file));
        write_fleet(&imported.fleet.plants, &imported.units, format, &mut bytes, &at).unwrap();
        if edits.is_empty() && cut.is_none() {
            let copy = import(file, &bytes).unwrap();
            same_fleet_only(&imported, &copy)?;
        }
        for (index, byte) in edits {
            let at = index.index(bytes.len());
            bytes[at] = byte;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len()));
        }
        survives(file, &bytes)?;
    }
}

fn same_fleet_only(a: &Imported, b: &Imported) -> Result<(), TestCaseError> {
    prop_assert_eq!(&a.fleet, &b.fleet);
    prop_assert_eq!(&a.units, &b.units);
    Ok(())
}

/// A GEM-layout workbook ("Steel Plants" sheet) holding `records`; numbers as number cells when
/// `as_numbers`, as the official workbook does.
fn workbook(records: &[Vec<String>], as_numbers: bool) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let about = book.add_worksheet();
    about.set_name("About").unwrap();
    about.write_string(0, 0, "generated from the first rows of steel_plants.csv").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("Steel Plants").unwrap();
    for (r, record) in records.iter().enumerate() {
        for (c, value) in record.iter().enumerate() {
            let (row, col) = (u32::try_from(r).unwrap(), u16::try_from(c).unwrap());
            match value.parse::<f64>() {
                Ok(number) if as_numbers && number.is_finite() && r > 0 => {
                    sheet.write_number(row, col, number)
                }
                _ => sheet.write_string(row, col, value),
            }
            .unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn utf16_with_bom_imports_identically() {
    for (name, records) in samples() {
        let utf8 = to_csv(&records);
        let original = import(&name, &utf8).unwrap();
        let text = String::from_utf8(utf8).unwrap();
        let le: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> =
            [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        let bom: Vec<u8> = [0xEF, 0xBB, 0xBF].into_iter().chain(text.bytes()).collect();
        for bytes in [le, be, bom] {
            let copy = import(&name, &bytes).unwrap();
            assert_eq!(copy.fleet, original.fleet, "{name}");
            assert_eq!(copy.units, original.units, "{name}");
        }
        // Latin-1 is refused with the file named, not imported with broken names.
        let latin1: Vec<u8> = text.chars().map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?')).collect();
        if latin1.iter().any(|b| *b >= 0x80) {
            let err = import(&name, &latin1).unwrap_err().to_string();
            assert!(err.contains(&name) && err.contains("UTF-8"), "{err}");
        }
    }
}

#[test]
fn a_generated_workbook_imports_like_the_csv_it_was_made_from() {
    let samples = samples();
    let Some((name, records)) = samples.first() else { return };
    let from_csv = import(name, &to_csv(records)).unwrap();
    for as_numbers in [false, true] {
        let from_xlsx = import("generated.xlsx", &workbook(records, as_numbers)).unwrap();
        assert_eq!(from_xlsx.fleet, from_csv.fleet);
    }
}

#[test]
fn a_bad_capacity_is_an_error_naming_file_row_column_value_and_expectation() {
    let samples = samples();
    let Some((name, records)) = samples.first() else { return };
    let mut records = records.clone();
    let column = records[0].iter().position(|h| h == "Nominal crude steel capacity (ttpa)").unwrap();
    records[5][column] = "abc".to_owned();
    let err = import(name, &to_csv(&records)).unwrap_err().to_string();
    for part in
        [name.as_str(), "row 6", "Nominal crude steel capacity (ttpa)", "\"abc\"", "non-negative number"]
    {
        assert!(err.contains(part), "{part} missing from: {err}");
    }
    // The same cell in a workbook: the message names the sheet and the spreadsheet row.
    let err = import("plants.xlsx", &workbook(&records, true)).unwrap_err().to_string();
    for part in
        ["plants.xlsx", "sheet \"Steel Plants\"", "row 6", "Nominal crude steel capacity (ttpa)", "\"abc\""]
    {
        assert!(err.contains(part), "{part} missing from: {err}");
    }
    let status = records[0].iter().position(|h| h == "Status").unwrap();
    records[5][column] = "1,200".to_owned();
    records[9][status] = "sold".to_owned();
    let err = import(name, &to_csv(&records)).unwrap_err().to_string();
    assert!(err.contains("row 10") && err.contains("\"Status\"") && err.contains("\"sold\""), "{err}");
    let without_status: Vec<Vec<String>> = records
        .iter()
        .map(|r| r.iter().enumerate().filter(|(i, _)| *i != status).map(|(_, v)| v.clone()).collect())
        .collect();
    let err = decarb_data::import_bytes(
        Path::new(name),
        &to_csv(&without_status),
        Some(decarb_data::FleetFormat::GemGspt),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("missing required column \"Status\""), "{err}");
}
