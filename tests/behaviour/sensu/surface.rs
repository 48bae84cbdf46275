//! The generated Sensu surface, as a reviewable snapshot: a diff here is an API change.

#[test]
fn sensu_surface() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/sensu.rs"));
    crate::surface::assert_snapshot("sensu", generated, opsclient::sensu::operations());
}

#[test]
fn every_operation_is_reachable_by_its_method_name() {
    let operations = opsclient::sensu::operations();
    let names: Vec<_> = operations.iter().map(|op| op.method_name).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        names, sorted,
        "the table is sorted by method name, without duplicates"
    );
    assert!(operations.len() >= 140, "{} operations", operations.len());
    for op in operations {
        assert!(!op.tag.is_empty(), "{} has a tag", op.id);
        assert!(
            !op.success.is_empty(),
            "{} declares a success status",
            op.id
        );
    }
}

#[test]
fn every_list_operation_can_be_streamed() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/sensu.rs"))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let lists: Vec<_> = opsclient::sensu::operations()
        .iter()
        .filter(|op| op.method == "GET" && op.response_schema.is_some_and(|s| s.starts_with('[')))
        .collect();
    assert!(lists.len() >= 30, "{} list operations", lists.len());
    for op in lists {
        let builder: String = op
            .method_name
            .split('_')
            .map(|w| w[..1].to_uppercase() + &w[1..])
            .collect();
        let impl_line = format!("crate::paging::ListRequest<'a> for builder::{builder}<'a> {{");
        assert!(generated.contains(&impl_line), "{} has no stream", op.id);
    }
}
