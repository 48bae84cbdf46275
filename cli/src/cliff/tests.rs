//! cliff's formatters against what cliff 4.17 prints for the same rows.

use super::*;
use serde_json::json;

fn render(view: &'static View, format: &str, columns: &[&str], answer: Value) -> String {
    let columns: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
    Output::cliff(view, format, &columns, false)
        .unwrap()
        .render(&answer)
}

#[test]
fn lists_print_as_cliff_prints_them() {
    let audits = json!({"audits": [
        {"uuid": "u1", "name": "a1", "audit_type": "ONESHOT", "state": "FAILED",
         "goal_name": "dummy", "strategy_name": null, "auto_trigger": false},
        {"uuid": "u2", "name": "a'2", "audit_type": "ONESHOT", "state": "PENDING",
         "goal_name": "dummy", "strategy_name": "dummy", "auto_trigger": true}
    ], "next": null});
    assert_eq!(
        render(
            &views::AUDIT_SHORT,
            "value",
            &["UUID", "strategy", "Auto Trigger"],
            audits.clone()
        ),
        "u1 auto False\nu2 dummy True\n"
    );
    assert_eq!(
        render(
            &views::AUDIT_SHORT,
            "csv",
            &["uuid", "name", "auto_trigger"],
            audits.clone()
        ),
        "\"UUID\",\"Name\",\"Auto Trigger\"\n\"u1\",\"a1\",False\n\"u2\",\"a'2\",True\n"
    );
    assert_eq!(
        render(&views::AUDIT_SHORT, "json", &["UUID", "Name"], audits.clone()),
        "[\n  {\n    \"UUID\": \"u1\",\n    \"Name\": \"a1\"\n  },\n  {\n    \"UUID\": \"u2\",\n    \"Name\": \"a'2\"\n  }\n]\n"
    );
    assert_eq!(
        render(&views::AUDIT_SHORT, "table", &["UUID", "Name"], audits),
        "+------+------+\n| UUID | Name |\n+------+------+\n| u1   | a1   |\n| u2   | a'2  |\n+------+------+\n"
    );
}

#[test]
fn one_item_prints_its_fields_in_order() {
    let template = json!({"uuid": "u1", "name": "at1", "goal_name": "dummy",
        "scope": [{"compute": []}], "default_parameters": {"a": 1.0, "b": "é"}});
    let text = render(
        &views::AUDIT_TEMPLATE,
        "value",
        &["uuid", "Audit Scope", "default_parameters", "Created At"],
        template.clone(),
    );
    // A field left out (the server's null) is None; containers are Python's repr.
    assert_eq!(text, "u1\nNone\n[{'compute': []}]\n{'a': 1.0, 'b': 'é'}\n");
    let text = render(
        &views::AUDIT_TEMPLATE,
        "json",
        &["Name", "Default Parameters"],
        template,
    );
    assert_eq!(
        text,
        "{\n  \"Name\": \"at1\",\n  \"Default Parameters\": {\n    \"a\": 1.0,\n    \"b\": \"\\u00e9\"\n  }\n}\n"
    );
}

#[test]
fn monasca_json_is_the_items() {
    let answer = json!({"links": [], "elements": [{"id": "n1", "name": "é"}]});
    assert_eq!(
        Output::MonascaJson.render(&answer),
        "[\n  {\n    \"id\": \"n1\",\n    \"name\": \"é\"\n  }\n]\n"
    );
}
