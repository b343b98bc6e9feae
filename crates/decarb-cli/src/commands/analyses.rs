//! `decarb analyses add|list|show`: the group's publications in the tracker store. A file is
//! Markdown with a front matter (title, date, authors, tags, optional countries, sectors,
//! projects, partnerships, slug); see `decarb_store::analyses`.

use super::UserError;
use crate::output::{Cell, RowsOut, Table, TextOut};
use crate::store_args::{StoreArgs, store_error, with_store};
use anyhow::Result;
use clap::{Args, Subcommand};
use decarb_store::analyses::{Analysis, LinkKind, parse_file, related};
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct AnalysesCli {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(subcommand)]
    pub command: AnalysesCommand,
}

#[derive(Debug, Subcommand)]
pub enum AnalysesCommand {
    /// Add an analysis from a Markdown file with front matter (same slug: replaced).
    Add {
        #[arg(value_name = "FILE.md")]
        file: PathBuf,
    },
    /// Analyses, newest first.
    List {
        /// Only analyses with this tag (case-insensitive).
        #[arg(long)]
        tag: Option<String>,
        #[command(flatten)]
        output: RowsOut,
    },
    /// One analysis: its front matter, related analyses, and its body (Markdown, or sanitised
    /// HTML with --html).
    Show {
        slug: String,
        /// Print the body as sanitised HTML instead of Markdown.
        #[arg(long)]
        html: bool,
        #[command(flatten)]
        output: TextOut,
    },
}

pub fn run(cli: AnalysesCli) -> Result<()> {
    let target = cli.store.target();
    match cli.command {
        AnalysesCommand::Add { file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| UserError(format!("{}: cannot read: {e}", file.display())))?;
            let analysis = parse_file(&text, &file.display().to_string()).map_err(store_error)?;
            let replaced = with_store(&target, async |store| store.add_analysis(&analysis).await)?;
            eprintln!(
                "{} analysis {:?} ({}, {} tags, {} links)",
                if replaced { "replaced" } else { "added" },
                analysis.slug,
                analysis.published,
                analysis.tags.len(),
                analysis.links.len()
            );
            Ok(())
        }
        AnalysesCommand::List { tag, output } => {
            let rows = with_store(&target, async |store| store.analyses(tag.as_deref()).await)?;
            let mut table = Table::new(["published", "slug", "title", "authors", "tags"]);
            for a in rows {
                table.push(vec![
                    Cell::text(a.published),
                    Cell::text(a.slug),
                    Cell::text(a.title),
                    Cell::text(a.authors.join("; ")),
                    Cell::text(a.tags.join("; ")),
                ]);
            }
            output.emit(&table)
        }
        AnalysesCommand::Show { slug, html, output } => {
            let (analysis, all) = with_store(&target, async |store| {
                let one = store.analysis(&slug).await?;
                Ok((one, store.analyses(None).await?))
            })?;
            output.emit(&shown(&analysis, &all, html))
        }
    }
}

/// `analyses show`: the front matter, related analyses, a blank line and the body.
fn shown(analysis: &Analysis, all: &[Analysis], html: bool) -> String {
    let mut text = format!(
        "title: {}\ndate: {}\nauthors: {}\ntags: {}\n",
        analysis.title,
        analysis.published,
        analysis.authors.join(", "),
        analysis.tags.join(", ")
    );
    for kind in LinkKind::ALL {
        let linked: Vec<&str> = analysis.linked(kind).collect();
        if !linked.is_empty() {
            let _ = writeln!(text, "{}: {}", kind.key(), linked.join(", "));
        }
    }
    for r in related(analysis, all, 5) {
        let _ = writeln!(text, "related: {} ({}, score {})", r.slug, r.published, r.score);
    }
    text.push('\n');
    if html {
        text += &decarb_brief::markdown::render(&analysis.body_markdown);
    } else {
        text += &analysis.body_markdown;
    }
    text
}
