//! `decarb analyses add|list|show`: the group's publications in the tracker store. A file is
//! Markdown with a front matter (title, date, authors, tags, optional countries, sectors,
//! projects, partnerships, slug); see `decarb_store::analyses`.

use super::UserError;
use crate::output::{Cell, Format, Table};
use crate::store_args::{StoreArgs, store_error, with_store};
use anyhow::Result;
use clap::{Args, Subcommand};
use decarb_store::analyses::{LinkKind, parse_file, related};
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
        #[arg(short, long, value_enum)]
        format: Option<Format>,
    },
    /// One analysis: its front matter, related analyses, and its body (Markdown, or sanitised
    /// HTML with --html).
    Show {
        slug: String,
        /// Print the body as sanitised HTML instead of Markdown.
        #[arg(long)]
        html: bool,
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
        AnalysesCommand::List { tag, format } => {
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
            table.print(Format::resolve(format))
        }
        AnalysesCommand::Show { slug, html } => {
            let (analysis, all) = with_store(&target, async |store| {
                let one = store.analysis(&slug).await?;
                Ok((one, store.analyses(None).await?))
            })?;
            println!("title: {}", analysis.title);
            println!("date: {}", analysis.published);
            println!("authors: {}", analysis.authors.join(", "));
            println!("tags: {}", analysis.tags.join(", "));
            for kind in LinkKind::ALL {
                let linked: Vec<&str> = analysis.linked(kind).collect();
                if !linked.is_empty() {
                    println!("{}: {}", kind.key(), linked.join(", "));
                }
            }
            for r in related(&analysis, &all, 5) {
                println!("related: {} ({}, score {})", r.slug, r.published, r.score);
            }
            println!();
            if html {
                print!("{}", decarb_brief::markdown::render(&analysis.body_markdown));
            } else {
                print!("{}", analysis.body_markdown);
            }
            Ok(())
        }
    }
}
