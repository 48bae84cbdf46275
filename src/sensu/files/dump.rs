//! Reading resources back from the server, as `sensuctl dump` and `sensuctl edit` do.

use futures::TryStreamExt;

use super::kinds::{Address, Kind, Scope};
use super::resource::Resource;
use crate::error::Error;
use crate::sensu::Client;
use crate::Result;

/// Items per page when a dump lists a kind, as sensuctl's.
pub const DUMP_PAGE_SIZE: u64 = 100;

/// The namespaces a dump reads namespaced kinds from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Namespaces {
    /// One namespace.
    One(String),
    /// Every namespace the caller may see.
    All,
}

impl Client {
    /// Every resource of `kinds` (see [`Kind::select`]), kind after kind in application order:
    /// the namespaced ones from `namespaces`, the cluster-wide ones whatever `namespaces`
    /// says, as `sensuctl dump` reads them. A kind the server does not serve, or hides from the
    /// caller (404, 403), is left out, as sensuctl leaves it out.
    ///
    /// [`render`](super::render) writes the result as a file, which
    /// [`apply`](Client::apply) takes back without change.
    pub async fn dump(
        &self,
        kinds: &[&'static Kind],
        namespaces: &Namespaces,
    ) -> Result<Vec<Resource>> {
        let mut kinds = kinds.to_vec();
        kinds.sort_by_key(|k| k.rank());
        kinds.dedup();
        let mut resources = Vec::new();
        for kind in kinds {
            let namespace = match (kind.scope(), namespaces) {
                (Scope::Namespaced, Namespaces::One(namespace)) => Some(namespace.as_str()),
                _ => None,
            };
            let bodies: Vec<serde_json::Value> =
                match (kind.ops.list)(self, namespace, DUMP_PAGE_SIZE)
                    .try_collect()
                    .await
                {
                    Ok(bodies) => bodies,
                    Err(Error::NotFound(_) | Error::Forbidden(_)) => continue,
                    Err(other) => return Err(other),
                };
            for body in bodies {
                resources.push(from_server(kind, body)?);
            }
        }
        Ok(resources)
    }

    /// The resource at `address`, as `sensuctl edit` reads it; [`Error::NotFound`] if there is
    /// none.
    pub async fn fetch(&self, kind: &'static Kind, address: &Address) -> Result<Resource> {
        if let Some((field, reason)) = address.problem() {
            return Err(Error::invalid(field, reason));
        }
        let body = (kind.ops.get)(self, address).await?;
        from_server(kind, body)
    }
}

/// A body the server sent, as a resource. It is not held to the client's rules: what the server
/// stores is dumped as it is.
fn from_server(kind: &'static Kind, body: serde_json::Value) -> Result<Resource> {
    Resource::split(kind, body).map_err(|(field, reason)| {
        Error::malformed(
            None,
            format!("a {kind} from the server: {field} {reason}"),
            b"",
        )
    })
}
