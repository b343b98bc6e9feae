//! Reading single cells the way the trackers write them: numbers with or without thousands
//! separators, the placeholders `unknown` and `>0`, ranges, pandas float artefacts (`2005.0`),
//! dates of mixed precision, "lat, lon" coordinate strings and multi-valued ownership cells.
//!
//! Each parser returns `Err(expected)` with a short description of what would have been
//! accepted; the caller adds the file, row and column.

use decarb_model::{Ownership, PartialDate};

/// One cell as the importer sees it, whether it came from a worksheet or a CSV field. CSV fields
/// are always `Text`; worksheets also give typed numbers and dates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    /// An Excel date-time serial number (days since 1899-12-30, fraction = time of day).
    DateTime(f64),
    Bool(bool),
    /// An Excel error value (`#N/A`, `#REF!`).
    Error,
}

impl Cell<'_> {
    /// The cell as text with surrounding whitespace removed; `None` for typed cells.
    pub fn text(&self) -> Option<&str> {
        match self {
            Cell::Text(text) => Some(text.trim()),
            Cell::Empty => Some(""),
            _ => None,
        }
    }

    /// True for an empty cell or one holding only whitespace.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as it would be shown to a user in an error message.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => (*text).to_owned(),
            Cell::Number(value) | Cell::DateTime(value) => value.to_string(),
            Cell::Bool(value) => value.to_string(),
            Cell::Error => "#ERROR".to_owned(),
        }
    }

    /// The cell as a string for free-text fields (names, ids): numbers print as integers when
    /// they are integral, so a PermID read as `4295890620` from a sheet and `4295890620.0` from a
    /// pandas export give the same text.
    pub fn to_text(&self) -> String {
        match self {
            Cell::Empty | Cell::Error => String::new(),
            Cell::Text(text) if is_not_applicable(text.trim()) => String::new(),
            Cell::Text(text) => strip_float_zero(text.trim()).to_owned(),
            Cell::Number(value) => number_text(*value),
            Cell::DateTime(serial) => {
                serial_to_date(*serial).map_or_else(|| serial.to_string(), |d| d.to_string())
            }
            Cell::Bool(value) => value.to_string(),
        }
    }
}

/// `4295890620.0` -> `4295890620`; anything that is not digits followed by `.0` is unchanged.
fn strip_float_zero(text: &str) -> &str {
    match text.strip_suffix(".0") {
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => digits,
        _ => text,
    }
}

fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 { format!("{value:.0}") } else { value.to_string() }
}

/// What a quantity cell held.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Quantity {
    Value(f64),
    /// `>0`: positive, amount unknown.
    Positive,
    /// `unknown`, `?`, `TBD`.
    Unknown,
    /// Empty, or `N/A` / `--` (not applicable: GEM's workbook writes `N/A` where its CSV export
    /// and the map files leave the cell empty).
    Blank,
    /// `500-700`: the source gives a range. Importers turn it into an unknown (see the report).
    Range(f64, f64),
}

pub const EXPECTED_QUANTITY: &str =
    "a non-negative number (1200, 1,234.5), \"unknown\", \">0\", a range such as 500-700, or an empty cell";

/// Reads a non-negative quantity cell.
pub fn quantity(cell: Cell<'_>) -> Result<Quantity, &'static str> {
    match cell {
        Cell::Empty => Ok(Quantity::Blank),
        Cell::Number(value) => non_negative(value).map(Quantity::Value).ok_or(EXPECTED_QUANTITY),
        Cell::Text(text) => quantity_text(text.trim()),
        Cell::DateTime(_) | Cell::Bool(_) | Cell::Error => Err(EXPECTED_QUANTITY),
    }
}

fn quantity_text(text: &str) -> Result<Quantity, &'static str> {
    if text.is_empty() || is_not_applicable(text) {
        return Ok(Quantity::Blank);
    }
    if is_unknown_word(text) {
        return Ok(Quantity::Unknown);
    }
    if let Some(rest) = text.strip_prefix('>') {
        if rest.trim() == "0" {
            return Ok(Quantity::Positive);
        }
        return Err(EXPECTED_QUANTITY);
    }
    if let Some(value) = number(text) {
        return non_negative(value).map(Quantity::Value).ok_or(EXPECTED_QUANTITY);
    }
    range(text).ok_or(EXPECTED_QUANTITY)
}

/// The placeholders that mean "the source does not know".
pub fn is_unknown_word(text: &str) -> bool {
    matches!(text.to_ascii_lowercase().as_str(), "unknown" | "?" | "???" | "tbd")
}

/// The placeholders that mean "does not apply" and so read like an empty cell.
pub fn is_not_applicable(text: &str) -> bool {
    text.eq_ignore_ascii_case("n/a") || text == "--"
}

fn non_negative(value: f64) -> Option<f64> {
    (value.is_finite() && value >= 0.0).then_some(value)
}

/// `500-700`, `0.5 - 1.2`, `500–700`, `500 to 700`.
fn range(text: &str) -> Option<Quantity> {
    // A '-' in first position is a minus sign, not a separator.
    let hyphen =
        || text.char_indices().skip(1).find(|(_, c)| *c == '-').map(|(i, _)| (&text[..i], &text[i + 1..]));
    let (low, high) = text.split_once(" to ").or_else(|| text.split_once('–')).or_else(hyphen)?;
    let low = non_negative(number(low.trim())?)?;
    let high = non_negative(number(high.trim())?)?;
    (low <= high).then_some(Quantity::Range(low, high))
}

/// A plain decimal number, allowing thousands separators in their proper places (`1,234.5`,
/// `12,000`), but not a decimal comma (`1,5` is refused: it is ambiguous).
pub fn number(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    // f64::from_str also takes "inf", "NaN" and "1e5"; only digits, sign, point and exponent
    // are plausible in a tracker, and a leading '+' or '.' is fine.
    if !text.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E' | b',')) {
        return None;
    }
    if !text.contains(',') {
        return text.parse().ok();
    }
    let (integer, fraction) = text.split_once('.').map_or((text, None), |(i, f)| (i, Some(f)));
    let digits = integer.trim_start_matches(['-', '+']);
    let mut groups = digits.split(',');
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 || !groups.all(|g| g.len() == 3) {
        return None;
    }
    let mut plain: String = integer.chars().filter(|c| *c != ',').collect();
    if let Some(fraction) = fraction {
        if fraction.contains(',') {
            return None;
        }
        plain.push('.');
        plain.push_str(fraction);
    }
    plain.parse().ok()
}

/// What a date cell held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateCell {
    Date(PartialDate),
    Unknown,
    Blank,
}

pub const EXPECTED_DATE: &str = "a year (2005), year-month (2021-09), date (2021-09-01), month and year (March 2021), \"unknown\" or an empty cell";

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Reads a date of any of the precisions trackers use.
pub fn date(cell: Cell<'_>) -> Result<DateCell, &'static str> {
    match cell {
        Cell::Empty => Ok(DateCell::Blank),
        Cell::Number(value) => year_number(value).map(DateCell::Date).ok_or(EXPECTED_DATE),
        Cell::DateTime(serial) => serial_to_date(serial).map(DateCell::Date).ok_or(EXPECTED_DATE),
        Cell::Text(text) => {
            let text = text.trim();
            if text.is_empty() || is_not_applicable(text) {
                return Ok(DateCell::Blank);
            }
            if is_unknown_word(text) {
                return Ok(DateCell::Unknown);
            }
            if let Ok(date) = text.parse::<PartialDate>() {
                return Ok(DateCell::Date(date));
            }
            month_year(text).map(DateCell::Date).ok_or(EXPECTED_DATE)
        }
        Cell::Bool(_) | Cell::Error => Err(EXPECTED_DATE),
    }
}

fn year_number(value: f64) -> Option<PartialDate> {
    let plausible = value.fract() == 0.0 && (1000.0..=2200.0).contains(&value);
    // The range check above makes the cast exact.
    #[allow(clippy::cast_possible_truncation)]
    plausible.then(|| PartialDate::year(value as i32))
}

/// `March 2021`, `Mar 2021`.
fn month_year(text: &str) -> Option<PartialDate> {
    let (month, year) = text.split_once(char::is_whitespace)?;
    let month = month.to_ascii_lowercase();
    let index = MONTHS.iter().position(|m| month.len() >= 3 && m.starts_with(month.trim_end_matches('.')))?;
    let year: i32 = year.trim().parse().ok()?;
    if !(1000..=2200).contains(&year) {
        return None;
    }
    Some(PartialDate { year, month: u8::try_from(index + 1).ok(), day: None })
}

/// Converts an Excel serial date (1900 date system) to a calendar date. Times of day are dropped.
pub fn serial_to_date(serial: f64) -> Option<PartialDate> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Serial 60 is the fictitious 1900-02-29; days from 1899-12-30 are right after it, and
    // nothing in a plant tracker predates March 1900. The range check makes the cast exact.
    #[allow(clippy::cast_possible_truncation)]
    let days = serial.floor() as i64;
    let date = jiff::civil::date(1899, 12, 30).checked_add(jiff::Span::new().try_days(days).ok()?).ok()?;
    Some(PartialDate {
        year: i32::from(date.year()),
        month: u8::try_from(date.month()).ok(),
        day: u8::try_from(date.day()).ok(),
    })
}

/// The longest web address kept (a wiki page's address is under 200 characters; browsers and
/// servers commonly stop at about 2,000).
pub const MAX_ADDRESS_CHARS: usize = 2000;

/// `text` trimmed when it is an `http://` or `https://` address with a host and no whitespace or
/// control characters (so it can be put in a link as it is, and never runs script the way a
/// `javascript:` address would); `None` otherwise.
pub fn web_address(text: &str) -> Option<&str> {
    let text = text.trim();
    let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let ok = !host.is_empty()
        && !host.starts_with(':')
        && !host.contains('@')
        && text.chars().count() <= MAX_ADDRESS_CHARS
        && !text.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then_some(text)
}

pub const EXPECTED_COORDINATES: &str =
    "\"latitude, longitude\" in degrees (36.834412, 7.454940) or an empty cell";

/// Reads `"36.834412, 7.454940"` (latitude first). `Ok(None)` for an empty or unknown cell.
pub fn coordinates(cell: Cell<'_>) -> Result<Option<(f64, f64)>, &'static str> {
    let text = cell.text().ok_or(EXPECTED_COORDINATES)?;
    if text.is_empty() || is_unknown_word(text) || is_not_applicable(text) {
        return Ok(None);
    }
    let (lat, lon) = text.split_once(',').ok_or(EXPECTED_COORDINATES)?;
    let lat: f64 = lat.trim().parse().map_err(|_| EXPECTED_COORDINATES)?;
    let lon: f64 = lon.trim().parse().map_err(|_| EXPECTED_COORDINATES)?;
    lat_lon(lat, lon).map(Some).ok_or(EXPECTED_COORDINATES)
}

/// A latitude/longitude pair if both are in range.
pub fn lat_lon(lat: f64, lon: f64) -> Option<(f64, f64)> {
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

/// Reads a coordinate held in its own cell (`lat`, `lng`, `latitude`). `Ok(None)` when empty.
pub fn degrees(cell: Cell<'_>) -> Result<Option<f64>, &'static str> {
    const EXPECTED: &str = "a number of degrees or an empty cell";
    match cell {
        Cell::Number(value) if value.is_finite() => Ok(Some(value)),
        Cell::Text(text) if text.trim().is_empty() => Ok(None),
        Cell::Text(text) => {
            text.trim().parse::<f64>().ok().filter(|v| v.is_finite()).map(Some).ok_or(EXPECTED)
        }
        Cell::Empty => Ok(None),
        _ => Err(EXPECTED),
    }
}

/// How far the stated shares of a plant's holders may sum above 100 %: 0.5 percentage points, for
/// sources that round each holder's share (GEM rounds to 0.1 point; 54 plants of the GEM steel
/// plant tracker 2023-03 sum to 100.1 %).
pub const SHARE_SUM_TOLERANCE: f64 = 0.005;

/// What a list of holders must be, for error messages.
pub const EXPECTED_SHARES: &str =
    "holder shares of at most 100 % each and 100.5 % in all (0.5 points for rounding)";

/// What is wrong with the shares of a plant's holders: a share above 100 % (or below 0), or stated
/// shares summing above 100 % + [`SHARE_SUM_TOLERANCE`]. `None` when they are fine.
pub fn share_problem(holders: &[Ownership]) -> Option<String> {
    if let Some(h) =
        holders.iter().find(|h| h.share.is_some_and(|s| !(0.0..=1.0).contains(&s) || !s.is_finite()))
    {
        return Some(format!("{:?} holds {} %", h.name, percent(h.share.unwrap_or(f64::NAN))));
    }
    let total: f64 = holders.iter().filter_map(|h| h.share).sum();
    (total > 1.0 + SHARE_SUM_TOLERANCE).then(|| format!("the shares sum to {} %", percent(total)))
}

/// A fraction as a percentage without float noise (1.01 -> "101").
fn percent(fraction: f64) -> String {
    let value = (fraction * 1e6).round() / 1e4;
    format!("{value}")
}

/// Splits a multi-valued owner cell, `Name A [49%]; Name B [46.5%]; Other`, pairing each name
/// with the matching entry of an id cell in the same layout (`E100… [49.0%]; E100…`) when the
/// two lists have the same length. Returns `None` for the ids when they do not pair up, so the
/// caller can warn. A share above 100 % (`Name [150%]`) is an error (what is wrong, in words); the
/// sum of the shares is the caller's to check ([`share_problem`]).
pub fn ownerships(names: &str, ids: &str) -> Result<(Vec<Ownership>, bool), String> {
    let names = names.trim();
    if names.is_empty() || is_unknown_word(names) {
        return Ok((Vec::new(), true));
    }
    let name_parts: Vec<(&str, Option<f64>)> =
        split_list(names).map(share_suffix).collect::<Result<_, String>>()?;
    let id_parts: Vec<&str> =
        split_list(ids.trim()).map(id_without_share).filter(|id| !id.is_empty()).collect();
    let paired = id_parts.is_empty() || id_parts.len() == name_parts.len();
    let owners = name_parts
        .iter()
        .enumerate()
        .map(|(index, (name, share))| Ownership {
            name: (*name).to_owned(),
            entity_id: if paired {
                id_parts
                    .get(index)
                    .map(|id| strip_float_zero(id).to_owned())
                    .filter(|id| !is_unknown_word(id))
            } else {
                None
            },
            share: *share,
        })
        .collect();
    Ok((owners, paired))
}

/// `E100… [49.0%]` -> `E100…` (an id list repeats the shares; they are not checked here).
fn id_without_share(part: &str) -> &str {
    match share_suffix(part) {
        Ok((id, _)) => id,
        Err(_) => part.rsplit_once('[').map_or(part, |(id, _)| id.trim_end()),
    }
}

fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split(';').map(str::trim).filter(|part| !part.is_empty())
}

/// `Name A [49%]` -> (`Name A`, Some(0.49)); `Name` -> (`Name`, None); `Name [150%]` -> an error.
fn share_suffix(part: &str) -> Result<(&str, Option<f64>), String> {
    let part = part.trim();
    if let Some(open) = part.rfind('[')
        && let Some(inner) = part[open + 1..].strip_suffix(']')
        && let Some(percent) = inner.trim().strip_suffix('%')
        && let Ok(value) = percent.trim().parse::<f64>()
    {
        let name = part[..open].trim_end();
        if !(0.0..=100.0).contains(&value) {
            return Err(format!("{name:?} holds {} %", percent.trim()));
        }
        // Shift the decimal point in the text ("41.6e-2" = 0.416 exactly as written), rather
        // than dividing (41.6 / 100 = 0.41600000000000004).
        if let Ok(share) = format!("{}e-2", percent.trim()).parse::<f64>() {
            return Ok((name, Some(share)));
        }
    }
    Ok((part, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_addresses_with_a_host_are_links() {
        assert_eq!(
            web_address(" https://www.gem.wiki/SSAB_Luleå_steel_plant "),
            Some("https://www.gem.wiki/SSAB_Luleå_steel_plant")
        );
        assert_eq!(web_address("http://example.org"), Some("http://example.org"));
        for bad in [
            "javascript:alert(1)",
            "www.gem.wiki/x",
            "https://",
            "https://a b.org",
            "ftp://x.org",
            "https://u@evil.org",
        ] {
            assert_eq!(web_address(bad), None, "{bad}");
        }
    }

    #[test]
    fn quantities_keep_placeholders_apart() {
        assert_eq!(quantity(Cell::Text("1200")), Ok(Quantity::Value(1200.0)));
        assert_eq!(quantity(Cell::Text(" 1,234.5 ")), Ok(Quantity::Value(1234.5)));
        assert_eq!(quantity(Cell::Text("12,000")), Ok(Quantity::Value(12000.0)));
        assert_eq!(quantity(Cell::Text("2005.0")), Ok(Quantity::Value(2005.0)));
        assert_eq!(quantity(Cell::Number(3.5)), Ok(Quantity::Value(3.5)));
        assert_eq!(quantity(Cell::Text("unknown")), Ok(Quantity::Unknown));
        assert_eq!(quantity(Cell::Text("Unknown")), Ok(Quantity::Unknown));
        assert_eq!(quantity(Cell::Text(">0")), Ok(Quantity::Positive));
        assert_eq!(quantity(Cell::Text("")), Ok(Quantity::Blank));
        assert_eq!(quantity(Cell::Empty), Ok(Quantity::Blank));
        assert_eq!(quantity(Cell::Text("N/A")), Ok(Quantity::Blank));
        assert_eq!(quantity(Cell::Text("500-700")), Ok(Quantity::Range(500.0, 700.0)));
        assert_eq!(quantity(Cell::Text("0.5 - 1.2")), Ok(Quantity::Range(0.5, 1.2)));
        for bad in ["abc", "1,5", "-5", "700-500", "inf", "NaN", ">5", "12,00", "1,234,56"] {
            assert!(quantity(Cell::Text(bad)).is_err(), "{bad}");
        }
        assert!(quantity(Cell::Number(f64::NAN)).is_err());
        assert!(quantity(Cell::Bool(true)).is_err());
    }

    #[test]
    fn dates_come_in_every_precision() {
        let year = |y| Ok(DateCell::Date(PartialDate::year(y)));
        assert_eq!(date(Cell::Text("2005")), year(2005));
        assert_eq!(date(Cell::Text("2005.0")), year(2005));
        assert_eq!(date(Cell::Number(2005.0)), year(2005));
        assert_eq!(date(Cell::Text("unknown")), Ok(DateCell::Unknown));
        assert_eq!(date(Cell::Text("")), Ok(DateCell::Blank));
        let march = PartialDate { year: 2022, month: Some(3), day: None };
        assert_eq!(date(Cell::Text("March 2022")), Ok(DateCell::Date(march)));
        // 44593 is 2022-02-01 in Excel's calendar.
        let feb = PartialDate { year: 2022, month: Some(2), day: Some(1) };
        assert_eq!(date(Cell::DateTime(44593.0)), Ok(DateCell::Date(feb)));
        assert_eq!(date(Cell::Text("2022-02-01 00:00:00")), Ok(DateCell::Date(feb)));
        assert!(date(Cell::Text("soon")).is_err());
        assert!(date(Cell::Number(44593.0)).is_err());
    }

    #[test]
    fn coordinates_are_latitude_first() {
        assert_eq!(coordinates(Cell::Text("36.834412, 7.454940")), Ok(Some((36.834_412, 7.454_94))));
        assert_eq!(coordinates(Cell::Text("")), Ok(None));
        assert!(coordinates(Cell::Text("95.0, 7.4")).is_err());
        assert!(coordinates(Cell::Text("36.8")).is_err());
    }

    #[test]
    fn owners_pair_with_their_ids_and_shares() {
        let (owners, paired) = ownerships(
            "Guangxi Beibu Gulf [50%]; Guangxi Shenglong [50%]",
            "5000910985 [50%]; 5000577864.0 [50%]",
        )
        .unwrap();
        assert!(paired);
        assert_eq!(owners.len(), 2);
        assert_eq!(owners[0].name, "Guangxi Beibu Gulf");
        assert_eq!(owners[0].share, Some(0.5));
        assert_eq!(owners[1].entity_id.as_deref(), Some("5000577864"));
        let (owners, paired) = ownerships("A [49%]; B", "E1").unwrap();
        assert!(!paired);
        assert_eq!(owners[1].share, None);
        assert!(owners.iter().all(|o| o.entity_id.is_none()));
        assert!(ownerships("", "").unwrap().0.is_empty());
    }

    #[test]
    fn shares_above_100_percent_are_errors() {
        assert_eq!(ownerships("A [150%]; B", "").unwrap_err(), "\"A\" holds 150 %");
        let (owners, _) = ownerships("A [60.2%]; B [40.2%]", "").unwrap();
        assert_eq!(share_problem(&owners), None, "100.4 % is rounding");
        let (owners, _) = ownerships("Beltrame Holding SpA [79.4%]; unknown [21.6%]", "").unwrap();
        assert_eq!(share_problem(&owners).as_deref(), Some("the shares sum to 101 %"));
        let json = [Ownership { name: "A".into(), entity_id: None, share: Some(1.2) }];
        assert_eq!(share_problem(&json).as_deref(), Some("\"A\" holds 120 %"));
    }

    #[test]
    fn pandas_artefacts_in_ids_are_removed() {
        assert_eq!(Cell::Text("4295890620.0").to_text(), "4295890620");
        assert_eq!(Cell::Number(4_295_890_620.0).to_text(), "4295890620");
        assert_eq!(Cell::Text("SCN00001").to_text(), "SCN00001");
    }
}
