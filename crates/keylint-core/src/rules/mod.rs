//! The rules. One file per rule, each shaped the same way: a unit struct implementing
//! [`Rule`] with its code, name, default severity, summary, documentation (`DOC`, the
//! text `keylint explain` prints and the README table is generated from) and a
//! `check` that pushes diagnostics. Registering a rule is one line in [`RULES`].

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::assignment::{Assignment, ParsedFile};
use crate::consumer::{Consumer, Loaded, Outcome, load_env_file};
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::helpers::{contains_ignore_ascii_case, trim_wrapping};
use crate::line_index::LineIndex;
use crate::probed::{ProbedKey, Verdict};
use crate::project::{ConsumerSet, Project, Settings};
use crate::provider::{self, KeyShape, KnownVariable, Provider, Role};
use crate::rules::helpers::{Expectation, key_text};
use crate::rules::placeholder_value::{Filler, filler};
use foldhash::HashMapExt as _;

mod admin_key;
mod alias_variable;
mod conflicting_org;
mod duplicate_variable;
mod empty_value;
mod endpoint_key_mismatch;
mod hardcoded_secret;
pub(crate) mod helpers;
mod invisible_character;
mod malformed_key;
mod missing_env_file;
mod misspelled_variable;
mod no_permission;
mod org_id_format;
mod org_or_project_mismatch;
mod placeholder_value;
mod probe_unknown;
mod probe_wrong_endpoint;
mod project_id_format;
mod quota_or_rate_limit;
mod quotes_kept;
mod rejected_key;
mod spaces_around_equals;
mod trailing_newline;
mod unparsable_file;
mod unresolved_interpolation;
mod unset_variable;
mod unterminated_quote;
mod unused_suppression;
mod whitespace_in_value;
mod wrong_provider_key;

pub(crate) use misspelled_variable::is_near_miss;
pub(crate) use unused_suppression::unused;

#[cfg(test)]
pub(crate) mod test_support;

/// Whether a rule can offer a fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    Always,
    Sometimes,
    None,
}

/// A rule, as a unit struct. See any rule file for the shape.
pub trait Rule {
    const CODE: &'static str;
    /// Kebab-case name of the mistake (`quotes-kept`), never of the cure.
    const NAME: &'static str;
    const SEVERITY: Severity;
    const FIX: FixAvailability;
    /// One line for `keylint rules` and the README table.
    const SUMMARY: &'static str;
    /// Markdown: `## What it does`, `## Why is this bad?`, `## Example`, and `## Fix
    /// safety` for a rule with a fix.
    const DOC: &'static str;
    /// The probe verdicts this rule reports (KL6xx); empty for rules that read only
    /// the file. A rule with verdicts runs only when the file's keys were probed.
    const VERDICTS: &'static [Verdict] = &[];

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>);

    /// A diagnostic of this rule.
    fn diagnostic(
        severity: Severity,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code: Self::CODE,
            name: Self::NAME,
            severity,
            range,
            message: message.into(),
            fix: None,
        }
    }
}

/// A rule's metadata and check, as stored in the registry.
#[derive(Clone, Copy)]
pub struct RuleInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub fix: FixAvailability,
    pub summary: &'static str,
    pub doc: &'static str,
    /// See [`Rule::VERDICTS`].
    pub verdicts: &'static [Verdict],
    pub check: fn(&Context, &mut Vec<Diagnostic>),
}

impl RuleInfo {
    /// Whether the rule reports what a live probe said (KL6xx), so it runs only on
    /// probed files.
    #[must_use]
    pub fn needs_probe(&self) -> bool {
        !self.verdicts.is_empty()
    }
}

const fn info<R: Rule>() -> RuleInfo {
    RuleInfo {
        code: R::CODE,
        name: R::NAME,
        severity: R::SEVERITY,
        fix: R::FIX,
        summary: R::SUMMARY,
        doc: R::DOC,
        verdicts: R::VERDICTS,
        check: R::check,
    }
}

/// Every rule, in code order.
pub const RULES: &[RuleInfo] = &[
    info::<unparsable_file::UnparsableFile>(),
    info::<unused_suppression::UnusedSuppression>(),
    info::<quotes_kept::QuotesKept>(),
    info::<whitespace_in_value::WhitespaceInValue>(),
    info::<invisible_character::InvisibleCharacter>(),
    info::<trailing_newline::TrailingNewline>(),
    info::<unterminated_quote::UnterminatedQuote>(),
    info::<spaces_around_equals::SpacesAroundEquals>(),
    info::<misspelled_variable::MisspelledVariable>(),
    info::<duplicate_variable::DuplicateVariable>(),
    info::<alias_variable::AliasVariable>(),
    info::<unset_variable::UnsetVariable>(),
    info::<placeholder_value::PlaceholderValue>(),
    info::<empty_value::EmptyValue>(),
    info::<wrong_provider_key::WrongProviderKey>(),
    info::<malformed_key::MalformedKey>(),
    info::<admin_key::AdminKey>(),
    info::<org_id_format::OrgIdFormat>(),
    info::<project_id_format::ProjectIdFormat>(),
    info::<conflicting_org::ConflictingOrg>(),
    info::<endpoint_key_mismatch::EndpointKeyMismatch>(),
    info::<unresolved_interpolation::UnresolvedInterpolation>(),
    info::<missing_env_file::MissingEnvFile>(),
    info::<hardcoded_secret::HardcodedSecret>(),
    info::<rejected_key::RejectedKey>(),
    info::<org_or_project_mismatch::OrgOrProjectMismatch>(),
    info::<no_permission::NoPermission>(),
    info::<quota_or_rate_limit::QuotaOrRateLimit>(),
    info::<probe_unknown::ProbeUnknown>(),
    info::<probe_wrong_endpoint::ProbeWrongEndpoint>(),
];

/// The rule with this code or name.
#[must_use]
pub fn rule(code_or_name: &str) -> Option<&'static RuleInfo> {
    RULES
        .iter()
        .find(|rule| rule.code.eq_ignore_ascii_case(code_or_name) || rule.name == code_or_name)
}

/// The rule that reports a probe verdict; `None` for `ok`.
#[must_use]
pub fn rule_for_verdict(verdict: Verdict) -> Option<&'static RuleInfo> {
    RULES.iter().find(|rule| rule.verdicts.contains(&verdict))
}

/// The check of every KL6xx rule: one finding on each probed key whose verdict the rule
/// reports.
pub(crate) fn report_probed<R: Rule>(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for probed in ctx.probed.unwrap_or_default() {
        if R::VERDICTS.contains(&probed.verdict) {
            out.push(R::diagnostic(
                R::SEVERITY,
                probed.range.clone(),
                probed.finding_message(),
            ));
        }
    }
}

/// Everything a rule may look at.
pub struct Context<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub parsed: &'a ParsedFile,
    /// Who reads this file (env files only).
    pub consumers: &'a ConsumerSet,
    /// `.env.example` and friends: no value rule reports on them.
    pub is_template: bool,
    /// CI workflows and `.env.test`: fake keys are expected there.
    pub is_test_context: bool,
    /// Not matched by the project's `.gitignore` (what "committed" means for KL503).
    pub is_committed: bool,
    pub project: &'a dyn Project,
    pub settings: &'a Settings,
    /// What a live probe said about the file's keys; `None` when nothing was probed.
    pub probed: Option<&'a [ProbedKey]>,
    /// The line index of `text`, built if a rule asks for it ([`Context::line_index`]).
    pub(crate) lines: &'a OnceLock<LineIndex>,
    /// `consumers.judged()`, computed once: rules ask for it for every assignment.
    pub(crate) judged: Vec<Consumer>,
    /// Env files: per assignment, a row of what each of `judged` gets ([`outcome_rows`]).
    pub(crate) outcomes: Vec<Option<&'a Outcome>>,
    /// Assignment indices by name and scope, built on first use: looking a sibling up by
    /// scanning every assignment made each rule quadratic in the file's length.
    pub(crate) names: OnceLock<Names<'a>>,
    /// Per assignment, what several rules ask about it, found on first use.
    pub(crate) facts: Vec<Facts<'a>>,
    /// The env files a Compose file reads ([`Context::compose_env`]), by path.
    pub(crate) compose_envs: Mutex<foldhash::HashMap<PathBuf, Option<Arc<ComposeEnv>>>>,
}

/// An env file a Compose file reads (an `env_file:` or the project `.env`), loaded as
/// Compose loads it.
pub(crate) struct ComposeEnv {
    text: Arc<str>,
    pub(crate) loaded: Vec<Loaded>,
    /// Worked out only for a finding.
    lines: OnceLock<LineIndex>,
}

impl ComposeEnv {
    /// The 1-based line of offset `at`.
    pub(crate) fn line_of(&self, at: usize) -> usize {
        self.lines
            .get_or_init(|| LineIndex::new(&self.text))
            .line_of(at)
            + 1
    }
}

/// What several rules ask about one assignment: each is found once, not once per rule.
#[derive(Default)]
pub(crate) struct Facts<'a> {
    key_like: OnceLock<bool>,
    /// The keys the judged consumers use ([`Context::keys`]).
    keys: OnceLock<Keys<'a>>,
}

/// The keys the judged consumers use for one assignment (as [`helpers::key_text`] cuts
/// them): each rule judging a key asks every consumer, and most get the same one.
pub(crate) struct Keys<'a> {
    distinct: Vec<KeyFacts<'a>>,
    /// Per judged consumer, in row order: the index in `distinct` of the key it uses;
    /// `None` when it gets no value or keeps another copy of the variable instead
    /// ([`duplicate_variable::kept_copies`]). Room for every kind of consumer (the
    /// env-file loaders and YAML), so it needs no vector of its own.
    used: [Option<u8>; Consumer::KINDS],
}

impl<'a> Keys<'a> {
    /// The key `distinct[index]`.
    pub(crate) fn text(&self, index: usize) -> &'a str {
        self.distinct[index].text
    }

    /// The index in `distinct` of the key the judged consumer at `position` uses, unless
    /// it gets no value or keeps another copy of the variable.
    pub(crate) fn used_by(&self, position: usize) -> Option<usize> {
        self.used.get(position).copied().flatten().map(usize::from)
    }
}

/// A key some consumer uses, with what the key rules (KL3xx) each ask about it.
struct KeyFacts<'a> {
    text: &'a str,
    filler: OnceLock<Option<Filler>>,
    shape: OnceLock<Option<KeyShape>>,
}

/// The assignments grouped by name and scope. The groups share one vector, so a file
/// costs a few allocations rather than two per name.
pub(crate) struct Names<'a> {
    /// Each name in each scope, with its group.
    by_name: foldhash::HashMap<(&'a str, Option<&'a str>), usize>,
    /// The assignment indices of every group, group after group, each in file order:
    /// one vector for all of them, as most groups are small.
    members: Vec<usize>,
    /// Where each group starts in `members`, and one past the last group's end.
    starts: Vec<usize>,
    /// Each assignment's group: a rule that holds an index needs no hashing.
    group_of: Vec<usize>,
    /// Each group's [`Context::expectation`], found on first use: it depends on the
    /// name and the scope alone.
    expectations: Vec<OnceLock<Expectation>>,
}

impl Names<'_> {
    fn group(&self, group: usize) -> &[usize] {
        &self.members[self.starts[group]..self.starts[group + 1]]
    }
}

/// Whether a mistake is in syntax a user writes on purpose (quotes, `export`), which
/// only `docker run --env-file` misreads: reported for docker only when keylint knows
/// docker reads the file, or else every quoted `.env` would be flagged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Accidental,
    Deliberate,
}

/// Which consumers a mistake breaks, and how sure keylint is.
#[derive(Clone, Debug)]
pub struct Judgement {
    /// Broken consumers with what each gets (already masked and escaped).
    pub broken: Vec<(Consumer, String)>,
    /// Consumers that get the intended value.
    pub fine: Vec<Consumer>,
    pub severity: Severity,
}

impl Judgement {
    /// "docker --env-file and a shell".
    #[must_use]
    pub fn broken_names(&self) -> String {
        join_names(self.broken.iter().map(|(consumer, _)| *consumer))
    }

    /// Who breaks, for the start of a message: "every loader" when all of them do.
    #[must_use]
    pub fn who(&self) -> String {
        if self.fine.is_empty() && self.broken.len() > 1 {
            "every loader".to_string()
        } else {
            self.broken_names()
        }
    }

    /// ", python-dotenv and Compose strip it" style tail; empty when nothing is fine.
    #[must_use]
    pub fn fine_names(&self) -> String {
        join_names(self.fine.iter().copied())
    }

    /// Appends each broken consumer with what it gets, "docker --env-file keeps it and a
    /// shell (`set -a; . .env`) splits the line": `object` names what some effects act on.
    pub(crate) fn push_effects(&self, out: &mut String, object: impl Fn(&str) -> Option<&str>) {
        push_joined(out, &self.broken, |out, (consumer, effect)| {
            out.push_str(consumer.display_name());
            out.push(' ');
            out.push_str(effect);
            if let Some(object) = object(effect) {
                out.push(' ');
                out.push_str(object);
            }
        });
    }

    #[must_use]
    pub fn is_yaml(&self) -> bool {
        self.broken
            .iter()
            .any(|(consumer, _)| *consumer == Consumer::YamlAsWritten)
    }
}

/// "a, b and c".
#[must_use]
pub fn join_names(consumers: impl IntoIterator<Item = Consumer>) -> String {
    let mut joined = String::new();
    push_names(&mut joined, consumers);
    joined
}

/// Appends [`join_names`] to `out`: a message being written needs no string of its own.
pub(crate) fn push_names(out: &mut String, consumers: impl IntoIterator<Item = Consumer>) {
    push_joined(out, consumers, |out, consumer| {
        out.push_str(consumer.display_name());
    });
}

/// Appends `items` as "a, b and c", each written by `write`.
pub(crate) fn push_joined<T>(
    out: &mut String,
    items: impl IntoIterator<Item = T>,
    mut write: impl FnMut(&mut String, T),
) {
    let mut items = items.into_iter().peekable();
    let mut first = true;
    while let Some(item) = items.next() {
        if !first {
            out.push_str(if items.peek().is_some() {
                ", "
            } else {
                " and "
            });
        }
        write(out, item);
        first = false;
    }
}

/// "a, b and c" for clauses that each name their consumer.
#[must_use]
pub fn join_clauses(clauses: &[String]) -> String {
    let mut joined = String::new();
    push_joined(&mut joined, clauses, |out, clause| out.push_str(clause));
    joined
}

/// Per assignment, what each of its judged consumers ([`Context::judged_consumers`])
/// gets, in rows of [`row_width`]: rules ask every judged consumer about every
/// assignment, and a row is read faster than the readings.
pub(crate) fn outcome_rows<'a>(
    parsed: &'a ParsedFile,
    judged: &[Consumer],
) -> Vec<Option<&'a Outcome>> {
    let width = row_width(judged);
    let mut rows = vec![None; parsed.assignments.len() * width];
    // Column by column: each consumer's outcomes are read in one pass. An env file's
    // assignments are all read by `judged`, a YAML file's all as written.
    let mut fill = |consumer: Consumer, position: usize| {
        for (row, outcome) in rows.chunks_exact_mut(width).zip(parsed.outcomes(consumer)) {
            row[position] = outcome;
        }
    };
    if parsed.env.is_some() {
        for (position, &consumer) in judged.iter().enumerate() {
            fill(consumer, position);
        }
    } else {
        fill(Consumer::YamlAsWritten, 0);
    }
    rows
}

/// The length of a row of [`outcome_rows`]: room for `judged`, or for YAML's one reader.
fn row_width(judged: &[Consumer]) -> usize {
    judged.len().max(1)
}

fn judged_consumers<'c>(judged: &'c [Consumer], assignment: &Assignment) -> &'c [Consumer] {
    if assignment.origin.is_yaml() {
        &[Consumer::YamlAsWritten]
    } else {
        judged
    }
}

impl<'a> Context<'a> {
    #[must_use]
    pub fn assignments(&self) -> &[Assignment] {
        &self.parsed.assignments
    }

    /// The line index of the file's text, shared with the lint's caller.
    pub(crate) fn line_index(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(self.text))
    }

    /// The env file at `path` as Compose loads it, `None` when it cannot be read. Loaded
    /// once per lint: several rules, and several services, read the same files.
    pub(crate) fn compose_env(&self, path: &Path) -> Option<Arc<ComposeEnv>> {
        let mut envs = self
            .compose_envs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        envs.entry(path.to_path_buf())
            .or_insert_with(|| {
                let text = self.project.read(path)?;
                Some(Arc::new(ComposeEnv {
                    loaded: load_env_file(Consumer::ComposeEnvFile, &text),
                    text,
                    lines: OnceLock::new(),
                }))
            })
            .clone()
    }

    /// The consumers judged for this file: the known ones, else every common loader.
    #[must_use]
    pub fn judged_consumers(&self, assignment: &Assignment) -> &[Consumer] {
        judged_consumers(&self.judged, assignment)
    }

    /// Each judged consumer of assignment `index` with what it gets.
    pub(crate) fn judged_outcomes(
        &self,
        index: usize,
    ) -> impl Iterator<Item = (Consumer, Option<&'a Outcome>)> + Clone + use<'a, '_> {
        let consumers = self.judged_consumers(&self.parsed.assignments[index]);
        let row = &self.outcomes[index * row_width(&self.judged)..][..consumers.len()];
        consumers.iter().copied().zip(row.iter().copied())
    }

    /// Whether `test` holds for what some judged consumer gets for assignment `index`.
    /// Loaders that read a line alike share one outcome, tested once: rules ask this of
    /// every assignment before judging the few it may concern.
    pub(crate) fn any_outcome(
        &self,
        index: usize,
        mut test: impl FnMut(&'a Outcome) -> bool,
    ) -> bool {
        let mut previous: Option<&Outcome> = None;
        self.judged_outcomes(index).any(|(_, outcome)| {
            outcome.is_some_and(|outcome| {
                !previous
                    .replace(outcome)
                    .is_some_and(|seen| std::ptr::eq(seen, outcome))
                    && test(outcome)
            })
        })
    }

    /// What the judged consumer at `position` in the row of [`Context::judged_outcomes`]
    /// gets for assignment `index`.
    pub(crate) fn judged_outcome(&self, index: usize, position: usize) -> Option<&'a Outcome> {
        self.outcomes[index * row_width(&self.judged) + position]
    }

    /// What `consumer` gets for assignment `index` ([`ParsedFile::outcome`]), read from
    /// its row when `consumer` is judged.
    #[must_use]
    pub fn outcome(&self, index: usize, consumer: Consumer) -> Option<&'a Outcome> {
        let parsed: &'a ParsedFile = self.parsed;
        match self
            .judged_consumers(&parsed.assignments[index])
            .iter()
            .position(|&judged| judged == consumer)
        {
            Some(at) => self.outcomes[index * row_width(&self.judged) + at],
            None => parsed.outcome(index, consumer),
        }
    }

    fn names(&self) -> &Names<'_> {
        self.names.get_or_init(|| {
            let assignments = &self.parsed.assignments;
            // Sized for every name at once: growing the map rehashes it several times.
            let mut by_name = foldhash::HashMap::with_capacity(assignments.len());
            let mut sizes: Vec<usize> = Vec::with_capacity(assignments.len());
            let group_of: Vec<usize> = assignments
                .iter()
                .map(|assignment| {
                    let key = (assignment.name.as_str(), assignment.scope.as_deref());
                    let group = *by_name.entry(key).or_insert(sizes.len());
                    if group == sizes.len() {
                        sizes.push(0);
                    }
                    sizes[group] += 1;
                    group
                })
                .collect();
            // Each group's start, then each assignment in its place after its group's
            // earlier members (`sizes` becomes the next free place of each group).
            let mut starts = Vec::with_capacity(sizes.len() + 1);
            let mut start = 0;
            for size in &mut sizes {
                starts.push(start);
                start += *size;
                *size = start - *size;
            }
            starts.push(start);
            let mut members = vec![0; assignments.len()];
            for (index, &group) in group_of.iter().enumerate() {
                members[sizes[group]] = index;
                sizes[group] += 1;
            }
            Names {
                by_name,
                members,
                expectations: std::iter::repeat_with(OnceLock::new)
                    .take(sizes.len())
                    .collect(),
                starts,
                group_of,
            }
        })
    }

    /// The indices of the assignments to `name` in `scope`, in file order.
    #[must_use]
    pub fn named(&self, name: &str, scope: Option<&str>) -> &[usize] {
        let names = self.names();
        names
            .by_name
            .get(&(name, scope))
            .map_or(&[], |&group| names.group(group))
    }

    /// The indices of the assignments to assignment `index`'s name in its scope (`index`
    /// included), in file order: [`Context::named`] for an assignment.
    #[must_use]
    pub fn named_like(&self, index: usize) -> &[usize] {
        let names = self.names();
        names.group(names.group_of[index])
    }

    /// The group of assignment `index` (its name in its scope) among [`Context::groups`]
    /// of them: a rule that judges each name once keeps its verdicts in a table by group.
    #[must_use]
    pub(crate) fn group_of(&self, index: usize) -> usize {
        self.names().group_of[index]
    }

    /// How many groups of assignments (names in a scope) the file has.
    #[must_use]
    pub(crate) fn groups(&self) -> usize {
        self.names().expectations.len()
    }

    /// Asks `broken` of every judged consumer's outcome for assignment `index`.
    /// `broken` returns what the consumer gets when it is broken. Severity: a YAML value
    /// or a known consumer that breaks is an error; with unknown consumers, an error
    /// when all break and a warning when only some do.
    pub fn judge(
        &self,
        index: usize,
        syntax: Syntax,
        broken: impl Fn(Consumer, &'a Outcome) -> Option<String>,
    ) -> Option<Judgement> {
        let known = self.parsed.assignments[index].origin.is_yaml() || self.consumers.is_known();
        let skips_docker = !known && syntax == Syntax::Deliberate;
        // The consumers asked, with what each gets: a plain walk over the row, as this
        // runs for every assignment in most rules.
        let asked = || {
            self.judged_outcomes(index)
                .filter(move |&(consumer, _)| {
                    !(skips_docker && consumer == Consumer::DockerEnvFile)
                })
                .filter_map(|(consumer, outcome)| Some((consumer, outcome?)))
        };
        let mut failing: Vec<(Consumer, String)> = Vec::new();
        for (consumer, outcome) in asked() {
            if let Some(got) = broken(consumer, outcome) {
                failing.push((consumer, got));
            }
        }
        if failing.is_empty() {
            return None;
        }
        // Gathered only now: most values break nobody, and they allocate nothing.
        let fine = asked()
            .filter(|(consumer, _)| !failing.iter().any(|(other, _)| other == consumer))
            .map(|(consumer, _)| consumer)
            .collect();
        let mut judgement = Judgement {
            broken: failing,
            fine,
            severity: Severity::Error,
        };
        if !known && !judgement.fine.is_empty() {
            judgement.severity = Severity::Warning;
        }
        Some(judgement)
    }

    /// Whether, in a file nobody is seen reading, only `docker run --env-file` and a shell
    /// break while a dotenv library or Compose reads the line right. Those two readers are
    /// never assumed (most env files are read by a library or Compose), so such a finding
    /// is worth knowing, not a warning, until keylint sees one of them read the file.
    #[must_use]
    pub fn breaks_only_unseen_readers(&self, judgement: &Judgement) -> bool {
        !self.consumers.is_known()
            && !judgement.is_yaml()
            && !judgement.fine.is_empty()
            && judgement
                .broken
                .iter()
                .all(|(consumer, _)| matches!(consumer, Consumer::DockerEnvFile | Consumer::Shell))
    }

    /// Like [`Context::judge`] for mistakes in a value: consumers that get no value at
    /// all (a refused file, a skipped line) count neither as broken nor as fine, since
    /// whatever stops them is another finding.
    pub fn judge_value(
        &self,
        index: usize,
        syntax: Syntax,
        broken: impl Fn(Consumer, &'a Outcome) -> Option<String>,
    ) -> Option<Judgement> {
        let mut judgement = self.judge(index, syntax, broken)?;
        judgement.fine.retain(|&consumer| {
            self.outcome(index, consumer)
                .is_some_and(|outcome| outcome.value().is_some())
        });
        let known = self.parsed.assignments[index].origin.is_yaml() || self.consumers.is_known();
        if known || judgement.fine.is_empty() {
            judgement.severity = Severity::Error;
        }
        Some(judgement)
    }

    /// The known variable with this name, including names from the config.
    #[must_use]
    pub fn variable(&self, name: &str) -> Option<KnownVariable> {
        if let Some(known) = provider::variable(name) {
            return Some(*known);
        }
        self.settings
            .extra_variables
            .api_keys
            .iter()
            .find(|(extra, _)| extra == name)
            .map(|(_, provider)| KnownVariable {
                name: "",
                provider: *provider,
                role: Role::ApiKey,
                alias_of: None,
                read_by: "this project (keylint.toml)",
            })
    }

    /// The provider whose API key this variable holds, by its name.
    #[must_use]
    pub fn key_variable_provider(&self, name: &str) -> Option<Provider> {
        self.variable(name)
            .filter(|known| known.role == Role::ApiKey)
            .map(|known| known.provider)
    }

    /// The key assignment `index` expects ([`helpers::expectation`]).
    pub(crate) fn expectation(&self, index: usize) -> Expectation {
        let names = self.names();
        *names.expectations[names.group_of[index]]
            .get_or_init(|| helpers::expectation(self, &self.parsed.assignments[index]))
    }

    /// The keys the judged consumers use for assignment `index`, found on first use.
    pub(crate) fn keys(&self, index: usize) -> &Keys<'a> {
        self.facts[index].keys.get_or_init(|| {
            let mut keys = Keys {
                distinct: Vec::new(),
                used: Default::default(),
            };
            // Most names are set once: no consumer keeps another copy.
            let kept = (self.named_like(index).len() > 1)
                .then(|| duplicate_variable::kept_copies(self, index));
            for ((_, outcome), (position, used)) in self
                .judged_outcomes(index)
                .zip(keys.used.iter_mut().enumerate())
            {
                let Some(value) = outcome.and_then(Outcome::value) else {
                    continue;
                };
                let text = key_text(value);
                let key = match keys
                    .distinct
                    .iter()
                    .position(|key| same_text(key.text, text))
                {
                    Some(key) => key,
                    None => {
                        keys.distinct.push(KeyFacts {
                            text,
                            filler: OnceLock::new(),
                            shape: OnceLock::new(),
                        });
                        keys.distinct.len() - 1
                    }
                };
                let overridden =
                    kept.is_some_and(|kept| kept[position].is_some_and(|copy| copy != index));
                *used =
                    (!overridden).then(|| u8::try_from(key).expect("fewer keys than consumers"));
            }
            keys
        })
    }

    /// The facts of `key` when it is one of the keys the judged consumers use for
    /// assignment `index`.
    fn key_facts(&self, index: usize, key: &str) -> Option<&KeyFacts<'a>> {
        self.keys(index)
            .distinct
            .iter()
            .find(|facts| same_text(facts.text, key))
    }

    /// [`filler`] of a key assignment `index` holds: each rule judging the key asks, and
    /// it is found once.
    pub(crate) fn filler(&self, index: usize, key: &str) -> Option<Filler> {
        match self.key_facts(index, key) {
            Some(facts) => *facts.filler.get_or_init(|| filler(key)),
            None => filler(key),
        }
    }

    /// [`provider::key_shape`] of a key assignment `index` holds, found once like
    /// [`Context::filler`].
    pub(crate) fn key_shape(&self, index: usize, key: &str) -> Option<KeyShape> {
        match self.key_facts(index, key) {
            Some(facts) => *facts.shape.get_or_init(|| provider::key_shape(key)),
            None => provider::key_shape(key),
        }
    }

    /// A variable that holds an API key: a known key variable, or any value shaped like a key.
    #[must_use]
    pub fn is_key_like(&self, index: usize) -> bool {
        *self.facts[index]
            .key_like
            .get_or_init(|| self.find_key_like(index))
    }

    fn find_key_like(&self, index: usize) -> bool {
        let assignment = &self.parsed.assignments[index];
        if self.key_variable_provider(&assignment.name).is_some() {
            return true;
        }
        // Loaders mostly deliver the same text: each distinct value is shaped once.
        let mut previous = None;
        self.judged_outcomes(index).any(|(_, outcome)| {
            outcome
                .and_then(Outcome::value)
                .filter(|&value| {
                    !previous
                        .replace(value)
                        .is_some_and(|seen| same_text(seen, value))
                })
                .is_some_and(|value| {
                    let trimmed = trim_wrapping(value, |character| {
                        character.is_whitespace() || matches!(character, '"' | '\'' | '“' | '”')
                    });
                    provider::key_shape(trimmed).is_some_and(|shape| {
                        shape.length_ok
                            || shape.kind == provider::KeyKind::Azure
                                && is_key_name(&assignment.name)
                    })
                })
        })
    }

    /// The first value some judged consumer gets for assignment `index`.
    #[must_use]
    pub fn some_value(&self, index: usize) -> Option<&'a str> {
        self.judged_outcomes(index)
            .find_map(|(_, outcome)| outcome.and_then(Outcome::value))
    }

    /// The value of another variable in the same file (and, for YAML, the same scope),
    /// as the first judged consumer reads it: last definition wins.
    #[must_use]
    pub fn sibling_value(&self, near: &Assignment, name: &str) -> Option<&str> {
        let &index = self.named(name, near.scope.as_deref()).last()?;
        self.some_value(index)
    }

    /// The text of a range.
    #[must_use]
    pub fn slice(&self, range: Range<usize>) -> &str {
        &self.text[range]
    }
}

/// Whether two values loaders got are the same text: the loaders that read a line alike
/// share one value, so its address mostly decides without comparing the bytes.
pub(crate) fn same_text(a: &str, b: &str) -> bool {
    std::ptr::eq(a, b) || a == b
}

/// Whether `selector` names a rule: a code, a code prefix (`KL1`), a name or `ALL`.
#[must_use]
pub fn is_known_selector(selector: &str) -> bool {
    RULES
        .iter()
        .any(|rule| crate::linter::selector_matches(rule.code, rule.name, selector))
}

/// Names that say they hold a secret key.
#[must_use]
pub fn is_key_name(name: &str) -> bool {
    // Compared byte by byte instead of on an uppercase copy: this runs for every variable.
    let ends_with = |suffix: &str| {
        name.len() >= suffix.len()
            && name.as_bytes()[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    ends_with("_API_KEY")
        || ends_with("_APIKEY")
        || ends_with("_KEY")
        || contains_ignore_ascii_case(name, "TOKEN")
        || contains_ignore_ascii_case(name, "SECRET")
}

/// Attaches a fix.
#[must_use]
pub fn with_fix(mut diagnostic: Diagnostic, fix: Fix) -> Diagnostic {
    diagnostic.fix = Some(fix);
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_failing_verdict_has_one_rule() {
        for verdict in Verdict::ALL {
            let rules: Vec<&str> = RULES
                .iter()
                .filter(|rule| rule.verdicts.contains(&verdict))
                .map(|rule| rule.code)
                .collect();
            let expected = usize::from(verdict != Verdict::Ok);
            assert_eq!(rules.len(), expected, "{verdict}: {rules:?}");
        }
        assert_eq!(
            rule_for_verdict(Verdict::Deactivated).unwrap().code,
            "KL601"
        );
        assert_eq!(
            rule_for_verdict(Verdict::Unknown).unwrap().severity,
            Severity::Info
        );
    }

    /// `keylint explain` prints every rule's doc under the same headings.
    #[test]
    fn every_doc_has_the_same_headings() {
        for rule in RULES {
            for heading in ["## What it does", "## Why is this bad?", "## Example"] {
                assert!(rule.doc.contains(heading), "{} lacks {heading}", rule.code);
            }
            assert_eq!(
                rule.doc.contains("## Fix safety"),
                rule.fix != FixAvailability::None,
                "{}: `## Fix safety` documents a fix, and only a fix",
                rule.code
            );
        }
    }

    #[test]
    fn codes_and_names_are_unique_and_in_order() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} {}",
                pair[0].code,
                pair[1].code
            );
        }
        for (index, rule) in RULES.iter().enumerate() {
            assert!(
                RULES[index + 1..]
                    .iter()
                    .all(|other| other.name != rule.name)
            );
        }
    }
}
