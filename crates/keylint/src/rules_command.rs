//! `keylint rules` and `keylint explain`: both read the one doc of each rule.

use anyhow::{Result, bail};
use keylint_core::rules::{FixAvailability, RULES, rule};

pub enum ListFormat {
    Text,
    Json,
    Markdown,
}

pub fn list(format: ListFormat) -> Result<u8> {
    match format {
        ListFormat::Text => {
            for rule in RULES {
                println!(
                    "{}  {:<26} {:<8} {}",
                    rule.code,
                    rule.name,
                    rule.severity.as_str(),
                    rule.summary
                );
            }
        }
        ListFormat::Json => {
            let rules: Vec<serde_json::Value> = RULES
                .iter()
                .map(|rule| {
                    serde_json::json!({
                        "code": rule.code, "name": rule.name, "severity": rule.severity.as_str(),
                        "fix": fix_word(rule.fix), "summary": rule.summary,
                    })
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&rules)?);
        }
        ListFormat::Markdown => print!("{}", markdown_table()),
    }
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

pub fn explain(code_or_name: &str) -> Result<u8> {
    let Some(rule) = rule(code_or_name) else {
        bail!("no rule named `{code_or_name}` (see `keylint rules`)");
    };
    println!(
        "# {} {}\n\nDefault severity: {}. {}\n{}",
        rule.code,
        rule.name,
        rule.severity.as_str(),
        rule.summary,
        rule.doc.trim_end()
    );
    Ok(0)
}
