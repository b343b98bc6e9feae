//! The group's analyses on the dashboard: a list (newest first, filter by tag, the latest
//! [`LIST_LIMIT`] unless "view all"), one page per analysis with its body rendered from Markdown
//! and sanitised (`decarb_brief::markdown`) and its related analyses (ranked by
//! `decarb_store::analyses::related`: 2 points per shared tag, 1 per shared linked country,
//! sector, project or partnership; ties to the newer, then by slug), and an Atom feed
//! (`/analyses.atom`, RFC 4287).

use super::page::layout as page_layout;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use decarb_brief::view::url_component;
use decarb_store::analyses::{Analysis, LinkKind, related};
use maud::{Markup, PreEscaped, html};
use std::collections::BTreeMap;

/// Analyses the list shows before "view all".
pub const LIST_LIMIT: usize = 10;
/// Related analyses shown under an analysis.
pub const RELATED_LIMIT: usize = 5;
/// Entries in the feed.
pub const FEED_LIMIT: usize = 50;

fn layout(title: &str, body: &Markup) -> Markup {
    page_layout(title, "/analyses", body)
}

fn error_page(status: StatusCode, message: &str) -> Response {
    (status, layout("Not available", &html! { p.error { (message) } })).into_response()
}

/// "23 Apr 2021" from "2021-04-23" (the text itself when it is not such a date).
fn display_date(date: &str) -> String {
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let parts: Vec<&str> = date.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => match (m.parse::<usize>(), d.parse::<u32>()) {
            (Ok(m @ 1..=12), Ok(d)) => format!("{d} {} {y}", MONTHS[m - 1]),
            _ => date.to_owned(),
        },
        _ => date.to_owned(),
    }
}

fn tag_links(tags: &[String]) -> Markup {
    html! {
        @for (i, t) in tags.iter().enumerate() {
            @if i > 0 { " " }
            a.tag href={ "/analyses?tag=" (url_component(t)) } { (t) }
        }
    }
}

/// An analysis as a card of the list; `score` is its relatedness when listed under another.
fn card(a: &Analysis, score: Option<u32>) -> Markup {
    html! {
        article.analysis-card data-score=[score] data-slug=(a.slug) {
            p.date { time datetime=(a.published) { (display_date(&a.published)) } }
            h2 { a href={ "/analyses/" (a.slug) } { (a.title) } }
            @if !a.authors.is_empty() { p.authors { "Written by " (a.authors.join(", ")) } }
            p { (decarb_brief::markdown::summary(&a.body_markdown, 280)) }
            p.tags { (tag_links(&a.tags)) }
            p { a href={ "/analyses/" (a.slug) } { "Read full article" } }
        }
    }
}

/// `GET /analyses?tag=T&all=1`.
pub async fn list(State(state): State<AppState>, Query(params): Query<BTreeMap<String, String>>) -> Response {
    let tag = params.get("tag").map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    let all = params.get("all").is_some_and(|v| v == "1" || v == "true");
    let (analyses, tags) =
        match (state.store.analyses(tag.as_deref()).await, state.store.analysis_tags().await) {
            (Ok(a), Ok(t)) => (a, t),
            (Err(err), _) | (_, Err(err)) => {
                return error_page(StatusCode::INTERNAL_SERVER_ERROR, &err.to_string());
            }
        };
    let shown = if all { analyses.len() } else { analyses.len().min(LIST_LIMIT) };
    let current = |t: &str| tag.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(t));
    let body = html! {
        nav.tags aria-label="Tags" {
            a href="/analyses" { "All tags" } " "
            @for (t, n) in &tags {
                a.tag href={ "/analyses?tag=" (url_component(t)) } aria-current=[current(t).then_some("page")] { (t) " (" (n) ")" } " "
            }
        }
        @if super::session::current_writer().is_some() {
            p.edit-links { a href="/edit/analyses" { "New analysis" } }
        }
        p.stats {
            span data-testid="analyses-total" data-value=(analyses.len()) { (analyses.len()) " analyses" }
            @if let Some(t) = &tag { " tagged " strong { (t) } }
        }
        @for a in &analyses[..shown] { (card(a, None)) }
        @if shown < analyses.len() {
            p {
                a.view-all href={ "/analyses?" @if let Some(t) = &tag { "tag=" (url_component(t)) "&" } "all=1" } {
                    "View all (" (analyses.len()) ")"
                }
            }
        }
        @if analyses.is_empty() { p.empty { "No analyses yet (`decarb analyses add FILE.md`)." } }
    };
    layout(tag.as_deref().map_or("Analyses".to_owned(), |t| format!("Analyses: {t}")).as_str(), &body)
        .into_response()
}

/// `GET /analyses/{slug}`.
pub async fn show(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    let all = match state.store.analyses(None).await {
        Ok(all) => all,
        Err(err) => return error_page(StatusCode::INTERNAL_SERVER_ERROR, &err.to_string()),
    };
    let Some(analysis) = all.iter().find(|a| a.slug == slug) else {
        return error_page(StatusCode::NOT_FOUND, &format!("No analysis {slug:?}."));
    };
    let links: Vec<(LinkKind, Vec<&str>)> = LinkKind::ALL
        .into_iter()
        .map(|kind| (kind, analysis.linked(kind).collect::<Vec<_>>()))
        .filter(|(_, targets)| !targets.is_empty())
        .collect();
    let ranked = related(analysis, &all, RELATED_LIMIT);
    let body = html! {
        p.date { time datetime=(analysis.published) { (display_date(&analysis.published)) } }
        @if !analysis.authors.is_empty() { p.authors { "Written by " (analysis.authors.join(", ")) } }
        p.tags { (tag_links(&analysis.tags)) }
        @if super::session::current_writer().is_some() {
            p.edit-links data-testid="edit-links" {
                a href={ "/edit/analyses?key=" (url_component(&analysis.slug)) } { "Change or retire this analysis" }
                " · " a href={ "/history/analyses/" (url_component(&analysis.slug)) } { "History" }
            }
        }
        // Rendered from Markdown and sanitised by decarb_brief::markdown (ammonia).
        div.analysis-body { (PreEscaped(decarb_brief::markdown::render(&analysis.body_markdown))) }
        @if !links.is_empty() {
            section.links {
                h3 { "Linked" }
                ul {
                    @for (kind, targets) in &links {
                        li {
                            (kind.key()) ": "
                            @for (i, t) in targets.iter().enumerate() {
                                @if i > 0 { ", " }
                                @if *kind == LinkKind::Country { a href={ "/countries/" (t) } { (t) } } @else { (t) }
                            }
                        }
                    }
                }
            }
        }
        section.related #related {
            h2 { "You may also be interested in these analyses" }
            p { a href="/analyses?all=1" { "View all" } }
            @if ranked.is_empty() { p.empty { "No analysis shares a tag or a linked entity with this one." } }
            @for r in &ranked {
                @if let Some(other) = all.iter().find(|a| a.slug == r.slug) { (card(other, Some(r.score))) }
            }
        }
    };
    layout(&analysis.title, &body).into_response()
}

/// Text without the characters XML 1.0 does not allow (maud escapes the rest).
fn xml_text(text: &str) -> String {
    text.chars()
        .filter(|&c| matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}'))
        .collect()
}

/// The Atom feed of the newest analyses. Links are absolute when the request names its host,
/// relative (resolved against the feed's address) otherwise. Written with maud like the pages:
/// elements without content are written open and closed, which XML reads as empty.
pub fn atom(analyses: &[Analysis], base: &str) -> String {
    let updated = analyses.iter().map(|a| a.published.as_str()).max().unwrap_or("1970-01-01");
    let base = xml_text(base);
    let feed = html! {
        (PreEscaped("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"))
        feed xmlns="http://www.w3.org/2005/Atom" {
            title { "decarb analyses" }
            id { "urn:decarb:analyses" }
            updated { (xml_text(updated)) "T00:00:00Z" }
            author { name { "decarb" } }
            link rel="self" type="application/atom+xml" href={ (base) "/analyses.atom" } {}
            link rel="alternate" type="text/html" href={ (base) "/analyses" } {}
            @for a in analyses.iter().take(FEED_LIMIT) {
                "\n"
                entry {
                    title { (xml_text(&a.title)) }
                    id { "urn:decarb:analysis:" (xml_text(&a.slug)) }
                    published { (xml_text(&a.published)) "T00:00:00Z" }
                    updated { (xml_text(&a.published)) "T00:00:00Z" }
                    @for author in &a.authors { author { name { (xml_text(author)) } } }
                    @for tag in &a.tags { category term=(xml_text(tag)) {} }
                    link rel="alternate" type="text/html" href={ (base) "/analyses/" (url_component(&a.slug)) } {}
                    summary { (xml_text(&decarb_brief::markdown::summary(&a.body_markdown, 280))) }
                    content type="html" { (xml_text(&decarb_brief::markdown::render(&a.body_markdown))) }
                }
            }
            "\n"
        }
    };
    format!("{}\n", feed.into_string())
}

/// `GET /analyses.atom`.
pub async fn feed(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let analyses = match state.store.analyses(None).await {
        Ok(a) => a,
        Err(err) => return error_page(StatusCode::INTERNAL_SERVER_ERROR, &err.to_string()),
    };
    // Only a plain host[:port] is trusted into the links; anything else gives relative links.
    let base = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
        })
        .map_or(String::new(), |host| format!("http://{host}"));
    let mut response = atom(&analyses, &base).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/atom+xml; charset=utf-8"));
    response
}
