//! Carbon-leakage exposure by country (docs/CBAM.md §13.3, §17): trade intensity, emission
//! intensity, the carbon cost of production at a given price, and the CBAM cost of exports to the
//! EU; and, from a pathway run, each exporting country's CBAM cost per tonne year by year given
//! its fleet's intensity on that path.
//!
//! Production and trade are inputs (the command line reads the bundled production statistics and
//! the bundled worldsteel trade, or a trade table the user gives). Emission intensity is an input
//! too (the command line takes it from the bundled fleet or an engine run); when none is given, the
//! country's IR 2025/2621 default value without mark-up is used, which the act defines as the
//! average emission intensity of the exporting country (Annex IV pt 4.1), flagged as such.

use crate::cn::CnCode;
use crate::error::{Error, Result};
use crate::facts::Facts;
use crate::num::{add, div, mul};
use crate::obligation::{EmissionsInput, QuoteRequest, quote};
use crate::origin::Origin;
use crate::rules::{DefaultResolution, default_value};
use decarb_model::CountryCode;
use rust_decimal::Decimal;

/// One country's physical flows for one year, in tonnes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryFlows {
    pub country: CountryCode,
    pub production_t: Decimal,
    pub exports_t: Option<Decimal>,
    pub imports_t: Option<Decimal>,
    /// Emission intensity of production, t CO2e per tonne, with its source; None for the default
    /// value of the representative good.
    pub intensity: Option<(Decimal, String)>,
}

/// Settings of an exposure table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExposureOptions {
    /// The good whose CBAM treatment stands for the sector's exports (7208 hot-rolled flat steel,
    /// 7601 unwrought aluminium).
    pub good: CnCode,
    /// CBAM year of the quote (the cost per tonne uses that year's factor and mark-up).
    pub cbam_year: i32,
    /// Carbon price for the cost of production, EUR per t CO2e.
    pub carbon_price: Decimal,
    /// Certificate price, EUR; the bundled/quoted default when None.
    pub certificate_price: Option<Decimal>,
    pub correction_factor: Option<Decimal>,
    /// Share of exports that goes to the EU. None: all exports (an upper bound), flagged.
    pub eu_export_share: Option<Decimal>,
    /// Production route letter of IR 2025/2620 for the Column A benchmark of actual intensities
    /// (K, primary aluminium, needs it); None where the good has one benchmark.
    pub route: Option<char>,
}

/// One ranked row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExposureRow {
    pub rank: usize,
    pub country: CountryCode,
    pub production_t: Decimal,
    pub exports_t: Option<Decimal>,
    pub imports_t: Option<Decimal>,
    /// (exports + imports) / (production + imports): the physical analogue of the EU ETS
    /// carbon-leakage trade-intensity criterion (Dir. 2003/87/EC Art. 10b).
    pub trade_intensity: Option<Decimal>,
    pub emission_intensity: Decimal,
    pub intensity_source: String,
    /// production × intensity × carbon price, EUR.
    pub carbon_cost_eur: Decimal,
    /// CBAM cost per tonne of the representative good in the CBAM year, EUR.
    pub cbam_cost_eur_per_t: Decimal,
    /// exports to the EU × CBAM cost per tonne, EUR (None without export data).
    pub cbam_exposure_eur: Option<Decimal>,
}

/// The ranked table (largest CBAM exposure first, then carbon cost, then ISO3 code) and its notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exposure {
    pub rows: Vec<ExposureRow>,
    pub notes: Vec<String>,
}

/// Computes the exposure of each country. Countries from the EU or Annex III are skipped (they
/// face no CBAM), as are countries with no intensity.
pub fn exposure(facts: &Facts, flows: &[CountryFlows], options: &ExposureOptions) -> Result<Exposure> {
    crate::num::non_negative(options.carbon_price, "carbon price")?;
    if let Some(share) = options.eu_export_share
        && (share < Decimal::ZERO || share > Decimal::ONE)
    {
        return Err(Error::invalid("EU export share", share, "a fraction from 0 to 1"));
    }
    let mut notes = Vec::new();
    let share = options.eu_export_share.unwrap_or_else(|| {
        notes.push(
            "no share of exports to the EU was given: CBAM exposure assumes all exports go to the EU (an upper bound)"
                .to_owned(),
        );
        Decimal::ONE
    });
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for flow in flows {
        let origin = Origin::Country(flow.country);
        if origin.is_exempt() {
            continue;
        }
        let (intensity, source) = match &flow.intensity {
            Some((value, source)) => (*value, source.clone()),
            None => match default_value(facts, &options.good, origin) {
                Ok(found) if found.resolution == DefaultResolution::Country => (
                    found.total,
                    format!("IR 2025/2621 Annex I default for {} (country average)", options.good),
                ),
                _ => {
                    skipped.push(flow.country.as_str());
                    continue;
                }
            },
        };
        let mut request = QuoteRequest::new(options.good.clone(), origin, Decimal::ONE, options.cbam_year);
        request.emissions = if flow.intensity.is_some() {
            EmissionsInput::Actual { direct: intensity, indirect: None, precursor_sefa: None }
        } else {
            EmissionsInput::Default { markup: true }
        };
        request.route = options.route;
        request.certificate_price = options.certificate_price;
        request.correction_factor = options.correction_factor;
        request.beyond_published = crate::rules::BeyondPublished::HoldLast;
        let cbam = quote(facts, &request)?;
        merge_assumptions(&mut notes, &cbam.notes);
        let carbon_cost =
            mul(mul(flow.production_t, intensity, "carbon cost")?, options.carbon_price, "carbon cost")?;
        let trade_intensity = match (flow.exports_t, flow.imports_t) {
            (Some(x), Some(m)) => {
                let base = add(flow.production_t, m, "trade intensity")?;
                if base.is_zero() {
                    None
                } else {
                    Some(div(add(x, m, "trade intensity")?, base, "trade intensity")?)
                }
            }
            _ => None,
        };
        let exposure = flow
            .exports_t
            .map(|x| mul(mul(x, share, "CBAM exposure")?, cbam.cost_per_tonne, "CBAM exposure"))
            .transpose()?;
        rows.push(ExposureRow {
            rank: 0,
            country: flow.country,
            production_t: flow.production_t,
            exports_t: flow.exports_t,
            imports_t: flow.imports_t,
            trade_intensity,
            emission_intensity: intensity,
            intensity_source: source,
            carbon_cost_eur: carbon_cost,
            cbam_cost_eur_per_t: cbam.cost_per_tonne,
            cbam_exposure_eur: exposure,
        });
    }
    if !skipped.is_empty() {
        notes.push(format!(
            "no emission intensity for {} (no country default value for {} is bundled); left out",
            skipped.join(", "),
            options.good
        ));
    }
    rows.sort_by(|a, b| {
        b.cbam_exposure_eur
            .unwrap_or(Decimal::MIN)
            .cmp(&a.cbam_exposure_eur.unwrap_or(Decimal::MIN))
            .then_with(|| b.carbon_cost_eur.cmp(&a.carbon_cost_eur))
            .then_with(|| a.country.cmp(&b.country))
    });
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = i + 1;
    }
    Ok(Exposure { rows, notes })
}

/// Adds a quote's assumption notes once each; the per-country route note becomes one line.
fn merge_assumptions(notes: &mut Vec<String>, quote_notes: &[crate::obligation::Note]) {
    for note in quote_notes.iter().filter(|n| n.kind == crate::obligation::NoteKind::Assumption) {
        // One line for the route assumption, not one per country.
        let text = if note.text.starts_with("the default production route of") {
            "the countries' default production routes (IR 2025/2621 Annex I) are not transcribed: the 'Other \
             countries' route selects the Column B benchmark"
                .to_owned()
        } else {
            note.text.clone()
        };
        if !notes.contains(&text) {
            notes.push(text);
        }
    }
}

/// One exporter-year of a pathway run: the intensity of its production that year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathwayPoint {
    /// A country code or a region name, as the run reports it.
    pub exporter: String,
    /// The origin used for the quote: the country, or `OtherCountries` for a region.
    pub origin: Origin,
    pub year: i32,
    /// t CO2e per tonne of the good, as counted for it (direct only for Annex II goods).
    pub intensity: Decimal,
}

impl PathwayPoint {
    /// The point of one exporter-year of a pathway run: its emissions per tonne as counted for
    /// `good` (direct only for Annex II goods; cement and fertilisers add the indirect, Reg.
    /// 2023/956 Annex II), rounded to 6 decimals. `None` when nothing is produced; an error when
    /// the figures are not finite numbers (never a silent zero).
    pub fn from_pathway(
        exporter: impl Into<String>,
        origin: Origin,
        year: i32,
        good: &CnCode,
        production_t: f64,
        direct_t: f64,
        indirect_t: f64,
    ) -> Result<Option<PathwayPoint>> {
        if production_t <= 0.0 {
            return Ok(None);
        }
        let emissions = if crate::cn::counts_indirect(good) { direct_t + indirect_t } else { direct_t };
        let exporter = exporter.into();
        let intensity = Decimal::try_from(emissions / production_t).map_err(|_| Error::Invalid {
            what: format!("pathway emission intensity of {exporter} in {year}"),
            found: format!("{emissions} t CO2 / {production_t} t"),
            expected: "a finite number of t CO2e per tonne".into(),
        })?;
        Ok(Some(PathwayPoint { exporter, origin, year, intensity: intensity.round_dp(6) }))
    }
}

/// The CBAM good a sector's pathway is priced as when the user names none: hot-rolled flat steel
/// (7208), unwrought aluminium (7601 10 00), Portland cement (2523 29 00), anhydrous ammonia
/// (2814 10 00): the sectors' largest traded goods in CBAM.md §16.
pub fn representative_good(sector: decarb_model::Sector) -> Result<CnCode> {
    let code = match sector {
        decarb_model::Sector::Steel => "7208",
        decarb_model::Sector::Aluminium => "7601 10 00",
        decarb_model::Sector::Cement => "2523 29 00",
        decarb_model::Sector::Ammonia => "2814 10 00",
    };
    CnCode::parse(code)
}

/// The production route priced for a sector's representative good when the user names none:
/// primary aluminium (route K of IR 2025/2620), the route of the pathways' smelters.
pub fn representative_route(sector: decarb_model::Sector) -> Option<char> {
    (sector == decarb_model::Sector::Aluminium).then_some('K')
}

/// One exporter-year of a pathway: the CBAM cost per tonne at that intensity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathwayCost {
    pub exporter: String,
    pub year: i32,
    pub intensity: Decimal,
    pub sefa: Decimal,
    pub certificates_per_tonne: Decimal,
    pub cost_eur_per_tonne: Decimal,
}

/// For a pathway run's intensities, the CBAM cost per tonne of `template.good` exported to the
/// EU each year, on the actual-data path. The template supplies price, correction factor and
/// route; its origin, year and emissions are replaced. Years before 2026 are skipped; the result
/// is ordered by exporter, then year.
pub fn pathway_costs(
    facts: &Facts,
    template: &QuoteRequest,
    points: &[PathwayPoint],
) -> Result<Vec<PathwayCost>> {
    let mut out = Vec::new();
    for point in points {
        if point.year < crate::rules::FIRST_YEAR {
            continue;
        }
        let mut request = template.clone();
        request.origin = point.origin;
        request.year = point.year;
        request.tonnes = Decimal::ONE;
        request.emissions =
            EmissionsInput::Actual { direct: point.intensity, indirect: None, precursor_sefa: None };
        request.beyond_published = crate::rules::BeyondPublished::HoldLast;
        let quote = quote(facts, &request)?;
        out.push(PathwayCost {
            exporter: point.exporter.clone(),
            year: point.year,
            intensity: point.intensity,
            sefa: quote.sefa,
            certificates_per_tonne: quote.certificates_exact,
            cost_eur_per_tonne: quote.cost_per_tonne,
        });
    }
    out.sort_by(|a, b| a.exporter.cmp(&b.exporter).then(a.year.cmp(&b.year)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn representative_goods_parse_and_pathway_points_count_indirect_only_where_the_act_does() {
        for sector in decarb_model::Sector::ALL {
            let good = representative_good(sector).unwrap();
            assert!(crate::cn::sector_of(&good).is_ok(), "{sector}: {good}");
        }
        let cement = representative_good(decarb_model::Sector::Cement).unwrap();
        let steel = representative_good(decarb_model::Sector::Steel).unwrap();
        let point = |good: &CnCode| {
            PathwayPoint::from_pathway("IND", Origin::OtherCountries, 2030, good, 100.0, 60.0, 5.0)
                .unwrap()
                .unwrap()
        };
        assert_eq!(point(&cement).intensity, Decimal::new(65, 2));
        assert_eq!(point(&steel).intensity, Decimal::new(6, 1));
        assert!(
            PathwayPoint::from_pathway("X", Origin::OtherCountries, 2030, &steel, 0.0, 1.0, 0.0)
                .unwrap()
                .is_none()
        );
        assert!(
            PathwayPoint::from_pathway("X", Origin::OtherCountries, 2030, &steel, 1.0, f64::NAN, 0.0)
                .is_err()
        );
    }

    fn d(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }
    fn country(code: &str) -> CountryCode {
        CountryCode::resolve(code).unwrap()
    }

    #[test]
    fn exposure_ranks_by_cbam_cost_of_exports() {
        let facts = Facts::bundled().unwrap();
        let flows = [
            CountryFlows {
                country: country("IND"),
                production_t: d("100000000"),
                exports_t: Some(d("10000000")),
                imports_t: Some(d("5000000")),
                intensity: None,
            },
            CountryFlows {
                country: country("USA"),
                production_t: d("80000000"),
                exports_t: Some(d("7000000")),
                imports_t: Some(d("20000000")),
                intensity: None,
            },
            CountryFlows {
                country: country("DEU"),
                production_t: d("40000000"),
                exports_t: None,
                imports_t: None,
                intensity: None,
            },
        ];
        let options = ExposureOptions {
            good: CnCode::parse("7208").unwrap(),
            cbam_year: 2026,
            carbon_price: d("80"),
            certificate_price: Some(d("75.36")),
            correction_factor: Some(Decimal::ONE),
            eu_export_share: Some(d("0.5")),
            route: None,
        };
        let table = exposure(facts, &flows, &options).unwrap();
        assert_eq!(table.rows.len(), 2, "the EU member is not exposed");
        let india = &table.rows[0];
        assert_eq!(india.country.as_str(), "IND");
        // (10 + 5) / (100 + 5)
        assert_eq!(india.trade_intensity.unwrap().round_dp(6), d("0.142857"));
        assert_eq!(india.emission_intensity, d("4.280"));
        assert_eq!(india.carbon_cost_eur, d("34240000000.000"));
        // 3.37225 t × 75.36 per tonne; half of 10 Mt exported to the EU.
        assert_eq!(india.cbam_exposure_eur.unwrap(), d("5000000") * d("3.37225") * d("75.36"));
    }

    #[test]
    fn pathway_costs_fall_with_intensity() {
        let facts = Facts::bundled().unwrap();
        let mut template =
            QuoteRequest::new(CnCode::parse("7208").unwrap(), Origin::OtherCountries, Decimal::ONE, 2026);
        template.certificate_price = Some(d("80"));
        template.correction_factor = Some(Decimal::ONE);
        let point = |year: i32, intensity: &str| PathwayPoint {
            exporter: "IND".into(),
            origin: Origin::Country(country("IND")),
            year,
            intensity: d(intensity),
        };
        let path = [point(2025, "2.5"), point(2030, "2.0"), point(2030, "0.5")];
        let costs = pathway_costs(facts, &template, &path).unwrap();
        assert_eq!(costs.len(), 2, "2025 is before the CBAM");
        // Actual path: Column A 0.044 × 0.515 = 0.02266; (2.0 − 0.02266) × 80.
        assert_eq!(costs[0].cost_eur_per_tonne, (d("2.0") - d("0.02266")) * d("80"));
        assert!(costs[1].cost_eur_per_tonne < costs[0].cost_eur_per_tonne);
    }
}
