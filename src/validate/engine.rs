//! Validation itself: the focus nodes of each shape's targets, the value nodes of its path, and
//! each constraint checked on them, as [SHACL](https://www.w3.org/TR/shacl/#validation) says.
//! Shapes that refer to shapes (`sh:node`, `sh:not`, `sh:and`, `sh:or`, `sh:xone`,
//! `sh:qualifiedValueShape`) ask whether a node conforms; answers are remembered, and a
//! question that depends on itself (recursive shapes, which SHACL leaves undefined) is answered
//! "conforms" instead of looping.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use oxigraph::model::Term;

use super::ValidateError;
use super::constraint::{Constraint, compare, has_datatype, lang_matches, string_of};
use super::graph::DataGraph;
use super::path::Path;
use super::pattern::PatternCache;
use super::report::{ValidationReport, ValidationResult};
use super::shapes::{Shape, ShapeId, Shapes, Target, subclasses};
use super::vocab::rdf;

/// Validates the data graph against the shapes.
///
/// # Errors
/// When the data graph cannot be read.
pub fn validate<G: DataGraph + ?Sized>(
    data: &G,
    shapes: &Shapes,
) -> Result<ValidationReport, ValidateError> {
    let validator = Validator {
        data,
        shapes,
        patterns: PatternCache::default(),
        known: RefCell::new(HashMap::new()),
        open: RefCell::new(HashSet::new()),
        instances: RefCell::new(HashMap::new()),
    };
    let mut results = Vec::new();
    for (id, shape) in shapes.iter() {
        if shape.deactivated || shape.targets.is_empty() {
            continue;
        }
        let focus_nodes = validator.focus_nodes(shape)?;
        validator.prefetch_patterns(id, &focus_nodes)?;
        for focus in focus_nodes {
            validator.check(id, &focus, &mut results)?;
        }
    }
    Ok(ValidationReport::new(results))
}

struct Validator<'a, G: ?Sized> {
    data: &'a G,
    shapes: &'a Shapes,
    patterns: PatternCache,
    /// Whether (shape, node) conforms, once known.
    known: RefCell<HashMap<(ShapeId, Term), bool>>,
    /// The (shape, node) questions being answered now.
    open: RefCell<HashSet<(ShapeId, Term)>>,
    /// The SHACL instances of each class asked about.
    instances: RefCell<HashMap<Term, HashSet<Term>>>,
}

impl<G: DataGraph + ?Sized> Validator<'_, G> {
    fn focus_nodes(&self, shape: &Shape) -> Result<Vec<Term>, ValidateError> {
        let mut nodes = Vec::new();
        let mut seen = HashSet::new();
        let mut add = |node: Term, nodes: &mut Vec<Term>| {
            if seen.insert(node.clone()) {
                nodes.push(node);
            }
        };
        for target in &shape.targets {
            match target {
                Target::Node(node) => add(node.clone(), &mut nodes),
                Target::Class(class) => {
                    for class in subclasses(self.data, class)? {
                        for node in self.data.subjects(rdf::TYPE, &class)? {
                            add(node, &mut nodes);
                        }
                    }
                }
                Target::SubjectsOf(p) => {
                    for (s, _) in self.data.with_predicate(p.as_ref())? {
                        add(s, &mut nodes);
                    }
                }
                Target::ObjectsOf(p) => {
                    for (_, o) in self.data.with_predicate(p.as_ref())? {
                        add(o, &mut nodes);
                    }
                }
            }
        }
        Ok(nodes)
    }

    /// The value nodes of shape `id` at `focus`.
    fn values(&self, id: ShapeId, focus: &Term) -> Result<Vec<Term>, ValidateError> {
        match &self.shapes.get(id).path {
            Some(path) => path.values(self.data, focus),
            None => Ok(vec![focus.clone()]),
        }
    }

    /// Checks at once the strings that the `sh:pattern`s of shape `id` and of its
    /// `sh:property` shapes will meet at these focus nodes (patterns deeper down are checked
    /// string by string as they come).
    fn prefetch_patterns(&self, id: ShapeId, focus_nodes: &[Term]) -> Result<(), ValidateError> {
        let has_patterns = |id: ShapeId| {
            self.shapes
                .get(id)
                .constraints
                .iter()
                .any(|c| matches!(c, Constraint::Pattern(_)))
        };
        let nested: Vec<ShapeId> = self
            .shapes
            .get(id)
            .constraints
            .iter()
            .filter_map(|c| match c {
                Constraint::Property(p) if has_patterns(*p) => Some(*p),
                _ => None,
            })
            .collect();
        if !has_patterns(id) && nested.is_empty() {
            return Ok(());
        }
        let mut texts: Vec<(ShapeId, Vec<Term>)> = vec![(id, Vec::new())];
        texts.extend(nested.iter().map(|&p| (p, Vec::new())));
        for focus in focus_nodes {
            let values = self.values(id, focus)?;
            for value in &values {
                for (shape, found) in texts.iter_mut().skip(1) {
                    found.extend(self.values(*shape, value)?);
                }
            }
            texts[0].1.extend(values);
        }
        for (shape, values) in &texts {
            for constraint in &self.shapes.get(*shape).constraints {
                if let Constraint::Pattern(pattern) = constraint {
                    self.patterns
                        .prefetch(pattern, values.iter().filter_map(string_of));
                }
            }
        }
        Ok(())
    }

    /// Whether `node` conforms to shape `id`.
    fn conforms(&self, id: ShapeId, node: &Term) -> Result<bool, ValidateError> {
        let key = (id, node.clone());
        if let Some(&known) = self.known.borrow().get(&key) {
            return Ok(known);
        }
        if !self.open.borrow_mut().insert(key.clone()) {
            // Recursion: the question depends on itself.
            return Ok(true);
        }
        let mut results = Vec::new();
        let checked = self.check(id, node, &mut results);
        self.open.borrow_mut().remove(&key);
        checked?;
        let conforms = results.is_empty();
        self.known.borrow_mut().insert(key, conforms);
        Ok(conforms)
    }

    /// Whether `node` is a SHACL instance of `class` (`rdf:type/rdfs:subClassOf*`).
    fn is_instance(&self, node: &Term, class: &Term) -> Result<bool, ValidateError> {
        if matches!(node, Term::Literal(_)) {
            return Ok(false);
        }
        if let Some(members) = self.instances.borrow().get(class) {
            return Ok(members.contains(node));
        }
        let mut members = HashSet::new();
        for class in subclasses(self.data, class)? {
            members.extend(self.data.subjects(rdf::TYPE, &class)?);
        }
        let found = members.contains(node);
        self.instances.borrow_mut().insert(class.clone(), members);
        Ok(found)
    }

    /// Checks `focus` against shape `id`, adding a result for each failure.
    fn check(
        &self,
        id: ShapeId,
        focus: &Term,
        results: &mut Vec<ValidationResult>,
    ) -> Result<(), ValidateError> {
        let shape = self.shapes.get(id);
        if shape.deactivated {
            return Ok(());
        }
        let values = self.values(id, focus)?;
        for constraint in &shape.constraints {
            self.check_constraint(shape, constraint, focus, &values, results)?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_lines)]
    fn check_constraint(
        &self,
        shape: &Shape,
        constraint: &Constraint,
        focus: &Term,
        values: &[Term],
        results: &mut Vec<ValidationResult>,
    ) -> Result<(), ValidateError> {
        let result = |value: Option<&Term>, detail: String| ValidationResult {
            focus_node: focus.clone(),
            path: shape.path.clone(),
            value: value.cloned(),
            source_shape: shape.id.clone(),
            component: constraint.component().into_owned(),
            severity: shape.severity.clone(),
            messages: shape.messages.clone(),
            detail,
            origin: None,
        };
        let each = |fails: &dyn Fn(&Term) -> Result<bool, ValidateError>,
                    detail: &dyn Fn(&Term) -> String,
                    results: &mut Vec<ValidationResult>|
         -> Result<(), ValidateError> {
            for value in values {
                if fails(value)? {
                    results.push(result(Some(value), detail(value)));
                }
            }
            Ok(())
        };
        match constraint {
            Constraint::Class(class) => each(
                &|v| Ok(!self.is_instance(v, class)?),
                &|_| format!("not an instance of {class}"),
                results,
            )?,
            Constraint::Datatype(datatype) => each(
                &|v| Ok(!has_datatype(v, datatype.as_ref())),
                &|_| format!("not a well-formed literal of type {datatype}"),
                results,
            )?,
            Constraint::NodeKind(kind) => each(
                &|v| Ok(!kind.matches(v)),
                &|_| format!("not of node kind sh:{}", kind.name()),
                results,
            )?,
            Constraint::MinCount(min) => {
                if (values.len() as u64) < *min {
                    let detail = format!(
                        "{}, fewer than the {min} needed",
                        values_text(values.len() as u64)
                    );
                    results.push(result(None, detail));
                }
            }
            Constraint::MaxCount(max) => {
                if values.len() as u64 > *max {
                    let detail = format!(
                        "{}, more than the {max} allowed",
                        values_text(values.len() as u64)
                    );
                    results.push(result(None, detail));
                }
            }
            Constraint::MinExclusive(bound) => each(
                &|v| Ok(compare(v, bound) != Some(Ordering::Greater)),
                &|_| format!("not greater than {bound}"),
                results,
            )?,
            Constraint::MinInclusive(bound) => each(
                &|v| {
                    Ok(!matches!(
                        compare(v, bound),
                        Some(Ordering::Greater | Ordering::Equal)
                    ))
                },
                &|_| format!("less than {bound}"),
                results,
            )?,
            Constraint::MaxExclusive(bound) => each(
                &|v| Ok(compare(v, bound) != Some(Ordering::Less)),
                &|_| format!("not less than {bound}"),
                results,
            )?,
            Constraint::MaxInclusive(bound) => each(
                &|v| {
                    Ok(!matches!(
                        compare(v, bound),
                        Some(Ordering::Less | Ordering::Equal)
                    ))
                },
                &|_| format!("greater than {bound}"),
                results,
            )?,
            Constraint::MinLength(min) => each(
                &|v| Ok(string_of(v).is_none_or(|s| (s.chars().count() as u64) < *min)),
                &|_| format!("shorter than {min} characters"),
                results,
            )?,
            Constraint::MaxLength(max) => each(
                &|v| Ok(string_of(v).is_none_or(|s| s.chars().count() as u64 > *max)),
                &|_| format!("longer than {max} characters"),
                results,
            )?,
            Constraint::Pattern(pattern) => each(
                &|v| Ok(string_of(v).is_none_or(|s| !self.patterns.matches(pattern, s))),
                &|_| format!("does not match the pattern {:?}", pattern.pattern),
                results,
            )?,
            Constraint::LanguageIn(ranges) => each(
                &|v| {
                    let tag = match v {
                        Term::Literal(l) => l.language(),
                        _ => None,
                    };
                    Ok(!tag.is_some_and(|t| ranges.iter().any(|r| lang_matches(t, r))))
                },
                &|_| format!("not in one of the languages {}", ranges.join(", ")),
                results,
            )?,
            Constraint::UniqueLang => {
                let mut counts: Vec<(String, usize)> = Vec::new();
                for value in values {
                    if let Term::Literal(l) = value
                        && let Some(tag) = l.language()
                    {
                        let tag = tag.to_ascii_lowercase();
                        match counts.iter_mut().find(|(t, _)| *t == tag) {
                            Some((_, n)) => *n += 1,
                            None => counts.push((tag, 1)),
                        }
                    }
                }
                for (tag, n) in counts.into_iter().filter(|(_, n)| *n > 1) {
                    results.push(result(None, format!("{n} values in language {tag:?}")));
                }
            }
            Constraint::Equals(p) => {
                let others = self.data.objects(focus, p.as_ref())?;
                for value in values.iter().filter(|v| !others.contains(v)) {
                    results.push(result(Some(value), format!("not a value of {p}")));
                }
                for other in others.iter().filter(|o| !values.contains(o)) {
                    results.push(result(Some(other), format!("a value of {p} only")));
                }
            }
            Constraint::Disjoint(p) => {
                let others = self.data.objects(focus, p.as_ref())?;
                for value in values.iter().filter(|v| others.contains(v)) {
                    results.push(result(Some(value), format!("also a value of {p}")));
                }
            }
            Constraint::LessThan(p) | Constraint::LessThanOrEquals(p) => {
                let or_equal = matches!(constraint, Constraint::LessThanOrEquals(_));
                let others = self.data.objects(focus, p.as_ref())?;
                for value in values {
                    for other in &others {
                        let ok = match compare(value, other) {
                            Some(Ordering::Less) => true,
                            Some(Ordering::Equal) => or_equal,
                            _ => false,
                        };
                        if !ok {
                            let relation = if or_equal {
                                "less than or equal to"
                            } else {
                                "less than"
                            };
                            results.push(result(
                                Some(value),
                                format!("not {relation} {other}, a value of {p}"),
                            ));
                        }
                    }
                }
            }
            Constraint::Not(other) => each(
                &|v| self.conforms(*other, v),
                &|_| {
                    format!(
                        "conforms to {}, which it must not",
                        self.shapes.get(*other).id
                    )
                },
                results,
            )?,
            Constraint::And(members) => each(
                &|v| {
                    for member in members {
                        if !self.conforms(*member, v)? {
                            return Ok(true);
                        }
                    }
                    Ok(false)
                },
                &|_| "does not conform to every shape of sh:and".to_owned(),
                results,
            )?,
            Constraint::Or(members) => each(
                &|v| {
                    for member in members {
                        if self.conforms(*member, v)? {
                            return Ok(false);
                        }
                    }
                    Ok(true)
                },
                &|_| "conforms to none of the shapes of sh:or".to_owned(),
                results,
            )?,
            Constraint::Xone(members) => each(
                &|v| {
                    let mut count = 0;
                    for member in members {
                        if self.conforms(*member, v)? {
                            count += 1;
                        }
                    }
                    Ok(count != 1)
                },
                &|_| "does not conform to exactly one shape of sh:xone".to_owned(),
                results,
            )?,
            Constraint::Node(other) => each(
                &|v| Ok(!self.conforms(*other, v)?),
                &|_| format!("does not conform to {}", self.shapes.get(*other).id),
                results,
            )?,
            Constraint::Property(other) => {
                for value in values {
                    self.check(*other, value, results)?;
                }
            }
            Constraint::QualifiedMinCount {
                shape: q,
                count,
                siblings,
            }
            | Constraint::QualifiedMaxCount {
                shape: q,
                count,
                siblings,
            } => {
                let mut conforming = 0u64;
                for value in values {
                    if !self.conforms(*q, value)? {
                        continue;
                    }
                    let mut in_sibling = false;
                    for sibling in siblings {
                        if self.conforms(*sibling, value)? {
                            in_sibling = true;
                            break;
                        }
                    }
                    if !in_sibling {
                        conforming += 1;
                    }
                }
                let min = matches!(constraint, Constraint::QualifiedMinCount { .. });
                if min && conforming < *count {
                    results.push(result(
                        None,
                        format!(
                            "{} conform to the qualified shape, fewer than the {count} needed",
                            values_text(conforming)
                        ),
                    ));
                } else if !min && conforming > *count {
                    results.push(result(
                        None,
                        format!(
                            "{} conform to the qualified shape, more than the {count} allowed",
                            values_text(conforming)
                        ),
                    ));
                }
            }
            Constraint::Closed(allowed) => {
                for value in values {
                    for (p, o) in self.data.outgoing(value)? {
                        if !allowed.contains(&p) {
                            let mut r =
                                result(Some(&o), format!("{p} is not allowed by the closed shape"));
                            r.focus_node = focus.clone();
                            r.path = Some(Path::Predicate(p));
                            results.push(r);
                        }
                    }
                }
            }
            Constraint::HasValue(expected) => {
                if !values.contains(expected) {
                    results.push(result(None, format!("no value {expected}")));
                }
            }
            Constraint::In(members) => each(
                &|v| Ok(!members.contains(v)),
                &|_| format!("not one of {}", list_text(members)),
                results,
            )?,
        }
        Ok(())
    }
}

/// Terms joined for a message.
fn list_text(terms: &[Term]) -> String {
    terms
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// "no value", "1 value", "3 values".
fn values_text(count: impl Into<u64>) -> String {
    match count.into() {
        0 => "no value".to_owned(),
        1 => "1 value".to_owned(),
        n => format!("{n} values"),
    }
}
