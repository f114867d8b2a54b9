//! The text renderings of docs/protocol.md#successful-results and the time format of
//! docs/protocol.md#time.

use serde::Serialize;
use serde_json::Value;

use crate::encode::toon;

/// Unix milliseconds as RFC 3339 UTC with milliseconds (`2026-11-24T10:15:30.123Z`).
pub(crate) fn rfc3339(ms: u64) -> String {
    let secs = ms / 1000;
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms % 1000
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm, for
/// non-negative day counts).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

/// A value as JSON: results are built from plain data, so serialisation cannot fail; a failure
/// would be a bug and degrades to `null` rather than a panic.
pub(crate) fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The **TOON** kind.
pub(crate) fn toon(value: &Value) -> String {
    toon::encode(value)
}

/// The **header + …** kinds: `key: value` lines, a blank line, then the body.
pub(crate) fn with_header(header: &[(&str, &str)], body: &str) -> String {
    let lines: usize = header.iter().map(|(k, v)| k.len() + v.len() + 3).sum();
    let mut out = String::with_capacity(lines + 1 + body.len());
    for (key, value) in header {
        out.push_str(key);
        out.push_str(": ");
        out.push_str(value);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(body);
    out
}

/// A value echoed in a message, cut short so a megabyte argument does not come back whole.
pub(crate) fn shown(value: &str) -> String {
    const MAX_SHOWN: usize = 200;
    if value.chars().count() <= MAX_SHOWN {
        value.to_owned()
    } else {
        let mut s: String = value.chars().take(MAX_SHOWN).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(1_795_515_330_123), "2026-11-24T10:15:30.123Z");
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn header_then_body() {
        assert_eq!(
            with_header(&[("a", "1"), ("b", "2")], "x"),
            "a: 1\nb: 2\n\nx"
        );
    }
}
