//! Serde defaults for the model's boolean flags: most default to `true` (a step, checkpoint or
//! activity is required unless said otherwise) and are left out when they hold their default,
//! so served definitions stay as short as the author wrote them.

pub(super) fn yes() -> bool {
    true
}

pub(super) fn is_true(b: &bool) -> bool {
    *b
}

pub(super) fn is_false(b: &bool) -> bool {
    !*b
}
