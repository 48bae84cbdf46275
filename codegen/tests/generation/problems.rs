//! A broken document fails with a message that names the file and the problem, never a panic.

use std::io::Write;

use opsclient_codegen::{generate, load, Api, Cli, Connect, Problem};

const API: Api = Api {
    name: "probe",
    feature: "probe",
    feature_about: "unused",
    spec: "unused",
    module: "probe",
    inner: "crate::sensu::Context",
    paging: None,
    cli: Cli {
        name: "probe",
        about: "unused",
        connect: Connect::Own,
        waits: &[],
        columns: &[],
        body_names: None,
    },
};

fn check(document: &str) -> Problem {
    let mut file = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    file.write_all(document.as_bytes()).unwrap();
    let problem = load(file.path())
        .and_then(|doc| generate(&API, &doc))
        .expect_err("the document is broken");
    let text = problem.to_string();
    assert!(
        text.starts_with(&file.path().display().to_string()),
        "{text}"
    );
    problem
}

const OPERATION: &str = r#"
      operationId: getThing
      tags: [things]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: string}
"#;

fn document(version: &str, operation: &str) -> String {
    format!(
        "openapi: {version}\ninfo: {{title: t, version: \"1\"}}\ntags: [{{name: things}}]\npaths:\n  /thing:\n    get:{operation}"
    )
}

#[test]
fn yaml_that_is_not_openapi() {
    let problem = check("openapi: [this is not\n");
    assert!(
        problem.message.contains("not a valid OpenAPI 3.0 document"),
        "{problem}"
    );
}

#[test]
fn openapi_3_1_is_refused() {
    let problem = check(&document("3.1.0", OPERATION));
    assert!(problem.message.contains("3.1.0"), "{problem}");
}

#[test]
fn operations_need_an_id_and_a_declared_tag() {
    let problem = check(&document(
        "3.0.3",
        &OPERATION.replace("operationId: getThing", ""),
    ));
    assert!(
        problem.message.contains("GET /thing: no operationId"),
        "{problem}"
    );
    let problem = check(&document(
        "3.0.3",
        &OPERATION.replace("[things]", "[other]"),
    ));
    assert!(
        problem.message.contains("tag other is not declared"),
        "{problem}"
    );
}

#[test]
fn two_success_types_are_reported_not_panicked() {
    let op = format!(
        "{OPERATION}        \"201\":\n          description: created\n          content:\n            application/json:\n              schema: {{type: integer}}\n"
    );
    let problem = check(&document("3.0.3", &op));
    assert!(problem.message.contains("progenitor"), "{problem}");
    assert!(problem.message.contains("success"), "{problem}");
}

#[test]
fn every_checked_in_document_generates() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap();
    for api in opsclient_codegen::APIS {
        let doc = load(&root.join(api.spec)).unwrap();
        let generated = generate(api, &doc).unwrap_or_else(|p| panic!("{p}"));
        assert!(!generated.operations.is_empty());
    }
}
