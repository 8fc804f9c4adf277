//! Core types → LSP types. With [`crate::encoding`], the only place that produces
//! positions.

use keylint_core::incremental::{common_prefix, common_suffix};
use keylint_core::{Applicability, Diagnostic, Fix, Severity};
use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::{self as lsp, DiagnosticSeverity, NumberOrString, TextEdit};

use crate::encoding::PositionMap;

/// `source` of every diagnostic.
pub const SOURCE: &str = "keylint";

/// What a quick fix needs, carried in `Diagnostic.data` so `codeAction` does not lint
/// again.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosticData {
    /// Document version the positions belong to.
    pub version: i32,
    pub fix: Option<FixData>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct FixData {
    pub title: String,
    pub safe: bool,
    pub edits: Vec<TextEdit>,
}

#[must_use]
pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

#[must_use]
pub fn text_edits(fix: &Fix, map: &PositionMap) -> Vec<TextEdit> {
    fix.edits
        .iter()
        .map(|edit| TextEdit::new(map.range(&edit.range), edit.replacement.clone()))
        .collect()
}

#[must_use]
pub fn diagnostic(diagnostic: &Diagnostic, map: &PositionMap, version: i32) -> lsp::Diagnostic {
    let data = DiagnosticData {
        version,
        fix: diagnostic.fix.as_ref().map(|fix| FixData {
            title: fix.description.clone(),
            safe: fix.applicability == Applicability::Safe,
            edits: text_edits(fix, map),
        }),
    };
    lsp::Diagnostic {
        range: map.range(&diagnostic.range),
        severity: Some(severity(diagnostic.severity)),
        code: Some(NumberOrString::String(diagnostic.code.to_string())),
        code_description: None,
        source: Some(SOURCE.to_string()),
        message: diagnostic.message.clone(),
        related_information: None,
        tags: None,
        data: serde_json::to_value(data).ok(),
    }
}

#[must_use]
pub fn diagnostics(
    diagnostics: &[Diagnostic],
    snapshot: &crate::documents::Snapshot,
    encoding: crate::encoding::Encoding,
    version: i32,
) -> Vec<lsp::Diagnostic> {
    let map = PositionMap::of(snapshot, encoding);
    diagnostics
        .iter()
        .map(|item| diagnostic(item, &map, version))
        .collect()
}

/// The place `range` of the file at `path` (whose text is `text`); `None` when the path
/// makes no `file:` URI.
#[must_use]
pub fn location(
    path: &std::path::Path,
    text: &str,
    range: &std::ops::Range<usize>,
    encoding: crate::encoding::Encoding,
) -> Option<lsp::Location> {
    Some(lsp::Location::new(
        lsp::Uri::from_file_path(path)?,
        PositionMap::new(text, encoding).range(range),
    ))
}

/// One edit that turns `old` into `new`: the differing middle between the common
/// prefix and suffix (keeps the cursor and folds stable in the editor).
#[must_use]
pub fn minimal_edit(old: &str, new: &str, map: &PositionMap) -> Option<TextEdit> {
    if old == new {
        return None;
    }
    let mut prefix = common_prefix(old.as_bytes(), new.as_bytes());
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = common_suffix(old.as_bytes(), new.as_bytes(), max_suffix);
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Some(TextEdit::new(
        map.range(&(prefix..old.len() - suffix)),
        new[prefix..new.len() - suffix].to_string(),
    ))
}
