//! Every Watcher example payload (`tests/fixtures/watcher/`) decodes into the generated
//! type of its operation, encodes back to the same JSON and declares every property.

#![cfg(feature = "watcher")]

use crate::fixture_checks::{Fixtures, WrongInDocs};
use serde_json::Value;

/// Numeric fields of a data model entry: integers and floats in the server's model elements.
const DATA_MODEL_NUMBERS: &[&str] = &[
    "node_memory",
    "node_memory_mb_reserved",
    "node_disk",
    "node_disk_gb_reserved",
    "node_vcpus",
    "node_vcpu_reserved",
    "node_memory_ratio",
    "node_vcpu_ratio",
    "node_disk_ratio",
    "server_memory",
    "server_disk",
    "server_vcpus",
];

/// Turns the quoted numbers of every data model entry into JSON numbers.
fn unquote_data_model_numbers(value: &mut Value) {
    for entry in value["context"].as_array_mut().into_iter().flatten() {
        for field in DATA_MODEL_NUMBERS {
            if let Some(Value::String(text)) = entry.get(*field) {
                let number: serde_json::Number = text.parse().expect("a quoted number");
                entry[*field] = Value::Number(number);
            }
        }
    }
}

const WRONG_IN_DOCS: &[WrongInDocs] = &[WrongInDocs {
    file: "data_model/001-datamodel-list-response.json",
    why: "the sizes, counts and ratios are quoted, but the server sends numbers: \
          watcher/api/controllers/v1/data_model.py returns the decision engine's \
          ModelRoot.to_list() as is, whose node_*/server_* values come from \
          NonNegativeIntegerField and NonNegativeFloatField \
          (watcher/decision_engine/model/element/node.py, instance.py); \
          the api-ref's own parameters.yaml also types them integer and float",
    correct: unquote_data_model_numbers,
}];

#[test]
fn every_watcher_example_round_trips_through_its_generated_type() {
    Fixtures {
        api: crate::support::apis::watcher(),
        wrong_in_docs: WRONG_IN_DOCS,
        error_bodies: &[],
    }
    .assert_all_lossless(49);
}
