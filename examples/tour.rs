//! A tour of the Sensu client: fawlty's sample and beyond.
//!
//! With `SENSU_API_URL` (and `SENSU_USERNAME` + `SENSU_PASSWORD`) set, it runs against that
//! backend; otherwise it starts the in-process sandbox.
//!
//! ```text
//! cargo run --example tour
//! ```

use std::time::{Duration, SystemTime};

use futures::TryStreamExt;
use opsclient::error::InvalidInput;
use opsclient::paging::ListRequest;
use opsclient::sensu::{types, Client};
use opsclient::Error;
use opsclient_sandbox::Sandbox;

const NAMESPACE: &str = "sybil";
/// How long before expiry the tour's client refreshes against the sandbox.
const REFRESH_THRESHOLD: Duration = Duration::from_secs(1);

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match tour().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Where the tour runs: a server from the environment, or a sandbox it owns.
struct Backend {
    client: Client,
    username: String,
    password: String,
    sandbox: Option<Sandbox>,
}

async fn backend() -> opsclient::Result<Backend> {
    if let Ok(url) = std::env::var("SENSU_API_URL") {
        let username = std::env::var("SENSU_USERNAME").unwrap_or_else(|_| "admin".into());
        let password = std::env::var("SENSU_PASSWORD").unwrap_or_default();
        // Tokens of a real backend live for minutes, so the tour shows no refresh there: a
        // threshold longer than a token's life renews it halfway, not on the next call.
        let client = Client::builder().env()?.build()?;
        say(&format!("using the Sensu backend at {url}"));
        return Ok(Backend {
            client,
            username,
            password,
            sandbox: None,
        });
    }
    let sandbox = Sandbox::builder()
        .access_token_lifetime(Duration::from_secs(3))
        .start()
        .await?;
    say(&format!(
        "SENSU_API_URL is not set: started the sandbox at {} (login {} / {})",
        sandbox.url(),
        Sandbox::DEFAULT_USERNAME,
        Sandbox::DEFAULT_PASSWORD
    ));
    let client = Client::builder()
        .url(sandbox.url())
        .refresh_threshold(REFRESH_THRESHOLD)
        .build()?;
    Ok(Backend {
        client,
        username: Sandbox::DEFAULT_USERNAME.into(),
        password: Sandbox::DEFAULT_PASSWORD.into(),
        sandbox: Some(sandbox),
    })
}

async fn tour() -> opsclient::Result<()> {
    let Backend {
        client,
        username,
        password,
        sandbox,
    } = backend().await?;

    step("log in");
    client.login(&username, &password).await?;
    say(&format!(
        "logged in as {username}; the access token expires in {}",
        until_expiry(&client).await
    ));

    step(&format!("create namespace {NAMESPACE}"));
    match client
        .create_namespace()
        .body(types::Namespace::builder().name(NAMESPACE))
        .send()
        .await
    {
        Ok(_) => say("created (201)"),
        Err(e) => match e {
            Error::AlreadyExists(_) => say("it exists already (409)"),
            other => return Err(other),
        },
    }

    step("list namespaces");
    for namespace in client.list_namespaces().send().await?.into_inner() {
        say(&format!("- {}", namespace.name));
    }

    step("create checks");
    let sybil = client.in_namespace(NAMESPACE);
    for (name, interval) in [
        ("check-cpu", 60),
        ("check-disk", 300),
        ("check-memory", 60),
        ("check-nginx", 30),
        ("check-ntp", 600),
    ] {
        sybil.create(&check(name, interval, &["linux"])).await?;
        say(&format!("created {name}, every {interval} s"));
    }

    step("a check without subscriptions");
    match sybil.create(&check("check-orphan", 60, &[])).await {
        Err(Error::InvalidInput(InvalidInput::Client(violation))) => {
            say(&format!("refused before sending: {violation}"))
        }
        other => say(&format!("unexpected: {other:?}")),
    }
    step("a check with both an interval and a cron schedule");
    let mut both = check("check-twice", 60, &["linux"]);
    both.cron = Some("* * * * *".into());
    match sybil.create(&both).await {
        Err(Error::InvalidInput(InvalidInput::Server(e))) => {
            say(&format!("the server refused it: {e}"))
        }
        other => say(&format!("answer: {other:?}")),
    }

    step("list checks two per page");
    let request = client.list_checks().namespace(NAMESPACE);
    let mut cursor = None;
    for page in 1.. {
        let page_of = request.fetch_page(Some(2), cursor).await?;
        let names: Vec<_> = page_of.items.iter().map(name_of).collect();
        say(&format!("page {page}: {}", names.join(", ")));
        match page_of.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let all: Vec<types::CheckConfig> = sybil.list(2).try_collect().await?;
    say(&format!("or as one stream: {} checks", all.len()));

    step("automatic token refresh");
    let before = client.expires_at().await;
    if let (Some(_), Some(expires_at)) = (&sandbox, before) {
        // Wait until the token is within the client's 1 s refresh threshold.
        let due = expires_at - REFRESH_THRESHOLD + Duration::from_millis(200);
        let wait = due.duration_since(SystemTime::now()).unwrap_or_default();
        say(&format!(
            "the sandbox's tokens live 3 s and the client refreshes 1 s before expiry; waiting {} ms…",
            wait.as_millis()
        ));
        tokio::time::sleep(wait).await;
    }
    let check: types::CheckConfig = sybil.get("check-cpu").await?;
    let after = client.expires_at().await;
    let refreshed = if after > before {
        " with a refreshed token"
    } else {
        ""
    };
    say(&format!("read {}{refreshed}", name_of(&check)));
    if after > before {
        say(&format!(
            "the token was refreshed before the call; it now expires in {}",
            until_expiry(&client).await
        ));
    }
    if let Some(sandbox) = &sandbox {
        let refreshes = sandbox
            .calls()
            .get("authRefreshToken")
            .map_or(0, |c| c.succeeded);
        say(&format!("POST /auth/token calls so far: {refreshes}"));
    }

    step("clean up");
    for check in &all {
        sybil.delete::<types::CheckConfig>(&name_of(check)).await?;
    }
    client
        .delete_namespace()
        .namespace(NAMESPACE)
        .send()
        .await?;
    say(&format!(
        "deleted {} checks and namespace {NAMESPACE}",
        all.len()
    ));
    client.logout().await?;
    say("logged out");
    Ok(())
}

fn check(name: &str, interval: u32, subscriptions: &[&str]) -> types::CheckConfig {
    let value = serde_json::json!({
        "metadata": {"name": name},
        "command": format!("{name} --warning 80 --critical 90"),
        "interval": interval,
        "subscriptions": subscriptions,
        "publish": true,
    });
    serde_json::from_value(value).expect("a valid check body")
}

fn name_of(check: &types::CheckConfig) -> String {
    check.metadata.name.clone().unwrap_or_default()
}

async fn until_expiry(client: &Client) -> String {
    match client
        .expires_at()
        .await
        .map(|t| t.duration_since(SystemTime::now()))
    {
        Some(Ok(left)) => format!("{} s", left.as_secs()),
        Some(Err(_)) => "now".into(),
        None => "never".into(),
    }
}

fn step(what: &str) {
    println!("\n$ {what}");
}

fn say(what: &str) {
    println!("  {what}");
}
