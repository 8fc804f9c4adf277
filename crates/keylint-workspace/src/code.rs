//! The project's code, read for what it tells about the environment: which names each
//! source file reads (and where), which env files it loads with which loader, and which
//! loaders the package manifests bring. Parsing is `keylint-code`'s; this module turns a
//! file's text (read with the rest of the tree by [`crate::Index`]) into the core's
//! [`CodeIndex`].

use std::collections::HashSet;
use std::path::Path;

use keylint_code::{LoadedFile, ReadForm};
use keylint_core::code::{CodeIndex, CodeLoad, CodeRead, LoadTarget};
use keylint_core::project::sibling;

/// What one file says: reads and loads of a source file with the names its text
/// mentions, or a manifest's loaders.
pub(crate) enum FileFacts {
    Source(keylint_code::CodeReads, HashSet<String>),
    Manifest(Vec<keylint_code::manifest::ManifestLoader>),
}

/// The facts of one source file or manifest, from its text.
pub(crate) fn facts_of(path: &Path, text: &str) -> Option<FileFacts> {
    let shown = path.to_string_lossy();
    if keylint_code::manifest::is_manifest(&shown) {
        return Some(FileFacts::Manifest(keylint_code::manifest::loaders(
            &shown, text,
        )));
    }
    let reads = keylint_code::read_file(&shown, text)?;
    let mentions = keylint_code::mentions::mentioned_names(text);
    Some(FileFacts::Source(reads, mentions))
}

/// Adds one file's reads and loads (its current text: an open buffer, say).
pub fn add_file(index: &mut CodeIndex, path: &Path, text: &str) {
    if let Some(facts) = facts_of(path, text) {
        add_facts(index, path, facts);
    }
}

pub(crate) fn add_facts(index: &mut CodeIndex, path: &Path, facts: FileFacts) {
    let shown = path.display();
    match facts {
        FileFacts::Source(reads, mentions) => {
            index.set_mentions(path, mentions);
            for read in reads.reads {
                index.add_read(
                    &read.name,
                    CodeRead {
                        path: path.to_path_buf(),
                        line: read.line,
                        range: read.range,
                        by_default: matches!(read.form, ReadForm::SdkDefault(_)),
                        case_insensitive: read.case_insensitive,
                    },
                );
            }
            for load in reads.loads {
                let target = match &load.file {
                    LoadedFile::Default => LoadTarget::Default,
                    LoadedFile::Named { path: named, .. } => LoadTarget::File(sibling(path, named)),
                    LoadedFile::Dynamic => LoadTarget::Unknown,
                };
                index.add_load(CodeLoad {
                    path: path.to_path_buf(),
                    line: load.line,
                    consumer: load.consumer,
                    target,
                    evidence: format!("{} in {shown}:{}", load.consumer.display_name(), load.line),
                });
            }
        }
        FileFacts::Manifest(loaders) => {
            for loader in loaders {
                index.add_load(CodeLoad {
                    path: path.to_path_buf(),
                    line: loader.line,
                    consumer: loader.consumer,
                    target: LoadTarget::Default,
                    evidence: format!("`{}` in {shown}:{}", loader.package, loader.line),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_file_records_the_names_it_mentions_even_without_reads() {
        let mut index = CodeIndex::default();
        add_file(
            &mut index,
            Path::new("app/config.py"),
            "NAMES = {'llm': 'ACME_LLM_TOKN'}\n",
        );
        assert!(index.is_mentioned("ACME_LLM_TOKN"));
        // A new text replaces what the file mentioned; manifests are not source text.
        add_file(&mut index, Path::new("app/config.py"), "NAMES = {}\n");
        assert!(!index.is_mentioned("ACME_LLM_TOKN"));
        add_file(
            &mut index,
            Path::new("package.json"),
            "{\"name\": \"ACME_LLM_TOKN\"}\n",
        );
        assert!(!index.is_mentioned("ACME_LLM_TOKN"));
    }
}
