//! Applying fixes: non-overlapping edits, all or nothing per fix.

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
    accepted.sort_by_key(|edit| (edit.range.start, edit.range.end));
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

fn overlap(a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> bool {
    // Two insertions at the same point also conflict: their order would be arbitrary.
    a.start < b.end && b.start < a.end || a.start == b.start
}
