//! Tables and notes on the terminal (or CSV), for every `decarb cbam` subcommand.

use crate::output::{Cell, Format, Sink};
use anyhow::Result;
use decarb_cbam::Note;
use decarb_cbam::num::round_half_away;
use rust_decimal::Decimal;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write;

/// A decimal for tables and CSV: exact, or rounded half away from zero to `dp` decimals.
pub(super) fn text(value: Decimal, dp: Option<u32>) -> Cell {
    match dp {
        Some(dp) => {
            let rounded = round_half_away(value, dp);
            Cell::text(format!("{rounded:.prec$}", prec = dp as usize))
        }
        // Quantities: at most 6 decimals on screen (full precision in JSON).
        None => Cell::text(round_half_away(value, 6).normalize().to_string()),
    }
}

/// Notes go after a terminal table, and to stderr with CSV so the CSV stays clean.
pub(super) fn print_notes(out: &mut Sink, notes: &[Note], format: Format) -> Result<()> {
    let unique: BTreeSet<&Note> = notes.iter().collect();
    let lines = unique.iter().fold(String::new(), |mut out, n| {
        let _ = writeln!(out, "note ({}): {}", kind_name(n), n.text);
        out
    });
    if format == Format::Table {
        write!(out, "{lines}")?;
    } else {
        eprint!("{lines}");
    }
    Ok(())
}

fn kind_name(note: &Note) -> &'static str {
    match note.kind {
        decarb_cbam::NoteKind::Assumption => "assumption",
        decarb_cbam::NoteKind::Unresolved => "unresolved",
        decarb_cbam::NoteKind::Info => "info",
    }
}
