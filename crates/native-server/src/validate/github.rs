//! `--format github`: one GitHub Actions workflow command per diagnostic, which the runner turns
//! into an annotation on the file and line:
//! `::error file=<path>,line=<line>,col=<col>,title=<code>::<message>` (or `::warning`).
//!
//! Workflow commands are parsed by the runner, so text is escaped as it expects: `%`, CR and LF
//! in the message; additionally `:` and `,` in property values, which would otherwise end the
//! command name or the property.

use std::path::Path;

use workflow_core::diagnostic::Diagnostic;

use super::path_from_cwd;

/// The workflow command for `d`; `dir` is the validated folder as given on the command line,
/// so the path resolves from the job's working folder (run it from the repository root).
pub fn annotation(dir: &Path, d: &Diagnostic) -> String {
    format!(
        "::{} file={},line={},col={},title={}::{}",
        d.severity.as_str(),
        property(&path_from_cwd(dir, &d.file)),
        d.line,
        d.column,
        property(d.code.as_str()),
        data(&d.message)
    )
}

/// Escapes the message part of a command.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_escape_percent_and_line_breaks_only() {
        assert_eq!(
            data("100% sure:\r\nnext, line"),
            "100%25 sure:%0D%0Anext, line"
        );
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(
            property("a:b,c%d\ne"),
            "a%3Ab%2Cc%25d%0Ae",
            "the % is escaped first, so escapes are not escaped twice"
        );
    }
}
