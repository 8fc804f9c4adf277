//! Output formats. The structs written here are hand-made counterparts of the core's
//! types, so the JSON v1 contract does not drift when the core changes.

pub mod concise;
pub mod fingerprint;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod statistics;

use keylint_core::{Diagnostic, FileKind, Severity};

/// One linted file and what was found in it.
pub struct FileReport {
    /// As given on the command line, or relative to the current directory when walked.
    pub path: String,
    /// `None` when the file could not be read as text.
    pub text: Option<String>,
    pub kind: FileKind,
    pub diagnostics: Vec<Diagnostic>,
    /// The lines of `text` the human report shows, masked as judged on the lint's own
    /// parse; `None` when that was not asked for or the file had no findings then.
    pub shown: Option<human::ShownLines>,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut summary = Summary {
            files: reports.len(),
            ..Summary::default()
        };
        for diagnostic in reports.iter().flat_map(|report| &report.diagnostics) {
            match diagnostic.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        summary
    }

    /// Counts `other` too (a report written in parts).
    pub fn add(&mut self, other: &Summary) {
        self.files += other.files;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
    }
}

/// The ANSI style of a severity (and the reset), or nothing without colour.
pub fn severity_style(severity: Severity, color: bool) -> (&'static str, &'static str) {
    if !color {
        return ("", "");
    }
    let style = match severity {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Info => "\x1b[1;36m",
    };
    (style, "\x1b[0m")
}
