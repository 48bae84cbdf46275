//! Resource files as sensuctl writes and reads them: every core/v2 kind in the wrapped format
//! (`type`, `api_version`, `metadata`, `spec`), as YAML documents separated by `---` or as
//! wrapped JSON objects one after another.
//!
//! [`parse`] reads a file, checking each resource before anything is sent;
//! [`Client::apply`](crate::sensu::Client::apply) creates or replaces resources in dependency
//! order; [`Client::dump`](crate::sensu::Client::dump) reads them back by kind, from one
//! namespace or all; [`render`] writes a file. Nothing is lost on the way: a dump applied back
//! changes nothing, and fields this client does not know are written back as read.
//!
//! ```no_run
//! use opsclient::sensu::files::{self, Format, Kind, Namespaces};
//! use opsclient::sensu::Client;
//!
//! # async fn run(client: Client) -> Result<(), Box<dyn std::error::Error>> {
//! let text = r#"
//! type: Namespace
//! api_version: core/v2
//! metadata:
//!   name: ops
//! spec:
//!   name: ops
//! ---
//! type: CheckConfig
//! api_version: core/v2
//! metadata:
//!   name: check-cpu
//!   namespace: ops
//! spec:
//!   command: check-cpu-usage -w 75 -c 90
//!   interval: 60
//!   subscriptions: [system]
//! "#;
//! let resources = files::parse("ops.yaml", text)?;
//! for applied in client.apply(resources).send().await? {
//!     println!("{applied}"); // "created Namespace ops", "created CheckConfig ops/check-cpu"
//! }
//!
//! let checks = client
//!     .dump(&Kind::select("checks")?, &Namespaces::One("ops".into()))
//!     .await?;
//! print!("{}", files::render(&checks, Format::Yaml));
//! # Ok(()) }
//! ```

mod apply;
mod dump;
mod kinds;
mod prune;
mod read;
mod resource;
mod stored;
mod write;

pub use apply::{Applied, Apply, ApplyError, Change, MANAGED_BY_LABEL};
pub use dump::{Namespaces, DUMP_PAGE_SIZE};
pub use kinds::{Address, Kind, Scope, API_VERSION};
pub use prune::{Creators, Prune, Pruned, SENSUCTL};
pub use read::{parse, MAX_DOCUMENTS};
pub use resource::{Origin, Resource};
pub use write::{render, Format};
