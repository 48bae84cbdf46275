//! How a document's schemas become types: unknown properties kept with a generated decoder,
//! optional properties optional, defaults not filled in.

use std::io::Write;

use opsclient_codegen::{generate_types, load, UnknownProperties};

const DOCUMENT: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
tags: [{name: things}]
paths:
  /thing:
    get:
      operationId: getThing
      tags: [things]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
components:
  schemas:
    Thing:
      type: object
      required: [name, tags]
      properties:
        name: {type: string}
        tags: {type: array, nullable: true, items: {type: string}}
        labels: {type: object, additionalProperties: {type: string}}
        handlers: {type: array, items: {type: string}}
        interval: {type: integer, format: uint32, default: 60}
        Weird-Name: {type: boolean}
        inner:
          type: object
          properties:
            depth: {type: integer}
"##;

fn types(unknown: UnknownProperties) -> String {
    let mut file = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    file.write_all(DOCUMENT.as_bytes()).unwrap();
    let doc = load(file.path()).unwrap();
    generate_types(&doc, unknown).unwrap()
}

/// The lines of one struct's declaration, attributes included.
fn declaration<'a>(code: &'a str, name: &str) -> &'a str {
    let start = code
        .find(&format!("pub struct {name} {{"))
        .expect("the struct");
    let derive = code[..start].rfind("#[derive(").expect("its derive");
    let end = start + code[start..].find("\n    }").expect("its end");
    &code[derive..end]
}

#[test]
fn unknown_properties_are_kept_with_a_generated_decoder() {
    let code = types(UnknownProperties::Kept);
    for name in ["Thing", "ThingInner"] {
        let thing = declaration(&code, name);
        assert!(!thing.contains("Deserialize"), "derive replaced: {thing}");
        assert!(thing.contains("#[serde(flatten)]"), "{thing}");
        assert!(
            code.contains(&format!(
                "impl<'de> ::serde::Deserialize<'de> for {name} {{"
            )),
            "{name} has a generated decoder"
        );
    }
    assert!(
        code.contains(r#""Weird-Name" => __Key::"#),
        "renamed keys are matched"
    );
    assert!(
        declaration(&code, "ThingInner").contains("Default"),
        "an all-optional struct keeps Default"
    );
}

#[test]
fn optional_properties_stay_unset_and_defaults_are_not_filled_in() {
    let code = types(UnknownProperties::Kept);
    let thing = declaration(&code, "Thing");
    for field in [
        "pub handlers: ::std::option::Option<::std::vec::Vec<::std::string::String>>",
        "pub interval: ::std::option::Option<u32>",
        "pub tags: ::std::option::Option<::std::vec::Vec<::std::string::String>>",
        "pub name: ::std::string::String",
    ] {
        assert!(thing.contains(field), "{field} in {thing}");
    }
    assert!(
        thing.contains("pub labels: ::std::option::Option<"),
        "an optional map is optional: {thing}"
    );
    assert!(
        !thing.contains("default ="),
        "no materialized default: {thing}"
    );
}

#[test]
fn the_measuring_variants_differ_only_in_unknown_properties() {
    let flattened = types(UnknownProperties::Flattened);
    let thing = declaration(&flattened, "Thing");
    assert!(thing.contains("::serde::Deserialize") && thing.contains("#[serde(flatten)]"));
    let dropped = types(UnknownProperties::Dropped);
    let thing = declaration(&dropped, "Thing");
    assert!(thing.contains("::serde::Deserialize") && !thing.contains("extra"));
    assert!(thing.contains("pub interval: ::std::option::Option<u32>"));
}
