//! The MPP steel model's input folder, read from the shared copy (`mpp-steel-model/inputs`):
//! real counts and values (DATA.md, TECHNOLOGY.md §1, §6.2, §7.1, §7.3), agreement with decarb's
//! bundled steel routes, and damaged copies that give errors naming the file and column.

// Values read from text compare exactly with the literals the files hold.
#![allow(clippy::float_cmp)]

use decarb_data::mpp_steel::{self, InitialTechnology, MppSteelInputs, PowerModel, read_inputs};
use decarb_data::{facts, shared};
use decarb_model::{Commodity, PlantStatus, Reported};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn inputs_dir() -> Option<PathBuf> {
    shared::dataset("mpp-steel-model").map(|d| d.join("inputs"))
}

fn inputs() -> Option<&'static MppSteelInputs> {
    static INPUTS: OnceLock<Option<MppSteelInputs>> = OnceLock::new();
    INPUTS.get_or_init(|| inputs_dir().map(|dir| read_inputs(&dir).unwrap())).as_ref()
}

fn close(a: f64, b: f64, relative: f64) -> bool {
    (a - b).abs() <= relative * b.abs().max(1e-9)
}

#[test]
fn the_plant_list_has_its_1384_plants_with_their_statuses_and_placeholders() {
    let Some(inputs) = inputs() else { return };
    let plants = &inputs.plants;
    assert_eq!(plants.len(), 1_384);
    let mut statuses = BTreeMap::new();
    for plant in plants {
        *statuses.entry(plant.status_text.as_str()).or_insert(0) += 1;
    }
    let expected =
        [("closed", 28), ("construction", 91), ("mothballed", 32), ("operating", 984), ("proposed", 249)];
    assert_eq!(statuses.into_iter().collect::<Vec<_>>(), expected);
    assert_eq!(plants.iter().filter(|p| p.status == PlantStatus::Announced).count(), 249);
    assert_eq!(plants.iter().filter(|p| p.start_year.is_none()).count(), 194);
    assert_eq!(plants.iter().filter(|p| p.technology_2020 == InitialTechnology::Zero).count(), 27);
    assert_eq!(plants.iter().filter(|p| p.technology_2020 == InitialTechnology::Blank).count(), 10);
    assert_eq!(plants.iter().filter(|p| p.nominal_capacity_kt == Reported::Blank).count(), 33);
    assert_eq!(plants.iter().filter(|p| p.primary_capacity).count(), 739);
    // The first row, as in the file: STE02421, Algeria, DRI-EAF, 2,200 kt from 2013.
    let first = &plants[0];
    assert_eq!(
        (first.id.as_str(), first.country.as_str(), first.start_year),
        ("STE02421", "Algeria", Some(2013))
    );
    assert_eq!(first.technology_2020.route(), Some("DRI-EAF"));
    assert!(close(first.dri_eaf_kt, 2_200.0, 1e-12) && first.row == 2);
    // The model's 2020 stack: operating plants with a technology, 974 plants and 2,292.5 Mt
    // (the plant_result_df.csv of the reference run lists the same 974).
    let stack: Vec<_> = plants
        .iter()
        .filter(|p| p.status == PlantStatus::Operating && p.technology_2020.route().is_some())
        .collect();
    assert_eq!(stack.len(), 974);
    let capacity_mt: f64 = stack.iter().map(|p| p.capacity_kt()).sum::<f64>() / 1e3;
    assert!(close(capacity_mt, 2_292.55, 1e-5), "{capacity_mt}");
}

#[test]
fn production_demand_and_scrap_match_the_published_figures() {
    let Some(inputs) = inputs() else { return };
    let wsa: f64 = inputs.wsa_production.iter().map(|w| w.production).sum();
    assert!(close(wsa, 1_880.4, 5e-4), "{wsa}");
    assert_eq!(inputs.wsa_production.len(), 11);
    let world = |metric, scenario, year| inputs.world(metric, scenario, year).unwrap();
    for (year, bau, high) in [(2020, 1_953.0, 1_929.0), (2030, 2_175.0, 1_729.0), (2050, 2_547.0, 1_507.0)] {
        let (b, h) =
            (world("Crude steel demand", "BAU", year), world("Crude steel demand", "High Circ", year));
        assert!((b - bau).abs() < 0.5 && (h - high).abs() < 0.5, "{year}: {b} {h}");
    }
    for (year, scrap) in [(2020, 692.0), (2030, 902.0), (2050, 1_452.0)] {
        let s = world("Scrap availability", "BAU", year);
        assert!((s - scrap).abs() < 0.5, "{year}: {s}");
    }
    // The World row is the sum of the 11 regions.
    let regions: f64 = inputs
        .demand
        .iter()
        .filter(|d| d.metric == "Crude steel demand" && d.scenario == "BAU" && d.region != "World")
        .map(|d| d.values[&2050])
        .sum();
    assert!(close(regions, world("Crude steel demand", "BAU", 2050), 1e-6), "{regions}");
}

#[test]
fn costs_match_technology_md_in_eur_as_stored() {
    let Some(inputs) = inputs() else { return };
    let costs = &inputs.capex_opex;
    let gf = |route, year| costs.greenfield_eur(route, year).unwrap();
    // TECHNOLOGY.md §1.2, EUR per t/yr.
    assert!(close(gf("Avg BF-BOF", 2020), 872.0, 1e-3));
    assert!(close(gf("BAT BF-BOF", 2050), 1_067.0, 1e-3));
    assert!(close(gf("DRI-EAF", 2030), 698.0, 1e-3));
    assert!(close(gf("EAF", 2020), 210.0, 1e-3));
    assert!(close(gf("Smelting Reduction", 2020), 599.0, 1e-3));
    assert!(close(gf("Smelting Reduction", 2030), 405.0, 2e-3));
    assert!(close(gf("Smelting Reduction", 2050), 358.0, 1e-3));
    assert!(close(gf("BAT BF-BOF+CCUS", 2050), 1_188.0, 1e-3));
    assert!(close(costs.renewal_eur("Avg BF-BOF", 2020).unwrap(), 188.0, 3e-3));
    assert!(close(costs.other_opex_eur("Avg BF-BOF", 2020).unwrap(), 124.0, 3e-3));
    assert!(close(costs.other_opex_eur("Close plant", 2020).unwrap(), 526.0, 1e-3));
    assert!(close(mpp_steel::CapexOpex::usd(gf("Avg BF-BOF", 2020)), 994.0, 1e-3));
    // Feedstock prices are EUR (§6.2).
    let iron_ore = mpp_steel::static_value(&inputs.feedstock_prices, "Iron ore", 2020).unwrap();
    assert!(close(iron_ore, 85.7, 1e-3));
    let unit = &inputs.feedstock_prices.iter().find(|v| v.metric == "Scrap").unwrap().unit;
    assert!(unit.starts_with("EUR"), "{unit}");
}

#[test]
fn price_models_hold_the_values_technology_md_quotes() {
    let Some(inputs) = inputs() else { return };
    // §6.2: EU industry grid, Decarbonized, Baseline 114 / 106 / 82; Min 80 in 2020.
    let grid = &inputs.power.grid_price;
    let eu = PowerModel::find(grid, "EU", "Industry", "Decarbonized", "Baseline").unwrap();
    assert_eq!((eu.values[&2020], eu.values[&2030], eu.values[&2050]), (114.0, 106.0, 82.0));
    let eu_min = PowerModel::find(grid, "EU", "Industry", "Decarbonized", "Min").unwrap();
    assert_eq!(eu_min.values[&2020], 80.0);
    assert_eq!(inputs.power.grid_price.len(), 252);
    assert_eq!(inputs.power.res_price.len(), 1_800);
    // H2, utility plant with dedicated VRE, EU: Baseline 3.5 (2020), Min 1.7 (2030).
    let h2 = |region: &str, case: &str, year| {
        inputs
            .hydrogen
            .iter()
            .find(|h| {
                h.region == region
                    && h.cost_scenario == case
                    && h.production == "Utility plant, dedicated VREs"
            })
            .unwrap()
            .values[&year]
    };
    assert!(close(h2("EU", "Baseline", 2020), 3.5, 0.02));
    assert!(close(h2("EU", "Min", 2030), 1.7, 0.03));
    // Gas, Europe: BAU 8 vs Decarbonized 4 USD/MMBtu in 2030; 2022 spike 34.
    let gas = |scenario: &str, year| {
        inputs
            .fossil_fuels
            .iter()
            .find(|f| f.region == "Europe" && f.variable == "Natural gas" && f.scenario == scenario)
            .unwrap()
            .values[&year]
    };
    assert_eq!((gas("BAU", 2030), gas("Decarbonized", 2030), gas("BAU", 2022)), (8.0, 4.0, 34.0));
    // CCS storage constraint, Low, 2020: 39 Mt world; Capture Europe pure flow 24.2 (2020).
    let low_2020 = inputs.ccs.constraint.iter().find(|c| c.scenario == "Low" && c.year == 2020).unwrap();
    assert_eq!(low_2020.by_region["Global"], 39.0);
    assert_eq!(inputs.ccs.constraint.len(), 62);
    let pure =
        inputs.ccs.capture.iter().find(|c| c.region == "Europe" && c.flow_type == "Pure Flow").unwrap();
    assert_eq!(pure.values[&2020], 24.2);
    // Biomass for steel, Prudent: 9 / 6 / 3 / 0 EJ.
    let steel =
        inputs.bio.constraint.iter().find(|c| c.scenario == "Prudent" && c.sector == "Steel").unwrap();
    assert_eq!(steel.values.values().copied().collect::<Vec<_>>(), [9.0, 6.0, 3.0, 0.0]);
    // Scope 1 factors (kg CO2/GJ): BF gas 260, natural gas 55; CCU market 2 Mt in 2020.
    assert_eq!(mpp_steel::static_value(&inputs.scope1_factors, "BF gas", 2020), Some(260.0));
    assert_eq!(mpp_steel::static_value(&inputs.scope1_factors, "Natural gas", 2020), Some(55.0));
    assert_eq!(inputs.ccu_capacity[&2020], 2.0);
    // Countries: 249, each with one of the 11 model regions.
    assert_eq!(inputs.countries.len(), 249);
    let regions: std::collections::BTreeSet<_> =
        inputs.countries.iter().map(|c| c.model_region.as_str()).collect();
    assert_eq!(regions.len(), 11, "{regions:?}");
    assert_eq!(mpp_steel::country(&inputs.countries, "China").unwrap().model_region, "China");
    // Every country of the plant list resolves to an ISO code of the reference (the plant list
    // writes "North Korea", the reference "Democratic People's Republic of Korea").
    // Taiwan is the one country missing from the reference (the model's code adds TWN by hand).
    let mut missing = std::collections::BTreeSet::new();
    for plant in &inputs.plants {
        let code =
            decarb_model::CountryCode::resolve(&plant.country).unwrap_or_else(|| panic!("{}", plant.country));
        if mpp_steel::country_by_iso3(&inputs.countries, code.as_str()).is_none() {
            missing.insert(code.as_str().to_owned());
        }
    }
    assert_eq!(missing.into_iter().collect::<Vec<_>>(), ["TWN"]);
    // The parts decarb does not read are listed.
    let skipped: Vec<String> = inputs.report.skipped.iter().map(|s| s.at.to_string()).collect();
    assert!(skipped.iter().any(|s| s.contains("Plastic Prices.csv")), "{skipped:?}");
    assert!(skipped.iter().any(|s| s.contains("Nominal OHF steel capacity")), "{skipped:?}");
}

/// Every imported business case agrees with the bundled route within 0.1 % (or 0.001 absolute
/// where the value is near zero): inputs, CO2, capex, availability.
#[test]
fn imported_business_cases_match_the_bundled_routes() {
    let Some(inputs) = inputs() else { return };
    let cases = &inputs.business_cases;
    assert_eq!(cases.routes.len(), 22);
    let agree = |a: f64, b: f64| (a - b).abs() <= 1e-3 * b.abs() || (a - b).abs() < 1e-3;
    for (name, id) in mpp_steel::ROUTE_IDS {
        let tech = facts::technology(id).unwrap_or_else(|| panic!("{id} not bundled"));
        let case = |material| cases.value(name, material).unwrap();
        let checks = [
            ("iron ore", case("Iron ore"), tech.inputs[Commodity::IronOre]),
            ("scrap", case("Scrap"), tech.inputs[Commodity::Scrap]),
            ("met coal", case("Met coal"), tech.inputs[Commodity::MetCoal]),
            ("coke", case("Coke"), tech.inputs[Commodity::Coke]),
            ("thermal coal", case("Thermal coal"), tech.inputs[Commodity::Coal]),
            ("natural gas", case("Natural gas"), tech.inputs[Commodity::NaturalGas]),
            ("hydrogen", case("Hydrogen"), tech.inputs[Commodity::Hydrogen]),
            ("electricity", case("Electricity") / 3.6, tech.inputs[Commodity::Electricity]),
            ("bio", case("Biomass") + case("Biomethane"), tech.inputs[Commodity::Biomass]),
            ("CO2 before capture", case("Emissivity wout CCS"), tech.direct_co2.0),
            ("net CO2", case("Emissivity"), tech.net_direct_co2().0),
            (
                "greenfield capex 2020",
                mpp_steel::CapexOpex::usd(inputs.capex_opex.greenfield_eur(name, 2020).unwrap()),
                tech.capex_greenfield.0,
            ),
            (
                "greenfield capex 2050",
                mpp_steel::CapexOpex::usd(inputs.capex_opex.greenfield_eur(name, 2050).unwrap()),
                tech.capex_greenfield_in(2050).0,
            ),
            (
                "renewal capex",
                mpp_steel::CapexOpex::usd(inputs.capex_opex.renewal_eur(name, 2020).unwrap()),
                tech.capex_renewal.0,
            ),
            (
                "other opex",
                mpp_steel::CapexOpex::usd(inputs.capex_opex.other_opex_eur(name, 2020).unwrap()),
                tech.fixed_opex.0,
            ),
        ];
        for (what, imported, bundled) in checks {
            assert!(agree(imported, bundled), "{name} {what}: imported {imported}, bundled {bundled}");
        }
        let availability = inputs.availability(name).unwrap();
        assert_eq!(availability.from, tech.available_from, "{name}");
        assert_eq!(availability.phase.to_ascii_lowercase(), tech.phase.as_str(), "{name}");
    }
}

// ---- damaged copies ----

fn copy_folder(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    // Copies of read-only files are read-only too.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let mut permissions = std::fs::metadata(&path).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        permissions.set_readonly(false);
        std::fs::set_permissions(&path, permissions).unwrap();
    }
    dir
}

fn error_of(dir: &Path) -> String {
    match read_inputs(dir) {
        Ok(_) => panic!("damaged folder read without error"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn a_renamed_csv_column_is_an_error_naming_file_and_column() {
    let Some(source) = inputs_dir() else { return };
    let copy = copy_folder(&source);
    let path = copy.path().join("Regional Steel Demand.csv");
    let text = std::fs::read_to_string(&path).unwrap().replacen("Scenario", "Scenery", 1);
    std::fs::write(&path, text).unwrap();
    let err = error_of(copy.path());
    assert!(err.contains("Regional Steel Demand.csv") && err.contains("\"Scenario\""), "{err}");
}

#[test]
fn a_bad_value_is_an_error_naming_row_column_value_and_expectation() {
    let Some(source) = inputs_dir() else { return };
    let copy = copy_folder(&source);
    let path = copy.path().join("Technology Business Cases.csv");
    let text = std::fs::read_to_string(&path).unwrap().replacen("1.539020382", "1.5x", 1);
    std::fs::write(&path, text).unwrap();
    let err = error_of(copy.path());
    assert!(
        err.contains("Technology Business Cases.csv")
            && err.contains("row 2")
            && err.contains("\"Avg BF-BOF\"")
            && err.contains("1.5x")
            && err.contains("a number"),
        "{err}"
    );
}

#[test]
fn a_renamed_workbook_column_is_an_error_naming_file_sheet_and_column() {
    let Some(source) = inputs_dir() else { return };
    let copy = copy_folder(&source);
    // Rewrite the capex workbook with `Technology` renamed in the `Renewal capex` sheet.
    let mut book = rust_xlsxwriter::Workbook::new();
    let original = read_inputs(&source).unwrap().capex_opex;
    for (name, table) in [
        ("GF capex", &original.greenfield),
        ("Renewal capex", &original.renewal),
        ("Other Opex", &original.other_opex),
    ] {
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        sheet.write(0, 0, if name == "Renewal capex" { "Route" } else { "Technology" }).unwrap();
        for (col, year) in (1u16..).zip(2020..=2050) {
            sheet.write(0, col, year).unwrap();
        }
        for (row, (route, values)) in (1u32..).zip(table) {
            sheet.write(row, 0, route.as_str()).unwrap();
            for (col, value) in (1u16..).zip(values.values()) {
                sheet.write(row, col, *value).unwrap();
            }
        }
    }
    book.save(copy.path().join("CAPEX OPEX Per Technology.xlsx")).unwrap();
    let err = error_of(copy.path());
    assert!(
        err.contains("CAPEX OPEX Per Technology.xlsx")
            && err.contains("Renewal capex")
            && err.contains("\"Technology\""),
        "{err}"
    );
}

/// Each file cut to half its length gives an error naming that file, never a panic.
#[test]
fn every_file_cut_short_is_an_error_naming_it() {
    let Some(source) = inputs_dir() else { return };
    let copy = copy_folder(&source);
    let mut names: Vec<String> = std::fs::read_dir(&source)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let not_read: Vec<&str> = mpp_steel::FILES_NOT_USED.iter().map(|(f, _)| *f).collect();
    for name in names.iter().filter(|n| !not_read.contains(&n.as_str())) {
        let path = copy.path().join(name);
        let original = std::fs::read(&path).unwrap();
        std::fs::write(&path, &original[..original.len() / 2]).unwrap();
        let err = match read_inputs(copy.path()) {
            Ok(_) => panic!("{name} cut to half read without error"),
            Err(err) => err.to_string(),
        };
        assert!(err.contains(name.as_str()), "{name}: {err}");
        std::fs::write(&path, &original).unwrap();
    }
    // A missing file is named too.
    std::fs::remove_file(copy.path().join("H2 Model.xlsx")).unwrap();
    let err = error_of(copy.path());
    assert!(err.contains("H2 Model.xlsx") && err.contains("not found"), "{err}");
}
