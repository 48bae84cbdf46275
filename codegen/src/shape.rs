//! How the schemas of a document are shaped before typify turns them into Rust types, so that a
//! value read from a server and written back is the same JSON.
//!
//! The document describes the server; these rules describe the types, and are applied to an
//! in-memory copy:
//! - every object schema with `properties` keeps unknown properties (`additionalProperties: {}`,
//!   which typify turns into a flattened `extra` map);
//! - an optional property's `default` is dropped: it documents what the server assumes, and a
//!   type that filled it in would send a value the caller never set;
//! - an optional array or map property is nullable, so it becomes `Option<..>` and an absent list
//!   stays absent while an empty one stays empty (typify would make both an empty `Vec`).

use openapiv3::{
    AdditionalProperties, Components, OpenAPI, ReferenceOr, Schema, SchemaData, SchemaKind, Type,
};

/// Applies the rules to every schema of the document: components, bodies and answers. Without
/// `keep_unknown`, unknown properties are left to typify, which drops them (for measuring).
pub(crate) fn shape_for_types(spec: &mut OpenAPI, keep_unknown: bool) {
    let shaper = Shaper {
        components: spec.components.clone().unwrap_or_default(),
        keep_unknown,
    };
    if let Some(own) = spec.components.as_mut() {
        for schema in own.schemas.values_mut() {
            shaper.schema_ref(schema);
        }
        for body in own.request_bodies.values_mut() {
            if let ReferenceOr::Item(body) = body {
                shaper.content(&mut body.content);
            }
        }
        for response in own.responses.values_mut() {
            if let ReferenceOr::Item(response) = response {
                shaper.content(&mut response.content);
            }
        }
    }
    for op in crate::operations::operations_mut(spec) {
        if let Some(ReferenceOr::Item(body)) = op.request_body.as_mut() {
            shaper.content(&mut body.content);
        }
        for response in op.responses.responses.values_mut() {
            if let ReferenceOr::Item(response) = response {
                shaper.content(&mut response.content);
            }
        }
    }
}

type Properties = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;

struct Shaper {
    /// The document's schemas as written, to resolve references.
    components: Components,
    keep_unknown: bool,
}

impl Shaper {
    fn content(&self, content: &mut indexmap::IndexMap<String, openapiv3::MediaType>) {
        for media in content.values_mut() {
            if let Some(schema) = media.schema.as_mut() {
                self.schema_ref(schema);
            }
        }
    }

    fn schema_ref(&self, schema: &mut ReferenceOr<Schema>) {
        if let ReferenceOr::Item(schema) = schema {
            self.schema(schema);
        }
    }

    fn schema_boxed(&self, schema: &mut ReferenceOr<Box<Schema>>) {
        if let ReferenceOr::Item(schema) = schema {
            self.schema(schema);
        }
    }

    fn schema(&self, schema: &mut Schema) {
        match &mut schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                self.properties(&mut object.properties, &object.required);
                self.additional(&mut object.additional_properties, &object.properties);
            }
            SchemaKind::Type(Type::Array(array)) => {
                if let Some(items) = array.items.as_mut() {
                    self.schema_boxed(items);
                }
            }
            SchemaKind::Type(_) => {}
            SchemaKind::OneOf { one_of: all }
            | SchemaKind::AllOf { all_of: all }
            | SchemaKind::AnyOf { any_of: all } => {
                all.iter_mut().for_each(|s| self.schema_ref(s));
            }
            SchemaKind::Not { not } => self.schema_ref(not),
            SchemaKind::Any(any) => {
                self.properties(&mut any.properties, &any.required);
                self.additional(&mut any.additional_properties, &any.properties);
                if let Some(items) = any.items.as_mut() {
                    self.schema_boxed(items);
                }
                for all in [&mut any.one_of, &mut any.all_of, &mut any.any_of] {
                    all.iter_mut().for_each(|s| self.schema_ref(s));
                }
            }
        }
    }

    fn properties(&self, properties: &mut Properties, required: &[String]) {
        for (name, property) in properties.iter_mut() {
            if !required.contains(name) {
                self.make_optional(property);
            }
            self.schema_boxed(property);
        }
    }

    /// Unknown properties are kept, unless the schema already says what they are.
    fn additional(&self, additional: &mut Option<AdditionalProperties>, properties: &Properties) {
        match additional {
            // typify ignores `true` beside properties; `{}` is what it turns into a kept map.
            None | Some(AdditionalProperties::Any(true))
                if self.keep_unknown && !properties.is_empty() =>
            {
                let anything = Schema {
                    schema_data: SchemaData::default(),
                    schema_kind: SchemaKind::Any(Default::default()),
                };
                *additional = Some(AdditionalProperties::Schema(Box::new(ReferenceOr::Item(
                    anything,
                ))));
            }
            Some(AdditionalProperties::Schema(schema)) => self.schema_ref(schema),
            _ => {}
        }
    }

    /// An optional property: no materialized default, and a collection that can be told from
    /// an absent one.
    fn make_optional(&self, property: &mut ReferenceOr<Box<Schema>>) {
        match property {
            ReferenceOr::Item(schema) => {
                schema.schema_data.default = None;
                if self.is_collection(schema) {
                    schema.schema_data.nullable = true;
                }
            }
            ReferenceOr::Reference { reference } => {
                if self
                    .resolve(reference)
                    .is_some_and(|t| self.is_collection(t))
                {
                    // `nullable` beside a `$ref` is ignored, so the reference is wrapped.
                    let wrapped = Schema {
                        schema_data: SchemaData {
                            nullable: true,
                            ..Default::default()
                        },
                        schema_kind: SchemaKind::AllOf {
                            all_of: vec![ReferenceOr::Reference {
                                reference: reference.clone(),
                            }],
                        },
                    };
                    *property = ReferenceOr::Item(Box::new(wrapped));
                }
            }
        }
    }

    /// An array, or an object without declared properties (a map or a free-form object).
    fn is_collection(&self, schema: &Schema) -> bool {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Array(_)) => true,
            SchemaKind::Type(Type::Object(object)) => object.properties.is_empty(),
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => match &all_of[0] {
                ReferenceOr::Reference { reference } => self
                    .resolve(reference)
                    .is_some_and(|t| self.is_collection(t)),
                ReferenceOr::Item(inner) => self.is_collection(inner),
            },
            SchemaKind::Any(any) => {
                any.items.is_some()
                    || (any.typ.as_deref() == Some("object") && any.properties.is_empty())
            }
            _ => false,
        }
    }

    fn resolve(&self, reference: &str) -> Option<&Schema> {
        let mut name = reference.strip_prefix("#/components/schemas/")?;
        // A chain of references ends; a cycle of them would not, so it is cut.
        for _ in 0..16 {
            match self.components.schemas.get(name)? {
                ReferenceOr::Item(schema) => return Some(schema),
                ReferenceOr::Reference { reference } => {
                    name = reference.strip_prefix("#/components/schemas/")?;
                }
            }
        }
        None
    }
}
