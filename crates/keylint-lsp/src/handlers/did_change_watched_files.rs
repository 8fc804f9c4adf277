use keylint_core::hints::is_hint_file;
use keylint_workspace::config::FILE_NAMES;
use keylint_workspace::discover::is_code_file;
use keylint_workspace::setters::sets_variables;
use tower_lsp_server::ls_types::DidChangeWatchedFilesParams;

use crate::handlers::publish;
use crate::server::Backend;
use crate::state::read;

/// A file that can change findings changed on disk: a config is read again, a changed
/// hint, `.gitignore`, source, manifest, env or YAML file has the tree indexed again (in
/// the background), and every open document is linted again.
pub async fn did_change_watched_files(backend: &Backend, params: DidChangeWatchedFilesParams) {
    if params.changes.is_empty() {
        return;
    }
    let paths: Vec<std::path::PathBuf> = params
        .changes
        .iter()
        .filter_map(|change| change.uri.to_file_path().map(|path| path.into_owned()))
        .collect();
    let is_named = |path: &std::path::Path, names: &[&str]| {
        path.file_name()
            .and_then(|name| name.to_str())
            .is_some_and(|name| names.contains(&name))
    };
    if paths.iter().any(|path| is_named(path, FILE_NAMES)) {
        read(&backend.state.workspace).configs().reload();
    }
    // The index also holds what source files read and where config files set and use
    // each name (navigation).
    if paths.iter().any(|path| {
        is_named(path, &[".gitignore"])
            || is_hint_file(path)
            || is_code_file(&path.to_string_lossy())
            || sets_variables(path).is_some()
    }) {
        publish::reindex_in_background(backend);
    }
    publish::refresh(backend, backend.state.lintable()).await;
}
