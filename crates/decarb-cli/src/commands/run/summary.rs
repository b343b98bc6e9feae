//! The terminal summary of a pathway run: direct CO2 by sector against the straight line to net
//! zero (`Outcome::gap_to_net_zero`), costs, hydrogen, the limits that bound, decisions, and the
//! largest groups of a breakdown by country or owner.

use crate::run_tables::region_name;
use decarb_engine::Scenario;
use decarb_engine::breakdown::{Breakdown, group_label};
use decarb_engine::outcome::{Outcome, Reason};
use std::path::Path;

/// Groups the terminal shows per sector in a breakdown by country or owner (the rest in one row).
const TERMINAL_GROUPS: usize = 10;

/// Each sector's largest groups by base-year direct CO2 and the rest: direct CO2 in the base
/// year, 2030 and the end year, and base-year production.
pub fn print_breakdown(outcome: &Outcome, b: &Breakdown) {
    let base = outcome.base_year;
    let end = outcome.end_year;
    let milestone = 2030.clamp(base, end);
    for &sector in &outcome.sectors {
        let top = b.top_groups(sector, base, TERMINAL_GROUPS);
        if top.is_empty() {
            continue;
        }
        let at = |year: i32| b.rows_with_rest(sector, year, &top, "rest");
        let (first, mid, last) = (at(base), at(milestone), at(end));
        let rest = if first.len() > top.len() { ", then the rest" } else { "" };
        println!();
        println!("{sector} by {}: the {} largest by {base} direct CO2{rest}", b.by, top.len());
        println!(
            "{:<40} {:>10} {:>10} {:>10} {:>12}",
            b.by.as_str(),
            format!("{base} Mt"),
            format!("{milestone} Mt"),
            format!("{end} Mt"),
            format!("{base} prod.")
        );
        for (i, row) in first.iter().enumerate() {
            let direct = |rows: &[decarb_engine::breakdown::GroupRow]| {
                rows.iter().find(|r| r.group == row.group).map_or(0.0, |r| r.direct_emissions.to_mt())
            };
            let label = if i < top.len() { group_label(b.by, &row.group) } else { row.group.clone() };
            println!(
                "{:<40} {:>10.1} {:>10.1} {:>10.1} {:>9.1} Mt",
                truncate(&label, 40),
                row.direct_emissions.to_mt(),
                direct(&mid),
                direct(&last),
                row.production.to_mt()
            );
        }
    }
    let note = b.note();
    if !note.is_empty() {
        println!();
        println!("{note}");
    }
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(width.saturating_sub(1)).collect();
    short.push('…');
    short
}

/// The terminal's hydrogen line: world demand of bought hydrogen by sector in the base year, 2030
/// and the end year.
fn hydrogen_line(outcome: &Outcome, base: i32, end: i32) -> String {
    let at = |year: i32| {
        let by_sector = outcome.hydrogen_demand(year);
        let total: f64 = by_sector.iter().map(|(_, t)| t).sum();
        let parts: Vec<String> =
            by_sector.iter().filter(|(_, t)| *t > 0.0).map(|(s, t)| format!("{s} {:.1}", t * 1e-6)).collect();
        let detail = if parts.is_empty() { String::new() } else { format!(" ({})", parts.join(", ")) };
        // Adding 0.0 turns a negative zero (sums of -0.0) into 0.0 for display.
        format!("{year} {:.1} Mt{detail}", total * 1e-6 + 0.0)
    };
    format!(
        "hydrogen demand (bought H2, electrolysers inside a route not counted): {}; {}; {}",
        at(base),
        at(2030.clamp(base, end)),
        at(end)
    )
}

pub fn print_summary(outcome: &Outcome, scenario: &Scenario, out: &Path) {
    let gap = outcome.gap_to_net_zero();
    let (base, milestone, end) = (gap.base_year, gap.milestone_year, gap.end_year);
    println!("scenario {} (seed {}), {base}-{end}", outcome.scenario, outcome.seed);
    println!("{}", decarb_scenario::rules::describe(scenario));
    println!("emissions boundary: {}", outcome.boundary);
    println!();
    println!(
        "{:<10} {:>10} {:>10} {:>10} {:>9} {:>9} {:>12}",
        "direct CO2",
        format!("{base} Mt"),
        format!("{milestone} Mt"),
        format!("{end} Mt"),
        format!("{milestone} vs"),
        format!("{end} vs"),
        "captured"
    );
    let rows = gap.sectors.iter().map(|(sector, d)| (sector.as_str(), d)).chain([("total", &gap.total)]);
    for (name, d) in rows {
        let (b, m, e) = (d.base.to_mt(), d.milestone.to_mt(), d.end.to_mt());
        println!(
            "{:<10} {:>10.1} {:>10.1} {:>10.1} {:>9} {:>9} {:>9.1} Mt",
            name,
            b,
            m,
            e,
            change(b, m),
            change(b, e),
            d.captured_end.to_mt()
        );
    }
    println!();
    println!(
        "remaining gap to net zero in {end}: {:.1} Mt CO2 direct ({:.1} % of {base}); the straight line to net zero \
         asks for {:.1} Mt in {milestone}, the run has {:.1} Mt",
        gap.total.end.to_mt(),
        gap.remaining_pct(),
        gap.straight_line_at_milestone(),
        gap.total.milestone.to_mt()
    );
    let capex: f64 =
        outcome.summary.iter().filter(|r| r.region.is_none()).map(|r| r.capex.to_billions()).sum();
    let opex: f64 = outcome.summary.iter().filter(|r| r.region.is_none()).map(|r| r.opex.to_billions()).sum();
    let carbon: f64 =
        outcome.summary.iter().filter(|r| r.region.is_none()).map(|r| r.carbon_cost.to_billions()).sum();
    println!(
        "cost {base}-{end}: capex {capex:.0} bn USD, opex {opex:.0} bn USD (inputs, fixed opex, CO2 transport and \
         storage), carbon price paid {carbon:.0} bn USD"
    );
    let bound = bound_limits(outcome);
    println!("{}", hydrogen_line(outcome, base, end));
    if outcome.limits.is_empty() {
        println!("resource limits: none set");
    } else if bound.is_empty() {
        println!("resource limits: none bound");
    } else {
        println!("resource limits bound: {}", bound.join("; "));
    }
    let switches = outcome.decisions.iter().filter(|d| d.reason == Reason::Switch).count();
    let builds = outcome
        .decisions
        .iter()
        .filter(|d| {
            matches!(d.reason, Reason::NewBuild | Reason::NewBuildNoOption | Reason::NewBuildOverLimit)
        })
        .count();
    println!("decisions: {} ({switches} switches, {builds} new plants)", outcome.decisions.len());
    for s in &outcome.skipped {
        println!("left out: {} plants ({:.1} Mt/yr): {}", s.plants, s.capacity.to_mt(), s.reason);
    }
    for w in &outcome.warnings {
        println!("warning: {w}");
    }
    println!("outputs in {}", out.display());
}

/// The limits that bound (refused an option) in some year: resource, region, years, refusals and
/// the highest shadow price.
fn bound_limits(outcome: &Outcome) -> Vec<String> {
    struct Bound {
        from: i32,
        to: i32,
        refused: u32,
        price: f64,
        unit: &'static str,
    }
    let mut by_limit: std::collections::BTreeMap<(String, String), Bound> = std::collections::BTreeMap::new();
    for r in outcome.limits.iter().filter(|r| r.refused_options > 0) {
        let key = (r.resource.as_str().to_owned(), region_name(r.region).to_owned());
        let e = by_limit.entry(key).or_insert(Bound {
            from: r.year,
            to: r.year,
            refused: 0,
            price: 0.0,
            unit: r.resource.base_unit(),
        });
        e.from = e.from.min(r.year);
        e.to = e.to.max(r.year);
        e.refused += r.refused_options;
        e.price = e.price.max(r.shadow_price);
    }
    by_limit
        .into_iter()
        .map(|((res, reg), b)| {
            format!(
                "{res} in {reg} ({}-{}, {} options refused, shadow price up to {:.0} USD/{})",
                b.from, b.to, b.refused, b.price, b.unit
            )
        })
        .collect()
}

/// Says, for the sectors the bundled world still supplies, where its aluminium plants come from
/// and which rows of its plant tables it could not load (no capacity, route or country).
pub fn report_bundled_world(fleet: &decarb_model::Fleet) {
    let bundled: std::collections::BTreeSet<decarb_model::Sector> =
        fleet.plants.iter().filter(|p| p.source == decarb_data::world::SOURCE).map(|p| p.sector).collect();
    if bundled.contains(&decarb_model::Sector::Aluminium) {
        eprintln!("bundled world: aluminium plants from {}", decarb_data::world::aluminium_origin());
    }
    for ((sector, reason), (rows, capacity)) in decarb_data::world::unplaced_summary() {
        if bundled.contains(&sector) {
            let reported =
                if capacity > 0.0 { format!(", {:.1} Mt/yr", capacity / 1e6) } else { String::new() };
            eprintln!("bundled world: {rows} {sector} rows not loaded{reported}: {reason}");
        }
    }
}

fn change(from: f64, to: f64) -> String {
    if from.abs() < 1e-9 { "n/a".to_owned() } else { format!("{:+.0} %", 100.0 * (to - from) / from) }
}
