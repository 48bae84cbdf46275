//! Secrets never reach the process's argument list, where `ps` shows them to every user of the
//! machine: they come from the environment, a file or a prompt, and an option that would carry
//! one is refused.

mod common;

use std::io::Read;
use std::net::TcpListener;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::Tool;

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
    let sandbox = common::Sandbox::start();
    for (typed, succeeds) in [
        (common::SANDBOX_PASSWORD, true),
        ("not-the-password", false),
    ] {
        let tool = Tool::new()
            .env("SENSU_API_URL", &sandbox.url)
            .env("SENSU_USERNAME", common::SANDBOX_USER);
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
