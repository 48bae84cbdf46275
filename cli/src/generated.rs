//! The code generated from the table of APIs and their documents (see `build.rs`): each API's
//! commands, the API subcommands, the dispatch to them, the `--wait` list and table columns.

#![allow(
    missing_docs,
    unused_imports,
    unused_variables,
    dead_code,
    clippy::all,
    clippy::pedantic
)]

include!(concat!(env!("OUT_DIR"), "/cli_apis.rs"));
