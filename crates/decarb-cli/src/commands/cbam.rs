//! `decarb cbam`: border-adjustment obligations and costs (decarb-cbam). `quote` one import with
//! every step shown, `declare` a year's imports from a CSV file (docs/cbam-declare-format.md), and
//! `schedule` the cost per tonne of one good through the phase-out, 2026-2034, with an SVG chart.

use crate::output::{Cell, Format, Table};
use anyhow::{Context, Result};
use decarb_cbam::num::{parse_decimal, round_half_away};
use decarb_cbam::{
    BeyondPublished, CnCode, Date, Declaration, DeclareOptions, EmissionsInput, Facts, Note, Origin, Quote,
    QuoteRequest, Regime, SeeBasis,
};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Subcommand)]
pub enum CbamCommand {
    /// The certificate obligation and cost of one import, with every step and its legal basis.
    Quote(QuoteArgs),
    /// The annual CBAM declaration for a CSV list of imports (schema: docs/cbam-declare-format.md):
    /// per line and total, with the 50 t de minimis test.
    Declare(DeclareArgs),
    /// The cost per tonne of one good from one origin for 2026-2034, as a table and (--chart) an
    /// SVG chart.
    Schedule(ScheduleArgs),
    /// From a pathway run (`decarb run`'s summary.csv): each exporting region's CBAM cost per
    /// tonne over the years, given its fleet's intensity on that path.
    Pathway(PathwayArgs),
}

#[derive(Debug, clap::Args)]
pub struct PathwayArgs {
    /// The run's summary.csv (columns year, sector, region, production_mt, direct_emissions_mtco2,
    /// indirect_emissions_mtco2).
    summary: PathBuf,
    /// Sector of the run to price: steel, aluminium, cement or ammonia.
    #[arg(long)]
    sector: String,
    /// CN code that stands for the sector's exports (default: 7208 hot-rolled flat steel,
    /// 7601 10 00 unwrought aluminium, 2523 29 00 grey Portland cement, 2814 10 00 ammonia).
    #[arg(long, value_name = "CN")]
    good: Option<String>,
    /// Production route letter for the Column A benchmark (default: K for aluminium).
    #[arg(long, value_name = "LETTER")]
    route: Option<String>,
    /// EUR per certificate (default: the bundled published price, flagged).
    #[arg(long, value_name = "EUR", allow_hyphen_values = true)]
    certificate_price: Option<String>,
    /// Cross-sectoral correction factor (default 1, a flagged placeholder).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    correction_factor: Option<String>,
    /// Write the cost per tonne by region as an SVG chart (cbam-pathway.svg when no FILE is given).
    #[arg(long, value_name = "FILE.svg", num_args = 0..=1, default_missing_value = "cbam-pathway.svg")]
    chart: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum)]
    format: Option<Format>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RegimeArg {
    /// EU CBAM, Reg. (EU) 2023/956.
    Eu,
    /// UK CBAM, Finance Act 2026 Part 5 (from 2027).
    Uk,
}

/// How the good's embedded emissions and free allocation are established (shared by quote and
/// schedule).
#[derive(Debug, clap::Args)]
pub struct EmissionArgs {
    /// Actual, verified direct SEE in t CO2e per tonne (precursors included). Without it, default values.
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    see_direct: Option<String>,
    /// Actual indirect SEE in t CO2e per tonne; counted only for goods outside Annex II
    /// (cement, fertilisers, sintered ore) in the EU, always in the UK.
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    see_indirect: Option<String>,
    /// Actual path: the precursors' free allocation Σ m_i × SEFA_i in t CO2e per tonne, added to
    /// the good's own Column A benchmark (IR 2025/2620 pt 3.3).
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    precursor_sefa: Option<String>,
    /// Use the IR 2025/2621 default values (the default when --see-direct is absent).
    #[arg(long, conflicts_with_all = ["see_direct", "see_indirect", "precursor_sefa"])]
    default_values: bool,
    /// Do not apply the default-value mark-up (as for the quarterly holding or the de minimis review).
    #[arg(long)]
    no_markup: bool,
    /// A benchmark in t CO2e per tonne, instead of the IR 2025/2620 table (Column A with actual
    /// data, Column B with defaults).
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    benchmark: Option<String>,
    /// Production route letter of IR 2025/2620 (C BF/BOF, D DRI/EAF, E scrap/EAF, K primary and
    /// L secondary aluminium, A grey / B white clinker and hydraulic cement, …). On the default path,
    /// the country's default route of IR 2025/2621 Annex I otherwise; required for clinker.
    #[arg(long, value_name = "LETTER")]
    route: Option<String>,
    /// Effective carbon price paid in the country of origin, EUR per t CO2e embedded, net of
    /// rebates (Art. 9; actual emissions only). GBP under --regime uk.
    #[arg(long, value_name = "EUR_PER_T", allow_hyphen_values = true)]
    carbon_price_paid: Option<String>,
    /// EUR per certificate. Default: the bundled published price of the period (Q1 2026: EUR 75.36),
    /// else the last published one, flagged. Under --regime uk: the UK ETS auction average of the
    /// preceding quarter in GBP (required).
    #[arg(long, value_name = "EUR", allow_hyphen_values = true)]
    certificate_price: Option<String>,
    /// Cross-sectoral correction factor CSCF. Default 1: a placeholder, the 2026-2030 values are
    /// unpublished (flagged in the output).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    correction_factor: Option<String>,
    /// Actual path: electricity consumed per tonne (MWh/t); the indirect SEE is this × the origin's
    /// grid emission factor (IR 2025/2621 Annex II) from --grid-factors. Counted for goods outside
    /// Annex II only.
    #[arg(
        long,
        value_name = "MWH",
        allow_hyphen_values = true,
        conflicts_with = "see_indirect",
        requires = "see_direct"
    )]
    electricity_mwh_per_t: Option<String>,
    /// CSV of grid emission factors (IR 2025/2621 Annex II; columns iso2, country, ef, unit, status,
    /// source), default $DECARB_CBAM_GRID_FACTORS. Not bundled: IEA data under CC BY-NC-SA 4.0
    /// (docs/data-licences.md).
    #[arg(long, value_name = "FILE")]
    grid_factors: Option<PathBuf>,
    /// Actual values of a fertiliser given per tonne of nitrogen: the product's nitrogen mass
    /// fraction (0.46 for urea), converting them to per tonne of product (functional unit, IR (EU)
    /// 2025/2547 recital 6).
    #[arg(
        long,
        value_name = "F",
        allow_hyphen_values = true,
        requires = "see_direct",
        conflicts_with = "clinker_content"
    )]
    nitrogen_content: Option<String>,
    /// Actual values of a cement given per tonne of clinker contained: the cement's clinker mass
    /// fraction (t clinker per t cement), converting them to per tonne of cement.
    #[arg(long, value_name = "F", allow_hyphen_values = true, requires = "see_direct")]
    clinker_content: Option<String>,
    /// CSV of the emission factors of imported electricity (IR 2025/2621 Annex III; columns as
    /// --grid-factors), default $DECARB_CBAM_ELECTRICITY_FACTORS: the default path of CN 2716 00 00.
    /// Not bundled: IEA data under CC BY-NC-SA 4.0 (docs/data-licences.md).
    #[arg(long, value_name = "FILE")]
    electricity_factors: Option<PathBuf>,
    /// UK only: the sector's adjusted free-allocation percentage as a fraction (FA_adj, s. 149).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    uk_free_allocation: Option<String>,
    /// Which border adjustment.
    #[arg(long, value_enum, default_value = "eu")]
    regime: RegimeArg,
}

#[derive(Debug, clap::Args)]
pub struct QuoteArgs {
    /// CN code of the good ("7208", "7207 19 12").
    #[arg(long, value_name = "CN")]
    good: String,
    /// Country of origin, ISO 3166-1 code ("IND", "IN"), or OTHER for the 'Other countries' defaults.
    #[arg(long, value_name = "ISO3")]
    origin: String,
    /// Net mass imported, tonnes (MWh for electricity).
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    tonnes: String,
    /// Year of import (2026 on).
    #[arg(long, value_name = "Y", allow_hyphen_values = true)]
    year: i32,
    /// Year of production, which selects the benchmark band (default: the year of import).
    #[arg(long, value_name = "Y")]
    production_year: Option<i32>,
    /// Date of import (YYYY-MM-DD), which selects the quarterly (2026) or weekly (2027 on) price.
    #[arg(long, value_name = "DATE")]
    import_date: Option<String>,
    /// Hold the last published benchmark band (2028-2030) for later production years, flagged.
    #[arg(long)]
    hold_benchmarks: bool,
    #[command(flatten)]
    emissions: EmissionArgs,
    /// Output format.
    #[arg(long, value_enum)]
    format: Option<Format>,
}

#[derive(Debug, clap::Args)]
pub struct DeclareArgs {
    /// The imports CSV (columns: docs/cbam-declare-format.md).
    imports: PathBuf,
    /// Year of import the declaration covers.
    #[arg(long, value_name = "Y", allow_hyphen_values = true)]
    year: i32,
    /// Cross-sectoral correction factor (default 1, a flagged placeholder).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    correction_factor: Option<String>,
    /// EUR per certificate for lines without their own price.
    #[arg(long, value_name = "EUR", allow_hyphen_values = true)]
    certificate_price: Option<String>,
    /// Do not apply the default-value mark-up.
    #[arg(long)]
    no_markup: bool,
    /// Hold the last published benchmark band for later production years, flagged.
    #[arg(long)]
    hold_benchmarks: bool,
    /// Also write the complete annual declaration (Reg. (EU) 2023/956 Art. 6) as JSON to FILE
    /// (fields: docs/cbam-declare-format.md). Needs --declarant.
    #[arg(long, value_name = "FILE.json")]
    declaration: Option<PathBuf>,
    /// The authorised CBAM declarant's name (Art. 5, Art. 17), for --declaration.
    #[arg(long, value_name = "NAME")]
    declarant: Option<String>,
    /// The declarant's CBAM account number or EORI (Art. 16, Art. 17), for --declaration.
    #[arg(long, value_name = "ID")]
    declarant_id: Option<String>,
    /// CSV of the emission factors of imported electricity (IR 2025/2621 Annex III), for
    /// electricity lines on default values; default $DECARB_CBAM_ELECTRICITY_FACTORS.
    #[arg(long, value_name = "FILE")]
    electricity_factors: Option<PathBuf>,
    /// Installation data (processes and precursors, IR (EU) 2025/2547; docs/cbam-declare-format.md):
    /// lines whose `installation` names a process get its SEE from its activity data.
    #[arg(long, value_name = "FILE")]
    installations: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum)]
    format: Option<Format>,
}

#[derive(Debug, clap::Args)]
pub struct ScheduleArgs {
    /// CN code of the good.
    #[arg(long, value_name = "CN")]
    good: String,
    /// Country of origin, ISO 3166-1 code, or OTHER.
    #[arg(long, value_name = "ISO3")]
    origin: String,
    #[command(flatten)]
    emissions: EmissionArgs,
    /// Error instead of holding the 2028-2030 benchmark band for 2031-2033 (nothing is published
    /// for 2031 on; by default the last band is held and flagged).
    #[arg(long)]
    strict_benchmarks: bool,
    /// Write the cost-per-tonne chart as SVG to FILE (cbam-schedule.svg when no FILE is given).
    #[arg(long, value_name = "FILE.svg", num_args = 0..=1, default_missing_value = "cbam-schedule.svg")]
    chart: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum)]
    format: Option<Format>,
}

pub fn run(command: CbamCommand) -> Result<()> {
    let facts = Facts::bundled()?;
    match command {
        CbamCommand::Quote(args) => run_quote(facts, &args),
        CbamCommand::Declare(args) => run_declare(facts, &args),
        CbamCommand::Schedule(args) => run_schedule(facts, &args),
        CbamCommand::Pathway(args) => run_pathway(facts, &args),
    }
}

fn decimal(text: Option<&String>, what: &str) -> Result<Option<Decimal>> {
    Ok(text.map(|t| parse_decimal(t, what)).transpose()?)
}

fn route_letter(text: Option<&String>) -> Result<Option<char>> {
    text.map(|text| {
        let letter = text.trim().trim_matches(['(', ')']).to_ascii_uppercase();
        let mut chars = letter.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_ascii_uppercase() => Ok(c),
            _ => Err(decarb_cbam::Error::Invalid {
                what: "--route".into(),
                found: text.clone(),
                expected: "one route letter of IR 2025/2620 (C, D, E, F, G, H, J, K, L, A, B)".into(),
            }
            .into()),
        }
    })
    .transpose()
}

/// A request from the shared emission arguments (tonnes and year filled in by the caller).
fn request_from(
    good: &str,
    origin: &str,
    tonnes: Decimal,
    year: i32,
    args: &EmissionArgs,
) -> Result<QuoteRequest> {
    let mut request = QuoteRequest::new(CnCode::parse(good)?, Origin::parse(origin)?, tonnes, year);
    request.regime = match args.regime {
        RegimeArg::Eu => Regime::Eu,
        RegimeArg::Uk => Regime::Uk,
    };
    let direct = decimal(args.see_direct.as_ref(), "--see-direct")?;
    let indirect = decimal(args.see_indirect.as_ref(), "--see-indirect")?;
    let precursor_sefa = decimal(args.precursor_sefa.as_ref(), "--precursor-sefa")?;
    request.emissions = match direct {
        Some(direct) => EmissionsInput::Actual { direct, indirect, precursor_sefa },
        None if indirect.is_some() || precursor_sefa.is_some() => {
            return Err(decarb_cbam::Error::Conflict(
                "--see-indirect and --precursor-sefa are actual values: give --see-direct too".into(),
            )
            .into());
        }
        None => EmissionsInput::Default { markup: !args.no_markup },
    };
    if args.no_markup && direct.is_some() {
        return Err(decarb_cbam::Error::Conflict("--no-markup applies to default values only".into()).into());
    }
    request.benchmark = decimal(args.benchmark.as_ref(), "--benchmark")?;
    request.route = route_letter(args.route.as_ref())?;
    request.carbon_price_paid = decimal(args.carbon_price_paid.as_ref(), "--carbon-price-paid")?;
    request.certificate_price = decimal(args.certificate_price.as_ref(), "--certificate-price")?;
    request.correction_factor = decimal(args.correction_factor.as_ref(), "--correction-factor")?;
    request.uk_free_allocation = decimal(args.uk_free_allocation.as_ref(), "--uk-free-allocation")?;
    request.electricity_mwh_per_t = decimal(args.electricity_mwh_per_t.as_ref(), "--electricity-mwh-per-t")?;
    let nitrogen = decimal(args.nitrogen_content.as_ref(), "--nitrogen-content")?;
    let clinker = decimal(args.clinker_content.as_ref(), "--clinker-content")?;
    request.see_basis = match (nitrogen, clinker) {
        (Some(nitrogen_content), _) => SeeBasis::PerTonneOfNitrogen { nitrogen_content },
        (None, Some(clinker_content)) => SeeBasis::PerTonneOfClinker { clinker_content },
        (None, None) => SeeBasis::PerTonneOfGood,
    };
    Ok(request)
}

/// The bundled facts, with the user's grid emission factors when --grid-factors or
/// DECARB_CBAM_GRID_FACTORS names a file (IEA data, never bundled).
fn facts_with_grid<'f>(facts: &'f Facts, args: &EmissionArgs) -> Result<std::borrow::Cow<'f, Facts>> {
    let path = args.grid_factors.clone().or_else(|| {
        std::env::var_os("DECARB_CBAM_GRID_FACTORS").filter(|p| !p.is_empty()).map(PathBuf::from)
    });
    let mut facts = std::borrow::Cow::Borrowed(facts);
    if let Some(path) = path {
        let text = std::fs::read_to_string(&path).map_err(|e| {
            crate::commands::UserError(format!(
                "cannot read the grid emission factors {}: {e}",
                path.display()
            ))
        })?;
        facts = std::borrow::Cow::Owned(facts.with_grid_factors(&text, &path.display().to_string())?);
    }
    with_electricity(facts, args.electricity_factors.as_ref())
}

/// The facts with the user's imported-electricity factors (IR 2025/2621 Annex III) when
/// --electricity-factors or DECARB_CBAM_ELECTRICITY_FACTORS names a file (IEA data, never bundled).
fn with_electricity<'f>(
    facts: std::borrow::Cow<'f, Facts>,
    given: Option<&PathBuf>,
) -> Result<std::borrow::Cow<'f, Facts>> {
    let path = given.cloned().or_else(|| {
        std::env::var_os("DECARB_CBAM_ELECTRICITY_FACTORS").filter(|p| !p.is_empty()).map(PathBuf::from)
    });
    let Some(path) = path else { return Ok(facts) };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        crate::commands::UserError(format!(
            "cannot read the emission factors of imported electricity {}: {e}",
            path.display()
        ))
    })?;
    Ok(std::borrow::Cow::Owned(facts.with_electricity_factors(&text, &path.display().to_string())?))
}

/// A decimal as a JSON number. serde_json prints the shortest text that reads back as the same
/// f64, which is the decimal's own text for the ≤ 15 significant digits of these quantities.
fn number(value: Decimal) -> Value {
    if value.fract().is_zero()
        && let Ok(whole) = i64::try_from(value.trunc())
    {
        return Value::from(whole);
    }
    value
        .normalize()
        .to_string()
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

/// A decimal for tables and CSV: exact, or rounded half away from zero to `dp` decimals.
fn text(value: Decimal, dp: Option<u32>) -> Cell {
    match dp {
        Some(dp) => {
            let rounded = round_half_away(value, dp);
            Cell::text(format!("{rounded:.prec$}", prec = dp as usize))
        }
        // Quantities: at most 6 decimals on screen (full precision in JSON).
        None => Cell::text(round_half_away(value, 6).normalize().to_string()),
    }
}

fn notes_json(notes: &[Note]) -> Value {
    Value::Array(notes.iter().map(|n| json!({ "kind": n.kind, "text": n.text })).collect())
}

fn quote_json(quote: &Quote) -> Value {
    let eu = quote.currency == "EUR";
    json!({
        "regime": quote.regime,
        "good": quote.good.to_string(),
        "sector": quote.sector.as_str(),
        "origin": quote.origin.to_string(),
        "year": quote.year,
        "production_year": quote.production_year,
        "tonnes": number(quote.tonnes),
        "data_path": quote.data_path,
        "see_declared_t_per_t": number(quote.see_declared),
        "sefa_t_per_t": number(quote.sefa),
        "embedded_tco2": number(quote.embedded_tco2),
        "free_allocation_adjustment_tco2": number(quote.free_allocation_adjustment_tco2),
        "carbon_price_deduction_tco2": number(quote.carbon_price_deduction_tco2),
        "certificates_exact": number(quote.certificates_exact),
        "certificates": quote.certificates.map_or(Value::Null, number),
        "certificate_price": number(quote.price),
        "price_period": quote.price_period,
        "currency": quote.currency,
        "cost_eur": if eu { number(quote.cost) } else { Value::Null },
        "cost_eur_per_tonne": if eu { number(quote.cost_per_tonne) } else { Value::Null },
        "cost_gbp": if eu { Value::Null } else { number(quote.cost) },
        "cost_gbp_per_tonne": if eu { Value::Null } else { number(quote.cost_per_tonne) },
        "steps": quote.steps.iter().map(|s| json!({
            "step": s.name, "formula": s.formula, "value": number(s.value), "unit": s.unit, "basis": s.basis,
        })).collect::<Vec<_>>(),
        "notes": notes_json(&quote.notes),
    })
}

fn write_json(value: &Value) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// Notes go after a terminal table, and to stderr with CSV so the CSV stays clean.
fn print_notes(notes: &[Note], format: Format) -> Result<()> {
    let unique: BTreeSet<&Note> = notes.iter().collect();
    let lines = unique.iter().fold(String::new(), |mut out, n| {
        let _ = writeln!(out, "note ({}): {}", kind_name(n), n.text);
        out
    });
    if format == Format::Table {
        let mut out = std::io::stdout().lock();
        write!(out, "{lines}")?;
        out.flush()?;
    } else {
        eprint!("{lines}");
    }
    Ok(())
}

fn kind_name(note: &Note) -> &'static str {
    match note.kind {
        decarb_cbam::NoteKind::Assumption => "assumption",
        decarb_cbam::NoteKind::Unresolved => "unresolved",
        decarb_cbam::NoteKind::Info => "info",
    }
}

fn run_quote(facts: &Facts, args: &QuoteArgs) -> Result<()> {
    let tonnes = parse_decimal(&args.tonnes, "--tonnes")?;
    let mut request = request_from(&args.good, &args.origin, tonnes, args.year, &args.emissions)?;
    let facts = &*facts_with_grid(facts, &args.emissions)?;
    request.production_year = args.production_year;
    request.import_date = args.import_date.as_deref().map(Date::parse).transpose()?;
    request.beyond_published =
        if args.hold_benchmarks { BeyondPublished::HoldLast } else { BeyondPublished::Error };
    let mut quote = decarb_cbam::quote(facts, &request)?;
    if quote.sector.de_minimis_applies() && quote.regime == Regime::Eu && quote.data_path != "exempt" {
        quote.notes.push(Note {
            kind: decarb_cbam::NoteKind::Info,
            text: "de minimis (Art. 2a): an importer whose Annex I goods (electricity and hydrogen aside) total 50 t \
                   or less in the year owes nothing; the test is on the annual total (decarb cbam declare)"
                .into(),
        });
    }
    let format = Format::resolve(args.format);
    if format == Format::Json {
        return write_json(&quote_json(&quote));
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
    table.print(format)?;
    print_notes(&quote.notes, format)
}

fn run_declare(facts: &Facts, args: &DeclareArgs) -> Result<()> {
    let mut options = DeclareOptions::new(args.year);
    options.correction_factor = decimal(args.correction_factor.as_ref(), "--correction-factor")?;
    options.certificate_price = decimal(args.certificate_price.as_ref(), "--certificate-price")?;
    options.markup = !args.no_markup;
    options.beyond_published =
        if args.hold_benchmarks { BeyondPublished::HoldLast } else { BeyondPublished::Error };
    let facts = &*with_electricity(std::borrow::Cow::Borrowed(facts), args.electricity_factors.as_ref())?;
    let name = args.imports.display().to_string();
    let declarant = match (&args.declaration, args.declarant.as_deref().map(str::trim)) {
        (Some(_), None | Some("")) => {
            return Err(crate::commands::UserError(
                "--declaration needs --declarant NAME: the authorised CBAM declarant who submits the \
                 declaration (Reg. (EU) 2023/956 Art. 5 and Art. 6(1))"
                    .into(),
            )
            .into());
        }
        (_, name) => name.map(str::to_owned),
    };
    let file = std::fs::File::open(&args.imports)
        .map_err(|e| crate::commands::UserError(format!("cannot open imports file {name}: {e}")))?;
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
    let format = Format::resolve(args.format);
    let mut notes: Vec<Note> = declaration.lines.iter().flat_map(|l| l.quote.notes.iter().cloned()).collect();
    notes.extend(installation_notes);
    if let Some((exact, whole)) = holding {
        notes.push(Note {
            kind: decarb_cbam::NoteKind::Info,
            text: format!(
                "quarterly holding (Art. 22(2)): if these are the imports to a quarter's end, hold at least {whole} \
                 certificates ({} t: 50 % of embedded emissions on defaults without mark-up, less the FAA)",
                round_half_away(exact, 6).normalize()
            ),
        });
    }
    if let (Some(path), Some(declarant)) = (&args.declaration, &declarant) {
        let document = annual_declaration_json(
            facts,
            &declaration,
            declarant,
            args.declarant_id.as_deref(),
            holding.map(|h| h.1),
            &notes,
        )?;
        let text = serde_json::to_string_pretty(&document)? + "\n";
        std::fs::write(path, text).map_err(|e| {
            crate::commands::UserError(format!("cannot write --declaration {}: {e}", path.display()))
        })?;
        eprintln!("annual declaration written to {}", path.display());
    }
    if format == Format::Json {
        let mut value = declaration_json(&declaration, &notes);
        if let Value::Object(map) = &mut value {
            map.insert("quarterly_holding_certificates".into(), holding.map_or(Value::Null, |h| number(h.1)));
        }
        return write_json(&value);
    }
    declaration_table(&declaration).print(format)?;
    let mut summary = vec![de_minimis_note(&declaration)];
    summary.extend(notes);
    print_notes(&summary, format)
}

fn de_minimis_note(declaration: &Declaration) -> Note {
    let dm = declaration.de_minimis;
    let text = if dm.exempt {
        format!(
            "de minimis (Art. 2a): {} t of Annex I goods (electricity and hydrogen aside) is within {} t: those lines \
             owe nothing; electricity and hydrogen stay liable",
            dm.counted_tonnes.normalize(),
            dm.threshold_tonnes
        )
    } else {
        format!(
            "de minimis (Art. 2a): {} t exceeds {} t: every line is liable, not only the excess",
            dm.counted_tonnes.normalize(),
            dm.threshold_tonnes
        )
    };
    Note { kind: decarb_cbam::NoteKind::Info, text }
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
        .map_err(|e| crate::commands::UserError(format!("cannot open --installations file {name}: {e}")))?;
    let processes = decarb_cbam::installations::read_installations(std::io::BufReader::new(file), &name)?;
    decarb_cbam::installations::apply(facts, &processes, &name, imports, options)
        .map_err(|errors| decarb_cbam::Error::Lines { file: imports_name.to_owned(), errors }.into())
}

const BASIS_DEFAULT: &str = "default values: Reg. (EU) 2023/956 Art. 7(2)(b) and Annex IV pt 4.1; IR (EU) 2025/2621 \
                             Annex I (Annex IV for precursors of unknown origin), mark-up as replaced by IR (EU) 2026/1740";
const BASIS_ACTUAL: &str =
    "actual emissions: Reg. (EU) 2023/956 Art. 7(2)(a), Art. 8 (verified) and Annex IV; IR (EU) 2025/2547";
const BASIS_EXEMPT: &str =
    "outside the CBAM: Reg. (EU) 2023/956 Art. 2 and Annex III pt 1 (EU or exempt origin)";
const REF_FAA: &str =
    "Reg. (EU) 2023/956 Art. 31; IR (EU) 2025/2620 Annex (CBAM factor: Directive 2003/87/EC Art. 10a(1a))";
const REF_ART9: &str = "Reg. (EU) 2023/956 Art. 9 (carbon price effectively paid in the country of origin)";

/// The complete annual declaration (Reg. (EU) 2023/956 Art. 6(2)) as documented JSON
/// (docs/cbam-declare-format.md, "The annual declaration file").
fn annual_declaration_json(
    facts: &Facts,
    declaration: &Declaration,
    declarant: &str,
    declarant_id: Option<&str>,
    holding: Option<Decimal>,
    notes: &[Note],
) -> Result<Value> {
    let opt = |v: Option<Decimal>| v.map_or(Value::Null, number);
    let mut goods = Vec::with_capacity(declaration.lines.len());
    let mut quantity: std::collections::BTreeMap<String, Decimal> = std::collections::BTreeMap::new();
    let (mut direct_total, mut indirect_total) = (Decimal::ZERO, Decimal::ZERO);
    for line in &declaration.lines {
        let q = &line.quote;
        let counts_indirect = decarb_cbam::cn::counts_indirect(&q.good);
        // The per-tonne direct and indirect values the declared SEE rests on.
        let (direct, indirect, basis) = match (&line.emissions, q.data_path) {
            (_, "exempt") => (None, None, BASIS_EXEMPT),
            (EmissionsInput::Actual { direct, indirect, .. }, _) => (Some(*direct), *indirect, BASIS_ACTUAL),
            (EmissionsInput::Default { .. }, _) => {
                let row = decarb_cbam::rules::default_value_for(facts, &q.good, q.origin, line.route)?.row;
                (row.direct, row.indirect, BASIS_DEFAULT)
            }
        };
        let embedded_direct = direct.map(|d| d * q.tonnes);
        let embedded_indirect = indirect.filter(|_| counts_indirect).map(|i| i * q.tonnes);
        if line.liable {
            direct_total += embedded_direct.unwrap_or_default();
            indirect_total += embedded_indirect.unwrap_or_default();
        }
        *quantity.entry(q.good.to_string()).or_default() += q.tonnes;
        goods.push(json!({
            "line": line.line,
            "line_id": line.label,
            "cn_code": q.good.to_string(),
            "sector": q.sector,
            "origin": q.origin.to_string(),
            "installation": line.installation,
            "quantity_tonnes": number(q.tonnes),
            "emissions_basis": q.data_path,
            "legal_reference": basis,
            "see_direct_t_per_t": opt(direct),
            "see_indirect_t_per_t": opt(indirect),
            "indirect_counted": counts_indirect,
            "see_declared_t_per_t": number(q.see_declared),
            "embedded_direct_tco2": opt(embedded_direct),
            "embedded_indirect_tco2": opt(embedded_indirect),
            "embedded_tco2": number(q.embedded_tco2),
            "deductions": {
                "free_allocation_adjustment_tco2": number(q.free_allocation_adjustment_tco2),
                "free_allocation_reference": REF_FAA,
                "sefa_t_per_t": number(q.sefa),
                "carbon_price_paid_eur_per_t": opt(line.carbon_price_paid),
                "carbon_price_deduction_tco2": number(q.carbon_price_deduction_tco2),
                "carbon_price_reference": REF_ART9,
            },
            "certificates_exact": number(q.certificates_exact),
            "certificate_price_eur": number(q.price),
            "price_period": q.price_period,
            "cost_eur": number(round_half_away(q.cost, 2)),
            "liable": line.liable,
        }));
    }
    let unique: Vec<Note> = notes.iter().collect::<BTreeSet<_>>().into_iter().cloned().collect();
    Ok(json!({
        "document": "CBAM annual declaration",
        "format": "decarb-cbam-declaration/1",
        "legal_basis": "Reg. (EU) 2023/956 Art. 6 as replaced by Reg. (EU) 2025/2083",
        "declarant": { "name": declarant, "id": declarant_id },
        "year": declaration.year,
        "due": format!("{}-09-30", declaration.year + 1),
        "de_minimis": {
            "counted_tonnes": number(declaration.de_minimis.counted_tonnes),
            "threshold_tonnes": number(declaration.de_minimis.threshold_tonnes),
            "exempt": declaration.de_minimis.exempt,
            "legal_reference": "Reg. (EU) 2023/956 Art. 2a",
        },
        "goods": goods,
        "totals": {
            "quantity_by_cn_tonnes": quantity.into_iter().map(|(k, v)| (k, number(v))).collect::<serde_json::Map<_, _>>(),
            "embedded_direct_tco2": number(direct_total),
            "embedded_indirect_tco2": number(indirect_total),
            "embedded_tco2": number(declaration.embedded_tco2),
            "free_allocation_adjustment_tco2": number(declaration.free_allocation_adjustment_tco2),
            "carbon_price_deduction_tco2": number(declaration.carbon_price_deduction_tco2),
            "certificates_exact": number(declaration.certificates_exact),
            "certificates_to_surrender": number(declaration.certificates),
            "certificates_reference": "Reg. (EU) 2023/956 Art. 6(2)(c), Art. 22(1); rounded up once to a whole certificate (design decision)",
            "cost_eur": number(round_half_away(declaration.cost_eur, 2)),
            "quarterly_holding_certificates": holding.map_or(Value::Null, number),
        },
        "notes": notes_json(&unique),
    }))
}

fn declaration_json(declaration: &Declaration, notes: &[Note]) -> Value {
    let unique: Vec<Note> = notes.iter().collect::<BTreeSet<_>>().into_iter().cloned().collect();
    json!({
        "year": declaration.year,
        "de_minimis": {
            "counted_tonnes": number(declaration.de_minimis.counted_tonnes),
            "threshold_tonnes": number(declaration.de_minimis.threshold_tonnes),
            "exempt": declaration.de_minimis.exempt,
        },
        "lines": declaration.lines.iter().map(|line| {
            let mut value = quote_json(&line.quote);
            if let Value::Object(map) = &mut value {
                map.insert("line".into(), json!(line.line));
                map.insert("line_id".into(), json!(line.label));
                map.insert("liable".into(), json!(line.liable));
                map.remove("steps");
                map.remove("notes");
            }
            value
        }).collect::<Vec<_>>(),
        "totals": {
            "embedded_tco2": number(declaration.embedded_tco2),
            "free_allocation_adjustment_tco2": number(declaration.free_allocation_adjustment_tco2),
            "carbon_price_deduction_tco2": number(declaration.carbon_price_deduction_tco2),
            "certificates_exact": number(declaration.certificates_exact),
            "certificates": number(declaration.certificates),
            "cost_eur": number(declaration.cost_eur),
        },
        "notes": notes_json(&unique),
    })
}

fn run_schedule(facts: &Facts, args: &ScheduleArgs) -> Result<()> {
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
    let format = Format::resolve(args.format);
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
        write_json(&value)?;
    } else {
        table.print(format)?;
        let notes: Vec<Note> = rows.iter().flat_map(|r| r.notes.iter().cloned()).collect();
        print_notes(&notes, format)?;
    }
    if let Some(path) = &args.chart {
        let currency = if request.regime == Regime::Uk { "GBP" } else { "EUR" };
        let title =
            format!("CBAM cost per tonne: CN {} from {} ({currency}/t)", request.good, request.origin);
        let points: Vec<(i32, f64)> = rows
            .iter()
            .map(|r| (r.year, r.cost_eur_per_tonne.normalize().to_string().parse::<f64>().unwrap_or(0.0)))
            .collect();
        write_chart(path, &title, currency, &points)?;
        eprintln!("chart written to {}", path.display());
    }
    Ok(())
}

/// A line chart of cost per tonne by year, as SVG (plotters' SVG backend writes text as SVG text
/// elements, so no font files are needed).
fn write_chart(path: &Path, title: &str, currency: &str, points: &[(i32, f64)]) -> Result<()> {
    use plotters::prelude::*;
    let (first, last) = match (points.first(), points.last()) {
        (Some(first), Some(last)) => (first.0, last.0),
        _ => return Err(crate::commands::UserError("no years to chart".into()).into()),
    };
    let top = points.iter().map(|p| p.1).fold(0.0_f64, f64::max);
    let top = if top > 0.0 { top * 1.1 } else { 1.0 };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (800, 480)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| anyhow::anyhow!("drawing the chart: {e}"))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 20))
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(first..last, 0.0..top)
            .map_err(|e| anyhow::anyhow!("drawing the chart: {e}"))?;
        chart
            .configure_mesh()
            .x_desc("year of import")
            .y_desc(format!("{currency} per tonne of good"))
            .x_labels(points.len())
            .x_label_formatter(&|year| year.to_string())
            .draw()
            .map_err(|e| anyhow::anyhow!("drawing the chart: {e}"))?;
        chart
            .draw_series(LineSeries::new(points.iter().copied(), BLUE.stroke_width(2)))
            .map_err(|e| anyhow::anyhow!("drawing the chart: {e}"))?;
        root.present().map_err(|e| anyhow::anyhow!("drawing the chart: {e}"))?;
    }
    std::fs::write(path, svg).with_context(|| format!("writing the chart to {}", path.display()))
}

/// Per region and year of a run: (production t, direct t CO2, indirect t CO2).
pub(crate) type RunRows = Vec<(String, i32, f64, f64, f64)>;

pub(crate) fn read_run_summary(path: &Path, sector: decarb_model::Sector) -> Result<RunRows> {
    let name = path.display().to_string();
    let user = |message: String| anyhow::Error::new(crate::commands::UserError(message));
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| user(format!("cannot read run summary {name}: {e}")))?;
    let headers = reader.headers().map_err(|e| user(format!("{name}: {e}")))?.clone();
    let column = |wanted: &str| {
        headers
            .iter()
            .position(|h| h.trim().trim_start_matches('\u{feff}') == wanted)
            .ok_or_else(|| user(format!("{name}: no column {wanted} (expected a `decarb run` summary.csv)")))
    };
    let cols = [
        column("year")?,
        column("sector")?,
        column("region")?,
        column("production_mt")?,
        column("direct_emissions_mtco2")?,
        column("indirect_emissions_mtco2")?,
    ];
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| user(format!("{name}: {e}")))?;
        let line = record.position().map_or(0, csv::Position::line);
        let get = |i: usize| record.get(cols[i]).unwrap_or("").trim();
        if get(1) != sector.as_str() || get(2).eq_ignore_ascii_case("world") {
            continue;
        }
        let number = |i: usize, what: &str| -> Result<f64> {
            get(i).parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| {
                user(format!("{name}, line {line}, column {what}: found {:?}, expected a number", get(i)))
            })
        };
        let year = get(0)
            .parse::<i32>()
            .map_err(|_| user(format!("{name}, line {line}, column year: found {:?}", get(0))))?;
        rows.push((
            get(2).to_owned(),
            year,
            number(3, "production_mt")? * 1e6,
            number(4, "direct_emissions_mtco2")? * 1e6,
            number(5, "indirect_emissions_mtco2")? * 1e6,
        ));
    }
    if rows.is_empty() {
        return Err(user(format!("{name}: no regional {sector} rows")));
    }
    Ok(rows)
}

fn run_pathway(facts: &Facts, args: &PathwayArgs) -> Result<()> {
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
    for (region, year, production, direct, indirect) in read_run_summary(&args.summary, sector)? {
        points.extend(PathwayPoint::from_pathway(
            region,
            Origin::OtherCountries,
            year,
            &good,
            production,
            direct,
            indirect,
        )?);
    }
    let costs = pathway_costs(facts, &template, &points)?;
    let format = Format::resolve(args.format);
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
    table.print(format)?;
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
    print_notes(&notes, format)?;
    if let Some(path) = &args.chart {
        let mut series: std::collections::BTreeMap<&str, Vec<(i32, f64)>> = std::collections::BTreeMap::new();
        for cost in &costs {
            let value = cost.cost_eur_per_tonne.round_dp(2).to_string().parse::<f64>().unwrap_or(0.0);
            series.entry(cost.exporter.as_str()).or_default().push((cost.year, value));
        }
        let title = format!("CBAM cost per tonne of {good} on the pathway, by region (EUR/t)");
        write_multi_chart(path, &title, &series)?;
        eprintln!("chart written to {}", path.display());
    }
    Ok(())
}

/// One line per series, with a legend.
fn write_multi_chart(
    path: &Path,
    title: &str,
    series: &std::collections::BTreeMap<&str, Vec<(i32, f64)>>,
) -> Result<()> {
    use plotters::prelude::*;
    let fail = |e: &dyn std::fmt::Display| anyhow::anyhow!("drawing the chart: {e}");
    let years = series.values().flatten().map(|p| p.0);
    let (Some(first), Some(last)) = (years.clone().min(), years.max()) else {
        return Err(crate::commands::UserError("no years to chart".into()).into());
    };
    let top = series.values().flatten().map(|p| p.1).fold(0.0_f64, f64::max).max(1.0) * 1.1;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 520)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(first..last.max(first + 1), 0.0..top)
            .map_err(|e| fail(&e))?;
        chart
            .configure_mesh()
            .x_desc("year of import")
            .y_desc("EUR per tonne")
            .x_label_formatter(&|year| year.to_string())
            .draw()
            .map_err(|e| fail(&e))?;
        for (i, (name, points)) in series.iter().enumerate() {
            let color = Palette99::pick(i).to_rgba();
            chart
                .draw_series(LineSeries::new(points.iter().copied(), color.stroke_width(2)))
                .map_err(|e| fail(&e))?
                .label(*name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(|e| fail(&e))?;
        root.present().map_err(|e| fail(&e))?;
    }
    std::fs::write(path, svg).with_context(|| format!("writing the chart to {}", path.display()))
}
