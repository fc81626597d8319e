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

    /// The strings of `texts` that match, by one query.
    fn evaluate_many(&self, texts: &[&str]) -> Result<std::collections::HashSet<String>, String> {
        let mut values = String::new();
        for text in texts {
            values.push(' ');
            values.push_str(&Literal::new_simple_literal(*text).to_string());
        }
        let query = format!(
            "SELECT ?t WHERE {{ VALUES ?t {{{values} }} FILTER(REGEX(?t, {}, {})) }}",
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
        let QueryResults::Solutions(solutions) = results else {
            return Err("not a SELECT".to_owned());
        };
        let mut matching = std::collections::HashSet::new();
        for solution in solutions {
            let solution = solution.map_err(|e| e.to_string())?;
            if let Some(oxigraph::model::Term::Literal(l)) = solution.get("t") {
                matching.insert(l.value().to_owned());
            }
        }
        Ok(matching)
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

/// Answers kept per pattern before the cache starts afresh (memory stays bounded on graphs
/// with millions of distinct strings).
const CACHE_LIMIT: usize = 1_000_000;

/// Strings checked by one SPARQL query when many are known in advance.
const BATCH: usize = 1_000;

/// A pattern and its flags.
type PatternKey = (String, Option<String>);

/// Patterns evaluated so far: for each (pattern, flags), text → matches.
#[derive(Debug, Default)]
pub struct PatternCache {
    seen: RefCell<HashMap<PatternKey, HashMap<String, bool>>>,
}

impl PatternCache {
    /// Whether `text` matches `pattern` (a REGEX error counts as no match).
    pub fn matches(&self, pattern: &Pattern, text: &str) -> bool {
        let key = (pattern.pattern.clone(), pattern.flags.clone());
        if let Some(&known) = self.seen.borrow().get(&key).and_then(|m| m.get(text)) {
            return known;
        }
        let found = pattern.evaluate(text).ok().flatten().unwrap_or(false);
        self.remember(key, [(text.to_owned(), found)]);
        found
    }

    /// Checks many strings at once, `BATCH` to a query (one regular expression compiled per
    /// query instead of one per string), so that [`PatternCache::matches`] finds them known.
    pub fn prefetch<'a>(&self, pattern: &Pattern, texts: impl IntoIterator<Item = &'a str>) {
        let key = (pattern.pattern.clone(), pattern.flags.clone());
        let mut todo: Vec<&str> = {
            let seen = self.seen.borrow();
            let known = seen.get(&key);
            texts
                .into_iter()
                .filter(|t| known.is_none_or(|k| !k.contains_key(*t)))
                .collect()
        };
        todo.sort_unstable();
        todo.dedup();
        for chunk in todo.chunks(BATCH) {
            // On an error the strings stay unknown and are checked one by one.
            if let Ok(matching) = pattern.evaluate_many(chunk) {
                let answers = chunk
                    .iter()
                    .map(|t| ((*t).to_owned(), matching.contains(*t)))
                    .collect::<Vec<_>>();
                self.remember(key.clone(), answers);
            }
        }
    }

    fn remember(&self, key: PatternKey, answers: impl IntoIterator<Item = (String, bool)>) {
        let mut seen = self.seen.borrow_mut();
        let answers_of_pattern = seen.entry(key).or_default();
        if answers_of_pattern.len() >= CACHE_LIMIT {
            answers_of_pattern.clear();
        }
        answers_of_pattern.extend(answers);
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

    #[test]
    fn batches_give_the_answers_of_single_checks() {
        let texts = [
            "Bob",
            "bob",
            "Bill",
            "",
            "B\"quoted\"",
            "line\nbreak",
            "Ben",
        ];
        let pattern = Pattern::new("^B.*[a-z]$", None).unwrap();
        let single = PatternCache::default();
        let expected: Vec<bool> = texts.iter().map(|t| single.matches(&pattern, t)).collect();
        assert_eq!(expected, [true, false, true, false, false, false, true]);
        let batched = PatternCache::default();
        batched.prefetch(&pattern, texts.iter().copied());
        let known = batched.seen.borrow()[&(pattern.pattern.clone(), None)].len();
        assert_eq!(known, texts.len(), "every string was answered by the batch");
        let found: Vec<bool> = texts.iter().map(|t| batched.matches(&pattern, t)).collect();
        assert_eq!(found, expected);
    }
}
