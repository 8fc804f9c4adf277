//! `keylint lint`: discover, lint files in parallel, fix, print, choose the exit code.

use std::io::{IsTerminal as _, Read as _};
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use keylint_core::consumer::Consumer;
use keylint_core::fix::apply_fixes;
use keylint_core::provider::ExtraVariables;
use keylint_core::rules::rule;
use keylint_core::source::{FileKind, is_template_by_name, kind_by_name};
use keylint_core::{Diagnostic, LintInput, Project as _, RuleSelection, Settings, Severity, lint};
use keylint_workspace::files::{FileText, MAX_FILE_BYTES, read_text};
use keylint_workspace::write::{write_fixed, write_report};
use rayon::prelude::*;

use crate::config::{self, Globs};
use crate::discover::{self, discover_with};
use crate::output::{FileReport, github, human, json, sarif};
use crate::workspace::Workspace;
use crate::{EXIT_FINDINGS, paths_or_current};
use keylint_core::redaction::redact_file;

#[derive(Args)]
pub struct LintArgs {
    /// Files or directories to lint.
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit 1 when a finding at or above this severity remains [default: warning, or
    /// `fail-on` of the config].
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Only these rules (codes, prefixes like KL3, or names), comma-separated.
    /// Replaces `select` of the config.
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules, comma-separated. Replaces `ignore` of the config.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Use this config file instead of looking for keylint.toml or .keylint.toml.
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Read no config file.
    #[arg(long)]
    no_config: bool,
    /// Lint the text on standard input (judged by --stdin-filename; project context
    /// from the current directory).
    #[arg(long, conflicts_with_all = ["paths", "fix"])]
    stdin: bool,
    /// The path the standard input is judged by, e.g. `compose.yaml` [default: .env].
    #[arg(long, value_name = "PATH", requires = "stdin")]
    stdin_filename: Option<PathBuf>,
    /// Apply safe fixes in place (atomically).
    #[arg(long)]
    fix: bool,
    /// Also apply unsafe fixes (renames, moved values).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print what --fix would change, secrets masked, and change nothing.
    #[arg(long)]
    diff: bool,
    /// An env file Compose interpolation also reads (`docker compose --env-file`).
    #[arg(long = "env-file", value_name = "PATH")]
    env_files: Vec<PathBuf>,
    /// Who reads matching env files, e.g. `deploy/*.env=docker-env-file`.
    /// Consumers: python-dotenv, node-dotenv, dotenvy, compose, docker-env-file, shell.
    #[arg(long = "consumer", value_name = "GLOB=CONSUMER")]
    consumers: Vec<String>,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Also ask the providers whether the keys in env files work (sends each key to
    /// its provider; adds KL6xx findings). Off unless given.
    #[arg(long)]
    probe: bool,
    #[command(flatten)]
    network: crate::probe_command::NetworkArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

/// At most this many fix passes: a fix may uncover another (quotes, then whitespace).
const FIX_PASSES: usize = 4;

/// A progress bar is shown (on a terminal, outside CI) when linting more files than this.
const PROGRESS_MIN_FILES: usize = 200;

/// Whether `selector` names a rule: a code, a code prefix, a name or `ALL`.
pub fn is_known_selector(selector: &str) -> bool {
    keylint_core::rules::RULES
        .iter()
        .any(|info| keylint_core::linter::selector_matches(info.code, info.name, selector))
}

pub fn run(args: &LintArgs) -> Result<u8> {
    for selector in args.select.iter().chain(&args.ignore) {
        if !is_known_selector(selector) {
            bail!("unknown rule `{selector}` in --select/--ignore (see `keylint rules`)");
        }
    }
    let stdin_name = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from(".env"));
    let paths = paths_or_current(&args.paths);
    let config = if args.no_config {
        None
    } else if let Some(path) = &args.config {
        Some(config::load(path)?)
    } else {
        let start = if args.stdin { &stdin_name } else { &paths[0] };
        config::discover(start)
            .map(|path| config::load(&path))
            .transpose()?
    };

    let select = if args.select.is_empty() {
        config
            .as_ref()
            .and_then(|config| config.select.clone())
            .unwrap_or_default()
    } else {
        args.select.clone()
    };
    let mut ignore = if args.ignore.is_empty() {
        config
            .as_ref()
            .and_then(|config| config.ignore.clone())
            .unwrap_or_default()
    } else {
        args.ignore.clone()
    };
    if let Some(config) = &config {
        ignore.extend(config.off.iter().cloned());
    }
    let selection = RuleSelection {
        select,
        ignore,
        severity: config
            .as_ref()
            .map(|config| config.severity.clone())
            .unwrap_or_default(),
    };
    let consumer_overrides = args
        .consumers
        .iter()
        .map(|pair| {
            let Some((glob, name)) = pair.rsplit_once('=') else {
                bail!("--consumer takes GLOB=CONSUMER, got `{pair}`")
            };
            let Some(consumer) = Consumer::from_id(name) else {
                bail!("unknown consumer `{name}` in --consumer")
            };
            Ok((glob.to_string(), consumer))
        })
        .collect::<Result<Vec<_>>>()?;
    let empty = Globs::empty();
    let (include, exclude, templates) =
        config.as_ref().map_or((&empty, &empty, &empty), |config| {
            (&config.include, &config.exclude, &config.templates)
        });

    let explicit: Vec<PathBuf> = paths
        .iter()
        .map(|path| keylint_core::project::normalize(path))
        .collect();
    let (discovery, stdin_text) = if args.stdin {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|error| anyhow::anyhow!("cannot read standard input: {error}"))?;
        let dir = stdin_name
            .parent()
            .filter(|dir| !dir.as_os_str().is_empty() && dir.is_dir())
            .unwrap_or(Path::new("."));
        let mut discovery = discover::context_of(dir);
        discovery.targets = vec![keylint_core::project::normalize(&stdin_name)];
        (discovery, Some(keylint_workspace::files::decode(bytes)))
    } else {
        let mut discovery = discover_with(&paths, &|path| include.is_match(path))?;
        if !exclude.is_empty() {
            discovery
                .targets
                .retain(|path| explicit.contains(path) || !exclude.is_match(path));
        }
        (discovery, None)
    };
    let (config_consumers, config_base) =
        config.as_ref().map_or((&[][..], PathBuf::new()), |config| {
            (
                &config.consumers[..],
                keylint_core::project::normalize(
                    &std::path::absolute(config.path.parent().unwrap_or(Path::new(".")))
                        .unwrap_or_default(),
                ),
            )
        });
    let workspace = Workspace::with_config(
        &discovery,
        &consumer_overrides,
        config_consumers,
        &config_base,
    )?;
    let settings = Settings {
        compose_env_files: args.env_files.clone(),
        extra_variables: ExtraVariables {
            api_keys: config
                .as_ref()
                .map(|config| config.variables.clone())
                .unwrap_or_default(),
        },
    };

    let progress = if discovery.targets.len() > PROGRESS_MIN_FILES
        && std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none()
    {
        let bar = ProgressBar::new(discovery.targets.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{spinner} linting {pos}/{len} files {wide_bar}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let results: Vec<Result<(FileReport, Option<String>)>> = discovery
        .targets
        .par_iter()
        .map(|path| {
            let kind = kind_by_name(&path.to_string_lossy()).or_else(|| {
                (explicit.contains(path) || include.is_match(path) || args.stdin)
                    .then_some(FileKind::EnvFile)
            });
            let Some(kind) = kind else {
                bail!("{}: not a file keylint reads", path.display())
            };
            let text = match &stdin_text {
                Some(text) => text.clone(),
                None if discovery.skipped.contains_key(path) => FileText::Unreadable {
                    message: discovery.skipped[path].clone(),
                    breaks_loaders: false,
                },
                None => match read_text(path, MAX_FILE_BYTES) {
                    Ok(text) => text,
                    Err(error) => bail!("{}: {error}", path.display()),
                },
            };
            let is_template = templates.is_match(path);
            let linted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                lint_file(
                    path,
                    kind,
                    text,
                    is_template,
                    &workspace,
                    &settings,
                    &selection,
                    args,
                )
            }));
            // The panic hook has said where; the run fails without showing a partial report.
            let result = linted.unwrap_or_else(|_| {
                Err(anyhow::anyhow!(
                    "{}: keylint hit an internal error on this file",
                    path.display()
                ))
            });
            progress.inc(1);
            result
        })
        .collect();
    progress.finish_and_clear();
    let mut reports = Vec::with_capacity(results.len());
    let mut diffs = String::new();
    for result in results {
        let (report, diff) = result?;
        if let Some(diff) = diff {
            diffs.push_str(&diff);
        }
        reports.push(report);
    }
    if args.probe {
        // The KL6xx rules report what the probe said: lint the probed files again with it.
        let is_template =
            |path: &Path| templates.is_match(path) || is_template_by_name(&path.to_string_lossy());
        let probed = crate::probe_command::probe_env_files(
            &reports,
            &workspace,
            &args.network,
            &is_template,
        )?;
        for (position, keys) in probed {
            let report = &mut reports[position];
            let Some(text) = report.text.as_deref() else {
                continue;
            };
            let path = Path::new(&report.path);
            let input = LintInput {
                probed: Some(&keys),
                ..lint_input(path, text, report.kind, is_template(path), &workspace)
            };
            report.diagnostics = lint(&input, &workspace, &settings, &selection);
        }
    }

    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            args.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    };
    if args.diff {
        print!("{diffs}");
    }
    let report = match args.format {
        Format::Human => human::render(&reports, color),
        Format::Json => json::render(&reports),
        Format::Sarif => sarif::render(&reports),
        Format::Github => github::render(&reports),
    };
    match &args.output {
        Some(path) => write_report(path, &report)?,
        None => print!("{report}"),
    }
    let threshold = match args.fail_on {
        Some(FailOn::Error) => Some(Severity::Error),
        Some(FailOn::Warning) => Some(Severity::Warning),
        Some(FailOn::Info) => Some(Severity::Info),
        Some(FailOn::Never) => None,
        None => config
            .as_ref()
            .and_then(|config| config.fail_on)
            .unwrap_or(Some(Severity::Warning)),
    };
    let failing = threshold.is_some_and(|threshold| {
        reports
            .iter()
            .flat_map(|report| &report.diagnostics)
            .any(|diagnostic| diagnostic.severity >= threshold)
    });
    Ok(if failing { EXIT_FINDINGS } else { 0 })
}

#[allow(clippy::too_many_arguments)]
fn lint_file(
    path: &Path,
    kind: FileKind,
    text: FileText,
    is_template: bool,
    workspace: &Workspace,
    settings: &Settings,
    selection: &RuleSelection,
    args: &LintArgs,
) -> Result<(FileReport, Option<String>)> {
    let shown = path.to_string_lossy().into_owned();
    let text = match text {
        FileText::Text(text) => text,
        FileText::Unreadable {
            message,
            breaks_loaders,
        } => {
            let unparsable = rule("KL001").expect("KL001 is registered");
            let severity = if breaks_loaders && kind == FileKind::EnvFile {
                Severity::Error
            } else {
                Severity::Info
            };
            let diagnostics = if selection.is_enabled(unparsable) {
                vec![Diagnostic {
                    code: unparsable.code,
                    name: unparsable.name,
                    severity,
                    range: 0..0,
                    message,
                    fix: None,
                }]
            } else {
                Vec::new()
            };
            return Ok((
                FileReport {
                    path: shown,
                    text: None,
                    kind,
                    diagnostics,
                },
                None,
            ));
        }
    };
    let input = lint_input(path, &text, kind, is_template, workspace);
    let mut diagnostics = lint(&input, workspace, settings, selection);
    let mut diff = None;
    if (args.fix || args.diff)
        && diagnostics
            .iter()
            .any(|diagnostic| diagnostic.fix.is_some())
    {
        let mut fixed = text.clone();
        for _ in 0..FIX_PASSES {
            let pass_input = LintInput {
                text: &fixed,
                ..input
            };
            let found = lint(&pass_input, workspace, settings, selection);
            let (next, applied) = apply_fixes(&fixed, &found, args.unsafe_fixes);
            if applied == 0 {
                break;
            }
            fixed = next;
        }
        if fixed != text {
            if args.diff {
                diff = Some(masked_diff(&shown, &text, &fixed, kind));
            } else {
                write_fixed(path, &text, &fixed)?;
                diagnostics = lint(
                    &LintInput {
                        text: &fixed,
                        ..input
                    },
                    workspace,
                    settings,
                    selection,
                );
                return Ok((
                    FileReport {
                        path: shown,
                        text: Some(fixed),
                        kind,
                        diagnostics,
                    },
                    None,
                ));
            }
        }
    }
    Ok((
        FileReport {
            path: shown,
            text: Some(text),
            kind,
            diagnostics,
        },
        diff,
    ))
}

/// What the core is told about a file besides its text.
fn lint_input<'a>(
    path: &'a Path,
    text: &'a str,
    kind: FileKind,
    is_template: bool,
    workspace: &Workspace,
) -> LintInput<'a> {
    LintInput {
        is_template: is_template || is_template_by_name(&path.to_string_lossy()),
        is_committed: !workspace.is_ignored(path),
        ..LintInput::new(path, text, kind)
    }
}

/// A unified diff of the fix with every secret masked on both sides.
fn masked_diff(path: &str, before: &str, after: &str, kind: FileKind) -> String {
    let before = redact_file(before, kind).text;
    let after = redact_file(after, kind).text;
    let diff = similar::TextDiff::from_lines(&before, &after);
    format!(
        "{}",
        diff.unified_diff()
            .context_radius(1)
            .header(&format!("a/{path}"), &format!("b/{path}"))
    )
}
