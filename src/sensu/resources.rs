//! The same five calls for every namespaced resource kind: get, create, create-or-update,
//! delete and list.
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use opsclient::sensu::{types::CheckConfig, Client};
//!
//! # async fn run(client: Client, check: CheckConfig) -> opsclient::Result<()> {
//! let sybil = client.in_namespace("sybil");
//! sybil.create(&check).await?;
//! let mut stored: CheckConfig = sybil.get("check_cpu").await?;
//! stored.interval = Some(30); // every other field, known or not, is written back as read
//! sybil.create_or_update(&stored).await?;
//! let all: Vec<CheckConfig> = sybil.list(100).try_collect().await?;
//! sybil.delete::<CheckConfig>("check_cpu").await?;
//! # Ok(()) }
//! ```
//!
//! Each call goes through the generated builder of its kind, so validation, authentication
//! and error decoding are the same as for the builders.

use futures::future::BoxFuture;
use futures::stream::BoxStream;

use super::{types, Client};
use crate::error::Error;
use crate::paging::ListRequest;
use crate::Result;

mod sealed {
    pub trait Sealed {}
}

/// A core/v2 resource kind that lives in a namespace and is addressed by name.
///
/// Implemented for [`Asset`](types::Asset), [`CheckConfig`](types::CheckConfig),
/// [`Entity`](types::Entity), [`EventFilter`](types::EventFilter),
/// [`Handler`](types::Handler), [`HookConfig`](types::HookConfig),
/// [`Mutator`](types::Mutator), [`Pipeline`](types::Pipeline), [`Role`](types::Role),
/// [`RoleBinding`](types::RoleBinding) and [`Silenced`](types::Silenced).
pub trait NamespacedResource: sealed::Sealed + Clone + Send + Sync + Sized + 'static {
    /// The kind's path segment, e.g. `checks`.
    const KIND: &'static str;

    /// The resource's metadata: name, namespace, labels, annotations, creator.
    fn metadata(&self) -> &types::ObjectMeta;

    /// The resource's metadata, to change.
    fn metadata_mut(&mut self) -> &mut types::ObjectMeta;

    /// The name the resource is stored under.
    fn name(&self) -> Option<String> {
        self.metadata().name.clone().filter(|n| !n.is_empty())
    }
    #[doc(hidden)]
    fn fetch<'a>(
        client: &'a Client,
        namespace: &'a str,
        name: &'a str,
    ) -> BoxFuture<'a, Result<Self>>;
    #[doc(hidden)]
    fn create_in<'a>(self, client: &'a Client, namespace: &'a str) -> BoxFuture<'a, Result<()>>;
    #[doc(hidden)]
    fn put_in<'a>(
        self,
        client: &'a Client,
        namespace: &'a str,
        name: &'a str,
    ) -> BoxFuture<'a, Result<()>>;
    #[doc(hidden)]
    fn delete_in<'a>(
        client: &'a Client,
        namespace: &'a str,
        name: &'a str,
    ) -> BoxFuture<'a, Result<()>>;
    #[doc(hidden)]
    fn list_in<'a>(
        client: &'a Client,
        namespace: &str,
        page_size: u64,
    ) -> BoxStream<'a, Result<Self>>;
    #[doc(hidden)]
    fn list_everywhere(client: &Client, page_size: u64) -> BoxStream<'_, Result<Self>>;
}

/// A client working in one namespace; see [`Client::in_namespace`].
#[derive(Debug, Clone)]
pub struct Namespaced<'a> {
    client: &'a Client,
    namespace: String,
}

impl Client {
    /// Works with resources in `namespace`.
    pub fn in_namespace(&self, namespace: impl Into<String>) -> Namespaced<'_> {
        Namespaced {
            client: self,
            namespace: namespace.into(),
        }
    }

    /// Works with resources in the client's configured namespace.
    pub fn resources(&self) -> Namespaced<'_> {
        self.in_namespace(self.namespace())
    }

    /// Every resource of the kind in every namespace the caller may see, fetched `page_size`
    /// at a time (`GET /api/core/v2/<kind>`, which needs cluster-wide permission).
    pub fn list_in_all_namespaces<R: NamespacedResource>(
        &self,
        page_size: u64,
    ) -> BoxStream<'_, Result<R>> {
        R::list_everywhere(self, page_size)
    }
}

impl<'a> Namespaced<'a> {
    /// The namespace.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// Reads the resource called `name`.
    pub async fn get<R: NamespacedResource>(&self, name: &str) -> Result<R> {
        R::fetch(self.client, &self.namespace, name).await
    }

    /// Creates the resource; [`Error::AlreadyExists`] if one of that name exists. An empty
    /// `metadata.namespace` is set to this namespace (the server refuses an empty one).
    pub async fn create<R: NamespacedResource>(&self, resource: &R) -> Result<()> {
        self.in_this_namespace(resource)?
            .create_in(self.client, &self.namespace)
            .await
    }

    /// Creates the resource, or replaces the one of the same name.
    pub async fn create_or_update<R: NamespacedResource>(&self, resource: &R) -> Result<()> {
        let resource = self.in_this_namespace(resource)?;
        let name = resource.name().ok_or_else(|| {
            Error::invalid("metadata.name", "is needed to store a resource by name")
        })?;
        resource.put_in(self.client, &self.namespace, &name).await
    }

    /// Deletes the resource called `name`; [`Error::NotFound`] if there is none.
    pub async fn delete<R: NamespacedResource>(&self, name: &str) -> Result<()> {
        R::delete_in(self.client, &self.namespace, name).await
    }

    /// Every resource of the kind, fetched `page_size` at a time.
    pub fn list<R: NamespacedResource>(&self, page_size: u64) -> BoxStream<'a, Result<R>> {
        R::list_in(self.client, &self.namespace, page_size)
    }

    /// The resource as this namespace sends it: one that names another namespace would be
    /// refused by the server, so say so first; an empty namespace is filled in.
    fn in_this_namespace<R: NamespacedResource>(&self, resource: &R) -> Result<R> {
        match resource.metadata().namespace.as_deref() {
            Some(ns) if !ns.is_empty() && ns != self.namespace => Err(Error::invalid(
                "metadata.namespace",
                format!(
                    "is {ns:?} but the request is for namespace {:?}",
                    self.namespace
                ),
            )),
            _ => {
                let mut resource = resource.clone();
                resource.metadata_mut().namespace = Some(self.namespace.clone());
                Ok(resource)
            }
        }
    }
}

macro_rules! namespaced_resources {
    ($($ty:ident in $kind:literal as $param:ident
        via $list:ident $list_all:ident $get:ident $create:ident $put:ident $delete:ident;)*) => {$(
        impl sealed::Sealed for types::$ty {}

        impl NamespacedResource for types::$ty {
            const KIND: &'static str = $kind;

            fn metadata(&self) -> &types::ObjectMeta {
                &self.metadata
            }

            fn metadata_mut(&mut self) -> &mut types::ObjectMeta {
                &mut self.metadata
            }

            fn fetch<'a>(client: &'a Client, namespace: &'a str, name: &'a str) -> BoxFuture<'a, Result<Self>> {
                Box::pin(async move {
                    let response = client.$get().namespace(namespace).$param(name).send().await?;
                    Ok(response.into_inner())
                })
            }

            fn create_in<'a>(self, client: &'a Client, namespace: &'a str) -> BoxFuture<'a, Result<()>> {
                Box::pin(async move {
                    client.$create().namespace(namespace).body(self).send().await?;
                    Ok(())
                })
            }

            fn put_in<'a>(self, client: &'a Client, namespace: &'a str, name: &'a str) -> BoxFuture<'a, Result<()>> {
                Box::pin(async move {
                    client.$put().namespace(namespace).$param(name).body(self).send().await?;
                    Ok(())
                })
            }

            fn delete_in<'a>(client: &'a Client, namespace: &'a str, name: &'a str) -> BoxFuture<'a, Result<()>> {
                Box::pin(async move {
                    client.$delete().namespace(namespace).$param(name).send().await?;
                    Ok(())
                })
            }

            fn list_in<'a>(client: &'a Client, namespace: &str, page_size: u64) -> BoxStream<'a, Result<Self>> {
                client.$list().namespace(namespace).stream(page_size)
            }

            fn list_everywhere(client: &Client, page_size: u64) -> BoxStream<'_, Result<Self>> {
                client.$list_all().stream(page_size)
            }
        }
    )*};
}

namespaced_resources! {
    Asset in "assets" as asset
        via list_assets list_assets_all_namespaces get_asset create_asset create_or_update_asset delete_asset;
    CheckConfig in "checks" as check
        via list_checks list_checks_all_namespaces get_check create_check create_or_update_check delete_check;
    Entity in "entities" as entity
        via list_entities list_entities_all_namespaces get_entity create_entity create_or_update_entity delete_entity;
    EventFilter in "filters" as filter
        via list_filters list_filters_all_namespaces get_filter create_filter create_or_update_filter delete_filter;
    Handler in "handlers" as handler
        via list_handlers list_handlers_all_namespaces get_handler create_handler create_or_update_handler delete_handler;
    HookConfig in "hooks" as hook
        via list_hooks list_hooks_all_namespaces get_hook create_hook create_or_update_hook delete_hook;
    Mutator in "mutators" as mutator
        via list_mutators list_mutators_all_namespaces get_mutator create_mutator create_or_update_mutator delete_mutator;
    Pipeline in "pipelines" as pipeline
        via list_pipelines list_pipelines_all_namespaces get_pipeline create_pipeline create_or_update_pipeline delete_pipeline;
    Role in "roles" as role
        via list_roles list_roles_all_namespaces get_role create_role create_or_update_role delete_role;
    RoleBinding in "rolebindings" as rolebinding
        via list_role_bindings list_role_bindings_all_namespaces get_role_binding create_role_binding create_or_update_role_binding delete_role_binding;
    Silenced in "silenced" as silenced
        via list_silenced list_silenced_all_namespaces get_silenced create_silenced create_or_update_silenced delete_silenced;
}
