//! `kg export`: the graph as files other tools open (RDF, GraphML, GEXF, DOT, Cytoscape.js,
//! node-link JSON, CSV) and as pictures (SVG, an HTML page to explore).

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, ValueEnum, ValueHint};
use kg::export::{
    self, ExportFormat, ExportOptions, Family, Focus, RdfScope, Selection, Source, Subgraph,
};
use kg::graph::Projection;
use kg::paths::{Truncation, limits};
use kg::query::compact_iri;
use kg::suggest::{closest, fold};
use oxigraph::model::NamedNode;
use oxigraph::store::Store;

use super::{Found, StoreArgs, graph};

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
    #[arg(long, value_enum)]
    format: Option<FormatArg>,

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

    /// Radius of --around, in hops
    #[arg(long, value_name = "N", default_value_t = 1)]
    hops: usize,

    /// Most entities --around keeps (the note on stderr says when it cuts)
    #[arg(long, value_name = "N", default_value_t = 1000)]
    max_nodes: usize,

    /// Only the shortest paths between two entities
    #[arg(long, num_args = 2, value_names = ["FROM", "TO"])]
    path: Option<Vec<String>>,

    /// Longest path --path searches, in hops
    #[arg(long, value_name = "N", default_value_t = limits::DEFAULT_MAX_HOPS)]
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

/// The formats, as named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    /// Turtle (.ttl)
    Turtle,
    /// N-Triples (.nt)
    Ntriples,
    /// N-Quads (.nq)
    Nquads,
    /// TriG (.trig)
    Trig,
    /// RDF/XML (.rdf)
    Rdfxml,
    /// JSON-LD (.jsonld)
    Jsonld,
    /// GraphML (.graphml)
    Graphml,
    /// GEXF 1.2 (.gexf)
    Gexf,
    /// Graphviz DOT (.dot)
    Dot,
    /// Cytoscape.js JSON (.cyjs)
    Cytoscape,
    /// Node-link JSON for networkx and D3 (.json)
    NodeLink,
    /// CSV nodes and edges tables (.csv)
    Csv,
    /// SVG picture (.svg)
    Svg,
    /// HTML page to explore the graph (.html)
    Html,
}

impl From<FormatArg> for ExportFormat {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Turtle => Self::Turtle,
            FormatArg::Ntriples => Self::NTriples,
            FormatArg::Nquads => Self::NQuads,
            FormatArg::Trig => Self::TriG,
            FormatArg::Rdfxml => Self::RdfXml,
            FormatArg::Jsonld => Self::JsonLd,
            FormatArg::Graphml => Self::GraphMl,
            FormatArg::Gexf => Self::Gexf,
            FormatArg::Dot => Self::Dot,
            FormatArg::Cytoscape => Self::Cytoscape,
            FormatArg::NodeLink => Self::NodeLink,
            FormatArg::Csv => Self::Csv,
            FormatArg::Svg => Self::Svg,
            FormatArg::Html => Self::Html,
        }
    }
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
    if args.hops > limits::MAX_HOPS {
        anyhow::bail!(
            "--hops {}: at most {} hops are searched",
            args.hops,
            limits::MAX_HOPS
        );
    }
    if args.max_hops > limits::MAX_HOPS {
        anyhow::bail!(
            "--max-hops {}: at most {} hops are searched",
            args.max_hops,
            limits::MAX_HOPS
        );
    }
    if args.max_nodes == 0 {
        anyhow::bail!("--max-nodes 0: allow at least the centre");
    }
    let scope = scope(args, format)?;
    if format.is_two_files() && args.output.is_none() {
        anyhow::bail!("csv writes two tables (nodes and edges): give -o FILE.csv or -o DIR");
    }

    if format.family() == Family::Rdf && !args.wants_subgraph() {
        // The whole store or one graph: quads only, the projection is not needed.
        let (generation, meta) = args.store.open()?;
        let store = generation.open_store()?;
        write_one(args, format, &mut |out| {
            export::rdf::write(&store, &meta.prefixes, &scope, format, out).map(|_| ())
        })?;
        return Ok(Found::Something);
    }
    let (generation, meta, projection) = graph::open(&args.store)?;
    let store = generation.open_store()?;
    let subgraph = if args.wants_subgraph() {
        let Some(subgraph) = subgraph(args, &store, &projection, &meta.prefixes)? else {
            return Ok(Found::Nothing);
        };
        Some(subgraph)
    } else {
        None
    };
    let title = match &args.title {
        Some(title) => title.clone(),
        None => export::dataset_title(&store)
            .context("cannot read the dataset's title")?
            .unwrap_or_else(|| "kg".to_owned()),
    };
    let source = Source {
        store: &store,
        projection: &projection,
        prefixes: &meta.prefixes,
    };
    if format.is_two_files() {
        write_tables(args, &source, subgraph.as_ref())?;
        return Ok(Found::Something);
    }
    let options = ExportOptions {
        scope,
        subgraph,
        title: Some(title),
    };
    write_one(args, format, &mut |out| {
        export::export(&source, format, &options, out).map(|_| ())
    })?;
    Ok(Found::Something)
}

/// Runs an export into `-o FILE` (renamed into place when complete) or stdout.
fn write_one(
    args: &ExportArgs,
    format: ExportFormat,
    export: &mut dyn FnMut(&mut dyn Write) -> Result<(), export::ExportError>,
) -> anyhow::Result<()> {
    if let Some(path) = &args.output {
        let mut file = AtomicFile::create(path)?;
        export(file.writer())
            .with_context(|| format!("cannot export {format} to {}", path.display()))?;
        file.commit()
    } else {
        let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
        export(&mut out).with_context(|| format!("cannot export {format} to stdout"))?;
        out.flush()?;
        Ok(())
    }
}

/// The RDF scope `--graph` asks for.
fn scope(args: &ExportArgs, format: ExportFormat) -> anyhow::Result<RdfScope> {
    Ok(match args.graph.as_deref() {
        None => RdfScope::Store,
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
        Some("default") => RdfScope::DefaultGraph,
        Some(iri) => RdfScope::Named(
            NamedNode::new(iri.trim_start_matches('<').trim_end_matches('>'))
                .with_context(|| format!("--graph {iri:?}: give an absolute IRI or `default`"))?,
        ),
    })
}

/// The subgraph the flags select; `None` (after a note on stderr) when it is empty or names an
/// unknown entity.
fn subgraph(
    args: &ExportArgs,
    store: &Store,
    projection: &Projection,
    prefixes: &std::collections::BTreeMap<String, String>,
) -> anyhow::Result<Option<Subgraph>> {
    let Some(selection) = selection(args, store, projection, prefixes)? else {
        return Ok(None);
    };
    let subgraph = export::select::select(store, projection, &selection)
        .context("cannot read the class hierarchy from the store")?;
    if let Some(truncation) = subgraph.truncated {
        note(args, &truncated(truncation));
    }
    if subgraph.is_empty() {
        let mut stderr = io::stderr();
        let _ = if let Some(ends) = &args.path {
            writeln!(
                stderr,
                "kg: no path from {} to {} within {} hops",
                ends[0], ends[1], args.max_hops
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
    let mut nodes = AtomicFile::create(&nodes_path)?;
    let mut edges = AtomicFile::create(&edges_path)?;
    export::export_tables(source, subgraph, nodes.writer(), edges.writer()).with_context(|| {
        format!(
            "cannot export to {} and {}",
            nodes_path.display(),
            edges_path.display()
        )
    })?;
    nodes.commit()?;
    edges.commit()?;
    note(
        args,
        &format!(
            "wrote {} and {}",
            nodes_path.display(),
            edges_path.display()
        ),
    );
    Ok(())
}

/// The format: `--format`, else the extension of `-o`, else Turtle.
fn format(args: &ExportArgs) -> anyhow::Result<ExportFormat> {
    if let Some(format) = args.format {
        return Ok(format.into());
    }
    let Some(path) = &args.output else {
        return Ok(ExportFormat::Turtle);
    };
    let extension = path.extension().and_then(|e| e.to_str());
    extension.and_then(ExportFormat::from_extension).with_context(|| {
        let names: Vec<&str> = ExportFormat::ALL.iter().map(|f| f.extension()).collect();
        format!(
            "cannot tell the export format from {}{}: give --format, or one of the extensions .{}",
            path.display(),
            extension.map_or_else(|| " (no extension)".to_owned(), |e| format!(" (.{e})")),
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
            .with_context(|| format!("-o {}: not a file name", output.display()))?;
        return Ok((
            output.with_file_name(format!("{stem}.nodes.csv")),
            output.with_file_name(format!("{stem}.edges.csv")),
        ));
    }
    fs::create_dir_all(output)
        .with_context(|| format!("cannot create the folder {}", output.display()))?;
    Ok((output.join("nodes.csv"), output.join("edges.csv")))
}

/// Turns the subgraph flags into a selection; `None` when an entity is unknown (the closest
/// names were printed, the command exits 1).
fn selection(
    args: &ExportArgs,
    store: &Store,
    projection: &Projection,
    prefixes: &std::collections::BTreeMap<String, String>,
) -> anyhow::Result<Option<Selection>> {
    let focus = if let Some(name) = &args.around {
        let Some(centre) = graph::entity(projection, name)? else {
            return Ok(None);
        };
        Focus::Around {
            centre,
            hops: args.hops,
            max_nodes: args.max_nodes,
        }
    } else if let Some(ends) = &args.path {
        let (Some(from), Some(to)) = (
            graph::entity(projection, &ends[0])?,
            graph::entity(projection, &ends[1])?,
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
    let mut classes = Vec::new();
    for name in &args.class {
        classes.push(
            class(store, projection, prefixes, name)
                .with_context(|| format!("--class {name:?}"))?,
        );
    }
    let relations = if args.relation.is_empty() {
        None
    } else {
        let mut all = std::collections::HashSet::new();
        for name in &args.relation {
            all.extend(
                graph::predicates(projection, prefixes, name)
                    .with_context(|| format!("--relation {name:?}"))?,
            );
        }
        Some(all)
    };
    Ok(Some(Selection {
        focus,
        classes,
        relations,
        directed: args.directed,
    }))
}

/// Resolves a class name: an IRI, a prefixed name, a local name or a label (case and
/// punctuation ignored), among the classes of the entities and those the ontology declares.
fn class(
    store: &Store,
    projection: &Projection,
    prefixes: &std::collections::BTreeMap<String, String>,
    name: &str,
) -> anyhow::Result<NamedNode> {
    let wanted = fold(name);
    let iri = name.trim_start_matches('<').trim_end_matches('>');
    let mut known: Vec<(String, String)> = projection
        .classes()
        .map(|c| (c.iri.to_owned(), c.label.to_owned()))
        .collect();
    known.extend(export::declared_classes(store).context("cannot read the ontology's classes")?);
    let matches = |(class, label): &(String, String)| {
        class == iri
            || compact_iri(class, prefixes) == name
            || fold(kg::ontology::local_name(class)) == wanted
            || fold(label) == wanted
    };
    if let Some((class, _)) = known.iter().find(|c| matches(c)) {
        return Ok(NamedNode::new(class.as_str())?);
    }
    let labels: Vec<(&str, &str)> = known
        .iter()
        .map(|(_, l)| (l.as_str(), l.as_str()))
        .collect();
    let suggestions = closest(name, labels, 3);
    let hint = if suggestions.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", suggestions.join(" or "))
    };
    anyhow::bail!("no class is called {name:?}{hint}")
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

/// A file written beside its target and renamed over it when complete, so a failed export
/// leaves what was there before.
struct AtomicFile {
    target: PathBuf,
    temporary: PathBuf,
    writer: BufWriter<File>,
}

impl AtomicFile {
    fn create(target: &Path) -> anyhow::Result<Self> {
        let name = target
            .file_name()
            .with_context(|| format!("-o {}: not a file name", target.display()))?;
        let temporary = target.with_file_name(format!(
            ".{}.kg-{}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        let file = File::create(&temporary)
            .with_context(|| format!("cannot create {}", target.display()))?;
        Ok(Self {
            target: target.to_path_buf(),
            temporary,
            writer: BufWriter::with_capacity(1 << 16, file),
        })
    }

    fn writer(&mut self) -> &mut dyn Write {
        &mut self.writer
    }

    fn commit(mut self) -> anyhow::Result<()> {
        self.writer
            .flush()
            .and_then(|()| self.writer.get_ref().sync_all())
            .with_context(|| format!("cannot write {}", self.target.display()))?;
        fs::rename(&self.temporary, &self.target)
            .with_context(|| format!("cannot replace {}", self.target.display()))
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.temporary.exists() {
            let _ = fs::remove_file(&self.temporary);
        }
    }
}
