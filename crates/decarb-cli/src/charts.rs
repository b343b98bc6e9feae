//! What the CLI's chart files share. They are drawn by decarb's one chart renderer
//! (`decarb_chart::svg::doc`: the palette, ticks and layout of the dashboard's and the briefs'
//! charts, as standalone SVG documents); this writes one to its path, refuses a value that is not
//! finite, and says a variable's name as a reader does.

use anyhow::{Context, Result, anyhow};
use decarb_chart::svg::doc::Chart;
use std::path::Path;

/// Writes `chart` to `path`. A value that is not finite is an error, never a chart: a run that
/// produced one (a new-plant size of 1e300 Mt once did) has a number out of range to report.
pub fn write(path: &Path, chart: &Chart) -> Result<()> {
    if let Some(v) = chart.non_finite() {
        return Err(anyhow!("cannot chart a value of {v}: the run produced a number out of range"));
    }
    std::fs::write(path, chart.to_svg()).with_context(|| format!("writing {}", path.display()))
}

/// A name as a reader says it: `natural_gas` as "natural gas", `co2_stored` as "CO2 stored".
pub fn human(name: &str) -> String {
    name.split('_')
        .map(|word| if word.eq_ignore_ascii_case("co2") { "CO2".to_owned() } else { word.to_owned() })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Years as chart x values.
pub fn years(first: i32, last: i32) -> Vec<f64> {
    (first..=last).map(f64::from).collect()
}

/// (year, value) points as chart points.
pub fn points(values: impl IntoIterator<Item = (i32, f64)>) -> Vec<(f64, f64)> {
    values.into_iter().map(|(year, v)| (f64::from(year), v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use decarb_chart::svg::doc::{Line, Plot, Xy};

    #[test]
    fn a_value_out_of_range_is_an_error_not_a_chart() {
        let dir = tempfile::tempdir().unwrap();
        let chart = |v: f64| {
            let xy =
                Xy { lines: vec![Line::new("steel", vec![(2020.0, 1.0), (2030.0, v)])], ..Xy::default() };
            Chart::single("t", "p", Plot::Xy(xy))
        };
        let path = dir.path().join("c.svg");
        let err = write(&path, &chart(f64::INFINITY)).unwrap_err();
        assert!(err.to_string().contains("cannot chart a value of inf"), "{err}");
        assert!(!path.exists());
        write(&path, &chart(2.0)).unwrap();
        assert!(std::fs::read_to_string(&path).unwrap().starts_with("<svg xmlns="));
    }

    #[test]
    fn names_read_as_words() {
        assert_eq!(human("natural_gas"), "natural gas");
        assert_eq!(human("co2_stored"), "CO2 stored");
    }
}
