//! The test CA in the machine's trust store, for the test of the platform verifier: copied to
//! `/usr/local/share/ca-certificates/` and `update-ca-certificates` run, when `up` runs as
//! root; removed again by a full `down`.
//!
//! Why this is safe enough on a test machine: the CA's private key is never written (see
//! `apache.rs`), so nothing can sign another certificate with it; what it vouches for is the
//! certificates made with it at once, for 127.0.0.1 and localhost (the server) and a client
//! certificate without a host name.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::layout::Layout;
use super::step;

/// Where `update-ca-certificates` takes local CAs from.
const STORE_DIR: &str = "/usr/local/share/ca-certificates";
/// The file of the test CA there (the tool wants the `.crt` extension).
const FILE: &str = "opsclient-test-ca.crt";

fn installed_path() -> PathBuf {
    Path::new(STORE_DIR).join(FILE)
}

fn is_root() -> bool {
    step::output(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0")
}

/// Puts the test CA into the machine's store unless it is there; returns whether it did.
/// Without root it does nothing and says so: the test that needs it fails when the servers
/// are required.
pub fn install(layout: &Layout) -> Result<bool, String> {
    let ca = layout.tls().join("ca.pem");
    let pem = fs::read(&ca).map_err(|e| format!("cannot read {}: {e}", ca.display()))?;
    if fs::read(installed_path()).is_ok_and(|there| there == pem) {
        return Ok(false);
    }
    if !is_root() {
        println!(
            "note: not root, so the test CA is not put into the system trust store \
             (the platform-verifier test needs it)"
        );
        return Ok(false);
    }
    fs::create_dir_all(STORE_DIR).map_err(|e| format!("cannot create {STORE_DIR}: {e}"))?;
    fs::write(installed_path(), &pem)
        .map_err(|e| format!("cannot write {}: {e}", installed_path().display()))?;
    update(layout)?;
    Ok(true)
}

/// The installed copy of the test CA, when the machine's store holds this state directory's.
pub fn installed(layout: &Layout) -> Option<PathBuf> {
    let pem = fs::read(layout.tls().join("ca.pem")).ok()?;
    fs::read(installed_path())
        .is_ok_and(|there| there == pem)
        .then(installed_path)
}

/// Takes the test CA out of the machine's store, if it is there.
pub fn remove(layout: &Layout) -> Result<(), String> {
    if !installed_path().exists() {
        return Ok(());
    }
    fs::remove_file(installed_path())
        .map_err(|e| format!("cannot remove {}: {e}", installed_path().display()))?;
    update(layout)
}

fn update(layout: &Layout) -> Result<(), String> {
    step::run(
        "update-ca-certificates",
        &mut Command::new("update-ca-certificates"),
        &layout.log("system-ca"),
    )
}
