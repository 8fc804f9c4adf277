//! keylint-core: text in, findings out.
//!
//! **Architecture invariant:** no I/O, no async, no network, no LSP types. Everything a
//! rule needs from outside the file (sibling files, `.gitignore` answers) comes through
//! [`project::Project`], which the caller implements.

pub mod code;
pub mod consumer;
pub mod diagnostic;
mod helpers;
pub mod line_index;
pub mod mask;
pub mod syntax;

pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
pub use line_index::{ColumnUnit, LineColumn, LineIndex};
pub use mask::{escape_invisible, mask_secret};

pub mod assignment;
pub mod extract;
pub mod fix;
pub mod hints;
pub mod inspect;
pub mod linter;
pub mod probed;
pub mod project;
pub mod provider;
pub mod redaction;
pub mod rules;
pub mod source;
pub mod suppression;
pub mod uses;

pub use linter::{LintInput, RuleSelection, lint, lint_parsed};
pub use project::{ConsumerSet, LoneFile, Project, Settings};
pub use source::FileKind;
