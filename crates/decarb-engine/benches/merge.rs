//! Merging the partial results of an ensemble run in shards (issue 18: "merging 100 shards of
//! 10,000 runs under 2 s"): merging 100 parts' cell bytes in order ([`Ensemble::merge_part`], what
//! `decarb merge` does after reading the files) and computing the bands. The parts are built once outside
//! the timed closure from one real run of the bundled world (all four sectors, `carbon-price`),
//! each of the 10,000 runs its cells scaled by a seeded factor in 0.6-1.4 so the sketches hold a
//! realistic spread of buckets (running 10,000 real runs would take minutes of setup).
//! `cargo bench -p decarb-engine --bench merge`.

use decarb_engine::ensemble::{Ensemble, Headline, Layout, PartHeader};
use decarb_engine::examples::example;
use decarb_model::Sector;
use rand::{Rng, SeedableRng};

fn main() {
    divan::main();
}

const SHARDS: u64 = 100;
const RUNS: u64 = 10_000;

fn parts() -> (Ensemble, Vec<(PartHeader, Vec<u8>)>) {
    let world = decarb_scenario::bundled::default_world();
    let mut scenario =
        decarb_scenario::load(example("carbon-price").expect("bundled"), "carbon-price", &world)
            .expect("loads");
    scenario.sectors = Sector::ALL.to_vec();
    let outcome = decarb_engine::run(&world, &scenario, 42).expect("runs");
    let layout = Layout::of(&scenario);
    let cells = layout.cells(&outcome);
    let headline = Headline::of(&outcome);
    let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(7);
    let empty = Ensemble::new(&scenario);
    let parts = (1..=SHARDS)
        .map(|k| {
            let mut part = empty.clone();
            for _ in 0..RUNS / SHARDS {
                let f = 0.6 + 0.8 * ((rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64);
                let scaled: Vec<f64> = cells.iter().map(|c| c * f).collect();
                part.add(&scaled, &headline);
            }
            let header = PartHeader::of(&part, &scenario, "bench", 42, (RUNS, k, SHARDS));
            (header, part.encode_cells())
        })
        .collect();
    (empty, parts)
}

/// Decode, merge and band 100 parts of 100 runs each (10,000 runs).
#[divan::bench(sample_count = 10)]
fn merge_100_shards_of_10000_runs(bencher: divan::Bencher) {
    let (_, parts) = parts();
    bencher.bench_local(|| {
        let mut merged = parts[0].0.empty_ensemble();
        for (header, bytes) in &parts {
            merged.merge_part(header, bytes).expect("merges");
        }
        divan::black_box(merged.bands())
    });
}
