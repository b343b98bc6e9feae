//! `decarb example`: the bundled example scenarios.

use crate::commands::UserError;
use crate::output::{Cell, RowsOut, Table, TextOut};
use anyhow::Result;
use decarb_engine::examples::{EXAMPLES, description, example};

#[derive(Debug, clap::Subcommand)]
pub enum ExampleCommand {
    /// List the bundled example scenarios.
    List {
        #[command(flatten)]
        output: RowsOut,
    },
    /// Print an example's TOML (a starting point for your own scenario file).
    Show {
        /// Example name (see `decarb example list`).
        name: String,
        #[command(flatten)]
        output: TextOut,
    },
}

pub fn run(command: ExampleCommand) -> Result<()> {
    match command {
        ExampleCommand::List { output } => {
            let mut table = Table::new(["name", "description"]);
            for (name, text) in EXAMPLES {
                table.push(vec![Cell::text(name), Cell::text(description(text))]);
            }
            output.emit(&table)
        }
        ExampleCommand::Show { name, output } => {
            let text = example(&name).ok_or_else(|| UserError(decarb_engine::examples::unknown(&name)))?;
            output.emit(text)
        }
    }
}
