//! Finding a record by what a user types: one search across countries, members, projects, plants
//! and owners, tolerant of case, accents, punctuation and small typos. The ranking is pure (the
//! store gathers the candidates; the CLI, the API and the dashboard show the hits), so the three
//! front ends answer the same query the same way.
//!
//! How a candidate's text is scored against the query, after both are folded (accents removed,
//! lower case, punctuation as spaces):
//!
//! | match | score |
//! |---|---|
//! | the whole text | 1.00 |
//! | the text starts with the query | 0.97 |
//! | a word of the text starts with the query | 0.94 |
//! | the query appears inside the text (3 characters or more) | 0.90 |
//! | a typo: Jaro-Winkler similarity of the query and the closest run of as many words, or the mean over the query's words of each one's closest word, at least 0.88 (queries of 4 characters or more) | 0.85 x similarity |
//!
//! so every substring match ranks above every typo match. "Indai" finds India (similarity 0.95),
//! "Oxelosund" finds "SSAB Oxelösund" (a word prefix once accents are folded).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Longest query accepted, in characters: longer than any record name the store allows for a
/// search box, and it bounds the work of one query.
pub const MAX_QUERY_CHARS: usize = 100;

/// Similarity from which a typo match is offered (Jaro-Winkler on folded text).
const TYPO_THRESHOLD: f64 = 0.88;

/// What a hit is, in the order results are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HitKind {
    Country,
    Member,
    Project,
    Plant,
    Owner,
}

impl HitKind {
    pub const ALL: [HitKind; 5] =
        [HitKind::Country, HitKind::Member, HitKind::Project, HitKind::Plant, HitKind::Owner];

    pub fn as_str(self) -> &'static str {
        match self {
            HitKind::Country => "country",
            HitKind::Member => "member",
            HitKind::Project => "project",
            HitKind::Plant => "plant",
            HitKind::Owner => "owner",
        }
    }

    /// The heading of a group of hits ("Countries", ...).
    pub fn plural_label(self) -> &'static str {
        match self {
            HitKind::Country => "Countries",
            HitKind::Member => "Members",
            HitKind::Project => "Projects",
            HitKind::Plant => "Plants",
            HitKind::Owner => "Owners",
        }
    }
}

impl std::str::FromStr for HitKind {
    type Err = crate::ParseError;

    fn from_str(text: &str) -> Result<HitKind, crate::ParseError> {
        let folded = text.trim().to_lowercase();
        HitKind::ALL
            .into_iter()
            .find(|k| k.as_str() == folded || format!("{}s", k.as_str()) == folded)
            .ok_or_else(|| {
                crate::ParseError::new("search kind", text, "country, member, project, plant or owner")
                    .suggesting(crate::suggest::closest(text, HitKind::ALL.map(HitKind::as_str)))
            })
    }
}

/// Something a search can find: its kind, the key that identifies it (an ISO3 code, a plant key,
/// a project key, a member id, an owner's name), the text shown, and a line of context.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Candidate {
    pub kind: HitKind,
    pub key: String,
    pub label: String,
    pub detail: String,
    /// Other names the candidate answers to (aliases, former names); matched, not shown.
    #[serde(skip)]
    pub aliases: Vec<String>,
}

/// A candidate that matched, with its score (0 to 1, higher is closer).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    #[serde(flatten)]
    pub candidate: Candidate,
    pub score: f64,
}

/// Lower case, accents removed (Unicode decomposition, plus the letters that do not decompose:
/// ø, ł, đ), apostrophes and full stops dropped ("Côte d'Ivoire" = "cote divoire", "U.S." =
/// "us"), every other run of characters that are not letters or digits one space. Country names
/// are looked up by the same folding.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.nfd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase) {
        let c = match c {
            'ø' => 'o',
            'ł' => 'l',
            'đ' => 'd',
            '\'' | '’' | '`' | '.' => continue,
            c => c,
        };
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// How well `text` answers `query` (both already folded), or `None`.
pub fn score(query: &str, text: &str) -> Option<f64> {
    if query.is_empty() || text.is_empty() {
        return None;
    }
    if text == query {
        return Some(1.0);
    }
    if text.starts_with(query) {
        return Some(0.97);
    }
    if text.split(' ').enumerate().any(|(i, _)| word_starts_with(text, i, query)) {
        return Some(0.94);
    }
    let chars = query.chars().count();
    if chars >= 3 && text.contains(query) {
        return Some(0.90);
    }
    if chars < 4 {
        return None;
    }
    let words: Vec<&str> = text.split(' ').collect();
    let span = query.split(' ').count().min(words.len());
    let best = words
        .windows(span)
        .map(|run| strsim::jaro_winkler(query, &run.join(" ")))
        .chain(std::iter::once(strsim::jaro_winkler(query, text)))
        .chain(every_word(query, &words))
        .fold(0.0_f64, f64::max);
    (best >= TYPO_THRESHOLD).then_some(0.85 * best)
}

/// For a query of several words, each found in the text in any order ("hybirt gallivare" in
/// "hybrit demonstration plant gallivare"): the mean of each word's best similarity (1 for a
/// word prefix), or nothing when a word is not close to any.
fn every_word(query: &str, words: &[&str]) -> Option<f64> {
    let wanted: Vec<&str> = query.split(' ').collect();
    if wanted.len() < 2 {
        return None;
    }
    let mut total = 0.0;
    for want in &wanted {
        let best = words
            .iter()
            .map(|word| {
                if word.starts_with(want) {
                    1.0
                } else if want.chars().count() >= 4 {
                    strsim::jaro_winkler(want, word)
                } else {
                    0.0
                }
            })
            .fold(0.0_f64, f64::max);
        if best < TYPO_THRESHOLD {
            return None;
        }
        total += best;
    }
    Some(total / wanted.len() as f64)
}

/// Whether the words of `text` from word `index` on start with `query` (a query of several words
/// may run across word boundaries: "tata steel ij" in "tata steel ijmuiden").
fn word_starts_with(text: &str, index: usize, query: &str) -> bool {
    let rest: Vec<&str> = text.split(' ').skip(index).collect();
    rest.join(" ").starts_with(query)
}

/// The hits for `query` among `candidates`, grouped by kind in [`HitKind::ALL`] order, best first
/// within a kind (ties by label, then key), at most `per_kind` of each kind. A query that folds to
/// nothing finds nothing.
pub fn rank(query: &str, candidates: impl IntoIterator<Item = Candidate>, per_kind: usize) -> Vec<Hit> {
    let query = fold(query);
    if query.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<Hit> = candidates
        .into_iter()
        .filter_map(|candidate| {
            let best = std::iter::once(&candidate.label)
                .chain(&candidate.aliases)
                .chain(std::iter::once(&candidate.key))
                .filter_map(|text| score(&query, &fold(text)))
                .fold(None, |acc: Option<f64>, s| Some(acc.map_or(s, |a| a.max(s))))?;
            Some(Hit { candidate, score: best })
        })
        .collect();
    hits.sort_by(|a, b| {
        a.candidate
            .kind
            .cmp(&b.candidate.kind)
            .then(b.score.total_cmp(&a.score))
            .then_with(|| a.candidate.label.cmp(&b.candidate.label))
            .then_with(|| a.candidate.key.cmp(&b.candidate.key))
    });
    let mut out = Vec::new();
    let mut taken = [0usize; HitKind::ALL.len()];
    for hit in hits {
        let slot = &mut taken[hit.candidate.kind as usize];
        if *slot < per_kind {
            *slot += 1;
            out.push(hit);
        }
    }
    out
}

/// Every country as a search candidate (name, ISO3 code and the aliases the country table knows).
pub fn countries() -> Vec<Candidate> {
    crate::CountryCode::all()
        .map(|code| Candidate {
            kind: HitKind::Country,
            key: code.as_str().to_owned(),
            label: code.name().to_owned(),
            detail: code.region().to_string(),
            aliases: code.aliases().iter().map(|a| (*a).to_owned()).collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plant(key: &str, label: &str) -> Candidate {
        Candidate {
            kind: HitKind::Plant,
            key: key.into(),
            label: label.into(),
            detail: String::new(),
            aliases: vec![],
        }
    }

    #[test]
    fn folding_removes_accents_case_and_punctuation() {
        assert_eq!(fold("SSAB Oxelösund"), "ssab oxelosund");
        assert_eq!(fold("  Türkiye -- İskenderun  "), "turkiye iskenderun");
        assert_eq!(fold("Tata Steel (IJmuiden)"), "tata steel ijmuiden");
        assert_eq!(fold("!!"), "");
    }

    #[test]
    fn substring_matches_rank_above_typos_and_far_words_are_not_found() {
        assert_eq!(score("india", "india"), Some(1.0));
        assert_eq!(score("tata", "tata steel ijmuiden"), Some(0.97));
        assert_eq!(score("oxelosund", "ssab oxelosund"), Some(0.94));
        assert_eq!(score("steel ij", "tata steel ijmuiden"), Some(0.94));
        assert_eq!(score("elosund", "ssab oxelosund"), Some(0.90));
        let typo = score("indai", "india").unwrap();
        assert!(typo > 0.80 && typo < 0.90, "{typo}");
        assert!(score("hybrti", "hybrit demonstration").is_some());
        assert!(score("hybirt gallivare", "hybrit demonstration plant gallivare").is_some());
        assert_eq!(score("hybirt cement", "hybrit demonstration plant gallivare"), None);
        assert_eq!(score("zinc", "india"), None);
        assert_eq!(score("in", "china"), None, "two letters inside a word are not a match");
    }

    #[test]
    fn a_misspelt_country_finds_it_and_results_are_grouped_by_kind() {
        let mut candidates = countries();
        candidates.push(plant("P1", "Indiana Harbor Works"));
        let hits = rank("Indai", candidates, 5);
        assert_eq!(hits[0].candidate.key, "IND", "{hits:?}");
        let hits = rank("india", countries().into_iter().chain([plant("P1", "India Steel Works")]), 5);
        let kinds: Vec<HitKind> = hits.iter().map(|h| h.candidate.kind).collect();
        assert_eq!(kinds.first(), Some(&HitKind::Country));
        assert_eq!(kinds.last(), Some(&HitKind::Plant));
    }

    #[test]
    fn per_kind_limit_and_empty_queries() {
        let plants = (0..20).map(|i| plant(&format!("P{i:02}"), &format!("Steel works {i:02}")));
        let hits = rank("steel", plants, 3);
        assert_eq!(hits.len(), 3);
        assert_eq!(hits[0].candidate.key, "P00", "ties by label");
        assert!(rank("  --  ", countries(), 3).is_empty());
        assert!("plants".parse::<HitKind>().is_ok());
        assert!("plnat".parse::<HitKind>().unwrap_err().to_string().contains("did you mean plant"));
    }
}
