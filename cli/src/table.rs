//! Tables for people: each resource kind's columns as its API's own command-line tool shows
//! them (declared with each API in `opsclient_codegen::APIS`), dates as dates, lists and maps
//! as short text, one row per timestamp for Monasca's series, and columns fitted to the
//! terminal's width. `-c` picks columns by header or by dotted field path; a column that is
//! neither is refused with the list of those that are.

use serde_json::{Map, Value};

/// The declared table of some resource kinds.
#[derive(Debug)]
pub struct Table {
    /// The schemas it is for.
    pub kinds: &'static [&'static str],
    /// Its columns, in order.
    pub columns: &'static [Column],
    /// What one row is.
    pub rows: Rows,
}

/// One declared column.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Its header.
    pub header: &'static str,
    /// Its dotted field path, or [`REST`].
    pub path: &'static str,
    /// How its cells are shown.
    pub show: Show,
}

/// The path that stands for every zipped field no other column shows.
const REST: &str = "*";

/// How a column's cells are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// As the value is.
    Text,
    /// A date; `zero` for 0 or no value.
    Date {
        /// What 0 or no value shows as.
        zero: &'static str,
    },
    /// `true` or `false`; no value is `false`.
    Flag,
    /// How many items a list has.
    Count,
}

/// What one row of a table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// Each item.
    Items,
    /// Each row of an item's `values`, named by its `names`, beside the item's own fields.
    Zipped {
        /// The field naming the positions of each row.
        names: &'static str,
        /// The field holding the rows.
        values: &'static str,
    },
}

/// `-c` named a column that is neither a header nor a field of what was answered.
#[derive(Debug)]
pub struct UnknownColumn {
    /// The column asked for.
    pub asked: String,
    /// The headers and fields that could have been asked for.
    pub valid: Vec<String>,
}

impl std::fmt::Display for UnknownColumn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown column {:?}; the columns are: {}",
            self.asked,
            self.valid.join(", ")
        )
    }
}

impl std::error::Error for UnknownColumn {}

/// The declared table of `kind` (a schema name, or `Array_of_` one).
fn declared(kind: &str) -> Option<&'static Table> {
    let kind = kind.strip_prefix("Array_of_").unwrap_or(kind);
    crate::generated::TABLES
        .iter()
        .find(|table| table.kinds.contains(&kind))
}

/// A column as it is shown.
#[derive(Debug, Clone)]
struct Shown {
    header: String,
    path: String,
    show: Show,
}

/// The rows of an answer, and whether it is a list: the items of a list or of the list inside
/// an envelope (`goals`, `elements`, `results`), each zipped row of a series, or the one object.
fn rows(value: &Value, table: Option<&Table>) -> (Vec<Value>, bool) {
    if let Some(Rows::Zipped { names, values }) = table.map(|t| t.rows) {
        // One series alone (Monasca's alarm count) or a list of them.
        if value.get(names).is_some() && value.get(values).is_some() {
            return (zipped(value, names, values), true);
        }
        let (items, is_list) = items(value);
        let rows = items
            .into_iter()
            .flat_map(|item| zipped(item, names, values))
            .collect();
        return (rows, is_list);
    }
    let (items, is_list) = items(value);
    (items.into_iter().cloned().collect(), is_list)
}

/// The items of a list, of the one list of an envelope, or the one object.
fn items(value: &Value) -> (Vec<&Value>, bool) {
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

/// One row per element of `item[values]`: the item's other fields, and each position of the
/// element under its name in `item[names]`.
fn zipped(item: &Value, names: &str, values: &str) -> Vec<Value> {
    let Some(Value::Array(rows)) = item.get(values) else {
        return vec![item.clone()];
    };
    let names: Vec<&str> = item
        .get(names)
        .and_then(Value::as_array)
        .map(|n| n.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut own = Map::new();
    if let Value::Object(map) = item {
        for (key, value) in map {
            if !matches!(key.as_str(), "links" | "columns") && key != values {
                own.insert(key.clone(), value.clone());
            }
        }
    }
    rows.iter()
        .map(|row| {
            let mut fields = own.clone();
            if let Value::Array(cells) = row {
                for (name, cell) in names.iter().zip(cells) {
                    fields.insert(name.to_string(), cell.clone());
                }
            }
            Value::Object(fields)
        })
        .collect()
}

/// The names of the zipped fields of an answer, in order, for [`REST`].
fn zipped_names(value: &Value, table: &Table) -> Vec<String> {
    let Rows::Zipped { names, values } = table.rows else {
        return Vec::new();
    };
    let series: Vec<&Value> = if value.get(names).is_some() && value.get(values).is_some() {
        vec![value]
    } else {
        items(value).0
    };
    let mut found: Vec<String> = Vec::new();
    for item in series {
        for name in item
            .get(names)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !found.iter().any(|f| f == name) {
                found.push(name.to_string());
            }
        }
    }
    found
}

/// The value at a dotted path (`metadata.name`); through a list, the list of each element's.
fn field(value: &Value, path: &str) -> Option<Value> {
    let parts: Vec<&str> = path.split('.').collect();
    lookup(value, &parts)
}

fn lookup(value: &Value, parts: &[&str]) -> Option<Value> {
    let Some((first, rest)) = parts.split_first() else {
        return Some(value.clone());
    };
    match value {
        Value::Object(map) => lookup(map.get(*first)?, rest),
        Value::Array(items) => {
            let found: Vec<Value> = items.iter().filter_map(|i| lookup(i, parts)).collect();
            (!found.is_empty()).then_some(Value::Array(found))
        }
        _ => None,
    }
}

/// A value as one line of short text: lists joined with commas (`; ` between maps), maps as
/// `key=value` lists, control characters (an output's line ends) as spaces.
pub fn text(value: Option<&Value>) -> String {
    let text = match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => {
            let separator = if items.iter().any(|i| i.is_object() || i.is_array()) {
                "; "
            } else {
                ","
            };
            items
                .iter()
                .map(|v| text(Some(v)))
                .collect::<Vec<_>>()
                .join(separator)
        }
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| match v {
                Value::Object(_) | Value::Array(_) => format!("{k}={v}"),
                _ => format!("{k}={}", text(Some(v))),
            })
            .collect::<Vec<_>>()
            .join(","),
        Some(other) => other.to_string(),
    };
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A cell as its column shows it.
fn cell(value: Option<&Value>, show: Show) -> String {
    match show {
        Show::Text => text(value),
        Show::Flag => match value {
            None | Some(Value::Null) => "false".into(),
            Some(v) => text(Some(v)),
        },
        Show::Count => match value {
            Some(Value::Array(items)) => items.len().to_string(),
            None | Some(Value::Null) => "0".into(),
            Some(other) => text(Some(other)),
        },
        Show::Date { zero } => date(value).unwrap_or_else(|| match value {
            None | Some(Value::Null) => zero.to_string(),
            Some(Value::Number(n)) if n.as_f64() == Some(0.0) => zero.to_string(),
            Some(Value::String(s)) if s.is_empty() => zero.to_string(),
            other => text(other),
        }),
    }
}

/// A date from Unix seconds or ISO 8601 text, as `YYYY-MM-DD HH:MM:SS UTC`; `None` for 0 and
/// for what is not a date.
fn date(value: Option<&Value>) -> Option<String> {
    use chrono::{DateTime, NaiveDateTime, Utc};
    let at: DateTime<Utc> = match value? {
        Value::Number(n) => {
            let seconds = n.as_i64()?;
            if seconds == 0 {
                return None;
            }
            DateTime::from_timestamp(seconds, 0)?
        }
        Value::String(s) => match DateTime::parse_from_rfc3339(s) {
            Ok(at) => at.with_timezone(&Utc),
            // OpenStack often writes UTC times without a zone.
            Err(_) => ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
                .iter()
                .find_map(|format| NaiveDateTime::parse_from_str(s, format).ok())?
                .and_utc(),
        },
        _ => return None,
    };
    Some(at.format("%Y-%m-%d %H:%M:%S UTC").to_string())
}

/// A header as `-c` may name it: lower case, words joined by `-`.
fn normalized(name: &str) -> String {
    name.trim()
        .to_ascii_lowercase()
        .split([' ', '_', '-'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// The dotted paths of `rows`' fields, two levels deep, for the list of valid columns.
fn field_paths(rows: &[Value]) -> Vec<String> {
    let mut paths: Vec<String> = Vec::new();
    let mut add = |path: String| {
        if !paths.contains(&path) {
            paths.push(path);
        }
    };
    for row in rows {
        let Value::Object(map) = row else { continue };
        for (key, value) in map {
            add(key.clone());
            if let Value::Object(inner) = value {
                for inner_key in inner.keys() {
                    add(format!("{key}.{inner_key}"));
                }
            }
        }
    }
    paths.sort();
    paths
}

/// The columns to show: the `-c` ones, or the kind's declared ones, or the first plain fields.
fn chosen(
    value: &Value,
    table: Option<&Table>,
    rows: &[Value],
    asked: &[String],
) -> Result<Vec<Shown>, UnknownColumn> {
    let mut declared_columns: Vec<Shown> = Vec::new();
    if let Some(table) = table {
        let zipped = zipped_names(value, table);
        for column in table.columns {
            if column.path == REST {
                for name in &zipped {
                    if !table.columns.iter().any(|c| c.path == name) {
                        declared_columns.push(Shown {
                            header: name.to_ascii_uppercase(),
                            path: name.clone(),
                            show: Show::Text,
                        });
                    }
                }
            } else {
                declared_columns.push(Shown {
                    header: column.header.to_string(),
                    path: column.path.to_string(),
                    show: column.show,
                });
            }
        }
    }
    if asked.is_empty() {
        if declared_columns.is_empty() {
            return Ok(first_fields(rows.first()));
        }
        return Ok(declared_columns);
    }
    asked
        .iter()
        .map(|name| {
            if let Some(column) = declared_columns
                .iter()
                .find(|c| normalized(&c.header) == normalized(name))
            {
                return Ok(column.clone());
            }
            let is_field = rows.is_empty() || rows.iter().any(|row| field(row, name).is_some());
            if !is_field {
                let mut valid: Vec<String> = declared_columns
                    .iter()
                    .map(|c| normalized(&c.header))
                    .collect();
                for path in field_paths(rows) {
                    if !valid.contains(&path) {
                        valid.push(path);
                    }
                }
                return Err(UnknownColumn {
                    asked: name.clone(),
                    valid,
                });
            }
            // A declared column's path keeps its way of showing.
            let show = declared_columns
                .iter()
                .find(|c| c.path == *name)
                .map_or(Show::Text, |c| c.show);
            Ok(Shown {
                header: name.rsplit('.').next().unwrap_or(name).to_ascii_uppercase(),
                path: name.clone(),
                show,
            })
        })
        .collect()
}

/// For a kind without declared columns: the name, then the first plain fields.
fn first_fields(sample: Option<&Value>) -> Vec<Shown> {
    let mut paths = Vec::new();
    if let Some(Value::Object(map)) = sample {
        if map.get("metadata").and_then(|m| m.get("name")).is_some() {
            paths.push("metadata.name".to_string());
        }
        for (key, value) in map {
            if paths.len() >= 6 {
                break;
            }
            if !value.is_object() && !value.is_array() {
                paths.push(key.clone());
            }
        }
    }
    paths
        .into_iter()
        .map(|path| Shown {
            header: path
                .rsplit('.')
                .next()
                .unwrap_or(&path)
                .to_ascii_uppercase(),
            path,
            show: Show::Text,
        })
        .collect()
}

/// An answer as a table of `kind`'s columns (or the `-c` ones), fitted to `width` characters
/// when given: columns with no value in any row are left out first, then the widest columns
/// are narrowed, their cells cut with `…`. One object without `-c` is shown as its fields,
/// one per line.
pub fn render(
    kind: &str,
    value: &Value,
    asked: &[String],
    width: Option<usize>,
) -> Result<String, UnknownColumn> {
    let table = declared(kind);
    let (rows, is_list) = rows(value, table);
    if !is_list && asked.is_empty() {
        return Ok(one_object(value, table, width));
    }
    let columns = chosen(value, table, &rows, asked)?;
    let mut headers: Vec<String> = columns.iter().map(|c| c.header.clone()).collect();
    let mut cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            columns
                .iter()
                .map(|c| cell(field(row, &c.path).as_ref(), c.show))
                .collect()
        })
        .collect();
    if asked.is_empty() && !fits(&headers, &cells, width) {
        drop_empty_columns(&mut headers, &mut cells);
    }
    let widths = fitted(&headers, &cells, width);
    let line = |values: &[String]| {
        let padded: Vec<String> = values
            .iter()
            .zip(&widths)
            .map(|(v, w)| {
                let v = truncated(v, *w);
                let pad = w.saturating_sub(v.chars().count());
                format!("{v}{}", " ".repeat(pad))
            })
            .collect();
        format!("{}\n", padded.join(GAP).trim_end())
    };
    let mut out = line(&headers);
    for row in &cells {
        out.push_str(&line(row));
    }
    Ok(out)
}

/// One object: each field on its own line, dates of declared date columns as dates.
fn one_object(value: &Value, table: Option<&Table>, width: Option<usize>) -> String {
    let Value::Object(map) = value else {
        return format!("{}\n", text(Some(value)));
    };
    let key_width = map.keys().map(|k| k.chars().count()).max().unwrap_or(0);
    let value_width = width.map(|w| w.saturating_sub(key_width + GAP.len()).max(1));
    map.iter()
        .map(|(key, field)| {
            let show = table
                .and_then(|t| t.columns.iter().find(|c| c.path == key))
                .map_or(Show::Text, |c| c.show);
            let shown = cell(Some(field), show);
            let shown = match value_width {
                Some(w) => truncated(&shown, w),
                None => shown,
            };
            format!("{key:<key_width$}{GAP}{shown}")
                .trim_end()
                .to_string()
                + "\n"
        })
        .collect()
}

/// Between two columns.
const GAP: &str = "  ";

/// Whether the columns fit in `width` as wide as their widest cells.
fn fits(headers: &[String], cells: &[Vec<String>], width: Option<usize>) -> bool {
    let Some(width) = width else {
        return true;
    };
    let natural = fitted(headers, cells, None);
    natural.iter().sum::<usize>() + GAP.len() * headers.len().saturating_sub(1) <= width
}

/// Leaves out the columns with no value in any row, to make room for the others.
fn drop_empty_columns(headers: &mut Vec<String>, cells: &mut [Vec<String>]) {
    let keep: Vec<bool> = (0..headers.len())
        .map(|i| cells.iter().any(|row| !row[i].is_empty()))
        .collect();
    let mut index = 0;
    headers.retain(|_| {
        index += 1;
        keep[index - 1]
    });
    for row in cells.iter_mut() {
        let mut index = 0;
        row.retain(|_| {
            index += 1;
            keep[index - 1]
        });
    }
}

/// The narrowest a column is squeezed to, unless its content is narrower.
const NARROWEST: usize = 3;

/// Each column's width: as wide as its widest cell, or, when that does not fit in `width`,
/// the widest columns narrowed first until it does (headers kept whole while they fit).
fn fitted(headers: &[String], cells: &[Vec<String>], width: Option<usize>) -> Vec<usize> {
    let natural: Vec<usize> = (0..headers.len())
        .map(|i| {
            cells
                .iter()
                .map(|row| row[i].chars().count())
                .chain([headers[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let Some(width) = width else {
        return natural;
    };
    let gaps = GAP.len() * headers.len().saturating_sub(1);
    let room = width.saturating_sub(gaps);
    if natural.iter().sum::<usize>() <= room {
        return natural;
    }
    let header_floors: Vec<usize> = headers
        .iter()
        .zip(&natural)
        .map(|(h, n)| h.chars().count().min(*n))
        .collect();
    let floors = if header_floors.iter().sum::<usize>() <= room {
        header_floors
    } else {
        natural.iter().map(|n| (*n).min(NARROWEST)).collect()
    };
    let capped = |cap: usize| -> Vec<usize> {
        natural
            .iter()
            .zip(&floors)
            .map(|(n, f)| (*n).min(cap.max(*f)))
            .collect()
    };
    // The widest cap whose widths fit: the sum grows with the cap.
    let (mut low, mut high) = (0, natural.iter().copied().max().unwrap_or(0));
    while low < high {
        let middle = low + (high - low).div_ceil(2);
        if capped(middle).iter().sum::<usize>() <= room {
            low = middle;
        } else {
            high = middle - 1;
        }
    }
    capped(low)
}

/// `text` cut to `width` characters, ending in `…` when cut.
fn truncated(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut cut: String = text.chars().take(width - 1).collect();
    cut.push('…');
    cut
}

/// The values of the `-c` columns of each row, separated by tabs, one row per line; each row
/// as text without `-c`.
pub fn values(kind: &str, value: &Value, asked: &[String]) -> Result<String, UnknownColumn> {
    let table = declared(kind);
    let (rows, _) = rows(value, table);
    if asked.is_empty() {
        return Ok(rows
            .iter()
            .map(|row| format!("{}\n", text(Some(row))))
            .collect());
    }
    let columns = chosen(value, table, &rows, asked)?;
    Ok(rows
        .iter()
        .map(|row| {
            let cells: Vec<String> = columns
                .iter()
                .map(|c| cell(field(row, &c.path).as_ref(), c.show))
                .collect();
            format!("{}\n", cells.join("\t"))
        })
        .collect())
}

/// The width tables are fitted to: `COLUMNS` when set, else the terminal's when standard
/// output is one, else none (the table is as wide as its cells).
pub fn output_width() -> Option<usize> {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c > 0)
    {
        return Some(columns);
    }
    let stdout = std::io::stdout();
    if !std::io::IsTerminal::is_terminal(&stdout) {
        return None;
    }
    rustix::termios::tcgetwinsize(&stdout)
        .ok()
        .map(|size| usize::from(size.ws_col))
        .filter(|c| *c > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tables_take_the_list_out_of_its_envelope() {
        let goals = json!({"goals": [{"uuid": "u1", "name": "dummy", "display_name": "Dummy"}]});
        let text = render("GoalCollection", &goals, &[], None).unwrap();
        assert_eq!(text, "UUID  NAME   DISPLAY NAME\nu1    dummy  Dummy\n");
        let checks = json!([{"metadata": {"name": "cpu"}, "command": "c", "interval": 60}]);
        assert_eq!(
            values(
                "Array_of_CheckConfig",
                &checks,
                &["metadata.name".into(), "interval".into()]
            )
            .unwrap(),
            "cpu\t60\n"
        );
    }

    #[test]
    fn maps_are_key_value_lists_and_lists_are_comma_separated() {
        assert_eq!(
            text(Some(&json!({"hostname": "h1", "region": "r1"}))),
            "hostname=h1,region=r1"
        );
        assert_eq!(text(Some(&json!(["a", "b"]))), "a,b");
        assert_eq!(text(Some(&json!([{"a": "1"}, {"a": "2"}]))), "a=1; a=2");
        assert_eq!(
            text(Some(&json!("line one\nline two"))),
            "line one line two"
        );
    }

    #[test]
    fn dates_from_seconds_and_from_iso_text() {
        let show = Show::Date { zero: "N/A" };
        assert_eq!(
            cell(Some(&json!(1_700_000_000)), show),
            "2023-11-14 22:13:20 UTC"
        );
        assert_eq!(
            cell(Some(&json!("2023-11-14T22:13:20.000Z")), show),
            "2023-11-14 22:13:20 UTC"
        );
        assert_eq!(
            cell(Some(&json!("2023-11-14T23:13:20+01:00")), show),
            "2023-11-14 22:13:20 UTC"
        );
        assert_eq!(
            cell(Some(&json!("2023-11-14T22:13:20.123456")), show),
            "2023-11-14 22:13:20 UTC"
        );
        assert_eq!(cell(Some(&json!(0)), show), "N/A");
        assert_eq!(cell(None, show), "N/A");
        assert_eq!(cell(Some(&json!("soon")), show), "soon");
    }

    #[test]
    fn fitting_narrows_the_widest_columns_first() {
        let headers = vec!["NAME".to_string(), "OUTPUT".to_string()];
        let cells = vec![vec!["cpu".to_string(), "x".repeat(100)]];
        assert_eq!(fitted(&headers, &cells, None), [4, 100]);
        assert_eq!(fitted(&headers, &cells, Some(40)), [4, 34]);
        assert_eq!(fitted(&headers, &cells, Some(200)), [4, 100]);
        // Too narrow even for the headers: columns go down to three characters.
        assert_eq!(fitted(&headers, &cells, Some(8)), [3, 3]);
        assert_eq!(truncated("abcdef", 4), "abc…");
        let mut headers = vec!["A".to_string(), "EMPTY".to_string(), "B".to_string()];
        let mut cells = vec![vec!["1".to_string(), String::new(), "2".to_string()]];
        drop_empty_columns(&mut headers, &mut cells);
        assert_eq!(headers, ["A", "B"]);
        assert_eq!(cells, [["1", "2"]]);
        assert_eq!(truncated("abc", 4), "abc");
    }
}
