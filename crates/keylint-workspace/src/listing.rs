//! What a directory walk saw: the directories it listed whole and what each of their
//! entries is, as the directory entry says (no `stat`). Within those directories it tells
//! whether a file exists and whether it is a regular file without asking the disk, and
//! lets a regular file be read without a `stat` before opening it. What the walk did not
//! list, and what a symlink leads to, is asked of the disk.
//!
//! It is the tree as it was when walked: one run reads it right away (the command line,
//! the server's index); a long-lived holder (the server's workspace) must not keep it.

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use keylint_core::project::normalize;

use crate::ByPath;
use crate::files::{self, FileText, MAX_CONTEXT_BYTES};

/// What a listed directory holds under a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    Missing,
    /// A regular file, not a link.
    File,
    /// A symlink: what it leads to is the disk's to say.
    Link,
    /// A directory or a special file.
    Other,
}

#[derive(Clone, Debug, Default)]
pub struct Listing {
    /// The current directory relative paths are joined to (the keys are absolute);
    /// `None` when nothing can be answered from the listing.
    cwd: Option<PathBuf>,
    /// The directories whose every entry was seen.
    dirs: foldhash::HashSet<OsString>,
    entries: ByPath<Entry>,
}

impl Listing {
    pub(crate) fn new() -> Listing {
        Listing {
            cwd: std::env::current_dir().ok(),
            ..Listing::default()
        }
    }

    /// Records the walked entry at `path`; `listed` when it is a directory whose entries
    /// the walk looks at.
    pub(crate) fn add(&mut self, path: &Path, entry: Entry, listed: bool) {
        let Some(key) = self.key(path) else {
            return;
        };
        if listed {
            self.dirs.insert(key.clone());
        }
        self.entries.insert(key, entry);
    }

    /// Answers nothing from now on: the walk missed entries (an unreadable directory, its
    /// entry limit), or its paths do not name what it read (a `..` after a directory,
    /// which may be a link).
    pub(crate) fn forget(&mut self) {
        *self = Listing::default();
    }

    /// Whether `path`, as written, names what [`normalize`] makes of it: `..` may
    /// only lead (the current directory has no links).
    pub(crate) fn names_what_it_reads(path: &Path) -> bool {
        let mut named = false;
        path.components().all(|component| match component {
            Component::Normal(_) => {
                named = true;
                true
            }
            Component::ParentDir => !named,
            _ => true,
        })
    }

    fn key(&self, path: &Path) -> Option<OsString> {
        let cwd = self.cwd.as_deref()?;
        // `link/..` is not where the text says: the disk resolves it.
        if !Listing::names_what_it_reads(path) {
            return None;
        }
        let absolute = if path.is_absolute() {
            normalize(path)
        } else {
            normalize(&cwd.join(path))
        };
        // The current directory has no links, so `..` left in it stands above the root.
        if absolute
            .components()
            .any(|part| part == Component::ParentDir)
        {
            return None;
        }
        Some(absolute.into_os_string())
    }

    /// What the walk saw at `path`, or `None` when its directory was not listed.
    #[must_use]
    pub fn entry(&self, path: &Path) -> Option<Entry> {
        let key = self.key(path)?;
        let dir = Path::new(&key).parent()?;
        if !self.dirs.contains(dir.as_os_str()) {
            return None;
        }
        Some(self.entries.get(&key).copied().unwrap_or(Entry::Missing))
    }

    /// Whether `path` exists (following a link), as `Path::exists`.
    #[must_use]
    pub fn exists(&self, path: &Path) -> bool {
        match self.entry(path) {
            Some(Entry::Missing) => false,
            Some(Entry::File | Entry::Other) => true,
            Some(Entry::Link) | None => path.exists(),
        }
    }

    /// Whether `path` is (or links to) a regular file.
    #[must_use]
    pub fn is_regular_file(&self, path: &Path) -> bool {
        match self.entry(path) {
            Some(Entry::Missing | Entry::Other) => false,
            Some(Entry::File) => true,
            Some(Entry::Link) | None => files::is_regular_file(path),
        }
    }

    /// [`files::read_text`], sparing the `stat` of a file known to be regular and the
    /// look for one known to be missing.
    pub fn read_text(&self, path: &Path, limit: u64) -> std::io::Result<FileText> {
        match self.entry(path) {
            Some(Entry::Missing) => Err(std::io::ErrorKind::NotFound.into()),
            Some(Entry::File) => files::read_listed_file(path, limit),
            Some(Entry::Link | Entry::Other) | None => files::read_text(path, limit),
        }
    }

    /// [`files::read_context`], likewise.
    #[must_use]
    pub fn read_context(&self, path: &Path) -> Option<String> {
        match self.read_text(path, MAX_CONTEXT_BYTES) {
            Ok(FileText::Text(text)) => Some(text),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_only_for_listed_directories() {
        let dir = tempfile::tempdir().unwrap();
        let root = normalize(dir.path());
        let mut listing = Listing::new();
        listing.add(&root, Entry::Other, true);
        listing.add(&root.join(".env"), Entry::File, false);
        listing.add(&root.join("sub"), Entry::Other, false);
        assert_eq!(listing.entry(&root.join(".env")), Some(Entry::File));
        assert_eq!(
            listing.entry(&root.join("keylint.toml")),
            Some(Entry::Missing)
        );
        assert_eq!(listing.entry(&root.join("sub/.env")), None);
        assert_eq!(listing.entry(&root.join("sub/../.env")), None);
        assert!(!listing.exists(&root.join("missing")));
        assert!(listing.is_regular_file(&root.join(".env")));
        assert!(Listing::names_what_it_reads(Path::new("../a/b")));
        assert!(!Listing::names_what_it_reads(Path::new("a/../b")));
        listing.forget();
        assert_eq!(listing.entry(&root.join(".env")), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_swapped_for_a_link_since_the_walk_is_read_as_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let root = normalize(dir.path());
        let path = root.join(".env");
        std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
        let mut listing = Listing::new();
        listing.add(&root, Entry::Other, true);
        listing.add(&path, Entry::File, false);
        let FileText::Unreadable { message, .. } =
            listing.read_text(&path, files::MAX_FILE_BYTES).unwrap()
        else {
            panic!("a device is not text")
        };
        assert!(message.contains("character device"), "{message}");
    }
}
