//! The generated Keystone, Watcher and Monasca surfaces, as reviewable snapshots: a diff here is
//! an API change.

#![cfg(all(feature = "watcher", feature = "monasca"))]

#[test]
fn keystone_surface() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/keystone.rs"));
    crate::surface::assert_snapshot(
        "keystone",
        generated,
        opsclient::openstack::keystone::operations(),
    );
}

#[test]
fn watcher_surface() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/watcher.rs"));
    crate::surface::assert_snapshot("watcher", generated, opsclient::watcher::operations());
}

#[test]
fn monasca_surface() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/monasca.rs"));
    crate::surface::assert_snapshot("monasca", generated, opsclient::monasca::operations());
}
