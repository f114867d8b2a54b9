//! JSON pointers (RFC 6901): the one way every stage names a value inside a definition file.

/// Appends one reference token to a pointer, escaping `~` and `/`.
pub fn push(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    push_onto(&mut out, token);
    out
}

/// Appends one reference token to a pointer in place, for walks that grow and truncate one
/// buffer instead of allocating a pointer per value.
pub fn push_onto(pointer: &mut String, token: &str) {
    pointer.push('/');
    for ch in token.chars() {
        match ch {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// Appends an array index to a pointer.
pub fn push_index(base: &str, index: usize) -> String {
    format!("{base}/{index}")
}

/// One reference token as the key or index it names: `~1` read as `/`, `~0` as `~`.
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The pointer of the enclosing value, or `None` for the root.
pub fn parent(pointer: &str) -> Option<&str> {
    pointer.rfind('/').map(|i| &pointer[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_walks_up() {
        let p = push(&push_index("/steps", 2), "a/b~c");
        assert_eq!(p, "/steps/2/a~1b~0c");
        assert_eq!(parent(&p), Some("/steps/2"));
        assert_eq!(parent("/steps"), Some(""));
        assert_eq!(parent(""), None);
        assert_eq!(unescape("a~1b~0c~01"), "a/b~c~1");
    }
}
