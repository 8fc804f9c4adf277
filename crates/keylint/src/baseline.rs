//! `--baseline FILE` and `--write-baseline FILE`: adopting keylint in a project that
//! already has findings. The file records findings by fingerprint only (the same as
//! SARIF's `partialFingerprints`: rule, path and the line with every secret replaced,
//! hashed), never a value, so it can be committed:
//!
//! ```json
//! {"version": 1, "fingerprints": ["3f0c…", "…"]}
//! ```
//!
//! A finding whose fingerprint the file holds is not reported. Equal findings on equal
//! lines of a file are told apart by their order, so each has its own entry.

use std::collections::HashSet;
use std::path::Path;

use anyhow::{Result, bail};
use keylint_workspace::files::{FileText, MAX_FILE_BYTES, read_text};
use keylint_workspace::write::write_report;
use serde::{Deserialize, Serialize};

use crate::output::{FileReport, fingerprint};

const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    fingerprints: Vec<String>,
}

/// The fingerprints of a baseline.
pub struct Baseline(HashSet<String>);

fn is_fingerprint(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
}

pub fn read(path: &Path) -> Result<Baseline> {
    let text = match read_text(path, MAX_FILE_BYTES) {
        Ok(FileText::Text(text)) => text,
        Ok(FileText::Unreadable { message, .. }) => bail!("{}: {message}", path.display()),
        Err(error) => bail!("cannot read the baseline {}: {error}", path.display()),
    };
    let Ok(file) = serde_json::from_str::<BaselineFile>(&text) else {
        bail!(
            "{} is not a keylint baseline (write one with --write-baseline)",
            path.display()
        );
    };
    if file.version != VERSION {
        bail!(
            "{}: baseline version {} is not supported (expected {VERSION})",
            path.display(),
            file.version
        );
    }
    if let Some(bad) = file
        .fingerprints
        .iter()
        .position(|entry| !is_fingerprint(entry))
    {
        bail!(
            "{}: entry {} is not a fingerprint (64 hex digits)",
            path.display(),
            bad + 1
        );
    }
    Ok(Baseline(file.fingerprints.into_iter().collect()))
}

/// Records every finding of `reports` in `path`; returns how many.
pub fn write(path: &Path, reports: &[FileReport]) -> Result<usize> {
    let mut fingerprints: Vec<String> = reports.iter().flat_map(fingerprint::of_report).collect();
    fingerprints.sort();
    let count = fingerprints.len();
    let file = BaselineFile {
        version: VERSION,
        fingerprints,
    };
    write_report(path, &(serde_json::to_string_pretty(&file)? + "\n"))?;
    Ok(count)
}

impl Baseline {
    /// Drops the findings the baseline records; returns how many were dropped.
    pub fn hide_known(&self, reports: &mut [FileReport]) -> usize {
        let mut hidden = 0;
        for report in reports {
            let fingerprints = fingerprint::of_report(report);
            let mut fingerprints = fingerprints.iter();
            report.diagnostics.retain(|_| {
                let known = fingerprints
                    .next()
                    .is_some_and(|fingerprint| self.0.contains(fingerprint));
                hidden += usize::from(known);
                !known
            });
        }
        hidden
    }
}
