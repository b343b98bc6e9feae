//! Markdown to safe HTML for analyses: `pulldown-cmark` renders (tables, strikethrough and
//! footnotes on), then `ammonia` sanitises with its default allow-list, so no `<script>`,
//! `<style>`, `<iframe>`, event-handler attribute (`onerror=`, `onclick=`...) or `javascript:` /
//! `data:` URL survives, whether written as raw HTML or as a Markdown link. Links get
//! `rel="noopener noreferrer"`.

use pulldown_cmark::{Options, Parser, html};

/// Renders Markdown to sanitised HTML.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    sanitise(&raw)
}

/// Sanitises an HTML fragment with ammonia's default allow-list (URL schemes http, https,
/// mailto and a few more; never `javascript:`).
pub fn sanitise(fragment: &str) -> String {
    ammonia::Builder::default().link_rel(Some("noopener noreferrer")).clean(fragment).to_string()
}

/// The first paragraph of a Markdown body as plain text, at most `max` characters (for lists
/// and the feed summary).
pub fn summary(markdown: &str, max: usize) -> String {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut text = String::new();
    let mut in_paragraph = false;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Paragraph) => in_paragraph = true,
            Event::End(TagEnd::Paragraph) if !text.trim().is_empty() => break,
            Event::Text(t) | Event::Code(t) if in_paragraph => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_paragraph => text.push(' '),
            _ => {}
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_and_keeps_safe_markup() {
        let html = render(
            "# Title\n\nSome **bold** and a [link](https://example.org/x).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        );
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(html.contains("<strong>bold</strong>"), "{html}");
        assert!(html.contains("href=\"https://example.org/x\""), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn scripts_handlers_and_javascript_links_are_removed() {
        let body = "Hello <script>alert('x')</script>\n\n<img src=\"x.png\" onerror=\"alert(1)\">\n\n\
                    [click](javascript:alert(2)) <a href=\"javascript:alert(3)\" onclick=\"alert(4)\">raw</a>\n\n\
                    <a href=\"JaVaScRiPt:alert(5)\">mixed</a> <iframe src=\"https://evil.example\"></iframe>\n\n\
                    <svg onload=\"alert(6)\"></svg> <p style=\"x\" onmouseover=\"alert(7)\">p</p>\n\n\
                    [data](data:text/html;base64,PHNjcmlwdD4=)\n";
        let html = render(body);
        let lower = html.to_lowercase();
        for bad in [
            "<script",
            "onerror",
            "onclick",
            "onload",
            "onmouseover",
            "javascript:",
            "<iframe",
            "alert(",
            "data:text",
        ] {
            assert!(!lower.contains(bad), "{bad} got through: {html}");
        }
        assert!(html.contains("Hello"), "{html}");
        assert!(html.contains("click") && html.contains("raw") && html.contains("mixed"), "{html}");
    }

    #[test]
    fn summary_takes_the_first_paragraph() {
        assert_eq!(summary("# T\n\nFirst *para*graph\nhere.\n\nSecond.", 100), "First paragraph here.");
        assert_eq!(summary("Long words here", 8), "Long wo…");
    }
}
