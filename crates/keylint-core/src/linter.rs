//! The entry point: one file's text in, diagnostics out.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use crate::assignment::{PARALLEL_BYTES, ParsedFile};
use crate::diagnostic::{Diagnostic, Severity};
use crate::line_index::LineIndex;
use crate::probed::ProbedKey;
use crate::project::{Project, Settings};
use crate::rules::{Context, RULES, RuleInfo, outcome_rows, rule, unused};
use crate::source::{FileKind, is_template_by_name, is_test_context};
use crate::suppression;

/// Which rules run and at what severity (`--select`, `--ignore`, `[severity]`).
#[derive(Clone, Debug, Default)]
pub struct RuleSelection {
    /// Codes, code prefixes (`KL1`, `KL30`) or names; empty selects every rule.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// Severity per code or name.
    pub severity: Vec<(String, Severity)>,
}

fn matches(rule: &RuleInfo, selector: &str) -> bool {
    selector_matches(rule.code, rule.name, selector)
}

/// Whether a `--select`/`--ignore` selector names a rule: its code, a code prefix
/// (`KL1`), its name, or `ALL`.
#[must_use]
pub fn selector_matches(code: &str, name: &str, selector: &str) -> bool {
    let selector = selector.trim();
    selector.eq_ignore_ascii_case("ALL")
        || name == selector
        || (!selector.is_empty()
            && code
                .to_ascii_uppercase()
                .starts_with(&selector.to_ascii_uppercase()))
}

impl RuleSelection {
    #[must_use]
    pub fn is_enabled(&self, rule: &RuleInfo) -> bool {
        (self.select.is_empty() || self.select.iter().any(|selector| matches(rule, selector)))
            && !self.ignore.iter().any(|selector| matches(rule, selector))
    }

    fn severity_for(&self, rule: &RuleInfo) -> Option<Severity> {
        self.severity
            .iter()
            .rev()
            .find(|(selector, _)| matches(rule, selector))
            .map(|(_, severity)| *severity)
    }
}

/// One file to lint.
pub struct LintInput<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub kind: FileKind,
    /// Set by the caller from the name and the `templates` globs of the config.
    pub is_template: bool,
    /// Not matched by the project's `.gitignore`.
    pub is_committed: bool,
    /// What a live probe said about the file's keys, for the KL6xx rules; `None` when
    /// nothing was probed (those rules then do not run).
    pub probed: Option<&'a [ProbedKey]>,
}

impl<'a> LintInput<'a> {
    /// An input judged by its name alone.
    #[must_use]
    pub fn new(path: &'a Path, text: &'a str, kind: FileKind) -> LintInput<'a> {
        LintInput {
            path,
            text,
            kind,
            is_template: is_template_by_name(&path.to_string_lossy()),
            is_committed: true,
            probed: None,
        }
    }
}

/// Runs `rules` one after the other, each finding at the severity the selection gives its
/// rule and masked for display (on the threads that run the rules, rather than after).
fn run_rules<'r>(
    context: &Context,
    rules: impl IntoIterator<Item = &'r RuleInfo>,
    selection: &RuleSelection,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for rule in rules {
        let start = diagnostics.len();
        (rule.check)(context, &mut diagnostics);
        let severity = selection.severity_for(rule);
        for diagnostic in &mut diagnostics[start..] {
            if let Some(severity) = severity {
                diagnostic.severity = severity;
            }
            diagnostic.mask_for_display();
        }
    }
    diagnostics
}

/// Debug builds only, for the tests that prove no panic message reaches the user: a
/// file holding this marker makes `lint` panic with the whole text in the message.
#[cfg(debug_assertions)]
pub const TEST_PANIC_MARKER: &str = "keylint-test: panic here";

/// Debug builds only, for the tests that prove a slow document holds up nothing else:
/// a file holding this marker takes 3 seconds to lint.
#[cfg(debug_assertions)]
pub const TEST_SLOW_MARKER: &str = "keylint-test: slow here";

#[cfg(debug_assertions)]
fn panic_on_test_marker(text: &str) {
    assert!(
        !text.contains(TEST_PANIC_MARKER),
        "panicking on purpose while reading: {text}"
    );
    if text.contains(TEST_SLOW_MARKER) {
        std::thread::sleep(std::time::Duration::from_secs(3));
    }
}

/// Lints one file. Never fails: what cannot be parsed becomes a diagnostic.
#[must_use]
pub fn lint(
    input: &LintInput,
    project: &dyn Project,
    settings: &Settings,
    selection: &RuleSelection,
) -> Vec<Diagnostic> {
    let parsed = ParsedFile::parse(input.kind, input.text);
    let lines = OnceLock::new();
    lint_parsed(input, &parsed, &lines, project, settings, selection)
}

/// [`lint`] on a file the caller has parsed from `input.text` (the server keeps it, with
/// the loaders' outcomes it gathers, for hover). `lines` holds the line index of
/// `input.text` if the caller or a rule built it: whoever draws the findings needs it too.
#[must_use]
pub fn lint_parsed(
    input: &LintInput,
    parsed: &ParsedFile,
    lines: &OnceLock<LineIndex>,
    project: &dyn Project,
    settings: &Settings,
    selection: &RuleSelection,
) -> Vec<Diagnostic> {
    let parallel = input.text.len() >= PARALLEL_BYTES;
    let found = rule_findings(input, parsed, lines, project, settings, selection, parallel);
    finish(input, selection, found)
}

/// Whether `rule` runs on `input` under `selection`. Probe rules run only on probed files:
/// elsewhere they could not have found anything, and a suppression of one is then not
/// "unused".
fn runs(input: &LintInput, selection: &RuleSelection, rule: &RuleInfo) -> bool {
    selection.is_enabled(rule) && (input.probed.is_some() || !rule.needs_probe())
}

/// What the rules find in a parsed file, masked for display, before inline suppressions
/// and sorting ([`finish`]): the per-line results an incremental lint keeps. With
/// `parallel`, the loaders and the rules run on several threads (big files; an
/// incremental lint of a big text whose lines are mostly left out is not one).
pub(crate) fn rule_findings(
    input: &LintInput,
    parsed: &ParsedFile,
    lines: &OnceLock<LineIndex>,
    project: &dyn Project,
    settings: &Settings,
    selection: &RuleSelection,
    parallel: bool,
) -> Vec<Diagnostic> {
    #[cfg(debug_assertions)]
    panic_on_test_marker(input.text);
    let consumers = if parsed.kind == FileKind::EnvFile {
        project.consumers_of(input.path)
    } else {
        Default::default()
    };
    let judged = consumers.judged();
    if !parallel {
        // Read here, one after the other, so `read_consumers` finds them ready.
        for &consumer in &judged {
            let _ = parsed.outcome(0, consumer);
        }
    }
    parsed.read_consumers(&judged);
    let context = Context {
        path: input.path,
        text: input.text,
        parsed,
        consumers: &consumers,
        is_template: input.is_template,
        is_test_context: is_test_context(&input.path.to_string_lossy(), parsed.kind),
        is_committed: input.is_committed,
        project,
        settings,
        probed: input.probed,
        lines,
        outcomes: outcome_rows(parsed, &judged),
        judged,
        names: OnceLock::new(),
        facts: std::iter::repeat_with(Default::default)
            .take(parsed.assignments.len())
            .collect(),
        compose_envs: Mutex::default(),
    };
    let rules: Vec<&RuleInfo> = RULES
        .iter()
        .filter(|rule| runs(input, selection, rule))
        .collect();
    if parallel && rules.len() > 1 {
        // Big files: rules are independent (each reads the context and writes its own
        // findings), so two threads run them, each taking the next rule not yet taken
        // when it is done with one: what a rule costs depends on the file. The final sort
        // makes the order the same as one thread's.
        let taken = AtomicUsize::new(0);
        let next = || rules.get(taken.fetch_add(1, Ordering::Relaxed)).copied();
        std::thread::scope(|scope| {
            let other = scope.spawn(|| run_rules(&context, std::iter::from_fn(next), selection));
            let mut diagnostics = run_rules(&context, std::iter::from_fn(next), selection);
            diagnostics.extend(
                other
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
            diagnostics
        })
    } else {
        run_rules(&context, rules, selection)
    }
}

/// Applies the inline suppressions of `input.text` to the rules' findings (reporting the
/// unused ones as KL002, masked for display like the findings) and sorts them.
pub(crate) fn finish(
    input: &LintInput,
    selection: &RuleSelection,
    mut diagnostics: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let suppressions = suppression::parse(input.text, input.kind);
    if !suppressions.is_empty() {
        let usage = suppression::apply(input.text, &suppressions, &mut diagnostics);
        let unused_rule = rule("KL002").expect("KL002 is registered");
        if selection.is_enabled(unused_rule) {
            let severity = selection.severity_for(unused_rule);
            diagnostics.extend(
                unused(&suppressions, &usage, &|rule: &RuleInfo| {
                    runs(input, selection, rule)
                })
                .into_iter()
                .map(|mut diagnostic| {
                    if let Some(severity) = severity {
                        diagnostic.severity = severity;
                    }
                    diagnostic.mask_for_display();
                    diagnostic
                }),
            );
        }
    }
    diagnostics.sort_by(|a, b| (a.range.start, a.code).cmp(&(b.range.start, b.code)));
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probed::Verdict;
    use crate::project::LoneFile;

    /// An env file whose key the probe found revoked, as `lint --probe` hands it over.
    fn probed_file(text: &str) -> (ProbedKey, String) {
        let value = "sk-proj-0123456789abcdefghij0123456789abcdefghij";
        let start = text.find(value).expect("the text holds the test key");
        let probed = ProbedKey {
            variable: "OPENAI_API_KEY".to_string(),
            range: start..start + value.len(),
            shown_key: "sk-proj-…ghij".to_string(),
            verdict: Verdict::InvalidKey,
            message: "api.openai.com rejected the key → 401 invalid_api_key".to_string(),
            fix: "Create a new key".to_string(),
        };
        (probed, text.to_string())
    }

    fn lint_probed(
        text: &str,
        probed: Option<&[ProbedKey]>,
        selection: &RuleSelection,
    ) -> Vec<(&'static str, Severity)> {
        let input = LintInput {
            probed,
            ..LintInput::new(Path::new(".env"), text, FileKind::EnvFile)
        };
        lint(
            &input,
            &LoneFile::default(),
            &Settings::default(),
            selection,
        )
        .into_iter()
        .map(|diagnostic| (diagnostic.code, diagnostic.severity))
        .collect()
    }

    #[test]
    fn probe_findings_are_rules_like_the_others() {
        let (probed, text) =
            probed_file("OPENAI_API_KEY=sk-proj-0123456789abcdefghij0123456789abcdefghij\n");
        let probed = std::slice::from_ref(&probed);
        let all = RuleSelection::default();
        assert!(lint_probed(&text, Some(probed), &all).contains(&("KL601", Severity::Error)));
        // Not probed: the probe rules do not run.
        assert!(
            !lint_probed(&text, None, &all)
                .iter()
                .any(|(code, _)| code.starts_with("KL6"))
        );
        // `[severity]`, `--ignore` and `--select` by code, prefix or name.
        let demoted = RuleSelection {
            severity: vec![("KL601".to_string(), Severity::Info)],
            ..RuleSelection::default()
        };
        assert!(lint_probed(&text, Some(probed), &demoted).contains(&("KL601", Severity::Info)));
        let ignored = RuleSelection {
            ignore: vec!["rejected-key".to_string()],
            ..RuleSelection::default()
        };
        assert!(
            !lint_probed(&text, Some(probed), &ignored)
                .iter()
                .any(|(code, _)| *code == "KL601")
        );
        let only_probes = RuleSelection {
            select: vec!["KL6".to_string()],
            ..RuleSelection::default()
        };
        assert_eq!(
            lint_probed(&text, Some(probed), &only_probes),
            [("KL601", Severity::Error)]
        );
    }

    #[test]
    fn inline_suppressions_apply_to_probe_findings() {
        let (probed, text) = probed_file(
            "# keylint: ignore-next-line[KL601]\nOPENAI_API_KEY=sk-proj-0123456789abcdefghij0123456789abcdefghij\n",
        );
        let probed = std::slice::from_ref(&probed);
        let all = RuleSelection::default();
        let found = lint_probed(&text, Some(probed), &all);
        assert!(!found.iter().any(|(code, _)| *code == "KL601"), "{found:?}");
        assert!(!found.iter().any(|(code, _)| *code == "KL002"), "{found:?}");
        // Without a probe the suppression is not judged: the rule could not have run.
        let found = lint_probed(&text, None, &all);
        assert!(!found.iter().any(|(code, _)| *code == "KL002"), "{found:?}");
        // Probed and nothing to silence: the suppression is stale.
        let fine = ProbedKey {
            verdict: Verdict::Ok,
            ..probed[0].clone()
        };
        let found = lint_probed(&text, Some(std::slice::from_ref(&fine)), &all);
        assert!(found.contains(&("KL002", Severity::Info)), "{found:?}");
    }

    /// Big files run half the rules on a second thread: the findings must be the ones
    /// the same lines get from one thread (chunks of a small file, which stays on one).
    #[test]
    fn big_files_get_the_same_findings_from_two_threads() {
        let chunk = |index: usize| {
            format!(
                "OPENAI_API_KEY_{index}=\" sk-proj-abc{index}\"\nOPENAI_APIKEY{index}=x\nexport B{index}='q' # c\nC{index} = 1\nD{index}=your-key-here\n"
            )
        };
        let lint_text = |text: &str| {
            let input = LintInput::new(Path::new(".env"), text, FileKind::EnvFile);
            lint(
                &input,
                &LoneFile::default(),
                &Settings::default(),
                &RuleSelection::default(),
            )
        };
        let mut text = String::new();
        let mut expected = Vec::new();
        for index in 0.. {
            let piece = chunk(index);
            let found = lint_text(&piece);
            assert!(!found.is_empty());
            let shift = text.len();
            expected.extend(found.into_iter().map(|diagnostic| {
                (
                    diagnostic.code,
                    shift + diagnostic.range.start..shift + diagnostic.range.end,
                )
            }));
            text.push_str(&piece);
            if text.len() >= PARALLEL_BYTES {
                break;
            }
        }
        let found: Vec<_> = lint_text(&text)
            .into_iter()
            .map(|diagnostic| (diagnostic.code, diagnostic.range))
            .collect();
        assert_eq!(found, expected);
    }
}
