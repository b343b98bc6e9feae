//! "Did you mean" for names a user types: countries, sectors, examples, technologies, goods. One
//! rule everywhere, on the `strsim` crate's Jaro-Winkler similarity (which favours a shared
//! beginning, as typos such as "Indai" or "steal" keep).

/// Similarity at or above which a candidate is offered (Jaro-Winkler, 0 to 1). 0.8 offers
/// "India" for "Indai" (0.95) and "steel" for "steal" (0.88) but not "cement" for "steel".
const THRESHOLD: f64 = 0.8;

/// Up to three candidates closest to `query`, best first (ties in the candidates' order);
/// case and surrounding spaces are ignored. Empty when nothing is close.
pub fn closest<'a>(query: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let query = query.trim().to_lowercase();
    if query.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(f64, usize, &'a str)> = candidates
        .into_iter()
        .enumerate()
        .map(|(i, c)| (strsim::jaro_winkler(&query, &c.to_lowercase()), i, c))
        .filter(|(score, _, _)| *score >= THRESHOLD)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out: Vec<&'a str> = Vec::new();
    for (_, _, c) in scored {
        if !out.contains(&c) {
            out.push(c);
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

/// "; did you mean X?" or "; did you mean X, Y or Z?", or nothing.
pub fn did_you_mean(options: &[&str]) -> String {
    match options {
        [] => String::new(),
        [one] => format!("; did you mean {one}?"),
        [init @ .., last] => format!("; did you mean {} or {last}?", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_typos_find_what_was_meant_and_nothing_far_is_offered() {
        assert_eq!(closest("steal", ["steel", "cement", "aluminium", "ammonia"]), ["steel"]);
        assert_eq!(closest("Alumnium", ["steel", "cement", "aluminium", "ammonia"]), ["aluminium"]);
        assert_eq!(closest("carbonprice", ["baseline", "carbon-price", "net-zero-2050"]), ["carbon-price"]);
        assert!(closest("zinc", ["steel", "cement", "aluminium", "ammonia"]).is_empty());
        assert!(closest("", ["steel"]).is_empty());
        assert_eq!(did_you_mean(&["a", "b", "c"]), "; did you mean a, b or c?");
        assert_eq!(did_you_mean(&[]), "");
    }

    #[test]
    fn a_misspelt_country_or_sector_error_offers_the_right_one() {
        let country = crate::CountryCode::parse("Indai").unwrap_err().to_string();
        assert!(country.contains("did you mean India"), "{country}");
        let sector = "steal".parse::<crate::Sector>().unwrap_err().to_string();
        assert!(sector.ends_with("; did you mean steel?"), "{sector}");
    }
}
