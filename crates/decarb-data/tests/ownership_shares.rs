//! An owner or parent share above 100 % is an error naming the file, row, column and value in
//! decarb's own CSV (share lists and JSON); shares summing above 100.5 % are a warning naming the
//! row (GEM's own files have such rows, and a GEM fleet exported as decarb CSV must read back).

use decarb_data::{FleetFormat, import_bytes};
use std::path::Path;

const HEADER: &str = "id,source,name,sector,country,country_text,subnational,latitude,longitude,status,route,\
capacity_tpa,start,last_investment,owners,parents,status_slice";

fn decarb_csv(owners: &str, parents: &str) -> Vec<u8> {
    format!(
        "{HEADER}\nP1,test,Works A,steel,DEU,Germany,,,,operating,eaf,1000000,2001,,,,false\n\
P2,test,Works B,steel,DEU,Germany,,,,operating,eaf,1000000,2001,,\"{owners}\",\"{parents}\",false\n"
    )
    .into_bytes()
}

fn import_error(bytes: &[u8]) -> String {
    import_bytes(Path::new("plants.csv"), bytes, Some(FleetFormat::DecarbCsv)).unwrap_err().to_string()
}

#[test]
fn a_share_above_100_percent_is_an_error_naming_the_row() {
    let err = import_error(&decarb_csv("Acme AG [150%]", ""));
    for part in
        ["plants.csv", "row 3", "owners", "Acme AG [150%]", "at most 100 %", "\"Acme AG\" holds 150 %"]
    {
        assert!(err.contains(part), "{part} missing from: {err}");
    }
    let json = r#"[{""name"":""A"",""share"":1.5}]"#;
    let err = import_error(&decarb_csv(json, ""));
    assert!(err.contains("row 3") && err.contains("\"A\" holds 150 %"), "{err}");
}

#[test]
fn shares_summing_above_100_5_percent_are_a_warning_naming_the_row() {
    let imported = import_bytes(
        Path::new("plants.csv"),
        &decarb_csv("", "Acme AG [60%]; Beta SA [45%]"),
        Some(FleetFormat::DecarbCsv),
    )
    .unwrap();
    let warning = imported.report.warnings.iter().find(|w| w.message.contains("sum to 105 %")).unwrap();
    let at = warning.at.to_string();
    assert!(at.contains("plants.csv") && at.contains("row 3") && at.contains("parents"), "{at}");
}

#[test]
fn shares_within_rounding_are_accepted() {
    let imported = import_bytes(
        Path::new("plants.csv"),
        &decarb_csv("A [60.2%]; B [40.2%]", "C; D"),
        Some(FleetFormat::DecarbCsv),
    )
    .unwrap();
    let plant = &imported.fleet.plants[1];
    assert_eq!(plant.owners.len(), 2);
    assert_eq!(plant.owners[1].share, Some(0.402));
    assert!(plant.parents.iter().all(|p| p.share.is_none()));
}

#[test]
fn the_bundled_world_has_no_share_above_100_percent() {
    for plant in decarb_data::world::default_fleet().plants {
        for holders in [&plant.owners, &plant.parents] {
            let total: f64 = holders.iter().filter_map(|h| h.share).sum();
            assert!(total <= 1.005, "{}: {holders:?}", plant.id);
        }
    }
}

/// The GEM iron and steel tracker (2025-03 plant file): a share above 100 % is an error naming
/// the row and column; shares summing above 100.5 % are a warning.
#[test]
fn a_gem_share_above_100_percent_is_an_error_and_a_high_sum_a_warning() {
    let Some(dir) = decarb_data::shared::dataset("gem-iron-steel-tracker-2025-03") else { return };
    let text = std::fs::read_to_string(dir.join("gist_plant_map_file_2025-03-25.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let parent = header.iter().position(|h| h == "parent").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().take(3).map(Result::unwrap).collect();
    let with_parent = |value: &str| {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(&header).unwrap();
        for (i, row) in rows.iter().enumerate() {
            let mut fields: Vec<&str> = row.iter().collect();
            if i == 1 {
                fields[parent] = value;
            }
            writer.write_record(&fields).unwrap();
        }
        writer.into_inner().unwrap()
    };
    let name = Path::new("gist_plant_map_file_2025-03-25.csv");
    let err = import_bytes(name, &with_parent("Acme AG [150%]"), None).unwrap_err().to_string();
    for part in ["row 3", "\"parent\"", "\"Acme AG\" holds 150 %"] {
        assert!(err.contains(part), "{part} missing from: {err}");
    }
    let imported = import_bytes(name, &with_parent("Acme AG [60%]; Beta SA [45%]"), None).unwrap();
    assert!(
        imported
            .report
            .warnings
            .iter()
            .any(|w| w.message.contains("sum to 105 %") && w.at.to_string().contains("row 3")),
        "{:?}",
        imported.report.warnings
    );
}
