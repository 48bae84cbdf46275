//! The `opsclient` tool run as a process: against the Sensu sandbox it serves itself, local
//! HTTP servers, and the real OpenStack servers of `cargo xtask servers up` (skipped without
//! them), with its secrets kept off the argument list, and with Sensu sessions kept between
//! runs. One test binary for the crate.

mod body_options;
mod feedback;
mod local_servers;
mod proxies;
mod real_openstack;
mod recorder;
mod request_fields;
mod secrets;
mod seed_clis;
mod sensu;
mod sessions;
mod tables;
mod tool_process;
