//! Open documents: ropes with incremental sync. Edits are applied synchronously by the
//! notification handlers, before any `.await`, so they land in the order they arrived.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use keylint_core::source::kind_by_name;
use keylint_core::{FileKind, LineIndex};
use ropey::Rope;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use crate::encoding::{Encoding, rope_char_index};

#[derive(Clone, Debug)]
pub struct Document {
    pub rope: Rope,
    pub version: i32,
    /// The file on disk this buffer stands for (`file:` URIs only).
    pub path: Option<PathBuf>,
    /// What keylint lints it as; `None` for files it only offers code actions in.
    pub kind: Option<FileKind>,
    /// This version's text, made on first use and shared by the clones of the document.
    snapshot: Arc<OnceLock<Arc<Snapshot>>>,
}

/// One version of a document's text, with its line index built on first use: the lint,
/// the conversion of its findings and each hover of that version share them.
#[derive(Debug)]
pub struct Snapshot {
    pub text: Arc<str>,
    index: OnceLock<LineIndex>,
}

impl Snapshot {
    #[must_use]
    pub fn new(text: Arc<str>) -> Snapshot {
        Snapshot {
            text,
            index: OnceLock::new(),
        }
    }

    #[must_use]
    pub fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(&self.text))
    }
}

impl Document {
    #[must_use]
    pub fn new(uri: &Uri, text: &str, version: i32) -> Document {
        let path = uri.to_file_path().map(|path| path.into_owned());
        let name = path.as_ref().map_or_else(
            || uri.path().as_str().to_string(),
            |path| path.to_string_lossy().into_owned(),
        );
        Document {
            rope: Rope::from_str(text),
            version,
            kind: kind_by_name(&name),
            path,
            snapshot: Arc::default(),
        }
    }

    /// The text of this version.
    #[must_use]
    pub fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(
            self.snapshot
                .get_or_init(|| Arc::new(Snapshot::new(Arc::from(self.rope.to_string())))),
        )
    }

    #[must_use]
    pub fn text(&self) -> Arc<str> {
        Arc::clone(&self.snapshot().text)
    }

    /// Applies one change. Ranges are clamped into the document, and a range whose end
    /// comes before its start is treated as empty, so no input corrupts the rope.
    pub fn apply(&mut self, change: &TextDocumentContentChangeEvent, encoding: Encoding) {
        self.snapshot = Arc::default();
        match change.range {
            None => self.rope = Rope::from_str(&change.text),
            Some(range) => {
                let start = rope_char_index(&self.rope, range.start, encoding);
                let end = rope_char_index(&self.rope, range.end, encoding).max(start);
                self.rope.remove(start..end);
                self.rope.insert(start, &change.text);
            }
        }
    }
}

/// Every open document by URI.
#[derive(Default, Debug)]
pub struct Documents {
    open: HashMap<Uri, Document>,
}

impl Documents {
    pub fn open(&mut self, uri: Uri, text: &str, version: i32) {
        let document = Document::new(&uri, text, version);
        self.open.insert(uri, document);
    }

    /// Applies changes in order. Returns `false` when the document is not open.
    /// A version older than the current one is logged by the caller and applied
    /// anyway: the edits are relative to the text as it is now.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
        encoding: Encoding,
    ) -> Option<i32> {
        let document = self.open.get_mut(uri)?;
        let previous = document.version;
        for change in changes {
            document.apply(change, encoding);
        }
        document.version = version;
        Some(previous)
    }

    pub fn close(&mut self, uri: &Uri) {
        self.open.remove(uri);
    }

    #[must_use]
    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.open.get(uri)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Uri, &Document)> {
        self.open.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;
    use tower_lsp_server::ls_types::{Position, Range};

    fn change(start: (u32, u32), end: (u32, u32), text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(start.0, start.1),
                Position::new(end.0, end.1),
            )),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn incremental_edits_and_clamping() {
        let uri = Uri::from_str("file:///w/.env").unwrap();
        let mut documents = Documents::default();
        documents.open(uri.clone(), "A=é😀x\nB=2\n", 1);
        assert_eq!(documents.get(&uri).unwrap().kind, Some(FileKind::EnvFile));
        // Replace the x after the emoji (UTF-16 column 5).
        documents.change(&uri, 2, &[change((0, 5), (0, 6), "y")], Encoding::Utf16);
        assert_eq!(
            documents.get(&uri).unwrap().text().as_ref(),
            "A=é😀y\nB=2\n"
        );
        // Out of range and reversed ranges are clamped, never panic.
        documents.change(
            &uri,
            3,
            &[
                change((99, 0), (120, 4), "C=3"),
                change((1, 9), (1, 0), "!"),
            ],
            Encoding::Utf16,
        );
        assert_eq!(
            documents.get(&uri).unwrap().text().as_ref(),
            "A=é😀y\nB=2!\nC=3"
        );
        assert_eq!(
            documents.change(&uri, 1, &[], Encoding::Utf8),
            Some(3),
            "an older version is reported to the caller"
        );
    }
}
