//! What `kg query` refuses before it evaluates or writes anything: SPARQL Update (the graph is
//! read-only; `kg build` is its only writer) and `SERVICE` (a query does not call other
//! endpoints), found in the parsed algebra.

use spargebra::Query;
use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression};
use spargebra::term::NamedNodePattern;

/// Update operations, as the first keyword after the prologue.
const UPDATE_KEYWORDS: [&str; 11] = [
    "INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "ADD", "MOVE", "COPY", "WITH", "USING",
];

/// Whether a query form (the first keyword after the prologue) starts a SPARQL Update.
pub fn is_update_keyword(form: &str) -> bool {
    UPDATE_KEYWORDS.contains(&form)
}

/// The endpoint of the first `SERVICE` in the query, anywhere: in its pattern, in `EXISTS`
/// filters, in sub-queries. The walk keeps its own stack, so a deep query cannot overflow it.
pub fn first_service(query: &Query) -> Option<String> {
    let pattern = match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    };
    let mut patterns = vec![pattern];
    let mut expressions: Vec<&Expression> = Vec::new();
    while !patterns.is_empty() || !expressions.is_empty() {
        if let Some(expression) = expressions.pop() {
            if let Some(pattern) = expression_children(expression, &mut expressions) {
                patterns.push(pattern);
            }
            continue;
        }
        let Some(pattern) = patterns.pop() else {
            break;
        };
        match pattern {
            GraphPattern::Service { name, .. } => {
                return Some(match name {
                    NamedNodePattern::NamedNode(node) => node.to_string(),
                    NamedNodePattern::Variable(variable) => variable.to_string(),
                });
            }
            GraphPattern::Bgp { .. } | GraphPattern::Path { .. } | GraphPattern::Values { .. } => {}
            GraphPattern::Join { left, right }
            | GraphPattern::Union { left, right }
            | GraphPattern::Minus { left, right }
            | GraphPattern::Lateral { left, right } => {
                patterns.push(left);
                patterns.push(right);
            }
            GraphPattern::LeftJoin {
                left,
                right,
                expression,
            } => {
                patterns.push(left);
                patterns.push(right);
                expressions.extend(expression);
            }
            GraphPattern::Filter { expr, inner } => {
                patterns.push(inner);
                expressions.push(expr);
            }
            GraphPattern::Extend {
                inner, expression, ..
            } => {
                patterns.push(inner);
                expressions.push(expression);
            }
            GraphPattern::OrderBy { inner, expression } => {
                patterns.push(inner);
                expressions.extend(expression.iter().map(|order| match order {
                    OrderExpression::Asc(e) | OrderExpression::Desc(e) => e,
                }));
            }
            GraphPattern::Group {
                inner, aggregates, ..
            } => {
                patterns.push(inner);
                for (_, aggregate) in aggregates {
                    if let AggregateExpression::FunctionCall { expr, .. } = aggregate {
                        expressions.push(expr);
                    }
                }
            }
            GraphPattern::Graph { inner, .. }
            | GraphPattern::Project { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. } => patterns.push(inner),
        }
    }
    None
}

/// Pushes the sub-expressions of an expression; returns the pattern of an `EXISTS`.
fn expression_children<'a>(
    expression: &'a Expression,
    expressions: &mut Vec<&'a Expression>,
) -> Option<&'a GraphPattern> {
    match expression {
        Expression::NamedNode(_)
        | Expression::Literal(_)
        | Expression::Variable(_)
        | Expression::Bound(_) => {}
        Expression::Or(a, b)
        | Expression::And(a, b)
        | Expression::Equal(a, b)
        | Expression::SameTerm(a, b)
        | Expression::Greater(a, b)
        | Expression::GreaterOrEqual(a, b)
        | Expression::Less(a, b)
        | Expression::LessOrEqual(a, b)
        | Expression::Add(a, b)
        | Expression::Subtract(a, b)
        | Expression::Multiply(a, b)
        | Expression::Divide(a, b) => {
            expressions.push(a);
            expressions.push(b);
        }
        Expression::In(a, list) => {
            expressions.push(a);
            expressions.extend(list);
        }
        Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => {
            expressions.push(a);
        }
        Expression::If(a, b, c) => {
            expressions.push(a);
            expressions.push(b);
            expressions.push(c);
        }
        Expression::Coalesce(list) | Expression::FunctionCall(_, list) => {
            expressions.extend(list);
        }
        Expression::Exists(pattern) => return Some(pattern),
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use spargebra::SparqlParser;

    fn service(text: &str) -> Option<String> {
        first_service(&SparqlParser::new().parse_query(text).unwrap())
    }

    #[test]
    fn services_are_found_wherever_they_hide() {
        assert_eq!(service("SELECT * { ?s ?p ?o }"), None);
        assert_eq!(
            service("SELECT * { SERVICE <http://e.org/sparql> { ?s ?p ?o } }").as_deref(),
            Some("<http://e.org/sparql>")
        );
        for text in [
            "ASK { ?s ?p ?o FILTER NOT EXISTS { SERVICE ?e { ?s ?p ?o } } }",
            "SELECT * { { SELECT ?s { ?s ?p ?o OPTIONAL { SERVICE ?e { ?s ?p ?o } } } } }",
            "SELECT (COUNT(IF(EXISTS { SERVICE ?e {} }, 1, 0)) AS ?n) {}",
            "SELECT * { ?s ?p ?o } ORDER BY DESC(EXISTS { SERVICE ?e {} })",
            "CONSTRUCT { ?s ?p ?o } WHERE { { ?s ?p ?o } UNION { BIND(COALESCE(EXISTS { SERVICE SILENT ?e {} }) AS ?x) } }",
        ] {
            assert_eq!(service(text).as_deref(), Some("?e"), "{text}");
        }
    }

    #[test]
    fn update_keywords_are_known() {
        assert!(is_update_keyword("INSERT") && is_update_keyword("LOAD"));
        assert!(!is_update_keyword("SELECT") && !is_update_keyword("CONSTRUCT"));
    }
}
