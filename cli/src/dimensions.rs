//! monascaclient's dimension options: `--dimensions` and `--metric-dimensions` take `k=v`
//! pairs, given once as a comma- (or semicolon-) separated list or once per pair, and the
//! filters are sent in the API's query form `k:v,k2` (a key alone matches any value). A filter
//! already in that form (`k:v`, `k:v1|v2`) passes unchanged.

use std::ffi::OsString;

/// The options of list commands that filter by dimensions.
pub const FILTER_OPTIONS: &[&str] = &["dimensions", "metric-dimensions"];

/// The help of a dimension filter option.
pub const FILTER_HELP: &str = "Dimensions to match, as key=value,key2 (a key alone matches any \
                               value); may be given once per pair, as in monascaclient";

/// The `(key, value)` pairs of the values an option was given, as monascaclient reads them:
/// one value is a list split at `;` if it has one, else at `,`; several values are one pair each.
/// A key given twice keeps its first place and its last value.
pub fn pairs<'a>(values: &[&'a str]) -> Vec<(&'a str, Option<&'a str>)> {
    let items: Vec<&str> = match values {
        [one] if one.contains(';') => one.split(';').collect(),
        [one] => one.split(',').collect(),
        many => many.to_vec(),
    };
    let mut pairs: Vec<(&str, Option<&str>)> = Vec::new();
    for item in items.into_iter().filter(|i| !i.is_empty()) {
        let (key, value) = match item.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (item, None),
        };
        match pairs.iter_mut().find(|(k, _)| *k == key) {
            Some(pair) => pair.1 = value,
            None => pairs.push((key, value)),
        }
    }
    pairs
}

/// The API's query form of a filter's values: `k:v` for a pair, `k` for a key alone.
pub fn query(values: &[&str]) -> String {
    pairs(values)
        .into_iter()
        .map(|(key, value)| match value {
            Some(v) if !v.is_empty() => format!("{key}:{v}"),
            _ => key.to_string(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The commands whose `--dimensions` are `k=v` pairs of the body, not a filter.
const BODY_DIMENSIONS: &[&str] = &["metric-create", "create-logs"];

/// The command line with each dimension filter option of a `monasca` command, however often
/// given, turned into one option in the API's form, where it was first given. The commands of
/// [`BODY_DIMENSIONS`] take theirs as `k=v` for the body and are left as they are.
pub fn rewrite(mut args: Vec<OsString>) -> Vec<OsString> {
    for option in FILTER_OPTIONS {
        args = merge(args, option);
    }
    args
}

/// [`rewrite`] for one option.
fn merge(args: Vec<OsString>, option: &str) -> Vec<OsString> {
    let text: Vec<&str> = args
        .iter()
        .map(|a| a.to_str().unwrap_or_default())
        .collect();
    let Some(at) = text.iter().position(|a| *a == "monasca") else {
        return args;
    };
    if text[at..].iter().any(|a| BODY_DIMENSIONS.contains(a)) {
        return args;
    }
    let flag = format!("--{option}");
    let with_value = format!("{flag}=");
    let mut values = Vec::new();
    let mut first = None;
    let mut out = Vec::with_capacity(args.len());
    let mut i = 0;
    while i < text.len() {
        let value = if i > at && text[i] == flag && i + 1 < text.len() {
            i += 1;
            Some(text[i])
        } else if i > at {
            text[i].strip_prefix(&with_value)
        } else {
            None
        };
        match value {
            Some(value) => {
                values.push(value);
                first.get_or_insert(out.len());
            }
            None => out.push(args[i].clone()),
        }
        i += 1;
    }
    if let Some(first) = first {
        out.insert(first, format!("{flag}={}", query(&values)).into());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &str) -> String {
        crate::python_cli::rewritten(rewrite, line)
    }

    #[test]
    fn key_value_filters_become_the_api_form() {
        assert_eq!(query(&["hostname=web-01"]), "hostname:web-01");
        assert_eq!(
            query(&["hostname=web-01,service"]),
            "hostname:web-01,service"
        );
        assert_eq!(query(&["a=1;b=2,3"]), "a:1,b:2,3");
        assert_eq!(
            query(&["hostname:web-01,region:x"]),
            "hostname:web-01,region:x"
        );
        assert_eq!(query(&["a=1", "b=2", "a=3"]), "a:3,b:2");
    }

    #[test]
    fn repeated_filters_are_one_option() {
        assert_eq!(
            run("opsclient monasca list-metrics --dimensions a=1 --name cpu --dimensions=b=2"),
            "opsclient monasca list-metrics --dimensions=a:1,b:2 --name cpu"
        );
        assert_eq!(
            run("opsclient monasca alarm-list --metric-dimensions hostname=web-01"),
            "opsclient monasca alarm-list --metric-dimensions=hostname:web-01"
        );
        assert_eq!(
            run("opsclient monasca metric-create cpu 1 --dimensions a=1"),
            "opsclient monasca metric-create cpu 1 --dimensions a=1"
        );
        assert_eq!(
            run("opsclient monasca create-logs --dimensions a=1 --dimensions b=2"),
            "opsclient monasca create-logs --dimensions a=1 --dimensions b=2"
        );
        assert_eq!(
            run("opsclient sensu list-checks --dimensions a=1"),
            "opsclient sensu list-checks --dimensions a=1"
        );
    }
}
