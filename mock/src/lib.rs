//! Typed mocks of every opsclient API.

#[cfg(feature = "sensu")]
pub mod sensu {
    include!(concat!(env!("OUT_DIR"), "/sensu.rs"));
}
#[cfg(feature = "openstack")]
pub mod keystone {
    include!(concat!(env!("OUT_DIR"), "/keystone.rs"));
}
#[cfg(feature = "watcher")]
pub mod watcher {
    include!(concat!(env!("OUT_DIR"), "/watcher.rs"));
}
#[cfg(feature = "monasca")]
pub mod monasca {
    include!(concat!(env!("OUT_DIR"), "/monasca.rs"));
}
#[cfg(feature = "saltant")]
pub mod saltant {
    include!(concat!(env!("OUT_DIR"), "/saltant.rs"));
}
