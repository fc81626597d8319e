//! The CSV export: two [RFC 4180](https://www.rfc-editor.org/rfc/rfc4180) tables, as Gephi's
//! spreadsheet import, pandas and spreadsheets read them.
//!
//! - nodes: `id,iri,label,class,classes,description`, then one column per literal attribute;
//! - edges: `id,source,target,predicate,label,evidence,documents,sentences,dates`, then one
//!   column per qualifier (a value stated on the fact).
//!
//! Fields are quoted when they hold a comma, a quote or a line break; every character is kept.

use std::io::Write;

use super::{EDGE_FIELDS, NODE_FIELDS, PropertyGraph};
use crate::export::ExportError;

/// Writes the nodes table to `nodes` and the edges table to `edges`.
///
/// # Errors
/// I/O and storage errors.
pub fn write(
    graph: &PropertyGraph<'_>,
    nodes: &mut dyn Write,
    edges: &mut dyn Write,
) -> Result<(), ExportError> {
    let mut table = csv::WriterBuilder::new().flexible(false).from_writer(nodes);
    let mut header: Vec<&str> = NODE_FIELDS.to_vec();
    header.extend(graph.keys().iter().map(|k| k.name.as_str()));
    table.write_record(&header).map_err(csv_error)?;
    let width = header.len();
    for position in 0..graph.nodes().len() {
        let node = graph.node(position);
        let mut row: Vec<String> = node
            .fields(graph)
            .iter()
            .map(|&value| value.to_owned())
            .collect();
        row.resize(width, String::new());
        for (k, value) in &node.attributes {
            row[NODE_FIELDS.len() + k] = value.to_string();
        }
        table.write_record(&row).map_err(csv_error)?;
    }
    table.flush()?;

    let mut table = csv::WriterBuilder::new().flexible(false).from_writer(edges);
    let mut header: Vec<&str> = EDGE_FIELDS.to_vec();
    header.extend(graph.edge_keys().iter().map(|k| k.name.as_str()));
    table.write_record(&header).map_err(csv_error)?;
    let width = header.len();
    for position in 0..graph.edges().len() {
        let edge = graph.edge(position);
        let mut row: Vec<String> = edge.fields().iter().map(|&v| v.to_owned()).collect();
        row.resize(width, String::new());
        for (k, value) in &edge.qualifiers {
            row[EDGE_FIELDS.len() + k] = value.to_string();
        }
        table.write_record(&row).map_err(csv_error)?;
    }
    table.flush()?;
    Ok(())
}

fn csv_error(error: csv::Error) -> ExportError {
    match error.into_kind() {
        csv::ErrorKind::Io(e) => ExportError::Io(e),
        other => ExportError::Io(std::io::Error::other(format!("{other:?}"))),
    }
}
