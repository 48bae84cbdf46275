//! What a command prints: JSON, YAML, a table, or bare values, for people and for scripts.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};

use opsclient::sensu::{ByteStream, ResponseValue};
use serde::Serialize;
use serde_json::Value;

/// How answers are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Indented JSON; the default when standard output is not a terminal.
    Json,
    /// YAML.
    Yaml,
    /// A table of each resource kind's usual columns; the default on a terminal.
    Table,
    /// The values of the `-c` columns, one item per line, separated by tabs.
    Value,
}

impl Format {
    /// The format when none is asked for.
    pub fn default_for_stdout() -> Format {
        if std::io::stdout().is_terminal() {
            Format::Table
        } else {
            Format::Json
        }
    }
}

/// The last answer printed, shared with whoever waits on it.
#[derive(Clone, Default)]
pub struct Last(Arc<Mutex<Option<Value>>>);

impl Last {
    /// The last answer printed, as JSON.
    pub fn get(&self) -> Option<Value> {
        self.0.lock().ok()?.clone()
    }
}

/// Prints answers, and keeps the last one for `--wait`.
pub struct Printer {
    /// `-o`.
    pub format: Format,
    /// `-c`, in order.
    pub columns: Vec<String>,
    /// `--all`.
    pub all: bool,
    /// `--page-size`.
    pub page_size: u64,
    /// What a Python CLI would print, asked for with its `-f`/`-c` or `-j`.
    python: Option<crate::cliff::Output>,
    last: Last,
    notes: crate::feedback::Notes,
}

impl Printer {
    /// A printer for the given options.
    pub fn new(format: Format, columns: Vec<String>, all: bool, page_size: u64) -> Printer {
        Printer {
            format,
            columns,
            all,
            page_size,
            python: None,
            last: Last::default(),
            notes: crate::feedback::Notes::default(),
        }
    }

    /// The printer printing what a Python CLI would print, when `python` is given.
    pub fn with_python_output(mut self, python: Option<crate::cliff::Output>) -> Printer {
        self.python = python;
        self
    }

    /// A handle on the last answer printed.
    pub fn last(&self) -> Last {
        self.last.clone()
    }

    /// A handle on what the command noted on its way: the body it sent, the next page.
    pub fn notes(&self) -> crate::feedback::Notes {
        self.notes.clone()
    }

    /// Prints one answer whose type is `kind` (its schema title, e.g. `CheckConfig`).
    pub fn print(&self, kind: &str, value: Value) {
        if let Ok(mut last) = self.last.0.lock() {
            *last = Some(value.clone());
        }
        let text = match (&self.python, self.format) {
            (Some(python), _) => python.render(&value),
            (None, format) => match format {
                Format::Json => serde_json::to_string_pretty(&value).unwrap_or_default() + "\n",
                Format::Yaml => serde_yaml_ng::to_string(&value).unwrap_or_default(),
                Format::Table => table(kind, &value, &self.columns),
                Format::Value => values(&value, &self.columns),
            },
        };
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(text.as_bytes());
    }

    fn item<T: Serialize + schemars::JsonSchema>(&self, value: &T) {
        let kind = kind_of::<T>();
        self.print(&kind, serde_json::to_value(value).unwrap_or(Value::Null));
    }
}

/// The name of `T`'s schema: `CheckConfig`, or `Array_of_CheckConfig` for a list of them.
fn kind_of<T: schemars::JsonSchema>() -> String {
    T::schema_name()
}

/// The rows of an answer: a list, the list inside an envelope (`goals`, `elements`,
/// `results`), or the one object.
fn rows(value: &Value) -> (Vec<&Value>, bool) {
    match value {
        Value::Array(items) => (items.iter().collect(), true),
        Value::Object(map) => {
            let lists: Vec<&Value> = map
                .iter()
                .filter(|(key, v)| v.is_array() && !matches!(key.as_str(), "links" | "columns"))
                .map(|(_, v)| v)
                .collect();
            match lists.as_slice() {
                [Value::Array(items)] if map.len() <= 4 => (items.iter().collect(), true),
                _ => (vec![value], false),
            }
        }
        other => (vec![other], false),
    }
}

/// The value at a dotted path (`metadata.name`, `check.status`).
fn field<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, key| v.get(key))
}

fn text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| text(Some(v)))
            .collect::<Vec<_>>()
            .join(","),
        Some(other) => other.to_string(),
    }
}

/// The usual columns of a resource kind, as sensuctl's and the OpenStack CLIs' tables show
/// (declared with each API in `opsclient_codegen::APIS`).
fn columns_for(kind: &str, sample: Option<&Value>) -> Vec<String> {
    let kind = kind.strip_prefix("Array_of_").unwrap_or(kind);
    let preset = crate::generated::COLUMNS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(&[][..], |(_, columns)| *columns);
    if !preset.is_empty() {
        return preset.iter().map(|c| c.to_string()).collect();
    }
    // Otherwise the first scalar fields, the name first.
    let mut columns = Vec::new();
    if let Some(Value::Object(map)) = sample {
        if map.get("metadata").and_then(|m| m.get("name")).is_some() {
            columns.push("metadata.name".to_string());
        }
        for (key, value) in map {
            if columns.len() >= 6 {
                break;
            }
            if !value.is_object() && !value.is_array() {
                columns.push(key.clone());
            }
        }
    }
    columns
}

fn table(kind: &str, value: &Value, asked: &[String]) -> String {
    let (rows, is_list) = rows(value);
    if !is_list && asked.is_empty() {
        // One object: its fields, one per line.
        if let Value::Object(map) = value {
            let width = map.keys().map(|k| k.len()).max().unwrap_or(0);
            return map
                .iter()
                .map(|(k, v)| format!("{k:<width$}  {}\n", text(Some(v))))
                .collect();
        }
        return format!("{}\n", text(Some(value)));
    }
    let columns = if asked.is_empty() {
        columns_for(kind, rows.first().copied())
    } else {
        asked.to_vec()
    };
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| columns.iter().map(|c| text(field(row, c))).collect())
        .collect();
    let headers: Vec<String> = columns
        .iter()
        .map(|c| c.rsplit('.').next().unwrap_or(c).to_ascii_uppercase())
        .collect();
    let widths: Vec<usize> = (0..columns.len())
        .map(|i| {
            cells
                .iter()
                .map(|r| r[i].chars().count().min(60))
                .chain([headers[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |values: &[String]| {
        let cells: Vec<String> = values
            .iter()
            .zip(&widths)
            .map(|(v, w)| {
                let v: String = v.chars().take(60).collect();
                format!("{v:<w$}")
            })
            .collect();
        format!("{}\n", cells.join("  ").trim_end())
    };
    let mut out = line(&headers);
    for row in &cells {
        out.push_str(&line(row));
    }
    out
}

fn values(value: &Value, columns: &[String]) -> String {
    let (rows, _) = rows(value);
    rows.iter()
        .map(|row| {
            if columns.is_empty() {
                format!("{}\n", text(Some(row)))
            } else {
                let cells: Vec<String> = columns.iter().map(|c| text(field(row, c))).collect();
                format!("{}\n", cells.join("\t"))
            }
        })
        .collect()
}

/// Most bytes a text answer (Sensu's `/metrics`) may write.
const TEXT_LIMIT: usize = 64 * 1024 * 1024;

/// Writes an answer that is not JSON to standard output as it arrives.
pub async fn print_text(response: ResponseValue<ByteStream>) -> anyhow::Result<()> {
    use futures::StreamExt;
    let mut stream = response.into_inner_stream();
    let mut written = 0usize;
    let mut stdout = std::io::stdout().lock();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| anyhow::anyhow!("reading the answer: {e}"))?;
        written = written.saturating_add(chunk.len());
        if written > TEXT_LIMIT {
            anyhow::bail!("the answer is longer than {TEXT_LIMIT} bytes");
        }
        stdout.write_all(&chunk)?;
    }
    Ok(stdout.flush()?)
}

/// Implements one API's generated `CliConfig` on the printer.
macro_rules! cli_config {
    ($($api:ident),*) => {$(
        impl crate::generated::$api::CliConfig for Printer {
            fn success_item<T>(&self, value: &ResponseValue<T>)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
                self.item::<T>(value);
            }

            fn success_no_item(&self, _: &ResponseValue<()>) {}

            fn error(&self, _: &opsclient::Error) {
                // main prints the error once, with its exit status.
            }

            fn list_start<T>(&self)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
            }

            fn list_item<T>(&self, value: &T)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
                self.item(value);
            }

            fn list_end_success<T>(&self)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
            }

            fn list_end_error(&self, _: &opsclient::Error) {}

            fn all_pages(&self) -> bool {
                self.all
            }

            fn page_size(&self) -> u64 {
                self.page_size
            }

            fn next_page(&self, next: opsclient::Result<Option<String>>) {
                self.notes.next_page(next);
            }

            fn body_given<B: serde::Serialize>(&self, body: &B) {
                if let Ok(body) = serde_json::to_value(body) {
                    self.notes.body(body);
                }
            }

            fn success_items<T>(&self, items: &[T])
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
                let kind = format!("Array_of_{}", kind_of::<T>());
                self.print(&kind, serde_json::to_value(items).unwrap_or(Value::Null));
            }
        }
    )*};
}

crate::generated::for_each_api!(cli_config);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tables_take_the_list_out_of_its_envelope() {
        let goals = json!({"goals": [{"uuid": "u1", "name": "dummy", "display_name": "Dummy"}]});
        let text = table("GoalCollection", &goals, &[]);
        assert_eq!(text, "UUID  NAME   DISPLAY_NAME\nu1    dummy  Dummy\n");
        let checks = json!([{"metadata": {"name": "cpu"}, "command": "c", "interval": 60}]);
        assert!(table("Array_of_CheckConfig", &checks, &[]).starts_with("NAME  COMMAND  INTERVAL"));
        assert_eq!(
            values(&checks, &["metadata.name".into(), "interval".into()]),
            "cpu\t60\n"
        );
    }
}
