//! Writing resource files in sensuctl's two formats.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use serde_json::{Map, Value};

use super::kinds::API_VERSION;
use super::resource::Resource;

/// A resource file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// YAML documents separated by `---` (sensuctl's `yaml`).
    #[default]
    Yaml,
    /// Wrapped JSON objects one after another, two-space indented (sensuctl's `wrapped-json`).
    WrappedJson,
}

impl FromStr for Format {
    type Err = String;

    fn from_str(text: &str) -> Result<Format, String> {
        match text {
            "yaml" => Ok(Format::Yaml),
            "wrapped-json" => Ok(Format::WrappedJson),
            other => Err(format!("{other:?} is not a format: yaml or wrapped-json")),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Yaml => "yaml",
            Format::WrappedJson => "wrapped-json",
        })
    }
}

/// A resource's fields in the order sensuctl writes them.
#[derive(Serialize)]
struct Wrapped<'a> {
    #[serde(rename = "type")]
    type_name: &'a str,
    api_version: &'a str,
    metadata: &'a Map<String, Value>,
    spec: &'a Map<String, Value>,
}

impl<'a> From<&'a Resource> for Wrapped<'a> {
    fn from(resource: &'a Resource) -> Self {
        Wrapped {
            type_name: resource.kind().type_name(),
            api_version: API_VERSION,
            metadata: resource.metadata(),
            spec: resource.spec(),
        }
    }
}

/// The resources as one file of `format`, which [`parse`](super::parse) reads back into the
/// same resources. Empty for no resources.
pub fn render(resources: &[Resource], format: Format) -> String {
    let mut out = String::new();
    for (i, resource) in resources.iter().enumerate() {
        let wrapped = Wrapped::from(resource);
        // JSON is YAML too: should the YAML writer ever fail, the JSON form stands in.
        let json = || serde_json::to_string_pretty(&wrapped).unwrap_or_default();
        match format {
            Format::Yaml => {
                if i > 0 {
                    out.push_str("---\n");
                }
                out.push_str(&serde_yaml_ng::to_string(&wrapped).unwrap_or_else(|_| json()));
            }
            Format::WrappedJson => out.push_str(&json()),
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}
