//! Command names from operation ids.

/// `listChecks` or `list_checks` → `list-checks`.
pub fn kebab(operation_id: &str) -> String {
    let mut out = String::new();
    for (i, c) in operation_id.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else if c == '_' {
            out.push('-');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::kebab;

    #[test]
    fn operation_ids_become_kebab_case_commands() {
        assert_eq!(kebab("listChecks"), "list-checks");
        assert_eq!(kebab("getV1"), "get-v1");
        assert_eq!(kebab("list_checks"), "list-checks");
    }
}
