//! Tessen, cluster membership and the public health, readiness, version and metrics endpoints.
//!
//! The sandbox is a one-member cluster; membership changes are kept so clients can read them
//! back, but nothing joins.

use axum::http::StatusCode;
use serde_json::{json as value, Value};

use super::call::Call;
use super::replies::{json, text_error, untyped, Failure, Outcome};
use super::resources::{body_json, normalize, with_etag};
use super::store::{etag_of, random_member_id, unix_now, Store};
use opsclient::sensu::types;

/// What `/version` reports.
pub(super) const SENSU_VERSION: &str = "6.14.0";

pub(super) fn handle(store: &mut Store, call: &Call) -> Outcome {
    let outcome = answer(store, call);
    if call.op.tag == "cluster" {
        // The cluster router writes its errors with http.Error.
        return Ok(outcome.unwrap_or_else(|failure| failure.into_text_response()));
    }
    outcome
}

fn answer(store: &mut Store, call: &Call) -> Outcome {
    match call.op.id {
        "getTessenConfig" | "updateTessenConfig" => {
            if call.op.id == "updateTessenConfig" {
                let body = body_json(call).map_err(|f| Failure::internal(f.message))?;
                store.tessen = normalize::<types::TessenConfig>(body).map_err(Failure::internal)?;
            }
            Ok(with_etag(
                json(StatusCode::OK, &store.tessen),
                &etag_of(&store.tessen),
            ))
        }
        "postTessenMetrics" => {
            let points =
                normalize::<Vec<types::MetricPoint>>(body_json(call)?).map_err(Failure::invalid)?;
            Ok(json(StatusCode::OK, &points))
        }
        "getClusterId" => Ok(untyped(
            StatusCode::OK,
            format!("\"{}\"\n", store.cluster_id),
        )),
        "listClusterMembers" => Ok(members(store, StatusCode::OK, None)),
        "addClusterMember" => {
            let peers = peer_addrs(call)?;
            let member = value!({"ID": random_member_id(), "peerURLs": peers});
            store.cluster_members.push(member.clone());
            Ok(members(store, StatusCode::OK, Some(member)))
        }
        "updateClusterMember" => {
            let peers = peer_addrs(call)?;
            let member = find_member(store, call)?;
            store.cluster_members[member]["peerURLs"] = value!(peers);
            Ok(members(store, StatusCode::OK, None))
        }
        "removeClusterMember" => {
            let member = find_member(store, call)?;
            store.cluster_members.remove(member);
            Ok(members(store, StatusCode::OK, None))
        }
        "getHealth" => {
            if call
                .query("timeout")
                .is_some_and(|t| t.parse::<u64>().is_err())
            {
                return Ok(text_error(StatusCode::BAD_REQUEST, "invalid timeout"));
            }
            let health: Vec<Value> = store
                .cluster_members
                .iter()
                .map(|m| {
                    let id = m["ID"].as_u64().unwrap_or_default();
                    value!({"MemberID": id, "MemberIDHex": format!("{id:x}"), "Name": m["name"], "Err": "", "Healthy": true})
                })
                .collect();
            let body = value!({"Alarms": null, "ClusterHealth": health, "Header": header(store)});
            Ok(untyped(StatusCode::OK, format!("{body}\n")))
        }
        "getReadiness" => Ok(text(StatusCode::OK, "ready\n", "text/plain; charset=utf-8")),
        "getVersion" => {
            let body = value!({
                "etcd": {"etcdserver": "3.5.15", "etcdcluster": "3.5.0"},
                "sensu_backend": SENSU_VERSION,
                "api_groups": {"core/v2": "v2.20.0", "core/v3": "v3.9.0"},
            });
            Ok(untyped(StatusCode::OK, format!("{body}\n")))
        }
        "getMetrics" => {
            let metrics = format!(
                "# HELP sensu_sandbox_resources Resources stored by the sandbox.\n\
                 # TYPE sensu_sandbox_resources gauge\nsensu_sandbox_resources {}\n",
                store.resource_count()
            );
            Ok(text(
                StatusCode::OK,
                &metrics,
                "text/plain; version=0.0.4; charset=utf-8",
            ))
        }
        other => Err(Failure::internal(format!("no handler for {other}"))),
    }
}

fn text(status: StatusCode, body: &str, content_type: &'static str) -> axum::response::Response {
    let mut response = untyped(status, body.to_string());
    response.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static(content_type),
    );
    response
}

fn header(store: &Store) -> Value {
    let member_id = store
        .cluster_members
        .first()
        .map(|m| m["ID"].clone())
        .unwrap_or(Value::Null);
    value!({"cluster_id": store.cluster_numeric_id, "member_id": member_id, "revision": unix_now(), "raft_term": 2})
}

fn members(store: &Store, status: StatusCode, added: Option<Value>) -> axum::response::Response {
    let mut body = value!({"header": header(store), "members": store.cluster_members});
    if let Some(member) = added {
        body["member"] = member;
    }
    untyped(status, format!("{body}\n"))
}

/// `peer-addrs`: a comma-separated list of URLs.
fn peer_addrs(call: &Call) -> Outcome<Vec<String>> {
    let addrs: Vec<String> = call
        .query("peer-addrs")
        .unwrap_or_default()
        .split(',')
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .collect();
    if addrs.is_empty() {
        return Err(Failure::invalid("missing peer-addrs form value"));
    }
    Ok(addrs)
}

fn find_member(store: &Store, call: &Call) -> Outcome<usize> {
    let hex = call.param("member");
    let id = u64::from_str_radix(hex, 16)
        .map_err(|e| Failure::invalid(format!("bad id ({hex}): {e}")))?;
    store
        .cluster_members
        .iter()
        .position(|m| m["ID"].as_u64() == Some(id))
        .ok_or_else(Failure::not_found)
}
