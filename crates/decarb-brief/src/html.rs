//! HTML building blocks of a brief: escaping, numbers for people, footnotes, and the page shell
//! with its inline CSS (A4 print rules included). Nothing here refers to another file or site.

use std::fmt::Write as _;

/// Escapes text for HTML and SVG content and attributes.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A number for people: thousands separated, `digits` decimals.
pub fn num(value: f64, digits: usize) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let text = format!("{:.*}", digits, value.abs());
    let (int, frac) = text.split_once('.').map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
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
    pub fn cite(&mut self, source: &str) -> String {
        let n = self.number(source);
        format!("<sup class=\"fn\"><a href=\"#fn{n}\">{n}</a></sup>")
    }

    /// One superscript citing several sources, numbers separated by commas ("19, 20").
    pub fn cite_all<'a>(&mut self, sources: impl IntoIterator<Item = &'a str>) -> String {
        let links: Vec<String> = sources
            .into_iter()
            .map(|source| {
                let n = self.number(source);
                format!("<a href=\"#fn{n}\">{n}</a>")
            })
            .collect();
        if links.is_empty() { String::new() } else { format!("<sup class=\"fn\">{}</sup>", links.join(", ")) }
    }

    pub fn len(&self) -> usize {
        self.notes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.notes.is_empty()
    }

    /// The numbered list of sources.
    pub fn render(&self) -> String {
        let mut out = String::from("<section class=\"footnotes\"><h2>Sources</h2><ol>");
        for (i, note) in self.notes.iter().enumerate() {
            let _ = write!(out, "<li id=\"fn{}\">{}</li>", i + 1, esc(note));
        }
        out.push_str("</ol></section>");
        out
    }
}

/// A table; `cells` are already-escaped HTML. `numeric` marks right-aligned columns.
pub fn table(headers: &[&str], numeric: &[usize], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<table><thead><tr>");
    for (i, h) in headers.iter().enumerate() {
        let class = if numeric.contains(&i) { " class=\"n\"" } else { "" };
        let _ = write!(out, "<th{class}>{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = if numeric.contains(&i) { " class=\"n\"" } else { "" };
            let _ = write!(out, "<td{class}>{cell}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// A "what is missing" list, or nothing when nothing is.
pub fn missing_list(items: &[String]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let mut out = String::from("<div class=\"missing\"><h3>What is missing</h3><ul>");
    for item in items {
        let _ = write!(out, "<li>{}</li>", esc(item));
    }
    out.push_str("</ul></div>");
    out
}

/// Inline CSS: screen layout and A4 print rules (margins, no page break inside a figure or table
/// row, section headings kept with what follows).
pub const CSS: &str = "
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

/// A whole, self-contained page.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"generator\" content=\"decarb\"><title>{}</title><style>{CSS}</style></head>\
         <body><main>{body}</main></body></html>\n",
        esc(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_and_numbers() {
        let got: Vec<String> =
            [1, 2, 3, 4, 9, 11, 12, 13, 21, 22, 101, 111].iter().map(|n| ordinal(*n)).collect();
        assert_eq!(
            got,
            ["1st", "2nd", "3rd", "4th", "9th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]
        );
        assert_eq!(num(1_234_567.891, 1), "1,234,567.9");
        assert_eq!(num(-0.04, 1), "0.0");
        assert_eq!(esc("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }

    #[test]
    fn footnotes_number_each_source_once() {
        let mut notes = Footnotes::default();
        assert_eq!(notes.number("worldsteel"), 1);
        assert_eq!(notes.number("BGS"), 2);
        assert_eq!(notes.number("worldsteel"), 1);
        assert_eq!(notes.len(), 2);
        assert!(notes.render().contains("<li id=\"fn2\">BGS</li>"));
        assert_eq!(
            notes.cite_all(["BGS", "USGS"]),
            "<sup class=\"fn\"><a href=\"#fn2\">2</a>, <a href=\"#fn3\">3</a></sup>"
        );
    }
}
