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

/// What was printed, shared with the command's caller: the last answer, for `--wait`, and
/// whether `-c` named a column the answer does not have.
#[derive(Clone, Default)]
pub struct Printed(Arc<Mutex<Outcome>>);

#[derive(Default)]
struct Outcome {
    last: Option<Value>,
    unknown_column: Option<crate::table::UnknownColumn>,
}

impl Printed {
    /// The last answer printed, as JSON.
    pub fn last(&self) -> Option<Value> {
        self.0.lock().ok()?.last.clone()
    }

    /// An error if an answer could not be printed as asked (an unknown `-c` column); a usage
    /// error, so the tool exits 2.
    pub fn check(&self) -> anyhow::Result<()> {
        let refused = self.0.lock().ok().and_then(|mut o| o.unknown_column.take());
        match refused {
            Some(unknown) => Err(crate::exit::Usage(unknown.to_string()).into()),
            None => Ok(()),
        }
    }
}

/// Prints answers, and keeps what `Printed` reports.
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
    /// The width tables are fitted to, if any.
    pub width: Option<usize>,
    printed: Printed,
    notes: crate::feedback::Notes,
}

impl Printer {
    /// A printer for the given options, fitting tables to the terminal (see
    /// [`crate::table::output_width`]).
    pub fn new(format: Format, columns: Vec<String>, all: bool, page_size: u64) -> Printer {
        Printer {
            format,
            columns,
            all,
            page_size,
            python: None,
            width: crate::table::output_width(),
            printed: Printed::default(),
            notes: crate::feedback::Notes::default(),
        }
    }

    /// The printer printing what a Python CLI would print, when `python` is given.
    pub fn with_python_output(mut self, python: Option<crate::cliff::Output>) -> Printer {
        self.python = python;
        self
    }

    /// A handle on what was printed.
    pub fn printed(&self) -> Printed {
        self.printed.clone()
    }

    /// A handle on what the command noted on its way: the body it sent, the next page.
    pub fn notes(&self) -> crate::feedback::Notes {
        self.notes.clone()
    }

    /// Prints one answer whose type is `kind` (its schema title, e.g. `CheckConfig`).
    pub fn print(&self, kind: &str, value: Value) {
        let shown = redact_secrets(kind, &value);
        let text = match (&self.python, self.format) {
            (Some(python), _) => Ok(python.render(&shown)),
            (None, Format::Json) => {
                Ok(serde_json::to_string_pretty(&shown).unwrap_or_default() + "\n")
            }
            (None, Format::Yaml) => Ok(serde_yaml_ng::to_string(&shown).unwrap_or_default()),
            (None, Format::Table) => crate::table::render(kind, &shown, &self.columns, self.width),
            (None, Format::Value) => crate::table::values(kind, &shown, &self.columns),
        };
        let Ok(mut outcome) = self.printed.0.lock() else {
            return;
        };
        outcome.last = Some(value);
        match text {
            Ok(text) => {
                let mut stdout = std::io::stdout().lock();
                let _ = stdout.write_all(text.as_bytes());
            }
            Err(unknown) => outcome.unknown_column = Some(unknown),
        }
    }

    fn item<T: Serialize + schemars::JsonSchema>(&self, value: &T) {
        let kind = kind_of::<T>();
        self.print(&kind, serde_json::to_value(value).unwrap_or(Value::Null));
    }
}

/// `value` (of `kind`, or a list of it) with each property its document marks as a secret
/// shown as `[redacted]`: a token the server answered is the session's, never the screen's.
/// Says on standard error what it left out.
fn redact_secrets<'v>(kind: &str, value: &'v Value) -> std::borrow::Cow<'v, Value> {
    let kind = kind.strip_prefix("Array_of_").unwrap_or(kind);
    // Most kinds hold no secret: their answer is printed as it is, without a copy.
    let Some((_, properties)) = crate::generated::SECRET_PROPERTIES
        .iter()
        .find(|(name, _)| *name == kind)
    else {
        return std::borrow::Cow::Borrowed(value);
    };
    let mut value = value.clone();
    let mut hidden = Vec::new();
    let mut redact = |item: &mut Value| {
        for property in *properties {
            if let Some(secret) = item.get_mut(*property).filter(|v| !v.is_null()) {
                *secret = Value::String("[redacted]".into());
                if !hidden.contains(property) {
                    hidden.push(*property);
                }
            }
        }
    };
    match &mut value {
        Value::Array(items) => items.iter_mut().for_each(&mut redact),
        item => redact(item),
    }
    if !hidden.is_empty() {
        eprintln!(
            "note: {} not shown: secrets stay in the session, never on the screen",
            hidden.join(", ")
        );
    }
    std::borrow::Cow::Owned(value)
}

/// The name of `T`'s schema: `CheckConfig`, or `Array_of_CheckConfig` for a list of them.
fn kind_of<T: schemars::JsonSchema>() -> String {
    T::schema_name()
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
