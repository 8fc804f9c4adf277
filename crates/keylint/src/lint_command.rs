//! `keylint lint`: discover, lint files in parallel, fix, print, choose the exit code.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use keylint_core::consumer::Consumer;
use keylint_core::fix::apply_fixes;
use keylint_core::rules::rule;
use keylint_core::source::{FileKind, is_template_by_name, kind_by_name};
use keylint_core::{Diagnostic, LintInput, Project as _, RuleSelection, Settings, Severity, lint};
use rayon::prelude::*;

use crate::discover::discover;
use crate::output::{FileReport, human, json};
use crate::read::{FileText, read_text};
use crate::redact::redact;
use crate::workspace::Workspace;
use crate::write::write_atomically;
use crate::{EXIT_FINDINGS, paths_or_current};

#[derive(Args)]
pub struct LintArgs {
    /// Files or directories to lint.
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit 1 when a finding at or above this severity remains.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,
    /// Only these rules (codes, prefixes like KL3, or names), comma-separated.
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules, comma-separated.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
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

pub fn run(args: &LintArgs) -> Result<u8> {
    let selection = RuleSelection {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        severity: Vec::new(),
    };
    for selector in selection.select.iter().chain(&selection.ignore) {
        if !keylint_core::rules::RULES
            .iter()
            .any(|info| selection_matches(info.code, info.name, selector))
            && !crate::probe_rules::PROBE_RULES
                .iter()
                .any(|rule| crate::probe_rules::matches(rule, selector))
        {
            bail!("unknown rule `{selector}` in --select/--ignore (see `keylint rules`)");
        }
    }
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
    let paths = paths_or_current(&args.paths);
    let discovery = discover(&paths)?;
    let workspace = Workspace::new(&discovery, &consumer_overrides)?;
    let settings = Settings {
        compose_env_files: args.env_files.clone(),
        ..Settings::default()
    };
    let explicit: Vec<PathBuf> = paths
        .iter()
        .map(|path| keylint_core::project::normalize(path))
        .collect();

    let results: Vec<Result<(FileReport, Option<String>)>> = discovery
        .targets
        .par_iter()
        .map(|path| {
            let kind = kind_by_name(&path.to_string_lossy())
                .or_else(|| explicit.contains(path).then_some(FileKind::EnvFile));
            let Some(kind) = kind else {
                bail!("{}: not a file keylint reads", path.display())
            };
            lint_file(path, kind, &workspace, &settings, &selection, args)
        })
        .collect();
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
        crate::probe_command::add_probe_diagnostics(
            &mut reports,
            &workspace,
            &args.network,
            &args.select,
            &args.ignore,
        )?;
    }

    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    if args.diff {
        print!("{diffs}");
    }
    match args.format {
        Format::Human => print!("{}", human::render(&reports, color)),
        Format::Json => print!("{}", json::render(&reports)),
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let failing = threshold.is_some_and(|threshold| {
        reports
            .iter()
            .flat_map(|report| &report.diagnostics)
            .any(|diagnostic| diagnostic.severity >= threshold)
    });
    Ok(if failing { EXIT_FINDINGS } else { 0 })
}

fn selection_matches(code: &str, name: &str, selector: &str) -> bool {
    let selector = selector.trim();
    selector.eq_ignore_ascii_case("ALL")
        || name == selector
        || (!selector.is_empty()
            && code
                .to_ascii_uppercase()
                .starts_with(&selector.to_ascii_uppercase()))
}

fn lint_file(
    path: &Path,
    kind: FileKind,
    workspace: &Workspace,
    settings: &Settings,
    selection: &RuleSelection,
    args: &LintArgs,
) -> Result<(FileReport, Option<String>)> {
    let shown = path.to_string_lossy().into_owned();
    let text = match read_text(path) {
        Ok(FileText::Text(text)) => text,
        Ok(FileText::Unreadable {
            message,
            breaks_loaders,
        }) => {
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
        Err(error) => bail!("{}: {error}", path.display()),
    };
    let input = LintInput {
        path,
        text: &text,
        kind,
        is_template: is_template_by_name(&shown),
        is_committed: !workspace.is_ignored(path),
    };
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
                write_atomically(path, &fixed)?;
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

/// A unified diff of the fix with every secret masked on both sides.
fn masked_diff(path: &str, before: &str, after: &str, kind: FileKind) -> String {
    let before = redact(before, kind).text;
    let after = redact(after, kind).text;
    let diff = similar::TextDiff::from_lines(&before, &after);
    format!(
        "{}",
        diff.unified_diff()
            .context_radius(1)
            .header(&format!("a/{path}"), &format!("b/{path}"))
    )
}
