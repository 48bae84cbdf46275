//! TLS over a real handshake, with a CA and a server certificate made here: verification is on
//! by default, a CA file makes the server trusted, and `ignore_cert` turns verification off and
//! says so in the log.

#![cfg(feature = "sensu")]

use std::io::Write;
use std::sync::{Arc, Mutex};

use opsclient::sensu::Client;
use opsclient::Error;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

struct TlsServer {
    port: u16,
    ca_pem: String,
}

/// An HTTPS server on 127.0.0.1 that answers every request with `[]`.
async fn start_tls_server() -> TlsServer {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "opsclient test CA");
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();

    let leaf_key = KeyPair::generate().unwrap();
    let leaf_params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &ca).unwrap();

    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
        )
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A failed handshake is the point of some tests.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let answer = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                              content-length: 2\r\nconnection: close\r\n\r\n[]";
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    TlsServer {
        port,
        ca_pem: ca.pem(),
    }
}

fn https(server: &TlsServer) -> opsclient::sensu::SensuClientBuilder {
    Client::builder().url(format!("https://localhost:{}", server.port))
}

#[tokio::test]
async fn an_unknown_ca_is_rejected_by_default() {
    let server = start_tls_server().await;
    let client = https(&server).build().unwrap();
    let err = client.list_namespaces().send().await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn a_ca_file_makes_the_server_trusted() {
    let server = start_tls_server().await;
    let mut ca_file = tempfile::NamedTempFile::new().unwrap();
    ca_file.write_all(server.ca_pem.as_bytes()).unwrap();
    let client = https(&server).ca_file(ca_file.path()).build().unwrap();
    let namespaces = client.list_namespaces().send().await.unwrap();
    assert!(namespaces.into_inner().is_empty());
}

#[tokio::test]
async fn a_ca_file_that_is_not_pem_is_a_config_error() {
    let mut ca_file = tempfile::NamedTempFile::new().unwrap();
    ca_file.write_all(b"not a certificate").unwrap();
    let err = Client::builder()
        .url("https://localhost:1")
        .ca_file(ca_file.path())
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    let err = Client::builder()
        .url("https://localhost:1")
        .ca_file("/nonexistent/ca.pem")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("/nonexistent/ca.pem"), "{err}");
}

/// Collects what the crate logs.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn ignore_cert_accepts_the_server_and_warns() {
    let server = start_tls_server().await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let client = tracing::subscriber::with_default(subscriber, || {
        https(&server).ignore_cert(true).build().unwrap()
    });
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("WARN"), "{log}");
    assert!(
        log.contains("TLS certificate verification is disabled"),
        "{log}"
    );

    let namespaces = client.list_namespaces().send().await.unwrap();
    assert!(namespaces.into_inner().is_empty());
}

#[tokio::test]
async fn the_bundled_roots_refuse_a_private_ca_and_trust_a_ca_file_beside_them() {
    use opsclient::config::TrustStore;
    let server = start_tls_server().await;
    let client = https(&server)
        .trust_store(TrustStore::Bundled)
        .build()
        .unwrap();
    let err = client.list_namespaces().send().await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let mut ca_file = tempfile::NamedTempFile::new().unwrap();
    ca_file.write_all(server.ca_pem.as_bytes()).unwrap();
    let client = https(&server)
        .trust_store(TrustStore::Bundled)
        .ca_file(ca_file.path())
        .build()
        .unwrap();
    assert!(client
        .list_namespaces()
        .send()
        .await
        .unwrap()
        .into_inner()
        .is_empty());
}
