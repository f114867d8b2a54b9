//! Converting definitions between TOON, YAML and JSON: one document ([`convert`]) or a whole
//! library ([`convert_library`]), with `#` comments carried where the target format has them
//! and the references between files kept valid (docs/formats.md#converting-a-library).
//!
//! Comments are carried without touching the encoders: each comment is tied to the value that
//! follows it in the source (by the decoder's positions), the value is encoded as usual, and the
//! comment is written above the line where the encoded output holds that value.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use crate::catalog::layout;
use crate::decode::{self, Comment, DecodeError, Decoded, Format, Positions};
use crate::diagnostic::{Code, Diagnostic};
use crate::encode;
use crate::ids;
use crate::text::{LineIndex, Span};

/// One document in another format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Converted {
    pub text: String,
    /// The source's comments the target does not hold: all of them when it is JSON.
    pub dropped_comments: Vec<Comment>,
}

/// Re-encodes `text` from one format to another; the result decodes to the same value (key
/// order included) and, unless the target is JSON, holds the source's comments, each above the
/// line of the value it preceded (a YAML comment at the end of a line goes above that line).
pub fn convert(text: &str, from: Format, to: Format) -> Result<Converted, DecodeError> {
    let decoded = decode::decode(from, text)?;
    Ok(reencode(text, from, &decoded, &decoded.value, to))
}

/// `value` (the document decoded from `text`, references possibly rewritten) in `to`, with the
/// comments of `text`.
fn reencode(text: &str, from: Format, decoded: &Decoded, value: &Value, to: Format) -> Converted {
    let comments = decode::comments(from, text);
    let plain = encode::encode(to, value);
    if comments.is_empty() {
        return Converted {
            text: plain,
            dropped_comments: comments,
        };
    }
    let placed = (to != Format::Json)
        .then(|| {
            place(
                &plain,
                to,
                value,
                &attach(&comments, text, &decoded.positions),
            )
        })
        .flatten();
    match placed {
        Some(text) => Converted {
            text,
            dropped_comments: Vec::new(),
        },
        None => Converted {
            text: plain,
            dropped_comments: comments,
        },
    }
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Each comment with the pointer of the value it belongs to: the first value that starts after
/// it (for a comment that ends a line, the first value of that line); `None` past the last one.
fn attach<'c>(
    comments: &'c [Comment],
    text: &str,
    positions: &Positions,
) -> Vec<(Option<String>, &'c Comment)> {
    let mut starts: Vec<(usize, &str)> = positions.iter().map(|(p, s)| (s.start, p)).collect();
    // At one offset the outermost value (the shortest pointer) comes first.
    starts.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.len().cmp(&b.1.len())));
    comments
        .iter()
        .map(|c| {
            let from = if c.own_line {
                c.at
            } else {
                line_start(text, c.at)
            };
            let i = starts.partition_point(|(s, _)| *s < from);
            (starts.get(i).map(|(_, p)| (*p).to_owned()), c)
        })
        .collect()
}

/// `plain` (the encoding of `value` in `to`) with each comment written above the line that holds
/// its value, or at the end. `None` if the result would not decode to `value`, which the layout
/// of the encoders rules out; the caller then reports the comments dropped rather than write a
/// file that reads differently.
fn place(
    plain: &str,
    to: Format,
    value: &Value,
    attached: &[(Option<String>, &Comment)],
) -> Option<String> {
    let out = decode::decode(to, plain).ok()?;
    let mut above: BTreeMap<usize, Vec<&Comment>> = BTreeMap::new();
    let mut end = Vec::new();
    for (pointer, comment) in attached {
        match pointer {
            Some(p) => above
                .entry(line_start(plain, out.positions.nearest(p).start))
                .or_default()
                .push(comment),
            None => end.push(comment),
        }
    }
    let mut text = String::with_capacity(plain.len() + 64 * attached.len());
    let mut done = 0;
    for (start, comments) in above {
        text.push_str(&plain[done..start]);
        let line = &plain[start..];
        let indent = line.len() - line.trim_start_matches(' ').len();
        for c in comments {
            text.push_str(&line[..indent]);
            text.push('#');
            text.push_str(&c.text);
            text.push('\n');
        }
        done = start;
    }
    text.push_str(&plain[done..]);
    for c in end {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push('#');
        text.push_str(&c.text);
        if to == Format::Yaml {
            text.push('\n');
        }
    }
    let check = decode::decode(to, &text).ok()?;
    (check.value == *value).then_some(text)
}

/// A library converted to one format.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LibraryConversion {
    /// Every file of the library afterwards: the converted definitions under their new names,
    /// every other file as it was.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Old path → new path of each converted file.
    pub renamed: BTreeMap<String, String>,
    /// Paths whose content changed under the same name: files already in the target format whose
    /// activity references were rewritten.
    pub rewritten: BTreeSet<String>,
    /// `comments_dropped` and `file_not_converted` warnings, located in the source files.
    pub diagnostics: Vec<Diagnostic>,
}

/// A definition file of the library, decoded.
struct Definition<'a> {
    path: &'a str,
    text: &'a str,
    format: Format,
    decoded: Decoded,
}

/// Converts every definition file of a library (the workflow, activity, skill and structured
/// resource files the loader reads) to `to`: `NN-<id>.yaml` becomes `NN-<id>.toon`, and so on.
/// Files already in that format (`.yml` counts as YAML) and every other file (markdown, files
/// the loader ignores) keep their names and content, except that activity references with an
/// extension (`20-review.json`, `wf/activities/04-run.yaml`) are rewritten to the new names
/// wherever they are. A file that does not decode, or whose new name is taken, is left as it
/// is (`file_not_converted`); comments the target cannot hold are reported (`comments_dropped`).
pub fn convert_library(files: &BTreeMap<String, Vec<u8>>, to: Format) -> LibraryConversion {
    let mut diagnostics = Vec::new();
    let workflows = workflow_folders(files);
    let mut definitions = Vec::new();
    for (path, bytes) in files {
        let Some(format) = definition_format(path, &workflows) else {
            continue;
        };
        let Ok(text) = std::str::from_utf8(bytes) else {
            if format != to {
                diagnostics.push(Diagnostic::file_level(
                    Code::FileNotConverted,
                    "Not converted: the file is not valid UTF-8; save it as UTF-8 and convert again",
                    path,
                ));
            }
            continue;
        };
        match decode::decode(format, text) {
            Ok(decoded) => definitions.push(Definition {
                path,
                text,
                format,
                decoded,
            }),
            Err(e) if format != to => diagnostics.push(Diagnostic::at(
                Code::FileNotConverted,
                format!("Not converted: the file does not decode ({e}); fix it and convert again"),
                path,
                &LineIndex::new(text),
                e.span,
                "",
            )),
            Err(_) => {}
        }
    }

    // New names first: a converted file may not take a name another file keeps.
    let converting: BTreeSet<&str> = definitions
        .iter()
        .filter(|d| d.format != to)
        .map(|d| d.path)
        .collect();
    let mut taken: BTreeSet<String> = files
        .keys()
        .filter(|p| !converting.contains(p.as_str()))
        .cloned()
        .collect();
    let mut renamed = BTreeMap::new();
    for path in &converting {
        let stem = path.rsplit_once('.').map_or(*path, |(stem, _)| stem);
        let new = format!("{stem}.{}", to.name());
        if taken.contains(&new) {
            diagnostics.push(Diagnostic::file_level(
                Code::FileNotConverted,
                format!(
                    "Not converted: {new} exists already; rename one of them and convert again"
                ),
                path,
            ));
            taken.insert((*path).to_owned());
        } else {
            taken.insert(new.clone());
            renamed.insert((*path).to_owned(), new);
        }
    }

    let mut out: BTreeMap<String, Vec<u8>> = files.clone();
    let mut rewritten = BTreeSet::new();
    for d in &definitions {
        let new_path = renamed.get(d.path);
        let value = rewrite_references(d, &workflows, &renamed);
        if new_path.is_none() && value.is_none() {
            continue;
        }
        let value = value.as_ref().unwrap_or(&d.decoded.value);
        let target = if new_path.is_some() { to } else { d.format };
        let converted = reencode(d.text, d.format, &d.decoded, value, target);
        if let Some(first) = converted.dropped_comments.first() {
            let n = converted.dropped_comments.len();
            let why = if target == Format::Json {
                "JSON has no comments"
            } else {
                "they could not be placed in the converted file"
            };
            diagnostics.push(Diagnostic::at(
                Code::CommentsDropped,
                format!(
                    "{n} comment(s) dropped converting to {}: {why}; move what they say into a `description` to keep it",
                    target.name()
                ),
                d.path,
                &LineIndex::new(d.text),
                Span::new(first.at, first.at + 1),
                "",
            ));
        }
        match new_path {
            Some(new) => {
                out.remove(d.path);
                out.insert(new.clone(), converted.text.into_bytes());
            }
            None => {
                out.insert(d.path.to_owned(), converted.text.into_bytes());
                rewritten.insert(d.path.to_owned());
            }
        }
    }
    crate::diagnostic::sort(&mut diagnostics);
    LibraryConversion {
        files: out,
        renamed,
        rewritten,
        diagnostics,
    }
}

/// Each workflow folder (a top-level folder with a workflow file) with its activities folder
/// (`activitiesDir`, read from the first workflow file that decodes; `activities` otherwise).
fn workflow_folders(files: &BTreeMap<String, Vec<u8>>) -> HashMap<&str, String> {
    let mut folders: HashMap<&str, String> = HashMap::new();
    for (path, bytes) in files {
        let Some((wf, name)) = path.split_once('/') else {
            continue;
        };
        let Some(format) = name.strip_prefix("workflow.").and_then(Format::parse) else {
            continue;
        };
        if folders.contains_key(wf) {
            continue;
        }
        let dir = std::str::from_utf8(bytes)
            .ok()
            .and_then(|text| decode::decode(format, text).ok())
            .and_then(|d| d.value.get("activitiesDir")?.as_str().map(str::to_owned));
        folders.insert(wf, dir.unwrap_or_else(|| "activities".to_owned()));
    }
    folders
}

/// The format of a file the loader reads as a definition (docs/formats.md#folder-layout):
/// a workflow file, an `NN-<id>` activity or skill file, an `NN-<name>` structured resource.
fn definition_format(path: &str, workflows: &HashMap<&str, String>) -> Option<Format> {
    let (wf, rest) = path.split_once('/')?;
    let activities = workflows.get(wf)?;
    let format = Format::from_path(rest)?;
    if rest
        .strip_prefix("workflow.")
        .is_some_and(|ext| !ext.contains('/'))
    {
        return Some(format);
    }
    let (dir, name) = rest.split_once('/')?;
    let named = layout::indexed_name(name)?;
    let reads = if dir == "resources" {
        ids::is_resource_name(named.name)
    } else {
        dir == activities || dir == "skills"
    };
    reads.then_some(format)
}

/// A workflow file's value with its `activities` references renamed, or `None` when none of
/// them names a renamed file (or the file is no workflow file). A reference without an
/// extension matches any format and stays as it is.
fn rewrite_references(
    d: &Definition<'_>,
    workflows: &HashMap<&str, String>,
    renamed: &BTreeMap<String, String>,
) -> Option<Value> {
    let (this, rest) = d.path.split_once('/')?;
    if !rest.starts_with("workflow.") {
        return None;
    }
    let entries = d.decoded.value.get("activities")?.as_array()?;
    let mut changed: Vec<(usize, String)> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let Some(reference) = entry.as_str() else {
            continue;
        };
        let parts: Vec<&str> = reference.split('/').collect();
        let (wf, name) = match parts.as_slice() {
            [name] => (this, *name),
            [wf, name] | [wf, "activities", name] => (*wf, *name),
            _ => continue,
        };
        if !layout::is_definition_file(name) {
            continue;
        }
        let Some(dir) = workflows.get(wf) else {
            continue;
        };
        let Some(new) = renamed.get(&format!("{wf}/{dir}/{name}")) else {
            continue;
        };
        let new_name = new.rsplit_once('/').map_or(new.as_str(), |(_, n)| n);
        let prefix = &reference[..reference.len() - name.len()];
        changed.push((i, format!("{prefix}{new_name}")));
    }
    if changed.is_empty() {
        return None;
    }
    let mut value = d.decoded.value.clone();
    let list = value.get_mut("activities")?.as_array_mut()?;
    for (i, new) in changed {
        list[i] = Value::String(new);
    }
    Some(value)
}

#[cfg(test)]
mod tests;
