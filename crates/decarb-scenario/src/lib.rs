//! Scenario files for the decarb engine and the engine's default world.
//!
//! - [`file`]: TOML scenario files (schema in `docs/scenario-format.md`) parsed into
//!   [`decarb_engine::Scenario`], with errors naming file, line, column and key.
//! - [`bundled`]: the engine's [`decarb_engine::World`] assembled from the bundled facts and
//!   default world of `decarb_data`, optionally with an imported fleet.
//! - [`mpp`]: the world of an MPP steel model input folder and the six MPP scenarios
//!   (`docs/mpp-steel.md`).
//! - [`mpp_folder`]: a run on an MPP model's input folder: its world and the scenario it runs.
//! - [`rules`]: the choice rule the command line may set, and the line that states a run's rules.
//! - [`validation`]: decarb's run of an MPP world against the MPP model's own runs (the checks of
//!   `decarb validate mpp-*`).
//! - [`mpp_aluminium`]: the world of an MPP aluminium input folder (smelters) and its least-cost
//!   scenario (`docs/mpp-aluminium.md`).
//!
//! ```
//! use decarb_engine::examples::example;
//! let world = decarb_scenario::bundled::default_world();
//! let text = example("baseline").unwrap();
//! let scenario = decarb_scenario::file::load(text, "baseline.toml", &world).unwrap();
//! // No override: each technology is discounted at the rate its table states.
//! assert_eq!(scenario.discount_rate, None);
//!
//! let err = decarb_scenario::file::load("name = \"x\"\nprice_set = \"mpp-shared-2022\"\ndemand = \"bau\"\ndiscount = 0.1\n", "x.toml", &world)
//!     .unwrap_err();
//! assert_eq!(err.line, Some(4));
//! assert!(err.to_string().contains("discount"));
//! ```

// Non-test code returns errors instead of panicking (issue 15; tests may unwrap: clippy.toml).
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod bundled;
pub mod file;
pub mod mpp;
pub mod mpp_aluminium;
pub mod mpp_ammonia;
pub mod mpp_folder;
pub mod rules;
pub mod source;
pub mod validation;

pub use file::{ScenarioError, load, parse};

#[cfg(test)]
mod tests {
    use super::*;
    use decarb_engine::examples::EXAMPLES;

    const VALID: &str = "name = \"t\"\nprice_set = \"mpp-shared-2022\"\ndemand = \"bau\"\n";

    fn error_of(extra: &str) -> ScenarioError {
        let world = bundled::default_world();
        load(&format!("{VALID}{extra}"), "t.toml", &world).unwrap_err()
    }

    #[test]
    fn every_bundled_example_loads() {
        let world = bundled::default_world();
        for (name, text) in EXAMPLES {
            let scenario = load(text, name, &world).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(scenario.name, name);
        }
    }

    #[test]
    fn an_unknown_key_names_the_key_and_its_line() {
        let err = error_of("\n[carbon_price]\npath = \"zero\"\nsclae = 2.0\n");
        assert_eq!(err.line, Some(7), "{err}");
        assert_eq!(err.key.as_deref(), Some("carbon_price.sclae"), "{err}");
        assert!(err.message.contains("unknown field"), "{err}");
    }

    #[test]
    fn a_wrong_unit_names_the_limit_and_its_line() {
        let err = error_of("\n[[limits]]\nresource = \"hydrogen\"\nquantity = \"40 TWh\"\n");
        assert_eq!(err.key.as_deref(), Some("limits[0].quantity"), "{err}");
        assert_eq!(err.line, Some(7), "{err}");
        assert!(err.message.contains("TWh") && err.message.contains("Mt"), "{err}");
    }

    #[test]
    fn a_year_out_of_range_names_the_key_and_its_line() {
        let err = error_of("moratorium_year = 2300\n");
        assert_eq!(err.key.as_deref(), Some("moratorium_year"), "{err}");
        assert_eq!(err.line, Some(4), "{err}");
        assert!(err.message.contains("2300") && err.message.contains("out of range"), "{err}");
        let err = error_of("end_year = 2019\n");
        assert_eq!(err.key.as_deref(), Some("end_year"), "{err}");
    }

    #[test]
    fn a_missing_technology_names_the_entry_and_its_line() {
        let err = error_of("excluded_technologies = [\"steel.bf-bof-avg\", \"steel.unobtainium\"]\n");
        assert_eq!(err.key.as_deref(), Some("excluded_technologies[1]"), "{err}");
        assert_eq!(err.line, Some(4), "{err}");
        assert!(err.message.contains("steel.unobtainium"), "{err}");
    }

    #[test]
    fn a_wrong_type_and_an_unknown_name_are_located() {
        let err = error_of("discount_rate = \"seven\"\n");
        assert_eq!(err.line, Some(4), "{err}");
        assert_eq!(err.key.as_deref(), Some("discount_rate"), "{err}");
        let err = error_of("decision_rule = \"cheapest\"\n");
        assert_eq!(err.key.as_deref(), Some("decision_rule"), "{err}");
        let world = bundled::default_world();
        let err = load("name = \"t\"\nprice_set = \"mpp-shared-2022\"\ndemand = \"bua\"\n", "t.toml", &world)
            .unwrap_err();
        assert_eq!((err.line, err.key.as_deref()), (Some(3), Some("demand")), "{err}");
        assert!(err.message.contains("bau"), "{err}");
        let shown = err.to_string();
        assert!(shown.starts_with("t.toml, line 3, column 1, key `demand`: "), "{shown}");
    }

    #[test]
    fn the_example_of_the_format_document_loads() {
        let doc = include_str!("../../../docs/scenario-format.md");
        let start = doc.find("```toml\n").unwrap() + "```toml\n".len();
        let end = start + doc[start..].find("```").unwrap();
        let world = bundled::default_world();
        let scenario =
            load(&doc[start..end], "docs/scenario-format.md", &world).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(scenario.name, "my-pathway");
        assert_eq!(scenario.limits.len(), 1);
    }

    #[test]
    fn malformed_toml_gets_a_line() {
        let world = bundled::default_world();
        let err = load("name = \"t\"\nprice_set = [\n", "t.toml", &world).unwrap_err();
        assert!(err.line.is_some(), "{err}");
    }
}
