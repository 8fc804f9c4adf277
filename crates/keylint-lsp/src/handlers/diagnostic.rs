use tower_lsp_server::ls_types::{
    DocumentDiagnosticParams, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    FullDocumentDiagnosticReport, RelatedFullDocumentDiagnosticReport,
};

use crate::convert;
use crate::server::Backend;

/// `textDocument/diagnostic` (pull). Lints the current text; documents keylint does
/// not lint get an empty report.
pub fn diagnostic(
    backend: &Backend,
    params: DocumentDiagnosticParams,
) -> DocumentDiagnosticReportResult {
    let items = backend
        .state
        .lint_document(&params.text_document.uri)
        .map(|linted| {
            convert::diagnostics(
                &linted.diagnostics,
                &linted.text,
                backend.state.encoding(),
                linted.version,
            )
        })
        .unwrap_or_default();
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
