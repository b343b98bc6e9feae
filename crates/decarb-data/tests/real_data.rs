//! The importers on the real published files (`../shared/data`), checked against the counts and
//! totals documented in DATA.md.

use decarb_data::import::FleetFormat;
use decarb_data::summary::{self, Filter, GroupKey};
use decarb_data::{Imported, import_fleet, shared};
use decarb_model::{FurnaceKind, PlantStatus, Reported, Route};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn file(dataset: &str, name: &str) -> Option<PathBuf> {
    shared::dataset(dataset).map(|dir| dir.join(name))
}

fn import(dataset: &str, name: &str) -> Option<Imported> {
    let path = file(dataset, name)?;
    Some(import_fleet(&path, None).unwrap_or_else(|err| panic!("{err}")))
}

const GSPT: &str = "gem-steel-plant-tracker-2023-03";
const GIST: &str = "gem-iron-steel-tracker-2025-03";
const SFI: &str = "sfi-cement-2021";

fn status_counts(imported: &Imported) -> BTreeMap<PlantStatus, usize> {
    let mut counts = BTreeMap::new();
    for plant in &imported.fleet.plants {
        *counts.entry(plant.status).or_default() += 1;
    }
    counts
}

#[test]
fn gem_2023_workbook_has_1433_plants_and_2271_mt_operating() {
    let Some(gem) = import(GSPT, "global_steel_plant_tracker_2023_03.xlsx") else { return };
    assert_eq!(gem.report.format, FleetFormat::GemGspt);
    assert_eq!(gem.report.sheet.as_deref(), Some("Steel Plants"));
    assert_eq!(gem.fleet.len(), 1433);
    let expected = [
        (PlantStatus::Operating, 932),
        (PlantStatus::Construction, 117),
        (PlantStatus::Announced, 277),
        (PlantStatus::Mothballed, 24),
        (PlantStatus::Retired, 75),
        (PlantStatus::Cancelled, 8),
    ];
    assert_eq!(status_counts(&gem), expected.into_iter().collect());

    let filter = Filter { statuses: vec![PlantStatus::Operating], sectors: vec![] };
    let rows = summary::summarise_plants(&gem.fleet.plants, &[], &filter);
    assert_eq!(rows.len(), 1);
    let operating = &rows[0];
    assert_eq!(operating.plants, 932);
    assert!((operating.capacity.to_mt() - 2271.0).abs() / 2271.0 < 0.005, "{}", operating.capacity.to_mt());
    // The 43 operating plants with an empty crude steel cell are reported, not zeros.
    assert_eq!(operating.capacity_unknown, 43);
    let crude = gem.report.capacity_counts();
    assert_eq!((crude.blank, crude.positive, crude.unknown), (103, 2, 0));
    // SMY00015 names two different plants: both kept, one warning.
    assert_eq!(gem.fleet.plants.iter().filter(|p| p.id == "SMY00015").count(), 2);
    assert!(gem.report.warnings.iter().any(|w| w.message.contains("SMY00015")));
    // Every country of the tracker resolves to an ISO code (Türkiye included).
    assert!(gem.fleet.plants.iter().all(|p| p.country.is_some()), "{:?}", gem.report.warnings);
    // Main production process: electric 573, "electric, oxygen" 6, oxygen 63 are EAF or BOF;
    // integrated (BF) 530, (DRI) 109, (BF and DRI) 29 are BF-BOF or DRI-EAF.
    let routes = |wanted: &[Route]| gem.fleet.plants.iter().filter(|p| wanted.contains(&p.route)).count();
    assert_eq!(routes(&[Route::Eaf, Route::Bof]), 573 + 6 + 63);
    assert_eq!(routes(&[Route::BfBof, Route::DriEaf]), 530 + 109 + 29);
    assert_eq!(routes(&[Route::IronDri]), 32);
}

#[test]
fn gem_2023_workbook_and_its_csv_export_give_identical_fleets() {
    let Some(xlsx) = import(GSPT, "global_steel_plant_tracker_2023_03.xlsx") else { return };
    let Some(csv) = import(GSPT, "steel_plants.csv") else { return };
    assert_eq!(csv.report.format, FleetFormat::GemGspt);
    for (a, b) in xlsx.fleet.plants.iter().zip(&csv.fleet.plants) {
        assert_eq!(a, b);
    }
    assert_eq!(xlsx.fleet, csv.fleet);
    assert_eq!(xlsx.report.columns, csv.report.columns);
}

#[test]
fn sfi_cement_has_3117_plants_and_3087_mt() {
    let Some(sfi) = import(SFI, "SFI_ALD_Cement_Database.csv") else { return };
    assert_eq!(sfi.report.format, FleetFormat::SfiCement);
    assert_eq!(sfi.fleet.len(), 3117);
    let rows = summary::summarise_plants(&sfi.fleet.plants, &[], &Filter::default());
    assert!((rows[0].capacity.to_mt() - 3087.49).abs() < 0.01, "{}", rows[0].capacity.to_mt());
    assert_eq!(rows[0].capacity_unknown, 3117 - 1674);
    let by_route = summary::summarise_plants(&sfi.fleet.plants, &[GroupKey::Route], &Filter::default());
    let plants: BTreeMap<&str, usize> = by_route.iter().map(|r| (r.keys[0].as_str(), r.plants)).collect();
    assert_eq!(plants, [("cement-grinding", 738), ("cement-integrated", 2242), ("unknown", 137)].into());
    let statuses = status_counts(&sfi);
    assert_eq!(statuses[&PlantStatus::Construction], 7);
    let duplicates = sfi.report.warnings.iter().filter(|w| w.message.contains("occurs 2 times")).count();
    assert_eq!(duplicates, 8);
    assert!(sfi.fleet.plants.iter().all(|p| p.country.is_some()), "{:?}", sfi.report.warnings);
}

#[test]
fn sfi_workbook_and_csv_export_give_identical_fleets() {
    let Some(xlsx) = import(SFI, "SFI-Global-Cement-Database-July-2021.xlsx") else { return };
    let Some(csv) = import(SFI, "SFI_ALD_Cement_Database.csv") else { return };
    for (a, b) in xlsx.fleet.plants.iter().zip(&csv.fleet.plants) {
        assert_eq!(a, b);
    }
    assert_eq!(xlsx.fleet, csv.fleet);
}

#[test]
fn gist_unit_file_has_4983_units_in_1166_plants() {
    let Some(units) = import(GIST, "gist_unit_map_file_2025-03-18.csv") else { return };
    assert_eq!(units.report.format, FleetFormat::GemGistUnits);
    assert_eq!(units.units.len(), 4983);
    assert_eq!(units.report.plants, 1166);
    let count = |kind| units.units.iter().filter(|u| u.kind == kind).count();
    assert_eq!(
        FurnaceKind::ALL.map(count),
        [1591, 1503, 1287, 592, 10] // BF, BOF, EAF, DRI, OHF
    );
    let operating = units.units.iter().filter(|u| u.status == PlantStatus::Operating).count();
    assert_eq!(operating, 2862);
    assert_eq!(units.report.capacity_counts().positive, 42);
    assert_eq!(units.units.iter().filter(|u| u.last_relining.is_some()).count(), 508);
}

/// DATA.md: the sum of operating unit capacities by furnace type (`>0` as 0) equals the plant
/// file's operating BF / BOF / EAF / DRI columns, plant by plant.
#[test]
fn gist_operating_units_add_up_to_the_plant_file_columns_plant_by_plant() {
    let Some(units) = import(GIST, "gist_unit_map_file_2025-03-18.csv") else { return };
    let Some(plant_path) = file(GIST, "gist_plant_map_file_2025-03-25.csv") else { return };
    let mut from_units: BTreeMap<(String, FurnaceKind), f64> = BTreeMap::new();
    for unit in units.units.iter().filter(|u| u.status == PlantStatus::Operating) {
        let kt = unit.capacity.value().map_or(0.0, decarb_model::units::TonnesPerYear::to_kt);
        *from_units.entry((unit.plant_id.clone(), unit.kind)).or_default() += kt;
    }
    let mut reader = csv::Reader::from_path(&plant_path).unwrap();
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let columns = [
        (FurnaceKind::Bf, column("operating-nominal-bf-capacity-(ttpa)")),
        (FurnaceKind::Bof, column("operating-nominal-bof-steel-capacity-(ttpa)")),
        (FurnaceKind::Eaf, column("operating-nominal-eaf-steel-capacity-(ttpa)")),
        (FurnaceKind::Dri, column("operating-nominal-dri-capacity-(ttpa)")),
    ];
    let id = column("plant-id");
    let mut world: BTreeMap<FurnaceKind, f64> = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        for (kind, index) in columns {
            let plant_value: f64 = record[index].parse().unwrap();
            let unit_value = from_units.get(&(record[id].to_owned(), kind)).copied().unwrap_or(0.0);
            assert!(
                (plant_value - unit_value).abs() < 1e-6,
                "{} {kind}: {plant_value} vs {unit_value}",
                &record[id]
            );
            *world.entry(kind).or_default() += unit_value;
        }
    }
    let expected = [
        (FurnaceKind::Bf, 1_307_156.0),
        (FurnaceKind::Bof, 1_286_214.0),
        (FurnaceKind::Eaf, 671_902.0),
        (FurnaceKind::Dri, 154_984.0),
    ];
    assert_eq!(world, expected.into_iter().collect());
}

#[test]
fn gist_plant_file_status_totals_match_the_columns() {
    let Some(gist) = import(GIST, "gist_plant_map_file_2025-03-25.csv") else { return };
    assert_eq!(gist.report.format, FleetFormat::GemGistPlants);
    assert_eq!(gist.report.plants, 1204);
    assert_eq!(summary::distinct_plants(&gist.fleet.plants), 1204);
    let rows = summary::summarise_plants(&gist.fleet.plants, &[GroupKey::Status], &Filter::default());
    let mt: BTreeMap<&str, f64> = rows.iter().map(|r| (r.keys[0].as_str(), r.capacity.to_mt())).collect();
    let expected = [
        ("operating", 1997.317),
        ("operating-pre-retirement", 202.090),
        ("announced", 679.224),
        ("construction", 194.177),
        ("mothballed", 67.531),
        ("retired", 308.878),
        ("cancelled", 104.493),
    ];
    for (status, total) in expected {
        assert!((mt[status] - total).abs() < 1e-6, "{status}: {} vs {total}", mt[status]);
    }
    // Every plant is counted once in the total, whatever its number of status slices.
    let total = summary::summarise_plants(&gist.fleet.plants, &[], &Filter::default());
    assert_eq!(total[0].plants, 1204);
    assert!(gist.fleet.plants.iter().all(|p| p.country.is_some()), "{:?}", gist.report.warnings);
    assert!(gist.fleet.plants.iter().all(|p| matches!(p.capacity, Reported::Value(_))));
}

/// Each status of a GIST plant takes its route from that status's own equipment columns, not
/// from the plant's main process (`prod-method-tier`).
#[test]
fn gist_status_slices_take_their_route_from_their_own_equipment() {
    let Some(gist) = import(GIST, "gist_plant_map_file_2025-03-25.csv") else { return };
    let slice = |id: &str, status: PlantStatus| {
        gist.fleet
            .plants
            .iter()
            .find(|p| p.id == id && p.status == status)
            .unwrap_or_else(|| panic!("{id} {status:?} missing"))
    };
    // SSAB Oxelösund (P100000120844, tier IntegratedBF): the EAF under construction is
    // `construction-nominal-eaf-steel-capacity-(ttpa)` 1,500 with no DRI of that status: scrap EAF.
    let oxelosund = slice("P100000120844", PlantStatus::Construction);
    assert_eq!(oxelosund.route, Route::Eaf);
    assert!((oxelosund.capacity.value().unwrap().to_kt() - 1500.0).abs() < 1e-9);
    // Its operating (pre-retirement) BOF with BF ironmaking stays BF-BOF.
    assert_eq!(slice("P100000120844", PlantStatus::OperatingPreRetirement).route, Route::BfBof);
    // SSAB Luleå (P100000120845, tier IntegratedBFandDRI): the announced mini-mill (EAF 2,500, no
    // announced DRI) is scrap EAF, not BF-BOF; the operating HYBRIT pilot (EAF 13 with DRI 9) is
    // DRI-EAF; the pre-retirement BOF 2,300 with BF 2,555 is BF-BOF.
    let announced = slice("P100000120845", PlantStatus::Announced);
    assert_eq!(announced.route, Route::Eaf);
    assert!((announced.capacity.value().unwrap().to_kt() - 2500.0).abs() < 1e-9);
    assert_eq!(slice("P100000120845", PlantStatus::Operating).route, Route::DriEaf);
    assert_eq!(slice("P100000120845", PlantStatus::OperatingPreRetirement).route, Route::BfBof);
    // SSAB Raahe (P100000120468): announced EAF 2,600 is EAF while the BF-BOF retires.
    assert_eq!(slice("P100000120468", PlantStatus::Announced).route, Route::Eaf);
    assert_eq!(slice("P100000120468", PlantStatus::OperatingPreRetirement).route, Route::BfBof);
}

/// A release whose columns are spelled differently (GIST-style `Country/Area`, `Owner GEM ID`,
/// `Parent GEM ID`, slugged names), carries a column decarb has never met and is saved as
/// UTF-16 imports to the same fleet as the 2023 release, reports the extra column instead of
/// refusing the file, and keeps GEM's published operating total: 2,271 Mt/yr (DATA.md, GSPT
/// March 2023 "Steel Plants" sheet), within 0.5 %.
#[test]
fn a_release_with_renamed_and_new_columns_in_utf16_imports_like_the_original() {
    let Some(path) = file(GSPT, "steel_plants.csv") else { return };
    let original = import_fleet(&path, None).unwrap();
    // Rewrite the export with the csv crate (cells hold quoted line breaks).
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(|name| match name {
            "Country" => "Country/Area".to_owned(),
            "Owner PermID" => "Owner GEM ID".to_owned(),
            "Parent PermID [formula]" => "Parent GEM ID".to_owned(),
            "Plant name (English)" => "plant-name-(english)".to_owned(),
            "Start date" => "START_DATE".to_owned(),
            other => other.to_owned(),
        })
        .collect();
    header.push("Carbon capture readiness".to_owned());
    writer.write_record(&header).unwrap();
    for record in reader.records() {
        let mut record = record.unwrap();
        record.push_field("");
        writer.write_record(&record).unwrap();
    }
    let edited = String::from_utf8(writer.into_inner().unwrap()).unwrap();
    let utf16: Vec<u8> =
        [0xFF, 0xFE].into_iter().chain(edited.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let renamed =
        decarb_data::import_bytes("renamed.csv".as_ref(), &utf16, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(renamed.report.format, FleetFormat::GemGspt);
    assert_eq!(renamed.fleet, original.fleet);
    assert!(renamed.report.unmapped_columns.iter().any(|c| c == "Carbon capture readiness"));
    assert!(!original.report.unmapped_columns.iter().any(|c| c == "Country" || c == "Owner PermID"));
    assert!(renamed.report.summary(0).contains("not read"), "{}", renamed.report.summary(0));
    let filter = Filter { statuses: vec![PlantStatus::Operating], sectors: vec![] };
    let operating = summary::summarise_plants(&renamed.fleet.plants, &[], &filter)[0].capacity.to_mt();
    assert!((operating - 2271.0).abs() / 2271.0 < 0.005, "{operating}");
}

/// The GIST 2025 plant map file reads every capacity, status, name, owner and place column and
/// the wiki page; the columns it leaves aside are listed, and none of them is a capacity column.
#[test]
fn gist_plant_file_reports_the_columns_it_does_not_read() {
    let Some(gist) = import(GIST, "gist_plant_map_file_2025-03-25.csv") else { return };
    let unread = &gist.report.unmapped_columns;
    assert!(unread.iter().any(|c| c == "coordinate-accuracy"), "{unread:?}");
    assert!(!unread.iter().any(|c| c == "gem-wiki-page"), "{unread:?}");
    assert!(!unread.iter().any(|c| c.ends_with("nominal-crude-steel-capacity-(ttpa)")), "{unread:?}");
    assert!(!unread.iter().any(|c| c.ends_with("nominal-eaf-steel-capacity-(ttpa)")), "{unread:?}");
    assert!(!unread.iter().any(|c| c == "plant-id" || c == "country/area"), "{unread:?}");
}

/// GEM's plant files carry each plant's GEM.wiki page (`gem-wiki-page` in 2025, `GEM wiki page`
/// in 2023): every status slice of SSAB Luleå has it, and every link kept is an http(s) address.
#[test]
fn gem_plant_files_give_each_plants_wiki_page() {
    let Some(gist) = import(GIST, "gist_plant_map_file_2025-03-25.csv") else { return };
    let lulea: Vec<_> = gist.fleet.plants.iter().filter(|p| p.id == "P100000120845").collect();
    assert_eq!(lulea.len(), 3, "operating, announced and pre-retirement slices");
    for slice in &lulea {
        assert_eq!(slice.wiki_url.as_deref(), Some("https://www.gem.wiki/SSAB_Luleå_steel_plant"));
    }
    let linked = gist.fleet.plants.iter().filter(|p| p.wiki_url.is_some()).count();
    assert_eq!(linked, gist.fleet.plants.len(), "every 2025 row has a wiki page");
    let Some(gspt) = import(GSPT, "steel_plants.csv") else { return };
    let with_link: Vec<_> = gspt.fleet.plants.iter().filter_map(|p| p.wiki_url.as_deref()).collect();
    // 1,309 of the 1,433 rows of the 2023 CSV give a page; the other 124 cells are empty.
    assert_eq!((with_link.len(), gspt.fleet.plants.len()), (1309, 1433));
    assert!(with_link.iter().all(|url| url.starts_with("https://")));
    assert!(gspt.report.warnings.iter().all(|w| !w.message.contains("no link kept")));
}

/// A map file with one row per plant phase (the plant's statuses on separate rows with the same
/// plant id, as GEM's phase-level map files give them) folds back into the same plant: SSAB Luleå
/// split into its operating, announced and pre-retirement rows imports exactly as the one-row
/// plant, with a warning naming the rows.
#[test]
fn gist_plant_phase_rows_fold_into_one_plant() {
    let Some(path) = file(GIST, "gist_plant_map_file_2025-03-25.csv") else { return };
    let original = import_fleet(&path, None).unwrap();
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let header = reader.headers().unwrap().clone();
    // The status a capacity column belongs to (longest prefix first), None for other columns.
    let statuses = [
        "operating-pre-retirement",
        "mothballed-pre-retirement",
        "operating",
        "construction",
        "announced",
        "mothballed",
        "retired",
        "cancelled",
    ];
    let status_of = |name: &str| {
        let capacity = name.ends_with("(ttpa)") || name.ends_with("scaling-cap");
        statuses.iter().find(|s| capacity && name.starts_with(&format!("{s}-"))).copied()
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    let mut split = 0;
    for record in reader.records() {
        let record = record.unwrap();
        if &record[0] != "P100000120845" {
            writer.write_record(&record).unwrap();
            continue;
        }
        for phase in ["operating", "announced", "operating-pre-retirement"] {
            let row: Vec<&str> = header
                .iter()
                .zip(record.iter())
                .map(|(name, cell)| match status_of(name) {
                    Some(status) if status != phase => "0",
                    _ => cell,
                })
                .collect();
            writer.write_record(&row).unwrap();
            split += 1;
        }
    }
    assert_eq!(split, 3);
    let bytes = writer.into_inner().unwrap();
    let phased = decarb_data::import_bytes("phases.csv".as_ref(), &bytes, None).unwrap();
    assert_eq!(phased.report.rows, 1206);
    assert_eq!(phased.report.plants, 1204);
    assert_eq!(phased.fleet, original.fleet);
    let lulea: Vec<_> = phased.fleet.plants.iter().filter(|p| p.id == "P100000120845").collect();
    assert_eq!(lulea.len(), 3, "{lulea:?}");
    assert!(phased.report.warnings.iter().any(|w| w.message.contains("P100000120845 has 3 rows")));
}

/// GEM's published figure for the 2025 release is its GIST dashboard (`gem-gist-dashboard-2025`,
/// `gist_steelmaking.json`): 2,216.4 Mt/yr operating steelmaking capacity worldwide. The imported
/// 2025-03-25 plant map file gives 2,199.4 Mt/yr (operating plus operating pre-retirement), 0.77 %
/// lower, so issue 16's 0.5 % target is not met on this file. The per-country comparison below is
/// why: the importer reproduces the file's own columns exactly (test above), 43 of the dashboard's
/// 91 countries agree to 0.5 %, and the other 48 differ in both directions (the dashboard is higher
/// by 46.7 Mt/yr in some, lower by 29.8 Mt/yr in others), which a lost plant or column cannot
/// produce. The dashboard was built from another vintage of the tracker than the map file.
#[test]
fn gist_2025_import_against_gems_dashboard_country_by_country() {
    let Some(gist) = import(GIST, "gist_plant_map_file_2025-03-25.csv") else { return };
    let Some(dashboard) = file("gem-gist-dashboard-2025", "gist_steelmaking.json") else { return };
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(dashboard).unwrap()).unwrap();
    let mut published: BTreeMap<String, f64> = BTreeMap::new();
    for row in rows.iter().filter(|r| r["Status"] == "operating") {
        let kt: f64 =
            ["BOF", "EAF", "IF", "Other or unspecified"].iter().map(|k| row[k].as_f64().unwrap()).sum();
        published.insert(row["Country"].as_str().unwrap().to_owned(), kt / 1000.0);
    }
    let mut imported: BTreeMap<String, f64> = BTreeMap::new();
    for plant in gist.fleet.plants.iter().filter(|p| p.status.is_operating()) {
        let country = plant.country.as_ref().unwrap().name().to_owned();
        *imported.entry(country).or_default() += plant.capacity.value().unwrap().to_mt();
    }
    let world_published = published.remove("Global").unwrap();
    let world_imported: f64 = imported.values().sum();
    assert!((world_published - 2216.357).abs() < 1e-6, "{world_published}");
    assert!((world_imported - 2199.407).abs() < 1e-6, "{world_imported}");
    let gap = (world_published - world_imported) / world_published;
    assert!((gap - 0.00765).abs() < 0.0001, "{gap}");

    let (mut agree, mut higher, mut lower) = (0, 0.0, 0.0);
    for (name, &mt) in &published {
        let code = decarb_model::CountryCode::parse(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let ours = imported.get(code.name()).copied().unwrap_or(0.0);
        if (mt - ours).abs() <= 0.005 * mt.max(0.001) {
            agree += 1;
        } else if mt > ours {
            higher += mt - ours;
        } else {
            lower += ours - mt;
        }
    }
    assert_eq!(published.len(), 91);
    assert_eq!(agree, 43);
    assert!((higher - 46.721).abs() < 0.01, "{higher}");
    assert!((lower - 29.771).abs() < 0.01, "{lower}");
    // Every country of the file is in the dashboard.
    assert!(
        imported.keys().all(|name| published
            .keys()
            .any(|p| decarb_model::CountryCode::parse(p).unwrap().name() == name))
    );
}
