//! JSON numbers compared by value, exactly: integers as integers (so large ones do not collapse
//! together as they would in `f64`), an integer against a float without rounding either. Both
//! conditions and the schema checker compare numbers, and must agree that `1 == 1.0`.

use std::cmp::Ordering;

use serde_json::Number;

/// A JSON number kept exact where it is an integer.
#[derive(Clone, Copy)]
pub(crate) enum Num {
    Int(i128),
    Float(f64),
}

impl Num {
    pub(crate) fn of(n: &Number) -> Num {
        if let Some(i) = n.as_i64() {
            Num::Int(i.into())
        } else if let Some(u) = n.as_u64() {
            Num::Int(u.into())
        } else {
            Num::Float(n.as_f64().unwrap_or(f64::NAN))
        }
    }
}

/// `None` only when a float is NaN.
pub(crate) fn compare(a: Num, b: Num) -> Option<Ordering> {
    match (a, b) {
        (Num::Int(a), Num::Int(b)) => Some(a.cmp(&b)),
        (Num::Float(a), Num::Float(b)) => a.partial_cmp(&b),
        (Num::Int(i), Num::Float(f)) => int_vs_float(i, f),
        (Num::Float(f), Num::Int(i)) => int_vs_float(i, f).map(Ordering::reverse),
    }
}

/// [`compare`] for two JSON numbers.
pub(crate) fn compare_numbers(a: &Number, b: &Number) -> Option<Ordering> {
    compare(Num::of(a), Num::of(b))
}

/// Compares the integer with the float's integral part, then its fraction. The saturating cast
/// is safe because JSON integers stay far inside `i128`.
fn int_vs_float(i: i128, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    let whole = f.trunc();
    match i.cmp(&(whole as i128)) {
        Ordering::Equal => whole.partial_cmp(&f),
        unequal => Some(unequal),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Option<Ordering> {
        let n = |s: &str| serde_json::from_str::<Number>(s).unwrap();
        compare_numbers(&n(a), &n(b))
    }

    #[test]
    fn integers_and_floats_compare_exactly() {
        assert_eq!(cmp("1", "1.0"), Some(Ordering::Equal));
        assert_eq!(cmp("2", "1.5"), Some(Ordering::Greater));
        assert_eq!(cmp("-1", "-0.5"), Some(Ordering::Less));
        assert_eq!(
            cmp("9007199254740993", "9007199254740992.0"),
            Some(Ordering::Greater),
            "beyond f64's exact integers"
        );
        assert_eq!(
            cmp("18446744073709551615", "18446744073709551614"),
            Some(Ordering::Greater)
        );
    }
}
