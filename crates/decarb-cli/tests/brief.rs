//! `decarb brief` and `decarb analyses` as a user runs them: the binary, a store file (or none).

mod common;

use common::{ok, text};
use std::path::Path;
use std::process::{Command, Output};

fn decarb(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_decarb"))
        .args(args)
        .env("DECARB_USER", "cli-test")
        .env_remove("DECARB_DATABASE_URL")
        .output()
        .expect("the decarb binary runs")
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn brief_country_without_a_store_uses_the_bundled_seed_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("briefs/usa.html");
    let missing_db = dir.path().join("absent.db");
    let run = decarb(&[
        "brief",
        "country",
        "United States",
        "--statistics-year",
        "2020",
        "--db",
        path(&missing_db),
        "--out",
        path(&out),
    ]);
    ok(&run);
    assert!(text(&run.stderr).contains("temporary store initialised with decarb's bundled seed"));
    assert!(!missing_db.exists(), "the brief must not create the named store");
    let html = std::fs::read_to_string(&out).unwrap();
    for claim in [
        "4th largest crude steel producer in 2020, worldsteel",
        "9th largest primary aluminium producer in 2020, BGS",
        // Cement and ammonia 2020: USGS Mineral Commodity Summaries 2022.
        "4th largest hydraulic cement producer in 2020, USGS",
        "3rd largest ammonia (NH3) producer in 2020, USGS",
    ] {
        assert!(html.contains(claim), "{claim}");
    }
    // Bad input: exit 2 with the reason.
    let bad = decarb(&["brief", "country", "Atlantis", "--out", path(&out)]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("Atlantis"));
    let bad = decarb(&[
        "brief",
        "country",
        "USA",
        "--scenario",
        "no-such",
        "--db",
        path(&missing_db),
        "--out",
        path(&out),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("not a bundled example"), "{}", text(&bad.stderr));
    let bad = decarb(&["brief", "member", "Nobody", "--db", path(&missing_db), "--out", path(&out)]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn brief_sector_member_and_all() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("absent.db");
    let steel = dir.path().join("steel.html");
    ok(&decarb(&["brief", "sector", "steel", "--db", path(&db), "--out", path(&steel)]));
    assert!(std::fs::read_to_string(&steel).unwrap().contains("Largest producers"));
    let ssab = dir.path().join("ssab.html");
    ok(&decarb(&["brief", "member", "SSAB", "--db", path(&db), "--out", path(&ssab)]));
    let html = std::fs::read_to_string(&ssab).unwrap();
    assert!(html.contains("SSAB"));
    // Its seed pledge (fossil-free operations by 2045) against the plants it holds: the table
    // and one chart of the pathway against what the pledge allows.
    assert!(html.contains("<h2>Pledge alignment</h2>"), "no alignment section");
    assert!(html.contains("allowed by the fossil-free 2045 pledge"), "no alignment chart");
    let all = dir.path().join("all");
    ok(&decarb(&["brief", "all", "--db", path(&db), "--out", path(&all)]));
    let written = std::fs::read_dir(&all).unwrap().count();
    let countries: std::collections::BTreeSet<_> =
        decarb_data::world::fleet_rows().iter().map(|r| r.country).collect();
    assert_eq!(written, countries.len());
}

#[test]
fn analyses_add_list_show_with_safe_html() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tracker.db");
    ok(&decarb(&["db", "init", "--db", path(&db)]));
    let us = dir.path().join("us.md");
    std::fs::write(
        &us,
        "---\ntitle: U.S. joins LeadIT\ndate: 2021-04-23\nauthors: Andrea Lindblom\ntags: Climate Politics, Partnerships\ncountries: USA\n---\n\
         The United States has joined. <script>alert(1)</script><img src=x onerror=alert(2)> [more](javascript:alert(3))\n",
    )
    .unwrap();
    let itp = dir.path().join("itp.md");
    std::fs::write(&itp, "---\ntitle: ITP next steps\ndate: 2024-05-03\ntags: Partnerships\ncountries: IND, SWE\n---\nKick-off.\n").unwrap();
    for file in [&us, &itp] {
        ok(&decarb(&["analyses", "add", path(file), "--db", path(&db)]));
    }
    let list = ok(&decarb(&["analyses", "list", "--db", path(&db), "--format", "csv"]));
    let lines: Vec<&str> = list.lines().collect();
    assert!(lines[1].starts_with("2024-05-03,itp-next-steps"), "{list}");
    assert!(lines[2].starts_with("2021-04-23,u-s-joins-leadit"), "{list}");
    let tagged =
        ok(&decarb(&["analyses", "list", "--tag", "climate politics", "--db", path(&db), "--format", "csv"]));
    assert_eq!(tagged.lines().count(), 2, "{tagged}");
    let show = ok(&decarb(&["analyses", "show", "u-s-joins-leadit", "--html", "--db", path(&db)]));
    assert!(show.contains("related: itp-next-steps (2024-05-03, score 2)"), "{show}");
    let body = &show[show.find("<p>").unwrap()..];
    assert!(body.contains("The United States has joined."));
    for bad in ["<script", "onerror", "javascript:"] {
        assert!(!body.contains(bad), "{bad} in {body}");
    }
    // Issue 17 item 6: `show -o FILE` writes what stdout shows, and nothing to stdout.
    let shown = dir.path().join("us.html");
    let written = ok(&decarb(&[
        "analyses",
        "show",
        "u-s-joins-leadit",
        "--html",
        "--db",
        path(&db),
        "-o",
        path(&shown),
    ]));
    assert!(written.is_empty(), "{written}");
    assert_eq!(std::fs::read_to_string(&shown).unwrap(), show);
    // A bad front matter: exit 2, naming file and line.
    let bad = dir.path().join("bad.md");
    std::fs::write(&bad, "---\ntitle: x\ndate: April\n---\n").unwrap();
    let run = decarb(&["analyses", "add", path(&bad), "--db", path(&db)]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("line 3, date"), "{}", text(&run.stderr));
    let nope = dir.path().join("nope.md");
    let run = decarb(&["analyses", "show", "nope", "--db", path(&db), "-o", path(&nope)]);
    assert_eq!(run.status.code(), Some(2));
    assert!(!nope.exists(), "a failed show writes no file");
}
