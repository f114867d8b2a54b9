//! The identifier rules of docs/formats.md#identifiers-and-names and docs/protocol.md#identifiers,
//! checked by hand rather than by regex: they guard every request before any lookup, so they must
//! be cheap, and they are what keeps `../` and other path tricks out of every file and store
//! lookup.

/// The pattern of ids, as written in the JSON Schemas.
pub const ID_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$";
/// The pattern of variable names, as written in the JSON Schemas.
pub const VARIABLE_PATTERN: &str = "^[A-Za-z_][A-Za-z0-9_]{0,127}$";
/// The pattern of `MAJOR.MINOR.PATCH` versions.
pub const VERSION_PATTERN: &str = "^[0-9]+\\.[0-9]+\\.[0-9]+$";

/// The transition target that ends the workflow instead of naming an activity
/// (docs/formats.md#transition).
pub const TERMINAL: &str = "__terminal__";
/// The pattern of transition targets: an id, or [`TERMINAL`].
pub const TARGET_PATTERN: &str = "^(__terminal__|[A-Za-z0-9][A-Za-z0-9._-]{0,127})$";

/// The human form of the id rule, for messages.
pub const ID_RULE: &str = "ids are 1–128 characters of letters, digits, '.', '_' and '-', starting with a letter or digit";
/// The human form of the variable-name rule, for messages.
pub const VARIABLE_RULE: &str =
    "variable names are 1–128 characters of letters, digits and '_', not starting with a digit";

/// `^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`
pub fn is_id(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && b[0].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

/// An activity id, or [`TERMINAL`].
pub fn is_target(s: &str) -> bool {
    s == TERMINAL || is_id(s)
}

/// `^[A-Za-z_][A-Za-z0-9_]{0,127}$`
pub fn is_variable_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && (b[0].is_ascii_alphabetic() || b[0] == b'_')
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// `MAJOR.MINOR.PATCH`, digits only.
pub fn is_version(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
}

/// An index as written in a file name: 1–6 digits.
pub fn is_index(s: &str) -> bool {
    (1..=6).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit())
}

/// A resource name: an id with at least one non-digit, so it cannot be mistaken for an index.
pub fn is_resource_name(s: &str) -> bool {
    is_id(s) && !s.bytes().all(|c| c.is_ascii_digit())
}

/// A skill reference, `ID` or `WF/ID`, split into its optional workflow and its id.
pub fn parse_skill_ref(s: &str) -> Option<(Option<&str>, &str)> {
    match s.split_once('/') {
        None => is_id(s).then_some((None, s)),
        Some((wf, id)) => (is_id(wf) && is_id(id)).then_some((Some(wf), id)),
    }
}

/// The target of a resource reference: a numeric index or a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceKey<'a> {
    /// Compared numerically, so `5`, `05` and `005` are one index.
    Index(u32),
    Name(&'a str),
}

/// A resource reference, `INDEX`, `NAME`, `WF/INDEX` or `WF/NAME`.
pub fn parse_resource_ref(s: &str) -> Option<(Option<&str>, ResourceKey<'_>)> {
    let (wf, rest) = match s.split_once('/') {
        None => (None, s),
        Some((wf, rest)) => {
            if !is_id(wf) {
                return None;
            }
            (Some(wf), rest)
        }
    };
    if is_index(rest) {
        Some((wf, ResourceKey::Index(rest.parse().ok()?)))
    } else if is_resource_name(rest) {
        Some((wf, ResourceKey::Name(rest)))
    } else {
        None
    }
}

/// A session id: a lowercase hyphenated UUID.
pub fn is_session_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(c),
        })
}

/// The 16 bytes of a session id, or `None` when `s` is not one.
pub fn session_id_bytes(s: &str) -> Option<[u8; 16]> {
    if !is_session_id(s) {
        return None;
    }
    let digits: Vec<u8> = s.bytes().filter(|c| *c != b'-').collect();
    let nibble = |c: u8| {
        if c.is_ascii_digit() {
            c - b'0'
        } else {
            c - b'a' + 10
        }
    };
    Some(std::array::from_fn(|i| {
        (nibble(digits[2 * i]) << 4) | nibble(digits[2 * i + 1])
    }))
}

/// The session id of 16 bytes, lowercase and hyphenated.
pub fn session_id_text(bytes: &[u8; 16]) -> String {
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// An agent id: 1–128 characters, no control characters.
pub fn is_agent_id(s: &str) -> bool {
    let n = s.chars().count();
    (1..=128).contains(&n) && !s.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_round_trip_through_bytes() {
        let id = "0f8fad5b-d9cb-469f-a165-70867728950e";
        let bytes = session_id_bytes(id).unwrap();
        assert_eq!(bytes[0], 0x0f);
        assert_eq!(bytes[15], 0x0e);
        assert_eq!(session_id_text(&bytes), id);
        for bad in [
            "0F8FAD5B-D9CB-469F-A165-70867728950E",
            "0f8fad5bd9cb469fa16570867728950e",
            "",
        ] {
            assert_eq!(session_id_bytes(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn ids_reject_path_tricks() {
        for bad in [
            "",
            "../x",
            ".hidden",
            "a/b",
            "a\\b",
            "-x",
            "_x",
            "a b",
            &"a".repeat(129),
        ] {
            assert!(!is_id(bad), "{bad:?} must not be an id");
        }
        for good in ["a", "A9", "work-package", "v1.2_x", &"a".repeat(128)] {
            assert!(is_id(good), "{good:?} must be an id");
        }
    }

    #[test]
    fn references_split_into_workflow_and_target() {
        assert_eq!(
            parse_skill_ref("meta/activity-worker"),
            Some((Some("meta"), "activity-worker"))
        );
        assert_eq!(parse_skill_ref("a/b/c"), None);
        assert_eq!(
            parse_resource_ref("005"),
            Some((None, ResourceKey::Index(5)))
        );
        assert_eq!(
            parse_resource_ref("meta/client-prompt-template"),
            Some((Some("meta"), ResourceKey::Name("client-prompt-template")))
        );
        assert_eq!(parse_resource_ref("1234567"), None);
        assert_eq!(parse_resource_ref("../01"), None);
    }

    #[test]
    fn other_rules() {
        assert!(is_version("1.10.0") && !is_version("1.0") && !is_version("1.0.0-beta"));
        assert!(is_variable_name("_a1") && !is_variable_name("1a") && !is_variable_name("a-b"));
        assert!(is_session_id("0f8fad5b-d9cb-469f-a165-70867728950e"));
        assert!(!is_session_id("0F8FAD5B-d9cb-469f-a165-70867728950e"));
        assert!(is_agent_id("orch-1") && !is_agent_id("") && !is_agent_id("a\nb"));
    }
}
