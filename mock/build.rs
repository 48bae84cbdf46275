//! Generates the typed mocks of each API whose cargo feature is enabled, from the library's
//! documents in `../openapi/`.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let manifest = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let library = manifest.join("..");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for api in opsclient_codegen::APIS {
        let feature = format!("CARGO_FEATURE_{}", api.feature.to_uppercase());
        if std::env::var_os(feature).is_none() {
            continue;
        }
        let spec = library.join(api.spec);
        println!("cargo:rerun-if-changed={}", spec.display());
        let generated = opsclient_codegen::load(&spec)
            .and_then(|doc| opsclient_codegen::generate_httpmock(api, &doc));
        match generated {
            Ok(code) => {
                let target = out_dir.join(format!("{}.rs", api.name));
                if let Err(e) = std::fs::write(&target, code) {
                    fail(&format!("cannot write {}: {e}", target.display()));
                }
            }
            Err(problem) => fail(&problem.to_string()),
        }
    }
}

/// Reports a problem without a panic backtrace and stops the build.
fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
