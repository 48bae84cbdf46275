//! Every Keystone example payload (`../shared/fixtures/keystone/`) round-trips through the
//! generated type of its operation.

#![cfg(feature = "openstack")]

mod common {
    pub mod fixtures;
}

use common::fixtures::Fixtures;
use opsclient::openstack::keystone::{operations, types};

schemas! {
    "AuthRequest" => types::AuthRequest,
    "AuthTokenResponse" => types::AuthTokenResponse,
    "AuthReceiptResponse" => types::AuthReceiptResponse,
    "CatalogResponse" => types::CatalogResponse,
    "AuthProjectsResponse" => types::AuthProjectsResponse,
    "AuthDomainsResponse" => types::AuthDomainsResponse,
    "AuthSystemResponse" => types::AuthSystemResponse,
    "VersionResponse" => types::VersionResponse,
}

#[test]
fn every_keystone_example_round_trips_through_its_generated_type() {
    Fixtures {
        api: "keystone",
        operations: operations(),
        roundtrip,
        properties,
        wrong_in_docs: &[],
        // A multi-factor login that needs another method answers 401 with a receipt.
        error_bodies: &[("issueToken", 401, "AuthReceiptResponse")],
    }
    .assert_all_round_trip(42);
}
