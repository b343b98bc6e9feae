//! The pledges page: every pledge against the pathway of the member's own plants in a bundled
//! example (the rows of `GET /api/v1/pledges/alignment`), and one member's pathway against what
//! its pledge allows, as a chart.

use super::page::layout;
use crate::AppState;
use crate::api::alignment::{AlignmentRow, alignment_of};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use decarb_brief::view::{self, Dataset, Frame, Series, chart, num_cell, opt_num, url_component};
use decarb_engine::examples::{DEFAULT_EXAMPLE, EXAMPLES};
use maud::{Markup, html};
use serde_json::json;
use std::collections::BTreeMap;

pub async fn page(State(state): State<AppState>, Query(params): Query<BTreeMap<String, String>>) -> Response {
    let scenario = params.get("scenario").map_or(DEFAULT_EXAMPLE, String::as_str);
    let result = match alignment_of(&state, scenario).await {
        Ok(result) => result,
        Err(err) => {
            let body = html! { p.error { (err.detail) } };
            return (err.status, layout("Pledge alignment", "/pledges", &body)).into_response();
        }
    };
    // The member charted: the one asked for, else the first off-track row, else the first row.
    let chosen = params
        .get("member")
        .and_then(|m| result.rows.iter().find(|r| &r.member == m))
        .or_else(|| result.rows.iter().find(|r| r.status == "off track"))
        .or_else(|| result.rows.first());
    let counts = ["aligned", "off track", "unknown"]
        .map(|s| (s, result.rows.iter().filter(|r| r.status == s).count()));
    let body = html! {
        p.lede {
            "Each pledge in the tracker against the pathway of the member's own plants in the scenario "
            strong { (result.scenario) } " (" (result.base_year) "-" (result.end_year) "): a country's plants, a \
             company's share of the plants it holds; direct CO2 of steel, cement, aluminium and ammonia. Net zero \
             leaves at most 10 % of the base year (SBTi Corporate Net-Zero Standard v1.0); 2030 is judged on the \
             pledge's milestone or the straight line to the target. Method: docs/pledge-alignment.md."
        }
        form.filters method="get" {
            label { "Scenario " select name="scenario" { (view::options(EXAMPLES.iter().map(|(n, _)| *n), Some(scenario))) } } " "
            button type="submit" { "Show" }
        }
        p.stats {
            @for (status, n) in counts {
                span { (num_cell(n as f64, 0, Some(&format!("pledges-{}", status.replace(' ', "-"))))) " " (status) } " "
            }
        }
        @if let Some(row) = chosen { (member_chart(row, scenario)) }
        (alignment_table(&result.rows, scenario))
    };
    (StatusCode::OK, layout("Pledge alignment", "/pledges", &body)).into_response()
}

fn alignment_table(rows: &[AlignmentRow], scenario: &str) -> Markup {
    let mt = |v: Option<f64>| v.map_or_else(|| html! { "–" }, |v| num_cell(v, 2, None));
    let rows: Vec<Vec<Markup>> = rows
        .iter()
        .map(|r| {
            vec![
                html! { a href={ "/pledges?scenario=" (scenario) "&member=" (url_component(&r.member)) } { (r.member) } },
                html! { (r.kind) },
                html! { (opt_num(r.target_year)) },
                html! { (r.metric) },
                mt(r.base_year_mtco2),
                mt(r.pathway_2030_mtco2),
                mt(r.pathway_target_year_mtco2),
                mt(r.gap_mtco2),
                r.gap_pct.map_or_else(|| html! { "–" }, |v| num_cell(v, 1, None)),
                html! { span.status data-status=(r.status) { (r.status) } },
                html! { (if r.reason.is_empty() { &r.note } else { &r.reason }) },
            ]
        })
        .collect();
    view::data_table(
        "alignment",
        "Pledges against the members' own plants",
        &[
            "member",
            "kind",
            "target year",
            "metric",
            "base year Mt CO2",
            "2030 Mt CO2",
            "target year Mt CO2",
            "gap Mt CO2",
            "gap % of base",
            "status",
            "reason / note",
        ],
        &rows,
    )
}

/// One member's pathway and what its pledge allows.
fn member_chart(row: &AlignmentRow, scenario: &str) -> Markup {
    let to_points = |v: &[(i32, f64)]| v.iter().map(|&(y, mt)| (f64::from(y), mt)).collect::<Vec<_>>();
    let series = vec![
        Series {
            name: format!("{}: own plants ({scenario})", row.member),
            points: to_points(&row.pathway),
            band: vec![],
        },
        Series { name: "allowed by the pledge".into(), points: to_points(&row.allowed), band: vec![] },
    ];
    let data = Dataset {
        columns: vec!["year".into(), "pathway_mtco2".into(), "allowed_mtco2".into()],
        rows: row
            .pathway
            .iter()
            .map(|&(y, v)| {
                let allowed = row.allowed.iter().find(|a| a.0 == y).map(|a| a.1);
                vec![json!(y), json!(v), json!(allowed)]
            })
            .collect(),
    };
    let title = format!("{}: {} ({})", row.member, row.status, row.metric);
    let frame = Frame::Page { id: "alignment-chart", title: &title, unit: "Mt CO2 (direct)", data: &data };
    chart::lines(&frame, "year", &series, &[])
}
