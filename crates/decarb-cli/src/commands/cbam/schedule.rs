//! `decarb cbam schedule`: the cost per tonne of one good from one origin, 2026-2034.

use super::args::ScheduleArgs;
use super::chart;
use super::input::{facts_with_grid, request_from};
use super::json::{notes_json, number};
use super::show::{print_notes, text};
use crate::output::{Cell, Format, Table};
use anyhow::Result;
use decarb_cbam::{BeyondPublished, Facts, Note, Regime};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::collections::BTreeSet;

pub(super) fn run(facts: &Facts, args: &ScheduleArgs) -> Result<()> {
    let facts = &*facts_with_grid(facts, &args.emissions)?;
    let mut request = request_from(
        &args.good,
        &args.origin,
        Decimal::ONE,
        decarb_cbam::rules::FIRST_YEAR,
        &args.emissions,
    )?;
    request.beyond_published =
        if args.strict_benchmarks { BeyondPublished::Error } else { BeyondPublished::HoldLast };
    let years = if request.regime == Regime::Uk { 2027..=2034 } else { decarb_cbam::schedule::YEARS };
    let rows = decarb_cbam::schedule(facts, &request, years)?;
    let (format, mut out) = (args.output.format(), args.output.sink());
    let mut table = Table::new([
        "year",
        "cbam_factor",
        "see_declared_t_per_t",
        "sefa_t_per_t",
        "certificates_per_tonne",
        "certificate_price",
        "cost_per_tonne",
    ]);
    for row in &rows {
        table.push(vec![
            Cell::int(row.year),
            row.cbam_factor.map_or(Cell::Empty, |f| text(f, None)),
            text(row.see_declared, None),
            text(row.sefa, None),
            text(row.certificates_per_tonne, None),
            text(row.price_eur, None),
            text(row.cost_eur_per_tonne, Some(2)),
        ]);
    }
    if format == Format::Json {
        let value = json!({
            "good": request.good.to_string(),
            "origin": request.origin.to_string(),
            "regime": request.regime,
            "currency": if request.regime == Regime::Uk { "GBP" } else { "EUR" },
            "years": rows.iter().map(|row| json!({
                "year": row.year,
                "cbam_factor": row.cbam_factor.map_or(Value::Null, number),
                "see_declared_t_per_t": number(row.see_declared),
                "sefa_t_per_t": number(row.sefa),
                "certificates_per_tonne": number(row.certificates_per_tonne),
                "certificate_price": number(row.price_eur),
                "cost_per_tonne": number(row.cost_eur_per_tonne),
            })).collect::<Vec<_>>(),
            "notes": notes_json(&rows.iter().flat_map(|r| r.notes.iter().cloned()).collect::<BTreeSet<_>>().into_iter().collect::<Vec<_>>()),
        });
        out.json(&value)?;
    } else {
        out.table(&table, format)?;
        let notes: Vec<Note> = rows.iter().flat_map(|r| r.notes.iter().cloned()).collect();
        print_notes(&mut out, &notes, format)?;
    }
    if let Some(path) = &args.chart {
        let currency = if request.regime == Regime::Uk { "GBP" } else { "EUR" };
        let title =
            format!("CBAM cost per tonne: CN {} from {} ({currency}/t)", request.good, request.origin);
        let points: Vec<(i32, f64)> = rows
            .iter()
            .map(|r| Ok((r.year, f64::try_from(r.cost_eur_per_tonne.normalize())?)))
            .collect::<Result<_>>()?;
        chart::write_chart(path, &title, currency, &points)?;
        eprintln!("chart written to {}", path.display());
    }
    out.finish()
}
