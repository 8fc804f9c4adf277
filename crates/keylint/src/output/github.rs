//! `--format github`: GitHub Actions workflow commands, one per finding, which GitHub
//! shows as annotations on the file and line
//! (`::error file=compose.yaml,line=7,col=9,endLine=7,endColumn=60,title=KL101 quotes-kept::…`).
//! Errors are `error`, warnings `warning`, infos `notice`. Messages are the masked
//! messages of every other format.

use keylint_core::mask::for_display;
use keylint_core::{ColumnUnit, LineIndex, Severity};

use super::FileReport;

/// Escapes a message: `%`, `\r` and `\n` (GitHub's `escapeData`).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as a message, plus `:` and `,` (GitHub's `escapeProperty`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        let text = report.text.as_deref().unwrap_or("");
        let index = LineIndex::new(text);
        for diagnostic in &report.diagnostics {
            let start = index.position(text, diagnostic.range.start, ColumnUnit::Scalar);
            let end = index.position(text, diagnostic.range.end, ColumnUnit::Scalar);
            let command = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            out.push_str(&format!(
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                escape_property(&for_display(&report.path)),
                start.line + 1,
                start.column + 1,
                end.line + 1,
                end.column + 1,
                escape_property(&format!("{} {}", diagnostic.code, diagnostic.name)),
                escape_data(&diagnostic.message),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_actions_toolkit() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
