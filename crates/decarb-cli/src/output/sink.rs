//! Where a command's output goes (issue 17 item 6): stdout, or the file `-o/--out` names, with
//! everything the command would print (rows, a JSON document, the notes after a table) and in
//! the format `-f/--format` or the file's extension asks for.

use super::{Fit, Format, RowsOut, Table};
use anyhow::Result;
use std::io::Write;
use std::path::PathBuf;

impl RowsOut {
    /// The format the flags ask for: `--format`; else, with `--out`, the file's extension's
    /// (`.json` JSON, `.txt` a table, else CSV); else a table on a terminal, CSV on a pipe.
    pub fn format(&self) -> Format {
        match (self.format, &self.out) {
            (Some(format), _) => format,
            (None, Some(path)) => Format::of_file(path),
            (None, None) => Format::resolve(None),
        }
    }

    /// Where to write: stdout, or the `--out` file once [`Sink::finish`] is called.
    pub fn sink(&self) -> Sink {
        Sink { file: self.out.clone().map(|path| (path, Vec::new())) }
    }

    /// Writes `table` where and as the flags say.
    pub fn emit(&self, table: &Table) -> Result<()> {
        let mut sink = self.sink();
        sink.table(table, self.format())?;
        sink.finish()
    }
}

/// A command's output on its way to stdout or to the `--out` file (kept until [`Sink::finish`],
/// so that a failed command leaves no half-written file).
#[derive(Debug)]
pub struct Sink {
    file: Option<(PathBuf, Vec<u8>)>,
}

impl Sink {
    /// Whether the output goes to a terminal-less file (where notes belong with the rows).
    pub fn is_file(&self) -> bool {
        self.file.is_some()
    }

    /// Writes `table`: fitted to the terminal on stdout, whole in a file.
    pub fn table(&mut self, table: &Table, format: Format) -> Result<()> {
        let fit = if self.is_file() { Fit::Unwrapped } else { Fit::from_environment() };
        table.write_fitted(format, self, fit)
    }

    /// Writes `value` as pretty JSON and a newline.
    pub fn json(&mut self, value: &serde_json::Value) -> Result<()> {
        serde_json::to_writer_pretty(&mut *self, value)?;
        writeln!(self)?;
        Ok(())
    }

    /// Flushes stdout, or writes the file (a file that cannot be written is the user's to fix).
    pub fn finish(self) -> Result<()> {
        match self.file {
            Some((path, bytes)) => std::fs::write(&path, bytes).map_err(|e| {
                crate::commands::UserError(format!("{}: cannot write the output: {e}", path.display())).into()
            }),
            None => Ok(std::io::stdout().flush()?),
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.file {
            Some((_, bytes)) => bytes.write(buf),
            None => std::io::stdout().lock().write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.file {
            Some(_) => Ok(()),
            None => std::io::stdout().flush(),
        }
    }
}
