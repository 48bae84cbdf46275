//! The generated Keystone, Watcher and Monasca surfaces, as reviewable snapshots: a diff here is
//! an API change.

#![cfg(all(feature = "watcher", feature = "monasca"))]

#[path = "common/surface.rs"]
mod surface;

#[test]
fn keystone_surface() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/keystone.rs"));
    let text = surface::render(generated, opsclient::openstack::keystone::operations());
    insta::assert_snapshot!("keystone_surface", text);
}

#[test]
fn watcher_surface() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/watcher.rs"));
    let text = surface::render(generated, opsclient::watcher::operations());
    insta::assert_snapshot!("watcher_surface", text);
}

#[test]
fn monasca_surface() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/monasca.rs"));
    let text = surface::render(generated, opsclient::monasca::operations());
    insta::assert_snapshot!("monasca_surface", text);
}
