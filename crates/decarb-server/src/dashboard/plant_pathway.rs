//! A tracker plant's own pathway in a scenario, for its page (`/plants/{id}?scenario=`): the
//! bundled world is plant-level (a GEM GIST plant is one row per steelmaking route, an SFI cement
//! plant one row), and a run records every plant's yearly production, emissions and decisions
//! (`decarb_engine::outcome::PlantPathway`). The store plant finds its rows through the ids it was
//! known by (`decarb_data::world::tracker_record`); the run comes from the server's caches
//! (`api::scenarios::run_text_with_plants`), so a page never reruns a scenario that is kept.

use crate::AppState;
use crate::api::scenarios::{PlantResults, run_text_with_plants};
use crate::problem::ApiError;
use decarb_brief::view::{self, Dataset, Frame, Series, chart, num_cell};
use decarb_data::world::{self, TrackerRecord};
use decarb_store::PlantDetail;
use maud::{Markup, html};
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

/// The plant's own pathway in one scenario: each of its units in the bundled world.
#[derive(Debug, Serialize)]
pub struct OwnPathway {
    pub scenario: String,
    /// The run's id (`GET /api/v1/scenarios/{id}`).
    pub run: String,
    /// Which units the bundled world has of this plant, or why it has none, in words.
    pub note: String,
    pub units: Vec<UnitPathway>,
}

/// One unit (a row of the bundled world's plant table) and what the run did with it.
#[derive(Debug, Serialize)]
pub struct UnitPathway {
    /// Its id in the bundled world and in the run's results (`world.steel.SWE.P100000120845.bf-bof`).
    pub id: String,
    /// Its row id in the plant table (GEM plant id x route, SFI uid).
    pub table_id: String,
    pub route: String,
    pub status: String,
    pub capacity_tpa: f64,
    /// Why the run has no pathway of it (its sector not run, left out), when it has none.
    pub note: Option<String>,
    /// Every year of the run, technology at the end of the year (`null`: not open).
    pub years: Vec<UnitYear>,
    /// Its investment points and other decisions, in year order.
    pub decisions: Vec<UnitDecision>,
}

#[derive(Debug, Serialize)]
pub struct UnitYear {
    pub year: i32,
    pub technology: Option<String>,
    pub production_t: f64,
    pub capacity_tpa: f64,
    /// Scope 1 after capture, t CO2.
    pub direct_emissions_t: f64,
    pub captured_t: f64,
    pub indirect_emissions_t: f64,
}

#[derive(Debug, Serialize)]
pub struct UnitDecision {
    pub year: i32,
    /// `renewal`, `switch`, `rebuild`, `retire-end-of-life`, `close-demand`, `commissioned`,
    /// `kept-no-option` (docs/scenario-format.md).
    pub reason: String,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Resource limits that refused better-ranked options (`resource@region`).
    pub limited_by: Vec<String>,
}

/// The tracker records a store plant was known by, as the bundled world names them: GEM GIST
/// plant ids (a status slice `P...~announced` is its site's) and SFI uids with their occurrence.
fn tracker_records(phases: &[PlantDetail]) -> BTreeSet<TrackerRecord<'_>> {
    phases
        .iter()
        .flat_map(|d| d.ids.iter())
        .filter_map(|(scheme, id, occurrence, _)| match scheme.as_str() {
            "gem-gist" => Some(TrackerRecord::GistPlant(decarb_store::plants::site_key(id))),
            "sfi-cement" => Some(TrackerRecord::SfiPlant {
                uid: id.as_str(),
                occurrence: u32::try_from(*occurrence).unwrap_or(u32::MAX),
            }),
            _ => None,
        })
        .collect()
}

/// The plant's pathway in example `scenario` (404 for an unknown example).
pub async fn own_pathway(
    state: &AppState,
    phases: &[PlantDetail],
    scenario: &str,
) -> Result<OwnPathway, ApiError> {
    let text = decarb_engine::examples::example(scenario)
        .ok_or_else(|| ApiError::not_found(decarb_engine::examples::unknown(scenario)))?;
    let records = tracker_records(phases);
    let rows: Vec<&world::FleetRow> = world::fleet_rows()
        .iter()
        .filter(|r| world::tracker_record(r.sector, &r.id).is_some_and(|t| records.contains(&t)))
        .collect();
    if rows.is_empty() {
        return Ok(OwnPathway {
            scenario: scenario.to_owned(),
            run: String::new(),
            note: not_in_world(phases, &records),
            units: Vec::new(),
        });
    }
    let (result, plants) = run_text_with_plants(state, text, &format!("example {scenario}")).await?;
    let units: Vec<UnitPathway> = rows.iter().map(|row| unit(row, &plants)).collect();
    let run_units = units.iter().filter(|u| u.note.is_none()).count();
    let note = format!(
        "In the bundled world (GEM GIST March 2025 and SFI 2021 plant tables) this plant is {}: {}. \
         The run of {scenario} has a pathway for {} of them.",
        view::plural(rows.len(), "unit", "units"),
        rows.iter()
            .map(|r| format!("{} ({}, {} kt/yr)", r.id, r.status, view::num(r.capacity.0 / 1e3, 0)))
            .collect::<Vec<_>>()
            .join("; "),
        if run_units == units.len() { "each".to_owned() } else { run_units.to_string() },
    );
    Ok(OwnPathway { scenario: scenario.to_owned(), run: result.id.clone(), note, units })
}

/// Why a tracker plant has no unit in the bundled world.
fn not_in_world(phases: &[PlantDetail], records: &BTreeSet<TrackerRecord<'_>>) -> String {
    if records.is_empty() {
        let ids: BTreeSet<String> =
            phases.iter().flat_map(|d| d.ids.iter().map(|(s, id, _, _)| format!("{s}: {id}"))).collect();
        return format!(
            "Not in the bundled world: its plants are GEM's Global Iron and Steel Tracker (March 2025) and the SFI \
             cement database, and the tracker knows this plant only as {}. The engine has no pathway of its own \
             for it.",
            ids.into_iter().collect::<Vec<_>>().join(", ")
        );
    }
    let unplaced: Vec<&world::UnplacedRow> = world::unplaced()
        .iter()
        .filter(|r| world::tracker_record(r.sector, &r.id).is_some_and(|t| records.contains(&t)))
        .collect();
    if unplaced.is_empty() {
        "Not in the bundled world: its plant table keeps operating capacity and capacity under construction with \
         a start year after 2020 (tools/derive_world.py); this plant's capacity is none of these (announced, \
         retired, mothballed or cancelled, or an expansion without a start year). The engine has no pathway of \
         its own for it."
            .to_owned()
    } else {
        format!(
            "Not a plant of the bundled world: {}. The engine leaves such rows out, so it has no pathway of its own.",
            unplaced.iter().map(|r| format!("row {} has {}", r.id, r.reason)).collect::<Vec<_>>().join("; ")
        )
    }
}

fn unit(row: &world::FleetRow, plants: &PlantResults) -> UnitPathway {
    let id = world::plant_id(row);
    let mut out = UnitPathway {
        table_id: row.id.clone(),
        route: row.route.as_str().to_owned(),
        status: row.status.as_str().to_owned(),
        capacity_tpa: row.capacity.0,
        note: None,
        years: Vec::new(),
        decisions: Vec::new(),
        id,
    };
    let Some(run) = plants.plants.get(&out.id) else {
        out.note = Some(if plants.sectors.contains(&row.sector) {
            "the run left it out (a plant under construction joins in its start year when that falls in the run)"
                .to_owned()
        } else {
            format!("the scenario does not run {}", row.sector)
        });
        return out;
    };
    let p = &run.pathway;
    out.years = run
        .technologies(plants.base_year)
        .into_iter()
        .enumerate()
        .map(|(i, technology)| UnitYear {
            year: plants.base_year + i32::try_from(i).unwrap_or(i32::MAX),
            technology: technology.map(|t| t.as_str().to_owned()),
            production_t: p.production[i],
            capacity_tpa: p.capacity[i],
            direct_emissions_t: p.direct[i],
            captured_t: p.captured[i],
            indirect_emissions_t: p.indirect[i],
        })
        .collect();
    out.decisions = run
        .decisions
        .iter()
        .map(|d| UnitDecision {
            year: d.year,
            reason: d.reason.as_str().to_owned(),
            from: d.from.as_ref().map(|t| t.as_str().to_owned()),
            to: d.to.as_ref().map(|t| t.as_str().to_owned()),
            limited_by: d.limited_by.clone(),
        })
        .collect();
    out
}

/// Yearly totals of the units with a pathway: (production, direct, captured) in t, by year.
fn totals(units: &[UnitPathway]) -> BTreeMap<i32, [f64; 3]> {
    let mut out: BTreeMap<i32, [f64; 3]> = BTreeMap::new();
    for y in units.iter().flat_map(|u| u.years.iter()) {
        let sum = out.entry(y.year).or_default();
        sum[0] += y.production_t;
        sum[1] += y.direct_emissions_t;
        sum[2] += y.captured_t;
    }
    out
}

/// The section of the plant page: production by technology family (stacked, the palette's
/// families), direct CO2 (and captured CO2 when any) with the investment points marked, the
/// decisions, and the years at every fifth year and every decision.
pub fn html(own: &OwnPathway) -> Markup {
    let with_run: Vec<&UnitPathway> = own.units.iter().filter(|u| !u.years.is_empty()).collect();
    html! {
        h2 #own-pathway { "Its pathway in " (own.scenario) }
        p.notice data-testid="own-pathway-note" { (own.note) }
        @for u in own.units.iter().filter(|u| u.note.is_some()) {
            p.notice { (u.table_id) ": " (u.note.as_deref().unwrap_or("")) }
        }
        @if !with_run.is_empty() {
            (charts(own))
            (decisions_table(own))
            (years_table(own))
        }
    }
}

fn charts(own: &OwnPathway) -> Markup {
    let sums = totals(&own.units);
    let years: Vec<i32> = sums.keys().copied().collect();
    // Production by technology family, kt: the family of each unit's technology that year.
    let mut families: BTreeMap<&'static str, Vec<f64>> = BTreeMap::new();
    for u in &own.units {
        for (i, y) in u.years.iter().enumerate() {
            if let Some(t) = y.technology.as_deref().filter(|_| y.production_t > 0.0) {
                let label = decarb_chart::family_of(t).label();
                families.entry(label).or_insert_with(|| vec![0.0; years.len()])[i] += y.production_t / 1e3;
            }
        }
    }
    let categories: Vec<String> = years.iter().map(i32::to_string).collect();
    let stacked: Vec<(String, Vec<f64>)> = families.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    let mix_data = Dataset {
        columns: std::iter::once("year".to_owned())
            .chain(stacked.iter().map(|(k, _)| format!("{k} (kt)")))
            .collect(),
        rows: years
            .iter()
            .enumerate()
            .map(|(i, y)| std::iter::once(json!(y)).chain(stacked.iter().map(|(_, v)| json!(v[i]))).collect())
            .collect(),
    };
    let mix_title = format!("Production by technology family, {}", own.scenario);
    let mix_frame = Frame::Page { id: "own-production", title: &mix_title, unit: "kt", data: &mix_data };
    // Direct CO2 (and captured, when any) with the decisions marked.
    let captured = sums.values().any(|v| v[2] > 0.0);
    let mut series = vec![Series {
        name: "direct CO2".to_owned(),
        points: sums.iter().map(|(y, v)| (f64::from(*y), v[1] / 1e3)).collect(),
        ..Series::default()
    }];
    if captured {
        series.push(Series {
            name: "CO2 captured".to_owned(),
            points: sums.iter().map(|(y, v)| (f64::from(*y), v[2] / 1e3)).collect(),
            ..Series::default()
        });
    }
    let mut marked: BTreeMap<i32, BTreeSet<&str>> = BTreeMap::new();
    for u in &own.units {
        for d in &u.decisions {
            marked.entry(d.year).or_default().insert(d.reason.as_str());
        }
    }
    let markers: Vec<(f64, String)> = marked
        .iter()
        .map(|(y, reasons)| (f64::from(*y), reasons.iter().copied().collect::<Vec<_>>().join(", ")))
        .collect();
    let co2_data = Dataset {
        columns: vec![
            "year".into(),
            "production_kt".into(),
            "direct_emissions_kt".into(),
            "captured_kt".into(),
        ],
        rows: sums
            .iter()
            .map(|(y, v)| vec![json!(y), json!(v[0] / 1e3), json!(v[1] / 1e3), json!(v[2] / 1e3)])
            .collect(),
    };
    let co2_title = format!("Direct CO2 of the plant, {}; dashed: its decisions", own.scenario);
    let co2_frame = Frame::Page { id: "own-emissions", title: &co2_title, unit: "kt CO2", data: &co2_data };
    html! {
        (chart::stacked(&mix_frame, &categories, &stacked))
        (chart::lines(&co2_frame, "year", &series, &markers))
    }
}

fn decisions_table(own: &OwnPathway) -> Markup {
    let mut decisions: Vec<(&UnitPathway, &UnitDecision)> =
        own.units.iter().flat_map(|u| u.decisions.iter().map(move |d| (u, d))).collect();
    decisions.sort_by_key(|(_, d)| d.year);
    let rows: Vec<Vec<Markup>> = decisions
        .into_iter()
        .map(|(u, d)| {
            vec![
                html! { (d.year) },
                html! { (u.route) },
                html! { span data-testid={ "decision-" (u.table_id) "-" (d.year) } { (d.reason) } },
                html! { (d.from.as_deref().unwrap_or("–")) },
                html! { (d.to.as_deref().unwrap_or("closed")) },
                html! { (d.limited_by.join(", ")) },
            ]
        })
        .collect();
    html! {
        (view::data_table("own-decisions", "Investment points and other decisions", &["year", "unit", "decision", "from", "to", "limited by"], &rows))
    }
}

fn years_table(own: &OwnPathway) -> Markup {
    let sums = totals(&own.units);
    let decided: BTreeSet<i32> = own.units.iter().flat_map(|u| u.decisions.iter().map(|d| d.year)).collect();
    let (first, last) = (sums.keys().next().copied(), sums.keys().next_back().copied());
    let shown = |y: i32| y % 5 == 0 || decided.contains(&y) || Some(y) == first || Some(y) == last;
    let rows: Vec<Vec<Markup>> = sums
        .iter()
        .filter(|(y, _)| shown(**y))
        .map(|(y, v)| {
            let technologies: Vec<String> = own
                .units
                .iter()
                .filter_map(|u| {
                    let t = u.years.iter().find(|x| x.year == *y)?;
                    Some(format!("{}: {}", u.route, t.technology.as_deref().unwrap_or("closed")))
                })
                .collect();
            vec![
                html! { (y) },
                html! { span data-testid={ "own-technology-" (y) } { (technologies.join("; ")) } },
                num_cell(v[0] / 1e3, 0, Some(&format!("own-production-{y}"))),
                num_cell(v[1] / 1e3, 0, Some(&format!("own-direct-{y}"))),
                num_cell(v[2] / 1e3, 0, None),
            ]
        })
        .collect();
    html! {
        (view::data_table("own-years", "Every fifth year and every year with a decision (every year in the downloads)",
            &["year", "technology by unit", "production (kt)", "direct CO2 (kt)", "captured CO2 (kt)"], &rows))
    }
}

/// The pathway as rows of the page's tidy CSV (`section,record,field,value`).
pub fn csv_rows(own: &OwnPathway, push: &mut dyn FnMut(&str, &str, &str, &dyn std::fmt::Display)) {
    for u in &own.units {
        let record = format!("{} {}", own.scenario, u.id);
        if let Some(note) = &u.note {
            push("plant_pathway", &record, "note", note);
        }
        for y in &u.years {
            push(
                "plant_pathway",
                &record,
                &format!("{} technology", y.year),
                &y.technology.as_deref().unwrap_or(""),
            );
            push("plant_pathway", &record, &format!("{} production_t", y.year), &y.production_t);
            push("plant_pathway", &record, &format!("{} direct_emissions_t", y.year), &y.direct_emissions_t);
            push("plant_pathway", &record, &format!("{} captured_t", y.year), &y.captured_t);
            push(
                "plant_pathway",
                &record,
                &format!("{} indirect_emissions_t", y.year),
                &y.indirect_emissions_t,
            );
        }
        for d in &u.decisions {
            let change = format!("{} -> {}", d.from.as_deref().unwrap_or(""), d.to.as_deref().unwrap_or(""));
            push("plant_decision", &record, &format!("{} {}", d.year, d.reason), &change);
        }
    }
    if own.units.is_empty() {
        push("plant_pathway", &own.scenario, "note", &own.note);
    }
}
