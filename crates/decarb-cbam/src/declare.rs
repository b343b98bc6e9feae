//! The annual CBAM declaration for a list of imports (Art. 6): one quote per line, the 50 t de
//! minimis test on the year's total (Art. 2a), and the totals, with the number of certificates to
//! surrender rounded up once, on the total. The CSV schema is documented in
//! docs/cbam-declare-format.md.

use crate::cn::CnCode;
use crate::error::{Error, LineError, Result};
use crate::facts::Facts;
use crate::num::{add, certificates_ceiling};
use crate::obligation::{EmissionsInput, Quote, QuoteRequest, Regime, quote};
use crate::origin::Origin;
use crate::price::Date;
use crate::rows::{self, Cells};
use crate::rules::BeyondPublished;
use rust_decimal::Decimal;
use std::io::Read;

/// The de minimis threshold: 50 t net mass a year, all CN codes together (Art. 2a, Annex VII).
pub const DE_MINIMIS_TONNES: Decimal = Decimal::from_parts(50, 0, 0, false, 0);

/// Every column the imports file may have. Only the first three are required.
pub const COLUMNS: &[&str] = &[
    "cn_code",
    "origin",
    "tonnes",
    "see_direct",
    "see_indirect",
    "precursor_sefa",
    "route",
    "import_date",
    "carbon_price_paid_eur_per_t",
    "certificate_price_eur",
    "line_id",
    "installation",
    "nitrogen_content",
    "clinker_content",
];

/// Declaration-wide settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclareOptions {
    pub year: i32,
    pub correction_factor: Option<Decimal>,
    /// Price for lines without their own price or a bundled price for their date.
    pub certificate_price: Option<Decimal>,
    pub markup: bool,
    pub beyond_published: BeyondPublished,
}

impl DeclareOptions {
    pub fn new(year: i32) -> DeclareOptions {
        DeclareOptions {
            year,
            correction_factor: None,
            certificate_price: None,
            markup: true,
            beyond_published: BeyondPublished::Error,
        }
    }
}

/// One import line as read from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportLine {
    pub line: u64,
    pub row: u64,
    pub label: String,
    /// The producing installation (free text: its identifier in the CBAM registry or its name),
    /// carried to the annual declaration.
    pub installation: Option<String>,
    pub request: QuoteRequest,
}

/// One quoted line of the declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredLine {
    pub line: u64,
    pub label: String,
    pub installation: Option<String>,
    /// The emissions input of the line (actual direct/indirect, or default values).
    pub emissions: EmissionsInput,
    /// The route given in the file, if any.
    pub route: Option<char>,
    /// The unit of the line's actual values (per tonne of good unless the file gives a nitrogen
    /// or clinker content).
    pub see_basis: crate::SeeBasis,
    /// The effective carbon price paid in the country of origin, EUR per t CO2e (Art. 9), if given.
    pub carbon_price_paid: Option<Decimal>,
    pub quote: Quote,
    /// False when the de minimis exemption removes the obligation for this line.
    pub liable: bool,
}

/// The de minimis test of the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeMinimis {
    /// Net mass counted: Annex I goods other than electricity and hydrogen, from non-exempt origins.
    pub counted_tonnes: Decimal,
    pub threshold_tonnes: Decimal,
    /// True when counted_tonnes ≤ 50: those goods carry no obligation. Electricity and hydrogen
    /// stay liable (Art. 2a(4)).
    pub exempt: bool,
}

/// The declaration: lines, the de minimis result and the totals of liable lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    pub year: i32,
    pub lines: Vec<DeclaredLine>,
    pub de_minimis: DeMinimis,
    pub embedded_tco2: Decimal,
    pub free_allocation_adjustment_tco2: Decimal,
    pub carbon_price_deduction_tco2: Decimal,
    pub certificates_exact: Decimal,
    /// Certificates to surrender: the exact total rounded up once (Art. 6(2)(c), §11).
    pub certificates: Decimal,
    pub cost_eur: Decimal,
}

/// One row of the imports file as written (every cell text, an empty cell `None`); the header
/// is checked against [`COLUMNS`] first and read case-insensitively.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ImportRow {
    cn_code: Option<String>,
    origin: Option<String>,
    tonnes: Option<String>,
    see_direct: Option<String>,
    see_indirect: Option<String>,
    precursor_sefa: Option<String>,
    route: Option<String>,
    import_date: Option<String>,
    carbon_price_paid_eur_per_t: Option<String>,
    certificate_price_eur: Option<String>,
    line_id: Option<String>,
    installation: Option<String>,
    nitrogen_content: Option<String>,
    clinker_content: Option<String>,
}

/// Reads an imports CSV. All bad rows are reported together, each with its line and column.
pub fn read_imports(reader: impl Read, file: &str, options: &DeclareOptions) -> Result<Vec<ImportLine>> {
    let (mut csv, keys) = rows::open(reader, file, COLUMNS, &["cn_code", "origin", "tonnes"])?;
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for record in rows::records::<ImportRow, _>(&mut csv, &keys) {
        match record {
            Ok((line, row, cells)) => match parse_line(cells, line, row, options) {
                Ok(import) => lines.push(import),
                Err(mut bad) => errors.append(&mut bad),
            },
            Err(bad) => errors.push(bad),
        }
    }
    if errors.is_empty() { Ok(lines) } else { Err(Error::Lines { file: file.to_owned(), errors }) }
}

fn parse_line(
    cells: ImportRow,
    line: u64,
    row: u64,
    options: &DeclareOptions,
) -> Result<ImportLine, Vec<LineError>> {
    let mut c = Cells::new(line, row);
    let good = c.check("cn_code", CnCode::parse(cells.cn_code.as_deref().unwrap_or("")));
    if let Some(code) = &good {
        c.check("cn_code", crate::cn::sector_of(code));
    }
    let origin = c.check("origin", Origin::parse(cells.origin.as_deref().unwrap_or("")));
    let tonnes = match c.number("tonnes", cells.tonnes.as_ref()) {
        None if cells.tonnes.is_none() => {
            c.check("tonnes", Err(Error::invalid("tonnes", "", "a net mass in tonnes")))
        }
        Some(t) if t.is_sign_negative() && !t.is_zero() => {
            c.check("tonnes", Err(Error::invalid("tonnes", t, "a value of zero or more")))
        }
        other => other,
    };
    let see_direct = c.number("see_direct", cells.see_direct.as_ref());
    let see_indirect = c.number("see_indirect", cells.see_indirect.as_ref());
    let precursor_sefa = c.number("precursor_sefa", cells.precursor_sefa.as_ref());
    let carbon_price_paid =
        c.number("carbon_price_paid_eur_per_t", cells.carbon_price_paid_eur_per_t.as_ref());
    let certificate_price = c.number("certificate_price_eur", cells.certificate_price_eur.as_ref());
    if cells.see_direct.is_none() && (see_indirect.is_some() || precursor_sefa.is_some()) {
        let column = if see_indirect.is_some() { "see_indirect" } else { "precursor_sefa" };
        c.check::<()>(column, Err(Error::Conflict("actual values need see_direct on the same line".into())));
    }
    let route = cells.route.as_deref().and_then(|text| c.check("route", parse_route(text)));
    let import_date = cells.import_date.as_deref().and_then(|t| {
        let date = c.check("import_date", Date::parse(t))?;
        let in_year = if date.year == options.year {
            Ok(date)
        } else {
            Err(Error::Conflict(format!(
                "import date {date} is not in the declaration year {}",
                options.year
            )))
        };
        c.check("import_date", in_year)
    });
    let nitrogen = c.number("nitrogen_content", cells.nitrogen_content.as_ref());
    let clinker = c.number("clinker_content", cells.clinker_content.as_ref());
    let see_basis = see_basis(nitrogen, clinker, see_direct.is_some())
        .map_err(|(column, e)| c.check::<()>(column, Err(e)))
        .unwrap_or_default();
    let (Some(good), Some(origin), Some(tonnes), true) = (good, origin, tonnes, c.errors.is_empty()) else {
        return Err(c.errors);
    };
    let mut request = QuoteRequest::new(good, origin, tonnes, options.year);
    request.regime = Regime::Eu;
    request.emissions = match see_direct {
        Some(direct) => EmissionsInput::Actual { direct, indirect: see_indirect, precursor_sefa },
        None => EmissionsInput::Default { markup: options.markup },
    };
    request.see_basis = see_basis;
    request.route = route;
    request.import_date = import_date;
    request.carbon_price_paid = carbon_price_paid;
    request.certificate_price = certificate_price.or(options.certificate_price);
    request.correction_factor = options.correction_factor;
    request.beyond_published = options.beyond_published;
    Ok(ImportLine {
        line,
        row,
        label: cells.line_id.unwrap_or_default(),
        installation: cells.installation,
        request,
    })
}

/// The unit of a line's actual values: per tonne of nitrogen or of clinker contained when the
/// line gives the content (functional.rs), which needs actual values on the line.
fn see_basis(
    nitrogen: Option<Decimal>,
    clinker: Option<Decimal>,
    actual: bool,
) -> Result<crate::SeeBasis, (&'static str, Error)> {
    let column = if nitrogen.is_some() { "nitrogen_content" } else { "clinker_content" };
    if (nitrogen.is_some() || clinker.is_some()) && !actual {
        return Err((
            column,
            Error::Conflict(
                "nitrogen_content and clinker_content convert actual values: give see_direct on the same line".into(),
            ),
        ));
    }
    Ok(match (nitrogen, clinker) {
        (Some(_), Some(_)) => {
            return Err((
                "clinker_content",
                Error::Conflict("give nitrogen_content or clinker_content, not both".into()),
            ));
        }
        (Some(nitrogen_content), None) => crate::SeeBasis::PerTonneOfNitrogen { nitrogen_content },
        (None, Some(clinker_content)) => crate::SeeBasis::PerTonneOfClinker { clinker_content },
        (None, None) => crate::SeeBasis::PerTonneOfGood,
    })
}

/// A route letter of IR 2025/2620, with or without parentheses ("C", "(K)").
pub fn parse_route(text: &str) -> Result<char> {
    let letter = text.trim().trim_matches(['(', ')']).to_ascii_uppercase();
    let mut chars = letter.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_uppercase() => Ok(c),
        _ => Err(Error::invalid(
            "route",
            text,
            "one route letter of IR 2025/2620 (C, D, E, F, G, H, J, K, L, A, B)",
        )),
    }
}

/// The column a quote error points at.
fn column_of(error: &Error) -> &'static str {
    match error {
        Error::Scope { .. } => "cn_code",
        Error::NoDefaultValue { .. } => "cn_code/origin",
        Error::NoBenchmark { .. } => "route",
        Error::Invalid { what, .. } if what.contains("price") => "certificate_price_eur",
        Error::Invalid { what, .. } if what == "origin" => "origin",
        Error::Invalid { what, .. } if what.starts_with("SEE") => "see_direct",
        Error::Invalid { what, .. } if what.starts_with("nitrogen content") => "nitrogen_content",
        Error::Invalid { what, .. } if what.starts_with("clinker content") => "clinker_content",
        Error::Conflict(text) if text.contains("carbon price") => "carbon_price_paid_eur_per_t",
        Error::Conflict(text) if text.contains("import date") => "import_date",
        _ => "(line)",
    }
}

/// Quotes every line, applies the de minimis test, and totals the liable lines.
pub fn declare(
    facts: &Facts,
    imports: &[ImportLine],
    file: &str,
    options: &DeclareOptions,
) -> Result<Declaration> {
    crate::rules::check_year(options.year)?;
    let mut lines = Vec::with_capacity(imports.len());
    let mut errors = Vec::new();
    let mut counted = Decimal::ZERO;
    for import in imports {
        match quote(facts, &import.request) {
            Ok(quote) => {
                if quote.sector.de_minimis_applies() && !import.request.origin.is_exempt() {
                    counted = add(counted, quote.tonnes, "de minimis mass")?;
                }
                lines.push(DeclaredLine {
                    line: import.line,
                    label: import.label.clone(),
                    installation: import.installation.clone(),
                    emissions: import.request.emissions,
                    route: import.request.route,
                    see_basis: import.request.see_basis,
                    carbon_price_paid: import.request.carbon_price_paid,
                    quote,
                    liable: true,
                });
            }
            Err(error) => errors.push(LineError {
                line: import.line,
                row: import.row,
                column: column_of(&error).into(),
                message: error.to_string(),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Lines { file: file.to_owned(), errors });
    }
    // Exact comparison: 50.000 t is exempt, 50.001 t is not (Art. 2a).
    let exempt = counted <= DE_MINIMIS_TONNES;
    let mut totals = [Decimal::ZERO; 5];
    for line in &mut lines {
        if exempt && line.quote.sector.de_minimis_applies() {
            line.liable = false;
            continue;
        }
        let q = &line.quote;
        let parts = [
            q.embedded_tco2,
            q.free_allocation_adjustment_tco2,
            q.carbon_price_deduction_tco2,
            q.certificates_exact,
            q.cost,
        ];
        for (total, part) in totals.iter_mut().zip(parts) {
            *total = add(*total, part, "declaration total")?;
        }
    }
    let [embedded, faa, deduction, exact, cost] = totals;
    Ok(Declaration {
        year: options.year,
        lines,
        de_minimis: DeMinimis { counted_tonnes: counted, threshold_tonnes: DE_MINIMIS_TONNES, exempt },
        embedded_tco2: embedded,
        free_allocation_adjustment_tco2: faa,
        carbon_price_deduction_tco2: deduction,
        certificates_exact: exact,
        certificates: certificates_ceiling(exact),
        cost_eur: cost,
    })
}

/// The quarterly holding (Art. 22(2) as replaced; from 2027): at a quarter's end the declarant
/// holds certificates for at least 50 % of the embedded emissions of the goods imported since
/// 1 January, computed (option (a)) from default values **without** mark-up, less the
/// free-allocation adjustment. `imports` are the year's imports to the quarter's end. Returns the
/// exact requirement and the whole certificates (rounded up); zero in 2026, which has no holding.
pub fn quarterly_holding(facts: &Facts, imports: &[ImportLine], year: i32) -> Result<(Decimal, Decimal)> {
    crate::rules::check_year(year)?;
    if year < 2027 {
        return Ok((Decimal::ZERO, Decimal::ZERO));
    }
    let mut total = Decimal::ZERO;
    for import in imports {
        let mut request = import.request.clone();
        request.year = year;
        request.emissions = EmissionsInput::Default { markup: false };
        request.carbon_price_paid = None;
        let quote = quote(facts, &request)?;
        total = add(total, quote.certificates_exact, "quarterly holding")?;
    }
    let required = crate::num::mul(total, Decimal::new(5, 1), "quarterly holding")?;
    Ok((required, certificates_ceiling(required)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarterly_holding_follows_the_cbam_md_illustration() {
        // §8: 1 000 t of 'Other countries' HRC in Q1 2027: 0.5 × (4 049 − 0.95 × 1.370 × 1 000).
        let facts = Facts::bundled().unwrap();
        let mut options = DeclareOptions::new(2027);
        options.correction_factor = Some(Decimal::ONE);
        options.certificate_price = Some(Decimal::new(80, 0));
        let csv = "cn_code,origin,tonnes,see_direct\n7208,OTHER,1000,1.5\n";
        let imports = read_imports(csv.as_bytes(), "q1.csv", &options).unwrap();
        let (exact, whole) = quarterly_holding(facts, &imports, 2027).unwrap();
        assert_eq!(exact, Decimal::new(137_375, 2));
        assert_eq!(whole, Decimal::new(1374, 0));
        assert_eq!(quarterly_holding(facts, &imports, 2026).unwrap().1, Decimal::ZERO);
    }

    #[test]
    fn the_header_is_checked_and_every_bad_cell_reported() {
        let options = DeclareOptions::new(2026);
        let unknown = read_imports("cn_code,origin,tonnes,weight\n".as_bytes(), "a.csv", &options);
        assert!(unknown.unwrap_err().to_string().contains("unknown column \"weight\""));
        let missing = read_imports("cn_code,origin\n7208,IND\n".as_bytes(), "b.csv", &options);
        assert!(missing.unwrap_err().to_string().contains("\"tonnes\" is missing"));
        let with_bom =
            read_imports("\u{feff}CN_Code,Origin,Tonnes\n7208,IND,5\n".as_bytes(), "c.csv", &options);
        assert_eq!(with_bom.unwrap().len(), 1);
        let bad = "cn_code,origin,tonnes,import_date,route\n7204,IND,x,2027-01-01,CC\n";
        let Err(Error::Lines { errors, .. }) = read_imports(bad.as_bytes(), "d.csv", &options) else {
            panic!("expected line errors");
        };
        let columns: Vec<&str> = errors.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(columns, ["cn_code", "tonnes", "route", "import_date"]);
        assert!(errors.iter().all(|e| e.line == 2 && e.row == 1));
    }

    #[test]
    fn fifty_tonnes_is_exempt_and_a_gram_more_is_not() {
        let facts = Facts::bundled().unwrap();
        let mut options = DeclareOptions::new(2026);
        options.correction_factor = Some(Decimal::ONE);
        let run = |tonnes: &str| {
            let csv = format!("cn_code,origin,tonnes\n7208,IND,{tonnes}\n2804 10 00,USA,1\n");
            let imports = read_imports(csv.as_bytes(), "x.csv", &options).unwrap();
            declare(facts, &imports, "x.csv", &options).unwrap()
        };
        let at = run("50.000");
        assert!(at.de_minimis.exempt);
        assert!(!at.lines[0].liable && at.lines[1].liable, "hydrogen stays liable");
        let above = run("50.001");
        assert!(!above.de_minimis.exempt);
        assert!(above.lines.iter().all(|l| l.liable));
        assert!(above.certificates_exact > at.certificates_exact);
    }
}
