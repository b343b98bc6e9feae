//! One palette: the same series has the same colour in the CLI's charts, on the dashboard and in
//! the briefs, whatever its place among the other series (issue 15). Each front end draws steel
//! and ammonia, in two orders, and the colours are decarb_chart's.

use decarb_chart::svg::{Dataset, Frame, Series, lines};
use std::process::Command;

fn has_colour(svg: &str, hex: &str) -> bool {
    svg.to_ascii_uppercase().contains(&hex.to_ascii_uppercase())
}

#[test]
fn steel_and_ammonia_have_one_colour_each_in_every_front_end() {
    let steel = decarb_chart::sector(decarb_model::Sector::Steel).hex();
    let ammonia = decarb_chart::sector(decarb_model::Sector::Ammonia).hex();
    assert_ne!(steel, ammonia);
    let points = [(2020, 1.0), (2050, 0.5)];
    for order in [["steel", "ammonia"], ["ammonia", "steel"]] {
        // Dashboard and brief: one renderer (decarb_chart::svg), two frames.
        let series: Vec<Series> = order
            .iter()
            .map(|name| Series {
                name: (*name).to_owned(),
                points: points.iter().map(|&(x, y)| (f64::from(x), y)).collect(),
                band: Vec::new(),
            })
            .collect();
        let data = Dataset::default();
        let page = lines(&Frame::Page { id: "t", title: "t", unit: "Mt", data: &data }, "year", &series, &[])
            .into_string();
        let caption = decarb_chart::svg::PreEscaped("t".to_owned());
        let brief = lines(&Frame::Print { unit: "Mt", caption }, "", &series, &[]).into_string();
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
    // Every chart of the run: only the palette's colours, no text cut off, no legend over data.
    for chart in ["emissions.svg", "technology_mix.svg", "capex.svg", "resources.svg"] {
        let svg = std::fs::read_to_string(dir.path().join(chart)).unwrap();
        check_chart_file(chart, &svg);
    }
}

/// The colours of decarb's one palette: Okabe-Ito and the neutrals (grid, muted text, paper).
fn palette() -> Vec<String> {
    decarb_chart::okabe_ito::ALL.iter().chain(&decarb_chart::neutral::ALL).map(|c| c.hex()).collect()
}

/// A chart file the CLI wrote: a standalone SVG document (namespace, size, font) drawing only
/// the palette's colours, every text inside it and its legend clear of every plot area.
fn check_chart_file(name: &str, svg: &str) {
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""), "{name}: {}", &svg[..80]);
    assert!(svg.contains(" viewBox=\"0 0 ") && svg.contains(" font-family=\""), "{name}");
    let colours = drawn_colours(svg);
    assert!(colours.len() > 3, "{name}: {colours:?}");
    let palette = palette();
    for colour in &colours {
        assert!(palette.contains(colour), "{name}: {colour} is not a palette colour");
    }
    assert_eq!(decarb_chart::svg::check::problems(svg), Vec::<String>::new(), "{name}");
}

/// The CLI's other chart files (`decarb diff --chart`, `decarb cbam schedule --chart`, `decarb
/// leakage exposure --chart`) keep the same promises as the run's (issue 15 item 3, issue 17 item 8).
#[test]
fn the_cli_charts_draw_only_palette_colours_and_keep_their_text_inside() {
    let dir = tempfile::tempdir().unwrap();
    let diff = dir.path().join("diff.svg");
    let schedule = dir.path().join("schedule.svg");
    let exposure = dir.path().join("exposure.svg");
    let commands: [Vec<&str>; 3] = [
        vec!["diff", "baseline", "net-zero-2050", "--format", "csv", "--chart", diff.to_str().unwrap()],
        vec![
            "cbam",
            "schedule",
            "--good",
            "7208",
            "--origin",
            "IND",
            "--correction-factor",
            "1",
            "--certificate-price",
            "75.36",
            "--format",
            "csv",
            "--chart",
            schedule.to_str().unwrap(),
        ],
        vec![
            "leakage",
            "exposure",
            "--sector",
            "steel",
            "--year",
            "2020",
            "-f",
            "csv",
            "--chart",
            exposure.to_str().unwrap(),
        ],
    ];
    for args in commands {
        let out = Command::new(env!("CARGO_BIN_EXE_decarb")).args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    for path in [diff, schedule, exposure] {
        let svg = std::fs::read_to_string(&path).unwrap();
        check_chart_file(&path.display().to_string(), &svg);
    }
}

/// The colours (`#RRGGBB`, upper case) drawn inside the SVG charts of a page, and in its legend
/// swatches.
fn drawn_colours(html: &str) -> Vec<String> {
    let mut drawn = String::new();
    for part in html.split("<svg").skip(1) {
        drawn.push_str(part.split("</svg>").next().unwrap_or(""));
    }
    for part in html.split("class=\"swatch\"").skip(1) {
        drawn.push_str(part.split('>').next().unwrap_or(""));
    }
    drawn
        .split('#')
        .skip(1)
        .map(|rest| rest.chars().take(6).collect::<String>().to_ascii_uppercase())
        .filter(|hex| hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()))
        .map(|hex| format!("#{hex}"))
        .collect()
}

/// One HTTP/1.1 GET; the body.
fn get(addr: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{path}: {}", response.lines().next().unwrap_or(""));
    response.split_once("\r\n\r\n").unwrap().1.to_owned()
}

#[test]
fn the_dashboard_and_the_briefs_draw_only_palette_colours() {
    use std::io::BufRead;
    let palette = palette();
    let dir = tempfile::tempdir().unwrap();
    // The bundled tracker tables: members, pledges and projects (no plants).
    let init = Command::new(env!("CARGO_BIN_EXE_decarb"))
        .args(["db", "init", "--db", "t.db"])
        .current_dir(dir.path())
        .output();
    assert!(init.unwrap().status.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_decarb"))
        .args(["serve", "--db", "t.db", "--addr", "127.0.0.1:0"])
        .current_dir(dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("decarb serve exited before listening").unwrap();
        if let Some(rest) = line.strip_prefix("decarb serving on http://") {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines.map_while(Result::ok) {});
    let mut checked = 0;
    for path in [
        "/",
        "/countries/USA",
        "/scenarios",
        "/pledges",
        "/cbam",
        "/briefs/countries/USA",
        "/briefs/sectors/steel",
    ] {
        let page = get(&addr, path);
        // The shared renderer's charts keep their text inside their drawing (issue 17 item 8).
        for part in page.split("<svg").skip(1) {
            let svg = format!("<svg{}</svg>", part.split("</svg>").next().unwrap_or(""));
            if svg.contains("role=\"img\"") {
                assert_eq!(decarb_chart::svg::check::problems(&svg), Vec::<String>::new(), "{path}");
            }
        }
        let colours = drawn_colours(&page);
        assert!(!colours.is_empty(), "{path} draws a chart");
        for colour in &colours {
            assert!(palette.contains(colour), "{path}: {colour} is not a palette colour");
        }
        checked += colours.len();
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(checked > 100, "{checked} colours checked");
}
