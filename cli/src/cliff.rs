//! What the Python CLIs print, for scripts that read it: watcherclient's commands print through
//! cliff, whose `-f json|yaml|value|table|csv` shows each command's columns under their labels
//! (`-c` picks columns by label or field name), and monascaclient's `-j` prints the answer's
//! items as JSON. Facts from cliff 4.17 (`cliff/formatters/*.py`, `cliff/display.py`), osc-lib's
//! `get_item_properties` and watcherclient 4.11 (`watcherclient/v1/resource_fields.py` and the
//! shells).

pub mod python;
pub mod views;

use serde_json::{Map, Value};

use crate::exit::Usage;
use python::Json;

/// A watcherclient command's columns: (field, label).
#[derive(Debug)]
pub struct View {
    /// The fields shown and their labels, in order.
    pub fields: &'static [(&'static str, &'static str)],
    /// One item (cliff's ShowOne) rather than a list (Lister).
    pub one: bool,
    /// What the command changes before showing.
    pub adjust: Adjust,
}

/// The changes a watcherclient command makes to what it shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Adjust {
    /// None.
    Nothing,
    /// An audit without a strategy shows `auto`.
    AutoStrategy,
    /// A strategy shows its parameters' specification as indented JSON, `{}` when empty.
    ParametersSpec,
    /// A strategy requirement whose state is a list shows it as indented JSON.
    StateAsJson,
}

/// cliff's formatters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Format {
    /// `json.dump` of label → value.
    Json,
    /// `yaml.safe_dump`.
    Yaml,
    /// The values, space-separated (lists) or one per line (one item).
    Value,
    /// prettytable.
    Table,
    /// Comma-separated, quoted unless numeric (lists only).
    Csv,
}

/// The output a Python CLI prints.
#[derive(Debug, Clone)]
pub enum Output {
    /// cliff's, for watcherclient.
    Cliff {
        /// The command's columns.
        view: &'static View,
        /// `-f`.
        format: Format,
        /// The columns `-c` picked (indexes into the view), in the view's order; all without `-c`.
        columns: Vec<usize>,
        /// `--noindent`.
        noindent: bool,
    },
    /// monascaclient's `-j`: the items of a list, or the one answer, as indented JSON.
    MonascaJson,
}

/// cliff's column name rule: lower case, spaces as underscores.
fn normalize(name: &str) -> String {
    name.trim().to_lowercase().replace(' ', "_")
}

impl Output {
    /// cliff's output for `-f format -c columns...` on a command with `view`.
    pub fn cliff(
        view: &'static View,
        format: &str,
        columns: &[String],
        noindent: bool,
    ) -> Result<Output, Usage> {
        let format = match format {
            "json" => Format::Json,
            "yaml" => Format::Yaml,
            "value" => Format::Value,
            "table" => Format::Table,
            "csv" if !view.one => Format::Csv,
            other => {
                let choices = if view.one {
                    "json, table, value, yaml"
                } else {
                    "csv, json, table, value, yaml"
                };
                return Err(Usage(format!("-f {other}: the format is one of {choices}")));
            }
        };
        let asked: Vec<String> = columns.iter().map(|c| normalize(c)).collect();
        let picked: Vec<usize> = (0..view.fields.len())
            .filter(|i| asked.is_empty() || asked.contains(&normalize(view.fields[*i].1)))
            .collect();
        if picked.is_empty() {
            let labels: Vec<&str> = view.fields.iter().map(|(_, label)| *label).collect();
            return Err(Usage(format!(
                "no recognized column names in {columns:?}; the columns are {labels:?}"
            )));
        }
        Ok(Output::Cliff {
            view,
            format,
            columns: picked,
            noindent,
        })
    }

    /// The text printed for `answer`.
    pub fn render(&self, answer: &Value) -> String {
        match self {
            Output::MonascaJson => {
                let shown = match answer {
                    Value::Object(map) => map.get("elements").unwrap_or(answer),
                    other => other,
                };
                python::dumps(&Json::Plain(shown), Some(2), false) + "\n"
            }
            Output::Cliff {
                view,
                format,
                columns,
                noindent,
            } => {
                let labels: Vec<&str> = columns.iter().map(|i| view.fields[*i].1).collect();
                let rows: Vec<Vec<Value>> = items(view, answer)
                    .into_iter()
                    .map(|item| cells(view, columns, item))
                    .collect();
                let indent = if *noindent { None } else { Some(2) };
                if view.one {
                    let row = rows.into_iter().next().unwrap_or_default();
                    one(*format, &labels, &row, indent)
                } else {
                    list(*format, &labels, &rows, indent)
                }
            }
        }
    }
}

/// The items an answer holds: the one object, the list inside watcher's envelope
/// (`{"audits": [...], "next": ...}`), or a bare list.
fn items<'a>(view: &View, answer: &'a Value) -> Vec<&'a Value> {
    if view.one {
        return vec![answer];
    }
    match answer {
        Value::Array(items) => items.iter().collect(),
        Value::Object(map) => map
            .values()
            .find_map(Value::as_array)
            .map(|items| items.iter().collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The values of one item's columns, as watcherclient shows them.
fn cells(view: &View, columns: &[usize], item: &Value) -> Vec<Value> {
    columns
        .iter()
        .map(|i| {
            let field = view.fields[*i].0;
            // The library leaves out a field the server sent as null: shown as None, as the
            // Python CLI shows that null.
            let value = item.get(field).cloned().unwrap_or(Value::Null);
            match (view.adjust, field) {
                (Adjust::AutoStrategy, "strategy_name") if value.is_null() => {
                    Value::String("auto".into())
                }
                (Adjust::ParametersSpec, "parameters_spec") => match value.get("properties") {
                    Some(Value::Object(p)) if !p.is_empty() => Value::String(python::dumps(
                        &Json::Plain(&Value::Object(p.clone())),
                        Some(2),
                        true,
                    )),
                    _ => Value::Object(Map::new()),
                },
                (Adjust::StateAsJson, "state") if value.is_array() => {
                    Value::String(python::dumps(&Json::Plain(&value), Some(2), true))
                }
                _ => value,
            }
        })
        .collect()
}

fn one(format: Format, labels: &[&str], row: &[Value], indent: Option<usize>) -> String {
    let pairs = || labels.iter().zip(row);
    match format {
        Format::Json => {
            let object = Json::Object(pairs().map(|(l, v)| (*l, Json::Plain(v))).collect());
            python::dumps(&object, indent, true) + "\n"
        }
        // One document per column, in the columns' order.
        Format::Yaml => pairs()
            .map(|(label, value)| {
                let mut map = Map::new();
                map.insert(label.to_string(), value.clone());
                serde_yaml_ng::to_string(&map).unwrap_or_default()
            })
            .collect(),
        Format::Value => row.iter().map(|v| python::str(v) + "\n").collect(),
        Format::Table | Format::Csv => {
            let rows: Vec<Vec<Value>> = pairs()
                .map(|(l, v)| vec![Value::String(l.to_string()), v.clone()])
                .collect();
            python::table(&["Field", "Value"], &rows) + "\n"
        }
    }
}

fn list(format: Format, labels: &[&str], rows: &[Vec<Value>], indent: Option<usize>) -> String {
    match format {
        Format::Json => {
            let items = rows
                .iter()
                .map(|row| {
                    Json::Object(
                        labels
                            .iter()
                            .zip(row)
                            .map(|(l, v)| (*l, Json::Plain(v)))
                            .collect(),
                    )
                })
                .collect();
            python::dumps(&Json::Array(items), indent, true) + "\n"
        }
        Format::Yaml => {
            let items: Vec<Value> = rows
                .iter()
                .map(|row| {
                    let map: Map<String, Value> = labels
                        .iter()
                        .zip(row)
                        .map(|(l, v)| (l.to_string(), v.clone()))
                        .collect();
                    Value::Object(map)
                })
                .collect();
            if items.is_empty() {
                return "[]\n".into();
            }
            serde_yaml_ng::to_string(&items).unwrap_or_default()
        }
        Format::Value => rows
            .iter()
            .map(|row| row.iter().map(python::str).collect::<Vec<_>>().join(" ") + "\n")
            .collect(),
        Format::Csv => {
            let header: Vec<Value> = labels
                .iter()
                .map(|l| Value::String(l.to_string()))
                .collect();
            std::iter::once(&header)
                .chain(rows)
                .map(|row| {
                    row.iter()
                        .map(python::csv_cell)
                        .collect::<Vec<_>>()
                        .join(",")
                        + "\n"
                })
                .collect()
        }
        Format::Table => python::table(labels, rows) + "\n",
    }
}

#[cfg(test)]
mod tests;
