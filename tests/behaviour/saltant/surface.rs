//! The generated saltant surface, as a reviewable snapshot: a diff here is an API change.

#![cfg(feature = "saltant")]

#[test]
fn saltant_surface() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/saltant.rs"));
    crate::surface::assert_snapshot("saltant", generated, opsclient::saltant::operations());
}

#[test]
fn every_operation_of_the_note_is_there() {
    // 28 from the published Swagger document, 5 for task whitelists.
    assert_eq!(opsclient::saltant::operations().len(), 33);
}
