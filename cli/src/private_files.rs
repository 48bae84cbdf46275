//! Files only the user may read: the tool's configuration directory and what it keeps there
//! (profiles, session tokens). Directories are created with mode 0700 and files with 0600,
//! each written to a new file beside it and renamed into place, so a file is never seen
//! half-written or, even for a moment, with looser permissions. As ssh does with its keys, a
//! file that other users could read, or that another user owns, is refused rather than used.

use std::fs::{DirBuilder, File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use opsclient::error::ConfigError;

/// The largest file read back: profiles and tokens are a few kilobytes.
const FILE_LIMIT: u64 = 64 * 1024;
/// How long to wait for another `opsclient` holding a directory's lock.
const LOCK_WAIT: Duration = Duration::from_secs(60);

/// The longest name [`is_plain_name`] allows.
pub const NAME_LIMIT: usize = 64;

/// Whether `name` can be a directory name of the tool's: letters, digits, `_`, `.` and `-`,
/// not starting with `.` or `-`, at most [`NAME_LIMIT`] bytes.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= NAME_LIMIT
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        && !name.starts_with(['.', '-'])
}

/// A configuration error (exit status 9) with `message`.
pub fn config_error(message: String) -> anyhow::Error {
    opsclient::Error::Config(ConfigError::Invalid(message)).into()
}

/// The tool's configuration directory: `$XDG_CONFIG_HOME/opsclient`, or
/// `$HOME/.config/opsclient` when that variable is unset or not an absolute path (the XDG
/// rule).
pub fn config_dir() -> anyhow::Result<PathBuf> {
    let absolute = |name| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    if let Some(dir) = absolute("XDG_CONFIG_HOME") {
        return Ok(dir.join("opsclient"));
    }
    let home = absolute("HOME").ok_or_else(|| {
        config_error(
            "neither XDG_CONFIG_HOME nor HOME is set to an absolute path: the tool has no \
             configuration directory"
                .into(),
        )
    })?;
    Ok(home.join(".config").join("opsclient"))
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> anyhow::Error {
    anyhow::anyhow!("cannot {what} {}: {e}", path.display())
}

/// Whether the current user owns what `metadata` describes.
fn owned_by_user(metadata: &std::fs::Metadata) -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    metadata.uid() == unsafe { libc::geteuid() }
}

/// A directory of the tool's own, under the configuration directory, that only the user can
/// enter.
#[derive(Debug, Clone)]
pub struct PrivateDir(PathBuf);

impl PrivateDir {
    /// `relative` under the configuration directory, without creating anything.
    pub fn under_config(relative: &[&str]) -> anyhow::Result<PrivateDir> {
        let mut path = config_dir()?;
        path.extend(relative);
        Ok(PrivateDir(path))
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// The file `name` in it.
    pub fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// Creates the directory (missing parents too) with mode 0700, and checks an existing one:
    /// it must be the user's, and no one else may write to it.
    fn create(&self) -> anyhow::Result<()> {
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.0)
            .map_err(|e| io_error("create", &self.0, e))?;
        let metadata = std::fs::metadata(&self.0).map_err(|e| io_error("read", &self.0, e))?;
        if !owned_by_user(&metadata) {
            return Err(config_error(format!(
                "{} belongs to another user: it cannot hold this user's session",
                self.0.display()
            )));
        }
        if metadata.mode() & 0o022 != 0 {
            return Err(config_error(format!(
                "other users can write to {} (mode {:04o}): run chmod 700 {}",
                self.0.display(),
                metadata.mode() & 0o7777,
                self.0.display()
            )));
        }
        Ok(())
    }

    /// The text of the file `name`, or `None` when there is none. A file other users can
    /// read or write, one another user owns, or one larger than 64 KiB is an error.
    pub fn read(&self, name: &str) -> anyhow::Result<Option<String>> {
        let path = self.file(name);
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error("read", &path, e)),
        };
        // The open file's own metadata: what is checked is what is read.
        let metadata = file.metadata().map_err(|e| io_error("read", &path, e))?;
        if !metadata.is_file() {
            return Err(config_error(format!(
                "{} is not a regular file",
                path.display()
            )));
        }
        if !owned_by_user(&metadata) {
            return Err(config_error(format!(
                "{} belongs to another user: it is not used",
                path.display()
            )));
        }
        let mode = metadata.mode() & 0o7777;
        if mode & 0o077 != 0 {
            return Err(config_error(format!(
                "permissions {mode:04o} of {} are too open: other users could read it, and it \
                 may hold session tokens; it is not used. Run chmod 600 {} (and log in again \
                 with `opsclient sensu configure` if others may have read it)",
                path.display(),
                path.display()
            )));
        }
        if metadata.len() > FILE_LIMIT {
            return Err(config_error(format!(
                "{} is larger than {FILE_LIMIT} bytes: it is not a file the tool wrote",
                path.display()
            )));
        }
        let mut text = String::new();
        file.take(FILE_LIMIT)
            .read_to_string(&mut text)
            .map_err(|e| io_error("read", &path, e))?;
        Ok(Some(text))
    }

    /// Writes `contents` as the file `name`, mode 0600, creating the directory first: a new
    /// file beside it, flushed to disk, then renamed over the old one.
    pub fn write(&self, name: &str, contents: &[u8]) -> anyhow::Result<()> {
        self.create()?;
        let path = self.file(name);
        let temporary = self.file(&format!(".{name}.{}.new", std::process::id()));
        let written = (|| {
            // A leftover of a run that died with this process id is never written through.
            match std::fs::remove_file(&temporary) {
                Err(e) if e.kind() != ErrorKind::NotFound => return Err(e),
                _ => {}
            }
            let mut file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&temporary)?;
            file.write_all(contents)?;
            file.sync_all()?;
            std::fs::rename(&temporary, &path)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temporary);
            return Err(io_error("write", &path, e));
        }
        Ok(())
    }

    /// Deletes the file `name`; `false` when there was none.
    pub fn remove(&self, name: &str) -> anyhow::Result<bool> {
        let path = self.file(name);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
            Err(e) => Err(io_error("delete", &path, e)),
        }
    }

    /// Holds the directory's lock until dropped, waiting up to a minute for another
    /// `opsclient` that holds it: the processes that share a profile renew its session one at
    /// a time.
    pub fn lock(&self) -> anyhow::Result<DirLock> {
        self.create()?;
        let path = self.file(".lock");
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(&path)
            .map_err(|e| io_error("open", &path, e))?;
        let start = Instant::now();
        loop {
            // SAFETY: flock on a descriptor this function owns; no memory is passed.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
                return Ok(DirLock(file));
            }
            let error = std::io::Error::last_os_error();
            if error.kind() != ErrorKind::WouldBlock {
                return Err(io_error("lock", &path, error));
            }
            if start.elapsed() > LOCK_WAIT {
                return Err(anyhow::anyhow!(
                    "another opsclient has held {} for over a minute",
                    path.display()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A directory's lock; released when dropped (closing the file releases it).
#[derive(Debug)]
pub struct DirLock(#[allow(dead_code)] File);

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn dir_in(temp: &tempfile::TempDir) -> PrivateDir {
        PrivateDir(temp.path().join("opsclient").join("sensu"))
    }

    #[test]
    fn files_are_0600_in_0700_directories_and_read_back() {
        let temp = tempfile::tempdir().unwrap();
        let dir = dir_in(&temp);
        assert_eq!(dir.read("session.json").unwrap(), None);
        dir.write("session.json", b"{\"a\":1}").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode(&dir.file("session.json")), 0o600);
        assert_eq!(mode(dir.path()), 0o700);
        assert_eq!(mode(&temp.path().join("opsclient")), 0o700);
        assert_eq!(
            dir.read("session.json").unwrap().as_deref(),
            Some("{\"a\":1}")
        );
        // Rewritten whole, and nothing left beside it.
        dir.write("session.json", b"{}").unwrap();
        assert_eq!(dir.read("session.json").unwrap().as_deref(), Some("{}"));
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["session.json"]);
        assert!(dir.remove("session.json").unwrap());
        assert!(!dir.remove("session.json").unwrap());
    }

    #[test]
    fn a_file_others_can_read_is_refused_and_a_rewrite_makes_it_private_again() {
        let temp = tempfile::tempdir().unwrap();
        let dir = dir_in(&temp);
        dir.write("session.json", b"{}").unwrap();
        let path = dir.file("session.json");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let error = dir.read("session.json").unwrap_err().to_string();
        assert!(
            error.contains("0644") && error.contains("chmod 600"),
            "{error}"
        );
        dir.write("session.json", b"{}").unwrap();
        assert!(dir.read("session.json").is_ok());
    }

    #[test]
    fn a_directory_others_can_write_to_is_refused() {
        let temp = tempfile::tempdir().unwrap();
        let dir = dir_in(&temp);
        dir.write("profile.json", b"{}").unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let error = dir.write("profile.json", b"{}").unwrap_err().to_string();
        assert!(error.contains("chmod 700"), "{error}");
    }

    #[test]
    fn an_oversized_file_is_refused() {
        let temp = tempfile::tempdir().unwrap();
        let dir = dir_in(&temp);
        dir.write("session.json", &vec![b' '; FILE_LIMIT as usize + 1])
            .unwrap();
        let error = dir.read("session.json").unwrap_err().to_string();
        assert!(error.contains("larger than"), "{error}");
    }

    #[test]
    fn the_lock_is_held_by_one_holder_at_a_time() {
        let temp = tempfile::tempdir().unwrap();
        let dir = dir_in(&temp);
        let held = dir.lock().unwrap();
        let lock_file = File::open(dir.file(".lock")).unwrap();
        // SAFETY: flock on a descriptor the test owns.
        let taken = unsafe { libc::flock(lock_file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        assert_ne!(taken, 0, "a second holder got the lock");
        drop(held);
        // SAFETY: as above.
        let taken = unsafe { libc::flock(lock_file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        assert_eq!(taken, 0, "the lock was not released");
    }
}
