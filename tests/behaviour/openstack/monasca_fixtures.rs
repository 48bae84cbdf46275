//! Every Monasca example payload (`tests/fixtures/monasca/`) decodes into the generated
//! type of its operation, encodes back to the same JSON and declares every property.

#![cfg(feature = "monasca")]

use crate::fixture_checks::{Fixtures, WrongInDocs};
use serde_json::Value;

/// Alarm definitions as the retired Java implementation sent them.
const JAVA_ALARM_DEFINITION: &str = "expression_data is the retired Java API's, and \
     actions_enabled is always there: the Python server's \
     monasca_api/v2/reference/alarm_definitions.py (11.0.0) builds every alarm definition answer \
     from the stored row, with actions_enabled (true on create) and without expression_data, \
     as the running server shows";

/// Makes an alarm definition (or a list of them) what the Python server sends.
fn as_python_server_sends(value: &mut Value) {
    if let Some(elements) = value.get_mut("elements").and_then(Value::as_array_mut) {
        elements.iter_mut().for_each(as_python_server_sends);
        return;
    }
    let definition = value.as_object_mut().expect("an alarm definition");
    definition.remove("expression_data");
    definition
        .entry("actions_enabled")
        .or_insert(Value::Bool(true));
}

const WRONG_IN_DOCS: &[WrongInDocs] = &[
    WrongInDocs {
        file: "metrics/004-list-metrics-response.json",
        why: "metric ids are numbers in the doc, but the InfluxDB repository \
              (monasca_api/common/repositories/influxdb/metrics_repository.py, list_metrics) \
              sends the position as text, as the running server shows",
        correct: |value| {
            for element in value["elements"].as_array_mut().into_iter().flatten() {
                element["id"] = Value::String(element["id"].to_string());
            }
        },
    },
    WrongInDocs {
        file: "alarm-definitions/003-create-alarm-definition-response.json",
        why: JAVA_ALARM_DEFINITION,
        correct: as_python_server_sends,
    },
    WrongInDocs {
        file: "alarm-definitions/004-list-alarm-definitions-response.json",
        why: JAVA_ALARM_DEFINITION,
        correct: as_python_server_sends,
    },
    WrongInDocs {
        file: "alarm-definitions/005-get-alarm-definition-response.json",
        why: JAVA_ALARM_DEFINITION,
        correct: as_python_server_sends,
    },
    WrongInDocs {
        file: "alarm-definitions/008-patch-alarm-definition-response.json",
        why: JAVA_ALARM_DEFINITION,
        correct: as_python_server_sends,
    },
    WrongInDocs {
        file: "alarms/004-update-alarm-response.json",
        why: "the update answer is the alarm as GET shows it: monasca_api/v2/reference/alarms.py \
              on_put returns _alarm_show, which nests the definition as alarm_definition \
              {id, name, severity, links} instead of a flat alarm_definition_id",
        correct: |value| {
            let object = value.as_object_mut().expect("an alarm");
            let id = object
                .remove("alarm_definition_id")
                .expect("the documented field");
            object.insert("alarm_definition".into(), serde_json::json!({ "id": id }));
        },
    },
];

#[test]
fn every_monasca_example_round_trips_through_its_generated_type() {
    Fixtures {
        api: crate::support::apis::monasca(),
        wrong_in_docs: WRONG_IN_DOCS,
        error_bodies: &[],
    }
    .assert_all_lossless(35);
}
