//! The MPP ammonia model's input folder, read from the shared copy (`mpp-shared-code/ammonia`):
//! the 2020 stack's production and scope 1 against the model's own reference run (TECHNOLOGY.md
//! §7.1, §7.3), MPP's per-year costs of the electrolytic routes (§4.1), the gzipped layout, and
//! damaged copies that give errors naming the file, row and column.

use decarb_data::mpp_ammonia::{MppAmmoniaInputs, read_inputs, read_outputs};
use decarb_data::shared;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn dir() -> Option<PathBuf> {
    shared::dataset("mpp-shared-code").map(|d| d.join("ammonia"))
}

fn inputs() -> Option<&'static MppAmmoniaInputs> {
    static INPUTS: OnceLock<Option<MppAmmoniaInputs>> = OnceLock::new();
    INPUTS.get_or_init(|| dir().map(|dir| read_inputs(&dir).unwrap())).as_ref()
}

fn close(a: f64, b: f64, relative: f64) -> bool {
    (a - b).abs() <= relative * b.abs().max(1e-9)
}

#[test]
fn the_2020_stack_gives_the_reference_runs_2020_production_and_scope_1() {
    let (Some(inputs), Some(dir)) = (inputs(), dir()) else { return };
    assert_eq!(inputs.stack.len(), 33);
    let run = read_outputs(&dir.join("model_outputs/lc_ng_partial_cc200_emissions_trajectory.csv")).unwrap();
    assert_eq!(run.name, "lc_ng_partial_cc200");
    // The run's 2020: 184.7 Mt NH3-eq on its roadmap, 432.95 Mt CO2 scope 1.
    assert!(close(run.production(2020), 184.73, 1e-3), "{}", run.production(2020));
    assert!(close(run.scope1(2020), 432.954, 1e-5));
    // The stack produces 195.4 Mt NH3-eq in 2020; the run follows demand (185.4 Mt NH3-eq).
    assert!(close(inputs.stack_volume_nh3() / 1e6, 195.4, 0.001), "{}", inputs.stack_volume_nh3());
    let demand = inputs.world_demand_nh3("NZ");
    assert!(close(demand[&2020] / 1e6, run.production(2020), 0.01), "{}", demand[&2020]);
    // The run's 2020 routes x the read scope 1 factors give its 2020 scope 1 within 3 %.
    let scope1: f64 = run
        .roadmap
        .iter()
        .map(|(route, mt)| mt[&2020] * inputs.factors(route).map_or(0.0, |f| f.after_capture))
        .sum();
    assert!(close(scope1, run.scope1(2020), 0.03), "{scope1}");
    // 2020 world demand, NZ: 62.8 NH3 + 179.3 urea + 49.3 AN in NH3-eq, ≈ 185.4 Mt (§7.1).
    let demand = inputs.world_demand_nh3("NZ");
    assert!(close(demand[&2020] / 1e6, 185.4, 0.002), "{}", demand[&2020]);
}

#[test]
fn the_electrolytic_routes_carry_mpps_own_yearly_costs() {
    let Some(inputs) = inputs() else { return };
    let vre = "Electrolyser - dedicated VRES + H2 storage - geological + ammonia synthesis";
    let variable = inputs.series("Ammonia", "Europe", vre, "Variable OPEX").unwrap();
    let fixed = inputs.series("Ammonia", "Europe", vre, "Fixed OPEX").unwrap();
    assert!(close(variable[&2020], 554.0, 0.002), "{}", variable[&2020]);
    assert!(close(fixed[&2020], 103.5, 0.002) && close(fixed[&2030], 33.0, 0.02), "{fixed:?}");
    // 33.7 GJ/t of on-site VRE electricity beside 3.5 GJ of PPA power.
    let vre_power = inputs.quantity("Ammonia", "Europe", vre, "Electricity - on site VREs", 2020);
    assert!(close(vre_power, 33.67, 0.01), "{vre_power}");
    assert_eq!(inputs.co2_storage_additions.len(), 31);
    assert!(close(inputs.electrolysis_additions[&2050], 97.42, 1e-3));
    assert!(inputs.report.skipped.iter().any(|s| s.at.file.ends_with("project_pipeline.csv")));
}

fn copy(dir: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, tmp.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    tmp
}

#[test]
fn a_gzipped_file_reads_like_the_plain_one() {
    let (Some(inputs), Some(dir)) = (inputs(), dir()) else { return };
    let tmp = copy(&dir);
    let plain = tmp.path().join("technology_characteristics.csv");
    let bytes = std::fs::read(&plain).unwrap();
    let gz = std::fs::File::create(tmp.path().join("technology_characteristics.csv.gz")).unwrap();
    let mut encoder = flate2::write::GzEncoder::new(gz, flate2::Compression::fast());
    std::io::Write::write_all(&mut encoder, &bytes).unwrap();
    encoder.finish().unwrap();
    std::fs::remove_file(&plain).unwrap();
    let again = read_inputs(tmp.path()).unwrap();
    assert_eq!(again.characteristics, inputs.characteristics);
}

fn damage(file: &str, edit: impl Fn(&str) -> String) -> Option<String> {
    let dir = dir()?;
    let tmp = copy(&dir);
    let path = tmp.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(&text)).unwrap();
    Some(read_inputs(tmp.path()).unwrap_err().to_string())
}

#[test]
fn damaged_copies_give_errors_naming_file_row_column_value_and_expectation() {
    // A capacity that is not a number on the third data row (line 4).
    let Some(err) = damage("initial_asset_stack.csv", |t| t.replacen("5.368229349", "lots", 1)) else {
        return;
    };
    assert!(
        err.contains("initial_asset_stack.csv")
            && err.contains("row 5")
            && err.contains("annual_production_capacity")
            && err.contains("\"lots\"")
            && err.contains("expected"),
        "{err}"
    );
    // A route the characteristics do not know.
    let err =
        damage("initial_asset_stack.csv", |t| t.replacen("Coal Gasification + ammonia", "Coal magic", 1))
            .unwrap();
    assert!(err.contains("row 8") && err.contains("technology") && err.contains("Coal magic"), "{err}");
    // A year missing from a constraint.
    let err = damage("co2_storage_constraint.csv", |t| t.replace("Global,2037,", "Nowhere,2037,")).unwrap();
    assert!(err.contains("co2_storage_constraint.csv") && err.contains("2037"), "{err}");
    // A cost that is not a number.
    let err = damage("inputs_outputs_wide.csv", |t| {
        let mut lines: Vec<String> = t.lines().map(str::to_owned).collect();
        lines[2] = lines[2].replacen(",USD/tpa,", ",USD/tpa,n/a", 1);
        lines.join("\n")
    })
    .unwrap();
    assert!(
        err.contains("inputs_outputs_wide.csv") && err.contains("row 3") && err.contains("\"2020\""),
        "{err}"
    );
    // The lc-def folder alone lacks the cost table.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("initial_asset_stack.csv"), "product\n").unwrap();
    let err = read_inputs(tmp.path()).unwrap_err().to_string();
    assert!(err.contains("initial_asset_stack.csv"), "{err}");
}
