//! Resource files in sensuctl's wrapped format: reading every kind, errors that name the file,
//! document and field, applying, dumping and pruning against the sandbox.

mod apply;
mod dump;
mod parse;
mod prune;

use opsclient::sensu::files::{self, Resource};
use opsclient::sensu::Client;
use opsclient_sandbox::Sandbox;

/// One resource of every core/v2 kind, each spec with a field the document lacks (`x_note`).
pub const EVERY_KIND: &str = include_str!("every_kind.yaml");

/// A sandbox (keeping undeclared fields when asked) and a client logged in to it.
pub async fn sandbox(keep_undeclared: bool) -> (Sandbox, Client) {
    let sandbox = Sandbox::builder()
        .keep_undeclared_fields(keep_undeclared)
        .start()
        .await
        .unwrap();
    let client = sandbox.client().await.unwrap();
    (sandbox, client)
}

/// The fixture's resources, without the API key (which no file can create).
pub fn every_kind_but_api_keys() -> Vec<Resource> {
    files::parse("every_kind.yaml", EVERY_KIND)
        .unwrap()
        .into_iter()
        .filter(|r| r.kind().type_name() != "APIKey")
        .collect()
}

/// The write requests (PUT, POST, PATCH, DELETE) the sandbox has answered, as
/// `(operation, path)`.
pub fn writes(sandbox: &Sandbox) -> Vec<(&'static str, String)> {
    sandbox
        .requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .map(|r| (r.operation, r.path))
        .collect()
}
