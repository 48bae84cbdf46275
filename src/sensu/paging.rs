//! Sensu pages lists with `limit` and `continue`; the `Sensu-Continue` answer header holds the
//! next cursor and is absent on the last page.

use progenitor_client::ResponseValue;

use crate::error::Error;
use crate::paging::Page;
use crate::Result;

/// The header that carries the next page's cursor.
pub const CONTINUE_HEADER: &str = "Sensu-Continue";

/// Turns a list answer into a page. Used by the generated `ListRequest` impls.
pub(crate) fn decode_page<T>(result: Result<ResponseValue<Vec<T>>>) -> Result<Page<T>> {
    let response = result?;
    let next = match response.headers().get(CONTINUE_HEADER) {
        None => None,
        Some(value) => {
            let cursor = value.to_str().map_err(|_| {
                Error::malformed(
                    Some(response.status()),
                    "Sensu-Continue is not ASCII",
                    value.as_bytes(),
                )
            })?;
            (!cursor.is_empty()).then(|| cursor.to_string())
        }
    };
    Ok(Page {
        items: response.into_inner(),
        next,
    })
}
