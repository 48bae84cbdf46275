//! Secrets never reach the process's argument list, where `ps` shows them to every user of the
//! machine: they come from the environment, a file or a prompt, and an option that would carry
//! one is refused.

use std::io::Read;
use std::net::TcpListener;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::tool_process::Tool;

/// A server that accepts connections and never answers, so the tool stays running.
fn silent_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = listener.local_addr().expect("an address").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    port
}

/// What `ps` shows of every process, and what the kernel holds as `pid`'s argument list.
fn process_listing(pid: u32) -> (String, String) {
    let ps = std::process::Command::new("ps")
        .args(["-eo", "pid,args", "--no-headers", "-ww"])
        .output()
        .expect("ps runs");
    let mut cmdline = String::new();
    std::fs::File::open(format!("/proc/{pid}/cmdline"))
        .and_then(|mut f| f.read_to_string(&mut cmdline))
        .expect("the tool is still running");
    (
        String::from_utf8_lossy(&ps.stdout).into_owned(),
        cmdline.replace('\0', " "),
    )
}

/// Starts the tool on `args`, waits until it is blocked on the silent server, and checks the
/// listings while it runs.
fn assert_not_listed(tool: &Tool, args: &[&str], secret: &str) {
    let mut child = tool
        .command(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the tool starts");
    let started = Instant::now();
    std::thread::sleep(Duration::from_millis(500));
    let (ps, cmdline) = process_listing(child.id());
    assert!(
        child.try_wait().expect("a status").is_none(),
        "the tool ended early"
    );
    assert!(ps.contains(&child.id().to_string()), "ps lists the tool");
    assert!(
        cmdline.contains("opsclient") || cmdline.contains(args[0]),
        "{cmdline}"
    );
    assert!(
        !cmdline.contains(secret),
        "the secret is in the argument list: {cmdline}"
    );
    assert!(!ps.contains(secret), "ps shows the secret");
    child.kill().expect("the tool stops");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    child.wait().unwrap();
    assert!(!stderr.contains(secret), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn a_password_from_a_file_or_the_environment_is_never_in_ps() {
    let port = silent_server();
    let url = format!("http://127.0.0.1:{port}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("password");
    let secret = "s3cret-in-a-file-7d1f";
    std::fs::write(&file, secret).unwrap();

    // Sensu: the password in a file.
    let tool = Tool::new()
        .env("SENSU_API_URL", &url)
        .env("SENSU_USERNAME", "admin");
    let path = file.display().to_string();
    assert_not_listed(
        &tool,
        &["sensu", "list-checks", "--password-file", &path],
        secret,
    );

    // Sensu: the password in the environment.
    let tool = Tool::new()
        .env("SENSU_API_URL", &url)
        .env("SENSU_USERNAME", "admin")
        .env("SENSU_PASSWORD", secret);
    assert_not_listed(&tool, &["sensu", "list-checks"], secret);

    // OpenStack: --os-password-file, as with the openstack CLI's options otherwise.
    let tool = Tool::new();
    let auth = format!("{url}/v3");
    assert_not_listed(
        &tool,
        &[
            "watcher",
            "list-audits",
            "--os-auth-url",
            &auth,
            "--os-username",
            "admin",
            "--os-user-domain-id",
            "default",
            "--os-project-name",
            "admin",
            "--os-project-domain-id",
            "default",
            "--os-password-file",
            &path,
        ],
        secret,
    );
}

#[test]
fn options_that_would_carry_a_secret_are_refused() {
    let secret = "gAAAAAB-a-token-on-the-command-line";
    let error = Tool::new()
        .run(&["keystone", "validate-token", "--x-subject-token", secret])
        .fails(2);
    assert!(error.contains("OS_SUBJECT_TOKEN"), "{error}");
    assert!(!error.contains(secret), "{error}");
    // A Sensu API key is its own name.
    let key = "83abef1e-e7d7-4beb-91fc-79ad90084d5b";
    let error = Tool::new()
        .env("SENSU_API_URL", "http://127.0.0.1:9")
        .env("SENSU_API_KEY", "0a0b0c0d-0000-4000-8000-000000000000")
        .run(&["sensu", "get-api-key", "--apikey", key])
        .fails(2);
    assert!(
        error.contains("SENSU_TARGET_API_KEY") && !error.contains(key),
        "{error}"
    );
}

/// `--ask-password` reads the password from the terminal, without echo: typed into a
/// pseudo-terminal, it logs in, and the screen shows the prompt but not the password. A wrong
/// one typed the same way is refused by the server.
#[test]
fn a_password_typed_at_the_prompt_logs_in_and_is_not_echoed() {
    use std::io::Write;
    let sandbox = crate::tool_process::Sandbox::start();
    for (typed, succeeds) in [
        (crate::tool_process::SANDBOX_PASSWORD, true),
        ("not-the-password", false),
    ] {
        let tool = Tool::new()
            .env("SENSU_API_URL", &sandbox.url)
            .env("SENSU_USERNAME", crate::tool_process::SANDBOX_USER);
        let mut child = tool
            .command_in_terminal(&["sensu", "--ask-password", "list-namespaces"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("script runs");
        // Typed once the prompt is up (script passes its input to the terminal); typed
        // earlier, the terminal would still echo it.
        let mut screen_reader = child.stdout.take().expect("a screen");
        let mut seen = Vec::new();
        let mut chunk = [0u8; 256];
        while !String::from_utf8_lossy(&seen).contains("Sensu password: ") {
            let n = screen_reader.read(&mut chunk).expect("the screen");
            assert!(n > 0, "no prompt: {}", String::from_utf8_lossy(&seen));
            seen.extend_from_slice(&chunk[..n]);
        }
        let mut keyboard = child.stdin.take().expect("a keyboard");
        writeln!(keyboard, "{typed}").expect("typed");
        screen_reader.read_to_end(&mut seen).expect("the screen");
        let status = child.wait().expect("the tool ends");
        let screen = String::from_utf8_lossy(&seen);
        assert!(screen.contains("Sensu password: "), "{screen}");
        assert!(!screen.contains(typed), "the password is echoed: {screen}");
        assert_eq!(status.success(), succeeds, "{screen}");
        if succeeds {
            assert!(screen.contains("default"), "{screen}");
        }
    }
}

/// A pseudo-terminal of the test's own, the controlling terminal and standard streams of the
/// tool it starts. The test keeps the terminal's end open, so it can read the terminal's
/// settings while the tool runs and after it has ended, which `script` does not allow. Nothing
/// reads the screen until [`Terminal::show`], so until then a full screen holds the tool's
/// writes back.
struct Terminal {
    keyboard: std::fs::File,
    name: String,
    terminal_end: Option<std::fs::File>,
    screen: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Terminal {
    fn open() -> Terminal {
        use std::os::fd::{AsRawFd, FromRawFd};
        use std::os::unix::fs::OpenOptionsExt;
        // SAFETY: plain libc calls on a descriptor this function owns; the name buffer is
        // NUL-terminated by ptsname_r on success.
        let (keyboard, name) = unsafe {
            let fd = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC);
            assert!(fd >= 0, "{}", std::io::Error::last_os_error());
            let keyboard = std::fs::File::from_raw_fd(fd);
            assert_eq!(libc::grantpt(keyboard.as_raw_fd()), 0);
            assert_eq!(libc::unlockpt(keyboard.as_raw_fd()), 0);
            let mut name = [0 as libc::c_char; 256];
            assert_eq!(
                libc::ptsname_r(keyboard.as_raw_fd(), name.as_mut_ptr(), name.len()),
                0
            );
            let name = std::ffi::CStr::from_ptr(name.as_ptr());
            (keyboard, name.to_str().expect("a UTF-8 name").to_string())
        };
        let terminal_end = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NOCTTY)
            .open(&name)
            .expect("the terminal's end opens");
        Terminal {
            keyboard,
            name,
            terminal_end: Some(terminal_end),
            screen: Default::default(),
            reader: None,
        }
    }

    /// Writes to the screen until it takes no more, so the next write to it waits until
    /// [`Terminal::show`] reads the screen.
    fn fill_screen(&self) {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        // A description of its own: non-blocking here must not make the tool's non-blocking.
        let mut filler = std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NOCTTY | libc::O_NONBLOCK)
            .open(&self.name)
            .expect("the terminal's end opens");
        // Smaller writes once a large one is refused, and a pause before the last refusals
        // count: the kernel moves some of what was written on, until its buffers are full.
        let dots = [b'.'; 1024];
        let mut size = dots.len();
        let mut refused = 0;
        for _ in 0..1_000_000 {
            match filler.write(&dots[..size]) {
                Ok(_) => refused = 0,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock && size > 1 => size /= 2,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    refused += 1;
                    if refused == 3 {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => panic!("filling the screen: {e}"),
            }
        }
        panic!("the screen never filled");
    }

    /// Starts reading the screen, until every descriptor of the terminal's end is closed (EIO).
    fn show(&mut self) {
        let mut reader_end = self.keyboard.try_clone().expect("a second descriptor");
        let shown = self.screen.clone();
        self.reader = Some(std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n @ 1..) = reader_end.read(&mut chunk) {
                shown.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
        }));
    }

    /// Starts `command` in a session of its own whose controlling terminal is this one, with
    /// the signals a terminal sends at their default action, as a shell starts a foreground job
    /// (a test run in the background of a non-interactive shell inherits SIGINT ignored).
    fn spawn(&self, mut command: std::process::Command) -> std::process::Child {
        use std::os::unix::process::CommandExt;
        let end = self.terminal_end.as_ref().expect("open");
        let stream = || Stdio::from(end.try_clone().expect("a descriptor"));
        command.stdin(stream()).stdout(stream()).stderr(stream());
        // SAFETY: signal, setsid and ioctl are async-signal-safe and allocate nothing.
        unsafe {
            command.pre_exec(|| {
                for signal in [libc::SIGINT, libc::SIGQUIT, libc::SIGHUP, libc::SIGTERM] {
                    libc::signal(signal, libc::SIG_DFL);
                }
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        command.spawn().expect("the tool starts")
    }

    fn settings(&self) -> rustix::termios::Termios {
        rustix::termios::tcgetattr(self.terminal_end.as_ref().expect("open")).expect("settings")
    }

    fn type_keys(&mut self, keys: &str) {
        use std::io::Write;
        self.keyboard.write_all(keys.as_bytes()).expect("typed");
    }

    fn shown(&self) -> String {
        String::from_utf8_lossy(&self.screen.lock().unwrap()).into_owned()
    }

    /// Waits, at most 30 seconds, until `done` holds; false if it never did.
    fn wait_until(
        &self,
        child: &mut std::process::Child,
        done: impl Fn(&Terminal) -> bool,
    ) -> bool {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !done(self) {
            if Instant::now() > deadline || child.try_wait().expect("a status").is_some() {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        true
    }

    /// Waits, at most 30 seconds, until the screen shows `text`.
    fn wait_for(&self, text: &str, child: &mut std::process::Child) {
        if !self.wait_until(child, |t| t.shown().contains(text)) {
            let _ = child.kill();
            panic!("{text:?} never shown: {}", self.shown());
        }
    }

    /// Waits, at most 30 seconds, for the tool to end.
    fn wait_for_end(&self, child: &mut std::process::Child) -> std::process::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = child.try_wait().expect("a status") {
                return status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("the tool did not end: {}", self.shown());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Everything shown, once the tool has ended.
    fn screen(mut self) -> String {
        drop(self.terminal_end.take());
        if let Some(reader) = self.reader.take() {
            reader.join().expect("the reader ends");
        }
        self.shown()
    }
}

/// What became of a prompt answered with `keys`: how the tool ended, the screen, and whether
/// echo went off while the prompt could not yet be written (the screen was full), and the
/// terminal's settings before, while the prompt was shown, and after the tool ended.
struct Answered {
    status: std::process::ExitStatus,
    screen: String,
    echo_off_before_the_prompt: bool,
    before: rustix::termios::Termios,
    during: rustix::termios::Termios,
    after: rustix::termios::Termios,
}

fn answer_the_prompt(keys: &str) -> Answered {
    use rustix::termios::LocalModes;
    let mut terminal = Terminal::open();
    let before = terminal.settings();
    assert!(before.local_modes.contains(LocalModes::ECHO));
    terminal.fill_screen();
    let tool = Tool::new()
        .env("SENSU_API_URL", "http://127.0.0.1:9")
        .env("SENSU_USERNAME", "admin");
    let mut child = terminal.spawn(tool.command(&["sensu", "--ask-password", "list-namespaces"]));
    // The prompt waits for room on the screen; echo has to go off before it.
    let echo_off_before_the_prompt = terminal.wait_until(&mut child, |t| {
        !t.settings().local_modes.contains(LocalModes::ECHO)
    });
    terminal.show();
    terminal.wait_for("Sensu password: ", &mut child);
    let during = terminal.settings();
    terminal.type_keys(keys);
    let status = terminal.wait_for_end(&mut child);
    let after = terminal.settings();
    Answered {
        status,
        screen: terminal.screen(),
        echo_off_before_the_prompt,
        before,
        during,
        after,
    }
}

/// Ctrl-C at the prompt ends the tool as Ctrl-C does (killed by SIGINT, status 130 to a
/// shell), and the terminal is as it was before: echo back on, nothing typed shown. Echo goes
/// off before the prompt is written; while the prompt is shown, lines and Ctrl-C work as usual.
#[test]
fn ctrl_c_at_the_prompt_puts_the_terminal_back() {
    use rustix::termios::LocalModes;
    use std::os::unix::process::ExitStatusExt;
    let typed = "half-typed-9e4b";
    let answered = answer_the_prompt(&format!("{typed}\x03"));
    let screen = &answered.screen;
    assert!(
        answered.echo_off_before_the_prompt,
        "echo went off after the prompt"
    );
    let during = answered.during.local_modes;
    assert!(
        !during.contains(LocalModes::ECHO),
        "echo is on at the prompt"
    );
    assert!(during.contains(LocalModes::ICANON | LocalModes::ECHONL | LocalModes::ISIG));
    assert_eq!(
        answered.status.signal(),
        Some(libc::SIGINT),
        "{:?}: {screen}",
        answered.status
    );
    assert_eq!(
        answered.after.local_modes, answered.before.local_modes,
        "{screen}"
    );
    assert_eq!(
        answered.after.input_modes, answered.before.input_modes,
        "{screen}"
    );
    assert!(!screen.contains(typed), "{screen}");
}

/// Ending the input at the prompt (Ctrl-D) is an error that says so, and the terminal is as it
/// was before.
#[test]
fn end_of_input_at_the_prompt_is_an_error_and_puts_the_terminal_back() {
    let answered = answer_the_prompt("\x04");
    let screen = &answered.screen;
    assert!(
        answered.echo_off_before_the_prompt,
        "echo went off after the prompt"
    );
    assert_eq!(answered.status.code(), Some(1), "{screen}");
    assert!(screen.contains("no Sensu password was typed"), "{screen}");
    assert_eq!(
        answered.after.local_modes, answered.before.local_modes,
        "{screen}"
    );
    assert_eq!(
        answered.after.input_modes, answered.before.input_modes,
        "{screen}"
    );
}

/// A password typed before the prompt appears (as a password manager or a paste may) is kept
/// and logs in: echo goes off without discarding what is waiting to be read.
#[test]
fn a_password_typed_ahead_of_the_prompt_is_kept() {
    let sandbox = crate::tool_process::Sandbox::start();
    let mut terminal = Terminal::open();
    let tool = Tool::new()
        .env("SENSU_API_URL", &sandbox.url)
        .env("SENSU_USERNAME", crate::tool_process::SANDBOX_USER);
    terminal.type_keys(&format!("{}\n", crate::tool_process::SANDBOX_PASSWORD));
    let mut child = terminal.spawn(tool.command(&["sensu", "--ask-password", "list-namespaces"]));
    terminal.show();
    let status = terminal.wait_for_end(&mut child);
    let screen = terminal.screen();
    assert!(status.success(), "{status:?}: {screen}");
    assert!(screen.contains("Sensu password: "), "{screen}");
    assert!(screen.contains("default"), "{screen}");
}

/// Without a terminal (no controlling one, standard input not one), `--ask-password` is a
/// configuration error that names the secret and the other ways to give it.
#[test]
fn asking_for_a_password_without_a_terminal_says_how_else_to_give_it() {
    use std::os::unix::process::CommandExt;
    let run = |tool: Tool, args: &[&str]| {
        let mut command = tool.command(args);
        command.stdout(Stdio::null()).stderr(Stdio::piped());
        // SAFETY: setsid is async-signal-safe; it leaves the test's terminal, if any, behind.
        unsafe {
            command.pre_exec(|| {
                if libc::setsid() < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let output = command.output().expect("the tool runs");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (status, error) = run(
        Tool::new()
            .env("SENSU_API_URL", "http://127.0.0.1:9")
            .env("SENSU_USERNAME", "admin"),
        &["sensu", "--ask-password", "list-namespaces"],
    );
    assert_eq!(status, Some(9), "{error}");
    for part in [
        "no terminal",
        "Sensu password",
        "SENSU_PASSWORD",
        "--password-file",
    ] {
        assert!(error.contains(part), "{part}: {error}");
    }
    let (status, error) = run(
        Tool::new(),
        &[
            "watcher",
            "list-audits",
            "--os-auth-url",
            "http://127.0.0.1:9/v3",
            "--os-username",
            "admin",
            "--os-ask-password",
        ],
    );
    assert_eq!(status, Some(9), "{error}");
    for part in ["OpenStack password", "OS_PASSWORD", "--os-password-file"] {
        assert!(error.contains(part), "{part}: {error}");
    }
}

/// The tokens a login or refresh answers are the session's: every output format shows them as
/// `[redacted]` (they are marked `format: password` in the document), keeps what is not secret,
/// and says on standard error what it left out.
#[test]
fn tokens_a_command_receives_are_never_printed() {
    let sandbox = crate::tool_process::Sandbox::start();
    let tool = sandbox.tool();
    let run = tool.run(&["sensu", "auth-login", "-o", "json"]);
    let answer = run.json();
    assert_eq!(answer["access_token"], "[redacted]", "{answer}");
    assert_eq!(answer["refresh_token"], "[redacted]", "{answer}");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(answer["expires_at"].as_u64().unwrap() > now, "{answer}");
    assert!(
        run.stderr()
            .contains("access_token, refresh_token not shown"),
        "{}",
        run.stderr()
    );
    for format in ["yaml", "table", "value"] {
        let run = tool.run(&["sensu", "auth-login", "-o", format]);
        let shown = run.ok() + &run.stderr();
        assert!(shown.contains("[redacted]"), "{format}: {shown}");
        // The sandbox's tokens begin `sandbox-access-` and `sandbox-refresh-`.
        assert!(!shown.contains("sandbox-"), "{format}: {shown}");
    }
}
