//! `decarb cbam declare`: a year's imports from a CSV file, with the de minimis test, the
//! quarterly holding and (--declaration) the annual declaration document.

use super::args::DeclareArgs;
use super::input::{decimal, with_electricity};
use super::json::{annual_declaration_json, declaration_json, number};
use super::show::{print_notes, text};
use crate::commands::UserError;
use crate::output::{Cell, Format, Table};
use anyhow::Result;
use decarb_cbam::annual;
use decarb_cbam::{BeyondPublished, Declaration, DeclareOptions, Facts, Note};
use rust_decimal::Decimal;
use serde_json::Value;
use std::borrow::Cow;
use std::path::Path;

pub(super) fn run(facts: &Facts, args: &DeclareArgs) -> Result<()> {
    let mut options = DeclareOptions::new(args.year);
    options.correction_factor = decimal(args.correction_factor.as_ref(), "--correction-factor")?;
    options.certificate_price = decimal(args.certificate_price.as_ref(), "--certificate-price")?;
    options.markup = !args.no_markup;
    options.beyond_published =
        if args.hold_benchmarks { BeyondPublished::HoldLast } else { BeyondPublished::Error };
    let facts = &*with_electricity(Cow::Borrowed(facts), args.electricity_factors.as_ref())?;
    let name = args.imports.display().to_string();
    let declarant = match (&args.declaration, args.declarant.as_deref().map(str::trim)) {
        (Some(_), None | Some("")) => {
            return Err(UserError(
                "--declaration needs --declarant NAME: the authorised CBAM declarant who submits the \
                 declaration (Reg. (EU) 2023/956 Art. 5 and Art. 6(1))"
                    .into(),
            )
            .into());
        }
        (_, name) => name.map(str::to_owned),
    };
    let file = std::fs::File::open(&args.imports)
        .map_err(|e| UserError(format!("cannot open imports file {name}: {e}")))?;
    let mut imports = decarb_cbam::read_imports(std::io::BufReader::new(file), &name, &options)?;
    let installation_notes = match &args.installations {
        Some(path) => apply_installations(facts, path, &mut imports, &name, &options)?,
        None => Vec::new(),
    };
    let declaration = decarb_cbam::declare(facts, &imports, &name, &options)?;
    // Art. 22(2): from 2027, 50 % of the year-to-date emissions on defaults without mark-up.
    let holding = if args.year >= 2027 && !declaration.de_minimis.exempt {
        Some(decarb_cbam::quarterly_holding(facts, &imports, args.year)?)
    } else {
        None
    };
    let (format, mut out) = (args.output.format(), args.output.sink());
    let mut notes: Vec<Note> = declaration.lines.iter().flat_map(|l| l.quote.notes.iter().cloned()).collect();
    notes.extend(installation_notes);
    if let Some((exact, whole)) = holding {
        notes.push(annual::holding_note(exact, whole));
    }
    if let (Some(path), Some(declarant)) = (&args.declaration, &declarant) {
        let annual = annual::annual_declaration(facts, &declaration)?;
        let document = annual_declaration_json(
            &declaration,
            &annual,
            declarant,
            args.declarant_id.as_deref(),
            holding.map(|h| h.1),
            &notes,
        );
        let text = serde_json::to_string_pretty(&document)? + "\n";
        std::fs::write(path, text)
            .map_err(|e| UserError(format!("cannot write --declaration {}: {e}", path.display())))?;
        eprintln!("annual declaration written to {}", path.display());
    }
    if format == Format::Json {
        let mut value = declaration_json(&declaration, &notes);
        if let Value::Object(map) = &mut value {
            map.insert("quarterly_holding_certificates".into(), holding.map_or(Value::Null, |h| number(h.1)));
        }
        out.json(&value)?;
        return out.finish();
    }
    out.table(&declaration_table(&declaration), format)?;
    let mut summary = vec![annual::de_minimis_note(&declaration)];
    summary.extend(notes);
    print_notes(&mut out, &summary, format)?;
    out.finish()
}

const DECLARATION_COLUMNS: [&str; 13] = [
    "line",
    "line_id",
    "cn_code",
    "origin",
    "tonnes",
    "data_path",
    "see_declared_t_per_t",
    "embedded_tco2",
    "free_allocation_adjustment_tco2",
    "carbon_price_deduction_tco2",
    "certificates_exact",
    "cost_eur",
    "liable",
];

fn declaration_table(declaration: &Declaration) -> Table {
    let mut table = Table::new(DECLARATION_COLUMNS);
    for line in &declaration.lines {
        let q = &line.quote;
        table.push(vec![
            Cell::int(line.line),
            Cell::text(line.label.clone()),
            Cell::text(q.good.to_string()),
            Cell::text(q.origin.to_string()),
            text(q.tonnes, None),
            Cell::text(q.data_path),
            text(q.see_declared, None),
            text(q.embedded_tco2, None),
            text(q.free_allocation_adjustment_tco2, None),
            text(q.carbon_price_deduction_tco2, None),
            text(q.certificates_exact, None),
            text(q.cost, Some(2)),
            Cell::text(if line.liable { "yes" } else { "no (de minimis)" }),
        ]);
    }
    // Checked: a sum past the decimal range shows as empty rather than panicking.
    let tonnes = declaration.lines.iter().try_fold(Decimal::ZERO, |sum, l| sum.checked_add(l.quote.tonnes));
    table.push(vec![
        Cell::text("TOTAL"),
        Cell::text(format!("certificates to surrender: {}", declaration.certificates)),
        Cell::Empty,
        Cell::Empty,
        tonnes.map_or(Cell::Empty, |t| text(t, None)),
        Cell::Empty,
        Cell::Empty,
        text(declaration.embedded_tco2, None),
        text(declaration.free_allocation_adjustment_tco2, None),
        text(declaration.carbon_price_deduction_tco2, None),
        text(declaration.certificates_exact, None),
        text(declaration.cost_eur, Some(2)),
        Cell::Empty,
    ]);
    table
}

/// Lines whose `installation` names a process of the installations file get that process's SEE
/// and precursors' free allocation (decarb_cbam::installations::apply).
fn apply_installations(
    facts: &Facts,
    path: &Path,
    imports: &mut [decarb_cbam::declare::ImportLine],
    imports_name: &str,
    options: &DeclareOptions,
) -> Result<Vec<Note>> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path)
        .map_err(|e| UserError(format!("cannot open --installations file {name}: {e}")))?;
    let processes = decarb_cbam::installations::read_installations(std::io::BufReader::new(file), &name)?;
    decarb_cbam::installations::apply(facts, &processes, &name, imports, options)
        .map_err(|errors| decarb_cbam::Error::Lines { file: imports_name.to_owned(), errors }.into())
}
