//! What every chart the CLI draws with plotters shares: decarb's one palette (`decarb_chart`) as
//! plotters colours, the error of a failed drawing, and the guard that keeps a value that is not
//! finite off an axis.

use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A colour of decarb's one palette (`decarb_chart`) for plotters.
pub fn rgb(colour: decarb_chart::Rgb) -> RGBColor {
    RGBColor(colour.0, colour.1, colour.2)
}

/// The colour of a series by what it names: the same as on the dashboard and in the briefs.
pub fn colour(name: &str) -> RGBColor {
    rgb(decarb_chart::colour_for(name))
}

/// A drawing that failed.
pub fn err(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow!("drawing a chart: {e}")
}

/// The largest of `values` and 0. A value that is not finite is an error, never an axis:
/// plotters' tick loop never ends on an infinite range (a new-plant size of 1e300 Mt once hung
/// `decarb run` here), so every chart's axis comes from this.
pub fn finite_max(values: impl Iterator<Item = f64>) -> Result<f64> {
    let mut top = 0.0_f64;
    for v in values {
        if !v.is_finite() {
            return Err(anyhow!("cannot chart a value of {v}: the run produced a number out of range"));
        }
        top = top.max(v);
    }
    Ok(top)
}

/// A name as a reader says it: `natural_gas` as "natural gas", `co2_stored` as "CO2 stored".
pub fn human(name: &str) -> String {
    name.split('_')
        .map(|word| if word.eq_ignore_ascii_case("co2") { "CO2".to_owned() } else { word.to_owned() })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A tick label: no needless `.0` ("6,000", not "6000.0"), a thousands separator, at most two
/// decimals (issue 17).
pub fn tick(value: f64) -> String {
    let text = crate::output::display_number(value, 2);
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { &text };
    let (sign, digits) = text.strip_prefix('-').map_or(("", text), |d| ("-", d));
    let (whole, fraction) = digits.split_once('.').map_or((digits, None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// The light grid every chart draws: major lines only, faint (issue 17: dense minor grids).
pub fn grid() -> ShapeStyle {
    BLACK.mix(0.1).stroke_width(1)
}

/// Room right of a year axis, so the last year's label ("2050") is not cut off.
pub const RIGHT_MARGIN: u32 = 36;

/// How a legend entry shows its series.
#[derive(Debug, Clone, Copy)]
pub enum Mark {
    Line(RGBColor, u32),
    Dashed(RGBColor, u32),
    Swatch(RGBColor),
}

/// One legend entry.
#[derive(Debug, Clone)]
pub struct Key {
    pub label: String,
    pub mark: Mark,
}

impl Key {
    pub fn new(label: impl Into<String>, mark: Mark) -> Key {
        Key { label: label.into(), mark }
    }
}

const KEY_FONT: u32 = 13;
const KEY_ROW: i32 = 20;
const KEY_SWATCH: i32 = 22;

/// An entry's width in pixels: the mark, a gap, the label at about 0.6 em a character.
fn key_width(key: &Key) -> i32 {
    let chars = i32::try_from(key.label.chars().count()).unwrap_or(i32::MAX / 8);
    KEY_SWATCH + 6 + chars * i32::try_from(KEY_FONT).unwrap_or(13) * 6 / 10 + 18
}

/// Where each entry goes in rows as wide as `width`: (x, row) per key, and the rows used.
fn key_layout(keys: &[Key], width: i32) -> (Vec<(i32, i32)>, i32) {
    let (mut x, mut row, mut places) = (12, 0, Vec::with_capacity(keys.len()));
    for key in keys {
        let w = key_width(key);
        if x > 12 && x + w > width - 12 {
            (x, row) = (12, row + 1);
        }
        places.push((x, row));
        x += w;
    }
    (places, if keys.is_empty() { 0 } else { row + 1 })
}

/// Draws `keys` in a strip along the bottom of `area` and gives back the rest, where the chart
/// goes: a legend never covers data (issue 17).
pub fn legend_below<'a>(
    area: &DrawingArea<SVGBackend<'a>, Shift>,
    keys: &[Key],
) -> Result<DrawingArea<SVGBackend<'a>, Shift>> {
    let (width, height) = area.dim_in_pixel();
    let width = i32::try_from(width).unwrap_or(i32::MAX);
    let (places, rows) = key_layout(keys, width);
    if rows == 0 {
        return Ok(area.clone());
    }
    let strip = rows * KEY_ROW + 8;
    let (plot, legend) = area.split_vertically(i32::try_from(height).unwrap_or(i32::MAX) - strip);
    for (key, (x, row)) in keys.iter().zip(places) {
        let y = 4 + row * KEY_ROW + KEY_ROW / 2;
        match key.mark {
            Mark::Line(c, w) => {
                legend.draw(&PathElement::new(vec![(x, y), (x + KEY_SWATCH, y)], c.stroke_width(w)))
            }
            Mark::Dashed(c, w) => {
                for start in [x, x + 9, x + 18] {
                    legend
                        .draw(&PathElement::new(vec![(start, y), (start + 5, y)], c.stroke_width(w)))
                        .map_err(err)?;
                }
                Ok(())
            }
            Mark::Swatch(c) => {
                legend.draw(&Rectangle::new([(x + 4, y - 6), (x + 18, y + 6)], c.mix(0.85).filled()))
            }
        }
        .map_err(err)?;
        legend
            .draw(&Text::new(
                key.label.clone(),
                (x + KEY_SWATCH + 6, y),
                TextStyle::from(("sans-serif", KEY_FONT).into_font()).pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(err)?;
    }
    Ok(plot)
}

/// Rows and columns for `n` panels: one, side by side, or two by two.
pub fn panel_grid(n: usize) -> (usize, usize) {
    match n {
        0 | 1 => (1, 1),
        2 => (1, 2),
        _ => (n.div_ceil(2), 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_read_as_numbers_do() {
        assert_eq!(tick(6000.0), "6,000");
        assert_eq!(tick(1_234_567.5), "1,234,567.5");
        assert_eq!(tick(0.25), "0.25");
        assert_eq!(tick(-2500.0), "-2,500");
        assert_eq!(tick(-0.0001), "0");
        assert_eq!(tick(450.0), "450");
    }

    #[test]
    fn legend_entries_wrap_to_the_width() {
        let keys: Vec<Key> =
            (0..6).map(|i| Key::new(format!("series number {i}"), Mark::Swatch(BLACK))).collect();
        let (places, rows) = key_layout(&keys, 400);
        assert!(rows >= 2, "{places:?}");
        assert!(places.iter().zip(&keys).all(|((x, _), k)| x + key_width(k) <= 400 - 12 || *x == 12));
        assert_eq!(key_layout(&[], 400).1, 0);
    }
}
