//! A small `tracing` subscriber that writes one line per event to standard error (the
//! editor's log for the server). Level from `KEYLINT_LOG` (`error`, `warn` — the
//! default —, `info`, `debug`). Events carry at most a host and a status; each line still
//! goes through the one masking path, so a path or name holding a key is masked too.

use std::fmt::Write as _;
use std::io::Write as _;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

struct StderrLog {
    max: Level,
}

struct Line(String);

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, " {value:?}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }
}

impl Subscriber for StderrLog {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        *metadata.level() <= self.max
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut line = Line(format!("keylint lsp {}:", event.metadata().level()));
        event.record(&mut line);
        let _ = writeln!(
            std::io::stderr().lock(),
            "{}",
            keylint_core::mask::for_display(&line.0)
        );
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

/// Installs the logger once; later calls (tests) do nothing.
pub fn init() {
    let max = match std::env::var("KEYLINT_LOG").as_deref() {
        Ok("error") => Level::ERROR,
        Ok("info") => Level::INFO,
        Ok("debug" | "trace") => Level::DEBUG,
        _ => Level::WARN,
    };
    let _ = tracing::subscriber::set_global_default(StderrLog { max });
}
