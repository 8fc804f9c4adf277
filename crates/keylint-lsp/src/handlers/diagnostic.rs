use tower_lsp_server::ls_types::{
    DocumentDiagnosticParams, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    FullDocumentDiagnosticReport, RelatedFullDocumentDiagnosticReport,
};

use crate::convert;
use crate::server::Backend;

/// `textDocument/diagnostic` (pull). Lints the current text off the protocol loop;
/// documents keylint does not lint get an empty report.
pub async fn diagnostic(
    backend: &Backend,
    params: DocumentDiagnosticParams,
) -> DocumentDiagnosticReportResult {
    let items = backend
        .state
        .lint_in_background(&params.text_document.uri)
        .await
        .map(|linted| {
            convert::diagnostics(
                &linted.diagnostics,
                &linted.snapshot,
                backend.state.encoding(),
                linted.version,
            )
        })
        .unwrap_or_default();
    crate::handlers::publish::report_config_errors(backend).await;
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: None,
                items,
            },
        },
    ))
}
