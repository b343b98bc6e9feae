//! `decarb cbam pathway`: each region of a `decarb run` priced at its own intensity, year by year.

use super::args::PathwayArgs;
use super::chart;
use super::input::{decimal, route_letter};
use super::show::{print_notes, text};
use crate::commands::UserError;
use crate::output::{Cell, Table};
use anyhow::Result;
use decarb_cbam::inputs::read_run_summary;
use decarb_cbam::{CnCode, Facts, Note, Origin, QuoteRequest};
use rust_decimal::Decimal;

pub(super) fn run(facts: &Facts, args: &PathwayArgs) -> Result<()> {
    use decarb_cbam::exposure::{PathwayPoint, pathway_costs, representative_good, representative_route};
    let sector: decarb_model::Sector = args.sector.parse()?;
    let good = match args.good.as_deref() {
        Some(code) => CnCode::parse(code)?,
        None => representative_good(sector)?,
    };
    let counts_indirect = decarb_cbam::cn::counts_indirect(&good);
    let mut template = QuoteRequest::new(good.clone(), Origin::OtherCountries, Decimal::ONE, 2026);
    template.route = route_letter(args.route.as_ref())?.or(representative_route(sector));
    template.certificate_price = decimal(args.certificate_price.as_ref(), "--certificate-price")?;
    template.correction_factor = decimal(args.correction_factor.as_ref(), "--correction-factor")?;
    let mut points = Vec::new();
    let name = args.summary.display().to_string();
    let file = std::fs::File::open(&args.summary)
        .map_err(|e| UserError(format!("cannot read run summary {name}: {e}")))?;
    for row in read_run_summary(std::io::BufReader::new(file), &name, sector)? {
        points.extend(PathwayPoint::from_pathway(
            row.region,
            Origin::OtherCountries,
            row.year,
            &good,
            row.production_t,
            row.direct_t,
            row.indirect_t,
        )?);
    }
    let costs = pathway_costs(facts, &template, &points)?;
    let (format, mut out) = (args.output.format(), args.output.sink());
    let mut table = Table::new([
        "exporter",
        "year",
        "intensity_t_per_t",
        "sefa_t_per_t",
        "certificates_per_tonne",
        "cost_eur_per_tonne",
    ]);
    for cost in &costs {
        table.push(vec![
            Cell::text(cost.exporter.clone()),
            Cell::int(cost.year),
            text(cost.intensity, None),
            text(cost.sefa, None),
            text(cost.certificates_per_tonne, None),
            text(cost.cost_eur_per_tonne, Some(2)),
        ]);
    }
    out.table(&table, format)?;
    let mut notes = vec![
        Note {
            kind: decarb_cbam::NoteKind::Assumption,
            text: format!(
                "intensity = the run's {} emissions / production of each region, taken as verified actual SEE of \
                 {good}; Column A benchmark, no precursor SEFA; 2031-2033 hold the 2028-2030 band",
                if counts_indirect { "direct + indirect" } else { "direct" }
            ),
        },
        Note {
            kind: decarb_cbam::NoteKind::Info,
            text: "the europe region includes EU producers, who face no CBAM; its row prices its non-EU exporters".into(),
        },
    ];
    if args.certificate_price.is_none() {
        notes.push(Note {
            kind: decarb_cbam::NoteKind::Assumption,
            text: format!(
                "no --certificate-price: {} is held for every year",
                decarb_cbam::price::last_published_text(facts)
            ),
        });
    }
    print_notes(&mut out, &notes, format)?;
    if let Some(path) = &args.chart {
        let mut series: std::collections::BTreeMap<&str, Vec<(i32, f64)>> = std::collections::BTreeMap::new();
        for cost in &costs {
            let value = f64::try_from(cost.cost_eur_per_tonne.round_dp(2))?;
            series.entry(cost.exporter.as_str()).or_default().push((cost.year, value));
        }
        let title = format!("CBAM cost per tonne of {good} on the pathway, by region (EUR/t)");
        chart::write_multi_chart(path, &title, &series)?;
        eprintln!("chart written to {}", path.display());
    }
    out.finish()
}
