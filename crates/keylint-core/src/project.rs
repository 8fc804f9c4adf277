//! What the core may ask about the rest of the project. The caller (CLI or server)
//! implements [`Project`]; the core never touches the file system itself.

use std::path::{Path, PathBuf};

use crate::code::CodeIndex;
use crate::consumer::Consumer;
use crate::provider::ExtraVariables;

/// Who reads an env file, and how keylint knows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConsumerSet {
    /// Detected or configured consumers with the evidence (`compose.yaml env_file`).
    /// Empty means unknown: every common loader ([`Consumer::COMMON`]) is considered.
    pub known: Vec<(Consumer, String)>,
}

impl ConsumerSet {
    #[must_use]
    pub fn is_known(&self) -> bool {
        !self.known.is_empty()
    }

    /// The consumers to judge: the known ones, else every common loader.
    #[must_use]
    pub fn judged(&self) -> Vec<Consumer> {
        if self.is_known() {
            let mut consumers: Vec<Consumer> =
                self.known.iter().map(|(consumer, _)| *consumer).collect();
            consumers.sort();
            consumers.dedup();
            consumers
        } else {
            Consumer::COMMON.to_vec()
        }
    }

    /// The loaders whose reading of a key a probe sends (the probe sends what the
    /// program would send): every known consumer, else python-dotenv, the most common.
    #[must_use]
    pub fn probed(&self) -> Vec<Consumer> {
        if self.is_known() {
            self.judged()
        } else {
            vec![Consumer::PythonDotenv]
        }
    }

    pub fn add(&mut self, consumer: Consumer, evidence: impl Into<String>) {
        if !self.known.iter().any(|(known, _)| *known == consumer) {
            self.known.push((consumer, evidence.into()));
        }
    }
}

/// The project around the linted file. Paths are as the caller wrote the linted file's
/// path, joined with relative references (`env_file: ./api.env`).
pub trait Project: Sync {
    /// The text of a file, `None` when it is missing or unreadable (shared: several
    /// files' rules may ask for the same one).
    fn read(&self, path: &Path) -> Option<std::sync::Arc<str>>;
    fn exists(&self, path: &Path) -> bool;
    /// Whether the project's `.gitignore` files exclude the path (keylint never asks git).
    fn is_ignored(&self, path: &Path) -> bool;
    /// Who reads this env file.
    fn consumers_of(&self, path: &Path) -> ConsumerSet;
    /// Whether the project reads this exact name somewhere (`${NAME}` in a Compose or
    /// workflow file, `os.environ["NAME"]` in code).
    fn reads_name(&self, name: &str) -> bool;
    /// What the project's source code reads and which env files it loads.
    fn code(&self) -> &CodeIndex {
        static NONE: std::sync::LazyLock<CodeIndex> = std::sync::LazyLock::new(CodeIndex::default);
        &NONE
    }
    /// Whether an env file, a Compose `environment:` or a workflow `env:` of the project
    /// sets `name`.
    fn is_set_anywhere(&self, _name: &str) -> bool {
        false
    }
}

/// A project with nothing around the file: used by tests and `--stdin`.
#[derive(Clone, Debug, Default)]
pub struct LoneFile {
    pub consumers: ConsumerSet,
}

impl Project for LoneFile {
    fn read(&self, _path: &Path) -> Option<std::sync::Arc<str>> {
        None
    }
    fn exists(&self, _path: &Path) -> bool {
        false
    }
    fn is_ignored(&self, _path: &Path) -> bool {
        false
    }
    fn consumers_of(&self, _path: &Path) -> ConsumerSet {
        self.consumers.clone()
    }
    fn reads_name(&self, _name: &str) -> bool {
        false
    }
}

/// Options that change what rules report.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub extra_variables: ExtraVariables,
    /// Env files given with `--env-file`: Compose interpolation reads them too.
    pub compose_env_files: Vec<PathBuf>,
}

/// `path` joined onto the directory of `file` (lexically; `..` is kept).
#[must_use]
pub fn sibling(file: &Path, relative: &str) -> PathBuf {
    let relative = Path::new(relative);
    if relative.is_absolute() {
        return relative.to_path_buf();
    }
    let joined = file
        .parent()
        .map_or_else(|| relative.to_path_buf(), |dir| dir.join(relative));
    normalize(&joined)
}

/// Removes `.` components and leading `./`, so paths print as `deploy/.env`.
#[must_use]
pub fn normalize(path: &Path) -> PathBuf {
    if is_normalized(path) {
        return path.to_path_buf();
    }
    normalize_components(path)
}

/// Whether [`normalize`] would give `path` back as it is: on Unix, no `.`, `..` or empty
/// component, and no `/` at the end (most paths are, and checking the bytes is cheaper
/// than rebuilding the path).
fn is_normalized(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    let names = bytes.strip_prefix(b"/").unwrap_or(bytes);
    cfg!(unix)
        && (names.is_empty()
            || names
                .split(|&byte| byte == b'/')
                .all(|name| !matches!(name, b"" | b"." | b"..")))
}

fn normalize_components(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if out.file_name().is_some_and(|name| name != "..") => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// [`Path`]'s order (component by component) for paths [`normalize`] made, found from
/// their bytes without splitting them into components: names compare byte by byte, and
/// a name's end (`/`, or the path's) comes before any byte. Only a `..` component, which
/// `Path` puts before every name, is left to `Path` itself.
#[must_use]
pub fn path_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    if !cfg!(unix) {
        // Other separators and prefixes.
        return a.cmp(b);
    }
    let (left, right) = (
        a.as_os_str().as_encoded_bytes(),
        b.as_os_str().as_encoded_bytes(),
    );
    let common = crate::incremental::common_prefix(left, right);
    let start = left[..common]
        .iter()
        .rposition(|&byte| byte == b'/')
        .map_or(0, |slash| slash + 1);
    let is_parent = |bytes: &[u8]| {
        bytes.get(start..start + 2) == Some(b"..")
            && bytes.get(start + 2).is_none_or(|&byte| byte == b'/')
    };
    if is_parent(left) || is_parent(right) {
        return a.cmp(b);
    }
    order_after(left, right, common)
}

/// The order of two paths' bytes that are the same up to `common`, where no `..` starts.
fn order_after(left: &[u8], right: &[u8], common: usize) -> std::cmp::Ordering {
    let rank = |bytes: &[u8]| {
        bytes
            .get(common)
            .map(|&byte| if byte == b'/' { 0 } else { u16::from(byte) + 1 })
    };
    rank(left).cmp(&rank(right))
}

/// [`path_order`] among paths known beforehand, to sort them: the directories they all
/// start with are skipped in each comparison, and when no `..` follows them (in a
/// normalized path `..` only leads), none is looked for.
#[derive(Clone, Copy, Debug)]
pub struct PathOrder {
    /// How many bytes every path starts with, up to a `/`.
    shared: usize,
    /// No `..` after the shared bytes: the bytes alone decide.
    plain: bool,
}

impl PathOrder {
    /// The order of the [`normalize`]d paths of `items`.
    pub fn of<T>(items: &[T], path: impl Fn(&T) -> &Path) -> PathOrder {
        let Some(first) = items.first() else {
            return PathOrder {
                shared: 0,
                plain: false,
            };
        };
        let first = path(first).as_os_str().as_encoded_bytes();
        let common = items.iter().fold(first.len(), |common, item| {
            crate::incremental::common_prefix(
                &first[..common],
                path(item).as_os_str().as_encoded_bytes(),
            )
        });
        let shared = first[..common]
            .iter()
            .rposition(|&byte| byte == b'/')
            .map_or(0, |slash| slash + 1);
        let leads_up = |item| {
            let rest = &path(item).as_os_str().as_encoded_bytes()[shared..];
            let rest = rest.strip_prefix(b"/").unwrap_or(rest);
            rest.starts_with(b"..") && rest.get(2).is_none_or(|&byte| byte == b'/')
        };
        PathOrder {
            shared,
            plain: cfg!(unix) && !items.iter().any(leads_up),
        }
    }

    /// [`path_order`] of two of the paths this order was made of.
    #[must_use]
    pub fn cmp(self, a: &Path, b: &Path) -> std::cmp::Ordering {
        let (left, right) = (
            a.as_os_str().as_encoded_bytes(),
            b.as_os_str().as_encoded_bytes(),
        );
        match (left.get(self.shared..), right.get(self.shared..)) {
            (Some(left), Some(right)) if self.plain => {
                order_after(left, right, crate::incremental::common_prefix(left, right))
            }
            _ => path_order(a, b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Paths as discovery writes them: relative or absolute, names with the bytes that
    /// sort around `/` and `.`, `.` and `..` components before normalizing.
    fn raw_path() -> impl Strategy<Value = String> {
        let component = prop_oneof![
            Just(".".to_string()),
            Just("..".to_string()),
            "[-. !a0/+~é]{0,4}",
        ];
        (any::<bool>(), proptest::collection::vec(component, 0..6)).prop_map(|(absolute, parts)| {
            let joined = parts.join("/");
            if absolute {
                format!("/{joined}")
            } else {
                joined
            }
        })
    }

    proptest! {
        #[test]
        fn path_order_is_the_order_of_normalized_paths(a in raw_path(), b in raw_path()) {
            let (a, b) = (normalize(Path::new(&a)), normalize(Path::new(&b)));
            prop_assert_eq!(path_order(&a, &b), a.cmp(&b), "{:?} {:?}", a, b);
            prop_assert_eq!(path_order(&a, &a), std::cmp::Ordering::Equal);
        }

        #[test]
        fn a_path_order_of_known_paths_is_path_order(
            raws in proptest::collection::vec(raw_path(), 1..6),
            shared in proptest::sample::select(vec!["", "/", "a/", "../", "/../b/", "a-/"]),
        ) {
            let paths: Vec<PathBuf> =
                raws.iter().map(|raw| normalize(&Path::new(shared).join(raw))).collect();
            let order = PathOrder::of(&paths, PathBuf::as_path);
            for a in &paths {
                for b in &paths {
                    prop_assert_eq!(order.cmp(a, b), a.cmp(b), "{:?} {:?}", a, b);
                }
            }
        }

        #[test]
        fn a_path_taken_as_it_is_is_normalized(raw in raw_path()) {
            let path = Path::new(&raw);
            prop_assert_eq!(normalize(path), normalize_components(path));
        }
    }

    #[test]
    fn path_order_on_the_edges() {
        let cases = [
            ("a/b", "a-b"),
            ("a", "a/b"),
            ("/x", "x"),
            ("../x", "-x"),
            ("..", ".-"),
            ("svc0001/config/x.env", "svc0001/config.d"),
            ("", "a"),
        ];
        for (a, b) in cases {
            let (a, b) = (Path::new(a), Path::new(b));
            assert_eq!(path_order(a, b), a.cmp(b), "{a:?} {b:?}");
            assert_eq!(path_order(b, a), b.cmp(a), "{b:?} {a:?}");
        }
    }
}
