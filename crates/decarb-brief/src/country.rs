//! The country brief: [`gather`] builds a typed [`CountryBrief`] from the bundled statistics and
//! world, the tracker and a pathway run; [`render`] turns it into one self-contained HTML page.
//! Rendering reads nothing but its input.

use crate::BriefError;
use crate::gather::{Pathway, Tracker};
use crate::view::{self, Footnotes, Frame, Series, chart, num, opt, opt_num, ordinal};
use decarb_cbam::exposure::{PathwayPoint, pathway_costs, representative_good, representative_route};
use decarb_cbam::{Facts, Origin, QuoteRequest};
use decarb_data::{facts, world};
use decarb_engine::breakdown::{PathwayPoint as CountryPoint, country_pathway};
use decarb_engine::outcome::Resource;
use decarb_engine::start;
use decarb_model::tracker::ProjectStage;
use decarb_model::{CountryCode, Region, Sector};
use decarb_store::{MemberRow, PartnershipRow, PledgeRow, ProjectRow};
use maud::{Markup, html};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// Options of a brief.
#[derive(Debug, Clone, Copy, Default)]
pub struct BriefOptions {
    /// Use the statistics of this year at the latest (a brief as it could have been written
    /// then); `None`: the latest year the bundled statistics cover.
    pub statistics_up_to: Option<i32>,
}

/// A country's place in a sector's production ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct RankFact {
    pub sector: Sector,
    pub product: &'static str,
    pub rank: usize,
    /// Countries the statistic lists that year.
    pub of: usize,
    pub year: i32,
    pub value_kt: f64,
    /// Short name of the publisher (`worldsteel`, `BGS`, `USGS`).
    pub publisher: String,
    pub source: String,
    pub note: String,
}

impl RankFact {
    /// "4th largest crude steel producer in 2020, worldsteel".
    pub fn headline(&self) -> String {
        format!(
            "{} largest {} producer in {}, {}",
            ordinal(self.rank),
            self.product,
            self.year,
            self.publisher
        )
    }
}

/// One bundled fleet row of the country with its investment cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct FleetCohort {
    pub sector: Sector,
    /// Route, with the process where the table gives one (`bf-bof`, `smelter-hydro`).
    pub route: String,
    pub cohort: String,
    pub start_year: i32,
    pub capacity_kt: f64,
    pub source: String,
    /// The base-year technology of the default start rules (largest share of the rule's mix).
    pub technology: String,
    /// Years between main reinvestments; `None` for capacity without a technology of its own
    /// (cement grinding stations, which have no kiln and never reinvest).
    pub cycle_years: Option<i32>,
    pub lifetime_years: Option<i32>,
    pub cycle_source: String,
    /// The first main reinvestment after the base year (the engine's rule without its seeded
    /// jitter): start year + k x cycle.
    pub next_investment: Option<i32>,
}

impl FleetCohort {
    /// The year the cohort reaches the end of its technical life (start year + lifetime).
    pub fn end_of_life(&self) -> Option<i32> {
        self.lifetime_years.map(|life| self.start_year + life)
    }
}

/// One year of a sector's pathway for the country.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PathYear {
    pub year: i32,
    pub direct_mt: f64,
    pub captured_mt: f64,
    pub hydrogen_mt: f64,
    pub clean_twh: f64,
    pub stored_mt: f64,
    pub capex_busd: f64,
}

/// The pathway of one sector from the country's own plants (`decarb_engine::breakdown::country_pathway`).
#[derive(Debug, Clone, PartialEq)]
pub struct SectorPath {
    pub sector: Sector,
    /// The country's plants' share of its region's production in the base year. Resource use
    /// (hydrogen, clean power, CO2 stored) and capex, which the engine reports by region only, are
    /// the region's times this share of each year's production.
    pub share: f64,
    pub years: Vec<PathYear>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PathwaySection {
    pub scenario: String,
    pub description: String,
    pub origin: String,
    pub seed: u64,
    pub region: Region,
    pub base_year: i32,
    pub end_year: i32,
    pub sectors: Vec<SectorPath>,
    pub boundary: &'static str,
}

/// CBAM cost per tonne of one good exported to the EU in one year on the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CbamRow {
    pub sector: Sector,
    pub good: String,
    pub year: i32,
    pub intensity: Decimal,
    pub certificates_per_tonne: Decimal,
    pub cost_eur_per_tonne: Decimal,
}

/// Everything a country brief shows, gathered.
#[derive(Debug, Clone)]
pub struct CountryBrief {
    pub country: CountryCode,
    pub options: BriefOptions,
    pub ranks: Vec<RankFact>,
    /// Every covered year of each sector's ranking where the country appears.
    pub rank_history: Vec<RankFact>,
    pub tracker_origin: String,
    pub tracker_bundled_seed: bool,
    pub member: Option<MemberRow>,
    pub companies: Vec<MemberRow>,
    pub pledges: Vec<PledgeRow>,
    pub partnerships: Vec<PartnershipRow>,
    pub projects: Vec<ProjectRow>,
    /// Citations by source id, for the tracker rows above.
    pub citations: BTreeMap<String, String>,
    pub fleet: Vec<FleetCohort>,
    pub pathway: Option<PathwaySection>,
    /// The pledges of the country and of its member companies against the pathway of their own
    /// plants (`decarb_engine::alignment`).
    pub alignment: Vec<decarb_engine::alignment::Alignment>,
    /// `None` when the country's goods face no CBAM (EU, Annex III).
    pub cbam: Option<Vec<CbamRow>>,
    /// Latest reported exports of the sectors with a CBAM cost, for the exposure (an upper bound:
    /// the EU share of exports is not bundled).
    pub exports: Vec<ExportFact>,
    pub missing: Vec<String>,
}

/// A country's exports of a sector's products in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportFact {
    pub sector: Sector,
    pub product: &'static str,
    pub year: i32,
    pub exports_kt: f64,
    pub source: String,
}

/// The latest exports of each sector with CBAM rows (up to `statistics_up_to`), and what is
/// missing where there are none.
fn export_facts(
    country: CountryCode,
    cbam: &[CbamRow],
    options: BriefOptions,
    missing: &mut Vec<String>,
) -> Vec<ExportFact> {
    let sectors: BTreeSet<Sector> = cbam.iter().map(|r| r.sector).collect();
    let mut out = Vec::new();
    for sector in Sector::ALL.into_iter().filter(|s| sectors.contains(s)) {
        let table = match facts::trade(sector) {
            Ok(table) => table,
            Err(err) => {
                missing.push(format!("No {sector} export volumes, so no CBAM exposure in EUR: {err}."));
                continue;
            }
        };
        let latest = table
            .years()
            .into_iter()
            .rev()
            .filter(|y| options.statistics_up_to.is_none_or(|up| *y <= up))
            .find_map(|year| table.row(country, year, facts::TradeFlow::Exports));
        match latest {
            Some(row) => out.push(ExportFact {
                sector,
                product: table.product,
                year: row.year,
                exports_kt: row.value,
                source: row.source.clone(),
            }),
            None => missing.push(format!(
                "{} is not listed in the bundled {sector} export statistics: no CBAM exposure in EUR.",
                country.name()
            )),
        }
    }
    if !out.is_empty() {
        missing.push(format!(
            "The EU share of {}'s exports is not bundled: the CBAM exposure in EUR assumes all exports go to the EU \
             (an upper bound).",
            country.name()
        ));
    }
    out
}

/// A technology's cycle or lifetime in whole years. The bundled values are whole numbers of a
/// few decades (the technology table's tests check them), far inside `i32`.
#[allow(clippy::cast_possible_truncation)]
pub fn whole_years(years: decarb_model::units::Years) -> i32 {
    years.0.round().clamp(0.0, 1000.0) as i32
}

/// Short publisher name of a production statistic's source text.
pub fn publisher(source: &str) -> String {
    if source.contains("World Steel Association") || source.to_lowercase().contains("worldsteel") {
        "worldsteel".to_owned()
    } else if source.contains("USGS") {
        "USGS".to_owned()
    } else if source.contains("BGS") {
        "BGS".to_owned()
    } else {
        source.split([',', ';']).next().unwrap_or(source).trim().to_owned()
    }
}

/// The source of the bundled fleet, cited next to every fleet figure.
const WORLD_FLEET: &str = "decarb default world, crates/decarb-data/world/README.md (fleet_<sector>.csv; each row's own source below)";

/// The sectors with bundled by-country production statistics, in brief order.
const RANKED_SECTORS: [Sector; 4] = [Sector::Steel, Sector::Aluminium, Sector::Cement, Sector::Ammonia];

fn rank_facts(
    country: CountryCode,
    options: BriefOptions,
    missing: &mut Vec<String>,
) -> (Vec<RankFact>, Vec<RankFact>) {
    let mut ranks = Vec::new();
    let mut history = Vec::new();
    for sector in Sector::ALL {
        let table = match facts::production(sector) {
            Ok(table) => table,
            Err(err) => {
                missing.push(format!("No {sector} production ranking: {err}."));
                continue;
            }
        };
        let years: Vec<i32> = table
            .years()
            .into_iter()
            .filter(|y| options.statistics_up_to.is_none_or(|up| *y <= up))
            .collect();
        let Some(&latest) = years.last() else {
            missing.push(format!(
                "No {} statistic up to {}: the bundled statistics cover {}.",
                table.product,
                options.statistics_up_to.unwrap_or_default(),
                table.years().iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
            ));
            continue;
        };
        for &year in &years {
            let Ok(ranked) = table.rank(year) else { continue };
            let of = ranked.len();
            let Some(row) = ranked.into_iter().find(|r| r.country == country) else {
                if year == latest {
                    missing.push(format!(
                        "{} is not listed in the {} statistics of {latest} ({}, {of} countries): no production rank.",
                        country.name(),
                        table.product,
                        publisher(table.rows.first().map_or("", |r| r.source.as_str())),
                    ));
                }
                continue;
            };
            let fact = RankFact {
                sector,
                product: table.product,
                rank: row.rank,
                of,
                year,
                value_kt: row.value,
                publisher: publisher(&row.source),
                source: row.source.clone(),
                note: row.note.clone(),
            };
            if year == latest {
                if row.value > 0.0 {
                    ranks.push(fact.clone());
                } else {
                    missing.push(format!(
                        "{} reports no {} production (0 kt) in {latest} ({}).",
                        country.name(),
                        table.product,
                        fact.publisher
                    ));
                }
            }
            if row.value > 0.0 {
                history.push(fact);
            }
        }
    }
    ranks.sort_by_key(|r| RANKED_SECTORS.iter().position(|s| *s == r.sector));
    (ranks, history)
}

fn fleet(country: CountryCode) -> Vec<FleetCohort> {
    let rules = start::default_start_rules();
    world::fleet_rows()
        .iter()
        .filter(|row| row.country == country)
        .map(|row| {
            let technology = start::main_start_technology(&rules, row.route, country, row.process_name())
                .and_then(|id| facts::technology(id.as_str()));
            // A cycle below 1 year would never come round; the bundled table has none.
            let cycle = technology.map(|t| whole_years(t.reinvestment_cycle).max(1));
            let base = world::BASE_YEAR;
            let next = cycle.map(|cycle| start::next_investment_point(row.start_year.min(base), cycle, base));
            let route = if row.process.is_empty() {
                row.route.as_str().to_owned()
            } else {
                format!("{}-{}", row.route.as_str(), row.process)
            };
            FleetCohort {
                sector: row.sector,
                route,
                cohort: row.cohort.clone(),
                start_year: row.start_year,
                capacity_kt: row.capacity.0 / 1000.0,
                source: row.source.clone(),
                technology: technology.map_or_else(|| "unknown".to_owned(), |t| t.id.as_str().to_owned()),
                cycle_years: cycle,
                lifetime_years: technology.map(|t| whole_years(t.lifetime)),
                cycle_source: technology.map_or_else(String::new, |t| t.source.clone()),
                next_investment: next,
            }
        })
        .collect()
}

fn pathway_section(pathway: &Pathway, country: CountryCode) -> Option<PathwaySection> {
    let region = country.region();
    let outcome = &pathway.outcome;
    let own = country_pathway(outcome, country);
    let mut sectors = Vec::new();
    for &sector in &outcome.sectors {
        let points: Vec<&CountryPoint> = own.iter().filter(|p| p.sector == sector).collect();
        let Some(first) = points.first() else { continue };
        let region_row = |year: i32| {
            outcome.summary.iter().find(|r| r.sector == sector && r.region == Some(region) && r.year == year)
        };
        // The country's share of its region's production in a year.
        let production_share = |point: &CountryPoint| {
            region_row(point.year)
                .filter(|r| r.production.0 > 0.0)
                .map_or(0.0, |r| (point.production.0 / r.production.0).clamp(0.0, 1.0))
        };
        let mut years = Vec::new();
        for point in &points {
            let share = production_share(point);
            let resource = |wanted: Resource| -> f64 {
                outcome
                    .resources
                    .iter()
                    .filter(|r| {
                        r.year == point.year
                            && r.sector == sector
                            && r.region == Some(region)
                            && r.resource == wanted
                    })
                    .map(|r| r.quantity)
                    .sum::<f64>()
                    * share
            };
            years.push(PathYear {
                year: point.year,
                direct_mt: point.direct_emissions.0 / 1e6,
                captured_mt: point.captured.0 / 1e6,
                hydrogen_mt: resource(Resource::HydrogenMass) / 1e6,
                clean_twh: resource(Resource::CleanElectricity) / 1e6,
                stored_mt: resource(Resource::Co2Stored) / 1e6,
                capex_busd: region_row(point.year).map_or(0.0, |r| r.capex.0 * share / 1e9),
            });
        }
        years.sort_by_key(|y| y.year);
        sectors.push(SectorPath { sector, share: production_share(first), years });
    }
    if sectors.is_empty() {
        return None;
    }
    Some(PathwaySection {
        scenario: pathway.scenario.name.clone(),
        description: pathway.scenario.description.clone(),
        origin: pathway.origin.clone(),
        seed: pathway.outcome.seed,
        region,
        base_year: outcome.base_year,
        end_year: outcome.end_year,
        sectors,
        boundary: outcome.boundary,
    })
}

/// Years of the CBAM table.
const CBAM_YEARS: [i32; 5] = [2026, 2030, 2034, 2040, 2050];

fn cbam_rows(pathway: &Pathway, country: CountryCode) -> Result<Option<Vec<CbamRow>>, BriefError> {
    let origin = Origin::Country(country);
    if origin.is_exempt() {
        return Ok(None);
    }
    let facts = Facts::bundled()?;
    let own = country_pathway(&pathway.outcome, country);
    let mut rows = Vec::new();
    for &sector in &pathway.outcome.sectors {
        if !own.iter().any(|p| p.sector == sector) {
            continue;
        }
        let good = representative_good(sector)?;
        let mut template = QuoteRequest::new(good.clone(), origin, Decimal::ONE, 2026);
        template.route = representative_route(sector);
        let mut points = Vec::new();
        // Intensity of the country's own plants.
        for row in own.iter().filter(|p| p.sector == sector && CBAM_YEARS.contains(&p.year)) {
            points.extend(PathwayPoint::from_pathway(
                country.as_str(),
                origin,
                row.year,
                &good,
                row.production.0,
                row.direct_emissions.0,
                row.indirect_emissions.0,
            )?);
        }
        for cost in pathway_costs(facts, &template, &points)? {
            rows.push(CbamRow {
                sector,
                good: good.to_string(),
                year: cost.year,
                intensity: cost.intensity,
                certificates_per_tonne: cost.certificates_per_tonne,
                cost_eur_per_tonne: cost.cost_eur_per_tonne,
            });
        }
    }
    Ok(Some(rows))
}

/// Resolves a partnership party (a country name or code, or a company) to a country.
fn party_country(party: &str) -> Option<CountryCode> {
    CountryCode::resolve(party.trim())
}

/// What the tracker does not hold about the country: membership, a national pledge with its
/// target year and 2030 milestone, partnerships, projects.
fn tracker_gaps(
    country: CountryCode,
    member: Option<&MemberRow>,
    pledges: &[PledgeRow],
    partnerships: &[PartnershipRow],
    projects: &[ProjectRow],
    missing: &mut Vec<String>,
) {
    if member.is_none() {
        missing.push(format!("{} is not a member country in the tracker.", country.name()));
    }
    let country_pledge = member.and_then(|m| pledges.iter().find(|p| p.member == m.name));
    match country_pledge {
        None => missing.push(format!(
            "No national pledge (net-zero year, 2030 milestone) of {} in the tracker.",
            country.name()
        )),
        Some(p) => {
            if p.target_year.is_none() {
                missing.push("The tracked national pledge has no target year.".to_owned());
            }
            if p.milestone_2030.as_deref().is_none_or(|m| m.trim().is_empty()) {
                missing.push(format!(
                    "No 2030 milestone of {} in the tracker: the pathway's 2030 value is shown without a target to compare it with.",
                    country.name()
                ));
            }
        }
    }
    if partnerships.is_empty() {
        missing.push(format!("No partnership of {} in the tracker.", country.name()));
    }
    if projects.is_empty() {
        missing.push(format!("No low-carbon project in {} in the tracker.", country.name()));
    }
}

/// Gathers a country's brief.
pub fn gather(
    country: CountryCode,
    tracker: &Tracker,
    pathway: &Pathway,
    options: BriefOptions,
) -> Result<CountryBrief, BriefError> {
    let mut missing = Vec::new();
    let (ranks, rank_history) = rank_facts(country, options, &mut missing);
    let code = country.as_str();
    let member =
        tracker.members.iter().find(|m| m.kind == "country" && m.country.as_deref() == Some(code)).cloned();
    let companies: Vec<MemberRow> = tracker
        .members
        .iter()
        .filter(|m| m.kind == "company" && m.country.as_deref() == Some(code))
        .cloned()
        .collect();
    let names: BTreeSet<&str> = member.iter().chain(companies.iter()).map(|m| m.name.as_str()).collect();
    let pledges: Vec<PledgeRow> =
        tracker.pledges.iter().filter(|p| names.contains(p.member.as_str())).cloned().collect();
    let partnerships: Vec<PartnershipRow> = tracker
        .partnerships
        .iter()
        .filter(|p| {
            p.parties
                .iter()
                .any(|party| party_country(party) == Some(country) || names.contains(party.as_str()))
        })
        .cloned()
        .collect();
    let projects: Vec<ProjectRow> =
        tracker.projects.iter().filter(|p| p.country.as_deref() == Some(code)).cloned().collect();
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    ids.extend(member.iter().chain(companies.iter()).map(|m| m.source.as_str()));
    ids.extend(pledges.iter().map(|p| p.source.as_str()));
    ids.extend(partnerships.iter().map(|p| p.source.as_str()));
    ids.extend(projects.iter().map(|p| p.source.as_str()));
    let citations = ids.into_iter().map(|id| (id.to_owned(), tracker.citation(id))).collect();

    tracker_gaps(country, member.as_ref(), &pledges, &partnerships, &projects, &mut missing);
    let fleet = fleet(country);
    for sector in Sector::ALL {
        if !fleet.iter().any(|f| f.sector == sector) {
            missing.push(format!("No {sector} capacity of {} in the bundled world fleet.", country.name()));
        }
    }
    let pathway_section = pathway_section(pathway, country);
    if pathway_section.is_none() {
        missing.push(format!(
            "No pathway: {} has no capacity in the fleet of scenario {} for any of its sectors.",
            country.name(),
            pathway.scenario.name
        ));
    }
    let alignment =
        crate::gather::member_alignment(tracker, &pathway.fleet, &pathway.outcome, |m| names.contains(m))?;
    let cbam = cbam_rows(pathway, country)?;
    let exports =
        cbam.as_deref().map_or_else(Vec::new, |rows| export_facts(country, rows, options, &mut missing));
    Ok(CountryBrief {
        country,
        options,
        ranks,
        rank_history,
        tracker_origin: tracker.origin.clone(),
        tracker_bundled_seed: tracker.bundled_seed,
        member,
        companies,
        pledges,
        partnerships,
        projects,
        citations,
        fleet,
        pathway: pathway_section,
        alignment,
        cbam,
        exports,
        missing,
    })
}

/// Renders a country brief as one HTML page.
pub fn render(brief: &CountryBrief) -> String {
    let mut notes = Footnotes::default();
    let name = brief.country.name();
    let stats_note = match brief.options.statistics_up_to {
        Some(year) => format!("production statistics up to {year}"),
        None => "the latest production statistics bundled".to_owned(),
    };
    let scenario =
        brief.pathway.as_ref().map_or(String::new(), |p| format!("; pathway scenario {}", p.scenario));
    let alignment: Vec<&decarb_engine::alignment::Alignment> = brief.alignment.iter().collect();
    let body = html! {
        header.brief {
            p { "decarb country brief" }
            h1 { (name) " (" (brief.country.as_str()) ")" }
            p { "Region: " (brief.country.region().as_str().replace('_', " ")) "; " (stats_note) (scenario) "." }
        }
        (headline(brief, &mut notes))
        (membership(brief, &mut notes))
        (fleet_section(brief, &mut notes))
        (pipeline(brief, &mut notes))
        (pathway_html(brief, &mut notes))
        (crate::alignment::section(&alignment, brief.pathway.as_ref().map_or("", |p| p.scenario.as_str())))
        (cbam_html(brief, &mut notes))
        (view::missing_section(&brief.missing))
        (notes.render())
    };
    view::brief_page(&format!("{name}: decarb country brief"), &body)
}

fn headline(brief: &CountryBrief, notes: &mut Footnotes) -> Markup {
    html! {
        h2 { "Headline facts" }
        ul.facts data-section="headline" {
            @for fact in &brief.ranks {
                li data-sector=(fact.sector) {
                    strong { (fact.headline()) } (notes.cite(&fact.source)) ": " (num(fact.value_kt, 0)) " kt ("
                    (ordinal(fact.rank)) " of " (fact.of) " countries in the statistics)"
                    @if !fact.note.is_empty() { "; " (fact.note) } "."
                }
            }
            @if brief.ranks.is_empty() { li { "No production rank: see what is missing." } }
        }
        (rank_history(brief, notes))
    }
}

fn rank_history(brief: &CountryBrief, notes: &mut Footnotes) -> Markup {
    if brief.rank_history.is_empty() {
        return html! {};
    }
    let mut by_year: BTreeMap<i32, BTreeMap<Sector, &RankFact>> = BTreeMap::new();
    for fact in &brief.rank_history {
        by_year.entry(fact.year).or_default().insert(fact.sector, fact);
    }
    let sectors: Vec<Sector> =
        RANKED_SECTORS.into_iter().filter(|s| brief.rank_history.iter().any(|f| f.sector == *s)).collect();
    let headers: Vec<String> = std::iter::once("year".to_owned())
        .chain(sectors.iter().map(|s| {
            let product = brief.rank_history.iter().find(|f| f.sector == *s).map_or("", |f| f.product);
            format!("{product}: rank (kt)")
        }))
        .collect();
    let rows: Vec<Vec<Markup>> = by_year
        .iter()
        .rev()
        .map(|(year, facts)| {
            std::iter::once(html! { (year) })
                .chain(sectors.iter().map(|s| {
                    let Some(f) = facts.get(s) else { return html! { "–" } };
                    html! {
                        span data-rank={ (s) "-" (year) } { (ordinal(f.rank)) }
                        " (" (num(f.value_kt, 0)) ")" (notes.cite(&f.source))
                    }
                }))
                .collect()
        })
        .collect();
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    html! { h3 { "Production rank by year" } (view::table(&header_refs, &[], &rows)) }
}

fn tracker_cite(brief: &CountryBrief, notes: &mut Footnotes, id: &str) -> Markup {
    let text = brief.citations.get(id).cloned().unwrap_or_else(|| format!("tracker source {id}"));
    notes.cite(&text)
}

fn membership(brief: &CountryBrief, notes: &mut Footnotes) -> Markup {
    let member = brief.member.as_ref().map(|m| {
        let when = m.joined.as_deref().map_or_else(
            || {
                m.known_from
                    .as_deref()
                    .map_or("date not known".to_owned(), |d| format!("named as a member from {d}"))
            },
            |d| format!("joined {d}"),
        );
        html! { p data-testid="member" { (m.name) " is a member country: " (when) (tracker_cite(brief, notes, &m.source)) "." } }
    });
    let companies: Vec<Vec<Markup>> = brief
        .companies
        .iter()
        .map(|m| {
            vec![
                html! { (m.name) (tracker_cite(brief, notes, &m.source)) },
                html! { (opt(m.joined.as_deref().or(m.known_from.as_deref()))) },
            ]
        })
        .collect();
    html! {
        h2 { "Membership, pledges and partnerships" }
        p.note { "From the " (brief.tracker_origin) "." }
        @match member {
            Some(member) => (member),
            None => p { (brief.country.name()) " is not a member country in the tracker." },
        }
        @if !companies.is_empty() {
            h3 { "Member companies headquartered here" }
            (view::table(&["company", "joined / known from"], &[], &companies))
        }
        (pledges_and_partnerships(brief, notes))
    }
}

fn pledges_and_partnerships(brief: &CountryBrief, notes: &mut Footnotes) -> Markup {
    let pledges: Vec<Vec<Markup>> = brief
        .pledges
        .iter()
        .map(|p| {
            vec![
                html! { (p.member) },
                html! { (opt_num(p.target_year)) (tracker_cite(brief, notes, &p.source)) },
                html! { (p.metric) },
                html! { (p.scope) },
                html! { (opt(p.milestone_2030.as_deref())) },
                html! {
                    (opt(p.status.as_deref()))
                    @if !p.verified { " (not verified against the member's own text)" }
                },
            ]
        })
        .collect();
    let partnerships: Vec<Vec<Markup>> = brief
        .partnerships
        .iter()
        .map(|p| {
            vec![
                html! { (p.name) (tracker_cite(brief, notes, &p.source)) },
                html! { (p.kind) },
                html! { (p.parties.join(", ")) },
                html! { (opt(p.started.as_deref())) },
                html! { (opt(p.parent.as_deref())) },
            ]
        })
        .collect();
    html! {
        @if !pledges.is_empty() {
            h3 { "Pledges" }
            (view::table(&["member", "target year", "metric", "scope", "2030 milestone", "status"], &[1], &pledges))
        }
        @if !partnerships.is_empty() {
            h3 { "Partnerships" }
            (view::table(&["partnership", "kind", "parties", "started", "part of"], &[], &partnerships))
        }
    }
}

fn fleet_section(brief: &CountryBrief, notes: &mut Footnotes) -> Markup {
    if brief.fleet.is_empty() {
        return html! {
            h2 { "Fleet by route and age, and the reinvestment wave" }
            p { "The bundled world fleet holds no capacity in " (brief.country.name()) "." }
        };
    }
    let intro = html! {
        h2 { "Fleet by route and age, and the reinvestment wave" }
        p.note {
            "Capacity of the bundled default world (operating, by age cohort)" (notes.cite(WORLD_FLEET))
            "; each cohort reaches its next main reinvestment (blast-furnace relining, kiln or cell rebuild) every \
             cycle of its base-year technology, counted from its start year, the first after " (world::BASE_YEAR)
            (notes.cite("decarb pathway engine rule (crates/decarb-engine/src/start.rs, next_investment_point): start year + k x reinvestment cycle, first after the base year; the engine adds a seeded jitter of a few years which the brief leaves out"))
            ". Capacity reaching that point by 2030 or by 2040 must be relined on the same route or replaced in \
             that window."
        }
    };
    let sectors: Vec<Sector> =
        Sector::ALL.into_iter().filter(|s| brief.fleet.iter().any(|f| f.sector == *s)).collect();
    let mut charts = Vec::new();
    let mut wave_rows = Vec::new();
    for sector in &sectors {
        let rows: Vec<&FleetCohort> = brief.fleet.iter().filter(|f| f.sector == *sector).collect();
        charts.push(cohort_chart(*sector, &rows, notes));
        let routes: BTreeSet<&str> = rows.iter().map(|f| f.route.as_str()).collect();
        for route in routes {
            let of_route: Vec<&FleetCohort> = rows.iter().copied().filter(|f| f.route == route).collect();
            wave_rows.push(wave_row(*sector, route, &of_route, notes));
        }
    }
    let headers = [
        "sector",
        "route",
        "capacity, Mt/yr",
        "reinvestment cycle (base-year technology)",
        "reaching an investment point by 2030, Mt/yr",
        "by 2040, Mt/yr",
        "reaching end of life by 2030, Mt/yr",
        "by 2040, Mt/yr",
    ];
    html! {
        (intro)
        @for chart in &charts { (chart) }
        h3 { "Reinvestment wave" (notes.cite(WORLD_FLEET)) }
        (view::table(&headers, &[2, 4, 5, 6, 7], &wave_rows))
    }
}

/// A sector's capacity by age cohort (columns: the source's cohort labels, oldest first; a label
/// may stand for several representative start years when processes differ) and route.
fn cohort_chart(sector: Sector, rows: &[&FleetCohort], notes: &mut Footnotes) -> Markup {
    let routes: Vec<String> =
        rows.iter().map(|f| f.route.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    let mut cohorts: Vec<(i32, &str)> = Vec::new();
    for f in rows {
        match cohorts.iter_mut().find(|(_, label)| *label == f.cohort) {
            Some((year, _)) => *year = (*year).min(f.start_year),
            None => cohorts.push((f.start_year, f.cohort.as_str())),
        }
    }
    cohorts.sort_unstable();
    let categories: Vec<String> = cohorts.iter().map(|(_, label)| (*label).to_owned()).collect();
    let series: Vec<(String, Vec<f64>)> = routes
        .iter()
        .map(|route| {
            let values = cohorts
                .iter()
                .map(|(_, label)| {
                    rows.iter()
                        .filter(|f| &f.route == route && f.cohort == *label)
                        .map(|f| f.capacity_kt / 1000.0)
                        .sum()
                })
                .collect();
            (route.clone(), values)
        })
        .collect();
    let sources: BTreeSet<&str> = rows.iter().map(|f| f.source.as_str()).collect();
    let caption = html! { (sector) " capacity by age cohort and route, Mt/yr" (notes.cite_all(sources)) };
    chart::stacked(&Frame::Print { unit: "Mt/yr", caption }, &categories, &series)
}

/// One route's row of the reinvestment wave.
fn wave_row(sector: Sector, route: &str, of_route: &[&FleetCohort], notes: &mut Footnotes) -> Vec<Markup> {
    let total: f64 = of_route.iter().map(|f| f.capacity_kt).sum();
    let mt = |v: f64| html! { (num(v / 1000.0, 1)) };
    if of_route.iter().all(|f| f.cycle_years.is_none()) {
        let dash = || html! { "–" };
        return vec![
            html! { (sector) },
            html! { (route) },
            mt(total),
            html! { "no technology of its own (no kiln): no main reinvestment" },
            dash(),
            dash(),
            dash(),
            dash(),
        ];
    }
    let sum = |reached: &dyn Fn(&FleetCohort) -> bool| -> f64 {
        of_route.iter().filter(|f| reached(f)).map(|f| f.capacity_kt).sum()
    };
    let by = |year: i32| sum(&|f| f.next_investment.is_some_and(|y| y <= year));
    let end_by = |year: i32| sum(&|f| f.end_of_life().is_some_and(|y| y <= year));
    let cycles: BTreeSet<(Option<i32>, Option<i32>, &str, &str)> = of_route
        .iter()
        .map(|f| (f.cycle_years, f.lifetime_years, f.technology.as_str(), f.cycle_source.as_str()))
        .collect();
    let cycles: Vec<Markup> = cycles
        .iter()
        .filter_map(|(c, life, tech, source)| {
            let c = (*c)?;
            Some(html! {
                "every " (c) " y" @if let Some(l) = life { ", life " (l) " y" } " (" (tech) ")"
                @if !source.is_empty() { (notes.cite(source)) }
            })
        })
        .collect();
    vec![
        html! { (sector) },
        html! { (route) },
        mt(total),
        html! { @for (i, c) in cycles.iter().enumerate() { @if i > 0 { "; " } (c) } },
        html! { span data-wave={ (sector) "-" (route) "-2030" } { (num(by(2030) / 1000.0, 1)) } },
        html! { span data-wave={ (sector) "-" (route) "-2040" } { (num(by(2040) / 1000.0, 1)) } },
        mt(end_by(2030)),
        mt(end_by(2040)),
    ]
}

fn pipeline(brief: &CountryBrief, notes: &mut Footnotes) -> Markup {
    if brief.projects.is_empty() {
        return html! {
            h2 { "Low-carbon project pipeline" }
            p { "The tracker holds no low-carbon project in " (brief.country.name()) "." }
        };
    }
    let mut by_stage: Vec<(String, f64)> = Vec::new();
    for stage in ProjectStage::ALL {
        let count = brief.projects.iter().filter(|p| p.stage == stage.as_str()).count();
        if count > 0 {
            by_stage.push((stage.as_str().to_owned(), count as f64));
        }
    }
    let others =
        brief.projects.iter().filter(|p| ProjectStage::ALL.iter().all(|s| s.as_str() != p.stage)).count();
    if others > 0 {
        by_stage.push(("other".to_owned(), others as f64));
    }
    let origin =
        notes.cite(&format!("decarb tracker: {}; each project's source in the table", brief.tracker_origin));
    let caption = html! { "Projects by stage" (origin) };
    let mut projects: Vec<&ProjectRow> = brief.projects.iter().collect();
    projects.sort_by_key(|p| {
        (ProjectStage::ALL.iter().position(|s| s.as_str() == p.stage).unwrap_or(usize::MAX), p.name.clone())
    });
    let rows: Vec<Vec<Markup>> = projects
        .iter()
        .map(|p| {
            vec![
                html! { (p.name) (tracker_cite(brief, notes, &p.source)) },
                html! { (p.sector) },
                html! { (p.technology) },
                html! { (p.stage) },
                match (p.capacity_value, &p.capacity_unit) {
                    (Some(v), Some(u)) => html! { (num(v, 2)) " " (u) },
                    (Some(v), None) => html! { (num(v, 2)) },
                    _ => html! { "–" },
                },
                html! { (opt(p.start.as_deref())) },
            ]
        })
        .collect();
    html! {
        h2 { "Low-carbon project pipeline" }
        (chart::hbars(&Frame::Print { unit: "projects", caption }, &by_stage))
        (view::table(&["project", "sector", "technology", "stage", "capacity", "start"], &[4], &rows))
    }
}

/// Totals over sectors for each year of the path.
fn totals(section: &PathwaySection) -> Vec<PathYear> {
    let mut by_year: BTreeMap<i32, PathYear> = BTreeMap::new();
    for sector in &section.sectors {
        for y in &sector.years {
            let t = by_year.entry(y.year).or_insert(PathYear { year: y.year, ..PathYear::default() });
            t.direct_mt += y.direct_mt;
            t.captured_mt += y.captured_mt;
            t.hydrogen_mt += y.hydrogen_mt;
            t.clean_twh += y.clean_twh;
            t.stored_mt += y.stored_mt;
            t.capex_busd += y.capex_busd;
        }
    }
    by_year.into_values().collect()
}

fn pathway_html(brief: &CountryBrief, notes: &mut Footnotes) -> Markup {
    let Some(section) = &brief.pathway else {
        return html! { h2 { "Pathway" } p { "No pathway: see what is missing." } };
    };
    let shares: Vec<String> =
        section.sectors.iter().map(|s| format!("{} {:.1} %", s.sector, 100.0 * s.share)).collect();
    let method = format!(
        "decarb pathway engine, scenario {} ({}, seed {}) on the bundled default world. Production and emissions of {} \
         are those of its own plants in the run (decarb_engine::breakdown::country_pathway: the country's plants, plus \
         plants the engine builds in its region and assigns to the country with the most capacity there); the engine \
         reports resource use (hydrogen, clean power, CO2 stored) and capex by region only, so those are its region's \
         ({}) times the country's share of the region's production each year (base year: {}). Emissions boundary: {}",
        section.scenario,
        section.origin,
        section.seed,
        brief.country.name(),
        section.region.as_str(),
        shares.join(", "),
        section.boundary
    );
    let cite = notes.cite(&method);
    let totals = totals(section);
    let country_pledge =
        brief.member.as_ref().and_then(|m| brief.pledges.iter().find(|p| p.member == m.name));
    let net_zero = country_pledge.and_then(|p| p.target_year).and_then(|y| i32::try_from(y).ok());
    html! {
        h2 { "Pathway" }
        p { "Scenario " strong { (section.scenario) } ": " (section.description) (cite) }
        (path_facts(brief, section, &totals, country_pledge, &cite, notes))
        (path_chart(section, &totals, net_zero, &cite))
        (needs_table(&totals, &cite))
    }
}

/// The path's facts: emissions in the base year, 2030 and the end year, the country's pledge
/// against them, and the investment.
fn path_facts(
    brief: &CountryBrief,
    section: &PathwaySection,
    totals: &[PathYear],
    pledge: Option<&PledgeRow>,
    cite: &Markup,
    notes: &mut Footnotes,
) -> Markup {
    let at = |year: i32| totals.iter().find(|t| t.year == year).copied();
    let (Some(base), Some(y2030), Some(end)) = (at(section.base_year), at(2030), at(section.end_year)) else {
        return html! {};
    };
    let change =
        |v: f64| if base.direct_mt > 0.0 { 100.0 * (v - base.direct_mt) / base.direct_mt } else { 0.0 };
    let capex = |from: i32, to: i32| -> f64 {
        totals.iter().filter(|t| t.year >= from && t.year <= to).map(|t| t.capex_busd).sum()
    };
    html! {
        ul.facts {
            li {
                "Direct emissions of the " (section.sectors.len()) " sectors: "
                span data-testid="direct-base" { (num(base.direct_mt, 1)) } " Mt CO2 in " (section.base_year) ", "
                span data-testid="direct-2030" { (num(y2030.direct_mt, 1)) } " Mt in 2030 (" (num(change(y2030.direct_mt), 0))
                " %), " (num(end.direct_mt, 1)) " Mt in " (section.end_year) " (" (num(change(end.direct_mt), 0)) " %)"
                (cite) "."
            }
            @match pledge {
                Some(p) => (pledge_facts(brief, section, p, base.direct_mt, &at, notes)),
                None => li { "No national pledge in the tracker to compare the path with." },
            }
            li {
                "Investment (capital expenditure of the path): USD " (num(capex(section.base_year + 1, 2030), 1))
                " bn in " (section.base_year + 1) "-2030, USD " (num(capex(2031, section.end_year), 1)) " bn in 2031-"
                (section.end_year) (cite) "."
            }
        }
    }
}

/// The country's pledge against the path: its 2030 milestone and its net-zero year.
fn pledge_facts(
    brief: &CountryBrief,
    section: &PathwaySection,
    p: &PledgeRow,
    base_mt: f64,
    at: &dyn Fn(i32) -> Option<PathYear>,
    notes: &mut Footnotes,
) -> Markup {
    let pledge_cite = tracker_cite(brief, notes, &p.source);
    let net_zero = p.target_year.and_then(|y| i32::try_from(y).ok());
    html! {
        @match p.milestone_2030.as_deref().filter(|m| !m.trim().is_empty()) {
            Some(m) => li {
                "2030 milestone pledged (" (p.scope) " scope, " (p.metric) "): " (m) (pledge_cite)
                ". The path above covers the industrial direct emissions only."
            },
            None => li { "No 2030 milestone in the tracker to compare the 2030 value with." },
        }
        @if let Some(year) = net_zero {
            @let judged = year.min(section.end_year);
            @let residual = at(judged).map_or(f64::NAN, |t| t.direct_mt);
            li {
                "Net zero pledged for " (year) " (" (p.metric) ")" (pledge_cite) "; on this path the sectors still emit "
                (num(residual, 1)) " Mt CO2 in " (judged) " ("
                (num(if base_mt > 0.0 { 100.0 * residual / base_mt } else { 0.0 }, 0)) " % of " (section.base_year)
                "), with " (num(at(judged).map_or(f64::NAN, |t| t.captured_mt), 1)) " Mt captured."
            }
        }
    }
}

fn path_chart(section: &PathwaySection, totals: &[PathYear], net_zero: Option<i32>, cite: &Markup) -> Markup {
    let mut series: Vec<Series> = section
        .sectors
        .iter()
        .map(|s| Series {
            name: s.sector.to_string(),
            points: s.years.iter().map(|y| (f64::from(y.year), y.direct_mt)).collect(),
            band: vec![],
        })
        .collect();
    if section.sectors.len() > 1 {
        let points = totals.iter().map(|t| (f64::from(t.year), t.direct_mt)).collect();
        series.push(Series { name: "total".to_owned(), points, band: vec![] });
    }
    let markers = [
        (2030.0, "2030".to_owned()),
        (
            f64::from(net_zero.unwrap_or(2050)),
            if net_zero.is_some() { "net zero (pledged)".to_owned() } else { "2050".to_owned() },
        ),
    ];
    let caption = html! { "Direct emissions on the path, Mt CO2" (cite) };
    chart::lines(&Frame::Print { unit: "Mt CO2 (direct)", caption }, "", &series, &markers)
}

/// A pathway table's rows, every fifth year: the year, then `cells` of that year (the needs
/// tables of the country and sector briefs).
pub(crate) fn five_yearly<T>(
    years: &[T],
    year: impl Fn(&T) -> i32,
    cells: impl Fn(&T) -> [String; 6],
) -> Vec<Vec<Markup>> {
    years
        .iter()
        .filter(|t| year(t) % 5 == 0)
        .map(|t| std::iter::once(year(t).to_string()).chain(cells(t)).map(|cell| html! { (cell) }).collect())
        .collect()
}

fn needs_table(totals: &[PathYear], cite: &Markup) -> Markup {
    let rows = five_yearly(
        totals,
        |t| t.year,
        |t| {
            [
                num(t.direct_mt, 1),
                num(t.captured_mt, 1),
                num(t.hydrogen_mt, 2),
                num(t.clean_twh, 1),
                num(t.stored_mt, 1),
                num(t.capex_busd, 2),
            ]
        },
    );
    let headers = [
        "year",
        "direct CO2, Mt",
        "captured CO2, Mt",
        "hydrogen, Mt",
        "clean electricity, TWh",
        "CO2 stored, Mt",
        "investment, USD bn",
    ];
    html! {
        h3 { "Needs on the path (all sectors)" (cite) }
        (view::table(&headers, &[1, 2, 3, 4, 5, 6], &rows))
    }
}

fn cbam_html(brief: &CountryBrief, notes: &mut Footnotes) -> Markup {
    let Some(rows) = &brief.cbam else {
        return html! {
            h2 { "Border-cost exposure (EU CBAM)" }
            p {
                (brief.country.name()) " is in the EU or in Annex III of Regulation (EU) 2023/956: its goods carry no CBAM obligation"
                (notes.cite("Regulation (EU) 2023/956, Annex III pt 1 (decarb-cbam, origin.rs)")) "."
            }
        };
    };
    if rows.is_empty() {
        return html! {
            h2 { "Border-cost exposure (EU CBAM)" }
            p { "No CBAM cost: the pathway has no production of a CBAM good here." }
        };
    }
    let price = Facts::bundled()
        .map_or_else(|_| "no published certificate price".into(), decarb_cbam::price::last_published_text);
    let cite = notes.cite(&format!(
        "decarb-cbam bundled legal tables (Reg. (EU) 2023/956; IR 2025/2547, 2025/2620, 2025/2621 as corrected by IR 2026/1740; docs/CBAM.md): \
         cost per tonne of the representative good exported to the EU on the actual-data path, with the intensity of the country's own plants on the pathway \
         (direct emissions; direct + indirect for cement and fertilisers) taken as verified actual embedded emissions; Column A benchmark; \
         {price} held for every year; years after 2034 hold the last published band",
    ));
    let table_rows: Vec<Vec<Markup>> = rows
        .iter()
        .map(|r| {
            vec![
                html! { (r.sector) },
                html! { (r.good) },
                html! { (r.year) },
                html! { (r.intensity.round_dp(3)) },
                html! { (r.certificates_per_tonne.round_dp(3)) },
                html! { (num(euros(r.cost_eur_per_tonne), 2)) (cite) },
            ]
        })
        .collect();
    let headers = [
        "sector",
        "CN good",
        "year",
        "intensity, t CO2/t",
        "certificates per tonne",
        "CBAM cost, EUR per tonne",
    ];
    html! {
        h2 { "Border-cost exposure (EU CBAM)" }
        (view::table(&headers, &[2, 3, 4, 5], &table_rows))
        @for export in &brief.exports { (exposure(brief, export, rows, &cite, notes)) }
    }
}

/// A cost per tonne in euros rounded to the cent, as a float for display (NaN, shown as "–", if
/// the decimal does not fit a float).
fn euros(cost: Decimal) -> f64 {
    cost.round_dp(2).to_string().parse::<f64>().unwrap_or(f64::NAN)
}

/// The upper bound of the CBAM cost of one sector's exports: all of them to the EU.
fn exposure(
    brief: &CountryBrief,
    export: &ExportFact,
    rows: &[CbamRow],
    cite: &Markup,
    notes: &mut Footnotes,
) -> Markup {
    let export_cite = notes.cite(&export.source);
    let costs: Vec<(i32, f64)> = rows
        .iter()
        .filter(|r| r.sector == export.sector)
        .map(|r| (r.year, euros(r.cost_eur_per_tonne)))
        .filter(|(_, per_tonne)| per_tonne.is_finite())
        .collect();
    html! {
        p {
            "Exposure, upper bound: " (brief.country.name()) " exported " (num(export.exports_kt, 0)) " kt of "
            (export.product) " in " (export.year) (export_cite) "; if all of it went to the EU at the cost per tonne above"
            (cite) ", the CBAM would cost "
            @for (i, (year, per_tonne)) in costs.iter().enumerate() {
                @if i > 0 { ", " }
                span data-exposure={ (export.sector) "-" (year) } { "EUR " (num(export.exports_kt * 1000.0 * per_tonne / 1e6, 0)) " m" }
                " in " (year)
            }
            "."
        }
    }
}
