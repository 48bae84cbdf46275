//! Generates the types of the Sensu, Monasca and Watcher documents three times, once for each way
//! of treating unknown properties, so that the benchmark decodes the same payload with each. The
//! types that drop unknown properties are plain `#[derive(Deserialize)]` structs with the same
//! fields, way (d) of the benchmarks: what decoding costs without keeping anything.

use std::path::PathBuf;

use opsclient_codegen::UnknownProperties;

fn main() {
    let root =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo")).join("..");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-changed=build.rs");
    for api in ["sensu", "monasca", "watcher"] {
        let spec = root.join("openapi").join(format!("{api}.yaml"));
        println!("cargo:rerun-if-changed={}", spec.display());
        let doc = opsclient_codegen::load(&spec).unwrap_or_else(|p| fail(&p.to_string()));
        for (variant, unknown) in [
            ("kept", UnknownProperties::Kept),
            ("flattened", UnknownProperties::Flattened),
            ("dropped", UnknownProperties::Dropped),
        ] {
            let code = opsclient_codegen::generate_types(&doc, unknown)
                .unwrap_or_else(|p| fail(&p.to_string()));
            let file = out.join(format!("{api}_{variant}.rs"));
            std::fs::write(&file, code).unwrap_or_else(|e| fail(&format!("{file:?}: {e}")));
        }
    }
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
