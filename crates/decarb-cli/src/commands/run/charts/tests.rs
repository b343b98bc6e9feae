use super::*;
#[test]
fn an_infinite_value_is_an_error_not_an_axis() {
    assert!(super::axis_top([1.0, f64::INFINITY].into_iter()).is_err());
    assert!(super::axis_top([f64::NAN].into_iter()).is_err());
    assert!((super::axis_top([0.0, 100.0].into_iter()).unwrap() - 108.0).abs() < 1e-9);
}

fn resources_svg(outcome: &Outcome) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1000, 640)).into_drawing_area();
        super::resources(outcome, &root).unwrap();
        root.present().unwrap();
    }
    svg
}

/// carbon-price on the bundled world uses hydrogen, so resources.svg has a hydrogen panel;
/// the same run with its hydrogen rows taken out has none (issue 17: an empty "hydrogen (Mt)"
/// panel was drawn), and the panels left are whole (no snake_case titles).
#[test]
fn a_resource_nobody_uses_gets_no_panel() {
    let world = decarb_scenario::bundled::default_world();
    let text = decarb_engine::examples::example("carbon-price").unwrap();
    let scenario = decarb_scenario::load(text, "carbon-price", &world).unwrap();
    let mut outcome = crate::threads::solve(&world, &scenario, 42, Some(1)).unwrap();
    let hydrogen = outcome.resources.iter().filter(|r| r.resource == Resource::HydrogenMass).count();
    assert!(hydrogen > 0);
    assert!(resources_svg(&outcome).contains("hydrogen (Mt)"));
    outcome.resources.retain(|r| r.resource != Resource::HydrogenMass);
    let svg = resources_svg(&outcome);
    assert!(!svg.contains("hydrogen (Mt)"), "an empty hydrogen panel");
    assert!(svg.contains("electricity (TWh)") && svg.contains("natural gas (PJ)"));
    assert!(!svg.contains("natural_gas") && !svg.contains("co2_stored"));
}

/// The x of every text element reading `label` in `svg`.
fn text_x(svg: &str, label: &str) -> Vec<f64> {
    svg.split("<text x=\"")
        .skip(1)
        .filter_map(|chunk| {
            let (x, rest) = chunk.split_once('"')?;
            let content = rest.split_once('>')?.1.split_once("</text>")?.0;
            (content.trim() == label).then(|| x.parse().ok()).flatten()
        })
        .collect()
}

/// Issue 17: the last year's label was cut off at the right edge of the right-hand panels. Each
/// "2050" (centred on its x, about 24 px wide at the axis font) now ends inside the 1,000 px
/// drawing.
#[test]
fn the_last_year_label_is_not_cut_off() {
    let world = decarb_scenario::bundled::default_world();
    let text = decarb_engine::examples::example("carbon-price").unwrap();
    let scenario = decarb_scenario::load(text, "carbon-price", &world).unwrap();
    let outcome = crate::threads::solve(&world, &scenario, 42, Some(1)).unwrap();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1000, 640)).into_drawing_area();
        technology_mix(&outcome, &root).unwrap();
        root.present().unwrap();
    }
    let xs = text_x(&svg, "2050");
    assert_eq!(xs.len(), 4, "a 2050 label per sector panel");
    assert!(xs.iter().all(|x| x + 14.0 <= 1000.0), "{xs:?}");
}
