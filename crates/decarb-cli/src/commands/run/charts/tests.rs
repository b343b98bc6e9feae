use super::*;
use decarb_chart::svg::check::{problems, texts};

fn carbon_price() -> Outcome {
    let world = decarb_scenario::bundled::default_world();
    let text = decarb_engine::examples::example("carbon-price").unwrap();
    let scenario = decarb_scenario::load(text, "carbon-price", &world).unwrap();
    crate::threads::solve(&world, &scenario, 42, Some(1)).unwrap()
}

/// carbon-price on the bundled world uses hydrogen, so resources.svg has a hydrogen panel;
/// the same run with its hydrogen rows taken out has none (issue 17: an empty "hydrogen (Mt)"
/// panel was drawn), and the panels left are whole (no snake_case titles).
#[test]
fn a_resource_nobody_uses_gets_no_panel() {
    let mut outcome = carbon_price();
    let hydrogen = outcome.resources.iter().filter(|r| r.resource == Resource::HydrogenMass).count();
    assert!(hydrogen > 0);
    assert!(resources(&outcome).to_svg().contains("hydrogen (Mt)"));
    outcome.resources.retain(|r| r.resource != Resource::HydrogenMass);
    let svg = resources(&outcome).to_svg();
    assert!(!svg.contains("hydrogen (Mt)"), "an empty hydrogen panel");
    assert!(svg.contains("electricity (TWh)") && svg.contains("natural gas (PJ)"));
    assert!(!svg.contains("natural_gas") && !svg.contains("co2_stored"));
    assert_eq!(svg.matches("class=\"plot\"").count(), 3, "three panels: electricity, CO2 stored, gas");
}

/// Issue 17: the last year's label was cut off at the right edge of the right-hand panels, and
/// legends covered data. Every text of every chart of the run now stands inside its drawing,
/// the legend beside the panels, and each sector panel of the technology mix labels 2050.
#[test]
fn no_label_is_cut_off_and_no_legend_covers_a_plot() {
    let outcome = carbon_price();
    for chart in [emissions(&outcome), technology_mix(&outcome), capex(&outcome), resources(&outcome)] {
        let svg = chart.to_svg();
        assert_eq!(problems(&svg), Vec::<String>::new(), "{}", chart.title);
    }
    let mix = technology_mix(&outcome).to_svg();
    let labels = texts(&mix);
    assert_eq!(labels.iter().filter(|t| t.text == "2050").count(), 4, "a 2050 label per sector panel");
}

/// The emissions chart draws each sector of the run, the total and the straight line to net
/// zero, each in its palette colour, with the 2030 milestone on the line (carbon-price: four
/// sectors, the milestone at 2030 one third of the way from the base year's total to zero).
#[test]
fn the_emissions_chart_draws_every_sector_of_the_run() {
    let outcome = carbon_price();
    let svg = emissions(&outcome).to_svg();
    assert_eq!(outcome.sectors.len(), 4);
    for sector in &outcome.sectors {
        let colour = decarb_chart::sector(*sector).hex();
        let line = format!(
            "stroke=\"{colour}\" stroke-width=\"2\" stroke-linejoin=\"round\"><title>{sector}</title>"
        );
        assert!(svg.contains(&line), "{sector}'s line");
    }
    assert!(svg.contains("<title>total</title>") && svg.contains("<title>straight line to net zero</title>"));
    let start = outcome.total_direct(outcome.base_year).to_mt();
    let span = f64::from(outcome.end_year - outcome.base_year);
    let milestone = start * (1.0 - f64::from(2030 - outcome.base_year) / span);
    assert!(svg.contains(&format!("2030 milestone: {} Mt", decarb_chart::num(milestone, 0))), "{milestone}");
}
