//! Metrics to post, built as monascaclient's `metric-create` takes them: a name, a value, and
//! dimensions added one at a time.
//!
//! ```no_run
//! # async fn run(monasca: opsclient::monasca::Client) -> opsclient::Result<()> {
//! use opsclient::monasca::metric;
//!
//! monasca
//!     .create_metrics()
//!     .body(metric("cpu.idle_perc", 97.5).dimension("hostname", "web-01"))
//!     .send()
//!     .await?;
//! // Several at once:
//! let batch = vec![metric("disk.used", 1.0), metric("disk.free", 9.0)];
//! monasca.create_metrics().body(batch).send().await?;
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use super::types::{MetricCreate, MetricCreateName, MetricsRequest, StringMap};
use crate::error::Error;

/// A metric named `name` with one `value`, measured now unless [`Metric::at`] says otherwise.
pub fn metric(name: impl Into<String>, value: f64) -> Metric {
    Metric {
        name: name.into(),
        value,
        dimensions: BTreeMap::new(),
        value_meta: BTreeMap::new(),
        at: None,
    }
}

/// A metric being built; posted through `create_metrics().body(..)`, alone or in a `Vec`.
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    name: String,
    value: f64,
    dimensions: BTreeMap<String, String>,
    value_meta: BTreeMap<String, String>,
    at: Option<SystemTime>,
}

impl Metric {
    /// Adds a dimension (`hostname=web-01`).
    pub fn dimension(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.dimensions.insert(name.into(), value.into());
        self
    }

    /// Adds text about the value (`value_meta`).
    pub fn value_meta(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.value_meta.insert(name.into(), value.into());
        self
    }

    /// When the value was measured.
    pub fn at(mut self, time: SystemTime) -> Self {
        self.at = Some(time);
        self
    }
}

impl TryFrom<Metric> for MetricCreate {
    type Error = Error;

    fn try_from(metric: Metric) -> Result<Self, Error> {
        let name = MetricCreateName::try_from(metric.name.as_str())
            .map_err(|e| Error::invalid("name", e.to_string()))?;
        let at = metric.at.unwrap_or_else(SystemTime::now);
        let timestamp = at
            .duration_since(UNIX_EPOCH)
            .ok()
            .and_then(|d| i64::try_from(d.as_millis()).ok())
            .ok_or_else(|| Error::invalid("timestamp", "is before 1970 or beyond 2^63 ms"))?;
        let non_empty = |map: BTreeMap<String, String>| (!map.is_empty()).then_some(StringMap(map));
        Ok(MetricCreate {
            name,
            value: metric.value,
            timestamp,
            dimensions: non_empty(metric.dimensions),
            value_meta: non_empty(metric.value_meta),
            extra: Default::default(),
        })
    }
}

impl TryFrom<Metric> for MetricsRequest {
    type Error = Error;

    fn try_from(metric: Metric) -> Result<Self, Error> {
        MetricCreate::try_from(metric).map(MetricsRequest::MetricCreate)
    }
}

impl TryFrom<Vec<Metric>> for MetricsRequest {
    type Error = Error;

    fn try_from(metrics: Vec<Metric>) -> Result<Self, Error> {
        metrics
            .into_iter()
            .map(MetricCreate::try_from)
            .collect::<Result<Vec<_>, _>>()
            .map(MetricsRequest::Array)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_metric_is_what_monascaclient_posts() {
        let at = UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
        let body = MetricsRequest::try_from(
            metric("cpu.idle_perc", 97.5)
                .dimension("hostname", "web-01")
                .dimension("service", "compute")
                .at(at),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(body).unwrap(),
            serde_json::json!({"name": "cpu.idle_perc", "value": 97.5,
                "timestamp": 1_700_000_000_123_i64,
                "dimensions": {"hostname": "web-01", "service": "compute"}})
        );
        let refused = MetricsRequest::try_from(vec![metric("", 1.0)]).unwrap_err();
        assert!(refused.to_string().contains("name"), "{refused}");
    }
}
