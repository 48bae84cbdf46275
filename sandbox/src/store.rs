//! The sandbox's memory: resources by kind, namespace and name, users' credentials, sessions.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

use super::sessions::Sessions;

/// Namespace and name; cluster-wide kinds use an empty namespace.
pub(super) type Key = (String, String);

/// One stored resource and its entity tag.
#[derive(Debug, Clone)]
pub(super) struct Record {
    pub(super) value: Value,
    pub(super) etag: String,
}

impl Record {
    pub(super) fn new(value: Value) -> Self {
        let etag = etag_of(&value);
        Record { value, etag }
    }
}

/// A hash of the stored JSON in the server's form: quoted lowercase hex without padding. The
/// real value is a hash of the Go struct and cannot be matched; clients must treat it as opaque.
pub(super) fn etag_of(value: &Value) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    value.to_string().hash(&mut hasher);
    format!("\"{:x}\"", hasher.finish())
}

/// How a user's password is known.
#[derive(Clone)]
pub(super) enum Password {
    Plain(String),
    Bcrypt(String),
}

impl Password {
    pub(super) fn matches(&self, candidate: &str) -> bool {
        match self {
            Password::Plain(password) => password == candidate,
            Password::Bcrypt(hash) => bcrypt::verify(candidate, hash).unwrap_or(false),
        }
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password([redacted])")
    }
}

#[derive(Debug)]
pub(super) struct Store {
    kinds: BTreeMap<&'static str, BTreeMap<Key, Record>>,
    pub(super) passwords: BTreeMap<String, Password>,
    pub(super) sessions: Sessions,
    pub(super) tessen: Value,
    pub(super) cluster_id: uuid::Uuid,
    pub(super) cluster_numeric_id: u64,
    pub(super) cluster_members: Vec<Value>,
}

impl Store {
    /// A fresh backend, seeded as `sensu-backend init` seeds one: namespace `default` (with the
    /// `system:pipeline` role and binding every namespace gets), the given users as cluster
    /// administrators, the `agent` user, and the `cluster-admin` role and binding.
    pub(super) fn new(users: &[(String, String)]) -> Self {
        let mut store = Store {
            kinds: BTreeMap::new(),
            passwords: BTreeMap::new(),
            sessions: Sessions::default(),
            tessen: serde_json::json!({"opt_out": false}),
            cluster_id: uuid::Uuid::new_v4(),
            cluster_numeric_id: random_member_id(),
            cluster_members: vec![serde_json::json!({
                "ID": random_member_id(),
                "name": "default",
                "peerURLs": ["http://127.0.0.1:2380"],
                "clientURLs": ["http://127.0.0.1:2379"],
            })],
        };
        store.add_namespace(serde_json::json!({"name": "default"}));
        let add_user = |store: &mut Store, username: &str, password: &str, group: &str| {
            let user =
                serde_json::json!({"username": username, "groups": [group], "disabled": false});
            store.put("users", key("", username), user);
            store
                .passwords
                .insert(username.to_string(), Password::Plain(password.to_string()));
        };
        for (username, password) in users {
            add_user(&mut store, username, password, "cluster-admins");
        }
        if !store.contains("users", &key("", "agent")) {
            add_user(&mut store, "agent", "P@ssw0rd!", "system:agents");
        }
        let cluster_admin = serde_json::json!({
            "metadata": {"name": "cluster-admin", "created_by": "admin"},
            "rules": [{"verbs": ["*"], "resources": ["*"], "resource_names": null}],
        });
        store.put("clusterroles", key("", "cluster-admin"), cluster_admin);
        let binding = serde_json::json!({
            "metadata": {"name": "cluster-admin", "created_by": "admin"},
            "role_ref": {"type": "ClusterRole", "name": "cluster-admin"},
            "subjects": [{"type": "Group", "name": "cluster-admins"}],
        });
        store.put("clusterrolebindings", key("", "cluster-admin"), binding);
        store
    }

    /// Stores a namespace (its body, as decoded) with the `system:pipeline` role and binding
    /// the server adds to each.
    pub(super) fn add_namespace(&mut self, namespace: Value) {
        let name = namespace["name"].as_str().unwrap_or_default().to_string();
        let name = name.as_str();
        self.put("namespaces", key("", name), namespace);
        let metadata = serde_json::json!({"name": "system:pipeline", "namespace": name});
        let role = serde_json::json!({
            "metadata": metadata,
            "rules": [{"verbs": ["get", "list"], "resources": ["events"], "resource_names": null}],
        });
        self.put("roles", key(name, "system:pipeline"), role);
        let binding = serde_json::json!({
            "metadata": metadata,
            "role_ref": {"type": "Role", "name": "system:pipeline"},
            "subjects": [{"type": "Group", "name": "system:pipeline"}],
        });
        self.put("rolebindings", key(name, "system:pipeline"), binding);
    }

    /// Removes a namespace and its `system:pipeline` role and binding.
    pub(super) fn remove_namespace(&mut self, name: &str) {
        self.remove("namespaces", &key("", name));
        self.remove("roles", &key(name, "system:pipeline"));
        self.remove("rolebindings", &key(name, "system:pipeline"));
    }

    pub(super) fn get(&self, kind: &str, key: &Key) -> Option<&Record> {
        self.kinds.get(kind)?.get(key)
    }

    pub(super) fn contains(&self, kind: &str, key: &Key) -> bool {
        self.get(kind, key).is_some()
    }

    /// Stores `value` under `key`, replacing what was there.
    pub(super) fn put(&mut self, kind: &'static str, key: Key, value: Value) -> &Record {
        let records = self.kinds.entry(kind).or_default();
        records.insert(key.clone(), Record::new(value));
        &records[&key]
    }

    pub(super) fn remove(&mut self, kind: &str, key: &Key) -> Option<Record> {
        self.kinds.get_mut(kind)?.remove(key)
    }

    /// Records of a kind in key order, in one namespace or in all (`None`).
    pub(super) fn list<'a>(
        &'a self,
        kind: &str,
        namespace: Option<&'a str>,
    ) -> impl Iterator<Item = (&'a Key, &'a Record)> + 'a {
        self.kinds
            .get(kind)
            .into_iter()
            .flat_map(|records| records.iter())
            .filter(move |(key, _)| namespace.is_none_or(|ns| key.0 == ns))
    }

    /// How many resources are stored, namespaces and users included.
    pub(super) fn resource_count(&self) -> usize {
        self.kinds.values().map(|records| records.len()).sum()
    }

    pub(super) fn namespace_exists(&self, namespace: &str) -> bool {
        self.contains("namespaces", &key("", namespace))
    }

    /// Whether `namespace` holds none of the kinds the server counts: checks, entities,
    /// assets, handlers, mutators, filters, hooks and silences. Events, roles, bindings and
    /// pipelines do not count.
    pub(super) fn namespace_is_empty(&self, namespace: &str) -> bool {
        const COUNTED: [&str; 8] = [
            "checks", "entities", "assets", "handlers", "mutators", "filters", "hooks", "silenced",
        ];
        COUNTED
            .iter()
            .filter_map(|kind| self.kinds.get(kind))
            .all(|records| records.keys().all(|(ns, _)| ns != namespace))
    }
}

pub(super) fn key(namespace: &str, name: &str) -> Key {
    (namespace.to_string(), name.to_string())
}

/// Seconds since the Unix epoch.
pub(super) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// An etcd member id: 64 bits, and often above `i64::MAX`.
pub(super) fn random_member_id() -> u64 {
    let (high, low) = uuid::Uuid::new_v4().as_u64_pair();
    (high ^ low) | (1 << 63)
}
