//! `keylint rules` and `keylint explain`: both read the one doc of each rule, which is
//! also each rule's page in the repository (`docs/rules/KL101.md`, kept equal by a test)
//! that SARIF's `helpUri` and `explain` point to.

use anyhow::{Result, bail};
use keylint_core::rules::{FixAvailability, RULES, RuleInfo, rule};

use crate::terminal::stdout;

/// The project's address, set once in the root `Cargo.toml`.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// Where a rule's page lives: `docs/rules/<CODE>.md` of the repository.
pub fn doc_url(code: &str) -> String {
    format!("{REPOSITORY}/blob/main/docs/rules/{code}.md")
}

/// A rule by code (`KL101`, any case) or name (`quotes-kept`).
fn find(code_or_name: &str) -> Option<&'static RuleInfo> {
    rule(code_or_name.trim())
}

pub enum ListFormat {
    Text,
    Json,
    Markdown,
}

pub fn list(format: ListFormat) -> Result<u8> {
    let rules = RULES;
    let text = match format {
        ListFormat::Text => rules
            .iter()
            .map(|rule| {
                format!(
                    "{}  {:<26} {:<8} {}\n",
                    rule.code,
                    rule.name,
                    rule.severity.as_str(),
                    rule.summary
                )
            })
            .collect(),
        ListFormat::Json => {
            let rules: Vec<serde_json::Value> = rules
                .iter()
                .map(|rule| {
                    serde_json::json!({
                        "code": rule.code, "name": rule.name, "severity": rule.severity.as_str(),
                        "fix": fix_word(rule.fix), "summary": rule.summary,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&rules)? + "\n"
        }
        ListFormat::Markdown => markdown_table(),
    };
    stdout(&text)?;
    Ok(0)
}

fn fix_word(fix: FixAvailability) -> &'static str {
    match fix {
        FixAvailability::Always => "always",
        FixAvailability::Sometimes => "sometimes",
        FixAvailability::None => "none",
    }
}

/// The README's rule table (kept in sync by a test).
pub fn markdown_table() -> String {
    let mut out =
        String::from("| Code | Name | Default | Fix | Catches |\n|---|---|---|---|---|\n");
    for rule in RULES {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            rule.code,
            rule.name,
            rule.severity.as_str(),
            fix_word(rule.fix),
            table_cell(rule.summary)
        ));
    }
    out
}

/// A `|` ends a Markdown table cell even inside backticks.
fn table_cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// A rule's page: `docs/rules/<CODE>.md`, and what `keylint explain` prints.
pub fn page(rule: &RuleInfo) -> String {
    format!(
        "# {} {}\n\nDefault severity: {}. {}\n{}\n",
        rule.code,
        rule.name,
        rule.severity.as_str(),
        rule.summary,
        rule.doc.trim_end()
    )
}

pub fn explain(code_or_name: &str) -> Result<u8> {
    let Some(rule) = find(code_or_name) else {
        bail!("no rule named `{code_or_name}` (see `keylint rules`)");
    };
    stdout(&format!("{}\nOnline: {}\n", page(rule), doc_url(rule.code)))?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    /// `docs/rules/` holds each rule's page as [`page`] writes it, and nothing else.
    /// `KEYLINT_WRITE_RULE_DOCS=1 cargo test -p keylint rule_pages` rewrites them.
    #[test]
    fn rule_pages_in_docs_are_generated_from_the_rules() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules");
        let write = std::env::var_os("KEYLINT_WRITE_RULE_DOCS").is_some();
        let rules = RULES;
        for rule in rules {
            let path = dir.join(format!("{}.md", rule.code));
            if write {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, page(rule)).unwrap();
            }
            let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
            assert_eq!(
                on_disk,
                page(rule),
                "{} is stale: run `KEYLINT_WRITE_RULE_DOCS=1 cargo test -p keylint rule_pages`",
                path.display()
            );
        }
        let mut extra: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| {
                !rules
                    .iter()
                    .any(|rule| *name == format!("{}.md", rule.code))
            })
            .collect();
        extra.sort();
        assert!(
            extra.is_empty(),
            "docs/rules/ holds pages of no rule: {extra:?}"
        );
    }

    #[test]
    fn rule_pages_live_in_the_repository() {
        assert_eq!(
            doc_url("KL101"),
            format!("{REPOSITORY}/blob/main/docs/rules/KL101.md")
        );
        assert!(REPOSITORY.starts_with("https://"));
    }
}
