//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning accepts it.
//!
//! Messages are the same masked messages as the JSON output; `help` is the rule's doc
//! (what `keylint explain` prints); columns count Unicode scalar values
//! (`columnKind: unicodeCodePoints`), end exclusive; `helpUri` is the rule's page in the
//! repository (`docs/rules/KL101.md`). Partial fingerprints are
//! [`super::fingerprint`]'s: they contain no secret and no hash of one.

use std::collections::HashMap;

use keylint_core::rules::RULES;
use keylint_core::{ColumnUnit, LineIndex, Severity};
use serde_json::{Value, json};

use super::{FileReport, fingerprint};
use crate::rules_command::{REPOSITORY, doc_url};

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
        for (diagnostic, fingerprint) in report
            .diagnostics
            .iter()
            .zip(fingerprint::of_report(report))
        {
            let start = index.position(text, diagnostic.range.start, ColumnUnit::Scalar);
            let end = index.position(text, diagnostic.range.end, ColumnUnit::Scalar);
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
                "helpUri": doc_url(rule.code),
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
                "informationUri": REPOSITORY,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_string_pretty(&log).expect("SARIF serializes") + "\n"
}
