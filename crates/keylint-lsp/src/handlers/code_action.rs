//! Quick fixes (from `Diagnostic.data`, no re-lint), `source.fixAll.keylint` (all safe
//! fixes of the current text), and "Insert startup validation" in source files.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
    NumberOrString, TextEdit, Uri, WorkspaceEdit,
};

use crate::convert::{self, DiagnosticData, SOURCE};
use crate::documents::Document;
use crate::encoding::PositionMap;
use crate::handlers::initialize::{FIX_ALL, REFACTOR_INSERT};
use crate::server::Backend;
use crate::startup_check::{self, Language};
use crate::state::read;

pub fn code_action(backend: &Backend, params: CodeActionParams) -> Option<CodeActionResponse> {
    let uri = params.text_document.uri;
    let document = read(&backend.state.documents).get(&uri).cloned()?;
    let only = params.context.only.as_deref();
    let wants = |kind: &str| {
        only.is_none_or(|kinds| {
            kinds.iter().any(|wanted| {
                let wanted = wanted.as_str();
                kind == wanted || kind.starts_with(&format!("{wanted}."))
            })
        })
    };
    let mut actions = Vec::new();
    if wants(CodeActionKind::QUICKFIX.as_str()) {
        for diagnostic in &params.context.diagnostics {
            if diagnostic.source.as_deref() != Some(SOURCE) {
                continue;
            }
            let Some(data) = diagnostic
                .data
                .clone()
                .and_then(|data| serde_json::from_value::<DiagnosticData>(data).ok())
            else {
                continue;
            };
            // Positions of an older version would land in the wrong place.
            if data.version != document.version {
                continue;
            }
            let Some(fix) = data.fix else { continue };
            let code = match &diagnostic.code {
                Some(NumberOrString::String(code)) => code.clone(),
                _ => String::new(),
            };
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("{} ({code})", fix.title),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(edit(&uri, fix.edits, document.version)),
                is_preferred: Some(fix.safe),
                ..CodeAction::default()
            }));
        }
    }
    if wants(FIX_ALL)
        && let Some(action) = fix_all(backend, &uri, &document)
    {
        actions.push(action);
    }
    if wants(REFACTOR_INSERT) {
        actions.extend(startup_validation(backend, &uri, &document));
    }
    Some(actions)
}

fn edit(uri: &Uri, edits: Vec<TextEdit>, _version: i32) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

fn fix_all(backend: &Backend, uri: &Uri, document: &Document) -> Option<CodeActionOrCommand> {
    let path = document.path.as_deref()?;
    let project = backend.state.project();
    let kind = document.kind.or_else(|| project.kind_of(path, false))?;
    let snapshot = document.snapshot();
    let text = &*snapshot.text;
    // The same pipeline as `keylint lint --fix`: safe fixes, again until none is left.
    let fixed = catch_unwind(AssertUnwindSafe(|| project.fix(path, text, kind, false))).ok()?;
    let applied = fixed.applied.len();
    if applied == 0 || fixed.text == text {
        return None;
    }
    let map = PositionMap::of(&snapshot, backend.state.encoding());
    let text_edit = convert::minimal_edit(text, &fixed.text, &map)?;
    let plural = if applied == 1 { "" } else { "es" };
    Some(CodeActionOrCommand::CodeAction(CodeAction {
        title: format!("Fix all safe keylint problems ({applied} fix{plural})"),
        kind: Some(CodeActionKind::new(FIX_ALL)),
        edit: Some(edit(uri, vec![text_edit], document.version)),
        ..CodeAction::default()
    }))
}

fn startup_validation(
    backend: &Backend,
    uri: &Uri,
    document: &Document,
) -> Vec<CodeActionOrCommand> {
    if document.kind.is_some() {
        return Vec::new();
    }
    let name = document.path.as_ref().map_or_else(
        || uri.path().as_str().to_string(),
        |path| path.to_string_lossy().into_owned(),
    );
    let Some(language) = Language::from_path(&name) else {
        return Vec::new();
    };
    let snapshot = document.snapshot();
    let text = &*snapshot.text;
    let map = PositionMap::of(&snapshot, backend.state.encoding());
    startup_check::candidates(language, text)
        .into_iter()
        .map(|(variable, provider)| {
            let (offset, snippet) = startup_check::snippet(language, text, variable, provider);
            let snippet = startup_check::with_leading_newline(text, offset, &snippet);
            let position = map.position(offset);
            CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Insert startup validation for {variable}"),
                kind: Some(CodeActionKind::new(REFACTOR_INSERT)),
                edit: Some(edit(
                    uri,
                    vec![TextEdit::new(
                        tower_lsp_server::ls_types::Range::new(position, position),
                        snippet,
                    )],
                    document.version,
                )),
                ..CodeAction::default()
            })
        })
        .collect()
}
