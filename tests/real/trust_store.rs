//! The trust store against the machine's: `cargo xtask servers up`, run as root, puts the test
//! CA into the system store (`update-ca-certificates`). A client with the platform verifier
//! (the default) and no CA file then trusts Apache's TLS; one with only the bundled Mozilla
//! roots refuses it in the handshake, until the CA file is given beside them.

#![cfg(all(feature = "watcher", feature = "monasca"))]

use opsclient::config::TrustStore;
use opsclient::openstack::CloudBuilder;
use opsclient::Error;

use crate::federation::tokenless_without_ca_file;
use crate::servers::Real;
use crate::support::settings;

/// The projects Keystone lists for the tokenless login of `builder`: the certificate's user
/// has the project `service` only.
async fn projects(builder: CloudBuilder) -> opsclient::Result<Vec<String>> {
    let cloud = builder.authenticate().await?;
    let keystone = cloud.keystone().expect("Keystone's client");
    let projects = keystone.list_auth_projects().send().await?;
    Ok(projects.projects.iter().map(|p| p.id.clone()).collect())
}

fn tokenless(real: &Real) -> CloudBuilder {
    tokenless_without_ca_file(
        real,
        "OPSCLIENT_TLS_CLIENT_CERT",
        "OPSCLIENT_TLS_CLIENT_KEY",
    )
}

#[tokio::test]
async fn the_platform_verifier_trusts_a_ca_of_the_system_store() {
    let test = "the_platform_verifier_trusts_a_ca_of_the_system_store";
    let Some(real) = Real::get(test) else {
        return;
    };
    // `up` puts the CA there only as root; the full run must have it.
    if real.lookup()("OPSCLIENT_SYSTEM_CA").is_none() {
        assert!(
            !settings::required(),
            "{test}: the test CA is not in the system trust store (run `cargo xtask servers up` as root)"
        );
        eprintln!("{test}: skipped, the test CA is not in the system trust store");
        return;
    }
    let service = real.var("OPSCLIENT_TOKENLESS_PROJECT_ID");

    // No CA file: the machine's store vouches for the server, by default and when asked for.
    assert_eq!(
        projects(tokenless(&real)).await.unwrap(),
        vec![service.clone()]
    );
    let platform = tokenless(&real).trust_store(TrustStore::Platform);
    assert_eq!(projects(platform).await.unwrap(), vec![service.clone()]);

    // The bundled roots do not know the test CA: refused in the handshake.
    let bundled = tokenless(&real).trust_store(TrustStore::Bundled);
    let error = projects(bundled).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    let mut text = String::new();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(&format!("{cause} "));
        source = cause.source();
    }
    assert!(text.contains("UnknownIssuer"), "{text}");

    // The CA file is trusted beside the bundled roots.
    let with_file = tokenless(&real)
        .trust_store(TrustStore::Bundled)
        .ca_file(real.var("OPSCLIENT_TLS_CA"));
    assert_eq!(projects(with_file).await.unwrap(), [service]);
}
