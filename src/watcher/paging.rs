//! Watcher collections carry `next`, a URL whose `marker` is the cursor of the next page. The
//! URL is built from the server's host (a path prefix is lost, filters are not encoded), so the
//! client keeps its own endpoint and filters and takes only the marker.

use crate::paging::Link;
use crate::Result;

/// The `marker` of a collection's `next` link.
pub(crate) fn next_marker(next: &Option<String>) -> Result<Option<String>> {
    match next.as_deref().filter(|n| !n.is_empty()) {
        None => Ok(None),
        Some(next) => Link::parse(next)?.cursor("marker").map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_come_from_next_links() {
        let next = Some("http://10.0.0.1:9322/v1/audits?goal=dummy&limit=2&marker=4a52d0c2-7aa8-44d4-8d6b-49e1b2c5c4f1".to_string());
        assert_eq!(
            next_marker(&next).unwrap().as_deref(),
            Some("4a52d0c2-7aa8-44d4-8d6b-49e1b2c5c4f1")
        );
        assert_eq!(next_marker(&None).unwrap(), None);
        assert!(next_marker(&Some("http://x/v1/audits?limit=2".into())).is_err());
    }
}
