//! `decarb cbam quote`: one import, every step and its legal basis.

use super::args::QuoteArgs;
use super::input::{facts_with_grid, request_from};
use super::json::quote_json;
use super::show::{print_notes, text};
use crate::output::{Cell, Format, Table};
use anyhow::Result;
use decarb_cbam::num::parse_decimal;
use decarb_cbam::{BeyondPublished, Date, Facts};

pub(super) fn run(facts: &Facts, args: &QuoteArgs) -> Result<()> {
    let tonnes = parse_decimal(&args.tonnes, "--tonnes")?;
    let mut request = request_from(&args.good, &args.origin, tonnes, args.year, &args.emissions)?;
    let facts = &*facts_with_grid(facts, &args.emissions)?;
    request.production_year = args.production_year;
    request.import_date = args.import_date.as_deref().map(Date::parse).transpose()?;
    request.beyond_published =
        if args.hold_benchmarks { BeyondPublished::HoldLast } else { BeyondPublished::Error };
    let mut quote = decarb_cbam::quote(facts, &request)?;
    quote.notes.extend(decarb_cbam::annual::de_minimis_reminder(&quote));
    let (format, mut out) = (args.output.format(), args.output.sink());
    if format == Format::Json {
        out.json(&quote_json(&quote))?;
        return out.finish();
    }
    let mut table = Table::new(["step", "formula", "value", "unit", "basis"]);
    for step in &quote.steps {
        table.push(vec![
            Cell::text(step.name),
            Cell::text(step.formula.clone()),
            text(step.value, None),
            Cell::text(step.unit),
            Cell::text(step.basis.clone()),
        ]);
    }
    out.table(&table, format)?;
    print_notes(&mut out, &quote.notes, format)?;
    out.finish()
}
