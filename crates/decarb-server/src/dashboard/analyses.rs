//! The group's analyses on the dashboard: a list (newest first, filter by tag, the latest
//! [`LIST_LIMIT`] unless "view all"), one page per analysis with its body rendered from Markdown
//! and sanitised (`decarb_brief::markdown`) and its related analyses (ranked by
//! `decarb_store::analyses::related`: 2 points per shared tag, 1 per shared linked country,
//! sector, project or partnership; ties to the newer, then by slug), and an Atom feed
//! (`/analyses.atom`, RFC 4287).

use super::svg::esc;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use decarb_store::analyses::{Analysis, LinkKind, related};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Analyses the list shows before "view all".
pub const LIST_LIMIT: usize = 10;
/// Related analyses shown under an analysis.
pub const RELATED_LIMIT: usize = 5;
/// Entries in the feed.
pub const FEED_LIMIT: usize = 50;

fn layout(title: &str, body: &str) -> Html<String> {
    super::pages::layout(title, "/analyses", body)
}

fn error_page(status: StatusCode, message: &str) -> Response {
    (status, layout("Not available", &format!("<p class=\"error\">{}</p>", esc(message)))).into_response()
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

fn tag_links(tags: &[String]) -> String {
    tags.iter()
        .map(|t| {
            format!("<a class=\"tag\" href=\"/analyses?tag={}\">{}</a>", esc(&percent_encode(t)), esc(t))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Percent-encodes a query value (everything but unreserved characters).
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn card(a: &Analysis) -> String {
    let authors = if a.authors.is_empty() {
        String::new()
    } else {
        format!("<p class=\"authors\">Written by {}</p>", esc(&a.authors.join(", ")))
    };
    format!(
        "<article class=\"analysis-card\" data-slug=\"{slug}\"><p class=\"date\"><time datetime=\"{date}\">{shown}</time></p>\
         <h2><a href=\"/analyses/{slug}\">{title}</a></h2>{authors}<p>{summary}</p><p class=\"tags\">{tags}</p>\
         <p><a href=\"/analyses/{slug}\">Read full article</a></p></article>",
        slug = esc(&a.slug),
        date = esc(&a.published),
        shown = esc(&display_date(&a.published)),
        title = esc(&a.title),
        summary = esc(&decarb_brief::markdown::summary(&a.body_markdown, 280)),
        tags = tag_links(&a.tags),
    )
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
    let mut body =
        String::from("<nav class=\"tags\" aria-label=\"Tags\"><a href=\"/analyses\">All tags</a> ");
    for (t, n) in &tags {
        let current = if tag.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(t)) {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = write!(
            body,
            "<a class=\"tag\" href=\"/analyses?tag={}\"{current}>{} ({n})</a> ",
            esc(&percent_encode(t)),
            esc(t)
        );
    }
    body.push_str("</nav>");
    let _ = write!(
        body,
        "<p class=\"stats\"><span data-testid=\"analyses-total\" data-value=\"{}\">{} analyses</span>{}</p>",
        analyses.len(),
        analyses.len(),
        tag.as_deref().map_or(String::new(), |t| format!(" tagged <strong>{}</strong>", esc(t)))
    );
    let shown = if all { analyses.len() } else { analyses.len().min(LIST_LIMIT) };
    for a in &analyses[..shown] {
        body.push_str(&card(a));
    }
    if shown < analyses.len() {
        let tag_query =
            tag.as_deref().map_or(String::new(), |t| format!("tag={}&amp;", esc(&percent_encode(t))));
        let _ = write!(
            body,
            "<p><a class=\"view-all\" href=\"/analyses?{tag_query}all=1\">View all ({})</a></p>",
            analyses.len()
        );
    }
    if analyses.is_empty() {
        body.push_str("<p class=\"empty\">No analyses yet (`decarb analyses add FILE.md`).</p>");
    }
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
    let mut body = format!(
        "<p class=\"date\"><time datetime=\"{}\">{}</time></p>",
        esc(&analysis.published),
        esc(&display_date(&analysis.published))
    );
    if !analysis.authors.is_empty() {
        let _ = write!(body, "<p class=\"authors\">Written by {}</p>", esc(&analysis.authors.join(", ")));
    }
    let _ = write!(body, "<p class=\"tags\">{}</p>", tag_links(&analysis.tags));
    let _ = write!(
        body,
        "<div class=\"analysis-body\">{}</div>",
        decarb_brief::markdown::render(&analysis.body_markdown)
    );
    let mut links = String::new();
    for kind in LinkKind::ALL {
        let targets: Vec<String> = analysis
            .linked(kind)
            .map(|t| match kind {
                LinkKind::Country => format!("<a href=\"/countries/{0}\">{0}</a>", esc(t)),
                _ => esc(t),
            })
            .collect();
        if !targets.is_empty() {
            let _ = write!(links, "<li>{}: {}</li>", kind.key(), targets.join(", "));
        }
    }
    if !links.is_empty() {
        let _ = write!(body, "<section class=\"links\"><h3>Linked</h3><ul>{links}</ul></section>");
    }
    let ranked = related(analysis, &all, RELATED_LIMIT);
    body.push_str("<section class=\"related\" id=\"related\"><h2>You may also be interested in these analyses</h2><p><a href=\"/analyses?all=1\">View all</a></p>");
    if ranked.is_empty() {
        body.push_str("<p class=\"empty\">No analysis shares a tag or a linked entity with this one.</p>");
    }
    for r in &ranked {
        if let Some(other) = all.iter().find(|a| a.slug == r.slug) {
            body.push_str(&card(other).replace(
                "<article class=\"analysis-card\"",
                &format!("<article class=\"analysis-card\" data-score=\"{}\"", r.score),
            ));
        }
    }
    body.push_str("</section>");
    layout(&analysis.title, &body).into_response()
}

/// Escapes text for XML content and attributes, dropping characters XML 1.0 does not allow.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The Atom feed of the newest analyses. Links are absolute when the request names its host,
/// relative (resolved against the feed's address) otherwise.
pub fn atom(analyses: &[Analysis], base: &str) -> String {
    let updated = analyses.iter().map(|a| a.published.as_str()).max().unwrap_or("1970-01-01");
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\
         <title>decarb analyses</title><id>urn:decarb:analyses</id><updated>{}T00:00:00Z</updated>\
         <author><name>decarb</name></author><link rel=\"self\" type=\"application/atom+xml\" href=\"{}/analyses.atom\"/>\
         <link rel=\"alternate\" type=\"text/html\" href=\"{}/analyses\"/>",
        xml_escape(updated),
        xml_escape(base),
        xml_escape(base)
    );
    for a in analyses.iter().take(FEED_LIMIT) {
        let _ = write!(
            out,
            "\n<entry><title>{}</title><id>urn:decarb:analysis:{}</id><published>{d}T00:00:00Z</published><updated>{d}T00:00:00Z</updated>",
            xml_escape(&a.title),
            xml_escape(&a.slug),
            d = xml_escape(&a.published)
        );
        for author in &a.authors {
            let _ = write!(out, "<author><name>{}</name></author>", xml_escape(author));
        }
        for tag in &a.tags {
            let _ = write!(out, "<category term=\"{}\"/>", xml_escape(tag));
        }
        let _ = write!(
            out,
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}/analyses/{}\"/><summary>{}</summary><content type=\"html\">{}</content></entry>",
            xml_escape(base),
            xml_escape(&percent_encode(&a.slug)),
            xml_escape(&decarb_brief::markdown::summary(&a.body_markdown, 280)),
            xml_escape(&decarb_brief::markdown::render(&a.body_markdown))
        );
    }
    out.push_str("\n</feed>\n");
    out
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
