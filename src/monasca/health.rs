//! Monasca's health check, whose "unhealthy" answer (503) carries the same report as the
//! healthy one.

use super::{types, Client};
use crate::error::Error;
use crate::Result;

/// The outcome of [`Client::health`].
#[derive(Debug, Clone, PartialEq)]
pub struct Health {
    /// Whether every check passed (200); `false` for 503.
    pub healthy: bool,
    /// Each checked dependency (`kafka`, `alarms_database`, `metrics_database`) and `OK` or why
    /// it failed; checks a newer server adds are in `extra`.
    pub checks: types::HealthReport,
}

impl Client {
    /// Runs the server's health check. An unhealthy server is an `Ok` with `healthy: false`
    /// and the failing checks; only a failure to get a report is an error.
    pub async fn health(&self) -> Result<Health> {
        match self.get_health().send().await {
            Ok(report) => Ok(Health {
                healthy: true,
                checks: report.into_inner(),
            }),
            Err(Error::Api(e)) if e.status.as_u16() == 503 => {
                let checks = serde_json::from_str(&e.body).map_err(|d| {
                    Error::malformed(
                        e.status.into(),
                        format!("health report: {d}"),
                        e.body.as_bytes(),
                    )
                })?;
                Ok(Health {
                    healthy: false,
                    checks,
                })
            }
            Err(other) => Err(other),
        }
    }
}
