//! The bar chart of `decarb leakage exposure`, drawn by decarb's one chart renderer.

use crate::commands::UserError;
use anyhow::Result;
use decarb_cbam::exposure::Exposure;
use decarb_chart::svg::doc::{BarRow, Bars, Chart, Plot};
use rust_decimal::Decimal;
use std::path::Path;

/// Horizontal bars of CBAM exposure in million EUR, in the table's order (largest first).
pub(super) fn write_chart(path: &Path, title: &str, table: &Exposure) -> Result<()> {
    let rows: Vec<BarRow> = table
        .rows
        .iter()
        .filter_map(|r| {
            let meur = r.cbam_exposure_eur? / Decimal::ONE_THOUSAND / Decimal::ONE_THOUSAND;
            let value = meur.round_dp(3).to_string().parse::<f64>().ok()?;
            Some(BarRow {
                label: r.country.as_str().to_owned(),
                segments: vec![(0.0, value, decarb_chart::okabe_ito::BLUE)],
            })
        })
        .collect();
    if rows.is_empty() {
        return Err(UserError(
            "no CBAM exposure to chart: no trade data for this sector and year (give a table with --trade)"
                .into(),
        )
        .into());
    }
    let bars = Bars { x_name: "million EUR".into(), rows, reference: None, from_zero: true };
    crate::charts::write(path, &Chart::single(title, "CBAM exposure by exporting country", Plot::Bars(bars)))
}
