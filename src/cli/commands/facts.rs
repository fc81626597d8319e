//! `kg facts --document ID`: what one document states, sentence by sentence.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, ValueEnum, ValueHint};
use kg::extract::facts::{document_facts, documents, find_document};

use crate::cli::Found;
use crate::cli::output::Output;
use crate::cli::render::shown;
use crate::cli::store::StoreArgs;

/// List the facts a document states: every fact whose evidence cites it, with the document's
/// sentences among that evidence and the fact's date. Exits 1 when the document states nothing or
/// is not in the graph (the documents it has are listed).
#[derive(Debug, Args)]
pub struct FactsArgs {
    /// The document: its id (or its label)
    #[arg(long, value_name = "ID")]
    document: String,

    /// Output format
    #[arg(long, value_enum, default_value_t = FactsFormat::Text)]
    format: FactsFormat,

    /// Write to FILE (replaced only when the command succeeds)
    #[arg(long, short, value_name = "FILE", value_hint = ValueHint::FilePath)]
    output: Option<PathBuf>,

    #[command(flatten)]
    store: StoreArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FactsFormat {
    Text,
    Json,
}

pub fn run(args: &FactsArgs) -> anyhow::Result<Found> {
    let graph = args.store.open()?;
    let Some(document) = find_document(&graph, &args.document)? else {
        let known: Vec<String> = documents(&graph)?
            .into_iter()
            .map(|d| shown(&d.id).into_owned())
            .collect();
        eprintln!(
            "kg: no document {:?} in the graph; it has {}",
            args.document,
            known.join(", ")
        );
        return Ok(Found::Nothing);
    };
    let answer = document_facts(&graph, document)?;
    if answer.facts.is_empty() {
        eprintln!(
            "kg: document {} ({}) states no facts: no row cites it as its `source`",
            shown(&answer.document.label),
            shown(&answer.document.id)
        );
    }
    let mut output = Output::open(args.output.as_deref())?;
    let out = output.writer();
    match args.format {
        FactsFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &answer)?;
            writeln!(out)?;
        }
        FactsFormat::Text => {
            let d = &answer.document;
            writeln!(
                out,
                "{} ({}): {} facts{}",
                shown(&d.label),
                shown(&d.id),
                answer.facts.len(),
                d.date
                    .as_deref()
                    .map(|date| format!(", dated {}", shown(date)))
                    .unwrap_or_default()
            )?;
            let mut current: Option<Option<u64>> = None;
            for fact in &answer.facts {
                let first = fact.sentences.first().copied();
                if current != Some(first) {
                    current = Some(first);
                    match (first, fact.texts.first().and_then(Option::as_deref)) {
                        (Some(n), Some(text)) => writeln!(out, "\n#{n}  “{}”", shown(text))?,
                        (Some(n), None) => writeln!(out, "\n#{n}")?,
                        (None, _) => writeln!(out, "\n(no sentence cited)")?,
                    }
                }
                let object = match (&fact.object.iri, &fact.object.datatype) {
                    (Some(_), _) => shown(&fact.object.label).into_owned(),
                    (None, _) => format!("“{}”", shown(&fact.object.label)),
                };
                let mut line = format!(
                    "  {}  —{}→  {object}",
                    shown(&fact.subject.label),
                    shown(&fact.predicate.label)
                );
                if fact.sentences.len() > 1 {
                    let also: Vec<String> = fact.sentences[1..]
                        .iter()
                        .map(|n| format!("#{n}"))
                        .collect();
                    let _ = write!(line, "  (also {})", also.join(" "));
                }
                if let Some(date) = &fact.date {
                    let _ = write!(line, "  [{}]", shown(date));
                }
                writeln!(out, "{line}")?;
            }
        }
    }
    output.commit()?;
    Ok(Found::from(!answer.facts.is_empty()))
}
