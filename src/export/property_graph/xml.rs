//! A thin layer over quick-xml's writer for the XML exports (`GraphML`, GEXF, SVG): elements and
//! attributes by name, every value escaped by the rules of [`crate::export::escape`], two-space
//! indentation.

use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;

use crate::export::escape::{xml_attribute, xml_text};

/// Writes one XML document.
pub(crate) struct XmlWriter<'w> {
    writer: Writer<&'w mut dyn Write>,
}

impl<'w> XmlWriter<'w> {
    /// Starts a document with its XML declaration.
    pub(crate) fn new(out: &'w mut dyn Write) -> io::Result<Self> {
        let mut writer = Writer::new_with_indent(out, b' ', 2);
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        Ok(Self { writer })
    }

    fn element<'a>(name: &'a str, attributes: &[(&'a str, &str)]) -> BytesStart<'a> {
        let mut element = BytesStart::new(name);
        for (key, value) in attributes {
            element.push_attribute(Attribute {
                key: QName(key.as_bytes()),
                value: xml_attribute(value).into_owned().into_bytes().into(),
            });
        }
        element
    }

    /// `<name attributes>`.
    pub(crate) fn start(&mut self, name: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
        self.writer
            .write_event(Event::Start(Self::element(name, attributes)))
    }

    /// `<name attributes/>`.
    pub(crate) fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
        self.writer
            .write_event(Event::Empty(Self::element(name, attributes)))
    }

    /// `</name>`.
    pub(crate) fn end(&mut self, name: &str) -> io::Result<()> {
        self.writer.write_event(Event::End(BytesEnd::new(name)))
    }

    /// Escaped text content.
    pub(crate) fn text(&mut self, text: &str) -> io::Result<()> {
        self.writer
            .write_event(Event::Text(BytesText::from_escaped(xml_text(text))))
    }

    /// `<name attributes>text</name>`.
    pub(crate) fn text_element(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        text: &str,
    ) -> io::Result<()> {
        self.start(name, attributes)?;
        self.text(text)?;
        self.end(name)
    }

    /// Ends the document with a line break and flushes.
    pub(crate) fn finish(mut self) -> io::Result<()> {
        let out = self.writer.get_mut();
        out.write_all(b"\n")?;
        out.flush()
    }
}
