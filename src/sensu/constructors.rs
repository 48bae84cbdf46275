//! Constructors for the common resource kinds. Each takes what the kind needs and returns its
//! builder, whose setters take plain values for the rest; `build()` checks every rule and names
//! the field at fault.
//!
//! ```
//! use opsclient::sensu::types::CheckConfig;
//!
//! let check = CheckConfig::new("check_cpu", "check-cpu.rb -w 75 -c 90")
//!     .subscriptions(["linux"])
//!     .interval(60)
//!     .handlers(["slack"])
//!     .build()?;
//! assert_eq!(check.metadata.name.as_deref(), Some("check_cpu"));
//! # Ok::<(), opsclient::Error>(())
//! ```
//!
//! The namespace is left out: the namespaced calls ([`Client::in_namespace`](super::Client))
//! fill it in.

// `new` returns the kind's builder, so that the other fields chain after it and `build()`
// checks them all at once.
#![allow(clippy::new_ret_no_self)]

use super::types::{self, builder};

impl types::ObjectMeta {
    /// Metadata that only names the resource.
    pub fn named(name: impl Into<String>) -> Self {
        types::ObjectMeta {
            name: Some(name.into()),
            ..Default::default()
        }
    }
}

impl types::Namespace {
    /// A namespace called `name`.
    pub fn new(name: impl Into<String>) -> Self {
        types::Namespace {
            name: name.into(),
            extra: Default::default(),
        }
    }
}

impl types::CheckConfig {
    /// A check that runs `command`; give it `subscriptions` and an `interval` (or a `cron`).
    pub fn new(name: impl Into<String>, command: impl Into<String>) -> builder::CheckConfig {
        types::CheckConfig::builder()
            .metadata(types::ObjectMeta::named(name))
            .command(command.into())
    }
}

impl types::HookConfig {
    /// A hook that runs `command`, stopped after 60 seconds (Sensu's default).
    pub fn new(name: impl Into<String>, command: impl Into<String>) -> builder::HookConfig {
        types::HookConfig::builder()
            .metadata(types::ObjectMeta::named(name))
            .command(command.into())
            .timeout(60u32)
    }
}

impl types::Handler {
    /// A pipe handler: events are written to `command`'s standard input.
    pub fn pipe(name: impl Into<String>, command: impl Into<String>) -> builder::Handler {
        types::Handler::builder()
            .metadata(types::ObjectMeta::named(name))
            .type_(types::HandlerType::Pipe)
            .command(command.into())
    }
}

impl types::Mutator {
    /// A mutator that pipes each event through `command`.
    pub fn new(name: impl Into<String>, command: impl Into<String>) -> builder::Mutator {
        types::Mutator::builder()
            .metadata(types::ObjectMeta::named(name))
            .command(command.into())
    }
}

impl types::EventFilter {
    /// A filter that allows or denies the events for which all `expressions` hold.
    pub fn new<E: Into<String>>(
        name: impl Into<String>,
        action: types::EventFilterAction,
        expressions: impl IntoIterator<Item = E>,
    ) -> builder::EventFilter {
        types::EventFilter::builder()
            .metadata(types::ObjectMeta::named(name))
            .action(action)
            .expressions(expressions.into_iter().map(Into::<String>::into))
    }
}

impl types::Asset {
    /// A dynamic runtime asset: the archive at `url`, checked against its SHA-512.
    pub fn new(
        name: impl Into<String>,
        url: impl Into<String>,
        sha512: impl Into<String>,
    ) -> builder::Asset {
        types::Asset::builder()
            .metadata(types::ObjectMeta::named(name))
            .url(url.into())
            .sha512(sha512.into())
    }
}

impl types::Entity {
    /// A proxy entity: one no agent runs on, such as a network switch or a website.
    pub fn proxy(name: impl Into<String>) -> builder::Entity {
        types::Entity::builder()
            .metadata(types::ObjectMeta::named(name))
            .entity_class("proxy")
    }
}

impl types::Silenced {
    /// A silence for a check everywhere; add `.subscription(..)` to narrow it. The server names
    /// it `subscription:check`.
    pub fn check(check: impl Into<String>) -> builder::Silenced {
        types::Silenced::builder()
            .metadata(types::ObjectMeta::default())
            .check(check.into())
    }

    /// A silence for every check of a subscription.
    pub fn subscription(subscription: impl Into<String>) -> builder::Silenced {
        types::Silenced::builder()
            .metadata(types::ObjectMeta::default())
            .subscription(subscription.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, InvalidInput};

    #[test]
    fn builders_take_plain_values_and_name_the_field_at_fault() {
        let filter = types::EventFilter::new(
            "state_change_only",
            types::EventFilterAction::Allow,
            ["event.check.occurrences == 1"],
        )
        .runtime_assets(["filters"])
        .build()
        .unwrap();
        assert_eq!(filter.expressions.as_deref().map(<[_]>::len), Some(1));
        let entity = types::Entity::proxy("switch-01")
            .metadata(
                types::ObjectMeta::builder()
                    .name("switch-01")
                    .labels([("rack", "b2")]),
            )
            .build()
            .unwrap();
        assert_eq!(entity.metadata.labels.unwrap()["rack"], "b2");

        let refused = types::CheckConfig::new("check cpu", "x")
            .proxy_entity_name("not a name")
            .build()
            .unwrap_err();
        match refused {
            Error::InvalidInput(InvalidInput::Client(v)) => {
                assert_eq!(v.field, "proxy_entity_name", "{v}")
            }
            other => panic!("{other:?}"),
        }
        let missing = types::EventFilter::builder().build().unwrap_err();
        assert!(missing.to_string().contains("is required"), "{missing}");
    }
}
