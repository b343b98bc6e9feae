//! `decarb analyses add|update|retire|list|show`: the group's publications in the tracker store.
//! A file is Markdown with a front matter (title, date, authors, tags, optional countries,
//! sectors, projects, partnerships, slug); see `decarb_store::analyses`. Every write goes through
//! the tracker's one write path (`decarb_store::edits`, as the API's `/analyses` routes): a
//! version, a change-log row per field with who, why and the source, no hard delete.

use super::UserError;
use crate::output::{Cell, RowsOut, Table, TextOut};
use crate::store_args::{StoreArgs, WriteArgs, apply, store_error, with_store, writer};
use anyhow::Result;
use clap::{Args, Subcommand};
use decarb_store::analyses::{Analysis, LinkKind, parse_file, related};
use decarb_store::{AnalysisPatch, Edit, Target, WriteMeta};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct AnalysesCli {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(subcommand)]
    pub command: AnalysesCommand,
}

#[derive(Debug, Subcommand)]
pub enum AnalysesCommand {
    /// Add an analysis from a Markdown file with front matter (same slug: replaced, field by
    /// field, the old values kept in its history).
    Add {
        #[arg(value_name = "FILE.md")]
        file: PathBuf,
        /// Why (kept in the history) [default: "analysis ... added from FILE.md"].
        #[arg(long)]
        note: Option<String>,
        /// The address of the analysis as published (http or https).
        #[arg(long, value_name = "URL")]
        source: Option<String>,
        /// Who adds it [default: $DECARB_USER, else $USER].
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
    },
    /// Change an analysis (only what is given; --file replaces every field with the file's),
    /// kept in its history with --note and --source.
    Update {
        /// The analysis's slug (as `decarb analyses list` shows it).
        slug: String,
        /// A Markdown file with front matter whose fields replace the stored ones (its slug is
        /// ignored: SLUG names the analysis).
        #[arg(long, value_name = "FILE.md")]
        file: Option<PathBuf>,
        #[arg(long)]
        title: Option<String>,
        /// Publication date, YYYY-MM-DD.
        #[arg(long)]
        date: Option<String>,
        /// Every author, comma-separated, replacing the old.
        #[arg(long)]
        authors: Option<String>,
        /// Every tag, comma-separated, replacing the old.
        #[arg(long)]
        tags: Option<String>,
        /// The body, from a Markdown file without front matter.
        #[arg(long, value_name = "FILE.md")]
        body: Option<PathBuf>,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Retire an analysis (withdrawn): it leaves every list from --as-of; its history stays.
    Retire {
        /// The analysis's slug (as `decarb analyses list` shows it).
        slug: String,
        #[command(flatten)]
        write: WriteArgs,
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
        /// The analysis's slug (as `decarb analyses list` shows it).
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
        AnalysesCommand::Add { file, note, source, by } => {
            let analysis = parse_file(&read(&file)?, &file.display().to_string()).map_err(store_error)?;
            let meta = WriteMeta {
                by: writer(by.as_deref()),
                note: note
                    .unwrap_or_else(|| format!("analysis {:?} added from {}", analysis.slug, file.display())),
                source_url: source,
                valid_from: None,
            };
            let (_, replaced) =
                with_store(&target, async |store| store.save_analysis(&analysis, &meta).await)?;
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
        AnalysesCommand::Update { slug, file, title, date, authors, tags, body, write } => {
            let mut patch = match &file {
                Some(file) => AnalysisPatch::replacing(
                    &parse_file(&read(file)?, &file.display().to_string()).map_err(store_error)?,
                ),
                None => AnalysisPatch::default(),
            };
            let list =
                |text: &str| text.split(',').map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect();
            patch.title = title.or(patch.title);
            patch.published = date.or(patch.published);
            patch.authors = authors.as_deref().map(list).or(patch.authors);
            patch.tags = tags.as_deref().map(list).or(patch.tags);
            if let Some(body) = &body {
                patch.body_markdown = Some(read(body)?);
            }
            apply(&target, &Edit::UpdateAnalysis { slug, patch }, &write)
        }
        AnalysesCommand::Retire { slug, write } => {
            apply(&target, &Edit::Retire { target: Target::Analysis { slug } }, &write)
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

fn read(file: &Path) -> Result<String> {
    Ok(std::fs::read_to_string(file)
        .map_err(|e| UserError(format!("{}: cannot read: {e}", file.display())))?)
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
