//! `--format concise`: one line per finding, `path:line:col: CODE message`, as ruff's
//! concise format and compilers write it (editors and `grep` read it).

use keylint_core::mask::for_display;
use keylint_core::{ColumnUnit, LineIndex};

use super::{FileReport, severity_style};

/// Appends one file's lines.
pub fn render_file(out: &mut String, report: &FileReport, color: bool) {
    let text = report.text.as_deref().unwrap_or("");
    let index = LineIndex::new(text);
    let path = for_display(&report.path);
    for diagnostic in &report.diagnostics {
        let start = index.position(text, diagnostic.range.start, ColumnUnit::Scalar);
        let (style, reset) = severity_style(diagnostic.severity, color);
        out.push_str(&format!(
            "{path}:{}:{}: {style}{}{reset} {}\n",
            start.line + 1,
            start.column + 1,
            diagnostic.code,
            diagnostic.message
        ));
    }
}
