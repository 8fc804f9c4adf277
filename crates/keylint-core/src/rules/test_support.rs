//! Renders a rule's findings on a snippet as text for inline snapshots.

use std::path::Path;

use crate::consumer::Consumer;
use crate::fix::apply_fixes;
use crate::linter::{LintInput, RuleSelection, lint};
use crate::mask::escape_invisible;
use crate::project::{ConsumerSet, LoneFile, Settings};
use crate::source::kind_by_name;
use crate::{ColumnUnit, LineIndex};

/// Lints `text` as `path` with only rule `code`, consumers unknown.
pub fn check(code: &str, path: &str, text: &str) -> String {
    check_with(code, path, text, &[])
}

/// Same, with these consumers known to read the file.
pub fn check_with(code: &str, path: &str, text: &str, consumers: &[Consumer]) -> String {
    let mut set = ConsumerSet::default();
    for consumer in consumers {
        set.add(*consumer, "test");
    }
    let project = LoneFile { consumers: set };
    let kind = kind_by_name(path).expect("test paths have a known kind");
    let input = LintInput::new(Path::new(path), text, kind);
    let selection = RuleSelection {
        select: vec![code.to_string()],
        ..RuleSelection::default()
    };
    let diagnostics = lint(&input, &project, &Settings::default(), &selection);
    let index = LineIndex::new(text);
    let mut out = String::new();
    for diagnostic in &diagnostics {
        let start = index.position(text, diagnostic.range.start, ColumnUnit::Scalar);
        let end = index.position(text, diagnostic.range.end, ColumnUnit::Scalar);
        out.push_str(&format!(
            "{}:{}-{}:{} {} {}: {}\n",
            start.line + 1,
            start.column + 1,
            end.line + 1,
            end.column + 1,
            diagnostic.severity.as_str(),
            diagnostic.code,
            diagnostic.message
        ));
        if let Some(fix) = &diagnostic.fix {
            let (fixed, _) = apply_fixes(text, std::slice::from_ref(diagnostic), true);
            out.push_str(&format!(
                "  fix ({}): {} => {}\n",
                fix.applicability.as_str(),
                fix.description,
                escape_invisible(&fixed)
            ));
        }
    }
    out
}

/// `text` after applying every fix of rule `code` once, with these consumers known; for
/// tests that a fix is idempotent and leaves nothing for the rule to report.
pub fn fix_all(code: &str, path: &str, text: &str, consumers: &[Consumer]) -> String {
    let mut set = ConsumerSet::default();
    for consumer in consumers {
        set.add(*consumer, "test");
    }
    let project = LoneFile { consumers: set };
    let kind = kind_by_name(path).expect("test paths have a known kind");
    let input = LintInput::new(Path::new(path), text, kind);
    let selection = RuleSelection {
        select: vec![code.to_string()],
        ..RuleSelection::default()
    };
    let diagnostics = lint(&input, &project, &Settings::default(), &selection);
    apply_fixes(text, &diagnostics, true).0
}
