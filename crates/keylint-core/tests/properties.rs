//! Properties that hold for any input: the `.env` reader is lossless, nothing panics,
//! ranges are valid, and fixes converge (applying them again changes nothing) and change
//! nothing outside their edits, on junk and on realistic provider config
//! (`generators/`), where the fix of every fixable rule must be exercised.

mod generators;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;
use std::path::Path;

use keylint_core::assignment::{ParsedFile, env_assignment_names};
use keylint_core::consumer::{Consumer, Outcome, load_env_file};
use keylint_core::fix::apply_fixes;
use keylint_core::redaction::{Masking, Redacted};
use keylint_core::rules::{FixAvailability, RULES};
use keylint_core::syntax::dotenv;
use keylint_core::{FileKind, LineIndex, LintInput, LoneFile, RuleSelection, Settings, lint};
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};

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

/// Applies every fix (or only rule `only`'s) until nothing changes; the text must
/// settle within a few passes. Adds the code of each rule whose fix was applied to
/// `applied`.
fn fix_to_fixpoint(
    path: &str,
    kind: FileKind,
    text: &str,
    only: Option<&str>,
    applied: &mut BTreeSet<&'static str>,
) -> String {
    let mut current = text.to_string();
    for _ in 0..6 {
        let mut diagnostics = lint_as(path, kind, &current);
        check_ranges(&current, &diagnostics);
        diagnostics.retain(|diagnostic| only.is_none_or(|code| diagnostic.code == code));
        let (next, count) = apply_fixes(&current, &diagnostics, true);
        if count == 0 || next == current {
            return current;
        }
        // apply_fixes accepts fixes greedily in order, so fix `i` was applied exactly
        // when the first `i + 1` diagnostics apply one more fix than the first `i`.
        for index in 0..diagnostics.len() {
            let before = apply_fixes(&current, &diagnostics[..index], true).1;
            if apply_fixes(&current, &diagnostics[..=index], true).1 > before {
                applied.insert(diagnostics[index].code);
            }
        }
        current = next;
    }
    panic!("fixes did not settle on {text:?}, last {current:?}");
}

/// Fixing (with every rule's fixes, or only rule `only`'s) settles, and the fixes offered
/// on the settled text change nothing more.
fn assert_fixes_settle(
    path: &str,
    kind: FileKind,
    text: &str,
    only: Option<&str>,
    applied: &mut BTreeSet<&'static str>,
) -> Result<(), TestCaseError> {
    let fixed = fix_to_fixpoint(path, kind, text, only, applied);
    let mut diagnostics = lint_as(path, kind, &fixed);
    diagnostics.retain(|diagnostic| only.is_none_or(|code| diagnostic.code == code));
    let (again, _) = apply_fixes(&fixed, &diagnostics, true);
    prop_assert_eq!(again, fixed);
    Ok(())
}

/// Each fix applied alone changes the text exactly at its edits and nowhere else; returns
/// the codes of the rules whose fixes were checked.
fn assert_fixes_touch_only_their_edits(
    text: &str,
    diagnostics: &[keylint_core::Diagnostic],
) -> Result<BTreeSet<&'static str>, TestCaseError> {
    let mut checked = BTreeSet::new();
    for diagnostic in diagnostics {
        let Some(fix) = &diagnostic.fix else { continue };
        let (fixed, applied) = apply_fixes(text, std::slice::from_ref(diagnostic), true);
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
        checked.insert(diagnostic.code);
    }
    Ok(checked)
}

/// `cases` unless `PROPTEST_CASES` says otherwise: `PROPTEST_CASES=100000 cargo test
/// --release -p keylint-core --test properties` is the fuzz mode (docs/testing.md).
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

/// Real files to mutate: the bundled examples, one per parser and file kind, plus a
/// `.env` with the characters that break loaders.
const SEEDS: &[(&str, FileKind, &str)] = &[
    (
        "deploy/prod.env",
        FileKind::EnvFile,
        include_str!("../../../examples/broken-app/deploy/prod.env"),
    ),
    (
        ".env.example",
        FileKind::EnvFile,
        include_str!("../../../examples/clean-app/.env.example"),
    ),
    (
        ".env",
        FileKind::EnvFile,
        "\u{feff}export OPENAI_API_KEY=\"sk-proj-abc\" # c\r\nANTHROPIC_API_KEY='sk-ant-\\'x'\nGEMINI_API_KEY=AIza\u{a0}\nMULTI=\"a\nb\"\nREF=${OPENAI_API_KEY:-x}$OTHER\nBARE\n",
    ),
    (
        "compose.yaml",
        FileKind::Compose,
        include_str!("../../../examples/broken-app/compose.yaml"),
    ),
    (
        "compose.yaml",
        FileKind::Compose,
        include_str!("../../../examples/clean-app/compose.yaml"),
    ),
    (
        "k8s/secret.yaml",
        FileKind::OtherYaml,
        include_str!("../../../examples/broken-app/k8s/secret.yaml"),
    ),
    (
        ".github/workflows/deploy.yml",
        FileKind::Workflow,
        include_str!("../../../examples/broken-app/.github/workflows/deploy.yml"),
    ),
];

/// One edit of a file's bytes; positions are taken modulo the length.
#[derive(Clone, Debug)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Duplicate(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    // Fragments that matter to the parsers, besides random bytes.
    let fragment = prop_oneof![
        prop::collection::vec(any::<u8>(), 1..4),
        prop::sample::select(vec![
            "\"",
            "'",
            "`",
            "\\",
            "\r",
            "\r\n",
            "\n",
            "\t",
            "\u{feff}",
            "\u{a0}",
            "\u{200b}",
            "#",
            " #",
            "=",
            ": ",
            "- ",
            "${",
            "}",
            "$",
            "&a ",
            "*a",
            "<<: *a",
            "|\n",
            ">-\n",
            "[",
            "]",
            "{",
            "}",
            "---\n",
            "!!binary ",
            "? ",
            "%YAML 1.2\n",
            "export ",
        ])
        .prop_map(|text| text.as_bytes().to_vec()),
    ];
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip(at, byte)),
        (any::<usize>(), fragment).prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        (any::<usize>(), 1..40usize).prop_map(|(at, length)| Mutation::Delete(at, length)),
        (any::<usize>(), 1..80usize).prop_map(|(at, length)| Mutation::Duplicate(at, length)),
    ]
}

fn mutate(seed: &str, mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = seed.as_bytes().to_vec();
    for mutation in mutations {
        let length = bytes.len().max(1);
        match mutation {
            Mutation::Flip(at, byte) => {
                if let Some(target) = bytes.get_mut(at % length) {
                    *target ^= byte | 1;
                }
            }
            Mutation::Insert(at, fragment) => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, fragment.iter().copied());
            }
            Mutation::Delete(at, count) => {
                let at = at % length;
                let end = (at + count).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            Mutation::Duplicate(at, count) => {
                let at = at % length;
                let end = (at + count).min(bytes.len());
                let copy = bytes[at.min(end)..end].to_vec();
                bytes.splice(end..end, copy);
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(config(300))]

    /// Mutated real files, through every parser (.env, Compose, Kubernetes, workflow YAML):
    /// no panic, valid ranges, a lossless `.env` reader, and fixes apply cleanly.
    #[test]
    fn mutated_real_files_are_handled(
        seed in 0..SEEDS.len(),
        mutations in prop::collection::vec(mutation(), 1..12),
    ) {
        let (path, kind, text) = SEEDS[seed];
        let bytes = mutate(text, &mutations);
        // The CLI hands the core UTF-8 only (invalid UTF-8 is a KL001 finding, tested
        // end to end); lossy decoding keeps the mutation's shape.
        let text = String::from_utf8_lossy(&bytes);
        let diagnostics = lint_as(path, kind, &text);
        check_ranges(&text, &diagnostics);
        if kind == FileKind::EnvFile {
            let file = dotenv::parse(&text);
            let joined: String = file.statements.iter().map(|statement| &text[statement.span.clone()]).collect();
            prop_assert_eq!(&joined, &text);
        }
        let (fixed, _) = apply_fixes(&text, &diagnostics, true);
        check_ranges(&fixed, &lint_as(path, kind, &fixed));
    }
}

proptest! {
    #![proptest_config(config(400))]

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
    fn env_names_are_the_parsed_names(text in env_text(), other in any::<String>()) {
        for text in [&text, &other] {
            let parsed = ParsedFile::parse(FileKind::EnvFile, text);
            let names: Vec<&str> = parsed.assignments.iter().map(|assignment| assignment.name.as_str()).collect();
            prop_assert_eq!(env_assignment_names(text), names);
        }
    }

    #[test]
    fn linting_any_text_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let text = String::from_utf8_lossy(&bytes);
        for (path, kind) in [(".env", FileKind::EnvFile), ("compose.yaml", FileKind::Compose), ("k8s.yaml", FileKind::OtherYaml), (".github/workflows/ci.yml", FileKind::Workflow)] {
            check_ranges(&text, &lint_as(path, kind, &text));
        }
    }

    /// Every loader model, also those only judged where a project names them (godotenv),
    /// reads any text without panicking, and ties each entry to a place in it.
    #[test]
    fn every_loader_model_reads_any_text(text in env_text(), bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        for text in [text, String::from_utf8_lossy(&bytes).into_owned()] {
            for consumer in Consumer::ENV_FILE {
                for entry in load_env_file(consumer, &text) {
                    prop_assert!(entry.at <= text.len() && text.is_char_boundary(entry.at), "{}", consumer.id());
                }
            }
        }
    }

    #[test]
    fn env_fixes_settle_and_are_idempotent(text in env_text()) {
        assert_fixes_settle(".env", FileKind::EnvFile, &text, None, &mut BTreeSet::new())?;
    }

    #[test]
    fn compose_fixes_settle_and_are_idempotent(document in generators::compose_document()) {
        assert_fixes_settle(document.path, document.kind, &document.text, None, &mut BTreeSet::new())?;
    }

    #[test]
    fn a_fix_changes_nothing_outside_its_edits(text in env_text()) {
        assert_fixes_touch_only_their_edits(&text, &lint_as(".env", FileKind::EnvFile, &text))?;
    }
}

/// The two fix properties (fixes settle and are idempotent, all together and each rule's
/// alone; a fix changes only its edits) over generated provider config: `.env` files, Compose, Kubernetes and workflow
/// documents holding the provider variables (and misspellings) with fabricated keys of
/// every shape and the mistakes the rules fix. The run must apply the fix of every rule
/// that has one, in both properties, and the YAML documents must parse (no KL001), so
/// neither claim can quietly stop covering a rule.
#[test]
fn every_fixable_rule_is_fixed_by_the_fix_properties() {
    #[derive(Default)]
    struct Seen {
        settled: BTreeSet<&'static str>,
        alone: BTreeMap<&'static str, usize>,
        yaml: usize,
        yaml_unparsable: usize,
    }
    let seen = RefCell::new(Seen::default());
    // No failure file: a failing case is printed, and the macro tests keep the file.
    let mut runner = TestRunner::new(ProptestConfig {
        failure_persistence: None,
        ..config(600)
    });
    let result = runner.run(&generators::document(), |document| {
        let diagnostics = lint_as(document.path, document.kind, &document.text);
        let checked = assert_fixes_touch_only_their_edits(&document.text, &diagnostics)?;
        let mut seen = seen.borrow_mut();
        for code in checked {
            *seen.alone.entry(code).or_default() += 1;
        }
        if document.kind != FileKind::EnvFile {
            seen.yaml += 1;
            if diagnostics
                .iter()
                .any(|diagnostic| diagnostic.code == "KL001")
            {
                seen.yaml_unparsable += 1;
            }
        }
        let mut settled = BTreeSet::new();
        assert_fixes_settle(
            document.path,
            document.kind,
            &document.text,
            None,
            &mut settled,
        )?;
        // Each rule's fixes alone settle too: a fix that keeps re-offering itself cannot
        // hide behind another rule's fix of the same text.
        for code in &settled {
            assert_fixes_settle(
                document.path,
                document.kind,
                &document.text,
                Some(code),
                &mut BTreeSet::new(),
            )?;
        }
        seen.settled.extend(settled);
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    let seen = seen.into_inner();
    let fixable: BTreeSet<&str> = RULES
        .iter()
        .filter(|rule| rule.fix != FixAvailability::None)
        .map(|rule| rule.code)
        .collect();
    eprintln!(
        "fixes checked alone per rule: {:?}; applied while settling: {:?}; YAML documents: {}, unparsable: {}",
        seen.alone, seen.settled, seen.yaml, seen.yaml_unparsable
    );
    let alone: BTreeSet<&str> = seen.alone.keys().copied().collect();
    assert!(
        fixable.is_subset(&alone),
        "never checked alone: {:?}",
        fixable.difference(&alone).collect::<Vec<_>>()
    );
    assert!(
        fixable.is_subset(&seen.settled),
        "never applied while settling: {:?}",
        fixable.difference(&seen.settled).collect::<Vec<_>>()
    );
    assert_eq!(seen.yaml_unparsable, 0, "of {} YAML documents", seen.yaml);
}

/// `$` references for [`dotenvy_text`] that only ever name `KLZQ…` or nothing: no test
/// process has such a variable, so the crate's `env::var` finds nothing and it reads the
/// values it parsed itself, as it does with the empty environment keylint models.
const REFERENCES: [&str; 10] = [
    "$KLZQ", "${KLZQ}", "${KLZQ", "${}", "$$KLZQ", "$ ", "$\"", "$'", "$\\", "x$KLZQ.y",
];

/// `.env` text built from what dotenvy's parser treats specially: `export`, names it
/// rejects, quotes, escapes (valid and not), `#`, blanks (Unicode ones too), quotes that
/// run over lines, CRLF and lone CR, a BOM, no final newline, and `$` references if asked.
fn dotenvy_text(references: bool) -> impl Strategy<Value = String> {
    let prefix = prop::sample::select(vec![
        "", "", "", "export ", "export\t", "export  ", "  ", "\t", "\u{a0}", "\u{feff}", "\u{2003}",
    ]);
    let name = prop_oneof![
        6 => "[A-Za-z_][A-Za-z0-9_.]{0,5}",
        1 => prop::sample::select(vec!["export", "1A", "-A", "A-B", "", "A B", "é"]).prop_map(str::to_string),
        1 => Just("KLZQ".to_string()),
    ];
    let separator = prop::sample::select(vec![
        "=", "=", "=", " = ", "\t=", "= ", "=\u{a0}", ":", "", "==",
    ]);
    let with_references = |mut pieces: Vec<&'static str>| {
        if references {
            pieces.extend(REFERENCES);
        }
        pieces
    };
    let word = "[a-z0-9]{1,4}";
    let inside_quotes = prop_oneof![
        3 => word,
        2 => prop::sample::select(with_references(vec![
            " ", "\t", "\\n", "\\\"", "\\'", "\\\\", "\\ ", "\\t", "\\", "#", " #", "\n", "\r\n", "\r",
            "\u{a0}", "é", "'", "\"", "`", "=",
        ]))
        .prop_map(str::to_string),
    ];
    let quoted = (
        prop::sample::select(vec!["\"", "'"]),
        prop::collection::vec(inside_quotes, 0..4),
        prop::sample::select(vec![true, true, true, false]),
    )
        .prop_map(|(quote, inside, closed)| {
            format!(
                "{quote}{}{}",
                inside.concat(),
                if closed { quote } else { "" }
            )
        });
    let unquoted = prop_oneof![
        3 => word,
        1 => prop::sample::select(with_references(vec![
            " ", "\t", "\\", "\\ ", "\\n", "\\t", "#", " #", "\u{a0}", "\u{200b}", "{", "}", "=", "'", "\"",
        ]))
        .prop_map(str::to_string),
    ];
    let value = prop::collection::vec(prop_oneof![2 => unquoted, 1 => quoted], 0..4)
        .prop_map(|segments| segments.concat());
    let trailing = prop::sample::select(vec!["", "", " ", "\t", " # c", "#c", "\u{a0}"]);
    let ending = prop::sample::select(vec!["\n", "\n", "\r\n", "\r", ""]);
    let assignment = (prefix, name, separator, value, trailing, ending).prop_map(
        |(prefix, name, separator, value, trailing, ending)| {
            format!("{prefix}{name}{separator}{value}{trailing}{ending}")
        },
    );
    let other = prop::sample::select(vec!["# c\n", "\n", "   \n", "  # c \"x\n", "\r\n", " "]);
    let line = prop_oneof![5 => assignment, 1 => other.prop_map(str::to_string)];
    (any::<bool>(), prop::collection::vec(line, 0..7))
        .prop_map(|(bom, lines)| format!("{}{}", if bom { "\u{feff}" } else { "" }, lines.concat()))
}

/// What the real crate gives for `text`, read as `dotenvy::from_path` does with an empty
/// environment: `from_read_iter` does not strip the BOM (`from_path` does), and
/// `Iter::load` stops at the first error and keeps the first duplicate.
struct RealDotenvy {
    env: BTreeMap<String, String>,
    error: Option<dotenvy::Error>,
    /// A name was read twice: `from_path` then expands `${NAME}` to the first value (the
    /// environment), `from_read_iter` to the last (its own map).
    duplicate: bool,
}

fn real_dotenvy(text: &str) -> RealDotenvy {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut real = RealDotenvy {
        env: BTreeMap::new(),
        error: None,
        duplicate: false,
    };
    for item in dotenvy::from_read_iter(body.as_bytes()) {
        match item {
            Ok((name, value)) => {
                real.duplicate |= real.env.contains_key(&name);
                real.env.entry(name).or_insert(value);
            }
            Err(error) => {
                real.error = Some(error);
                break;
            }
        }
    }
    real
}

/// keylint's dotenvy model (`consumer/dotenvy.rs`) gives what the real crate gives: the
/// same variables and values, and the same error at the same index.
fn assert_dotenvy_model_matches(text: &str, real: RealDotenvy) -> Result<(), TestCaseError> {
    let loaded = load_env_file(Consumer::Dotenvy, text);
    let mut env = BTreeMap::new();
    for entry in &loaded {
        if let Outcome::Value(value) = &entry.outcome {
            env.entry(entry.name.clone())
                .or_insert_with(|| value.clone());
        }
    }
    prop_assert_eq!(&env, &real.env);
    let refusals: Vec<&str> = loaded
        .iter()
        .filter_map(|entry| match &entry.outcome {
            Outcome::Refused(reason) => Some(reason.as_str()),
            _ => None,
        })
        .collect();
    match real.error {
        // A line of blanks (or a stray BOM) at the end has no statement to refuse.
        Some(dotenvy::Error::LineParse(line, _))
            if line
                .chars()
                .all(|character| character.is_whitespace() || character == '\u{feff}') =>
        {
            prop_assert!(refusals.is_empty(), "{:?}", refusals);
        }
        Some(dotenvy::Error::LineParse(_, index)) => {
            prop_assert_eq!(refusals.len(), 1);
            let at_index = format!("(at character {index})");
            prop_assert!(
                refusals[0].contains(&at_index),
                "{} vs {}",
                refusals[0],
                at_index
            );
        }
        Some(other) => prop_assert!(false, "unexpected error {other}"),
        None => prop_assert!(refusals.is_empty(), "{:?}", refusals),
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn dotenvy_model_matches_the_crate(text in dotenvy_text(false)) {
        assert_dotenvy_model_matches(&text, real_dotenvy(&text))?;
    }

    #[test]
    fn dotenvy_model_matches_the_crate_with_references(text in dotenvy_text(true)) {
        let real = real_dotenvy(&text);
        // The first-value rule has its own unit test and is checked live by the harness.
        prop_assume!(!real.duplicate);
        assert_dotenvy_model_matches(&text, real)?;
    }
}

#[test]
fn huge_and_hostile_inputs_are_handled() {
    let long_line = format!("OPENAI_API_KEY={}\n", "a".repeat(10 << 20));
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

/// Seconds a pathological input may take before a test calls it a hang (see its uses).
const HANG_GUARD_SECS: u64 = 300;

/// A 10 MB line in every parser: linted in bounded time and memory.
#[test]
fn long_lines() {
    let value = "a".repeat(10 << 20);
    for (path, kind, text) in [
        (
            ".env",
            FileKind::EnvFile,
            format!("OPENAI_API_KEY=\"{value}\"\n"),
        ),
        (
            ".env",
            FileKind::EnvFile,
            format!("# {value}\nOPENAI_API_KEY=sk-{value}"),
        ),
        (
            "compose.yaml",
            FileKind::Compose,
            format!("services:\n  api:\n    environment:\n      - OPENAI_API_KEY={value}\n"),
        ),
        (
            "k8s.yaml",
            FileKind::OtherYaml,
            format!("data:\n  key: {value}\n"),
        ),
    ] {
        let start = std::time::Instant::now();
        check_ranges(&text, &lint_as(path, kind, &text));
        // A hang guard, not a speed test: generous for a debug build on a machine with
        // several times its cores' load; quadratic work would take far longer.
        assert!(
            start.elapsed().as_secs() < HANG_GUARD_SECS,
            "{path}: {:?}",
            start.elapsed()
        );
    }
}

/// Nesting and aliases that blow up naive YAML loaders: block and flow nesting 100,000
/// deep, and a billion-laughs document with ten levels of aliases (10^10 nodes if expanded).
#[test]
fn deep_and_exploding_yaml() {
    let mut block = String::from("services:\n");
    for depth in 0..20_000 {
        block.push_str(&" ".repeat(2 * depth + 2));
        block.push_str("a:\n");
    }
    let flow_maps = format!(
        "services: {}{}",
        "{a: ".repeat(100_000),
        "}".repeat(100_000)
    );
    let mixed = format!("x: {}", "[{a: ".repeat(50_000));
    let mut laughs = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let previous = format!("*a{}", level - 1);
        laughs.push_str(&format!(
            "a{level}: &a{level} [{}]\n",
            vec![previous; 10].join(", ")
        ));
    }
    laughs.push_str("services:\n  s:\n    environment: *a9\n    env_file: *a9\n  <<: *a9\n");
    for text in [&block, &flow_maps, &mixed, &laughs] {
        for (path, kind) in [
            ("compose.yaml", FileKind::Compose),
            ("k8s.yaml", FileKind::OtherYaml),
            (".github/workflows/ci.yml", FileKind::Workflow),
        ] {
            let start = std::time::Instant::now();
            check_ranges(text, &lint_as(path, kind, text));
            assert!(
                start.elapsed().as_secs() < HANG_GUARD_SECS,
                "{path}: {:?}",
                start.elapsed()
            );
        }
    }
}

/// Text for the masking property: keys, `NAME=value`, URLs with passwords, `Bearer`,
/// quotes, values over several lines, every kind of line break, non-ASCII and invisible
/// characters, YAML block scalars, in any order.
fn masking_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => generators::fabricated_key(),
        3 => "[A-Za-z0-9_=:-]{1,24}",
        6 => prop::sample::select(vec![
            "OPENAI_API_KEY=", "DB_PASSWORD = \"", "export TOKEN='", "x=", "KEY: ", "password=",
            "postgres://app:hunter2pass@db:5432/app", "https://u:", "@host", "://", "?key=",
            "&access_token=", "Bearer ", "bearer\t", "Authorization: ", "\"", "'", "`", "\n",
            "\n", "\r\n", "\r", " ", "\t", "é", "“", "\u{200b}", "\u{a0}", "\u{1b}", "${KEY}",
            "$KEY", "…", "# ", "  value: |\n", "- name: ANTHROPIC_API_KEY\n", "env:\n",
            "services:\n  app:\n    environment:\n      - ", "    value: ",
        ])
        .prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

/// The lines of `text` a [`Masking::of_lines`] shows agree with a whole-file masking:
/// same text, and offsets in them mapped alike.
fn assert_shown_lines_masked_as_in_whole_file(
    text: &str,
    kind: FileKind,
    windows: &[(usize, usize)],
) -> Result<(), TestCaseError> {
    let index = LineIndex::new(text);
    let lines: Vec<RangeInclusive<usize>> = windows
        .iter()
        .map(|&(first, more)| {
            let first = first % index.line_count();
            first..=(first + more).min(index.line_count() - 1)
        })
        .collect();
    let whole = Masking::of_file(text, kind).redact(text);
    let parsed = ParsedFile::parse(kind, text);
    let shown = Masking::of_lines(text, &parsed, &index, lines.clone()).redact(text);
    for lines in lines {
        let start = index.line_start(*lines.start()).unwrap_or(text.len());
        let end = index.line_start(lines.end() + 1).unwrap_or(text.len());
        let part = |redacted: &Redacted| {
            let part_start = redacted.map(start, false);
            let offsets: Vec<(usize, usize)> = (start..=end)
                .filter(|&offset| text.is_char_boundary(offset))
                .map(|offset| {
                    (
                        redacted.map(offset, false) - part_start,
                        redacted.map(offset, true) - part_start,
                    )
                })
                .collect();
            (
                redacted.text[part_start..redacted.map(end, true)].to_string(),
                offsets,
            )
        };
        prop_assert_eq!(
            part(&shown),
            part(&whole),
            "lines {:?} of {:?}",
            lines,
            text
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn masking_the_shown_lines_agrees_with_masking_the_file(
        text in masking_text(),
        kind in prop::sample::select(vec![FileKind::EnvFile, FileKind::Compose, FileKind::OtherYaml]),
        windows in prop::collection::vec((any::<usize>(), 0usize..4), 1..4),
    ) {
        assert_shown_lines_masked_as_in_whole_file(&text, kind, &windows)?;
    }

    #[test]
    fn masking_the_shown_lines_of_documents_agrees_with_masking_the_file(
        document in generators::document(),
        windows in prop::collection::vec((any::<usize>(), 0usize..4), 1..4),
    ) {
        assert_shown_lines_masked_as_in_whole_file(&document.text, document.kind, &windows)?;
    }
}
