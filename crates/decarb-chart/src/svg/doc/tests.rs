use super::*;
use crate::okabe_ito::{BLACK, BLUE, ORANGE};
use crate::svg::check::{problems, texts};

fn years() -> Vec<f64> {
    (2020..=2050).map(f64::from).collect()
}

/// A line from `start` down to `end` over 2020-2050.
fn falling(name: &str, start: f64, end: f64) -> Line {
    Line::new(name, years().iter().map(|&y| (y, start + (end - start) * (y - 2020.0) / 30.0)).collect())
}

fn stack(series: &[(&str, f64)]) -> Stack {
    Stack {
        xs: years(),
        series: series.iter().map(|&(n, v)| (n.to_owned(), vec![v; years().len()])).collect(),
    }
}

/// A chart with every kind of panel, long labels and many legend entries.
fn crowded() -> Chart {
    let mut chart =
        Chart::new("A long chart title that says what the chart shows and for which scenario, in words");
    let xy = Xy {
        x_name: "year".into(),
        unit: "Mt CO2 (direct, after capture), a unit that is long enough to need cutting in a narrow panel"
            .into(),
        stack: stack(&[("Fossil, unabated", 1200.0), ("Biomass and alternative fuels", 300.0)]),
        bands: vec![Band {
            name: "p5-p95 (90 % of the runs)".into(),
            points: years().iter().map(|&y| (y, 100.0, 2000.0)).collect(),
            colour: BLACK,
            opacity: 0.18,
        }],
        lines: vec![
            falling("steel", 2600.0, 0.0),
            falling("straight line to net zero", 4000.0, 0.0).dashed(),
        ],
        markers: vec![(2030.0, "2030".into()), (2050.0, "a marker label at the far right edge".into())],
        dots: vec![Dot {
            x: 2050.0,
            y: 0.0,
            label: "a label at the last year, bottom right".into(),
            colour: BLACK,
        }],
    };
    chart.panels.push(Panel {
        title: "steel: production by technology family, a long panel title".into(),
        plot: Plot::Xy(xy),
    });
    chart.panels.push(Panel {
        title: "Direct CO2 emissions in 2030".into(),
        plot: Plot::Bars(Bars {
            x_name: "Mt CO2".into(),
            rows: vec![
                BarRow {
                    label: "Carbon price (x scenario path), an input label longer than any panel allows"
                        .into(),
                    segments: vec![(4745.0, 4963.0, ORANGE), (4963.0, 5176.0, BLUE)],
                },
                BarRow { label: "Demand".into(), segments: vec![(4900.0, 4963.0, ORANGE)] },
            ],
            reference: Some(4963.0),
            from_zero: false,
        }),
    });
    chart.panels.push(Panel {
        title: "Shares".into(),
        plot: Plot::Columns(Columns {
            unit: "% of production".into(),
            categories: vec![
                "decarb\n2030".into(),
                "a reference run name\n2030".into(),
                String::new(),
                "decarb\n2050".into(),
            ],
            series: vec![
                ("BF-BOF".into(), ORANGE, vec![60.0, 50.0, 0.0, 10.0]),
                ("other".into(), BLACK, vec![40.0, 50.0, 0.0, 90.0]),
            ],
            top: Some(100.0),
        }),
    });
    chart.keys.push(Key::swatch("input at its 5th percentile (p5)", ORANGE, 0.85));
    chart
}

#[test]
fn a_chart_file_is_a_standalone_svg_document() {
    let svg = crowded().to_svg();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""), "{}", &svg[..120]);
    assert!(svg.contains(" viewBox=\"0 0 ") && svg.contains(&format!("font-family=\"{FONT_FAMILY}\"")));
    assert!(svg.contains(&format!("fill=\"{}\"", neutral::PAPER.hex())), "a white background");
    assert!(svg.ends_with("</svg>"));
    // Void elements are closed: the file is XML as well as HTML.
    assert!(!svg.contains("<rect ") || svg.matches("<rect ").count() == svg.matches("</rect>").count());
}

#[test]
fn no_text_is_cut_off_and_the_legend_is_beside_the_panels() {
    let svg = crowded().to_svg();
    assert_eq!(problems(&svg), Vec::<String>::new(), "{svg}");
    let legend = texts(&svg);
    for label in [
        "steel",
        "p5-p95 (90 % of the runs)",
        "input at its 5th percentile (p5)",
        "Fossil, unabated",
        "BF-BOF",
    ] {
        assert!(legend.iter().any(|t| t.text == label), "{label} in the legend");
    }
    // Long labels are cut with an ellipsis, not left to run over the edge.
    assert!(legend.iter().any(|t| t.text.starts_with("Carbon price (x scenario") && t.text.ends_with('…')));
}

#[test]
fn the_check_finds_text_over_the_edge_and_a_legend_over_a_plot() {
    let over = r#"<svg viewBox="0 0 100 50"><text x="90" y="20" font-size="12">2050</text></svg>"#;
    assert_eq!(problems(over).len(), 1, "{:?}", problems(over));
    let inside =
        r#"<svg viewBox="0 0 100 50"><text x="90" y="20" font-size="12" text-anchor="end">2050</text></svg>"#;
    assert!(problems(inside).is_empty());
    let covered = r#"<svg viewBox="0 0 300 200"><rect class="plot" x="10" y="10" width="200" height="150" fill="none"></rect><g class="legend"><rect x="150" y="20" width="20" height="12"></rect><text x="176" y="30">steel</text></g></svg>"#;
    assert_eq!(problems(covered).len(), 1, "{:?}", problems(covered));
}

#[test]
fn a_panel_with_nothing_to_show_is_left_out() {
    let mut chart = Chart::new("Resources");
    for (title, value) in [("hydrogen (Mt)", 0.0), ("electricity (TWh)", 5.0)] {
        let xy = Xy {
            x_name: "year".into(),
            unit: "u".into(),
            stack: stack(&[("steel", value)]),
            ..Xy::default()
        };
        chart.panels.push(Panel { title: title.into(), plot: Plot::Xy(xy) });
    }
    let svg = chart.to_svg();
    assert!(!svg.contains("hydrogen (Mt)") && svg.contains("electricity (TWh)"));
    // One panel drawn: one plot area, as wide as one column.
    assert_eq!(svg.matches("class=\"plot\"").count(), 1);
    chart.panels.truncate(1);
    let none = chart.to_svg();
    assert!(none.contains("No data.") && !none.contains("class=\"plot\""));
    assert!(problems(&none).is_empty());
}

#[test]
fn ticks_read_as_numbers_do_and_the_last_year_is_labelled() {
    let xy = Xy { x_name: "year".into(), lines: vec![falling("steel", 6000.0, 0.0)], ..Xy::default() };
    let svg = Chart::single("t", "p", Plot::Xy(xy)).to_svg();
    let labels: Vec<String> = texts(&svg).into_iter().map(|t| t.text).collect();
    for label in ["6,000", "0", "2020", "2050"] {
        assert!(labels.iter().any(|l| l == label), "{label} in {labels:?}");
    }
    assert!(!labels.iter().any(|l| l.contains(".0") || l == "6000"), "{labels:?}");
    let small = Xy { lines: vec![falling("steel", 0.3, 0.0)], ..Xy::default() };
    let labels: Vec<String> =
        texts(&Chart::single("t", "p", Plot::Xy(small)).to_svg()).into_iter().map(|t| t.text).collect();
    assert!(labels.iter().any(|l| l == "0.1") && labels.iter().any(|l| l == "0.3"), "{labels:?}");
}

#[test]
fn series_take_the_palette_colour_of_what_they_name_and_a_value_out_of_range_is_found() {
    let xy =
        Xy { lines: vec![falling("ammonia", 2.0, 1.0)], stack: stack(&[("steel", 1.0)]), ..Xy::default() };
    let chart = Chart::single("t", "p", Plot::Xy(xy));
    let svg = chart.to_svg();
    assert!(svg.contains(&format!("stroke=\"{}\"", colour_for("ammonia").hex())));
    assert!(svg.contains(&format!("fill=\"{}\"", colour_for("steel").hex())));
    assert_eq!(chart.non_finite(), None);
    let broken = Xy { lines: vec![Line::new("steel", vec![(2020.0, f64::INFINITY)])], ..Xy::default() };
    assert_eq!(Chart::single("t", "p", Plot::Xy(broken)).non_finite(), Some(f64::INFINITY));
}

#[test]
fn text_is_cut_to_fit() {
    assert_eq!(fit("2050", 12.0, 100.0), "2050");
    let cut = fit("a label far too long for its room", 10.0, 60.0);
    assert!(cut.ends_with('…') && text_width(&cut, 10.0) <= 60.0, "{cut}");
}

#[test]
fn lines_that_share_a_colour_are_told_apart_by_their_dashes() {
    let lines: Vec<Line> = ["a", "b", "c"].iter().map(|n| falling(n, 2.0, 1.0).colour(BLUE)).collect();
    assert_eq!(line_dashes(&lines), [None, Some("6 4"), Some("2 3")]);
    // Dashed on request: the next pattern only where another line took that one.
    let diff = [falling("steel A", 2.0, 1.0), falling("steel B", 2.0, 1.0).dashed()];
    assert_eq!(line_dashes(&diff), [None, Some("6 4")]);
    let chart = Chart::single("t", "p", Plot::Xy(Xy { lines, ..Xy::default() }));
    let dashes: Vec<Mark> = chart.legend().into_iter().map(|k| k.mark).collect();
    assert_eq!(
        dashes[2],
        Mark::Line { colour: BLUE, width: 2.0, dash: Some("2 3") },
        "the legend shows the dash"
    );
}
