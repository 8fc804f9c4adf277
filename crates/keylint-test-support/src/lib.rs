//! Test support shared by every keylint test layer (unit, property, CLI, language server
//! and the editor end-to-end suites, through the `keylint-leak-check` binary).
//!
//! The leak check: no output may contain any [`LEAK_WINDOW`] consecutive characters of a
//! fabricated secret, nor of its base64 form (Kubernetes Secret `data:`), except inside
//! what a mask may show, the known key prefix (`sk-proj-`, [`SHOWN_PREFIXES`]); the last 4
//! characters a mask shows are shorter than a window. [`Secrets::in_dir`] and
//! [`Secrets::in_text`] collect every key-shaped token of a fixture, so no test forgets
//! one. Reports never print a secret: they show it masked, with offsets.
//!
//! ```
//! use keylint_test_support::Secrets;
//! let key = "sk-proj-Qw3rTy7uIo9pAs1dFg4hJk6lZx8cVb0nM2QwErTyUiOpAsDfGhJkLzXcVbNmQwErTyUiOp";
//! let secrets = Secrets::in_text(&format!("OPENAI_API_KEY={key}\n"));
//! assert_eq!(secrets.len(), 1);
//! assert!(secrets.leaks("message", "OPENAI_API_KEY=sk-proj-…UiOp (79 chars)").is_empty());
//! assert_eq!(secrets.leaks("message", &format!("value {}", &key[20..40])).len(), 1);
//! ```

mod fabricate;
mod leak;
mod secrets;

pub use fabricate::random_alnum;
pub use leak::{Form, Leak};
pub use secrets::Secrets;

/// The shortest run of a secret's characters that counts as a leak.
pub const LEAK_WINDOW: usize = 12;

/// Key prefixes a mask may show, because they only tell which kind of key a value is.
/// This crate depends on no keylint crate, so the list is its own; a unit test of
/// keylint-core's masker checks it is the list the masker uses.
pub const SHOWN_PREFIXES: &[&str] = &[
    "sk-ant-admin01-",
    "sk-ant-api03-",
    "sk-svcacct-",
    "sk-admin-",
    "sk-proj-",
    "sk-None-",
    "sk-ant-",
    "sk-or-v1-",
    "Bearer ",
    "AIza",
    "gsk_",
    "xai-",
    "sk-",
];
