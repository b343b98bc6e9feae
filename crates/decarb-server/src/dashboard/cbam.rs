//! The CBAM calculator page: a quote for a CN code, origin, tonnage and year (the API's
//! `GET /api/v1/cbam/quote`), its steps and notes, and the cost per tonne through the phase-out.

use super::page::{decimal_text, layout};
use crate::api::ApiQuery;
use crate::api::cbam::{QuoteOut, QuoteParams, ScheduleRowOut};
use axum::extract::Query;
use axum::response::{IntoResponse, Response};
use decarb_brief::view::{self, Dataset, Frame, Series, chart};
use maud::{Markup, html};
use serde_json::json;
use std::collections::BTreeMap;

pub async fn cbam(Query(params): Query<BTreeMap<String, String>>) -> Response {
    let get = |k: &str, d: &str| {
        params.get(k).cloned().filter(|v| !v.trim().is_empty()).unwrap_or_else(|| d.to_owned())
    };
    let form = html! {
        form.filters method="get" #cbam-form {
            label { "CN code " input name="good" value=(get("good", "7208")); } " "
            label { "Origin " input name="origin" value=(get("origin", "IND")); } " "
            label { "Tonnes " input name="tonnes" value=(get("tonnes", "1000")); } " "
            label { "Year " input name="year" value=(get("year", "2026")); } " "
            label { "Certificate price (EUR) " input name="certificate_price" value=(get("certificate_price", "")) placeholder="published"; } " "
            label { "Actual direct SEE (t/t) " input name="see_direct" value=(get("see_direct", "")) placeholder="default values"; } " "
            button { "Quote" }
        }
    };
    let quote_params = || QuoteParams {
        good: Some(get("good", "7208")),
        origin: Some(get("origin", "IND")),
        tonnes: Some(get("tonnes", "1000")),
        year: get("year", "2026").trim().parse().ok(),
        certificate_price: params.get("certificate_price").cloned().filter(|v| !v.trim().is_empty()),
        see_direct: params.get("see_direct").cloned().filter(|v| !v.trim().is_empty()),
        ..QuoteParams::default()
    };
    if get("year", "2026").trim().parse::<i32>().is_err() {
        let found = format!("{:?}", get("year", ""));
        let body = html! { (form) p.error { "year: found " (found) ", expected a year (2026)" } };
        return layout("CBAM calculator", "/cbam", &body).into_response();
    }
    let quote = match crate::api::cbam::quote(ApiQuery(quote_params())).await {
        Ok(axum::Json(q)) => quote_html(&q),
        Err(err) => html! { p.error data-testid="cbam-error" { (err.detail) } },
    };
    let schedule = crate::api::cbam::schedule(ApiQuery(quote_params()))
        .await
        .map_or_else(|_| html! {}, |axum::Json(rows)| schedule_chart(&rows));
    layout("CBAM calculator", "/cbam", &html! { (form) (quote) (schedule) }).into_response()
}

/// An exact amount: grouped for display, the exact decimal in `data-value`.
fn amount(testid: &str, exact: &str) -> Markup {
    html! { span.num data-testid=(testid) data-value=(exact) { (decimal_text(exact)) } }
}

/// Whether `text` is a plain decimal number ("-12.50").
fn is_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1
        && digits.starts_with(|c: char| c.is_ascii_digit())
}

/// A decimal without the trailing zeros of its fraction ("254132.7600000" -> "254132.76").
fn trim_zeros(text: &str) -> &str {
    if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { text }
}

fn quote_html(q: &QuoteOut) -> Markup {
    let steps: Vec<Vec<Markup>> = q
        .steps
        .iter()
        .map(|s| {
            // The value as every amount on the page: grouped, trailing zeros of the exact
            // decimal dropped ("254132.7600000" shows as "254,132.76"), the exact text kept.
            let value = if is_decimal(&s.value) {
                html! { span.num data-value=(s.value) { (decimal_text(trim_zeros(&s.value))) } }
            } else {
                html! { (s.value) }
            };
            vec![html! { (s.name) }, html! { (s.formula) }, value, html! { (s.unit) }, html! { (s.basis) }]
        })
        .collect();
    let notes: Vec<Vec<Markup>> =
        q.notes.iter().map(|n| vec![html! { (n.kind) }, html! { (n.text) }]).collect();
    let certificates = q.certificates.as_deref().unwrap_or(&q.certificates_exact);
    let title = format!("Quote: CN {} from {}, {}, sector {}", q.good, q.origin, q.year, q.sector);
    html! {
        p.stats {
            span { (amount("cbam-cost", &q.cost)) " " (q.currency) " " }
            span { (amount("cbam-cost-per-tonne", &q.cost_per_tonne)) " " (q.currency) " per tonne" }
            span { span.num data-testid="cbam-certificates" data-value=(certificates) { (certificates) } " certificates" }
        }
        (view::data_table("cbam-steps", &title, &["step", "formula", "value", "unit", "basis"], &steps))
        (view::data_table("cbam-notes", "Notes", &["kind", "note"], &notes))
    }
}

fn schedule_chart(rows: &[ScheduleRowOut]) -> Markup {
    let points: Vec<(f64, f64)> =
        rows.iter().filter_map(|r| Some((f64::from(r.year), r.cost_eur_per_tonne.parse().ok()?))).collect();
    let columns = [
        "year",
        "cbam_factor",
        "see_declared",
        "sefa",
        "certificates_per_tonne",
        "price_eur",
        "cost_eur_per_tonne",
    ];
    let data = Dataset {
        columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    json!(r.year),
                    json!(r.cbam_factor),
                    json!(r.see_declared),
                    json!(r.sefa),
                    json!(r.certificates_per_tonne),
                    json!(r.price_eur),
                    json!(r.cost_eur_per_tonne),
                ]
            })
            .collect(),
    };
    let frame = Frame::Page {
        id: "cbam-schedule",
        title: "Cost per tonne through the phase-out",
        unit: "EUR/t",
        data: &data,
    };
    chart::lines(
        &frame,
        "year",
        &[Series { name: "cost per tonne".into(), points, ..Series::default() }],
        &[],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_values_show_as_the_amounts_do() {
        assert!(
            is_decimal("254132.7600000") && is_decimal("-3") && !is_decimal("n/a") && !is_decimal("1.2.3")
        );
        assert_eq!(decimal_text(trim_zeros("254132.7600000")), "254,132.76");
        assert_eq!(trim_zeros("100.000"), "100");
        assert_eq!(trim_zeros("1500"), "1500");
    }
}
