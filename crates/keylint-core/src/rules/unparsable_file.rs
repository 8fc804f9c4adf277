//! KL001 unparsable-file: YAML keylint cannot read past a point, so the rest goes unchecked.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct UnparsableFile;

impl Rule for UnparsableFile {
    const CODE: &'static str = "KL001";
    const NAME: &'static str = "unparsable-file";
    const SEVERITY: Severity = Severity::Info;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str =
        "A file keylint cannot read as .env or YAML (binary, UTF-16, broken YAML, Helm templates)";
    const DOC: &'static str = r#"
## What it does
Says where keylint stopped reading a YAML file it cannot parse: a syntax error, or a
Helm/Jinja template (`{{ .Values.key }}`) that only becomes YAML once rendered. The
documents before that point are checked; the rest of the file is skipped.

A `.env` file always parses (every line is either an assignment, a comment or text a
loader ignores); binary and UTF-16 files are reported by the command line itself.

## Why is this bad?
It is not a mistake by itself, which is why it is only an info: a template is not
meant to be YAML, and a real syntax error is reported by the tool that loads the file.
But keylint says nothing about the part it could not read, so a clean run does not
vouch for it.

## Example
```yaml
env:
  - name: OPENAI_API_KEY
    value: {{ .Values.openaiKey }}
```

Use instead (or lint the rendered output of `helm template`):
```yaml
env:
  - name: OPENAI_API_KEY
    valueFrom:
      secretKeyRef: {name: openai, key: api-key}
```
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let Some(yaml) = &ctx.parsed.yaml else {
            return;
        };
        let Some((range, reason)) = &yaml.error else {
            return;
        };
        let message = if is_template_syntax(ctx.text) {
            "this looks like a Helm or Jinja template (`{{ }}`), not YAML: keylint skipped the rest of the file from here (lint the rendered output to check it)".to_string()
        } else {
            format!(
                "keylint cannot parse this YAML ({reason}) and skipped the rest of the file from here"
            )
        };
        out.push(Self::diagnostic(Self::SEVERITY, range.clone(), message));
    }
}

/// `{{ … }}` outside a workflow's `${{ … }}` expressions: Helm, Jinja or Go templates.
fn is_template_syntax(text: &str) -> bool {
    text.match_indices("{{")
        .any(|(at, _)| !text[..at].ends_with('$'))
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check;

    #[test]
    fn broken_yaml_is_an_info_where_reading_stopped_even_with_workflow_expressions() {
        insta::assert_snapshot!(check("KL001", "compose.yaml", "services:\n  api:\n    environment: [A=1\n"), @"4:1-4:1 info KL001: keylint cannot parse this YAML (while parsing a flow sequence, expected ',' or ']') and skipped the rest of the file from here");
        insta::assert_snapshot!(check("KL001", ".github/workflows/ci.yml", "jobs:\n  t:\n    env:\n      A: ${{ secrets.A }}\n    bad: [\n"), @"6:1-6:1 info KL001: keylint cannot parse this YAML (while parsing a node, did not find expected node content) and skipped the rest of the file from here");
    }

    #[test]
    fn helm_template_is_at_most_an_info() {
        insta::assert_snapshot!(check("KL001", "chart/templates/deployment.yaml", "env:\n  - name: OPENAI_API_KEY\n    value: {{ .Values.openaiKey }}\n  {{- if .Values.org }}\n  - name: OPENAI_ORG_ID\n  {{- end }}\n"), @"4:5-4:6 info KL001: this looks like a Helm or Jinja template (`{{ }}`), not YAML: keylint skipped the rest of the file from here (lint the rendered output to check it)");
    }

    #[test]
    fn near_misses() {
        insta::assert_snapshot!(check("KL001", "compose.yaml", "---\nx-common: &env\n  A: 1\nservices:\n  api:\n    environment:\n      <<: *env\n      B: !reset null\n---\nother: doc\n"), @"");
        insta::assert_snapshot!(check("KL001", ".github/workflows/ci.yml", "on: push\njobs:\n  t:\n    steps:\n      - run: echo ${{ secrets.OPENAI_API_KEY }}\n"), @"");
        insta::assert_snapshot!(check("KL001", ".env", "A=\"unterminated\n\u{1}\u{2}garbage line\nKEY\n"), @"");
    }
}
