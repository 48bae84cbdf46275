//! Sensu pages lists with `limit` and `continue`; the `Sensu-Continue` answer header holds the
//! next cursor and is absent on the last page.

use progenitor_client::ResponseValue;

use crate::error::Error;
use crate::Result;

/// The header that carries the next page's cursor.
pub const CONTINUE_HEADER: &str = "Sensu-Continue";

/// The cursor of the page after a list answer: its `Sensu-Continue` header, `None` when absent
/// or empty. Used by the generated `NextPage` impls.
pub(crate) fn continue_cursor<T>(answer: &ResponseValue<T>) -> Result<Option<String>> {
    let Some(value) = answer.headers().get(CONTINUE_HEADER) else {
        return Ok(None);
    };
    let cursor = value.to_str().map_err(|_| {
        Error::malformed(
            Some(answer.status()),
            "Sensu-Continue is not ASCII",
            value.as_bytes(),
        )
    })?;
    Ok((!cursor.is_empty()).then(|| cursor.to_string()))
}
