//! Loads opsclient's OpenAPI documents, checks them, and turns them into Rust.
//!
//! `build.rs` and `cargo xtask spec-check` both use this crate, so the rules a
//! document must follow and the way it becomes code live in one place.

mod apis;
mod cli;
mod cli_body;
pub mod conformance;
mod keep_unknown;
mod lint;
mod operations;
#[cfg(feature = "overlay")]
pub mod overlay;
mod paging;
mod send;
mod setters;
mod shape;

use std::path::{Path, PathBuf};

pub use apis::{
    features, Api, BodyNames, Cli, Column, Columns, Connect, PageSource, Paging, Rows, Show, APIS,
};
pub use cli::{generate_cli, secret_properties};
pub use lint::lint;
pub use operations::{Auth, ListShape, Operation};

/// A problem with a document, named by its file.
#[derive(Debug)]
pub struct Problem {
    /// The document.
    pub file: PathBuf,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.message)
    }
}

impl std::error::Error for Problem {}

impl Problem {
    fn new(file: &Path, message: impl Into<String>) -> Self {
        Problem {
            file: file.to_path_buf(),
            message: message.into(),
        }
    }
}

/// A parsed document.
#[derive(Debug, Clone)]
pub struct Document {
    /// Where it was read from.
    pub file: PathBuf,
    /// The document as written.
    pub spec: openapiv3::OpenAPI,
}

/// Reads and parses a YAML or JSON OpenAPI document.
pub fn load(file: &Path) -> Result<Document, Problem> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Problem::new(file, format!("cannot read: {e}")))?;
    let spec: openapiv3::OpenAPI = serde_yaml_ng::from_str(&text)
        .map_err(|e| Problem::new(file, format!("not a valid OpenAPI 3.0 document: {e}")))?;
    Ok(Document {
        file: file.to_path_buf(),
        spec,
    })
}

/// The Rust code generated from one document.
#[derive(Debug)]
pub struct Generated {
    /// progenitor's client and types, then opsclient's operation table, hooks and paging glue.
    pub code: String,
    /// The operations, as the table in `code` describes them.
    pub operations: Vec<Operation>,
}

/// Media types progenitor cannot send but that are JSON on the wire. The generator sees
/// `application/json`; the operation table keeps the real type, and the transport sends it.
const JSON_ALIASES: &[&str] = &["application/merge-patch+json"];

/// What generated structs do with properties their document does not declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownProperties {
    /// Kept in an `extra` map and written back, decoded by a deserializer generated for each
    /// struct. What the crate uses.
    Kept,
    /// Kept in an `extra` map, decoded by serde's derive with `#[serde(flatten)]`, which buffers
    /// each object first. Only for measuring.
    Flattened,
    /// Dropped on decode. Only for measuring.
    Dropped,
}

/// Lints the document, then generates the code for `api`.
pub fn generate(api: &Api, doc: &Document) -> Result<Generated, Problem> {
    let problems = lint(doc);
    if !problems.is_empty() {
        return Err(Problem::new(&doc.file, problems.join("\n  ")));
    }
    let operations = operations::collect(&doc.spec, api.paging.as_ref())
        .map_err(|m| Problem::new(&doc.file, m))?;

    let spec = spec_for_types(doc, UnknownProperties::Kept);
    let mut settings = type_settings(IN_CRATE);
    settings
        .with_hooks(progenitor::HooksMode::Expected)
        .with_inner_type(inner_type(api, &doc.file)?);

    let mut code = run_progenitor(&settings, &spec)
        .map_err(|m| Problem::new(&doc.file, m))?
        .to_string();
    code.push_str(&operations::render(&operations));
    code.push_str(&HOOKS.replace("INNER", api.inner));
    code.push_str(
        &DRIFT
            .replace("API_NAME", api.name)
            .replace("API_SPEC", api.spec),
    );
    if let Some(paging) = &api.paging {
        code.push_str(
            &paging::render(&operations, paging).map_err(|m| Problem::new(&doc.file, m))?,
        );
    }
    let mut file = syn::parse_file(&code)
        .map_err(|e| Problem::new(&doc.file, format!("generated code does not parse: {e}")))?;
    keep_unknown::replace_flattened_deserializers(&mut file)
        .map_err(|m| Problem::new(&doc.file, m))?;
    send::send_in_crate_errors(&mut file).map_err(|m| Problem::new(&doc.file, m))?;
    setters::plain_value_setters(&mut file).map_err(|m| Problem::new(&doc.file, m))?;
    Ok(Generated {
        code: prettyplease::unparse(&file),
        operations,
    })
}

/// Only the `types` module of a document, with unknown properties treated as `unknown` says.
/// The benchmarks use it to compare the three ways side by side; the crate uses [`generate`].
pub fn generate_types(doc: &Document, unknown: UnknownProperties) -> Result<String, Problem> {
    let spec = spec_for_types(doc, unknown);
    let tokens =
        run_progenitor(&type_settings(IN_CRATE), &spec).map_err(|m| Problem::new(&doc.file, m))?;
    let mut file = syn::parse2::<syn::File>(tokens)
        .map_err(|e| Problem::new(&doc.file, format!("generated code does not parse: {e}")))?;
    if unknown == UnknownProperties::Kept {
        keep_unknown::replace_flattened_deserializers(&mut file)
            .map_err(|m| Problem::new(&doc.file, m))?;
    }
    file.items
        .retain(|item| matches!(item, syn::Item::Mod(m) if m.ident == "types"));
    Ok(prettyplease::unparse(&file))
}

/// Typed [httpmock](https://docs.rs/httpmock) mocks of every operation of `api`, by progenitor's
/// `Generator::httpmock`: a `MockServerExt` trait with one method per operation, and its
/// `When`/`Then` wrappers in `operations`. The document is shaped as for [`generate`] and the
/// type settings are the same, so the mocks take and answer the very types of the library's
/// module (`opsclient::<module>::types`), named from outside the library.
pub fn generate_httpmock(api: &Api, doc: &Document) -> Result<String, Problem> {
    let problems = lint(doc);
    if !problems.is_empty() {
        return Err(Problem::new(&doc.file, problems.join("\n  ")));
    }
    let spec = spec_for_types(doc, UnknownProperties::Kept);
    let settings = type_settings(FROM_OUTSIDE);
    let library = api.library_path();
    let tokens = catch_panics(|| progenitor::Generator::new(&settings).httpmock(&spec, &library))
        .map_err(|m| Problem::new(&doc.file, m))?;
    let file = syn::parse2::<syn::File>(tokens)
        .map_err(|e| Problem::new(&doc.file, format!("generated code does not parse: {e}")))?;
    Ok(prettyplease::unparse(&file))
}

/// Where the generated types find the library's own types: from inside it, and from a crate
/// beside it.
const IN_CRATE: &str = "crate";
const FROM_OUTSIDE: &str = "::opsclient";

/// The document as typify should see it.
fn spec_for_types(doc: &Document, unknown: UnknownProperties) -> openapiv3::OpenAPI {
    let mut spec = doc.spec.clone();
    operations::alias_json_media_types(&mut spec, JSON_ALIASES);
    shape::shape_for_types(&mut spec, unknown != UnknownProperties::Dropped);
    spec
}

/// The settings that decide the generated types; `library` is the path of the opsclient crate
/// where the code is compiled.
fn type_settings(library: &str) -> progenitor::GenerationSettings {
    let mut settings = progenitor::GenerationSettings::new();
    settings
        .with_interface(progenitor::InterfaceStyle::Builder)
        .with_tag(progenitor::TagStyle::Merged)
        .with_map_type("::std::collections::BTreeMap")
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        // Secrets (passwords, hashes, tokens) get a type whose Debug hides them.
        .with_conversion(
            password_schema(),
            format!("{library}::secret::SecretText"),
            [progenitor::TypeImpl::Default].into_iter(),
        );
    settings
}

/// Every generated client sends its requests through the shared transport. progenitor asks for
/// its hooks to exist; the rewritten `send()`s (see `send.rs`) call the transport instead.
const HOOKS: &str = r#"
impl ClientHooks<INNER> for Client {}

impl Client {
    /// Sends a request progenitor built through the crate's transport.
    async fn send_through_transport(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> crate::Result<reqwest::Response> {
        let transport: &crate::transport::Transport = self.inner.as_ref();
        transport.execute(self.client(), OPERATIONS, request, info).await
    }
}
"#;

/// What a drift check needs of each client: the API's name, its document and its operations.
const DRIFT: &str = r#"
#[cfg(feature = "drift")]
impl crate::drift::Api for Client {
    const NAME: &'static str = "API_NAME";
    const DOCUMENT: &'static str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/API_SPEC"));
    fn operations() -> &'static [crate::operation::Operation] {
        OPERATIONS
    }
}
"#;

fn inner_type(api: &Api, file: &Path) -> Result<proc_macro2::TokenStream, Problem> {
    api.inner.parse().map_err(|e| {
        Problem::new(
            file,
            format!("inner type {} does not parse: {e}", api.inner),
        )
    })
}

/// progenitor panics on some inputs (e.g. two success types); turn that into a message.
fn run_progenitor(
    settings: &progenitor::GenerationSettings,
    spec: &openapiv3::OpenAPI,
) -> Result<proc_macro2::TokenStream, String> {
    catch_panics(|| progenitor::Generator::new(settings).generate_tokens(spec))
}

/// Runs a progenitor generator, turning its panics into a message.
fn catch_panics(
    generate: impl FnOnce() -> Result<proc_macro2::TokenStream, progenitor::Error>,
) -> Result<proc_macro2::TokenStream, String> {
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(generate));
    std::panic::set_hook(previous_hook);
    match outcome {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(format!("progenitor cannot generate a client: {e}")),
        Err(panic) => {
            let reason = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown reason".into());
            Err(format!(
                "progenitor failed on this document ({reason}); a common cause is an operation \
                 with two different success body types, or a request body with two media types"
            ))
        }
    }
}

/// The Rust identifier progenitor makes of a name: snake_case, with `_` appended to keywords.
pub fn rust_ident(name: &str) -> String {
    use heck::ToSnakeCase;
    let ident = name.to_snake_case();
    if syn::parse_str::<syn::Ident>(&ident).is_ok() {
        ident
    } else {
        format!("{ident}_")
    }
}

/// `{type: string, format: password}`, as typify sees it.
fn password_schema() -> schemars::schema::SchemaObject {
    schemars::schema::SchemaObject {
        instance_type: Some(schemars::schema::InstanceType::String.into()),
        format: Some("password".into()),
        ..Default::default()
    }
}
