//! The incremental lint (`keylint_core::incremental::EnvSession`, what the language server
//! runs on each edit) finds exactly what a whole lint of the same text finds, in the same
//! order, after any sequence of edits: quotes opened and closed, `#`, `$`, `${`, `=`, new
//! lines and `\r` typed anywhere, lines pasted and deleted, on `.env` files mixing inert
//! lines with provider variables, near misses, duplicates and suppressions, and on
//! Compose files likewise (plus indentation, `:`, `- `, anchors and block scalars typed).

use std::path::Path;

use keylint_core::consumer::Consumer;
use keylint_core::incremental::EnvSession;
use keylint_core::{
    ConsumerSet, Diagnostic, FileKind, LintInput, LoneFile, Project, RuleSelection, Settings, lint,
};
use proptest::prelude::*;

/// A project whose code reads two names, with a known consumer or not.
struct Reading {
    consumers: ConsumerSet,
}

impl Project for Reading {
    fn read(&self, _path: &Path) -> Option<std::sync::Arc<str>> {
        None
    }
    fn exists(&self, _path: &Path) -> bool {
        false
    }
    fn is_ignored(&self, _path: &Path) -> bool {
        false
    }
    fn consumers_of(&self, _path: &Path) -> ConsumerSet {
        self.consumers.clone()
    }
    fn reads_name(&self, name: &str) -> bool {
        matches!(name, "SETTING_3" | "DATABSE_HOST")
    }
}

const KEY: &str = "sk-proj-0123456789abcdefghij0123456789abcdefghijT3BlbkFJ0123456789abcdefghij";

/// Whole lines: inert settings (some repeated), provider variables, near misses,
/// key-shaped values under inert names, suppressions, comments and blanks.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (0..6u8).prop_map(|index| format!("SETTING_{index}=value-{index}\n")),
        1 => (0..3u8).prop_map(|index| format!("export SETTING_{index}='a b'\n")),
        1 => Just("SETTING_1=value-1 # é comment\n".to_string()),
        1 => Just(format!("OPENAI_API_KEY={KEY}\n")),
        1 => Just(format!("OPENAI_API_KEY=\" {KEY}\"\n")),
        1 => Just("OPENAI_BASE_URL=http://localhost:11434/v1\n".to_string()),
        1 => Just("OPENAI_ORG_ID=org-abc\n".to_string()),
        1 => Just("OPENAI_ORGANIZATION=org-def\n".to_string()),
        1 => Just("OPENAI_APIKEY=changeme\n".to_string()),
        1 => Just("HF_TOKN=x\n".to_string()),
        1 => Just(format!("CACHE_DIR={KEY}\n")),
        1 => Just("DATABSE_HOST=db\n".to_string()),
        1 => Just("# keylint: ignore-next-line[KL202]\n".to_string()),
        1 => Just("# keylint: ignore\n".to_string()),
        1 => Just("# a comment\n".to_string()),
        1 => Just("\n".to_string()),
        1 => Just("   \n".to_string()),
    ]
}

/// What an edit inserts.
fn insertion() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => line(),
        1 => prop::sample::select(vec![
            "\"", "'", "#", "$", "${", "}", "=", "\n", "\r", "\r\n", " ", "x", "A", "_KEY",
            "export ", "$SETTING_1", "${SETTING_2}", "é",
        ])
        .prop_map(str::to_string),
    ]
}

/// One edit: where (a fraction of the text), how many bytes to delete, what to insert.
fn edit() -> impl Strategy<Value = (f64, usize, String)> {
    (
        0.0..=1.0f64,
        prop_oneof![3 => Just(0usize), 1 => 1..40usize],
        insertion(),
    )
}

fn apply(text: &mut String, (at, deleted, inserted): &(f64, usize, String)) {
    let floor = |mut offset: usize| {
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    };
    let start = floor((text.len() as f64 * at) as usize);
    let end = floor((start + deleted).min(text.len()));
    text.replace_range(start..end, inserted);
}

fn whole(input: &LintInput, project: &dyn Project) -> Vec<Diagnostic> {
    lint(
        input,
        project,
        &Settings::default(),
        &RuleSelection::default(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(160),
        ..ProptestConfig::default()
    })]

    #[test]
    fn incremental_lint_equals_a_whole_lint_after_any_edits(
        lines in prop::collection::vec(line(), 0..24),
        edits in prop::collection::vec(edit(), 1..10),
        known in any::<bool>(),
    ) {
        let mut consumers = ConsumerSet::default();
        if known {
            consumers.add(Consumer::DockerEnvFile, "docker run --env-file");
        }
        let project = Reading { consumers };
        let lone = LoneFile::default();
        let projects: [&dyn Project; 2] = [&project, &lone];
        for project in projects {
            let mut text = lines.concat();
            let mut session = EnvSession::default();
            let selection = RuleSelection::default();
            let first = LintInput::new(Path::new("app/.env"), &text, FileKind::EnvFile);
            let (found, _) = session.lint(&first, project, &Settings::default(), &selection);
            prop_assert_eq!(found, whole(&first, project));
            for edit in &edits {
                apply(&mut text, edit);
                let input = LintInput::new(Path::new("app/.env"), &text, FileKind::EnvFile);
                let (found, _) = session.lint(&input, project, &Settings::default(), &selection);
                prop_assert_eq!(found, whole(&input, project), "after {:?}, text {:?}", edit, text);
            }
        }
    }
}

/// Compose `environment:` entries, as map entries or list items.
fn compose_entry(list: bool) -> impl Strategy<Value = String> {
    let name = prop::sample::select(vec![
        "SETTING_0",
        "SETTING_1",
        "SETTING_2",
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "OPENAI_ORG_ID",
        "OPENAI_APIKEY",
        "CACHE_DIR",
        "DATABSE_HOST",
    ]);
    let value = prop::sample::select(vec![
        "value-1".to_string(),
        "\"a b\"".to_string(),
        "'x'".to_string(),
        KEY.to_string(),
        format!("\" {KEY}\""),
        "changeme".to_string(),
        "http://localhost:11434/v1".to_string(),
        "org-abc".to_string(),
    ]);
    (name, value).prop_map(move |(name, value)| {
        if list {
            format!("      - {name}={}\n", value.trim_matches('"'))
        } else {
            format!("      {name}: {value}\n")
        }
    })
}

fn compose_service() -> impl Strategy<Value = String> {
    any::<bool>().prop_flat_map(|list| {
        (
            0..4u8,
            prop::collection::vec(
                prop_oneof![
                    6 => compose_entry(list),
                    1 => Just("      # keylint: ignore-next-line[KL202]\n".to_string()),
                    1 => Just("      # a comment\n".to_string()),
                    1 => Just("\n".to_string()),
                ],
                1..8,
            ),
        )
            .prop_map(|(index, entries)| {
                format!(
                    "  svc{index}:\n    image: app:{index}\n    environment:\n{}",
                    entries.concat()
                )
            })
    })
}

/// What an edit of a Compose file inserts.
fn compose_insertion() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<bool>().prop_flat_map(compose_entry),
        1 => prop::sample::select(vec![
            "\"", "'", "#", "$", "${X}", ":", ": ", "- ", " ", "  ", "\n", "\r", "\t", "x",
            "_KEY", "&a ", "*a", "|", "{", "env_file: .env", "  svc9:\n", "é",
        ])
        .prop_map(str::to_string),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(160),
        ..ProptestConfig::default()
    })]

    #[test]
    fn incremental_compose_lint_equals_a_whole_lint_after_any_edits(
        services in prop::collection::vec(compose_service(), 1..5),
        edits in prop::collection::vec((0.0..=1.0f64, any::<bool>(), prop_oneof![3 => Just(0usize), 1 => 1..40usize], compose_insertion()), 1..10),
    ) {
        let project = LoneFile::default();
        let selection = RuleSelection::default();
        let mut text = format!("services:\n{}", services.concat());
        let mut session = EnvSession::default();
        let path = Path::new("app/compose.yaml");
        let first = LintInput::new(path, &text, FileKind::Compose);
        let (found, _) = session.lint(&first, &project, &Settings::default(), &selection);
        prop_assert_eq!(found, whole(&first, &project));
        for (at, at_line_start, deleted, inserted) in &edits {
            let mut at = *at;
            if *at_line_start {
                // Whole lines go in between lines.
                let offset = (text.len() as f64 * at) as usize;
                let start = text.as_bytes()[..offset.min(text.len())]
                    .iter()
                    .rposition(|&byte| byte == b'\n')
                    .map_or(0, |newline| newline + 1);
                at = start as f64 / text.len().max(1) as f64;
            }
            apply(&mut text, &(at, *deleted, inserted.clone()));
            let input = LintInput::new(path, &text, FileKind::Compose);
            let (found, _) = session.lint(&input, &project, &Settings::default(), &selection);
            prop_assert_eq!(found, whole(&input, &project), "text {:?}", text);
        }
    }
}

/// An edit of one inert line of a long file keeps out every other inert line, and the
/// result is still the whole lint's.
#[test]
fn an_edit_of_a_long_file_reads_only_what_it_can_affect() {
    let mut text = format!("OPENAI_API_KEY=\" {KEY}\"\n");
    for index in 0..2_000 {
        text.push_str(&format!("SETTING_{index}=value-{index} # é\n"));
    }
    let project = LoneFile::default();
    let selection = RuleSelection::default();
    let mut session = EnvSession::default();
    let input = LintInput::new(Path::new(".env"), &text, FileKind::EnvFile);
    let (found, parsed) = session.lint(&input, &project, &Settings::default(), &selection);
    assert_eq!(
        parsed.get().assignments.len(),
        2_001,
        "the first lint reads everything"
    );
    assert_eq!(found, whole(&input, &project));
    let at = text.find("SETTING_1000=").unwrap();
    text.insert(at, '#');
    let input = LintInput::new(Path::new(".env"), &text, FileKind::EnvFile);
    let (found, parsed) = session.lint(&input, &project, &Settings::default(), &selection);
    assert_eq!(found, whole(&input, &project));
    let read: Vec<&str> = parsed
        .get()
        .assignments
        .iter()
        .map(|assignment| assignment.name.as_str())
        .collect();
    // The key (a provider variable with a finding) and the last line.
    assert_eq!(read, ["OPENAI_API_KEY", "SETTING_1999"]);
}

/// The same for a long Compose file: an edit of one entry reads the entries it can
/// affect, not every service.
#[test]
fn an_edit_of_a_long_compose_file_reads_only_what_it_can_affect() {
    let mut text = format!(
        "services:\n  api:\n    image: app\n    environment:\n      OPENAI_API_KEY: \" {KEY}\"\n"
    );
    for service in 0..100 {
        text.push_str(&format!(
            "  svc{service}:\n    image: app:{service}\n    environment:\n"
        ));
        for variable in 0..20 {
            text.push_str(&format!(
                "      VAR_{service}_{variable}: \"value {service}\"\n"
            ));
        }
    }
    let project = LoneFile::default();
    let selection = RuleSelection::default();
    let mut session = EnvSession::default();
    let path = Path::new("compose.yaml");
    let input = LintInput::new(path, &text, FileKind::Compose);
    let (found, parsed) = session.lint(&input, &project, &Settings::default(), &selection);
    assert_eq!(parsed.get().assignments.len(), 2_001);
    assert_eq!(found, whole(&input, &project));
    let at = text.find("VAR_50_10:").unwrap();
    text.insert(at, 'X');
    let input = LintInput::new(path, &text, FileKind::Compose);
    let (found, parsed) = session.lint(&input, &project, &Settings::default(), &selection);
    assert_eq!(found, whole(&input, &project));
    // The key, each service's first entry (kept so no `environment:` is left empty), the
    // edited entry and the last line.
    let read = parsed.get().assignments.len();
    assert_eq!(read, 1 + 100 + 1 + 1, "{read} entries read");
}
