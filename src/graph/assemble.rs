//! Assembling a projection from owned values: what [`super::ProjectionBuilder`] collects during
//! a build, and what tests write by hand. [`ProjectionData::assemble`] encodes them in the
//! layout of [`super::file`] and checks the result as a load would.

use std::collections::HashMap;
use std::path::PathBuf;

use super::file::ProjectionFileError;
use super::pages::PAGE;
use super::{Evidence, NameKind, Projection};

/// A node to assemble.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeData {
    /// IRI.
    pub iri: String,
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Class indexes.
    pub types: Vec<u32>,
}

/// An edge to assemble.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgeData {
    /// Subject node.
    pub source: u32,
    /// Object node.
    pub target: u32,
    /// Predicate index.
    pub predicate: u32,
    /// Evidence.
    pub evidence: Vec<Evidence>,
    /// The rule that inferred the fact, `None` when the inputs state it.
    pub inferred: Option<String>,
}

/// The datatype or language tag of attribute values, to assemble.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LiteralTypeData {
    /// A datatype IRI.
    Datatype(String),
    /// A language tag.
    Language(String),
}

/// One attribute to assemble: a node, a property, a literal type and where the value lies in
/// [`AttributeData`]'s text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct AttributeRecord {
    node: u32,
    property: u32,
    literal_type: u32,
    value_at: u32,
    value_len: u32,
}

/// Literal attributes of nodes to assemble, in any order (repeats are merged): 20 bytes a
/// record and the values in one text, so that a build holding millions of them makes no
/// allocation per value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttributeData {
    text: String,
    records: Vec<AttributeRecord>,
    /// The text passed 4 GiB: assembling fails with [`ProjectionFileError::TooLarge`].
    overflow: bool,
}

impl AttributeData {
    /// Adds an attribute of `node`: a `value` of `property` (index into
    /// [`ProjectionData::properties`]) typed by `literal_type` (index into
    /// [`ProjectionData::literal_types`]).
    pub fn push(&mut self, node: u32, property: u32, literal_type: u32, value: &str) {
        let (Ok(value_at), Ok(value_len)) =
            (u32::try_from(self.text.len()), u32::try_from(value.len()))
        else {
            self.overflow = true;
            return;
        };
        if value_at.checked_add(value_len).is_none() {
            self.overflow = true;
            return;
        }
        self.text.push_str(value);
        self.records.push(AttributeRecord {
            node,
            property,
            literal_type,
            value_at,
            value_len,
        });
    }

    /// Number of attributes added (repeats included).
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether none was added.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    fn value(&self, record: &AttributeRecord) -> &str {
        let start = record.value_at as usize;
        &self.text[start..start + record.value_len as usize]
    }

    /// Sorts the records by node, property, literal type and value, and drops repeats.
    fn sort(&mut self) {
        let mut records = std::mem::take(&mut self.records);
        let key = |r: &AttributeRecord| (r.node, r.property, r.literal_type);
        records.sort_unstable_by(|a, b| {
            key(a)
                .cmp(&key(b))
                .then_with(|| self.value(a).cmp(self.value(b)))
        });
        records.dedup_by(|a, b| key(a) == key(b) && self.value(a) == self.value(b));
        self.records = records;
    }
}

/// Everything a projection holds, as owned values: what builders and tests assemble.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectionData {
    /// Nodes.
    pub nodes: Vec<NodeData>,
    /// Edges, in any order; edges with the same subject, object and predicate are merged.
    pub edges: Vec<EdgeData>,
    /// Classes: (IRI, label).
    pub classes: Vec<(String, String)>,
    /// Predicates: (IRI, label).
    pub predicates: Vec<(String, String)>,
    /// Properties of literal attributes: (IRI, label).
    pub properties: Vec<(String, String)>,
    /// Datatypes and language tags of literal attributes.
    pub literal_types: Vec<LiteralTypeData>,
    /// Literal attributes of nodes.
    pub attributes: AttributeData,
    /// Names: (folded name, node, kind).
    pub names: Vec<(String, u32, NameKind)>,
}

fn word_count(n: usize, what: &'static str) -> Result<u32, ProjectionFileError> {
    u32::try_from(n).map_err(|_| ProjectionFileError::TooLarge(what))
}

/// Appends strings to the string area, sharing repeated ones when asked.
struct Strings {
    text: String,
    shared: HashMap<String, (u32, u32)>,
}

impl Strings {
    /// Appends a string where a page-by-page reader finds it whole in one read: within one page,
    /// or, when longer than a page, from the start of one (zeros fill the gap).
    fn add(&mut self, value: &str) -> Result<(u32, u32), ProjectionFileError> {
        let within = self.text.len() % PAGE;
        if within > 0 && within + value.len() > PAGE {
            let gap = PAGE - within;
            self.text.extend(std::iter::repeat_n('\0', gap));
        }
        let offset = word_count(self.text.len(), "more than 4 GiB of text")?;
        let len = word_count(value.len(), "a string longer than 4 GiB")?;
        self.text.push_str(value);
        word_count(self.text.len(), "more than 4 GiB of text")?;
        Ok((offset, len))
    }

    fn shared(&mut self, value: &str) -> Result<(u32, u32), ProjectionFileError> {
        if let Some(&found) = self.shared.get(value) {
            return Ok(found);
        }
        let found = self.add(value)?;
        self.shared.insert(value.to_owned(), found);
        Ok(found)
    }

    /// An optional string as (offset, length + 1), (0, 0) for none.
    fn optional(&mut self, value: Option<&str>) -> Result<(u32, u32), ProjectionFileError> {
        match value {
            Some(value) => {
                let (offset, len) = self.shared(value)?;
                Ok((
                    offset,
                    len.checked_add(1)
                        .ok_or(ProjectionFileError::TooLarge("string"))?,
                ))
            }
            None => Ok((0, 0)),
        }
    }
}

impl ProjectionData {
    /// Assembles the projection: merges parallel duplicates, sorts edges by subject, builds the
    /// indexes, and checks the result as a load would.
    ///
    /// # Errors
    /// [`ProjectionFileError::TooLarge`] beyond 2³² nodes, edges or bytes of text;
    /// [`ProjectionFileError::Corrupt`] when an index is out of range.
    pub fn assemble(mut self) -> Result<Projection, ProjectionFileError> {
        let (strings, words) = self.encode()?;
        Projection::from_parts(strings, words).map_err(assembly_error)
    }

    fn encode(&mut self) -> Result<(String, Vec<u8>), ProjectionFileError> {
        let edges = merge_edges(std::mem::take(&mut self.edges));
        self.names.sort();
        self.names.dedup();
        if self.attributes.overflow {
            return Err(ProjectionFileError::TooLarge(
                "more than 4 GiB of attribute values",
            ));
        }
        self.attributes.sort();
        let mut strings = Strings {
            text: String::new(),
            shared: HashMap::new(),
        };
        let mut documents: Vec<&str> = Vec::new();
        let mut document_of: HashMap<&str, u32> = HashMap::new();
        for evidence in edges.iter().flat_map(|e| &e.evidence) {
            if !document_of.contains_key(evidence.document.as_str()) {
                document_of.insert(
                    &evidence.document,
                    word_count(documents.len(), "documents")?,
                );
                documents.push(&evidence.document);
            }
        }
        let mut out: Vec<u32> = Vec::new();
        for count in [
            self.nodes.len(),
            edges.len(),
            self.classes.len(),
            self.predicates.len(),
            documents.len(),
            edges.iter().map(|e| e.evidence.len()).sum(),
            self.names.len(),
            self.nodes.iter().map(|n| n.types.len()).sum(),
            self.properties.len(),
            self.literal_types.len(),
            self.attributes.records.len(),
        ] {
            out.push(word_count(count, "too many items")?);
        }
        for (iri, label) in self
            .classes
            .iter()
            .chain(&self.predicates)
            .chain(&self.properties)
        {
            let (iri_at, iri_len) = strings.shared(iri)?;
            let (label_at, label_len) = strings.shared(label)?;
            out.extend([iri_at, iri_len, label_at, label_len]);
        }
        for literal_type in &self.literal_types {
            let ((at, len), language) = match literal_type {
                LiteralTypeData::Datatype(iri) => (strings.shared(iri)?, 0),
                LiteralTypeData::Language(tag) => (strings.shared(tag)?, 1),
            };
            out.extend([at, len, language]);
        }
        for document in &documents {
            let (at, len) = strings.shared(document)?;
            out.extend([at, len]);
        }
        self.encode_nodes(&mut strings, &mut out)?;
        self.encode_attributes(&mut strings, &mut out)?;
        encode_edges(&edges, &document_of, &mut strings, &mut out)?;
        encode_adjacency(self.nodes.len(), &edges, &mut out)?;
        for (folded, node, kind) in &self.names {
            let (at, len) = strings.add(folded)?;
            out.extend([at, len, *node, kind.word()]);
        }
        let mut words = Vec::with_capacity(out.len() * 4);
        for word in out {
            words.extend_from_slice(&word.to_le_bytes());
        }
        Ok((strings.text, words))
    }

    /// Node records, then the list of their classes. Attributes are sorted by node.
    fn encode_nodes(
        &self,
        strings: &mut Strings,
        out: &mut Vec<u32>,
    ) -> Result<(), ProjectionFileError> {
        let records = &self.attributes.records;
        if records
            .last()
            .is_some_and(|r| r.node as usize >= self.nodes.len())
        {
            return Err(assembly_error("an attribute's node is out of range".into()));
        }
        let mut first_type = 0_u32;
        let mut first_attribute = 0_usize;
        for (index, node) in (0_u32..).zip(&self.nodes) {
            let (iri_at, iri_len) = strings.add(&node.iri)?;
            let (id_at, id_len) = strings.add(&node.id)?;
            let (label_at, label_len) = strings.add(&node.label)?;
            let types = word_count(node.types.len(), "node types")?;
            let attributes = records[first_attribute..]
                .iter()
                .take_while(|r| r.node == index)
                .count();
            out.extend([
                iri_at,
                iri_len,
                id_at,
                id_len,
                label_at,
                label_len,
                first_type,
                types,
                word_count(first_attribute, "attributes")?,
                word_count(attributes, "attributes")?,
            ]);
            first_attribute += attributes;
            first_type = first_type
                .checked_add(types)
                .ok_or(ProjectionFileError::TooLarge("node types"))?;
        }
        for node in &self.nodes {
            out.extend(&node.types);
        }
        Ok(())
    }

    /// Attribute records, in node order, their values added to the text.
    fn encode_attributes(
        &self,
        strings: &mut Strings,
        out: &mut Vec<u32>,
    ) -> Result<(), ProjectionFileError> {
        for record in &self.attributes.records {
            let (at, len) = strings.add(self.attributes.value(record))?;
            out.extend([record.property, at, len, record.literal_type]);
        }
        Ok(())
    }
}

/// An inconsistency found while assembling, reported as a load would report it.
fn assembly_error(reason: String) -> ProjectionFileError {
    ProjectionFileError::Corrupt {
        path: PathBuf::from("(assembled)"),
        reason,
    }
}

/// Sorts edges by (subject, object, predicate) and merges duplicates, their evidence sorted
/// and without repeats.
fn merge_edges(mut edges: Vec<EdgeData>) -> Vec<EdgeData> {
    edges.sort_by_key(|e| (e.source, e.target, e.predicate));
    let mut merged: Vec<EdgeData> = Vec::with_capacity(edges.len());
    for edge in edges {
        match merged.last_mut() {
            Some(last)
                if (last.source, last.target, last.predicate)
                    == (edge.source, edge.target, edge.predicate) =>
            {
                last.evidence.extend(edge.evidence);
                // A fact both stated and inferred is a stated one.
                if edge.inferred.is_none() {
                    last.inferred = None;
                }
            }
            _ => merged.push(edge),
        }
    }
    for edge in &mut merged {
        edge.evidence.sort_by(|a, b| {
            (&a.document, a.sentence, &a.date).cmp(&(&b.document, b.sentence, &b.date))
        });
        edge.evidence.dedup();
    }
    merged
}

/// Edge records, then the evidence records they point to.
fn encode_edges(
    edges: &[EdgeData],
    document_of: &HashMap<&str, u32>,
    strings: &mut Strings,
    out: &mut Vec<u32>,
) -> Result<(), ProjectionFileError> {
    let mut first_evidence = 0_u32;
    for edge in edges {
        let count = word_count(edge.evidence.len(), "evidence")?;
        let (rule_at, rule_len) = strings.optional(edge.inferred.as_deref())?;
        out.extend([
            edge.source,
            edge.target,
            edge.predicate,
            first_evidence,
            count,
            rule_at,
            rule_len,
        ]);
        first_evidence = first_evidence
            .checked_add(count)
            .ok_or(ProjectionFileError::TooLarge("evidence"))?;
    }
    for evidence in edges.iter().flat_map(|e| &e.evidence) {
        let document = document_of
            .get(evidence.document.as_str())
            .copied()
            .unwrap_or_default();
        let sentence = match evidence.sentence {
            Some(n) => u32::try_from(n)
                .ok()
                .and_then(|n| n.checked_add(1))
                .ok_or(ProjectionFileError::TooLarge("sentence number"))?,
            None => 0,
        };
        let (date_at, date_len) = strings.optional(evidence.date.as_deref())?;
        let (text_at, text_len) = strings.optional(evidence.text.as_deref())?;
        out.extend([document, sentence, date_at, date_len, text_at, text_len]);
    }
    Ok(())
}

/// Out offsets (edges are sorted by subject, so offsets suffice), then in offsets and the edges
/// grouped by object with their subjects (a counting sort, which keeps subject order within a
/// group).
fn encode_adjacency(
    node_count: usize,
    edges: &[EdgeData],
    out: &mut Vec<u32>,
) -> Result<(), ProjectionFileError> {
    let offsets = |end: fn(&EdgeData) -> u32| {
        let mut offsets = vec![0_u32; node_count + 1];
        for edge in edges {
            offsets[end(edge) as usize + 1] += 1;
        }
        for i in 0..node_count {
            offsets[i + 1] += offsets[i];
        }
        offsets
    };
    out.extend(offsets(|e| e.source));
    let in_offsets = offsets(|e| e.target);
    let mut next = in_offsets.clone();
    // Each in-edge with its subject, so that walking an edge backwards reads no edge record.
    let mut in_edges = vec![0_u32; 2 * edges.len()];
    for (index, edge) in (0_u32..).zip(edges) {
        let slot = &mut next[edge.target as usize];
        let at = 2 * *slot as usize;
        in_edges[at..at + 2].copy_from_slice(&[index, edge.source]);
        *slot += 1;
    }
    word_count(edges.len(), "edges")?;
    out.extend(in_offsets);
    out.extend(in_edges);
    Ok(())
}
