//! Telling the formats apart by content: the header row of a CSV, or a worksheet's header row in
//! a workbook. The file name is never used: exports get renamed.

use super::FleetFormat;
use super::table::Header;

/// Columns that together identify a format. The more specific signatures come first (the GIST
/// unit file also has a `plant-id` column).
const SIGNATURES: [(FleetFormat, &[&str]); 6] = [
    (FleetFormat::GemGistUnits, &["gem-unit-id", "gem-plant-id", "current-capacity-(ttpa)"]),
    (
        FleetFormat::GemGistPlants,
        &["plant-id", "plant-status", "operating-nominal-crude-steel-capacity-(ttpa)"],
    ),
    (FleetFormat::GemGspt, &["plant id", "status", "nominal crude steel capacity (ttpa)"]),
    (FleetFormat::SfiCement, &["uid", "plant_type", "capacity"]),
    (FleetFormat::DecarbCsv, &["id", "sector", "status", "capacity_tpa"]),
    (FleetFormat::DecarbCsv, &["unit_id", "kind", "status", "capacity_tpa"]),
];

/// The format whose signature columns all appear in `header`.
pub fn from_header(header: &Header) -> Option<FleetFormat> {
    SIGNATURES.iter().find(|(_, columns)| columns.iter().all(|c| header.has(c))).map(|(format, _)| *format)
}

/// The columns a format is recognised by, for messages.
pub fn signature(format: FleetFormat) -> String {
    SIGNATURES
        .iter()
        .filter(|(f, _)| *f == format)
        .map(|(_, columns)| columns.join(", "))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Worksheet names the known workbooks use; tried first, before every other sheet.
pub const PREFERRED_SHEETS: [&str; 2] = ["Steel Plants", "SFI_ALD_Cement_Database"];

/// True when the bytes start like a workbook (zip container of xlsx/ods, or legacy OLE xls).
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// True when the text looks like JSON rather than CSV.
pub fn is_json(text: &str) -> bool {
    text.trim_start().starts_with(['{', '['])
}

/// The likely field separator of a CSV: the most frequent of `,`, `;` and tab in the first line
/// (comma on a tie), so `;`-separated exports read too.
pub fn delimiter(text: &str) -> u8 {
    let first_line = text.lines().next().unwrap_or_default();
    let count = |c: char| first_line.matches(c).count();
    [(b',', count(',')), (b';', count(';')), (b'\t', count('\t'))]
        .into_iter()
        .fold((b',', 0), |best, candidate| if candidate.1 > best.1 { candidate } else { best })
        .0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Header {
        Header::new(names.iter().map(|s| (*s).to_owned()).collect())
    }

    #[test]
    fn formats_are_told_apart_by_their_columns_in_any_order() {
        let gspt = header(&["Status", "Nominal crude steel capacity (ttpa)", "\u{feff}Plant ID"]);
        assert_eq!(from_header(&gspt), Some(FleetFormat::GemGspt));
        let units =
            header(&["tab-type", "gem-plant-id", "gem-unit-id", "current-capacity-(ttpa)", "plant-id"]);
        assert_eq!(from_header(&units), Some(FleetFormat::GemGistUnits));
        let sfi = header(&["uid", "capacity", "PLANT_TYPE"]);
        assert_eq!(from_header(&sfi), Some(FleetFormat::SfiCement));
        assert_eq!(from_header(&header(&["a", "b"])), None);
    }

    #[test]
    fn the_separator_is_guessed_from_the_first_line() {
        assert_eq!(delimiter("a;b;c\n1;2;3"), b';');
        assert_eq!(delimiter("a,b\n"), b',');
        assert_eq!(delimiter("a\tb\tc"), b'\t');
        assert_eq!(delimiter(""), b',');
    }
}
