//! What the project's source code tells about its environment, as data the rules read:
//! which names it reads and where, and which files it loads with which loader. The
//! workspace fills a [`CodeIndex`] from its source files (with `keylint-code`'s parser);
//! the core only looks names up.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::consumer::Consumer;

/// One place where code reads an environment variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeRead {
    /// The source file, as the front end names files (relative or absolute).
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// Byte range of the name in the source (for navigation).
    pub range: std::ops::Range<usize>,
    /// Read because an SDK client reads it by default (`OpenAI()`), not by its name.
    pub by_default: bool,
    /// The program matches the name in any letter case (pydantic settings, .NET).
    pub case_insensitive: bool,
}

impl CodeRead {
    /// `app/settings.py:12`.
    #[must_use]
    pub fn place(&self) -> String {
        format!("{}:{}", self.path.display(), self.line)
    }

    /// `app/settings.py:12 reads NAME`, saying when an SDK client reads it by default.
    #[must_use]
    pub fn reads(&self, name: &str) -> String {
        if self.by_default {
            format!(
                "{} reads {name} (an SDK client created there reads it by default)",
                self.place()
            )
        } else {
            format!("{} reads {name}", self.place())
        }
    }
}

/// Which env file a load reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadTarget {
    /// The loader's default: `.env` in the program's directory or above it.
    Default,
    /// A file named in the code, resolved against the source file's directory.
    File(PathBuf),
    /// A path computed at run time: keylint cannot tell which file.
    Unknown,
}

/// A call in the code, or a dependency in a manifest, that loads env files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeLoad {
    /// The source or manifest file.
    pub path: PathBuf,
    pub line: usize,
    pub consumer: Consumer,
    pub target: LoadTarget,
    /// What keylint saw, for messages (`load_dotenv() in app/main.py:5`).
    pub evidence: String,
}

impl CodeLoad {
    /// Whether this load reads the env file at `env_path`: the file it names, or for a
    /// default load a `.env` in the loading file's directory or a directory above it.
    #[must_use]
    pub fn reads(&self, env_path: &Path) -> bool {
        match &self.target {
            LoadTarget::File(file) => {
                crate::project::normalize(file) == crate::project::normalize(env_path)
            }
            LoadTarget::Unknown => false,
            LoadTarget::Default => {
                let env_dir = env_path.parent().unwrap_or(Path::new(""));
                let code_dir = self.path.parent().unwrap_or(Path::new(""));
                env_path.file_name().is_some_and(|name| name == ".env")
                    && code_dir.starts_with(env_dir)
            }
        }
    }
}

/// Every read and load of a project's code.
#[derive(Clone, Debug, Default)]
pub struct CodeIndex {
    /// Exact names → where they are read (every variable of every file asks).
    reads: foldhash::HashMap<String, Vec<CodeRead>>,
    /// Upper-cased names read in any case → where.
    reads_any_case: foldhash::HashMap<String, Vec<CodeRead>>,
    loads: Vec<CodeLoad>,
    /// Variable-like names each source file mentions anywhere in its text, read or not.
    mentions: HashMap<PathBuf, HashSet<String>>,
    /// Positions in `loads` of the loads of a named file, by the bytes of the file's
    /// normalized path (`Path`'s own hash walks the components; every env file asks).
    loads_by_file: foldhash::HashMap<OsString, Vec<usize>>,
    /// Positions in `loads` of default loads, by the loading file's directory (sorted:
    /// the directories under one are one range). Every env file asks which loads read
    /// it, so a scan of all loads per file would be quadratic in a big tree.
    default_loads_by_dir: BTreeMap<PathBuf, Vec<usize>>,
}

impl CodeIndex {
    pub fn add_read(&mut self, name: &str, read: CodeRead) {
        if read.case_insensitive {
            self.reads_any_case
                .entry(name.to_ascii_uppercase())
                .or_default()
                .push(read);
        } else {
            self.reads.entry(name.to_string()).or_default().push(read);
        }
    }

    pub fn add_load(&mut self, load: CodeLoad) {
        let position = self.loads.len();
        match &load.target {
            LoadTarget::File(file) => self
                .loads_by_file
                .entry(crate::project::normalize(file).into_os_string())
                .or_default()
                .push(position),
            LoadTarget::Default => self
                .default_loads_by_dir
                .entry(load.path.parent().unwrap_or(Path::new("")).to_path_buf())
                .or_default()
                .push(position),
            LoadTarget::Unknown => {}
        }
        self.loads.push(load);
    }

    /// Where the code reads `name` (exactly, or in any case where the program does).
    #[must_use]
    pub fn reads_of(&self, name: &str) -> Vec<&CodeRead> {
        let exact = self.reads.get(name).into_iter().flatten();
        let any_case = self
            .reads_any_case
            .get(&name.to_ascii_uppercase())
            .into_iter()
            .flatten();
        let mut found: Vec<&CodeRead> = exact.chain(any_case).collect();
        found.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        found
    }

    /// Records the variable-like names a source file mentions (see
    /// `keylint_code::mentions`), replacing what it mentioned before.
    pub fn set_mentions(&mut self, path: &Path, names: HashSet<String>) {
        if names.is_empty() {
            self.mentions.remove(path);
        } else {
            self.mentions.insert(path.to_path_buf(), names);
        }
    }

    /// Whether some source file mentions `name` anywhere in its text: the code may read
    /// it in a way the parser cannot follow (a dict of names, a loop, a template).
    #[must_use]
    pub fn is_mentioned(&self, name: &str) -> bool {
        self.mentions.values().any(|names| names.contains(name))
    }

    /// The reads in the file at `path` whose name range holds `offset`, with the name each
    /// reads (an SDK client's class name reads several names at one place).
    #[must_use]
    pub fn reads_at(&self, path: &Path, offset: usize) -> Vec<(&str, &CodeRead)> {
        self.reads
            .iter()
            .chain(&self.reads_any_case)
            .flat_map(|(name, reads)| reads.iter().map(move |read| (name.as_str(), read)))
            .filter(|(_, read)| {
                read.path == path && read.range.start <= offset && offset <= read.range.end
            })
            .collect()
    }

    /// Whether the code reads `name` at all.
    #[must_use]
    pub fn is_read(&self, name: &str) -> bool {
        self.reads.contains_key(name)
            || (!self.reads_any_case.is_empty()
                && self.reads_any_case.contains_key(&name.to_ascii_uppercase()))
    }

    /// Every name the code reads (by its name or through an SDK default), as spelled in
    /// the code (upper case for names read in any case).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.reads
            .keys()
            .chain(self.reads_any_case.keys())
            .map(String::as_str)
    }

    #[must_use]
    pub fn loads(&self) -> &[CodeLoad] {
        &self.loads
    }

    /// The loads that read the env file at `env_path` ([`CodeLoad::reads`]), in the
    /// order they were added.
    #[must_use]
    pub fn loads_of(&self, env_path: &Path) -> Vec<&CodeLoad> {
        // Most projects' code loads no env file by name: nothing to look the path up for.
        if self.loads.is_empty() {
            return Vec::new();
        }
        let mut positions: Vec<usize> = self
            .loads_by_file
            .get(crate::project::normalize(env_path).as_os_str())
            .into_iter()
            .flatten()
            .copied()
            .collect();
        if env_path.file_name().is_some_and(|name| name == ".env") {
            let env_dir = env_path.parent().unwrap_or(Path::new(""));
            positions.extend(
                self.default_loads_by_dir
                    .range::<Path, _>((
                        std::ops::Bound::Included(env_dir),
                        std::ops::Bound::Unbounded,
                    ))
                    .take_while(|(code_dir, _)| code_dir.starts_with(env_dir))
                    .flat_map(|(_, positions)| positions.iter().copied()),
            );
        }
        positions.sort_unstable();
        positions
            .into_iter()
            .map(|position| &self.loads[position])
            .collect()
    }

    /// Whether anything in the project loads env files.
    #[must_use]
    pub fn loads_env_files(&self) -> bool {
        !self.loads.is_empty()
    }

    /// This index without what the files in `paths` read or load (their text is about
    /// to be read again).
    #[must_use]
    pub fn without_files(&self, paths: &std::collections::HashSet<&Path>) -> CodeIndex {
        let keep = |reads: &foldhash::HashMap<String, Vec<CodeRead>>| {
            reads
                .iter()
                .filter_map(|(name, reads)| {
                    let kept: Vec<CodeRead> = reads
                        .iter()
                        .filter(|read| !paths.contains(read.path.as_path()))
                        .cloned()
                        .collect();
                    (!kept.is_empty()).then(|| (name.clone(), kept))
                })
                .collect::<foldhash::HashMap<_, _>>()
        };
        let mut index = CodeIndex {
            reads: keep(&self.reads),
            reads_any_case: keep(&self.reads_any_case),
            mentions: self
                .mentions
                .iter()
                .filter(|(path, _)| !paths.contains(path.as_path()))
                .map(|(path, names)| (path.clone(), names.clone()))
                .collect(),
            ..CodeIndex::default()
        };
        for load in &self.loads {
            if !paths.contains(load.path.as_path()) {
                index.add_load(load.clone());
            }
        }
        index
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.reads.is_empty()
            && self.reads_any_case.is_empty()
            && self.loads.is_empty()
            && self.mentions.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(path: &str, line: usize, case_insensitive: bool) -> CodeRead {
        CodeRead {
            path: PathBuf::from(path),
            line,
            range: 0..1,
            by_default: false,
            case_insensitive,
        }
    }

    #[test]
    fn names_are_found_exactly_or_in_any_case_where_the_program_ignores_case() {
        let mut index = CodeIndex::default();
        index.add_read("OPENAI_API_KEY", read("app/main.py", 3, false));
        index.add_read("OPENAI_ORG_ID", read("app/settings.py", 9, true));
        assert_eq!(index.reads_of("OPENAI_API_KEY")[0].place(), "app/main.py:3");
        assert!(!index.is_read("openai_api_key"));
        assert!(index.is_read("openai_org_id"));
        assert_eq!(
            index.reads_of("Openai_Org_Id")[0].place(),
            "app/settings.py:9"
        );
    }

    #[test]
    fn reads_are_found_by_position() {
        let mut index = CodeIndex::default();
        let at = |range: std::ops::Range<usize>, case_insensitive| CodeRead {
            range,
            ..read("app/main.py", 1, case_insensitive)
        };
        index.add_read("OPENAI_API_KEY", at(10..24, false));
        index.add_read("OPENAI_ORG_ID", at(10..24, true));
        index.add_read("OTHER", at(30..35, false));
        let mut found: Vec<&str> = index
            .reads_at(Path::new("app/main.py"), 24)
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        found.sort_unstable();
        assert_eq!(found, ["OPENAI_API_KEY", "OPENAI_ORG_ID"]);
        assert!(index.reads_at(Path::new("app/main.py"), 25).is_empty());
        assert!(index.reads_at(Path::new("other.py"), 12).is_empty());
    }

    #[test]
    fn a_default_load_reads_a_dotenv_at_or_above_the_code() {
        let load = CodeLoad {
            path: PathBuf::from("app/main.py"),
            line: 5,
            consumer: Consumer::PythonDotenv,
            target: LoadTarget::Default,
            evidence: String::new(),
        };
        assert!(load.reads(Path::new(".env")));
        assert!(load.reads(Path::new("app/.env")));
        assert!(!load.reads(Path::new("other/.env")));
        assert!(!load.reads(Path::new("prod.env")));
    }

    /// The index finds exactly the loads a scan with [`CodeLoad::reads`] finds, in order.
    #[test]
    fn loads_of_an_env_file_are_those_that_read_it() {
        let mut index = CodeIndex::default();
        let load = |path: &str, target: LoadTarget| CodeLoad {
            path: PathBuf::from(path),
            line: 1,
            consumer: Consumer::PythonDotenv,
            target,
            evidence: path.to_string(),
        };
        for added in [
            load("app/main.py", LoadTarget::Default),
            load("main.py", LoadTarget::Default),
            load("app/sub/run.py", LoadTarget::Default),
            load("application/x.py", LoadTarget::Default),
            load(
                "app/a.py",
                LoadTarget::File(PathBuf::from("app/../deploy/prod.env")),
            ),
            load("b.py", LoadTarget::File(PathBuf::from("deploy/prod.env"))),
            load("c.py", LoadTarget::Unknown),
        ] {
            index.add_load(added);
        }
        for env in [
            ".env",
            "app/.env",
            "app/sub/.env",
            "deploy/prod.env",
            "other/.env",
            "app",
        ] {
            let env = Path::new(env);
            let scanned: Vec<&CodeLoad> = index
                .loads()
                .iter()
                .filter(|load| load.reads(env))
                .collect();
            assert_eq!(index.loads_of(env), scanned, "{}", env.display());
        }
        let kept = index.without_files(&std::iter::once(Path::new("main.py")).collect());
        assert_eq!(kept.loads_of(Path::new(".env")).len(), 3);
    }
}
