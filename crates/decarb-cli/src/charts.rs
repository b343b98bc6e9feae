//! What every chart the CLI draws with plotters shares: decarb's one palette (`decarb_chart`) as
//! plotters colours, the error of a failed drawing, and the guard that keeps a value that is not
//! finite off an axis.

use anyhow::{Result, anyhow};
use plotters::style::RGBColor;

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
