//! Generates the typed mocks of each API whose cargo feature is enabled, from the library's
//! documents in `../openapi/`.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let manifest = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let library = manifest.join("..");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    every_api_has_its_feature_and_module(&manifest);
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

/// An API added to the table but not here fails the build, whatever the features: each needs
/// its feature in `Cargo.toml` and its module in `src/lib.rs`.
fn every_api_has_its_feature_and_module(manifest: &Path) {
    let read = |file: &str| {
        println!("cargo:rerun-if-changed={file}");
        std::fs::read_to_string(manifest.join(file))
            .unwrap_or_else(|e| fail(&format!("cannot read {file}: {e}")))
    };
    let (cargo, lib) = (read("Cargo.toml"), read("src/lib.rs"));
    for api in opsclient_codegen::APIS {
        let feature = format!("\n{} = [", api.feature);
        if !cargo.contains(&feature) {
            fail(&format!(
                "mock/Cargo.toml has no feature {:?} for the API {}",
                api.feature, api.name
            ));
        }
        let module = format!(
            "#[cfg(feature = \"{}\")]\npub mod {};",
            api.feature, api.name
        );
        if !lib.contains(&module) {
            fail(&format!(
                "mock/src/lib.rs lacks `{module}` (and src/{}.rs) for the API {}",
                api.name, api.name
            ));
        }
    }
}

/// Reports a problem without a panic backtrace and stops the build.
fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
