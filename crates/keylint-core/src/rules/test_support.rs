//! Renders a rule's findings on a snippet as text for inline snapshots.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::code::{CodeIndex, CodeLoad, CodeRead, LoadTarget};
use crate::consumer::Consumer;
use crate::fix::apply_fixes;
use crate::linter::{LintInput, RuleSelection, lint};
use crate::mask::escape_invisible;
use crate::project::{ConsumerSet, LoneFile, Project, Settings};
use crate::source::kind_by_name;
use crate::{ColumnUnit, LineIndex};

/// Lints `text` as `path` with only rule `code`, consumers unknown.
pub fn check(code: &str, path: &str, text: &str) -> String {
    check_with(code, path, text, &[])
}

/// [`check`], after asserting that `text` parses (no KL001): a near miss that is not
/// valid YAML would pass without the rule ever seeing it.
pub fn check_parsed(code: &str, path: &str, text: &str) -> String {
    assert_eq!(
        check("KL001", path, text),
        "",
        "{path} does not parse, so rule {code} never sees it"
    );
    check(code, path, text)
}

/// Same, with these consumers known to read the file.
pub fn check_with(code: &str, path: &str, text: &str, consumers: &[Consumer]) -> String {
    let mut set = ConsumerSet::default();
    for consumer in consumers {
        set.add(*consumer, "test");
    }
    let project = LoneFile { consumers: set };
    let kind = kind_by_name(path).expect("test paths have a known kind");
    let input = LintInput::new(Path::new(path), text, kind);
    render(code, text, &input, &project, &Settings::default())
}

/// A project held in memory, with the options it is linted under, for rules that look
/// beyond the linted file.
#[derive(Clone, Debug, Default)]
pub struct MemoryProject {
    /// File texts by path, as `project::sibling` spells them (`.env`, `deploy/api.env`).
    pub files: BTreeMap<PathBuf, String>,
    /// Paths the project's `.gitignore` files exclude.
    pub ignored: BTreeSet<PathBuf>,
    /// Names the project reads somewhere (`${NAME}`, `os.environ["NAME"]`).
    pub read_names: BTreeSet<String>,
    pub consumers: ConsumerSet,
    pub settings: Settings,
    /// What the project's code reads and loads.
    pub code: CodeIndex,
    /// Names set somewhere in the project's env, Compose and workflow files.
    pub set_names: BTreeSet<String>,
}

impl MemoryProject {
    #[must_use]
    pub fn with_file(mut self, path: &str, text: &str) -> MemoryProject {
        self.files.insert(PathBuf::from(path), text.to_string());
        self
    }

    /// The source file at `path` mentions these names somewhere in its text.
    #[must_use]
    pub fn mentioning(mut self, path: &str, names: &[&str]) -> MemoryProject {
        self.code.set_mentions(
            Path::new(path),
            names.iter().map(|name| (*name).to_string()).collect(),
        );
        self
    }

    /// The code at `path:line` reads `name` (by its name).
    #[must_use]
    pub fn reading(mut self, name: &str, path: &str, line: usize) -> MemoryProject {
        self.code.add_read(
            name,
            CodeRead {
                path: PathBuf::from(path),
                line,
                range: 0..name.len(),
                by_default: false,
                case_insensitive: false,
            },
        );
        self
    }

    /// The code at `path:line` loads the default `.env` with `consumer`.
    #[must_use]
    pub fn loading(mut self, consumer: Consumer, path: &str, line: usize) -> MemoryProject {
        self.code.add_load(CodeLoad {
            path: PathBuf::from(path),
            line,
            consumer,
            target: LoadTarget::Default,
            evidence: format!("{} in {path}:{line}", consumer.display_name()),
        });
        self
    }

    #[must_use]
    pub fn ignoring(mut self, path: &str) -> MemoryProject {
        self.ignored.insert(PathBuf::from(path));
        self
    }
}

impl Project for MemoryProject {
    fn read(&self, path: &Path) -> Option<std::sync::Arc<str>> {
        self.files
            .get(path)
            .map(|text| std::sync::Arc::from(text.as_str()))
    }
    fn exists(&self, path: &Path) -> bool {
        self.files.contains_key(path)
    }
    fn is_ignored(&self, path: &Path) -> bool {
        self.ignored.contains(path)
    }
    fn consumers_of(&self, _path: &Path) -> ConsumerSet {
        self.consumers.clone()
    }
    fn reads_name(&self, name: &str) -> bool {
        self.read_names.contains(name) || self.code.is_read(name)
    }
    fn code(&self) -> &CodeIndex {
        &self.code
    }
    fn is_set_anywhere(&self, name: &str) -> bool {
        self.set_names.contains(name)
    }
}

/// Lints `text` as `path` inside `project` with only rule `code`; the file counts as
/// committed unless the project ignores it.
pub fn check_in_project(code: &str, path: &str, text: &str, project: &MemoryProject) -> String {
    let kind = kind_by_name(path).expect("test paths have a known kind");
    let mut input = LintInput::new(Path::new(path), text, kind);
    input.is_committed = !project.is_ignored(Path::new(path));
    render(code, text, &input, project, &project.settings)
}

/// Runs rule `code` and renders its findings, one line each, with the text each fix produces.
fn render(
    code: &str,
    text: &str,
    input: &LintInput,
    project: &dyn Project,
    settings: &Settings,
) -> String {
    let selection = RuleSelection {
        select: vec![code.to_string()],
        ..RuleSelection::default()
    };
    let diagnostics = lint(input, project, settings, &selection);
    let index = LineIndex::new(text);
    let mut out = String::new();
    for diagnostic in &diagnostics {
        let start = index.position(text, diagnostic.range.start, ColumnUnit::Scalar);
        let end = index.position(text, diagnostic.range.end, ColumnUnit::Scalar);
        out.push_str(&format!(
            "{}:{}-{}:{} {} {}: {}\n",
            start.line + 1,
            start.column + 1,
            end.line + 1,
            end.column + 1,
            diagnostic.severity.as_str(),
            diagnostic.code,
            diagnostic.message
        ));
        if let Some(fix) = &diagnostic.fix {
            let (fixed, _) = apply_fixes(text, std::slice::from_ref(diagnostic), true);
            out.push_str(&format!(
                "  fix ({}): {} => {}\n",
                fix.applicability.as_str(),
                fix.description,
                escape_invisible(&fixed)
            ));
        }
    }
    out
}

/// `text` after applying every fix of rule `code` once, with these consumers known; for
/// tests that a fix is idempotent and leaves nothing for the rule to report.
pub fn fix_all(code: &str, path: &str, text: &str, consumers: &[Consumer]) -> String {
    let mut set = ConsumerSet::default();
    for consumer in consumers {
        set.add(*consumer, "test");
    }
    let project = LoneFile { consumers: set };
    let kind = kind_by_name(path).expect("test paths have a known kind");
    let input = LintInput::new(Path::new(path), text, kind);
    let selection = RuleSelection {
        select: vec![code.to_string()],
        ..RuleSelection::default()
    };
    let diagnostics = lint(&input, &project, &Settings::default(), &selection);
    apply_fixes(text, &diagnostics, true).0
}
