//! Properties that hold for any input: the `.env` reader is lossless, nothing panics,
//! ranges are valid, and fixes converge (applying them again changes nothing).

use std::path::Path;

use keylint_core::fix::apply_fixes;
use keylint_core::syntax::dotenv;
use keylint_core::{FileKind, LintInput, LoneFile, RuleSelection, Settings, lint};
use proptest::prelude::*;

/// Lines that look like real `.env` lines, with the characters that break loaders.
fn env_line() -> impl Strategy<Value = String> {
    let prefix = prop_oneof![Just(""), Just("export "), Just("  "), Just("\u{feff}")];
    let name = "[A-Za-z_][A-Za-z0-9_]{0,10}( )?";
    let separator = prop_oneof![Just("="), Just(" = "), Just(":"), Just(": "), Just("")];
    let value = "[\"'“”`]?[a-zA-Z0-9_ #$./{}=\\\\\t\u{a0}\u{200b}-]{0,24}[\"'“”`]?( #c)?[ \t]?";
    let ending = prop_oneof![Just("\n"), Just("\r\n"), Just("\r"), Just("")];
    (prefix, name, separator, value, ending).prop_map(|(prefix, name, separator, value, ending)| {
        format!("{prefix}{name}{separator}{value}{ending}")
    })
}

fn env_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![4 => env_line(), 1 => Just("# comment é\n".to_string()), 1 => Just("\n".to_string())], 0..8)
        .prop_map(|lines| lines.concat())
}

fn yaml_text() -> impl Strategy<Value = String> {
    let item = "(- )?[A-Z_]{1,8}(=|: )[\"']?[a-z0-9 ${}:-]{0,12}[\"']?";
    prop::collection::vec(item, 0..5).prop_map(|items| {
        let mut text = String::from("services:\n  api:\n    environment:\n");
        for item in items {
            text.push_str("      ");
            text.push_str(&item);
            text.push('\n');
        }
        text
    })
}

fn lint_as(path: &str, kind: FileKind, text: &str) -> Vec<keylint_core::Diagnostic> {
    let input = LintInput::new(Path::new(path), text, kind);
    lint(
        &input,
        &LoneFile::default(),
        &Settings::default(),
        &RuleSelection::default(),
    )
}

fn check_ranges(text: &str, diagnostics: &[keylint_core::Diagnostic]) {
    for diagnostic in diagnostics {
        assert!(
            diagnostic.range.start <= diagnostic.range.end && diagnostic.range.end <= text.len(),
            "{diagnostic:?}"
        );
        assert!(
            text.is_char_boundary(diagnostic.range.start)
                && text.is_char_boundary(diagnostic.range.end),
            "{diagnostic:?}"
        );
        for edit in diagnostic.fix.iter().flat_map(|fix| &fix.edits) {
            assert!(
                edit.range.end <= text.len()
                    && text.is_char_boundary(edit.range.start)
                    && text.is_char_boundary(edit.range.end)
            );
        }
    }
}

/// Applies every fix until nothing changes; the text must settle within a few passes.
fn fix_to_fixpoint(path: &str, kind: FileKind, text: &str) -> String {
    let mut current = text.to_string();
    for _ in 0..6 {
        let diagnostics = lint_as(path, kind, &current);
        check_ranges(&current, &diagnostics);
        let (next, applied) = apply_fixes(&current, &diagnostics, true);
        if applied == 0 || next == current {
            return current;
        }
        current = next;
    }
    panic!("fixes did not settle on {text:?}, last {current:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn env_reader_is_lossless(text in env_text()) {
        let file = dotenv::parse(&text);
        let mut position = 0;
        for statement in &file.statements {
            prop_assert_eq!(statement.span.start, position);
            position = statement.span.end;
        }
        prop_assert_eq!(position, text.len());
        let joined: String = file.statements.iter().map(|statement| &text[statement.span.clone()]).collect();
        prop_assert_eq!(joined, text);
    }

    #[test]
    fn env_reader_is_lossless_on_any_text(text in any::<String>()) {
        let file = dotenv::parse(&text);
        let joined: String = file.statements.iter().map(|statement| &text[statement.span.clone()]).collect();
        prop_assert_eq!(joined, text);
    }

    #[test]
    fn linting_any_text_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let text = String::from_utf8_lossy(&bytes);
        for (path, kind) in [(".env", FileKind::EnvFile), ("compose.yaml", FileKind::Compose), ("k8s.yaml", FileKind::OtherYaml), (".github/workflows/ci.yml", FileKind::Workflow)] {
            check_ranges(&text, &lint_as(path, kind, &text));
        }
    }

    #[test]
    fn env_fixes_settle_and_are_idempotent(text in env_text()) {
        let fixed = fix_to_fixpoint(".env", FileKind::EnvFile, &text);
        let (again, _) = apply_fixes(&fixed, &lint_as(".env", FileKind::EnvFile, &fixed), true);
        prop_assert_eq!(again, fixed);
    }

    #[test]
    fn compose_fixes_settle_and_are_idempotent(text in yaml_text()) {
        let fixed = fix_to_fixpoint("compose.yaml", FileKind::Compose, &text);
        let (again, _) = apply_fixes(&fixed, &lint_as("compose.yaml", FileKind::Compose, &fixed), true);
        prop_assert_eq!(again, fixed);
    }

    #[test]
    fn a_fix_changes_nothing_outside_its_edits(text in env_text()) {
        for diagnostic in lint_as(".env", FileKind::EnvFile, &text) {
            let Some(fix) = &diagnostic.fix else { continue };
            let (fixed, applied) = apply_fixes(&text, std::slice::from_ref(&diagnostic), true);
            prop_assert_eq!(applied, 1);
            // Rebuild the expected text from the untouched pieces and the replacements.
            let mut expected = String::new();
            let mut last = 0;
            for edit in &fix.edits {
                expected.push_str(&text[last..edit.range.start]);
                expected.push_str(&edit.replacement);
                last = edit.range.end;
            }
            expected.push_str(&text[last..]);
            prop_assert_eq!(fixed, expected);
        }
    }
}

#[test]
fn huge_and_hostile_inputs_are_handled() {
    let long_line = format!("OPENAI_API_KEY={}\n", "a".repeat(4 << 20));
    check_ranges(&long_line, &lint_as(".env", FileKind::EnvFile, &long_line));
    let many_lines = "X=1\n".repeat(100_000);
    check_ranges(
        &many_lines,
        &lint_as(".env", FileKind::EnvFile, &many_lines),
    );
    let deep = format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000));
    check_ranges(&deep, &lint_as("compose.yaml", FileKind::Compose, &deep));
    let laughs = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nservices:\n  s:\n    environment: *d\n";
    check_ranges(laughs, &lint_as("compose.yaml", FileKind::Compose, laughs));
}

#[test]
fn escaped_double_quoted_compose_items_keep_valid_ranges() {
    let text = "services:\n  api:\n    environment:\n      - \"OPENAI_API_KEY=é\\t\"\n      - \"B=\\u00e9x \"\n";
    check_ranges(text, &lint_as("compose.yaml", FileKind::Compose, text));
}
