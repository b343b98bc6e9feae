//! `[uncertainty]` in scenario files: the bundled examples declare sourced distributions, and a
//! bad specification is an error naming its key and line.

use decarb_engine::examples::example;
use decarb_engine::uncertainty::Target;
use decarb_scenario::{ScenarioError, bundled, load};

const HEAD: &str = "name = \"t\"\nprice_set = \"mpp-shared-2022\"\ndemand = \"bau\"\n";

fn error_of(uncertainty: &str) -> ScenarioError {
    let world = bundled::default_world();
    load(&format!("{HEAD}{uncertainty}"), "t.toml", &world).unwrap_err()
}

const H2: &str =
    "\n[[uncertainty.inputs]]\nname = \"h2\"\ntarget = \"price\"\ncommodity = \"hydrogen\"\nsource = \"s\"\n";

#[test]
fn a_negative_standard_deviation_names_the_key_and_line() {
    let err = error_of(&format!("{H2}distribution = \"normal\"\nmean = 1.0\nsd = -0.2\n"));
    assert_eq!(err.key.as_deref(), Some("uncertainty.inputs[0].sd"), "{err}");
    assert_eq!(err.line, Some(12), "{err}");
    assert!(err.message.contains("-0.2"), "{err}");
}

#[test]
fn p5_above_p95_names_the_key_and_line() {
    let err = error_of(&format!("{H2}distribution = \"lognormal\"\np5 = 1.4\np95 = 0.8\n"));
    assert_eq!(err.key.as_deref(), Some("uncertainty.inputs[0].p5"), "{err}");
    assert_eq!(err.line, Some(11), "{err}");
    assert!(err.message.contains("above p95"), "{err}");
}

#[test]
fn an_unknown_distribution_names_the_key_and_line() {
    let err = error_of(&format!("{H2}distribution = \"gamma\"\n"));
    assert_eq!(err.key.as_deref(), Some("uncertainty.inputs[0].distribution"), "{err}");
    assert_eq!(err.line, Some(10), "{err}");
    assert!(err.message.contains("gamma") && err.message.contains("triangular"), "{err}");
}

#[test]
fn missing_parameters_unknown_targets_and_names_are_located() {
    let err = error_of(&format!("{H2}distribution = \"triangular\"\nmin = 0.8\nmax = 1.2\n"));
    assert_eq!(err.key.as_deref(), Some("uncertainty.inputs[0].mode"), "{err}");
    let err = error_of(
        "\n[[uncertainty.inputs]]\nname = \"x\"\ntarget = \"availability\"\ntechnology = \"steel.unobtainium\"\n\
         distribution = \"uniform\"\nmin = 2030\nmax = 2035\nsource = \"s\"\n",
    );
    assert_eq!(err.key.as_deref(), Some("uncertainty.inputs[0].technology"), "{err}");
    assert_eq!(err.line, Some(8), "{err}");
    let err = error_of(
        &format!("{H2}distribution = \"uniform\"\nmin = 0.8\nmax = 1.2\nsd = 3\n")
            .replace("\"hydrogen\"", "\"unobtainium\""),
    );
    assert_eq!(err.key.as_deref(), Some("uncertainty.inputs[0].commodity"), "{err}");
}

fn two_inputs(matrix: &str) -> String {
    format!(
        "{H2}distribution = \"uniform\"\nmin = 0.8\nmax = 1.2\n\n[[uncertainty.inputs]]\nname = \"power\"\n\
         target = \"price\"\ncommodity = \"electricity\"\nsource = \"s\"\ndistribution = \"uniform\"\nmin = 0.7\nmax = 1.0\n\n\
         [[uncertainty.correlations]]\ninputs = [\"h2\", \"power\"]\nmatrix = {matrix}\n"
    )
}

#[test]
fn correlations_outside_minus_one_to_one_or_not_positive_definite_are_errors() {
    let world = bundled::default_world();
    let ok = load(&format!("{HEAD}{}", two_inputs("[[1.0, 0.6], [0.6, 1.0]]")), "t.toml", &world);
    assert!(ok.is_ok(), "{ok:?}");
    let err = error_of(&two_inputs("[[1.0, 1.3], [1.3, 1.0]]"));
    assert_eq!(err.key.as_deref(), Some("uncertainty.correlations[0].matrix[0][1]"), "{err}");
    assert_eq!(err.line, Some(25), "{err}");
    assert!(err.message.contains("[-1, 1]"), "{err}");
    let err = error_of(&two_inputs("[[1.0, 1.0], [1.0, 1.0]]"));
    assert_eq!(err.key.as_deref(), Some("uncertainty.correlations[0].matrix"), "{err}");
    assert!(err.message.contains("positive definite"), "{err}");
    let err = error_of(&two_inputs("[[1.0, 0.5], [0.4, 1.0]]"));
    assert!(err.message.contains("symmetric"), "{err}");
}

#[test]
fn the_bundled_examples_declare_sourced_distributions_for_the_main_inputs() {
    let world = bundled::default_world();
    for name in ["net-zero-2050", "carbon-price"] {
        let scenario = load(example(name).unwrap(), name, &world).unwrap();
        let uncertainty = scenario.uncertainty.as_ref().expect("an [uncertainty] table");
        let targets: Vec<(Target, Option<&str>)> =
            uncertainty.inputs.iter().map(|i| (i.target, i.commodity.as_deref())).collect();
        for wanted in [
            (Target::Price, Some("hydrogen")),
            (Target::Price, Some("electricity")),
            (Target::CarbonPrice, None),
            (Target::Demand, None),
            (Target::Availability, None),
        ] {
            assert!(targets.contains(&wanted), "{name}: no {wanted:?} input");
        }
        for input in &uncertainty.inputs {
            assert!(input.source.len() > 40, "{name}: {} needs a real source", input.name);
        }
        let resolved = uncertainty.resolve(&world, &scenario).unwrap();
        assert_eq!(resolved.inputs.len(), uncertainty.inputs.len());
    }
}

#[test]
fn the_uncertainty_example_of_the_format_document_loads() {
    let doc = include_str!("../../../docs/scenario-format.md");
    let section = &doc[doc.find("## Uncertainty").expect("an Uncertainty section")..];
    let start = section.find("```toml\n").unwrap() + "```toml\n".len();
    let end = start + section[start..].find("```").unwrap();
    let world = bundled::default_world();
    let text = format!("{HEAD}{}", &section[start..end]);
    let scenario = load(&text, "docs/scenario-format.md", &world).unwrap_or_else(|e| panic!("{e}"));
    let uncertainty = scenario.uncertainty.expect("an [uncertainty] table");
    assert!(uncertainty.inputs.len() >= 5);
    assert_eq!(uncertainty.correlations.len(), 1);
}

#[test]
fn the_structural_inputs_of_the_format_document_load() {
    let doc = include_str!("../../../docs/scenario-format.md");
    let start = doc.find("**Structural inputs with cited ranges").expect("the structural paragraph");
    let end = start + doc[start..].find("### `decarb sensitivity").expect("the next section");
    let mut text = format!("{HEAD}limit_set = \"net-zero\"\npower_path = \"net-zero\"\n");
    let mut rest = &doc[start..end];
    while let Some(open) = rest.find("```toml\n") {
        let body = &rest[open + "```toml\n".len()..];
        let close = body.find("```").unwrap();
        text.push_str(&body[..close]);
        rest = &body[close + 3..];
    }
    let world = bundled::default_world();
    let scenario = load(&text, "docs/scenario-format.md", &world).unwrap_or_else(|e| panic!("{e}"));
    let uncertainty = scenario.uncertainty.expect("an [uncertainty] table");
    let targets: Vec<Target> = uncertainty.inputs.iter().map(|i| i.target).collect();
    assert!(targets.contains(&Target::Limit) && targets.contains(&Target::GridEmissions), "{targets:?}");
    assert!(uncertainty.inputs.iter().all(|i| i.source.len() > 40));
    // The error of a limit input on a resource the scenario does not limit names key and value.
    let err = error_of(
        "\n[[uncertainty.inputs]]\nname = \"h2\"\ntarget = \"limit\"\nresource = \"hydrogen\"\n\
         distribution = \"uniform\"\nmin = 0.5\nmax = 1.0\nsource = \"s\"\n",
    );
    assert_eq!(err.key.as_deref(), Some("uncertainty.inputs[0].resource"), "{err}");
    assert!(err.message.contains("hydrogen") && err.message.contains("no limit"), "{err}");
}
