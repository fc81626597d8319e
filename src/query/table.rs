//! Answers as an aligned table for people, terms written short.

use std::io::Write;

use oxigraph::model::Term;

use crate::export::escape::terminal;
use crate::iri::{self, Prefixes};
use crate::vocab::xsd;

/// A term as people read it: prefixed names for IRIs, plain values for strings (tagged or not)
/// and numbers, `value^^type` for other datatypes.
pub fn short(term: &Term, prefixes: &Prefixes) -> String {
    match term {
        Term::NamedNode(iri) => iri::compact(iri.as_str(), prefixes),
        Term::BlankNode(node) => node.to_string(),
        Term::Literal(literal) => {
            if literal.language().is_some() {
                // Tables are for reading: the language tag stays in CSV, JSON and XML.
                literal.value().to_owned()
            } else {
                let datatype = literal.datatype().as_str();
                let plain = [
                    xsd::STRING,
                    xsd::INTEGER,
                    xsd::DECIMAL,
                    xsd::DOUBLE,
                    xsd::BOOLEAN,
                ];
                if plain.iter().any(|p| p.as_str() == datatype) {
                    literal.value().to_owned()
                } else {
                    format!("{}^^{}", literal.value(), iri::compact(datatype, prefixes))
                }
            }
        }
    }
}

/// Writes aligned columns; cells are single-line (control characters shown as `\n`, `\t`, ...).
///
/// # Errors
/// I/O errors.
pub fn write_table(
    out: &mut dyn Write,
    header: &[String],
    rows: &[Vec<Option<String>>],
) -> std::io::Result<()> {
    let clean = |cell: &str| -> String { terminal(cell).into_owned() };
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| c.as_deref().map_or(String::new(), clean))
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, row: &[String]| -> std::io::Result<()> {
        let mut text = String::new();
        for (i, (cell, width)) in row.iter().zip(&widths).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(cell);
            if i + 1 < row.len() {
                text.extend(std::iter::repeat_n(' ', width - cell.chars().count()));
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(out, header)?;
    let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
    line(out, &rule)?;
    for row in &cells {
        line(out, row)?;
    }
    writeln!(
        out,
        "({} row{})",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )
}
