//! `--statistics`: how many findings of each rule, most frequent first (ruff's
//! `--statistics`). `[*]` marks a rule whose findings have a safe fix, `[-]` one with
//! only unsafe fixes.

use std::collections::BTreeMap;

use keylint_core::Applicability;
use serde::Serialize;

use super::FileReport;

#[derive(Serialize)]
struct Row {
    code: &'static str,
    name: &'static str,
    count: usize,
    /// `safe`, `unsafe` or `null`: the best fix any of these findings has.
    fix: Option<&'static str>,
}

fn rows(reports: &[FileReport]) -> Vec<Row> {
    let mut by_code: BTreeMap<&'static str, Row> = BTreeMap::new();
    for diagnostic in reports.iter().flat_map(|report| &report.diagnostics) {
        let row = by_code.entry(diagnostic.code).or_insert(Row {
            code: diagnostic.code,
            name: diagnostic.name,
            count: 0,
            fix: None,
        });
        row.count += 1;
        if let Some(fix) = &diagnostic.fix
            && row.fix != Some(Applicability::Safe.as_str())
        {
            row.fix = Some(fix.applicability.as_str());
        }
    }
    let mut rows: Vec<Row> = by_code.into_values().collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    rows
}

pub fn render_text(reports: &[FileReport]) -> String {
    let rows = rows(reports);
    let width = rows
        .iter()
        .map(|row| row.count.to_string().len())
        .max()
        .unwrap_or(1);
    rows.iter()
        .map(|row| {
            let marker = match row.fix {
                Some(fix) if fix == Applicability::Safe.as_str() => "[*]",
                Some(_) => "[-]",
                None => "   ",
            };
            format!(
                "{:>width$}\t{}\t{marker} {}\n",
                row.count, row.code, row.name
            )
        })
        .collect()
}

pub fn render_json(reports: &[FileReport]) -> String {
    serde_json::to_string_pretty(&rows(reports)).expect("statistics serialize") + "\n"
}
