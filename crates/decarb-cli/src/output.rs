//! Writing records as a terminal table, CSV or JSON. Every command builds a [`Table`] and hands
//! it here, so column names (a contract for users' scripts) are the same in all three formats.

use anyhow::{Context, Result};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

mod fit;
mod sink;
pub use sink::Sink;
#[cfg(test)]
mod tests;

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

    /// The format a file's name asks for: JSON for `.json`, a table for `.txt`, CSV otherwise.
    pub fn of_file(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("json") => Format::Json,
            Some("txt") => Format::Table,
            _ => Format::Csv,
        }
    }
}

/// The output flags of a command that prints rows: `-f/--format` and `-o/--out FILE`, the same
/// spelling on every such command (issue 17).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RowsOut {
    /// Output format [default: with --out, by the file's extension (.json JSON, else CSV);
    /// otherwise a table on a terminal, CSV on a pipe].
    #[arg(short, long, value_enum)]
    pub format: Option<Format>,
    /// Write the output to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// The output flag of a command that prints a document (a scenario's TOML): `-o/--out FILE`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TextOut {
    /// Write it to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

impl TextOut {
    /// Writes `text` to stdout or the `--out` file.
    pub fn emit(&self, text: &str) -> Result<()> {
        let mut sink = RowsOut { format: None, out: self.out.clone() }.sink();
        sink.write_all(text.as_bytes())?;
        sink.finish()
    }
}

/// The folder a command writes its files into: its argument, or `-o/--out` as on every other
/// command that writes (issue 17 item 6).
#[derive(Debug, Clone, clap::Args)]
pub struct FolderOut {
    /// The output folder.
    #[arg(value_name = "DIR", required_unless_present = "out")]
    pub dir: Option<PathBuf>,
    /// The output folder, as a flag (the same as DIR).
    #[arg(short, long, value_name = "DIR", conflicts_with = "dir")]
    pub out: Option<PathBuf>,
}

impl FolderOut {
    pub fn path(&self) -> Result<&Path> {
        self.dir.as_deref().or(self.out.as_deref()).ok_or_else(|| {
            crate::commands::UserError("the output folder: give it as DIR or with --out".into()).into()
        })
    }
}

/// One cell: text, an integer, or a number shown with a fixed number of decimals in tables and
/// written at full precision (shortest round-trip) in CSV and JSON, so a script reads exactly
/// what was computed (issue 17: CSV on a pipe was rounded to the displayed decimals).
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

    /// The cell as a table shows it: numbers at their display decimals, never `-0.000`.
    fn display(&self) -> String {
        match self {
            Cell::Number { value, decimals } => display_number(*value, *decimals),
            other => other.full(),
        }
    }

    /// The cell as CSV writes it: numbers at full precision (Rust's shortest round-trip), never
    /// `-0`.
    fn full(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Int(value) => value.to_string(),
            Cell::Number { value, .. } => format!("{}", no_negative_zero(*value)),
            Cell::Empty => String::new(),
        }
    }

    fn to_json(&self) -> serde_json::Value {
        match self {
            Cell::Text(text) => serde_json::Value::String(text.clone()),
            Cell::Int(value) => serde_json::Value::from(*value),
            Cell::Number { value, .. } => serde_json::Number::from_f64(no_negative_zero(*value))
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Cell::Empty => serde_json::Value::Null,
        }
    }

    fn is_numeric(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Number { .. })
    }
}

/// `value` with a negative zero made positive (`-0.0 == 0.0`, so this keeps every other value).
fn no_negative_zero(value: f64) -> f64 {
    if value == 0.0 { 0.0 } else { value }
}

/// `value` at `decimals` decimals, without the sign of a value that rounds to zero: a table shows
/// `0.0000`, never `-0.0000` (issue 17: 2,250 values printed so).
pub fn display_number(value: f64, decimals: usize) -> String {
    let shown = format!("{value:.decimals$}");
    match shown.strip_prefix('-') {
        Some(magnitude) if magnitude.chars().all(|c| c == '0' || c == '.') => magnitude.to_owned(),
        _ => shown,
    }
}

/// Whether `--wide` was given: tables then show every cell whole, however wide.
static WIDE: AtomicBool = AtomicBool::new(false);

/// Set by `--wide` (a global flag of the command line).
pub fn set_wide(wide: bool) {
    WIDE.store(wide, Ordering::Relaxed);
}

/// How wide a table may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Every cell whole on one line (`--wide`, or a table written to a file).
    Unwrapped,
    /// Long text wrapped, and cut after a few lines, to fit this many columns.
    Width(u16),
    /// The width of the terminal stdout is, if it is one (else unwrapped).
    Terminal,
}

impl Fit {
    /// `--wide`, else the `COLUMNS` environment variable (as `ls` and `git` read it), else the
    /// terminal's width.
    pub fn from_environment() -> Fit {
        if WIDE.load(Ordering::Relaxed) {
            return Fit::Unwrapped;
        }
        match std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<u16>().ok()) {
            Some(columns) if columns >= MIN_WIDTH => Fit::Width(columns),
            _ => Fit::Terminal,
        }
    }
}

/// Below this, a `COLUMNS` value is taken for a mistake and ignored.
const MIN_WIDTH: u16 = 20;
/// The most lines one row of a fitted table takes: longer text ends in `...` (`--wide` shows it).
const MAX_ROW_LINES: usize = 3;

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

    /// Writes the table to the file `path` in the given format (a table format whole: a file has
    /// no width).
    pub fn write_file(&self, path: &Path, format: Format) -> Result<()> {
        let mut bytes = Vec::new();
        self.write_fitted(format, &mut bytes, Fit::Unwrapped)?;
        std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
    }

    /// Writes the table in the given format, a table fitted to the terminal (`Fit::from_environment`).
    pub fn write(&self, format: Format, out: &mut dyn Write) -> Result<()> {
        self.write_fitted(format, out, Fit::from_environment())
    }

    /// Writes the table in the given format, a table fitted as `fit` says (CSV and JSON ignore it).
    pub fn write_fitted(&self, format: Format, out: &mut dyn Write, fit: Fit) -> Result<()> {
        match format {
            Format::Table => writeln!(out, "{}", self.terminal_table(fit))?,
            Format::Csv => {
                let mut writer = csv::Writer::from_writer(out);
                writer.write_record(&self.columns)?;
                for row in &self.rows {
                    writer.write_record(row.iter().map(Cell::full))?;
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
