//! Request parameters (`?a=1&via=x&via=y`, or a form body), repeated names kept in order.

use std::str::FromStr;

use super::body::ApiError;

/// The parameters of a query string or a form.
#[derive(Debug, Clone, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// The parameters of a URL's query string.
    pub fn of_query(query: Option<&str>) -> Self {
        Self::of_form(query.unwrap_or_default().as_bytes())
    }

    /// The parameters of an `application/x-www-form-urlencoded` body.
    pub fn of_form(bytes: &[u8]) -> Self {
        Self(
            form_urlencoded::parse(bytes)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// These parameters, then `other`'s.
    #[must_use]
    pub fn and(mut self, other: Self) -> Self {
        self.0.extend(other.0);
        self
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, which must be there.
    ///
    /// # Errors
    /// 400 naming the parameter.
    pub fn required(&self, name: &str) -> Result<&str, ApiError> {
        self.get(name)
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| ApiError::bad_request(format!("the parameter {name} is missing")))
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// A number, or `default` when absent.
    ///
    /// # Errors
    /// 400 when it is not a number.
    pub fn number<T: FromStr>(&self, name: &str, default: T) -> Result<T, ApiError> {
        match self.get(name) {
            None | Some("") => Ok(default),
            Some(text) => text.trim().parse().map_err(|_| {
                ApiError::bad_request(format!("the parameter {name}={text:?} is not a number"))
            }),
        }
    }

    /// A count from `min` to `max`, `default` when absent; anything else is a 400 that names
    /// the parameter and the range.
    pub fn count(
        &self,
        name: &str,
        default: usize,
        min: usize,
        max: usize,
    ) -> Result<usize, ApiError> {
        let n = self.number(name, default)?;
        if (min..=max).contains(&n) {
            Ok(n)
        } else {
            Err(ApiError::bad_request(format!(
                "{name}={n}: give {min} to {max}"
            )))
        }
    }

    /// A flag: present and not `false`/`0`.
    pub fn flag(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| !matches!(v, "false" | "0" | "no"))
    }
}

#[cfg(test)]
mod tests {
    use super::Params;

    #[test]
    fn keeps_repeated_names() {
        let params = Params::of_query(Some("via=a&via=b%20c&k=3&directed"));
        assert_eq!(params.all("via"), ["a", "b c"]);
        assert_eq!(params.number("k", 1).unwrap(), 3);
        assert!(params.number::<usize>("via", 1).is_err());
        assert!(params.flag("directed"));
        assert!(!params.flag("absent"));
    }

    #[test]
    fn counts_stay_in_their_range_and_say_it() {
        let params = Params::of_query(Some("k=3&top=0&hops=x"));
        assert_eq!(params.count("k", 1, 1, 5).unwrap(), 3);
        assert_eq!(params.count("absent", 4, 1, 5).unwrap(), 4);
        let low = params.count("top", 20, 1, 100).unwrap_err();
        assert!(
            format!("{low:?}").contains("top=0: give 1 to 100"),
            "{low:?}"
        );
        assert!(params.count("k", 1, 1, 2).is_err());
        assert!(params.count("hops", 1, 0, 6).is_err());
    }
}
