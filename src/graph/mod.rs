//! The graph projection: entities as nodes, entity-to-entity facts as edges, each edge carrying
//! its evidence (document, sentence, date), each node carrying its literal attributes (every
//! literal fact about it but its `rdfs:label`). Path, neighbourhood and ranking queries and the
//! property-graph exports run on it.
//!
//! `kg build` writes it once beside the store (`graph.kgp`, see [`file`]; [`assemble`] encodes
//! it); later commands read it as it lies in the file: a compact, CSR-like set of arrays (edges
//! sorted by subject, an index of edges by object with their subjects, a sorted name index, each
//! node's attributes) and one UTF-8 string area. Nothing is rebuilt per query. Commands open it
//! page by page ([`file::open`]: an answer reads only the pages it walks, each checked against
//! its checksum, each value range-checked where it is used); [`file::load`] reads and checks it
//! whole, for work that touches all of it. [`Projection`] implements petgraph's graph traits (`IntoNeighborsDirected`,
//! `IntoEdges`, `Visitable`, ...), so petgraph's traversals and algorithms run on it directly.

mod assemble;
mod builder;
pub mod file;
mod pages;
mod petgraph_impl;
mod resolve;

use std::sync::OnceLock;

use serde::Serialize;

pub use self::assemble::{AttributeData, EdgeData, LiteralTypeData, NodeData, ProjectionData};
pub use self::builder::ProjectionBuilder;
#[cfg(feature = "remote")]
pub(crate) use self::builder::rule_preference;
pub use self::file::ProjectionFileError;
pub use self::resolve::{Resolution, resolve_entity};

/// A class or a predicate: IRI and human label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Term<'a> {
    /// The IRI.
    pub iri: &'a str,
    /// `rdfs:label` from the ontology, else the local name.
    pub label: &'a str,
}

/// A node: one entity.
#[derive(Debug, Clone, Copy)]
pub struct Node<'a> {
    projection: &'a Projection,
    index: u32,
}

impl<'a> Node<'a> {
    fn word(&self, field: usize) -> u32 {
        self.projection
            .word(self.projection.layout.nodes + self.index as usize * NODE_WORDS + field)
    }

    /// The node's index.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// The entity's IRI.
    pub fn iri(&self) -> &'a str {
        self.projection.string(self.word(0), self.word(1))
    }

    /// Its id (the IRI without the base), or the IRI for entities outside the base.
    pub fn id(&self) -> &'a str {
        self.projection.string(self.word(2), self.word(3))
    }

    /// Its label (`rdfs:label`, English preferred), else its id.
    pub fn label(&self) -> &'a str {
        self.projection.string(self.word(4), self.word(5))
    }

    /// Its declared classes (indexes for [`Projection::class`]).
    pub fn types(&self) -> impl Iterator<Item = u32> + 'a {
        let projection = self.projection;
        let l = &projection.layout;
        projection
            .range(self.word(6), self.word(7), l.type_count, "node types")
            .map(move |i| {
                projection.index(projection.word(l.node_types + i), l.class_count, "class")
            })
    }

    /// Its literal attributes: every literal fact about it in the default graph but its
    /// `rdfs:label`s (its `rdfs:comment`s and aliases included), each once, ordered by property
    /// (as numbered in [`Projection::properties`]), then datatype or language, then value.
    pub fn attributes(&self) -> impl Iterator<Item = Attribute<'a>> + 'a {
        let projection = self.projection;
        projection
            .range(
                self.word(8),
                self.word(9),
                projection.layout.attribute_count,
                "node attributes",
            )
            .map(move |i| projection.attribute(i))
    }
}

/// A literal attribute of a node: one literal fact about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Attribute<'a> {
    /// The property (index for [`Projection::property`]).
    pub property: u32,
    /// The literal's lexical form, as the store gives it back (see
    /// [`crate::ingest::literal::stored_form`]).
    pub value: &'a str,
    /// Its datatype, or its language tag.
    pub literal_type: LiteralType<'a>,
}

impl<'a> Attribute<'a> {
    /// The language tag, for a language-tagged string.
    pub fn language(&self) -> Option<&'a str> {
        match self.literal_type {
            LiteralType::Language(language) => Some(language),
            LiteralType::Datatype(_) => None,
        }
    }

    /// The datatype IRI (`rdf:langString` for a language-tagged string).
    pub fn datatype(&self) -> &'a str {
        match self.literal_type {
            LiteralType::Datatype(datatype) => datatype,
            LiteralType::Language(_) => crate::vocab::rdf::LANG_STRING.as_str(),
        }
    }
}

/// What follows a literal's value: a datatype IRI or a language tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LiteralType<'a> {
    /// A datatype IRI (`xsd:string` for a simple literal).
    Datatype(&'a str),
    /// A language tag (the datatype is then `rdf:langString`).
    Language(&'a str),
}

/// Why a fact holds: a document, a sentence of it, a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The source document's id.
    pub document: String,
    /// 1-based sentence number, when the row gave one.
    pub sentence: Option<u64>,
    /// The row's `date`, as written (`2022`, `--11`), when it gave one.
    pub date: Option<String>,
    /// The sentence's words, when the build had the document's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// An edge: one fact between two entities.
#[derive(Debug, Clone, Copy)]
pub struct Edge<'a> {
    projection: &'a Projection,
    index: u32,
}

impl<'a> Edge<'a> {
    #[inline]
    fn word(&self, field: usize) -> u32 {
        self.projection
            .word(self.projection.layout.edges + self.index as usize * EDGE_WORDS + field)
    }

    /// The edge's index.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// Subject node.
    #[inline]
    pub fn source(&self) -> u32 {
        let p = self.projection;
        p.index(self.word(0), p.layout.node_count, "subject")
    }

    /// Object node.
    #[inline]
    pub fn target(&self) -> u32 {
        let p = self.projection;
        p.index(self.word(1), p.layout.node_count, "object")
    }

    /// Index for [`Projection::predicate`].
    pub fn predicate(&self) -> u32 {
        let p = self.projection;
        p.index(self.word(2), p.layout.predicate_count, "predicate")
    }

    /// The evidence of the fact, possibly from several rows, ordered by document and sentence.
    /// An inferred edge has none of its own: [`crate::infer::supporting_evidence`] finds the
    /// evidence of the facts it rests on.
    pub fn evidence(&self) -> impl Iterator<Item = Evidence> + 'a {
        let projection = self.projection;
        projection
            .range(
                self.word(3),
                self.word(4),
                projection.layout.evidence_count,
                "evidence",
            )
            .map(move |i| projection.evidence(i))
    }

    /// The rule that inferred the fact (`prp-trp`), or `None` for a fact the inputs state.
    pub fn inferred(&self) -> Option<&'a str> {
        self.projection.optional_string(self.word(5), self.word(6))
    }
}

/// How a name matched an entity, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NameKind {
    /// Its id.
    Id,
    /// Its label.
    Label,
    /// One of its aliases (`skos:altLabel`, `skos:prefLabel`, `skos:hiddenLabel`).
    Alias,
}

impl NameKind {
    fn from_word(word: u32) -> Option<Self> {
        match word {
            0 => Some(Self::Id),
            1 => Some(Self::Label),
            2 => Some(Self::Alias),
            _ => None,
        }
    }

    fn word(self) -> u32 {
        match self {
            Self::Id => 0,
            Self::Label => 1,
            Self::Alias => 2,
        }
    }
}

/// A name (folded with [`crate::names::fold`]) that points to a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Name<'a> {
    /// The folded name.
    pub folded: &'a str,
    /// The node.
    pub node: u32,
    /// Label, alias or id.
    pub kind: NameKind,
}

/// One step along an edge, in the direction it was walked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Step {
    /// The edge.
    pub edge: u32,
    /// The node reached.
    pub node: u32,
    /// `true` when walked from subject to object.
    pub forward: bool,
}

// Record sizes, in 32-bit words.
const TERM_WORDS: usize = 4;
const DOCUMENT_WORDS: usize = 2;
const NODE_WORDS: usize = 10;
const EDGE_WORDS: usize = 7;
const EVIDENCE_WORDS: usize = 6;
const NAME_WORDS: usize = 4;
const LITERAL_TYPE_WORDS: usize = 3;
const ATTRIBUTE_WORDS: usize = 4;

/// Where each array starts, in words.
#[derive(Debug, Clone, Copy, Default)]
struct Layout {
    node_count: usize,
    edge_count: usize,
    class_count: usize,
    predicate_count: usize,
    document_count: usize,
    evidence_count: usize,
    name_count: usize,
    property_count: usize,
    literal_type_count: usize,
    attribute_count: usize,
    type_count: usize,
    classes: usize,
    predicates: usize,
    properties: usize,
    literal_types: usize,
    documents: usize,
    nodes: usize,
    node_types: usize,
    attributes: usize,
    edges: usize,
    evidence: usize,
    out_offsets: usize,
    in_offsets: usize,
    in_edges: usize,
    names: usize,
    end: usize,
}

/// The string area: in memory (assembled, or loaded and checked whole), or read from the file
/// page by page.
#[derive(Debug, Clone)]
enum Text {
    Memory(String),
    Paged(pages::Pages),
}

/// The array words, likewise.
#[derive(Debug, Clone)]
enum Words {
    Memory(Vec<u8>),
    Paged(pages::Pages),
}

impl Default for Text {
    fn default() -> Self {
        Self::Memory(String::new())
    }
}

impl Default for Words {
    fn default() -> Self {
        Self::Memory(Vec::new())
    }
}

/// The projection: a read-only view of the saved arrays.
///
/// Assembled, or loaded with [`file::load`], it is checked whole before use. Opened with
/// [`file::open`], it is read page by page as it is walked and checked where it is used: every
/// value read is range-checked before it indexes anything, and the first inconsistency met is
/// kept for [`Projection::intact`] (the accessors then answer with a harmless placeholder, never
/// a panic).
#[derive(Debug, Clone, Default)]
pub struct Projection {
    strings: Text,
    words: Words,
    layout: Layout,
    /// A view flag, not part of the file: leave out the edges the reasoner inferred.
    asserted_only: bool,
    /// The first inconsistency a paged read met.
    damage: OnceLock<String>,
}

impl Projection {
    /// The `i`th 32-bit word of the arrays.
    #[inline]
    fn word(&self, i: usize) -> u32 {
        let bytes = match &self.words {
            Words::Memory(words) => i
                .checked_mul(4)
                .and_then(|at| words.get(at..at + 4))
                .ok_or_else(|| format!("word {i} is past the end")),
            Words::Paged(pages) => i
                .checked_mul(4)
                .ok_or_else(|| format!("word {i} is past the end"))
                .and_then(|at| pages.get(at, 4)),
        };
        match bytes {
            Ok(b) => u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            Err(reason) => {
                self.damaged(reason);
                0
            }
        }
    }

    fn string(&self, offset: u32, len: u32) -> &str {
        let (offset, len) = (offset as usize, len as usize);
        let text = match &self.strings {
            Text::Memory(text) => text
                .get(offset..offset.saturating_add(len))
                .ok_or_else(|| format!("string {offset}+{len} is outside the text")),
            Text::Paged(pages) => pages.get(offset, len).and_then(|bytes| {
                std::str::from_utf8(bytes)
                    .map_err(|_| format!("string {offset}+{len} is not UTF-8"))
            }),
        };
        text.unwrap_or_else(|reason| {
            self.damaged(reason);
            ""
        })
    }

    /// A string stored with one more than its length, 0 meaning "none".
    fn optional_string(&self, offset: u32, len_plus_one: u32) -> Option<&str> {
        len_plus_one
            .checked_sub(1)
            .map(|len| self.string(offset, len))
    }

    /// Keeps the first inconsistency met.
    fn damaged(&self, reason: String) {
        let _ = self.damage.set(reason);
    }

    /// `value` when it is below `bound`; else the inconsistency is kept and 0 returned (the
    /// layout check makes sure every table an index points into is non-empty when anything
    /// points into it).
    #[inline]
    fn index(&self, value: u32, bound: usize, what: &str) -> u32 {
        if (value as usize) < bound {
            value
        } else {
            self.damaged(format!("{what} {value} out of range ({bound})"));
            0
        }
    }

    /// `first..first + count` when it lies within `0..bound`, else empty (and kept).
    fn range(&self, first: u32, count: u32, bound: usize, what: &str) -> std::ops::Range<usize> {
        let (first, count) = (first as usize, count as usize);
        match first.checked_add(count) {
            Some(end) if end <= bound => first..end,
            _ => {
                self.damaged(format!("{what} {first}+{count} out of range ({bound})"));
                0..0
            }
        }
    }

    /// Whether every part of the projection read so far was consistent. A projection read page
    /// by page ([`file::open`]) is checked as it is used: a damaged page or an index out of
    /// range is found when it is met, and answers built after that must not be trusted.
    ///
    /// # Errors
    /// [`ProjectionFileError::Corrupt`], naming the file and the first inconsistency met.
    pub fn intact(&self) -> Result<(), ProjectionFileError> {
        match self.damage.get() {
            None => Ok(()),
            Some(reason) => Err(ProjectionFileError::Corrupt {
                path: match (&self.words, &self.strings) {
                    (Words::Paged(pages), _) | (_, Text::Paged(pages)) => {
                        pages.path().to_path_buf()
                    }
                    _ => std::path::PathBuf::from("(projection)"),
                },
                reason: reason.clone(),
            }),
        }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.layout.node_count
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.layout.edge_count
    }

    /// A node.
    ///
    /// # Panics
    /// When `index` is out of range, like slice indexing: indexes come from the projection.
    pub fn node(&self, index: u32) -> Node<'_> {
        assert!(
            (index as usize) < self.layout.node_count,
            "node {index} out of range"
        );
        Node {
            projection: self,
            index,
        }
    }

    /// All nodes, in index order.
    pub fn nodes(&self) -> impl Iterator<Item = Node<'_>> {
        (0_u32..).take(self.node_count()).map(move |index| Node {
            projection: self,
            index,
        })
    }

    /// An edge.
    ///
    /// # Panics
    /// When `index` is out of range, like slice indexing.
    pub fn edge(&self, index: u32) -> Edge<'_> {
        assert!(
            (index as usize) < self.layout.edge_count,
            "edge {index} out of range"
        );
        Edge {
            projection: self,
            index,
        }
    }

    /// All edges, in index order (sorted by subject, object, predicate).
    pub fn edges(&self) -> impl Iterator<Item = Edge<'_>> {
        (0_u32..)
            .take(self.edge_count())
            .filter(move |&index| self.shows(index))
            .map(move |index| Edge {
                projection: self,
                index,
            })
    }

    fn term(&self, start: usize, index: u32) -> Term<'_> {
        let at = start + index as usize * TERM_WORDS;
        Term {
            iri: self.string(self.word(at), self.word(at + 1)),
            label: self.string(self.word(at + 2), self.word(at + 3)),
        }
    }

    /// Number of classes.
    pub fn class_count(&self) -> usize {
        self.layout.class_count
    }

    /// A class.
    ///
    /// # Panics
    /// When `index` is out of range.
    pub fn class(&self, index: u32) -> Term<'_> {
        assert!(
            (index as usize) < self.layout.class_count,
            "class {index} out of range"
        );
        self.term(self.layout.classes, index)
    }

    /// All classes, by index.
    pub fn classes(&self) -> impl Iterator<Item = Term<'_>> {
        (0_u32..)
            .take(self.class_count())
            .map(move |i| self.term(self.layout.classes, i))
    }

    /// Number of predicates.
    pub fn predicate_count(&self) -> usize {
        self.layout.predicate_count
    }

    /// A predicate.
    ///
    /// # Panics
    /// When `index` is out of range.
    pub fn predicate(&self, index: u32) -> Term<'_> {
        assert!(
            (index as usize) < self.layout.predicate_count,
            "predicate {index} out of range"
        );
        self.term(self.layout.predicates, index)
    }

    /// All predicates, by index.
    pub fn predicates(&self) -> impl Iterator<Item = Term<'_>> {
        (0_u32..)
            .take(self.predicate_count())
            .map(move |i| self.term(self.layout.predicates, i))
    }

    /// Number of literal properties: those of node attributes.
    pub fn property_count(&self) -> usize {
        self.layout.property_count
    }

    /// A literal property (of node attributes).
    ///
    /// # Panics
    /// When `index` is out of range.
    pub fn property(&self, index: u32) -> Term<'_> {
        assert!(
            (index as usize) < self.layout.property_count,
            "property {index} out of range"
        );
        self.term(self.layout.properties, index)
    }

    /// All literal properties, by index.
    pub fn properties(&self) -> impl Iterator<Item = Term<'_>> {
        (0_u32..)
            .take(self.property_count())
            .map(move |i| self.term(self.layout.properties, i))
    }

    fn literal_type(&self, index: u32) -> LiteralType<'_> {
        let at = self.layout.literal_types + index as usize * LITERAL_TYPE_WORDS;
        let text = self.string(self.word(at), self.word(at + 1));
        match self.word(at + 2) {
            0 => LiteralType::Datatype(text),
            1 => LiteralType::Language(text),
            kind => {
                self.damaged(format!("unknown literal type kind {kind}"));
                LiteralType::Datatype(text)
            }
        }
    }

    fn attribute(&self, index: usize) -> Attribute<'_> {
        let at = self.layout.attributes + index * ATTRIBUTE_WORDS;
        let l = &self.layout;
        Attribute {
            property: self.index(self.word(at), l.property_count, "property"),
            value: self.string(self.word(at + 1), self.word(at + 2)),
            literal_type: self.literal_type(self.index(
                self.word(at + 3),
                l.literal_type_count,
                "literal type",
            )),
        }
    }

    fn evidence(&self, index: usize) -> Evidence {
        let at = self.layout.evidence + index * EVIDENCE_WORDS;
        let document = self.index(self.word(at), self.layout.document_count, "document");
        let document = self.layout.documents + document as usize * DOCUMENT_WORDS;
        Evidence {
            document: self
                .string(self.word(document), self.word(document + 1))
                .to_owned(),
            sentence: self.word(at + 1).checked_sub(1).map(u64::from),
            date: self
                .optional_string(self.word(at + 2), self.word(at + 3))
                .map(str::to_owned),
            text: self
                .optional_string(self.word(at + 4), self.word(at + 5))
                .map(str::to_owned),
        }
    }

    /// The edges leaving `node` (it is their subject).
    #[inline]
    pub fn out_edges(&self, node: u32) -> std::ops::Range<u32> {
        let at = self.layout.out_offsets + node as usize;
        let (start, end) = self.offsets(at, "out");
        // Both are at most the edge count, which the format holds in a word.
        let word = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        word(start)..word(end)
    }

    /// The range of node offsets at `at` and `at + 1`, checked against the edge count.
    #[inline]
    fn offsets(&self, at: usize, side: &str) -> (usize, usize) {
        let (start, end) = (self.word(at) as usize, self.word(at + 1) as usize);
        if start <= end && end <= self.layout.edge_count {
            (start, end)
        } else {
            self.damaged(format!("{side} offsets {start}..{end} out of range"));
            (0, 0)
        }
    }

    /// The edges reaching `node` (it is their object).
    pub fn in_edges(&self, node: u32) -> impl Iterator<Item = u32> + '_ {
        self.in_pairs(node).map(|(edge, _)| edge)
    }

    /// The edges reaching `node`, each with its subject (read from the in-edge list, not from
    /// the edge record).
    #[inline]
    fn in_pairs(&self, node: u32) -> impl Iterator<Item = (u32, u32)> + '_ {
        let at = self.layout.in_offsets + node as usize;
        let (start, end) = self.offsets(at, "in");
        let l = &self.layout;
        (start..end).map(move |i| {
            let at = l.in_edges + 2 * i;
            (
                self.index(self.word(at), l.edge_count, "edge"),
                self.index(self.word(at + 1), l.node_count, "subject"),
            )
        })
    }

    /// Leaves the inferred edges out of [`Self::edges`], [`Self::steps`] and
    /// [`Self::steps_into`] (`--no-inference`); the raw adjacency ([`Self::out_edges`],
    /// [`Self::in_edges`]) still has them.
    pub fn leave_out_inferred(&mut self) {
        self.asserted_only = true;
    }

    /// Whether an edge is part of the view: every edge, or only asserted ones.
    #[inline]
    fn shows(&self, edge: u32) -> bool {
        !self.asserted_only || self.edge(edge).inferred().is_none()
    }

    /// The steps leaving `node`: along outgoing edges forward and, unless `directed`, along
    /// incoming edges backward.
    #[inline]
    pub fn steps(&self, node: u32, directed: bool) -> impl Iterator<Item = Step> + '_ {
        let forward = self.out_edges(node).map(move |edge| Step {
            edge,
            node: self.edge(edge).target(),
            forward: true,
        });
        let backward = self
            .in_pairs(node)
            .filter(move |_| !directed)
            .map(move |(edge, source)| Step {
                edge,
                node: source,
                forward: false,
            });
        forward
            .chain(backward)
            .filter(move |step| self.shows(step.edge))
    }

    /// The steps reaching `node` when walking towards it (for the backward half of a
    /// bidirectional search): incoming edges forward and, unless `directed`, outgoing ones
    /// backward. Each step's `node` is the node the step starts from.
    #[inline]
    pub fn steps_into(&self, node: u32, directed: bool) -> impl Iterator<Item = Step> + '_ {
        let forward = self.in_pairs(node).map(move |(edge, source)| Step {
            edge,
            node: source,
            forward: true,
        });
        let backward = self
            .out_edges(node)
            .filter(move |_| !directed)
            .map(move |edge| Step {
                edge,
                node: self.edge(edge).target(),
                forward: false,
            });
        forward
            .chain(backward)
            .filter(move |step| self.shows(step.edge))
    }

    /// The node with this IRI (a scan: names, not IRIs, are indexed).
    pub fn node_by_iri(&self, iri: &str) -> Option<u32> {
        self.nodes().find(|n| n.iri() == iri).map(|n| n.index)
    }

    fn name(&self, index: usize) -> Name<'_> {
        let at = self.layout.names + index * NAME_WORDS;
        Name {
            folded: self.string(self.word(at), self.word(at + 1)),
            node: self.index(self.word(at + 2), self.layout.node_count, "node"),
            kind: NameKind::from_word(self.word(at + 3)).unwrap_or_else(|| {
                self.damaged("unknown name kind".into());
                NameKind::Alias
            }),
        }
    }

    /// Every name of every node, sorted by folded name.
    pub fn names(&self) -> impl Iterator<Item = Name<'_>> {
        (0..self.layout.name_count).map(move |i| self.name(i))
    }

    /// The nodes a folded name points to, with how they matched (binary search).
    pub fn nodes_named(&self, folded: &str) -> Vec<(u32, NameKind)> {
        let (mut low, mut high) = (0, self.layout.name_count);
        while low < high {
            let middle = low + (high - low) / 2;
            if self.name(middle).folded < folded {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        (low..self.layout.name_count)
            .map(|i| self.name(i))
            .take_while(|n| n.folded == folded)
            .map(|n| (n.node, n.kind))
            .collect()
    }
}
