//! Every Keystone example payload (`tests/fixtures/keystone/`) decodes into the generated
//! type of its operation, encodes back to the same JSON and declares every property.

#![cfg(feature = "openstack")]

use crate::fixture_checks::Fixtures;

#[test]
fn every_keystone_example_round_trips_through_its_generated_type() {
    Fixtures {
        api: crate::support::apis::keystone(),
        wrong_in_docs: &[],
        // A multi-factor login that needs another method answers 401 with a receipt.
        error_bodies: &[("issueToken", 401, "AuthReceiptResponse")],
    }
    .assert_all_lossless(42);
}
