//! Request bodies from options, for the command-line tool.
//!
//! progenitor gives an option only to a body's top-level fields of a type that parses from one
//! string, and builds the body on its typed builder, so a body with a list or a nested field
//! needs `--json-body`. Here every command with a body builds it as JSON instead, in one
//! order: the `--json-body` file (JSON or YAML) without the fields only the server sets (what
//! a get printed can be sent back), then each field option over it, then the fields the API
//! fills from the path (a Sensu resource's namespace and name) where the body has none, and
//! only then the typed body. Every top-level field gets an option:
//! - a plain value (progenitor's options, kept): `--interval 30`;
//! - a list of plain values: `--subscriptions linux,web` or the option repeated;
//! - a map: `--parameters key=value`, repeated;
//! - anything else: a JSON or YAML file, `--scope scope.yaml`.
//!
//! A merge patch takes the options of the resource it patches, a JSON Patch takes `--add`,
//! `--replace` and `--remove` (in the order given), and a create of an API that names its
//! resources in the body (Sensu) takes the name as its positional `NAME`. `--json-body` is
//! required only when some required field has no option. No option takes a secret: a
//! `format: password` field, or one whose name says it is a secret, has none.

use heck::ToKebabCase;
use openapiv3::{
    AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use proc_macro2::TokenStream;
use quote::quote;
use syn::{ImplItem, ImplItemFn, Stmt};

use crate::{BodyNames, Operation};

/// Words in a field's name that say its value is a secret; such a field gets no option.
const SECRET_WORDS: &[&str] = &[
    "password", "secret", "token", "api-key", "apikey", "passcode",
];

/// The id of the positional `NAME` of a create.
const NAME_ARG: &str = "resource-name";

/// Builds every body from `--json-body` and options, in the `Cli` of `file`.
pub(crate) fn body_options(
    file: &mut syn::File,
    spec: &OpenAPI,
    operations: &[Operation],
    names: Option<&BodyNames>,
) -> Result<(), String> {
    let cli = crate::cli::cli_impl(file)?;
    let mut rewritten = 0;
    for op in operations {
        let execute = function(cli, &format!("execute_{}", op.method_name))?;
        let Some(plan) = plan(spec, op, names, &execute.block.stmts)? else {
            continue;
        };
        execute.block.stmts = plan.statements(std::mem::take(&mut execute.block.stmts))?;
        let name = format!("cli_{}", op.method_name);
        let command = function(cli, &name)?;
        let [Stmt::Expr(builder, None)] = command.block.stmts.as_slice() else {
            return Err(format!("{name} is not one builder expression"));
        };
        let builder = plan.command(builder).map_err(|e| format!("{name}: {e}"))?;
        command.block.stmts = vec![Stmt::Expr(
            syn::parse2(builder).map_err(|e| format!("{name}: {e}"))?,
            None,
        )];
        rewritten += 1;
    }
    if rewritten == 0 {
        return Err("no operation reads --json-body".into());
    }
    let config = crate::cli::cli_config(file)?;
    config.items.push(
        syn::parse2(quote! {
            /// The body the command sends: `--json-body`'s with the options over it.
            fn body_given<B: serde::Serialize>(&self, body: &B);
        })
        .map_err(|e| e.to_string())?,
    );
    Ok(())
}

/// The generated function `name` of the `Cli`.
fn function<'a>(cli: &'a mut syn::ItemImpl, name: &str) -> Result<&'a mut ImplItemFn, String> {
    cli.items
        .iter_mut()
        .find_map(|item| match item {
            ImplItem::Fn(f) if f.sig.ident == name => Some(f),
            _ => None,
        })
        .ok_or_else(|| format!("no {name} in the generated CLI"))
}

/// One `if let Some(value) = matches.get_one::<T>("arg") { request = request.x(..) }` of
/// progenitor's: a path, query or header parameter, or a body field when it maps the body.
struct Consumer {
    arg: String,
    ty: syn::Type,
    is_body: bool,
}

fn consumer(stmt: &Stmt) -> Option<Consumer> {
    let text = quote!(#stmt).to_string();
    let rest = text.strip_prefix("if let Some (value) = matches . get_one :: < ")?;
    let end = rest.find("> (\"")?;
    let ty = syn::parse_str(rest[..end].trim()).ok()?;
    let rest = &rest[end + "> (\"".len()..];
    let arg = rest[..rest.find('"')?].to_string();
    Some(Consumer {
        arg,
        ty,
        is_body: text.contains("body_map"),
    })
}

/// How one option sets the body.
enum Setter {
    /// One value (progenitor's option, or a plain field of a merge patch).
    One(Box<syn::Type>),
    /// A list of values.
    List(TokenStream),
    /// A map from `key=value` pairs; values read as JSON when `json_values`.
    Map { json_values: bool },
    /// A JSON or YAML file.
    File,
    /// The positional `NAME`.
    Name,
    /// An operation of a JSON Patch (`--add`, `--replace`, `--remove`).
    Patch,
}

/// An option that sets a body field.
struct FieldOption {
    arg: String,
    path: Vec<String>,
    setter: Setter,
    /// The option's definition, when it is not progenitor's.
    definition: Option<TokenStream>,
}

/// A body field filled from a path parameter when the body has none.
struct Fill {
    param: String,
    ty: syn::Type,
    path: Vec<String>,
}

/// How an operation's body is built.
struct Plan {
    body_type: syn::Type,
    /// The body's schema, for errors.
    schema: String,
    start: TokenStream,
    options: Vec<FieldOption>,
    fills: Vec<Fill>,
    /// The answer's fields the body does not have (ids, links, times): the server's own.
    read_only: Vec<String>,
    json_patch: bool,
    /// Whether `--json-body` is needed: a required field has no option.
    body_file_required: bool,
    /// progenitor's options for a required field that another option sets too, and those
    /// options (none: the path fills the field, so the option is never required).
    requirements: Vec<(String, Vec<String>)>,
}

fn plan(
    spec: &OpenAPI,
    op: &Operation,
    names: Option<&BodyNames>,
    stmts: &[Stmt],
) -> Result<Option<Plan>, String> {
    let Some(body_type) = body_type(op, stmts)? else {
        return Ok(None);
    };
    let consumers: Vec<Consumer> = stmts.iter().filter_map(consumer).collect();
    let merge_patch = op.body_media_type.as_deref() == Some("application/merge-patch+json");
    let schema_name = op.body_schema.clone().unwrap_or_default();
    let json_patch = schema_name
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .and_then(|item| component(spec, item))
        .is_some_and(is_json_patch_operation);
    let fields = component(spec, &schema_name).filter(|s| !properties(spec, s).is_empty());
    let start = if json_patch {
        quote!(crate::body::Start::List)
    } else if fields.is_some() {
        quote!(crate::body::Start::Object)
    } else {
        quote!(crate::body::Start::Nothing)
    };
    let mut plan = Plan {
        body_type,
        schema: schema_name.clone(),
        start,
        options: Vec::new(),
        fills: Vec::new(),
        read_only: Vec::new(),
        json_patch,
        body_file_required: fields.is_none() && !json_patch,
        requirements: Vec::new(),
    };
    let mut required = Vec::new();
    if let Some(schema) = fields {
        if !merge_patch {
            required = required_of(spec, schema);
            plan.read_only = answer_only_fields(spec, op, schema);
        }
        plan.options = field_options(spec, schema, &consumers);
        if let Some(names) = names.filter(|_| !merge_patch) {
            plan.name_fields(spec, op, names, schema, &consumers);
        }
    }
    if json_patch {
        plan.options.extend(patch_options(op, &consumers)?);
    }
    // Shallow fields first, so that the name given as NAME lands in a `--metadata` file's.
    plan.options.sort_by_key(|o| o.path.len());
    let covered = |field: &String| {
        plan.options.iter().any(|o| o.path.first() == Some(field))
            || plan.fills.iter().any(|f| f.path.first() == Some(field))
    };
    plan.body_file_required |= !required.iter().all(covered);
    plan.require_options(&required);
    Ok(Some(plan))
}

/// The body's type, from progenitor's reading of `--json-body`; `None` without a body.
fn body_type(op: &Operation, stmts: &[Stmt]) -> Result<Option<syn::Type>, String> {
    let Some(body_file) = stmts.iter().find(|s| {
        quote!(#s).to_string().starts_with(
            "if let Some (value) = matches . get_one :: < std :: path :: PathBuf > (\"json-body\")",
        )
    }) else {
        return Ok(None);
    };
    let text = quote!(#body_file).to_string();
    let body_type = text
        .split_once("serde_json :: from_str :: <")
        .and_then(|(_, rest)| rest.split_once("> (& body_txt"))
        .map(|(ty, _)| ty.trim().to_string())
        .ok_or_else(|| format!("{}: the body file is not parsed as expected", op.id))?;
    syn::parse_str(&body_type)
        .map(Some)
        .map_err(|e| format!("{}: {e}", op.id))
}

/// An option for each top-level field: progenitor's where it made one, none where a
/// parameter has the field's name, else one of [`field_option`]'s.
fn field_options(spec: &OpenAPI, schema: &Schema, consumers: &[Consumer]) -> Vec<FieldOption> {
    let mut options = Vec::new();
    for (name, property) in properties(spec, schema) {
        let arg = name.to_kebab_case();
        match consumers.iter().find(|c| c.arg == arg) {
            Some(c) if c.is_body => options.push(FieldOption {
                arg,
                path: vec![name.clone()],
                setter: Setter::One(Box::new(c.ty.clone())),
                definition: None,
            }),
            // A parameter of the same name: the field keeps to --json-body.
            Some(_) => {}
            None => options.extend(field_option(spec, &name, property, &arg)),
        }
    }
    options
}

/// `--add`, `--replace` and `--remove` of a JSON Patch body.
fn patch_options(op: &Operation, consumers: &[Consumer]) -> Result<Vec<FieldOption>, String> {
    let mut options = Vec::new();
    for (arg, help) in PATCH_OPTIONS {
        if consumers.iter().any(|c| c.arg == *arg) {
            return Err(format!("{}: --{arg} is a parameter too", op.id));
        }
        let value_name = if *arg == "remove" {
            "PATH"
        } else {
            "PATH=VALUE"
        };
        options.push(FieldOption {
            arg: arg.to_string(),
            path: Vec::new(),
            setter: Setter::Patch,
            definition: Some(quote! {
                ::clap::Arg::new(#arg)
                    .long(#arg)
                    .value_name(#value_name)
                    .action(::clap::ArgAction::Append)
                    .help(#help)
            }),
        });
    }
    Ok(options)
}

/// The fields of the operation's answer that its body does not have: what the server sets
/// (ids, links, times). A file written by `-o json` of a get carries them; they are dropped
/// from it so it can be sent back.
fn answer_only_fields(spec: &OpenAPI, op: &Operation, body: &Schema) -> Vec<String> {
    let Some(answer) = op
        .response_schema
        .as_deref()
        .and_then(|n| component(spec, n))
    else {
        return Vec::new();
    };
    let own: Vec<String> = properties(spec, body).into_iter().map(|(n, _)| n).collect();
    properties(spec, answer)
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| !own.contains(name))
        .collect()
}

/// Whether an operation creates a resource: a POST to a collection (a path that lists too).
fn is_create(spec: &OpenAPI, op: &Operation) -> bool {
    op.method == "POST"
        && matches!(spec.paths.paths.get(&op.path), Some(ReferenceOr::Item(item)) if item.get.is_some())
}

/// The options of a JSON Patch body, and their help.
const PATCH_OPTIONS: &[(&str, &str)] = &[
    (
        "add",
        "Adds VALUE at PATH (e.g. name=nightly or /parameters/x=1); VALUE is read as JSON when it is JSON. Repeatable; the operations are sent in the order given",
    ),
    (
        "replace",
        "Replaces the value at PATH with VALUE (e.g. state=CANCELLED); VALUE is read as JSON when it is JSON. Repeatable; the operations are sent in the order given",
    ),
    (
        "remove",
        "Removes the value at PATH (e.g. description). Repeatable; the operations are sent in the order given",
    ),
];

impl Plan {
    /// The resource's name and namespace, for an API that keeps them in the body: a create's
    /// `NAME`, and the path's parameters where the operation is on one resource.
    fn name_fields(
        &mut self,
        spec: &OpenAPI,
        op: &Operation,
        names: &BodyNames,
        schema: &Schema,
        consumers: &[Consumer],
    ) {
        let parameter = |arg: &str| consumers.iter().find(|c| c.arg == arg && !c.is_body);
        let named = !names.unnamed.contains(&self.schema.as_str());
        let name_field = names.name.iter().find_map(|field| {
            let path = dotted(field);
            at_path(spec, schema, &path).map(|leaf| (path, leaf))
        });
        let last_param = op
            .path
            .strip_suffix('}')
            .and_then(|p| p.rsplit_once('{'))
            .map(|(_, param)| param.to_kebab_case());
        match (named, name_field, last_param) {
            (true, Some((path, _)), Some(param)) => {
                if let Some(c) = parameter(&param) {
                    self.fills.push(Fill {
                        param,
                        ty: c.ty.clone(),
                        path,
                    });
                }
            }
            (true, Some((path, leaf)), None)
                if is_create(spec, op) && !consumers.iter().any(|c| c.arg == NAME_ARG) =>
            {
                let help = format!(
                    "{} Sets `{}`.",
                    sentence(&description(spec, leaf), &path.join(".")),
                    path.join(".")
                );
                self.options.push(FieldOption {
                    arg: NAME_ARG.into(),
                    path,
                    setter: Setter::Name,
                    definition: Some(quote! {
                        ::clap::Arg::new(#NAME_ARG).value_name("NAME").help(#help)
                    }),
                });
            }
            _ => {}
        }
        for (param, field) in names.from_path {
            let path = dotted(field);
            if at_path(spec, schema, &path).is_none() {
                continue;
            }
            if let Some(c) = parameter(param) {
                self.fills.push(Fill {
                    param: param.to_string(),
                    ty: c.ty.clone(),
                    path,
                });
            }
        }
    }

    /// Each option made here for a required field is required unless `--json-body` or another
    /// option for that field is given. A field the path fills needs no option, unless the
    /// create takes its name as `NAME`: the namespace alone does not name a resource.
    fn require_options(&mut self, required: &[String]) {
        for field in required {
            let named_here = self
                .options
                .iter()
                .any(|o| matches!(o.setter, Setter::Name) && o.path.first() == Some(field));
            if !named_here && self.fills.iter().any(|f| f.path.first() == Some(field)) {
                for option in self
                    .options
                    .iter()
                    .filter(|o| o.definition.is_none() && o.path.first() == Some(field))
                {
                    self.requirements.push((option.arg.clone(), Vec::new()));
                }
                continue;
            }
            let covering: Vec<String> = self
                .options
                .iter()
                .filter(|o| o.path.first() == Some(field))
                .map(|o| o.arg.clone())
                .collect();
            for option in self
                .options
                .iter_mut()
                .filter(|o| o.path.first() == Some(field))
            {
                let others: Vec<String> = covering
                    .iter()
                    .filter(|a| **a != option.arg)
                    .cloned()
                    .collect();
                match option.definition.take() {
                    Some(definition) => {
                        option.definition = Some(quote! {
                            #definition.required_unless_present_any(["json-body" #(, #others)*])
                        });
                    }
                    // progenitor's, required unless `--json-body` is given.
                    None if !others.is_empty() => {
                        self.requirements.push((option.arg.clone(), others));
                    }
                    None => {}
                }
            }
        }
    }

    /// The command's builder with the new options, progenitor's options required only when
    /// no other way gives their field, and `--json-body` required only when needed, with help
    /// that says what it takes.
    fn command(&self, builder: &syn::Expr) -> Result<TokenStream, String> {
        let mut text = quote!(#builder).to_string();
        for (arg, others) in &self.requirements {
            let unless = ". required_unless_present (\"json-body\")";
            let start = text
                .find(&format!(":: clap :: Arg :: new (\"{arg}\")"))
                .ok_or_else(|| format!("no option {arg}"))?;
            let end = text[start..]
                .find(unless)
                .map(|at| start + at)
                .filter(|end| !text[start + 1..*end].contains(":: clap :: Arg :: new"))
                .ok_or_else(|| format!("--{arg} is not required unless --json-body"))?;
            let requirement = if others.is_empty() {
                ". required (false)".to_string()
            } else {
                let others: Vec<String> = others.iter().map(|o| format!(", \"{o}\"")).collect();
                format!(
                    ". required_unless_present_any ([\"json-body\"{}])",
                    others.concat()
                )
            };
            text.replace_range(end..end + unless.len(), &requirement);
        }
        let builder: TokenStream = text.parse().map_err(|e| format!("builder: {e}"))?;
        let definitions = self.options.iter().filter_map(|o| o.definition.as_ref());
        let required = self.body_file_required;
        let help = "A file holding the body as JSON or YAML (- reads standard input); the other options set fields over it";
        Ok(quote! {
            #builder
                #(.arg(#definitions))*
                .mut_arg("json-body", |arg| arg.required(#required).help(#help))
        })
    }

    /// The execute function's statements: the request's parameters, then the body built from
    /// `--json-body`, the options and the fills, then the rest as progenitor wrote it.
    fn statements(&self, stmts: Vec<Stmt>) -> Result<Vec<Stmt>, String> {
        let mut out = Vec::new();
        let mut rest = Vec::new();
        let mut started = false;
        for stmt in stmts {
            let text = quote!(#stmt).to_string();
            if text.starts_with("self . config . execute_") {
                started = true;
            }
            if started {
                rest.push(stmt);
                continue;
            }
            if text.contains("\"json-body\"") {
                continue;
            }
            match consumer(&stmt) {
                Some(c) if c.is_body => {}
                _ => out.push(stmt),
            }
        }
        if !started {
            return Err("the execute function does not call its config".into());
        }
        let start = &self.start;
        let changed = !self.options.is_empty() || !self.fills.is_empty();
        let mut body = vec![if changed || !self.read_only.is_empty() {
            quote! { let mut body = crate::body::Body::read(matches, #start)?; }
        } else {
            quote! { let body = crate::body::Body::read(matches, #start)?; }
        }];
        if !self.read_only.is_empty() {
            let fields = &self.read_only;
            body.push(quote! { body.drop_fields(&[#(#fields),*]); });
        }
        for option in &self.options {
            let arg = &option.arg;
            let path = &option.path;
            body.push(match &option.setter {
                Setter::One(ty) => quote! {
                    if let Some(value) = matches.get_one::<#ty>(#arg) {
                        body.set(&[#(#path),*], value)?;
                    }
                },
                Setter::List(ty) => quote! {
                    if let Some(values) = matches.get_many::<#ty>(#arg) {
                        body.set_list(&[#(#path),*], values)?;
                    }
                },
                Setter::Map { json_values } => quote! {
                    if let Some(pairs) = matches.get_many::<::std::string::String>(#arg) {
                        body.set_pairs(&[#(#path),*], #arg, pairs, #json_values)?;
                    }
                },
                Setter::File => quote! {
                    if let Some(file) = matches.get_one::<::std::path::PathBuf>(#arg) {
                        body.set_file(&[#(#path),*], file)?;
                    }
                },
                // All of them at once, in the order given.
                Setter::Patch => continue,
                Setter::Name => quote! {
                    if let Some(value) = matches.get_one::<::std::string::String>(#arg) {
                        body.set(&[#(#path),*], value)?;
                    }
                },
            });
        }
        if self.json_patch {
            body.push(quote! { body.patch_operations(matches)?; });
        }
        for fill in &self.fills {
            let param = &fill.param;
            let ty = &fill.ty;
            let path = &fill.path;
            body.push(quote! {
                if let Some(value) = matches.get_one::<#ty>(#param) {
                    body.fill(&[#(#path),*], value)?;
                }
            });
        }
        let body_type = &self.body_type;
        let schema = &self.schema;
        body.push(quote! {
            if let Some(value) = body.finish::<#body_type>(#schema)? {
                self.config.body_given(&value);
                request = request.body(value);
            }
        });
        for tokens in body {
            let block: syn::Block =
                syn::parse2(quote!({ #tokens })).map_err(|e| format!("body: {e}"))?;
            out.extend(block.stmts);
        }
        out.extend(rest);
        Ok(out)
    }
}

/// The option for a field progenitor gives none, or `None` for a secret.
fn field_option(spec: &OpenAPI, name: &str, property: &Schema, arg: &str) -> Option<FieldOption> {
    if SECRET_WORDS.iter().any(|w| arg.contains(w)) || is_password(spec, property) {
        return None;
    }
    let about = sentence(&description(spec, property), name);
    let (setter, definition) = match kind(spec, property) {
        Kind::Plain(ty) => {
            let help = about;
            let definition = quote! {
                ::clap::Arg::new(#arg)
                    .long(#arg)
                    .value_parser(::clap::value_parser!(#ty))
                    .help(#help)
            };
            (Setter::One(Box::new(syn::parse2(ty).ok()?)), definition)
        }
        Kind::List(ty) => {
            let help = format!("{about} Several values: comma-separated, or the option repeated.");
            (
                Setter::List(ty.clone()),
                quote! {
                    ::clap::Arg::new(#arg)
                        .long(#arg)
                        .value_parser(::clap::value_parser!(#ty))
                        .action(::clap::ArgAction::Append)
                        .value_delimiter(',')
                        .help(#help)
                },
            )
        }
        Kind::Map { json_values } => {
            let values = if json_values {
                ", the value read as JSON when it is JSON"
            } else {
                ""
            };
            let help = format!("{about} One KEY=VALUE per option{values}; repeatable.");
            (
                Setter::Map { json_values },
                quote! {
                    ::clap::Arg::new(#arg)
                        .long(#arg)
                        .value_name("KEY=VALUE")
                        .action(::clap::ArgAction::Append)
                        .help(#help)
                },
            )
        }
        Kind::Structured => {
            let help = format!("{about} A JSON or YAML file (- reads standard input).");
            (
                Setter::File,
                quote! {
                    ::clap::Arg::new(#arg)
                        .long(#arg)
                        .value_name("FILE")
                        .value_parser(::clap::value_parser!(::std::path::PathBuf))
                        .help(#help)
                },
            )
        }
    };
    Some(FieldOption {
        arg: arg.to_string(),
        path: vec![name.to_string()],
        setter,
        definition: Some(definition),
    })
}

/// What kind of option a field takes.
enum Kind {
    /// One value of this type.
    Plain(TokenStream),
    /// A list of values of this type.
    List(TokenStream),
    /// A map; its values are JSON unless the map is of strings.
    Map { json_values: bool },
    /// Anything else: a file.
    Structured,
}

fn kind(spec: &OpenAPI, schema: &Schema) -> Kind {
    let schema = through(spec, schema);
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(array)) => {
            let item = array.items.as_ref().map(|i| resolve_boxed(spec, i));
            match item.map(|i| plain(spec, i)) {
                Some(Some(ty)) => Kind::List(ty),
                _ => Kind::Structured,
            }
        }
        SchemaKind::Type(Type::Object(object)) if object.properties.is_empty() => {
            match &object.additional_properties {
                Some(AdditionalProperties::Schema(values)) => {
                    let values = resolve(spec, values);
                    let strings = matches!(
                        through(spec, values).schema_kind,
                        SchemaKind::Type(Type::String(_))
                    );
                    Kind::Map {
                        json_values: !strings,
                    }
                }
                Some(AdditionalProperties::Any(true)) => Kind::Map { json_values: true },
                _ => Kind::Structured,
            }
        }
        _ => match plain(spec, schema) {
            Some(ty) => Kind::Plain(ty),
            None => Kind::Structured,
        },
    }
}

/// The Rust type of a plain value: text, a whole number, a number or a boolean.
fn plain(spec: &OpenAPI, schema: &Schema) -> Option<TokenStream> {
    match &through(spec, schema).schema_kind {
        SchemaKind::Type(Type::String(_)) => Some(quote!(::std::string::String)),
        SchemaKind::Type(Type::Integer(_)) => Some(quote!(i64)),
        SchemaKind::Type(Type::Number(_)) => Some(quote!(f64)),
        SchemaKind::Type(Type::Boolean(_)) => Some(quote!(bool)),
        _ => None,
    }
}

fn is_password(spec: &OpenAPI, schema: &Schema) -> bool {
    matches!(
        &through(spec, schema).schema_kind,
        SchemaKind::Type(Type::String(s))
            if matches!(s.format, VariantOrUnknownOrEmpty::Item(StringFormat::Password))
    )
}

/// Whether a schema is one operation of a JSON Patch (`op`, `path`, `value`).
fn is_json_patch_operation(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Type(Type::Object(o))
        if o.properties.contains_key("op") && o.properties.contains_key("path"))
}

/// A component schema by name.
fn component<'a>(spec: &'a OpenAPI, name: &str) -> Option<&'a Schema> {
    match spec.components.as_ref()?.schemas.get(name)? {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { reference } => component(spec, reference.rsplit('/').next()?),
    }
}

/// The schema a reference names; a dangling one (which the lint refuses) is taken as any.
fn by_reference<'a>(spec: &'a OpenAPI, reference: &str) -> &'a Schema {
    static ANY: std::sync::OnceLock<Schema> = std::sync::OnceLock::new();
    reference
        .rsplit('/')
        .next()
        .and_then(|name| component(spec, name))
        .unwrap_or_else(|| {
            ANY.get_or_init(|| Schema {
                schema_data: Default::default(),
                schema_kind: SchemaKind::Any(Default::default()),
            })
        })
}

fn resolve<'a>(spec: &'a OpenAPI, schema: &'a ReferenceOr<Schema>) -> &'a Schema {
    match schema {
        ReferenceOr::Item(schema) => schema,
        ReferenceOr::Reference { reference } => by_reference(spec, reference),
    }
}

fn resolve_boxed<'a>(spec: &'a OpenAPI, schema: &'a ReferenceOr<Box<Schema>>) -> &'a Schema {
    match schema {
        ReferenceOr::Item(schema) => schema,
        ReferenceOr::Reference { reference } => by_reference(spec, reference),
    }
}

/// A schema through a lone `allOf` (a reference with its own description beside it).
fn through<'a>(spec: &'a OpenAPI, schema: &'a Schema) -> &'a Schema {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
            through(spec, resolve(spec, &all_of[0]))
        }
        _ => schema,
    }
}

/// An object schema's properties, resolved.
fn properties<'a>(spec: &'a OpenAPI, schema: &'a Schema) -> Vec<(String, &'a Schema)> {
    match &through(spec, schema).schema_kind {
        SchemaKind::Type(Type::Object(object)) => object
            .properties
            .iter()
            .map(|(name, property)| (name.clone(), resolve_boxed(spec, property)))
            .collect(),
        _ => Vec::new(),
    }
}

fn required_of(spec: &OpenAPI, schema: &Schema) -> Vec<String> {
    match &through(spec, schema).schema_kind {
        SchemaKind::Type(Type::Object(object)) => object.required.clone(),
        _ => Vec::new(),
    }
}

/// The schema at a field path, if the schema has that field.
fn at_path<'a>(spec: &'a OpenAPI, schema: &'a Schema, path: &[String]) -> Option<&'a Schema> {
    let Some((first, rest)) = path.split_first() else {
        return Some(schema);
    };
    let (_, property) = properties(spec, schema)
        .into_iter()
        .find(|(name, _)| name == first)?;
    at_path(spec, property, rest)
}

fn dotted(path: &str) -> Vec<String> {
    path.split('.').map(str::to_string).collect()
}

/// A field's description: its own, else its schema's (through a lone `allOf`).
fn description(spec: &OpenAPI, field: &Schema) -> String {
    field
        .schema_data
        .description
        .clone()
        .or_else(|| through(spec, field).schema_data.description.clone())
        .unwrap_or_default()
}

/// A field's description as one sentence ending in a full stop; a field without one is named.
fn sentence(text: &str, field: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return format!("The body's `{field}` field.");
    }
    if text.ends_with('.') {
        text
    } else {
        format!("{text}.")
    }
}
