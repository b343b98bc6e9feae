//! A run's rules: the choice rule the command line may set in place of the scenario's, and the
//! one line that states a scenario's rules in every run's summary (single runs, ensembles and the
//! MPP validation reports).

use decarb_engine::Scenario;
use decarb_engine::scenario::Choice;

/// Sets the scenario's choice rule from `choice` (`cheapest`, `mpp` or `logit`) when given. A
/// band or exponent of the scenario's own rule does not carry over to another rule. The error
/// names the rules there are.
pub fn apply_choice(scenario: &mut Scenario, choice: Option<&str>) -> Result<(), String> {
    if let Some(text) = choice {
        scenario.choice = text.parse()?;
        if scenario.choice != Choice::Mpp {
            scenario.choice_band = None;
        }
        if scenario.choice != Choice::Logit {
            scenario.logit_exponent = None;
        }
    }
    Ok(())
}

/// The rules a scenario runs under, as the run's summary states them.
pub fn describe(scenario: &Scenario) -> String {
    let choice = match scenario.choice {
        Choice::Cheapest => "cheapest (the best-ranked option that fits the limits)".to_owned(),
        Choice::Mpp => format!(
            "mpp (a seeded draw among the options within {:.0} % of the best, the MPP steel model's rule)",
            100.0 * scenario.choice_band()
        ),
        Choice::Logit => format!(
            "logit (seeded draws with shares c^{} over levelised costs, GCAM's relative-cost logit)",
            scenario.logit_exponent()
        ),
    };
    format!(
        "rules: decision rule {}, choice {choice}; scarce resources in merit order of value per unit",
        scenario.decision_rule.as_str()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use decarb_engine::examples::example;

    #[test]
    fn the_choice_rule_is_set_and_stated() {
        let world = crate::bundled::default_world();
        let mut scenario = crate::load(example("net-zero-2050").unwrap(), "net-zero-2050", &world).unwrap();
        assert!(describe(&scenario).contains("choice cheapest"), "{}", describe(&scenario));
        apply_choice(&mut scenario, Some("logit")).unwrap();
        assert!(describe(&scenario).contains("choice logit"), "{}", describe(&scenario));
        assert!(apply_choice(&mut scenario, Some("cheapset")).is_err());
    }
}
