//! Typed [httpmock] mocks of every opsclient API, and the logins that go with them.
//!
//! Each API's module holds what progenitor's `Generator::httpmock()` generates from the
//! library's own document: a [`MockServer`](httpmock::MockServer) extension trait,
//! `MockServerExt`, with one method per operation, named as the client's method
//! (`server.get_check(|when, then| …)`), whose `when` takes the operation's typed parameters
//! and body and whose `then` answers the very `opsclient::<api>::types` the client decodes.
//! Beside it, hand-written helpers mock the API's login, so a test of code that logs in needs
//! no hand-written authentication stub. Point any opsclient client at
//! [`MockServer::base_url`](httpmock::MockServer::base_url).
//!
//! One cargo feature per API, named as the library's: `sensu` (the default), `openstack`
//! (Keystone), `watcher`, `monasca` and `saltant`. The README's "Testing your code" shows a
//! whole test.
//!
//! ```
//! use httpmock::MockServer;
//! use opsclient::sensu::types;
//! use opsclient_mock::sensu::{self as mock, MockServerExt};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> opsclient::Result<()> {
//! let server = MockServer::start_async().await;
//! let login = mock::login(&server, "admin", "P@ssw0rd!");
//! let namespaces = server.list_namespaces(|when, then| {
//!     when.into_inner().header("authorization", mock::bearer());
//!     then.ok(&vec![types::Namespace::builder().name("ops").try_into().unwrap()]);
//! });
//!
//! let client = opsclient::sensu::Client::builder()
//!     .url(server.base_url())
//!     .credentials("admin", "P@ssw0rd!")
//!     .build()?;
//! let names: Vec<String> = client
//!     .list_namespaces()
//!     .send()
//!     .await?
//!     .into_inner()
//!     .into_iter()
//!     .map(|namespace| namespace.name)
//!     .collect();
//! assert_eq!(names, ["ops"]);
//! login.assert();
//! namespaces.assert();
//! # Ok(()) }
//! ```

#![warn(missing_docs)]
// Without any API there is nothing to generate.
#![cfg_attr(
    not(any(feature = "sensu", feature = "openstack", feature = "saltant")),
    allow(unused_macros, unused_imports)
)]

#[cfg(feature = "openstack")]
pub mod keystone;
#[cfg(feature = "monasca")]
pub mod monasca;
#[cfg(feature = "saltant")]
pub mod saltant;
#[cfg(feature = "sensu")]
pub mod sensu;
#[cfg(feature = "watcher")]
pub mod watcher;

/// `Authorization: Bearer <token>`, as the clients of the token APIs send it.
#[cfg(any(feature = "sensu", feature = "saltant"))]
fn bearer_of(token: &str) -> String {
    format!("Bearer {token}")
}

/// progenitor's generated mocks, for every API.
macro_rules! generated_mocks {
    ($file:literal) => {
        #[allow(missing_docs, clippy::all, clippy::pedantic)]
        mod generated {
            // `Generator::httpmock()`'s output, from the library's document.
            include!(concat!(env!("OUT_DIR"), "/", $file));
        }
        pub use generated::{operations, MockServerExt};
    };
}
pub(crate) use generated_mocks;
