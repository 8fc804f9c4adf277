//! Test helpers shared by the modules' unit tests.

use std::sync::Arc;

use keylint_core::project::normalize;

use crate::config::{ConfigChoice, Configs};
use crate::discover::discover_with;
use crate::{Index, Overrides, Workspace};

/// A workspace on a temporary directory holding `files` (path, text), as the command
/// line builds it from a walk.
pub fn workspace(files: &[(&str, &str)]) -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), files);
    let root = normalize(dir.path());
    let configs = Arc::new(Configs::new(ConfigChoice::Discover, Some(root.clone())));
    let discovery = discover_with(std::slice::from_ref(&root), &configs).unwrap();
    let workspace = Workspace::new(
        Index::from_discovery(&discovery),
        configs,
        Overrides::default(),
    );
    (dir, workspace)
}

/// Writes `files` (path, text) under `root`, making their directories.
pub fn write_files(root: &std::path::Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}
