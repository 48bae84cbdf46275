//! Background server processes: starting them with a log file, recording and checking their
//! PIDs, and stopping them.
//!
//! Every server starts in its own process group (so a Ctrl-C at `up` does not reach it and
//! `down` can stop the workers it forks) with the state directory as its working directory.
//! A recorded PID counts as ours only while that process is alive and its working directory is
//! still the state directory, which guards against a PID reused by an unrelated process.

use std::fs::{self, File};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use super::layout::Layout;

/// How long `stop` waits after SIGTERM before it sends SIGKILL.
pub const STOP_GRACE: Duration = Duration::from_secs(30);

/// A server this run of xtask started.
pub struct Started {
    pub name: &'static str,
    pub pid: u32,
    pub since: Instant,
    pub log: PathBuf,
    child: Child,
}

impl Started {
    /// `None` while the process runs; a description of how it ended once it has exited.
    pub fn exited(&mut self) -> Option<String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Some(status.to_string()),
            Ok(None) => None,
            Err(e) => Some(format!("unknown state ({e})")),
        }
    }
}

/// Starts `command` for the server `name` in the background, its stdout and stderr going to
/// `logs/<name>.log` (the previous log is kept as `<name>.previous.log`), and records its PID.
pub fn spawn(layout: &Layout, name: &'static str, mut command: Command) -> Result<Started, String> {
    let log = layout.log(name);
    if log.exists() {
        let previous = layout.log(&format!("{name}.previous"));
        fs::rename(&log, &previous)
            .map_err(|e| format!("cannot keep the previous log of {name}: {e}"))?;
    }
    let output = File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let errors = output
        .try_clone()
        .map_err(|e| format!("cannot open {} twice: {e}", log.display()))?;
    command
        .current_dir(layout.root())
        .stdin(Stdio::null())
        .stdout(output)
        .stderr(errors)
        .process_group(0);
    let child = command
        .spawn()
        .map_err(|e| format!("cannot start {name} ({:?}): {e}", command.get_program()))?;
    let pid = child.id();
    write_pid(&layout.pid_file(name), pid)?;
    Ok(Started {
        name,
        pid,
        since: Instant::now(),
        log,
        child,
    })
}

/// Writes a PID file.
pub fn write_pid(file: &Path, pid: u32) -> Result<(), String> {
    fs::write(file, format!("{pid}\n")).map_err(|e| format!("cannot write {}: {e}", file.display()))
}

/// The PID in a PID file, if the file exists and holds one.
pub fn read_pid(file: &Path) -> Option<u32> {
    fs::read_to_string(file).ok()?.trim().parse().ok()
}

/// The PID of the server `name` if it was recorded and that process still runs for us.
pub fn recorded(layout: &Layout, name: &str) -> Option<u32> {
    let pid = read_pid(&layout.pid_file(name))?;
    let cwd = fs::read_link(format!("/proc/{pid}/cwd")).ok()?;
    (alive(pid) && cwd == layout.root()).then_some(pid)
}

/// Whether a process exists and is not a zombie.
pub fn alive(pid: u32) -> bool {
    stat(pid).is_some_and(|s| s.state != 'Z')
}

/// The command name (`comm`) of a process.
pub fn command_name(pid: u32) -> Option<String> {
    fs::read_to_string(format!("/proc/{pid}/comm"))
        .ok()
        .map(|c| c.trim().to_string())
}

/// The live processes whose command name is `name`.
pub fn find_by_name(name: &str) -> Vec<u32> {
    all_pids()
        .into_iter()
        .filter(|&pid| alive(pid) && command_name(pid).as_deref() == Some(name))
        .collect()
}

/// Stops the process group led by `pid`: SIGTERM, then SIGKILL if any member is left after
/// [`STOP_GRACE`]. Returns an error only if processes survive SIGKILL.
pub fn stop_group(pid: u32) -> Result<(), String> {
    signal(&format!("-{pid}"), "TERM");
    if wait_until_gone(pid, STOP_GRACE) {
        return Ok(());
    }
    signal(&format!("-{pid}"), "KILL");
    if wait_until_gone(pid, Duration::from_secs(5)) {
        Ok(())
    } else {
        Err(format!(
            "processes of group {pid} survive SIGKILL: {:?}",
            group_members(pid)
        ))
    }
}

/// Stops one process (not its group): SIGTERM, then SIGKILL after [`STOP_GRACE`].
pub fn stop_one(pid: u32) -> Result<(), String> {
    signal(&pid.to_string(), "TERM");
    let deadline = Instant::now() + STOP_GRACE;
    while alive(pid) && Instant::now() < deadline {
        sleep(Duration::from_millis(100));
    }
    if alive(pid) {
        signal(&pid.to_string(), "KILL");
        sleep(Duration::from_millis(500));
    }
    match alive(pid) {
        true => Err(format!("process {pid} survives SIGKILL")),
        false => Ok(()),
    }
}

/// Sends a signal with `kill(1)`; `target` is a PID or `-PGID`. A target that is already gone
/// is not an error.
fn signal(target: &str, name: &str) {
    let _ = Command::new("kill")
        .args([&format!("-{name}"), "--", target])
        .stderr(Stdio::null())
        .status();
}

/// Waits until the group led by `pgid` has no live member; false on timeout.
fn wait_until_gone(pgid: u32, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if group_members(pgid).is_empty() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        sleep(Duration::from_millis(200));
    }
}

/// The live (non-zombie) processes of a process group.
fn group_members(pgid: u32) -> Vec<u32> {
    all_pids()
        .into_iter()
        .filter(|&pid| stat(pid).is_some_and(|s| s.pgrp == pgid && s.state != 'Z'))
        .collect()
}

/// Every PID in `/proc`.
fn all_pids() -> Vec<u32> {
    fs::read_dir("/proc")
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The fields of `/proc/<pid>/stat` that we use.
struct Stat {
    state: char,
    pgrp: u32,
}

fn stat(pid: u32) -> Option<Stat> {
    let text = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) state ppid pgrp ...`; comm may contain spaces and parentheses.
    let rest = &text[text.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let pgrp = fields.nth(1)?.parse().ok()?;
    Some(Stat { state, pgrp })
}
