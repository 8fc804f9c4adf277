//! What the rules produce: diagnostics with byte ranges and optional fixes.
//!
//! Ranges are byte offsets into the file text. Converting them to lines and columns
//! (scalar values for the CLI, UTF-16 for the server) is the caller's job, via
//! [`crate::LineIndex`].

use std::ops::Range;

/// How bad a finding is. Ordered so that `Error > Warning > Info`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    #[must_use]
    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// Whether a fix can be applied without asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applicability {
    /// The program receives the intended value afterwards, and nothing else changes.
    Safe,
    /// Probably right, but it changes behaviour a human should confirm (a rename, a moved value).
    Unsafe,
}

impl Applicability {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the bytes in `range` with `replacement`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

impl Edit {
    #[must_use]
    pub fn delete(range: Range<usize>) -> Edit {
        Edit {
            range,
            replacement: String::new(),
        }
    }

    #[must_use]
    pub fn replace(range: Range<usize>, replacement: impl Into<String>) -> Edit {
        Edit {
            range,
            replacement: replacement.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    /// Imperative title, e.g. "Remove the quotes". Never contains a secret.
    pub description: String,
    /// Non-overlapping edits, sorted by start.
    pub edits: Vec<Edit>,
}

impl Fix {
    #[must_use]
    pub fn safe(description: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(Applicability::Safe, description, edits)
    }

    #[must_use]
    pub fn unsafe_(description: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(Applicability::Unsafe, description, edits)
    }

    fn new(
        applicability: Applicability,
        description: impl Into<String>,
        mut edits: Vec<Edit>,
    ) -> Fix {
        edits.sort_by_key(|edit| (edit.range.start, edit.range.end));
        Fix {
            applicability,
            description: description.into(),
            edits,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// Byte range of the offending text.
    pub range: Range<usize>,
    /// One sentence (or two) that names the variable, the consumer and the cure. Secrets are masked.
    pub message: String,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// The message and fix title as they may be shown: anything secret-shaped in them
    /// masked (a key where a name goes, a loader quoting the line), control characters
    /// made visible. Rules mask the values they quote; this catches what they cannot know.
    pub fn mask_for_display(&mut self) {
        if let std::borrow::Cow::Owned(message) = crate::mask::for_display(&self.message) {
            self.message = message;
        }
        if let Some(fix) = &mut self.fix
            && let std::borrow::Cow::Owned(description) = crate::mask::for_display(&fix.description)
        {
            fix.description = description;
        }
    }
}
