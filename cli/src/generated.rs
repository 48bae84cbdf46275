//! The commands progenitor generates from each document (see `build.rs`).

#![allow(
    missing_docs,
    unused_imports,
    unused_variables,
    dead_code,
    clippy::all,
    clippy::pedantic
)]

/// The `sensu` commands.
pub mod sensu {
    include!(concat!(env!("OUT_DIR"), "/cli_sensu.rs"));
}
/// The `keystone` commands.
pub mod keystone {
    include!(concat!(env!("OUT_DIR"), "/cli_keystone.rs"));
}
/// The `watcher` commands.
pub mod watcher {
    include!(concat!(env!("OUT_DIR"), "/cli_watcher.rs"));
}
/// The `monasca` commands.
pub mod monasca {
    include!(concat!(env!("OUT_DIR"), "/cli_monasca.rs"));
}
/// The `saltant` commands.
pub mod saltant {
    include!(concat!(env!("OUT_DIR"), "/cli_saltant.rs"));
}
