//! Chart files: the standalone SVG documents the CLI writes (a run's emissions, technology mix,
//! capital expenditure and resources, an ensemble's fan, the tornado, `decarb diff`, the CBAM and
//! leakage charts, the MPP validation charts). They are drawn with the palette and the tick rules
//! of the dashboard's and the briefs' charts ([`super`]), as one `<svg>` with its namespace, size,
//! viewBox, font and a white background, so that a browser or an image viewer opens one alone.
//!
//! A [`Chart`] is a title, panels (small multiples: one per sector or resource, in a grid) and
//! one legend right of the panels, never over data. A panel is lines, bands and stacked areas over
//! years ([`Xy`]), horizontal bars ([`Bars`]) or stacked columns ([`Columns`]); its title and the
//! unit of its value axis are written above it, and a panel with nothing to show is left out.
//! Room for text comes from [`text_width`], an estimate a little wider than the common sans-serif
//! fonts, and [`super::check`] verifies on the written SVG what the layout promises: every text
//! inside the drawing, the legend clear of every plot area.

use super::{f1, ticks};
use crate::{Rgb, colour_for, neutral, num};
use maud::{Markup, html};
use std::fmt::Write as _;

/// The fonts a chart file asks for: what every system has, so no font file ships with it.
pub const FONT_FAMILY: &str = "Helvetica, Arial, sans-serif";

const TITLE: f64 = 18.0;
const PANEL_TITLE: f64 = 14.0;
const TEXT: f64 = 12.0;
const MARGIN: f64 = 16.0;
const HEADER: f64 = 40.0;
const PAD: f64 = 8.0;
const KEY_ROW: f64 = 20.0;
const BAR_ROW: f64 = 22.0;
/// Above a panel's plot: its title and the unit of its value axis.
const PANEL_TOP: f64 = 46.0;

/// The width a text takes at `size` px, estimated at 0.6 em a character: wider than the average
/// character of Helvetica or Arial (about 0.5 to 0.55 em), so that a layout from it leaves room.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.6
}

/// `text`, cut and ended with "…" where it would be wider than `width` at `size`.
pub fn fit(text: &str, size: f64, width: f64) -> String {
    if text_width(text, size) <= width {
        return text.to_owned();
    }
    let per = size * 0.6;
    let mut used = per;
    let mut out = String::new();
    for c in text.chars() {
        if used + per > width {
            break;
        }
        used += per;
        out.push(c);
    }
    out.push('…');
    out
}

/// How a legend entry shows its series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mark {
    /// A line; `dash` is its `stroke-dasharray` (none: solid).
    Line {
        colour: Rgb,
        width: f64,
        dash: Option<&'static str>,
    },
    Swatch {
        colour: Rgb,
        opacity: f64,
    },
}

/// One entry of a chart's legend.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub label: String,
    pub mark: Mark,
}

impl Key {
    pub fn line(label: impl Into<String>, colour: Rgb, width: f64, dashed: bool) -> Key {
        Key { label: label.into(), mark: Mark::Line { colour, width, dash: DASHES[usize::from(dashed)] } }
    }

    pub fn swatch(label: impl Into<String>, colour: Rgb, opacity: f64) -> Key {
        Key { label: label.into(), mark: Mark::Swatch { colour, opacity } }
    }
}

/// A line over years. Its name is its legend entry (none when empty) and, unless set, chooses
/// its colour from the palette.
#[derive(Debug, Clone)]
pub struct Line {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub colour: Rgb,
    pub width: f64,
    pub dashed: bool,
}

impl Line {
    /// A solid 2 px line in the palette's colour of what `name` names.
    pub fn new(name: impl Into<String>, points: Vec<(f64, f64)>) -> Line {
        let name = name.into();
        Line { colour: colour_for(&name), name, points, width: 2.0, dashed: false }
    }

    #[must_use]
    pub fn colour(mut self, colour: Rgb) -> Line {
        self.colour = colour;
        self
    }

    #[must_use]
    pub fn width(mut self, width: f64) -> Line {
        self.width = width;
        self
    }

    #[must_use]
    pub fn dashed(mut self) -> Line {
        self.dashed = true;
        self
    }
}

/// A band of (x, low, high), such as an ensemble's p5 to p95, with its legend entry.
#[derive(Debug, Clone)]
pub struct Band {
    pub name: String,
    pub points: Vec<(f64, f64, f64)>,
    pub colour: Rgb,
    pub opacity: f64,
}

/// Stacked areas: each series (name, a value per x) on top of the ones before it, in the
/// palette's colour of what it names.
#[derive(Debug, Clone, Default)]
pub struct Stack {
    pub xs: Vec<f64>,
    pub series: Vec<(String, Vec<f64>)>,
}

/// A labelled point, such as the 2030 milestone on the straight line to net zero.
#[derive(Debug, Clone)]
pub struct Dot {
    pub x: f64,
    pub y: f64,
    pub label: String,
    pub colour: Rgb,
}

/// A panel over a numeric x (years): stacked areas at the bottom, then bands, lines, vertical
/// markers (x, label) such as "2030", and labelled points on top.
#[derive(Debug, Clone, Default)]
pub struct Xy {
    /// The x axis's name ("year").
    pub x_name: String,
    /// The value axis's unit ("Mt CO2 (direct, after capture)").
    pub unit: String,
    pub stack: Stack,
    pub bands: Vec<Band>,
    pub lines: Vec<Line>,
    pub markers: Vec<(f64, String)>,
    pub dots: Vec<Dot>,
}

/// One row of a bar panel: its label and segments (from, to, colour).
#[derive(Debug, Clone)]
pub struct BarRow {
    pub label: String,
    pub segments: Vec<(f64, f64, Rgb)>,
}

/// Horizontal bars, a row per label in the given order, with an optional reference line (a
/// tornado's base run). `from_zero` puts 0 on the axis (a ranking); a tornado's axis spans its
/// bars only.
#[derive(Debug, Clone, Default)]
pub struct Bars {
    /// The value axis's name and unit ("million EUR").
    pub x_name: String,
    pub rows: Vec<BarRow>,
    pub reference: Option<f64>,
    pub from_zero: bool,
}

/// Stacked columns: a column per category (an empty category is a gap; a label may hold a line
/// break), a segment per series (name, colour, a value per category). `top` fixes the value
/// axis's top (100 for shares).
#[derive(Debug, Clone, Default)]
pub struct Columns {
    pub unit: String,
    pub categories: Vec<String>,
    pub series: Vec<(String, Rgb, Vec<f64>)>,
    pub top: Option<f64>,
}

/// What a panel draws.
#[derive(Debug, Clone)]
pub enum Plot {
    Xy(Xy),
    Bars(Bars),
    Columns(Columns),
}

/// One panel of a chart: a title and its plot.
#[derive(Debug, Clone)]
pub struct Panel {
    pub title: String,
    pub plot: Plot,
}

/// A chart file: a title, its panels in a grid of `columns`, each at least `panel_width` by
/// `panel_height` px, and a legend right of them (the entries the panels' named series give,
/// then `keys`). `empty` is written in place of the panels when none has anything to show.
#[derive(Debug, Clone)]
pub struct Chart {
    pub title: String,
    pub panels: Vec<Panel>,
    pub keys: Vec<Key>,
    pub columns: usize,
    pub panel_width: f64,
    pub panel_height: f64,
    pub empty: String,
}

/// A rectangle: x, y, width, height.
#[derive(Debug, Clone, Copy)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

/// A value axis: its range and its ticks with their labels.
struct Scale {
    lo: f64,
    hi: f64,
    ticks: Vec<(f64, String)>,
}

/// How many decimals a tick step needs: 0 for 500, 1 for 2.5, 2 for 0.25.
fn decimals(step: f64) -> usize {
    (0..3_i32)
        .find(|&d| {
            let s = step * 10f64.powi(d);
            (s - s.round()).abs() < 1e-6 * s.abs().max(1.0)
        })
        .and_then(|d| usize::try_from(d).ok())
        .unwrap_or(3)
}

/// A value axis over `[lo, hi]` with about `count` round ticks, labelled as people read numbers
/// ("6,000", "0.25"); `to_ticks` widens the range to the outer ticks.
fn scale(lo: f64, hi: f64, count: usize, to_ticks: bool) -> Scale {
    let hi = if hi > lo { hi } else { lo + 1.0 };
    let all = ticks(lo, hi, count);
    let step = match all.as_slice() {
        [a, b, ..] => b - a,
        _ => hi - lo,
    };
    let (lo, hi) = if to_ticks {
        (all.first().map_or(lo, |t| t.min(lo)), all.last().map_or(hi, |t| t.max(hi)))
    } else {
        (lo, hi)
    };
    let digits = decimals(step);
    let ticks = all
        .into_iter()
        .filter(|t| *t >= lo - 1e-9 * step && *t <= hi + 1e-9 * step)
        .map(|t| (t, num(t, digits)))
        .collect();
    Scale { lo, hi, ticks }
}

fn min_max(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.filter(|v| v.is_finite()).fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

/// The polylines of `points` (x, y in the drawing), broken where a value is not finite.
fn polylines(points: &[(f64, f64)], sx: &dyn Fn(f64) -> f64, sy: &dyn Fn(f64) -> f64) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for &(x, y) in points {
        if x.is_finite() && y.is_finite() {
            let sep = if current.is_empty() { "" } else { " " };
            let _ = write!(current, "{sep}{:.1},{:.1}", sx(x), sy(y));
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The dash patterns of lines: solid, dashed, then others for lines that share a colour.
const DASHES: [Option<&str>; 5] = [None, Some("6 4"), Some("2 3"), Some("10 3 2 3"), Some("1 2")];

/// Each line's dash pattern: solid, or dashed when asked; a line whose colour and pattern an
/// earlier line of the panel already has takes the next pattern, so that series which the
/// palette's seven colours cannot tell apart (eleven regions) still can be.
fn line_dashes(lines: &[Line]) -> Vec<Option<&'static str>> {
    let mut taken: Vec<(Rgb, usize)> = Vec::new();
    lines
        .iter()
        .map(|line| {
            let mut k = usize::from(line.dashed);
            for _ in 0..DASHES.len() {
                if !taken.contains(&(line.colour, k)) {
                    break;
                }
                k = (k + 1) % DASHES.len();
            }
            taken.push((line.colour, k));
            DASHES[k]
        })
        .collect()
}

/// A label beside x inside `[left, right]`: right of x when it fits there, else left of it.
fn beside(x: f64, label: &str, left: f64, right: f64) -> (f64, &'static str, String) {
    let room_right = right - x - 4.0;
    if text_width(label, TEXT) <= room_right {
        (x + 4.0, "start", label.to_owned())
    } else {
        let room_left = x - 4.0 - left;
        if room_left >= room_right {
            (x - 4.0, "end", fit(label, TEXT, room_left))
        } else {
            (x + 4.0, "start", fit(label, TEXT, room_right))
        }
    }
}

/// A panel's title and the unit of its value axis, above its plot.
fn heading(title: &str, unit: &str, at: Rect) -> Markup {
    let width = at.w - 2.0 * PAD;
    html! {
        text.panel-title x=(f1(at.x + PAD)) y=(f1(at.y + 18.0)) font-size=(PANEL_TITLE) font-weight="bold" {
            (fit(title, PANEL_TITLE, width))
        }
        @if !unit.is_empty() {
            text.unit x=(f1(at.x + PAD)) y=(f1(at.y + 36.0)) font-size=(TEXT) fill=(neutral::MUTED.hex()) {
                (fit(unit, TEXT, width))
            }
        }
    }
}

/// The plot area's frame (not drawn: it marks where data may go, for [`super::check`]).
fn plot_area(left: f64, top: f64, right: f64, bottom: f64) -> Markup {
    html! {
        rect.plot x=(f1(left)) y=(f1(top)) width=(f1(right - left)) height=(f1(bottom - top)) fill="none" {}
    }
}

/// A plot area (left, top, right, bottom) with its value axis: grid lines at the ticks, their
/// labels left of the plot, the base line.
fn value_axis(
    y: &Scale,
    (left, top, right, bottom): (f64, f64, f64, f64),
    sy: &dyn Fn(f64) -> f64,
) -> Markup {
    html! {
        (plot_area(left, top, right, bottom))
        @for (v, label) in &y.ticks {
            line x1=(f1(left)) x2=(f1(right)) y1=(f1(sy(*v))) y2=(f1(sy(*v))) stroke=(neutral::GRID.hex()) {}
            text x=(f1(left - 6.0)) y=(f1(sy(*v) + 4.0)) font-size=(TEXT) text-anchor="end" { (label) }
        }
        line x1=(f1(left)) x2=(f1(right)) y1=(f1(bottom)) y2=(f1(bottom)) stroke=(neutral::MUTED.hex()) {}
    }
}

impl Xy {
    fn is_empty(&self) -> bool {
        let stacked = self.stack.series.iter().any(|(_, v)| v.iter().any(|x| x.is_finite() && *x > 0.0));
        let lines = self.lines.iter().any(|l| l.points.iter().any(|p| p.0.is_finite() && p.1.is_finite()));
        let bands = self.bands.iter().any(|b| !b.points.is_empty());
        !(stacked || lines || bands)
    }

    /// Each stacked series' (bottom, top) at each x.
    fn stacked(&self) -> Vec<Vec<(f64, f64)>> {
        let mut base = vec![0.0; self.stack.xs.len()];
        self.stack
            .series
            .iter()
            .map(|(_, values)| {
                base.iter_mut()
                    .enumerate()
                    .map(|(i, b)| {
                        let v = values.get(i).copied().filter(|v| v.is_finite()).unwrap_or(0.0).max(0.0);
                        let bottom = *b;
                        *b += v;
                        (bottom, *b)
                    })
                    .collect()
            })
            .collect()
    }

    fn values(&self) -> Vec<f64> {
        let mut ys: Vec<f64> = self.stacked().iter().flatten().map(|p| p.1).collect();
        ys.extend(self.lines.iter().flat_map(|l| l.points.iter().map(|p| p.1)));
        ys.extend(self.bands.iter().flat_map(|b| b.points.iter().flat_map(|p| [p.1, p.2])));
        ys.extend(self.dots.iter().map(|d| d.y));
        ys
    }

    #[allow(clippy::too_many_lines, reason = "one panel's markup, layer by layer")]
    fn render(&self, title: &str, at: Rect) -> Markup {
        let stacked = self.stacked();
        let xs = self
            .stack
            .xs
            .iter()
            .copied()
            .chain(self.lines.iter().flat_map(|l| l.points.iter().map(|p| p.0)))
            .chain(self.bands.iter().flat_map(|b| b.points.iter().map(|p| p.0)))
            .chain(self.dots.iter().map(|d| d.x));
        let (x0, x1) = min_max(xs).unwrap_or((0.0, 1.0));
        let x1 = if x1 > x0 { x1 } else { x0 + 1.0 };
        let (lo, hi) = min_max(self.values().into_iter()).unwrap_or((0.0, 1.0));
        let y = scale(lo.min(0.0), hi.max(0.0), 5, true);
        let label_w = y.ticks.iter().map(|t| text_width(&t.1, TEXT)).fold(0.0, f64::max);
        let left = at.x + PAD + label_w + 6.0;
        let (top, bottom) = (at.y + PANEL_TOP, at.y + at.h - 40.0);
        // Ticks about every 70 px, the last label's half inside the panel (issue 17: "2050" cut).
        let room = at.w - 2.0 * PAD - label_w - 6.0;
        let count = (2..=8_usize).take_while(|&k| k as f64 * 70.0 <= room).last().unwrap_or(2);
        let x_ticks: Vec<(f64, String)> = ticks(x0, x1, count)
            .into_iter()
            .filter(|t| *t >= x0 - 1e-9 && *t <= x1 + 1e-9)
            .map(|t| (t, format!("{t:.0}")))
            .collect();
        let half_last = x_ticks.last().map_or(0.0, |t| text_width(&t.1, TEXT) / 2.0);
        let right = at.x + at.w - PAD - half_last.max(4.0);
        let sx = |v: f64| left + (v - x0) / (x1 - x0) * (right - left);
        let sy = |v: f64| bottom - (v - y.lo) / (y.hi - y.lo) * (bottom - top);
        let muted = neutral::MUTED.hex();
        html! {
            g.panel {
                (heading(title, &self.unit, at))
                (value_axis(&y, (left, top, right, bottom), &sy))
                @for (v, label) in &x_ticks {
                    line x1=(f1(sx(*v))) x2=(f1(sx(*v))) y1=(f1(bottom)) y2=(f1(bottom + 4.0)) stroke=(muted) {}
                    text x=(f1(sx(*v))) y=(f1(bottom + 17.0)) font-size=(TEXT) text-anchor="middle" { (label) }
                }
                @if !self.x_name.is_empty() {
                    text x=(f1(f64::midpoint(left, right))) y=(f1(bottom + 33.0)) font-size=(TEXT) text-anchor="middle"
                        fill=(muted) { (fit(&self.x_name, TEXT, right - left)) }
                }
                @for ((name, _), layer) in self.stack.series.iter().zip(&stacked) {
                    @if layer.iter().any(|p| p.1 > p.0) {
                        @let upper = self.stack.xs.iter().zip(layer).map(|(&x, p)| format!("{:.1},{:.1}", sx(x), sy(p.1)));
                        @let lower = self.stack.xs.iter().zip(layer).rev().map(|(&x, p)| format!("{:.1},{:.1}", sx(x), sy(p.0)));
                        polygon.area points=(upper.chain(lower).collect::<Vec<_>>().join(" ")) fill=(colour_for(name).hex())
                            fill-opacity="0.85" stroke=(colour_for(name).hex()) stroke-width="0.5" { title { (name) } }
                    }
                }
                @for band in &self.bands {
                    @let upper = band.points.iter().map(|&(x, _, h)| format!("{:.1},{:.1}", sx(x), sy(h)));
                    @let lower = band.points.iter().rev().map(|&(x, l, _)| format!("{:.1},{:.1}", sx(x), sy(l)));
                    polygon.band points=(upper.chain(lower).collect::<Vec<_>>().join(" ")) fill=(band.colour.hex())
                        fill-opacity=(band.opacity) stroke="none" { title { (band.name) } }
                }
                @for (at_x, label) in self.markers.iter().filter(|(m, _)| (x0..=x1).contains(m)) {
                    @let x = sx(*at_x);
                    @let (tx, anchor, label) = beside(x, label, left, right);
                    line.marker x1=(f1(x)) x2=(f1(x)) y1=(f1(top)) y2=(f1(bottom)) stroke=(muted) stroke-dasharray="4 3" {}
                    text.marker x=(f1(tx)) y=(f1(top + 12.0)) font-size=(TEXT) text-anchor=(anchor) fill=(muted) { (label) }
                }
                @for (line, dash) in self.lines.iter().zip(line_dashes(&self.lines)) {
                    @for points in polylines(&line.points, &sx, &sy) {
                        polyline points=(points) fill="none" stroke=(line.colour.hex()) stroke-width=(line.width)
                            stroke-linejoin="round" stroke-dasharray=[dash] { title { (line.name) } }
                    }
                    @if line.points.iter().filter(|p| p.0.is_finite() && p.1.is_finite()).count() == 1 {
                        @for &(px, py) in line.points.iter().filter(|p| p.0.is_finite() && p.1.is_finite()) {
                            circle cx=(f1(sx(px))) cy=(f1(sy(py))) r="3" fill=(line.colour.hex()) {}
                        }
                    }
                }
                @for dot in self.dots.iter().filter(|d| d.x.is_finite() && d.y.is_finite()) {
                    @let (cx, cy) = (sx(dot.x), sy(dot.y));
                    @let (tx, anchor, label) = beside(cx + 4.0, &dot.label, left, right);
                    @let ty = if cy - 10.0 - TEXT > top { cy - 10.0 } else { cy + 20.0 };
                    circle cx=(f1(cx)) cy=(f1(cy)) r="5" fill=(dot.colour.hex()) {}
                    text x=(f1(tx)) y=(f1(ty.min(bottom - 4.0))) font-size=(TEXT) text-anchor=(anchor) fill=(dot.colour.hex()) { (label) }
                }
            }
        }
    }
}

impl Bars {
    fn min_height(&self) -> f64 {
        28.0 + BAR_ROW * self.rows.len() as f64 + 44.0
    }

    fn render(&self, title: &str, at: Rect) -> Markup {
        let label_w =
            self.rows.iter().map(|r| text_width(&r.label, TEXT)).fold(0.0, f64::max).min(at.w * 0.45);
        let ends = self.rows.iter().flat_map(|r| r.segments.iter().flat_map(|s| [s.0, s.1]));
        let zero = self.from_zero.then_some(0.0);
        let (lo, hi) = min_max(ends.chain(self.reference).chain(zero)).unwrap_or((0.0, 1.0));
        let pad = if self.from_zero { 0.0 } else { ((hi - lo) * 0.06).max(hi.abs() * 0.01).max(1e-6) };
        let x = scale(lo - pad, hi + pad, 5, self.from_zero);
        let left = at.x + PAD + label_w + 8.0;
        let half_last = x.ticks.last().map_or(0.0, |t| text_width(&t.1, TEXT) / 2.0);
        let right = at.x + at.w - PAD - half_last.max(4.0);
        let top = at.y + 28.0;
        let bottom = top + BAR_ROW * self.rows.len() as f64;
        let sx = |v: f64| left + (v - x.lo) / (x.hi - x.lo) * (right - left);
        let muted = neutral::MUTED.hex();
        html! {
            g.panel {
                (heading(title, "", at))
                (plot_area(left, top, right, bottom))
                @for (v, label) in &x.ticks {
                    line x1=(f1(sx(*v))) x2=(f1(sx(*v))) y1=(f1(top)) y2=(f1(bottom)) stroke=(neutral::GRID.hex()) {}
                    text x=(f1(sx(*v))) y=(f1(bottom + 17.0)) font-size=(TEXT) text-anchor="middle" { (label) }
                }
                line x1=(f1(left)) x2=(f1(right)) y1=(f1(bottom)) y2=(f1(bottom)) stroke=(muted) {}
                @if !self.x_name.is_empty() {
                    text x=(f1(f64::midpoint(left, right))) y=(f1(bottom + 33.0)) font-size=(TEXT) text-anchor="middle"
                        fill=(muted) { (fit(&self.x_name, TEXT, right - left)) }
                }
                @for (k, row) in self.rows.iter().enumerate() {
                    @let ry = top + BAR_ROW * k as f64;
                    text x=(f1(left - 8.0)) y=(f1(ry + 15.0)) font-size=(TEXT) text-anchor="end" {
                        (fit(&row.label, TEXT, label_w))
                    }
                    @for &(a, b, colour) in row.segments.iter().filter(|s| s.0.is_finite() && s.1.is_finite()) {
                        @let (a, b) = (sx(a.min(b)), sx(a.max(b)));
                        rect x=(f1(a)) y=(f1(ry + 4.0)) width=(f1((b - a).max(0.5))) height=(f1(BAR_ROW - 8.0))
                            fill=(colour.hex()) fill-opacity="0.85" { title { (row.label) } }
                    }
                }
                @if let Some(r) = self.reference.filter(|r| r.is_finite()) {
                    line x1=(f1(sx(r))) x2=(f1(sx(r))) y1=(f1(top)) y2=(f1(bottom)) stroke=(crate::okabe_ito::BLACK.hex()) stroke-width="2" {}
                }
            }
        }
    }
}

impl Columns {
    fn label_lines(&self) -> usize {
        self.categories.iter().map(|c| c.lines().count()).max().unwrap_or(1).max(1)
    }

    fn min_height(&self) -> f64 {
        PANEL_TOP + 160.0 + 14.0 * self.label_lines() as f64
    }

    fn is_empty(&self) -> bool {
        !self.series.iter().any(|s| s.2.iter().any(|v| v.is_finite() && *v > 0.0))
    }

    fn render(&self, title: &str, at: Rect) -> Markup {
        let n = self.categories.len().max(1);
        let value = |s: &(String, Rgb, Vec<f64>), c: usize| {
            s.2.get(c).copied().filter(|v| v.is_finite()).unwrap_or(0.0).max(0.0)
        };
        let max = (0..n).map(|c| self.series.iter().map(|s| value(s, c)).sum::<f64>()).fold(0.0, f64::max);
        let y = match self.top {
            Some(top) => scale(0.0, top, 5, false),
            None => scale(0.0, max, 5, true),
        };
        let label_w = y.ticks.iter().map(|t| text_width(&t.1, TEXT)).fold(0.0, f64::max);
        let left = at.x + PAD + label_w + 6.0;
        let right = at.x + at.w - PAD;
        let top = at.y + PANEL_TOP;
        let bottom = at.y + at.h - 12.0 - 14.0 * self.label_lines() as f64;
        let slot = (right - left) / n as f64;
        let sy = |v: f64| bottom - (v - y.lo) / (y.hi - y.lo) * (bottom - top);
        // Each series' segments: (series, category, value, bottom), stacked on the ones before.
        let mut base = vec![0.0; n];
        let mut segments = Vec::new();
        for s in &self.series {
            for c in (0..n).filter(|&c| !self.categories.get(c).is_some_and(String::is_empty)) {
                let v = value(s, c);
                if v > 0.0 {
                    segments.push((s, c, v, base[c]));
                }
                base[c] += v;
            }
        }
        html! {
            g.panel {
                (heading(title, &self.unit, at))
                (value_axis(&y, (left, top, right, bottom), &sy))
                @for (c, category) in self.categories.iter().enumerate() {
                    @let cx = left + slot * (c as f64 + 0.5);
                    @for (k, line) in category.lines().enumerate() {
                        text x=(f1(cx)) y=(f1(bottom + 16.0 + 14.0 * k as f64)) font-size=(TEXT) text-anchor="middle" {
                            (fit(line, TEXT, slot - 2.0))
                        }
                    }
                }
                @for &(s, c, v, under) in &segments {
                    rect x=(f1(left + slot * c as f64 + slot * 0.1)) y=(f1(sy(under + v))) width=(f1(slot * 0.8))
                        height=(f1(sy(under) - sy(under + v))) fill=(s.1.hex()) {
                        title { (s.0) ", " (self.categories.get(c).map_or("", String::as_str)) ": " (num(v, 1)) }
                    }
                }
            }
        }
    }
}

impl Plot {
    fn is_empty(&self) -> bool {
        match self {
            Plot::Xy(xy) => xy.is_empty(),
            Plot::Bars(bars) => bars.rows.iter().all(|r| r.segments.is_empty()),
            Plot::Columns(columns) => columns.is_empty(),
        }
    }

    fn min_height(&self) -> f64 {
        match self {
            Plot::Xy(_) => PANEL_TOP + 160.0,
            Plot::Bars(bars) => bars.min_height(),
            Plot::Columns(columns) => columns.min_height(),
        }
    }

    /// The legend entries of the plot's named series.
    fn keys(&self) -> Vec<Key> {
        match self {
            Plot::Xy(xy) => {
                let areas =
                    xy.stack.series.iter().filter(|(_, v)| v.iter().any(|x| x.is_finite() && *x > 0.0));
                let areas = areas.map(|(name, _)| Key::swatch(name.clone(), colour_for(name), 0.85));
                let bands = xy.bands.iter().map(|b| Key::swatch(b.name.clone(), b.colour, b.opacity));
                let lines = xy.lines.iter().zip(line_dashes(&xy.lines)).map(|(l, dash)| Key {
                    label: l.name.clone(),
                    mark: Mark::Line { colour: l.colour, width: l.width, dash },
                });
                areas.chain(bands).chain(lines).collect()
            }
            Plot::Bars(_) => Vec::new(),
            Plot::Columns(columns) => columns
                .series
                .iter()
                .map(|(name, colour, _)| Key::swatch(name.clone(), *colour, 1.0))
                .collect(),
        }
    }

    /// Every value the plot draws (for a check that none is out of range).
    fn values(&self) -> Vec<f64> {
        match self {
            Plot::Xy(xy) => xy.values(),
            Plot::Bars(bars) => {
                bars.rows.iter().flat_map(|r| r.segments.iter().flat_map(|s| [s.0, s.1])).collect()
            }
            Plot::Columns(columns) => columns.series.iter().flat_map(|s| s.2.iter().copied()).collect(),
        }
    }
}

impl Chart {
    /// A chart of small multiples, two panels a row.
    pub fn new(title: impl Into<String>) -> Chart {
        Chart {
            title: title.into(),
            panels: Vec::new(),
            keys: Vec::new(),
            columns: 2,
            panel_width: 480.0,
            panel_height: 320.0,
            empty: "No data.".to_owned(),
        }
    }

    /// A chart of one panel.
    pub fn single(title: impl Into<String>, panel_title: impl Into<String>, plot: Plot) -> Chart {
        Chart {
            panels: vec![Panel { title: panel_title.into(), plot }],
            columns: 1,
            panel_width: 760.0,
            panel_height: 440.0,
            ..Chart::new(title)
        }
    }

    /// The first value the chart would draw that is not a finite number.
    pub fn non_finite(&self) -> Option<f64> {
        self.panels.iter().flat_map(|p| p.plot.values()).find(|v| !v.is_finite())
    }

    /// The legend: the named series of the panels drawn, each label once, then `keys`.
    pub fn legend(&self) -> Vec<Key> {
        let mut keys: Vec<Key> = Vec::new();
        let drawn = self.panels.iter().filter(|p| !p.plot.is_empty());
        for key in drawn.flat_map(|p| p.plot.keys()).chain(self.keys.iter().cloned()) {
            if !key.label.is_empty() && !keys.iter().any(|k| k.label == key.label) {
                keys.push(key);
            }
        }
        keys
    }

    /// The chart as a standalone SVG document.
    pub fn to_svg(&self) -> String {
        let panels: Vec<&Panel> = self.panels.iter().filter(|p| !p.plot.is_empty()).collect();
        let keys = if panels.is_empty() { Vec::new() } else { self.legend() };
        let columns = self.columns.clamp(1, panels.len().max(1));
        let rows = panels.len().div_ceil(columns);
        let pw = self.panel_width;
        let ph = panels.iter().map(|p| p.plot.min_height()).fold(self.panel_height, f64::max);
        let key_w = keys.iter().map(|k| text_width(&k.label, TEXT)).fold(0.0, f64::max);
        let legend_w = if keys.is_empty() { 0.0 } else { key_w + 30.0 + 2.0 * PAD };
        let grid_w = columns as f64 * pw;
        let body = if panels.is_empty() { 40.0 } else { rows as f64 * ph };
        let legend_h = PANEL_TOP + KEY_ROW * keys.len() as f64;
        let width = (2.0 * MARGIN + grid_w + legend_w)
            .max(2.0 * MARGIN + text_width(&self.title, TITLE))
            .max(2.0 * MARGIN + text_width(&self.empty, TEXT))
            .ceil();
        let height = (HEADER + body.max(legend_h) + MARGIN).ceil();
        let view = format!("0 0 {width} {height}");
        html! {
            svg xmlns="http://www.w3.org/2000/svg" width=(width) height=(height) viewBox=(view)
                font-family=(FONT_FAMILY) font-size=(TEXT) role="img" aria-label=(self.title) {
                title { (self.title) }
                rect width=(width) height=(height) fill=(neutral::PAPER.hex()) {}
                text.title x=(MARGIN) y="26" font-size=(TITLE) font-weight="bold" { (self.title) }
                @if panels.is_empty() {
                    text x=(MARGIN) y=(HEADER + 24.0) font-size=(TEXT) fill=(neutral::MUTED.hex()) { (self.empty) }
                }
                @for (i, panel) in panels.iter().enumerate() {
                    @let at = Rect {
                        x: MARGIN + (i % columns) as f64 * pw,
                        y: HEADER + (i / columns) as f64 * ph,
                        w: pw,
                        h: ph,
                    };
                    @match &panel.plot {
                        Plot::Xy(xy) => (xy.render(&panel.title, at)),
                        Plot::Bars(bars) => (bars.render(&panel.title, at)),
                        Plot::Columns(columns) => (columns.render(&panel.title, at)),
                    }
                }
                @if !keys.is_empty() {
                    (legend(&keys, MARGIN + grid_w + PAD, HEADER + PANEL_TOP))
                }
            }
        }
        .into_string()
    }
}

/// The legend, a column of entries from (x, y): outside every panel.
fn legend(keys: &[Key], x: f64, y: f64) -> Markup {
    html! {
        g.legend {
            @for (i, key) in keys.iter().enumerate() {
                @let cy = y + KEY_ROW * i as f64 + KEY_ROW / 2.0;
                @match key.mark {
                    Mark::Line { colour, width, dash } => {
                        line x1=(f1(x)) x2=(f1(x + 24.0)) y1=(f1(cy)) y2=(f1(cy)) stroke=(colour.hex())
                            stroke-width=(width) stroke-dasharray=[dash] {}
                    }
                    Mark::Swatch { colour, opacity } => {
                        rect x=(f1(x + 2.0)) y=(f1(cy - 6.0)) width="20" height="12" fill=(colour.hex())
                            fill-opacity=(opacity) {}
                    }
                }
                text x=(f1(x + 30.0)) y=(f1(cy + 4.0)) font-size=(TEXT) { (key.label) }
            }
        }
    }
}

#[cfg(test)]
mod tests;
