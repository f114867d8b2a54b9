//! Encoding the data model back to each format: TOON for responses (docs/formats.md#toon-encoding),
//! and all three for conversion in the editor and the npm package.

use serde_json::Value;

use crate::decode::Format;

pub mod toon;
pub mod yaml;

/// Encodes `value` in `format`. JSON is pretty-printed with 2 spaces; YAML and TOON are block
/// style. Every output decodes back to `value`.
pub fn encode(format: Format, value: &Value) -> String {
    match format {
        Format::Toon => toon::encode(value),
        Format::Yaml => yaml::encode(value),
        Format::Json => {
            serde_json::to_string_pretty(value).expect("a JSON value always serialises")
        }
    }
}
