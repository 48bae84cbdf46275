//! saltant pages with Django REST Framework's page numbers: each page's `next` is the URL of
//! the following page (null on the last), whose `page` value is passed back as the cursor.

use crate::paging::Link;
use crate::Result;

/// The `page` of a list's `next` URL.
pub(crate) fn next_page(next: &Option<String>) -> Result<Option<String>> {
    match next {
        None => Ok(None),
        Some(href) => Link::parse(href)?.cursor("page").map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

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
