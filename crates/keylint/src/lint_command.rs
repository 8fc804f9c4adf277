//! `keylint lint`: discover, lint files in parallel, fix, print, choose the exit code.

use std::io::{IsTerminal as _, Read as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use keylint_core::consumer::Consumer;
use keylint_core::redaction::redact_file;
use keylint_core::rules::rule;
use keylint_core::source::FileKind;
use keylint_core::{Diagnostic, Severity};
use keylint_workspace::config::{ConfigChoice, Configs};
use keylint_workspace::discover::{self, discover_with};
use keylint_workspace::files::{FileText, MAX_FILE_BYTES, read_text};
use keylint_workspace::lint::with_texts;
use keylint_workspace::write::{write_fixed, write_report};
use keylint_workspace::{FixTarget, Fixed, Index, Overrides, Workspace, fix_files};
use rayon::prelude::*;

use crate::output::{FileReport, github, human, json, sarif};
use crate::{EXIT_FINDINGS, paths_or_current};

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
    /// Consumers: python-dotenv, node-dotenv, dotenvy, godotenv, compose, docker-env-file, shell.
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

/// A progress bar is shown (on a terminal, outside CI) when linting more files than this.
const PROGRESS_MIN_FILES: usize = 200;

pub fn run(args: &LintArgs) -> Result<u8> {
    for selector in args.select.iter().chain(&args.ignore) {
        if !keylint_core::rules::is_known_selector(selector) {
            bail!("unknown rule `{selector}` in --select/--ignore (see `keylint rules`)");
        }
    }
    let stdin_name = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from(".env"));
    let paths = paths_or_current(&args.paths);
    let choice = if args.no_config {
        ConfigChoice::Ignore
    } else if let Some(path) = &args.config {
        ConfigChoice::File(path.clone())
    } else {
        ConfigChoice::Discover
    };
    let configs = Arc::new(Configs::new(choice, None));
    let consumers = args
        .consumers
        .iter()
        .map(|pair| {
            let Some((glob, name)) = pair.rsplit_once('=') else {
                bail!("--consumer takes GLOB=CONSUMER, got `{pair}`")
            };
            let Some(consumer) = Consumer::from_id(name) else {
                bail!(
                    "unknown consumer `{name}` in --consumer (expected one of: {})",
                    Consumer::env_file_ids()
                )
            };
            Ok((glob.to_string(), consumer))
        })
        .collect::<Result<Vec<_>>>()?;
    let overrides = Overrides {
        select: (!args.select.is_empty()).then(|| args.select.clone()),
        ignore: (!args.ignore.is_empty()).then(|| args.ignore.clone()),
        consumers,
        env_files: args.env_files.clone(),
        base: std::env::current_dir().unwrap_or_default(),
    };

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
        let target = keylint_core::project::normalize(&stdin_name);
        discovery.named.insert(target.clone());
        discovery.targets = vec![target];
        (discovery, Some(keylint_workspace::files::decode(bytes)))
    } else {
        (discover_with(&paths, &configs)?, None)
    };
    // Every config that governs a linted file must be valid: a broken one is a usage
    // error (exit 2) naming its file and line, before anything is linted.
    let first = if args.stdin { &stdin_name } else { &paths[0] };
    let governing = configs.for_path(first).map_err(anyhow::Error::msg)?;
    for path in &discovery.targets {
        configs.for_path(path).map_err(anyhow::Error::msg)?;
    }
    let workspace = Workspace::new(Index::from_discovery(&discovery), configs, overrides);

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
    let files: Vec<Result<(PathBuf, FileKind, FileText)>> = discovery
        .targets
        .par_iter()
        .map(|path| {
            let Some(kind) = workspace.kind_of(path, discovery.named.contains(path)) else {
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
            Ok((path.clone(), kind, text))
        })
        .collect();
    let files = files.into_iter().collect::<Result<Vec<_>>>()?;
    let fixing = args.fix || args.diff;
    let fixes = if fixing {
        fix_all(&workspace, &files, args.unsafe_fixes)?
    } else {
        Vec::new()
    };
    // Findings of the final texts, against the final texts of the other files.
    let after_fixes = if fixes.is_empty() {
        workspace.clone()
    } else {
        let (targets, fixed): (Vec<FixTarget>, Vec<Fixed>) = fixes.iter().cloned().unzip();
        with_texts(&workspace, &targets, &fixed)
    };
    let results: Vec<Result<FileReport>> = files
        .par_iter()
        .map(|(path, kind, text)| {
            let text = match text {
                FileText::Text(original) => {
                    let fixed = fixes
                        .iter()
                        .find(|(target, _)| &target.path == path)
                        .filter(|_| !args.diff)
                        .map_or(original.as_str(), |(_, fixed)| fixed.text.as_str());
                    FileText::Text(fixed.to_string())
                }
                unreadable => unreadable.clone(),
            };
            let linted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                report_file(path, *kind, text, &after_fixes)
            }));
            progress.inc(1);
            // The panic hook has said where; the run fails without showing a partial report.
            linted.map_err(|_| {
                anyhow::anyhow!(
                    "{}: keylint hit an internal error on this file",
                    path.display()
                )
            })
        })
        .collect();
    progress.finish_and_clear();
    let mut reports = results.into_iter().collect::<Result<Vec<_>>>()?;
    let mut diffs = String::new();
    for (target, fixed) in &fixes {
        if args.diff {
            diffs.push_str(&masked_diff(
                &target.path.to_string_lossy(),
                &target.text,
                &fixed.text,
                target.kind,
            ));
        } else {
            write_fixed(&target.path, &target.text, &fixed.text)?;
        }
    }
    if args.probe {
        // The KL6xx rules report what the probe said: lint the probed files again with it.
        let probed = crate::probe_command::probe_env_files(&reports, &after_fixes, &args.network)?;
        for (position, keys) in probed {
            let report = &mut reports[position];
            let Some(text) = report.text.as_deref() else {
                continue;
            };
            report.diagnostics =
                after_fixes.lint_probed(Path::new(&report.path), text, report.kind, &keys);
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
        None => governing
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

/// The readable files' fixes, all files fixed together until nothing changes; only the
/// files whose text changed are returned.
fn fix_all(
    workspace: &Workspace,
    files: &[(PathBuf, FileKind, FileText)],
    include_unsafe: bool,
) -> Result<Vec<(FixTarget, Fixed)>> {
    let targets: Vec<FixTarget> = files
        .iter()
        .filter_map(|(path, kind, text)| match text {
            FileText::Text(text) => Some(FixTarget {
                path: path.clone(),
                kind: *kind,
                text: text.clone(),
            }),
            FileText::Unreadable { .. } => None,
        })
        .collect();
    let fixed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        fix_files(workspace, &targets, include_unsafe)
    }))
    .map_err(|_| anyhow::anyhow!("keylint hit an internal error while fixing"))?;
    Ok(targets
        .into_iter()
        .zip(fixed)
        .filter(|(target, fixed)| fixed.text != target.text)
        .collect())
}

fn report_file(path: &Path, kind: FileKind, text: FileText, workspace: &Workspace) -> FileReport {
    let shown = path.to_string_lossy().into_owned();
    match text {
        FileText::Text(text) => FileReport {
            diagnostics: workspace.lint(path, &text, kind),
            path: shown,
            text: Some(text),
            kind,
        },
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
            let diagnostics = if workspace.selection_for(path).is_enabled(unparsable) {
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
            FileReport {
                path: shown,
                text: None,
                kind,
                diagnostics,
            }
        }
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
