//! fawlty's sample in Rust: log in, create namespace `sybil`, list namespaces.
//!
//! Reads sensuctl's variables: `SENSU_API_URL`, and `SENSU_USERNAME` + `SENSU_PASSWORD` or
//! `SENSU_API_KEY`.
//!
//! ```text
//! SENSU_API_URL=http://127.0.0.1:8080 SENSU_USERNAME=admin SENSU_PASSWORD='P@ssw0rd!' \
//!     cargo run --example quickstart
//! ```

use opsclient::sensu::{types, Client};
use opsclient::Error;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> opsclient::Result<()> {
    let client = Client::from_env()?;

    match client
        .create_namespace()
        .body(types::Namespace::builder().name("sybil"))
        .send()
        .await
    {
        Ok(_) => println!("created namespace sybil"),
        Err(Error::AlreadyExists(_)) => println!("namespace sybil exists already"),
        Err(e) => return Err(e),
    }

    for namespace in client.list_namespaces().send().await?.into_inner() {
        println!("namespace: {}", namespace.name);
    }
    Ok(())
}
