//! `--format json`: the v1 contract (docs/cli.md, "JSON output"), which tools outside keylint rely on.

use keylint_core::{ColumnUnit, LineIndex};
use serde::Serialize;

use super::{FileReport, Summary};

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: std::borrow::Cow<'a, str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: &'a str,
    description: &'a str,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

pub fn render(reports: &[FileReport]) -> String {
    let mut diagnostics = Vec::new();
    for report in reports {
        let text = report.text.as_deref().unwrap_or("");
        let index = LineIndex::new(text);
        for diagnostic in &report.diagnostics {
            let start = index.position(text, diagnostic.range.start, ColumnUnit::Scalar);
            let end = index.position(text, diagnostic.range.end, ColumnUnit::Scalar);
            diagnostics.push(JsonDiagnostic {
                path: keylint_core::mask::redact(&report.path),
                line: start.line + 1,
                column: start.column + 1,
                end_line: end.line + 1,
                end_column: end.column + 1,
                code: diagnostic.code,
                name: diagnostic.name,
                severity: diagnostic.severity.as_str(),
                message: &diagnostic.message,
                fix: diagnostic.fix.as_ref().map(|fix| JsonFix {
                    applicability: fix.applicability.as_str(),
                    description: &fix.description,
                }),
            });
        }
    }
    let summary = Summary::of(reports);
    let output = Output {
        version: 1,
        diagnostics,
        summary: JsonSummary {
            files: summary.files,
            errors: summary.errors,
            warnings: summary.warnings,
            infos: summary.infos,
        },
    };
    serde_json::to_string_pretty(&output).expect("diagnostics serialize") + "\n"
}
