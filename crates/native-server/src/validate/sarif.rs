//! `--format sarif`: the diagnostics as a SARIF 2.1.0 log (OASIS Static Analysis Results
//! Interchange Format), the format code-scanning services take.
//!
//! One run. Its tool lists every diagnostic code as a rule, with the code's cause and fix
//! (docs/formats.md#diagnostic-codes) as help and its severity as default level; each result names its rule
//! by id and index. File URIs are relative to the validated folder, which the run names as the
//! base `WORKFLOWS_ROOT`; columns count Unicode code points, as the diagnostics do.

use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;
use workflow_core::diagnostic::{Code, Diagnostic, Severity};

/// The OASIS location of the SARIF 2.1.0 schema.
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json";
const ROOT: &str = "WORKFLOWS_ROOT";

#[derive(Serialize)]
pub struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    original_uri_base_ids: serde_json::Map<String, serde_json::Value>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule>,
}

/// A SARIF `reportingDescriptor`: one diagnostic code.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

/// The log for `diagnostics` found in the folder `dir`.
pub fn log(dir: &Path, diagnostics: &[&Diagnostic]) -> Result<Log> {
    let root = dir
        .canonicalize()
        .with_context(|| format!("cannot resolve {}", dir.display()))?;
    let mut base = serde_json::Map::new();
    base.insert(
        ROOT.to_owned(),
        serde_json::json!({ "uri": folder_uri(&root) }),
    );
    Ok(Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: env!("CARGO_PKG_NAME"),
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: Code::ALL.iter().map(|c| rule(*c)).collect(),
                },
            },
            original_uri_base_ids: base,
            column_kind: "unicodeCodePoints",
            results: diagnostics.iter().map(|d| result(d)).collect(),
        }],
    })
}

fn rule(code: Code) -> Rule {
    let (cause, fix) = (code.cause(), code.fix());
    Rule {
        id: code.as_str(),
        short_description: Text { text: plain(cause) },
        full_description: Text {
            text: format!("{}; {}.", plain(cause), plain(fix)),
        },
        help: Help {
            text: format!("Fix: {}.", plain(fix)),
            markdown: format!("Fix: {fix}."),
        },
        default_configuration: Configuration {
            level: level(code.severity()),
        },
    }
}

fn result(d: &Diagnostic) -> SarifResult {
    SarifResult {
        rule_id: d.code.as_str(),
        rule_index: Code::ALL
            .iter()
            .position(|c| *c == d.code)
            .expect("every code is in Code::ALL"),
        level: level(d.severity),
        message: Text {
            text: d.message.clone(),
        },
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: encode_path(&d.file, false),
                    uri_base_id: ROOT,
                },
                region: Region {
                    start_line: d.line,
                    start_column: d.column,
                    end_line: d.end_line,
                    end_column: d.end_column,
                },
            },
        }],
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The docs' markdown cell as plain text: code spans lose their backticks.
fn plain(markdown: &str) -> String {
    markdown.replace('`', "")
}

/// `file:///…/` for an absolute folder (on Windows `file:///C:/…/`).
fn folder_uri(root: &Path) -> String {
    let path = root.to_string_lossy().replace('\\', "/");
    let path = path.strip_prefix("//?/").unwrap_or(&path);
    let path = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    };
    let mut uri = format!("file://{}", encode_path(&path, true));
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Percent-encodes a `/`-separated path for a URI. A `:` is kept only in an absolute path: in
/// a relative reference it would read as a scheme.
fn encode_path(path: &str, absolute: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) || (absolute && byte == b':') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_percent_encoded_for_uris() {
        assert_eq!(
            encode_path("my flow/activities/01-ä:b.yaml", false),
            "my%20flow/activities/01-%C3%A4%3Ab.yaml"
        );
        assert_eq!(
            folder_uri(Path::new("/srv/my lib")),
            "file:///srv/my%20lib/"
        );
        assert_eq!(folder_uri(Path::new("C:\\lib")), "file:///C:/lib/");
    }
}
