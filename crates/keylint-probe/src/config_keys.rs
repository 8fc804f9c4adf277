//! The provider keys a config file gives a program, ready to probe: for an env file the
//! values each consumer that reads it gets, for a Compose file each service's literal
//! `environment:`. Shared by `keylint probe`, `keylint lint --probe` and the language
//! server (hover, the `keylint.probe` command), so all probe exactly the same request
//! for the same text.
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
    /// The request with the key as the programs in `read_by` receive it.
    pub request: ProbeRequest,
    /// Who reads the key this way: env-file consumers, or YAML for a Compose file's own
    /// `environment:`; empty for a key from standard input.
    pub read_by: Vec<Consumer>,
}

/// A key as the programs that read its file get it: one [`FoundKey`] per distinct value
/// (most keys have one), in the order of their consumers.
pub type Readings = Vec<FoundKey>;

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

/// The keys in one file's text: for an env file, the values each of `consumers` reads
/// (they may differ: docker keeps the quotes Compose strips); for a Compose file, the
/// literal values of each service's `environment:` (`${…}` skipped).
pub fn keys_in_text(
    text: &str,
    kind: FileKind,
    shown: &str,
    consumers: &[Consumer],
    filter: &Filter,
) -> Result<Vec<Readings>, String> {
    keys_in_parsed(
        text,
        &ParsedFile::parse(kind, text),
        kind,
        shown,
        consumers,
        filter,
    )
}

/// [`keys_in_text`] on a file already parsed from `text` (the server reuses its parse).
pub fn keys_in_parsed(
    text: &str,
    parsed: &ParsedFile,
    kind: FileKind,
    shown: &str,
    consumers: &[Consumer],
    filter: &Filter,
) -> Result<Vec<Readings>, String> {
    let mut keys: Vec<Readings> = Vec::new();
    let readers: &[Consumer] = if kind == FileKind::EnvFile {
        consumers
    } else {
        &[Consumer::YamlAsWritten]
    };
    for &consumer in readers {
        for found in keys_read_by(text, parsed, kind, shown, consumer, filter)? {
            let same_key = keys.iter_mut().find(|readings| {
                readings[0].variable == found.variable && readings[0].service == found.service
            });
            match same_key {
                None => keys.push(vec![found]),
                Some(readings) => match readings
                    .iter_mut()
                    .find(|reading| reading.request == found.request)
                {
                    Some(reading) => reading.read_by.push(consumer),
                    None => readings.push(found),
                },
            }
        }
    }
    keys.sort_by_key(|readings| readings[0].range.start);
    Ok(keys)
}

/// The keys of one file as `consumer` reads them (a Compose file: as written).
fn keys_read_by(
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
            // The name first: a loader's reading is only worked out for names that matter.
            if !may_matter(&assignment.name, filter) {
                continue;
            }
            let Some(value) = parsed.outcome(position, consumer).and_then(Outcome::value) else {
                continue;
            };
            if consumer.first_wins() && environment.contains_key(assignment.name.as_str()) {
                continue;
            }
            environment.insert(assignment.name.to_string(), (position, value.to_string()));
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
                .insert(assignment.name.to_string(), (position, value.to_string()));
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
                read_by: vec![consumer],
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

#[cfg(test)]
mod tests {
    use super::*;

    fn key(tag: char) -> String {
        format!(
            "sk-proj-{}T3BlbkFJ{}",
            tag.to_string().repeat(70),
            "q".repeat(70)
        )
    }

    /// The keys of an env file as `consumer` reads it (one reading each).
    fn env_keys(text: &str, consumer: Consumer, filter: &Filter) -> Vec<FoundKey> {
        keys_in_text(text, FileKind::EnvFile, ".env", &[consumer], filter)
            .unwrap()
            .into_iter()
            .map(|mut readings| {
                assert_eq!(readings.len(), 1, "one consumer, one reading");
                readings.remove(0)
            })
            .collect()
    }

    #[test]
    fn the_consumer_decides_which_duplicate_is_probed() {
        let text = format!("OPENAI_API_KEY={}\nOPENAI_API_KEY={}\n", key('a'), key('b'));
        let last = env_keys(&text, Consumer::PythonDotenv, &Filter::default());
        assert_eq!(last.len(), 1);
        assert_eq!(last[0].request.key, key('b'));
        assert_eq!(last[0].line, 2);
        let first = env_keys(&text, Consumer::Dotenvy, &Filter::default());
        assert_eq!(first[0].request.key, key('a'));
        assert_eq!(first[0].line, 1);
    }

    #[test]
    fn the_value_is_what_the_consumer_receives() {
        let text = format!("export OPENAI_API_KEY=\"{}\"  # main\n", key('a'));
        let found = env_keys(&text, Consumer::PythonDotenv, &Filter::default());
        assert_eq!(found[0].request.key, key('a'));
        assert_eq!(&text[found[0].range.clone()], format!("\"{}\"", key('a')));
        let docker = env_keys(&text, Consumer::DockerEnvFile, &Filter::default());
        assert!(docker.is_empty() || docker[0].request.key != key('a'));
    }

    #[test]
    fn organization_project_and_base_url_come_from_the_same_file() {
        let text = format!(
            "OPENAI_ORGANIZATION=org-alias\nOPENAI_PROJECT_ID=proj_abc\nOPENAI_API_BASE=https://api.openai.com/v1\nOPENAI_API_KEY={}\nANTHROPIC_API_KEY=\n",
            key('a')
        );
        let found = env_keys(&text, Consumer::PythonDotenv, &Filter::default());
        assert_eq!(found.len(), 1, "empty keys are skipped");
        let request = &found[0].request;
        assert_eq!(request.provider, Provider::OpenAi);
        assert_eq!(request.organization.as_deref(), Some("org-alias"));
        assert_eq!(request.project.as_deref(), Some("proj_abc"));
        assert_eq!(
            request.base_url.as_deref(),
            Some("https://api.openai.com/v1")
        );

        let canonical = format!("OPENAI_ORG_ID=org-canonical\n{text}");
        let found = env_keys(&canonical, Consumer::PythonDotenv, &Filter::default());
        assert_eq!(
            found[0].request.organization.as_deref(),
            Some("org-canonical")
        );
    }

    #[test]
    fn compose_services_keep_their_own_environment() {
        let text = format!(
            "services:\n  a:\n    environment:\n      OPENAI_API_KEY: {}\n      OPENAI_ORG_ID: org-a\n  b:\n    environment:\n      - OPENAI_API_KEY={}\n  c:\n    environment:\n      OPENAI_API_KEY: ${{OPENAI_API_KEY}}\n",
            key('a'),
            key('b')
        );
        let found: Vec<FoundKey> = keys_in_text(
            &text,
            FileKind::Compose,
            "compose.yaml",
            &[Consumer::PythonDotenv],
            &Filter::default(),
        )
        .unwrap()
        .into_iter()
        .flatten()
        .collect();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].service.as_deref(), Some("a"));
        assert_eq!(found[0].request.organization.as_deref(), Some("org-a"));
        assert_eq!(found[0].line, 4);
        assert_eq!(found[1].service.as_deref(), Some("b"));
        assert_eq!(found[1].request.organization, None);
        assert_eq!(found[1].request.key, key('b'));
        assert_eq!(found[1].read_by, [Consumer::YamlAsWritten]);
    }

    #[test]
    fn an_unknown_variable_needs_a_provider() {
        let text = "MY_KEY=not-a-known-shape-at-all\n";
        let filter = Filter {
            vars: vec!["MY_KEY".into()],
            provider: None,
        };
        assert!(
            keys_in_text(
                text,
                FileKind::EnvFile,
                ".env",
                &[Consumer::PythonDotenv],
                &filter
            )
            .is_err()
        );
        let filter = Filter {
            provider: Some(Provider::Anthropic),
            ..filter
        };
        let found = env_keys(text, Consumer::PythonDotenv, &filter);
        assert_eq!(found[0].request.provider, Provider::Anthropic);
    }

    /// The probe sends what each program gets: a file read by Compose and by docker
    /// gives two readings of a quoted key, and one (read by both) of a plain one.
    #[test]
    fn each_consumer_reading_of_a_key_is_kept() {
        let text = format!(
            "OPENAI_API_KEY=\"{}\"\nANTHROPIC_API_KEY=sk-ant-{}\n",
            key('a'),
            "x".repeat(90)
        );
        let consumers = [Consumer::ComposeEnvFile, Consumer::DockerEnvFile];
        let found = keys_in_text(
            &text,
            FileKind::EnvFile,
            ".env",
            &consumers,
            &Filter::default(),
        )
        .unwrap();
        assert_eq!(found.len(), 2);
        let openai = &found[0];
        assert_eq!(openai.len(), 2);
        assert_eq!(openai[0].read_by, [Consumer::ComposeEnvFile]);
        assert_eq!(openai[0].request.key, key('a'));
        assert_eq!(openai[1].read_by, [Consumer::DockerEnvFile]);
        assert_eq!(openai[1].request.key, format!("\"{}\"", key('a')));
        let anthropic = &found[1];
        assert_eq!(anthropic.len(), 1);
        assert_eq!(anthropic[0].read_by, consumers);
    }
}
