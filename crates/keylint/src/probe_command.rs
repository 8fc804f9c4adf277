//! `keylint probe`, and the probe half of `keylint lint --probe`: find the provider keys
//! a program would receive, ask each provider whether the key works, explain the answer.
//!
//! Everything that decides *where* a key may go lives in `keylint-probe`
//! (`resolve_target`): a base URL read from a file is passed along as `base_url` and is
//! contacted only when it is the provider's official host or the user allowed its host
//! with `--allow-host`. Nothing here reads an allowlist from workspace files.
//! Keys are never printed: only masked (`sk-proj-…x9Qa (164 chars)`).

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use clap::{Args, ValueEnum};
use keylint_core::consumer::Consumer;
use keylint_core::probed::ProbedKey;
use keylint_core::source::{FileKind, kind_by_name};
use keylint_core::{Project as _, mask_secret};
use keylint_probe::target::AllowedHost;
use keylint_probe::{ProbeOutcome, ProbeRequest, ProbeSettings, Prober, Provider, resolve_target};
use serde::Serialize;

use crate::EXIT_FINDINGS;
use crate::output::FileReport;
use crate::terminal::ColorChoice;
use keylint_workspace::config::{ConfigChoice, Configs};
use keylint_workspace::discover::discover_with;
use keylint_workspace::files::{FileText, MAX_FILE_BYTES, read_text};
use keylint_workspace::{Index, Overrides, Workspace};

pub use keylint_probe::config_keys::{Filter, FoundKey, Readings};

/// [`keylint_probe::config_keys::keys_in_text`] with its error as a usage error.
pub fn keys_in_text(
    text: &str,
    kind: FileKind,
    shown: &str,
    consumers: &[Consumer],
    filter: &Filter,
) -> Result<Vec<Readings>> {
    keylint_probe::config_keys::keys_in_text(text, kind, shown, consumers, filter)
        .map_err(anyhow::Error::msg)
}

/// Exit code when no probe failed but at least one could not tell (docs/probe.md).
pub const EXIT_UNKNOWN: u8 = 3;

/// Probes run at the same time, at most.
const CONCURRENCY: usize = 4;

/// Compose files `keylint probe` reads by default, in Compose's own order of preference.
pub const COMPOSE_FILES: [&str; 4] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];

/// Network options of `probe` and `lint --probe`. These are user-level settings: they
/// come from the command line only, never from files in the workspace.
#[derive(Args, Clone, Debug)]
pub struct NetworkArgs {
    /// Also send keys to this host when a base URL in the files points there
    /// (`host`: any port, `host:port`: that port only; plain http only for loopback).
    /// Repeatable.
    #[arg(long = "allow-host", value_name = "HOST[:PORT]")]
    pub allow_hosts: Vec<String>,
    /// Hard limit for one probe request, connection included, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 5000)]
    pub timeout_ms: u64,
}

#[derive(Args)]
pub struct ProbeArgs {
    /// Env file (or Compose file) to read keys from; repeatable.
    /// Default: ./.env and the `environment:` of the services in ./compose.yaml or
    /// ./docker-compose.yml.
    #[arg(long = "env-file", value_name = "PATH")]
    env_files: Vec<PathBuf>,
    /// Probe only this variable; repeatable. A name keylint does not know is probed
    /// as the provider given by --provider, else by the shape of its value.
    #[arg(long = "var", value_name = "NAME")]
    vars: Vec<String>,
    /// Read one key from standard input (one trailing newline is removed).
    #[arg(long, requires = "provider", conflicts_with_all = ["env_files", "vars", "consumer"])]
    stdin: bool,
    /// The key's provider: openai, azure-openai, anthropic, gemini. Needed with
    /// --stdin; with files, probes only that provider's keys (or gives the provider of
    /// a --var keylint does not know).
    #[arg(long, value_name = "PROVIDER", value_parser = parse_provider)]
    provider: Option<Provider>,
    /// With --stdin: the organization id sent as `OpenAI-Organization`.
    #[arg(long, value_name = "ID", requires = "stdin")]
    org: Option<String>,
    /// With --stdin: the project id sent as `OpenAI-Project`.
    #[arg(long, value_name = "ID", requires = "stdin")]
    project: Option<String>,
    /// With --stdin: the base URL (a host that is not the provider's still needs --allow-host).
    #[arg(long, value_name = "URL", requires = "stdin")]
    base_url: Option<String>,
    /// Whose reading of env files gives the value probed: python-dotenv, node-dotenv,
    /// dotenvy, godotenv, compose, docker-env-file, shell. Default: whoever the project
    /// in the current directory says reads the file (as `keylint lint .` detects it),
    /// else python-dotenv.
    #[arg(long, value_name = "CONSUMER")]
    consumer: Option<String>,
    #[command(flatten)]
    network: NetworkArgs,
    /// Neither read nor write the disk cache (results are otherwise kept 10 minutes,
    /// as hashes, under the user cache directory).
    #[arg(long)]
    no_cache: bool,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn parse_provider(text: &str) -> Result<Provider, String> {
    text.parse::<Provider>().map_err(|error| error.to_string())
}

pub fn run(args: &ProbeArgs) -> Result<u8> {
    let settings = settings(&args.network)?;
    let keys = if args.stdin {
        vec![vec![key_from_stdin(args)?]]
    } else {
        keys_from_files(args)?
    };
    let results: Vec<(FoundKey, ProbeOutcome)> = probe_all(
        keys.into_iter().map(|readings| ((), readings)).collect(),
        &settings,
        !args.no_cache,
    )?
    .into_iter()
    .map(|((), key, outcome)| (key, outcome))
    .collect();
    let output = match args.format {
        Format::Json => render_json(&results),
        Format::Human => render_human(&results, &settings, args.color.for_output(true)),
    };
    crate::terminal::stdout(&output)?;
    let outcomes: Vec<ProbeOutcome> = results.into_iter().map(|(_, outcome)| outcome).collect();
    Ok(exit_code(&outcomes))
}

/// 0 all ok, 1 any failure, 3 no failure but at least one unknown.
fn exit_code(outcomes: &[ProbeOutcome]) -> u8 {
    if outcomes.iter().any(|outcome| outcome.verdict.is_failure()) {
        EXIT_FINDINGS
    } else if outcomes
        .iter()
        .any(|outcome| outcome.verdict == keylint_probe::Verdict::Unknown)
    {
        EXIT_UNKNOWN
    } else {
        0
    }
}

/// The user-level probe settings from the command line; a malformed `--allow-host` is
/// a usage error.
pub fn settings(network: &NetworkArgs) -> Result<ProbeSettings> {
    for entry in &network.allow_hosts {
        if AllowedHost::parse(entry).is_none() {
            bail!("--allow-host takes HOST or HOST:PORT, got `{entry}`");
        }
    }
    if network.timeout_ms == 0 {
        bail!("--timeout-ms must be at least 1");
    }
    Ok(ProbeSettings {
        timeout: Duration::from_millis(network.timeout_ms),
        allowed_hosts: network.allow_hosts.clone(),
        ..ProbeSettings::default()
    })
}

/// `$XDG_CACHE_HOME/keylint/probe`, else `$HOME/.cache/keylint/probe`.
fn cache_dir() -> Option<PathBuf> {
    let absolute = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|path| path.is_absolute())
    };
    let base =
        absolute("XDG_CACHE_HOME").or_else(|| absolute("HOME").map(|home| home.join(".cache")))?;
    Some(base.join("keylint").join("probe"))
}

/// Probes every key, at most [`CONCURRENCY`] at a time, on a runtime that lives only
/// for this call. Each key comes back with its tag, in the order of `keys`, as the
/// reading its outcome is about (see [`Prober::probe_readings`]).
pub fn probe_all<Tag: Send + 'static>(
    keys: Vec<(Tag, Readings)>,
    settings: &ProbeSettings,
    disk_cache: bool,
) -> Result<Vec<(Tag, FoundKey, ProbeOutcome)>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut prober = Prober::new(settings.clone());
    if let Some(dir) = cache_dir().filter(|_| disk_cache) {
        prober = prober.with_disk_cache(dir);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("could not start the probe runtime")?;
    let count = keys.len();
    runtime.block_on(async move {
        let permits = Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
        let mut tasks = tokio::task::JoinSet::new();
        for (index, (tag, mut readings)) in keys.into_iter().enumerate() {
            let prober = prober.clone();
            let permits = Arc::clone(&permits);
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                let probed = prober.probe_readings(&readings).await;
                (
                    index,
                    probed.map(|(at, outcome)| (tag, readings.swap_remove(at), outcome)),
                )
            });
        }
        let mut results: Vec<Option<(Tag, FoundKey, ProbeOutcome)>> =
            std::iter::repeat_with(|| None).take(count).collect();
        while let Some(joined) = tasks.join_next().await {
            let (index, result) = joined.context("a probe task failed")?;
            results[index] = result;
        }
        Ok(results.into_iter().flatten().collect())
    })
}

fn key_from_stdin(args: &ProbeArgs) -> Result<FoundKey> {
    let Some(provider) = args.provider else {
        bail!("--stdin needs --provider openai|azure-openai|anthropic|gemini");
    };
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .context("could not read the key from standard input")?;
    let Ok(mut key) = String::from_utf8(bytes) else {
        bail!("the key on standard input is not UTF-8 text");
    };
    if key.ends_with('\n') {
        key.pop();
    }
    if key.is_empty() {
        bail!(
            "no key on standard input (pipe one in: `echo \"$KEY\" | keylint probe --stdin --provider {provider}`)"
        );
    }
    let non_empty = |value: &Option<String>| value.clone().filter(|value| !value.trim().is_empty());
    Ok(FoundKey {
        variable: "(stdin)".to_string(),
        path: "-".to_string(),
        line: 1,
        service: None,
        range: 0..key.len(),
        read_by: Vec::new(),
        request: ProbeRequest {
            organization: non_empty(&args.org),
            project: non_empty(&args.project),
            base_url: non_empty(&args.base_url),
            ..ProbeRequest::new(provider, key)
        },
    })
}

fn keys_from_files(args: &ProbeArgs) -> Result<Vec<Readings>> {
    let chosen = match &args.consumer {
        None => None,
        Some(id) => match Consumer::from_id(id) {
            Some(consumer) if consumer != Consumer::YamlAsWritten => Some(consumer),
            _ => bail!(
                "unknown consumer `{id}` (expected one of: {})",
                Consumer::env_file_ids()
            ),
        },
    };
    let filter = Filter {
        vars: args.vars.clone(),
        provider: args.provider,
    };
    let files: Vec<(PathBuf, FileKind)> = if args.env_files.is_empty() {
        let mut files = Vec::new();
        if Path::new(".env").is_file() {
            files.push((PathBuf::from(".env"), FileKind::EnvFile));
        }
        if let Some(compose) = COMPOSE_FILES.iter().find(|name| Path::new(name).is_file()) {
            files.push((PathBuf::from(compose), FileKind::Compose));
        }
        if files.is_empty() {
            bail!(
                "no .env or compose file in the current directory; name a file with --env-file PATH, or pipe a key in with --stdin --provider NAME"
            );
        }
        files
    } else {
        args.env_files
            .iter()
            .map(|path| {
                let kind = match kind_by_name(&path.to_string_lossy()) {
                    Some(FileKind::Compose) => FileKind::Compose,
                    _ => FileKind::EnvFile,
                };
                (path.clone(), kind)
            })
            .collect()
    };
    // Without --consumer, each file is read as `keylint lint .` finds it read here: the
    // key probed is the one the program receives.
    let workspace = match chosen {
        Some(_) => None,
        None => Some(current_dir_workspace()?),
    };
    let mut keys = Vec::new();
    for (path, kind) in &files {
        let consumers = match (chosen, &workspace) {
            (Some(consumer), _) => vec![consumer],
            (None, Some(workspace)) => workspace.consumers_of(path).probed(),
            (None, None) => vec![Consumer::PythonDotenv],
        };
        let shown = path.to_string_lossy().into_owned();
        let text = match read_text(path, MAX_FILE_BYTES) {
            Ok(FileText::Text(text)) => text,
            Ok(FileText::Unreadable { message, .. }) => bail!("{shown}: {message}"),
            Err(error) => bail!("{shown}: {error}"),
        };
        keys.extend(keys_in_text(&text, *kind, &shown, &consumers, &filter)?);
    }
    if keys.is_empty() {
        let names: Vec<String> = files
            .iter()
            .map(|(path, _)| path.to_string_lossy().into_owned())
            .collect();
        if filter.vars.is_empty() {
            bail!(
                "no provider API keys found in {} (looked for OPENAI_API_KEY, AZURE_OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY and their aliases with a non-empty value); use --var NAME for another name, or --stdin",
                names.join(", ")
            );
        }
        bail!(
            "{} not found with a non-empty value in {}",
            filter.vars.join(", "),
            names.join(", ")
        );
    }
    Ok(keys)
}

#[derive(Serialize)]
struct JsonOutput<'a> {
    version: u32,
    probes: Vec<JsonProbe<'a>>,
}

#[derive(Serialize)]
struct JsonProbe<'a> {
    variable: &'a str,
    path: &'a str,
    line: usize,
    provider: &'static str,
    host: &'a str,
    key: String,
    verdict: &'static str,
    http_status: Option<u16>,
    error_code: Option<&'a str>,
    message: &'a str,
    fix: &'a str,
}

fn render_json(results: &[(FoundKey, ProbeOutcome)]) -> String {
    let output = JsonOutput {
        version: 1,
        probes: results
            .iter()
            .map(|(key, outcome)| JsonProbe {
                variable: &key.variable,
                path: &key.path,
                line: key.line,
                provider: key.request.provider.id(),
                host: &outcome.host,
                key: mask_secret(&key.request.key),
                verdict: outcome.verdict.as_str(),
                http_status: outcome.http_status,
                error_code: outcome.error_code.as_deref(),
                message: &outcome.message,
                fix: &outcome.fix,
            })
            .collect(),
    };
    let text = serde_json::to_string_pretty(&output).expect("probe results serialize") + "\n";
    scrub(
        text,
        results.iter().map(|(key, _)| key.request.key.as_str()),
    )
}

fn render_human(
    results: &[(FoundKey, ProbeOutcome)],
    settings: &ProbeSettings,
    color: bool,
) -> String {
    let mut out = String::new();
    for (key, outcome) in results {
        let verdict = outcome.verdict;
        let style = if !color {
            ""
        } else if verdict.is_failure() {
            "\x1b[1;31m"
        } else if verdict == keylint_probe::Verdict::Unknown {
            "\x1b[1;33m"
        } else {
            "\x1b[1;32m"
        };
        let reset = if color { "\x1b[0m" } else { "" };
        let short = key.shown_key();
        let variable = if key.path == "-" {
            "key from standard input"
        } else {
            key.variable.as_str()
        };
        out.push_str(&format!(
            "{style}{variable}{reset} ({short}): {}. {}\n",
            outcome.message.trim_end_matches('.'),
            outcome.fix
        ));
        let location = match &key.service {
            Some(service) => format!("{}:{} (service {service})", key.path, key.line),
            None if key.path == "-" => "standard input".to_string(),
            None => format!("{}:{}", key.path, key.line),
        };
        out.push_str(&format!("  in:       {location}\n"));
        out.push_str(&format!("  key:      {}\n", mask_secret(&key.request.key)));
        out.push_str(&format!(
            "  sent:     {}\n",
            sent_line(key, outcome, settings)
        ));
        let mut evidence = Vec::new();
        if let Some(status) = outcome.http_status {
            evidence.push(format!("HTTP {status}"));
        }
        if let Some(code) = &outcome.error_code {
            evidence.push(code.clone());
        }
        if outcome.cached {
            evidence.push("cached".to_string());
        }
        let evidence = if evidence.is_empty() {
            String::new()
        } else {
            format!(" ({})", evidence.join(", "))
        };
        out.push_str(&format!(
            "  verdict:  {style}{verdict}{reset}{evidence}\n\n"
        ));
    }
    let count = |wanted: fn(keylint_probe::Verdict) -> bool| {
        results
            .iter()
            .filter(|(_, outcome)| wanted(outcome.verdict))
            .count()
    };
    let plural = if results.len() == 1 { "" } else { "s" };
    out.push_str(&format!(
        "{} key{plural} probed: {} ok, {} failed, {} unknown\n",
        results.len(),
        count(|verdict| verdict == keylint_probe::Verdict::Ok),
        count(keylint_probe::Verdict::is_failure),
        count(|verdict| verdict == keylint_probe::Verdict::Unknown),
    ));
    scrub(out, results.iter().map(|(key, _)| key.request.key.as_str()))
}

/// What went on the wire: method, URL and header names, never values.
fn sent_line(key: &FoundKey, outcome: &ProbeOutcome, settings: &ProbeSettings) -> String {
    let target = resolve_target(&key.request, settings).ok();
    let request = target
        .as_ref()
        .map(|target| format!("GET {}", target.url))
        .unwrap_or_default();
    if outcome.cached {
        return format!(
            "nothing this time: a result from the last 10 minutes was reused ({request})"
        );
    }
    if outcome.headers_sent.is_empty() {
        return match target {
            None if outcome.host.is_empty() => "nothing".to_string(),
            None => format!("nothing (the key was not sent to {})", outcome.host),
            Some(_) => format!("nothing (the request would have been {request})"),
        };
    }
    format!("{request} with headers {}", outcome.headers_sent.join(", "))
}

/// The project in the current directory, as `keylint lint .` sees it.
fn current_dir_workspace() -> Result<Workspace> {
    let configs = Arc::new(Configs::new(ConfigChoice::Discover, None));
    let discovery = discover_with(&[PathBuf::from(".")], &configs)?;
    let overrides = Overrides {
        base: std::env::current_dir().unwrap_or_default(),
        ..Overrides::default()
    };
    Ok(Workspace::new(
        Index::from_discovery(&discovery),
        configs,
        overrides,
    ))
}

/// Belt and braces: replaces any full key that still reached a text by its mask.
fn scrub<'a>(mut text: String, keys: impl Iterator<Item = &'a str>) -> String {
    for key in keys {
        if key.chars().count() >= 8 && text.contains(key) {
            text = text.replace(key, &mask_secret(key));
        }
    }
    text
}

/// `lint --probe`: probes the API keys of the linted env files (as their consumer reads
/// them). Returns, by position in `reports`, what the probe said about each key: the
/// input of the KL6xx rules when the caller lints those files again.
pub fn probe_env_files(
    reports: &[FileReport],
    workspace: &Workspace,
    network: &NetworkArgs,
) -> Result<Vec<(usize, Vec<ProbedKey>)>> {
    let settings = settings(network)?;
    let mut found: Vec<(usize, Readings)> = Vec::new();
    for (position, report) in reports.iter().enumerate() {
        let path = Path::new(&report.path);
        if report.kind != FileKind::EnvFile || workspace.is_template(path) {
            continue;
        }
        let Some(text) = report.text.as_deref() else {
            continue;
        };
        let consumers = workspace.consumers_of(path).probed();
        let keys = keys_in_text(
            text,
            FileKind::EnvFile,
            &report.path,
            &consumers,
            &Filter::default(),
        )?;
        found.extend(keys.into_iter().map(|key| (position, key)));
    }
    let mut probed: Vec<(usize, Vec<ProbedKey>)> = Vec::new();
    for (position, key, outcome) in probe_all(found, &settings, true)? {
        match probed.last_mut() {
            Some((last, keys)) if *last == position => keys.push(key.probed(&outcome)),
            _ => probed.push((position, vec![key.probed(&outcome)])),
        }
    }
    Ok(probed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes() {
        let outcome = |verdict| ProbeOutcome {
            verdict,
            http_status: None,
            error_code: None,
            host: String::new(),
            headers_sent: Vec::new(),
            message: String::new(),
            fix: String::new(),
            cached: false,
        };
        use keylint_probe::Verdict::{InvalidKey, Ok as Good, Unknown};
        assert_eq!(exit_code(&[outcome(Good)]), 0);
        assert_eq!(exit_code(&[outcome(Good), outcome(Unknown)]), EXIT_UNKNOWN);
        assert_eq!(
            exit_code(&[outcome(Unknown), outcome(InvalidKey)]),
            EXIT_FINDINGS
        );
    }

    #[test]
    fn allow_host_and_timeout_are_checked() {
        let network = |hosts: &[&str], timeout_ms| NetworkArgs {
            allow_hosts: hosts.iter().map(ToString::to_string).collect(),
            timeout_ms,
        };
        assert!(settings(&network(&["127.0.0.1:8080", "proxy.example"], 5000)).is_ok());
        assert!(settings(&network(&["not a host"], 5000)).is_err());
        assert!(settings(&network(&[], 0)).is_err());
        assert_eq!(
            settings(&network(&[], 250)).unwrap().timeout,
            Duration::from_millis(250)
        );
    }
}
