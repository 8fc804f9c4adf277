//! Applying fixes: non-overlapping edits, all or nothing per fix; and [`Provenance`],
//! which records where each byte of a fixed text came from.

use std::ops::Range;

use crate::diagnostic::{Applicability, Diagnostic, Edit};

/// Applies the fixes of `diagnostics` to `text`. A fix whose edits overlap an already
/// accepted fix is skipped (the next lint pass offers it again). Returns the new text
/// and how many fixes were applied.
#[must_use]
pub fn apply_fixes(
    text: &str,
    diagnostics: &[Diagnostic],
    include_unsafe: bool,
) -> (String, usize) {
    let (fixed, applied) = apply_fixes_of(text, diagnostics, include_unsafe);
    (fixed, applied.len())
}

/// [`apply_fixes`], saying which: the indices in `diagnostics` of the fixes applied.
#[must_use]
pub fn apply_fixes_of(
    text: &str,
    diagnostics: &[Diagnostic],
    include_unsafe: bool,
) -> (String, Vec<usize>) {
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut applied = Vec::new();
    for (index, fix) in diagnostics
        .iter()
        .enumerate()
        .filter_map(|(index, diagnostic)| Some((index, diagnostic.fix.as_ref()?)))
    {
        if fix.applicability == Applicability::Unsafe && !include_unsafe {
            continue;
        }
        let valid = fix.edits.iter().all(|edit| {
            edit.range.start <= edit.range.end
                && edit.range.end <= text.len()
                && text.is_char_boundary(edit.range.start)
                && text.is_char_boundary(edit.range.end)
        });
        let overlaps = fix.edits.iter().any(|edit| {
            accepted
                .iter()
                .any(|other| overlap(&edit.range, &other.range))
        });
        if !valid || overlaps || fix.edits.is_empty() {
            continue;
        }
        accepted.extend(fix.edits.iter());
        applied.push(index);
    }
    sort_edits(&mut accepted);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for edit in accepted {
        out.push_str(&text[last..edit.range.start]);
        out.push_str(&edit.replacement);
        last = edit.range.end;
    }
    out.push_str(&text[last..]);
    (out, applied)
}

/// The edits of the fixes `applied` (indices into `diagnostics`, as
/// [`apply_fixes_of`] returns them), in the order they were applied.
#[must_use]
pub fn applied_edits<'a>(diagnostics: &'a [Diagnostic], applied: &[usize]) -> Vec<&'a Edit> {
    let mut edits: Vec<&Edit> = applied
        .iter()
        .filter_map(|&index| diagnostics.get(index)?.fix.as_ref())
        .flat_map(|fix| fix.edits.iter())
        .collect();
    sort_edits(&mut edits);
    edits
}

fn sort_edits(edits: &mut [&Edit]) {
    edits.sort_by_key(|edit| (edit.range.start, edit.range.end));
}

fn overlap(a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> bool {
    // Two insertions at the same point also conflict: their order would be arbitrary.
    a.start < b.end && b.start < a.end || a.start == b.start
}

/// One part of a fixed text: bytes of the original, or text a fix inserted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Original(Range<usize>),
    Inserted(String),
}

impl Piece {
    fn len(&self) -> usize {
        match self {
            Piece::Original(range) => range.len(),
            Piece::Inserted(text) => text.len(),
        }
    }

    /// The part `within` (offsets relative to this piece's start).
    fn part(&self, within: Range<usize>) -> Piece {
        match self {
            Piece::Original(range) => {
                Piece::Original(range.start + within.start..range.start + within.end)
            }
            Piece::Inserted(text) => Piece::Inserted(text[within].to_string()),
        }
    }
}

/// Where each byte of a text made by edits comes from: which bytes are copied from the
/// original and which were inserted. A patch built from it copies every unchanged byte
/// (a key included) instead of repeating it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provenance {
    /// In text order; empty pieces are never kept.
    pieces: Vec<Piece>,
}

impl Provenance {
    /// An unchanged text of `length` bytes.
    #[must_use]
    pub fn unchanged(length: usize) -> Provenance {
        Provenance {
            pieces: if length == 0 {
                Vec::new()
            } else {
                vec![Piece::Original(0..length)]
            },
        }
    }

    #[must_use]
    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    /// The text these pieces make of `original`.
    #[must_use]
    pub fn text(&self, original: &str) -> String {
        self.pieces
            .iter()
            .map(|piece| match piece {
                Piece::Original(range) => &original[range.clone()],
                Piece::Inserted(text) => text.as_str(),
            })
            .collect()
    }

    /// Records `edits` (sorted, non-overlapping, in offsets of the current text) as
    /// [`apply_fixes_of`] applies them.
    pub fn record(&mut self, edits: &[&Edit]) {
        let old = std::mem::take(&mut self.pieces);
        let length: usize = old.iter().map(Piece::len).sum();
        let mut cursor = Cursor {
            pieces: &old,
            index: 0,
            start: 0,
        };
        let mut last = 0;
        for edit in edits {
            cursor.copy(last..edit.range.start, &mut self.pieces);
            push(&mut self.pieces, Piece::Inserted(edit.replacement.clone()));
            last = edit.range.end;
        }
        cursor.copy(last..length, &mut self.pieces);
    }
}

/// Walks the pieces of a text in order of the ranges asked for.
struct Cursor<'a> {
    pieces: &'a [Piece],
    /// The first piece that may still be needed…
    index: usize,
    /// …and its offset in the text.
    start: usize,
}

impl Cursor<'_> {
    /// Pushes the parts of the pieces that cover `range` of the text; ranges come in order.
    fn copy(&mut self, range: Range<usize>, out: &mut Vec<Piece>) {
        while let Some(piece) = self.pieces.get(self.index) {
            let end = self.start + piece.len();
            if end <= range.start {
                self.index += 1;
                self.start = end;
                continue;
            }
            if self.start >= range.end {
                return;
            }
            let from = range.start.max(self.start) - self.start;
            let to = range.end.min(end) - self.start;
            push(out, piece.part(from..to));
            if end > range.end {
                return;
            }
            self.index += 1;
            self.start = end;
        }
    }
}

/// Appends `piece`, joining it to the last one when they continue each other.
fn push(pieces: &mut Vec<Piece>, piece: Piece) {
    if piece.len() == 0 {
        return;
    }
    match (pieces.last_mut(), piece) {
        (Some(Piece::Original(last)), Piece::Original(next)) if last.end == next.start => {
            last.end = next.end;
        }
        (Some(Piece::Inserted(last)), Piece::Inserted(next)) => last.push_str(&next),
        (_, piece) => pieces.push(piece),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn edits_applied(text: &str, edits: &[Edit]) -> String {
        let mut out = String::new();
        let mut last = 0;
        for edit in edits {
            out.push_str(&text[last..edit.range.start]);
            out.push_str(&edit.replacement);
            last = edit.range.end;
        }
        out + &text[last..]
    }

    /// Sorted, non-overlapping edits of an ASCII text of `length` bytes.
    fn edits(length: usize) -> impl Strategy<Value = Vec<Edit>> {
        proptest::collection::vec((0..=length, 0..4usize, "[a-z]{0,3}"), 0..5).prop_map(
            move |raw| {
                let mut edits: Vec<Edit> = Vec::new();
                let mut starts: Vec<(usize, usize, String)> = raw;
                starts.sort_by_key(|(start, _, _)| *start);
                let mut last_end = 0;
                for (start, length_cut, replacement) in starts {
                    if start < last_end || (start == last_end && !edits.is_empty()) {
                        continue;
                    }
                    let end = (start + length_cut).min(length);
                    edits.push(Edit::replace(start..end, replacement));
                    last_end = end;
                }
                edits
            },
        )
    }

    proptest! {
        /// Recorded edits make the same text as applying them, pass after pass, and the
        /// original pieces really are the original's bytes.
        #[test]
        fn provenance_rebuilds_the_edited_text(
            original in "[A-Z0-9\\n]{0,24}",
            first in edits(24),
            second in edits(40),
        ) {
            let mut provenance = Provenance::unchanged(original.len());
            let mut current = original.clone();
            for pass in [first, second] {
                let pass: Vec<Edit> = pass
                    .into_iter()
                    .filter(|edit| edit.range.end <= current.len())
                    .collect();
                let refs: Vec<&Edit> = pass.iter().collect();
                provenance.record(&refs);
                current = edits_applied(&current, &pass);
                prop_assert_eq!(provenance.text(&original), current.clone());
            }
            for piece in provenance.pieces() {
                prop_assert!(piece.len() > 0);
            }
        }
    }

    #[test]
    fn unchanged_bytes_stay_copies() {
        let original = "A=1\r\nKEY=secret\r\n";
        let mut provenance = Provenance::unchanged(original.len());
        let crlf: Vec<Edit> = original
            .match_indices("\r\n")
            .map(|(at, _)| Edit::replace(at..at + 2, "\n"))
            .collect();
        provenance.record(&crlf.iter().collect::<Vec<_>>());
        assert_eq!(
            provenance.pieces(),
            [
                Piece::Original(0..3),
                Piece::Inserted("\n".into()),
                Piece::Original(5..15),
                Piece::Inserted("\n".into()),
            ]
        );
    }
}
