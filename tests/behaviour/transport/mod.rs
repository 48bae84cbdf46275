//! The transport every client shares: retries, limits, redirects, faults on the wire, TLS, and a
//! bounded fuzz run over every decode path.

mod faults;
mod fuzz;
mod hardening;
mod limits;
mod tls;
