//! Reading scenario files: TOML text to [`Scenario`], with errors that name the file, the line
//! and column, and the key.

use decarb_engine::{EngineError, Scenario, World};
use std::fmt;
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// A scenario file that cannot be used, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ScenarioError {
    /// The file (or `example NAME`).
    pub origin: String,
    /// 1-based line and column, when the place is known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Dotted key path (`carbon_price.path`, `limits[1].quantity`).
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.origin)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
            if let Some(column) = self.column {
                write!(f, ", column {column}")?;
            }
        }
        if let Some(key) = &self.key {
            write!(f, ", key `{key}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Parses a scenario file. Unknown keys, wrong types and malformed TOML are errors with line and
/// key; values are checked against a world by [`load`].
pub fn parse(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
    toml::from_str::<Scenario>(text).map_err(|err| {
        let span = err.span();
        let (line, column) = span.as_ref().map_or((None, None), |s| {
            let (l, c) = line_column(text, s.start);
            (Some(l), Some(c))
        });
        let key = span.and_then(|s| key_at(text, &s));
        ScenarioError {
            origin: origin.to_owned(),
            line,
            column,
            key,
            message: err.message().trim().to_owned(),
        }
    })
}

/// Parses a scenario file and checks it against a world (names of price sets, paths and
/// technologies; ranges of years, rates and quantities).
pub fn load(text: &str, origin: &str, world: &World) -> Result<Scenario, ScenarioError> {
    let scenario = parse(text, origin)?;
    scenario.check(world).map_err(|err| locate(text, origin, &err))?;
    Ok(scenario)
}

/// An engine error about a scenario, placed at the line of its key in `text`.
pub fn locate(text: &str, origin: &str, err: &EngineError) -> ScenarioError {
    match err {
        EngineError::Scenario { key, message } => {
            let position = span_of_key(text, key).map(|s| line_column(text, s.start));
            ScenarioError {
                origin: origin.to_owned(),
                line: position.map(|p| p.0),
                column: position.map(|p| p.1),
                key: Some(key.clone()),
                message: message.clone(),
            }
        }
        other => ScenarioError {
            origin: origin.to_owned(),
            line: None,
            column: None,
            key: None,
            message: other.to_string(),
        },
    }
}

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The dotted path of the innermost key whose entry contains `span`.
fn key_at(text: &str, span: &Range<usize>) -> Option<String> {
    let table = DeTable::parse(text).ok()?;
    // A span at a table header (`[[uncertainty.inputs]]`, the place of a missing field) starts at
    // its brackets, before the header's keys: look from the end of the header instead, or the key
    // found would be the last one before the header (`demand`) or the header's first (`uncertainty`).
    let rest = text.get(span.start..).unwrap_or("");
    let start = if rest.starts_with('[') { span.start + rest.find(']').unwrap_or(0) } else { span.start };
    let span = &(start..span.end.max(start));
    let mut path = Vec::new();
    find_in_table(table.get_ref(), span, &mut path);
    (!path.is_empty()).then(|| path.join(".").replace(".[", "["))
}

/// Descends into the entry whose key comes last before `span` (a table's body follows its
/// header, so the nearest preceding key is the one the span belongs to).
fn find_in_table(table: &DeTable<'_>, span: &Range<usize>, path: &mut Vec<String>) {
    let entry = table
        .iter()
        .filter(|(key, _)| key.span().start <= span.start)
        .max_by_key(|(key, _)| key.span().start);
    if let Some((key, value)) = entry {
        path.push(key.get_ref().to_string());
        if !(key.span().start <= span.start && span.start < key.span().end) {
            find_in_value(value.get_ref(), span, path);
        }
    }
}

fn find_in_value(value: &DeValue<'_>, span: &Range<usize>, path: &mut Vec<String>) {
    match value {
        DeValue::Table(table) => find_in_table(table, span, path),
        DeValue::Array(items) => {
            let item = items
                .iter()
                .enumerate()
                .filter(|(_, item)| item.span().start <= span.start)
                .max_by_key(|(_, item)| item.span().start);
            if let Some((i, item)) = item {
                path.push(format!("[{i}]"));
                find_in_value(item.get_ref(), span, path);
            }
        }
        _ => {}
    }
}

/// The span of a key given as a dotted path with indices (`limits[1].quantity.2030`).
fn span_of_key(text: &str, key: &str) -> Option<Range<usize>> {
    let table = DeTable::parse(text).ok()?;
    let mut segments = Vec::new();
    for part in key.split('.') {
        let (name, rest) = part.split_once('[').map_or((part, ""), |(n, r)| (n, r));
        segments.push(Segment::Key(name));
        for index in rest.split('[') {
            if let Ok(i) = index.trim_end_matches(']').parse::<usize>() {
                segments.push(Segment::Index(i));
            }
        }
    }
    let mut current_table = Some(table.get_ref());
    let mut current_value: Option<&DeValue<'_>> = None;
    let mut found = None;
    for segment in segments {
        match segment {
            Segment::Key(name) => {
                let table = current_table.or(match current_value {
                    Some(DeValue::Table(t)) => Some(t),
                    _ => None,
                })?;
                let (k, v) = table.iter().find(|(k, _)| k.get_ref() == name)?;
                found = Some(k.span());
                current_value = Some(v.get_ref());
                current_table = None;
            }
            Segment::Index(i) => {
                let Some(DeValue::Array(items)) = current_value else { return found };
                let item = items.get(i)?;
                found = Some(item.span());
                current_value = Some(item.get_ref());
                current_table = None;
            }
        }
    }
    found
}

enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}
