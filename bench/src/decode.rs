//! The cost of keeping unknown properties: the same list decoded into (d) the types generated with
//! unknown properties dropped, plain `#[derive(Deserialize)]` structs with the same fields; the
//! types that keep them by a generated deserializer (what opsclient ships); and those that keep
//! them by serde's `flatten`. Ratios are to (d).

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::generated::{
    monasca_dropped, monasca_flattened, monasca_kept, sensu_dropped, sensu_flattened, sensu_kept,
    watcher_dropped, watcher_flattened, watcher_kept,
};
use crate::measure::{Report, Way};

/// A fixture of the crate's tests, as JSON.
pub(crate) fn fixture(path: &str) -> Value {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(path);
    serde_json::from_str(&std::fs::read_to_string(&file).expect("the fixture is there"))
        .expect("the fixture is JSON")
}

/// 1,000 entities made from the Sensu docs' examples, each with its own name, as the server
/// sends them: without the process fields sensu/core no longer has (the docs still show them).
/// With `unknown`, every entity and its system facts also carry properties the document lacks.
fn sensu_entities(unknown: bool) -> Vec<u8> {
    let examples = fixture("sensu/entities/001-get-all-entities-response.json");
    let examples = examples.as_array().expect("a list");
    let entities: Vec<Value> = (0..1000)
        .map(|i| {
            let mut entity = examples[i % examples.len()].clone();
            entity["metadata"]["name"] = json!(format!("entity-{i:04}"));
            drop_gone_process_fields(&mut entity);
            if unknown {
                entity["agent_features"] = json!(["tls-pinning", "metrics"]);
                entity["system"]["gpu"] = json!({"vendor": "acme", "count": 2});
            }
            entity
        })
        .collect();
    serde_json::to_vec(&entities).expect("encodes")
}

/// Removes the process fields the docs' examples still show and sensu/core no longer sends
/// (only the name is left).
pub(crate) fn drop_gone_process_fields(entity: &mut Value) {
    if let Some(Value::Array(processes)) = entity.pointer_mut("/system/processes") {
        for process in processes {
            if let Some(process) = process.as_object_mut() {
                process.retain(|key, _| key == "name");
            }
        }
    }
}

/// A Monasca measurement list of 10,000 points in 10 series, made from the spec's example.
pub(crate) fn monasca_measurements() -> Vec<u8> {
    let mut page = fixture("monasca/measurements/001-list-measurements-response.json");
    let series = page["elements"][0].clone();
    let row = series["measurements"][0].clone();
    let elements: Vec<Value> = (0..10)
        .map(|s| {
            let mut series = series.clone();
            series["id"] = json!(format!("series-{s}"));
            series["measurements"] = Value::Array(
                (0..1000)
                    .map(|i| {
                        let mut row = row.clone();
                        row[0] = json!(format!("2026-01-01T00:{:02}:{:02}.000Z", i / 60, i % 60));
                        row[1] = json!(i as f64 * 0.5);
                        row
                    })
                    .collect(),
            );
            series
        })
        .collect();
    page["elements"] = Value::Array(elements);
    serde_json::to_vec(&page).expect("encodes")
}

/// A detailed Watcher audit list of 100 audits, made from the API reference's example.
pub(crate) fn watcher_audits() -> Vec<u8> {
    let audits = fixture("watcher/audits/005-audit-list-detailed-response.json");
    let one = audits["audits"][0].clone();
    let list = json!({"audits": (0..100).map(|i| {
        let mut a = one.clone();
        a["uuid"] = json!(format!("00000000-0000-4000-8000-{i:012}"));
        a
    }).collect::<Vec<_>>()});
    serde_json::to_vec(&list).expect("encodes")
}

/// The name of way (d), the baseline of every decoding scenario.
pub(crate) const PLAIN: &str = "(d) plain derive, unknown dropped";

fn decode<T: DeserializeOwned>(body: &[u8]) -> usize {
    let value: T = serde_json::from_slice(body).expect("the payload decodes");
    std::mem::size_of_val(&value)
}

pub fn run(report: &mut Report, rounds: usize) {
    for (scenario, unknown) in [
        ("decode 1,000 Sensu entities", false),
        (
            "decode 1,000 Sensu entities with 2 unknown properties each",
            true,
        ),
    ] {
        sensu(report, rounds, scenario, &sensu_entities(unknown));
    }
    sensu(
        report,
        rounds,
        "decode the 1,000 Sensu entities of the HTTP scenarios",
        &crate::http::entity_list(1000),
    );
    sensu(
        report,
        rounds,
        "decode 1,000 Sensu entities with the docs' 8 gone process fields, 16 unknown properties each",
        &crate::http::docs_entity_list(1000),
    );
    monasca(report, rounds);
    watcher(report, rounds);
}

fn sensu(report: &mut Report, rounds: usize, scenario: &str, entities: &[u8]) {
    report.scenario(
        scenario,
        rounds,
        5,
        &mut [
            Way {
                name: PLAIN,
                work: Box::new(|| decode::<Vec<sensu_dropped::types::Entity>>(entities)),
            },
            Way {
                name: "kept (generated deserializer)",
                work: Box::new(|| decode::<Vec<sensu_kept::types::Entity>>(entities)),
            },
            Way {
                name: "kept (serde flatten)",
                work: Box::new(|| decode::<Vec<sensu_flattened::types::Entity>>(entities)),
            },
        ],
    );
}

fn monasca(report: &mut Report, rounds: usize) {
    let measurements = monasca_measurements();
    report.scenario(
        "decode a Monasca list of 10,000 measurements",
        rounds,
        5,
        &mut [
            Way {
                name: PLAIN,
                work: Box::new(|| {
                    decode::<monasca_dropped::types::MeasurementCollection>(&measurements)
                }),
            },
            Way {
                name: "kept (generated deserializer)",
                work: Box::new(|| {
                    decode::<monasca_kept::types::MeasurementCollection>(&measurements)
                }),
            },
            Way {
                name: "kept (serde flatten)",
                work: Box::new(|| {
                    decode::<monasca_flattened::types::MeasurementCollection>(&measurements)
                }),
            },
        ],
    );
}

fn watcher(report: &mut Report, rounds: usize) {
    let audits = watcher_audits();
    report.scenario(
        "decode a Watcher list of 100 audits with details",
        rounds,
        5,
        &mut [
            Way {
                name: PLAIN,
                work: Box::new(|| decode::<watcher_dropped::types::AuditDetailCollection>(&audits)),
            },
            Way {
                name: "kept (generated deserializer)",
                work: Box::new(|| decode::<watcher_kept::types::AuditDetailCollection>(&audits)),
            },
            Way {
                name: "kept (serde flatten)",
                work: Box::new(|| {
                    decode::<watcher_flattened::types::AuditDetailCollection>(&audits)
                }),
            },
        ],
    );
}
