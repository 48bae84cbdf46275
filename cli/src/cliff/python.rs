//! JSON values written as Python writes them: `str()` and `repr()`, `json.dumps`, the csv
//! module's QUOTE_NONNUMERIC cells and prettytable's tables.

use serde_json::{Number, Value};

/// A JSON document whose objects keep the order given (cliff's columns), around plain values.
pub enum Json<'a> {
    /// A value as it is.
    Plain(&'a Value),
    /// An object whose keys keep this order.
    Object(Vec<(&'a str, Json<'a>)>),
    /// A list.
    Array(Vec<Json<'a>>),
}

/// Python's `repr()` of a float: always a fraction or an exponent.
fn number(n: &Number) -> String {
    match n.as_f64() {
        Some(f) if n.is_f64() && f.is_finite() && f.fract() == 0.0 && f.abs() < 1e16 => {
            format!("{f:.1}")
        }
        _ => n.to_string(),
    }
}

/// Python's `str()` of the value json.loads gives.
pub fn str(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => repr(other),
    }
}

/// Python's `repr()` of the value json.loads gives.
pub fn repr(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => number(n),
        Value::String(text) => repr_str(text),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(repr).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", repr_str(k), repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Python's `repr()` of a string: single quotes unless it holds one and no double quote.
fn repr_str(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// A JSON string as `json.dumps` writes it.
fn json_str(text: &str, ensure_ascii: bool) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (ensure_ascii && !c.is_ascii()) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `json.dumps(value, indent=indent, ensure_ascii=ensure_ascii)`.
pub fn dumps(value: &Json, indent: Option<usize>, ensure_ascii: bool) -> String {
    let mut out = String::new();
    write(&mut out, value, indent, 0, ensure_ascii);
    out
}

fn write(out: &mut String, value: &Json, indent: Option<usize>, level: usize, ascii: bool) {
    // The members of a list or an object, as (key, value).
    let members: Vec<(Option<String>, Json)> = match value {
        Json::Plain(Value::Array(items)) => items.iter().map(|v| (None, Json::Plain(v))).collect(),
        Json::Plain(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| (Some(k.clone()), Json::Plain(v)))
            .collect(),
        Json::Object(pairs) => pairs
            .iter()
            .map(|(k, v)| (Some(k.to_string()), reborrow(v)))
            .collect(),
        Json::Array(items) => items.iter().map(|v| (None, reborrow(v))).collect(),
        Json::Plain(scalar) => {
            out.push_str(&match scalar {
                Value::String(text) => json_str(text, ascii),
                Value::Number(n) => number(n),
                other => other.to_string(),
            });
            return;
        }
    };
    let object = matches!(value, Json::Object(_) | Json::Plain(Value::Object(_)));
    let (open, close) = if object { ('{', '}') } else { ('[', ']') };
    out.push(open);
    if members.is_empty() {
        out.push(close);
        return;
    }
    let newline = |level: usize| indent.map(|i| format!("\n{}", " ".repeat(i * level)));
    for (i, (key, member)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
            if indent.is_none() {
                out.push(' ');
            }
        }
        if let Some(line) = newline(level + 1) {
            out.push_str(&line);
        }
        if let Some(key) = key {
            out.push_str(&json_str(key, ascii));
            out.push_str(": ");
        }
        write(out, member, indent, level + 1, ascii);
    }
    if let Some(line) = newline(level) {
        out.push_str(&line);
    }
    out.push(close);
}

/// A second view of a node, for walking it.
fn reborrow<'a>(node: &'a Json<'a>) -> Json<'a> {
    match node {
        Json::Plain(v) => Json::Plain(v),
        Json::Object(pairs) => Json::Object(pairs.iter().map(|(k, v)| (*k, reborrow(v))).collect()),
        Json::Array(items) => Json::Array(items.iter().map(reborrow).collect()),
    }
}

/// A cell as the csv module writes it with QUOTE_NONNUMERIC: numbers (and booleans) bare,
/// everything else quoted, quotes doubled; `None` is an empty quoted string.
pub fn csv_cell(value: &Value) -> String {
    match value {
        Value::Number(_) | Value::Bool(_) => str(value),
        Value::Null => "\"\"".into(),
        other => format!("\"{}\"", str(other).replace('"', "\"\"")),
    }
}

/// prettytable's table as cliff draws it: numbers right-aligned (by the first row), text
/// left-aligned, one line per line of a cell.
pub fn table(headers: &[&str], rows: &[Vec<Value>]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let right: Vec<bool> = (0..headers.len())
        .map(|i| matches!(rows[0].get(i), Some(Value::Number(_))))
        .collect();
    let cells: Vec<Vec<Vec<String>>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|v| {
                    let text = str(v).replace("\r\n", "\n").replace('\r', " ");
                    text.split('\n').map(str::to_string).collect()
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = (0..headers.len())
        .map(|i| {
            cells
                .iter()
                .flat_map(|row| row[i].iter().map(|l| l.chars().count()))
                .chain([headers[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let rule = format!(
        "+{}+",
        widths
            .iter()
            .map(|w| "-".repeat(w + 2))
            .collect::<Vec<_>>()
            .join("+")
    );
    let line = |texts: Vec<&str>| {
        let cells: Vec<String> = texts
            .iter()
            .zip(&widths)
            .zip(&right)
            .map(|((text, width), right)| {
                if *right {
                    format!(" {text:>width$} ")
                } else {
                    format!(" {text:<width$} ")
                }
            })
            .collect();
        format!("|{}|", cells.join("|"))
    };
    let mut out = vec![rule.clone(), line(headers.to_vec()), rule.clone()];
    for row in &cells {
        let height = row.iter().map(Vec::len).max().unwrap_or(1);
        for l in 0..height {
            out.push(line(
                row.iter()
                    .map(|c| c.get(l).map_or("", String::as_str))
                    .collect(),
            ));
        }
    }
    out.push(rule);
    out.join("\n")
}
