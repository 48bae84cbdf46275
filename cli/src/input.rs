//! What the tool reads besides its arguments: request bodies, and secrets, which never come
//! from the argument list (where `ps` would show them).

use std::fs::{File, OpenOptions};
use std::io::{IsTerminal, Read, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::path::Path;
use std::sync::atomic::{AtomicPtr, Ordering};

use rustix::termios::{tcsetattr, LocalModes, OptionalActions, Termios};

/// The body file name of a body built from a Python CLI command's arguments, held in memory.
/// No file has this name: a path cannot hold a NUL byte.
pub const MEMORY_BODY: &str = "\0python-cli-arguments";

/// The body built from a Python CLI command's arguments, set once before any command runs.
static BODY_IN_MEMORY: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Holds `body` for [`MEMORY_BODY`]; the first body held stays.
pub fn hold_body(body: &serde_json::Value) {
    let _ = BODY_IN_MEMORY.set(body.to_string());
}

/// A body file; `-` is standard input, [`MEMORY_BODY`] the body held.
pub fn read_body(path: &Path) -> std::io::Result<String> {
    if path == Path::new(MEMORY_BODY) {
        return BODY_IN_MEMORY
            .get()
            .cloned()
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no body was built"));
    }
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        Ok(text)
    } else {
        std::fs::read_to_string(path)
    }
}

/// A request body given as JSON or YAML (what `-o json` and `-o yaml` print).
pub fn parse_body<T: serde::de::DeserializeOwned>(text: &str) -> anyhow::Result<T> {
    let json = match serde_json::from_str(text) {
        Ok(body) => return Ok(body),
        Err(e) => e,
    };
    match serde_yaml_ng::from_str(text) {
        Ok(body) => Ok(body),
        // Text that starts as JSON gets the JSON error, which points at the mistake.
        Err(_) if text.trim_start().starts_with(['{', '[']) => Err(json.into()),
        Err(yaml) => Err(yaml.into()),
    }
}

/// A secret from a file (its first line), for `--*-file` options.
pub fn secret_file(path: &Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    Ok(text.lines().next().unwrap_or_default().to_string())
}

/// The longest line a prompt reads; a canonical-mode terminal line is shorter on Linux anyway.
const LINE_LIMIT: usize = 4096;

/// Signals that would end the process while echo is off: each restores the terminal first.
const FATAL_SIGNALS: [libc::c_int; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

/// A secret typed at a prompt, without echo, on the controlling terminal (or on standard input
/// when that is a terminal and there is no controlling one). Echo is off before the prompt is
/// written, so nothing typed after the prompt appears, however early, is shown; and the
/// terminal's settings come back on every way out: a line read, an error, or a signal such as
/// Ctrl-C's. `variable` and `file_option` name the other ways to give the secret, for the error
/// when there is no terminal.
pub fn prompt(what: &str, variable: &str, file_option: &str) -> anyhow::Result<String> {
    let Some(terminal) = open_terminal() else {
        let message = format!(
            "no terminal to type the {what} at (standard input is not one, and /dev/tty cannot \
             be opened): set {variable} or give --{file_option}"
        );
        return Err(
            opsclient::Error::Config(opsclient::error::ConfigError::Invalid(message)).into(),
        );
    };
    let cannot =
        |e: std::io::Error| anyhow::anyhow!("cannot read the {what} from the terminal: {e}");
    let original = rustix::termios::tcgetattr(&terminal).map_err(|e| cannot(e.into()))?;
    // Installed before echo goes off, removed after it is back: no moment without either.
    let _signals = RestoreOnSignal::install(terminal.as_raw_fd(), original.clone());
    let mut echo_off = EchoOff::new(terminal.as_fd(), original).map_err(cannot)?;
    (&terminal)
        .write_all(format!("{what}: ").as_bytes())
        .map_err(cannot)?;
    let line = read_line(&terminal).map_err(cannot)?;
    echo_off.line_ended = line.ended;
    if line.text.is_empty() {
        anyhow::bail!("no {what} was typed");
    }
    String::from_utf8(line.text).map_err(|_| anyhow::anyhow!("the {what} typed is not UTF-8"))
}

/// An answer typed on the terminal (shown as it is typed) to `question`, with `default`
/// offered in brackets and taken for an empty answer.
pub fn ask(question: &str, default: Option<&str>) -> anyhow::Result<String> {
    let Some(terminal) = open_terminal() else {
        let message =
            format!("no terminal to ask \"{question}\" on: give the options, or --non-interactive");
        return Err(
            opsclient::Error::Config(opsclient::error::ConfigError::Invalid(message)).into(),
        );
    };
    let cannot = |e: std::io::Error| anyhow::anyhow!("cannot ask \"{question}\": {e}");
    let shown = match default {
        Some(default) => format!("{question} [{default}]: "),
        None => format!("{question}: "),
    };
    (&terminal).write_all(shown.as_bytes()).map_err(cannot)?;
    let line = read_line(&terminal).map_err(cannot)?;
    if !line.ended {
        let _ = (&terminal).write_all(b"\n");
    }
    let answer = String::from_utf8(line.text)
        .map_err(|_| anyhow::anyhow!("the answer to \"{question}\" is not UTF-8"))?;
    let answer = answer.trim();
    match (answer.is_empty(), default) {
        (false, _) => Ok(answer.to_string()),
        (true, Some(default)) => Ok(default.to_string()),
        (true, None) => anyhow::bail!("no answer to \"{question}\""),
    }
}

/// `/dev/tty`, or a duplicate of standard input when that is a terminal; `None` without either.
fn open_terminal() -> Option<File> {
    if let Ok(tty) = OpenOptions::new().read(true).write(true).open("/dev/tty") {
        return Some(tty);
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return None;
    }
    stdin.as_fd().try_clone_to_owned().ok().map(File::from)
}

/// One typed line, without its line end.
struct Line {
    text: Vec<u8>,
    /// Whether the line ended with Enter (the terminal echoed that newline), not end of input.
    ended: bool,
}

/// Reads up to a newline or the end of input, at most [`LINE_LIMIT`] bytes.
fn read_line(mut terminal: &File) -> std::io::Result<Line> {
    let mut text = vec![0u8; LINE_LIMIT];
    let mut len = 0;
    let ended = loop {
        if len == text.len() {
            return Err(std::io::Error::other(format!(
                "longer than {LINE_LIMIT} bytes"
            )));
        }
        match terminal.read(&mut text[len..]) {
            Ok(0) => break false,
            Ok(n) => {
                let start = len;
                len += n;
                if let Some(at) = text[start..len].iter().position(|b| *b == b'\n') {
                    len = start + at;
                    break true;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    };
    text.truncate(len);
    if text.last() == Some(&b'\r') {
        text.pop();
    }
    Ok(Line { text, ended })
}

/// The terminal with echo off until dropped, then as it was.
struct EchoOff<'a> {
    terminal: BorrowedFd<'a>,
    original: Termios,
    /// Set once Enter was read; otherwise dropping moves to a new line, for what comes next.
    line_ended: bool,
}

impl<'a> EchoOff<'a> {
    /// Echo off, line by line input and the newline still shown. `TCSANOW`, not `TCSAFLUSH`:
    /// what was typed ahead of the prompt is part of the answer and is kept.
    fn new(terminal: BorrowedFd<'a>, original: Termios) -> std::io::Result<Self> {
        let mut quiet = original.clone();
        quiet.local_modes.remove(LocalModes::ECHO);
        quiet
            .local_modes
            .insert(LocalModes::ICANON | LocalModes::ECHONL);
        tcsetattr(terminal, OptionalActions::Now, &quiet)?;
        Ok(EchoOff {
            terminal,
            original,
            line_ended: false,
        })
    }
}

impl Drop for EchoOff<'_> {
    fn drop(&mut self) {
        let _ = tcsetattr(self.terminal, OptionalActions::Now, &self.original);
        if !self.line_ended {
            let _ = rustix::io::write(self.terminal, b"\n");
        }
    }
}

/// The terminal to restore when a signal ends the process during a prompt. Set only while a
/// prompt runs; each is leaked (one per prompt) because a signal handler on another thread may
/// still read it after the prompt has ended.
static RESTORE: AtomicPtr<Saved> = AtomicPtr::new(std::ptr::null_mut());

/// A terminal and the settings it had before its prompt.
struct Saved {
    terminal: RawFd,
    original: Termios,
}

/// Handlers for [`FATAL_SIGNALS`] while a prompt runs; the previous handlers come back when
/// dropped. A signal the process ignores (as `nohup` sets for SIGHUP) stays ignored.
struct RestoreOnSignal {
    previous: Vec<(libc::c_int, libc::sigaction)>,
}

impl RestoreOnSignal {
    fn install(terminal: RawFd, original: Termios) -> Self {
        let saved = Box::leak(Box::new(Saved { terminal, original }));
        RESTORE.store(saved, Ordering::SeqCst);
        let mut previous = Vec::with_capacity(FATAL_SIGNALS.len());
        // SAFETY: plain sigaction calls on zeroed, then filled, structures; the handler does
        // only async-signal-safe work (two system calls, then re-raising the signal).
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = restore_and_reraise as extern "C" fn(libc::c_int) as usize;
            libc::sigemptyset(&mut action.sa_mask);
            for signal in FATAL_SIGNALS {
                libc::sigaddset(&mut action.sa_mask, signal);
            }
            action.sa_flags = libc::SA_RESTART;
            for signal in FATAL_SIGNALS {
                let mut old: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(signal, std::ptr::null(), &mut old) != 0
                    || old.sa_sigaction == libc::SIG_IGN
                {
                    continue;
                }
                if libc::sigaction(signal, &action, &mut old) == 0 {
                    previous.push((signal, old));
                }
            }
        }
        RestoreOnSignal { previous }
    }
}

impl Drop for RestoreOnSignal {
    fn drop(&mut self) {
        for (signal, old) in &self.previous {
            // SAFETY: puts back the action sigaction gave when this one was installed.
            unsafe {
                libc::sigaction(*signal, old, std::ptr::null_mut());
            }
        }
        RESTORE.store(std::ptr::null_mut(), Ordering::SeqCst);
    }
}

/// Puts the terminal back, moves to a new line, then lets the signal end the process as it
/// would have (so a shell sees "killed by SIGINT", status 130, and stops a loop).
extern "C" fn restore_and_reraise(signal: libc::c_int) {
    let saved = RESTORE.load(Ordering::SeqCst);
    if !saved.is_null() {
        // SAFETY: `RESTORE` only ever holds leaked, never freed, `Saved`s; the descriptor is
        // at worst closed by now, and then the calls fail harmlessly.
        let (saved, terminal) = unsafe {
            let saved = &*saved;
            (saved, BorrowedFd::borrow_raw(saved.terminal))
        };
        let _ = tcsetattr(terminal, OptionalActions::Now, &saved.original);
        let _ = rustix::io::write(terminal, b"\n");
    }
    // SAFETY: signal() and raise() are async-signal-safe; the raised signal waits until this
    // handler returns (it is blocked meanwhile), then takes its default action.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Check {
        name: String,
        interval: u32,
    }

    #[test]
    fn bodies_are_json_or_yaml() {
        let expected = Check {
            name: "web".into(),
            interval: 30,
        };
        let json: Check = parse_body(r#"{"name": "web", "interval": 30}"#).unwrap();
        let yaml: Check = parse_body("name: web\ninterval: 30\n").unwrap();
        assert_eq!(json, expected);
        assert_eq!(yaml, expected);
        let error = parse_body::<Check>(r#"{"name": "web", "interval": }"#).unwrap_err();
        assert!(error.to_string().contains("line 1 column"), "{error}");
    }
}
