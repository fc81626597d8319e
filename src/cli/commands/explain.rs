//! `kg explain`: why the graph holds a triple — the rule and premises of an inferred triple,
//! down to the asserted facts and the documents and sentences that state them.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use std::str::FromStr as _;

use anyhow::Context as _;
use clap::{Args, ValueEnum, ValueHint};
use kg::export::escape::dot_string;
use kg::infer::{ExplainedTerm, Explanation, Status, explain};
use kg::names::resolve_relation;
use kg::read::GraphReader;
use kg::vocab::{owl, rdf};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term};

use crate::cli::output::Output;
use crate::cli::render::{evidence_text, shown};
use crate::cli::store::StoreArgs;
use crate::cli::{Found, names};

/// Explain a triple: the rule that inferred it and its premises, down to the asserted facts
/// with the documents and sentences that state them; an asserted triple shows its evidence.
///
/// SUBJECT and OBJECT are entity names (as kg lookup takes them), IRIs (<…> or http…) or
/// prefixed names (pto:Person); OBJECT may also be a literal in N-Triples form ("text"@en).
/// PREDICATE is a relation name, a prefixed name, an IRI, or "a" for rdf:type. Exits 1 when
/// the graph neither asserts nor inferred the triple.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The subject
    subject: String,

    /// The predicate
    predicate: String,

    /// The object
    object: String,

    /// Output format
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    format: ExplainFormat,

    /// Write to FILE (replaced only when the command succeeds)
    #[arg(long, short, value_name = "FILE", value_hint = ValueHint::FilePath)]
    output: Option<PathBuf>,

    #[command(flatten)]
    store: StoreArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExplainFormat {
    /// A tree of triples, each with its rule or evidence.
    Text,
    /// The documented JSON shape.
    Json,
    /// Graphviz DOT: each triple a box, arrows to its premises.
    Dot,
}

pub fn run(args: &ExplainArgs) -> anyhow::Result<Found> {
    let graph = args.store.open()?;
    let Some(subject) = resource(&graph, &args.subject, "subject")? else {
        return Ok(Found::Nothing);
    };
    let subject = match subject {
        Term::NamedNode(n) => NamedOrBlankNode::NamedNode(n),
        Term::BlankNode(b) => NamedOrBlankNode::BlankNode(b),
        Term::Literal(_) => anyhow::bail!("the subject {:?} cannot be a literal", args.subject),
    };
    let predicate = predicate(&graph, &args.predicate)?;
    let object = if args.object.starts_with('"') {
        Term::from_str(&args.object).map_err(|e| {
            anyhow::anyhow!(
                "the object {:?} is not an N-Triples literal: {e}",
                args.object
            )
        })?
    } else {
        let Some(object) = resource(&graph, &args.object, "object")? else {
            return Ok(Found::Nothing);
        };
        object
    };
    let explanation = explain(
        &graph,
        subject.as_ref(),
        predicate.as_ref(),
        object.as_ref(),
    )
    .with_context(|| format!("explaining in {}", graph.location()))?;
    let Some(explanation) = explanation else {
        let _ = writeln!(
            std::io::stderr(),
            "kg: the graph neither asserts nor infers {subject} {predicate} {object}"
        );
        return Ok(Found::Nothing);
    };
    let mut output = Output::open(args.output.as_deref())?;
    let out = output.writer();
    match args.format {
        ExplainFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &explanation)?;
            writeln!(out)?;
        }
        ExplainFormat::Text => out.write_all(text(&explanation).as_bytes())?,
        ExplainFormat::Dot => out.write_all(dot(&explanation).as_bytes())?,
    }
    output.commit()?;
    Ok(Found::Something)
}

/// An IRI, a prefixed name, or an entity name (`None`, after "did you mean", when unknown).
fn resource(graph: &dyn GraphReader, name: &str, role: &str) -> anyhow::Result<Option<Term>> {
    if let Some(iri) = iri(graph, name) {
        return Ok(Some(Term::NamedNode(NamedNode::new(&iri).with_context(
            || format!("the {role} {name:?} is not a valid IRI"),
        )?)));
    }
    let projection = graph.projection()?;
    let node = names::entity(projection, name)?;
    let iri = node.map(|node| projection.node(node).iri().to_owned());
    projection.intact()?;
    Ok(iri.map(NamedNode::new).transpose()?.map(Term::NamedNode))
}

/// The IRI a name spells: `<iri>`, `http…://…`, or a prefixed name with a known prefix.
fn iri(graph: &dyn GraphReader, name: &str) -> Option<String> {
    kg::iri::expand(name, graph.prefixes())
}

/// The predicate a name means: `a`, an IRI or prefixed name, or the label or local name of a
/// relation of the projection or a property the graph declares.
fn predicate(graph: &dyn GraphReader, name: &str) -> anyhow::Result<NamedNode> {
    if name == "a" {
        return Ok(rdf::TYPE.into_owned());
    }
    if let Some(iri) = iri(graph, name) {
        return NamedNode::new(&iri)
            .with_context(|| format!("the predicate {name:?} is not a valid IRI"));
    }
    let mut properties: Vec<(String, String)> = graph
        .projection()?
        .predicates()
        .map(|t| (t.iri.to_owned(), t.label.to_owned()))
        .collect();
    for kind in [owl::OBJECT_PROPERTY, owl::DATATYPE_PROPERTY] {
        for triple in graph.triples(None, Some(rdf::TYPE), Some(kind.into())) {
            if let NamedOrBlankNode::NamedNode(property) = triple?.subject {
                let label = kg::read::label(graph, &property)?;
                properties.push((property.into_string(), label));
            }
        }
    }
    properties.sort();
    properties.dedup();
    let pairs: Vec<(&str, &str)> = properties
        .iter()
        .map(|(i, l)| (i.as_str(), l.as_str()))
        .collect();
    let found = resolve_relation(&pairs, graph.prefixes(), name)
        .with_context(|| format!("the predicate {name:?}"))?;
    let mut iris: Vec<&str> = found.iter().map(|&i| pairs[i as usize].0).collect();
    iris.sort_unstable();
    iris.dedup();
    match iris.as_slice() {
        [one] => Ok(NamedNode::new(*one)?),
        several => anyhow::bail!(
            "the predicate {name:?} is ambiguous; it may be {} (give a prefixed name or an IRI)",
            several.join(" or ")
        ),
    }
}

/// A term as people read it: a label, a literal in quotes.
fn term_text(term: &ExplainedTerm) -> String {
    match term.kind {
        "literal" => format!("\u{201c}{}\u{201d}", shown(&term.value)),
        "blank" => format!("_:{}", shown(&term.value)),
        _ => shown(term.label.as_deref().unwrap_or(&term.value)).into_owned(),
    }
}

fn triple_text(e: &Explanation) -> String {
    format!(
        "{}  \u{2014}{}\u{2192}  {}",
        term_text(&e.subject),
        term_text(&e.predicate),
        term_text(&e.object)
    )
}

fn status_text(e: &Explanation) -> String {
    match e.status {
        Status::Inferred => format!("inferred by {}", e.rule.as_deref().unwrap_or("?")),
        Status::Asserted => "asserted".to_owned(),
        Status::Unexplained => "not in this store".to_owned(),
    }
}

/// The tree, one triple a line, its evidence below asserted ones.
fn text(explanation: &Explanation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}   [{}]",
        triple_text(explanation),
        status_text(explanation)
    );
    tree(explanation, "", &mut out);
    let _ = writeln!(
        out,
        "\n{} triple(s), {} level(s) deep",
        explanation.size(),
        explanation.depth()
    );
    out
}

fn tree(e: &Explanation, indent: &str, out: &mut String) {
    let last = e.premises.len().saturating_sub(1);
    if e.status == Status::Asserted {
        let pad = if e.premises.is_empty() {
            "   "
        } else {
            "\u{2502}  "
        };
        if !e.evidence.is_empty() {
            let _ = writeln!(out, "{indent}{pad}{}", evidence_text(&e.evidence));
        }
        for row in &e.rows {
            let _ = writeln!(out, "{indent}{pad}row {}", shown(row));
        }
    }
    for (i, premise) in e.premises.iter().enumerate() {
        let (branch, below) = if i == last {
            ("\u{2514}\u{2500} ", "   ")
        } else {
            ("\u{251c}\u{2500} ", "\u{2502}  ")
        };
        let _ = writeln!(
            out,
            "{indent}{branch}{}   [{}]",
            triple_text(premise),
            status_text(premise)
        );
        tree(premise, &format!("{indent}{below}"), out);
    }
    if e.truncated {
        let _ = writeln!(
            out,
            "{indent}\u{2514}\u{2500} \u{2026} (premises left out: the tree is cut here)"
        );
    }
}

/// A DOT digraph: each triple a box (asserted ones filled), an arrow from each conclusion to
/// each of its premises, labelled with the rule.
fn dot(explanation: &Explanation) -> String {
    let mut out = String::from(
        "digraph explanation {\n  rankdir=TB;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
    );
    let mut next = 0;
    dot_node(explanation, &mut next, &mut out);
    out.push_str("}\n");
    out
}

fn dot_node(e: &Explanation, next: &mut usize, out: &mut String) -> usize {
    let id = *next;
    *next += 1;
    let mut label = triple_text(e);
    if e.status == Status::Asserted && !e.evidence.is_empty() {
        label.push('\n');
        label.push_str(&evidence_text(&e.evidence));
    }
    let style = match e.status {
        Status::Asserted => ", style=\"rounded,filled\", fillcolor=\"#e8f0fe\"",
        Status::Inferred => "",
        Status::Unexplained => ", style=\"rounded,dashed\"",
    };
    let _ = writeln!(out, "  n{id} [label={}{style}];", dot_string(&label));
    for premise in &e.premises {
        let child = dot_node(premise, next, out);
        let rule = e.rule.as_deref().unwrap_or("");
        let _ = writeln!(out, "  n{id} -> n{child} [label={}];", dot_string(rule));
    }
    id
}
