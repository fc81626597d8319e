//! The graph projection: entities as nodes, entity-to-entity facts as edges, each edge carrying
//! its evidence (document, sentence, date), each node carrying its literal attributes (every
//! literal fact about it but its `rdfs:label`). Path, neighbourhood and ranking queries and the
//! property-graph exports run on it.
//!
//! `kg build` writes it once beside the store (`graph.kgp`, see [`file`]; [`assemble`] encodes
//! it); later commands load it in one read and use it as it lies in memory: a compact, CSR-like
//! set of arrays (edges sorted by subject, an index of edges by object, a sorted name index, each
//! node's attributes) and one UTF-8 string area. Nothing
//! is rebuilt per query, and nothing is parsed beyond a validation pass that makes every later
//! access safe. [`Projection`] implements petgraph's graph traits (`IntoNeighborsDirected`,
//! `IntoEdges`, `Visitable`, ...), so petgraph's traversals and algorithms run on it directly.

mod assemble;
mod builder;
pub mod file;
mod petgraph_impl;
mod resolve;

use serde::Serialize;

pub use self::assemble::{AttributeData, EdgeData, LiteralTypeData, NodeData, ProjectionData};
pub use self::builder::ProjectionBuilder;
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
        let start = projection.layout.node_types + self.word(6) as usize;
        (start..start + self.word(7) as usize).map(move |i| projection.word(i))
    }

    /// Its literal attributes: every literal fact about it in the default graph but its
    /// `rdfs:label`s (its `rdfs:comment`s and aliases included), each once, ordered by property
    /// (as numbered in [`Projection::properties`]), then datatype or language, then value.
    pub fn attributes(&self) -> impl Iterator<Item = Attribute<'a>> + 'a {
        let projection = self.projection;
        let start = self.word(8) as usize;
        (start..start + self.word(9) as usize).map(move |i| projection.attribute(i))
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
    fn word(&self, field: usize) -> u32 {
        self.projection
            .word(self.projection.layout.edges + self.index as usize * EDGE_WORDS + field)
    }

    /// The edge's index.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// Subject node.
    pub fn source(&self) -> u32 {
        self.word(0)
    }

    /// Object node.
    pub fn target(&self) -> u32 {
        self.word(1)
    }

    /// Index for [`Projection::predicate`].
    pub fn predicate(&self) -> u32 {
        self.word(2)
    }

    /// The evidence of the fact, possibly from several rows, ordered by document and sentence.
    /// An inferred edge has none of its own: [`crate::infer::supporting_evidence`] finds the
    /// evidence of the facts it rests on.
    pub fn evidence(&self) -> impl Iterator<Item = Evidence> + 'a {
        let projection = self.projection;
        let start = self.word(3) as usize;
        (start..start + self.word(4) as usize).map(move |i| projection.evidence(i))
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

/// The projection: a validated, read-only view of the saved arrays.
#[derive(Debug, Clone, Default)]
pub struct Projection {
    strings: String,
    words: Vec<u8>,
    layout: Layout,
    /// A view flag, not part of the file: leave out the edges the reasoner inferred.
    asserted_only: bool,
}

impl Projection {
    /// The `i`th 32-bit word of the arrays. Indexes come from the validated layout.
    fn word(&self, i: usize) -> u32 {
        let b = &self.words[i * 4..i * 4 + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }

    fn string(&self, offset: u32, len: u32) -> &str {
        &self.strings[offset as usize..offset as usize + len as usize]
    }

    /// A string stored with one more than its length, 0 meaning "none".
    fn optional_string(&self, offset: u32, len_plus_one: u32) -> Option<&str> {
        len_plus_one
            .checked_sub(1)
            .map(|len| self.string(offset, len))
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
        if self.word(at + 2) == 1 {
            LiteralType::Language(text)
        } else {
            LiteralType::Datatype(text)
        }
    }

    fn attribute(&self, index: usize) -> Attribute<'_> {
        let at = self.layout.attributes + index * ATTRIBUTE_WORDS;
        Attribute {
            property: self.word(at),
            value: self.string(self.word(at + 1), self.word(at + 2)),
            literal_type: self.literal_type(self.word(at + 3)),
        }
    }

    fn evidence(&self, index: usize) -> Evidence {
        let at = self.layout.evidence + index * EVIDENCE_WORDS;
        let document = self.layout.documents + self.word(at) as usize * DOCUMENT_WORDS;
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
    pub fn out_edges(&self, node: u32) -> std::ops::Range<u32> {
        let at = self.layout.out_offsets + node as usize;
        self.word(at)..self.word(at + 1)
    }

    /// The edges reaching `node` (it is their object).
    pub fn in_edges(&self, node: u32) -> impl Iterator<Item = u32> + '_ {
        let at = self.layout.in_offsets + node as usize;
        let (start, end) = (self.word(at) as usize, self.word(at + 1) as usize);
        (start..end).map(move |i| self.word(self.layout.in_edges + i))
    }

    /// Leaves the inferred edges out of [`Self::edges`], [`Self::steps`] and
    /// [`Self::steps_into`] (`--no-inference`); the raw adjacency ([`Self::out_edges`],
    /// [`Self::in_edges`]) still has them.
    pub fn leave_out_inferred(&mut self) {
        self.asserted_only = true;
    }

    /// Whether an edge is part of the view: every edge, or only asserted ones.
    fn shows(&self, edge: u32) -> bool {
        !self.asserted_only || self.edge(edge).inferred().is_none()
    }

    /// The steps leaving `node`: along outgoing edges forward and, unless `directed`, along
    /// incoming edges backward.
    pub fn steps(&self, node: u32, directed: bool) -> impl Iterator<Item = Step> + '_ {
        let forward = self.out_edges(node).map(move |edge| Step {
            edge,
            node: self.edge(edge).target(),
            forward: true,
        });
        let backward = self
            .in_edges(node)
            .filter(move |_| !directed)
            .map(move |edge| Step {
                edge,
                node: self.edge(edge).source(),
                forward: false,
            });
        forward
            .chain(backward)
            .filter(move |step| self.shows(step.edge))
    }

    /// The steps reaching `node` when walking towards it (for the backward half of a
    /// bidirectional search): incoming edges forward and, unless `directed`, outgoing ones
    /// backward. Each step's `node` is the node the step starts from.
    pub fn steps_into(&self, node: u32, directed: bool) -> impl Iterator<Item = Step> + '_ {
        let forward = self.in_edges(node).map(move |edge| Step {
            edge,
            node: self.edge(edge).source(),
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
            node: self.word(at + 2),
            kind: NameKind::from_word(self.word(at + 3)).unwrap_or(NameKind::Alias),
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
