//! `kg export`: the graph as files other tools open (RDF, GraphML, GEXF, DOT, Cytoscape.js,
//! node-link JSON, CSV) and as pictures (SVG, an HTML page to explore).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, ValueHint};
use kg::algo::{Truncation, limits};
use kg::export::{
    self, ExportFormat, ExportOptions, Family, Focus, GraphScope, Selection, Source, Subgraph,
};
use kg::names::resolve_class;
use kg::read::{GraphReader, SchemaView};
use oxigraph::model::NamedNode;

use crate::cli::output::Output;
use crate::cli::render::{quoted, shown, shown_path};
use crate::cli::store::StoreArgs;
use crate::cli::{Found, MAX_COUNT, count, described, names};

/// Export the graph for other tools: RDF (the whole store or one graph), property-graph files
/// (GraphML, GEXF, DOT, Cytoscape.js, node-link JSON, CSV) or a picture (SVG, an HTML page to
/// explore).
///
/// With -o FILE the format follows the extension (.ttl .nt .nq .trig .rdf .jsonld .graphml .gexf
/// .dot .cyjs .json .csv .svg .html); without it, Turtle goes to stdout. --around, --path,
/// --class and --relation cut a subgraph. Exits 1 when the subgraph is empty (no path, no such
/// entity).
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format [default: from -o FILE's extension, else turtle]
    #[arg(long, value_parser = described(&ExportFormat::ALL, ExportFormat::name, |f| Some(f.description())))]
    format: Option<ExportFormat>,

    /// Write to FILE (replaced only when the export succeeds). CSV writes two tables:
    /// `-o graph.csv` gives graph.nodes.csv and graph.edges.csv, `-o DIR` gives DIR/nodes.csv
    /// and DIR/edges.csv
    #[arg(long, short, value_name = "FILE", value_hint = ValueHint::AnyPath)]
    output: Option<PathBuf>,

    /// RDF formats: only this named graph (an IRI), or `default` for the default graph
    #[arg(long, value_name = "IRI")]
    graph: Option<String>,

    /// Only the entities within --hops of this one (id, label or alias)
    #[arg(long, value_name = "NAME", conflicts_with = "path")]
    around: Option<String>,

    /// Radius of --around, in hops (1 to 20)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = count(1, limits::MAX_HOPS))]
    hops: usize,

    /// Most entities --around keeps, the centre included (the note on stderr says when it cuts)
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = count(1, MAX_COUNT))]
    max_nodes: usize,

    /// Only the shortest paths between two entities
    #[arg(long, num_args = 2, value_names = ["FROM", "TO"])]
    path: Option<Vec<String>>,

    /// Longest path --path searches, in hops (1 to 20)
    #[arg(long, value_name = "N", default_value_t = limits::DEFAULT_MAX_HOPS,
          value_parser = count(1, limits::MAX_HOPS))]
    max_hops: usize,

    /// Only entities of this class or its subclasses (label, local name, prefixed name or IRI);
    /// repeatable
    #[arg(long, value_name = "CLASS")]
    class: Vec<String>,

    /// Only facts of this relation (label, local name, prefixed name or IRI); repeatable
    #[arg(long, value_name = "RELATION")]
    relation: Vec<String>,

    /// Walk facts only from subject to object (--around, --path)
    #[arg(long)]
    directed: bool,

    /// Title of the picture or graph [default: the dataset's dcterms:title, else "kg"]
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,

    /// No notes on stderr (which files CSV wrote, cut answers)
    #[arg(long, short)]
    quiet: bool,

    #[command(flatten)]
    store: StoreArgs,
}

impl ExportArgs {
    fn wants_subgraph(&self) -> bool {
        self.around.is_some()
            || self.path.is_some()
            || !self.class.is_empty()
            || !self.relation.is_empty()
    }
}

pub fn run(args: &ExportArgs) -> anyhow::Result<Found> {
    let format = format(args)?;
    let scope = scope(args, format)?;
    if format.is_two_files() && args.output.is_none() {
        anyhow::bail!("csv writes two tables (nodes and edges): give -o FILE.csv or -o DIR");
    }

    let graph = args.store.open()?;
    if format.family() == Family::Rdf && !args.wants_subgraph() {
        // The whole store or one graph: quads only, the projection is not needed.
        write_one(args, format, &mut |out| {
            export::rdf::write(&graph, &scope, format, out).map(|_| ())
        })?;
        return Ok(Found::Something);
    }
    let schema = SchemaView::read(&graph).context("cannot read the graph's classes")?;
    let source = Source {
        graph: &graph,
        projection: graph.projection()?,
        schema: &schema,
    };
    let subgraph = if args.wants_subgraph() {
        let Some(subgraph) = subgraph(args, &source)? else {
            return Ok(Found::Nothing);
        };
        Some(subgraph)
    } else {
        None
    };
    let title = match &args.title {
        Some(title) => title.clone(),
        None => schema.title.clone().unwrap_or_else(|| "kg".to_owned()),
    };
    if format.is_two_files() {
        write_tables(args, &source, subgraph.as_ref())?;
        source.projection.intact()?;
        return Ok(Found::Something);
    }
    let options = ExportOptions {
        scope,
        subgraph,
        title: Some(title),
    };
    write_one(args, format, &mut |out| {
        export::export(&source, format, &options, out)?;
        // Read page by page, the projection was checked where the export touched it: a
        // damaged one fails the export, and `-o FILE` keeps what it held.
        source
            .projection
            .intact()
            .map_err(|e| export::ExportError::from(kg::read::ReadError::from(e)))
    })?;
    Ok(Found::Something)
}

/// Runs an export into `-o FILE` (renamed into place when complete) or stdout.
fn write_one(
    args: &ExportArgs,
    format: ExportFormat,
    export: &mut dyn FnMut(&mut dyn Write) -> Result<(), export::ExportError>,
) -> anyhow::Result<()> {
    let mut output = Output::open(args.output.as_deref())?;
    export(output.writer())
        .with_context(|| format!("cannot export {format} to {}", output.describe()))?;
    output.commit()
}

/// The RDF scope `--graph` asks for.
fn scope(args: &ExportArgs, format: ExportFormat) -> anyhow::Result<GraphScope> {
    Ok(match args.graph.as_deref() {
        None => GraphScope::All,
        Some(_) if format.family() != Family::Rdf => {
            anyhow::bail!(
                "--graph chooses an RDF graph: {format} exports the graph projection, give no --graph"
            )
        }
        Some(_) if args.wants_subgraph() => {
            anyhow::bail!(
                "--graph cannot be combined with --around, --path, --class or --relation (they select from the default graph)"
            )
        }
        Some("default") => GraphScope::DefaultGraph,
        Some(iri) => GraphScope::Named(
            NamedNode::new(iri.trim_start_matches('<').trim_end_matches('>'))
                .with_context(|| format!("--graph {iri:?}: give an absolute IRI or `default`"))?,
        ),
    })
}

/// The subgraph the flags select; `None` (after a note on stderr) when it is empty or names an
/// unknown entity.
fn subgraph(args: &ExportArgs, source: &Source<'_>) -> anyhow::Result<Option<Subgraph>> {
    let Some(selection) = selection(args, source)? else {
        return Ok(None);
    };
    let subgraph = export::select::select(source.schema, source.projection, &selection);
    if let Some(truncation) = subgraph.truncated {
        note(args, &truncated(truncation));
    }
    if subgraph.is_empty() {
        let mut stderr = io::stderr();
        let _ = if let Some(ends) = &args.path {
            writeln!(
                stderr,
                "kg: no path from {} to {} within {} hops",
                quoted(&ends[0]),
                quoted(&ends[1]),
                args.max_hops
            )
        } else {
            writeln!(
                stderr,
                "kg: nothing to export: no entity fits the selection"
            )
        };
        return Ok(None);
    }
    Ok(Some(subgraph))
}

/// The CSV export: two files, each renamed into place when both are complete.
fn write_tables(
    args: &ExportArgs,
    source: &Source<'_>,
    subgraph: Option<&Subgraph>,
) -> anyhow::Result<()> {
    let (nodes_path, edges_path) = table_paths(args.output.as_deref().unwrap_or(Path::new(".")))?;
    let mut nodes = Output::file(&nodes_path)?;
    let mut edges = Output::file(&edges_path)?;
    export::export_tables(source, subgraph, nodes.writer(), edges.writer()).with_context(|| {
        format!(
            "cannot export to {} and {}",
            shown_path(&nodes_path),
            shown_path(&edges_path)
        )
    })?;
    nodes.commit()?;
    edges.commit()?;
    note(
        args,
        &format!(
            "wrote {} and {}",
            shown_path(&nodes_path),
            shown_path(&edges_path)
        ),
    );
    Ok(())
}

/// The format: `--format`, else the extension of `-o`, else Turtle.
fn format(args: &ExportArgs) -> anyhow::Result<ExportFormat> {
    if let Some(format) = args.format {
        return Ok(format);
    }
    let Some(path) = &args.output else {
        return Ok(ExportFormat::Turtle);
    };
    let extension = path.extension().and_then(|e| e.to_str());
    extension.and_then(ExportFormat::from_extension).with_context(|| {
        let names: Vec<&str> = ExportFormat::ALL.iter().map(|f| f.extension()).collect();
        format!(
            "cannot tell the export format from {}{}: give --format, or one of the extensions .{}",
            shown_path(path),
            extension.map_or_else(|| " (no extension)".to_owned(), |e| format!(" (.{})", shown(e))),
            names.join(" .")
        )
    })
}

/// The two CSV files: `X.nodes.csv` and `X.edges.csv` beside `X.csv`, or `nodes.csv` and
/// `edges.csv` in a folder (created when missing).
fn table_paths(output: &Path) -> anyhow::Result<(PathBuf, PathBuf)> {
    let is_csv = output
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        let stem = output
            .file_stem()
            .and_then(|s| s.to_str())
            .with_context(|| format!("-o {}: not a file name", shown_path(output)))?;
        return Ok((
            output.with_file_name(format!("{stem}.nodes.csv")),
            output.with_file_name(format!("{stem}.edges.csv")),
        ));
    }
    fs::create_dir_all(output)
        .with_context(|| format!("cannot create the folder {}", shown_path(output)))?;
    Ok((output.join("nodes.csv"), output.join("edges.csv")))
}

/// Turns the subgraph flags into a selection; `None` when an entity is unknown (the closest
/// names were printed, the command exits 1).
fn selection(args: &ExportArgs, source: &Source<'_>) -> anyhow::Result<Option<Selection>> {
    let projection = source.projection;
    let prefixes = source.graph.prefixes();
    let focus = if let Some(name) = &args.around {
        let Some(centre) = names::entity(projection, name)? else {
            return Ok(None);
        };
        Focus::Around {
            centre,
            hops: args.hops,
            max_nodes: args.max_nodes,
        }
    } else if let Some(ends) = &args.path {
        let (Some(from), Some(to)) = (
            names::entity(projection, &ends[0])?,
            names::entity(projection, &ends[1])?,
        ) else {
            return Ok(None);
        };
        Focus::Path {
            from,
            to,
            max_hops: args.max_hops,
        }
    } else {
        Focus::All
    };
    let known = source.schema.class_list();
    let mut classes: Vec<NamedNode> = Vec::new();
    for name in &args.class {
        classes.push(
            resolve_class(&known, prefixes, name)
                .with_context(|| format!("--class {}", quoted(name)))?,
        );
    }
    let relations = if args.relation.is_empty() {
        None
    } else {
        Some(names::relations(
            projection,
            prefixes,
            &args.relation,
            "--relation",
        )?)
    };
    Ok(Some(Selection {
        focus,
        classes,
        relations,
        directed: args.directed,
    }))
}

fn truncated(truncation: Truncation) -> String {
    let bound = match truncation {
        Truncation::Budget => "the work budget ran out",
        Truncation::MaxPaths => "more shortest paths exist than are kept",
        Truncation::MaxNodes => "more entities are within reach than --max-nodes",
    };
    format!("the subgraph is cut: {bound}")
}

fn note(args: &ExportArgs, text: &str) {
    if !args.quiet {
        let _ = writeln!(io::stderr(), "kg: {text}");
    }
}
