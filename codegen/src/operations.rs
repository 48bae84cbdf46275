//! What the transport needs to know about each operation, read from the document and emitted as
//! a static table beside progenitor's code.

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
}

impl Operation {
    /// The item schema when this is a GET that answers with an array.
    pub fn list_item(&self) -> Option<&str> {
        let schema = self.response_schema.as_deref()?;
        (self.method == "GET")
            .then(|| schema.strip_prefix('[')?.strip_suffix(']'))
            .flatten()
    }
}

const JSON: &str = "application/json";

pub(crate) fn collect(spec: &OpenAPI) -> Result<Vec<Operation>, String> {
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
            out.push(Operation {
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
    for item in spec.paths.paths.values_mut() {
        if let ReferenceOr::Item(item) = item {
            for op in [
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
            {
                if let Some(ReferenceOr::Item(body)) = op.request_body.as_mut() {
                    rename(body);
                }
            }
        }
    }
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
             auth: crate::operation::Auth::{:?} }},\n",
            op.id,
            op.method_name,
            op.method,
            op.path,
            op.tag,
            opt(&op.body_media_type),
            opt(&op.body_schema),
            opt(&op.response_schema),
            op.auth,
        ));
    }
    out.push_str("];\n");
    out
}
