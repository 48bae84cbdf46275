//! Events in the client's namespace, addressed by entity and check, as sensuctl's `event`
//! commands address them.
//!
//! ```no_run
//! # async fn run(client: opsclient::sensu::Client) -> opsclient::Result<()> {
//! let mut event = client.event("web-01", "check_cpu").await?;
//! event.check.as_mut().map(|c| c.output = Some("OK".into()));
//! client.put_event(&event).await?;
//! client.remove_event("web-01", "check_cpu").await?;
//! # Ok(()) }
//! ```

use futures::stream::BoxStream;

use super::{types, Client};
use crate::error::Error;
use crate::paging::ListRequest;
use crate::Result;

impl Client {
    /// The event of `check` on `entity`.
    pub async fn event(&self, entity: &str, check: &str) -> Result<types::Event> {
        let answer = self
            .get_event()
            .namespace(self.namespace())
            .entity(entity)
            .check(check)
            .send()
            .await?;
        Ok(answer.into_inner())
    }

    /// Creates or replaces the event (`PUT …/events/{entity}/{check}`); the entity and check
    /// names come from the event, which must name both.
    pub async fn put_event(&self, event: &types::Event) -> Result<()> {
        let entity = event
            .entity
            .metadata
            .name
            .as_deref()
            .filter(|n| !n.is_empty())
            .ok_or_else(|| Error::invalid("entity.metadata.name", "is required"))?;
        let check = event
            .check
            .as_ref()
            .and_then(|c| c.metadata.name.as_deref())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| Error::invalid("check.metadata.name", "is required"))?;
        let mut event = event.clone();
        let metadata = event.metadata.get_or_insert_with(Default::default);
        if metadata.namespace.as_deref().is_none_or(str::is_empty) {
            metadata.namespace = Some(self.namespace().to_string());
        }
        self.create_or_update_event()
            .namespace(self.namespace())
            .entity(entity)
            .check(check)
            .body(event)
            .send()
            .await?;
        Ok(())
    }

    /// Deletes the event of `check` on `entity`.
    pub async fn remove_event(&self, entity: &str, check: &str) -> Result<()> {
        self.delete_event()
            .namespace(self.namespace())
            .entity(entity)
            .check(check)
            .send()
            .await?;
        Ok(())
    }

    /// Every event, `page_size` at a time.
    pub fn events(&self, page_size: u64) -> BoxStream<'_, Result<types::Event>> {
        self.list_events()
            .namespace(self.namespace())
            .stream(page_size)
    }
}
