//! Scenario files are user input: any edit of a bundled example either loads and runs or is an
//! error with a place, never a panic.

use decarb_engine::examples::EXAMPLES;
use proptest::prelude::*;

const VALUES: [&str; 12] = [
    "2300",
    "-1",
    "0",
    "1e400",
    "\"\"",
    "\"world\"",
    "[]",
    "{}",
    "\"40 TWh\"",
    "true",
    "2019",
    "\"steel.nope\"",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, rng_seed: proptest::test_runner::RngSeed::Fixed(7), ..ProptestConfig::default() })]

    #[test]
    fn edited_examples_load_or_fail_with_a_place(example in 0..EXAMPLES.len(), line in 0usize..40, value in 0..VALUES.len(), cut in 0usize..400) {
        let world = decarb_scenario::bundled::default_world();
        let (name, text) = EXAMPLES[example];
        // Replace the value of one `key = value` line, then cut the text somewhere.
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let index = line % lines.len();
        if let Some((key, _)) = lines[index].split_once(" = ") {
            lines[index] = format!("{key} = {}", VALUES[value]);
        }
        let edited = lines.join("\n");
        let cut = edited.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(edited.len());
        for candidate in [edited.as_str(), &edited[..cut]] {
            match decarb_scenario::load(candidate, name, &world) {
                Ok(mut scenario) => {
                    scenario.sectors.retain(|s| *s == decarb_model::Sector::Aluminium);
                    if !scenario.sectors.is_empty() {
                        let _ = decarb_engine::run(&world, &scenario, 1);
                    }
                }
                Err(err) => prop_assert!(!err.message.is_empty() && (err.line.is_some() || err.key.is_some()), "{err}"),
            }
        }
    }
}
