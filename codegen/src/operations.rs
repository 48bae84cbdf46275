//! What the transport needs to know about each operation, read from the document and emitted as
//! a static table beside progenitor's code.

use crate::{PageSource, Paging};
use openapiv3::{
    OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema, SchemaKind, SecurityScheme,
    StatusCode, Type,
};

/// How an operation authenticates, from its `security` (or the document's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// `security: []`: sent as is.
    None,
    /// HTTP Basic only: the login endpoint.
    Basic,
    /// A session token or API key.
    Token,
}

/// One operation, as the transport and the tests see it.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId`.
    pub id: String,
    /// The generated method's name (progenitor's snake_case of the id).
    pub method_name: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template.
    pub path: String,
    /// First tag.
    pub tag: String,
    /// Declared 2xx status codes; `2XX` is written as 200..=299.
    pub success: Vec<u16>,
    /// Media type of the request body as the document declares it.
    pub body_media_type: Option<String>,
    /// Component schema of the request body, or, for a merge patch, of the resource it patches.
    pub body_schema: Option<String>,
    /// Component schema of the success body; `[Name]` for an array of `Name`; `string` or the
    /// format (e.g. `uuid`) for a bare string.
    pub response_schema: Option<String>,
    /// How the operation authenticates.
    pub auth: Auth,
    /// Query parameter names, as in the document.
    pub query: Vec<String>,
    /// For a list operation, where its items are.
    pub list: Option<ListShape>,
    /// The API version the operation needs (`x-openstack-min-version`).
    pub min_version: Option<String>,
    /// Request body fields that need an API version: (field, version).
    pub gated_fields: Vec<(String, String)>,
    /// Whether the document marks the operation `x-idempotent: true`: sending it twice has
    /// the effect of sending it once, so it may be retried whatever its method.
    pub idempotent: bool,
}

/// Where a list operation's items are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListShape {
    /// Component schema of one item.
    pub item: String,
    /// The envelope property holding the items; `None` when the body is the array.
    pub items_field: Option<String>,
    /// The envelope property linking to the next page.
    pub next_field: Option<String>,
}

const JSON: &str = "application/json";

pub(crate) fn collect(spec: &OpenAPI, paging: Option<&Paging>) -> Result<Vec<Operation>, String> {
    let mut out = Vec::new();
    for (path, item) in spec.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in item.iter() {
            let id = op.operation_id.clone().unwrap_or_default();
            let success = success_codes(op);
            let (body_media_type, body_ref) = match &op.request_body {
                Some(body) => {
                    let body = resolve_body(spec, body)?;
                    match body.content.iter().next() {
                        Some((media, content)) => (
                            Some(media.clone()),
                            content.schema.as_ref().and_then(schema_name),
                        ),
                        None => (None, None),
                    }
                }
                None => (None, None),
            };
            let response_schema = success_schema(spec, op)?;
            let is_patch = body_media_type.as_deref() == Some("application/merge-patch+json");
            let body_schema = if is_patch {
                response_schema.clone()
            } else {
                body_ref
            };
            let mut query = Vec::new();
            for p in item.parameters.iter().chain(op.parameters.iter()) {
                if let Parameter::Query { parameter_data, .. } = resolve_param(spec, p)? {
                    query.push(parameter_data.name.clone());
                }
            }
            let list = match method {
                "get" => list_shape(spec, response_schema.as_deref(), paging)?,
                _ => None,
            };
            // A JSON Patch body (an array) edits fields of the resource the operation returns.
            let gated_schema = match body_schema.as_deref() {
                Some(name) if name.starts_with('[') => response_schema.clone(),
                other => other.map(str::to_string),
            };
            out.push(Operation {
                list,
                min_version: min_version(&op.extensions),
                idempotent: op.extensions.get("x-idempotent")
                    == Some(&serde_json::Value::Bool(true)),
                gated_fields: gated_schema
                    .map(|s| gated_fields(spec, &s))
                    .unwrap_or_default(),
                method_name: crate::rust_ident(&id),
                id,
                method: method.to_uppercase(),
                path: path.clone(),
                tag: op.tags.first().cloned().unwrap_or_default(),
                success,
                body_media_type,
                body_schema,
                response_schema,
                auth: auth_of(spec, op),
                query,
            });
        }
    }
    out.sort_by(|a, b| a.method_name.cmp(&b.method_name));
    Ok(out)
}

/// A GET answering with an array of a component, or, for envelope paging, with an object that
/// holds such an array and the next-page field.
fn list_shape(
    spec: &OpenAPI,
    response: Option<&str>,
    paging: Option<&Paging>,
) -> Result<Option<ListShape>, String> {
    let Some(response) = response else {
        return Ok(None);
    };
    if let Some(item) = response.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        return Ok(Some(ListShape {
            item: item.to_string(),
            items_field: None,
            next_field: None,
        }));
    }
    let Some(Paging {
        source: PageSource::Envelope { items, next, .. },
        ..
    }) = paging
    else {
        return Ok(None);
    };
    let schema = spec
        .components
        .as_ref()
        .and_then(|c| c.schemas.get(response))
        .ok_or_else(|| format!("cannot resolve schema {response}"))?;
    let ReferenceOr::Item(Schema {
        schema_kind: SchemaKind::Type(Type::Object(object)),
        ..
    }) = schema
    else {
        return Ok(None);
    };
    if !object.properties.contains_key(*next) {
        return Ok(None);
    }
    let arrays: Vec<(&String, String)> = object
        .properties
        .iter()
        .filter(|(name, _)| name.as_str() != *next)
        .filter(|(name, _)| items.is_none_or(|wanted| name.as_str() == wanted))
        .filter_map(|(name, property)| {
            let property = match property {
                ReferenceOr::Item(boxed) => ReferenceOr::Item((**boxed).clone()),
                ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                    reference: reference.clone(),
                },
            };
            let item = schema_name(&property)?;
            let item = item.strip_prefix('[')?.strip_suffix(']')?.to_string();
            Some((name, item))
        })
        .collect();
    match arrays.as_slice() {
        [(field, item)] => Ok(Some(ListShape {
            item: item.clone(),
            items_field: Some((*field).clone()),
            next_field: Some(next.to_string()),
        })),
        _ => Ok(None),
    }
}

const MIN_VERSION: &str = "x-openstack-min-version";

fn min_version(extensions: &indexmap::IndexMap<String, serde_json::Value>) -> Option<String> {
    extensions.get(MIN_VERSION).map(|v| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

/// The properties of a component schema that carry a minimum API version.
fn gated_fields(spec: &OpenAPI, schema: &str) -> Vec<(String, String)> {
    let Some(ReferenceOr::Item(Schema {
        schema_kind: SchemaKind::Type(Type::Object(object)),
        ..
    })) = spec.components.as_ref().and_then(|c| c.schemas.get(schema))
    else {
        return Vec::new();
    };
    object
        .properties
        .iter()
        .filter_map(|(name, property)| match property {
            ReferenceOr::Item(property) => {
                min_version(&property.schema_data.extensions).map(|v| (name.clone(), v))
            }
            ReferenceOr::Reference { .. } => None,
        })
        .collect()
}

fn success_codes(op: &openapiv3::Operation) -> Vec<u16> {
    let mut codes: Vec<u16> = op
        .responses
        .responses
        .keys()
        .flat_map(|code| match code {
            StatusCode::Code(c) if (200..300).contains(c) => vec![*c],
            StatusCode::Range(2) => (200..300).collect(),
            _ => vec![],
        })
        .collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

fn success_schema(spec: &OpenAPI, op: &openapiv3::Operation) -> Result<Option<String>, String> {
    for (code, response) in &op.responses.responses {
        let is_success = match code {
            StatusCode::Code(c) => (200..300).contains(c),
            StatusCode::Range(r) => *r == 2,
        };
        if !is_success {
            continue;
        }
        let response = resolve_response(spec, response)?;
        if let Some(media) = response.content.get(JSON) {
            return Ok(media.schema.as_ref().and_then(schema_name));
        }
    }
    Ok(None)
}

/// `Name` for a `$ref` to a component, `[Name]` for an array of one.
fn schema_name(schema: &ReferenceOr<Schema>) -> Option<String> {
    match schema {
        ReferenceOr::Reference { reference } => component_name(reference).map(str::to_string),
        ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Type(Type::Array(array)),
            ..
        }) => match array.items.as_ref()? {
            ReferenceOr::Reference { reference } => {
                component_name(reference).map(|n| format!("[{n}]"))
            }
            ReferenceOr::Item(_) => None,
        },
        // Bare strings (Sensu's cluster id) are named by their format.
        ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Type(Type::String(string)),
            ..
        }) => Some(match &string.format {
            openapiv3::VariantOrUnknownOrEmpty::Unknown(format) => format.clone(),
            _ => "string".into(),
        }),
        ReferenceOr::Item(_) => None,
    }
}

fn component_name(reference: &str) -> Option<&str> {
    reference.strip_prefix("#/components/schemas/")
}

fn auth_of(spec: &OpenAPI, op: &openapiv3::Operation) -> Auth {
    let requirements = op.security.as_ref().or(spec.security.as_ref());
    let Some(requirements) = requirements else {
        return Auth::None;
    };
    if requirements.is_empty() || requirements.iter().any(|r| r.is_empty()) {
        return Auth::None;
    }
    let schemes = spec.components.as_ref().map(|c| &c.security_schemes);
    let is_basic = |name: &String| {
        matches!(
            schemes.and_then(|s| s.get(name)),
            Some(ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. })) if scheme.eq_ignore_ascii_case("basic")
        )
    };
    if requirements.iter().all(|r| r.keys().all(is_basic)) {
        Auth::Basic
    } else {
        Auth::Token
    }
}

fn resolve<'a, T>(
    reference: &'a ReferenceOr<T>,
    lookup: impl FnOnce(&'a str) -> Option<&'a ReferenceOr<T>>,
) -> Result<&'a T, String> {
    match reference {
        ReferenceOr::Item(item) => Ok(item),
        ReferenceOr::Reference { reference } => {
            let name = reference.rsplit('/').next().unwrap_or_default();
            match lookup(name) {
                Some(ReferenceOr::Item(item)) => Ok(item),
                _ => Err(format!("cannot resolve {reference}")),
            }
        }
    }
}

fn resolve_body<'a>(
    spec: &'a OpenAPI,
    body: &'a ReferenceOr<RequestBody>,
) -> Result<&'a RequestBody, String> {
    resolve(body, |n| spec.components.as_ref()?.request_bodies.get(n))
}

fn resolve_response<'a>(
    spec: &'a OpenAPI,
    response: &'a ReferenceOr<Response>,
) -> Result<&'a Response, String> {
    resolve(response, |n| spec.components.as_ref()?.responses.get(n))
}

fn resolve_param<'a>(
    spec: &'a OpenAPI,
    param: &'a ReferenceOr<Parameter>,
) -> Result<&'a Parameter, String> {
    resolve(param, |n| spec.components.as_ref()?.parameters.get(n))
}

/// Rewrites the request-body media types in `aliases` to `application/json`, for progenitor only.
pub(crate) fn alias_json_media_types(spec: &mut OpenAPI, aliases: &[&str]) {
    let rename = |body: &mut RequestBody| {
        for alias in aliases {
            if let Some(content) = body.content.shift_remove(*alias) {
                body.content.insert(JSON.to_string(), content);
            }
        }
    };
    if let Some(components) = spec.components.as_mut() {
        for body in components.request_bodies.values_mut() {
            if let ReferenceOr::Item(body) = body {
                rename(body);
            }
        }
    }
    for op in operations_mut(spec) {
        if let Some(ReferenceOr::Item(body)) = op.request_body.as_mut() {
            rename(body);
        }
    }
}

/// Every operation of the document's inline path items, to change in place.
pub(crate) fn operations_mut(
    spec: &mut OpenAPI,
) -> impl Iterator<Item = &mut openapiv3::Operation> {
    spec.paths.paths.values_mut().flat_map(|item| match item {
        ReferenceOr::Item(item) => vec![
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ]
        .into_iter()
        .flatten()
        .collect(),
        ReferenceOr::Reference { .. } => Vec::new(),
    })
}

/// The `OPERATIONS` table, sorted by method name so the transport can binary-search it (hooks
/// receive the method name as `OperationInfo::operation_id`).
pub(crate) fn render(operations: &[Operation]) -> String {
    let opt = |v: &Option<String>| match v {
        Some(s) => format!("Some({s:?})"),
        None => "None".into(),
    };
    let mut out = String::from(
        "/// Every operation of this API, sorted by generated method name.\n\
         pub(crate) static OPERATIONS: &[crate::operation::Operation] = &[\n",
    );
    for op in operations {
        let success = op
            .success
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        out.push_str(&format!(
            "    crate::operation::Operation {{ id: {:?}, method_name: {:?}, method: {:?}, path: {:?}, tag: {:?}, \
             success: &[{success}], body_media_type: {}, body_schema: {}, response_schema: {}, \
             auth: crate::operation::Auth::{:?}, min_version: {}, gated_fields: &[{}], \
             idempotent: {} }},\n",
            op.id,
            op.method_name,
            op.method,
            op.path,
            op.tag,
            opt(&op.body_media_type),
            opt(&op.body_schema),
            opt(&op.response_schema),
            op.auth,
            opt(&op.min_version),
            op.gated_fields
                .iter()
                .map(|(field, version)| format!("({field:?}, {version:?})"))
                .collect::<Vec<_>>()
                .join(", "),
            op.idempotent,
        ));
    }
    out.push_str("];\n");
    out
}
