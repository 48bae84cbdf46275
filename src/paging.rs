//! Streams over paginated list operations.
//!
//! Every list operation's builder implements [`ListRequest`] (the impls are generated from the
//! document), so any list becomes a stream of items that fetches pages on demand:
//!
//! ```no_run
//! # async fn f(client: opsclient::sensu::Client) -> opsclient::Result<()> {
//! use futures::TryStreamExt;
//! use opsclient::paging::ListRequest;
//!
//! let checks: Vec<_> = client
//!     .list_checks()
//!     .namespace("default")
//!     .stream(100)
//!     .try_collect()
//!     .await?;
//! # Ok(()) }
//! ```

use std::collections::HashSet;

use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use futures::FutureExt;
use progenitor_client::ResponseValue;

use crate::error::{Error, UnexpectedResponse};
use crate::Result;

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// The cursor of the next page; `None` on the last one.
    pub next: Option<String>,
}

/// The items array of a list envelope, whether its document makes the array required (`Vec`)
/// or optional (`Option<Vec>`: an absent array is an empty page).
pub(crate) trait EnvelopeItems<T> {
    fn into_items(self) -> Vec<T>;
}

impl<T> EnvelopeItems<T> for Vec<T> {
    fn into_items(self) -> Vec<T> {
        self
    }
}

impl<T> EnvelopeItems<T> for Option<Vec<T>> {
    fn into_items(self) -> Vec<T> {
        self.unwrap_or_default()
    }
}

/// The items of a list envelope; used by the generated `ListRequest` impls.
#[cfg_attr(
    not(any(feature = "watcher", feature = "monasca", feature = "saltant")),
    allow(dead_code)
)]
pub(crate) fn items<T>(array: impl EnvelopeItems<T>) -> Vec<T> {
    array.into_items()
}

/// A list request whose answer, read with `send()`, tells whether another page follows: for
/// callers that read one page themselves and want to know if it was the last.
///
/// ```no_run
/// # async fn f(client: opsclient::sensu::Client) -> opsclient::Result<()> {
/// use opsclient::paging::NextPage;
/// use opsclient::sensu::builder::ListChecks;
///
/// let answer = client.list_checks().namespace("default").limit(10).send().await?;
/// if let Some(cursor) = ListChecks::next_cursor(&answer)? {
///     println!("more checks follow: ask again with continue={cursor}");
/// }
/// # Ok(()) }
/// ```
pub trait NextPage {
    /// What `send()` answers: the array of items, or the envelope that holds them.
    type Answer;

    /// The cursor of the page after `answer` (the value the list's cursor parameter takes),
    /// or `None` when `answer` is the last page. A next-page link that cannot be read is a
    /// typed error.
    fn next_cursor(answer: &ResponseValue<Self::Answer>) -> Result<Option<String>>;
}

/// The future of one page.
pub type PageFuture<'a, T> = BoxFuture<'a, Result<Page<T>>>;

/// A list request that can fetch any of its pages.
pub trait ListRequest<'a>: Sized + Send + 'a {
    /// What the list holds.
    type Item: Send + 'a;

    /// Fetches one page of at most `page_size` items (`None`: the server's default), starting
    /// at `cursor` (`None`: the first page). Lists the server does not paginate answer with
    /// everything in one page.
    fn fetch_page(
        &self,
        page_size: Option<u64>,
        cursor: Option<String>,
    ) -> PageFuture<'a, Self::Item>;

    /// Every item of the list, fetched `page_size` at a time.
    ///
    /// ```no_run
    /// # async fn f(client: opsclient::sensu::Client) -> opsclient::Result<()> {
    /// use opsclient::prelude::*;
    ///
    /// let checks = client.list_checks().namespace("default").collect_all(100).await?;
    /// # Ok(()) }
    /// ```
    fn collect_all(self, page_size: u64) -> BoxFuture<'a, Result<Vec<Self::Item>>> {
        self.stream(page_size).try_collect().boxed()
    }

    /// All items, fetched `page_size` at a time as the stream is read. A page that fails is
    /// retried on its own (the transport's retries), not the whole list.
    ///
    /// The server's answers cannot make it loop forever: the stream ends with an error when a
    /// page leads to a cursor already followed (a cycle such as A, B, A), or when there are
    /// more than [`DEFAULT_MAX_PAGES`] pages (see [`stream_limited`](Self::stream_limited)).
    fn stream(self, page_size: u64) -> BoxStream<'a, Result<Self::Item>> {
        self.stream_limited(page_size, DEFAULT_MAX_PAGES)
    }

    /// Like [`stream`](Self::stream), reading at most `max_pages` pages (at least one): a list
    /// with more ends with an error after the last page allowed, not with a silent cut.
    ///
    /// ```no_run
    /// # async fn f(client: opsclient::sensu::Client) -> opsclient::Result<()> {
    /// use opsclient::prelude::*;
    ///
    /// // At most 50 pages of 100 checks.
    /// let checks: Vec<_> = client
    ///     .list_checks()
    ///     .namespace("default")
    ///     .stream_limited(100, 50)
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    fn stream_limited(self, page_size: u64, max_pages: usize) -> BoxStream<'a, Result<Self::Item>> {
        let max_pages = max_pages.max(1);
        let first = State::Next {
            cursor: None,
            seen: HashSet::new(),
        };
        stream::try_unfold(first, move |state| {
            let (cursor, mut seen) = match state {
                State::Done => return futures::future::ready(Ok(None)).boxed(),
                State::Next { cursor, seen } => (cursor, seen),
            };
            let page = self.fetch_page(Some(page_size), cursor.clone());
            async move {
                let page = page.await?;
                let next = match page.next {
                    Some(next) if !seen.insert(next.clone()) => {
                        return Err(stopped(format!(
                            "the server led back to a page already read (cursor {})",
                            shown(&next)
                        )));
                    }
                    Some(_) if seen.len() >= max_pages => {
                        return Err(stopped(format!(
                            "the list has more than {max_pages} pages, the most this stream reads"
                        )));
                    }
                    Some(next) => State::Next {
                        cursor: Some(next),
                        seen,
                    },
                    None => State::Done,
                };
                Ok(Some((stream::iter(page.items.into_iter().map(Ok)), next)))
            }
            .boxed()
        })
        .try_flatten()
        .boxed()
    }
}

/// A link to another page, absolute or relative to the server (Watcher builds its own from
/// the request's host only).
#[cfg_attr(
    not(any(feature = "watcher", feature = "monasca", feature = "saltant")),
    allow(dead_code)
)]
pub(crate) struct Link {
    url: url::Url,
}

#[cfg_attr(
    not(any(feature = "watcher", feature = "monasca", feature = "saltant")),
    allow(dead_code)
)]
impl Link {
    /// Reads a link; a malformed one is a typed error that shows it.
    pub(crate) fn parse(href: &str) -> Result<Link> {
        let url = url::Url::parse(href)
            .or_else(|_| url::Url::parse("http://localhost/").and_then(|base| base.join(href)))
            .map_err(|e| Error::malformed(None, format!("link {href:?}: {e}"), b""))?;
        Ok(Link { url })
    }

    /// The value of query parameter `key`, decoded.
    pub(crate) fn query(&self, key: &str) -> Option<String> {
        self.url
            .query_pairs()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    }

    /// The value of query parameter `key`, which a next link must have.
    pub(crate) fn cursor(&self, key: &str) -> Result<String> {
        self.query(key).ok_or_else(|| {
            Error::malformed(None, format!("next link {} has no {key}", self.url), b"")
        })
    }

    /// The link's path.
    #[cfg_attr(not(feature = "monasca"), allow(dead_code))] // its notification methods
    pub(crate) fn path(&self) -> &str {
        self.url.path()
    }
}

/// The most pages [`ListRequest::stream`] reads: with 100 items a page, a million items. Set
/// another limit with [`ListRequest::stream_limited`].
pub const DEFAULT_MAX_PAGES: usize = 10_000;

enum State {
    Next {
        cursor: Option<String>,
        /// Every cursor the server has led to so far.
        seen: HashSet<String>,
    },
    Done,
}

fn stopped(why: String) -> Error {
    Error::UnexpectedResponse(UnexpectedResponse {
        status: None,
        reason: format!("{why}; stopping"),
        body: String::new(),
    })
}

/// A cursor as it may be shown: they are opaque and can be long.
fn shown(cursor: &str) -> String {
    let mut end = cursor.len().min(64);
    while !cursor.is_char_boundary(end) {
        end -= 1;
    }
    cursor[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_envelope_gives_its_items_and_an_absent_array_gives_none() {
        assert_eq!(items(vec![1, 2, 3]), vec![1, 2, 3]);
        assert_eq!(items(Some(vec![4])), vec![4]);
        assert_eq!(items(None::<Vec<i32>>), Vec::<i32>::new());
    }

    #[test]
    fn a_cursor_is_shown_whole_up_to_64_bytes_and_cut_on_a_character_boundary() {
        assert_eq!(shown("abc"), "abc");
        assert_eq!(shown(&"x".repeat(100)), "x".repeat(64));
        // `é` takes bytes 63 and 64: the cut falls before it, not inside it.
        let straddling = format!("{}é{}", "a".repeat(63), "z".repeat(10));
        assert_eq!(shown(&straddling), "a".repeat(63));
    }
}
