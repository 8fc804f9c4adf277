//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning accepts it.
//!
//! Messages are the same masked messages as the JSON output; `help` is the rule's doc
//! (what `keylint explain` prints); columns count Unicode scalar values
//! (`columnKind: unicodeCodePoints`), end exclusive. Partial fingerprints hash the rule,
//! the path and the line with every secret replaced by `<secret>`: they contain no
//! secret and no hash of one.

use std::collections::HashMap;

use keylint_core::rules::RULES;
use keylint_core::{ColumnUnit, LineIndex, Severity};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use super::FileReport;
use keylint_core::redaction::redact_file_fully;

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The key of our fingerprint in `partialFingerprints`.
const FINGERPRINT_KEY: &str = "keylint/v1";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The doc as `keylint explain` prints it (without the heading line).
pub fn help_markdown(summary: &str, doc: &str) -> String {
    format!("{summary}\n{}", doc.trim_end())
}

/// A relative path as a URI reference (`/` separators, percent-encoded); an absolute
/// path as a `file://` URI.
pub fn uri(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    let mut out = String::with_capacity(slashed.len());
    for byte in slashed.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    if slashed.starts_with('/') {
        format!("file://{out}")
    } else {
        out
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

pub fn render(reports: &[FileReport]) -> String {
    let rules = RULES;
    let index_of: HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(index, rule)| (rule.code, index))
        .collect();
    let mut results = Vec::new();
    for report in reports {
        let text = report.text.as_deref().unwrap_or("");
        let index = LineIndex::new(text);
        let masked = (!report.diagnostics.is_empty()).then(|| redact_file_fully(text, report.kind));
        let mut seen: HashMap<String, usize> = HashMap::new();
        for diagnostic in &report.diagnostics {
            let start = index.position(text, diagnostic.range.start, ColumnUnit::Scalar);
            let end = index.position(text, diagnostic.range.end, ColumnUnit::Scalar);
            let line_text = masked.as_ref().map_or(String::new(), |masked| {
                let offset = masked.map(diagnostic.range.start.min(text.len()), false);
                let line_start = masked.text[..offset].rfind('\n').map_or(0, |at| at + 1);
                let line_end = masked.text[offset..]
                    .find('\n')
                    .map_or(masked.text.len(), |at| offset + at);
                masked.text[line_start..line_end].trim().to_string()
            });
            let key = format!("{}\0{}\0{line_text}", diagnostic.code, report.path);
            let occurrence = seen.entry(key.clone()).or_default();
            *occurrence += 1;
            let fingerprint = hex(&Sha256::digest(format!("{key}\0{occurrence}").as_bytes()));
            let mut result = json!({
                "ruleId": diagnostic.code,
                "level": level(diagnostic.severity),
                "message": {"text": diagnostic.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(&keylint_core::mask::redact(&report.path))},
                        "region": {
                            "startLine": start.line + 1,
                            "startColumn": start.column + 1,
                            "endLine": end.line + 1,
                            "endColumn": end.column + 1,
                        }
                    }
                }],
                "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
            });
            if let Some(rule_index) = index_of.get(diagnostic.code) {
                result["ruleIndex"] = json!(rule_index);
            }
            if let Some(fix) = &diagnostic.fix {
                result["properties"] = json!({
                    "fix": {"applicability": fix.applicability.as_str(), "description": fix.description}
                });
            }
            results.push(result);
        }
    }
    let rules: Vec<Value> = rules
        .iter()
        .map(|rule| {
            let help = help_markdown(rule.summary, rule.doc);
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": help, "markdown": help},
                "help": {"text": help, "markdown": help},
                "defaultConfiguration": {"level": level(rule.severity)},
            })
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "keylint",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_string_pretty(&log).expect("SARIF serializes") + "\n"
}
