//! `keylint`: the command line. This crate is the only one that prints, chooses exit
//! codes or serialises output; everything it prints goes through [`terminal`].
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod baseline;
mod inspect_command;
mod inspect_names;
mod lint_command;
mod output;
mod patch;
mod probe_command;
mod rules_command;
mod terminal;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory as _, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "keylint",
    version,
    about = "Finds the config mistakes behind `401 invalid API key` in .env, Compose and YAML files"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lint files or directories (default: the current directory).
    Lint(lint_command::LintArgs),
    /// Ask the provider whether each key works, and explain why not (sends the key).
    Probe(probe_command::ProbeArgs),
    /// Show the exact value each program receives from an env file, a Compose service or a
    /// Kubernetes manifest.
    Inspect(inspect_command::InspectArgs),
    /// Run the language server on standard input and output (for editors).
    Lsp,
    /// List every rule.
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
    },
    /// Explain a rule: what it catches, why, and how to fix it.
    Explain {
        /// A rule code (KL101) or name (quotes-kept).
        #[arg(value_parser = lint_command::RuleSelector, hide_possible_values = true)]
        rule: String,
    },
    /// Print a shell completion script (`keylint completions bash > …`).
    Completions { shell: clap_complete::Shell },
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    Text,
    Json,
    Markdown,
}

/// Exit codes (a documented contract, docs/cli.md): 0 no findings at or above `--fail-on`, 1 findings, 2 usage or I/O error
/// (`probe` adds 3: no failure, but at least one key could not be judged).
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// A lint allocates and frees many small strings and vectors on several threads, which
/// mimalloc serves faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    hide_panic_messages();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Lint(args) => {
            if args.writes_files() {
                remove_unfinished_writes_on_signals();
            }
            lint_command::run(&args)
        }
        Command::Probe(args) => probe_command::run(&args),
        Command::Inspect(args) => inspect_command::run(&args),
        Command::Lsp => lsp(),
        Command::Rules { format } => rules_command::list(match format {
            RulesFormat::Text => rules_command::ListFormat::Text,
            RulesFormat::Json => rules_command::ListFormat::Json,
            RulesFormat::Markdown => rules_command::ListFormat::Markdown,
        }),
        Command::Explain { rule } => rules_command::explain(&rule),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "keylint", &mut script);
            terminal::stdout(&String::from_utf8_lossy(&script))
                .map(|()| 0)
                .map_err(anyhow::Error::from)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            // Errors name paths and quote config lines: masked and made printable like
            // every other output.
            let message = format!("{error:#}");
            terminal::stderr(&format!(
                "keylint: error: {}\n",
                keylint_core::mask::for_display_lines(&message)
            ));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// A panic message can quote the text keylint was reading (a bad string slice prints up
/// to 256 bytes of it, a key included): show where it happened, never what it says. The
/// server catches panics per request and logs through this hook too.
fn hide_panic_messages() {
    std::panic::set_hook(Box::new(|info| {
        let place = info.location().map_or_else(
            || "an unknown place".to_string(),
            |location| format!("{}:{}", location.file(), location.line()),
        );
        terminal::stderr(&format!(
            "keylint: internal error at {place} (its message is withheld, as it may quote a secret); please report it\n"
        ));
    }));
}

/// Ctrl-C, SIGTERM or SIGHUP during `--fix` or `--output` must not leave a temporary copy
/// of a secret file behind: the handler removes unfinished writes, then exits as the
/// signal would (128 + its number).
fn remove_unfinished_writes_on_signals() {
    #[cfg(unix)]
    std::thread::spawn(|| {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
        else {
            return;
        };
        runtime.block_on(async {
            let (Ok(mut interrupt), Ok(mut terminate), Ok(mut hangup)) = (
                signal(SignalKind::interrupt()),
                signal(SignalKind::terminate()),
                signal(SignalKind::hangup()),
            ) else {
                return;
            };
            let number = tokio::select! {
                _ = interrupt.recv() => 2,
                _ = terminate.recv() => 15,
                _ = hangup.recv() => 1,
            };
            keylint_workspace::write::remove_unfinished();
            std::process::exit(128 + number);
        });
    });
}

/// `keylint lsp`: serves until the client sends `exit`, then leaves at once (probe
/// tasks still running are dropped).
fn lsp() -> anyhow::Result<u8> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let code = runtime.block_on(keylint_lsp::run_stdio());
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    Ok(code)
}

/// Paths as given, `.` when none.
fn paths_or_current(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    }
}
