//! Typed mocks of the Watcher API ([`opsclient::watcher`]), and the version discovery a client
//! made by [`opsclient::watcher::Client::from_cloud`] starts with.

use httpmock::{Mock, MockServer};
use opsclient::watcher::types;

crate::generated_mocks!("watcher.rs");

/// Mocks `GET /`, the version discovery: answers the v1 API with microversions `1.0` to
/// `maximum` (e.g. `"1.7"`, [`opsclient::watcher::Version::LATEST`]).
pub fn versions<'a>(server: &'a MockServer, maximum: &str) -> Mock<'a> {
    let v1 = types::ApiVersion::builder()
        .id("v1")
        .status("CURRENT")
        .min_version("1.0")
        .max_version(maximum);
    let root: types::Root = types::Root::builder()
        .name("OpenStack Watcher API")
        .default_version(v1)
        .try_into()
        .expect("the mocked root sets every required field");
    server.get_root(|_, then| {
        then.ok(&root);
    })
}
