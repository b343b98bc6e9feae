//! The MPP steel model's `carbon_cost` scenario on its own input folder (shared copy): reading
//! the folder, building the world, and the engine run alone. The reference model takes 10 min
//! 46 s end to end and 3 min 18 s in its solver (BENCHMARKS.md).

use decarb_data::mpp_steel::{MppSteelInputs, read_inputs};
use decarb_engine::{Scenario, World};
use std::path::PathBuf;

fn main() {
    divan::main();
}

fn inputs_dir() -> Option<PathBuf> {
    decarb_data::shared::dataset("mpp-steel-model").map(|d| d.join("inputs"))
}

fn prepared() -> Option<(MppSteelInputs, World, Scenario)> {
    let inputs = read_inputs(&inputs_dir()?).expect("the shared MPP inputs read");
    let world = decarb_scenario::mpp::world(&inputs).expect("the MPP world builds");
    let text = decarb_scenario::mpp::example("mpp-carbon-cost").expect("bundled");
    let scenario = decarb_scenario::mpp::scenario(text, "mpp-carbon-cost", &inputs, &world).expect("loads");
    Some((inputs, world, scenario))
}

/// Reading all 16 files the model's decisions depend on.
#[divan::bench(sample_count = 10)]
fn read_mpp_inputs(bencher: divan::Bencher) {
    let Some(dir) = inputs_dir() else { return };
    bencher.bench(|| read_inputs(&dir).expect("reads"));
}

/// The engine run alone (cost tables, 30 years of decisions, accounting), `carbon_cost`, seed 42.
#[divan::bench(sample_count = 10)]
fn solve_carbon_cost(bencher: divan::Bencher) {
    let Some((_, world, scenario)) = prepared() else { return };
    bencher.bench(|| decarb_engine::run(&world, &scenario, 42).expect("runs"));
}
