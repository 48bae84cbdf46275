//! The result of a drift check: what was called, what was skipped, what differs; as a table
//! for people and as JSON for CI.

use std::fmt;

use serde::Serialize;

use super::{Finding, Skipped};

/// What a drift check found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The API (`watcher`).
    pub api: String,
    /// The server's URL.
    pub server: String,
    /// The API version the document describes (`info.version`).
    pub document_version: Option<String>,
    /// The operations called, in order.
    pub called: Vec<String>,
    /// The operations not called or not judged, and why.
    pub skipped: Vec<Skipped>,
    /// The differences, each once.
    pub findings: Vec<Finding>,
}

impl Report {
    pub(crate) fn new(api: &str, server: &str, document_version: Option<&str>) -> Report {
        Report {
            api: api.to_string(),
            server: server.to_string(),
            document_version: document_version.map(str::to_string),
            called: Vec::new(),
            skipped: Vec::new(),
            findings: Vec::new(),
        }
    }

    pub(crate) fn add(&mut self, findings: Vec<Finding>) {
        self.findings.extend(findings);
    }

    /// Whether the server and the document agree on everything checked.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }
}

/// The table: one line per finding, then what was skipped and a count.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows: Vec<[String; 5]> = self
            .findings
            .iter()
            .map(|finding| {
                let mut detail = finding.detail.clone();
                if let Some(example) = &finding.example {
                    let mut shown = example.to_string();
                    if shown.chars().count() > 40 {
                        shown = shown.chars().take(39).collect::<String>() + "…";
                    }
                    detail.push_str(&format!(" (e.g. {shown})"));
                }
                [
                    finding.kind.name().to_string(),
                    finding.operation.clone(),
                    finding.json_path.clone(),
                    finding.schema.clone().unwrap_or_default(),
                    detail,
                ]
            })
            .collect();
        if !rows.is_empty() {
            let headers = ["KIND", "OPERATION", "WHERE", "SCHEMA", "DETAIL"];
            let mut widths = headers.map(str::len);
            for row in &rows {
                for (width, cell) in widths.iter_mut().zip(row) {
                    *width = (*width).max(cell.chars().count());
                }
            }
            let line = |f: &mut fmt::Formatter<'_>, cells: [&str; 5]| {
                let mut text = String::new();
                for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
                    if i + 1 == cells.len() {
                        text.push_str(cell);
                    } else {
                        text.push_str(&format!("{cell:<width$}  "));
                    }
                }
                writeln!(f, "{}", text.trim_end())
            };
            line(f, headers)?;
            for row in &rows {
                line(f, row.each_ref().map(String::as_str))?;
            }
            writeln!(f)?;
        }
        for skipped in &self.skipped {
            writeln!(f, "skipped {}: {}", skipped.operation, skipped.reason)?;
        }
        writeln!(
            f,
            "{} against {}: {} operations called, {} skipped, {} finding{}",
            self.api,
            self.server,
            self.called.len(),
            self.skipped.len(),
            self.findings.len(),
            if self.findings.len() == 1 { "" } else { "s" }
        )
    }
}
