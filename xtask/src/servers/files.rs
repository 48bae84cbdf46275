//! The files of `xtask/servers/` (configuration templates and Python shims), built into xtask
//! and written into the state directory on every `up`, so the state directory is complete on
//! its own and always matches this checkout.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::layout::Layout;

/// The Python helpers, written to `<state>/shims/`.
const SHIMS: [(&str, &str); 7] = [
    ("wsgi_serve.py", include_str!("../../servers/wsgi_serve.py")),
    (
        "monasca_wsgi.py",
        include_str!("../../servers/monasca_wsgi.py"),
    ),
    (
        "monasca_influx_publisher.py",
        include_str!("../../servers/monasca_influx_publisher.py"),
    ),
    (
        "monasca_sqlite_schema.py",
        include_str!("../../servers/monasca_sqlite_schema.py"),
    ),
    (
        "monasca_log_sink.py",
        include_str!("../../servers/monasca_log_sink.py"),
    ),
    (
        "monasca_seed_alarm.py",
        include_str!("../../servers/monasca_seed_alarm.py"),
    ),
    (
        "watcher_seed_action_plan.py",
        include_str!("../../servers/watcher_seed_action_plan.py"),
    ),
];

/// Writes the Python helpers into `<state>/shims/`.
pub fn write_shims(layout: &Layout) -> Result<(), String> {
    for (name, text) in SHIMS {
        write(&layout.shims().join(name), text)?;
    }
    Ok(())
}

/// Fills the `{{NAME}}` fields of a template. Every field must get a value.
pub fn render(template: &str, values: &[(&str, &str)]) -> String {
    let mut text = template.to_string();
    for (name, value) in values {
        text = text.replace(&format!("{{{{{name}}}}}"), value);
    }
    assert!(
        !text.contains("{{"),
        "a template field has no value: {}",
        text.lines().find(|l| l.contains("{{")).unwrap_or_default()
    );
    text
}

/// Writes a file, creating its directory.
pub fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Writes a file only its owner may read (it holds passwords or secrets).
pub fn write_private(path: &Path, text: &str) -> Result<(), String> {
    write(path, text)?;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))
        .map_err(|e| format!("cannot restrict {}: {e}", path.display()))
}
