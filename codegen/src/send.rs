//! One error type for every generated call: each operation builder's `send()` returns
//! `crate::Result<ResponseValue<T>>`.
//!
//! progenitor's `send()` returns its own `Error<E>`. It is kept under another, private name, and
//! a `send()` in the crate's error type is written beside it, so a caller never meets two error
//! types and never needs `.map_err(..)`.
//!
//! That `send()` also checks each path parameter before the URL is built: progenitor's
//! `encode_path` leaves `.` and `..` as they are, and the URL parser would then resolve them
//! (`checks/..` is the namespace, not a check), so such a value is refused, naming it.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::{quote, ToTokens};
use syn::{GenericArgument, ImplItem, Item, PathArguments, ReturnType, Type};

/// The name progenitor's own `send()` is kept under.
const UNMAPPED: &str = "send_unmapped";

/// Rewrites every operation builder in the top-level `mod builder`; returns how many.
pub(crate) fn send_in_crate_errors(file: &mut syn::File) -> Result<usize, String> {
    let Some((_, items)) = file.items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == "builder" => module.content.as_mut(),
        _ => None,
    }) else {
        return Ok(0);
    };
    let mut count = 0;
    for item in items.iter_mut() {
        let Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() {
            continue;
        }
        let self_ty = block.self_ty.clone();
        let mut added = Vec::new();
        for impl_item in block.items.iter_mut() {
            let ImplItem::Fn(function) = impl_item else {
                continue;
            };
            if function.sig.ident != "send" || function.sig.asyncness.is_none() {
                continue;
            }
            let ok = success_type(&function.sig.output).ok_or_else(|| {
                format!(
                    "send of {} does not return Result<T, Error<E>>",
                    quote!(#self_ty)
                )
            })?;
            let docs: Vec<_> = function
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .cloned()
                .collect();
            let parameters = path_parameters(&function.block.to_token_stream());
            // The path is in progenitor's doc comment; a parameter not found in the body would
            // go unchecked, so generating stops instead.
            let template = docs
                .iter()
                .map(|d| d.to_token_stream().to_string())
                .collect::<String>();
            if template.matches('{').count() != parameters.len() {
                return Err(format!(
                    "send of {}: {} path parameters found in its body, its path is {template}",
                    quote!(#self_ty),
                    parameters.len()
                ));
            }
            let checks = parameters.into_iter().map(|parameter| {
                let name = parameter.to_string();
                quote! {
                    if let ::std::result::Result::Ok(value) = &self.#parameter {
                        crate::endpoint::path_segment(#name, &value.to_string())?;
                    }
                }
            });
            let checks: Vec<TokenStream> = checks.collect();
            function.sig.ident = syn::Ident::new(UNMAPPED, function.sig.ident.span());
            function.vis = syn::Visibility::Inherited;
            function.attrs.retain(|a| !a.path().is_ident("doc"));
            let unmapped = syn::Ident::new(UNMAPPED, proc_macro2::Span::call_site());
            added.push(syn::parse_quote! {
                #(#docs)*
                ///
                /// Any failure, from a value refused before sending to an error answer, is an
                /// [`Error`](crate::Error).
                pub async fn send(self) -> crate::Result<#ok> {
                    #(#checks)*
                    self.#unmapped().await.map_err(crate::Error::from)
                }
            });
            count += 1;
        }
        block.items.extend(added.into_iter().map(ImplItem::Fn));
    }
    Ok(count)
}

/// The builder fields progenitor puts in the path: each `encode_path(&field.to_string())` of its
/// `send()`, in order, once each.
fn path_parameters(body: &TokenStream) -> Vec<syn::Ident> {
    let mut found = Vec::new();
    let mut tokens = body.clone().into_iter().peekable();
    while let Some(token) = tokens.next() {
        match token {
            TokenTree::Ident(ident) if ident == "encode_path" => {
                if let Some(TokenTree::Group(arguments)) = tokens.peek() {
                    if arguments.delimiter() == Delimiter::Parenthesis {
                        if let Some(field) = encoded_field(&arguments.stream()) {
                            if !found.contains(&field) {
                                found.push(field);
                            }
                        }
                    }
                }
            }
            TokenTree::Group(group) => {
                for field in path_parameters(&group.stream()) {
                    if !found.contains(&field) {
                        found.push(field);
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// `field` of `&field.to_string()`.
fn encoded_field(arguments: &TokenStream) -> Option<syn::Ident> {
    let tokens: Vec<TokenTree> = arguments.clone().into_iter().collect();
    match tokens.as_slice() {
        [TokenTree::Punct(and), TokenTree::Ident(field), TokenTree::Punct(dot), TokenTree::Ident(method), TokenTree::Group(call)]
            if and.as_char() == '&'
                && dot.as_char() == '.'
                && method == "to_string"
                && call.stream().is_empty() =>
        {
            Some(field.clone())
        }
        _ => None,
    }
}

/// `T` of `Result<T, E>`.
fn success_type(output: &ReturnType) -> Option<Type> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let Type::Path(path) = ty.as_ref() else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.first()? {
        GenericArgument::Type(ok) => Some(ok.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_are_read_from_the_url_progenitor_builds() {
        let body = quote! {{
            let namespace = namespace.map_err(Error::InvalidRequest)?;
            let url = format!(
                "{}/api/core/v2/namespaces/{}/checks/{}",
                client.baseurl,
                encode_path(&namespace.to_string()),
                encode_path(&check.to_string()),
            );
            let again = encode_path(&namespace.to_string());
            let not_a_field = encode_path("literal");
        }};
        let found: Vec<String> = path_parameters(&body)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(found, ["namespace", "check"]);
    }
}
