//! Export then import: decarb's own CSV and JSON give back exactly the fleet of every real
//! source, and summaries of the export equal summaries of the source.

use decarb_data::export::{ExportFormat, write_fleet};
use decarb_data::import::FleetFormat;
use decarb_data::summary::{self, Filter, GroupKey};
use decarb_data::{Imported, Location, import_bytes, import_fleet, shared};
use std::path::Path;

const SOURCES: [(&str, &str); 4] = [
    ("gem-steel-plant-tracker-2023-03", "global_steel_plant_tracker_2023_03.xlsx"),
    ("gem-iron-steel-tracker-2025-03", "gist_plant_map_file_2025-03-25.csv"),
    ("gem-iron-steel-tracker-2025-03", "gist_unit_map_file_2025-03-18.csv"),
    ("sfi-cement-2021", "SFI_ALD_Cement_Database.csv"),
];

const ALL_KEYS: [GroupKey; 4] = [GroupKey::Country, GroupKey::Route, GroupKey::Status, GroupKey::Sector];

fn export(imported: &Imported, format: ExportFormat, name: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let at = Location::file(Path::new(name));
    write_fleet(&imported.fleet.plants, &imported.units, format, &mut out, &at).unwrap();
    out
}

fn assert_same_summaries(source: &Imported, copy: &Imported) {
    for by in [&[][..], &ALL_KEYS[..], &[GroupKey::Status][..]] {
        let filter = Filter::default();
        assert_eq!(
            summary::summarise_plants(&source.fleet.plants, by, &filter),
            summary::summarise_plants(&copy.fleet.plants, by, &filter)
        );
        assert_eq!(
            summary::summarise_units(&source.units, by, &filter),
            summary::summarise_units(&copy.units, by, &filter)
        );
    }
}

#[test]
fn every_real_source_survives_export_and_import_in_csv_and_json() {
    for (dataset, name) in SOURCES {
        let Some(dir) = shared::dataset(dataset) else { return };
        let source = import_fleet(&dir.join(name), None).unwrap();
        for (format, file, expected) in [
            (ExportFormat::Csv, "export.csv", FleetFormat::DecarbCsv),
            (ExportFormat::Json, "export.json", FleetFormat::DecarbJson),
        ] {
            let bytes = export(&source, format, file);
            let copy =
                import_bytes(Path::new(file), &bytes, None).unwrap_or_else(|err| panic!("{name}: {err}"));
            assert_eq!(copy.report.format, expected);
            assert_eq!(copy.fleet.len(), source.fleet.len(), "{name} {file}");
            for (a, b) in source.fleet.plants.iter().zip(&copy.fleet.plants) {
                assert_eq!(a, b, "{name} {file}");
            }
            assert_eq!(copy.fleet, source.fleet, "{name} {file}");
            assert_eq!(copy.units, source.units, "{name} {file}");
            assert_eq!(copy.report.plants, source.report.plants, "{name} {file}");
            assert_same_summaries(&source, &copy);
        }
    }
}

#[test]
fn a_csv_cannot_hold_plants_and_units_at_once() {
    let Some(dir) = shared::dataset("gem-iron-steel-tracker-2025-03") else { return };
    let plants = import_fleet(&dir.join("gist_plant_map_file_2025-03-25.csv"), None).unwrap();
    let units = import_fleet(&dir.join("gist_unit_map_file_2025-03-18.csv"), None).unwrap();
    let at = Location::file(Path::new("both.csv"));
    let err =
        write_fleet(&plants.fleet.plants, &units.units, ExportFormat::Csv, &mut Vec::new(), &at).unwrap_err();
    assert!(err.to_string().contains(".json"), "{err}");
    let mut json = Vec::new();
    write_fleet(&plants.fleet.plants, &units.units, ExportFormat::Json, &mut json, &at).unwrap();
    let both = import_bytes(Path::new("both.json"), &json, None).unwrap();
    assert_eq!((both.fleet.len(), both.units.len()), (plants.fleet.len(), 4983));
}

/// A plant's wiki page survives the round trip (SSAB Luleå's GEM.wiki page from GEM's 2025 file);
/// a `wiki_url` that is not an http(s) address is dropped with a warning naming it, in CSV and
/// in JSON alike, and a decarb CSV written before the column existed still reads.
#[test]
fn wiki_pages_round_trip_and_only_web_addresses_are_kept() {
    let Some(dir) = shared::dataset("gem-iron-steel-tracker-2025-03") else { return };
    let source = import_fleet(&dir.join("gist_plant_map_file_2025-03-25.csv"), None).unwrap();
    let lulea: Vec<_> = source.fleet.plants.iter().filter(|p| p.id == "P100000120845").cloned().collect();
    let csv = String::from_utf8(export(&source, ExportFormat::Csv, "export.csv")).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",status_slice,wiki_url"), "header");
    assert!(csv.contains(",https://www.gem.wiki/SSAB_Luleå_steel_plant\n"));

    let mut plant = lulea[0].clone();
    plant.wiki_url = Some("javascript:alert(1)".into());
    let one = Imported { fleet: decarb_model::Fleet { plants: vec![plant] }, ..source };
    for (format, file, column) in
        [(ExportFormat::Csv, "bad.csv", "wiki_url"), (ExportFormat::Json, "bad.json", "plants[0].wiki_url")]
    {
        let copy = import_bytes(Path::new(file), &export(&one, format, file), None).unwrap();
        assert_eq!(copy.fleet.plants[0].wiki_url, None, "{file}");
        let warning = copy.report.warnings.iter().find(|w| w.message.contains("no link kept")).unwrap();
        assert_eq!(warning.at.column.as_deref(), Some(column), "{warning:?}");
        assert!(warning.message.contains("javascript:alert(1)"), "{warning:?}");
    }
    // Without the column (an export of an earlier version): no link, no warning.
    let old: String = csv.lines().take(3).flat_map(|line| [line.rsplit_once(',').unwrap().0, "\n"]).collect();
    let copy = import_bytes(Path::new("old.csv"), old.as_bytes(), None).unwrap();
    assert_eq!(copy.fleet.len(), 2);
    assert!(copy.fleet.plants.iter().all(|p| p.wiki_url.is_none()));
    assert!(!copy.report.warnings.iter().any(|w| w.message.contains("no link kept")));
}
