//! How the property-graph view decides its attributes: the literal keys and their types, each
//! node's most specific class and the legend, and the colour of each class.

use std::collections::{BTreeMap, HashMap, HashSet};

use oxigraph::model::NamedNodeRef;

use super::{Key, NODE_FIELDS, Scan, Value, ValueKind};
use crate::export::select::Subgraph;
use crate::graph::Projection;
use crate::iri::local_name;
use crate::read::SchemaView;
use crate::vocab::{XSD_INTEGER_TYPES, rdfs, xsd};

/// The literal keys and, for each projection property, its key.
type LiteralKeys = (Vec<Key>, Vec<Option<usize>>);

/// The literal attribute keys of the selected nodes, by property IRI: one pass over their
/// attributes decides each key's name and type.
pub(super) fn literal_keys(projection: &Projection, subgraph: &Subgraph) -> LiteralKeys {
    let mut scans: Vec<Option<Scan>> = Vec::new();
    scans.resize_with(projection.property_count(), || None);
    // Labels and descriptions have their own fields.
    let own_field: Vec<bool> = projection
        .properties()
        .map(|p| p.iri == rdfs::LABEL.as_str() || p.iri == rdfs::COMMENT.as_str())
        .collect();
    for &n in &subgraph.nodes {
        // A node's attributes come grouped by property.
        let mut previous: Option<u32> = None;
        for attribute in projection.node(n).attributes() {
            let property = attribute.property;
            if own_field[property as usize] {
                continue;
            }
            let scan = scans[property as usize].get_or_insert_with(Scan::default);
            scan.see(attribute.datatype(), attribute.value);
            if previous == Some(property) {
                scan.multiple = true;
            }
            previous = Some(property);
        }
    }
    let mut scans: Vec<(&str, &str, u32, Scan)> = (0_u32..)
        .zip(scans)
        .filter_map(|(property, scan)| {
            let term = projection.property(property);
            Some((term.iri, term.label, property, scan?))
        })
        .collect();
    scans.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut key_of = vec![None; projection.property_count()];
    for (k, scan) in scans.iter().enumerate() {
        key_of[scan.2 as usize] = Some(k);
    }
    let keys = named_keys(
        scans
            .into_iter()
            .map(|(predicate, label, _, scan)| (predicate, label, scan)),
        &NODE_FIELDS,
    );
    (keys, key_of)
}

/// Keys for properties, in the order given: each named by its label, else its local name, else
/// its IRI (the first not taken by a fixed field or an earlier key), typed as its scan found
/// (text when some item has several values or a value does not fit).
pub(super) fn named_keys<'p>(
    scans: impl IntoIterator<Item = (&'p str, &'p str, Scan)>,
    fixed: &[&str],
) -> Vec<Key> {
    let mut keys: Vec<Key> = Vec::new();
    let mut taken: HashSet<String> = fixed.iter().map(|f| (*f).to_owned()).collect();
    for (predicate, label, scan) in scans {
        let candidates = [label, local_name(predicate), predicate];
        let name = candidates
            .into_iter()
            .find(|name| !name.is_empty() && !taken.contains(*name))
            .map_or_else(|| format!("{predicate}#{}", keys.len()), str::to_owned);
        taken.insert(name.clone());
        let kind = if scan.multiple || scan.misfit {
            ValueKind::String
        } else {
            scan.kind.unwrap_or(ValueKind::String)
        };
        keys.push(Key {
            name,
            kind,
            predicate: predicate.to_owned(),
        });
    }
    keys
}

impl Scan {
    /// Takes one value (its datatype IRI and lexical form) into account.
    pub(super) fn see(&mut self, datatype: &str, lexical: &str) {
        let kind = kind_of(datatype);
        if typed_value(kind, lexical).is_none() {
            self.misfit = true;
        }
        self.kind = Some(match self.kind {
            None => kind,
            Some(k) if k == kind => k,
            Some(_) => ValueKind::String,
        });
    }
}

/// Each node's main class, the legend (class, nodes) by count then label, and each class's
/// rank in the legend.
type MainClasses = (Vec<Option<u32>>, Vec<(u32, usize)>, Vec<Option<usize>>);

/// Each selected node's most specific class (none of its other classes is a subclass of it),
/// the legend of those classes and their ranks.
pub(super) fn main_classes(
    schema: &SchemaView,
    projection: &Projection,
    subgraph: &Subgraph,
) -> MainClasses {
    let ancestors = class_ancestors(schema, projection);
    let main_class: Vec<Option<u32>> = subgraph
        .nodes
        .iter()
        .map(|&n| {
            let types: Vec<u32> = projection.node(n).types().collect();
            types.iter().copied().find(|&t| {
                !types
                    .iter()
                    .any(|&u| u != t && ancestors[u as usize].contains(&t))
            })
        })
        .collect();
    let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
    for class in main_class.iter().flatten() {
        *counts.entry(*class).or_default() += 1;
    }
    let mut legend: Vec<(u32, usize)> = counts.into_iter().collect();
    legend.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| projection.class(a.0).label.cmp(projection.class(b.0).label))
            .then(a.0.cmp(&b.0))
    });
    let mut class_rank = vec![None; projection.class_count()];
    for (rank, (class, _)) in legend.iter().enumerate() {
        class_rank[*class as usize] = Some(rank);
    }
    (main_class, legend, class_rank)
}

/// For each projection class, the projection classes that are its strict ancestors.
fn class_ancestors(schema: &SchemaView, projection: &Projection) -> Vec<HashSet<u32>> {
    let index: HashMap<&str, u32> = projection
        .classes()
        .zip(0_u32..)
        .map(|(class, i)| (class.iri, i))
        .collect();
    projection
        .classes()
        .map(|class| {
            let Ok(iri) = NamedNodeRef::new(class.iri) else {
                return HashSet::new();
            };
            schema
                .hierarchy
                .ancestors(iri)
                .iter()
                .filter(|ancestor| ancestor.as_str() != class.iri)
                .filter_map(|ancestor| index.get(ancestor.as_str()).copied())
                .collect()
        })
        .collect()
}

/// A node colour: a light fill for dark text, and a darker stroke of the same hue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour {
    /// Fill, RGB.
    pub fill: [u8; 3],
    /// Stroke, RGB.
    pub stroke: [u8; 3],
}

impl Colour {
    /// Grey, for nodes without a class.
    pub const NONE: Self = Self {
        fill: [0xE4, 0xE4, 0xE4],
        stroke: [0x80, 0x80, 0x80],
    };

    /// The colour of the class ranked `rank` in the legend: hues a golden angle apart, so
    /// neighbours in the legend differ most and any number of classes gets distinct hues.
    pub fn of_rank(rank: usize) -> Self {
        let hue = (f64::from(u32::try_from(rank % 1000).unwrap_or(0)) * 137.508 + 210.0) % 360.0;
        Self {
            fill: hsl(hue, 0.62, 0.80),
            stroke: hsl(hue, 0.45, 0.38),
        }
    }

    /// `#rrggbb` of the fill.
    pub fn fill_hex(self) -> String {
        hex(self.fill)
    }

    /// `#rrggbb` of the stroke.
    pub fn stroke_hex(self) -> String {
        hex(self.stroke)
    }
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn hsl(hue: f64, saturation: f64, lightness: f64) -> [u8; 3] {
    let chroma = (1.0 - (2.0 * lightness - 1.0).abs()) * saturation;
    let sector = hue / 60.0;
    let second = chroma * (1.0 - (sector % 2.0 - 1.0).abs());
    let (red, green, blue) = match sector as u32 {
        0 => (chroma, second, 0.0),
        1 => (second, chroma, 0.0),
        2 => (0.0, chroma, second),
        3 => (0.0, second, chroma),
        4 => (second, 0.0, chroma),
        _ => (chroma, 0.0, second),
    };
    let lift = lightness - chroma / 2.0;
    let byte = |v: f64| ((v + lift) * 255.0).round().clamp(0.0, 255.0) as u8;
    [byte(red), byte(green), byte(blue)]
}

/// The value kind a datatype (an IRI) suggests.
fn kind_of(datatype: &str) -> ValueKind {
    if XSD_INTEGER_TYPES.iter().any(|d| d.as_str() == datatype) {
        ValueKind::Long
    } else if [xsd::DOUBLE, xsd::FLOAT, xsd::DECIMAL]
        .iter()
        .any(|d| d.as_str() == datatype)
    {
        ValueKind::Double
    } else if datatype == xsd::BOOLEAN.as_str() {
        ValueKind::Boolean
    } else {
        ValueKind::String
    }
}

/// A lexical value as a value of `kind`, when it is one.
pub(super) fn typed_value(kind: ValueKind, lexical: &str) -> Option<Value> {
    let lexical = lexical.trim();
    match kind {
        ValueKind::String => Some(Value::String(lexical.to_owned())),
        ValueKind::Long => lexical
            .strip_prefix('+')
            .unwrap_or(lexical)
            .parse()
            .ok()
            .map(Value::Long),
        ValueKind::Double => lexical
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(Value::Double),
        ValueKind::Boolean => match lexical {
            "true" | "1" => Some(Value::Boolean(true)),
            "false" | "0" => Some(Value::Boolean(false)),
            _ => None,
        },
    }
}
