//! One palette: the same series has the same colour in the CLI's charts, on the dashboard and in
//! the briefs, whatever its place among the other series (issue 15). Each front end draws steel
//! and ammonia, in two orders, and the colours are decarb_chart's.

use std::process::Command;

fn has_colour(svg: &str, hex: &str) -> bool {
    svg.to_ascii_uppercase().contains(&hex.to_ascii_uppercase())
}

#[test]
fn steel_and_ammonia_have_one_colour_each_in_every_front_end() {
    let steel = decarb_chart::sector(decarb_model::Sector::Steel).hex();
    let ammonia = decarb_chart::sector(decarb_model::Sector::Ammonia).hex();
    assert_ne!(steel, ammonia);
    let points = vec![(2020, 1.0), (2050, 0.5)];
    for order in [["steel", "ammonia"], ["ammonia", "steel"]] {
        // Dashboard.
        let series: Vec<decarb_server::dashboard::svg::Series> = order
            .iter()
            .map(|name| decarb_server::dashboard::svg::Series {
                name: (*name).to_owned(),
                points: points.iter().map(|&(x, y)| (f64::from(x), y)).collect(),
                band: Vec::new(),
            })
            .collect();
        let page = decarb_server::dashboard::svg::line_chart(
            "t",
            "t",
            "Mt",
            "year",
            &series,
            &decarb_server::dashboard::svg::Dataset::default(),
        );
        // Brief.
        let lines: Vec<(String, Vec<(i32, f64)>)> =
            order.iter().map(|name| ((*name).to_owned(), points.clone())).collect();
        let brief = decarb_brief::svg::lines(&lines, "Mt", &[], "t");
        for svg in [&page, &brief] {
            let at = |hex: &str| {
                svg.to_ascii_uppercase().find(&format!("STROKE=\"{}\"", hex.to_ascii_uppercase()))
            };
            let (s, a) = (at(&steel).expect("steel's colour"), at(&ammonia).expect("ammonia's colour"));
            // Drawn in the given order, each in its own colour.
            assert_eq!(s < a, order[0] == "steel", "{svg}");
        }
    }
    // CLI: the run's emissions chart draws each sector in its colour.
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_decarb"))
        .args(["run", "--example", "net-zero-2050", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let emissions = std::fs::read_to_string(dir.path().join("emissions.svg")).unwrap();
    assert!(has_colour(&emissions, &steel) && has_colour(&emissions, &ammonia));
    // The technology mix stacks families, in the families' colours.
    let mix = std::fs::read_to_string(dir.path().join("technology_mix.svg")).unwrap();
    assert!(mix.contains(decarb_chart::Family::Capture.label()), "families are labelled");
    assert!(has_colour(&mix, &decarb_chart::Family::Capture.colour().hex()));
}
