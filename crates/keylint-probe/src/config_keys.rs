//! The provider keys a config file gives a program, ready to probe: for an env file the
//! values one consumer reads, for a Compose file each service's literal `environment:`.
//! Shared by `keylint probe`, `keylint lint --probe` and the language server's hover, so
//! all three probe exactly the same request for the same text.
//!
//! Nothing here decides where a key may go: a base URL found in the file is passed on as
//! [`ProbeRequest::base_url`] and [`crate::resolve_target`] judges it.

use std::collections::HashMap;
use std::ops::Range;

use keylint_core::assignment::{Origin, ParsedFile};
use keylint_core::consumer::{Consumer, Outcome};
use keylint_core::mask::mask_body;
use keylint_core::mask_secret;
use keylint_core::probed::ProbedKey;
use keylint_core::provider::{self as core_provider, Role};
use keylint_core::source::FileKind;
use keylint_core::{ColumnUnit, LineIndex};

use crate::{ProbeOutcome, ProbeRequest, Provider};

/// One key found in a file (or on stdin), ready to probe.
#[derive(Clone, Debug)]
pub struct FoundKey {
    pub variable: String,
    /// As given on the command line, or the default file name.
    pub path: String,
    /// 1-based line of the assignment.
    pub line: usize,
    /// Compose service the key belongs to.
    pub service: Option<String>,
    /// Byte range of the value in the file (for `lint --probe`).
    pub range: Range<usize>,
    pub request: ProbeRequest,
}

impl FoundKey {
    /// The key as messages show it: `sk-proj-…x9Qa`, or only its length when short.
    #[must_use]
    pub fn shown_key(&self) -> String {
        mask_body(&self.request.key).unwrap_or_else(|| mask_secret(&self.request.key))
    }

    /// What the probe said about this key, as the data the core's KL6xx rules report.
    #[must_use]
    pub fn probed(&self, outcome: &ProbeOutcome) -> ProbedKey {
        // Belt and braces: the probe's texts never hold the key, and if one did it is masked.
        let hide = |text: &str| {
            if self.request.key.chars().count() >= 8 {
                text.replace(&self.request.key, &mask_secret(&self.request.key))
            } else {
                text.to_string()
            }
        };
        ProbedKey {
            variable: self.variable.clone(),
            range: self.range.clone(),
            shown_key: self.shown_key(),
            verdict: outcome.verdict,
            message: hide(&outcome.message),
            fix: hide(&outcome.fix),
        }
    }
}

/// What to look for in a file.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only these variables (empty: every known API-key variable).
    pub vars: Vec<String>,
    /// Provider of a `--var` keylint does not know; without `--var`, only keys of
    /// this provider are probed.
    pub provider: Option<Provider>,
}

/// The value each variable gets, with the index of the assignment that gives it.
type Environment = HashMap<String, (usize, String)>;

/// The keys in one file's text: for an env file, the values `consumer` reads; for a
/// Compose file, the literal values of each service's `environment:` (`${…}` skipped).
pub fn keys_in_text(
    text: &str,
    kind: FileKind,
    shown: &str,
    consumer: Consumer,
    filter: &Filter,
) -> Result<Vec<FoundKey>, String> {
    keys_in_parsed(
        text,
        &ParsedFile::parse(kind, text),
        kind,
        shown,
        consumer,
        filter,
    )
}

/// [`keys_in_text`] on a file already parsed from `text` (hover reuses the server's).
pub fn keys_in_parsed(
    text: &str,
    parsed: &ParsedFile,
    kind: FileKind,
    shown: &str,
    consumer: Consumer,
    filter: &Filter,
) -> Result<Vec<FoundKey>, String> {
    // Built for the first key found: most calls find one key, or none.
    let index = std::cell::OnceCell::new();
    let mut environments: Vec<(Option<String>, Environment)> = Vec::new();
    if kind == FileKind::EnvFile {
        let mut environment = Environment::new();
        for (position, assignment) in parsed.assignments.iter().enumerate() {
            let Some(value) = parsed.outcome(position, consumer).and_then(Outcome::value) else {
                continue;
            };
            if !may_matter(&assignment.name, filter)
                || consumer.first_wins() && environment.contains_key(&assignment.name)
            {
                continue;
            }
            environment.insert(assignment.name.clone(), (position, value.to_string()));
        }
        environments.push((None, environment));
    } else {
        let mut services: Vec<(Option<String>, Environment)> = Vec::new();
        for (position, assignment) in parsed.assignments.iter().enumerate() {
            if !matches!(assignment.origin, Origin::ComposeList | Origin::ComposeMap) {
                continue;
            }
            let Some(value) = assignment.yaml_outcome.as_ref().and_then(Outcome::value) else {
                continue;
            };
            // `${VAR}` / `$VAR` come from elsewhere at run time: not a literal key.
            if value.contains('$') || !may_matter(&assignment.name, filter) {
                continue;
            }
            let slot = match services
                .iter()
                .position(|(scope, _)| *scope == assignment.scope)
            {
                Some(slot) => slot,
                None => {
                    services.push((assignment.scope.clone(), Environment::new()));
                    services.len() - 1
                }
            };
            services[slot]
                .1
                .insert(assignment.name.clone(), (position, value.to_string()));
        }
        environments = services;
    }

    let mut keys = Vec::new();
    for (service, environment) in environments {
        let mut entries: Vec<(&String, &(usize, String))> = environment.iter().collect();
        entries.sort_by_key(|(_, (position, _))| *position);
        for (name, (position, value)) in entries {
            if !filter.vars.is_empty() && !filter.vars.contains(name) {
                continue;
            }
            let known = core_provider::variable(name).filter(|known| known.role == Role::ApiKey);
            let provider = match known {
                Some(known) => known.provider,
                None if filter.vars.contains(name) => {
                    match filter.provider.or_else(|| {
                        core_provider::key_shape(value).map(|shape| shape.kind.provider())
                    }) {
                        Some(provider) => provider,
                        None => {
                            return Err(format!(
                                "{shown}: cannot tell whose key {name} is; add --provider openai|azure-openai|anthropic|gemini"
                            ));
                        }
                    }
                }
                None => continue,
            };
            // `--provider` without `--var`: only that provider's keys.
            if filter.vars.is_empty() && filter.provider.is_some_and(|wanted| wanted != provider) {
                continue;
            }
            if value.trim().is_empty() {
                continue;
            }
            let assignment = &parsed.assignments[*position];
            let context = |role: Role| context_value(&environment, provider, role);
            keys.push(FoundKey {
                variable: name.clone(),
                path: shown.to_string(),
                line: index
                    .get_or_init(|| LineIndex::new(text))
                    .position(text, assignment.name_range.start, ColumnUnit::Scalar)
                    .line
                    + 1,
                service: service.clone(),
                range: assignment.value_range.clone(),
                request: ProbeRequest {
                    organization: context(Role::Organization),
                    project: context(Role::Project),
                    base_url: context(Role::BaseUrl),
                    ..ProbeRequest::new(provider, value.clone())
                },
            });
        }
    }
    Ok(keys)
}

/// Whether a variable can be a key to probe or the organization, project or base URL
/// beside one: the others are left out of the environment (hover asks about one key in
/// a file that may hold thousands of variables).
fn may_matter(name: &str, filter: &Filter) -> bool {
    core_provider::variable(name).is_some() || filter.vars.iter().any(|wanted| wanted == name)
}

/// The organization, project or base URL configured beside a key: the variable the
/// official SDK reads first, then its aliases. Empty values count as unset.
fn context_value(environment: &Environment, provider: Provider, role: Role) -> Option<String> {
    let names = core_provider::VARIABLES
        .iter()
        .filter(|known| known.provider == provider && known.role == role)
        .map(|known| (known.alias_of.is_some(), known.name))
        .collect::<std::collections::BTreeSet<_>>();
    names.into_iter().find_map(|(_, name)| {
        environment
            .get(name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
            .map(str::to_string)
    })
}
