//! Builders that take plain values: `.description("...")`, `.subscriptions(["linux"])`,
//! `.labels([("team", "ops")])`, then `.build()`.
//!
//! typify's struct builders take `T: TryInto<FieldType>`, so an optional field wants
//! `Some(Newtype::try_from("...")?)` and a list wants a `Vec` of the exact item type. The setters
//! are rewritten so that an optional field takes its value, a list takes any iterable of values
//! convertible to its items, and a map any iterable of pairs. A value a rule refuses is
//! reported when the builder is built, naming the field. Each builder also gets a `build()`
//! that returns the crate's error.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{GenericArgument, ImplItem, Item, PathArguments, Type, WherePredicate};

/// Rewrites the setters of every builder in `mod types { mod builder }`; returns how many.
pub(crate) fn plain_value_setters(file: &mut syn::File) -> Result<usize, String> {
    let Some((_, types)) = file.items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == "types" => module.content.as_mut(),
        _ => None,
    }) else {
        return Ok(0);
    };
    let Some((_, builders)) = types.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == "builder" => module.content.as_mut(),
        _ => None,
    }) else {
        return Ok(0);
    };
    let mut count = 0;
    let mut built = Vec::new();
    for item in builders.iter_mut() {
        let Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() {
            continue;
        }
        let Type::Path(self_ty) = block.self_ty.as_ref() else {
            continue;
        };
        let name = self_ty.path.segments.last().map(|s| s.ident.clone());
        let mut is_builder = false;
        for impl_item in block.items.iter_mut() {
            let ImplItem::Fn(function) = impl_item else {
                continue;
            };
            let Some(field) = setter_field_type(function) else {
                continue;
            };
            is_builder = true;
            if let Some(rewritten) = rewrite(&function.sig.ident, &field) {
                *function = syn::parse2(rewritten).map_err(|e| format!("setter: {e}"))?;
                count += 1;
            }
        }
        if let (true, Some(name)) = (is_builder, name) {
            built.push(name);
        }
    }
    for name in built {
        builders.push(syn::parse_quote! {
            impl #name {
                /// The value, or the crate's error naming the first field that is missing or
                /// was refused.
                pub fn build(self) -> crate::Result<super::#name> {
                    super::#name::try_from(self).map_err(|e| crate::error::refused_field(&e.to_string()))
                }
            }
        });
    }
    Ok(count)
}

/// The field type of a typify setter: `T` bound by `TryInto<FieldType>`.
fn setter_field_type(function: &syn::ImplItemFn) -> Option<Type> {
    let predicates = &function.sig.generics.where_clause.as_ref()?.predicates;
    predicates.iter().find_map(|predicate| {
        let WherePredicate::Type(bound) = predicate else {
            return None;
        };
        let Type::Path(bounded) = &bound.bounded_ty else {
            return None;
        };
        if !bounded.path.is_ident("T") {
            return None;
        }
        bound.bounds.iter().find_map(|b| {
            let syn::TypeParamBound::Trait(t) = b else {
                return None;
            };
            let last = t.path.segments.last()?;
            if last.ident != "TryInto" {
                return None;
            }
            first_argument(&last.arguments)
        })
    })
}

fn first_argument(arguments: &PathArguments) -> Option<Type> {
    let PathArguments::AngleBracketed(arguments) = arguments else {
        return None;
    };
    arguments.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

/// The last segment's name and its first type argument: `Option<X>` gives `("Option", X)`.
fn outer(ty: &Type) -> Option<(String, Option<Type>)> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    Some((last.ident.to_string(), first_argument(&last.arguments)))
}

/// The second type argument of a map type: the values of `BTreeMap<String, V>`.
fn map_value(ty: &Type) -> Option<Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    let PathArguments::AngleBracketed(arguments) = &path.path.segments.last()?.arguments else {
        return None;
    };
    arguments
        .args
        .iter()
        .filter_map(|a| match a {
            GenericArgument::Type(t) => Some(t.clone()),
            _ => None,
        })
        .nth(1)
}

/// A setter for a field of type `field`, or `None` to keep typify's.
fn rewrite(name: &syn::Ident, field: &Type) -> Option<TokenStream> {
    let (optional, value) = match outer(field)? {
        (outer, Some(inner)) if outer == "Option" => (true, inner),
        _ => (false, field.clone()),
    };
    let wrap = if optional {
        quote!(.map(::std::option::Option::Some))
    } else {
        quote!()
    };
    let message = format!("error converting supplied value for {name}: {{e}}");
    let store = |conversion: TokenStream| {
        quote! {
            self.#name = #conversion #wrap .map_err(|e| format!(#message));
            self
        }
    };
    match outer(&value) {
        Some((kind, Some(item))) if kind == "Vec" => {
            let body = store(quote! {
                value
                    .into_iter()
                    .map(|v| ::std::convert::TryInto::<#item>::try_into(v))
                    .collect::<::std::result::Result<#value, _>>()
            });
            Some(quote! {
                pub fn #name<T>(mut self, value: T) -> Self
                where
                    T: ::std::iter::IntoIterator,
                    T::Item: ::std::convert::TryInto<#item>,
                    <T::Item as ::std::convert::TryInto<#item>>::Error: ::std::fmt::Display,
                {
                    #body
                }
            })
        }
        Some((kind, _)) if kind == "BTreeMap" || kind == "Map" => {
            let entry = map_value(&value)?;
            let (k, v) = (format_ident!("K"), format_ident!("V"));
            let body = store(quote! {
                value
                    .into_iter()
                    .map(|(k, v)| {
                        ::std::convert::TryInto::<#entry>::try_into(v)
                            .map(|v| (::std::convert::Into::<::std::string::String>::into(k), v))
                    })
                    .collect::<::std::result::Result<#value, _>>()
            });
            Some(quote! {
                pub fn #name<T, #k, #v>(mut self, value: T) -> Self
                where
                    T: ::std::iter::IntoIterator<Item = (#k, #v)>,
                    #k: ::std::convert::Into<::std::string::String>,
                    #v: ::std::convert::TryInto<#entry>,
                    <#v as ::std::convert::TryInto<#entry>>::Error: ::std::fmt::Display,
                {
                    #body
                }
            })
        }
        _ if optional => {
            let body = store(quote!(value.try_into()));
            Some(quote! {
                pub fn #name<T>(mut self, value: T) -> Self
                where
                    T: ::std::convert::TryInto<#value>,
                    T::Error: ::std::fmt::Display,
                {
                    #body
                }
            })
        }
        _ => None,
    }
}
