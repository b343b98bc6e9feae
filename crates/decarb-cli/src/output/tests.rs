//! The output layer's formats, precision, signs and widths.
use super::*;

#[test]
fn the_same_columns_appear_in_every_format() {
    let mut table = Table::new(["country", "capacity_mt", "plants"]);
    table.push(vec![Cell::text("CHN"), Cell::number(1064.7321, 1), Cell::int(3)]);
    let mut csv = Vec::new();
    table.write(Format::Csv, &mut csv).unwrap();
    assert_eq!(String::from_utf8(csv).unwrap(), "country,capacity_mt,plants\nCHN,1064.7321,3\n");
    let mut json = Vec::new();
    table.write(Format::Json, &mut json).unwrap();
    let parsed: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(parsed[0]["capacity_mt"], serde_json::json!(1064.7321));
    assert_eq!(parsed[0]["plants"], serde_json::json!(3));
    let mut shown = Vec::new();
    table.write_fitted(Format::Table, &mut shown, Fit::Unwrapped).unwrap();
    assert!(String::from_utf8(shown).unwrap().contains(" 1064.7 "));
}

/// CSV and JSON carry the number computed, to the last bit; the table its display decimals.
/// 2228.8 Mt x 1/3 is world steel's 2050 baseline emissions (golden summary) split three ways.
#[test]
fn csv_and_json_write_full_precision_and_agree() {
    let value = 2228.8 / 3.0;
    let mut table = Table::new(["direct_emissions_mtco2"]);
    table.push(vec![Cell::number(value, 3)]);
    let mut csv = Vec::new();
    table.write(Format::Csv, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let from_csv: f64 = csv.lines().nth(1).unwrap().parse().unwrap();
    assert_eq!(from_csv.to_bits(), value.to_bits(), "{csv}");
    assert_ne!(csv.lines().nth(1).unwrap(), "742.933");
    let mut json = Vec::new();
    table.write(Format::Json, &mut json).unwrap();
    let parsed: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(parsed[0]["direct_emissions_mtco2"].as_f64().unwrap().to_bits(), from_csv.to_bits());
    let mut shown = Vec::new();
    table.write_fitted(Format::Table, &mut shown, Fit::Unwrapped).unwrap();
    assert!(String::from_utf8(shown).unwrap().contains(" 742.933 "));
}

#[test]
fn no_format_writes_a_negative_zero() {
    let mut table = Table::new(["first_order", "swing", "exact"]);
    table.push(vec![Cell::number(-0.00002, 4), Cell::number(-0.0, 0), Cell::number(-0.0, 3)]);
    let mut shown = Vec::new();
    table.write_fitted(Format::Table, &mut shown, Fit::Unwrapped).unwrap();
    let shown = String::from_utf8(shown).unwrap();
    assert!(!shown.contains("-0") && shown.contains(" 0.0000 ") && shown.contains(" 0.000 "), "{shown}");
    let mut json = Vec::new();
    table.write(Format::Json, &mut json).unwrap();
    let json = String::from_utf8(json).unwrap();
    assert!(!json.contains("-0.0,") && !json.contains("-0.0\n") && json.contains("-0.00002"), "{json}");
    assert_eq!(display_number(-0.00002, 4), "0.0000");
    assert_eq!(display_number(-0.00006, 4), "-0.0001");
    assert_eq!(display_number(-1.5, 0), "-2");
    // CSV keeps the tiny negative value itself: it is not zero.
    let mut csv = Vec::new();
    table.write(Format::Csv, &mut csv).unwrap();
    assert_eq!(String::from_utf8(csv).unwrap().lines().nth(1).unwrap(), "-0.00002,0,0");
}

/// A table of long text fits the width it is given, every line, and keeps its numbers whole;
/// unwrapped it does not fit.
#[test]
fn a_table_fits_the_width_it_is_given() {
    let mut table = Table::new(["id", "name", "source", "capex_usd_per_t"]);
    let source = "IEA (2020), Iron and Steel Technology Roadmap, Table 2.3; MPP (2022), \
                  Making Net-Zero Steel Possible, technology assumptions, capex of a new plant";
    for (id, capex) in [("bf-bof", 1035.25), ("dri-eaf-h2", 1480.0), ("scrap-eaf", 184.1)] {
        table.push(vec![
            Cell::text(id),
            Cell::text(id.repeat(4)),
            Cell::text(source),
            Cell::number(capex, 2),
        ]);
    }
    let mut out = Vec::new();
    table.write_fitted(Format::Table, &mut out, Fit::Width(60)).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(out.lines().all(|l| l.chars().count() <= 60), "{out}");
    assert!(out.contains("1035.25") && out.contains("1480.00") && out.contains("..."), "{out}");
    let mut wide = Vec::new();
    table.write_fitted(Format::Table, &mut wide, Fit::Unwrapped).unwrap();
    let wide = String::from_utf8(wide).unwrap();
    assert!(wide.lines().any(|l| l.chars().count() > 150) && wide.contains(source), "{wide}");
}
