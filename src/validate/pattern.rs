//! `sh:pattern` with `sh:flags`: SHACL defines them as SPARQL's `REGEX` function, so kg asks
//! oxigraph's SPARQL evaluator — the same regular expressions, flags (`s`, `m`, `i`, `x`, `q`)
//! and size limit as `kg query` — with the pattern as a constant (compiled once per query) and
//! each distinct string checked once per pattern.

use std::cell::RefCell;
use std::collections::HashMap;

use oxigraph::model::Literal;
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;

/// A checked `sh:pattern` and its flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The regular expression (`XPath` syntax, as SPARQL's `REGEX`).
    pub pattern: String,
    /// `sh:flags`.
    pub flags: Option<String>,
}

impl Pattern {
    /// A pattern, checked.
    ///
    /// # Errors
    /// The reason, in words, when SPARQL's `REGEX` would refuse the pattern or its flags.
    pub fn new(pattern: &str, flags: Option<&str>) -> Result<Self, String> {
        let checked = Self {
            pattern: pattern.to_owned(),
            flags: flags.map(str::to_owned),
        };
        match checked.evaluate("") {
            Ok(Some(_)) => Ok(checked),
            Ok(None) => Err(format!(
                "sh:pattern {pattern:?}{} is not a regular expression SPARQL's REGEX accepts",
                flags.map_or_else(String::new, |f| format!(" with sh:flags {f:?}"))
            )),
            Err(e) => Err(e),
        }
    }

    /// `REGEX(text, pattern, flags)`: `Some(matches)`, or `None` when REGEX errs.
    fn evaluate(&self, text: &str) -> Result<Option<bool>, String> {
        let query = format!(
            "SELECT ?m WHERE {{ BIND(REGEX({}, {}, {}) AS ?m) }}",
            Literal::new_simple_literal(text),
            Literal::new_simple_literal(&self.pattern),
            Literal::new_simple_literal(self.flags.as_deref().unwrap_or_default()),
        );
        let store = Store::new().map_err(|e| e.to_string())?;
        let results = SparqlEvaluator::new()
            .parse_query(&query)
            .map_err(|e| e.to_string())?
            .on_store(&store)
            .execute()
            .map_err(|e| e.to_string())?;
        let QueryResults::Solutions(mut solutions) = results else {
            return Ok(None);
        };
        let Some(solution) = solutions.next() else {
            return Ok(None);
        };
        let solution = solution.map_err(|e| e.to_string())?;
        Ok(match solution.get("m") {
            Some(oxigraph::model::Term::Literal(l)) => Some(l.value() == "true"),
            _ => None,
        })
    }
}

/// (pattern, flags, text).
type PatternKey = (String, Option<String>, String);

/// Patterns evaluated so far: (pattern, flags, text) → matches.
#[derive(Debug, Default)]
pub struct PatternCache {
    seen: RefCell<HashMap<PatternKey, bool>>,
}

/// How many distinct (pattern, text) answers the cache keeps before it starts afresh (memory
/// stays bounded on graphs with millions of distinct strings).
const CACHE_LIMIT: usize = 100_000;

impl PatternCache {
    /// Whether `text` matches `pattern` (a REGEX error counts as no match).
    pub fn matches(&self, pattern: &Pattern, text: &str) -> bool {
        let key = (
            pattern.pattern.clone(),
            pattern.flags.clone(),
            text.to_owned(),
        );
        if let Some(&known) = self.seen.borrow().get(&key) {
            return known;
        }
        let found = pattern.evaluate(text).ok().flatten().unwrap_or(false);
        let mut seen = self.seen.borrow_mut();
        if seen.len() >= CACHE_LIMIT {
            seen.clear();
        }
        seen.insert(key, found);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_sparql_regex() {
        let cache = PatternCache::default();
        let p = Pattern::new("^B", None).unwrap();
        assert!(cache.matches(&p, "Bob"));
        assert!(!cache.matches(&p, "bob"));
        let i = Pattern::new("^b", Some("i")).unwrap();
        assert!(cache.matches(&i, "Bob"));
        let q = Pattern::new("a.b", Some("q")).unwrap();
        assert!(cache.matches(&q, "xa.b"));
        assert!(!cache.matches(&q, "axb"));
        assert!(Pattern::new("(", None).is_err());
        assert!(Pattern::new("a", Some("z")).is_err());
        // Quotes and backslashes travel intact into the query.
        let tricky = Pattern::new(r#"^"\\d"$"#, None).unwrap();
        assert!(cache.matches(&tricky, r#""\d""#));
    }
}
