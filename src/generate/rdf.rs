//! The RDF files of a generated dataset: its ontology, its dataset description, and an RML
//! mapping of its tables.

use std::fmt::Write as _;

use super::BASE;

/// The benchmark ontology.
pub(super) const ONTOLOGY: &str = r#"@prefix bench: <https://kg.example/bench/ontology#> .
@prefix kg:    <https://kg.example/vocab#> .
@prefix owl:   <http://www.w3.org/2002/07/owl#> .
@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:   <http://www.w3.org/2001/XMLSchema#> .

# The ontology of kg's generated benchmark datasets (`kg generate`): people, organisations and
# places, who works for whom, who knows whom, which organisations are partners, where they are.

<https://kg.example/bench/ontology> a owl:Ontology ;
    rdfs:label "kg benchmark ontology"@en ;
    rdfs:comment "People, organisations and places of the synthetic datasets kg generates for its benchmarks."@en .

bench:Agent a owl:Class ;
    rdfs:label "agent"@en ;
    rdfs:comment "Someone or something that acts: a person or an organisation."@en .

bench:Person a owl:Class ;
    rdfs:subClassOf bench:Agent ;
    rdfs:label "person"@en ;
    rdfs:comment "A human being."@en .

bench:Organization a owl:Class ;
    rdfs:subClassOf bench:Agent ;
    rdfs:label "organization"@en ;
    rdfs:comment "A company or an institution."@en .

bench:Place a owl:Class ;
    rdfs:label "place"@en ;
    rdfs:comment "A town or a city."@en .

bench:Document a owl:Class ;
    rdfs:subClassOf kg:Document ;
    rdfs:label "report"@en ;
    rdfs:comment "A report that states facts about people and organisations."@en .

bench:worksFor a owl:ObjectProperty ;
    rdfs:label "works for"@en ;
    rdfs:comment "Employment of a person by an organisation."@en ;
    rdfs:domain bench:Person ;
    rdfs:range bench:Organization .

bench:partnerOf a owl:ObjectProperty , owl:SymmetricProperty ;
    rdfs:label "partner of"@en ;
    rdfs:comment "A business partnership between two organisations."@en ;
    rdfs:domain bench:Organization ;
    rdfs:range bench:Organization .

bench:knows a owl:ObjectProperty ;
    rdfs:label "knows"@en ;
    rdfs:comment "A person knows another person."@en ;
    rdfs:domain bench:Person ;
    rdfs:range bench:Person .

bench:locatedIn a owl:ObjectProperty ;
    rdfs:label "located in"@en ;
    rdfs:comment "Where an organisation is based or a person lives."@en ;
    rdfs:domain bench:Agent ;
    rdfs:range bench:Place .

bench:legalName a owl:DatatypeProperty ;
    rdfs:label "legal name"@en ;
    rdfs:comment "The registered name of an organisation."@en ;
    rdfs:domain bench:Organization ;
    rdfs:range xsd:string .

bench:founded a owl:DatatypeProperty ;
    rdfs:label "founded"@en ;
    rdfs:comment "Year an organisation was founded."@en ;
    rdfs:domain bench:Organization ;
    rdfs:range xsd:gYear .

bench:employees a owl:DatatypeProperty ;
    rdfs:label "employees"@en ;
    rdfs:comment "Head count of an organisation."@en ;
    rdfs:domain bench:Organization ;
    rdfs:range xsd:integer .

bench:birthDate a owl:DatatypeProperty ;
    rdfs:label "birth date"@en ;
    rdfs:comment "Day a person was born."@en ;
    rdfs:domain bench:Person ;
    rdfs:range xsd:date .

bench:population a owl:DatatypeProperty ;
    rdfs:label "population"@en ;
    rdfs:comment "Number of inhabitants of a place."@en ;
    rdfs:domain bench:Place ;
    rdfs:range xsd:integer .
"#;

/// The dataset description: the base IRI of entities.
pub(super) const DATASET: &str = r#"@prefix void:    <http://rdfs.org/ns/void#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<https://kg.example/bench/dataset> a void:Dataset ;
    dcterms:title "kg benchmark dataset" ;
    void:uriSpace "https://kg.example/bench/id/" .
"#;

/// An RML mapping of the generated tables for Morph-KGC: the plain facts (no reification), so
/// its output has as many triples as the build's `facts`. File paths are relative to the
/// dataset folder.
pub(super) fn rml() -> String {
    let mut out = String::from(
        "@prefix rr:    <http://www.w3.org/ns/r2rml#> .
@prefix rml:   <http://semweb.mmlab.be/ns/rml#> .
@prefix ql:    <http://semweb.mmlab.be/ns/ql#> .
@prefix bench: <https://kg.example/bench/ontology#> .
@prefix kg:    <https://kg.example/vocab#> .
@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:  <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:   <http://www.w3.org/2001/XMLSchema#> .

# The plain facts of kg's generated tables (kg generate). kg also reifies each fact with its
# provenance (source, sentences, date); this mapping does not.
",
    );
    let literal = |column: &str, predicate: &str, kind: &str| {
        format!(
            "    rr:predicateObjectMap [ rr:predicate {predicate} ;\n        rr:objectMap [ rml:reference \"{column}\" ; {kind} ] ] ;\n"
        )
    };
    let entity = |name: &str, file: &str, classes: &str, columns: &[String]| {
        format!(
            "\n<#{name}> a rr:TriplesMap ;\n    rml:logicalSource [ rml:source \"data/{file}\" ; rml:referenceFormulation ql:CSV ] ;\n    rr:subjectMap [ rr:template \"{BASE}{{id}}\" ; {classes} ] ;\n{} .\n",
            columns.concat().trim_end_matches(" ;\n")
        )
    };
    let label = literal("rdfs:label@en", "rdfs:label", "rr:language \"en\"");
    let alias = literal("skos:altLabel@en[]", "skos:altLabel", "rr:language \"en\"");
    let typed = |column: &str, predicate: &str, datatype: &str| {
        literal(column, predicate, &format!("rr:datatype {datatype}"))
    };
    out.push_str(&entity(
        "documents",
        "documents.csv",
        "rr:class kg:Document , bench:Document",
        &[
            label.clone(),
            typed("kg:sentenceCount", "kg:sentenceCount", "xsd:integer"),
        ],
    ));
    out.push_str(&entity(
        "people",
        "people.csv",
        "rr:class bench:Person",
        &[
            label.clone(),
            alias.clone(),
            typed("bench:birthDate", "bench:birthDate", "xsd:date"),
        ],
    ));
    out.push_str(&entity(
        "organizations",
        "organizations.csv",
        "rr:class bench:Organization",
        &[
            label.clone(),
            alias,
            literal(
                "bench:legalName",
                "bench:legalName",
                "rr:termType rr:Literal",
            ),
            typed("bench:founded", "bench:founded", "xsd:gYear"),
            typed("bench:employees", "bench:employees", "xsd:integer"),
        ],
    ));
    out.push_str(&entity(
        "places",
        "places.csv",
        "rr:class bench:Place",
        &[
            label,
            typed("bench:population", "bench:population", "xsd:integer"),
        ],
    ));
    for (name, file, predicate) in [
        ("works-for", "works-for.csv", "bench:worksFor"),
        ("knows", "knows.csv", "bench:knows"),
        ("partner-of", "partner-of.csv", "bench:partnerOf"),
        ("located-in", "located-in.csv", "bench:locatedIn"),
    ] {
        let _ = write!(
            out,
            "\n<#{name}> a rr:TriplesMap ;\n    rml:logicalSource [ rml:source \"data/{file}\" ; rml:referenceFormulation ql:CSV ] ;\n    rr:subjectMap [ rr:template \"{BASE}{{subject}}\" ] ;\n    rr:predicateObjectMap [ rr:predicate {predicate} ;\n        rr:objectMap [ rr:template \"{BASE}{{object}}\" ; rr:termType rr:IRI ] ] .\n"
        );
    }
    out
}
