//! Inline suppressions: comments that silence findings.
//!
//! - YAML: a trailing `# keylint: ignore[KL101]` (or `ignore[KL101,KL102]`, or a bare
//!   `ignore` for every rule) on the finding's line.
//! - `.env` and YAML: a comment line `# keylint: ignore-next-line[KL101]` silences the
//!   line below it. In a `.env` this is the only line-level form: a trailing comment
//!   would change the value for some loaders (`docker run --env-file` keeps it).
//! - Anywhere: `# keylint: ignore-file` (optionally `[codes]`) silences the whole file.
//!
//! A directive (or one code in it) that silences nothing is reported as KL002.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostic::Diagnostic;
use crate::line_index::LineIndex;
use crate::source::FileKind;

/// What a directive covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The line the directive is on (YAML trailing comment).
    Line(usize),
    /// The line below the directive.
    NextLine(usize),
    File,
    /// A trailing comment in a `.env`: not a suppression (reported by KL002).
    TrailingInEnv,
}

/// One `# keylint: …` directive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    pub scope: Scope,
    /// The codes or names listed; empty means every rule.
    pub codes: Vec<String>,
    /// Byte range of the directive (from `#` to the end of the comment), for KL002.
    pub range: Range<usize>,
    /// Byte range of each listed code, in `codes` order.
    pub code_ranges: Vec<Range<usize>>,
}

impl Suppression {
    /// Whether this directive silences `diagnostic`, which starts on 0-based `line`.
    #[must_use]
    pub fn covers(&self, diagnostic: &Diagnostic, line: usize) -> Option<Option<usize>> {
        let in_scope = match self.scope {
            Scope::Line(own) => own == line,
            Scope::NextLine(own) => own + 1 == line,
            Scope::File => true,
            Scope::TrailingInEnv => false,
        };
        if !in_scope {
            return None;
        }
        if self.codes.is_empty() {
            return Some(None);
        }
        self.codes
            .iter()
            .position(|code| names_rule(code, diagnostic.code, diagnostic.name))
            .map(Some)
    }
}

/// Whether a code in a directive names this rule (exact code or name, case-insensitive code).
#[must_use]
pub fn names_rule(selector: &str, code: &str, name: &str) -> bool {
    selector.eq_ignore_ascii_case(code) || selector == name
}

/// `# keylint: <directive>[codes]`, case-sensitive directive names.
static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"#[ \t]*keylint:[ \t]*(ignore-file|ignore-next-line|ignore)\b(?:\[([^\]\r\n]*)\])?")
        .expect("directive pattern is valid")
});

/// Every directive in `text`. In `.env` files only whole-line comments count; in YAML
/// a comment may trail a value (`#` after a blank, outside quotes as far as a plain
/// scan can tell: a `#` glued to text is not a YAML comment).
#[must_use]
pub fn parse(text: &str, kind: FileKind) -> Vec<Suppression> {
    if !text.contains("keylint:") {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    let mut out = Vec::new();
    for found in DIRECTIVE.captures_iter(text) {
        let whole = found.get(0).expect("group 0 always matches");
        let line = index.line_of(whole.start());
        let line_start = index.line_start(line).unwrap_or(0);
        let before = &text[line_start..whole.start()];
        let whole_line = before.trim_start_matches('\u{feff}').trim().is_empty();
        if !whole_line {
            // A trailing comment: YAML only, and only when `#` starts a comment there.
            if !before.ends_with([' ', '\t']) || inside_quotes(before) {
                continue;
            }
        }
        let directive = &found[1];
        let scope = match directive {
            _ if !whole_line && kind == FileKind::EnvFile => Scope::TrailingInEnv,
            "ignore-file" => Scope::File,
            "ignore-next-line" => Scope::NextLine(line),
            _ if whole_line => {
                // A bare `# keylint: ignore` on its own line means the next line in a
                // `.env` (where trailing comments are not supported) and is ambiguous in
                // YAML: treat it as the next line in both, like ignore-next-line.
                Scope::NextLine(line)
            }
            _ => Scope::Line(line),
        };
        let mut codes = Vec::new();
        let mut code_ranges = Vec::new();
        if let Some(list) = found.get(2) {
            let mut offset = list.start();
            for part in list.as_str().split(',') {
                let trimmed = part.trim();
                if !trimmed.is_empty() {
                    let lead = part.len() - part.trim_start().len();
                    codes.push(trimmed.to_string());
                    code_ranges.push(offset + lead..offset + lead + trimmed.len());
                }
                offset += part.len() + 1;
            }
        }
        out.push(Suppression {
            scope,
            codes,
            range: whole.range(),
            code_ranges,
        });
    }
    out
}

/// A rough check that `#` is not inside an open quoted YAML scalar on this line.
fn inside_quotes(before: &str) -> bool {
    let mut quote: Option<char> = None;
    for character in before.chars() {
        match (quote, character) {
            (None, '"' | '\'') => quote = Some(character),
            (Some(open), _) if open == character => quote = None,
            _ => {}
        }
    }
    quote.is_some()
}

/// Removes the diagnostics the directives silence. Returns, per directive, which of its
/// codes were used (`used_all` for a directive without codes).
pub fn apply(
    text: &str,
    suppressions: &[Suppression],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Usage> {
    let mut usage: Vec<Usage> = suppressions
        .iter()
        .map(|suppression| Usage {
            used_all: false,
            used_codes: vec![false; suppression.codes.len()],
        })
        .collect();
    if suppressions.is_empty() {
        return usage;
    }
    let index = LineIndex::new(text);
    // Directives by the line they silence, so each finding asks only its own line's.
    let mut by_line: std::collections::HashMap<usize, Vec<usize>> =
        std::collections::HashMap::new();
    let mut whole_file = Vec::new();
    for (position, suppression) in suppressions.iter().enumerate() {
        match suppression.scope {
            Scope::Line(line) => by_line.entry(line).or_default().push(position),
            Scope::NextLine(line) => by_line.entry(line + 1).or_default().push(position),
            Scope::File => whole_file.push(position),
            Scope::TrailingInEnv => {}
        }
    }
    diagnostics.retain(|diagnostic| {
        let line = index.line_of(diagnostic.range.start.min(text.len()));
        let mut silenced = false;
        let candidates = by_line.get(&line).into_iter().flatten().chain(&whole_file);
        for &position in candidates {
            match suppressions[position].covers(diagnostic, line) {
                Some(None) => {
                    usage[position].used_all = true;
                    silenced = true;
                }
                Some(Some(code)) => {
                    usage[position].used_codes[code] = true;
                    silenced = true;
                }
                None => {}
            }
        }
        !silenced
    });
    usage
}

/// Which parts of a directive silenced something.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    pub used_all: bool,
    pub used_codes: Vec<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_form() {
        let yaml = "a: 1 # keylint: ignore[KL101, quotes-kept]\n# keylint: ignore-file\nb: \"x # keylint: ignore\"\nc: d#keylint: ignore\n";
        let found = parse(yaml, FileKind::Compose);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].scope, Scope::Line(0));
        assert_eq!(found[0].codes, ["KL101", "quotes-kept"]);
        assert_eq!(&yaml[found[0].code_ranges[1].clone()], "quotes-kept");
        assert_eq!(found[1].scope, Scope::File);

        let env = "# keylint: ignore-next-line[KL102]\nA=1 # keylint: ignore[KL102]\n  # keylint: ignore-file[KL201]\n";
        let found = parse(env, FileKind::EnvFile);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].scope, Scope::NextLine(0));
        assert_eq!(found[1].scope, Scope::TrailingInEnv);
        assert_eq!(found[2].scope, Scope::File);
        assert_eq!(found[2].codes, ["KL201"]);
    }
}
