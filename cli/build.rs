//! Generates the commands of every API from its document in `openapi/`, on the library's client.

use std::path::PathBuf;

/// Each API's document and the library module its commands call.
const LIBRARIES: &[(&str, &str)] = &[
    ("sensu", "opsclient::sensu"),
    ("keystone", "opsclient::openstack::keystone"),
    ("watcher", "opsclient::watcher"),
    ("monasca", "opsclient::monasca"),
    ("saltant", "opsclient::saltant"),
];

fn main() {
    let root =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo")).join("..");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-changed=build.rs");
    for (name, library) in LIBRARIES {
        let api = opsclient_codegen::APIS
            .iter()
            .find(|api| api.name == *name)
            .unwrap_or_else(|| fail(&format!("no API called {name}")));
        let spec = root.join(api.spec);
        println!("cargo:rerun-if-changed={}", spec.display());
        let doc = opsclient_codegen::load(&spec).unwrap_or_else(|p| fail(&p.to_string()));
        let code = opsclient_codegen::generate_cli(api, &doc, library)
            .unwrap_or_else(|p| fail(&p.to_string()));
        let file = out.join(format!("cli_{name}.rs"));
        std::fs::write(&file, code).unwrap_or_else(|e| fail(&format!("{}: {e}", file.display())));
    }
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
