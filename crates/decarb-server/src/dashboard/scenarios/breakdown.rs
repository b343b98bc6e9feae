//! Results by country or owner: for each run, the chosen sector's largest groups' direct CO2
//! over the years (a chart) and a table of the largest groups by base-year direct CO2 and the
//! rest, from the run's plants (`decarb_engine::breakdown`).

use super::results::run_label;
use crate::AppState;
use crate::api::scenarios::RunResult;
use decarb_brief::view::{self, Dataset, Frame, Series, chart, num_cell};
use decarb_engine::breakdown::GroupBy;
use decarb_engine::breakdown::{Breakdown, GroupRow, group_label};
use decarb_model::Sector;
use maud::{Markup, html};
use serde_json::json;
use std::sync::Arc;

/// Groups a breakdown shows by name (the rest in one row), and lines its chart draws.
const BREAKDOWN_TABLE_GROUPS: usize = 15;
const BREAKDOWN_CHART_GROUPS: usize = 8;

/// The links between regions (the charts above), countries and owners.
pub(super) fn links(ids: &[&str], sector: &str, by: Option<GroupBy>) -> Markup {
    let current = match by {
        Some(GroupBy::Country) => "country",
        Some(GroupBy::Owner) => "owner",
        _ => "",
    };
    html! {
        h2 { "Results by region, country or owner" }
        p.links {
            "Show: "
            @for (name, value) in [("regions (above)", ""), ("countries", "country"), ("owners", "owner")] {
                @if value == current {
                    strong { (name) } " "
                } @else {
                    a id={ "by-" (if value.is_empty() { "region" } else { value }) }
                        href={ "/scenarios?ids=" (ids.join(",")) "&sector=" (sector) @if !value.is_empty() { "&by=" (value) } } { (name) }
                    " "
                }
            }
        }
    }
}

/// Each run's breakdown, or why it is not available.
pub(super) async fn sections(state: &AppState, runs: &[Arc<RunResult>], by: GroupBy, sector: &str) -> Markup {
    let mut out = Vec::new();
    for r in runs {
        out.push(match crate::api::scenarios::engine_breakdown(state, &r.id, by).await {
            Ok(b) => section(r, &b, sector),
            Err(e) => html! { p.error { (e.detail) } },
        });
    }
    html! { @for section in &out { (section) } }
}

fn section(r: &RunResult, b: &Breakdown, sector: &str) -> Markup {
    let Ok(sector_id) = sector.parse::<Sector>() else {
        return html! { p.error { "unknown sector " (sector) } };
    };
    html! {
        (group_chart(r, b, sector_id))
        (group_table(r, b, sector_id))
        @let note = b.note();
        @if !note.is_empty() { p.notice { (note) } }
    }
}

fn group_chart(r: &RunResult, b: &Breakdown, sector: Sector) -> Markup {
    let by = b.by.as_str();
    let chart_groups = b.top_groups(sector, r.base_year, BREAKDOWN_CHART_GROUPS);
    let mut data = Dataset {
        columns: vec!["run".into(), "year".into(), by.into(), "direct_emissions_mt".into()],
        rows: vec![],
    };
    let series: Vec<Series> = chart_groups
        .iter()
        .map(|g| {
            let points: Vec<(f64, f64)> = b
                .rows
                .iter()
                .filter(|row| row.sector == sector && &row.group == g)
                .map(|row| (f64::from(row.year), row.direct_emissions.to_mt()))
                .collect();
            for (y, v) in &points {
                data.rows.push(vec![json!(r.id), json!(y), json!(g), json!(v)]);
            }
            Series { name: group_label(b.by, g), points, ..Series::default() }
        })
        .collect();
    let id = format!("by-{by}-chart-{}", &r.id[..8]);
    let title =
        format!("{}: {sector} direct emissions by {by}, the {} largest", run_label(r), chart_groups.len());
    chart::lines(&Frame::Page { id: &id, title: &title, unit: "Mt CO2", data: &data }, "year", &series, &[])
}

fn group_table(r: &RunResult, b: &Breakdown, sector: Sector) -> Markup {
    let by = b.by.as_str();
    let (base, end) = (r.base_year, r.end_year);
    let milestone = 2030.clamp(base, end);
    let groups = b.top_groups(sector, base, BREAKDOWN_TABLE_GROUPS);
    let at = |year: i32| b.rows_with_rest(sector, year, &groups, "rest");
    let (first, mid, last) = (at(base), at(milestone), at(end));
    let direct = |rows: &[GroupRow], group: &str| {
        rows.iter().find(|row| row.group == group).map_or(0.0, |row| row.direct_emissions.to_mt())
    };
    let rows: Vec<Vec<Markup>> = first
        .iter()
        .map(|row| {
            let testid = format!("by-{by}-{}-{}", &r.id[..8], row.group);
            vec![
                html! { (group_label(b.by, &row.group)) },
                num_cell(row.production.to_mt(), 1, None),
                num_cell(row.direct_emissions.to_mt(), 1, Some(&testid)),
                num_cell(direct(&mid, &row.group), 1, None),
                num_cell(direct(&last, &row.group), 1, None),
            ]
        })
        .collect();
    let headers = [
        by.to_owned(),
        format!("{base} production (Mt)"),
        format!("{base} direct (Mt CO2)"),
        format!("{milestone} direct (Mt CO2)"),
        format!("{end} direct (Mt CO2)"),
    ];
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let title = format!(
        "{}: {sector} by {by}, the {} largest by {base} direct emissions and the rest",
        run_label(r),
        groups.len()
    );
    view::data_table(&format!("by-{by}-{}", &r.id[..8]), &title, &header_refs, &rows)
}
