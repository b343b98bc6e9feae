//! Hostile and absurd numbers in scenario files (issue 14): each is refused when the file is
//! loaded, with an error naming the key, the value and the plausible range, before any run (these
//! values used to run for minutes, exhaust memory or hang the charts).

use decarb_engine::scenario::{MAX_CARBON_PRICE_SCALE, MAX_DEMAND_FACTOR};

const HEAD: &str =
    "name = \"hostile\"\nsectors = [\"steel\"]\nprice_set = \"mpp-shared-2022\"\ndemand = \"bau\"\n";

fn load_error(extra: &str) -> String {
    let world = decarb_scenario::bundled::default_world();
    let text = format!("{HEAD}{extra}");
    match decarb_scenario::load(&text, "hostile.toml", &world) {
        Ok(_) => panic!("loaded:\n{text}"),
        Err(err) => err.to_string(),
    }
}

/// Whether a message prints a number as `inf`.
fn shows_inf(message: &str) -> bool {
    message.split(|c: char| !c.is_alphanumeric()).any(|w| w == "inf")
}

fn demand_factor(distribution: &str) -> String {
    format!(
        "[[uncertainty.inputs]]\nname = \"demand\"\ntarget = \"demand\"\n{distribution}\nsource = \"a test\"\n"
    )
}

#[test]
fn a_demand_factor_of_a_million_is_refused_with_its_key_and_range() {
    let err = load_error(&demand_factor("distribution = \"uniform\"\nmin = 1e6\nmax = 1e6"));
    assert!(err.contains("hostile.toml"), "{err}");
    assert!(err.contains("uncertainty.inputs[0].max"), "{err}");
    assert!(err.contains("1000000"), "{err}");
    assert!(err.contains(&format!("0 to {MAX_DEMAND_FACTOR}")), "{err}");
    assert!(!shows_inf(&err), "{err}");
    // A normal or lognormal by its p95, a discrete list by its largest value.
    for distribution in [
        "distribution = \"normal\"\nmean = 1000.0\nsd = 1.0",
        "distribution = \"lognormal\"\np5 = 1.0\np95 = 1e300",
        "distribution = \"discrete\"\nvalues = [1.0, 1e6]",
        "distribution = \"triangular\"\nmin = 0.5\nmode = 1.0\nmax = 1000.0",
    ] {
        let err = load_error(&demand_factor(distribution));
        assert!(err.contains("expected factors from 0 to 5"), "{distribution}: {err}");
    }
}

#[test]
fn plausible_factors_still_load() {
    let world = decarb_scenario::bundled::default_world();
    let text = format!("{HEAD}{}", demand_factor("distribution = \"uniform\"\nmin = 0.8\nmax = 1.3"));
    decarb_scenario::load(&text, "ok.toml", &world).unwrap();
    for (name, text) in decarb_engine::examples::EXAMPLES {
        decarb_scenario::load(text, name, &world).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn an_absurd_new_plant_size_is_refused_not_run() {
    for size in ["1e300 Mt", "1e308 t", "51 Mt", "9 kt"] {
        let err = load_error(&format!("[sector.steel]\nnew_plant_size = \"{size}\"\n"));
        assert!(err.contains("sector.steel.new_plant_size"), "{err}");
        assert!(err.contains(size), "{err}");
        assert!(err.contains("10 kt to 50 Mt"), "{err}");
        assert!(!shows_inf(&err), "{err}");
    }
}

#[test]
fn carbon_price_scale_and_limits_have_ranges() {
    let err = load_error("[carbon_price]\npath = \"zero\"\nscale = 1e308\n");
    assert!(err.contains("carbon_price.scale"), "{err}");
    assert!(err.contains(&format!("0 to {MAX_CARBON_PRICE_SCALE}")), "{err}");

    let err = load_error("[[limits]]\nresource = \"hydrogen\"\nquantity = \"1e300 Mt\"\n");
    assert!(err.contains("limits[0].quantity"), "{err}");
    assert!(err.contains("expected at most 1000 Mt"), "{err}");
    // A number that overflows only after the unit conversion.
    let err = load_error("[[limits]]\nresource = \"co2_storage\"\nquantity = \"1e305 Gt CO2\"\n");
    assert!(err.contains("limits[0].quantity"), "{err}");
    assert!(!shows_inf(&err), "{err}");
}

#[test]
fn a_missing_distribution_is_reported_against_its_input() {
    let world = decarb_scenario::bundled::default_world();
    let text = format!(
        "{HEAD}\n[[uncertainty.inputs]]\nname = \"demand\"\ntarget = \"demand\"\nmin = 0.9\nmax = 1.1\nsource = \"x\"\n"
    );
    let err = decarb_scenario::load(&text, "nodist.toml", &world).unwrap_err().to_string();
    assert!(err.contains("key `uncertainty.inputs[0]`"), "{err}");
    assert!(err.contains("missing field `distribution`"), "{err}");
}
