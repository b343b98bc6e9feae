//! Combined Nomenclature codes, the CBAM scope (Reg. 2023/956 Annex I), the direct-only goods
//! (Annex II) and the code patterns used in the bundled tables.

use crate::error::{Error, Result};
use serde::{Serialize, Serializer};
use std::fmt;

/// A CN code (4, 6 or 8 digits) or a 10-digit TARIC code, stored as digits without spaces.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CnCode(String);

impl CnCode {
    /// Reads "7208", "7207 19 12", "72071912" or "7207.19.12".
    pub fn parse(text: &str) -> Result<CnCode> {
        let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '.' | '\u{a0}')).collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) || ![4, 6, 8, 10].contains(&digits.len()) {
            return Err(Error::invalid(
                "CN code",
                text,
                "4, 6 or 8 digits of the Combined Nomenclature, or a 10-digit TARIC code (\"7208\", \"7207 19 12\")",
            ));
        }
        Ok(CnCode(digits))
    }

    pub fn digits(&self) -> &str {
        &self.0
    }

    fn starts_with(&self, prefix: &str) -> bool {
        self.0.starts_with(prefix)
    }
}

impl fmt::Display for CnCode {
    /// The CN's own spelling: heading, then pairs of digits ("7207 19 12").
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&spaced(&self.0))
    }
}

impl Serialize for CnCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

fn spaced(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + 4);
    for (i, ch) in digits.chars().enumerate() {
        if i >= 4 && i % 2 == 0 {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

/// The CBAM sectors of Annex I.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CbamSector {
    Cement,
    Electricity,
    Fertilisers,
    IronAndSteel,
    Aluminium,
    Hydrogen,
}

impl CbamSector {
    pub fn as_str(self) -> &'static str {
        match self {
            CbamSector::Cement => "cement",
            CbamSector::Electricity => "electricity",
            CbamSector::Fertilisers => "fertilisers",
            CbamSector::IronAndSteel => "iron and steel",
            CbamSector::Aluminium => "aluminium",
            CbamSector::Hydrogen => "hydrogen",
        }
    }

    /// Goods of these sectors count towards, and benefit from, the 50 t de minimis exemption;
    /// electricity and hydrogen never do (Art. 2a(4)).
    pub fn de_minimis_applies(self) -> bool {
        !matches!(self, CbamSector::Electricity | CbamSector::Hydrogen)
    }
}

impl fmt::Display for CbamSector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Annex I inclusions, as (sector, code prefix). Headings with a single subheading (2716 00 00,
/// 2808 00 00, 7303 00, 7309 00, 7311 00, 7609 00 00, 7611 00 00, 7613 00 00) are given at
/// heading level, so that "2716" is accepted. Transcribed in docs/CBAM.md §2.1, where the list
/// as a whole is marked [U]: verify against consolidated Annex I before release.
const SCOPE: &[(CbamSector, &str)] = &[
    (CbamSector::Cement, "25070080"),
    (CbamSector::Cement, "25231000"),
    (CbamSector::Cement, "25232100"),
    (CbamSector::Cement, "25232900"),
    (CbamSector::Cement, "25233000"),
    (CbamSector::Cement, "25239000"),
    (CbamSector::Electricity, "2716"),
    (CbamSector::Fertilisers, "2808"),
    (CbamSector::Fertilisers, "2814"),
    (CbamSector::Fertilisers, "28342100"),
    (CbamSector::Fertilisers, "3102"),
    (CbamSector::Fertilisers, "3105"),
    (CbamSector::IronAndSteel, "26011200"),
    (CbamSector::IronAndSteel, "72"),
    (CbamSector::IronAndSteel, "7301"),
    (CbamSector::IronAndSteel, "7302"),
    (CbamSector::IronAndSteel, "7303"),
    (CbamSector::IronAndSteel, "7304"),
    (CbamSector::IronAndSteel, "7305"),
    (CbamSector::IronAndSteel, "7306"),
    (CbamSector::IronAndSteel, "7307"),
    (CbamSector::IronAndSteel, "7308"),
    (CbamSector::IronAndSteel, "7309"),
    (CbamSector::IronAndSteel, "7310"),
    (CbamSector::IronAndSteel, "7311"),
    (CbamSector::IronAndSteel, "7318"),
    (CbamSector::IronAndSteel, "7326"),
    (CbamSector::Aluminium, "7601"),
    (CbamSector::Aluminium, "7603"),
    (CbamSector::Aluminium, "7604"),
    (CbamSector::Aluminium, "7605"),
    (CbamSector::Aluminium, "7606"),
    (CbamSector::Aluminium, "7607"),
    (CbamSector::Aluminium, "7608"),
    (CbamSector::Aluminium, "7609"),
    (CbamSector::Aluminium, "7610"),
    (CbamSector::Aluminium, "7611"),
    (CbamSector::Aluminium, "7612"),
    (CbamSector::Aluminium, "7613"),
    (CbamSector::Aluminium, "7614"),
    (CbamSector::Aluminium, "7616"),
    (CbamSector::Hydrogen, "28041000"),
];

/// Annex I exclusions within the included headings (ferro-silicon and other ferro-alloys,
/// scrap 7204, mixed fertiliser 3105 60 00).
const EXCLUDED: &[(&str, &str)] = &[
    ("72022", "ferro-silicon (7202 2) is not in Annex I"),
    ("72023000", "7202 30 00 is not in Annex I"),
    ("72025000", "7202 50 00 is not in Annex I"),
    ("72027000", "7202 70 00 is not in Annex I"),
    ("72028000", "7202 80 00 is not in Annex I"),
    ("72029100", "7202 91 00 is not in Annex I"),
    ("72029200", "7202 92 00 is not in Annex I"),
    ("72029300", "7202 93 00 is not in Annex I"),
    ("72029910", "7202 99 10 is not in Annex I"),
    ("72029930", "7202 99 30 is not in Annex I"),
    ("72029980", "7202 99 80 is not in Annex I"),
    ("7204", "ferrous scrap (7204) is outside the CBAM; as an input it carries zero embedded emissions"),
    ("31056000", "3105 60 00 is excluded from Annex I"),
];

/// Scrap headings: outside scope, and zero embedded emissions as a precursor (IR 2547 Annex II F).
const SCRAP: &[&str] = &["7204", "7602"];

/// The CBAM sector of a good, or why it is not a CBAM good. A code more general than the scope
/// (e.g. "2523", where only some subheadings are covered) is an error, not a guess.
pub fn sector_of(code: &CnCode) -> Result<CbamSector> {
    if SCRAP.iter().any(|p| code.starts_with(p)) {
        return Err(Error::Scope {
            code: code.to_string(),
            reason: "scrap (7204, 7602) is outside the CBAM (Reg. 2023/956 Annex I)".into(),
        });
    }
    if let Some((_, reason)) = EXCLUDED.iter().find(|(p, _)| code.starts_with(p)) {
        return Err(Error::Scope { code: code.to_string(), reason: (*reason).into() });
    }
    let too_general = || Error::Scope {
        code: code.to_string(),
        reason: "too general: the CBAM covers only some subheadings of it; give the full 8-digit code".into(),
    };
    if EXCLUDED.iter().any(|(p, _)| p.starts_with(code.digits()) && p.len() > code.digits().len()) {
        return Err(too_general());
    }
    if let Some((sector, _)) = SCOPE.iter().filter(|(_, p)| code.starts_with(p)).max_by_key(|(_, p)| p.len())
    {
        return Ok(*sector);
    }
    if SCOPE.iter().any(|(_, p)| p.starts_with(code.digits())) {
        return Err(too_general());
    }
    Err(Error::Scope {
        code: code.to_string(),
        reason:
            "not a CBAM good (Reg. 2023/956 Annex I covers cement, electricity, fertilisers, iron and steel, \
                 aluminium and hydrogen)"
                .into(),
    })
}

/// True when the good is outside Annex II, so that its indirect emissions count (Art. 7;
/// docs/CBAM.md §2.2): cement, fertilisers and sintered ore 2601 12 00. Hydrogen, electricity,
/// every Chapter 72/73 good and all aluminium goods are direct-only.
pub fn counts_indirect(code: &CnCode) -> bool {
    if code.starts_with("26011200") {
        return true;
    }
    matches!(sector_of(code), Ok(CbamSector::Cement | CbamSector::Fertilisers))
}

/// True for scrap headings, which enter other processes with zero embedded emissions.
pub fn is_scrap(code: &CnCode) -> bool {
    SCRAP.iter().any(|p| code.starts_with(p))
}

/// One code pattern of a reference-table cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CnPattern {
    /// Every code under this heading or subheading ("7208", "7207 19 12").
    Prefix(String),
    /// An inclusive range ("7214 20 00 to 7214 99"), compared at each bound's own length.
    Range { from: String, to: String },
    /// A described group with no machine-readable codes ("7207 (forged subheadings)"): matches
    /// nothing, so a lookup fails loudly instead of guessing.
    Described(String),
}

impl CnPattern {
    /// The specificity of the match (digits matched), or None.
    pub(crate) fn matches(&self, code: &CnCode) -> Option<usize> {
        let digits = code.digits();
        match self {
            CnPattern::Prefix(prefix) => digits.starts_with(prefix.as_str()).then_some(prefix.len()),
            CnPattern::Range { from, to } => {
                if digits.len() < from.len() || digits.len() < to.len() {
                    return None;
                }
                let low = &digits[..from.len()];
                let high = &digits[..to.len()];
                (low >= from.as_str() && high <= to.as_str()).then_some(from.len().max(to.len()))
            }
            CnPattern::Described(_) => None,
        }
    }

    /// True when every code of the pattern lies under `code` and is more specific than it (the
    /// table lists subheadings of the heading `code`).
    pub(crate) fn lies_under(&self, code: &CnCode) -> bool {
        let digits = code.digits();
        match self {
            CnPattern::Prefix(prefix) => prefix.len() > digits.len() && prefix.starts_with(digits),
            CnPattern::Range { from, to } => {
                from.len() > digits.len()
                    && to.len() > digits.len()
                    && from.starts_with(digits)
                    && to.starts_with(digits)
            }
            CnPattern::Described(_) => false,
        }
    }
}

/// Parses a table cell: `;`-separated items, each a code, a range "A to B", or a heading with
/// listed subheadings in parentheses ("7207 (forged subheadings: 7207 11 90, 7207 12 90)";
/// "7207 11 11-16" expands to 7207 11 11 … 7207 11 16). Listed subheadings after "e.g." are
/// taken as the only ones covered by the row.
pub(crate) fn parse_cell(cell: &str) -> Option<Vec<CnPattern>> {
    let mut patterns = Vec::new();
    for item in split_items(cell) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        if let Some(open) = item.find('(') {
            let inner = item[open + 1..].trim_end_matches(')');
            let listed = inner.rsplit_once("e.g.").or_else(|| inner.split_once(':')).map(|(_, list)| list);
            match listed {
                Some(list) => {
                    for part in list.split(',') {
                        patterns.push(parse_listed(part.trim())?);
                    }
                }
                None => patterns.push(CnPattern::Described(item.to_owned())),
            }
        } else if let Some((from, to)) = item.split_once(" to ") {
            patterns.push(CnPattern::Range { from: digits_of(from)?, to: digits_of(to)? });
        } else {
            patterns.push(CnPattern::Prefix(digits_of(item)?));
        }
    }
    (!patterns.is_empty()).then_some(patterns)
}

/// Splits on `;` outside parentheses.
fn split_items(cell: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, ch) in cell.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ';' if depth == 0 => {
                items.push(&cell[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&cell[start..]);
    items
}

fn parse_listed(part: &str) -> Option<CnPattern> {
    if let Some((head, last)) = part.split_once('-') {
        let from = digits_of(head)?;
        let last = last.trim();
        if last.len() != 2 || from.len() < 2 {
            return None;
        }
        let to = format!("{}{}", &from[..from.len() - 2], last);
        return Some(CnPattern::Range { from, to });
    }
    Some(CnPattern::Prefix(digits_of(part)?))
}

fn digits_of(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    (!digits.is_empty() && digits.len().is_multiple_of(2) && digits.chars().all(|c| c.is_ascii_digit()))
        .then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cn(text: &str) -> CnCode {
        CnCode::parse(text).unwrap()
    }

    #[test]
    fn codes_read_and_print_in_cn_spelling() {
        assert_eq!(cn("72071912").to_string(), "7207 19 12");
        assert_eq!(cn("7207 19 12").digits(), "72071912");
        assert!(CnCode::parse("720").is_err());
        assert!(CnCode::parse("72a8").is_err());
    }

    #[test]
    fn scope_follows_annex_one() {
        assert_eq!(sector_of(&cn("7208 51 20")).unwrap(), CbamSector::IronAndSteel);
        assert_eq!(sector_of(&cn("2804 10 00")).unwrap(), CbamSector::Hydrogen);
        assert_eq!(sector_of(&cn("2523 29 00")).unwrap(), CbamSector::Cement);
        assert!(sector_of(&cn("7204 10 00")).is_err(), "scrap");
        assert!(sector_of(&cn("7602")).is_err(), "aluminium scrap");
        assert!(sector_of(&cn("7615")).is_err());
        assert!(sector_of(&cn("7202 21 00")).is_err(), "ferro-silicon");
        assert!(sector_of(&cn("3105 60 00")).is_err());
        assert!(sector_of(&cn("2523")).is_err(), "too general");
        assert_eq!(sector_of(&cn("2716")).unwrap(), CbamSector::Electricity, "single-subheading heading");
        assert!(sector_of(&cn("7202")).is_err(), "too general: part excluded");
        assert_eq!(sector_of(&cn("7202 11 20")).unwrap(), CbamSector::IronAndSteel);
    }

    #[test]
    fn indirect_counts_for_cement_fertilisers_and_sinter_only() {
        assert!(counts_indirect(&cn("2523 29 00")));
        assert!(counts_indirect(&cn("3102 10 19")));
        assert!(counts_indirect(&cn("2601 12 00")));
        assert!(!counts_indirect(&cn("7208")));
        assert!(!counts_indirect(&cn("2804 10 00")), "hydrogen is direct-only");
        assert!(!counts_indirect(&cn("7601")));
    }

    #[test]
    fn table_cells_parse_into_patterns() {
        let rolled = parse_cell("7207 (rolled/cast subheadings, e.g. 7207 11 11-16, 7207 19 12)").unwrap();
        assert_eq!(rolled[0].matches(&cn("7207 11 14")), Some(8));
        assert_eq!(rolled[1].matches(&cn("7207 19 12")), Some(8));
        assert!(rolled.iter().all(|p| p.matches(&cn("7207 11 90")).is_none()));
        let long = parse_cell("7213; 7214 20 00 to 7214 99; 7215").unwrap();
        assert!(long[1].matches(&cn("7214 91 10")).is_some());
        assert!(long[1].matches(&cn("7214 10 00")).is_none());
        let forged = parse_cell("7207 (forged subheadings)").unwrap();
        assert!(matches!(forged[0], CnPattern::Described(_)));
        assert_eq!(parse_cell("7203 10 00; 7203 90 00").unwrap().len(), 2);
    }
}
