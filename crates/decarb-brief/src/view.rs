//! The presentation layer the briefs and the dashboard share: maud templates (compile-time
//! checked, every interpolated text escaped) for the two page shells, tables, numbers for
//! people, footnotes, "what is missing" lists, links and form options; charts come from
//! [`decarb_chart::svg`]. A figure, a table or a link is written once here and looks the same in
//! a brief and on a page.

use maud::{DOCTYPE, Markup, PreEscaped, html};

pub use decarb_chart::num;
pub use decarb_chart::svg::{self as chart, Dataset, Frame, Series};

/// Escapes text for HTML and SVG content and attributes (maud's escaping, for tests and for text
/// that leaves maud, such as the Atom feed's HTML content).
pub fn esc(text: &str) -> String {
    html! { (text) }.into_string()
}

/// "1st", "2nd", "3rd", "4th", "11th", "22nd"...
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A text, or "–" when there is none (or only spaces).
pub fn opt(text: Option<&str>) -> &str {
    text.filter(|t| !t.trim().is_empty()).unwrap_or("–")
}

/// A year or a count, or "–".
pub fn opt_num<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| v.to_string())
}

/// A count with its noun, singular for one: "1 project", "2 projects", "12,345 plants".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    let count = num(n as f64, 0);
    if n == 1 { format!("{count} {one}") } else { format!("{count} {many}") }
}

/// The noun for a count shown on its own ("project" for 1, "projects" otherwise).
pub fn noun<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// A figure that may be unknown: the number (exact value in `data-value`), or "unknown", never 0.
pub fn num_or_unknown(value: Option<f64>, digits: usize, testid: Option<&str>) -> Markup {
    value.map_or_else(
        || html! { span.unknown data-testid=[testid] data-value="" { "unknown" } },
        |v| num_cell(v, digits, testid),
    )
}

/// A source as a link with its title (its citation), or the title alone when it has no address;
/// the stored id stays in `data-source` and the link's tooltip.
pub fn source_link(id: &str, citation: Option<&str>, url: Option<&str>) -> Markup {
    let title = citation.filter(|c| !c.trim().is_empty()).unwrap_or(id);
    html! {
        @if let Some(url) = url.filter(|u| u.starts_with("http://") || u.starts_with("https://")) {
            a.source href=(url) title=(id) data-source=(id) rel="noopener" { (title) }
        } @else {
            span.source title=(id) data-source=(id) { (title) }
        }
    }
}

/// Percent-encodes a URL query value (everything but unreserved characters).
pub fn url_component(text: &str) -> String {
    use std::fmt::Write as _;
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

/// The footnotes of one brief: each distinct source text once, numbered in order of first use.
#[derive(Debug, Default)]
pub struct Footnotes {
    notes: Vec<String>,
}

impl Footnotes {
    /// The number of `source` (added if new).
    pub fn number(&mut self, source: &str) -> usize {
        if let Some(i) = self.notes.iter().position(|n| n == source) {
            return i + 1;
        }
        self.notes.push(source.to_owned());
        self.notes.len()
    }

    /// A superscript reference to `source`, linking to its footnote.
    pub fn cite(&mut self, source: &str) -> Markup {
        self.cite_all([source])
    }

    /// One superscript citing several sources, numbers separated by commas ("19, 20").
    pub fn cite_all<'a>(&mut self, sources: impl IntoIterator<Item = &'a str>) -> Markup {
        let numbers: Vec<usize> = sources.into_iter().map(|source| self.number(source)).collect();
        html! {
            @if !numbers.is_empty() {
                sup.fn {
                    @for (i, n) in numbers.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href={ "#fn" (n) } { (n) }
                    }
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        self.notes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.notes.is_empty()
    }

    /// The numbered list of sources.
    pub fn render(&self) -> Markup {
        html! {
            section.footnotes {
                h2 { "Sources" }
                ol { @for (i, note) in self.notes.iter().enumerate() { li id={ "fn" (i + 1) } { (note) } } }
            }
        }
    }
}

/// A brief's table; `numeric` marks right-aligned columns.
pub fn table(headers: &[&str], numeric: &[usize], rows: &[Vec<Markup>]) -> Markup {
    html! {
        table {
            thead { tr { @for (i, h) in headers.iter().enumerate() { th class=[numeric.contains(&i).then_some("n")] { (h) } } } }
            tbody {
                @for row in rows {
                    tr { @for (i, cell) in row.iter().enumerate() { td class=[numeric.contains(&i).then_some("n")] { (cell) } } }
                }
            }
        }
    }
}

/// A dashboard table in its section, with a CSV button ([`table`]'s counterpart on a page).
pub fn data_table(id: &str, title: &str, headers: &[&str], rows: &[Vec<Markup>]) -> Markup {
    html! {
        section.table id=(id) {
            h3 { (title) " " button.csv type="button" data-for=(id) { "CSV" } }
            div.scroll {
                table {
                    thead { tr { @for h in headers { th { (h) } } } }
                    tbody {
                        @for row in rows { tr { @for cell in row { td { (cell) } } } }
                        @if rows.is_empty() { tr { td colspan=(headers.len()) class="empty" { "None." } } }
                    }
                }
            }
        }
    }
}

/// A number with its exact value in `data-value` (which the CSV download and the tests read) and
/// an optional `data-testid`.
pub fn num_cell(value: f64, digits: usize, testid: Option<&str>) -> Markup {
    html! { span.num data-testid=[testid] data-value=(value) { (num(value, digits)) } }
}

/// A link to a country's dashboard page.
pub fn country_link(code: &str) -> Markup {
    html! { a href={ "/countries/" (code) } { (code) } }
}

/// `<option>` elements for `values`, the `selected` one marked.
pub fn options<'a>(values: impl Iterator<Item = &'a str>, selected: Option<&str>) -> Markup {
    html! { @for value in values { option selected[Some(value) == selected] { (value) } } }
}

/// A brief's "What is missing" section: the list, or that nothing is.
pub fn missing_section(items: &[String]) -> Markup {
    html! {
        h2 { "What is missing" }
        @if items.is_empty() {
            p { "Nothing the brief looks for is missing." }
        } @else {
            div.missing { ul { @for item in items { li { (item) } } } }
        }
    }
}

/// Inline CSS of a brief: screen layout and A4 print rules (margins, no page break inside a figure
/// or table row, section headings kept with what follows).
pub const BRIEF_CSS: &str = "
:root{--ink:#1d2733;--muted:#5b6673;--line:#d5dbe1;--accent:#2f6f4f;--warn:#9a5b00}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:var(--ink);margin:0;background:#fff}
main{max-width:52rem;margin:0 auto;padding:1.5rem}
header.brief{border-bottom:3px solid var(--accent);margin-bottom:1rem}
header.brief p{color:var(--muted);margin:.2rem 0}
h1{font-size:1.7rem;margin:.2rem 0}
h2{font-size:1.2rem;margin:1.6rem 0 .4rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
h3{font-size:1rem;margin:1rem 0 .3rem}
ul.facts{padding-left:1.1rem}
ul.facts li{margin:.25rem 0}
table{border-collapse:collapse;width:100%;margin:.4rem 0;font-size:.88rem}
th,td{border-bottom:1px solid var(--line);padding:.2rem .4rem;text-align:left;vertical-align:top}
th{background:#f3f5f7}
.n{text-align:right;font-variant-numeric:tabular-nums}
sup.fn{font-size:.7em;line-height:0}
sup.fn a{color:var(--accent);text-decoration:none}
figure{margin:.6rem 0;break-inside:avoid}
figcaption{font-size:.85rem;color:var(--muted)}
svg{max-width:100%;height:auto}
.missing{border-left:4px solid var(--warn);background:#fff8ec;padding:.3rem .8rem;margin:.6rem 0}
.missing h3{margin:.3rem 0;color:var(--warn)}
.note{color:var(--muted);font-size:.85rem}
.footnotes{font-size:.8rem;color:var(--muted)}
.footnotes li{margin:.15rem 0;word-break:break-word}
@page{size:A4;margin:16mm 14mm 18mm 14mm}
@media print{
 body{font-size:10.5pt}
 main{max-width:none;padding:0}
 h2{break-after:avoid;page-break-after:avoid}
 h3{break-after:avoid}
 tr,figure,.missing{break-inside:avoid;page-break-inside:avoid}
 a{color:inherit;text-decoration:none}
 .footnotes{break-before:auto}
}
";

/// A whole, self-contained brief: inline CSS, no script, nothing fetched.
pub fn brief_page(title: &str, body: &Markup) -> String {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content="decarb";
                title { (title) }
                style { (PreEscaped(BRIEF_CSS)) }
            }
            body { main { (body) } }
        }
    };
    format!("{}\n", page.into_string())
}

/// The dashboard's navigation: (path, name).
pub const NAV: [(&str, &str); 7] = [
    ("/", "Overview"),
    ("/map", "Map"),
    ("/projects", "Projects"),
    ("/pledges", "Pledges"),
    ("/scenarios", "Scenarios"),
    ("/cbam", "CBAM calculator"),
    ("/analyses", "Analyses"),
];

/// The page shell every dashboard page shares: navigation (`active` marked), one search box
/// (countries, members, projects, plants and owners; `/search`, no JavaScript needed), the
/// analyses feed for feed readers, tooltip, footer and the one script.
pub fn dashboard_page(title: &str, active: &str, body: &Markup) -> Markup {
    dashboard_page_with(title, active, body, None)
}

/// [`dashboard_page`] with `account` (who is signed in, or a sign-in link) in the header.
pub fn dashboard_page_with(title: &str, active: &str, body: &Markup, account: Option<&Markup>) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · decarb" }
                link rel="stylesheet" href="/assets/app.css";
                link rel="alternate" type="application/atom+xml" title="decarb analyses" href="/analyses.atom";
            }
            body {
                header {
                    span.brand { "decarb" }
                    nav { @for (href, name) in NAV { a href=(href) aria-current=[(href == active).then_some("page")] { (name) } } }
                    form.search-go action="/search" method="get" role="search" {
                        input type="search" name="q" placeholder="Search countries, plants, owners, projects" aria-label="Search";
                        " " button type="submit" { "Search" }
                    }
                    @if let Some(account) = account { (account) }
                }
                main { h1 { (title) } (body) }
                div #tooltip role="status" hidden {}
                footer {
                    "Data: the tracker database served by this decarb instance; every figure with its source. API: "
                    a href="/api/openapi.json" { "/api/openapi.json" }
                }
                script src="/assets/app.js" defer {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_and_escaping() {
        let got: Vec<String> =
            [1, 2, 3, 4, 9, 11, 12, 13, 21, 22, 101, 111].iter().map(|n| ordinal(*n)).collect();
        assert_eq!(
            got,
            ["1st", "2nd", "3rd", "4th", "9th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]
        );
        assert_eq!(esc("<a href=\"x\">&"), "&lt;a href=&quot;x&quot;&gt;&amp;");
        assert_eq!(url_component("A & B (x)"), "A%20%26%20B%20%28x%29");
        assert_eq!(plural(1, "project", "projects"), "1 project");
        assert_eq!(plural(2, "project", "projects"), "2 projects");
        assert_eq!(plural(0, "project", "projects"), "0 projects");
        assert!(num_or_unknown(None, 2, None).0.contains(">unknown<"));
        let link = source_link(
            "sdg-iisd-2019-09-26",
            Some("IISD, SDG Knowledge Hub"),
            Some("https://sdg.iisd.org/x"),
        );
        assert!(
            link.0.contains("href=\"https://sdg.iisd.org/x\"")
                && link.0.contains(">IISD, SDG Knowledge Hub</a>"),
            "{}",
            link.0
        );
        assert!(!source_link("x", None, Some("javascript:alert(1)")).0.contains("href"));
    }

    #[test]
    fn footnotes_number_each_source_once() {
        let mut notes = Footnotes::default();
        assert_eq!(notes.number("worldsteel"), 1);
        assert_eq!(notes.number("BGS"), 2);
        assert_eq!(notes.number("worldsteel"), 1);
        assert_eq!(notes.len(), 2);
        assert!(notes.render().0.contains("<li id=\"fn2\">BGS</li>"));
        assert_eq!(
            notes.cite_all(["BGS", "USGS"]).0,
            "<sup class=\"fn\"><a href=\"#fn2\">2</a>, <a href=\"#fn3\">3</a></sup>"
        );
    }

    #[test]
    fn the_dashboard_shell_marks_the_current_page_and_escapes_the_title() {
        let page = dashboard_page("<script>x & y", "/map", &html! { p { "body" } }).into_string();
        assert!(page.contains("<a href=\"/map\" aria-current=\"page\">Map</a>"), "{page}");
        assert!(page.contains("&lt;script&gt;x &amp; y") && !page.contains("<script>x"));
        assert!(page.contains("<script src=\"/assets/app.js\" defer></script>"));
    }
}
