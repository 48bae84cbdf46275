//! Makes every list operation's builder a `crate::paging::ListRequest`, so it can be streamed,
//! and a `crate::paging::NextPage`, so one answer tells whether another page follows.

use heck::ToPascalCase;

use crate::{Operation, PageSource, Paging};

pub(crate) fn render(operations: &[Operation], paging: &Paging) -> Result<String, String> {
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
        // What `send()` answers, and how the cursor of the next page is read from it.
        let (answer, next, items) = match (&paging.source, &list.items_field, &list.next_field) {
            (PageSource::Bare { decoder }, None, _) => (
                format!("::std::vec::Vec<types::{item}>"),
                format!("{decoder}(answer)"),
                "answer.into_inner()".to_string(),
            ),
            (PageSource::Envelope { decoder, .. }, Some(items), Some(next)) => {
                let envelope = op
                    .response_schema
                    .as_deref()
                    .ok_or_else(|| format!("{}: a list envelope without a schema", op.id))?;
                (
                    format!("types::{}", envelope.to_pascal_case()),
                    format!("{decoder}(&answer.{})", crate::rust_ident(next)),
                    format!(
                        "crate::paging::items(answer.into_inner().{})",
                        crate::rust_ident(items)
                    ),
                )
            }
            // A bare array in an API whose lists are envelopes: one page.
            _ => (
                format!("::std::vec::Vec<types::{item}>"),
                "{ let _ = answer; Ok(None) }".to_string(),
                "answer.into_inner()".to_string(),
            ),
        };
        out.push_str(&format!(
            r#"
impl<'a> crate::paging::NextPage for builder::{builder}<'a> {{
    type Answer = {answer};
    fn next_cursor(
        answer: &progenitor_client::ResponseValue<Self::Answer>,
    ) -> crate::Result<Option<String>> {{
        {next}
    }}
}}

impl<'a> crate::paging::ListRequest<'a> for builder::{builder}<'a> {{
    type Item = types::{item};
    fn fetch_page(
        &self,
        page_size: Option<u64>,
        cursor: Option<String>,
    ) -> crate::paging::PageFuture<'a, Self::Item> {{
        {body}
        Box::pin(async move {{
            let answer = request.send().await?;
            let next = <Self as crate::paging::NextPage>::next_cursor(&answer)?;
            Ok(crate::paging::Page {{ next, items: {items} }})
        }})
    }}
}}
"#
        ));
    }
    Ok(out)
}
