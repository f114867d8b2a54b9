//! Whatever the text, the YAML decoder answers (never panics), and every span it gives lies on
//! character boundaries inside the text.

use proptest::prelude::*;
use workflow_core::decode::{DecodeError, Decoded, Format, decode};
use workflow_core::encode::yaml;

fn spans_inside(text: &str, result: &Result<Decoded, DecodeError>) -> bool {
    let inside = |start: usize, end: usize| {
        start <= end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end)
    };
    match result {
        Ok(_) => true,
        Err(e) => inside(e.span.start, e.span.end),
    }
}

/// Text made of YAML's structural characters, so the parser's less travelled paths are hit.
fn yamlish() -> impl Strategy<Value = String> {
    "([-:?,#&*!|>'\"%@`{}\\[\\]~<.+ \\n\\t]|[a-c0-2]|é|𝄞|---|\\.\\.\\.|!!str|\\n  |\\n- ){0,48}"
}

proptest! {
    #[test]
    fn yaml_like_text(text in yamlish()) {
        let result = decode(Format::Yaml, &text);
        prop_assert!(spans_inside(&text, &result), "{text:?} {result:?}");
        if let Ok(decoded) = result {
            // Whatever decoded also encodes and decodes back.
            let again = decode(Format::Yaml, &yaml::encode(&decoded.value)).map(|d| d.value);
            prop_assert_eq!(again.ok(), Some(decoded.value));
        }
    }

    #[test]
    fn any_text(text in any::<String>()) {
        let result = decode(Format::Yaml, &text);
        prop_assert!(spans_inside(&text, &result), "{text:?} {result:?}");
    }
}
