//! A fixed set of environment variables, as the lookup the `env_from` builders take.

use std::collections::HashMap;

/// A lookup that knows exactly `pairs`.
pub fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| map.get(name).cloned()
}
