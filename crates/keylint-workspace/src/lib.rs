//! keylint-workspace: everything keylint knows about the project, shared by the command
//! line and the language server: the files (disk and open buffers), the `keylint.toml`
//! governing each, who reads each env file, the `.gitignore` facts, and the one lint and
//! fix pipeline.
//!
//! **Architecture invariant:** the only place that opens workspace files. Reading never
//! blocks on or swallows a special file (FIFO, device, socket) and never takes more
//! than a size limit; writing goes through a temporary file that git ignores, keeps the
//! file's owner and mode, follows symlinks to the real file, and refuses to overwrite a
//! file that changed since it was read.

pub mod code;
pub mod config;
pub mod discover;
pub mod files;
pub mod lint;
pub mod listing;
pub mod names;
pub mod navigation;
pub mod session;
pub mod setters;
pub mod workspace;
pub mod write;

#[cfg(test)]
mod helpers;

/// A map keyed by a normalized path's bytes, with a fast hash: `Path`'s own hash walks
/// the components, and normalized paths are equal exactly when their bytes are.
pub(crate) type ByPath<V> = foldhash::HashMap<std::ffi::OsString, V>;

pub use lint::{Applied, FixTarget, Fixed, fix_files};
pub use session::LintSession;
pub use workspace::{Index, Overrides, Workspace};

/// The directory and the name of a path that ends in a name, as `Path::parent` and
/// `Path::file_name` give them, from one parse of its end (every file asks, often).
pub(crate) fn split_name(path: &std::path::Path) -> Option<(&std::path::Path, &std::ffi::OsStr)> {
    let mut components = path.components();
    match components.next_back()? {
        std::path::Component::Normal(name) => Some((components.as_path(), name)),
        _ => None,
    }
}

/// The value behind `mutex`, also after a panic elsewhere (what it guards stays whole).
pub(crate) fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
