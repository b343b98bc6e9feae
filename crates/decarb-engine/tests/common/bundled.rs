//! decarb's bundled plant-level world and one net-zero-2050 run on it, shared by the tests that
//! read per-plant results (plant pathways, breakdowns).

use decarb_engine::Scenario;
use decarb_engine::examples::example;
use decarb_engine::outcome::{Outcome, SummaryRow};
use std::sync::OnceLock;

/// The bundled world and its net-zero-2050 run (with per-plant pathways), built once per test binary.
pub fn bundled() -> &'static (decarb_engine::World, Outcome) {
    static RUN: OnceLock<(decarb_engine::World, Outcome)> = OnceLock::new();
    RUN.get_or_init(|| {
        let world = decarb_scenario::bundled::default_world();
        let scenario: Scenario =
            decarb_scenario::load(example("net-zero-2050").unwrap(), "net-zero-2050", &world).unwrap();
        let outcome = decarb_engine::run(&world, &scenario, scenario.seed).unwrap();
        (world, outcome)
    })
}

/// Equal within 1e-6 relative (1e-6 absolute near zero).
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

/// Production, capacity, direct, captured and indirect emissions of a row.
pub type Values = [f64; 5];

pub fn summary_values(r: &SummaryRow) -> Values {
    [r.production.0, r.capacity.0, r.direct_emissions.0, r.captured.0, r.indirect_emissions.0]
}
