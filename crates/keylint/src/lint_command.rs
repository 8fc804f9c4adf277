//! `keylint lint`: discover, lint files in parallel, fix, print, choose the exit code.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::{IsTerminal as _, Read as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use anyhow::{Result, bail};
use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use keylint_core::assignment::ParsedFile;
use keylint_core::consumer::Consumer;
use keylint_core::mask::for_display;
use keylint_core::rules::rule;
use keylint_core::source::FileKind;
use keylint_core::{Diagnostic, Severity};
use keylint_workspace::config::{ConfigChoice, Configs};
use keylint_workspace::discover::{self, discover_with};
use keylint_workspace::files::FileText;
use keylint_workspace::lint::{Applied, with_texts};
use keylint_workspace::write::{write_fixed, write_report};
use keylint_workspace::{FixTarget, Fixed, Index, Overrides, Workspace, fix_files};
use rayon::prelude::*;

use crate::output::{FileReport, Summary, concise, github, human, json, sarif, statistics};
use crate::patch::{Change, FilePatch, Refusal, file_patch, path_in_patch};
use crate::terminal::{ColorChoice, stderr, stdout, stdout_all, warn};
use crate::{EXIT_FINDINGS, baseline, paths_or_current};

#[derive(Args)]
pub struct LintArgs {
    /// Files or directories to lint; `-` reads standard input (as --stdin).
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to FILE (atomically) instead of standard output; with --diff,
    /// the patch.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit 1 when a finding at or above this severity remains [default: warning, or
    /// `fail-on` of the config].
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Exit 0 even when findings remain (2 still means a usage or I/O error).
    #[arg(long)]
    exit_zero: bool,
    /// Print the findings and nothing else: no summary, no account of fixes.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Print how many findings of each rule instead of the findings.
    #[arg(long, conflicts_with = "diff")]
    statistics: bool,
    /// Only these rules (codes, prefixes like KL3, or names), comma-separated.
    /// Replaces `select` of the config.
    #[arg(long, value_delimiter = ',', value_parser = RuleSelector, hide_possible_values = true)]
    select: Vec<String>,
    /// Skip these rules, comma-separated. Replaces `ignore` of the config.
    #[arg(long, value_delimiter = ',', value_parser = RuleSelector, hide_possible_values = true)]
    ignore: Vec<String>,
    /// Use this config file instead of looking for keylint.toml or .keylint.toml.
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Read no config file.
    #[arg(long)]
    no_config: bool,
    /// Lint the text on standard input (judged by --stdin-filename; project context
    /// from the current directory). `keylint lint -` does the same.
    #[arg(long, conflicts_with_all = ["paths", "fix", "diff"])]
    stdin: bool,
    /// The path the standard input is judged by, e.g. `compose.yaml` [default: .env].
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// Apply safe fixes in place (atomically), and say what was fixed.
    #[arg(long)]
    fix: bool,
    /// Also apply unsafe fixes (renames, moved values).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print what --fix would change as a patch for `git apply` (and nothing else on
    /// standard output), and change nothing (also with --fix).
    #[arg(long)]
    diff: bool,
    /// Do not report the findings recorded in FILE (by --write-baseline).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record every finding in FILE (fingerprints only, no values), then report none.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// An env file Compose interpolation also reads (`docker compose --env-file`).
    #[arg(long = "env-file", value_name = "PATH")]
    env_files: Vec<PathBuf>,
    /// Who reads matching env files, e.g. `deploy/*.env=docker-env-file`.
    /// Consumers: python-dotenv, node-dotenv, dotenvy, godotenv, compose, docker-env-file, shell.
    #[arg(long = "consumer", value_name = "GLOB=CONSUMER")]
    consumers: Vec<String>,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Also ask the providers whether the keys in env files work (sends each key to
    /// its provider; adds KL6xx findings). Off unless given.
    #[arg(long)]
    probe: bool,
    #[command(flatten)]
    network: crate::probe_command::NetworkArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Each finding with its source lines (secrets masked) and fix.
    Human,
    /// One line per finding: `path:line:col: CODE message`.
    Concise,
    /// The JSON contract, version 1 (fields are only ever added).
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

/// A `--select`/`--ignore` value: any text (checked once all are known, with a message
/// that names the bad one), completed in shells with the rule codes.
#[derive(Clone)]
pub struct RuleSelector;

impl TypedValueParser for RuleSelector {
    type Value = String;

    fn parse_ref(
        &self,
        command: &clap::Command,
        argument: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(command, argument, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(keylint_core::rules::RULES.iter().map(|rule| {
            PossibleValue::new(rule.code).help(rule.summary)
        })))
    }
}

/// A progress bar is shown (on a terminal, outside CI) when linting more files than this.
const PROGRESS_MIN_FILES: usize = 200;

impl LintArgs {
    /// Whether this run may write files (fixes, a report, a baseline), whose unfinished
    /// temporary copies a signal must remove.
    #[must_use]
    pub fn writes_files(&self) -> bool {
        self.fix || self.output.is_some() || self.write_baseline.is_some()
    }
}

pub fn run(args: &LintArgs) -> Result<u8> {
    for selector in args.select.iter().chain(&args.ignore) {
        if !keylint_core::rules::is_known_selector(selector) {
            bail!("unknown rule `{selector}` in --select/--ignore (see `keylint rules`)");
        }
    }
    let reads_stdin = args.stdin || args.paths.iter().any(|path| path.as_os_str() == "-");
    if reads_stdin && args.paths.len() > 1 {
        bail!("`-` (standard input) cannot be linted together with other paths");
    }
    if reads_stdin && (args.fix || args.diff) {
        bail!("--fix and --diff change files: they do not combine with standard input");
    }
    if args.stdin_filename.is_some() && !reads_stdin {
        bail!("--stdin-filename names standard input: use it with --stdin or `-`");
    }
    if args.statistics && matches!(args.format, Format::Sarif | Format::Github) {
        bail!(
            "--statistics prints a table (human, concise) or JSON (json), not SARIF or GitHub commands"
        );
    }
    let stdin_name = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from(".env"));
    let paths = if reads_stdin {
        Vec::new()
    } else {
        paths_or_current(&args.paths)
    };
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
                bail!(
                    "--consumer takes GLOB=CONSUMER, got `{pair}` (consumers: {})",
                    Consumer::env_file_ids()
                )
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

    let (discovery, stdin_text) = if reads_stdin {
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
    for dir in &discovery.empty_dirs {
        warn(&format!(
            "{}: no file here that keylint reads (env files, Compose, Kubernetes and workflow YAML)",
            dir.display()
        ));
    }
    // Every config that governs a linted file must be valid: a broken one is a usage
    // error (exit 2) naming its file and line, before anything is linted.
    let first = if reads_stdin { &stdin_name } else { &paths[0] };
    let governing = configs.for_path(first).map_err(anyhow::Error::msg)?;
    for path in &discovery.targets {
        configs.for_file(path).map_err(anyhow::Error::msg)?;
    }
    let index = if reads_stdin {
        Index::from_discovery(&discovery)
    } else {
        Index::read_once(&discovery, KEPT_TEXT_BYTES)
    };
    let workspace = Workspace::new(index, configs, overrides);

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
    let threshold = match args.fail_on {
        Some(FailOn::Error) => Some(Severity::Error),
        Some(FailOn::Warning) => Some(Severity::Warning),
        Some(FailOn::Info) => Some(Severity::Info),
        Some(FailOn::Never) => None,
        None => governing
            .and_then(|config| config.fail_on)
            .unwrap_or(Some(Severity::Warning)),
    };
    let load = |path: &PathBuf| load_file(&workspace, &discovery, stdin_text.clone(), path);
    let shows_lines = args.format == Format::Human && !args.statistics && !args.diff;
    if is_streamed(args) {
        // Findings only, to standard output: each chunk of files is read, linted and drawn
        // file by file (each on the thread that linted it), and written while the next
        // chunk is linted, so memory stays flat however big the tree.
        let drawer = FindingsDrawer::new(args);
        let lint_chunk = |chunk: &[PathBuf]| {
            chunk
                .par_iter()
                .map(|path| {
                    let (path, kind, text) = load(path)?;
                    let report =
                        lint_report(&path, kind, text, &workspace, shows_lines, &progress)?;
                    let one = std::slice::from_ref(&report);
                    Ok(Drawn {
                        summary: Summary::of(one),
                        failing: is_failing(threshold, one),
                        text: drawer.file(&report),
                    })
                })
                .collect::<Result<Vec<Drawn>>>()
        };
        let write = |drawn: Vec<Drawn>| {
            let texts: Vec<&str> = drawn.iter().map(|file| file.text.as_str()).collect();
            progress.suspend(|| stdout_all(&texts))
        };
        let mut summary = Summary::default();
        let mut failing = false;
        let mut drawn = Vec::new();
        for chunk in discovery.targets.chunks(STREAM_CHUNK) {
            let (linted, written) = rayon::join(|| lint_chunk(chunk), || write(drawn));
            written?;
            drawn = linted?;
            for file in &drawn {
                summary.add(&file.summary);
                failing |= file.failing;
            }
        }
        write(drawn)?;
        progress.finish_and_clear();
        if !args.quiet {
            stdout(&human::summary_line(&summary))?;
        }
        leave_to_exit((workspace, discovery));
        return Ok(exit_code(failing, args));
    }
    let files: Vec<Result<(PathBuf, FileKind, FileText)>> =
        discovery.targets.par_iter().map(load).collect();
    let files = files.into_iter().collect::<Result<Vec<_>>>()?;
    // --diff wins over --fix, as in ruff: nothing is written.
    let writes = args.fix && !args.diff;
    let fixes = if args.fix || args.diff {
        fix_all(&workspace, &files, args.unsafe_fixes)?
    } else {
        Vec::new()
    };
    // After --fix: the findings of the final texts, against the final texts of the
    // other files. --diff reports on the files as they are.
    let linted = if writes && !fixes.is_empty() {
        let (targets, fixed): (Vec<FixTarget>, Vec<Fixed>) = fixes.iter().cloned().unzip();
        with_texts(&workspace, &targets, &fixed)
    } else {
        workspace.clone()
    };
    let results: Vec<Result<FileReport>> = files
        .par_iter()
        .map(|(path, kind, text)| {
            let text = match text {
                FileText::Text(original) => {
                    let fixed = fixes
                        .iter()
                        .find(|(target, _)| &target.path == path)
                        .filter(|_| writes)
                        .map_or(original.as_str(), |(_, fixed)| fixed.text.as_str());
                    FileText::Text(fixed.to_string())
                }
                unreadable => unreadable.clone(),
            };
            lint_report(path, *kind, text, &linted, shows_lines, &progress)
        })
        .collect();
    progress.finish_and_clear();
    let mut reports = results.into_iter().collect::<Result<Vec<_>>>()?;
    if args.diff {
        let patch = patch_and_account(&fixes, args.quiet);
        match &args.output {
            Some(path) => write_report(path, &patch)?,
            None => stdout(&patch)?,
        }
    } else {
        for (target, fixed) in &fixes {
            write_fixed(&target.path, &target.text, &fixed.text)?;
            if !args.quiet {
                stderr(&account("Fixed", &target.path, &fixed.applied));
            }
        }
    }
    if args.probe {
        // The KL6xx rules report what the probe said: lint the probed files again with it.
        let probed = crate::probe_command::probe_env_files(&reports, &linted, &args.network)?;
        for (position, keys) in probed {
            let report = &mut reports[position];
            let Some(text) = report.text.as_deref() else {
                continue;
            };
            report.diagnostics =
                linted.lint_probed(Path::new(&report.path), text, report.kind, &keys);
        }
    }
    if let Some(path) = &args.write_baseline {
        let count = baseline::write(path, &reports)?;
        if !args.quiet {
            stderr(&format!(
                "Recorded {} in {} (fingerprints only).\n",
                plural(count, "finding"),
                for_display(&path.to_string_lossy())
            ));
        }
    }
    let known = match (&args.write_baseline, &args.baseline) {
        (Some(written), _) => Some(baseline::read(written)?),
        (None, Some(path)) => Some(baseline::read(path)?),
        (None, None) => None,
    };
    if let Some(known) = known {
        known.hide_known(&mut reports);
    }

    let report = (!args.diff).then(|| render(args, &reports));
    if let Some(report) = &report {
        match &args.output {
            Some(path) => write_report(path, report)?,
            None => stdout(report)?,
        }
    }
    let code = exit_code(is_failing(threshold, &reports), args);
    leave_to_exit((report, reports, files, fixes, linted, workspace, discovery));
    Ok(code)
}

/// What a lint built (the walk, the index, the files, their reports and the report
/// written) is freed by the process exit, all at once, rather than piece by piece: `run`
/// is the last thing `keylint lint` does.
fn leave_to_exit<T>(built: T) {
    std::mem::forget(built);
}

/// How many bytes of the files to lint a first read (for the names they set) keeps for
/// the lint, which then reads only the others again: enough for most trees, and a bound
/// on the memory they hold.
const KEPT_TEXT_BYTES: usize = 2 << 20;

/// Files per chunk of a streamed report: enough for both cores to share the work.
const STREAM_CHUNK: usize = 256;

/// One file of a streamed report: its findings drawn, and what the summary and the exit
/// code need of them.
struct Drawn {
    summary: Summary,
    failing: bool,
    text: String,
}

/// Whether the report is written chunk by chunk as files are linted: findings in the
/// human or concise format to standard output, and nothing that needs every file's
/// findings first (fixes, baselines, the probe, statistics, a report file).
fn is_streamed(args: &LintArgs) -> bool {
    matches!(args.format, Format::Human | Format::Concise)
        && !(args.fix
            || args.diff
            || args.probe
            || args.statistics
            || args.output.is_some()
            || args.baseline.is_some()
            || args.write_baseline.is_some())
}

/// The path, kind and text of one file to lint: `read` when it was read already
/// (standard input, or a text the index kept), else read now.
fn load_file(
    workspace: &Workspace,
    discovery: &discover::Discovery,
    read: Option<FileText>,
    path: &PathBuf,
) -> Result<(PathBuf, FileKind, FileText)> {
    let Some(kind) = workspace.kind_of(path, discovery.named.contains(path)) else {
        bail!("{}: not a file keylint reads", path.display())
    };
    let text = match read {
        Some(text) => text,
        None if discovery.skipped.contains_key(path) => FileText::Unreadable {
            message: discovery.skipped[path].clone(),
            breaks_loaders: false,
        },
        None => match workspace.read_target(path) {
            Ok(text) => text,
            Err(error) => bail!("{}: {error}", path.display()),
        },
    };
    Ok((path.clone(), kind, text))
}

/// [`report_file`], with an internal error turned into a failure naming the file.
fn lint_report(
    path: &Path,
    kind: FileKind,
    text: FileText,
    workspace: &Workspace,
    shows_lines: bool,
    progress: &ProgressBar,
) -> Result<FileReport> {
    let linted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        report_file(path, kind, text, workspace, shows_lines)
    }));
    progress.inc(1);
    // The panic hook has said where; the run fails without showing this file's report.
    linted.map_err(|_| {
        anyhow::anyhow!(
            "{}: keylint hit an internal error on this file",
            path.display()
        )
    })
}

fn is_failing(threshold: Option<Severity>, reports: &[FileReport]) -> bool {
    threshold.is_some_and(|threshold| {
        reports
            .iter()
            .flat_map(|report| &report.diagnostics)
            .any(|diagnostic| diagnostic.severity >= threshold)
    })
}

fn exit_code(failing: bool, args: &LintArgs) -> u8 {
    if failing && !args.exit_zero {
        EXIT_FINDINGS
    } else {
        0
    }
}

/// The findings in the human or concise format, without the summary line.
fn render_findings(args: &LintArgs, reports: &[FileReport]) -> String {
    let drawer = FindingsDrawer::new(args);
    // Files are masked and drawn side by side: on a big tree this is a fair share of the run.
    reports
        .par_iter()
        .map(|report| drawer.file(report))
        .collect()
}

/// Draws one file's findings in the human or concise format: the streamed report and the
/// whole one draw each file the same way.
struct FindingsDrawer {
    concise: bool,
    color: bool,
    human: human::Drawer,
}

impl FindingsDrawer {
    fn new(args: &LintArgs) -> FindingsDrawer {
        let color = args.color.for_output(args.output.is_none());
        FindingsDrawer {
            concise: args.format == Format::Concise,
            color,
            human: human::Drawer::new(color),
        }
    }

    fn file(&self, report: &FileReport) -> String {
        if self.concise {
            let mut text = String::new();
            concise::render_file(&mut text, report, self.color);
            text
        } else {
            self.human.file(report)
        }
    }
}

/// The report in the chosen format (and `--statistics`, `--quiet`).
fn render(args: &LintArgs, reports: &[FileReport]) -> String {
    let summary = || {
        if args.quiet {
            String::new()
        } else {
            human::summary_line(&Summary::of(reports))
        }
    };
    match (args.format, args.statistics) {
        (Format::Human | Format::Concise, true) => statistics::render_text(reports),
        (Format::Json, true) => statistics::render_json(reports),
        (Format::Human | Format::Concise, false) => render_findings(args, reports) + &summary(),
        (Format::Json, false) => json::render(reports),
        (Format::Sarif, _) => sarif::render(reports),
        (Format::Github, _) => github::render(reports),
    }
}

fn plural(count: usize, word: &str) -> String {
    format!("{count} {word}{}", if count == 1 { "" } else { "s" })
}

/// `Fixed 3 findings in .env (KL102 ×2, KL103)`.
fn account(verb: &str, path: &Path, applied: &[Applied]) -> String {
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    for fix in applied {
        *by_code.entry(fix.code).or_default() += 1;
    }
    let codes: Vec<String> = by_code
        .into_iter()
        .map(|(code, count)| {
            if count == 1 {
                code.to_string()
            } else {
                format!("{code} ×{count}")
            }
        })
        .collect();
    format!(
        "{verb} {} in {} ({})\n",
        plural(applied.len(), "finding"),
        for_display(&path.to_string_lossy()),
        codes.join(", ")
    )
}

/// `--diff`: the patch of every fixed file (returned, for standard output), and on
/// standard error what each would fix and, for a file patched as binary, what changes
/// with its secrets masked.
fn patch_and_account(fixes: &[(FixTarget, Fixed)], quiet: bool) -> String {
    let mut patch = String::new();
    for (target, fixed) in fixes {
        let path = path_in_patch(&target.path);
        if keylint_core::mask::redact(&path) != path {
            warn(&format!(
                "{}: its name looks like a secret, so it is left out of the patch",
                for_display(&path)
            ));
            continue;
        }
        let change = Change {
            path: &path,
            kind: target.kind,
            before: &target.text,
            after: &fixed.text,
            provenance: &fixed.provenance,
        };
        let file = match file_patch(&change) {
            Ok(file) => file,
            Err(refusal) => {
                let why = match refusal {
                    Refusal::WritesASecret => {
                        "its fix writes a secret anew (a re-encoded value), which the patch would have to carry"
                    }
                    Refusal::TooBig => "the file is too big for a binary patch",
                };
                warn(&format!(
                    "{path}: left out of the patch ({why}); --fix applies it"
                ));
                continue;
            }
        };
        if !quiet {
            stderr(&account("Would fix", &target.path, &fixed.applied));
        }
        match file {
            FilePatch::Text(text) => patch.push_str(&text),
            FilePatch::Binary {
                patch: binary,
                masked_view,
            } => {
                patch.push_str(&binary);
                if !quiet {
                    stderr(&format!(
                        "  as a binary patch (a line it changes holds a secret); what it changes, secrets masked:\n{masked_view}"
                    ));
                }
            }
        }
    }
    patch
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

/// The findings of one file; with `shows_lines`, also what the human report masks in
/// its source lines, judged on the lint's parse instead of parsing the file again.
fn report_file(
    path: &Path,
    kind: FileKind,
    text: FileText,
    workspace: &Workspace,
    shows_lines: bool,
) -> FileReport {
    let shown = path.to_string_lossy().into_owned();
    match text {
        FileText::Text(text) => {
            let parsed = ParsedFile::parse(kind, &text);
            let index = OnceLock::new();
            let diagnostics = workspace.lint_parsed(path, &text, &parsed, &index);
            let lines = (shows_lines && !diagnostics.is_empty())
                .then(|| human::ShownLines::of(&text, &parsed, index.into_inner(), &diagnostics));
            FileReport {
                diagnostics,
                path: shown,
                text: Some(text),
                kind,
                shown: lines,
            }
        }
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
                shown: None,
            }
        }
    }
}
