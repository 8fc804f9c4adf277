//! The default output: one grep-friendly line per finding
//! (`compose.yaml:12:9 error[KL101] quotes-kept: …`), then the source line with the
//! secret masked and the range underlined, then the fix.

use std::fmt::Write as _;
use std::ops::{Range, RangeInclusive};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use keylint_core::assignment::ParsedFile;
use keylint_core::{ColumnUnit, Diagnostic, LineIndex, Severity};
use rayon::prelude::*;

use super::{FileReport, Summary, severity_style};
use keylint_core::mask::for_display;
use keylint_core::redaction::{Masking, Redacted};

/// Each finding with its source lines; the summary line is the caller's.
pub fn render(reports: &[FileReport], color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    // Files are masked and drawn side by side: on a big tree this is a fair share of the run.
    reports
        .par_iter()
        .map(|report| render_file(&renderer, report, color))
        .collect()
}

fn render_file(renderer: &Renderer, report: &FileReport, color: bool) -> String {
    let mut out = String::new();
    if report.diagnostics.is_empty() {
        return out;
    }
    // Masked once per file: every finding's header repeats it.
    let path = for_display(&report.path);
    let Some(text) = report.text.as_deref() else {
        for diagnostic in &report.diagnostics {
            header(&mut out, &path, 1, 1, diagnostic, color);
        }
        return out;
    };
    let judged;
    let shown = match report
        .shown
        .as_ref()
        .filter(|shown| shown.holds(text, &report.diagnostics))
    {
        Some(shown) => shown,
        // Judged when linted, unless the findings changed since (the probe adds some).
        None => {
            judged = ShownLines::of(
                text,
                &ParsedFile::parse(report.kind, text),
                &report.diagnostics,
            );
            &judged
        }
    };
    let index = &shown.index;
    let redacted = shown.masking.redact(text);
    for diagnostic in &report.diagnostics {
        let start = index.position(text, diagnostic.range.start, ColumnUnit::Scalar);
        header(
            &mut out,
            &path,
            start.line + 1,
            start.column + 1,
            diagnostic,
            color,
        );
        out.push_str(&context(renderer, text, &redacted, index, diagnostic));
        out.push('\n');
    }
    out
}

/// Appends `path:line:column severity[CODE] name: message`; `path` is already masked.
fn header(
    out: &mut String,
    path: &str,
    line: usize,
    column: usize,
    diagnostic: &Diagnostic,
    color: bool,
) {
    let (style, reset) = severity_style(diagnostic.severity, color);
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "{path}:{line}:{column} {style}{}[{}]{reset} {}: {}",
        diagnostic.severity.as_str(),
        diagnostic.code,
        diagnostic.name,
        diagnostic.message
    );
}

/// The source lines a file's findings show, as they are masked.
pub struct ShownLines {
    index: LineIndex,
    masking: Masking,
}

impl ShownLines {
    /// The lines `diagnostics` show of `text`, judged on a parse of it (the lint's).
    pub fn of(text: &str, parsed: &ParsedFile, diagnostics: &[Diagnostic]) -> ShownLines {
        let index = LineIndex::new(text);
        let masking = Masking::of_lines(
            text,
            parsed,
            &index,
            diagnostics
                .iter()
                .map(|diagnostic| shown_lines(&index, diagnostic)),
        );
        ShownLines { index, masking }
    }

    /// Whether these are the lines of `text` that `diagnostics` show (or more).
    fn holds(&self, text: &str, diagnostics: &[Diagnostic]) -> bool {
        diagnostics.iter().all(|diagnostic| {
            self.masking
                .shows(&shown_bytes(text, &self.index, diagnostic))
        })
    }
}

/// The lines shown of a finding (0-based): the one it starts on and up to 3 more it covers.
fn shown_lines(index: &LineIndex, diagnostic: &Diagnostic) -> RangeInclusive<usize> {
    let first_line = index.line_of(diagnostic.range.start);
    let last_line = index
        .line_of(
            diagnostic
                .range
                .end
                .saturating_sub(1)
                .max(diagnostic.range.start),
        )
        .min(first_line + 3);
    first_line..=last_line
}

/// [`shown_lines`] as a byte range of `text`, line breaks included.
fn shown_bytes(text: &str, index: &LineIndex, diagnostic: &Diagnostic) -> Range<usize> {
    let lines = shown_lines(index, diagnostic);
    let line_start = index.line_start(*lines.start()).unwrap_or(0);
    let line_end = index.line_start(lines.end() + 1).unwrap_or(text.len());
    line_start..line_end
}

/// The lines the finding covers, masked, with the range underlined and the fix as help.
fn context(
    renderer: &Renderer,
    text: &str,
    redacted: &Redacted,
    index: &LineIndex,
    diagnostic: &Diagnostic,
) -> String {
    let first_line = *shown_lines(index, diagnostic).start();
    let bytes = shown_bytes(text, index, diagnostic);
    let shown_start = redacted.map(bytes.start, false);
    let shown_end = redacted.map(bytes.end, true).max(shown_start);
    let shown = redacted.text[shown_start..shown_end].trim_end_matches(['\n', '\r']);
    let span_start = redacted
        .map(diagnostic.range.start, false)
        .saturating_sub(shown_start)
        .min(shown.len());
    let span_end = redacted
        .map(diagnostic.range.end, true)
        .saturating_sub(shown_start)
        .clamp(span_start, shown.len());
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    let mut group = Group::with_level(level.clone()).element(
        Snippet::source(shown)
            .line_start(first_line + 1)
            .annotation(AnnotationKind::Primary.span(span_start..span_end)),
    );
    if let Some(fix) = &diagnostic.fix {
        let safety = if fix.applicability == keylint_core::Applicability::Safe {
            ""
        } else {
            " (unsafe: needs --unsafe-fixes)"
        };
        group = group.element(Level::HELP.message(format!("fix: {}{safety}", fix.description)));
    }
    renderer.render(&[group])
}

pub fn summary_line(summary: &Summary) -> String {
    let plural =
        |count: usize, word: &str| format!("{count} {word}{}", if count == 1 { "" } else { "s" });
    if summary.errors + summary.warnings + summary.infos == 0 {
        return format!("No problems found in {}.\n", plural(summary.files, "file"));
    }
    format!(
        "Found {}, {} and {} in {}.\n",
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
        plural(summary.infos, "info"),
        plural(summary.files, "file")
    )
}
