//! A table's header: which kind of table it is, and what each column means (reserved columns,
//! properties with their language, datatype and multi-value modifiers).

use std::collections::HashMap;

use oxigraph::model::{Literal, NamedNode};

use crate::diagnostic::{Problem, TermKind};
use crate::schema::{Ontology, ValueKind};

/// Which kind of table a CSV file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// One entity per row.
    Entity,
    /// One fact per row.
    Relation,
}

/// A property column (an entity attribute or a relation qualifier) with its header modifiers.
#[derive(Debug, Clone)]
pub struct PropertyColumn {
    /// The property.
    pub iri: NamedNode,
    /// `@lang`: cells are strings in this language.
    pub lang: Option<String>,
    /// `^^datatype`: cells have this datatype.
    pub datatype: Option<NamedNode>,
    /// `[]`: cells hold `|`-separated values.
    pub multi: bool,
    /// Whether cells name entities or hold literals.
    pub value: ValueKind,
}

/// What one column means.
#[derive(Debug, Clone)]
pub enum Column {
    /// `id` (entity tables).
    Id,
    /// `type` (entity tables).
    Type,
    /// `source`: the document stating the row.
    Source,
    /// `sentences`: sentence numbers in the source.
    Sentences,
    /// `date`: when the row's facts held.
    Date,
    /// `subject` (relation tables).
    Subject,
    /// `predicate` (relation tables).
    Predicate,
    /// `object` (relation tables).
    Object,
    /// `datatype` of a literal object (relation tables).
    Datatype,
    /// `lang` of a literal object (relation tables).
    Lang,
    /// `status` of a candidate table (`proposed`, `accepted`, `rejected`): only accepted rows
    /// are read.
    Status,
    /// `span` of a candidate table: `start-end`, the characters of the source's text the row
    /// rests on.
    Span,
    /// A review column of a candidate table (`confidence`, `rule`, `text`): for the reviewer,
    /// not data.
    Review,
    /// Any other column: a property.
    Property(PropertyColumn),
}

/// A parsed header.
#[derive(Debug, Clone)]
pub struct Header {
    /// Entity or relation table.
    pub kind: TableKind,
    /// One entry per field.
    pub columns: Vec<Column>,
    /// The header text of each field.
    pub names: Vec<String>,
}

impl Header {
    /// Reads a header line; problems carry the field number.
    ///
    /// # Errors
    /// Every problem of the header (blank or duplicate names, unknown properties, an unknown table
    /// kind), each with the 1-based field number it concerns (0 for the whole line).
    pub fn parse(names: Vec<String>, ontology: &Ontology) -> Result<Self, Vec<(usize, Problem)>> {
        let mut problems = Vec::new();
        // Each name's first column, to find duplicates in one pass (a header may be huge).
        let mut first_at: HashMap<&str, usize> = HashMap::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            if name.trim().is_empty() {
                problems.push((i + 1, Problem::BlankHeader));
            } else if let Some(first) = first_at.get(name.as_str()) {
                problems.push((
                    i + 1,
                    Problem::DuplicateHeader {
                        name: name.into(),
                        first: *first as u64 + 1,
                    },
                ));
            } else {
                first_at.insert(name, i);
            }
        }
        let has = |n: &str| first_at.contains_key(n);
        let kind = if has("id") && !has("subject") {
            TableKind::Entity
        } else if has("subject") || has("predicate") || has("object") {
            for required in ["subject", "predicate", "object"] {
                if !has(required) {
                    problems.push((0, Problem::MissingColumn(required)));
                }
            }
            TableKind::Relation
        } else {
            problems.push((0, Problem::UnknownTableKind));
            return Err(problems);
        };
        // A `status` column makes a candidate table (what `kg ingest` writes): its review
        // columns are reserved too.
        let candidate = has("status");
        let mut columns = Vec::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            let column = match (kind, name.as_str()) {
                (_, "status") => Column::Status,
                (_, "span") if candidate => Column::Span,
                (_, "confidence" | "rule" | "text") if candidate => Column::Review,
                (TableKind::Entity, "id") => Column::Id,
                (TableKind::Entity, "type") => Column::Type,
                (TableKind::Relation, "subject") => Column::Subject,
                (TableKind::Relation, "predicate") => Column::Predicate,
                (TableKind::Relation, "object") => Column::Object,
                (TableKind::Relation, "datatype") => Column::Datatype,
                (TableKind::Relation, "lang") => Column::Lang,
                (_, "source") => Column::Source,
                (_, "sentences") => Column::Sentences,
                (_, "date") => Column::Date,
                _ => match parse_property_header(name, ontology) {
                    Ok(column) => Column::Property(column),
                    Err(problem) => {
                        problems.push((i + 1, problem));
                        continue;
                    }
                },
            };
            columns.push(column);
        }
        if problems.is_empty() {
            Ok(Self {
                kind,
                columns,
                names,
            })
        } else {
            Err(problems)
        }
    }

    /// The index of the first column matching `pred`.
    pub fn position(&self, pred: impl Fn(&Column) -> bool) -> Option<usize> {
        self.columns.iter().position(pred)
    }
}

/// `property[@lang | ^^datatype][[]]`.
fn parse_property_header(header: &str, ontology: &Ontology) -> Result<PropertyColumn, Problem> {
    let invalid = |reason: &str| Problem::InvalidHeader {
        header: header.into(),
        reason: reason.to_owned(),
    };
    let (rest, multi) = match header.strip_suffix("[]") {
        Some(rest) => (rest, true),
        None => (header, false),
    };
    // A full IRI may itself contain `@` or `^`: modifiers start after its closing `>`.
    let split_at = if rest.starts_with('<') {
        rest.find('>').map_or(rest.len(), |i| i + 1)
    } else {
        0
    };
    let (name, modifier) = match rest[split_at..].find(['@', '^']) {
        Some(i) => rest.split_at(split_at + i),
        None => (rest, ""),
    };
    let iri = ontology.resolve(name, TermKind::Property)?;
    let property = ontology.property(iri.as_ref());
    let value = property.map_or(ValueKind::Entity, crate::schema::Property::value_kind);
    let (mut lang, mut datatype) = (None, None);
    if let Some(tag) = modifier.strip_prefix('@') {
        lang = Some(check_language(tag)?);
    } else if let Some(name) = modifier.strip_prefix("^^") {
        datatype = Some(ontology.resolve(name, TermKind::Datatype)?);
    } else if !modifier.is_empty() {
        return Err(invalid(
            "modifiers are `@lang`, `^^datatype` and a final `[]`",
        ));
    }
    if value == ValueKind::Entity && (lang.is_some() || datatype.is_some()) {
        return Err(invalid(
            "an entity-valued property takes no `@lang` or `^^datatype`",
        ));
    }
    Ok(PropertyColumn {
        iri,
        lang,
        datatype,
        multi,
        value,
    })
}

pub(super) fn check_language(tag: &str) -> Result<String, Problem> {
    Literal::new_language_tagged_literal("", tag)
        .map(|l| l.language().unwrap_or(tag).to_owned())
        .map_err(|e| Problem::InvalidLanguageTag {
            tag: tag.into(),
            reason: e.to_string().into(),
        })
}
