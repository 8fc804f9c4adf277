//! Linting and fixing files of a [`Workspace`]: the one pipeline the command line
//! (`lint`, `--fix`, `--diff`) and the language server (diagnostics, fix-all) share, so
//! both judge a file with the same kind, template status, rules, severities and project.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use keylint_core::assignment::ParsedFile;
use keylint_core::fix::{Provenance, applied_edits, apply_fixes_of};
use keylint_core::probed::ProbedKey;
use keylint_core::source::{FileKind, is_template_by_name, kind_by_name};
use keylint_core::{Diagnostic, LineIndex, LintInput, Project as _, RuleSelection, Settings};
use rayon::prelude::*;

use crate::config::Config;
use crate::workspace::Workspace;

/// At most this many fix passes per file: a fix may uncover another (quotes, then
/// whitespace).
pub const FIX_PASSES: usize = 4;

/// At most this many rounds over a set of files: a fix in one file may change another's
/// findings (a renamed variable that a Compose file interpolates).
pub const FIX_ROUNDS: usize = 4;

/// One fix that was applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub code: &'static str,
    pub description: String,
}

/// A file's text after fixing, what was fixed, and which bytes of the original it keeps
/// (for `--diff`, whose patch copies them instead of repeating a key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    pub applied: Vec<Applied>,
    pub provenance: Provenance,
}

impl Fixed {
    /// `text` before any fix.
    #[must_use]
    pub fn unchanged(text: &str) -> Fixed {
        Fixed {
            text: text.to_string(),
            applied: Vec::new(),
            provenance: Provenance::unchanged(text.len()),
        }
    }
}

impl Workspace {
    /// How keylint reads `path`: by its name; otherwise as an env file when its config
    /// `include`s it or it was named on purpose (`named`).
    #[must_use]
    pub fn kind_of(&self, path: &Path, named: bool) -> Option<FileKind> {
        kind_by_name(&path.to_string_lossy())
            .or_else(|| (named || self.is_included(path)).then_some(FileKind::EnvFile))
    }

    /// Whether no value rule reports on `path`: `.env.example` and friends, and the
    /// config's `templates`.
    #[must_use]
    pub fn is_template(&self, path: &Path) -> bool {
        is_template_in(path, self.usable_config(path).as_deref())
    }

    /// What the lint of `text` as the file at `path` takes besides the project: its
    /// input, the core's settings and the rules, from one look-up of its config.
    pub(crate) fn judging<'a>(
        &self,
        path: &'a Path,
        text: &'a str,
        kind: FileKind,
    ) -> (LintInput<'a>, Settings, RuleSelection) {
        let config = self.usable_config(path);
        let config = config.as_deref();
        let input = LintInput {
            path,
            text,
            kind,
            is_template: is_template_in(path, config),
            is_committed: !self.is_ignored(path),
            probed: None,
        };
        (input, self.settings_in(config), self.selection_in(config))
    }

    /// The findings for `text` as the file at `path`.
    #[must_use]
    pub fn lint(&self, path: &Path, text: &str, kind: FileKind) -> Vec<Diagnostic> {
        let parsed = ParsedFile::parse(kind, text);
        self.lint_parsed(path, text, &parsed, &OnceLock::new())
    }

    /// [`Workspace::lint`] on a parse the caller keeps, and with the line index of `text`
    /// in `lines` if a rule built it (a report drawing the findings needs it too).
    #[must_use]
    pub fn lint_parsed(
        &self,
        path: &Path,
        text: &str,
        parsed: &ParsedFile,
        lines: &OnceLock<LineIndex>,
    ) -> Vec<Diagnostic> {
        let (input, settings, selection) = self.judging(path, text, parsed.kind);
        keylint_core::lint_parsed(&input, parsed, lines, self, &settings, &selection)
    }

    /// [`Workspace::lint`] with what a live probe said about the file's keys: the KL6xx
    /// rules run too.
    #[must_use]
    pub fn lint_probed(
        &self,
        path: &Path,
        text: &str,
        kind: FileKind,
        probed: &[ProbedKey],
    ) -> Vec<Diagnostic> {
        let (input, settings, selection) = self.judging(path, text, kind);
        let input = LintInput {
            probed: Some(probed),
            ..input
        };
        keylint_core::lint(&input, self, &settings, &selection)
    }

    /// Applies fixes until none is left (or [`FIX_PASSES`] passes), linting again after
    /// each pass.
    #[must_use]
    pub fn fix(&self, path: &Path, text: &str, kind: FileKind, include_unsafe: bool) -> Fixed {
        self.fix_further(path, Fixed::unchanged(text), kind, include_unsafe)
    }

    /// [`Workspace::fix`], continuing from a text already fixed (`so_far`).
    #[must_use]
    pub fn fix_further(
        &self,
        path: &Path,
        mut fixed: Fixed,
        kind: FileKind,
        include_unsafe: bool,
    ) -> Fixed {
        for _ in 0..FIX_PASSES {
            let found = self.lint(path, &fixed.text, kind);
            let (next, applied) = apply_fixes_of(&fixed.text, &found, include_unsafe);
            if applied.is_empty() || next == fixed.text {
                break;
            }
            fixed.provenance.record(&applied_edits(&found, &applied));
            fixed
                .applied
                .extend(applied.into_iter().filter_map(|index| {
                    let diagnostic = &found[index];
                    Some(Applied {
                        code: diagnostic.code,
                        description: diagnostic.fix.as_ref()?.description.clone(),
                    })
                }));
            fixed.text = next;
        }
        fixed
    }
}

/// Whether `path`, governed by `config`, is a template: by its name, or by the config's
/// `templates`.
fn is_template_in(path: &Path, config: Option<&Config>) -> bool {
    is_template_by_name(&path.to_string_lossy())
        || config.is_some_and(|config| config.templates.is_match(path))
}

/// One file to fix.
#[derive(Clone, Debug)]
pub struct FixTarget {
    pub path: PathBuf,
    pub kind: FileKind,
    pub text: String,
}

/// Fixes several files until nothing changes. Each round fixes every file against the
/// others as the previous round left them (laid over the disk), so the result does not
/// depend on which thread fixes which file first; the rounds stop when one changes
/// nothing, or after [`FIX_ROUNDS`].
#[must_use]
pub fn fix_files(workspace: &Workspace, targets: &[FixTarget], include_unsafe: bool) -> Vec<Fixed> {
    let mut current: Vec<Fixed> = targets
        .iter()
        .map(|target| Fixed::unchanged(&target.text))
        .collect();
    for _ in 0..FIX_ROUNDS {
        let snapshot = with_texts(workspace, targets, &current);
        let next: Vec<Fixed> = targets
            .par_iter()
            .zip(&current)
            .map(|(target, so_far)| {
                snapshot.fix_further(&target.path, so_far.clone(), target.kind, include_unsafe)
            })
            .collect();
        let changed = next
            .iter()
            .zip(&current)
            .any(|(next, current)| next.text != current.text);
        current = next;
        if !changed {
            break;
        }
    }
    current
}

/// `workspace` with the texts of `targets` laid over the disk.
#[must_use]
pub fn with_texts(workspace: &Workspace, targets: &[FixTarget], texts: &[Fixed]) -> Workspace {
    let mut snapshot = workspace.clone();
    for (target, fixed) in targets.iter().zip(texts) {
        if fixed.text != target.text {
            snapshot.set_overlay(&target.path, Arc::from(fixed.text.as_str()));
        }
    }
    snapshot
}
