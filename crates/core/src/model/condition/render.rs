//! One-line renderings (docs/formats.md#condition-rendering) and the claim comparison of
//! docs/protocol.md#transition-conditions. Agents echo rendered conditions back in
//! `transition_condition`, so the renderings are part of the protocol.

use serde_json::Value;

use super::Condition;

impl Condition {
    /// The canonical rendering: nested `and`/`or` operands in parentheses, so the string has one
    /// reading; values as compact JSON.
    pub fn render(&self) -> String {
        self.render_as(Style::Canonical)
    }

    /// The original server's rendering, still accepted in claims: it interpolated the value's
    /// `JSON.stringify`, which is the word `undefined` for `exists`/`notExists`, and it did not
    /// parenthesise nested `and`/`or` operands.
    pub fn render_legacy(&self) -> String {
        self.render_as(Style::Legacy)
    }

    fn render_as(&self, style: Style) -> String {
        enum Piece<'a> {
            /// A condition, and whether it is an operand of `and`/`or`.
            Condition(&'a Condition, bool),
            Text(&'static str),
        }
        let mut out = String::new();
        // A stack of pieces still to write, last first: any depth renders without recursion.
        let mut pending = vec![Piece::Condition(self, false)];
        while let Some(piece) = pending.pop() {
            let (condition, is_operand) = match piece {
                Piece::Text(text) => {
                    out.push_str(text);
                    continue;
                }
                Piece::Condition(condition, is_operand) => (condition, is_operand),
            };
            match condition {
                Condition::Simple {
                    variable,
                    operator,
                    value,
                } => {
                    out.push_str(variable);
                    out.push(' ');
                    out.push_str(operator.as_str());
                    match style {
                        Style::Canonical if operator.takes_value() => {
                            if let Some(value) = value {
                                out.push(' ');
                                out.push_str(&value.to_string());
                            }
                        }
                        Style::Canonical => {}
                        Style::Legacy => {
                            out.push(' ');
                            out.push_str(
                                &value
                                    .as_ref()
                                    .map_or_else(|| "undefined".to_owned(), javascript_json),
                            );
                        }
                    }
                }
                Condition::And { conditions } | Condition::Or { conditions } => {
                    let joiner = if matches!(condition, Condition::And { .. }) {
                        " AND "
                    } else {
                        " OR "
                    };
                    let wrap = is_operand && style == Style::Canonical;
                    if wrap {
                        pending.push(Piece::Text(")"));
                    }
                    for (i, operand) in conditions.iter().enumerate().rev() {
                        pending.push(Piece::Condition(operand, true));
                        if i > 0 {
                            pending.push(Piece::Text(joiner));
                        }
                    }
                    if wrap {
                        pending.push(Piece::Text("("));
                    }
                }
                Condition::Not { condition } => {
                    pending.push(Piece::Text(")"));
                    pending.push(Piece::Condition(condition, false));
                    pending.push(Piece::Text("NOT ("));
                }
            }
        }
        out
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Canonical,
    Legacy,
}

/// `JSON.stringify` of a value as the original rendered it. It differs from compact JSON in
/// integral floats: JavaScript has one number type, so `1.0` printed as `1`.
fn javascript_json(value: &Value) -> String {
    const EXACT_INTEGERS: f64 = 1e21; // below this JavaScript prints integral numbers plainly
    match value.as_f64() {
        Some(f) if value.is_f64() && f.fract() == 0.0 && f.abs() < EXACT_INTEGERS => {
            (f as i128).to_string()
        }
        _ => value.to_string(),
    }
}

/// Whether an agent's `transition_condition` names `condition`
/// (docs/protocol.md#transition-conditions): after trimming and collapsing whitespace runs on both
/// sides, it equals the canonical or the legacy rendering.
pub fn claim_matches(condition: &Condition, claim: &str) -> bool {
    let claim = collapse_whitespace(claim);
    claim == collapse_whitespace(&condition.render())
        || claim == collapse_whitespace(&condition.render_legacy())
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
