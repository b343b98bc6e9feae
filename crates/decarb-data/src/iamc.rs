//! Writing an IAMC table (`decarb_model::iamc::IamcTable`, built from a run by
//! `decarb_engine::iamc`) as `iamc.csv` (wide: model, scenario, region, variable, unit, one column
//! per year) and `iamc.xlsx` (sheet `data` in the same layout, the sheet pyam reads, and a `meta`
//! sheet). docs/iamc.md.

use decarb_model::iamc::IamcTable;

/// Decimals of the values written (Mt, EJ, billion USD): 1e-6 of the unit.
const SCALE: f64 = 1e6;

/// A value in millionths, rounded half away from zero (both files round the same way).
#[allow(clippy::cast_possible_truncation)] // |v| < 9e12 of any unit: a run's totals are far below.
fn millionths(v: f64) -> i64 {
    (v * SCALE).round() as i64
}

/// Appends a value as the CSV holds it: six decimals, no negative zero.
fn push_value(out: &mut String, v: f64) {
    use std::fmt::Write;
    let m = millionths(v);
    let sign = if m < 0 { "-" } else { "" };
    let m = m.unsigned_abs();
    let _ = write!(out, "{sign}{}.{:06}", m / 1_000_000, m % 1_000_000);
}

/// A value as the xlsx holds it: rounded to millionths like the CSV (the two may differ in the
/// last binary digit, far below the rounding), no negative zero.
#[allow(clippy::cast_precision_loss)] // millionths of a run's totals are far below 2^53.
fn rounded(v: f64) -> f64 {
    millionths(v) as f64 / SCALE + 0.0
}

/// The header of both files.
fn header(table: &IamcTable) -> Vec<String> {
    let mut header: Vec<String> =
        ["model", "scenario", "region", "variable", "unit"].iter().map(|s| (*s).to_owned()).collect();
    header.extend(table.years.iter().map(ToString::to_string));
    header
}

/// The table as CSV bytes.
pub fn csv_bytes(table: &IamcTable) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::with_capacity(table.rows.len() * (table.years.len() + 5) * 12));
    w.write_record(header(table))?;
    let mut number = String::new();
    for row in &table.rows {
        for text in [table.model.as_str(), &table.scenario, &row.region, &row.variable, row.unit] {
            w.write_field(text)?;
        }
        for &v in &row.values {
            number.clear();
            push_value(&mut number, v);
            w.write_field(&number)?;
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.into_inner().map_err(csv::IntoInnerError::into_error)
}

/// The table as xlsx bytes: sheet `data` (the CSV's layout, numbers as numbers rounded as in the
/// CSV) and sheet `meta` (model, scenario, exclude = false, the index pyam expects). The file's
/// creation date is fixed (2000-01-01) so that the same run gives the same bytes.
pub fn xlsx_bytes(table: &IamcTable) -> std::io::Result<Vec<u8>> {
    xlsx(table).map_err(std::io::Error::other)
}

fn xlsx(table: &IamcTable) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    // The fastest deflate level: the sheet is numbers, level 1 costs a little size and saves
    // most of the compression time (the export's largest part, BENCHMARKS.md).
    book.set_zip_compression_level(1);
    let data = book.add_worksheet();
    data.set_name("data")?;
    for (c, name) in header(table).iter().enumerate() {
        let c = u16::try_from(c).map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)?;
        if let Some(year) = table.years.get(usize::from(c).wrapping_sub(5)) {
            data.write_number(0, c, f64::from(*year))?;
        } else {
            data.write_string(0, c, name)?;
        }
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)?;
        for (c, text) in [&table.model, &table.scenario, &row.region, &row.variable].into_iter().enumerate() {
            data.write_string(r, col(c)?, text)?;
        }
        data.write_string(r, 4, row.unit)?;
        for (c, &v) in row.values.iter().enumerate() {
            data.write_number(r, col(c + 5)?, rounded(v))?;
        }
    }
    let meta = book.add_worksheet();
    meta.set_name("meta")?;
    for (c, name) in ["model", "scenario", "exclude"].into_iter().enumerate() {
        meta.write_string(0, col(c)?, name)?;
    }
    meta.write_string(1, 0, &table.model)?;
    meta.write_string(1, 1, &table.scenario)?;
    meta.write_boolean(1, 2, false)?;
    book.save_to_buffer()
}

fn col(c: usize) -> Result<u16, rust_xlsxwriter::XlsxError> {
    u16::try_from(c).map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_have_six_decimals_no_negative_zero_and_the_xlsx_holds_the_csv_value() {
        for (v, text) in [
            (1811.9925, "1811.992500"),
            (-2.5, "-2.500000"),
            (-0.000_000_4, "0.000000"),
            (0.000_000_6, "0.000001"),
            (-0.75e-6, "-0.000001"),
            (12_345.678_901_49, "12345.678901"),
        ] {
            let mut s = String::new();
            push_value(&mut s, v);
            assert_eq!(s, text, "{v}");
            assert_eq!(s.parse::<f64>().unwrap().to_bits(), rounded(v).to_bits(), "{v}");
        }
    }
}
