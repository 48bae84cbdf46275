//! Deserializers for the generated structs that keep unknown properties.
//!
//! typify writes a struct that keeps unknown properties as a `#[serde(flatten)] extra` map. serde's
//! derived deserializer buffers every such object into an intermediate tree before it reads the
//! fields, which makes decoding several times slower. This module replaces that derive with a
//! deserializer written for each struct: it reads the known properties straight into their
//! fields and collects the others into `extra`. Serialization keeps serde's derive.
//!
//! The field attributes typify emits are honoured as serde would: `rename`, `default`,
//! `default = "path"` and `deserialize_with = "Option::deserialize"` (a required property that
//! may be null). Any other attribute that would change decoding stops the generation, so the
//! generated deserializer never silently differs from the derive it replaces.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::punctuated::Punctuated;
use syn::{Attribute, Fields, Item, ItemStruct, Path, Token};

/// The field typify adds for unknown properties.
const EXTRA: &str = "extra";

/// Replaces the derived `Deserialize` of every struct in `mod types` that keeps unknown
/// properties; returns how many structs it changed.
pub(crate) fn replace_flattened_deserializers(file: &mut syn::File) -> Result<usize, String> {
    let Some(types) = file.items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == "types" => module.content.as_mut(),
        _ => None,
    }) else {
        return Ok(0);
    };
    let mut impls = Vec::new();
    for item in types.1.iter_mut() {
        if let Item::Struct(item) = item {
            if keeps_unknown(item) {
                impls.push(deserializer(item)?);
                remove_derived_deserialize(item)?;
                derive_default_when_all_optional(item)?;
            }
        }
    }
    let count = impls.len();
    for tokens in impls {
        let item: Item = syn::parse2(tokens).map_err(|e| format!("generated impl: {e}"))?;
        types.1.push(item);
    }
    if let Some((_, builders)) = types.1.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == "builder" => module.content.as_mut(),
        _ => None,
    }) {
        builders.iter_mut().for_each(default_extra_in_builder);
    }
    Ok(count)
}

/// typify's builders start every field without a default as "no value supplied"; the `extra`
/// map starts empty, so that a builder needs no call for it.
fn default_extra_in_builder(item: &mut Item) {
    let Item::Impl(block) = item else {
        return;
    };
    let is_default = block
        .trait_
        .as_ref()
        .and_then(|(path, _)| path.segments.last())
        .is_some_and(|s| s.ident == "Default");
    if !is_default {
        return;
    }
    for impl_item in &mut block.items {
        let syn::ImplItem::Fn(function) = impl_item else {
            continue;
        };
        let Some(syn::Stmt::Expr(syn::Expr::Struct(value), None)) = function.block.stmts.last_mut()
        else {
            continue;
        };
        for field in value.fields.iter_mut() {
            if matches!(&field.member, syn::Member::Named(name) if name == EXTRA) {
                field.expr = syn::parse_quote!(Ok(Default::default()));
            }
        }
    }
}

fn keeps_unknown(item: &ItemStruct) -> bool {
    let Fields::Named(fields) = &item.fields else {
        return false;
    };
    fields.named.iter().any(|field| {
        field.ident.as_ref().is_some_and(|i| i == EXTRA)
            && serde_options(&field.attrs).is_ok_and(|o| o.flatten)
    })
}

/// What the `#[serde(..)]` attributes of a field say about decoding.
#[derive(Default)]
struct SerdeOptions {
    rename: Option<String>,
    /// `Some(None)`: `default`; `Some(Some(path))`: `default = "path"`.
    default: Option<Option<Path>>,
    /// `deserialize_with = "::std::option::Option::deserialize"`.
    required_nullable: bool,
    flatten: bool,
}

fn serde_options(attrs: &[Attribute]) -> Result<SerdeOptions, String> {
    let mut options = SerdeOptions::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let string = |meta: &syn::meta::ParseNestedMeta| -> syn::Result<String> {
                Ok(meta.value()?.parse::<syn::LitStr>()?.value())
            };
            if meta.path.is_ident("rename") {
                options.rename = Some(string(&meta)?);
            } else if meta.path.is_ident("default") {
                options.default = Some(if meta.input.peek(Token![=]) {
                    Some(syn::parse_str::<Path>(&string(&meta)?)?)
                } else {
                    None
                });
            } else if meta.path.is_ident("deserialize_with") {
                let with = string(&meta)?;
                if with.replace(' ', "") != "::std::option::Option::deserialize" {
                    return Err(meta.error(format!("deserialize_with = {with:?} is not handled")));
                }
                options.required_nullable = true;
            } else if meta.path.is_ident("flatten") {
                options.flatten = true;
            } else if meta.path.is_ident("skip_serializing_if") {
                let _ = string(&meta)?;
            } else {
                return Err(meta.error("this serde attribute is not handled"));
            }
            Ok(())
        })
        .map_err(|e| format!("serde attribute: {e}"))?;
    }
    Ok(options)
}

fn remove_derived_deserialize(item: &mut ItemStruct) -> Result<(), String> {
    for attr in item
        .attrs
        .iter_mut()
        .filter(|a| a.path().is_ident("derive"))
    {
        let derives = attr
            .parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated)
            .map_err(|e| format!("derive of {}: {e}", item.ident))?;
        let kept: Vec<&Path> = derives
            .iter()
            .filter(|p| p.segments.last().is_none_or(|s| s.ident != "Deserialize"))
            .collect();
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
    }
    // Container attributes would change decoding in ways this deserializer does not know.
    if item.attrs.iter().any(|a| a.path().is_ident("serde")) {
        return Err(format!(
            "{} has container serde attributes, which the generated deserializer does not handle",
            item.ident
        ));
    }
    Ok(())
}

/// typify derives `Default` only when every field can default, and does not count the `extra`
/// map; a struct whose known fields are all optional gets it back.
fn derive_default_when_all_optional(item: &mut ItemStruct) -> Result<(), String> {
    let Fields::Named(fields) = &item.fields else {
        return Ok(());
    };
    let mut all_optional = true;
    for field in &fields.named {
        let options = serde_options(&field.attrs)?;
        let optional = options.flatten
            || (is_option(&field.ty) && !options.required_nullable && options.default.is_none());
        all_optional &= optional;
    }
    if !all_optional {
        return Ok(());
    }
    for attr in item
        .attrs
        .iter_mut()
        .filter(|a| a.path().is_ident("derive"))
    {
        let mut derives = attr
            .parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated)
            .map_err(|e| format!("derive of {}: {e}", item.ident))?;
        if !derives.iter().any(|p| p.is_ident("Default")) {
            derives.push(syn::parse_quote!(Default));
        }
        let derives = derives.iter();
        *attr = syn::parse_quote!(#[derive(#(#derives),*)]);
    }
    Ok(())
}

/// One known property: its field, its name in JSON, and what happens when it is absent.
struct Known<'a> {
    field: &'a syn::Ident,
    ty: &'a syn::Type,
    json: String,
    when_absent: TokenStream,
}

fn deserializer(item: &ItemStruct) -> Result<TokenStream, String> {
    let name = &item.ident;
    let Fields::Named(fields) = &item.fields else {
        return Err(format!("{name} has no named fields"));
    };
    let mut known = Vec::new();
    for field in &fields.named {
        let ident = field.ident.as_ref().ok_or("unnamed field")?;
        let options = serde_options(&field.attrs).map_err(|e| format!("{name}.{ident}: {e}"))?;
        if options.flatten {
            if ident != EXTRA {
                return Err(format!("{name}.{ident}: only `extra` may be flattened"));
            }
            continue;
        }
        let json = options.rename.unwrap_or_else(|| ident.to_string());
        let when_absent = match (options.default, options.required_nullable) {
            (Some(None), _) => quote!(::std::default::Default::default()),
            (Some(Some(path)), _) => quote!(#path()),
            (None, false) if is_option(&field.ty) => quote!(::std::option::Option::None),
            (None, _) => {
                quote!(return ::std::result::Result::Err(<__A::Error as ::serde::de::Error>::missing_field(#json)))
            }
        };
        known.push(Known {
            field: ident,
            ty: &field.ty,
            json,
            when_absent,
        });
    }

    let keys: Vec<_> = (0..known.len()).map(|i| format_ident!("__K{i}")).collect();
    let slots: Vec<_> = (0..known.len()).map(|i| format_ident!("__v{i}")).collect();
    let jsons: Vec<_> = known.iter().map(|k| k.json.as_str()).collect();
    let types: Vec<_> = known.iter().map(|k| k.ty).collect();
    let fields: Vec<_> = known.iter().map(|k| k.field).collect();
    let absent: Vec<_> = known.iter().map(|k| &k.when_absent).collect();
    let expecting = format!("struct {name}");
    let extra = syn::Ident::new(EXTRA, Span::call_site());

    Ok(quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D>(deserializer: __D) -> ::std::result::Result<Self, __D::Error>
            where
                __D: ::serde::Deserializer<'de>,
            {
                enum __Key {
                    #(#keys,)*
                    __Unknown(::std::string::String),
                }
                struct __KeyVisitor;
                impl<'de> ::serde::de::Visitor<'de> for __KeyVisitor {
                    type Value = __Key;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter) -> ::std::fmt::Result {
                        f.write_str("a property name")
                    }
                    fn visit_str<__E: ::serde::de::Error>(self, v: &str) -> ::std::result::Result<__Key, __E> {
                        ::std::result::Result::Ok(match v {
                            #(#jsons => __Key::#keys,)*
                            _ => __Key::__Unknown(v.to_owned()),
                        })
                    }
                    fn visit_string<__E: ::serde::de::Error>(self, v: ::std::string::String) -> ::std::result::Result<__Key, __E> {
                        ::std::result::Result::Ok(match v.as_str() {
                            #(#jsons => __Key::#keys,)*
                            _ => __Key::__Unknown(v),
                        })
                    }
                    fn visit_bytes<__E: ::serde::de::Error>(self, v: &[u8]) -> ::std::result::Result<__Key, __E> {
                        match ::std::str::from_utf8(v) {
                            ::std::result::Result::Ok(s) => self.visit_str(s),
                            ::std::result::Result::Err(_) => ::std::result::Result::Err(
                                __E::invalid_value(::serde::de::Unexpected::Bytes(v), &self),
                            ),
                        }
                    }
                }
                impl<'de> ::serde::Deserialize<'de> for __Key {
                    fn deserialize<__D>(deserializer: __D) -> ::std::result::Result<Self, __D::Error>
                    where
                        __D: ::serde::Deserializer<'de>,
                    {
                        deserializer.deserialize_identifier(__KeyVisitor)
                    }
                }
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<__A>(self, mut map: __A) -> ::std::result::Result<#name, __A::Error>
                    where
                        __A: ::serde::de::MapAccess<'de>,
                    {
                        #(let mut #slots: ::std::option::Option<#types> = ::std::option::Option::None;)*
                        let mut #extra = ::serde_json::Map::new();
                        while let ::std::option::Option::Some(key) = map.next_key::<__Key>()? {
                            match key {
                                #(__Key::#keys => {
                                    if #slots.is_some() {
                                        return ::std::result::Result::Err(
                                            <__A::Error as ::serde::de::Error>::duplicate_field(#jsons),
                                        );
                                    }
                                    #slots = ::std::option::Option::Some(map.next_value::<#types>()?);
                                })*
                                __Key::__Unknown(name) => {
                                    let value = map.next_value::<::serde_json::Value>()?;
                                    #extra.insert(name, value);
                                }
                            }
                        }
                        #(let #slots = match #slots {
                            ::std::option::Option::Some(value) => value,
                            ::std::option::Option::None => #absent,
                        };)*
                        ::std::result::Result::Ok(#name {
                            #(#fields: #slots,)*
                            #extra,
                        })
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
    })
}

fn is_option(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "Option"),
        _ => false,
    }
}
