//! Readers of kg's exports for the tests: what each format holds (node and edge labels),
//! parsed with the crates the ecosystem uses (`quick-xml`, `serde_json`, `csv`), and strict
//! about what a real parser would reject or change.

#![allow(dead_code)]

use quick_xml::events::Event;

/// Node and edge labels an export holds, each sorted.
#[derive(Debug, PartialEq, Eq)]
pub struct Seen {
    pub nodes: Vec<String>,
    pub edges: Vec<String>,
}

impl Seen {
    pub fn new(mut nodes: Vec<String>, mut edges: Vec<String>) -> Self {
        nodes.sort();
        edges.sort();
        Self { nodes, edges }
    }
}

/// An XML element or text, entity and character references resolved.
#[derive(Debug)]
pub enum Xml {
    Start(String, Vec<(String, String)>),
    End,
    Text(String),
}

/// Parses a whole XML document (names checked, references resolved); fails on any error, or on
/// an attribute value with a raw tab or line break (a parser would turn it into a space).
pub fn xml(bytes: &[u8]) -> Vec<Xml> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut items = Vec::new();
    let mut pending = String::new();
    let flush = |pending: &mut String, items: &mut Vec<Xml>| {
        if !pending.trim().is_empty() {
            items.push(Xml::Text(std::mem::take(pending)));
        }
        pending.clear();
    };
    let start = |e: &quick_xml::events::BytesStart<'_>| {
        let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
        let attributes = e
            .attributes()
            .map(|a| {
                let a = a.expect("well-formed attribute");
                assert!(
                    !a.value.iter().any(|b| matches!(b, b'\n' | b'\r' | b'\t')),
                    "raw whitespace in an attribute value"
                );
                (
                    String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                    a.unescape_value().expect("escaped attribute").into_owned(),
                )
            })
            .collect();
        Xml::Start(name, attributes)
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                flush(&mut pending, &mut items);
                items.push(start(&e));
            }
            Event::Empty(e) => {
                flush(&mut pending, &mut items);
                items.push(start(&e));
                items.push(Xml::End);
            }
            Event::End(_) => {
                flush(&mut pending, &mut items);
                items.push(Xml::End);
            }
            Event::Text(e) => pending.push_str(&e.xml_content().unwrap()),
            Event::CData(e) => pending.push_str(&e.decode().unwrap()),
            Event::GeneralRef(e) => {
                if let Some(c) = e.resolve_char_ref().expect("valid character reference") {
                    assert!(
                        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..),
                        "XML 1.0 cannot carry U+{:04X}",
                        c as u32
                    );
                    pending.push(c);
                } else {
                    let name = e.decode().unwrap();
                    pending.push_str(
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .expect("predefined entity"),
                    );
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    for item in &items {
        if let Xml::Text(text) = item {
            assert!(
                text.chars()
                    .all(|c| c >= ' ' || matches!(c, '\t' | '\n' | '\r')),
                "a forbidden control character in XML text"
            );
        }
    }
    items
}

pub fn attribute<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The labels of a `GraphML` file: `<data>` of the keys named `label`.
pub fn graphml_seen(bytes: &[u8]) -> Seen {
    let items = xml(bytes);
    let (mut node_key, mut edge_key) = (None, None);
    let (mut nodes, mut edges) = (Vec::new(), Vec::new());
    let mut stack: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for item in items {
        match item {
            Xml::Start(name, attributes) => {
                if name == "key" && attribute(&attributes, "attr.name") == Some("label") {
                    let id = attribute(&attributes, "id").map(str::to_owned);
                    match attribute(&attributes, "for") {
                        Some("node") => node_key = id,
                        Some("edge") => edge_key = id,
                        _ => {}
                    }
                }
                stack.push((name, attributes));
            }
            Xml::End => {
                stack.pop();
            }
            Xml::Text(text) => {
                let Some((name, attributes)) = stack.last() else {
                    continue;
                };
                let owner = stack.len().checked_sub(2).map(|i| stack[i].0.as_str());
                if name == "data" {
                    let key = attribute(attributes, "key").map(str::to_owned);
                    match owner {
                        Some("node") if key == node_key => nodes.push(text),
                        Some("edge") if key == edge_key => edges.push(text),
                        _ => {}
                    }
                }
            }
        }
    }
    Seen::new(nodes, edges)
}

/// The labels of a GEXF file: the `label` attributes of nodes and edges.
pub fn gexf_seen(bytes: &[u8]) -> Seen {
    let (mut nodes, mut edges) = (Vec::new(), Vec::new());
    for item in xml(bytes) {
        if let Xml::Start(name, attributes) = item {
            let label = attribute(&attributes, "label").map(str::to_owned);
            match (name.as_str(), label) {
                ("node", Some(label)) => nodes.push(label),
                ("edge", Some(label)) => edges.push(label),
                _ => {}
            }
        }
    }
    Seen::new(nodes, edges)
}

/// The labels of an SVG file: `data-label` of node groups, text of edge groups.
pub fn svg_seen(bytes: &[u8]) -> Seen {
    let (mut nodes, mut edges) = (Vec::new(), Vec::new());
    let mut in_edge = 0usize;
    let mut depth = 0usize;
    let mut element = String::new();
    for item in xml(bytes) {
        match item {
            Xml::Start(name, attributes) => {
                depth += 1;
                match attribute(&attributes, "class") {
                    Some("node") => {
                        nodes.push(attribute(&attributes, "data-label").unwrap().to_owned());
                    }
                    Some("edge") => in_edge = depth,
                    _ => {}
                }
                element = name;
            }
            Xml::End => {
                if depth == in_edge {
                    in_edge = 0;
                }
                depth -= 1;
            }
            Xml::Text(text) => {
                if in_edge > 0 && element == "text" {
                    edges.push(text);
                }
            }
        }
    }
    Seen::new(nodes, edges)
}

pub fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).expect("valid JSON")
}

pub fn labels(values: &serde_json::Value) -> Vec<String> {
    values
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v["label"].as_str().expect("a label").to_owned())
        .collect()
}

pub fn node_link_seen(bytes: &[u8]) -> Seen {
    let value = json(bytes);
    assert_eq!(value["directed"], true);
    assert_eq!(value["multigraph"], true);
    Seen::new(labels(&value["nodes"]), labels(&value["links"]))
}

pub fn cytoscape_seen(bytes: &[u8]) -> Seen {
    let value = json(bytes);
    let data = |list: &serde_json::Value| -> serde_json::Value {
        list.as_array()
            .unwrap()
            .iter()
            .map(|e| e["data"].clone())
            .collect()
    };
    Seen::new(
        labels(&data(&value["elements"]["nodes"])),
        labels(&data(&value["elements"]["edges"])),
    )
}

/// The JSON embedded in an HTML export; it must not hold `</` (which could close the element).
pub fn html_data(bytes: &[u8]) -> serde_json::Value {
    let text = std::str::from_utf8(bytes).unwrap();
    let start = text
        .find("<script type=\"application/json\" id=\"kg-data\">")
        .expect("the data element")
        + "<script type=\"application/json\" id=\"kg-data\">".len();
    let end = start + text[start..].find("</script>").expect("its end");
    let data = &text[start..end];
    assert!(
        !data.contains("</") && !data.contains("<!--"),
        "the data can close its element"
    );
    json(data.as_bytes())
}

pub fn html_seen(bytes: &[u8]) -> Seen {
    let value = html_data(bytes);
    Seen::new(labels(&value["nodes"]), labels(&value["edges"]))
}

pub fn csv_rows(bytes: &[u8]) -> Vec<csv::StringRecord> {
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a CSV row")).collect();
    let mut all = vec![header];
    all.extend(rows);
    all
}

pub fn column(rows: &[csv::StringRecord], name: &str) -> Vec<String> {
    let index = rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    rows[1..].iter().map(|r| r[index].to_owned()).collect()
}

pub fn csv_seen(tables: &(Vec<u8>, Vec<u8>)) -> Seen {
    Seen::new(
        column(&csv_rows(&tables.0), "label"),
        column(&csv_rows(&tables.1), "label"),
    )
}

/// Reads the DOT strings of one attribute in a DOT file: the statements with ` -> ` are edges.
pub fn dot_seen(bytes: &[u8]) -> Seen {
    let text = std::str::from_utf8(bytes).unwrap();
    let (mut nodes, mut edges) = (Vec::new(), Vec::new());
    for line in text.lines() {
        let Some(at) = line.find(" [label=\"") else {
            continue;
        };
        let mut label = String::new();
        let mut chars = line[at + " [label=\"".len()..].chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => label.push('\n'),
                    Some(other) => label.push(other),
                    None => break,
                },
                c => label.push(c),
            }
        }
        let head = &line[..at];
        if head.contains("\" -> \"") {
            edges.push(label);
        } else {
            nodes.push(label);
        }
    }
    Seen::new(nodes, edges)
}

/// How a DOT export shows a label: line breaks as one `\n`, control characters as U+FFFD.
pub fn dot_visible(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\n' | '\t') {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}
