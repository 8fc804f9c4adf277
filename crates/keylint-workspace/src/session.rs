//! An open document's lint between edits (the language server keeps one per document):
//! the core's [`EnvSession`], trusted only while everything around the document's text
//! is the same as at the last lint (the project's index, the other open buffers, the
//! document's consumers, settings and rules); otherwise the lint reads the whole text.

use std::path::Path;

use keylint_core::incremental::{EnvSession, LazyParse};
use keylint_core::{Diagnostic, FileKind, Project as _};

use crate::workspace::{Surroundings, Workspace};

#[derive(Default)]
pub struct LintSession {
    env: EnvSession,
    around: Option<Around>,
}

/// What the last lint's findings depend on besides the text.
#[derive(PartialEq)]
struct Around {
    /// The consumers, settings, rules and template and committed status, as text.
    judged: String,
    surroundings: Surroundings,
}

impl Workspace {
    /// [`Workspace::lint_parsed`] of a fresh parse of `text`, judging again only what
    /// changed since the last lint in `session` where it can (an edit of a long `.env`).
    /// Returns the parse too, for hover (see [`EnvSession::lint`]).
    #[must_use]
    pub fn lint_in_session(
        &self,
        path: &Path,
        text: &str,
        kind: FileKind,
        session: &mut LintSession,
    ) -> (Vec<Diagnostic>, LazyParse) {
        let (input, settings, selection) = self.judging(path, text, kind);
        let around = Around {
            judged: format!(
                "{:?}",
                (
                    self.consumers_of(path),
                    &settings,
                    &selection,
                    input.is_template,
                    input.is_committed
                )
            ),
            surroundings: self.surroundings(path),
        };
        if session.around.as_ref() != Some(&around) {
            session.env.reset();
        }
        session.around = Some(around);
        session.env.lint(&input, self, &settings, &selection)
    }
}
