//! Writing an IAMC table (`decarb_model::iamc::IamcTable`, built from a run by
//! `decarb_engine::iamc`) as `iamc.csv` (wide: model, scenario, region, variable, unit, one column
//! per year) and `iamc.xlsx` (sheet `data` in the same layout, the sheet pyam reads, and a `meta`
//! sheet). docs/iamc.md.

use decarb_model::iamc::IamcTable;

/// Decimals of the values written (Mt, EJ, billion USD): 1e-6 of the unit.
const DECIMALS: usize = 6;

/// A value as written: fixed decimals, no negative zero.
fn value(v: f64) -> String {
    let s = format!("{:.*}", DECIMALS, v + 0.0);
    if s.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
        format!("{:.*}", DECIMALS, 0.0)
    } else {
        s
    }
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
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header(table))?;
    for row in &table.rows {
        let mut record = vec![
            table.model.clone(),
            table.scenario.clone(),
            row.region.clone(),
            row.variable.clone(),
            row.unit.to_owned(),
        ];
        record.extend(row.values.iter().map(|&v| value(v)));
        w.write_record(record)?;
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
            let rounded: f64 = value(v).parse().unwrap_or(v);
            data.write_number(r, col(c + 5)?, rounded)?;
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
