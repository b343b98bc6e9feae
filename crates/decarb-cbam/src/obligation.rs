//! The certificate obligation of one import, with every step (docs/CBAM.md §5): declared SEE
//! (actual, or default × mark-up rounded to 3 decimals), the free-allocation adjustment
//! (CBAM factor × CSCF × benchmark, Column A with actual data, Column B with defaults), the
//! deduction for carbon price paid abroad (Art. 9), certificates and cost. The UK CBAM is the
//! second regime (Finance Act 2026 s. 149): it reduces the price rather than the emissions.

use crate::cn::{CbamSector, CnCode, counts_indirect, sector_of};
use crate::error::{Error, Result};
use crate::facts::Facts;
use crate::functional::{SeeBasis, conversion, taric_route};
use crate::num::{add, certificates_ceiling, div, mul, non_negative, sub};
use crate::origin::Origin;
use crate::price::{Date, certificate_price};
use crate::rules::{
    BeyondPublished, Column, DefaultResolution, MarkupRounding, benchmark, cbam_factor, check_year,
    default_value_for, marked_up_default, markup,
};
use rust_decimal::Decimal;
use serde::Serialize;

/// Which border adjustment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Regime {
    #[default]
    Eu,
    Uk,
}

/// The cross-sectoral correction factor used when none is given. The 2026-2030 values were
/// unpublished at the time of the sources (DR 2019/331 Art. 14(6)); 1 is a placeholder and every
/// result that uses it says so.
pub const DEFAULT_CORRECTION_FACTOR: Decimal = Decimal::ONE;

/// How the embedded emissions are established.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmissionsInput {
    /// IR 2025/2621 default values, with the year's mark-up unless `markup` is false (the mark-up
    /// does not apply to the quarterly holding or the de minimis review).
    Default { markup: bool },
    /// Verified actual SEE, per tonne (functional unit): direct, and indirect (counted only for
    /// goods outside Annex II). `precursor_sefa` is Σ m_i × SEFA_i of the precursors (IR 2620
    /// pt 3.3); without it only the good's own process benchmark (Column A) is adjusted.
    Actual { direct: Decimal, indirect: Option<Decimal>, precursor_sefa: Option<Decimal> },
}

/// One import to quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteRequest {
    pub regime: Regime,
    pub good: CnCode,
    pub origin: Origin,
    /// Net mass in tonnes (MWh for electricity).
    pub tonnes: Decimal,
    /// Year of import (the declaration year).
    pub year: i32,
    /// Year of production, which selects the benchmark band; the import year when not given.
    pub production_year: Option<i32>,
    pub import_date: Option<Date>,
    pub emissions: EmissionsInput,
    /// A benchmark value that replaces the table lookup (t CO2e/t).
    pub benchmark: Option<Decimal>,
    /// Production route letter of IR 2620 (C, D, E, K, L, …).
    pub route: Option<char>,
    pub beyond_published: BeyondPublished,
    /// Effective carbon price paid in the country of origin, per t CO2e of embedded emissions,
    /// net of rebates and free allocation (EUR; GBP under the UK regime).
    pub carbon_price_paid: Option<Decimal>,
    /// EUR per certificate (EU); the UK ETS average auction price of the preceding quarter, GBP
    /// (UK).
    pub certificate_price: Option<Decimal>,
    pub correction_factor: Option<Decimal>,
    /// UK only: the sector's free-allocation adjustment FA_adj (a fraction), set in regulations.
    pub uk_free_allocation: Option<Decimal>,
    /// Actual path, EU: electricity consumed per tonne (MWh/t); the indirect SEE is this × the
    /// grid emission factor of the origin (IR 2025/2621 Annex II), from grid factors the user
    /// supplied (`Facts::with_grid_factors`). Excludes `indirect` of [`EmissionsInput::Actual`].
    pub electricity_mwh_per_t: Option<Decimal>,
    /// Rounding of the marked-up default ([`MarkupRounding`]; 3 decimals unless asked).
    pub markup_rounding: MarkupRounding,
    /// The unit the actual SEE is given in (per tonne of good unless per tonne of nitrogen for
    /// fertilisers or of clinker contained for cements: [`SeeBasis`]).
    pub see_basis: SeeBasis,
}

impl QuoteRequest {
    /// A default-value quote with every option at its default.
    pub fn new(good: CnCode, origin: Origin, tonnes: Decimal, year: i32) -> QuoteRequest {
        QuoteRequest {
            regime: Regime::Eu,
            good,
            origin,
            tonnes,
            year,
            production_year: None,
            import_date: None,
            emissions: EmissionsInput::Default { markup: true },
            benchmark: None,
            route: None,
            beyond_published: BeyondPublished::Error,
            carbon_price_paid: None,
            certificate_price: None,
            correction_factor: None,
            uk_free_allocation: None,
            electricity_mwh_per_t: None,
            markup_rounding: MarkupRounding::ThreeDecimals,
            see_basis: SeeBasis::PerTonneOfGood,
        }
    }
}

/// One step of the computation, in order, for the "every step shown" output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub name: &'static str,
    pub formula: String,
    pub value: Decimal,
    pub unit: &'static str,
    /// The act, table row or input the value comes from.
    pub basis: String,
}

/// A caveat attached to a result: an assumption, an unresolved item, or an information.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Note {
    pub kind: NoteKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NoteKind {
    Assumption,
    Unresolved,
    Info,
}

/// The quote: the contract figures plus the steps and notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub regime: Regime,
    pub good: CnCode,
    pub sector: CbamSector,
    pub origin: Origin,
    pub year: i32,
    pub production_year: i32,
    pub tonnes: Decimal,
    /// "default", "actual" or "exempt".
    pub data_path: &'static str,
    /// SEE declared, t CO2e per tonne (rounded to 3 decimals on the default path).
    pub see_declared: Decimal,
    /// Free allocation per tonne (SEFA), capped at the SEE.
    pub sefa: Decimal,
    pub embedded_tco2: Decimal,
    pub free_allocation_adjustment_tco2: Decimal,
    pub carbon_price_deduction_tco2: Decimal,
    /// Certificates before rounding (the liability in t CO2e).
    pub certificates_exact: Decimal,
    /// Whole certificates, rounded up (EU only; the UK has no certificates).
    pub certificates: Option<Decimal>,
    pub price: Decimal,
    pub price_period: String,
    /// "EUR" or "GBP".
    pub currency: &'static str,
    /// certificates_exact × price.
    pub cost: Decimal,
    pub cost_per_tonne: Decimal,
    pub steps: Vec<Step>,
    pub notes: Vec<Note>,
}

struct Builder {
    steps: Vec<Step>,
    notes: Vec<Note>,
    /// The default-value row used on the default path: (its route, whose route it is), so the
    /// benchmark lookup does not search the table again.
    default_row_route: Option<(Option<char>, String)>,
}

impl Builder {
    fn step(
        &mut self,
        name: &'static str,
        formula: impl Into<String>,
        value: Decimal,
        unit: &'static str,
        basis: impl Into<String>,
    ) {
        self.steps.push(Step { name, formula: formula.into(), value, unit, basis: basis.into() });
    }
    fn note(&mut self, kind: NoteKind, text: impl Into<String>) {
        self.notes.push(Note { kind, text: text.into() });
    }
}

/// Quotes one import. Every input is checked; nothing panics.
pub fn quote(facts: &Facts, request: &QuoteRequest) -> Result<Quote> {
    check_year(request.year)?;
    let tonnes = non_negative(request.tonnes, "tonnes")?;
    let sector = sector_of(&request.good)?;
    let production_year = request.production_year.unwrap_or(request.year);
    if production_year > request.year {
        return Err(Error::Conflict(format!(
            "production year {production_year} is after the year of import {}",
            request.year
        )));
    }
    if let Some(cp) = request.carbon_price_paid {
        non_negative(cp, "carbon price paid")?;
    }
    if let Some(bm) = request.benchmark {
        non_negative(bm, "benchmark")?;
    }
    let mut b = Builder { steps: Vec::with_capacity(16), notes: Vec::new(), default_row_route: None };
    // A 10-digit TARIC code of IR 2026/1740 (white / grey clinker and hydraulic cement) names the
    // route; a different --route is a contradiction.
    let retyped;
    let request = match (taric_route(&request.good), request.route) {
        (Some(taric), Some(given)) if taric != given => {
            return Err(Error::invalid(
                "route",
                given,
                format!(
                    "({taric}) or no route: TARIC {} is the {} variant (IR (EU) 2026/1740 re-keys clinker and \
                     hydraulic cement by TARIC code; docs/CBAM.md §4.3)",
                    request.good,
                    if taric == 'B' { "white (B)" } else { "grey or other (A)" }
                ),
            ));
        }
        (Some(taric), None) => {
            b.note(
                NoteKind::Info,
                format!(
                    "TARIC {} selects route ({taric}), the {} variant of IR 2025/2621 Annex I (re-keyed by IR (EU) \
                     2026/1740; docs/CBAM.md §4.3)",
                    request.good,
                    if taric == 'B' { "white" } else { "grey" }
                ),
            );
            retyped = QuoteRequest { route: Some(taric), ..request.clone() };
            &retyped
        }
        _ => request,
    };
    if request.origin == Origin::Unknown {
        return Err(Error::invalid(
            "origin",
            "UNKNOWN",
            "a country code: Annex IV values are for precursors of unknown origin only",
        ));
    }
    if request.regime == Regime::Uk && request.origin == Origin::parse("GBR")? {
        return Err(Error::invalid(
            "origin",
            "GBR",
            "a country other than the United Kingdom (a UK CBAM import)",
        ));
    }
    // The EU exempts its own goods and Annex III countries; the UK CBAM exempts no country [S].
    if request.regime == Regime::Eu && request.origin.is_exempt() {
        b.note(
            NoteKind::Info,
            "goods originating in the EU or an Annex III pt 1 country (Iceland, Liechtenstein, Norway, Switzerland) are \
             outside the CBAM (Reg. 2023/956 Annex III)",
        );
        return Ok(exempt_quote(request, sector, production_year, tonnes, b));
    }
    match request.regime {
        Regime::Eu => quote_eu(facts, request, sector, production_year, tonnes, b),
        Regime::Uk => quote_uk(request, sector, production_year, tonnes, b),
    }
}

fn exempt_quote(
    request: &QuoteRequest,
    sector: CbamSector,
    production_year: i32,
    tonnes: Decimal,
    b: Builder,
) -> Quote {
    Quote {
        regime: request.regime,
        good: request.good.clone(),
        sector,
        origin: request.origin,
        year: request.year,
        production_year,
        tonnes,
        data_path: "exempt",
        see_declared: Decimal::ZERO,
        sefa: Decimal::ZERO,
        embedded_tco2: Decimal::ZERO,
        free_allocation_adjustment_tco2: Decimal::ZERO,
        carbon_price_deduction_tco2: Decimal::ZERO,
        certificates_exact: Decimal::ZERO,
        certificates: Some(Decimal::ZERO),
        price: Decimal::ZERO,
        price_period: String::new(),
        currency: if request.regime == Regime::Uk { "GBP" } else { "EUR" },
        cost: Decimal::ZERO,
        cost_per_tonne: Decimal::ZERO,
        steps: b.steps,
        notes: b.notes,
    }
}

/// SEE declared per tonne, and whether the default path was taken.
fn declared_see(
    facts: &Facts,
    request: &QuoteRequest,
    sector: CbamSector,
    b: &mut Builder,
) -> Result<(Decimal, bool)> {
    match request.emissions {
        EmissionsInput::Actual { direct, indirect, .. } => {
            let indirect = match (request.electricity_mwh_per_t, indirect) {
                (Some(_), Some(_)) => {
                    return Err(Error::Conflict(
                        "give the indirect SEE (--see-indirect) or the electricity consumed (--electricity-mwh-per-t), \
                         not both"
                            .into(),
                    ));
                }
                (Some(mwh), None) => Some(indirect_from_electricity(facts, request, mwh, b)?),
                (None, given) => given,
            };
            actual_see(request, direct, indirect, b)
        }
        EmissionsInput::Default { markup } => default_see(facts, request, sector, markup, b),
    }
}

/// The largest specific embedded emissions accepted, t CO2e per tonne: far above the highest
/// default of IR 2025/2621 (Annex IV hydrogen, 26.640), so a larger figure is a unit error.
pub const MAX_INTENSITY: Decimal = Decimal::ONE_HUNDRED;

/// An emission intensity given by the user: 0 to [`MAX_INTENSITY`] t CO2e per tonne.
fn intensity(value: Decimal, what: &str) -> Result<Decimal> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(Error::invalid(
            what,
            value,
            "0 or more t CO2e per tonne (embedded emissions are never negative: IR (EU) 2025/2547 Annex III, \
             attributed emissions below zero are set to zero)",
        ));
    }
    if value > MAX_INTENSITY {
        return Err(Error::invalid(
            what,
            value,
            "at most 100 t CO2e per tonne of good (the highest default value in IR (EU) 2025/2621, Annex IV hydrogen, \
             is 26.640); check the unit: kg or t CO2e per kg are not accepted",
        ));
    }
    Ok(value)
}

/// Indirect SEE from the electricity consumed per tonne and the origin's grid emission factor of
/// IR 2025/2621 Annex II, read from the user's file (IEA data, CC BY-NC-SA 4.0: not bundled).
fn indirect_from_electricity(
    facts: &Facts,
    request: &QuoteRequest,
    mwh: Decimal,
    b: &mut Builder,
) -> Result<Decimal> {
    non_negative(mwh, "electricity consumed per tonne (--electricity-mwh-per-t)")?;
    if mwh > Decimal::from(100) {
        return Err(Error::invalid(
            "electricity consumed per tonne (--electricity-mwh-per-t)",
            mwh,
            "at most 100 MWh per tonne of good (primary aluminium needs about 15); check the unit",
        ));
    }
    let (ef, provenance, fallback) = crate::rules::grid_factor(facts, request.origin)?;
    b.step(
        "grid_emission_factor",
        if fallback { "'Other countries' row (origin not in the file)" } else { "origin's row" },
        ef,
        "t CO2/MWh",
        format!("IR 2025/2621 Annex II, user-supplied ({}; {})", provenance.status, provenance.source),
    );
    let indirect = mul(mwh, ef, "indirect emissions")?;
    b.step(
        "see_indirect_from_electricity",
        format!("{mwh} MWh/t × {ef}"),
        indirect,
        "t CO2e/t",
        "Em_el = E_el × EF_el (Reg. 2023/956 Annex IV pt 6; docs/CBAM.md §3.4)",
    );
    Ok(indirect)
}

fn actual_see(
    request: &QuoteRequest,
    direct: Decimal,
    indirect: Option<Decimal>,
    b: &mut Builder,
) -> Result<(Decimal, bool)> {
    intensity(direct, "SEE direct (--see-direct)")?;
    if let Some(indirect) = indirect {
        intensity(indirect, "SEE indirect (--see-indirect)")?;
    }
    // Values per tonne of nitrogen (fertilisers) or of clinker contained (cements) become values
    // per tonne of good (functional.rs).
    let (direct, indirect) = match conversion(&request.good, request.see_basis)? {
        None => (direct, indirect),
        Some((factor, formula)) => {
            let per = if matches!(request.see_basis, SeeBasis::PerTonneOfNitrogen { .. }) {
                "t CO2e per t N"
            } else {
                "t CO2e per t clinker contained"
            };
            b.step(
                "see_basis",
                format!("actual values given in {per}; {formula}"),
                factor,
                "t/t",
                "functional unit: IR (EU) 2025/2547 recital 6 (docs/CBAM.md §2.4; decarb-cbam functional.rs)",
            );
            let converted = mul(direct, factor, "SEE direct per tonne of good")?;
            b.step("see_direct_per_unit", format!("{direct} {per}"), direct, per, "input");
            let indirect = indirect.map(|i| mul(i, factor, "SEE indirect per tonne of good")).transpose()?;
            (converted, indirect)
        }
    };
    b.step("see_direct", "actual, verified", direct, "t CO2e/t", "input (Art. 8: verification required)");
    let mut see = direct;
    if let Some(indirect) = indirect {
        if counts_indirect(&request.good) || request.regime == Regime::Uk {
            see = add(see, indirect, "SEE")?;
            b.step(
                "see_indirect",
                "actual, counted",
                indirect,
                "t CO2e/t",
                "Art. 7(4): goods outside Annex II",
            );
        } else {
            b.note(
                NoteKind::Info,
                format!(
                    "indirect emissions of {} are not counted: an Annex II good (direct emissions only, Art. 7)",
                    request.good
                ),
            );
        }
    }
    b.step("see_declared", "direct + counted indirect", see, "t CO2e/t", "actual path");
    Ok((see, false))
}

/// Where the default value came from, for the step's basis; a note when the "Other countries and
/// territories" value stands in for a named country (never silently).
fn resolution_text(
    found: &crate::rules::DefaultLookup<'_>,
    request: &QuoteRequest,
    b: &mut Builder,
) -> String {
    let table = "IR 2025/2621 Annex I";
    match found.resolution {
        DefaultResolution::CountryDashOther => {
            b.note(
                NoteKind::Info,
                format!(
                    "{} is listed in {table} with '–' for CN {}: the 'Other countries and territories' value applies",
                    request.origin, request.good
                ),
            );
            format!("{} row reads '–': 'Other countries and territories' row", request.origin)
        }
        DefaultResolution::LineAbsentOther => {
            b.note(
                NoteKind::Info,
                format!(
                    "{}'s table in {table} has no line for CN {}: the 'Other countries and territories' value applies",
                    request.origin, request.good
                ),
            );
            format!("{} has no line for this good: 'Other countries and territories' row", request.origin)
        }
        DefaultResolution::NotListedOther => {
            b.note(
                NoteKind::Info,
                format!(
                    "{} is not listed in {table}: the 'Other countries and territories' value applies (Reg. (EU) \
                     2023/956 Annex IV pt 4.1)",
                    request.origin
                ),
            );
            format!("{} not listed: 'Other countries and territories' row", request.origin)
        }
        DefaultResolution::Country | DefaultResolution::Other | DefaultResolution::AnnexIv => {
            format!("{} row", found.row.country)
        }
    }
}

fn default_see(
    facts: &Facts,
    request: &QuoteRequest,
    sector: CbamSector,
    with_markup: bool,
    b: &mut Builder,
) -> Result<(Decimal, bool)> {
    if request.regime == Regime::Uk {
        return Err(Error::Missing {
            what: "actual embedded emissions (--see-direct)".into(),
            reason: "UK CBAM default values are not bundled".into(),
        });
    }
    if request.see_basis != SeeBasis::PerTonneOfGood {
        return Err(Error::Conflict(
            "--nitrogen-content and --clinker-content convert actual values (--see-direct); the default values of \
             IR 2025/2621 Annex I are already per tonne of the good of the CN line"
                .into(),
        ));
    }
    if sector == CbamSector::Electricity {
        return electricity_default(facts, request, b);
    }
    let found = default_value_for(facts, &request.good, request.origin, request.route)?;
    let whose = if found.resolution.fell_back() {
        "the 'Other countries and territories' row".to_owned()
    } else {
        found.row.country.clone()
    };
    b.default_row_route = Some((found.row.route, whose));
    let table = "IR 2025/2621 Annex I";
    let where_from = resolution_text(&found, request, b);
    if let Some(note) = &found.note {
        b.note(NoteKind::Info, note.clone());
    }
    let variant = if found.row.good.is_empty() { String::new() } else { format!(" ({})", found.row.good) };
    b.step(
        "default_value",
        format!("{table} 'total emissions'{variant}"),
        found.total,
        "t CO2e/t",
        format!(
            "{where_from}; default_values.csv line {} ({}); {}",
            found.row.line, found.row.provenance.status, found.row.provenance.source
        ),
    );
    b.note(
        NoteKind::Assumption,
        "default values are IR 2025/2621 Annex I as adopted; IR 2026/1740 replaced Annex I retroactively from \
         1.1.2026 and its corrected values were not available to decarb: check the value against it before relying \
         on it",
    );
    let mut see = found.total;
    if with_markup {
        if let Some(row) = markup(facts, sector, request.year) {
            see = marked_up_default(found.total, Some(row), request.markup_rounding)?;
            let formula = match request.markup_rounding {
                MarkupRounding::ThreeDecimals => {
                    format!("round_half_away({} × {}, 3)", found.total, row.multiplier)
                }
                MarkupRounding::Unrounded => format!("{} × {} (not rounded)", found.total, row.multiplier),
            };
            b.step(
                "marked_up_default",
                formula,
                see,
                "t CO2e/t",
                format!("+{} % mark-up for {}; {}", row.markup_pct, request.year, row.provenance.source),
            );
        } else {
            b.note(NoteKind::Info, format!("no mark-up is stated for {sector} goods"));
        }
    } else {
        b.note(
            NoteKind::Info,
            "mark-up not applied (--no-markup): as for the quarterly holding (Art. 22(2)(a)) or the de minimis \
             review (Annex VII); the annual declaration applies it",
        );
    }
    b.step("see_declared", "default path", see, "t CO2e/t", "IR 2025/2621 Annex I, mark-up per IR 2026/1740");
    Ok((see, true))
}

/// Imported electricity on default values (docs/CBAM.md §3.7): embedded emissions = MWh × the
/// emission factor of IR 2025/2621 Annex III for the country of origin, from the user's file
/// (IEA data under CC BY-NC-SA 4.0, not bundled). No mark-up is stated for electricity; a country
/// missing from the file is an error (no fallback: the alternative default of Reg. 2023/956
/// Annex IV pt 4.2 is not transcribed).
fn electricity_default(facts: &Facts, request: &QuoteRequest, b: &mut Builder) -> Result<(Decimal, bool)> {
    let (ef, provenance) = crate::rules::electricity_factor(facts, request.origin)?;
    b.step(
        "default_value",
        "IR 2025/2621 Annex III emission factor of imported electricity",
        ef,
        "t CO2/MWh",
        format!("{} row, user-supplied ({}; {})", request.origin, provenance.status, provenance.source),
    );
    b.note(
        NoteKind::Info,
        "electricity: embedded emissions = MWh × the Annex III emission factor; no mark-up is stated for electricity \
         (IR 2025/2621 Annex I opening paragraph covers goods other than electricity)",
    );
    b.step(
        "see_declared",
        "default path, per MWh",
        ef,
        "t CO2e/MWh",
        "Reg. 2023/956 Art. 7(3), Annex IV pt 4.2",
    );
    Ok((ef, true))
}

fn quote_eu(
    facts: &Facts,
    request: &QuoteRequest,
    sector: CbamSector,
    production_year: i32,
    tonnes: Decimal,
    mut b: Builder,
) -> Result<Quote> {
    let (see, default_path) = declared_see(facts, request, sector, &mut b)?;
    let embedded = mul(tonnes, see, "embedded emissions")?;
    b.step(
        "embedded_tco2",
        format!("{tonnes} t × {see}"),
        embedded,
        "t CO2e",
        "Art. 7; Reg. 2023/956 Annex IV",
    );

    // Free-allocation adjustment (Art. 31; IR 2025/2620).
    let mut sefa = free_allocation_per_tonne(facts, request, sector, production_year, default_path, &mut b)?;
    // No negative surrender: the adjustment never exceeds the embedded emissions (§5.2).
    if sefa > see {
        b.note(
            NoteKind::Info,
            "the free-allocation adjustment is capped at the embedded emissions (no negative surrender)",
        );
        sefa = see;
    }
    let faa = mul(tonnes, sefa, "free-allocation adjustment")?;
    b.step(
        "free_allocation_adjustment_tco2",
        format!("{tonnes} t × {sefa}"),
        faa,
        "t CO2e",
        "Art. 31; IR 2025/2620 Eq. 1",
    );
    let gross = sub(embedded, faa, "obligation")?;

    let price = certificate_price(facts, request.year, request.import_date, request.certificate_price)?;
    if price.assumed {
        b.note(NoteKind::Assumption, price.basis.clone());
    }
    b.step(
        "certificate_price",
        format!("period {}", price.period),
        price.price_eur,
        "EUR/t CO2e",
        price.basis.clone(),
    );

    let deduction = carbon_price_deduction(request, embedded, gross, price.price_eur, default_path, &mut b)?;
    let exact = sub(gross, deduction, "certificates")?.max(Decimal::ZERO);
    b.step(
        "certificates_exact",
        "embedded − FAA − deduction, floor 0",
        exact,
        "t CO2e",
        "Art. 22; §5.2 floor",
    );
    let whole = certificates_ceiling(exact);
    b.step(
        "certificates",
        "rounded up to whole certificates",
        whole,
        "certificates",
        "design decision (no rule found)",
    );
    let cost = mul(exact, price.price_eur, "cost")?;
    b.step(
        "cost_eur",
        format!("{} × {}", exact.normalize(), price.price_eur),
        cost,
        "EUR",
        "liability (§5.6)",
    );
    let per_tonne = if tonnes.is_zero() { Decimal::ZERO } else { div(cost, tonnes, "cost per tonne")? };
    b.step("cost_eur_per_tonne", "cost / tonnes", per_tonne, "EUR/t", "");
    Ok(Quote {
        regime: Regime::Eu,
        good: request.good.clone(),
        sector,
        origin: request.origin,
        year: request.year,
        production_year,
        tonnes,
        data_path: if default_path { "default" } else { "actual" },
        see_declared: see,
        sefa,
        embedded_tco2: embedded,
        free_allocation_adjustment_tco2: faa,
        carbon_price_deduction_tco2: deduction,
        certificates_exact: exact,
        certificates: Some(whole),
        price: price.price_eur,
        price_period: price.period,
        currency: "EUR",
        cost,
        cost_per_tonne: per_tonne,
        steps: b.steps,
        notes: b.notes,
    })
}

/// The Art. 9 deduction in t CO2e: embedded × carbon price paid / certificate price, capped at
/// the liability left after the free-allocation adjustment; actual emissions only.
fn carbon_price_deduction(
    request: &QuoteRequest,
    embedded: Decimal,
    gross: Decimal,
    price: Decimal,
    default_path: bool,
    b: &mut Builder,
) -> Result<Decimal> {
    let deduction = match request.carbon_price_paid {
        None => Decimal::ZERO,
        Some(_) if default_path => {
            return Err(Error::Conflict(
                "a deduction for carbon price paid (Art. 9) requires actual emissions; with default values only the \
                 Commission's default carbon prices apply, and none are published"
                    .into(),
            ));
        }
        Some(cp) => {
            if price.is_zero() {
                return Err(Error::invalid(
                    "certificate price",
                    "0",
                    "more than 0 to convert a carbon price paid",
                ));
            }
            let raw = div(mul(embedded, cp, "carbon price deduction")?, price, "carbon price deduction")?;
            let capped = raw.min(gross);
            if raw > gross {
                b.note(
                    NoteKind::Info,
                    "the carbon price paid exceeds the remaining liability: the deduction is capped at it",
                );
            }
            b.step(
                "carbon_price_deduction_tco2",
                format!("min({embedded} × {cp} / {price}, remaining)"),
                capped,
                "t CO2e",
                "Art. 9 as replaced by Reg. 2025/2083; conversion per the draft Art. 9(5) act (not adopted)",
            );
            capped
        }
    };
    Ok(deduction)
}

/// The CSCF: the input, or the placeholder 1 with an assumption note.
fn correction_factor(request: &QuoteRequest, b: &mut Builder) -> Result<Decimal> {
    let cscf = if let Some(value) = request.correction_factor {
        if value < Decimal::ZERO || value > Decimal::ONE {
            return Err(Error::invalid("correction factor", value, "a fraction from 0 to 1"));
        }
        b.step("correction_factor", "CSCF, given", value, "", "input (DR 2019/331 Art. 14(6))");
        value
    } else {
        b.step(
            "correction_factor",
            "CSCF, placeholder",
            DEFAULT_CORRECTION_FACTOR,
            "",
            "placeholder 1: the 2026-2030 CSCF is unpublished (DR 2019/331 Art. 14(6))",
        );
        b.note(
            NoteKind::Assumption,
            "the cross-sectoral correction factor is unpublished; 1 is used (pass --correction-factor)",
        );
        DEFAULT_CORRECTION_FACTOR
    };
    Ok(cscf)
}

/// SEFA per tonne: CBAM factor × CSCF × benchmark (Column A + precursors with actual data,
/// Column B with defaults); 0 for electricity and from 2034.
fn free_allocation_per_tonne(
    facts: &Facts,
    request: &QuoteRequest,
    sector: CbamSector,
    production_year: i32,
    default_path: bool,
    b: &mut Builder,
) -> Result<Decimal> {
    let (factor, factor_source) = cbam_factor(facts, request.year)?;
    b.step("cbam_factor", "share of free allocation retained", factor, "", factor_source.source.clone());
    let cscf = correction_factor(request, b)?;
    let column = if default_path { Column::B } else { Column::A };
    let sefa = if sector == CbamSector::Electricity {
        b.note(NoteKind::Info, "electricity: the free-allocation adjustment is 0 (IR 2025/2620 Art. 1(2))");
        Decimal::ZERO
    } else if factor.is_zero() {
        b.note(NoteKind::Info, "no CBAM factor applies from 2034: no free-allocation adjustment");
        Decimal::ZERO
    } else {
        let bm = if let Some(value) = request.benchmark {
            b.step("benchmark", "given", value, "t CO2e/t", "input (--benchmark)");
            value
        } else {
            {
                let route = benchmark_route(facts, request, default_path, b);
                let found = benchmark(
                    facts,
                    &request.good,
                    route,
                    production_year,
                    column,
                    request.beyond_published,
                )?;
                // A route the user names must exist for the good: one benchmark without route
                // indicators means the route was a mistake, not something to ignore.
                if let (Some(given), None) = (request.route, found.row.route)
                    && taric_route(&request.good).is_none()
                {
                    return Err(Error::NoBenchmark {
                        code: request.good.to_string(),
                        reason: format!(
                            "route ({given}) does not exist for this good: IR 2025/2620 Annex pt 5.3 gives it one \
                             benchmark without route indicators; drop --route"
                        ),
                    });
                }
                if found.held {
                    b.note(
                        NoteKind::Assumption,
                        format!(
                            "no benchmark is published for production year {production_year}: the {}-{} value is held",
                            found.row.period_from, found.row.period_to
                        ),
                    );
                }
                if let Some(note) = &found.note {
                    b.note(NoteKind::Info, note.clone());
                }
                b.step(
                    "benchmark",
                    format!(
                        "Column {} ({}) {}",
                        if column == Column::A { "A, BM*" } else { "B, BM" },
                        found.row.product,
                        found.row.indicator
                    ),
                    found.value,
                    "t CO2e/t",
                    format!(
                        "{} line {} ({}); {}",
                        found.row.file,
                        found.row.line,
                        found.row.provenance.status,
                        found.row.provenance.source
                    ),
                );
                found.value
            }
        };
        let own = mul(mul(factor, cscf, "SEFA")?, bm, "SEFA")?;
        let mut sefa = own;
        if let EmissionsInput::Actual { precursor_sefa, .. } = request.emissions {
            match precursor_sefa {
                Some(extra) => {
                    non_negative(extra, "precursor SEFA")?;
                    sefa = add(sefa, extra, "SEFA")?;
                    b.step("precursor_sefa", "Σ m_i × SEFA_i", extra, "t CO2e/t", "input (IR 2025/2620 pt 3.3, Eq. 4)");
                }
                None => b.note(
                    NoteKind::Info,
                    "actual path: Column A covers the good's own process only; a complex good adds its precursors' \
                     SEFA (IR 2025/2620 pt 3.3; --precursor-sefa)",
                ),
            }
        }
        b.step(
            "sefa",
            format!("{factor} × {cscf} × {bm}{}", if sefa == own { "" } else { " + precursors" }),
            sefa,
            "t CO2e/t",
            "IR 2025/2620 Annex pt 3-4",
        );
        sefa
    };
    Ok(sefa)
}

/// The route letter that selects the benchmark: `--route` (noted when it replaces the country's
/// default route on the default path), else the default route.
fn benchmark_route(
    facts: &Facts,
    request: &QuoteRequest,
    default_path: bool,
    b: &mut Builder,
) -> Option<char> {
    let Some(given) = request.route else { return default_route(facts, request, default_path, b) };
    let own = match &b.default_row_route {
        Some((Some(own), _)) if default_path && *own != given => Some(*own),
        _ => None,
    };
    if let Some(own) = own {
        b.note(
            NoteKind::Assumption,
            format!(
                "--route {given} replaces the default production route ({own}) of IR 2025/2621 Annex I, which IR \
                 2025/2620 Annex pt 4 uses with default values"
            ),
        );
    }
    Some(given)
}

/// On the default path, the country's default production route (IR 2025/2621 Annex I, which
/// IR 2025/2620 Annex pt 4 refers to): the route of the default-value row used, else (a country row
/// without a route) the 'Other countries' route, noted.
fn default_route(facts: &Facts, request: &QuoteRequest, default_path: bool, b: &mut Builder) -> Option<char> {
    if !default_path {
        return None;
    }
    let (own, whose) = b.default_row_route.clone()?;
    if let Some(route) = own {
        b.note(
            NoteKind::Info,
            format!(
                "route ({route}): the default production route of {whose} for {} (IR 2025/2621 Annex I) selects the \
                 Column B benchmark (IR 2025/2620 Annex pt 4)",
                request.good
            ),
        );
        return Some(route);
    }
    let other = default_value_for(facts, &request.good, Origin::OtherCountries, request.route).ok()?;
    let route = other.row.route?;
    b.note(
        NoteKind::Assumption,
        format!(
            "{} has no default production route for {} in IR 2025/2621 Annex I: the 'Other countries' route \
             ({route}) selects the Column B benchmark; pass --route to choose",
            request.origin, request.good
        ),
    );
    Some(route)
}

fn quote_uk(
    request: &QuoteRequest,
    sector: CbamSector,
    production_year: i32,
    tonnes: Decimal,
    mut b: Builder,
) -> Result<Quote> {
    if request.year < 2027 {
        return Err(Error::Year {
            year: request.year,
            reason: "the UK CBAM starts on 1 January 2027 (Finance Act 2026 Part 5)".into(),
        });
    }
    if sector == CbamSector::Electricity {
        return Err(Error::Scope {
            code: request.good.to_string(),
            reason: "electricity is not a UK CBAM sector (Sch. 16)".into(),
        });
    }
    if request.benchmark.is_some() || request.correction_factor.is_some() || request.route.is_some() {
        return Err(Error::Conflict(
            "--benchmark, --route and --correction-factor are EU CBAM inputs; the UK CBAM reduces the price instead".into(),
        ));
    }
    b.note(NoteKind::Info, "UK CBAM: direct and indirect emissions count from the start [S]");
    let (see, _) = declared_see_uk(request, &mut b)?;
    let embedded = mul(tonnes, see, "embedded emissions")?;
    b.step("embedded_tco2", format!("{tonnes} t × {see}"), embedded, "t CO2e", "Finance Act 2026 s. 143");
    let auction = request.certificate_price.ok_or_else(|| Error::Missing {
        what: "--certificate-price (UK ETS average auction price of the preceding quarter, GBP)".into(),
        reason: "no UK price is bundled (s. 149 step 1)".into(),
    })?;
    non_negative(auction, "UK ETS auction price")?;
    b.step("uk_ets_price", "A(Q−1)", auction, "GBP/t CO2e", "input (s. 149 step 1)");
    let fa = request.uk_free_allocation.ok_or_else(|| Error::Missing {
        what: "--uk-free-allocation (the sector's adjusted free-allocation percentage, as a fraction)".into(),
        reason: "set in regulations for each year; none is bundled (s. 149 step 2)".into(),
    })?;
    if fa < Decimal::ZERO || fa > Decimal::ONE {
        return Err(Error::invalid("UK free-allocation adjustment", fa, "a fraction from 0 to 1"));
    }
    let rate = mul(auction, sub(Decimal::ONE, fa, "UK rate")?, "UK rate")?;
    b.step("uk_rate", format!("{auction} × (1 − {fa})"), rate, "GBP/t CO2e", "s. 149");
    let faa = mul(embedded, fa, "UK free-allocation equivalent")?;
    b.step(
        "free_allocation_adjustment_tco2",
        format!("{embedded} × {fa}"),
        faa,
        "t CO2e",
        "equivalent: the UK reduces the price",
    );
    let gross_cost = mul(embedded, rate, "UK charge")?;
    let deduction_cost = match request.carbon_price_paid {
        Some(cp) => mul(embedded, cp, "UK relief")?.min(gross_cost),
        None => Decimal::ZERO,
    };
    let deduction =
        if auction.is_zero() { Decimal::ZERO } else { div(deduction_cost, auction, "UK relief")? };
    b.step(
        "carbon_price_deduction_tco2",
        "relief / A(Q−1)",
        deduction,
        "t CO2e",
        "s. 150 relief for carbon price paid overseas",
    );
    let cost = sub(gross_cost, deduction_cost, "UK charge")?.max(Decimal::ZERO);
    let exact = if rate.is_zero() { Decimal::ZERO } else { div(cost, rate, "UK charge")? };
    b.step("cost_gbp", "embedded × rate − relief", cost, "GBP", "s. 149-150");
    let per_tonne = if tonnes.is_zero() { Decimal::ZERO } else { div(cost, tonnes, "cost per tonne")? };
    b.step("cost_gbp_per_tonne", "cost / tonnes", per_tonne, "GBP/t", "");
    b.note(
        NoteKind::Info,
        "UK registration threshold: GBP 50 000 of CBAM goods [S]; not applied to a single quote",
    );
    Ok(Quote {
        regime: Regime::Uk,
        good: request.good.clone(),
        sector,
        origin: request.origin,
        year: request.year,
        production_year,
        tonnes,
        data_path: "actual",
        see_declared: see,
        sefa: if tonnes.is_zero() { Decimal::ZERO } else { div(faa, tonnes, "UK")? },
        embedded_tco2: embedded,
        free_allocation_adjustment_tco2: faa,
        carbon_price_deduction_tco2: deduction,
        certificates_exact: exact,
        certificates: None,
        price: rate,
        price_period: "UK A(Q−1) × (1 − FA_adj)".into(),
        currency: "GBP",
        cost,
        cost_per_tonne: per_tonne,
        steps: b.steps,
        notes: b.notes,
    })
}

fn declared_see_uk(request: &QuoteRequest, b: &mut Builder) -> Result<(Decimal, bool)> {
    match request.emissions {
        EmissionsInput::Actual { direct, indirect, .. } => {
            intensity(direct, "SEE direct (--see-direct)")?;
            let indirect = intensity(indirect.unwrap_or(Decimal::ZERO), "SEE indirect (--see-indirect)")?;
            let see = add(direct, indirect, "SEE")?;
            b.step(
                "see_declared",
                format!("{direct} + {indirect}"),
                see,
                "t CO2e/t",
                "input: direct + indirect",
            );
            Ok((see, false))
        }
        EmissionsInput::Default { .. } => Err(Error::Missing {
            what: "actual embedded emissions (--see-direct)".into(),
            reason: "UK CBAM default values are not bundled".into(),
        }),
    }
}
