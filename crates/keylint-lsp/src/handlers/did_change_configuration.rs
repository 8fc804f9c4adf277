use tower_lsp_server::ls_types::{DidChangeConfigurationParams, MessageType};

use crate::handlers::publish;
use crate::server::Backend;
use crate::settings::Settings;

/// New settings re-lint every open document. `allowedHosts` is taken from here (the
/// client's user-level settings), never from `workspace/configuration`.
pub async fn did_change_configuration(backend: &Backend, params: DidChangeConfigurationParams) {
    let (settings, warnings) = Settings::from_json(Some(&params.settings));
    backend.state.apply_settings(settings);
    let uris = backend.state.lintable();
    for warning in warnings {
        backend
            .client
            .log_message(
                MessageType::WARNING,
                keylint_core::mask::for_display(&warning).into_owned(),
            )
            .await;
    }
    publish::refresh(backend, uris).await;
}
