//! Consumers: the programs that read a config file, and the exact value each one gives
//! the application.
//!
//! Who reads a file decides what the application gets: `KEY="v"` is `v` for every
//! dotenv library but `"v"` with the quotes for `docker run --env-file`. Each env-file
//! consumer here re-implements its loader (docs/loaders.md says what each
//! one does and how that was established; dotenvy is a port of the crate's own parser), and
//! `scripts/conformance.sh` compares them with the real loaders.

mod compose;
mod docker;
mod dotenvy;
mod godotenv;
mod interpolate;
mod node_dotenv;
mod python_dotenv;
mod shell;

use std::borrow::Cow;
use std::sync::OnceLock;

pub use interpolate::{Interpolation, MAX_NESTING, expand_compose, find_interpolations};

use crate::syntax::simple_line::{SimpleLine, SimpleLines};

/// A program that reads a config file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Consumer {
    /// python-dotenv `load_dotenv()` with its defaults (no override, interpolation on).
    PythonDotenv,
    /// node `dotenv` (`require('dotenv').config()`), no dotenv-expand.
    NodeDotenv,
    /// Rust `dotenvy::dotenv()` / `from_path`: stops at the first bad line.
    Dotenvy,
    /// Go `godotenv.Load()`: one bad line fails the whole file.
    Godotenv,
    /// Docker Compose v2 reading `env_file:` or the project `.env` (compose-go).
    ComposeEnvFile,
    /// `docker run --env-file`: everything after `=`, verbatim.
    DockerEnvFile,
    /// A POSIX shell: `set -a; . ./.env`.
    Shell,
    /// A YAML value as written (Compose `environment:`, Kubernetes, workflows).
    YamlAsWritten,
}

impl Consumer {
    /// The env-file consumers, in the order messages list them.
    pub const ENV_FILE: [Consumer; 7] = [
        Consumer::PythonDotenv,
        Consumer::NodeDotenv,
        Consumer::Dotenvy,
        Consumer::Godotenv,
        Consumer::ComposeEnvFile,
        Consumer::DockerEnvFile,
        Consumer::Shell,
    ];

    /// How many kinds of consumer there are (the env-file loaders and YAML as written):
    /// room for one of each, where a row of them needs no vector.
    pub const KINDS: usize = Consumer::ENV_FILE.len() + 1;

    /// The loaders judged when keylint does not know who reads an env file. godotenv is
    /// judged only where the project shows it (a Go program that loads the file, or
    /// `--consumer`): its own quirks would otherwise be reported for every file.
    pub const COMMON: [Consumer; 6] = [
        Consumer::PythonDotenv,
        Consumer::NodeDotenv,
        Consumer::Dotenvy,
        Consumer::ComposeEnvFile,
        Consumer::DockerEnvFile,
        Consumer::Shell,
    ];

    /// Name used in configuration and on the command line.
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Consumer::PythonDotenv => "python-dotenv",
            Consumer::NodeDotenv => "node-dotenv",
            Consumer::Dotenvy => "dotenvy",
            Consumer::Godotenv => "godotenv",
            Consumer::ComposeEnvFile => "compose",
            Consumer::DockerEnvFile => "docker-env-file",
            Consumer::Shell => "shell",
            Consumer::YamlAsWritten => "yaml",
        }
    }

    /// Name used in messages.
    #[must_use]
    pub fn display_name(self) -> &'static str {
        match self {
            Consumer::PythonDotenv => "python-dotenv",
            Consumer::NodeDotenv => "node dotenv",
            Consumer::Dotenvy => "dotenvy",
            Consumer::Godotenv => "godotenv",
            Consumer::ComposeEnvFile => "Compose",
            Consumer::DockerEnvFile => "docker --env-file",
            Consumer::Shell => "a shell (`set -a; . .env`)",
            Consumer::YamlAsWritten => "YAML",
        }
    }

    /// The ids a user may name an env-file consumer by, for messages: `python-dotenv, …`.
    #[must_use]
    pub fn env_file_ids() -> String {
        Consumer::ENV_FILE.map(Consumer::id).join(", ")
    }

    #[must_use]
    pub fn from_id(id: &str) -> Option<Consumer> {
        [Consumer::YamlAsWritten]
            .into_iter()
            .chain(Consumer::ENV_FILE)
            .find(|consumer| consumer.id() == id)
    }

    /// Whether one bad line makes this consumer refuse the whole file, so the program gets
    /// nothing from it (Compose does not start, `docker run` exits, godotenv's `Load`
    /// returns an error).
    #[must_use]
    pub fn refuses_whole_file(self) -> bool {
        matches!(
            self,
            Consumer::ComposeEnvFile | Consumer::DockerEnvFile | Consumer::Godotenv
        )
    }

    /// Which duplicate of a name this consumer keeps.
    #[must_use]
    pub fn first_wins(self) -> bool {
        self == Consumer::Dotenvy
    }
}

/// What a consumer makes of one assignment, the value held as a `V` and the reason for
/// no value as an `R` (see [`Outcome`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutcomeOf<V, R = String> {
    /// The program receives exactly this string.
    Value(V),
    /// The program does not get this variable from this line; the text says why.
    Absent(R),
    /// The loader refuses: `docker run` exits, Compose does not start, `dotenv()` returns Err.
    Refused(R),
}

/// What a consumer makes of one assignment.
pub type Outcome = OutcomeOf<String>;

impl<V: std::ops::Deref<Target = str>, R> OutcomeOf<V, R> {
    #[must_use]
    pub fn value(&self) -> Option<&str> {
        match self {
            OutcomeOf::Value(value) => Some(&**value),
            _ => None,
        }
    }
}

impl<V, R> OutcomeOf<V, R> {
    pub(crate) fn map<W, S>(
        self,
        value: impl FnOnce(V) -> W,
        reason: impl FnOnce(R) -> S,
    ) -> OutcomeOf<W, S> {
        match self {
            OutcomeOf::Value(written) => OutcomeOf::Value(value(written)),
            OutcomeOf::Absent(why) => OutcomeOf::Absent(reason(why)),
            OutcomeOf::Refused(why) => OutcomeOf::Refused(reason(why)),
        }
    }
}

/// One variable as a consumer read it, name and value held as `S`s and a reason as an
/// `R` (see [`Loaded`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadedOf<S, R = String> {
    /// The name the consumer sees (it may differ from keylint's reading, e.g. `KEY:v`).
    pub name: S,
    /// Byte offset of the first character of the statement (after indentation and BOM);
    /// it ties the entry to keylint's [`crate::syntax::dotenv::Statement`].
    pub at: usize,
    pub outcome: OutcomeOf<S, R>,
}

/// One variable as a consumer read it.
pub type Loaded = LoadedOf<String>;

/// What the loader models read: names and values borrow from the text where they can,
/// so the many lines every loader reads alike cost no copies, and a reason given to many
/// lines (every line after the one that stopped dotenvy) is one shared text.
pub(crate) type Entry<'t> = LoadedOf<Cow<'t, str>, Reason>;

/// Why a model gives no value, shared between the entries it applies to.
pub(crate) type Reason = std::sync::Arc<str>;

/// What a loader model read from a file. The simple lines it read from their start, which
/// every loader reads alike, are kept as the lines themselves rather than as entries: most
/// lines of most files are such lines, and matching them to keylint's statements then
/// needs no entry built, compared or dropped.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Reading<'t> {
    pub(crate) entries: Vec<Entry<'t>>,
    /// In reading order, each with how many entries were read before it.
    pub(crate) plain: Vec<(&'t SimpleLine, usize)>,
    /// Why the loader refuses the whole file, when it does (Compose, godotenv): then
    /// nothing it read reaches the program, whatever its entries say.
    pub(crate) refused: Option<Reason>,
}

impl<'t> Reading<'t> {
    fn with_capacity(lines: usize) -> Reading<'t> {
        Reading {
            entries: Vec::with_capacity(lines),
            plain: Vec::with_capacity(lines),
            refused: None,
        }
    }

    /// The loader refuses the whole file, giving up at `at` (an entry of its own, with no
    /// name).
    fn refuse(&mut self, reason: Reason, at: usize) {
        self.entries.push(Entry {
            name: Cow::Borrowed(""),
            at,
            outcome: OutcomeOf::Refused(reason.clone()),
        });
        self.refused = Some(reason);
    }

    /// Reads `line` from its start: its value, unless a `$VAR` copy since the last entry
    /// passed the `budget` (a copy that gave no entry leaves that to the next one).
    fn push_simple(&mut self, line: &'t SimpleLine, budget: &ExpansionBudget, text: &'t str) {
        match budget.outcome(()) {
            OutcomeOf::Value(()) => self.push_plain(line),
            stopped => self.entries.push(Entry {
                name: line.name(text).into(),
                at: line.start(),
                outcome: stopped.map(|()| line.value(text).into(), |why| why),
            }),
        }
    }

    fn push_plain(&mut self, line: &'t SimpleLine) {
        self.plain.push((line, self.entries.len()));
    }

    /// Every reading as an entry, in reading order (`text` is the one read; `dropped` leads
    /// back to the original's offsets).
    pub(crate) fn into_entries(self, text: &'t str, dropped: &DroppedCr) -> Vec<Entry<'t>> {
        let mut merged = if self.plain.is_empty() {
            self.entries
        } else {
            let mut merged = Vec::with_capacity(self.entries.len() + self.plain.len());
            let mut entries = self.entries.into_iter();
            let mut taken = 0;
            for (line, entries_before) in self.plain {
                merged.extend(entries.by_ref().take(entries_before - taken));
                taken = entries_before;
                merged.push(plain_entry(line, text, dropped));
            }
            merged.extend(entries);
            merged
        };
        if let Some(reason) = self.refused {
            for entry in &mut merged {
                entry.outcome = OutcomeOf::Refused(reason.clone());
            }
        }
        merged
    }

    /// [`Reading::into_entries`] of a text read as it is, owned.
    pub(crate) fn into_loaded(self, text: &'t str) -> Vec<Loaded> {
        self.into_entries(text, &DroppedCr::default())
            .into_iter()
            .map(Entry::into_owned)
            .collect()
    }

    /// What was read from a copy of `original` with other line endings (`copy`, whose
    /// offsets `dropped` leads back), as read from the original: a plain line of the copy
    /// is the original's own where it has it there (a simple line holds no `\r`, so the
    /// copy's is the same text), else an entry.
    fn onto_original(
        mut self,
        copy: &'t str,
        dropped: &DroppedCr,
        original: &'t SimpleLines,
    ) -> Reading<'t> {
        let mut lines = original.cursor();
        let mut made_entries = 0;
        let entries = &mut self.entries;
        self.plain.retain_mut(|(line, entries_before)| {
            *entries_before += made_entries;
            if let Some(own) = lines.at(dropped.original_offset(line.start())) {
                *line = own;
                return true;
            }
            // Few: the lines of the original that hold a `\r`.
            entries.insert(*entries_before, plain_entry(line, copy, dropped));
            made_entries += 1;
            false
        });
        self
    }
}

impl<'t> From<Vec<Entry<'t>>> for Reading<'t> {
    fn from(entries: Vec<Entry<'t>>) -> Reading<'t> {
        Reading {
            entries,
            ..Reading::default()
        }
    }
}

/// The entry of a simple line read from its start.
pub(crate) fn plain_entry<'t>(line: &SimpleLine, text: &'t str, dropped: &DroppedCr) -> Entry<'t> {
    Entry {
        name: line.name(text).into(),
        at: dropped.original_offset(line.start()),
        outcome: OutcomeOf::Value(line.value(text).into()),
    }
}

impl Entry<'_> {
    pub(crate) fn into_owned(self) -> Loaded {
        Loaded {
            name: self.name.into_owned(),
            at: self.at,
            outcome: self.outcome.map(Cow::into_owned, |why| why.to_string()),
        }
    }

    /// The entry with nothing borrowed, to outlive the text it was read from.
    fn detached(self) -> Entry<'static> {
        Entry {
            name: Cow::Owned(self.name.into_owned()),
            at: self.at,
            outcome: self
                .outcome
                .map(|value| Cow::Owned(value.into_owned()), |why| why),
        }
    }
}

/// Go's `unicode.IsSpace` as godotenv and compose-go (which started from godotenv's
/// parser) use it: no `\n`, so a line break ends a value or a bare key.
fn is_go_space(character: char) -> bool {
    matches!(
        character,
        '\t' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    )
}

/// Where and why a Go-derived parser (godotenv, compose-go) gives up on a file.
struct Failure {
    at: usize,
    message: String,
}

/// How many bytes of `$VAR` copies one loader model makes for one file. Copies can grow
/// faster than the file (`B=${A}${A}`, `C=${B}${B}`, … doubles per line); real files stay
/// far below this, and past it a model stops expanding instead of filling memory.
pub const MAX_EXPANDED_BYTES: usize = 4 << 20;

/// Why a value is not given once the copies of a file pass [`MAX_EXPANDED_BYTES`].
pub const EXPANSION_STOPPED: &str =
    "keylint stops expanding `$VAR` references here: this file's copies pass 4 MiB";

/// The bytes of `$VAR` copies a model may still make while reading one file.
pub(crate) struct ExpansionBudget {
    /// `None` once spent: every later copy is refused too, so no value is built from a
    /// reference that was cut short.
    left: std::cell::Cell<Option<usize>>,
    /// Set when a copy was refused since the last [`ExpansionBudget::take_exhausted`].
    exhausted: std::cell::Cell<bool>,
}

impl Default for ExpansionBudget {
    fn default() -> ExpansionBudget {
        ExpansionBudget {
            left: std::cell::Cell::new(Some(MAX_EXPANDED_BYTES)),
            exhausted: std::cell::Cell::new(false),
        }
    }
}

impl ExpansionBudget {
    /// `Some(value)` when a copy of it still fits, `None` (and exhausted) when not.
    pub(crate) fn copy<'v>(&self, value: &'v str) -> Option<&'v str> {
        match self
            .left
            .get()
            .and_then(|left| left.checked_sub(value.len()))
        {
            Some(left) => {
                self.left.set(Some(left));
                Some(value)
            }
            None => {
                self.left.set(None);
                self.exhausted.set(true);
                None
            }
        }
    }

    /// `Some(())` while copies may still be made; once spent, `None` (and exhausted), so a
    /// lookup of a name without a value is refused as well.
    pub(crate) fn open(&self) -> Option<()> {
        self.copy("").map(|_| ())
    }

    /// Whether a copy was refused since the last call: the entry being read is then
    /// not given a (wrong) value.
    pub(crate) fn take_exhausted(&self) -> bool {
        self.exhausted.replace(false)
    }

    /// The outcome of an entry read with this budget.
    pub(crate) fn outcome<V>(&self, value: V) -> OutcomeOf<V, Reason> {
        if self.take_exhausted() {
            OutcomeOf::Absent(EXPANSION_STOPPED.into())
        } else {
            OutcomeOf::Value(value)
        }
    }
}

/// The reading of each name a loader has read so far that `$VAR` finds. Indexed lazily:
/// a file without references builds nothing, and each lookup first takes in the readings
/// added since the one before, so lookups stay cheap on files full of `$VAR`.
#[derive(Default)]
struct ByName<'t> {
    index: foldhash::HashMap<Cow<'t, str>, Found<'t>>,
    /// Entries and plain lines taken in so far.
    indexed: (usize, usize),
    keep: Keep,
}

/// Which reading of a name `$VAR` finds.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Keep {
    /// The last one.
    #[default]
    Last,
    /// The last one that gives a value: a shell line that sets nothing leaves the
    /// variable as it was.
    LastValue,
    /// The first one: dotenvy sets a variable only when it is not set yet.
    First,
}

/// A reading of a name: an entry (by index) or the value of a plain line.
#[derive(Clone, Copy)]
enum Found<'t> {
    Entry(usize),
    Plain(&'t str),
}

impl<'t> ByName<'t> {
    fn keeping(keep: Keep) -> ByName<'t> {
        ByName {
            keep,
            ..ByName::default()
        }
    }

    fn take(&mut self, name: Cow<'t, str>, found: Found<'t>) {
        if self.keep == Keep::First {
            self.index.entry(name).or_insert(found);
        } else {
            self.index.insert(name, found);
        }
    }

    /// The reading named `name` in `read` (which only ever grows between calls) of `text`
    /// that is kept: `Some` with its value, if it has one.
    fn get<'a>(
        &mut self,
        read: &'a Reading<'t>,
        text: &'t str,
        name: &str,
    ) -> Option<Option<&'a str>> {
        let (entries_indexed, plain_indexed) = self.indexed;
        // Room for the new readings at once, not a rehash each time the map fills.
        self.index
            .reserve(read.entries.len() - entries_indexed + read.plain.len() - plain_indexed);
        let mut plain = read.plain[plain_indexed..].iter().peekable();
        for position in entries_indexed..=read.entries.len() {
            // The plain lines read before this entry, then the entry.
            while let Some(&(line, _)) = plain.next_if(|&&(_, before)| before <= position) {
                self.take(line.name(text).into(), Found::Plain(line.value(text)));
            }
            if let Some(entry) = read.entries.get(position)
                && (self.keep != Keep::LastValue || entry.outcome.value().is_some())
            {
                self.take(entry.name.clone(), Found::Entry(position));
            }
        }
        self.indexed = (read.entries.len(), read.plain.len());
        self.index.get(name).map(|found| match *found {
            Found::Entry(position) => read.entries[position].outcome.value(),
            Found::Plain(value) => Some(value),
        })
    }
}

/// Reads an env file as `consumer` would, with an empty process environment.
#[must_use]
pub fn load_env_file(consumer: Consumer, text: &str) -> Vec<Loaded> {
    let universal = UniversalNewlines::default();
    let simple_lines = SimpleLines::new(text);
    read_env_file(consumer, text, &simple_lines, &universal).into_loaded(text)
}

/// [`load_env_file`], with the simple lines of `text` already found and its
/// universal-newline copy kept in `universal`, borrowing from them.
pub(crate) fn read_env_file<'t>(
    consumer: Consumer,
    text: &'t str,
    simple_lines: &'t SimpleLines,
    universal: &'t UniversalNewlines,
) -> Reading<'t> {
    match consumer {
        Consumer::PythonDotenv => universal.read(text, simple_lines, python_dotenv::load),
        Consumer::NodeDotenv => universal.read(text, simple_lines, node_dotenv::load),
        Consumer::Dotenvy => dotenvy::load(text, simple_lines),
        Consumer::Godotenv => godotenv::load(text, simple_lines),
        Consumer::ComposeEnvFile => compose::load(text, simple_lines),
        Consumer::DockerEnvFile => docker::load(text, simple_lines),
        Consumer::Shell => shell::load(text, simple_lines),
        Consumer::YamlAsWritten => Reading::default(),
    }
}

/// Reads an env file as Compose does for `env_file:` and the project `.env`, with `${VAR}`
/// looked up in `env` (the shell, then the project `.env`) before earlier lines.
#[must_use]
pub fn load_compose_env_file(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Vec<Loaded> {
    let simple_lines = SimpleLines::new(text);
    compose::load_with_env(text, &simple_lines, env).into_loaded(text)
}

/// Bytes of the UTF-8 byte order mark `text` starts with (0 or 3); the loaders that
/// strip it read from there.
fn bom_length(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// Offset of the first character that is not white space (or a BOM) at or after `from`.
fn skip_space(text: &str, from: usize, is_space: impl Fn(char) -> bool) -> usize {
    // Mostly called at a line's first character, a letter.
    if let Some(&byte) = text.as_bytes().get(from)
        && byte.is_ascii()
        && !is_space(char::from(byte))
    {
        return from;
    }
    text[from..]
        .char_indices()
        .find(|&(_, character)| !is_space(character))
        .map_or(text.len(), |(index, _)| from + index)
}

/// A copy of a text with `\r\n` and lone `\r` turned into `\n`, as Python's universal
/// newlines and node dotenv do (or only `\r\n`, as godotenv does), with its simple lines
/// and the way back to offsets in the original text.
#[derive(Clone, Debug)]
pub(crate) struct NormalizedNewlines {
    text: String,
    simple_lines: SimpleLines,
    dropped: DroppedCr,
}

/// Offsets (in a normalized copy) where a `\r` of a `\r\n` pair was dropped.
#[derive(Debug, Default, Clone)]
pub(crate) struct DroppedCr(Vec<usize>);

impl DroppedCr {
    fn original_offset(&self, offset: usize) -> usize {
        offset + self.0.partition_point(|&dropped| dropped <= offset)
    }
}

impl NormalizedNewlines {
    /// `None` when `original` has no `\r`, so that it is read as it is; `simple_lines`
    /// are the original's.
    fn new(
        original: &str,
        simple_lines: &SimpleLines,
        lone_cr_too: bool,
    ) -> Option<NormalizedNewlines> {
        if !original.contains('\r') {
            return None;
        }
        let mut text = String::with_capacity(original.len());
        let mut dropped = Vec::new();
        let bytes = original.as_bytes();
        let mut last = 0;
        for index in memchr::memchr_iter(b'\r', bytes) {
            text.push_str(&original[last..index]);
            if bytes.get(index + 1) == Some(&b'\n') {
                dropped.push(text.len());
            } else if lone_cr_too {
                text.push('\n');
            } else {
                text.push('\r');
            }
            last = index + 1;
        }
        text.push_str(&original[last..]);
        Some(NormalizedNewlines {
            simple_lines: SimpleLines::of_copy(original, simple_lines, &text),
            text,
            dropped: DroppedCr(dropped),
        })
    }

    /// Runs `read` on `original` with only `\r\n` made `\n` (godotenv); entries read from a
    /// changed copy are detached from it.
    fn read_crlf_only<'t>(
        original: &'t str,
        simple_lines: &SimpleLines,
        read: impl for<'x> FnOnce(&'x str, &SimpleLines, &DroppedCr) -> Reading<'x>,
    ) -> Reading<'t> {
        match NormalizedNewlines::new(original, simple_lines, false) {
            None => read(original, simple_lines, &DroppedCr::default()),
            Some(copy) => {
                let read = read(&copy.text, &copy.simple_lines, &copy.dropped);
                let refused = read.refused.clone();
                Reading {
                    entries: read
                        .into_entries(&copy.text, &copy.dropped)
                        .into_iter()
                        .map(Entry::detached)
                        .collect(),
                    refused,
                    ..Reading::default()
                }
            }
        }
    }
}

/// An env file's universal-newline copy (see [`NormalizedNewlines`]), made when a model
/// first needs it and then shared: python-dotenv and node dotenv both read it.
#[derive(Clone, Debug, Default)]
pub(crate) struct UniversalNewlines(OnceLock<Option<NormalizedNewlines>>);

impl UniversalNewlines {
    /// Runs `read` on the copy of `original` (or `original` itself when it has no `\r`)
    /// with its simple lines (`simple_lines` are the original's) and offsets back.
    fn read<'t>(
        &'t self,
        original: &'t str,
        simple_lines: &'t SimpleLines,
        read: impl FnOnce(&'t str, &'t SimpleLines, &DroppedCr) -> Reading<'t>,
    ) -> Reading<'t> {
        match self
            .0
            .get_or_init(|| NormalizedNewlines::new(original, simple_lines, true))
        {
            None => read(original, simple_lines, &DroppedCr::default()),
            Some(copy) => read(&copy.text, &copy.simple_lines, &copy.dropped).onto_original(
                &copy.text,
                &copy.dropped,
                simple_lines,
            ),
        }
    }
}

#[cfg(test)]
mod tests;
