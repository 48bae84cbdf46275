//! The checkout's own files, for the chores that work in a copy of it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The files of the checkout at `root` as git lists them: tracked, and untracked ones it does
/// not ignore; relative to `root`, and only those that exist.
pub fn files(root: &Path) -> Result<BTreeSet<PathBuf>, String> {
    let listed = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !listed.status.success() {
        return Err("git cannot list the checkout's files".into());
    }
    Ok(String::from_utf8_lossy(&listed.stdout)
        .split('\0')
        .filter(|f| !f.is_empty() && root.join(f).is_file())
        .map(PathBuf::from)
        .collect())
}
