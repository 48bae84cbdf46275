//! Routes every operation of the Sensu document to its handler, authenticating first, counts
//! calls per operation and keeps the latest requests in the order they came.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::{RawPathParams, RawQuery, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;

use super::auth::{self, Lifetimes};
use super::call::Call;
use super::replies::Outcome;
use super::selectors::Selection;
use super::store::Store;
use super::{
    apikeys, checks, declared, entities, events, namespaces, resources, silenced, system, users,
    Calls, Request,
};
use opsclient::operation::{Auth, Operation};

/// State shared by all requests.
#[derive(Debug)]
pub(super) struct Shared {
    store: Mutex<Store>,
    pub(super) lifetimes: Lifetimes,
    /// Whether bodies keep the properties the document does not declare (a newer server).
    keeps_undeclared: bool,
    calls: Mutex<BTreeMap<&'static str, Calls>>,
    history: Mutex<VecDeque<Request>>,
}

/// How many requests the history keeps; older ones are forgotten.
const HISTORY_LIMIT: usize = 10_000;

impl Shared {
    pub(super) fn new(store: Store, lifetimes: Lifetimes, keeps_undeclared: bool) -> Self {
        Shared {
            store: Mutex::new(store),
            lifetimes,
            keeps_undeclared,
            calls: Mutex::new(BTreeMap::new()),
            history: Mutex::new(VecDeque::new()),
        }
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(super) fn calls(&self) -> BTreeMap<&'static str, Calls> {
        self.calls
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    pub(super) fn history(&self) -> Vec<Request> {
        self.history
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .iter()
            .cloned()
            .collect()
    }

    fn record(&self, op: &'static Operation, path: &str, status: u16) {
        let mut calls = self.calls.lock().unwrap_or_else(|p| p.into_inner());
        let entry = calls.entry(op.id).or_default();
        entry.total += 1;
        if op.success.contains(&status) {
            entry.succeeded += 1;
        }
        drop(calls);
        let mut history = self.history.lock().unwrap_or_else(|p| p.into_inner());
        if history.len() == HISTORY_LIMIT {
            history.pop_front();
        }
        history.push_back(Request {
            operation: op.id,
            method: op.method,
            path: path.to_string(),
            status,
        });
    }
}

/// Every operation of the document, and 404 for anything else.
pub(super) fn router(shared: Arc<Shared>) -> Router {
    let mut routes: BTreeMap<&'static str, MethodRouter<Arc<Shared>>> = BTreeMap::new();
    for op in opsclient::sensu::operations() {
        let filter = match op.method {
            "GET" => MethodFilter::GET,
            "POST" => MethodFilter::POST,
            "PUT" => MethodFilter::PUT,
            "PATCH" => MethodFilter::PATCH,
            "DELETE" => MethodFilter::DELETE,
            other => unreachable!("the Sensu document has no {other} operation"),
        };
        let handler = move |State(shared): State<Arc<Shared>>,
                            params: RawPathParams,
                            RawQuery(query): RawQuery,
                            uri: Uri,
                            method: Method,
                            headers: HeaderMap,
                            body: Bytes| async move {
            let params = params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let query = query
                .map(|q| {
                    url::form_urlencoded::parse(q.as_bytes())
                        .into_owned()
                        .collect()
                })
                .unwrap_or_default();
            let body = body_as_the_server_reads_it(&method, &headers, body);
            let call = Call {
                op,
                params,
                query,
                headers,
                body,
                user: String::new(),
                selection: Selection::default(),
            };
            let response =
                declared::keeping_undeclared(shared.keeps_undeclared, || dispatch(&shared, call));
            shared.record(op, uri.path(), response.status().as_u16());
            response
        };
        let route = routes.remove(op.path).unwrap_or_default();
        routes.insert(op.path, route.merge(on(filter, handler)));
    }
    routes
        .into_iter()
        .fold(Router::new(), |router, (path, route)| {
            router.route(path, route)
        })
        .fallback(|| async { super::replies::unknown_route() })
        .with_state(shared)
}

/// The real server's request-limit middleware parses a body without a Content-Type as a form,
/// so the handler reads nothing.
fn body_as_the_server_reads_it(method: &Method, headers: &HeaderMap, body: Bytes) -> Bytes {
    let has_body = matches!(*method, Method::POST | Method::PUT | Method::PATCH);
    if has_body && !headers.contains_key(axum::http::header::CONTENT_TYPE) {
        Bytes::new()
    } else {
        body
    }
}

/// The server's `api-request-limit` default.
const REQUEST_LIMIT: usize = 512_000;

fn dispatch(shared: &Shared, mut call: Call) -> Response {
    if call.body.len() > REQUEST_LIMIT {
        return super::replies::Failure::invalid("http: request body too large").into_response();
    }
    let mut store = shared.store();
    let lifetimes = shared.lifetimes;
    match call.op.id {
        "authLogin" => return auth::login(&mut store, &call.headers, lifetimes),
        "authTest" => return auth::test(&store, &call.headers),
        "authRefreshToken" => {
            return auth::refresh(&mut store, &call.headers, &call.body, lifetimes)
        }
        "authLogout" => return auth::logout(&mut store, &call.headers, &call.body),
        _ => {}
    }
    if call.op.auth == Auth::Token {
        match auth::authenticate(&store, &call.headers) {
            Ok(user) => call.user = user,
            Err(refusal) => return refusal.into_response(),
        }
    }
    if call.op.method == "GET" {
        match Selection::of(&call.query) {
            Ok(selection) => call.selection = selection,
            Err(failure) => return failure.into_response(),
        }
    }
    let outcome: Outcome = match (call.op.tag, call.op.id) {
        ("events", _) => events::handle(&mut store, &call),
        ("entities", _) => entities::handle(&mut store, &call),
        ("silenced", _) => silenced::handle(&mut store, &call),
        ("users", _) => users::handle(&mut store, &call),
        ("apikeys", _) => apikeys::handle(&mut store, &call),
        ("namespaces", _) => namespaces::handle(&mut store, &call),
        ("tessen" | "cluster" | "system", _) => system::handle(&mut store, &call),
        (_, "executeCheck" | "addCheckHook" | "removeCheckHook") => {
            checks::handle(&mut store, &call)
        }
        _ => resources::handle(&mut store, &call),
    };
    outcome.unwrap_or_else(|failure| failure.into_response())
}
