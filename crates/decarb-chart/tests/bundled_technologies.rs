//! Every bundled technology falls in a family its own inputs agree with: a route that captures CO2
//! is a capture route (or the hydrogen and electric kilns with direct separation, which capture
//! their process CO2 but are defined by their fuel), and a route burning hydrogen as its main fuel
//! is a hydrogen route.

use decarb_chart::{Family, family_of};
use decarb_model::Commodity;

#[test]
fn every_bundled_technology_has_the_family_its_inputs_say() {
    let technologies = decarb_data::facts::technologies();
    assert!(technologies.len() > 60, "the bundled table has {} technologies", technologies.len());
    for tech in technologies {
        let id = tech.id.as_str();
        let family = family_of(id);
        if tech.capture_rate > 0.0 {
            assert!(
                matches!(family, Family::Capture | Family::Hydrogen | Family::Electric),
                "{id} captures {} of its CO2 but is in {family:?}",
                tech.capture_rate
            );
        }
        let hydrogen = tech.inputs[Commodity::Hydrogen];
        if hydrogen > 1.0 && family != Family::Capture {
            assert_eq!(family, Family::Hydrogen, "{id} uses {hydrogen} GJ of hydrogen a tonne");
        }
    }
}
