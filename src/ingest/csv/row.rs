//! One row of a table turned into facts with provenance, every problem of the row reported.

use oxigraph::model::{Literal, NamedNode, Term};

use super::header::check_language;
use super::provenance::Provenance;
use super::{Column, Header, PropertyColumn, Row, TableKind, split_multi};
use crate::diagnostic::{Location, Problem, TermKind};
use crate::ingest::entities::EntityIndex;
use crate::ingest::literal;
use crate::schema::{Ontology, ValueKind};
use crate::vocab::{rdf, xsd};

/// One fact a row states.
#[derive(Debug, Clone)]
pub struct Fact {
    /// Subject IRI.
    pub subject: NamedNode,
    /// Predicate IRI.
    pub predicate: NamedNode,
    /// Object: an IRI or a literal.
    pub object: Term,
}

/// The facts of one row, its qualifiers (relation tables) and its provenance.
#[derive(Debug, Clone, Default)]
pub struct RowFacts {
    /// The facts.
    pub facts: Vec<Fact>,
    /// Qualifiers: properties of each fact's statement.
    pub qualifiers: Vec<(NamedNode, Term)>,
    /// Where they come from.
    pub provenance: Provenance,
}

/// What is wrong with a row: errors (the row gives no facts) and warnings.
#[derive(Debug, Default)]
pub struct RowProblems {
    /// Errors, in the order found.
    pub errors: Vec<(Location, Problem)>,
    /// Warnings, in the order found.
    pub warnings: Vec<(Location, Problem)>,
}

/// Turns rows into facts, reporting every problem of a row (not only the first).
pub struct RowReader<'a> {
    /// The ontology terms resolve against.
    pub ontology: &'a Ontology,
    /// Known entities.
    pub entities: &'a EntityIndex,
    /// The table's file name, for locations.
    pub file: &'a std::path::Path,
    /// The table's header.
    pub header: &'a Header,
}

impl RowReader<'_> {
    pub(super) fn at(&self, line: u64, field: usize) -> Location {
        Location::cell(self.file, line, field, &self.header.names[field])
    }

    /// Reads one row. Problems are pushed to `problems`; the facts are returned only when the row
    /// has none.
    pub fn read(&self, row: &Row, problems: &mut RowProblems) -> Option<RowFacts> {
        let before = problems.errors.len();
        let mut out = RowFacts {
            provenance: self.provenance(row, problems),
            ..RowFacts::default()
        };
        match self.header.kind {
            TableKind::Entity => self.entity_row(row, &mut out, problems),
            TableKind::Relation => self.relation_row(row, &mut out, problems),
        }
        (problems.errors.len() == before).then_some(out)
    }

    fn entity_row(&self, row: &Row, out: &mut RowFacts, problems: &mut RowProblems) {
        let Some(id_at) = self.header.position(|c| matches!(c, Column::Id)) else {
            return;
        };
        let id = row.fields[id_at].as_str();
        // Pass one already reported bad and duplicate ids; a row without a usable id is skipped.
        let Some(entity) = self.entities.get(id) else {
            return;
        };
        let subject = entity.iri.clone();
        for (i, column) in self.header.columns.iter().enumerate() {
            let cell = row.fields[i].as_str();
            if cell.is_empty() {
                continue;
            }
            match column {
                Column::Type => {
                    for class in &entity.types {
                        out.facts.push(Fact {
                            subject: subject.clone(),
                            predicate: rdf::TYPE.into_owned(),
                            object: class.clone().into(),
                        });
                    }
                }
                Column::Property(property) => {
                    for object in self.cell_values(property, cell, row.line, i, problems) {
                        self.check_fact(
                            &subject,
                            &entity.types,
                            &property.iri,
                            &object,
                            (row.line, i, i),
                            problems,
                        );
                        out.facts.push(Fact {
                            subject: subject.clone(),
                            predicate: property.iri.clone(),
                            object,
                        });
                    }
                }
                _ => {}
            }
        }
    }

    fn relation_row(&self, row: &Row, out: &mut RowFacts, problems: &mut RowProblems) {
        let cell = |wanted: fn(&Column) -> bool| {
            self.header
                .position(wanted)
                .map(|i| (i, row.fields[i].as_str()))
        };
        let (Some(subject), Some(predicate), Some(object)) = (
            cell(|c| matches!(c, Column::Subject)),
            cell(|c| matches!(c, Column::Predicate)),
            cell(|c| matches!(c, Column::Object)),
        ) else {
            return;
        };
        let subject = self.required(row.line, subject, "subject", problems);
        let predicate = self.required(row.line, predicate, "predicate", problems);
        let object = self.required(row.line, object, "object", problems);
        let subject = subject.and_then(|(i, id)| {
            self.entities
                .resolve(id)
                .map(|resolved| (i, resolved))
                .map_err(|p| problems.errors.push((self.at(row.line, i), p)))
                .ok()
        });
        let predicate =
            predicate.and_then(|cell| self.relation_predicate(row.line, cell, problems));
        let (
            Some((subject_at, (subject, subject_types))),
            Some(predicate),
            Some((object_at, object)),
        ) = (subject, predicate, object)
        else {
            return;
        };
        let datatype = cell(|c| matches!(c, Column::Datatype)).filter(|(_, c)| !c.is_empty());
        let lang = cell(|c| matches!(c, Column::Lang)).filter(|(_, c)| !c.is_empty());
        let Some(object) = self.relation_object(
            row.line,
            &predicate,
            (object_at, object),
            datatype,
            lang,
            problems,
        ) else {
            return;
        };
        self.check_fact(
            &subject,
            &subject_types,
            &predicate,
            &object,
            (row.line, subject_at, object_at),
            problems,
        );
        // A qualifier describes the fact itself: its subject is the fact's rdf:Statement.
        for (i, column) in self.header.columns.iter().enumerate() {
            let Column::Property(qualifier) = column else {
                continue;
            };
            let terms = self.cell_values(qualifier, &row.fields[i], row.line, i, problems);
            if !terms.is_empty() {
                self.check_qualifier_domain(
                    (&subject, &predicate, &object),
                    qualifier,
                    (row.line, i),
                    problems,
                );
            }
            for term in terms {
                self.check_range(&qualifier.iri, &term, (row.line, i), problems);
                out.qualifiers.push((qualifier.iri.clone(), term));
            }
        }
        out.facts.push(Fact {
            subject,
            predicate,
            object,
        });
    }

    /// A required cell, or a problem when it is empty.
    fn required<'c>(
        &self,
        line: u64,
        (i, cell): (usize, &'c str),
        name: &'static str,
        problems: &mut RowProblems,
    ) -> Option<(usize, &'c str)> {
        if cell.is_empty() {
            problems
                .errors
                .push((self.at(line, i), Problem::EmptyRequired(name)));
            None
        } else {
            Some((i, cell))
        }
    }

    /// The `predicate` cell of a relation row: a declared property other than `rdf:type`.
    fn relation_predicate(
        &self,
        line: u64,
        (i, name): (usize, &str),
        problems: &mut RowProblems,
    ) -> Option<NamedNode> {
        match self.ontology.resolve(name, TermKind::Property) {
            Ok(iri) if iri.as_ref() == rdf::TYPE => {
                problems.errors.push((
                    self.at(line, i),
                    Problem::InvalidHeader {
                        header: name.into(),
                        reason: "give classes in the `type` column of the entity table".into(),
                    },
                ));
                None
            }
            Ok(iri) => Some(iri),
            Err(problem) => {
                problems.errors.push((self.at(line, i), problem));
                None
            }
        }
    }

    /// The `object` cell of a relation row, read as the predicate wants: an entity, or a literal
    /// typed by the row's `datatype` or `lang` cells.
    fn relation_object(
        &self,
        line: u64,
        predicate: &NamedNode,
        (object_at, object): (usize, &str),
        datatype: Option<(usize, &str)>,
        lang: Option<(usize, &str)>,
        problems: &mut RowProblems,
    ) -> Option<Term> {
        let property = self.ontology.property(predicate.as_ref());
        let value = property.map_or(ValueKind::Literal, crate::schema::Property::value_kind);
        if value == ValueKind::Entity {
            if let Some((i, _)) = datatype.or(lang) {
                problems.errors.push((
                    self.at(line, i),
                    Problem::InvalidHeader {
                        header: self.header.names[i].as_str().into(),
                        reason: format!(
                            "{} takes entities, so `datatype` and `lang` must be empty",
                            self.ontology.compact(predicate.as_ref())
                        ),
                    },
                ));
            }
            return self.entity_value(object, line, object_at, problems);
        }
        let column = PropertyColumn {
            iri: predicate.clone(),
            lang: None,
            datatype: None,
            multi: false,
            value,
        };
        let datatype = datatype.and_then(|(i, name)| {
            self.ontology
                .resolve(name, TermKind::Datatype)
                .map_err(|p| problems.errors.push((self.at(line, i), p)))
                .ok()
        });
        let lang = lang.and_then(|(i, tag)| {
            check_language(tag)
                .map_err(|p| problems.errors.push((self.at(line, i), p)))
                .ok()
        });
        self.literal_value(object, &column, datatype, lang, (line, object_at), problems)
    }

    /// The terms of a property cell: one value, or several for a `[]` column; empty cells give
    /// none.
    fn cell_values(
        &self,
        column: &PropertyColumn,
        cell: &str,
        line: u64,
        field: usize,
        problems: &mut RowProblems,
    ) -> Vec<Term> {
        if cell.is_empty() {
            return Vec::new();
        }
        let values = if column.multi {
            split_multi(cell)
        } else {
            vec![cell.to_owned()]
        };
        values
            .iter()
            .filter_map(|value| match column.value {
                ValueKind::Entity => self.entity_value(value, line, field, problems),
                ValueKind::Literal => {
                    self.literal_value(value, column, None, None, (line, field), problems)
                }
            })
            .collect()
    }

    /// A cell naming an entity: an id, or `<iri>` for something outside the data.
    fn entity_value(
        &self,
        cell: &str,
        line: u64,
        field: usize,
        problems: &mut RowProblems,
    ) -> Option<Term> {
        if let Some(inner) = cell.strip_prefix('<').and_then(|c| c.strip_suffix('>')) {
            return match NamedNode::new(inner) {
                Ok(iri) => Some(iri.into()),
                Err(e) => {
                    problems.errors.push((
                        self.at(line, field),
                        Problem::InvalidIri {
                            iri: inner.into(),
                            reason: e.to_string().into(),
                        },
                    ));
                    None
                }
            };
        }
        match self.entities.resolve(cell) {
            Ok((iri, _)) => Some(iri.into()),
            Err(problem) => {
                problems.errors.push((self.at(line, field), problem));
                None
            }
        }
    }

    /// A literal cell, typed by (in order) the relation row's `datatype`, the header's `^^`, the
    /// language, the property's range, else `xsd:string`; then checked against that datatype.
    fn literal_value(
        &self,
        cell: &str,
        column: &PropertyColumn,
        row_datatype: Option<NamedNode>,
        row_lang: Option<String>,
        (line, field): (u64, usize),
        problems: &mut RowProblems,
    ) -> Option<Term> {
        let property = self.ontology.property(column.iri.as_ref());
        if let Some(lang) = row_lang.or_else(|| column.lang.clone()) {
            return Some(
                Literal::new_language_tagged_literal_unchecked(cell, lang.to_ascii_lowercase())
                    .into(),
            );
        }
        let given = row_datatype
            .or_else(|| column.datatype.clone())
            .or_else(|| {
                property
                    .and_then(crate::schema::Property::default_datatype)
                    .map(oxigraph::model::NamedNodeRef::into_owned)
            });
        let Some(datatype) = given else {
            self.check_date_shape(cell, column, (line, field), problems);
            return Some(Literal::new_simple_literal(cell).into());
        };
        if let Err(reason) = literal::check(cell, datatype.as_ref()) {
            problems.errors.push((
                self.at(line, field),
                Problem::InvalidLiteral {
                    value: cell.into(),
                    datatype: self.ontology.compact(datatype.as_ref()).into(),
                    reason: reason.into(),
                },
            ));
            return None;
        }
        Some(Literal::new_typed_literal(cell, datatype).into())
    }

    /// Classes as messages name them: `pto:Person and pto:Envoy`, or `untyped`.
    fn class_names(&self, classes: &[NamedNode]) -> String {
        if classes.is_empty() {
            return "untyped".to_owned();
        }
        classes
            .iter()
            .map(|c| self.ontology.compact(c.as_ref()))
            .collect::<Vec<_>>()
            .join(" and ")
    }

    /// Checks a fact against the property's domain and range.
    fn check_fact(
        &self,
        subject: &NamedNode,
        subject_types: &[NamedNode],
        predicate: &NamedNode,
        object: &Term,
        (line, subject_field, field): (u64, usize, usize),
        problems: &mut RowProblems,
    ) {
        let Some(property) = self.ontology.property(predicate.as_ref()) else {
            return;
        };
        for any_of in &property.domains {
            if !self.ontology.satisfies(subject_types, any_of) {
                problems.errors.push((
                    self.at(line, subject_field),
                    Problem::Domain {
                        subject: self.entities.display(subject).into(),
                        property: self.ontology.compact(predicate.as_ref()).into(),
                        expected: self.class_names(any_of).replace(" and ", " or "),
                        actual: self.class_names(subject_types),
                    },
                ));
            }
        }
        self.check_range(predicate, object, (line, field), problems);
    }

    /// Checks that a qualifier's property admits the statement it describes (an
    /// `rdf:Statement`) in its domain.
    fn check_qualifier_domain(
        &self,
        (subject, predicate, object): (&NamedNode, &NamedNode, &Term),
        qualifier: &PropertyColumn,
        (line, field): (u64, usize),
        problems: &mut RowProblems,
    ) {
        let Some(property) = self.ontology.property(qualifier.iri.as_ref()) else {
            return;
        };
        let statement = [rdf::STATEMENT.into_owned()];
        for any_of in &property.domains {
            if !self.ontology.satisfies(&statement, any_of) {
                let object = match object {
                    Term::NamedNode(iri) => self.entities.display(iri),
                    other => other.to_string(),
                };
                problems.errors.push((
                    self.at(line, field),
                    Problem::QualifierDomain {
                        statement: format!(
                            "{} {} {object}",
                            self.entities.display(subject),
                            self.ontology.compact(predicate.as_ref())
                        )
                        .into(),
                        property: self.ontology.compact(qualifier.iri.as_ref()).into(),
                        expected: self.class_names(any_of).replace(" and ", " or "),
                    },
                ));
            }
        }
    }

    /// Checks a value against the property's range.
    fn check_range(
        &self,
        predicate: &NamedNode,
        object: &Term,
        (line, field): (u64, usize),
        problems: &mut RowProblems,
    ) {
        let Some(property) = self.ontology.property(predicate.as_ref()) else {
            return;
        };
        let compact_predicate = || self.ontology.compact(predicate.as_ref()).into();
        match object {
            Term::NamedNode(iri) => {
                if !property.datatype_ranges.is_empty() {
                    problems.errors.push((
                        self.at(line, field),
                        Problem::Range {
                            object: self.entities.display(iri).into(),
                            property: compact_predicate(),
                            expected: "a literal".into(),
                            actual: "an entity".into(),
                        },
                    ));
                }
                // Things outside the data (`<iri>` cells) have no known classes to check.
                let Some(types) = self.entities.types_of(iri) else {
                    return;
                };
                for any_of in &property.class_ranges {
                    if !self.ontology.satisfies(types, any_of) {
                        problems.errors.push((
                            self.at(line, field),
                            Problem::Range {
                                object: self.entities.display(iri).into(),
                                property: compact_predicate(),
                                expected: self.class_names(any_of).replace(" and ", " or "),
                                actual: self.class_names(types),
                            },
                        ));
                    }
                }
            }
            Term::Literal(literal) => {
                if !property.class_ranges.is_empty() {
                    problems.errors.push((
                        self.at(line, field),
                        Problem::LiteralForObjectProperty {
                            property: compact_predicate(),
                            expected: self.class_names(&property.class_ranges.concat()),
                        },
                    ));
                }
                for any_of in &property.datatype_ranges {
                    if !any_of
                        .iter()
                        .any(|d| datatype_fits(literal.datatype(), d.as_ref()))
                    {
                        problems.errors.push((
                            self.at(line, field),
                            Problem::DatatypeMismatch {
                                property: compact_predicate(),
                                expected: self.class_names(any_of).replace(" and ", " or "),
                                actual: self.ontology.compact(literal.datatype()),
                            },
                        ));
                    }
                }
            }
            Term::BlankNode(_) => {}
        }
    }

    /// Warns about a cell stored as a plain string for want of a datatype that has the shape of
    /// a date: the curator probably meant a date (the caller says it once per column).
    fn check_date_shape(
        &self,
        cell: &str,
        column: &PropertyColumn,
        (line, field): (u64, usize),
        problems: &mut RowProblems,
    ) {
        let Some(date) = literal::parse_date(cell) else {
            return;
        };
        let shape = date.datatype();
        if ![xsd::DATE, xsd::DATE_TIME, xsd::G_YEAR_MONTH].contains(&shape) {
            return;
        }
        let shape = self.ontology.compact(shape);
        let header = &self.header.names[field];
        let fix = if matches!(self.header.columns[field], Column::Property(_)) {
            format!("write `{header}^^{shape}` in the header to type the column")
        } else {
            format!("give `{shape}` in a `datatype` column of the row to type it")
        };
        problems.warnings.push((
            self.at(line, field),
            Problem::DateAsString {
                value: cell.into(),
                property: self.ontology.compact(column.iri.as_ref()).into(),
                shape,
                fix,
            },
        ));
    }
}

/// Whether a literal of datatype `actual` fits a range of datatype `range` (equality, plus the
/// XSD derivations people rely on: every integer type is an `xsd:integer` and an `xsd:decimal`).
fn datatype_fits(
    actual: oxigraph::model::NamedNodeRef<'_>,
    range: oxigraph::model::NamedNodeRef<'_>,
) -> bool {
    use crate::vocab::rdfs;
    if actual == range || range == rdfs::LITERAL {
        return true;
    }
    let is_integer = crate::vocab::XSD_INTEGER_TYPES.contains(&actual);
    (range == xsd::INTEGER || range == xsd::DECIMAL) && is_integer
}
