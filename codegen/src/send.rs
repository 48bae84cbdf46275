//! One error type for every generated call: each operation builder's `send()` returns
//! `crate::Result<ResponseValue<T>>`.
//!
//! progenitor's `send()` returns its own `Error<E>`. It is kept under another, private name, and
//! a `send()` in the crate's error type is written beside it, so a caller never meets two error
//! types and never needs `.map_err(..)`.

use quote::quote;
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
                    self.#unmapped().await.map_err(crate::Error::from)
                }
            });
            count += 1;
        }
        block.items.extend(added.into_iter().map(ImplItem::Fn));
    }
    Ok(count)
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
