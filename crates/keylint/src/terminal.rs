//! Writing to standard output and standard error, and deciding on colour.
//!
//! Every byte the commands print goes through [`stdout`] and [`stderr`]: output to a
//! closed pipe (`keylint lint | head -1`) stops quietly and the run ends with the exit code
//! it would have had, instead of panicking in `print!` as an internal error.

use std::io::{IoSlice, IsTerminal as _, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use clap::ValueEnum;

/// Set once standard output turned out closed: later output is dropped.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `text` to standard output. A closed pipe ends all further output silently; any
/// other write error is returned.
pub fn stdout(text: &str) -> std::io::Result<()> {
    stdout_all(&[text])
}

/// Writes `texts` to standard output one after another, as [`stdout`] writes one text,
/// without copying them into one first: the streamed report is a text per file.
pub fn stdout_all(texts: &[&str]) -> std::io::Result<()> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut slices: Vec<IoSlice> = texts
        .iter()
        .filter(|text| !text.is_empty())
        .map(|text| IoSlice::new(text.as_bytes()))
        .collect();
    if slices.is_empty() {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    match write_all_vectored(&mut out, &mut slices).and_then(|()| out.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        result => result,
    }
}

/// `write_all` for several buffers (the standard one is unstable).
fn write_all_vectored(out: &mut impl Write, mut slices: &mut [IoSlice]) -> std::io::Result<()> {
    while !slices.is_empty() {
        match out.write_vectored(slices) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(written) => IoSlice::advance_slices(&mut slices, written),
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

/// Writes `text` to standard error. Nothing to be done when that fails (closed, full), so
/// the error is dropped: a message must never turn into a crash.
pub fn stderr(text: &str) {
    let mut out = std::io::stderr().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// `keylint: warning: …` on standard error, masked and made printable.
pub fn warn(message: &str) {
    stderr(&format!(
        "keylint: warning: {}\n",
        keylint_core::mask::for_display_lines(message)
    ));
}

/// `--color`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless `NO_COLOR` or `TERM=dumb`; `FORCE_COLOR` or
    /// `CLICOLOR_FORCE` colour any output.
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour standard output (`to_stdout`) or a file.
    #[must_use]
    pub fn for_output(self, to_stdout: bool) -> bool {
        let terminal = to_stdout && std::io::stdout().is_terminal();
        self.decide(terminal, &|name| std::env::var_os(name))
    }

    /// The rules of `auto`, most important first: `NO_COLOR` (any non-empty value) turns
    /// colour off; `FORCE_COLOR` (non-empty, not `0`) or `CLICOLOR_FORCE` (not `0`) turn
    /// it on; `TERM=dumb` turns it off; otherwise a terminal gets colour.
    fn decide(self, terminal: bool, variable: &dyn Fn(&str) -> Option<std::ffi::OsString>) -> bool {
        let set = |name: &str| variable(name).filter(|value| !value.is_empty());
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                if set("NO_COLOR").is_some() {
                    false
                } else if set("FORCE_COLOR").is_some_and(|value| value != "0")
                    || set("CLICOLOR_FORCE").is_some_and(|value| value != "0")
                {
                    true
                } else if variable("TERM").is_some_and(|term| term == "dumb") {
                    false
                } else {
                    terminal
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(terminal: bool, variables: &[(&str, &str)]) -> bool {
        ColorChoice::Auto.decide(terminal, &|name| {
            variables
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.into())
        })
    }

    #[test]
    fn auto_colour_follows_the_usual_variables() {
        assert!(auto(true, &[]));
        assert!(!auto(false, &[]));
        assert!(auto(false, &[("FORCE_COLOR", "1")]));
        assert!(auto(false, &[("CLICOLOR_FORCE", "1")]));
        assert!(!auto(false, &[("FORCE_COLOR", "0")]));
        assert!(!auto(false, &[("FORCE_COLOR", "")]));
        assert!(!auto(true, &[("NO_COLOR", "1")]));
        assert!(auto(true, &[("NO_COLOR", "")]));
        assert!(!auto(true, &[("NO_COLOR", "1"), ("FORCE_COLOR", "1")]));
        assert!(!auto(true, &[("TERM", "dumb")]));
        assert!(auto(false, &[("TERM", "dumb"), ("FORCE_COLOR", "1")]));
        assert!(ColorChoice::Always.decide(false, &|_| None));
        assert!(!ColorChoice::Never.decide(true, &|_| None));
    }
}
