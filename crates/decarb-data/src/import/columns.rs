//! Recognising a column by what it means, not by one spelling: GEM renames columns between
//! releases (`Country` in the 2023 steel plant tracker, `country/area` in the 2025 map files,
//! `Owner PermID` then `owner-gem-id`), and exports slugify or re-case them.
//!
//! Two rules, applied by [`super::table::Header::find`]:
//!
//! 1. **Loose spelling**: header names compare after [`loose_key`]: case folded, a byte-order mark
//!    and surrounding space removed, and every run of spaces, `-`, `_` and `/` read as one space.
//!    `plant-name-(english)`, `Plant name (English)` and `PLANT_NAME (English)` are one column, and
//!    so are the plant's wiki page in GEM's 2025 map files (`gem-wiki-page`) and its 2023 workbook
//!    (`GEM wiki page`), so that field needs no synonym row.
//!    Units in parentheses are kept: `(ttpa)` and `(mtpa)` are different columns.
//! 2. **Synonyms**: each row of [`SYNONYMS`] lists spellings that name one field across releases;
//!    an importer asking for any of them finds whichever the file has (its own spelling first).
//!
//! Columns a file has but no importer reads are listed in the import report
//! ([`super::ImportReport::unmapped_columns`]), never a reason to refuse the file; only a missing
//! required field is an error, naming the file and the column expected.

/// Spellings of one field across releases. Where each spelling was seen is in the comment; a
/// spelling not seen in a file decarb is tested on is marked as such.
pub const SYNONYMS: &[&[&str]] = &[
    // GSPT 2023 workbook and CSV: `Country`; GIST 2025 map files: `country/area`; GIST and GCCT
    // workbooks: `Country/Area` (GEM's map code, GlobalEnergyMonitor/maps `all_config.py`).
    &["Country", "Country/Area"],
    // GSPT 2023: `Plant name (English)`; GIST 2025 map files: `plant-name-(english)` (loose
    // spelling of the same); `Plant name` (untested: older GSPT exports).
    &["Plant name (English)", "Plant name"],
    // GSPT 2023: `Owner PermID`; GIST 2025 map files: `owner-gem-id`; GIST workbook: `Owner GEM
    // ID` (GEM's map code, untested here).
    &["Owner PermID", "Owner GEM ID"],
    // GSPT 2023: `Parent PermID [formula]`; GIST 2025 map files: `parent-gem-id`; GIST workbook:
    // `Parent GEM ID` (GEM's map code, untested here).
    &["Parent PermID [formula]", "Parent PermID", "Parent GEM ID"],
    // GSPT 2023: `Parent [formula]`; GIST 2025 map files: `parent`.
    &["Parent [formula]", "Parent"],
    // GSPT 2023: `Start date`; GIST 2025: `start-date`; `Start year` (untested).
    &["Start date", "Start year"],
    // GIST 2025 plant map file: `plant-status` and `status_display` (same values there);
    // GSPT 2023: `Status`.
    &["plant-status", "status_display"],
    // GIST 2025 plant map file: `prod-method-tier`, with `prod-method-tier-display` beside it.
    &["prod-method-tier", "prod-method-tier-display", "Production method tier"],
    // GIST 2025 unit map file: `current-capacity-(ttpa)`; `Capacity (ttpa)` (untested).
    &["current-capacity-(ttpa)", "Capacity (ttpa)"],
];

/// The comparison key of a header name (rule 1 above).
pub fn loose_key(name: &str) -> String {
    let trimmed = name.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let mut key = String::with_capacity(trimmed.len());
    let mut gap = false;
    for c in trimmed.chars() {
        if c.is_whitespace() || matches!(c, '-' | '_' | '/') {
            gap = true;
            continue;
        }
        if gap && !key.is_empty() {
            key.push(' ');
        }
        gap = false;
        key.extend(c.to_lowercase());
    }
    key
}

/// The other spellings of `name`'s field, in table order (empty when it has none).
pub fn synonyms_of(name: &str) -> impl Iterator<Item = &'static str> {
    let key = loose_key(name);
    SYNONYMS
        .iter()
        .find(|group| group.iter().any(|spelling| loose_key(spelling) == key))
        .into_iter()
        .flat_map(|group| group.iter().copied())
        .filter(move |spelling| loose_key(spelling) != key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_case_and_separators_compare_equal_but_units_do_not() {
        assert_eq!(loose_key("plant-name-(english)"), loose_key("Plant name (English)"));
        assert_eq!(loose_key("\u{feff} PLANT_ID "), "plant id");
        assert_eq!(loose_key("country/area"), "country area");
        assert_eq!(loose_key("gem-wiki-page"), loose_key("GEM wiki page"));
        assert_ne!(loose_key("capacity (ttpa)"), loose_key("capacity (mtpa)"));
    }

    #[test]
    fn synonyms_are_found_from_any_spelling() {
        assert_eq!(synonyms_of("Country").collect::<Vec<_>>(), ["Country/Area"]);
        assert_eq!(synonyms_of("country-area").collect::<Vec<_>>(), ["Country"]);
        assert!(synonyms_of("owner").next().is_none());
        // No spelling appears in two groups, so a column has one meaning.
        let mut keys: Vec<String> = SYNONYMS.iter().flat_map(|g| g.iter().map(|s| loose_key(s))).collect();
        let all = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), all);
    }
}
