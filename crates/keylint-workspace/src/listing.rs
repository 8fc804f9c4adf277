//! What a directory walk saw: the directories it listed whole and what each of their
//! entries is, as the directory entry says (no `stat`). Within those directories it tells
//! whether a file exists and whether it is a regular file without asking the disk, and
//! lets a regular file be read without a `stat` before opening it. What the walk did not
//! list, and what a symlink leads to, is asked of the disk.
//!
//! It is the tree as it was when walked: one run reads it right away (the command line,
//! the server's index); a long-lived holder (the server's workspace) must not keep it.

use std::borrow::Cow;
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

use crate::files::{self, FileText, MAX_CONTEXT_BYTES};
use crate::{ByPath, split_name};

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
    /// The directories seen, by absolute path.
    dirs: ByPath<Dir>,
}

/// One directory's entries, packed (a big tree has tens of thousands): while walking, as
/// seen; once the walk is done, sorted by name.
#[derive(Clone, Debug, Default)]
pub(crate) struct Dir {
    listed: bool,
    /// The names, each followed by a `/`, which no name holds.
    names: Vec<u8>,
    /// Where each name ends in `names`.
    ends: Vec<u32>,
    kinds: Vec<Entry>,
}

impl Dir {
    pub(crate) fn push(&mut self, name: &[u8], kind: Entry) {
        self.names.extend_from_slice(name);
        self.ends
            .push(u32::try_from(self.names.len()).unwrap_or(u32::MAX));
        self.names.push(b'/');
        self.kinds.push(kind);
    }

    fn name(&self, index: usize) -> &[u8] {
        let start = index
            .checked_sub(1)
            .map_or(0, |before| self.ends[before] as usize + 1);
        &self.names[start..self.ends[index] as usize]
    }

    fn sort(&mut self) {
        let mut order: Vec<usize> = (0..self.ends.len()).collect();
        order.sort_unstable_by(|&a, &b| self.name(a).cmp(self.name(b)));
        let mut sorted = Dir {
            listed: self.listed,
            names: Vec::with_capacity(self.names.len()),
            ends: Vec::with_capacity(self.ends.len()),
            kinds: Vec::with_capacity(self.kinds.len()),
        };
        for index in order {
            sorted.push(self.name(index), self.kinds[index]);
        }
        *self = sorted;
    }

    fn get(&self, name: &[u8]) -> Entry {
        let (mut low, mut high) = (0, self.ends.len());
        while low < high {
            let middle = low + (high - low) / 2;
            match self.name(middle).cmp(name) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return self.kinds[middle],
            }
        }
        Entry::Missing
    }
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
        let key = Path::new(&key);
        if listed {
            self.dir(key).listed = true;
        }
        if let Some((parent, name)) = split_name(key) {
            self.dir(parent).push(name.as_encoded_bytes(), entry);
        }
    }

    fn dir(&mut self, path: &Path) -> &mut Dir {
        let key = path.as_os_str();
        // Most entries are in a directory already seen: no key to copy.
        if !self.dirs.contains_key(key) {
            self.dirs.insert(key.to_owned(), Dir::default());
        }
        self.dirs.get_mut(key).expect("inserted above")
    }

    /// An empty listing for a share of the same walk (see [`Listing::merge`]).
    pub(crate) fn empty_like(&self) -> Listing {
        Listing {
            cwd: self.cwd.clone(),
            dirs: ByPath::default(),
        }
    }

    /// Adds what another thread's share of the same walk saw; a share that answers
    /// nothing (it missed entries) makes this one answer nothing too.
    pub(crate) fn merge(&mut self, other: Listing) {
        if other.cwd.is_none() {
            self.forget();
        }
        if self.cwd.is_none() {
            return;
        }
        if self.dirs.is_empty() {
            self.dirs = other.dirs;
            return;
        }
        for (key, other_dir) in other.dirs {
            self.absorb(Path::new(&key), other_dir);
        }
    }

    /// Records the entries of the directory at `path`, which the walk listed whole.
    pub(crate) fn add_listed(&mut self, path: &Path, entries: Dir) {
        if let Some(key) = self.key(path) {
            self.absorb(
                Path::new(&key),
                Dir {
                    listed: true,
                    ..entries
                },
            );
        }
    }

    /// Adds `other`'s entries to the directory at the key `key`.
    fn absorb(&mut self, key: &Path, other: Dir) {
        let dir = self.dir(key);
        let listed = dir.listed || other.listed;
        if dir.kinds.is_empty() {
            *dir = other;
        } else {
            for index in 0..other.kinds.len() {
                dir.push(other.name(index), other.kinds[index]);
            }
        }
        dir.listed = listed;
    }

    /// Sorts what the walk saw, once it is done.
    pub(crate) fn finish(&mut self) {
        self.dirs.retain(|_, dir| dir.listed);
        for dir in self.dirs.values_mut() {
            dir.sort();
        }
    }

    /// Answers nothing from now on: the walk missed entries (an unreadable directory, its
    /// entry limit), or its paths do not name what it read (a `..` after a directory,
    /// which may be a link).
    pub(crate) fn forget(&mut self) {
        *self = Listing::default();
    }

    /// Whether a walk from `path` names what it lists (the paths it gives are
    /// normalized, and `link/..` is not where its text says): `..` may only lead.
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

    /// The absolute path `path` names, for a path written as names only (after any
    /// leading `..`); other paths, rare, are left to the disk.
    fn key<'a>(&self, path: &'a Path) -> Option<Cow<'a, OsStr>> {
        let cwd = self.cwd.as_deref().filter(|_| cfg!(unix))?;
        let bytes = path.as_os_str().as_encoded_bytes();
        let mut names = bytes.strip_prefix(b"/").unwrap_or(bytes);
        let mut up = 0;
        while let Some(rest) = names.strip_prefix(b"..") {
            match rest {
                [] => names = rest,
                [b'/', rest @ ..] => names = rest,
                _ => break,
            }
            up += 1;
        }
        if !names.is_empty()
            && names
                .split(|&byte| byte == b'/')
                .any(|name| matches!(name, b"" | b"." | b".."))
        {
            return None;
        }
        if path.is_absolute() {
            return (up == 0).then_some(Cow::Borrowed(path.as_os_str()));
        }
        let mut base = cwd;
        for _ in 0..up {
            // The current directory has no links: its parent is what `..` leads to.
            base = base.parent().unwrap_or(base);
        }
        Some(Cow::Owned(match (names.is_empty(), up) {
            (true, _) => base.as_os_str().to_owned(),
            (false, 0) => base.join(path).into_os_string(),
            (false, _) => base
                .join(path.components().skip(up).collect::<PathBuf>())
                .into_os_string(),
        }))
    }

    /// What the walk saw at `path`, or `None` when its directory was not listed.
    #[must_use]
    pub fn entry(&self, path: &Path) -> Option<Entry> {
        let key = self.key(path)?;
        let (dir, name) = split_name(Path::new(&key))?;
        let dir = self.dirs.get(dir.as_os_str())?;
        Some(dir.get(name.as_encoded_bytes()))
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
        self.read_text(path, MAX_CONTEXT_BYTES)
            .ok()
            .and_then(FileText::into_text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keylint_core::project::normalize;

    #[test]
    fn answers_only_for_listed_directories() {
        let dir = tempfile::tempdir().unwrap();
        let root = normalize(dir.path());
        let mut listing = Listing::new();
        listing.add(&root, Entry::Other, true);
        listing.add(&root.join(".env"), Entry::File, false);
        listing.add(&root.join("sub"), Entry::Other, false);
        listing.add(&root.join("a.env"), Entry::Link, false);
        listing.finish();
        assert_eq!(listing.entry(&root.join("a.env")), Some(Entry::Link));
        assert_eq!(listing.entry(&root.join("b")), Some(Entry::Missing));
        assert_eq!(listing.entry(&root.join(".env")), Some(Entry::File));
        assert_eq!(
            listing.entry(&root.join("keylint.toml")),
            Some(Entry::Missing)
        );
        assert_eq!(listing.entry(&root.join("sub/.env")), None);
        assert_eq!(listing.entry(&root.join("sub/../.env")), None);
        assert!(!listing.exists(&root.join("missing")));
        assert!(listing.is_regular_file(&root.join(".env")));
        let cwd = std::env::current_dir().unwrap();
        for (path, key) in [
            ("", cwd.clone()),
            ("a/b", cwd.join("a/b")),
            ("../a", cwd.parent().unwrap().join("a")),
            ("/y", PathBuf::from("/y")),
        ] {
            assert_eq!(
                listing.key(Path::new(path)).as_deref(),
                Some(key.as_os_str()),
                "{path}"
            );
        }
        for path in ["a/../b", "./a", "a//b", "a/", "/../y"] {
            assert_eq!(listing.key(Path::new(path)), None, "{path}");
        }
        assert!(Listing::names_what_it_reads(Path::new("../a/b")));
        assert!(!Listing::names_what_it_reads(Path::new("a/../b")));
        listing.forget();
        assert_eq!(listing.entry(&root.join(".env")), None);
    }

    #[test]
    fn shares_of_a_walk_merge_into_what_one_walk_sees() {
        let root = normalize(Path::new("/walked"));
        let entries = [
            (root.clone(), Entry::Other, true),
            (root.join(".env"), Entry::File, false),
            (root.join("sub"), Entry::Other, true),
            (root.join("sub/a.env"), Entry::Link, false),
            (root.join("z.yaml"), Entry::File, false),
        ];
        let mut whole = Listing::new();
        let mut merged = whole.empty_like();
        let (mut first, mut second) = (whole.empty_like(), whole.empty_like());
        for (index, (path, entry, listed)) in entries.iter().enumerate() {
            whole.add(path, *entry, *listed);
            let share = if index % 2 == 0 {
                &mut first
            } else {
                &mut second
            };
            share.add(path, *entry, *listed);
        }
        merged.merge(first);
        merged.merge(second);
        whole.finish();
        merged.finish();
        for (path, ..) in &entries {
            assert_eq!(merged.entry(path), whole.entry(path), "{}", path.display());
        }
        assert_eq!(merged.entry(&root.join("missing")), Some(Entry::Missing));

        // A share that missed entries makes the whole answer nothing, whatever the order.
        let mut missed = merged.empty_like();
        missed.forget();
        let mut after = merged.clone();
        after.merge(missed.clone());
        assert_eq!(after.entry(&root.join(".env")), None);
        missed.merge(merged);
        assert_eq!(missed.entry(&root.join(".env")), None);
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
        listing.finish();
        let FileText::Unreadable { message, .. } =
            listing.read_text(&path, files::MAX_FILE_BYTES).unwrap()
        else {
            panic!("a device is not text")
        };
        assert!(message.contains("character device"), "{message}");
    }
}
