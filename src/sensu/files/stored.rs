//! How each core/v2 kind is read and written through the generated client: one trait with an
//! implementation per kind, turned into plain function pointers over JSON bodies for the kind
//! table.

use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, StreamExt};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::kinds::Address;
use crate::error::Error;
use crate::paging::ListRequest;
use crate::sensu::{types, Client, NamespacedResource};
use crate::Result;

/// A kind's calls, on its generated type.
pub(super) trait Stored: Serialize + DeserializeOwned + Send + Sync + 'static {
    fn get<'a>(client: &'a Client, at: &'a Address) -> BoxFuture<'a, Result<Self>>;
    fn put<'a>(self, client: &'a Client, at: &'a Address) -> BoxFuture<'a, Result<()>>;
    /// In one namespace, or in all of them (`None`); cluster-wide kinds ignore it.
    fn list<'a>(
        client: &'a Client,
        namespace: Option<&'a str>,
        page_size: u64,
    ) -> BoxStream<'a, Result<Self>>;
    fn delete<'a>(client: &'a Client, at: &'a Address) -> BoxFuture<'a, Result<()>>;
}

/// A kind's calls on JSON bodies, for the kind table.
#[derive(Clone, Copy)]
pub(super) struct Ops {
    /// The body as the kind's type reads and writes it, or the path and reason it does not fit.
    pub(super) decode: fn(&Value) -> std::result::Result<Value, (String, String)>,
    pub(super) get: for<'a> fn(&'a Client, &'a Address) -> BoxFuture<'a, Result<Value>>,
    pub(super) put: for<'a> fn(&'a Client, &'a Address, Value) -> BoxFuture<'a, Result<()>>,
    pub(super) list: for<'a> fn(&'a Client, Option<&'a str>, u64) -> BoxStream<'a, Result<Value>>,
    pub(super) delete: for<'a> fn(&'a Client, &'a Address) -> BoxFuture<'a, Result<()>>,
}

impl Ops {
    pub(super) const fn of<T: Stored>() -> Ops {
        Ops {
            decode: decode::<T>,
            get: get::<T>,
            put: put::<T>,
            list: list::<T>,
            delete: T::delete,
        }
    }
}

/// Reads `body` as a `T` and writes it back: the type's own form of the body, which keeps the
/// properties the type does not declare. A body that does not fit names the field.
fn decode<T: Stored>(body: &Value) -> std::result::Result<Value, (String, String)> {
    let typed: T = serde_path_to_error::deserialize(body).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        missing_field(path, e.into_inner().to_string())
    })?;
    serde_json::to_value(typed).map_err(|e| (String::new(), e.to_string()))
}

/// serde names a missing field in its message, at the path of the object that lacks it: the
/// path is made to name the field itself.
fn missing_field(path: String, reason: String) -> (String, String) {
    let field = reason
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(field, _)| field.to_string());
    match field {
        Some(field) if path.is_empty() => (field, "is missing".into()),
        Some(field) => (format!("{path}.{field}"), "is missing".into()),
        None => (path, reason),
    }
}

fn to_value<T: Serialize>(typed: T) -> Result<Value> {
    serde_json::to_value(typed).map_err(|e| Error::malformed(None, e, b""))
}

fn get<'a, T: Stored>(client: &'a Client, at: &'a Address) -> BoxFuture<'a, Result<Value>> {
    Box::pin(async move { T::get(client, at).await.and_then(to_value) })
}

fn put<'a, T: Stored>(
    client: &'a Client,
    at: &'a Address,
    body: Value,
) -> BoxFuture<'a, Result<()>> {
    Box::pin(async move {
        let typed: T = serde_json::from_value(body)
            .map_err(|e| Error::invalid("", format!("the body does not fit its kind: {e}")))?;
        typed.put(client, at).await
    })
}

fn list<'a, T: Stored>(
    client: &'a Client,
    namespace: Option<&'a str>,
    page_size: u64,
) -> BoxStream<'a, Result<Value>> {
    T::list(client, namespace, page_size)
        .map(|item| item.and_then(to_value))
        .boxed()
}

/// What a kind cannot do through its API.
fn unsupported(what: &str) -> Error {
    Error::invalid("", what.to_string())
}

impl<R: NamespacedResource + Serialize + DeserializeOwned> Stored for R {
    fn get<'a>(client: &'a Client, at: &'a Address) -> BoxFuture<'a, Result<Self>> {
        Box::pin(async move { client.in_namespace(at.namespace()).get(at.name()).await })
    }

    fn put<'a>(self, client: &'a Client, at: &'a Address) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            client
                .in_namespace(at.namespace())
                .create_or_update(&self)
                .await
        })
    }

    fn list<'a>(
        client: &'a Client,
        namespace: Option<&'a str>,
        page_size: u64,
    ) -> BoxStream<'a, Result<Self>> {
        match namespace {
            Some(namespace) => client.in_namespace(namespace).list(page_size),
            None => client.list_in_all_namespaces(page_size),
        }
    }

    fn delete<'a>(client: &'a Client, at: &'a Address) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            client
                .in_namespace(at.namespace())
                .delete::<R>(at.name())
                .await
        })
    }
}

/// Cluster-wide kinds addressed by name: get, create-or-update, list and delete.
macro_rules! cluster_wide {
    ($($ty:ident as $param:ident via $get:ident $put:ident $list:ident $delete:ident;)*) => {$(
        impl Stored for types::$ty {
            fn get<'a>(client: &'a Client, at: &'a Address) -> BoxFuture<'a, Result<Self>> {
                Box::pin(async move {
                    Ok(client.$get().$param(at.name()).send().await?.into_inner())
                })
            }

            fn put<'a>(self, client: &'a Client, at: &'a Address) -> BoxFuture<'a, Result<()>> {
                Box::pin(async move {
                    client.$put().$param(at.name()).body(self).send().await?;
                    Ok(())
                })
            }

            fn list<'a>(
                client: &'a Client,
                _namespace: Option<&'a str>,
                page_size: u64,
            ) -> BoxStream<'a, Result<Self>> {
                client.$list().stream(page_size)
            }

            fn delete<'a>(client: &'a Client, at: &'a Address) -> BoxFuture<'a, Result<()>> {
                Box::pin(async move {
                    client.$delete().$param(at.name()).send().await?;
                    Ok(())
                })
            }
        }
    )*};
}

cluster_wide! {
    Namespace as namespace
        via get_namespace create_or_update_namespace list_namespaces delete_namespace;
    ClusterRole as clusterrole
        via get_cluster_role create_or_update_cluster_role list_cluster_roles delete_cluster_role;
    ClusterRoleBinding as clusterrolebinding
        via get_cluster_role_binding create_or_update_cluster_role_binding
            list_cluster_role_bindings delete_cluster_role_binding;
    // DELETE disables a user; it is what the API offers.
    User as user via get_user create_or_update_user list_users disable_user;
}

impl Stored for types::ApiKey {
    fn get<'a>(client: &'a Client, at: &'a Address) -> BoxFuture<'a, Result<Self>> {
        Box::pin(async move {
            Ok(client
                .get_api_key()
                .apikey(at.name())
                .send()
                .await?
                .into_inner())
        })
    }

    fn put<'a>(self, _client: &'a Client, _at: &'a Address) -> BoxFuture<'a, Result<()>> {
        Box::pin(async {
            Err(unsupported(
                "API keys are issued by the server, which names them; a file cannot create or change one",
            ))
        })
    }

    fn list<'a>(
        client: &'a Client,
        _namespace: Option<&'a str>,
        page_size: u64,
    ) -> BoxStream<'a, Result<Self>> {
        client.list_api_keys().stream(page_size)
    }

    fn delete<'a>(client: &'a Client, at: &'a Address) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            client.delete_api_key().apikey(at.name()).send().await?;
            Ok(())
        })
    }
}

impl Stored for types::TessenConfig {
    fn get<'a>(client: &'a Client, _at: &'a Address) -> BoxFuture<'a, Result<Self>> {
        Box::pin(async move { Ok(client.get_tessen_config().send().await?.into_inner()) })
    }

    fn put<'a>(self, client: &'a Client, _at: &'a Address) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            client.update_tessen_config().body(self).send().await?;
            Ok(())
        })
    }

    fn list<'a>(
        client: &'a Client,
        _namespace: Option<&'a str>,
        _page_size: u64,
    ) -> BoxStream<'a, Result<Self>> {
        stream::once(Self::get(client, &Address::Singleton)).boxed()
    }

    fn delete<'a>(_client: &'a Client, _at: &'a Address) -> BoxFuture<'a, Result<()>> {
        Box::pin(async { Err(unsupported("the Tessen configuration cannot be deleted")) })
    }
}

impl Stored for types::Event {
    fn get<'a>(client: &'a Client, at: &'a Address) -> BoxFuture<'a, Result<Self>> {
        Box::pin(async move {
            let (namespace, entity, check) = at.event();
            Ok(client
                .get_event()
                .namespace(namespace)
                .entity(entity)
                .check(check)
                .send()
                .await?
                .into_inner())
        })
    }

    fn put<'a>(self, client: &'a Client, at: &'a Address) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let (namespace, entity, check) = at.event();
            client
                .create_or_update_event()
                .namespace(namespace)
                .entity(entity)
                .check(check)
                .body(self)
                .send()
                .await?;
            Ok(())
        })
    }

    fn list<'a>(
        client: &'a Client,
        namespace: Option<&'a str>,
        page_size: u64,
    ) -> BoxStream<'a, Result<Self>> {
        match namespace {
            Some(namespace) => client.list_events().namespace(namespace).stream(page_size),
            None => client.list_events_all_namespaces().stream(page_size),
        }
    }

    fn delete<'a>(client: &'a Client, at: &'a Address) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let (namespace, entity, check) = at.event();
            client
                .delete_event()
                .namespace(namespace)
                .entity(entity)
                .check(check)
                .send()
                .await?;
            Ok(())
        })
    }
}
