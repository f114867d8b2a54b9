//! Resources (docs/formats.md#resource-files): markdown with optional front matter, or structured
//! files served as written.

use serde_json::Value;

use crate::decode::{self, Format};
use crate::diagnostic::{Code, Diagnostic};
use crate::text::{LineIndex, Span};

/// What a resource file holds once read.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceContent {
    pub id: Option<String>,
    pub version: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// Markdown: the body without front matter, trimmed. Structured: the file text unchanged.
    pub content: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceFormat {
    Markdown,
    Toon,
    Yaml,
    Json,
}

impl ResourceFormat {
    pub fn name(self) -> &'static str {
        match self {
            ResourceFormat::Markdown => "markdown",
            ResourceFormat::Toon => "toon",
            ResourceFormat::Yaml => "yaml",
            ResourceFormat::Json => "json",
        }
    }

    pub(crate) fn from_decoder(format: Option<Format>) -> Self {
        match format {
            None => ResourceFormat::Markdown,
            Some(Format::Toon) => ResourceFormat::Toon,
            Some(Format::Yaml) => ResourceFormat::Yaml,
            Some(Format::Json) => ResourceFormat::Json,
        }
    }
}

fn string_field(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(|v| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// Reads a markdown resource: front matter (YAML, or `key: value` lines when that fails) and
/// the trimmed body.
pub(crate) fn read_markdown(file: &str, text: &str, out: &mut Vec<Diagnostic>) -> ResourceContent {
    let body_start = text.strip_prefix('\u{FEFF}').map_or(0, |_| 3);
    let rest = &text[body_start..];
    let Some((front, front_offset, body)) = split_front_matter(rest) else {
        return ResourceContent {
            id: None,
            version: None,
            title: None,
            description: None,
            content: rest.trim().to_owned(),
        };
    };
    let front_offset = body_start + front_offset;
    let meta = match decode::decode(Format::Yaml, front) {
        Ok(d) if d.value.is_object() => d.value,
        Ok(d) if d.value.is_null() => Value::Object(Default::default()),
        outcome => {
            let (why, span) = match outcome {
                Err(e) => (e.message, e.span.shifted(front_offset)),
                Ok(_) => (
                    "it is not a mapping".to_owned(),
                    Span::new(front_offset, front_offset),
                ),
            };
            let index = LineIndex::new(text);
            out.push(Diagnostic::at(
                Code::FrontMatterInvalid,
                format!("Front matter is not valid YAML ({why}); it was read as 'key: value' lines. Fix the YAML between the '---' lines"),
                file,
                &index,
                span,
                "",
            ));
            lenient_front_matter(front)
        }
    };
    ResourceContent {
        id: string_field(&meta, "id"),
        version: string_field(&meta, "version"),
        title: string_field(&meta, "title"),
        description: string_field(&meta, "description"),
        content: body.trim().to_owned(),
    }
}

/// Splits `---\n<yaml>\n---\n<body>`; returns the YAML, its byte offset and the body.
fn split_front_matter(text: &str) -> Option<(&str, usize, &str)> {
    let first_end = text.find('\n')?;
    if text[..first_end].trim_end_matches('\r') != "---" {
        return None;
    }
    let yaml_start = first_end + 1;
    let mut pos = yaml_start;
    while pos <= text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end_matches('\r') == "---" {
            let body = if end < text.len() {
                &text[end + 1..]
            } else {
                ""
            };
            return Some((&text[yaml_start..pos], yaml_start, body));
        }
        if end >= text.len() {
            break;
        }
        pos = end + 1;
    }
    None
}

fn lenient_front_matter(front: &str) -> Value {
    let mut map = serde_json::Map::new();
    for line in front.lines() {
        if let Some((k, v)) = line.split_once(':') {
            let k = k.trim();
            if !k.is_empty() && !k.starts_with('#') {
                let v = v.trim().trim_matches('"').trim_matches('\'');
                map.insert(k.to_owned(), Value::String(v.to_owned()));
            }
        }
    }
    Value::Object(map)
}

/// Reads a structured resource: it must decode; `id`/`version` come from its top level.
pub(crate) fn read_structured(
    file: &str,
    text: &str,
    format: Format,
) -> Result<ResourceContent, Diagnostic> {
    match decode::decode(format, text) {
        Ok(d) => Ok(ResourceContent {
            id: string_field(&d.value, "id"),
            version: string_field(&d.value, "version"),
            title: string_field(&d.value, "title"),
            description: string_field(&d.value, "description"),
            content: text.to_owned(),
        }),
        Err(e) => Err(super::decode_diagnostic(file, text, &e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_from_the_body() {
        let (yaml, offset, body) = split_front_matter("---\nid: a\n---\n# Title\n").unwrap();
        assert_eq!((yaml, offset, body), ("id: a\n", 4, "# Title\n"));
        assert!(split_front_matter("# no front matter\n---\n").is_none());
        assert!(split_front_matter("---\nnever closed\n").is_none());
    }

    #[test]
    fn lenient_reading_takes_key_value_lines() {
        let v = lenient_front_matter("id: x\ntitle: \"A: B\"\n");
        assert_eq!(v["id"], "x");
        assert_eq!(v["title"], "A: B");
    }
}
