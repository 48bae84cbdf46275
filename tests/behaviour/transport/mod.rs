//! The transport every client shares: retries, limits, redirects, faults on the wire, TLS,
//! compressed answers, the user's request hooks, and a bounded fuzz run over every decode path.

mod allocations;
mod compression;
mod faults;
mod fuzz;
mod hardening;
mod hooks;
mod limits;
mod proxies;
mod tls;
