//! The shapes graph, read into [`Shapes`]: node and property shapes with their targets, paths
//! and constraints ([SHACL Core](https://www.w3.org/TR/shacl/#core-components)), each shape
//! numbered once so that shapes may refer to each other — and to themselves — freely.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::Path as FilePath;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Literal, NamedNode, Term};

use super::constraint::{Constraint, NodeKind};
use super::graph::{DataGraph, IndexedGraph, read_list};
use super::path::Path;
use super::pattern::Pattern;
use super::vocab::{self as sh, rdf, rdfs, xsd};
use super::{ShapesError, ValidateError};
use crate::iri::Prefixes;

/// The peace-talks shapes shipped with kg (`shapes/peace-talks-shapes.ttl`).
pub const PEACE_TALKS_SHAPES: (&str, &str) = (
    "shapes/peace-talks-shapes.ttl",
    include_str!("../../shapes/peace-talks-shapes.ttl"),
);

/// A shape's number in its [`Shapes`].
pub type ShapeId = usize;

/// How serious a result is (`sh:severity`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// `sh:Violation`, the default.
    Violation,
    /// `sh:Warning`.
    Warning,
    /// `sh:Info`.
    Info,
    /// Any other IRI a shapes graph uses.
    Other(NamedNode),
}

impl Severity {
    fn from_iri(iri: &NamedNode) -> Self {
        match iri.as_ref() {
            s if s == sh::VIOLATION => Self::Violation,
            s if s == sh::WARNING => Self::Warning,
            s if s == sh::INFO => Self::Info,
            _ => Self::Other(iri.clone()),
        }
    }

    /// The severity's IRI.
    pub fn iri(&self) -> NamedNode {
        match self {
            Self::Violation => sh::VIOLATION.into_owned(),
            Self::Warning => sh::WARNING.into_owned(),
            Self::Info => sh::INFO.into_owned(),
            Self::Other(iri) => iri.clone(),
        }
    }

    /// The word used in text and JSON: `violation`, `warning`, `info`, or the IRI.
    pub fn name(&self) -> String {
        match self {
            Self::Violation => "violation".to_owned(),
            Self::Warning => "warning".to_owned(),
            Self::Info => "info".to_owned(),
            Self::Other(iri) => iri.as_str().to_owned(),
        }
    }
}

/// How a shape selects its focus nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `sh:targetClass`, or the shape is itself an `rdfs:Class` (an implicit class target): the
    /// SHACL instances of the class (`rdf:type/rdfs:subClassOf*`).
    Class(Term),
    /// `sh:targetNode`.
    Node(Term),
    /// `sh:targetSubjectsOf`.
    SubjectsOf(NamedNode),
    /// `sh:targetObjectsOf`.
    ObjectsOf(NamedNode),
}

/// A node shape or (with a path) a property shape.
#[derive(Debug, Clone)]
pub struct Shape {
    /// The shape's node in the shapes graph.
    pub id: Term,
    /// The path of a property shape; `None` for a node shape.
    pub path: Option<Path>,
    /// Its targets.
    pub targets: Vec<Target>,
    /// Its constraints, each one parameter value of one component.
    pub constraints: Vec<Constraint>,
    /// `sh:severity` (default `sh:Violation`).
    pub severity: Severity,
    /// `sh:message` values, copied into each result.
    pub messages: Vec<Literal>,
    /// `sh:deactivated true`: every node conforms.
    pub deactivated: bool,
}

/// A parsed shapes graph.
#[derive(Debug, Clone)]
pub struct Shapes {
    all: Vec<Shape>,
    by_node: HashMap<Term, ShapeId>,
    prefixes: Prefixes,
    sources: Vec<String>,
}

impl Shapes {
    /// The peace-talks shapes shipped with kg.
    ///
    /// # Errors
    /// Never for the shipped file (a test parses it); the type is that of [`Shapes::from_turtle`].
    pub fn peace_talks() -> Result<Self, ShapesError> {
        Self::from_turtle(&[(PEACE_TALKS_SHAPES.0, PEACE_TALKS_SHAPES.1.as_bytes())])
    }

    /// Parses shapes graphs written in Turtle (or any RDF syntax oxigraph reads, chosen by
    /// each name's extension; Turtle when it has none), merged into one.
    ///
    /// # Errors
    /// [`ShapesError::Syntax`] with the file, line and column; [`ShapesError::Invalid`] or
    /// [`ShapesError::Path`] for an ill-formed shape.
    pub fn from_turtle(files: &[(&str, &[u8])]) -> Result<Self, ShapesError> {
        let mut graph = IndexedGraph::new();
        let mut prefixes = Prefixes::new();
        for (index, (name, bytes)) in files.iter().enumerate() {
            let format = FilePath::new(name)
                .extension()
                .and_then(|e| e.to_str())
                .and_then(RdfFormat::from_extension)
                .unwrap_or(RdfFormat::Turtle);
            let mut parser = RdfParser::from_format(format).for_slice(bytes);
            let mut blanks = HashMap::new();
            for quad in parser.by_ref() {
                let quad = quad.map_err(|e| {
                    let (line, column) = e
                        .location()
                        .map_or((0, 0), |l| (l.start.line + 1, l.start.column + 1));
                    ShapesError::Syntax {
                        file: (*name).to_owned(),
                        line,
                        column,
                        reason: e.to_string(),
                    }
                })?;
                graph.insert(stable_blank_nodes(quad.into(), index, &mut blanks));
            }
            for (prefix, namespace) in parser.prefixes() {
                prefixes.insert(prefix.to_owned(), namespace.to_owned());
            }
        }
        let mut shapes = Self::from_graph(&graph).map_err(|e| match e {
            ValidateError::Shapes(e) => e,
            // An IndexedGraph cannot fail to read.
            other => ShapesError::Invalid {
                shape: String::new(),
                reason: other.to_string(),
            },
        })?;
        shapes.prefixes = prefixes;
        shapes.sources = files.iter().map(|(name, _)| (*name).to_owned()).collect();
        Ok(shapes)
    }

    /// Reads the shapes of a shapes graph.
    ///
    /// # Errors
    /// [`ShapesError`] (as [`ValidateError::Shapes`]) for an ill-formed shape; read errors.
    pub fn from_graph<G: DataGraph + ?Sized>(graph: &G) -> Result<Self, ValidateError> {
        let mut reader = Reader {
            graph,
            shapes: Shapes {
                all: Vec::new(),
                by_node: HashMap::new(),
                prefixes: Prefixes::new(),
                sources: Vec::new(),
            },
            todo: VecDeque::new(),
        };
        for node in shape_candidates(graph)? {
            reader.id(&node);
        }
        while let Some(id) = reader.todo.pop_front() {
            reader.read(id)?;
        }
        Ok(reader.shapes)
    }

    /// Every shape.
    pub fn iter(&self) -> impl Iterator<Item = (ShapeId, &Shape)> {
        self.all.iter().enumerate()
    }

    /// A shape by number.
    pub fn get(&self, id: ShapeId) -> &Shape {
        &self.all[id]
    }

    /// The shape at a node of the shapes graph.
    pub fn by_node(&self, node: &Term) -> Option<ShapeId> {
        self.by_node.get(node).copied()
    }

    /// How many shapes.
    pub fn len(&self) -> usize {
        self.all.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    /// The prefixes the shapes files declare.
    pub fn prefixes(&self) -> &Prefixes {
        &self.prefixes
    }

    /// The files read, in order.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }
}

/// A triple with its blank nodes named by file and order of appearance (`f0b1`, `f0b2`, ...),
/// so that reports name blank-node shapes the same way on every run.
fn stable_blank_nodes(
    triple: oxigraph::model::Triple,
    file: usize,
    names: &mut HashMap<oxigraph::model::BlankNode, oxigraph::model::BlankNode>,
) -> oxigraph::model::Triple {
    let mut rename = |b: oxigraph::model::BlankNode| {
        let next = names.len() + 1;
        names
            .entry(b)
            .or_insert_with(|| oxigraph::model::BlankNode::new_unchecked(format!("f{file}b{next}")))
            .clone()
    };
    let subject = match triple.subject {
        oxigraph::model::NamedOrBlankNode::BlankNode(b) => rename(b).into(),
        iri @ oxigraph::model::NamedOrBlankNode::NamedNode(_) => iri,
    };
    let object = match triple.object {
        Term::BlankNode(b) => rename(b).into(),
        other => other,
    };
    oxigraph::model::Triple::new(subject, triple.predicate, object)
}

/// The nodes that are shapes on their own account: SHACL instances of `sh:NodeShape` or
/// `sh:PropertyShape`, subjects of targets and of `sh:path`. Shapes they refer to (`sh:node`,
/// `sh:property`, ...) are found while reading them.
fn shape_candidates<G: DataGraph + ?Sized>(graph: &G) -> Result<Vec<Term>, ValidateError> {
    let mut found = Vec::new();
    let mut seen = HashSet::new();
    let mut add = |node: Term, found: &mut Vec<Term>| {
        if !matches!(node, Term::Literal(_)) && seen.insert(node.clone()) {
            found.push(node);
        }
    };
    for class in [sh::NODE_SHAPE, sh::PROPERTY_SHAPE] {
        for class in subclasses(graph, &class.into_owned().into())? {
            for node in graph.subjects(rdf::TYPE, &class)? {
                add(node, &mut found);
            }
        }
    }
    for predicate in [
        sh::TARGET_CLASS,
        sh::TARGET_NODE,
        sh::TARGET_SUBJECTS_OF,
        sh::TARGET_OBJECTS_OF,
        sh::PATH,
    ] {
        for (subject, _) in graph.with_predicate(predicate)? {
            add(subject, &mut found);
        }
    }
    Ok(found)
}

/// `class` and every class below it (`rdfs:subClassOf*`), each once.
///
/// # Errors
/// Read errors.
pub(super) fn subclasses<G: DataGraph + ?Sized>(
    graph: &G,
    class: &Term,
) -> Result<Vec<Term>, ValidateError> {
    let mut all = vec![class.clone()];
    let mut seen: HashSet<Term> = all.iter().cloned().collect();
    let mut next = 0;
    while next < all.len() {
        let current = all[next].clone();
        next += 1;
        for sub in graph.subjects(rdfs::SUB_CLASS_OF, &current)? {
            if seen.insert(sub.clone()) {
                all.push(sub);
            }
        }
    }
    Ok(all)
}

struct Reader<'a, G: ?Sized> {
    graph: &'a G,
    shapes: Shapes,
    todo: VecDeque<ShapeId>,
}

impl<G: DataGraph + ?Sized> Reader<'_, G> {
    /// The number of the shape at `node`, queued to be read when new.
    fn id(&mut self, node: &Term) -> ShapeId {
        if let Some(&id) = self.shapes.by_node.get(node) {
            return id;
        }
        let id = self.shapes.all.len();
        self.shapes.all.push(Shape {
            id: node.clone(),
            path: None,
            targets: Vec::new(),
            constraints: Vec::new(),
            severity: Severity::Violation,
            messages: Vec::new(),
            deactivated: false,
        });
        self.shapes.by_node.insert(node.clone(), id);
        self.todo.push_back(id);
        id
    }

    fn invalid(&self, id: ShapeId, reason: impl Into<String>) -> ValidateError {
        ValidateError::Shapes(ShapesError::Invalid {
            shape: self.shapes.all[id].id.to_string(),
            reason: reason.into(),
        })
    }

    fn values(
        &self,
        node: &Term,
        predicate: oxigraph::model::NamedNodeRef<'_>,
    ) -> Result<Vec<Term>, ValidateError> {
        self.graph.objects(node, predicate)
    }

    fn list(&self, id: ShapeId, head: &Term, parameter: &str) -> Result<Vec<Term>, ValidateError> {
        read_list(self.graph, head)?.ok_or_else(|| {
            self.invalid(
                id,
                format!("the value of {parameter} is not a well-formed RDF list"),
            )
        })
    }

    fn read(&mut self, id: ShapeId) -> Result<(), ValidateError> {
        let node = self.shapes.all[id].id.clone();
        let graph = self.graph;

        let mut targets = Vec::new();
        for class in self.values(&node, sh::TARGET_CLASS)? {
            targets.push(Target::Class(class));
        }
        let is_class = graph
            .objects(&node, rdf::TYPE)?
            .into_iter()
            .map(|t| subclass_of(graph, &t, &rdfs::CLASS.into_owned().into()))
            .collect::<Result<Vec<bool>, _>>()?
            .contains(&true);
        if is_class && !matches!(node, Term::Literal(_)) {
            targets.push(Target::Class(node.clone()));
        }
        for target in self.values(&node, sh::TARGET_NODE)? {
            targets.push(Target::Node(target));
        }
        for (predicate, make) in [
            (
                sh::TARGET_SUBJECTS_OF,
                Target::SubjectsOf as fn(NamedNode) -> Target,
            ),
            (sh::TARGET_OBJECTS_OF, Target::ObjectsOf),
        ] {
            for value in self.values(&node, predicate)? {
                match value {
                    Term::NamedNode(p) => targets.push(make(p)),
                    other => {
                        return Err(self.invalid(
                            id,
                            format!("{} needs an IRI, not {other}", short(predicate)),
                        ));
                    }
                }
            }
        }

        let path = match self.values(&node, sh::PATH)?.as_slice() {
            [] => None,
            [one] => Some(Path::parse(graph, one, &node)?),
            _ => return Err(self.invalid(id, "a property shape has one sh:path")),
        };

        let severity = match self.values(&node, sh::SEVERITY)?.as_slice() {
            [] => Severity::Violation,
            [Term::NamedNode(iri)] => Severity::from_iri(iri),
            _ => return Err(self.invalid(id, "sh:severity needs one IRI")),
        };
        let messages = self
            .values(&node, sh::MESSAGE)?
            .into_iter()
            .filter_map(|t| match t {
                Term::Literal(l) => Some(l),
                _ => None,
            })
            .collect();
        let deactivated = self.values(&node, sh::DEACTIVATED)?.iter().any(is_true);

        let constraints = self.constraints(id, &node, path.is_some())?;
        let shape = &mut self.shapes.all[id];
        shape.targets = targets;
        shape.path = path;
        shape.severity = severity;
        shape.messages = messages;
        shape.deactivated = deactivated;
        shape.constraints = constraints;
        Ok(())
    }

    #[allow(clippy::too_many_lines)]
    fn constraints(
        &mut self,
        id: ShapeId,
        node: &Term,
        property: bool,
    ) -> Result<Vec<Constraint>, ValidateError> {
        let mut out = Vec::new();
        for value in self.values(node, sh::CLASS)? {
            out.push(Constraint::Class(value));
        }
        for value in self.values(node, sh::DATATYPE)? {
            match value {
                Term::NamedNode(d) => out.push(Constraint::Datatype(d)),
                other => {
                    return Err(self.invalid(id, format!("sh:datatype needs an IRI, not {other}")));
                }
            }
        }
        for value in self.values(node, sh::NODE_KIND)? {
            let kind = match &value {
                Term::NamedNode(n) => NodeKind::from_iri(n.as_ref()),
                _ => None,
            };
            match kind {
                Some(kind) => out.push(Constraint::NodeKind(kind)),
                None => return Err(self.invalid(id, format!("sh:nodeKind needs one of sh:BlankNode, sh:IRI, sh:Literal, sh:BlankNodeOrIRI, sh:BlankNodeOrLiteral, sh:IRIOrLiteral, not {value}"))),
            }
        }
        let counts = [
            (
                sh::MIN_COUNT,
                Constraint::MinCount as fn(u64) -> Constraint,
                true,
            ),
            (sh::MAX_COUNT, Constraint::MaxCount, true),
            (sh::MIN_LENGTH, Constraint::MinLength, false),
            (sh::MAX_LENGTH, Constraint::MaxLength, false),
        ];
        for (parameter, make, property_only) in counts {
            for value in self.values(node, parameter)? {
                let number = self.count(id, &value, parameter)?;
                if property || !property_only {
                    out.push(make(number));
                }
            }
        }
        let ranges = [
            (
                sh::MIN_EXCLUSIVE,
                Constraint::MinExclusive as fn(Term) -> Constraint,
            ),
            (sh::MIN_INCLUSIVE, Constraint::MinInclusive),
            (sh::MAX_EXCLUSIVE, Constraint::MaxExclusive),
            (sh::MAX_INCLUSIVE, Constraint::MaxInclusive),
        ];
        for (parameter, make) in ranges {
            for value in self.values(node, parameter)? {
                if !matches!(value, Term::Literal(_)) {
                    return Err(self.invalid(
                        id,
                        format!("{} needs a literal, not {value}", short(parameter)),
                    ));
                }
                out.push(make(value));
            }
        }
        let flags = match self.values(node, sh::FLAGS)?.as_slice() {
            [] => None,
            [Term::Literal(l)] => Some(l.value().to_owned()),
            _ => return Err(self.invalid(id, "sh:flags needs one string")),
        };
        for value in self.values(node, sh::PATTERN)? {
            let Term::Literal(pattern) = &value else {
                return Err(self.invalid(id, format!("sh:pattern needs a string, not {value}")));
            };
            let pattern = Pattern::new(pattern.value(), flags.as_deref())
                .map_err(|reason| self.invalid(id, reason))?;
            out.push(Constraint::Pattern(pattern));
        }
        for value in self.values(node, sh::LANGUAGE_IN)? {
            let mut tags = Vec::new();
            for item in self.list(id, &value, "sh:languageIn")? {
                match item {
                    Term::Literal(l) => tags.push(l.value().to_owned()),
                    other => {
                        return Err(
                            self.invalid(id, format!("sh:languageIn lists strings, not {other}"))
                        );
                    }
                }
            }
            out.push(Constraint::LanguageIn(tags));
        }
        if property && self.values(node, sh::UNIQUE_LANG)?.iter().any(is_true) {
            out.push(Constraint::UniqueLang);
        }
        let pairs = [
            (
                sh::EQUALS,
                Constraint::Equals as fn(NamedNode) -> Constraint,
                false,
            ),
            (sh::DISJOINT, Constraint::Disjoint, false),
            (sh::LESS_THAN, Constraint::LessThan, true),
            (sh::LESS_THAN_OR_EQUALS, Constraint::LessThanOrEquals, true),
        ];
        for (parameter, make, property_only) in pairs {
            for value in self.values(node, parameter)? {
                let Term::NamedNode(p) = value else {
                    return Err(self.invalid(
                        id,
                        format!("{} needs an IRI, not {value}", short(parameter)),
                    ));
                };
                if property || !property_only {
                    out.push(make(p));
                }
            }
        }
        for value in self.values(node, sh::NOT)? {
            out.push(Constraint::Not(self.id(&value)));
        }
        let lists = [
            (sh::AND, Constraint::And as fn(Vec<ShapeId>) -> Constraint),
            (sh::OR, Constraint::Or),
            (sh::XONE, Constraint::Xone),
        ];
        for (parameter, make) in lists {
            for value in self.values(node, parameter)? {
                let members = self.list(id, &value, &short(parameter))?;
                let ids = members.iter().map(|m| self.id(m)).collect();
                out.push(make(ids));
            }
        }
        for value in self.values(node, sh::NODE)? {
            out.push(Constraint::Node(self.id(&value)));
        }
        for value in self.values(node, sh::PROPERTY)? {
            out.push(Constraint::Property(self.id(&value)));
        }
        if property {
            self.qualified(id, node, &mut out)?;
        }
        if self.values(node, sh::CLOSED)?.iter().any(is_true) {
            let mut allowed = HashSet::new();
            for property in self.values(node, sh::PROPERTY)? {
                for path in self.values(&property, sh::PATH)? {
                    if let Term::NamedNode(p) = path {
                        allowed.insert(p);
                    }
                }
            }
            for list in self.values(node, sh::IGNORED_PROPERTIES)? {
                for item in self.list(id, &list, "sh:ignoredProperties")? {
                    if let Term::NamedNode(p) = item {
                        allowed.insert(p);
                    }
                }
            }
            out.push(Constraint::Closed(allowed));
        }
        for value in self.values(node, sh::HAS_VALUE)? {
            out.push(Constraint::HasValue(value));
        }
        for value in self.values(node, sh::IN)? {
            let members = self.list(id, &value, "sh:in")?;
            out.push(Constraint::In(members));
        }
        Ok(out)
    }

    /// `sh:qualifiedValueShape` with its counts and, when disjoint, its sibling shapes.
    fn qualified(
        &mut self,
        id: ShapeId,
        node: &Term,
        out: &mut Vec<Constraint>,
    ) -> Result<(), ValidateError> {
        let qualified = self.values(node, sh::QUALIFIED_VALUE_SHAPE)?;
        if qualified.is_empty() {
            return Ok(());
        }
        let min = match self.values(node, sh::QUALIFIED_MIN_COUNT)?.first() {
            Some(v) => Some(self.count(id, v, sh::QUALIFIED_MIN_COUNT)?),
            None => None,
        };
        let max = match self.values(node, sh::QUALIFIED_MAX_COUNT)?.first() {
            Some(v) => Some(self.count(id, v, sh::QUALIFIED_MAX_COUNT)?),
            None => None,
        };
        let disjoint = self
            .values(node, sh::QUALIFIED_VALUE_SHAPES_DISJOINT)?
            .iter()
            .any(is_true);
        for shape in qualified {
            let mut siblings = Vec::new();
            if disjoint {
                for parent in self.graph.subjects(sh::PROPERTY, node)? {
                    for sibling in self.values(&parent, sh::PROPERTY)? {
                        for other in self.values(&sibling, sh::QUALIFIED_VALUE_SHAPE)? {
                            if other != shape {
                                siblings.push(self.id(&other));
                            }
                        }
                    }
                }
            }
            let shape = self.id(&shape);
            if let Some(min) = min {
                out.push(Constraint::QualifiedMinCount {
                    shape,
                    count: min,
                    siblings: siblings.clone(),
                });
            }
            if let Some(max) = max {
                out.push(Constraint::QualifiedMaxCount {
                    shape,
                    count: max,
                    siblings,
                });
            }
        }
        Ok(())
    }

    fn count(
        &self,
        id: ShapeId,
        value: &Term,
        parameter: oxigraph::model::NamedNodeRef<'_>,
    ) -> Result<u64, ValidateError> {
        match value {
            Term::Literal(l) if crate::vocab::XSD_INTEGER_TYPES.contains(&l.datatype()) => {
                l.value().trim_start_matches('+').parse().map_err(|_| {
                    self.invalid(
                        id,
                        format!(
                            "{} needs a non-negative integer, not {value}",
                            short(parameter)
                        ),
                    )
                })
            }
            _ => Err(self.invalid(
                id,
                format!(
                    "{} needs a non-negative integer, not {value}",
                    short(parameter)
                ),
            )),
        }
    }
}

/// `sh:local` for messages.
fn short(iri: oxigraph::model::NamedNodeRef<'_>) -> String {
    format!("sh:{}", iri.as_str().trim_start_matches(sh::NAMESPACE))
}

/// `"true"^^xsd:boolean`, the only value SHACL gives for switching a parameter on (`"1"` is
/// another literal, and leaves it off: the W3C suite's `uniqueLang-002` checks it).
fn is_true(term: &Term) -> bool {
    matches!(term, Term::Literal(l) if l.datatype() == xsd::BOOLEAN && l.value() == "true")
}

/// Whether `class` is `ancestor` or below it.
pub(super) fn subclass_of<G: DataGraph + ?Sized>(
    graph: &G,
    class: &Term,
    ancestor: &Term,
) -> Result<bool, ValidateError> {
    let mut todo = vec![class.clone()];
    let mut seen = HashSet::new();
    while let Some(current) = todo.pop() {
        if &current == ancestor {
            return Ok(true);
        }
        if seen.insert(current.clone()) {
            todo.extend(graph.objects(&current, rdfs::SUB_CLASS_OF)?);
        }
    }
    Ok(false)
}
