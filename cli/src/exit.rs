//! Exit statuses, by what went wrong, so scripts can tell failures apart.

use std::process::ExitCode;

/// Every status the tool exits with, as the README documents them.
pub const STATUSES: &[(u8, &str)] = &[
    (0, "success"),
    (1, "any other failure"),
    (
        2,
        "the command line is wrong: an unknown command, a missing or invalid argument, a secret given as an option, or --wait where it does not apply",
    ),
    (3, "not found (404)"),
    (4, "unauthorized or forbidden (401, 403), or logged out"),
    (
        5,
        "invalid input: a body that is not JSON, refused before sending, or refused by the server (400, 422)",
    ),
    (
        6,
        "conflict: exists already (409) or a failed precondition (412)",
    ),
    (
        7,
        "server error (5xx and other error statuses) or an answer the API does not define",
    ),
    (8, "transport failure, timeout, or the proxy refused the request"),
    (
        9,
        "configuration error (a missing or invalid setting or variable)",
    ),
    (10, "a waited-for operation failed or the wait timed out"),
    (
        crate::drift::STATUS,
        "drift: the server's answers differ from the document (`opsclient <api> drift`)",
    ),
];

/// A `--wait` that ended in a failed state.
#[derive(Debug)]
pub struct WaitFailed(pub String);

impl std::fmt::Display for WaitFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WaitFailed {}

/// A command line the tool refuses (a secret given as an argument); exits 2, as clap's errors.
#[derive(Debug)]
pub struct Usage(pub String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// The status for an error.
pub fn status(error: &anyhow::Error) -> u8 {
    if error.downcast_ref::<WaitFailed>().is_some() {
        return 10;
    }
    if error.downcast_ref::<crate::drift::Found>().is_some() {
        return crate::drift::STATUS;
    }
    if let Some(clap) = error.downcast_ref::<clap::Error>() {
        return clap.exit_code().clamp(0, 255) as u8;
    }
    if error.downcast_ref::<Usage>().is_some() {
        return 2;
    }
    if error.downcast_ref::<crate::feedback::NotFound>().is_some() {
        return 3;
    }
    // A body given with --json-body that is not the JSON its operation takes.
    if error.downcast_ref::<serde_json::Error>().is_some() {
        return 5;
    }
    // A library error may come with context, such as the resource an apply stopped at.
    let Some(error) = error
        .chain()
        .find_map(|cause| cause.downcast_ref::<opsclient::Error>())
    else {
        return 1;
    };
    use opsclient::Error as E;
    match error {
        E::NotFound(_) => 3,
        E::Unauthorized(_) | E::Forbidden(_) | E::LoggedOut => 4,
        E::InvalidInput(_) | E::UnsupportedVersion(_) => 5,
        E::AlreadyExists(_) | E::Conflict(_) | E::PreconditionFailed(_) => 6,
        E::Api(_) | E::UnexpectedResponse(_) => 7,
        E::Transport(_) | E::Timeout(_) | E::ProxyRefused(_) => 8,
        E::Config(_) => 9,
        _ => 1,
    }
}

/// Prints the error on one line to standard error, and gives its status.
pub fn report(error: &anyhow::Error) -> ExitCode {
    let mut line = String::from("error: ");
    let mut first = true;
    for cause in error.chain() {
        let text = cause.to_string();
        if !first && line.contains(&text) {
            continue;
        }
        if !first {
            line.push_str(": ");
        }
        line.push_str(&text.replace('\n', " "));
        first = false;
    }
    eprintln!("{line}");
    ExitCode::from(status(error))
}
