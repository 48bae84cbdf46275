//! Monasca lists carry `links`; the `next` link, present only when more results exist, holds an
//! opaque `offset` (an integer, an id, a timestamp, ...) that is passed back as is.
//!
//! One exception: Monasca 11 builds the next link of notification methods with the last item's
//! id, but reads that list's `offset` as a row number and answers 422 to an id. There the next
//! offset is computed as the server reads it: this page's offset plus its limit.

use super::types::Link;
use crate::error::Error;
use crate::paging::Link as PageLink;
use crate::Result;

/// The limit the server applies when a request names none (`PAGE_LIMIT`).
const SERVER_PAGE_LIMIT: u64 = 10_000;

fn href<'a>(links: &'a [Link], rel: &str) -> Option<&'a str> {
    links
        .iter()
        .find(|l| l.rel.as_deref() == Some(rel))
        .and_then(|l| l.href.as_deref())
}

/// The `offset` of a list's `next` link.
pub(crate) fn next_offset(links: &[Link]) -> Result<Option<String>> {
    let Some(next) = href(links, "next") else {
        return Ok(None);
    };
    let next = PageLink::parse(next)?;
    let offset = next.cursor("offset")?;
    if next.path().ends_with("/notification-methods") && offset.parse::<u64>().is_err() {
        return row_after_this_page(links).map(Some);
    }
    Ok(Some(offset))
}

/// The row number after the page whose self link is in `links`.
fn row_after_this_page(links: &[Link]) -> Result<String> {
    let this = PageLink::parse(href(links, "self").unwrap_or_default())?;
    let number = |key: &str, default: u64| match this.query(key) {
        None => Ok(default),
        Some(text) => text
            .parse::<u64>()
            .map_err(|_| Error::malformed(None, format!("the self link has {key}={text:?}"), b"")),
    };
    // Checked: both numbers come from the server.
    number("offset", 0)?
        .checked_add(number("limit", SERVER_PAGE_LIMIT)?)
        .map(|row| row.to_string())
        .ok_or_else(|| Error::malformed(None, "the self link's offset and limit overflow", b""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(pairs: &[(&str, &str)]) -> Vec<Link> {
        pairs
            .iter()
            .map(|(rel, href)| Link {
                rel: Some(rel.to_string()),
                href: Some(href.to_string()),
                extra: Default::default(),
            })
            .collect()
    }

    #[test]
    fn the_next_offset_is_passed_back_as_is() {
        let page = links(&[
            ("self", "http://m/v2.0/metrics/measurements?name=x"),
            (
                "next",
                "http://m/v2.0/metrics/measurements?offset=abc_2026-01-01T00%3A00%3A00Z&name=x",
            ),
        ]);
        assert_eq!(
            next_offset(&page).unwrap().as_deref(),
            Some("abc_2026-01-01T00:00:00Z")
        );
        assert_eq!(next_offset(&page[..1]).unwrap(), None);
    }

    #[test]
    fn notification_methods_continue_at_the_next_row() {
        let first = links(&[
            ("self", "http://m/v2.0/notification-methods?limit=2"),
            (
                "next",
                "http://m/v2.0/notification-methods?offset=1f2e-uuid&limit=2",
            ),
        ]);
        assert_eq!(next_offset(&first).unwrap().as_deref(), Some("2"));
        let second = links(&[
            (
                "self",
                "http://m/v2.0/notification-methods?offset=2&limit=2",
            ),
            (
                "next",
                "http://m/v2.0/notification-methods?offset=9a8b-uuid&limit=2",
            ),
        ]);
        assert_eq!(next_offset(&second).unwrap().as_deref(), Some("4"));
    }

    #[test]
    fn a_next_link_without_offset_is_a_typed_error() {
        let page = links(&[("next", "http://m/v2.0/metrics?limit=2")]);
        assert!(matches!(
            next_offset(&page),
            Err(Error::UnexpectedResponse(_))
        ));
    }
}
