//! Makes every list operation's builder a `crate::paging::ListRequest`, so it can be streamed.

use heck::ToPascalCase;

use crate::{Operation, PageSource, Paging};

pub(crate) fn render(operations: &[Operation], paging: &Paging) -> String {
    let mut out = String::new();
    for op in operations {
        let Some(list) = &op.list else {
            continue;
        };
        let builder = op.id.to_pascal_case();
        // Type names go through typify, which also PascalCases them (`APIKey` → `ApiKey`).
        let item = list.item.to_pascal_case();
        let mut body = String::from("let request = self.clone();\n");
        let takes_size = op.query.iter().any(|q| q == paging.size_param);
        let takes_cursor = op.query.iter().any(|q| q == paging.cursor_param);
        if takes_size {
            body.push_str(&format!(
                "let request = match page_size {{ Some(n) => request.{}(n), None => request }};\n",
                crate::rust_ident(paging.size_param)
            ));
        } else {
            body.push_str("let _ = page_size; // the server returns the whole list\n");
        }
        if takes_cursor {
            body.push_str(&format!(
                "let request = match cursor {{ Some(c) => request.{}(c), None => request }};\n",
                crate::rust_ident(paging.cursor_param)
            ));
        } else {
            body.push_str("let _ = cursor;\n");
        }
        let fetch = match (&paging.source, &list.items_field, &list.next_field) {
            (PageSource::Bare { decoder }, None, _) => format!("{decoder}(request.send().await)"),
            (PageSource::Envelope { decoder, .. }, Some(items), Some(next)) => format!(
                "let body = request.send().await?.into_inner();\n\
                 Ok(crate::paging::Page {{ next: {decoder}(&body.{next})?, items: crate::paging::items(body.{items}) }})",
                next = crate::rust_ident(next),
                items = crate::rust_ident(items),
            ),
            // A bare array in an API whose lists are envelopes: one page.
            _ => {
                "Ok(crate::paging::Page { items: request.send().await?.into_inner(), next: None })"
                    .into()
            }
        };
        out.push_str(&format!(
            r#"
impl<'a> crate::paging::ListRequest<'a> for builder::{builder}<'a> {{
    type Item = types::{item};
    fn fetch_page(
        &self,
        page_size: Option<u64>,
        cursor: Option<String>,
    ) -> crate::paging::PageFuture<'a, Self::Item> {{
        {body}
        Box::pin(async move {{ {fetch} }})
    }}
}}
"#
        ));
    }
    out
}
