//! Placeholder until the TOON encoder lands; replaced whole by it.

use serde_json::Value;

pub fn encode(_value: &Value) -> String {
    String::new()
}
