//! Placeholder until the JSON decoder lands; replaced whole by it.

use super::{DecodeError, Decoded};
use crate::text::Span;

pub(super) fn decode(_text: &str) -> Result<Decoded, DecodeError> {
    Err(DecodeError::syntax(
        "the JSON decoder is not written yet",
        Span::default(),
    ))
}
