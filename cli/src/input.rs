//! What the tool reads besides its arguments: request bodies, and secrets, which never come
//! from the argument list (where `ps` would show them).

use std::io::Read;
use std::path::Path;

/// A body file; `-` is standard input.
pub fn read_body(path: &Path) -> std::io::Result<String> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        Ok(text)
    } else {
        std::fs::read_to_string(path)
    }
}

/// A secret from a file (its first line), for `--*-file` options.
pub fn secret_file(path: &Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    Ok(text.lines().next().unwrap_or_default().to_string())
}

/// A secret typed at a prompt, without echo.
pub fn prompt(what: &str) -> anyhow::Result<String> {
    rpassword::prompt_password(format!("{what}: "))
        .map_err(|e| anyhow::anyhow!("cannot read the {what} from the terminal: {e}"))
}
