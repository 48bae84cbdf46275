//! The generated saltant surface, as a reviewable snapshot: a diff here is an API change.

#![cfg(feature = "saltant")]

#[path = "common/surface.rs"]
mod surface;

#[test]
fn saltant_surface() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/saltant.rs"));
    let text = surface::render(generated, opsclient::saltant::operations());
    insta::assert_snapshot!("saltant_surface", text);
}

#[test]
fn every_operation_of_the_note_is_there() {
    // 28 from the published Swagger document, 5 for task whitelists.
    assert_eq!(opsclient::saltant::operations().len(), 33);
}
