//! Lookups in the bundled tables, with the resolution orders of docs/CBAM.md: the CBAM factor by
//! year, the mark-up by sector and year, default values (country → "Other countries" → Annex IV),
//! benchmarks (CN, route, band) and grid factors. A miss is an error, never a zero.

use crate::cn::{CbamSector, CnCode};
use crate::error::{Error, Result};
use crate::facts::{BenchmarkRow, DefaultValueRow, Facts, MarkupRow, Provenance};
use crate::origin::Origin;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

/// The first year of the definitive period, when certificates are first owed (Reg. 2023/956).
pub const FIRST_YEAR: i32 = 2026;
/// The last year of the phase-out; from it on the CBAM factor is 0 (Dir. 2003/87/EC Art. 10a(1a)).
pub const PHASE_OUT_END: i32 = 2034;

/// Checks that `year` is one for which every rule is stated: 2026 (start of the definitive
/// period) to 2034 (end of the phase-out). Later years are accepted too, because the directive
/// states the rule for them (no CBAM factor, i.e. 0) and the 30 % mark-up is open-ended.
pub fn check_year(year: i32) -> Result<()> {
    if year < FIRST_YEAR {
        return Err(Error::Year {
            year,
            reason: "the CBAM definitive period starts on 1 January 2026; 2023-2025 was a reporting-only \
                     transitional period with no certificates"
                .into(),
        });
    }
    if year > 2100 {
        return Err(Error::Year { year, reason: "expected a year of import between 2026 and 2100".into() });
    }
    Ok(())
}

/// The CBAM factor of the year: the share of free allocation retained (0.975 in 2026), the value
/// that enters the SEFA equations. 0 from 2034 on.
pub fn cbam_factor(facts: &Facts, year: i32) -> Result<(Decimal, &Provenance)> {
    if let Some(row) = facts.phaseout.iter().find(|r| r.year == year) {
        return Ok((row.cbam_factor, &row.provenance));
    }
    let last = facts.phaseout.iter().max_by_key(|r| r.year);
    match last {
        Some(row) if year > row.year && row.cbam_factor.is_zero() => Ok((Decimal::ZERO, &row.provenance)),
        _ => Err(Error::Year {
            year,
            reason: "no CBAM factor in the bundled phase-out table for this year".into(),
        }),
    }
}

/// The mark-up row for a sector and year of import, if any (none for electricity).
pub fn markup(facts: &Facts, sector: CbamSector, year: i32) -> Option<&MarkupRow> {
    facts
        .markup
        .iter()
        .find(|r| r.sectors.contains(&sector) && r.year_from <= year && r.year_to.is_none_or(|to| year <= to))
}

/// How a default value was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultResolution {
    /// The country's own row of Annex I.
    Country,
    /// The country's row reads "–": the "Other countries and territories" value applies.
    CountryDashOther,
    /// The country has a table in Annex I, but it has no line for this good: the "Other
    /// countries and territories" value applies.
    LineAbsentOther,
    /// The act does not list the country at all: the "Other countries and territories" value.
    NotListedOther,
    /// "Other countries" asked for directly.
    Other,
    /// Annex IV: a precursor whose country of production is unknown.
    AnnexIv,
}

impl DefaultResolution {
    /// True when the value is the "Other countries and territories" value for a named country.
    pub fn fell_back(self) -> bool {
        matches!(self, Self::CountryDashOther | Self::LineAbsentOther | Self::NotListedOther)
    }
}

#[derive(Debug, Clone)]
pub struct DefaultLookup<'f> {
    pub row: &'f DefaultValueRow,
    pub total: Decimal,
    pub resolution: DefaultResolution,
    /// Set when a heading was given and every line under it has this one value.
    pub note: Option<String>,
}

fn best_match<'f, T>(
    rows: impl Iterator<Item = &'f T>,
    code: &CnCode,
    patterns: impl Fn(&T) -> &[crate::cn::CnPattern],
) -> Vec<&'f T>
where
    T: 'f,
{
    let mut best = 0usize;
    let mut found = Vec::new();
    for row in rows {
        let Some(score) = patterns(row).iter().filter_map(|p| p.matches(code)).max() else { continue };
        if score > best {
            best = score;
            found.clear();
        }
        if score == best {
            found.push(row);
        }
    }
    found
}

/// Rows whose codes all lie under `code` (a heading more general than the table's lines).
fn under_heading<'f, T>(
    rows: impl Iterator<Item = &'f T>,
    code: &CnCode,
    patterns: impl Fn(&T) -> &[crate::cn::CnPattern],
) -> Vec<&'f T>
where
    T: 'f,
{
    rows.filter(|row| {
        let list = patterns(row);
        !list.is_empty() && list.iter().all(|p| p.lies_under(code))
    })
    .collect()
}

/// The row of one table for a code and (for CN lines with two variants) a route letter.
fn default_row<'f>(
    facts: &'f Facts,
    code: &CnCode,
    key: &str,
    route: Option<char>,
) -> Result<Option<(&'f DefaultValueRow, Option<String>)>> {
    let mut matched = best_match(facts.default_rows(key), code, |r| &r.patterns);
    let mut note = None;
    if matched.is_empty() {
        matched = under_heading(facts.default_rows(key), code, |r| &r.patterns);
        if matched.is_empty() {
            return Ok(None);
        }
        let first = matched[0];
        let same = |r: &&DefaultValueRow| {
            (r.total, r.direct, r.indirect, r.route)
                == (first.total, first.direct, first.indirect, first.route)
        };
        if !matched.iter().all(same) {
            let lines: Vec<String> = matched
                .iter()
                .map(|r| format!("{} = {}", r.cn_cell, r.total.map_or("–".into(), |t| t.to_string())))
                .collect();
            return Err(Error::NoDefaultValue {
                code: code.to_string(),
                origin: key.into(),
                reason: format!(
                    "the lines under this heading have different default values in IR 2025/2621 Annex I ({}): give \
                     the CN subheading",
                    lines.join("; ")
                ),
            });
        }
        note = Some(format!(
            "every line of IR 2025/2621 Annex I under {code} ({}) has this value",
            matched.iter().map(|r| r.cn_cell.as_str()).collect::<Vec<_>>().join(", ")
        ));
        matched.truncate(1);
    }
    if matched.len() > 1 {
        let options: Vec<String> =
            matched.iter().map(|r| format!("({}) {}", r.route.map_or('-', |c| c), r.good)).collect();
        let chosen: Vec<&DefaultValueRow> =
            matched.iter().copied().filter(|r| route.is_some() && r.route == route).collect();
        return match (route, chosen.first()) {
            (_, Some(row)) => Ok(Some((row, note))),
            (None, None) => Err(Error::NoDefaultValue {
                code: code.to_string(),
                origin: key.into(),
                reason: format!(
                    "IR 2025/2621 Annex I has one row per variant of this good: {}; pass --route with its letter \
                     (IR 2025/2620 Annex pt 5.3: A grey, B white)",
                    options.join(", ")
                ),
            }),
            (Some(letter), None) => Err(Error::NoDefaultValue {
                code: code.to_string(),
                origin: key.into(),
                reason: format!(
                    "route ({letter}) does not exist for this good in IR 2025/2621 Annex I; its rows are {}",
                    options.join(", ")
                ),
            }),
        };
    }
    Ok(matched.first().map(|row| (*row, note)))
}

/// The default value (IR 2025/2621 Annex I "total emissions", before any mark-up) for a good and
/// origin, resolved country → "Other countries" → (precursors of unknown origin) Annex IV.
pub fn default_value<'f>(facts: &'f Facts, code: &CnCode, origin: Origin) -> Result<DefaultLookup<'f>> {
    default_value_for(facts, code, origin, None)
}

/// [`default_value`] with a route letter, which chooses between the two rows of a CN line that
/// has variants (grey (A) / white (B) clinker and hydraulic cement).
pub fn default_value_for<'f>(
    facts: &'f Facts,
    code: &CnCode,
    origin: Origin,
    route: Option<char>,
) -> Result<DefaultLookup<'f>> {
    let missing =
        |reason: String| Error::NoDefaultValue { code: code.to_string(), origin: origin.to_string(), reason };
    let usable = |row: &'f DefaultValueRow| -> Result<Option<Decimal>> {
        if row.provenance.is_unverified() || row.provenance.is_draft() {
            return Err(missing(format!(
                "the bundled row (default_values.csv line {}) is {}; it is not used until checked",
                row.line, row.provenance.status
            )));
        }
        Ok(row.total)
    };
    let other = |resolution: DefaultResolution| -> Result<DefaultLookup<'f>> {
        let (row, note) = default_row(facts, code, "OTHER", route)?.ok_or_else(|| {
            missing(
                "IR 2025/2621 Annex I has no line for this CN code in the 'Other countries and territories' table, \
                 so no default value exists for it: pass actual emissions (--see-direct)"
                    .into(),
            )
        })?;
        let total = usable(row)?.ok_or_else(|| {
            missing(format!(
                "the 'Other countries and territories' row (default_values.csv line {}) reads '–' in IR 2025/2621 \
                 Annex I: no default value; pass actual emissions (--see-direct)",
                row.line
            ))
        })?;
        Ok(DefaultLookup { row, total, resolution, note })
    };
    match origin {
        Origin::OtherCountries => other(DefaultResolution::Other),
        Origin::Unknown => {
            let (row, note) = default_row(facts, code, "UNKNOWN", route)?.ok_or_else(|| {
                missing(
                    "IR 2025/2621 Annex IV (precursors of unknown origin) has no line for this good".into(),
                )
            })?;
            let total = usable(row)?.ok_or_else(|| missing("the Annex IV row has no value".into()))?;
            Ok(DefaultLookup { row, total, resolution: DefaultResolution::AnnexIv, note })
        }
        Origin::Country(_) => {
            if facts.default_rows(origin.table_key()).next().is_none() {
                return other(DefaultResolution::NotListedOther);
            }
            match default_row(facts, code, origin.table_key(), route)? {
                Some((row, note)) => match usable(row)? {
                    Some(total) => {
                        Ok(DefaultLookup { row, total, resolution: DefaultResolution::Country, note })
                    }
                    None => other(DefaultResolution::CountryDashOther),
                },
                None => other(DefaultResolution::LineAbsentOther),
            }
        }
    }
}

/// How the marked-up default value is rounded before the free-allocation adjustment is taken off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MarkupRounding {
    /// Half away from zero to 3 decimals from the rounded total, as the published marked-up
    /// defaults are (IR 2026/1740 recital 10; docs/CBAM.md §11). decarb's default.
    #[default]
    ThreeDecimals,
    /// The product left exact: the convention some calculators use, and the `_unrounded_markup`
    /// outputs of the shared CBAM examples.
    Unrounded,
}

/// The value declared on the default path: the default total × (1 + the year's mark-up), rounded
/// by `rounding` ([`MarkupRounding`]). Without a mark-up row (sectors without a stated mark-up)
/// the total itself.
pub fn marked_up_default(
    total: Decimal,
    row: Option<&MarkupRow>,
    rounding: MarkupRounding,
) -> Result<Decimal> {
    match row {
        Some(row) => {
            let exact = crate::num::mul(total, row.multiplier, "marked-up default")?;
            Ok(match rounding {
                MarkupRounding::ThreeDecimals => crate::num::round_half_away(exact, 3),
                MarkupRounding::Unrounded => exact,
            })
        }
        None => Ok(total),
    }
}

/// Which column of the IR 2620 table: A (BM*, actual data) or B (BM, default values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    A,
    B,
}

/// What to do for production years after the last published benchmark band (2030).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BeyondPublished {
    /// Error: nothing is published for 2031 and later (docs/CBAM.md §5.3).
    #[default]
    Error,
    /// Hold the last published band, flagged as an assumption (as the derived D-HRC table does).
    HoldLast,
}

#[derive(Debug, Clone)]
pub struct BenchmarkLookup<'f> {
    pub row: &'f BenchmarkRow,
    pub value: Decimal,
    pub column: Column,
    /// Set when the value was chosen by a rule rather than an exact route match.
    pub note: Option<String>,
    /// True when a later year borrowed the last published band.
    pub held: bool,
}

/// The CBAM benchmark for a good, route and production year. Without a route: the single value
/// if all routes agree; on the default path, the highest value where the rows differ by alloy
/// grade (IR 2620 Annex pt 5.1); otherwise an error listing the routes.
pub fn benchmark<'f>(
    facts: &'f Facts,
    code: &CnCode,
    route: Option<char>,
    production_year: i32,
    column: Column,
    beyond: BeyondPublished,
) -> Result<BenchmarkLookup<'f>> {
    let fail = |reason: String| Error::NoBenchmark { code: code.to_string(), reason };
    // The condensed table first, then every CN line of the act (benchmarks_2620.csv).
    let mut matched = Vec::new();
    let mut heading = false;
    for table in [&facts.benchmarks, &facts.benchmarks_2620] {
        let usable: Vec<&BenchmarkRow> =
            table.iter().filter(|r| !r.provenance.is_unverified() && !r.provenance.is_draft()).collect();
        matched = best_match(usable.iter().copied(), code, |r| &r.patterns);
        // A heading more general than the table's lines (7203 for 7203 10 00 and 7203 90 00):
        // usable when every line under it has the same benchmark (the agreement check below).
        heading = matched.is_empty();
        if heading {
            matched = under_heading(usable.iter().copied(), code, |r| &r.patterns);
        }
        if !matched.is_empty() {
            break;
        }
    }
    if matched.is_empty() {
        return Err(fail("no line for this code in IR 2025/2620 Annex pt 5.3; pass --benchmark".into()));
    }
    let last_to = matched.iter().map(|r| r.period_to).max().unwrap_or(production_year);
    let first_from = matched.iter().map(|r| r.period_from).min().unwrap_or(production_year);
    let (year, held) = if production_year > last_to {
        match beyond {
            BeyondPublished::Error => {
                return Err(fail(format!(
                    "no benchmark is published for production year {production_year} (the bundled bands end in \
                     {last_to}); pass --benchmark, or --hold-benchmarks to keep the last band"
                )));
            }
            BeyondPublished::HoldLast => (last_to, true),
        }
    } else if production_year < first_from {
        return Err(fail(format!("benchmarks apply from production year {first_from}")));
    } else {
        (production_year, false)
    };
    let in_band: Vec<&BenchmarkRow> =
        matched.into_iter().filter(|r| r.period_from <= year && year <= r.period_to).collect();
    let value_of = |r: &BenchmarkRow| if column == Column::A { r.column_a } else { r.column_b };
    let candidates: Vec<&BenchmarkRow> = match route {
        Some(letter) => {
            let routed: Vec<&BenchmarkRow> =
                in_band.iter().copied().filter(|r| r.route == Some(letter)).collect();
            if routed.is_empty() {
                let has_routes = in_band.iter().any(|r| r.route.is_some());
                if has_routes {
                    let options: Vec<String> =
                        in_band.iter().filter_map(|r| r.route).map(String::from).collect();
                    return Err(fail(format!(
                        "no route ({letter}); the table has ({}) (IR 2025/2620 Annex pt 5.3; --route)",
                        options.join("), (")
                    )));
                }
                in_band
            } else {
                routed
            }
        }
        None => in_band,
    };
    let Some(first) = candidates.first() else {
        return Err(fail(format!("no band covers production year {year}")));
    };
    let mut note = None;
    let chosen = if candidates.iter().all(|r| value_of(r) == value_of(first)) {
        if heading {
            let cells: BTreeSet<&str> = candidates.iter().map(|r| r.cn_cell.as_str()).collect();
            note = Some(format!(
                "every line of IR 2025/2620 Annex pt 5.3 under {code} ({}) has this benchmark",
                cells.into_iter().collect::<Vec<_>>().join("; ")
            ));
        }
        *first
    } else if heading {
        return Err(fail(
            "the lines under this heading have different benchmarks in IR 2025/2620 Annex pt 5.3: give the CN \
             subheading"
                .into(),
        ));
    } else {
        let alloy = candidates.iter().all(|r| matches!(r.route, Some('F' | 'G' | 'H' | 'J')));
        if column == Column::B && alloy {
            note = Some(
                "alloy grades differ: the highest benchmark of the year is used (IR 2025/2620 Annex pt 5.1)"
                    .into(),
            );
            candidates.iter().copied().max_by_key(|r| value_of(r)).unwrap_or(first)
        } else {
            let options: Vec<String> = candidates
                .iter()
                .map(|r| format!("({}) {} = {}", r.route.map_or('-', |c| c), r.indicator, value_of(r)))
                .collect();
            return Err(fail(format!(
                "the benchmark depends on the production route; pass --route with one of: {}",
                options.join("; ")
            )));
        }
    };
    Ok(BenchmarkLookup { row: chosen, value: value_of(chosen), column, note, held })
}

/// The emission factor of imported electricity for a country of origin (IR 2025/2621 Annex III),
/// from the user's file. A country without a row is an error naming the act.
pub fn electricity_factor(facts: &Facts, origin: Origin) -> Result<(Decimal, &Provenance)> {
    if facts.electricity_factors.is_empty() {
        return Err(Error::Missing {
            what: "emission factors of imported electricity (--electricity-factors FILE or \
                   DECARB_CBAM_ELECTRICITY_FACTORS)"
                .into(),
            reason: "IR 2025/2621 Annex III is IEA data under CC BY-NC-SA 4.0 (the regulation's own disclaimer), so \
                     decarb does not bundle it: supply the table as a CSV (docs/data-licences.md), or give actual \
                     values with --see-direct (Reg. 2023/956 Annex IV pt 5)"
                .into(),
        });
    }
    let key = origin.table_key();
    let row = facts.electricity_factors.iter().find(|r| r.key == key).ok_or_else(|| Error::NoDefaultValue {
        code: "2716 00 00".into(),
        origin: origin.to_string(),
        reason: "the emission factors file has no row for this country (IR 2025/2621 Annex III lists imported \
                 electricity by country or region); add its row, or give actual values with --see-direct"
            .into(),
    })?;
    if row.provenance.is_unverified() {
        return Err(Error::Invalid {
            what: format!("emission factor of imported electricity for {origin}"),
            found: row.provenance.status.clone(),
            expected: "a row that is not UNVERIFIED (IR 2025/2621 Annex III)".into(),
        });
    }
    Ok((row.ef_t_per_mwh, &row.provenance))
}

/// The grid emission factor for electricity consumed in production (IR 2025/2621 Annex II),
/// country → "Other countries". The EU row is UNVERIFIED and refused.
pub fn grid_factor(facts: &Facts, origin: Origin) -> Result<(Decimal, &Provenance, bool)> {
    if facts.grid_factors.is_empty() {
        return Err(Error::Missing {
            what: "grid emission factors (--grid-factors FILE or DECARB_CBAM_GRID_FACTORS)".into(),
            reason: "IR 2025/2621 Annex II is IEA data under CC BY-NC-SA 4.0 (the regulation's own disclaimer), so \
                     decarb does not bundle it: supply the table as a CSV (docs/data-licences.md)"
                .into(),
        });
    }
    let key = if origin.is_eu() { "EU" } else { origin.table_key() };
    let row = facts.grid_factors.iter().find(|r| r.key == key);
    let (row, fallback) = match row {
        Some(row) => (row, false),
        None => (
            facts.grid_factors.iter().find(|r| r.key == "OTHER").ok_or_else(|| Error::Missing {
                what: "grid emission factor".into(),
                reason: "no 'Other countries and territories' (OTHER) row in the supplied IR 2025/2621 Annex II table"
                    .into(),
            })?,
            true,
        ),
    };
    if row.provenance.is_unverified() {
        return Err(Error::Missing {
            what: "grid emission factor".into(),
            reason: format!("the bundled row for {} is UNVERIFIED and not used", row.country),
        });
    }
    Ok((row.ef_t_per_mwh, &row.provenance, fallback))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cn(text: &str) -> CnCode {
        CnCode::parse(text).unwrap()
    }
    fn d(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }
    fn country(code: &str) -> Origin {
        Origin::parse(code).unwrap()
    }

    #[test]
    fn cbam_factor_follows_the_directive_and_stays_zero_after_2034() {
        let facts = Facts::bundled().unwrap();
        assert_eq!(cbam_factor(facts, 2026).unwrap().0, d("0.975"));
        assert_eq!(cbam_factor(facts, 2029).unwrap().0, d("0.775"));
        assert_eq!(cbam_factor(facts, 2030).unwrap().0, d("0.515"));
        assert_eq!(cbam_factor(facts, 2040).unwrap().0, Decimal::ZERO);
        assert!(cbam_factor(facts, 2010).is_err());
    }

    #[test]
    fn defaults_resolve_country_then_other_then_annex_iv() {
        let facts = Facts::bundled().unwrap();
        let india = default_value(facts, &cn("7208 51 20"), country("IND")).unwrap();
        assert_eq!(
            (india.total, india.resolution, india.row.route),
            (d("4.280"), DefaultResolution::Country, Some('C'))
        );
        let vietnam = default_value(facts, &cn("7218 10 00"), country("VNM")).unwrap();
        assert_eq!((vietnam.total, vietnam.resolution), (d("5.006"), DefaultResolution::CountryDashOther));
        let mexico = default_value(facts, &cn("7208"), country("MEX")).unwrap();
        assert_eq!((mexico.total, mexico.resolution), (d("2.750"), DefaultResolution::Country), "listed now");
        let laos = default_value(facts, &cn("7208"), country("LAO")).unwrap();
        assert_eq!((laos.total, laos.resolution), (d("4.049"), DefaultResolution::LineAbsentOther));
        let afghanistan = default_value(facts, &cn("7208"), country("AFG")).unwrap();
        assert_eq!(
            (afghanistan.total, afghanistan.resolution),
            (d("4.049"), DefaultResolution::NotListedOther)
        );
        let dri = default_value(facts, &cn("7203 10 00"), Origin::Unknown).unwrap();
        assert_eq!(dri.total, d("4.200"));
        let sinter = default_value(facts, &cn("2601 12 00"), country("AUS")).unwrap();
        assert_eq!(sinter.total, d("0.090"));
        let turkey_cement = default_value(facts, &cn("2523 29 00"), country("TUR")).unwrap();
        assert_eq!(
            (turkey_cement.total, turkey_cement.resolution),
            (d("1.440"), DefaultResolution::CountryDashOther)
        );
        // The forged semis now have their own lines; the heading 7207 is ambiguous.
        assert_eq!(default_value(facts, &cn("7207 11 90"), country("IND")).unwrap().total, d("4.320"));
        assert!(default_value(facts, &cn("7207"), country("IND")).is_err(), "lines under 7207 differ");
        assert!(default_value(facts, &cn("7202 30 00"), Origin::OtherCountries).is_err(), "not in Annex I");
    }

    #[test]
    fn clinker_variants_need_their_route() {
        let facts = Facts::bundled().unwrap();
        let clinker = cn("2523 10 00");
        let error = default_value(facts, &clinker, country("UKR")).unwrap_err().to_string();
        assert!(error.contains("(A) grey clinker") && error.contains("--route"), "{error}");
        let grey = default_value_for(facts, &clinker, country("UKR"), Some('A')).unwrap();
        assert_eq!((grey.total, grey.resolution), (d("1.370"), DefaultResolution::Country));
        let white = default_value_for(facts, &clinker, country("UKR"), Some('B')).unwrap();
        assert_eq!(
            (white.total, white.resolution, white.row.good.as_str()),
            (d("1.370"), DefaultResolution::CountryDashOther, "white clinker")
        );
        let error = default_value_for(facts, &clinker, country("UKR"), Some('C')).unwrap_err().to_string();
        assert!(error.contains("route (C) does not exist"), "{error}");
    }

    #[test]
    fn benchmarks_separate_columns_and_routes() {
        let facts = Facts::bundled().unwrap();
        let b = benchmark(facts, &cn("7208"), Some('C'), 2026, Column::B, BeyondPublished::Error).unwrap();
        assert_eq!(b.value, d("1.370"));
        let a = benchmark(facts, &cn("7208"), None, 2026, Column::A, BeyondPublished::Error).unwrap();
        assert_eq!(a.value, d("0.044"), "Column A has one value for all routes");
        assert!(benchmark(facts, &cn("7208"), None, 2026, Column::B, BeyondPublished::Error).is_err());
        let fe_mn =
            benchmark(facts, &cn("7202 11 20"), None, 2028, Column::B, BeyondPublished::Error).unwrap();
        assert_eq!(fe_mn.value, d("1.277"), "band (2) from production year 2028");
        let powder =
            benchmark(facts, &cn("7205 21 00"), None, 2026, Column::B, BeyondPublished::Error).unwrap();
        assert_eq!(powder.value, d("1.460"), "highest alloy grade");
        assert!(benchmark(facts, &cn("7208"), Some('C'), 2031, Column::B, BeyondPublished::Error).is_err());
        let held =
            benchmark(facts, &cn("7208"), Some('C'), 2031, Column::B, BeyondPublished::HoldLast).unwrap();
        assert!(held.held);
        assert_eq!(held.value, d("1.370"));
        let profile =
            benchmark(facts, &cn("7604 21 00"), Some('K'), 2026, Column::B, BeyondPublished::Error).unwrap();
        assert_eq!(profile.value, d("1.493"));
    }

    #[test]
    fn grid_factors_come_from_the_users_file_and_unverified_rows_are_refused() {
        let facts = Facts::bundled().unwrap();
        let error = grid_factor(facts, country("IND")).unwrap_err().to_string();
        assert!(error.contains("CC BY-NC-SA 4.0"), "{error}");
        let file = "iso2,country,ef,unit,status,source\nIN,India,0.726,t CO2/MWh,transcribed,user file\n\
                    OTHER,Other countries and territories,0.465,t CO2/MWh,transcribed,user file\n\
                    EU,European Union,0.612,t CO2/MWh,UNVERIFIED,user file\n";
        let facts = facts.with_grid_factors(file, "grid.csv").unwrap();
        assert_eq!(grid_factor(&facts, country("IND")).unwrap().0, d("0.726"));
        assert_eq!(
            grid_factor(&facts, country("MEX")).unwrap(),
            (d("0.465"), &facts.grid_factors[1].provenance, true)
        );
        assert!(grid_factor(&facts, country("DEU")).is_err(), "the EU row is UNVERIFIED");
        let bad = Facts::bundled()
            .unwrap()
            .with_grid_factors("iso2,country,ef,unit,status,source\nIN,India,x,,,\n", "g.csv");
        assert!(bad.unwrap_err().to_string().contains("g.csv, line 2, column ef"));
    }
}
