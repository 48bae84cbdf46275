//! saltant pages with Django REST Framework's page numbers: each page's `next` is the URL of
//! the following page (null on the last), whose `page` value is passed back as the cursor.

use crate::error::Error;
use crate::Result;

/// The `page` of a list's `next` URL.
pub(crate) fn next_page(next: &Option<String>) -> Result<Option<String>> {
    let Some(href) = next else {
        return Ok(None);
    };
    let url = url::Url::parse(href)
        .map_err(|e| Error::malformed(None, format!("next link {href:?}: {e}"), b""))?;
    match url.query_pairs().find(|(k, _)| k == "page") {
        Some((_, page)) => Ok(Some(page.into_owned())),
        None => Err(Error::malformed(
            None,
            format!("next link {href:?} has no page"),
            b"",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_page_number_or_the_end() {
        let next = Some("https://saltant.example/api/taskqueues/?page=3&page_size=2".to_string());
        assert_eq!(next_page(&next).unwrap().as_deref(), Some("3"));
        assert_eq!(next_page(&None).unwrap(), None);
        let broken = Some("https://saltant.example/api/taskqueues/?page_size=2".to_string());
        assert!(matches!(
            next_page(&broken),
            Err(Error::UnexpectedResponse(_))
        ));
    }
}
