//! The property-graph view every non-RDF export writes: the nodes and edges of a subgraph, and
//! the attributes each carries.
//!
//! | on | attribute | value |
//! | --- | --- | --- |
//! | node | `id` | the entity's id (its IRI when two selected entities share an id) |
//! | node | `iri`, `label` | the entity's IRI and label |
//! | node | `class`, `classes` | its most specific class's label; all its classes' labels, `\|`-joined |
//! | node | `description` | its `rdfs:comment` |
//! | node | one per literal property | keyed by the property's label (else local name, else IRI); several values `\|`-joined |
//! | edge | `id`, `source`, `target` | `e<n>`, and the ids of its ends |
//! | edge | `predicate`, `label` | the relation's IRI and label |
//! | edge | `evidence` | `document#sentence` entries, `; `-joined |
//! | edge | `documents`, `dates` | the documents and dates, `\|`-joined |
//! | edge | `sentences` | the cited sentences' words (when the build had the texts), ` \| `-joined |
//! | edge | one per qualifier property | a value stated on the fact (its `rdf:Statement`), keyed by the property's label; several values `\|`-joined |
//!
//! Node attributes come from the projection, which keeps every literal fact about each node
//! ([`crate::graph::Node::attributes`]): a first pass over the selected nodes decides each
//! attribute's key and type, then each node's record is made when a writer asks for it, so the
//! view holds no more than one node's attributes at once. Property labels come from the
//! projection and class ancestors from the graph's [`SchemaView`], never from a read per node.

mod attributes;
pub mod dot;
pub mod gexf;
pub mod graphml;
pub mod json;
mod qualifiers;
pub mod tables;
pub(crate) mod xml;

use std::collections::{BTreeMap, HashMap};
use std::fmt;

pub use self::attributes::Colour;
use self::attributes::{literal_keys, main_classes, typed_value};
use self::qualifiers::{EdgeQualifiers, edge_qualifiers};
use super::ExportError;
use super::select::Subgraph;
use crate::graph::{Evidence, Projection};
use crate::names::PreferredLabel;
use crate::read::{GraphReader, SchemaView};
use crate::vocab::rdfs;

/// The attributes every node has, before the literal attributes.
pub const NODE_FIELDS: [&str; 6] = ["id", "iri", "label", "class", "classes", "description"];

/// The attributes every edge has.
pub const EDGE_FIELDS: [&str; 9] = [
    "id",
    "source",
    "target",
    "predicate",
    "label",
    "evidence",
    "documents",
    "sentences",
    "dates",
];

/// The type of an attribute's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Text.
    String,
    /// A 64-bit integer (`xsd:integer` and its derived types, when every value fits).
    Long,
    /// A double (`xsd:double`, `xsd:float`, `xsd:decimal`, when every value is finite).
    Double,
    /// A boolean (`xsd:boolean`).
    Boolean,
}

impl ValueKind {
    /// The type's name in `GraphML` (`attr.type`) and GEXF (`type`).
    pub fn xml_name(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Long => "long",
            Self::Double => "double",
            Self::Boolean => "boolean",
        }
    }
}

/// An attribute value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text.
    String(String),
    /// An integer.
    Long(i64),
    /// A finite double.
    Double(f64),
    /// A boolean.
    Boolean(bool),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::String(s) => f.write_str(s),
            Self::Long(n) => write!(f, "{n}"),
            Self::Double(x) => write!(f, "{x:?}"),
            Self::Boolean(b) => write!(f, "{b}"),
        }
    }
}

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::String(s) => serializer.serialize_str(s),
            Self::Long(n) => serializer.serialize_i64(*n),
            Self::Double(x) => serializer.serialize_f64(*x),
            Self::Boolean(b) => serializer.serialize_bool(*b),
        }
    }
}

/// A literal attribute of nodes: the property it comes from, its key and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The key (attribute name): the property's label, else its local name, else its IRI,
    /// unique among node attributes.
    pub name: String,
    /// The type of its values.
    pub kind: ValueKind,
    /// The property's IRI.
    pub predicate: String,
}

/// A node with its attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeRecord<'g> {
    /// The projection node.
    pub index: u32,
    /// Its id in the export.
    pub id: &'g str,
    /// Its IRI.
    pub iri: &'g str,
    /// Its label.
    pub label: &'g str,
    /// Its most specific class (index into [`Projection::classes`]).
    pub class: Option<u32>,
    /// Its classes' labels, `|`-joined.
    pub classes: String,
    /// Its description.
    pub description: Option<String>,
    /// Literal attributes: (index into [`PropertyGraph::keys`], value), by key.
    pub attributes: Vec<(usize, Value)>,
}

impl NodeRecord<'_> {
    /// The values of the fixed fields, in the order of [`NODE_FIELDS`] (empty for none).
    pub fn fields<'s>(&'s self, graph: &'s PropertyGraph<'_>) -> [&'s str; NODE_FIELDS.len()] {
        [
            self.id,
            self.iri,
            self.label,
            graph.class_label(self.class),
            &self.classes,
            self.description.as_deref().unwrap_or(""),
        ]
    }
}

/// An edge with its attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeRecord<'g> {
    /// The projection edge.
    pub index: u32,
    /// Its id in the export.
    pub id: String,
    /// The id of its subject node.
    pub source: &'g str,
    /// The id of its object node.
    pub target: &'g str,
    /// The relation's IRI.
    pub predicate: &'g str,
    /// The relation's label.
    pub label: &'g str,
    /// `document#sentence` entries, `; `-joined.
    pub evidence: String,
    /// Documents, `|`-joined.
    pub documents: String,
    /// The cited sentences' words, ` | `-joined.
    pub sentences: String,
    /// Dates, `|`-joined.
    pub dates: String,
    /// The evidence itself.
    pub items: Vec<Evidence>,
    /// Values stated on the fact: (index into [`PropertyGraph::edge_keys`], value), by key.
    pub qualifiers: Vec<(usize, Value)>,
}

impl EdgeRecord<'_> {
    /// The values of the fixed fields, in the order of [`EDGE_FIELDS`] (empty for none).
    pub fn fields(&self) -> [&str; EDGE_FIELDS.len()] {
        [
            &self.id,
            self.source,
            self.target,
            self.predicate,
            self.label,
            &self.evidence,
            &self.documents,
            &self.sentences,
            &self.dates,
        ]
    }
}

/// A subgraph of the projection as a property graph.
pub struct PropertyGraph<'a> {
    projection: &'a Projection,
    subgraph: &'a Subgraph,
    ids: Vec<&'a str>,
    edge_prefix: String,
    keys: Vec<Key>,
    /// The key of each projection property, by property index.
    key_of: Vec<Option<usize>>,
    /// The index of `rdfs:comment` among the projection's properties.
    comment: Option<u32>,
    main_class: Vec<Option<u32>>,
    class_rank: Vec<Option<usize>>,
    legend: Vec<(u32, usize)>,
    qualifiers: EdgeQualifiers,
}

impl fmt::Debug for PropertyGraph<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PropertyGraph")
            .field("nodes", &self.subgraph.nodes.len())
            .field("edges", &self.subgraph.edges.len())
            .field("keys", &self.keys)
            .finish_non_exhaustive()
    }
}

/// What the first pass learns of one property.
#[derive(Debug, Default)]
struct Scan {
    kind: Option<ValueKind>,
    multiple: bool,
    /// Some value does not fit its datatype's kind (an integer beyond 64 bits, an infinite
    /// double): the key falls back to text.
    misfit: bool,
}

impl<'a> PropertyGraph<'a> {
    /// The view of `subgraph`: decides node ids, the literal attribute keys (one pass over the
    /// selected nodes' attributes) and each node's main class.
    ///
    /// # Errors
    /// None today; kept so that a reader of other sources can fail.
    pub fn new(
        projection: &'a Projection,
        schema: &SchemaView,
        subgraph: &'a Subgraph,
    ) -> Result<Self, ExportError> {
        let ids = node_ids(projection, subgraph);
        let edge_prefix = edge_prefix(&ids);
        let (keys, key_of) = literal_keys(projection, subgraph);
        let comment = projection
            .properties()
            .position(|p| p.iri == rdfs::COMMENT.as_str())
            .and_then(|i| u32::try_from(i).ok());
        let (main_class, legend, class_rank) = main_classes(schema, projection, subgraph);
        Ok(Self {
            projection,
            subgraph,
            ids,
            edge_prefix,
            keys,
            key_of,
            comment,
            main_class,
            class_rank,
            legend,
            qualifiers: EdgeQualifiers::default(),
        })
    }

    /// The view with its edges' qualifiers (values stated on their facts) read from `graph`:
    /// without this, edges carry the fixed fields only.
    ///
    /// # Errors
    /// What reading the graph gives.
    pub fn with_qualifiers(mut self, graph: &dyn GraphReader) -> Result<Self, ExportError> {
        self.qualifiers = edge_qualifiers(graph, self.projection, self.subgraph)?;
        Ok(self)
    }

    /// The projection.
    pub fn projection(&self) -> &'a Projection {
        self.projection
    }

    /// The selected nodes (projection indexes, ascending).
    pub fn nodes(&self) -> &'a [u32] {
        &self.subgraph.nodes
    }

    /// The selected edges (projection indexes, ascending).
    pub fn edges(&self) -> &'a [u32] {
        &self.subgraph.edges
    }

    /// The literal attribute keys of nodes.
    pub fn keys(&self) -> &[Key] {
        &self.keys
    }

    /// The qualifier keys of edges (empty unless [`with_qualifiers`](Self::with_qualifiers)).
    pub fn edge_keys(&self) -> &[Key] {
        &self.qualifiers.keys
    }

    /// The position of a projection node among [`nodes`](Self::nodes).
    pub fn position(&self, node: u32) -> Option<usize> {
        self.subgraph.nodes.binary_search(&node).ok()
    }

    /// The export id of the node at `position`.
    pub fn id(&self, position: usize) -> &'a str {
        self.ids[position]
    }

    /// The export id of the edge at `position`.
    pub fn edge_id(&self, position: usize) -> String {
        format!("{}{}", self.edge_prefix, self.subgraph.edges[position])
    }

    /// The main class of the node at `position`.
    pub fn main_class(&self, position: usize) -> Option<u32> {
        self.main_class[position]
    }

    /// The classes in the subgraph with their node counts, most frequent first: the colour
    /// legend of the pictures.
    pub fn legend(&self) -> &[(u32, usize)] {
        &self.legend
    }

    /// The colour of a class (by its rank in the legend), or grey for none.
    pub fn colour(&self, class: Option<u32>) -> Colour {
        match class.and_then(|c| self.class_rank.get(c as usize).copied().flatten()) {
            Some(rank) => Colour::of_rank(rank),
            None => Colour::NONE,
        }
    }

    /// The node at `position` with its attributes (from the projection). Its description is
    /// its preferred `rdfs:comment` (as labels are chosen: English, untagged, any); among equals,
    /// the first in the projection's order (by datatype or language, then value).
    pub fn node(&self, position: usize) -> NodeRecord<'a> {
        let index = self.subgraph.nodes[position];
        let node = self.projection.node(index);
        let mut values: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
        let mut description = PreferredLabel::default();
        for attribute in node.attributes() {
            if Some(attribute.property) == self.comment {
                description.offer(attribute.value, attribute.language());
            } else if let Some(k) = self.key_of[attribute.property as usize] {
                values.entry(k).or_default().push(attribute.value);
            }
        }
        let attributes = values
            .into_iter()
            .map(|(k, mut values)| {
                values.sort_unstable();
                let value = match values.as_slice() {
                    [one] => typed_value(self.keys[k].kind, one)
                        .unwrap_or_else(|| Value::String((*one).to_owned())),
                    _ => Value::String(values.join("|")),
                };
                (k, value)
            })
            .collect();
        let classes: Vec<&str> = node
            .types()
            .map(|c| self.projection.class(c).label)
            .collect();
        NodeRecord {
            index,
            id: self.ids[position],
            iri: node.iri(),
            label: node.label(),
            class: self.main_class[position],
            classes: classes.join("|"),
            description: description.into_label(),
            attributes,
        }
    }

    /// The label of a class.
    pub fn class_label(&self, class: Option<u32>) -> &'a str {
        class.map_or("", |c| self.projection.class(c).label)
    }

    /// The edge at `position` with its attributes.
    pub fn edge(&self, position: usize) -> EdgeRecord<'a> {
        let index = self.subgraph.edges[position];
        let edge = self.projection.edge(index);
        let predicate = self.projection.predicate(edge.predicate());
        let end = |node: u32| self.position(node).map_or("", |p| self.ids[p]);
        let items: Vec<Evidence> = edge.evidence().collect();
        let mut documents: Vec<&str> = Vec::new();
        let mut dates: Vec<&str> = Vec::new();
        let mut entries: Vec<String> = Vec::new();
        let mut sentences: Vec<&str> = Vec::new();
        for evidence in &items {
            if !documents.contains(&evidence.document.as_str()) {
                documents.push(&evidence.document);
            }
            if let Some(date) = evidence.date.as_deref()
                && !dates.contains(&date)
            {
                dates.push(date);
            }
            let entry = match evidence.sentence {
                Some(n) => format!("{}#{n}", evidence.document),
                None => evidence.document.clone(),
            };
            if !entries.contains(&entry) {
                entries.push(entry);
            }
            if let Some(text) = evidence.text.as_deref()
                && !sentences.contains(&text)
            {
                sentences.push(text);
            }
        }
        EdgeRecord {
            index,
            id: self.edge_id(position),
            source: end(edge.source()),
            target: end(edge.target()),
            predicate: predicate.iri,
            label: predicate.label,
            evidence: entries.join("; "),
            documents: documents.join("|"),
            sentences: sentences.join(" | "),
            dates: dates.join("|"),
            items,
            qualifiers: self
                .qualifiers
                .values
                .get(&index)
                .cloned()
                .unwrap_or_default(),
        }
    }
}

/// The export id of each selected node: its id, or its IRI when two selected nodes share an id.
fn node_ids<'a>(projection: &'a Projection, subgraph: &Subgraph) -> Vec<&'a str> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for &n in &subgraph.nodes {
        *seen.entry(projection.node(n).id()).or_default() += 1;
    }
    let ids: Vec<&str> = subgraph
        .nodes
        .iter()
        .map(|&n| {
            let node = projection.node(n);
            if seen.get(node.id()).copied().unwrap_or(0) > 1 {
                node.iri()
            } else {
                node.id()
            }
        })
        .collect();
    ids
}

/// A prefix for edge ids (`e`, else `e_`, ...) that no node id followed by digits uses.
fn edge_prefix(ids: &[&str]) -> String {
    let mut edge_prefix = String::from("e");
    while ids.iter().any(|id| {
        id.strip_prefix(edge_prefix.as_str())
            .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
    }) {
        edge_prefix.push('_');
    }
    edge_prefix
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn values_parse_by_kind() {
        assert_eq!(typed_value(ValueKind::Long, "+42"), Some(Value::Long(42)));
        assert_eq!(typed_value(ValueKind::Long, "99999999999999999999"), None);
        assert_eq!(
            typed_value(ValueKind::Double, "1.5E3"),
            Some(Value::Double(1500.0))
        );
        assert_eq!(typed_value(ValueKind::Double, "INF"), None);
        assert_eq!(
            typed_value(ValueKind::Boolean, "1"),
            Some(Value::Boolean(true))
        );
        assert_eq!(Value::Double(2.0).to_string(), "2.0");
    }

    #[test]
    fn colours_differ_and_stay_light() {
        let colours: HashSet<[u8; 3]> = (0..30).map(|r| Colour::of_rank(r).fill).collect();
        assert_eq!(colours.len(), 30);
        for rank in 0..30 {
            let [r, g, b] = Colour::of_rank(rank).fill;
            let luminance = 0.2126 * f64::from(r) + 0.7152 * f64::from(g) + 0.0722 * f64::from(b);
            assert!(luminance > 150.0, "rank {rank} too dark for dark text");
        }
    }
}
