//! The `dimensions` query filter, in Monasca's text form: `name:value` pairs separated by commas,
//! a bare `name` for "any value", and `name:v1|v2` for alternatives.

use std::fmt;

/// A dimension filter for metric, measurement, statistics and alarm queries.
///
/// ```
/// # #[cfg(feature = "monasca")] {
/// use opsclient::monasca::Dimensions;
/// let filter = Dimensions::new()
///     .equals("hostname", "web-01")
///     .any_of("service", ["nova", "neutron"])
///     .present("region");
/// assert_eq!(filter.to_string(), "hostname:web-01,service:nova|neutron,region");
/// # }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dimensions {
    terms: Vec<(String, Vec<String>)>,
}

impl Dimensions {
    /// An empty filter.
    pub fn new() -> Self {
        Self::default()
    }

    /// `name` must equal `value`.
    pub fn equals(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.any_of(name, [value.into()])
    }

    /// `name` must equal one of `values`.
    pub fn any_of<I, V>(mut self, name: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<String>,
    {
        self.terms
            .push((name.into(), values.into_iter().map(Into::into).collect()));
        self
    }

    /// `name` must be present, with any value.
    pub fn present(mut self, name: impl Into<String>) -> Self {
        self.terms.push((name.into(), Vec::new()));
        self
    }
}

impl fmt::Display for Dimensions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (name, values)) in self.terms.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(name)?;
            if !values.is_empty() {
                write!(f, ":{}", values.join("|"))?;
            }
        }
        Ok(())
    }
}

impl From<Dimensions> for String {
    fn from(dimensions: Dimensions) -> String {
        dimensions.to_string()
    }
}
