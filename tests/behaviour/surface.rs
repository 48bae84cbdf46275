//! Renders a generated client's public surface as text for an insta snapshot: one line per
//! operation (method, path, Rust method, parameters, success type), then every type with its
//! fields. It is read from the generated source itself, so it shows exactly what users get.
//! Each API's snapshot is `tests/snapshots/<api>_surface.snap`, wherever its test lives.

use std::collections::BTreeMap;
use std::fmt::Write;

use opsclient::operation::Operation;
use quote::ToTokens;
use syn::{Fields, GenericArgument, Item, PathArguments, ReturnType, Type};

/// Renders `api`'s surface and compares it with `tests/snapshots/<api>_surface.snap`.
pub fn assert_snapshot(api: &str, generated: &str, operations: &[Operation]) {
    let text = render(generated, operations);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(format!("{api}_surface"), text));
}

pub fn render(generated: &str, operations: &[Operation]) -> String {
    let file = syn::parse_file(generated).expect("generated code parses");
    let builders = module(&file.items, "builder").expect("a builder module");
    let types = module(&file.items, "types").expect("a types module");

    // Client method → builder struct.
    let mut method_builder = BTreeMap::new();
    for item in &file.items {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() || block.self_ty.to_token_stream().to_string() != "Client" {
            continue;
        }
        for item in &block.items {
            if let syn::ImplItem::Fn(f) = item {
                if let ReturnType::Type(_, ty) = &f.sig.output {
                    method_builder.insert(f.sig.ident.to_string(), last_segment(ty));
                }
            }
        }
    }

    let setters = setter_kinds(module(types, "builder").unwrap_or_default());
    let mut out = String::new();
    let mut sorted: Vec<_> = operations.iter().collect();
    sorted.sort_by_key(|op| (op.path, op.method));
    for op in sorted {
        let builder = method_builder
            .get(op.method_name)
            .unwrap_or_else(|| panic!("no client method {}", op.method_name));
        let (params, success) = builder_signature(builders, builder);
        writeln!(
            out,
            "{} {}  {}({}) -> {}",
            op.method,
            op.path,
            op.method_name,
            params.join(", "),
            success
        )
        .unwrap();
    }
    out.push('\n');
    for item in types {
        match item {
            Item::Struct(s) => {
                let fields: Vec<String> = match &s.fields {
                    Fields::Named(named) => named
                        .named
                        .iter()
                        .map(|f| {
                            let field = f.ident.as_ref().unwrap().to_string();
                            let set = setters
                                .get(&(s.ident.to_string(), field.clone()))
                                .map(|kind| format!("  ({kind})"))
                                .unwrap_or_default();
                            format!("{field}: {}{set}", clean(&f.ty))
                        })
                        .collect(),
                    Fields::Unnamed(unnamed) => {
                        unnamed.unnamed.iter().map(|f| clean(&f.ty)).collect()
                    }
                    Fields::Unit => vec![],
                };
                match &s.fields {
                    Fields::Unnamed(_) => {
                        writeln!(out, "struct {}({})", s.ident, fields.join(", "))
                    }
                    _ if fields.is_empty() => writeln!(out, "struct {}", s.ident),
                    _ => {
                        writeln!(out, "struct {} {{", s.ident).unwrap();
                        for field in fields {
                            writeln!(out, "    {field}").unwrap();
                        }
                        writeln!(out, "}}")
                    }
                }
                .unwrap();
            }
            Item::Enum(e) => {
                let variants: Vec<String> = e
                    .variants
                    .iter()
                    .map(|v| match &v.fields {
                        Fields::Unnamed(u) => format!(
                            "{}({})",
                            v.ident,
                            u.unnamed
                                .iter()
                                .map(|f| clean(&f.ty))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        _ => v.ident.to_string(),
                    })
                    .collect();
                writeln!(out, "enum {} {{ {} }}", e.ident, variants.join(", ")).unwrap();
            }
            _ => {}
        }
    }
    out
}

/// How each struct builder's setter takes its value, by (struct, field): `set X` for a value
/// convertible to X, `set each X` for an iterable of them, `set pairs of X` for a map.
fn setter_kinds(builders: &[Item]) -> BTreeMap<(String, String), String> {
    let mut kinds = BTreeMap::new();
    for item in builders {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() {
            continue;
        }
        let owner = last_segment(&block.self_ty);
        for item in &block.items {
            let syn::ImplItem::Fn(f) = item else { continue };
            let Some(clause) = &f.sig.generics.where_clause else {
                continue;
            };
            let bounds: Vec<String> = clause
                .predicates
                .iter()
                .map(|p| p.to_token_stream().to_string().replace(' ', ""))
                .collect();
            let target = |prefix: &str| {
                bounds.iter().find_map(|b| {
                    let rest = b.strip_prefix(prefix)?;
                    let inner = rest.split("::std::convert::TryInto<").nth(1)?;
                    let inner = inner.strip_suffix('>')?;
                    let ty: Type = syn::parse_str(inner).ok()?;
                    Some(clean(&ty))
                })
            };
            let kind = if let Some(item) = target("T::Item:") {
                format!("set each {item}")
            } else if let Some(value) = target("V:") {
                format!("set pairs of String, {value}")
            } else if let Some(value) = target("T:") {
                format!("set {value}")
            } else {
                continue;
            };
            kinds.insert((owner.clone(), f.sig.ident.to_string()), kind);
        }
    }
    kinds
}

fn module<'a>(items: &'a [Item], name: &str) -> Option<&'a [Item]> {
    items.iter().find_map(|item| match item {
        Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| items.as_slice()),
        _ => None,
    })
}

/// The builder's parameters (`name: Type`, `name?: Type` when optional) and `send()`'s success type.
fn builder_signature(builders: &[Item], name: &str) -> (Vec<String>, String) {
    let mut params = Vec::new();
    let mut success = String::from("?");
    for item in builders {
        match item {
            Item::Struct(s) if s.ident == name => {
                for field in &s.fields {
                    let ident = field.ident.as_ref().unwrap().to_string();
                    if ident == "client" {
                        continue;
                    }
                    // Fields are `Result<T, String>`.
                    let ty = generic_args(&field.ty)
                        .into_iter()
                        .next()
                        .expect("Result<T, _>");
                    let param = match generic_args(&ty).as_slice() {
                        [inner] if last_segment(&ty) == "Option" => {
                            format!("{ident}?: {}", clean(inner))
                        }
                        _ => format!("{ident}: {}", clean(&ty)),
                    };
                    params.push(param);
                }
            }
            Item::Impl(block) if last_segment(&block.self_ty) == name && block.trait_.is_none() => {
                for item in &block.items {
                    if let syn::ImplItem::Fn(f) = item {
                        let public = matches!(f.vis, syn::Visibility::Public(_));
                        if f.sig.ident == "send" && public {
                            if let ReturnType::Type(_, ty) = &f.sig.output {
                                // crate::Result<ResponseValue<T>>: the crate's error type.
                                let result = ty.to_token_stream().to_string().replace(' ', "");
                                let ok = generic_args(ty).into_iter().next().unwrap();
                                let value = generic_args(&ok).into_iter().next().unwrap();
                                success = if result.starts_with("crate::Result<") {
                                    format!("opsclient::Result<{}>", clean(&value))
                                } else {
                                    format!("{result} (not the crate's error)")
                                };
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    (params, success)
}

fn generic_args(ty: &Type) -> Vec<Type> {
    let Type::Path(path) = ty else { return vec![] };
    let Some(segment) = path.path.segments.last() else {
        return vec![];
    };
    match &segment.arguments {
        PathArguments::AngleBracketed(args) => args
            .args
            .iter()
            .filter_map(|a| match a {
                GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
            .collect(),
        _ => vec![],
    }
}

fn last_segment(ty: &Type) -> String {
    match ty {
        Type::Path(path) => path
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// `::std::option::Option<::std::string::String>` → `Option<String>`.
fn clean(ty: &Type) -> String {
    let mut text: String = ty
        .to_token_stream()
        .to_string()
        .split_whitespace()
        .collect();
    for (long, short) in [
        ("::std::option::", ""),
        ("::std::string::", ""),
        ("::std::vec::", ""),
        ("::std::collections::", ""),
        ("::std::num::", ""),
        ("::serde_json::", ""),
        ("::uuid::", ""),
        ("crate::secret::", ""),
        ("super::", ""),
        ("types::", ""),
        // Body fields hold typify's builder; the setter takes the type itself.
        ("builder::", ""),
    ] {
        text = text.replace(long, short);
    }
    text.replace(",>", ">").replace(',', ", ")
}
