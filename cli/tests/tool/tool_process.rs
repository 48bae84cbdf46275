//! Running `opsclient` as a process, in an environment of only what each test gives it, and the
//! servers it talks to: the Sensu sandbox served by the tool itself, and the real OpenStack
//! servers of `cargo xtask servers up`.

use std::collections::HashMap;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The tool with an empty environment (no `SENSU_*`, `OS_*` or `SALTANT_*` of the caller) and
/// a home of its own, so no `clouds.yaml` of the machine is read.
pub struct Tool {
    home: tempfile::TempDir,
    vars: Vec<(String, String)>,
}

impl Tool {
    pub fn new() -> Tool {
        Tool {
            home: tempfile::tempdir().expect("a temporary home"),
            vars: Vec::new(),
        }
    }

    /// The home directory of every run; its `.config` is the tool's configuration directory.
    pub fn home(&self) -> &std::path::Path {
        self.home.path()
    }

    /// Sets a variable for every run.
    pub fn env(mut self, name: &str, value: impl Into<String>) -> Tool {
        self.vars.push((name.to_string(), value.into()));
        self
    }

    /// The command, not started.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_opsclient"));
        command
            .args(args)
            .env_clear()
            .env("HOME", self.home.path())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .envs(self.vars.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null());
        command
    }

    /// The command run in a pseudo-terminal by util-linux's `script`: standard output and
    /// error are a terminal, and both arrive on the command's standard output.
    pub fn command_in_terminal(&self, args: &[&str]) -> Command {
        let quote = |a: &str| format!("'{}'", a.replace('\'', r"'\''"));
        let line: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_opsclient"))
            .chain(args.iter().copied())
            .map(quote)
            .collect();
        let mut command = Command::new("script");
        command
            .args([
                "--quiet",
                "--return",
                "--command",
                &line.join(" "),
                "/dev/null",
            ])
            .env_clear()
            .env("HOME", self.home.path())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("TERM", "xterm")
            .envs(self.vars.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null());
        command
    }

    /// Runs the tool to its end.
    pub fn run(&self, args: &[&str]) -> Run {
        Run(self.command(args).output().expect("opsclient runs"))
    }

    /// Runs the tool to its end with one more variable set.
    pub fn run_with_var(&self, name: &str, value: &str, args: &[&str]) -> Run {
        Run(self
            .command(args)
            .env(name, value)
            .output()
            .expect("opsclient runs"))
    }

    /// Runs the tool with `input` on standard input.
    pub fn run_with_input(&self, args: &[&str], input: &str) -> Run {
        use std::io::Write;
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("opsclient starts");
        child
            .stdin
            .take()
            .expect("piped")
            .write_all(input.as_bytes())
            .expect("input written");
        Run(child.wait_with_output().expect("opsclient ends"))
    }
}

/// A finished run.
pub struct Run(pub Output);

impl Run {
    pub fn status(&self) -> i32 {
        self.0.status.code().expect("ended by itself, not a signal")
    }

    pub fn stdout(&self) -> String {
        String::from_utf8(self.0.stdout.clone()).expect("UTF-8 output")
    }

    pub fn stderr(&self) -> String {
        String::from_utf8(self.0.stderr.clone()).expect("UTF-8 errors")
    }

    /// Asserts success and gives standard output.
    pub fn ok(&self) -> String {
        assert_eq!(self.status(), 0, "stderr: {}", self.stderr());
        self.stdout()
    }

    /// Asserts success and parses standard output as JSON.
    pub fn json(&self) -> serde_json::Value {
        let out = self.ok();
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
    }

    /// Asserts the exit status and gives the one error line.
    pub fn fails(&self, status: i32) -> String {
        assert_eq!(
            self.status(),
            status,
            "stdout: {} stderr: {}",
            self.stdout(),
            self.stderr()
        );
        self.stderr()
    }
}

/// A free port on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Waits until something listens on `port`.
pub fn wait_for_port(port: u16) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "nothing listens on {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `opsclient sensu sandbox` as a child process; interrupted when dropped.
pub struct Sandbox {
    pub child: Child,
    pub url: String,
}

pub const SANDBOX_USER: &str = "admin";
pub const SANDBOX_PASSWORD: &str = "P@ssw0rd!";

impl Sandbox {
    pub fn start() -> Sandbox {
        let port = free_port();
        let child = Tool::new()
            .command(&["sensu", "sandbox", "--port", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the sandbox starts");
        wait_for_port(port);
        Sandbox {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    /// The tool, logged in to this sandbox through `SENSU_*`.
    pub fn tool(&self) -> Tool {
        Tool::new()
            .env("SENSU_API_URL", &self.url)
            .env("SENSU_USERNAME", SANDBOX_USER)
            .env("SENSU_PASSWORD", SANDBOX_PASSWORD)
    }

    /// Sends Ctrl-C's signal and gives the exit status and standard error.
    pub fn interrupt(mut self) -> (i32, String) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill runs");
        assert!(sent.success());
        let child = std::mem::replace(
            &mut self.child,
            Command::new("true").spawn().expect("true runs"),
        );
        let output = child.wait_with_output().expect("the sandbox ends");
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[path = "../../../tests/support/settings.rs"]
pub mod settings;

/// The real OpenStack servers' settings (`target/openstack-servers/env.json`, or the file named
/// by `OPSCLIENT_OPENSTACK_ENV`), or `None` with a note when they are not running. Panics when
/// `cargo xtask test` requires them and they are not usable.
pub fn real_openstack(test: &str) -> Option<HashMap<String, String>> {
    settings::for_test(test, &openstack_env_file())
}

/// The real servers' settings file: `OPSCLIENT_OPENSTACK_ENV`, or `env.json` in the state
/// directory of `cargo xtask servers up`.
pub fn openstack_env_file() -> PathBuf {
    std::env::var_os("OPSCLIENT_OPENSTACK_ENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/openstack-servers/env.json")
        })
}

/// The tool logged in to the real cloud as its admin through the standard `OS_*` variables.
pub fn openstack_tool(vars: &HashMap<String, String>) -> Tool {
    let mut tool = Tool::new();
    for (name, value) in vars {
        if name.starts_with("OS_") {
            tool = tool.env(name, value);
        }
    }
    tool
}

/// A name no earlier run used, for resources a real-server test creates.
pub fn run_id() -> String {
    format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
            % 0xffff_ffff
    )
}

/// Runs a seeding shell command from `env.json` with `argument`; gives its last line.
pub fn seed(vars: &HashMap<String, String>, var: &str, argument: &str) -> String {
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!("{} {argument}", vars[var]))
        .output()
        .expect("the seed runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .trim()
        .lines()
        .last()
        .unwrap()
        .to_string()
}

/// A table the tool printed, read back by the columns of its header line: a header is text
/// between runs of two or more spaces, and each cell is the row's text under its header.
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn parse(text: &str) -> Table {
        let mut lines = text.lines();
        let header: Vec<char> = lines.next().expect("a header line").chars().collect();
        let mut starts = Vec::new();
        for (i, c) in header.iter().enumerate() {
            let after_gap = i == 0 || (i >= 2 && header[i - 1] == ' ' && header[i - 2] == ' ');
            if *c != ' ' && after_gap {
                starts.push(i);
            }
        }
        let cut = |line: &[char]| -> Vec<String> {
            starts
                .iter()
                .enumerate()
                .map(|(n, start)| {
                    let end = starts.get(n + 1).copied().unwrap_or(usize::MAX);
                    let end = end.min(line.len());
                    let start = (*start).min(end);
                    line[start..end]
                        .iter()
                        .collect::<String>()
                        .trim()
                        .to_string()
                })
                .collect()
        };
        Table {
            headers: cut(&header),
            rows: lines.map(|l| cut(&l.chars().collect::<Vec<_>>())).collect(),
        }
    }

    /// The cells of the column headed `header`.
    pub fn column(&self, header: &str) -> Vec<&str> {
        let at = self
            .headers
            .iter()
            .position(|h| h == header)
            .unwrap_or_else(|| panic!("no column {header} in {:?}", self.headers));
        self.rows.iter().map(|r| r[at].as_str()).collect()
    }

    /// The row whose `header` cell is `value`, as (header, cell) pairs.
    pub fn row(&self, header: &str, value: &str) -> Vec<(&str, &str)> {
        let at = self.headers.iter().position(|h| h == header).expect(header);
        let row = self
            .rows
            .iter()
            .find(|r| r[at] == value)
            .unwrap_or_else(|| panic!("no row with {header} {value}: {:?}", self.rows));
        self.headers
            .iter()
            .map(String::as_str)
            .zip(row.iter().map(String::as_str))
            .collect()
    }
}

/// What the tool's tables show for a Unix time or an ISO 8601 text: `YYYY-MM-DD HH:MM:SS UTC`.
pub fn shown_date(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .expect("a time")
        .format("%Y-%m-%d %H:%M:%S UTC")
        .to_string()
}
