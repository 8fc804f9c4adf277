//! What the cursor is on, for definition, references and hover: a variable read in
//! source code, an assignment in an env or YAML file, or a `${NAME}` use in a Compose or
//! workflow value. The facts come from the workspace's indexes (code reads, setters,
//! uses), so no request walks the tree.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use keylint_core::FileKind;
use keylint_core::Project as _;
use keylint_core::assignment::ParsedFile;
use keylint_core::code::CodeRead;
use keylint_core::incremental::LazyParse;
use keylint_core::project::normalize;
use keylint_core::uses::yaml_uses;
use keylint_workspace::Workspace;
use tower_lsp_server::ls_types::{Location, Position, Uri};

use crate::convert;
use crate::documents::{Document, Snapshot};
use crate::encoding::{Encoding, PositionMap};
use crate::probe::assignment_at;
use crate::server::Backend;
use crate::state::read;

/// A request's position in an open document, with the project as it is now.
pub struct Cursor {
    pub uri: Uri,
    pub path: PathBuf,
    pub snapshot: Arc<Snapshot>,
    /// What keylint lints the document as; `None` for source code.
    pub kind: Option<FileKind>,
    pub offset: usize,
    pub encoding: Encoding,
    pub project: Workspace,
}

impl Cursor {
    /// The cursor at `position` of the open document `uri`; `None` when it is not open.
    #[must_use]
    pub fn at(backend: &Backend, uri: &Uri, position: Position) -> Option<Cursor> {
        let document: Document = read(&backend.state.documents).get(uri).cloned()?;
        let path = normalize(
            &document
                .path
                .clone()
                .unwrap_or_else(|| PathBuf::from(uri.path().as_str())),
        );
        let project = backend.state.project();
        let kind = document.kind.or_else(|| project.kind_of(&path, false));
        let snapshot = document.snapshot();
        let encoding = backend.state.encoding();
        let offset = PositionMap::of(&snapshot, encoding).offset(position);
        Some(Cursor {
            uri: uri.clone(),
            path,
            snapshot,
            kind,
            offset,
            encoding,
            project,
        })
    }

    #[must_use]
    pub fn text(&self) -> &str {
        &self.snapshot.text
    }

    /// The parse of the whole document: the last lint's when it is of this text and read
    /// every line (an incremental lint leaves out lines it cannot affect).
    #[must_use]
    pub fn parsed(&self, backend: &Backend, kind: FileKind) -> Arc<LazyParse> {
        backend
            .state
            .last_parse(&self.uri, &self.snapshot.text)
            .filter(|parse| parse.is_whole())
            .unwrap_or_else(|| Arc::new(LazyParse::whole(ParsedFile::parse(kind, self.text()))))
    }

    /// The parse behind the last lint of this text, lines left out included (read as
    /// comments): enough for a line a lint always reads, such as a provider variable's.
    #[must_use]
    pub fn lint_parse(&self, backend: &Backend, kind: FileKind) -> Arc<LazyParse> {
        backend
            .state
            .last_parse(&self.uri, &self.snapshot.text)
            .unwrap_or_else(|| Arc::new(LazyParse::whole(ParsedFile::parse(kind, self.text()))))
    }

    /// What the cursor is on.
    #[must_use]
    pub fn target(&self, backend: &Backend) -> Option<Target> {
        let Some(kind) = self.kind else {
            let mut reads: Vec<(String, CodeRead)> = self
                .project
                .code_index()
                .reads_at(&self.path, self.offset)
                .into_iter()
                .map(|(name, read)| (name.to_string(), read.clone()))
                .collect();
            // Provider keys first, then by name (an SDK client reads several).
            reads.sort_by_cached_key(|(name, _)| {
                let is_key = keylint_core::provider::variable(name)
                    .is_some_and(|known| known.role == keylint_core::provider::Role::ApiKey);
                (!is_key, name.clone())
            });
            let range = reads.first()?.1.range.clone();
            return Some(Target::Read { reads, range });
        };
        let parse = self.parsed(backend, kind);
        let parsed = parse.get();
        if let Some(yaml) = &parsed.yaml
            && matches!(parsed.kind, FileKind::Compose | FileKind::Workflow)
            && let Some(used) = yaml_uses(self.text(), yaml)
                .into_iter()
                .find(|used| used.range.start <= self.offset && self.offset <= used.range.end)
        {
            return Some(Target::Use {
                name: used.name,
                range: used.range,
                kind: parsed.kind,
            });
        }
        let (index, ..) = assignment_at(parsed, self.offset)?;
        let assignment = &parsed.assignments[index];
        Some(Target::Assignment {
            name: assignment.name.to_string(),
            range: assignment.name_range.clone(),
        })
    }
}

/// A variable name under the cursor.
pub enum Target {
    /// Names read at this place of a source file, provider keys first: one, or several
    /// for an SDK client that reads names by default (`OpenAI()`).
    Read {
        reads: Vec<(String, CodeRead)>,
        range: Range<usize>,
    },
    /// The name (or value) of an assignment in an env or YAML file.
    Assignment { name: String, range: Range<usize> },
    /// `${NAME}` or `$NAME` in a Compose or workflow value.
    Use {
        name: String,
        range: Range<usize>,
        kind: FileKind,
    },
}

impl Target {
    /// The names it stands for, and whether the program matches each in any letter case.
    #[must_use]
    pub fn names(&self) -> Vec<(&str, bool)> {
        match self {
            Target::Read { reads, .. } => {
                let mut names: Vec<(&str, bool)> = reads
                    .iter()
                    .map(|(name, read)| (name.as_str(), read.case_insensitive))
                    .collect();
                names.dedup();
                names
            }
            Target::Assignment { name, .. } | Target::Use { name, .. } => {
                vec![(name.as_str(), false)]
            }
        }
    }
}

/// Places in workspace files as LSP locations. Each file's text (its open buffer, else
/// the disk) is read once per request.
pub struct Locations<'a> {
    project: &'a Workspace,
    encoding: Encoding,
    texts: HashMap<PathBuf, Option<Arc<str>>>,
    found: Vec<Location>,
}

impl<'a> Locations<'a> {
    #[must_use]
    pub fn new(project: &'a Workspace, encoding: Encoding) -> Locations<'a> {
        Locations {
            project,
            encoding,
            texts: HashMap::new(),
            found: Vec::new(),
        }
    }

    /// Adds the place (once); a file that is gone or a range its text no longer has is
    /// left out.
    pub fn add(&mut self, path: &Path, range: &Range<usize>) {
        let project = self.project;
        let text = self
            .texts
            .entry(path.to_path_buf())
            .or_insert_with(|| project.read(path));
        let Some(text) = text.as_deref() else {
            return;
        };
        if text.get(range.clone()).is_none() {
            return;
        }
        let Some(location) = convert::location(path, text, range, self.encoding) else {
            return;
        };
        if !self.found.contains(&location) {
            self.found.push(location);
        }
    }

    #[must_use]
    pub fn into_vec(self) -> Vec<Location> {
        self.found
    }
}
