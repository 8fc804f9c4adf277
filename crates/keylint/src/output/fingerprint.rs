//! Fingerprints of findings that survive edits elsewhere in the file: SARIF's
//! `partialFingerprints` and the entries of a `--baseline` file.
//!
//! A fingerprint hashes the rule, the path and the line the finding starts on, trimmed and
//! with every secret replaced by `<secret>` (so it contains no secret and no hash of one,
//! and lines added or removed above do not change it), then how many equal findings came
//! before it in the file.

use std::collections::HashMap;

use keylint_core::redaction::redact_file_fully;
use sha2::{Digest as _, Sha256};

use super::FileReport;

/// The fingerprint of each finding of `report`, in order.
pub fn of_report(report: &FileReport) -> Vec<String> {
    if report.diagnostics.is_empty() {
        return Vec::new();
    }
    let text = report.text.as_deref().unwrap_or("");
    let masked = redact_file_fully(text, report.kind);
    let mut seen: HashMap<String, usize> = HashMap::new();
    report
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let offset = masked.map(diagnostic.range.start.min(text.len()), false);
            let line_start = masked.text[..offset].rfind('\n').map_or(0, |at| at + 1);
            let line_end = masked.text[offset..]
                .find('\n')
                .map_or(masked.text.len(), |at| offset + at);
            let line_text = masked.text[line_start..line_end].trim();
            let key = format!("{}\0{}\0{line_text}", diagnostic.code, report.path);
            let occurrence = seen.entry(key.clone()).or_default();
            *occurrence += 1;
            hex(&Sha256::digest(format!("{key}\0{occurrence}").as_bytes()))
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
