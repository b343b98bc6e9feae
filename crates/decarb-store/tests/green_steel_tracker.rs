//! The Green Steel Tracker workbook importer, on workbooks generated here with the layout
//! TRACKER.md 1.5.1 describes: sheet `3. All Projects`, title rows, header on row 5, data from
//! row 6, columns found by name in any order.

mod common;

use common::{backends, fresh, runtime};
use decarb_store::{EntityKind, ImportFile, ProjectFilter, StoreError, read_file};
use rust_xlsxwriter::Workbook;
use std::path::PathBuf;

const HEADER: [&str; 16] = [
    "Internal ID",
    "Project name",
    "Company",
    "Country",
    "Continent",
    "Location (specific)",
    "Qualified for Tracker",
    "Reason for Disqualification/Qualification",
    "Technology category",
    "Specific equipment used",
    "Project scale",
    "Project status",
    "Planned commissioning",
    "Actual start year (yyyy)",
    "GEM Production plant",
    "GEM Plant ID",
];

fn rows(status_of_first: &str) -> Vec<[String; 16]> {
    let row = |cells: [&str; 16]| cells.map(str::to_owned);
    vec![
        row([
            "GST-001",
            "Stegra Boden",
            "Stegra (formerly H2 Green Steel)",
            "Sweden",
            "Europe",
            "Boden",
            "Yes",
            "",
            "Phasing out BF",
            "MIDREX Flex",
            "Full scale",
            status_of_first,
            "2026",
            "",
            "Stegra Boden steel plant",
            "P100000120850",
        ]),
        row([
            "GST-002",
            "Not available",
            "HYBRIT",
            "Sweden",
            "Europe",
            "Gällivare",
            "Yes",
            "",
            "Phasing out BF",
            "Not stated",
            "Demo",
            "Announced",
            "Not stated",
            "",
            "Not availiable",
            "N/A",
        ]),
        row([
            "GST-003",
            "tkH2Steel",
            "thyssenkrupp",
            "Germany",
            "Europe",
            "Duisburg (location of hydrogen use)",
            "No",
            "Switch from gas to hydrogen postponed with no timeline",
            "Phasing out BF",
            "MIDREX Flex",
            "Full scale",
            "Paused or postponed",
            "2028",
            "",
            "thyssenkrupp Duisburg",
            "P100000120421",
        ]),
        row([
            "GST-004",
            "Pilot line",
            "Example Steel",
            "Türkiye",
            "Asia",
            "",
            "No - Permanenetly disqualified",
            "Not explicitly for steel",
            "Complementing conventional steelmaking",
            "Hydrogen injection",
            "Pilot",
            "Finalized (research & testing)",
            "2021",
            "2022",
            "Not in operation",
            "",
        ]),
    ]
}

/// Writes a workbook in the tracker's layout. `drop_column` leaves one header out; the columns
/// are written in reverse order to prove they are found by name.
fn workbook(name: &str, data: &[[String; 16]], drop_column: Option<&str>) -> PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("decarb-store-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}-{}.xlsx", std::process::id()));
    let mut book = Workbook::new();
    let notes = book.add_worksheet();
    notes.set_name("1. Read me").unwrap();
    notes.write_string(0, 0, "Green Steel Tracker (test layout)").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("3. All Projects").unwrap();
    sheet.write_string(0, 0, "Green Steel Tracker").unwrap();
    sheet.write_string(1, 0, "All projects").unwrap();
    sheet.write_string(3, 0, "Last updated: 2026-09-04").unwrap();
    let columns: Vec<usize> = (0..HEADER.len()).rev().filter(|&i| Some(HEADER[i]) != drop_column).collect();
    for (col, &i) in columns.iter().enumerate() {
        let col = u16::try_from(col).unwrap();
        sheet.write_string(4, col, HEADER[i]).unwrap();
        for (r, row) in data.iter().enumerate() {
            let r = u32::try_from(r).unwrap() + 5;
            match row[i].parse::<f64>() {
                // Years arrive as numbers in the workbook.
                Ok(number) if HEADER[i].contains("commissioning") || HEADER[i].contains("year") => {
                    sheet.write_number(r, col, number).unwrap();
                }
                _ => {
                    sheet.write_string(r, col, &row[i]).unwrap();
                }
            }
        }
    }
    book.save(&path).unwrap();
    path
}

#[test]
fn the_tracker_workbook_imports_as_projects_and_a_newer_vintage_records_status_changes() {
    let first = workbook("gst-2025", &rows("Construction"), None);
    let second = workbook("gst-2026", &rows("Operating"), None);
    // The workbook carries no release date: --as-of is required.
    let err = read_file(&first, None).unwrap_err();
    assert!(err.to_string().contains("--as-of"), "{err}");
    let file_2025 = read_file(&first, Some("2025-09-01")).unwrap();
    let file_2026 = read_file(&second, Some("2026-09-04")).unwrap();
    let ImportFile::Projects { records, .. } = &file_2025 else { panic!("not read as projects") };
    assert_eq!(records.len(), 4);
    let unnamed = &records[1].record;
    assert_eq!(unnamed.name, "HYBRIT at Gällivare (name not available)");
    assert_eq!((unnamed.gem_plant_id.as_deref(), unnamed.start.as_deref()), (None, None));
    assert_eq!(records[3].record.start.as_deref(), Some("2022"), "actual start year wins over the plan");
    assert_eq!(records[3].record.country.map(decarb_model::CountryCode::as_str), Some("TUR"));
    for db in backends("gst") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            store.import_files(std::slice::from_ref(&file_2025), &|_| {}).await.unwrap();
            let summary = store.import_files(std::slice::from_ref(&file_2026), &|_| {}).await.unwrap();
            assert_eq!((summary[0].added, summary[0].changed, summary[0].unchanged), (0, 1, 3), "{}", db.label);
            let boden = store.project("GST-001", None).await.unwrap();
            assert_eq!((boden.stage.as_str(), boden.stage_raw.as_deref()), ("operating", Some("Operating")));
            assert_eq!(boden.gem_plant_id.as_deref(), Some("P100000120850"));
            assert_eq!(store.project("GST-001", Some("2025-12-31")).await.unwrap().stage, "construction");
            let paused = store.project("GST-003", None).await.unwrap();
            assert_eq!((paused.stage.as_str(), paused.site.as_deref()), ("paused", Some("Duisburg (location of hydrogen use)")));
            assert_eq!(store.project("GST-004", None).await.unwrap().stage, "completed");
            let history = store.history(EntityKind::Project, "GST-001").await.unwrap();
            let change = history.iter().find(|c| c.field == "stage").unwrap();
            assert_eq!((change.old_value.as_deref(), change.new_value.as_deref(), change.valid_from.as_str()), (Some("construction"), Some("operating"), "2026-09-04"));
            let steel = store.projects(&ProjectFilter { sector: Some("steel".into()), ..ProjectFilter::default() }).await.unwrap();
            assert_eq!(steel.iter().filter(|p| p.key.starts_with("GST-")).count(), 4);
            // The tracker's own judgement is kept apart from the facts.
            let qualified: Vec<(String, String)> = sqlx::query_as(
                "SELECT p.project_key, a.qualified FROM gst_assessment a JOIN project p ON p.id = a.project_id WHERE a.as_of = '2026-09-04' ORDER BY p.project_key",
            )
            .fetch_all(store.pool())
            .await
            .unwrap();
            assert_eq!(qualified[2], ("GST-003".to_owned(), "No".to_owned()));
            store.close().await;
        });
    }
    let _ = std::fs::remove_file(first);
    let _ = std::fs::remove_file(second);
}

#[test]
fn a_workbook_missing_a_required_column_is_rejected_naming_sheet_and_column() {
    let path = workbook("gst-missing", &rows("Construction"), Some("Project status"));
    let err = read_file(&path, Some("2026-09-04")).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, StoreError::Input(_)), "{message}");
    assert!(
        message.contains("sheet \"3. All Projects\"") && message.contains("column \"Project status\""),
        "{message}"
    );
    let _ = std::fs::remove_file(path);
}

#[test]
fn a_bad_status_or_country_names_its_row_column_and_value() {
    let mut data = rows("Construction");
    data[2][11] = "Dreaming".to_owned();
    let path = workbook("gst-bad-status", &data, None);
    let message = read_file(&path, Some("2026-09-04")).unwrap_err().to_string();
    assert!(
        message.contains("row 8") && message.contains("\"Project status\"") && message.contains("Dreaming"),
        "{message}"
    );
    // A span of years is read as its first year; a year-less text is an error naming the cell.
    let mut data = rows("Construction");
    data[2][12] = "2027-2028".to_owned();
    let spans = workbook("gst-span", &data, None);
    let ImportFile::Projects { records, .. } = read_file(&spans, Some("2026-09-04")).unwrap() else {
        panic!()
    };
    assert_eq!(records[2].record.start.as_deref(), Some("2027"));
    data[2][12] = "soon".to_owned();
    let vague = workbook("gst-vague", &data, None);
    let message = read_file(&vague, Some("2026-09-04")).unwrap_err().to_string();
    assert!(
        message.contains("row 8") && message.contains("Planned commissioning") && message.contains("soon"),
        "{message}"
    );
    let _ = std::fs::remove_file(spans);
    let _ = std::fs::remove_file(vague);
    let mut data = rows("Construction");
    data[0][3] = "Atlantis".to_owned();
    let path2 = workbook("gst-bad-country", &data, None);
    let message = read_file(&path2, Some("2026-09-04")).unwrap_err().to_string();
    assert!(
        message.contains("row 6") && message.contains("\"Country\"") && message.contains("Atlantis"),
        "{message}"
    );
    let _ = std::fs::remove_file(path);
    let _ = std::fs::remove_file(path2);
}
