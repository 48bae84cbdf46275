//! One error type for every generated call: each operation builder's `send()` returns
//! `crate::Result<ResponseValue<T>>`.
//!
//! progenitor's `send()` returns its own `Error<E>`, and hands the request to the client's hooks,
//! which can answer only with a response or a `reqwest::Error`. It is rewritten: progenitor's
//! statements build the request, the crate's transport sends it and answers with a response or
//! the crate's error (a value refused before sending reaches the caller as it is), and
//! progenitor's statements decode the answer. A caller never meets two error types and never
//! needs `.map_err(..)`.
//!
//! That `send()` also checks each path parameter before the URL is built: progenitor's
//! `encode_path` leaves `.` and `..` as they are, and the URL parser would then resolve them
//! (`checks/..` is the namespace, not a check), so such a value is refused, naming it.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::{quote, ToTokens};
use syn::{GenericArgument, ImplItem, Item, PathArguments, ReturnType, Type};

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
            let (build, decode) = split_at_exchange(&function.block.stmts).ok_or_else(|| {
                format!(
                    "send of {}: progenitor's pre, exec, post and result statements not found",
                    quote!(#self_ty)
                )
            })?;
            let ReturnType::Type(_, unmapped) = &function.sig.output else {
                return Err(format!("send of {} returns nothing", quote!(#self_ty)));
            };
            let progenitor_error = error_type(unmapped).ok_or_else(|| {
                format!("send of {} does not return Result<T, E>", quote!(#self_ty))
            })?;
            *function = syn::parse_quote! {
                #(#docs)*
                ///
                /// Any failure, from a value refused before sending to an error answer, is an
                /// [`Error`](crate::Error).
                pub async fn send(self) -> crate::Result<#ok> {
                    #(#checks)*
                    let built = (move || -> ::std::result::Result<_, #progenitor_error> {
                        #(#build)*
                        ::std::result::Result::Ok((client, request, info))
                    })();
                    let (client, request, info) = built.map_err(crate::Error::from)?;
                    let response = client.send_through_transport(request, &info).await?;
                    let decoded: #unmapped = async move { #(#decode)* }.await;
                    decoded.map_err(crate::Error::from)
                }
            };
            count += 1;
        }
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

/// progenitor's `send()` body, split around its exchange (`client.pre(..)`, `client.exec(..)`,
/// `client.post(..)`, `let response = result?;`): the statements that build the request and
/// the ones that decode the answer.
fn split_at_exchange(stmts: &[syn::Stmt]) -> Option<(&[syn::Stmt], &[syn::Stmt])> {
    let text = |stmt: &syn::Stmt| stmt.to_token_stream().to_string();
    let at = stmts
        .iter()
        .position(|s| text(s).starts_with("client . pre ("))?;
    let exchange = stmts.get(at..at + 4)?;
    let expected = [
        "client . pre (& mut request , & info) . await ? ;",
        "let result = client . exec (request , & info) . await ;",
        "client . post (& result , & info) . await ? ;",
        "let response = result ? ;",
    ];
    if exchange.iter().map(text).ne(expected) {
        return None;
    }
    Some((&stmts[..at], &stmts[at + 4..]))
}

/// `E` of `Result<T, E>`.
fn error_type(output: &Type) -> Option<Type> {
    let Type::Path(path) = output else {
        return None;
    };
    let last = path.path.segments.last()?;
    let PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.iter().nth(1)? {
        GenericArgument::Type(error) => Some(error.clone()),
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

    #[test]
    fn progenitor_send_is_split_around_its_exchange() {
        let body: syn::Block = syn::parse_quote! {{
            let Self { client, body } = self;
            let body = body.map_err(Error::InvalidRequest)?;
            let url = format!("{}/things", client.baseurl);
            let mut request = client.client.post(url).json(&body).build()?;
            let info = OperationInfo { operation_id: "create_thing" };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                201u16 => Ok(ResponseValue::empty(response)),
                _ => Err(Error::UnexpectedResponse(response)),
            }
        }};
        let (build, decode) = split_at_exchange(&body.stmts).expect("split");
        assert_eq!(build.len(), 5);
        assert!(build[4]
            .to_token_stream()
            .to_string()
            .starts_with("let info"));
        assert_eq!(decode.len(), 1);
        assert!(decode[0]
            .to_token_stream()
            .to_string()
            .starts_with("match response"));
        // A body whose exchange differs is not rewritten.
        let changed: syn::Block = syn::parse_quote! {{
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            let response = result?;
        }};
        assert!(split_at_exchange(&changed.stmts).is_none());
    }
}
