//! `cargo xtask servers status`: which servers run and whether their readiness checks pass.

use super::layout::Layout;
use super::{process, SERVERS};

/// Prints one line per server; fails when a server runs but is not ready.
pub fn status(layout: &Layout) -> Result<(), String> {
    let unready = print(layout);
    match unready.as_slice() {
        [] => Ok(()),
        names => Err(format!("not ready: {}", names.join(", "))),
    }
}

/// Prints the state of every server and returns the names of those that run but fail their
/// readiness check.
pub fn print(layout: &Layout) -> Vec<&'static str> {
    println!("state directory {}", layout.root().display());
    let mut unready = Vec::new();
    for server in &SERVERS {
        let line = match process::recorded(layout, server.name) {
            None => "stopped".to_string(),
            Some(pid) if server.probe.passes(&layout.log(server.name)) => {
                format!("ready    pid {pid:<7} {}", server.probe.describe())
            }
            Some(pid) => {
                unready.push(server.name);
                format!(
                    "NOT READY pid {pid:<6} {} fails; read {}",
                    server.probe.describe(),
                    layout.log(server.name).display()
                )
            }
        };
        println!("  {:<24} {line}", server.name);
    }
    let env = layout.file("env.json");
    if env.exists() {
        println!("settings for the tests: {}", env.display());
    }
    unready
}
