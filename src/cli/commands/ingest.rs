//! `kg ingest`: read a new article and propose reviewable facts, each tied to its sentence;
//! `--review` to accept or reject them from the terminal, `--accept` to write the accepted rows
//! as tables `kg build` reads.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use clap::{Args, ValueEnum, ValueHint};
use kg::extract::dates::Day;
use kg::extract::table::{self, CANDIDATE_FILES, DOCUMENT_FILE, Status, Table, write_atomic};
use kg::extract::{Lexicon, Options, analyse, candidates, report};
use kg::ingest::text::{decode_utf8, sentences, strip_bom};
use kg::read::GraphReader;
use oxigraph::model::{NamedNode, NamedNodeRef};

use crate::cli::Found;
use crate::cli::render::shown;
use crate::cli::store::StoreArgs;

/// Largest article read, in bytes.
const MAX_ARTICLE_BYTES: u64 = 16 << 20;

/// Read a new article and propose facts for review: mentions of known entities, new names,
/// quotations with their speakers, dates, quantities and candidate relations, each with its
/// sentence and character span.
///
/// Writes a folder (-o, default ./ingest-<id>): document.csv and sources/<id>.txt (the text kept,
/// without headline, byline and page residue: exactly what kg build will number), entities.csv,
/// relations.csv and quotations.csv (candidates, status proposed), analysis.json and report.md.
/// Then: kg ingest --review DIR, kg ingest --accept DIR -o DATA (your data folder), kg build --data DATA.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// The article: UTF-8 text, one paragraph a line
    #[arg(value_hint = ValueHint::FilePath, required_unless_present_any = ["review", "accept"])]
    article: Option<PathBuf>,

    /// The document's id [default: the article's file name without its extension]
    #[arg(long, value_name = "ID")]
    document_id: Option<String>,

    /// The document's date, against which "on Tuesday" and "last week" resolve [default: a date
    /// line of the article's header, if any]
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,

    /// The document's title [default: the headline, else the id]
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,

    /// Also drop lines starting with TEXT (case-insensitive) as page residue; repeatable
    #[arg(long, value_name = "TEXT")]
    drop_lines: Vec<String>,

    /// Output folder: of the candidates [default: ./ingest-<id>]; with --accept, of the clean
    /// tables [default: DIR/accepted]
    #[arg(long, short, value_name = "DIR", value_hint = ValueHint::DirPath)]
    output: Option<PathBuf>,

    /// Replace the candidates of an existing output folder (its review decisions are lost)
    #[arg(long)]
    force: bool,

    /// Review the proposed candidates of DIR: for each, answer y (accept), n (reject), s (skip)
    /// or q (quit) on stdin
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath, conflicts_with_all = ["article", "accept"])]
    review: Option<PathBuf>,

    /// Write the accepted rows of DIR as tables kg build reads, into -o (rows that refer to a
    /// new entity that was not accepted are left out)
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath, conflicts_with_all = ["article", "review"])]
    accept: Option<PathBuf>,

    /// What to print: a summary, or the whole analysis as JSON
    #[arg(long, value_enum, default_value_t = IngestFormat::Text)]
    format: IngestFormat,

    #[command(flatten)]
    store: StoreArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum IngestFormat {
    Text,
    Json,
}

pub fn run(args: &IngestArgs) -> anyhow::Result<Found> {
    if let Some(dir) = &args.review {
        return review(dir, &mut io::stdin().lock(), &mut io::stdout().lock());
    }
    if let Some(dir) = &args.accept {
        return accept(dir, args.output.as_deref());
    }
    let Some(path) = &args.article else {
        bail!("give an ARTICLE, --review DIR or --accept DIR");
    };
    ingest(args, path)
}

fn read_article(path: &Path) -> anyhow::Result<String> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read the article {}", path.display()))?
        .len();
    if size > MAX_ARTICLE_BYTES {
        bail!(
            "{}: {size} bytes; kg ingest reads articles up to {MAX_ARTICLE_BYTES} bytes",
            path.display()
        );
    }
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read the article {}", path.display()))?;
    match decode_utf8(strip_bom(&bytes)) {
        Ok(text) => Ok(text.to_owned()),
        Err((line, column, detail)) => {
            bail!("{}:{line}:{column}: not UTF-8 ({detail})", path.display())
        }
    }
}

fn document_id(args: &IngestArgs, path: &Path) -> anyhow::Result<String> {
    let id = match &args.document_id {
        Some(id) => id.clone(),
        None => path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(str::to_owned)
            .with_context(|| format!("{}: give --document-id", path.display()))?,
    };
    kg::iri::encode_id(&id).with_context(|| format!("--document-id {id:?}"))?;
    if id.contains(['/', '\\']) || id.starts_with('.') {
        bail!(
            "--document-id {id:?}: the id names a file sources/<id>.txt: no slashes, no leading dot"
        );
    }
    Ok(id)
}

fn ingest(args: &IngestArgs, path: &Path) -> anyhow::Result<Found> {
    let text = read_article(path)?;
    let id = document_id(args, path)?;
    let date = match &args.date {
        Some(d) => {
            Some(Day::parse(d).with_context(|| format!("--date {d:?}: give a day as YYYY-MM-DD"))?)
        }
        None => None,
    };
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("ingest-{id}")));
    if out.join(DOCUMENT_FILE).exists() && !args.force {
        bail!(
            "{} already holds candidates; --force replaces them (their review decisions are lost)",
            out.display()
        );
    }
    let graph = args.store.open()?;
    let lexicon = Lexicon::read(&graph).context("reading the graph's names and cues")?;
    let mut stderr = io::stderr();
    for problem in &lexicon.problems {
        let _ = writeln!(stderr, "kg: warning: {}", shown(problem));
    }
    if kg::extract::facts::find_document(&graph, &id)?.is_some_and(|d| d.id == id) {
        let _ = writeln!(
            stderr,
            "kg: warning: the graph already has a document {id:?}; give another --document-id unless this replaces it"
        );
    }
    let options = Options {
        document_id: id.clone(),
        date,
        title: args.title.clone(),
        drop_lines: args.drop_lines.clone(),
    };
    let analysis = analyse(&text, &lexicon, &options);
    let known = known_facts(&graph, &lexicon);
    let tables = candidates::build(&analysis, &lexicon, &|s, p, o| known(s, p, o));

    let write = |name: &str, table: &Table| {
        table
            .write(&out.join(name))
            .with_context(|| format!("writing {}", out.join(name).display()))
    };
    write(DOCUMENT_FILE, &tables.document)?;
    write("entities.csv", &tables.entities)?;
    write("relations.csv", &tables.relations)?;
    if let Some(quotations) = &tables.quotations {
        write("quotations.csv", quotations)?;
    }
    write_atomic(
        &out.join("sources").join(format!("{id}.txt")),
        analysis.kept_text.as_bytes(),
    )?;
    let json = serde_json::to_string_pretty(&analysis)?;
    write_atomic(&out.join("analysis.json"), json.as_bytes())?;
    write_atomic(
        &out.join("report.md"),
        report::markdown(&analysis, &tables).as_bytes(),
    )?;

    match args.format {
        IngestFormat::Json => writeln!(io::stdout().lock(), "{json}")?,
        IngestFormat::Text => summary(&analysis, &tables, &out)?,
    }
    Ok(Found::Something)
}

/// The short summary on stdout.
fn summary(
    analysis: &kg::extract::Analysis,
    tables: &candidates::Candidates,
    out: &Path,
) -> anyhow::Result<()> {
    let mut stdout = io::stdout().lock();
    let id = &analysis.document.id;

    let linked = analysis
        .mentions
        .iter()
        .filter(|m| m.entity.is_some())
        .count();
    let ambiguous = analysis
        .mentions
        .iter()
        .filter(|m| !m.ambiguous.is_empty())
        .count();
    writeln!(
        stdout,
        "ingested {}: {} sentences kept; {} header and {} residue lines dropped",
        shown(id),
        analysis.document.sentence_count,
        analysis.header.len(),
        analysis.residue.len()
    )?;
    writeln!(
        stdout,
        "  {} mentions linked, {} ambiguous, {} new names; {} quotations, {} dates, {} quantities",
        linked,
        ambiguous,
        analysis.new_entities.len(),
        analysis.quotations.len(),
        analysis.dates.len(),
        analysis.numbers.len()
    )?;
    writeln!(
        stdout,
        "  candidates: {} new entities, {} facts, {} quotations, in {}",
        tables.entities.rows.len(),
        tables.relations.rows.len(),
        tables.quotations.as_ref().map_or(0, |t| t.rows.len()),
        out.display()
    )?;
    writeln!(stdout, "next: kg ingest --review {}", out.display())?;
    Ok(())
}

/// Whether the graph states a fact, with ids and prefixed names as the candidates write them.
fn known_facts<'a>(
    graph: &'a dyn GraphReader,
    lexicon: &'a Lexicon,
) -> impl Fn(&str, &str, &str) -> bool + 'a {
    let expand = |name: &str| -> Option<String> {
        let (prefix, local) = name.split_once(':')?;
        graph
            .prefixes()
            .get(prefix)
            .map(|ns| format!("{ns}{local}"))
    };
    move |s, p, o| {
        let iri = |id: &str| {
            lexicon
                .entity_by_id(id)
                .map(|e| lexicon.entities[e].iri.clone())
        };
        let (Some(s), Some(p), Some(o)) = (iri(s), expand(p), iri(o)) else {
            return false;
        };
        let (s, p, o) = (
            NamedNode::new_unchecked(s),
            NamedNode::new_unchecked(p),
            NamedNode::new_unchecked(o),
        );
        graph
            .triples(
                Some(s.as_ref().into()),
                Some(NamedNodeRef::from(&p)),
                Some(o.as_ref().into()),
            )
            .next()
            .is_some_and(|t| t.is_ok())
    }
}

/// A candidate as the reviewer sees it: a fact as subject —predicate→ object, an entity row as
/// its label, id and class with its other cells (whatever the ontology's columns are).
fn describe(name: &str, table: &Table, row: &[String]) -> String {
    let cell = |c: &str| shown(table.cell(row, c)).into_owned();
    if table.column("subject").is_some() {
        let lang = table.cell(row, "lang");
        let object = if lang.is_empty() {
            cell("object")
        } else {
            format!("“{}”@{}", cell("object"), shown(lang))
        };
        let date = table.cell(row, "date");
        let date = if date.is_empty() {
            String::new()
        } else {
            format!("  ({})", shown(date))
        };
        return format!(
            "fact  {}  —{}→  {object}{date}",
            cell("subject"),
            cell("predicate")
        );
    }
    let kind = match name {
        "entities.csv" => "new entity",
        "quotations.csv" => "quotation",
        _ => "row",
    };
    let mut text = format!(
        "{kind}  {} ({})  a {}",
        cell("rdfs:label@en"),
        cell("id"),
        cell("type")
    );
    let shown_already = ["id", "type", "rdfs:label@en", "source", "sentences"];
    for (i, column) in table.header.iter().enumerate() {
        let value = row.get(i).map_or("", String::as_str);
        if value.is_empty()
            || shown_already.contains(&column.as_str())
            || table::REVIEW_COLUMNS.contains(&column.as_str())
        {
            continue;
        }
        let _ = write!(text, "\n    {}: {}", shown(column), shown(value));
    }
    text
}

/// The sentence with the span marked `⟦…⟧`.
fn marked(sentences: &HashMap<u64, (usize, String)>, row_sentences: &str, span: &str) -> String {
    let number: Option<u64> = row_sentences.split('|').next().and_then(|n| n.parse().ok());
    let Some((start, text)) = number.and_then(|n| sentences.get(&n)) else {
        return String::new();
    };
    let chars: Vec<char> = text.chars().collect();
    let range = span
        .split_once('-')
        .and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?)))
        .filter(|&(a, b)| a >= *start && a <= b && b <= start + chars.len());
    let body = match range {
        Some((a, b)) => {
            let (a, b) = (a - start, b - start);
            format!(
                "{}⟦{}⟧{}",
                chars[..a].iter().collect::<String>(),
                chars[a..b].iter().collect::<String>(),
                chars[b..].iter().collect::<String>()
            )
        }
        None => text.clone(),
    };
    format!("#{}: {}", number.unwrap_or_default(), shown(&body))
}

fn review(dir: &Path, input: &mut dyn BufRead, out: &mut dyn Write) -> anyhow::Result<Found> {
    let id = table::document_id(dir)?;
    let source = dir.join("sources").join(format!("{id}.txt"));
    let text = std::fs::read_to_string(&source)
        .with_context(|| format!("cannot read {}", source.display()))?;
    let mut sentences = HashMap::new();
    for s in sentences::split(&text) {
        let start = text[..s.span.start].chars().count();
        sentences.insert(s.number, (start, text[s.span].to_owned()));
    }
    let mut work = Vec::new();
    for name in CANDIDATE_FILES {
        let path = dir.join(name);
        if path.exists() {
            let table = Table::read(&path)?;
            work.push((*name, path, table));
        }
    }
    let total: usize = work
        .iter()
        .map(|(_, _, t)| {
            t.rows
                .iter()
                .filter(|r| {
                    table::Status::Proposed.name() == t.cell(r, "status")
                        || t.cell(r, "status").is_empty()
                })
                .count()
        })
        .sum();
    let (mut accepted, mut rejected, mut seen) = (0, 0, 0);
    let status_at = |t: &Table| t.column("status");
    'files: for (name, path, table) in &mut work {
        let Some(status) = status_at(table) else {
            continue;
        };
        for i in 0..table.rows.len() {
            if table.status(&table.rows[i], path, i as u64 + 2)? != Status::Proposed {
                continue;
            }
            seen += 1;
            let row = table.rows[i].clone();
            writeln!(
                out,
                "\n[{seen}/{total}] {}\n  confidence {}; {}\n  {}",
                describe(name, table, &row),
                shown(table.cell(&row, "confidence")),
                shown(table.cell(&row, "rule")),
                marked(
                    &sentences,
                    table.cell(&row, "sentences"),
                    table.cell(&row, "span")
                )
            )?;
            let decision = loop {
                write!(out, "accept? [y]es [n]o [s]kip [q]uit: ")?;
                out.flush()?;
                let mut answer = String::new();
                if input.read_line(&mut answer)? == 0 {
                    writeln!(out)?;
                    break None;
                }
                match answer.trim().to_lowercase().as_str() {
                    "y" | "yes" => break Some(Some(Status::Accepted)),
                    "n" | "no" => break Some(Some(Status::Rejected)),
                    "s" | "skip" | "" => break Some(None),
                    "q" | "quit" => break None,
                    _ => writeln!(out, "answer y, n, s or q")?,
                }
            };
            match decision {
                None => break 'files,
                Some(None) => {}
                Some(Some(decided)) => {
                    decided.name().clone_into(&mut table.rows[i][status]);
                    if decided == Status::Accepted {
                        accepted += 1;
                    } else {
                        rejected += 1;
                    }
                    table
                        .write(path)
                        .with_context(|| format!("writing {}", path.display()))?;
                }
            }
        }
    }
    writeln!(
        out,
        "\n{accepted} accepted, {rejected} rejected, {} still proposed; next: copy {dir} into your data folder \
         and kg build (only accepted rows are read), or kg ingest --accept {dir} -o DATA for clean tables",
        total - accepted - rejected,
        dir = dir.display()
    )?;
    Ok(Found::Something)
}

fn accept(dir: &Path, output: Option<&Path>) -> anyhow::Result<Found> {
    let out = output.map_or_else(|| dir.join("accepted"), Path::to_path_buf);
    let done = table::accept(dir, &out)?;
    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr();
    for dropped in &done.dropped {
        let _ = writeln!(stderr, "kg: warning: {}", shown(dropped));
    }
    let rows: Vec<String> = done
        .rows
        .iter()
        .map(|(f, n)| format!("{n} from {f}"))
        .collect();
    writeln!(
        stdout,
        "wrote {} files to {}: {} accepted rows ({}); {} rows still proposed",
        done.files.len(),
        out.display(),
        done.rows.iter().map(|(_, n)| n).sum::<usize>(),
        rows.join(", "),
        done.undecided
    )?;
    if output.is_some() {
        writeln!(stdout, "next: kg build --data {}", out.display())?;
    } else {
        writeln!(
            stdout,
            "next: copy what {} holds (sources/ included) into your data folder DATA, then kg build --data DATA",
            out.display()
        )?;
    }
    Ok(Found::Something)
}
