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

use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use futures::FutureExt;

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

    /// All items, fetched `page_size` at a time as the stream is read.
    ///
    /// The stream ends with an error if the server answers a page with the cursor it was
    /// asked for, which would otherwise loop forever.
    fn stream(self, page_size: u64) -> BoxStream<'a, Result<Self::Item>> {
        let first = State::Next(None);
        stream::try_unfold(first, move |state| {
            let cursor = match state {
                State::Done => return futures::future::ready(Ok(None)).boxed(),
                State::Next(cursor) => cursor,
            };
            let page = self.fetch_page(Some(page_size), cursor.clone());
            async move {
                let page = page.await?;
                let next = match page.next {
                    Some(next) if Some(&next) == cursor.as_ref() => {
                        return Err(repeated_cursor(&next));
                    }
                    Some(next) => State::Next(Some(next)),
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

enum State {
    Next(Option<String>),
    Done,
}

fn repeated_cursor(cursor: &str) -> Error {
    Error::UnexpectedResponse(UnexpectedResponse {
        status: None,
        reason: format!("the server answered with the cursor it was given ({cursor}); stopping"),
        body: String::new(),
    })
}
