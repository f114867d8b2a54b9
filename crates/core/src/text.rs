//! Byte offsets to the positions people and editors use.
//!
//! Decoders record byte offsets because that is what slicing needs; diagnostics need 1-based
//! lines and columns counted in Unicode scalar values (as rustc and most editors show them) and
//! UTF-16 offsets (what JavaScript strings index by). One index per file answers both in
//! O(line length) per lookup.

/// A half-open byte range `start..end` in a source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// A span shifted right by `by` bytes, for text that was decoded after a prefix (a BOM).
    pub const fn shifted(self, by: usize) -> Self {
        Self::new(self.start + by, self.end + by)
    }
}

/// A resolved location in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column in Unicode scalar values.
    pub column: u32,
    /// 0-based offset from the start of the text in UTF-16 code units.
    pub utf16: u32,
}

/// Line starts of one text, with the UTF-16 offset of each, so a lookup only scans one line.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// (byte offset, utf16 offset) of each line start.
    starts: Vec<(usize, u32)>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![(0usize, 0u32)];
        let mut utf16 = 0u32;
        for (i, ch) in text.char_indices() {
            utf16 += ch.len_utf16() as u32;
            if ch == '\n' {
                starts.push((i + 1, utf16));
            }
        }
        Self { text, starts }
    }

    /// The position of a byte offset; offsets past the end or inside a character are clamped
    /// back to the nearest character boundary.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.starts.binary_search_by(|(s, _)| s.cmp(&offset)) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let (start, utf16_start) = self.starts[line];
        let segment = &self.text[start..offset];
        let column = segment.chars().count() as u32 + 1;
        let utf16 = utf16_start + segment.encode_utf16().count() as u32;
        Position {
            line: line as u32 + 1,
            column,
            utf16,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_scalars_and_utf16_units() {
        let text = "ab\né𝄞x\n";
        let index = LineIndex::new(text);
        assert_eq!(
            index.position(0),
            Position {
                line: 1,
                column: 1,
                utf16: 0
            }
        );
        assert_eq!(
            index.position(3),
            Position {
                line: 2,
                column: 1,
                utf16: 3
            }
        );
        // 'x' follows 'é' (2 bytes, 1 unit) and '𝄞' (4 bytes, 2 units).
        let x = text.find('x').unwrap();
        assert_eq!(
            index.position(x),
            Position {
                line: 2,
                column: 3,
                utf16: 6
            }
        );
        assert_eq!(
            index.position(text.len()),
            Position {
                line: 3,
                column: 1,
                utf16: 8
            }
        );
    }

    #[test]
    fn offsets_inside_a_character_are_clamped() {
        let index = LineIndex::new("é");
        assert_eq!(index.position(1).column, 1);
        assert_eq!(index.position(99).column, 2);
    }
}
