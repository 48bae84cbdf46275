//! Every example payload from the Sensu docs (`tests/fixtures/sensu/`) deserializes into the
//! generated type of its operation and serializes back without losing a field.

use crate::fixture_checks::{Fixtures, WrongInDocs};
use serde_json::Value;

const WRONG_IN_DOCS: &[WrongInDocs] = &[
    WrongInDocs {
        file: "assets/003-get-specific-dynamic-runtime-asset-response.json",
        why: "shows GET of one asset as an array; backend/apid/handlers/get.go answers the object",
        correct: |v| *v = v[0].take(),
    },
    WrongInDocs {
        file: "assets/004-get-specific-dynamic-runtime-asset-response-spec-table.json",
        why: "same array-for-object mistake in the API Specification table",
        correct: |v| *v = v[0].take(),
    },
    WrongInDocs {
        file: "checks/001-get-all-checks-response.json",
        why: "gives output_metric_handlers as a string; sensu/core CheckConfig has []string",
        correct: |v| {
            for check in v.as_array_mut().unwrap() {
                if let Some(Value::String(handler)) = check.get("output_metric_handlers") {
                    check["output_metric_handlers"] = Value::Array(vec![Value::String(handler.clone())]);
                }
            }
        },
    },
    WrongInDocs {
        file: "checks/006-create-ad-hoc-check-execution-request.json",
        why: "sends \"check\"; sensu/core AdhocRequest has no such field (the check comes from the URL)",
        correct: |v| {
            v.as_object_mut().unwrap().remove("check");
        },
    },
    WrongInDocs {
        file: "entities/001-get-all-entities-response.json",
        why: "shows process fields that sensu/core dropped in 97d6903 (2020); Process has only name",
        correct: |v| v.as_array_mut().unwrap().iter_mut().for_each(keep_process_names),
    },
    WrongInDocs {
        file: "entities/003-get-specific-entity-response.json",
        why: "same dropped process fields",
        correct: keep_process_names,
    },
];

fn keep_process_names(entity: &mut Value) {
    if let Some(Value::Array(processes)) = entity.pointer_mut("/system/processes") {
        for process in processes {
            process
                .as_object_mut()
                .unwrap()
                .retain(|key, _| key == "name");
        }
    }
}

#[test]
fn every_sensu_example_round_trips_through_its_generated_type() {
    Fixtures {
        api: crate::support::apis::sensu(),
        wrong_in_docs: WRONG_IN_DOCS,
        error_bodies: &[],
    }
    .assert_all_lossless(129);
}
