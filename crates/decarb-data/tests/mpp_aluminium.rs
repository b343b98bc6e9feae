//! The MPP aluminium input folder reader: a small well-formed folder written here, copies of it
//! with one defect each (the error must name file, row, column, value and what was expected), and
//! the real published folders from `../shared/data/mpp-shared-code` when present.

use decarb_data::mpp_aluminium::{self, read_inputs};
use decarb_data::shared;
use std::io::Write as _;
use std::path::Path;

const BUDGET: &str = ",year,annual_limit\r\n0,2020,0.7835\r\n1,2021,0.76375\r\n";
const DEMAND: &str = "product,scenario,year,value,region\nAluminium,1.5deg,2020,3.0,Global\nAluminium,1.5deg,2021,3.5,Global\nAluminium,1.5deg,2020,3.0,China\n";
const EMISSIONS: &str = "\u{feff}product,technology,year,region,co2_scope1,co2_scope1_captured,co2_scope2,co2_scope3_upstream,co2_scope3_downstream\n\
Aluminium,Carbon Anode + Coal,2020,China - North,16.51594025,,0,,\n\
Aluminium,Carbon Anode + Grid,2020,China - North,2.092707548,,10.35042363,,\n\
Aluminium,Inert Anode + Grid,2020,China - North,0.062707548,,10.35,,\n";
const CHARACTERISTICS: &str = "product,technology,region,technology_lifetime,wacc,technology_classification,current_trl,expected_maturity,capacity_factor,year\n\
Aluminium,Carbon Anode + Coal,China - North,30,0.09,initial,,2020,,2020\n\
Aluminium,Carbon Anode + Grid,China - North,0,0.09,transition,,2020,,2020\n\
Aluminium,Inert Anode + Grid,China - North,0,0.09,end-state,,2030,,2020\n";
const ASSETS: &str = "\u{feff},shorthand,region,country,coordinates,product,technology,annual_production_capacity,year,capacity_factor,ppa_allowed\n\
0,Alum,China - North,China,\"40.1, 110.2\",Aluminium,Carbon Anode + Coal,2.0,2005,0.9,FALSE\n\
1,Alum,China - North,China,\"40.3, 110.4\",Aluminium,Carbon Anode + Grid,1.5,2010,0.8,TRUE\n";

fn write_folder(dir: &Path, replace: Option<(&str, &str)>) {
    let files = [
        (mpp_aluminium::FILE_CARBON_BUDGET, BUDGET),
        (mpp_aluminium::FILE_DEMAND, DEMAND),
        (mpp_aluminium::FILE_EMISSIONS, EMISSIONS),
        (mpp_aluminium::FILE_CHARACTERISTICS, CHARACTERISTICS),
        (mpp_aluminium::FILE_ASSETS, ASSETS),
    ];
    for (name, text) in files {
        let text = match replace {
            Some((file, new)) if file == name => new.to_owned(),
            _ => text.to_owned(),
        };
        std::fs::write(dir.join(name), text).unwrap();
    }
}

fn error_of(file: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    write_folder(dir.path(), Some((file, text)));
    read_inputs(dir.path()).unwrap_err().to_string()
}

#[test]
fn a_small_folder_reads_with_bom_crlf_and_index_columns() {
    let dir = tempfile::tempdir().unwrap();
    write_folder(dir.path(), None);
    let inputs = read_inputs(dir.path()).unwrap();
    assert_eq!(inputs.assets.len(), 2);
    assert_eq!(inputs.assets[1].row, 3);
    assert!(inputs.assets[1].ppa_allowed);
    assert_eq!(inputs.carbon_budget.get(&2021).copied(), Some(0.76375));
    assert_eq!(inputs.demand("Global").unwrap().values.get(&2021).copied(), Some(3.5));
    let (production, scope1) = inputs.stack_2020();
    assert!((production - 3.0).abs() < 1e-12, "{production}");
    assert!((scope1 - (1.8 * 16.515_940_25 + 1.2 * 2.092_707_548)).abs() < 1e-9, "{scope1}");
    assert_eq!(inputs.technologies(), ["Carbon Anode + Coal", "Carbon Anode + Grid", "Inert Anode + Grid"]);
    assert!(inputs.report.skipped.iter().any(|s| s.at.column.as_deref() == Some("coordinates")));
}

#[test]
fn gzipped_files_and_the_smelters_subfolder_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let smelters = dir.path().join("smelters");
    std::fs::create_dir(&smelters).unwrap();
    write_folder(&smelters, None);
    for name in [mpp_aluminium::FILE_EMISSIONS, mpp_aluminium::FILE_CHARACTERISTICS] {
        let plain = smelters.join(name);
        let bytes = std::fs::read(&plain).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&bytes).unwrap();
        std::fs::write(smelters.join(format!("{name}.gz")), gz.finish().unwrap()).unwrap();
        std::fs::remove_file(plain).unwrap();
    }
    let inputs = read_inputs(dir.path()).unwrap();
    assert_eq!(inputs.dir, smelters);
    assert_eq!(inputs.emissions.len(), 3);
    assert_eq!(inputs.characteristics.len(), 3);
    // A corrupt gzip names the file.
    std::fs::write(smelters.join("emissions.csv.gz"), b"not gzip").unwrap();
    let err = read_inputs(dir.path()).unwrap_err().to_string();
    assert!(err.contains("emissions.csv.gz") && err.contains("gzip"), "{err}");
}

#[test]
fn a_bad_cell_names_file_row_column_value_and_what_was_expected() {
    let err = error_of(mpp_aluminium::FILE_ASSETS, &ASSETS.replace("1.5,2010", "abc,2010"));
    for part in
        ["initial_asset_stack.csv", "row 3", "\"annual_production_capacity\"", "\"abc\"", "Mt per year"]
    {
        assert!(err.contains(part), "{part} missing in: {err}");
    }
    let err = error_of(mpp_aluminium::FILE_ASSETS, &ASSETS.replace("0.8,TRUE", "0.8,maybe"));
    assert!(err.contains("row 3") && err.contains("ppa_allowed") && err.contains("TRUE or FALSE"), "{err}");
    let err = error_of(mpp_aluminium::FILE_ASSETS, &ASSETS.replace("0.9,FALSE", "1.9,FALSE"));
    assert!(err.contains("row 2") && err.contains("capacity_factor") && err.contains("\"1.9\""), "{err}");
    let err = error_of(mpp_aluminium::FILE_EMISSIONS, &EMISSIONS.replace("16.51594025", "-1"));
    assert!(err.contains("emissions.csv") && err.contains("row 2") && err.contains("co2_scope1"), "{err}");
    let err = error_of(mpp_aluminium::FILE_CHARACTERISTICS, &CHARACTERISTICS.replace("end-state", "final"));
    assert!(
        err.contains("row 4") && err.contains("technology_classification") && err.contains("\"final\""),
        "{err}"
    );
    let err = error_of(mpp_aluminium::FILE_CHARACTERISTICS, &CHARACTERISTICS.replace(",2030,", ",soon,"));
    assert!(err.contains("row 4") && err.contains("expected_maturity") && err.contains("year"), "{err}");
    let err = error_of(mpp_aluminium::FILE_DEMAND, &DEMAND.replace("3.5", "lots"));
    assert!(err.contains("demand.csv") && err.contains("row 3") && err.contains("\"value\""), "{err}");
    let err = error_of(mpp_aluminium::FILE_CARBON_BUDGET, &BUDGET.replace("2021", "20x1"));
    assert!(err.contains("carbon_budget.csv") && err.contains("row 3") && err.contains("\"year\""), "{err}");
}

#[test]
fn missing_columns_files_and_routes_are_named() {
    let err = error_of(mpp_aluminium::FILE_ASSETS, &ASSETS.replace("capacity_factor", "cf"));
    assert!(err.contains("initial_asset_stack.csv") && err.contains("missing required column"), "{err}");
    assert!(err.contains("capacity_factor"), "{err}");
    // A file cut short in the middle of a row.
    let cut = &ASSETS[..ASSETS.len() - 12];
    let err = error_of(mpp_aluminium::FILE_ASSETS, cut);
    assert!(err.contains("initial_asset_stack.csv") && err.contains("row 3"), "{err}");
    // A route the emission table does not know.
    let err =
        error_of(mpp_aluminium::FILE_ASSETS, &ASSETS.replace("Carbon Anode + Grid", "Carbon Anode + Wind"));
    assert!(
        err.contains("row 3") && err.contains("technology") && err.contains("Carbon Anode + Wind"),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    write_folder(dir.path(), None);
    std::fs::remove_file(dir.path().join("demand.csv")).unwrap();
    let err = read_inputs(dir.path()).unwrap_err().to_string();
    assert!(err.contains("demand.csv") && err.contains("not found"), "{err}");
    let err = read_inputs(&dir.path().join("nowhere")).unwrap_err().to_string();
    assert!(err.contains("nowhere") && err.contains("not a folder"), "{err}");
}

/// The published folders: the lc-def copy (two files gzipped) and `aluminium/` (read through its
/// `smelters/` subfolder) give the same tables, and the 2020 stack matches the files.
#[test]
fn the_published_folders_read_and_match_the_files() {
    let Some(dataset) = shared::dataset("mpp-shared-code") else { return };
    let lc_def = read_inputs(&dataset.join("aluminium-inputs-lc-def")).unwrap();
    let parent = read_inputs(&dataset.join("aluminium")).unwrap();
    assert!(parent.dir.ends_with("smelters"));
    assert_eq!(lc_def.assets, parent.assets);
    assert_eq!(lc_def.emissions, parent.emissions);
    assert_eq!(lc_def.characteristics, parent.characteristics);
    assert_eq!(lc_def.demand, parent.demand);
    assert_eq!(lc_def.carbon_budget, parent.carbon_budget);
    // Row counts of DATA.md: 181 smelters, 11,835 factors, 12,400 characteristics, 372 demand rows
    // (12 series x 31 years), 33 budget years.
    assert_eq!(lc_def.assets.len(), 181);
    assert_eq!(lc_def.emissions.len(), 11_835);
    assert_eq!(lc_def.characteristics.len(), 12_400);
    assert_eq!(lc_def.demand.len(), 12);
    assert_eq!(lc_def.carbon_budget.len(), 33);
    // 2020: demand 65.29 Mt (demand.csv, Global), capacity 77.46 Mt, capacity x capacity factor
    // 60.99 Mt, scope 1 with emissions.csv's 2020 factors 588.9 Mt CO2 (computed from the files).
    let demand_2020 = lc_def.demand("Global").unwrap().values[&2020];
    assert!((demand_2020 - 65.287_62).abs() < 1e-4, "{demand_2020}");
    let capacity: f64 = lc_def.assets.iter().map(|a| a.capacity_mt).sum();
    assert!((capacity - 77.457_2).abs() < 1e-6, "{capacity}");
    let (production, scope1) = lc_def.stack_2020();
    assert!((production - 60.993_0).abs() < 1e-3, "{production}");
    assert!((scope1 - 588.935).abs() < 0.01, "{scope1}");
    assert!((lc_def.carbon_budget[&2050] - 0.018).abs() < 1e-12);
    // The refineries folder has the same layout and reads too.
    let refineries = read_inputs(&dataset.join("aluminium/refineries")).unwrap();
    assert_eq!(refineries.assets.len(), 94);
    assert!(refineries.assets.iter().all(|a| a.product == "Alumina"));
}
