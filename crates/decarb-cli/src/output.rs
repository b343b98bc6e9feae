//! Writing records as a terminal table, CSV or JSON. Every command builds a [`Table`] and hands
//! it here, so column names (a contract for users' scripts) are the same in all three formats.

use anyhow::{Context, Result};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// How a command writes its records. Without `--format`, a table on a terminal and CSV otherwise,
/// so `decarb ... > file.csv` does what it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

impl Format {
    pub fn resolve(requested: Option<Format>) -> Format {
        requested.unwrap_or_else(|| if std::io::stdout().is_terminal() { Format::Table } else { Format::Csv })
    }
}

/// One cell: text, an integer, or a number printed with a fixed number of decimals in tables and
/// CSV (full precision in JSON).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Number { value: f64, decimals: usize },
    Empty,
}

impl Cell {
    pub fn text(value: impl Into<String>) -> Cell {
        Cell::Text(value.into())
    }
    pub fn number(value: f64, decimals: usize) -> Cell {
        Cell::Number { value, decimals }
    }
    pub fn int(value: impl TryInto<i64>) -> Cell {
        value.try_into().map_or(Cell::Empty, Cell::Int)
    }

    fn render(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Int(value) => value.to_string(),
            Cell::Number { value, decimals } => format!("{value:.decimals$}"),
            Cell::Empty => String::new(),
        }
    }

    fn to_json(&self) -> serde_json::Value {
        match self {
            Cell::Text(text) => serde_json::Value::String(text.clone()),
            Cell::Int(value) => serde_json::Value::from(*value),
            // Round to the displayed precision plus three digits: enough for any consumer, and
            // free of float noise such as 2271.0000000000005.
            Cell::Number { value, decimals } => {
                let scale = 10f64.powi(i32::try_from(*decimals).unwrap_or(6) + 3);
                serde_json::Number::from_f64((value * scale).round() / scale)
                    .map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
            Cell::Empty => serde_json::Value::Null,
        }
    }

    fn is_numeric(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Number { .. })
    }
}

/// Named columns and rows of cells.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new<S: Into<String>>(columns: impl IntoIterator<Item = S>) -> Table {
        Table { columns: columns.into_iter().map(Into::into).collect(), rows: Vec::new() }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    /// Writes the table to stdout in the given format.
    pub fn print(&self, format: Format) -> Result<()> {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        self.write(format, &mut out)?;
        out.flush()?;
        Ok(())
    }

    /// Writes the table to the file `path` in the given format.
    pub fn write_file(&self, path: &Path, format: Format) -> Result<()> {
        let mut bytes = Vec::new();
        self.write(format, &mut bytes)?;
        std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
    }

    pub fn write(&self, format: Format, out: &mut dyn Write) -> Result<()> {
        match format {
            Format::Table => {
                let mut table = comfy_table::Table::new();
                table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
                table.set_header(&self.columns);
                for row in &self.rows {
                    table.add_row(row.iter().map(|cell| {
                        let content = comfy_table::Cell::new(cell.render());
                        if cell.is_numeric() {
                            content.set_alignment(comfy_table::CellAlignment::Right)
                        } else {
                            content
                        }
                    }));
                }
                writeln!(out, "{table}")?;
            }
            Format::Csv => {
                let mut writer = csv::Writer::from_writer(out);
                writer.write_record(&self.columns)?;
                for row in &self.rows {
                    writer.write_record(row.iter().map(Cell::render))?;
                }
                writer.flush()?;
            }
            Format::Json => {
                let records: Vec<serde_json::Map<String, serde_json::Value>> = self
                    .rows
                    .iter()
                    .map(|row| self.columns.iter().cloned().zip(row.iter().map(Cell::to_json)).collect())
                    .collect();
                serde_json::to_writer_pretty(&mut *out, &records)?;
                writeln!(out)?;
            }
        }
        Ok(())
    }
}

/// The default output folder of a scenario: `decarb-out/<name>` with the name made a single safe
/// folder name (letters, digits, `.`, `_`, `-`; anything else becomes `-`; no leading dot; at most
/// 100 characters), so that a name such as `../../escaped` never leaves `decarb-out`.
pub fn default_out(name: &str) -> PathBuf {
    let safe: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '-' })
        .take(100)
        .collect();
    let safe = safe.trim_start_matches(['.', '-']);
    PathBuf::from("decarb-out").join(if safe.is_empty() { "scenario" } else { safe })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_columns_appear_in_every_format() {
        let mut table = Table::new(["country", "capacity_mt", "plants"]);
        table.push(vec![Cell::text("CHN"), Cell::number(1064.7321, 1), Cell::int(3)]);
        let mut csv = Vec::new();
        table.write(Format::Csv, &mut csv).unwrap();
        assert_eq!(String::from_utf8(csv).unwrap(), "country,capacity_mt,plants\nCHN,1064.7,3\n");
        let mut json = Vec::new();
        table.write(Format::Json, &mut json).unwrap();
        let parsed: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(parsed[0]["capacity_mt"], serde_json::json!(1064.7321));
        assert_eq!(parsed[0]["plants"], serde_json::json!(3));
    }
}
