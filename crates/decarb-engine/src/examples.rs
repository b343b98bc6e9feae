//! The bundled example scenarios, compiled in as TOML text. The engine does not parse them (that
//! is the caller's job); `decarb example show NAME` prints them and `decarb run --example NAME`
//! runs them.

/// Name and TOML text of every bundled example, in the order `decarb example list` shows them.
pub const EXAMPLES: [(&str, &str); 5] = [
    ("baseline", include_str!("../scenarios/baseline.toml")),
    ("carbon-price", include_str!("../scenarios/carbon-price.toml")),
    ("tech-moratorium", include_str!("../scenarios/tech-moratorium.toml")),
    ("fastest-abatement", include_str!("../scenarios/fastest-abatement.toml")),
    ("net-zero-2050", include_str!("../scenarios/net-zero-2050.toml")),
];

/// The example run when `decarb run` is given no scenario.
pub const DEFAULT_EXAMPLE: &str = "net-zero-2050";

/// The TOML text of a bundled example.
pub fn example(name: &str) -> Option<&'static str> {
    EXAMPLES.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}

/// The first line of an example's description (its `description` key), for listings.
pub fn description(text: &str) -> &str {
    text.lines()
        .find_map(|line| line.strip_prefix("description = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or("")
}

/// The error for an unknown example name: the closest names ("did you mean") and every name.
pub fn unknown(name: &str) -> String {
    let names = EXAMPLES.iter().map(|(n, _)| *n);
    format!(
        "unknown example {name:?}{}; known: {}",
        decarb_model::suggest::did_you_mean(&decarb_model::suggest::closest(name, names.clone())),
        names.collect::<Vec<_>>().join(", ")
    )
}
