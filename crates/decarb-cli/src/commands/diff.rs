//! `decarb diff A B`: the differences between two runs' summaries (every sector, region, year and
//! summary variable), largest absolute differences first, as a table, CSV or JSON, with an SVG
//! chart of the two runs' World direct CO2 on request. A and B are output folders of `decarb run`
//! (their summary.csv), scenario files or bundled example names (run on the fly on the bundled
//! world with the scenario's seed). The comparison is `decarb_engine::diff`.

use crate::commands::UserError;
use crate::output::{Cell, Format, RowsOut, Table};
use anyhow::{Context, Result};
use decarb_engine::diff::{Diff, Value, diff};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// Run A: an output folder of `decarb run` (its summary.csv is read), a scenario file (.toml)
    /// or a bundled example name (`decarb example list`), run on the fly on the bundled world.
    #[arg(value_name = "A")]
    pub a: String,
    /// Run B, as A.
    #[arg(value_name = "B")]
    pub b: String,
    /// Output format [default: table on a terminal, csv otherwise; with --out, by the file's
    /// extension].
    #[arg(short, long, value_enum)]
    pub format: Option<Format>,
    /// Write the differences (all of them unless --top) to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Show only the N largest differences [default: 20 in a table, all in CSV and JSON].
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Also draw the two runs' World direct CO2 by sector (A solid, B dashed) into this SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub chart: Option<PathBuf>,
    /// Worker threads for a scenario run on the fly, 1 to 256 (default: all cores).
    #[arg(long, value_name = "T", value_parser = crate::limits::threads)]
    pub threads: Option<usize>,
}

/// One side of the comparison: a label, the scenario name and the summary's values.
struct Side {
    label: String,
    scenario: String,
    values: Vec<Value>,
}

/// Columns of summary.csv that key a row; every other column is a summary variable.
const KEY_COLUMNS: [&str; 4] = ["scenario", "year", "sector", "region"];

/// Reads summary.csv content into values; `origin` names it in errors.
fn parse_summary(bytes: &[u8], origin: &str) -> Result<(String, Vec<Value>)> {
    let mut reader = csv::Reader::from_reader(bytes);
    let headers =
        reader.headers().map_err(|e| UserError(format!("{origin}: cannot read the header: {e}")))?.clone();
    let column = |name: &str| {
        headers.iter().position(|h| h == name).ok_or_else(|| {
            UserError(format!("{origin}: no column {name:?}; expected the summary.csv `decarb run` writes"))
        })
    };
    let [scenario_col, year_col, sector_col, region_col] = KEY_COLUMNS.map(column);
    let (scenario_col, year_col, sector_col, region_col) =
        (scenario_col?, year_col?, sector_col?, region_col?);
    let mut scenario = String::new();
    let mut values = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        let record = record.map_err(|e| UserError(format!("{origin}: row {row}: {e}")))?;
        let cell = |c: usize| record.get(c).unwrap_or("");
        cell(scenario_col).clone_into(&mut scenario);
        let year: i32 = cell(year_col).parse().map_err(|_| {
            UserError(format!("{origin}: row {row}, column year: {:?} is not a year", cell(year_col)))
        })?;
        for (c, name) in headers.iter().enumerate() {
            if KEY_COLUMNS.contains(&name) {
                continue;
            }
            let value: f64 = cell(c).parse().ok().filter(|v: &f64| v.is_finite()).ok_or_else(|| {
                UserError(format!("{origin}: row {row}, column {name}: {:?} is not a number", cell(c)))
            })?;
            values.push(Value {
                sector: cell(sector_col).to_owned(),
                region: cell(region_col).to_owned(),
                year,
                variable: name.to_owned(),
                value,
            });
        }
    }
    Ok((scenario, values))
}

/// Reads or runs one side.
fn side(spec: &str, threads: Option<usize>) -> Result<Side> {
    let path = Path::new(spec);
    if path.is_dir() {
        let file = path.join("summary.csv");
        let bytes = std::fs::read(&file).map_err(|e| {
            UserError(format!(
                "{}: cannot read it ({e}); expected an output folder of `decarb run` with its summary.csv",
                file.display()
            ))
        })?;
        let (scenario, values) = parse_summary(&bytes, &file.display().to_string())?;
        return Ok(Side { label: spec.to_owned(), scenario, values });
    }
    let source = decarb_scenario::source::example_or_file(spec).map_err(|e| match e {
        decarb_scenario::source::SourceError::Unknown(message) => UserError(format!(
            "{spec}: neither an output folder (with the summary.csv of `decarb run`), a scenario file nor a \
             bundled example{}",
            message.split_once(" file").map_or("", |(_, rest)| rest)
        )),
        read @ decarb_scenario::source::SourceError::Read { .. } => UserError(read.to_string()),
    })?;
    let (text, origin) = (source.text, source.origin);
    let world = decarb_scenario::bundled::default_world();
    let scenario = decarb_scenario::load(&text, &origin, &world).map_err(|e| UserError(e.to_string()))?;
    eprintln!("running {origin} (seed {})", scenario.seed);
    let outcome = crate::threads::solve(&world, &scenario, scenario.seed, threads)
        .map_err(|e| UserError(format!("{origin}: {e}")))?;
    let (_, summary) =
        crate::run_tables::tables(&outcome).into_iter().find(|(n, _)| *n == "summary").context("summary")?;
    let mut bytes = Vec::new();
    summary.write(Format::Csv, &mut bytes)?;
    let (scenario, values) = parse_summary(&bytes, &origin)?;
    Ok(Side { label: origin, scenario, values })
}

/// The table of differences: sector, region, year, variable, a, b, difference (B - A), relative.
pub fn table(d: &Diff, top: Option<usize>) -> Table {
    let mut table = Table::new(["sector", "region", "year", "variable", "a", "b", "difference", "relative"]);
    let value = |v: Option<f64>| v.map_or_else(|| Cell::text(""), |v| Cell::number(v, 3));
    for x in d.differences.iter().take(top.unwrap_or(usize::MAX)) {
        table.push(vec![
            Cell::text(x.sector.clone()),
            Cell::text(x.region.clone()),
            Cell::int(x.year),
            Cell::text(x.variable.clone()),
            value(x.a),
            value(x.b),
            Cell::number(x.difference, 3),
            x.relative().map_or_else(|| Cell::text(""), |r| Cell::number(r, 4)),
        ]);
    }
    table
}

pub fn run(args: &DiffArgs) -> Result<()> {
    let (a, b) = (side(&args.a, args.threads)?, side(&args.b, args.threads)?);
    let d = diff(&a.values, &b.values);
    let format = Format::resolve(args.format);
    let top = args.top.or((format == Format::Table).then_some(20));
    if let Some(path) = &args.chart {
        chart(&a, &b, path)?;
    }
    let intro = format!(
        "A: {} (scenario {}); B: {} (scenario {}); {} values compared",
        a.label, a.scenario, b.label, b.scenario, d.compared
    );
    if let Some(path) = &args.out {
        eprintln!("{intro}, {} differ; written to {}", d.differences.len(), path.display());
        return RowsOut { format: args.format, out: Some(path.clone()) }.emit(&table(&d, args.top));
    }
    if d.differences.is_empty() {
        if format == Format::Table {
            println!("identical: {intro}, no differences");
            return Ok(());
        }
        eprintln!("identical: {intro}, no differences");
    } else if format == Format::Table {
        let shown = top.unwrap_or(usize::MAX).min(d.differences.len());
        println!("{intro}, {} differ; the {shown} largest (difference = B - A):", d.differences.len());
    }
    table(&d, top).print(format)
}

/// Two runs' World direct CO2 by sector: A solid, B dashed, each sector in its palette colour.
fn chart(a: &Side, b: &Side, path: &Path) -> Result<()> {
    use decarb_chart::svg::doc::{Chart, Line, Plot, Xy};
    let series = |side: &Side| -> std::collections::BTreeMap<String, Vec<(i32, f64)>> {
        let mut by_sector: std::collections::BTreeMap<String, Vec<(i32, f64)>> =
            std::collections::BTreeMap::new();
        for v in side.values.iter().filter(|v| v.region == "World" && v.variable == "direct_emissions_mtco2")
        {
            by_sector.entry(v.sector.clone()).or_default().push((v.year, v.value));
        }
        by_sector
    };
    let (sa, sb) = (series(a), series(b));
    let mut sectors: Vec<&String> = sa.keys().chain(sb.keys()).collect();
    sectors.sort();
    sectors.dedup();
    let mut lines = Vec::new();
    for sector in sectors {
        let colour = decarb_chart::colour_for(sector);
        if let Some(p) = sa.get(sector) {
            lines.push(
                Line::new(format!("{sector} A"), crate::charts::points(p.iter().copied())).colour(colour),
            );
        }
        if let Some(p) = sb.get(sector) {
            let line = Line::new(format!("{sector} B"), crate::charts::points(p.iter().copied()));
            lines.push(line.colour(colour).dashed());
        }
    }
    let xy =
        Xy { x_name: "year".into(), unit: "Mt CO2 (direct, after capture)".into(), lines, ..Xy::default() };
    let title = format!("World direct CO2: {} (A, solid) vs {} (B, dashed)", a.scenario, b.scenario);
    crate::charts::write(path, &Chart::single(title, "World, by sector", Plot::Xy(xy)))
        .map_err(|e| UserError(format!("{}: cannot write the chart: {e:#}", path.display())).into())
}
