//! What a chart's layout promises, checked on its SVG text: every text element's estimated extent
//! (the widths [`super::doc::text_width`] lays text out with) inside the drawing's viewBox, and a
//! chart file's legend clear of every plot area (issue 17: clipped labels, legends over data).
//! The tests of the CLI's chart files and of the dashboard's and the briefs' charts call it; it
//! reads the markup this crate writes (attributes in double quotes), not any SVG.

use super::doc::text_width;

/// An extent in the drawing: left, top, right, bottom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Extent {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Extent {
    fn union(self, other: Extent) -> Extent {
        Extent {
            x0: self.x0.min(other.x0),
            y0: self.y0.min(other.y0),
            x1: self.x1.max(other.x1),
            y1: self.y1.max(other.y1),
        }
    }

    /// Whether the two overlap by more than half a pixel each way.
    fn overlaps(self, other: Extent) -> bool {
        self.x0.max(other.x0) + 0.5 < self.x1.min(other.x1)
            && self.y0.max(other.y0) + 0.5 < self.y1.min(other.y1)
    }
}

/// One text element: what it reads and where it is estimated to stand.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub text: String,
    pub extent: Extent,
}

/// A start tag: the element's name, its attributes, and where the tag ends in the document.
struct Tag<'a> {
    name: &'a str,
    attrs: Vec<(&'a str, &'a str)>,
    end: usize,
}

impl Tag<'_> {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
    }

    fn number(&self, name: &str) -> Option<f64> {
        self.attr(name).and_then(|v| v.trim().parse().ok())
    }
}

/// The start tags of `svg` from `from`, in order.
fn tags(svg: &str, from: usize) -> Vec<Tag<'_>> {
    let mut out = Vec::new();
    let mut at = from;
    while let Some(offset) = svg.get(at..).and_then(|s| s.find('<')) {
        let start = at + offset + 1;
        let rest = svg.get(start..).unwrap_or("");
        at = start;
        if rest.starts_with(['/', '!', '?']) {
            continue;
        }
        let Some(name_end) = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/') else { break };
        let mut attrs = Vec::new();
        let mut tail = &rest[name_end..];
        let end = loop {
            tail = tail.trim_start();
            if let Some(after) = tail.strip_prefix("/>").or_else(|| tail.strip_prefix('>')) {
                break svg.len() - after.len();
            }
            if tail.is_empty() {
                break svg.len();
            }
            let Some(eq) = tail.find('=') else { break svg.len() };
            let key = tail[..eq].trim();
            let Some(value) = tail[eq + 1..].trim_start().strip_prefix('"') else { break svg.len() };
            let Some(close) = value.find('"') else { break svg.len() };
            attrs.push((key, &value[..close]));
            tail = &value[close + 1..];
        };
        out.push(Tag { name: &rest[..name_end], attrs, end });
        at = end.max(at);
    }
    out
}

/// The characters a text element shows: nested tags dropped, entities as one character each.
fn shown(raw: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in raw.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    for (entity, c) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
        out = out.replace(entity, c);
    }
    out
}

/// A `rotate(a cx cy)` transform as (degrees, cx, cy).
fn rotation(transform: &str) -> Option<(f64, f64, f64)> {
    let inner = transform.trim().strip_prefix("rotate(")?.strip_suffix(')')?;
    let mut parts = inner.split([' ', ',']).filter(|p| !p.is_empty()).map(str::parse::<f64>);
    Some((parts.next()?.ok()?, parts.next()?.ok()?, parts.next()?.ok()?))
}

/// The extent of a text at (x, y) with its anchor, size and rotation.
fn text_extent(tag: &Tag, text: &str, default_size: f64) -> Option<Extent> {
    let (x, y) = (tag.number("x")?, tag.number("y")?);
    let size = tag.number("font-size").unwrap_or(default_size);
    let width = text_width(text, size);
    let x0 = match tag.attr("text-anchor") {
        Some("middle") => x - width / 2.0,
        Some("end") => x - width,
        _ => x,
    };
    let plain = Extent { x0, y0: y - size * 0.8, x1: x0 + width, y1: y + size * 0.25 };
    let Some((degrees, cx, cy)) = tag.attr("transform").and_then(rotation) else { return Some(plain) };
    let (sin, cos) = degrees.to_radians().sin_cos();
    let turn =
        |px: f64, py: f64| (cx + (px - cx) * cos - (py - cy) * sin, cy + (px - cx) * sin + (py - cy) * cos);
    let corners = [(plain.x0, plain.y0), (plain.x1, plain.y0), (plain.x0, plain.y1), (plain.x1, plain.y1)];
    corners.into_iter().map(|(px, py)| turn(px, py)).fold(None, |acc: Option<Extent>, (px, py)| {
        let point = Extent { x0: px, y0: py, x1: px, y1: py };
        Some(acc.map_or(point, |a| a.union(point)))
    })
}

/// The drawing's viewBox (x, y, width, height) and its default font size.
fn root(svg: &str) -> Option<(Extent, f64)> {
    let tag = tags(svg, 0).into_iter().find(|t| t.name == "svg")?;
    let numbers: Vec<f64> = tag.attr("viewBox")?.split_whitespace().filter_map(|v| v.parse().ok()).collect();
    let [x, y, w, h] = numbers.as_slice() else { return None };
    let size = tag.number("font-size").unwrap_or(12.0);
    Some((Extent { x0: *x, y0: *y, x1: x + w, y1: y + h }, size))
}

/// Every text element of `svg` from byte `from` to `to`, with its estimated extent.
fn texts_between(svg: &str, from: usize, to: usize, size: f64) -> Vec<Text> {
    tags(svg, from)
        .into_iter()
        .take_while(|t| t.end <= to)
        .filter(|t| t.name == "text")
        .filter_map(|t| {
            let raw = svg.get(t.end..).and_then(|s| s.split_once("</text>")).map_or("", |(raw, _)| raw);
            let text = shown(raw);
            Some(Text { extent: text_extent(&t, &text, size)?, text })
        })
        .collect()
}

/// Every text element of `svg`, with its estimated extent.
pub fn texts(svg: &str) -> Vec<Text> {
    let size = root(svg).map_or(12.0, |r| r.1);
    texts_between(svg, 0, svg.len(), size)
}

/// The extent of a rect or line element.
fn shape_extent(tag: &Tag) -> Option<Extent> {
    match tag.name {
        "rect" => {
            let (x, y) = (tag.number("x").unwrap_or(0.0), tag.number("y").unwrap_or(0.0));
            Some(Extent { x0: x, y0: y, x1: x + tag.number("width")?, y1: y + tag.number("height")? })
        }
        "line" => {
            let (x1, x2, y1, y2) =
                (tag.number("x1")?, tag.number("x2")?, tag.number("y1")?, tag.number("y2")?);
            Some(Extent { x0: x1.min(x2), y0: y1.min(y2), x1: x1.max(x2), y1: y1.max(y2) })
        }
        _ => None,
    }
}

/// What breaks the layout's promises in `svg`, one sentence each (none when it keeps them).
pub fn problems(svg: &str) -> Vec<String> {
    let Some((view, size)) = root(svg) else { return vec!["no <svg> element with a viewBox".to_owned()] };
    let mut out = Vec::new();
    for t in texts(svg) {
        let e = t.extent;
        if e.x0 < view.x0 - 0.5 || e.x1 > view.x1 + 0.5 || e.y0 < view.y0 - 0.5 || e.y1 > view.y1 + 0.5 {
            out.push(format!(
                "text {:?} spans x {:.1} to {:.1}, y {:.1} to {:.1}: outside the drawing ({} by {})",
                t.text, e.x0, e.x1, e.y0, e.y1, view.x1, view.y1
            ));
        }
    }
    let all = tags(svg, 0);
    let plots: Vec<Extent> = all
        .iter()
        .filter(|t| t.name == "rect" && t.attr("class") == Some("plot"))
        .filter_map(shape_extent)
        .collect();
    for legend in all.iter().filter(|t| t.name == "g" && t.attr("class") == Some("legend")) {
        let close = svg.get(legend.end..).and_then(|s| s.find("</g>")).map_or(svg.len(), |i| legend.end + i);
        let shapes =
            tags(svg, legend.end).into_iter().take_while(|t| t.end <= close).filter_map(|t| shape_extent(&t));
        let words = texts_between(svg, legend.end, close, size).into_iter().map(|t| t.extent);
        let Some(extent) = shapes.chain(words).reduce(Extent::union) else { continue };
        for plot in plots.iter().filter(|p| p.overlaps(extent)) {
            out.push(format!("the legend ({extent:?}) overlaps a plot area ({plot:?})"));
        }
    }
    out
}
