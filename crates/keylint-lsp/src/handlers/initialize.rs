use std::path::PathBuf;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    DiagnosticOptions, DiagnosticServerCapabilities, DidChangeWatchedFilesRegistrationOptions,
    ExecuteCommandOptions, FileSystemWatcher, GlobPattern, HoverProviderCapability,
    InitializeParams, InitializeResult, InitializedParams, MessageType, OneOf, Registration,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions,
};

use crate::encoding::Encoding;
use crate::handlers::publish;
use crate::server::Backend;
use crate::settings::Settings;
use crate::state::{read, write};

/// The files whose change on disk can change findings or navigation: env and YAML
/// files, configs, `.gitignore` files, the hint files that say who reads an env file,
/// and the source files and package manifests the code index reads.
pub const WATCHED: &[&str] = &[
    "**/.env",
    "**/.env.*",
    "**/*.env",
    "**/*.{yml,yaml}",
    "**/.gitignore",
    "**/keylint.toml",
    "**/.keylint.toml",
    "**/{Makefile,makefile,Procfile,README*,readme*}",
    "**/*.{sh,bash,py,js,jsx,mjs,cjs,ts,tsx,mts,cts,rs,go,java,cs,md}",
    "**/{package.json,requirements*.txt,pyproject.toml,go.mod,Cargo.toml}",
];

/// Kind of the fix-all action.
pub const FIX_ALL: &str = "source.fixAll.keylint";
/// Kind of "Insert startup validation".
pub const REFACTOR_INSERT: &str = "refactor.insert";

pub fn initialize(backend: &Backend, params: InitializeParams) -> Result<InitializeResult> {
    let capabilities = &params.capabilities;
    let encoding = Encoding::negotiate(capabilities);
    let pull = capabilities
        .text_document
        .as_ref()
        .is_some_and(|text_document| text_document.diagnostic.is_some());
    let refresh = capabilities
        .workspace
        .as_ref()
        .and_then(|workspace| workspace.diagnostics.as_ref())
        .and_then(|diagnostics| diagnostics.refresh_support)
        .unwrap_or(false);
    let watch = capabilities
        .workspace
        .as_ref()
        .and_then(|workspace| workspace.did_change_watched_files.as_ref())
        .and_then(|watched| watched.dynamic_registration)
        .unwrap_or(false);
    #[allow(deprecated)]
    let root = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|folder| folder.uri.clone())
        .or(params.root_uri.clone())
        .and_then(|uri| uri.to_file_path().map(|path| PathBuf::from(path.as_ref())));
    {
        let mut client = write(&backend.state.client);
        client.encoding = encoding;
        client.pull_diagnostics = pull;
        client.diagnostic_refresh = refresh;
        client.watch_files = watch;
        client.work_done_progress = capabilities
            .window
            .as_ref()
            .and_then(|window| window.work_done_progress)
            .unwrap_or(false);
        client.completion_label_details = capabilities
            .text_document
            .as_ref()
            .and_then(|text_document| text_document.completion.as_ref())
            .and_then(|completion| completion.completion_item.as_ref())
            .and_then(|item| item.label_details_support)
            .unwrap_or(false);
    }
    backend.state.set_root(root);
    let (settings, warnings) = Settings::from_json(params.initialization_options.as_ref());
    for warning in warnings {
        tracing::warn!("{warning}");
    }
    backend.state.apply_settings(settings);
    tracing::info!(
        "client {} ({}; diagnostics {})",
        params
            .client_info
            .as_ref()
            .map_or("unknown", |info| info.name.as_str()),
        encoding.kind().as_str(),
        if pull { "pulled" } else { "pushed" }
    );
    let diagnostic_provider = pull.then(|| {
        DiagnosticServerCapabilities::Options(DiagnosticOptions {
            identifier: Some("keylint".to_string()),
            inter_file_dependencies: true,
            workspace_diagnostics: false,
            ..DiagnosticOptions::default()
        })
    });
    Ok(InitializeResult {
        capabilities: ServerCapabilities {
            position_encoding: Some(encoding.kind()),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            diagnostic_provider,
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            definition_provider: Some(OneOf::Left(true)),
            references_provider: Some(OneOf::Left(true)),
            // Names are offered as they are typed: no trigger characters.
            completion_provider: Some(CompletionOptions::default()),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![
                    CodeActionKind::QUICKFIX,
                    CodeActionKind::new(FIX_ALL),
                    CodeActionKind::new(REFACTOR_INSERT),
                ]),
                ..CodeActionOptions::default()
            })),
            execute_command_provider: Some(ExecuteCommandOptions {
                commands: super::execute_command::COMMANDS
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
                ..ExecuteCommandOptions::default()
            }),
            ..ServerCapabilities::default()
        },
        server_info: Some(ServerInfo {
            name: "keylint".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
        ..InitializeResult::default()
    })
}

/// Indexes the workspace folder in the background (open documents are linted at once
/// and again when the index is ready), and asks the client to tell about the files that
/// change what keylint reports, when it can.
pub async fn initialized(backend: &Backend, _params: InitializedParams) {
    if read(&backend.state.client).watch_files {
        register_watchers(backend).await;
    }
    publish::reindex_in_background(backend);
}

async fn register_watchers(backend: &Backend) {
    let watchers = WATCHED
        .iter()
        .map(|glob| FileSystemWatcher {
            glob_pattern: GlobPattern::String(glob.to_string()),
            kind: None,
        })
        .collect();
    let registration = Registration {
        id: "keylint-watch".to_string(),
        method: "workspace/didChangeWatchedFiles".to_string(),
        register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
            watchers,
        })
        .ok(),
    };
    let register = backend.client.register_capability(vec![registration]);
    match tokio::time::timeout(std::time::Duration::from_secs(2), register).await {
        Ok(Ok(())) => {}
        _ => {
            backend
                .client
                .log_message(
                    MessageType::LOG,
                    "keylint: file watching unavailable; open buffers still refresh each other",
                )
                .await;
        }
    }
}
