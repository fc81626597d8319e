//! The checks of a projection's arrays: the layout (run on every open), and every string,
//! index, range and ordering (run when a projection is assembled or loaded whole).

use super::super::pages::Pages;
use super::super::{
    ATTRIBUTE_WORDS, DOCUMENT_WORDS, EDGE_WORDS, EVIDENCE_WORDS, LITERAL_TYPE_WORDS, Layout,
    NAME_WORDS, NODE_WORDS, NameKind, Projection, TERM_WORDS, Text, Words,
};

impl Projection {
    /// Checks the arrays and builds the layout.
    pub(in crate::graph) fn from_parts(strings: String, words: Vec<u8>) -> Result<Self, String> {
        if !words.len().is_multiple_of(4) {
            return Err("the arrays are not whole words".into());
        }
        let total = words.len() / 4;
        let mut projection = Self {
            strings: Text::Memory(strings),
            words: Words::Memory(words),
            ..Self::default()
        };
        projection.layout = projection.check_layout(total)?;
        let (layout, types) = (projection.layout, projection.layout.type_count);
        projection.check_strings(&layout, types)?;
        projection.check_indexes(&layout, types)?;
        Ok(projection)
    }

    /// A projection read page by page: only its layout is checked now, the rest where it is
    /// used (see [`Projection::intact`]).
    pub(super) fn from_pages(strings: Pages, words: Pages) -> Result<Self, String> {
        if !words.len().is_multiple_of(4) {
            return Err("the arrays are not whole words".into());
        }
        let total = words.len() / 4;
        let mut projection = Self {
            strings: Text::Paged(strings),
            words: Words::Paged(words),
            ..Self::default()
        };
        projection.layout = projection.check_layout(total)?;
        match projection.damage.get() {
            Some(reason) => Err(reason.clone()),
            None => Ok(projection),
        }
    }

    /// The counts and where each array starts: every array within the words, and no table
    /// empty that another points into.
    fn check_layout(&self, total: usize) -> Result<Layout, String> {
        let word = |i: usize| -> Result<usize, String> {
            if i < total {
                Ok(self.word(i) as usize)
            } else {
                Err(format!("word {i} is past the end ({total} words)"))
            }
        };
        let mut layout = Layout {
            node_count: word(0)?,
            edge_count: word(1)?,
            class_count: word(2)?,
            predicate_count: word(3)?,
            document_count: word(4)?,
            evidence_count: word(5)?,
            name_count: word(6)?,
            property_count: word(8)?,
            literal_type_count: word(9)?,
            attribute_count: word(10)?,
            ..Layout::default()
        };
        let type_count = word(7)?;
        layout.type_count = type_count;
        for (pointing, table, what) in [
            (layout.edge_count, layout.node_count, "edges without nodes"),
            (
                layout.edge_count,
                layout.predicate_count,
                "edges without predicates",
            ),
            (
                layout.evidence_count,
                layout.document_count,
                "evidence without documents",
            ),
            (layout.name_count, layout.node_count, "names without nodes"),
            (type_count, layout.class_count, "node types without classes"),
            (
                layout.attribute_count,
                layout.property_count,
                "attributes without properties",
            ),
            (
                layout.attribute_count,
                layout.literal_type_count,
                "attributes without types",
            ),
        ] {
            if pointing > 0 && table == 0 {
                return Err(what.into());
            }
        }
        let mut at = 11_usize;
        let mut section = |len: usize| -> Result<usize, String> {
            let start = at;
            at = at
                .checked_add(len)
                .filter(|end| *end <= total)
                .ok_or("an array runs past the end")?;
            Ok(start)
        };
        let l = &mut layout;
        l.classes = section(l.class_count.checked_mul(TERM_WORDS).ok_or("size")?)?;
        l.predicates = section(l.predicate_count.checked_mul(TERM_WORDS).ok_or("size")?)?;
        l.properties = section(l.property_count.checked_mul(TERM_WORDS).ok_or("size")?)?;
        l.literal_types = section(
            l.literal_type_count
                .checked_mul(LITERAL_TYPE_WORDS)
                .ok_or("size")?,
        )?;
        l.documents = section(l.document_count.checked_mul(DOCUMENT_WORDS).ok_or("size")?)?;
        l.nodes = section(l.node_count.checked_mul(NODE_WORDS).ok_or("size")?)?;
        l.node_types = section(type_count)?;
        l.attributes = section(
            l.attribute_count
                .checked_mul(ATTRIBUTE_WORDS)
                .ok_or("size")?,
        )?;
        l.edges = section(l.edge_count.checked_mul(EDGE_WORDS).ok_or("size")?)?;
        l.evidence = section(l.evidence_count.checked_mul(EVIDENCE_WORDS).ok_or("size")?)?;
        l.out_offsets = section(l.node_count + 1)?;
        l.in_offsets = section(l.node_count + 1)?;
        l.in_edges = section(l.edge_count.checked_mul(2).ok_or("size")?)?;
        l.names = section(l.name_count.checked_mul(NAME_WORDS).ok_or("size")?)?;
        l.end = at;
        if l.end != total {
            return Err("trailing words".into());
        }
        Ok(*l)
    }

    fn check_string(&self, offset: usize, len: usize) -> Result<(), String> {
        let Text::Memory(text) = &self.strings else {
            return Ok(());
        };
        let end = offset.checked_add(len).ok_or("string range overflows")?;
        if end > text.len() || !text.is_char_boundary(offset) || !text.is_char_boundary(end) {
            return Err(format!("string {offset}+{len} is outside the text"));
        }
        Ok(())
    }

    fn check_strings(&self, l: &Layout, _type_count: usize) -> Result<(), String> {
        let w = |i: usize| self.word(i) as usize;
        // Classes, predicates and properties lie one after the other.
        for i in 0..l.class_count + l.predicate_count + l.property_count {
            let at = l.classes + i * TERM_WORDS;
            self.check_string(w(at), w(at + 1))?;
            self.check_string(w(at + 2), w(at + 3))?;
        }
        for i in 0..l.literal_type_count {
            let at = l.literal_types + i * LITERAL_TYPE_WORDS;
            self.check_string(w(at), w(at + 1))?;
        }
        for i in 0..l.attribute_count {
            let at = l.attributes + i * ATTRIBUTE_WORDS;
            self.check_string(w(at + 1), w(at + 2))?;
        }
        for i in 0..l.document_count {
            let at = l.documents + i * DOCUMENT_WORDS;
            self.check_string(w(at), w(at + 1))?;
        }
        for i in 0..l.node_count {
            let at = l.nodes + i * NODE_WORDS;
            for pair in 0..3 {
                self.check_string(w(at + 2 * pair), w(at + 2 * pair + 1))?;
            }
        }
        for i in 0..l.edge_count {
            let at = l.edges + i * EDGE_WORDS;
            if let Some(len) = w(at + 6).checked_sub(1) {
                self.check_string(w(at + 5), len)?;
            }
        }
        for i in 0..l.evidence_count {
            let at = l.evidence + i * EVIDENCE_WORDS;
            for pair in [2, 4] {
                if let Some(len) = w(at + pair + 1).checked_sub(1) {
                    self.check_string(w(at + pair), len)?;
                }
            }
        }
        for i in 0..l.name_count {
            let at = l.names + i * NAME_WORDS;
            self.check_string(w(at), w(at + 1))?;
        }
        Ok(())
    }

    fn check_indexes(&self, l: &Layout, type_count: usize) -> Result<(), String> {
        let w = |i: usize| self.word(i) as usize;
        let below = |value: usize, bound: usize, what: &str| {
            if value < bound {
                Ok(())
            } else {
                Err(format!("{what} {value} out of range ({bound})"))
            }
        };
        for i in 0..l.node_count {
            let at = l.nodes + i * NODE_WORDS;
            let (first, count) = (w(at + 6), w(at + 7));
            if first.checked_add(count).is_none_or(|end| end > type_count) {
                return Err("node types out of range".into());
            }
        }
        for i in 0..type_count {
            below(w(l.node_types + i), l.class_count, "class")?;
        }
        self.check_attributes(l)?;
        let mut previous = (0, 0, 0);
        for i in 0..l.edge_count {
            let at = l.edges + i * EDGE_WORDS;
            let key = (w(at), w(at + 1), w(at + 2));
            below(key.0, l.node_count, "subject")?;
            below(key.1, l.node_count, "object")?;
            below(key.2, l.predicate_count, "predicate")?;
            if i > 0 && key <= previous {
                return Err("edges are not sorted".into());
            }
            previous = key;
            if w(at + 3)
                .checked_add(w(at + 4))
                .is_none_or(|end| end > l.evidence_count)
            {
                return Err("evidence out of range".into());
            }
        }
        for i in 0..l.evidence_count {
            below(
                w(l.evidence + i * EVIDENCE_WORDS),
                l.document_count,
                "document",
            )?;
        }
        // Adjacency: node n's out range holds exactly the edges whose subject is n (edges are
        // sorted by subject, so the range is the edges themselves), its in range the edges whose
        // object is n (through the in-edge index, which also holds each edge's subject).
        let adjacency = [
            ("out", l.out_offsets, None, 0),
            ("in", l.in_offsets, Some(l.in_edges), 1),
        ];
        for (side, offsets, index, end_field) in adjacency {
            if w(offsets) != 0 || w(offsets + l.node_count) != l.edge_count {
                return Err(format!("{side} offsets do not span the edges"));
            }
            for n in 0..l.node_count {
                let (start, end) = (w(offsets + n), w(offsets + n + 1));
                if start > end || end > l.edge_count {
                    return Err(format!("{side} offsets are not increasing"));
                }
                for i in start..end {
                    let e = index.map_or(i, |index| w(index + 2 * i));
                    below(e, l.edge_count, "edge")?;
                    if w(l.edges + e * EDGE_WORDS + end_field) != n {
                        return Err(format!("{side} offsets disagree with the edges"));
                    }
                    // An in-edge carries its subject.
                    if let Some(index) = index
                        && w(index + 2 * i + 1) != w(l.edges + e * EDGE_WORDS)
                    {
                        return Err("an in-edge's subject disagrees with the edge".into());
                    }
                }
            }
        }
        let mut previous: Option<&str> = None;
        for i in 0..l.name_count {
            let at = l.names + i * NAME_WORDS;
            below(w(at + 2), l.node_count, "node")?;
            if NameKind::from_word(self.word(at + 3)).is_none() {
                return Err("unknown name kind".into());
            }
            let folded = self.string(self.word(at), self.word(at + 1));
            if previous.is_some_and(|p| p > folded) {
                return Err("names are not sorted".into());
            }
            previous = Some(folded);
        }
        Ok(())
    }
}

impl Projection {
    /// Each node's attribute range, and each attribute's property and literal type.
    fn check_attributes(&self, l: &Layout) -> Result<(), String> {
        let w = |i: usize| self.word(i) as usize;
        for i in 0..l.node_count {
            let at = l.nodes + i * NODE_WORDS;
            if w(at + 8)
                .checked_add(w(at + 9))
                .is_none_or(|end| end > l.attribute_count)
            {
                return Err("node attributes out of range".into());
            }
        }
        for i in 0..l.literal_type_count {
            if w(l.literal_types + i * LITERAL_TYPE_WORDS + 2) > 1 {
                return Err("unknown literal type kind".into());
            }
        }
        for i in 0..l.attribute_count {
            let at = l.attributes + i * ATTRIBUTE_WORDS;
            for (value, bound, what) in [
                (w(at), l.property_count, "property"),
                (w(at + 3), l.literal_type_count, "literal type"),
            ] {
                if value >= bound {
                    return Err(format!("{what} {value} out of range ({bound})"));
                }
            }
        }
        Ok(())
    }
}
