//! Solve time of the engine (release: `cargo bench -p decarb-engine`), and the IAMC export of a
//! run (`iamc_export_four_sectors`: table and files, the run itself outside the timing). The world
//! is assembled and the GEM workbook read once, outside the timed closure: these figures are solve
//! time only.
//! End-to-end timings (`decarb run --fleet <GEM xlsx>`) are taken with hyperfine; see
//! BENCHMARKS.md.

use decarb_engine::examples::example;
use decarb_engine::{Scenario, World};
use decarb_model::Sector;

fn main() {
    divan::main();
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a thread pool")
}

fn scenario(world: &World, name: &str, sectors: &[Sector]) -> Scenario {
    let mut scenario =
        decarb_scenario::load(example(name).expect("bundled example"), name, world).expect("loads");
    scenario.sectors = sectors.to_vec();
    scenario
}

/// Steel 2020-2050 on the GEM 2023 workbook (1,433 plants), one core.
#[divan::bench(args = ["baseline", "carbon-price", "net-zero-2050"])]
fn steel_gem_2023_one_core(bencher: divan::Bencher, name: &str) {
    let Some(dir) = decarb_data::shared::dataset("gem-steel-plant-tracker-2023-03") else { return };
    let imported = decarb_data::import_fleet(&dir.join("global_steel_plant_tracker_2023_03.xlsx"), None)
        .expect("the GEM workbook imports");
    let mut world = decarb_scenario::bundled::default_world();
    world.fleet = decarb_scenario::bundled::replace_sectors(std::mem::take(&mut world.fleet), imported.fleet);
    let scenario = scenario(&world, name, &[Sector::Steel]);
    let pool = pool(1);
    bencher.bench_local(|| pool.install(|| decarb_engine::run(&world, &scenario, 42).expect("runs")));
}

/// All four sectors of the bundled world on one core, without per-plant pathways (as ensembles
/// run), to measure what recording them costs.
#[divan::bench]
fn bundled_world_all_sectors_without_plant_pathways(bencher: divan::Bencher) {
    let world = decarb_scenario::bundled::default_world();
    let scenario = scenario(&world, "net-zero-2050", &Sector::ALL);
    let pool = pool(1);
    let options = decarb_engine::RunOptions { record_plants: false };
    bencher.bench_local(|| {
        pool.install(|| decarb_engine::run_with_options(&world, &scenario, 42, options).expect("runs"))
    });
}

/// All four sectors of the bundled world, on one and two cores.
#[divan::bench(args = [1, 2])]
fn bundled_world_all_sectors(bencher: divan::Bencher, threads: usize) {
    let world = decarb_scenario::bundled::default_world();
    let scenario = scenario(&world, "net-zero-2050", &Sector::ALL);
    let pool = pool(threads);
    bencher.bench_local(|| pool.install(|| decarb_engine::run(&world, &scenario, 42).expect("runs")));
}

/// The IAMC export of a four-sector run (net-zero-2050 on the bundled world, solved once outside
/// the timed closure): building the table (World, regions, countries from the per-plant pathways)
/// and writing iamc.csv and iamc.xlsx to memory, as `decarb run --iamc` does (less the disk write).
#[divan::bench]
fn iamc_export_four_sectors(bencher: divan::Bencher) {
    let world = decarb_scenario::bundled::default_world();
    let scenario = scenario(&world, "net-zero-2050", &Sector::ALL);
    let outcome = decarb_engine::run(&world, &scenario, 42).expect("runs");
    bencher.bench_local(|| {
        let table = decarb_engine::iamc::table(&outcome, &world.fleet);
        let csv = decarb_data::iamc::csv_bytes(&table).expect("csv");
        let xlsx = decarb_data::iamc::xlsx_bytes(&table).expect("xlsx");
        (csv.len(), xlsx.len())
    });
}

/// The parts of `iamc_export_four_sectors`: building the table, writing the CSV, writing the xlsx.
#[divan::bench(args = ["table", "csv", "xlsx"])]
fn iamc_export_parts(bencher: divan::Bencher, part: &str) {
    let world = decarb_scenario::bundled::default_world();
    let scenario = scenario(&world, "net-zero-2050", &Sector::ALL);
    let outcome = decarb_engine::run(&world, &scenario, 42).expect("runs");
    let table = decarb_engine::iamc::table(&outcome, &world.fleet);
    bencher.bench_local(|| match part {
        "table" => decarb_engine::iamc::table(&outcome, &world.fleet).rows.len(),
        "csv" => decarb_data::iamc::csv_bytes(&table).expect("csv").len(),
        _ => decarb_data::iamc::xlsx_bytes(&table).expect("xlsx").len(),
    });
}
