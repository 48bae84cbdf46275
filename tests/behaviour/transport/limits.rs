//! The limits on what the transport reads, at their edges: a body of exactly the limit is read
//! and one byte more is refused, whether the server announces the length or streams it; an
//! announced length over the limit is refused before the body is read; the default limit takes
//! large lists; an error body is read far enough to keep a long message; a redirect is told
//! from another undeclared status.

#![cfg(feature = "sensu")]

use crate::fault_server::{Fault, FaultServer};
use opsclient::{Error, RetryPolicy};
use serde_json::json;

const LIMIT: usize = 4096;

fn sensu(server: &FaultServer, max_body_size: Option<usize>) -> opsclient::sensu::Client {
    let builder = opsclient::sensu::Client::builder()
        .url(&server.url)
        .api_key("the-api-key")
        .retry(RetryPolicy::disabled());
    match max_body_size {
        Some(limit) => builder.max_body_size(limit),
        None => builder,
    }
    .build()
    .unwrap()
}

/// A namespace list of exactly `length` bytes: JSON allows the trailing spaces.
fn namespaces_of_length(length: usize) -> Vec<u8> {
    let mut body = json!([{"name": "default"}]).to_string().into_bytes();
    assert!(body.len() <= length);
    body.resize(length, b' ');
    body
}

fn announced(body: Vec<u8>) -> Fault {
    Fault::Answer {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body,
    }
}

fn too_large(limit: usize) -> String {
    format!("the body is larger than the limit of {limit} bytes (raise it with max_body_size)")
}

async fn list(client: &opsclient::sensu::Client) -> opsclient::Result<usize> {
    Ok(client.list_namespaces().send().await?.into_inner().len())
}

fn assert_too_large(result: opsclient::Result<usize>, limit: usize) {
    match result {
        Err(Error::UnexpectedResponse(e)) => assert_eq!(e.reason, too_large(limit)),
        other => panic!("expected the body limit's error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_of_exactly_the_limit_is_read_and_one_byte_more_is_refused() {
    let server = FaultServer::start().await;
    let client = sensu(&server, Some(LIMIT));
    for (framing, answer) in [
        ("announced", announced as fn(Vec<u8>) -> Fault),
        ("chunked", |body| Fault::Chunked { status: 200, body }),
    ] {
        server.script([answer(namespaces_of_length(LIMIT))]);
        let read = list(&client).await;
        assert!(
            matches!(read, Ok(1)),
            "{framing}: a body of the limit: {read:?}"
        );
        server.script([answer(namespaces_of_length(LIMIT + 1))]);
        assert_too_large(list(&client).await, LIMIT);
    }
}

#[tokio::test]
async fn an_announced_length_over_the_limit_is_refused_before_the_body_is_read() {
    let server = FaultServer::start().await;
    let client = sensu(&server, Some(LIMIT));
    // The server announces twice the limit and closes after sending exactly the limit: only a
    // client that reads the body would see the cut.
    server.script([Fault::CutOff { length: 2 * LIMIT }]);
    assert_too_large(list(&client).await, LIMIT);
}

#[tokio::test]
async fn the_default_limit_reads_a_large_list_and_refuses_more_than_128_mib() {
    let server = FaultServer::start().await;
    let client = sensu(&server, None);
    let large = 2 * 1024 * 1024;
    server.script([announced(namespaces_of_length(large))]);
    assert!(matches!(list(&client).await, Ok(1)));
    server.script([Fault::Chunked {
        status: 200,
        body: namespaces_of_length(large),
    }]);
    assert!(matches!(list(&client).await, Ok(1)));
    let default = opsclient::transport::DEFAULT_MAX_BODY_SIZE;
    assert_eq!(default, 128 * 1024 * 1024, "the README documents 128 MiB");
    server.script([Fault::CutOff {
        length: default + 1,
    }]);
    assert_too_large(list(&client).await, default);
}

#[tokio::test]
async fn an_error_body_is_read_far_enough_to_keep_a_long_message() {
    let server = FaultServer::start().await;
    let client = sensu(&server, Some(LIMIT));
    let message = "m".repeat(32 * 1024);
    let body = json!({"code": 3, "message": message})
        .to_string()
        .into_bytes();
    for answer in [
        Fault::json(400, json!({"code": 3, "message": message})),
        Fault::Chunked { status: 400, body },
    ] {
        server.script([answer]);
        match list(&client).await {
            Err(Error::InvalidInput(e)) => {
                let text = e.to_string();
                assert!(
                    text.contains(&message),
                    "the message was cut: {}",
                    text.len()
                );
            }
            other => panic!("expected invalid input, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn an_error_body_that_never_ends_is_read_only_up_to_its_limit() {
    let server = FaultServer::start().await;
    let client = opsclient::sensu::Client::builder()
        .url(&server.url)
        .api_key("the-api-key")
        .retry(RetryPolicy::disabled())
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .unwrap();
    server.script([Fault::Endless { status: 400 }]);
    match list(&client).await {
        Err(Error::InvalidInput(e)) => assert!(e.to_string().contains("xxxx"), "{e}"),
        other => panic!("expected invalid input from the body's start, got {other:?}"),
    }
}

#[tokio::test]
async fn a_redirect_status_without_a_location_is_an_undeclared_status_not_a_redirect() {
    let server = FaultServer::start().await;
    let client = sensu(&server, None);
    server.script([Fault::status(300)]);
    match list(&client).await {
        Err(Error::UnexpectedResponse(e)) => {
            assert_eq!(e.status.map(|s| s.as_u16()), Some(300));
            assert_eq!(e.reason, "status not declared for this operation");
        }
        other => panic!("expected an undeclared status, got {other:?}"),
    }
    server.script([Fault::status(307).with_header("location", "http://192.0.2.1/elsewhere")]);
    match list(&client).await {
        Err(Error::UnexpectedResponse(e)) => {
            assert!(
                e.reason.starts_with("a redirect to another host"),
                "{}",
                e.reason
            )
        }
        other => panic!("expected a refused redirect, got {other:?}"),
    }
}

#[tokio::test]
async fn a_login_answer_of_exactly_its_limit_is_read_and_one_byte_more_is_refused() {
    let server = FaultServer::start().await;
    let login_client = || {
        opsclient::sensu::Client::builder()
            .url(&server.url)
            .credentials("admin", "pw")
            .retry(RetryPolicy::disabled())
            .build()
            .unwrap()
    };
    let client = login_client();
    let login_limit = 1024 * 1024;
    let tokens = |length: usize| {
        let mut body = json!({"access_token": "access-1", "refresh_token": "refresh-1",
                              "expires_at": 4_102_444_800_i64})
        .to_string()
        .into_bytes();
        body.resize(length, b' ');
        announced(body)
    };
    server.script([tokens(login_limit), announced(namespaces_of_length(100))]);
    let read = list(&client).await;
    assert!(
        matches!(read, Ok(1)),
        "a login answer of the limit: {read:?}"
    );
    let client = login_client();
    server.script([tokens(login_limit + 1)]);
    match list(&client).await {
        Err(Error::UnexpectedResponse(e)) => {
            assert!(e
                .reason
                .starts_with("the login answer is larger than 1048576 bytes"))
        }
        other => panic!("expected the login limit's error, got {other:?}"),
    }
}
