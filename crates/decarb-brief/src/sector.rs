//! The sector brief: the largest producers (latest statistics, with publisher and year), the
//! bundled fleet by region and route with the reinvestment wave, the tracker's project pipeline
//! of the sector, the world pathway of the scenario and the members with production in it.

// A brief's sections are HTML templates read top to bottom; splitting them would scatter the markup.
#![allow(clippy::too_many_lines)]

use crate::country::{BriefOptions, five_yearly, publisher};
use crate::gather::{Pathway, Tracker};
use crate::view::{self, Footnotes, Frame, Series, chart, num, ordinal};
use decarb_data::{facts, world};
use decarb_engine::outcome::Resource;
use decarb_engine::start;
use decarb_model::tracker::ProjectStage;
use decarb_model::{Region, Sector};
use decarb_store::ProjectRow;
use maud::{Markup, html};
use std::collections::{BTreeMap, BTreeSet};

/// A producer in the sector's latest ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct Producer {
    pub rank: usize,
    pub country: decarb_model::CountryCode,
    pub value_kt: f64,
    pub member: bool,
    pub source: String,
}

/// One year of the world pathway of the sector.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct WorldYear {
    pub year: i32,
    pub production_mt: f64,
    pub direct_mt: f64,
    pub hydrogen_mt: f64,
    pub clean_twh: f64,
    pub stored_mt: f64,
    pub capex_busd: f64,
}

#[derive(Debug, Clone)]
pub struct SectorBrief {
    pub sector: Sector,
    pub product: String,
    pub ranking_year: Option<i32>,
    pub producers: Vec<Producer>,
    /// Capacity kt/yr by region and route (bundled world).
    pub capacity: BTreeMap<(Region, String), f64>,
    /// Capacity kt/yr by route reaching an investment point by 2030 and by 2040, and in total.
    pub wave: BTreeMap<String, (f64, f64, f64)>,
    pub projects: Vec<ProjectRow>,
    pub tracker_origin: String,
    pub citations: BTreeMap<String, String>,
    pub scenario: String,
    pub scenario_origin: String,
    pub path: Vec<WorldYear>,
    pub missing: Vec<String>,
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// How many producers the brief lists.
const TOP: usize = 15;

/// Capacity kt/yr by region and route.
type Capacity = BTreeMap<(Region, String), f64>;
/// Capacity kt/yr by route reaching an investment point by 2030 and by 2040, and in total.
type Wave = BTreeMap<String, (f64, f64, f64)>;

/// Capacity kt/yr by region and route, and by route the capacity reaching an investment point
/// by 2030 and by 2040 and in total (the engine's rule: `decarb_engine::start`).
fn fleet_and_wave(sector: Sector) -> (Capacity, Wave) {
    let rules = start::default_start_rules();
    let mut capacity = BTreeMap::new();
    let mut wave: BTreeMap<String, (f64, f64, f64)> = BTreeMap::new();
    for row in world::fleet_rows().iter().filter(|r| r.sector == sector) {
        let route = row.route.as_str().to_owned();
        *capacity.entry((row.country.region(), route.clone())).or_insert(0.0) += row.capacity.0 / 1000.0;
        // Capacity without a technology of its own (grinding stations) never reinvests.
        let Some(cycle) = start::main_start_technology(&rules, row.route, row.country, row.process_name())
            .and_then(|id| facts::technology(id.as_str()))
            .map(|t| crate::country::whole_years(t.reinvestment_cycle))
        else {
            continue;
        };
        let next =
            start::next_investment_point(row.start_year.min(world::BASE_YEAR), cycle, world::BASE_YEAR);
        let entry = wave.entry(route).or_insert((0.0, 0.0, 0.0));
        let kt = row.capacity.0 / 1000.0;
        if next <= 2030 {
            entry.0 += kt;
        }
        if next <= 2040 {
            entry.1 += kt;
        }
        entry.2 += kt;
    }
    (capacity, wave)
}

pub fn gather(sector: Sector, tracker: &Tracker, pathway: &Pathway, options: BriefOptions) -> SectorBrief {
    let mut missing = Vec::new();
    let members: BTreeSet<&str> =
        tracker.members.iter().filter(|m| m.kind == "country").filter_map(|m| m.country.as_deref()).collect();
    let (product, ranking_year, producers) = match facts::production(sector) {
        Ok(table) => {
            let year =
                table.years().into_iter().filter(|y| options.statistics_up_to.is_none_or(|u| *y <= u)).max();
            let producers = year
                .and_then(|y| table.rank(y).ok())
                .unwrap_or_default()
                .into_iter()
                .take(TOP)
                .map(|r| Producer {
                    rank: r.rank,
                    country: r.country,
                    value_kt: r.value,
                    member: members.contains(r.country.as_str()),
                    source: r.source,
                })
                .collect();
            (table.product.to_owned(), year, producers)
        }
        Err(err) => {
            missing.push(format!("No production ranking: {err}."));
            (sector.product().to_owned(), None, Vec::new())
        }
    };
    let (capacity, wave) = fleet_and_wave(sector);
    if capacity.is_empty() {
        missing.push(format!("No {sector} capacity in the bundled world fleet."));
    }
    let projects: Vec<ProjectRow> =
        tracker.projects.iter().filter(|p| p.sector == sector.as_str()).cloned().collect();
    if projects.is_empty() {
        missing.push(format!("No {sector} project in the tracker."));
    }
    let citations =
        projects.iter().map(|p| (p.source.clone(), tracker.citation(&p.source))).collect::<BTreeMap<_, _>>();
    let outcome = &pathway.outcome;
    let mut path = Vec::new();
    for row in outcome.summary.iter().filter(|r| r.sector == sector && r.region.is_none()) {
        let resource = |wanted: Resource| -> f64 {
            outcome
                .resources
                .iter()
                .filter(|r| {
                    r.year == row.year && r.sector == sector && r.region.is_none() && r.resource == wanted
                })
                .map(|r| r.quantity)
                .sum()
        };
        path.push(WorldYear {
            year: row.year,
            production_mt: row.production.0 / 1e6,
            direct_mt: row.direct_emissions.0 / 1e6,
            hydrogen_mt: resource(Resource::HydrogenMass) / 1e6,
            clean_twh: resource(Resource::CleanElectricity) / 1e6,
            stored_mt: resource(Resource::Co2Stored) / 1e6,
            capex_busd: row.capex.0 / 1e9,
        });
    }
    if path.is_empty() {
        missing.push(format!("Scenario {} does not cover {sector}.", pathway.scenario.name));
    }
    SectorBrief {
        sector,
        product,
        ranking_year,
        producers,
        capacity,
        wave,
        projects,
        tracker_origin: tracker.origin.clone(),
        citations,
        scenario: pathway.scenario.name.clone(),
        scenario_origin: pathway.origin.clone(),
        path,
        missing,
    }
}

pub fn render(brief: &SectorBrief) -> String {
    let mut notes = Footnotes::default();
    let body = html! {
        header.brief {
            p { "decarb sector brief" }
            h1 { (capitalised(&brief.sector.to_string())) }
            p { (brief.product) "; pathway scenario " (brief.scenario) "." }
        }
        (producers(brief, &mut notes))
        (fleet(brief, &mut notes))
        (pipeline(brief, &mut notes))
        (world_path(brief, &mut notes))
        (view::missing_section(&brief.missing))
        (notes.render())
    };
    view::brief_page(&format!("{}: decarb sector brief", brief.sector), &body)
}

fn producers(brief: &SectorBrief, notes: &mut Footnotes) -> Markup {
    let Some(year) = brief.ranking_year else {
        return html! { h2 { "Largest producers" } };
    };
    let first = brief.producers.first().map(|p| p.source.clone()).unwrap_or_default();
    let cite = notes.cite(&first);
    let rows: Vec<Vec<Markup>> = brief
        .producers
        .iter()
        .map(|p| {
            vec![
                html! { (ordinal(p.rank)) },
                html! { @if p.member { strong { (p.country.name()) } } @else { (p.country.name()) } },
                html! { (num(p.value_kt, 0)) (notes.cite(&p.source)) },
            ]
        })
        .collect();
    html! {
        h2 { "Largest producers" }
        p { (brief.product) " production in " (year) " (" (publisher(&first)) ")" (cite) "; members of the group in bold." }
        (view::table(&["rank", "country", "production, kt"], &[2], &rows))
    }
}

fn fleet(brief: &SectorBrief, notes: &mut Footnotes) -> Markup {
    let fleet_cite = notes.cite(
        "decarb default world, crates/decarb-data/world/README.md (fleet tables with a source on every row)",
    );
    let regions: Vec<Region> =
        Region::ALL.into_iter().filter(|r| brief.capacity.keys().any(|(g, _)| g == r)).collect();
    let routes: Vec<String> =
        brief.capacity.keys().map(|(_, r)| r.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    let series: Vec<(String, Vec<f64>)> = routes
        .iter()
        .map(|route| {
            (
                route.clone(),
                regions
                    .iter()
                    .map(|g| brief.capacity.get(&(*g, route.clone())).copied().unwrap_or(0.0) / 1000.0)
                    .collect(),
            )
        })
        .collect();
    let labels: Vec<String> = regions.iter().map(|r| r.as_str().replace('_', " ")).collect();
    let caption = html! { "Capacity by region and route, Mt/yr" (fleet_cite) };
    let cycle_cite = notes.cite("decarb pathway engine rule: start year + k x reinvestment cycle of the base-year technology (bundled technology table), first after the base year, without the engine's seeded jitter");
    let rows: Vec<Vec<Markup>> = brief
        .wave
        .iter()
        .map(|(route, (b30, b40, total))| {
            vec![
                html! { (route) },
                html! { (num(total / 1000.0, 1)) },
                html! { (num(b30 / 1000.0, 1)) (cycle_cite) },
                html! { (num(b40 / 1000.0, 1)) },
            ]
        })
        .collect();
    html! {
        h2 { "Fleet by region and route, and the reinvestment wave" }
        (chart::stacked(&Frame::Print { unit: "Mt/yr", caption }, &labels, &series))
        (view::table(&["route", "capacity, Mt/yr", "reaching an investment point by 2030", "by 2040"], &[1, 2, 3], &rows))
    }
}

fn pipeline(brief: &SectorBrief, notes: &mut Footnotes) -> Markup {
    let mut by_stage = Vec::new();
    for stage in ProjectStage::ALL {
        let n = brief.projects.iter().filter(|p| p.stage == stage.as_str()).count();
        if n > 0 {
            by_stage.push((stage.as_str().to_owned(), n as f64));
        }
    }
    if by_stage.is_empty() {
        return html! { h2 { "Low-carbon project pipeline" } };
    }
    let caption =
        html! { "Projects by stage" (notes.cite(&format!("decarb tracker: {}", brief.tracker_origin))) };
    let rows: Vec<Vec<Markup>> = brief
        .projects
        .iter()
        .map(|p| {
            let source = brief.citations.get(&p.source).cloned().unwrap_or_else(|| p.source.clone());
            vec![
                html! { (p.name) (notes.cite(&source)) },
                html! { (p.country_text) },
                html! { (p.stage) },
                html! { (p.technology) },
            ]
        })
        .collect();
    html! {
        h2 { "Low-carbon project pipeline" }
        (chart::hbars(&Frame::Print { unit: "projects", caption }, &by_stage))
        (view::table(&["project", "country", "stage", "technology"], &[], &rows))
    }
}

fn world_path(brief: &SectorBrief, notes: &mut Footnotes) -> Markup {
    if brief.path.is_empty() {
        return html! { h2 { "World pathway" } };
    }
    let cite = notes.cite(&format!(
        "decarb pathway engine, scenario {} ({}) on the bundled default world; {}",
        brief.scenario,
        brief.scenario_origin,
        decarb_engine::outcome::EMISSIONS_BOUNDARY
    ));
    let series = [Series {
        name: "direct CO2".to_owned(),
        points: brief.path.iter().map(|y| (f64::from(y.year), y.direct_mt)).collect(),
        band: vec![],
    }];
    let markers = [(2030.0, "2030".to_owned()), (2050.0, "2050".to_owned())];
    let caption = html! { "World direct emissions, Mt CO2" (cite) };
    let rows = five_yearly(
        &brief.path,
        |y| y.year,
        |y| {
            [
                num(y.production_mt, 0),
                num(y.direct_mt, 0),
                num(y.hydrogen_mt, 1),
                num(y.clean_twh, 0),
                num(y.stored_mt, 0),
                num(y.capex_busd, 1),
            ]
        },
    );
    let headers = [
        "year",
        "production, Mt",
        "direct CO2, Mt",
        "hydrogen, Mt",
        "clean electricity, TWh",
        "CO2 stored, Mt",
        "investment, USD bn",
    ];
    html! {
        h2 { "World pathway" }
        (chart::lines(&Frame::Print { unit: "Mt CO2", caption }, "", &series, &markers))
        (view::table(&headers, &[1, 2, 3, 4, 5, 6], &rows))
    }
}
