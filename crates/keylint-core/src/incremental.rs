//! Linting an env file again after an edit, judging again only what the edit can affect
//! (the language server's keystrokes on long files).
//!
//! Most lines of a long `.env` are *inert*: a safe line (below) whose name no rule looks
//! up across lines (not a provider variable, not a near miss of one, not key-like, not
//! read by the project's code, no provider word in it) and whose value is not
//! key-shaped. Such a line has the findings it has on its own and with the lines of the
//! same name, and no other line's findings depend on it. So a lint of the text with
//! inert lines replaced by comment lines of their length (same offsets, same line
//! numbers) finds exactly what a lint of the whole text finds, as long as the lines
//! kept include the edited ones, the ones that found something last time, the first
//! and the last line, and every line sharing a name with those or with a removed line.
//! What a lint keeps for the next is, per line: inert or not, found something or not
//! (before inline suppressions, so a suppressed finding keeps its line and the
//! suppression stays used). The rules read the kept lines with the others shortened to
//! `#` (line numbers stay; offsets are mapped back, fixes included), so an edit costs
//! about the kept lines, not the file; hover gets the parse of the full-length text on
//! first use.
//!
//! Safe lines are the ones every loader reads from the start of a line to its end, the
//! same way wherever they stand: simple lines (`syntax::simple_line`: no `$`, no quote
//! left open, no `\r`), comment lines starting with `#` and blank lines. A text with any
//! other line (an open quote changes the reading of everything after it, a `$VAR`
//! depends on earlier lines), a byte order mark, a probe result or another kind of file
//! is linted whole, and so is a Compose text the YAML parser gives up on (where and why
//! it stops depends on the lines left out too). `tests/incremental.rs` checks that after any sequence of edits the
//! result is the one of a whole lint of the final text.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use crate::assignment::{PARALLEL_BYTES, ParsedFile};
use crate::diagnostic::Diagnostic;
use crate::helpers::contains_ignore_ascii_case;
use crate::linter::{LintInput, RuleSelection, finish, rule_findings};
use crate::mask::is_secret_value;
use crate::project::{Project, Settings};
use crate::provider;
use crate::rules::{is_key_name, is_near_miss};
use crate::source::FileKind;
use crate::syntax::simple_line;

/// Words in a variable name that some rule reads across lines (providers, endpoints,
/// organizations, keys): a name holding one is never inert.
const PROVIDER_WORDS: [&str; 16] = [
    "API",
    "KEY",
    "TOKEN",
    "SECRET",
    "PASS",
    "ORG",
    "PROJECT",
    "BASE",
    "URL",
    "ENDPOINT",
    "OPENAI",
    "AZURE",
    "ANTHROPIC",
    "GEMINI",
    "GOOGLE",
    "DEPLOYMENT",
];

/// What one env document's last lint leaves for the next.
#[derive(Debug, Default)]
pub struct EnvSession {
    /// The text last linted and its lines, when every line of it was safe.
    last: Option<Linted>,
}

#[derive(Debug)]
struct Linted {
    text: Arc<str>,
    starts: Arc<[usize]>,
    /// Per line of `text`.
    lines: Vec<LineState>,
}

#[derive(Clone, Copy, Debug)]
struct LineState {
    role: Role,
    inert: bool,
    /// A hash of the variable the line sets, 0 for none: lines are matched by name
    /// through it (a collision only keeps one line more).
    name: u64,
    /// A rule found something starting on this line.
    found: bool,
}

/// What a line is to the file's structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// An env file's line, or a comment, blank or `environment:` entry of a Compose file:
    /// may be left out when inert.
    Free,
    /// The first entry of a Compose `environment:` (left out, it would leave the mapping
    /// empty): never left out.
    First,
    /// Any other line of a Compose file (services, keys): never left out, and an edit
    /// of one is linted whole.
    Structural,
}

impl EnvSession {
    /// Forgets the last lint: the next one reads the whole text (for when the project,
    /// the settings or the selection changed).
    pub fn reset(&mut self) {
        self.last = None;
    }

    /// [`crate::lint_parsed`] of `input`, judging again only the lines an edit since the
    /// last call can affect, where it can. Also returns the parse, for hover: where
    /// lines were left out they are blank in it, but every line a hover or a probe asks
    /// about (provider variables, key-shaped values) is there.
    pub fn lint(
        &mut self,
        input: &LintInput,
        project: &dyn Project,
        settings: &Settings,
        selection: &RuleSelection,
    ) -> (Vec<Diagnostic>, LazyParse) {
        let last = self.last.take();
        let starts = line_starts(input.text);
        let roles = match input.kind {
            FileKind::EnvFile => Some(vec![Role::Free; starts.len()]),
            FileKind::Compose => compose_roles(input.text, &starts),
            _ => None,
        };
        let Some(roles) =
            roles.filter(|_| input.probed.is_none() && !input.text.starts_with('\u{feff}'))
        else {
            let ((diagnostics, parsed), _) = lint_text(
                input,
                project,
                settings,
                selection,
                is_big(input.text.len()),
            );
            return (diagnostics, LazyParse::whole(parsed));
        };
        let classify = |line: usize| {
            let range = line_range(input.text, &starts, line);
            match input.kind {
                FileKind::EnvFile => classify(input.text, range, project, settings),
                _ => classify_compose(&input.text[range], roles[line], project, settings),
            }
        };
        let name_key = |line: usize| name_key(input.kind, line_text(input.text, &starts, line));
        let Some(edit) = last.as_ref().and_then(|last| {
            Edit::between(last, input.text, &starts, &roles, &classify, &name_key)
        }) else {
            // Nothing to start from: the whole text, then the states of all its lines.
            let (linted, found) = lint_text(
                input,
                project,
                settings,
                selection,
                is_big(input.text.len()),
            );
            let lines: Option<Vec<LineState>> = (0..starts.len())
                .map(|line| {
                    Some(LineState {
                        role: roles[line],
                        inert: classify(line)?,
                        name: name_key(line),
                        found: false,
                    })
                })
                .collect();
            self.last = lines.map(|mut lines| {
                mark_found(&mut lines, &starts, &found);
                Linted {
                    text: Arc::from(input.text),
                    starts: Arc::from(starts),
                    lines,
                }
            });
            let (diagnostics, parsed) = linted;
            return (diagnostics, LazyParse::whole(parsed));
        };
        let last = last.expect("an edit is found only from a last lint");
        let kept = kept_lines(&edit.lines, &edit.edited, &edit.removed_names(&last));
        let mut lines = edit.lines;
        // The rules read the kept lines only, the others shortened to `#` (line numbers
        // stay, so messages that name a line are right); offsets are mapped back.
        let short = shorten(input.text, &starts, &kept);
        let partial = LintInput {
            text: &short.text,
            ..*input
        };
        let ((mut diagnostics, short_parsed), found) = lint_text(
            &partial,
            project,
            settings,
            selection,
            is_big(short.kept_bytes),
        );
        // Where a YAML parser gives up, and why, depends on every line after the fault,
        // the left-out ones too: such a text is linted whole (the last lint is taken,
        // so this call reads it whole).
        if short_parsed
            .yaml
            .as_ref()
            .is_some_and(|yaml| yaml.error.is_some())
        {
            return self.lint(input, project, settings, selection);
        }
        for line in &mut lines {
            line.found = false;
        }
        let found: Vec<Range<usize>> = found.iter().map(|range| short.original(range)).collect();
        mark_found(&mut lines, &starts, &found);
        for diagnostic in &mut diagnostics {
            diagnostic.range = short.original(&diagnostic.range);
            for edit in diagnostic.fix.iter_mut().flat_map(|fix| &mut fix.edits) {
                edit.range = short.original(&edit.range);
            }
        }
        let text: Arc<str> = Arc::from(input.text);
        let starts: Arc<[usize]> = Arc::from(starts);
        let parse = LazyParse::left_out(LeftOut {
            kind: input.kind,
            text: Arc::clone(&text),
            starts: Arc::clone(&starts),
            kept,
        });
        self.last = Some(Linted {
            text,
            starts,
            lines,
        });
        (diagnostics, parse)
    }
}

/// The parse behind a lint's findings, for hover and the probe: the whole text's when it
/// was read whole, else, built on first use, the text with the left-out lines replaced
/// by comment lines of their length.
#[derive(Debug)]
pub struct LazyParse {
    parsed: OnceLock<ParsedFile>,
    left_out: Option<LeftOut>,
}

/// A text and which of its lines a lint kept.
#[derive(Debug)]
struct LeftOut {
    kind: FileKind,
    text: Arc<str>,
    starts: Arc<[usize]>,
    kept: Vec<bool>,
}

impl LazyParse {
    /// The parse of a whole text.
    #[must_use]
    pub fn whole(parsed: ParsedFile) -> LazyParse {
        LazyParse {
            parsed: OnceLock::from(parsed),
            left_out: None,
        }
    }

    fn left_out(left_out: LeftOut) -> LazyParse {
        LazyParse {
            parsed: OnceLock::new(),
            left_out: Some(left_out),
        }
    }

    /// Whether every line of the text was read (else the left-out lines read as comments).
    #[must_use]
    pub fn is_whole(&self) -> bool {
        self.left_out.is_none()
    }

    #[must_use]
    pub fn get(&self) -> &ParsedFile {
        self.parsed.get_or_init(|| match &self.left_out {
            Some(left_out) => ParsedFile::parse(
                left_out.kind,
                &blank_out(&left_out.text, &left_out.starts, &left_out.kept),
            ),
            None => ParsedFile::parse(FileKind::EnvFile, ""),
        })
    }
}

/// A text with the left-out lines shortened to `#`, and where its lines start in it and
/// in the original.
struct Shortened {
    text: String,
    /// Per line: where it starts here, and in the original.
    starts: Vec<(usize, usize)>,
    kept_bytes: usize,
}

impl Shortened {
    /// `range` of the shortened text in the original (kept lines are copied whole).
    fn original(&self, range: &Range<usize>) -> Range<usize> {
        self.offset(range.start)..self.offset(range.end)
    }

    fn offset(&self, offset: usize) -> usize {
        let line = self
            .starts
            .partition_point(|&(start, _)| start <= offset)
            .saturating_sub(1);
        self.starts
            .get(line)
            .map_or(offset, |&(start, original)| original + (offset - start))
    }
}

/// `text` with every line that is not kept replaced by `#` (and its `\n`).
fn shorten(text: &str, starts: &[usize], kept: &[bool]) -> Shortened {
    let mut short = String::with_capacity(text.len() / 4);
    let mut short_starts = Vec::with_capacity(starts.len());
    let mut kept_bytes = 0;
    for (line, &kept) in kept.iter().enumerate() {
        let range = line_range(text, starts, line);
        short_starts.push((short.len(), range.start));
        let content = &text[range];
        if kept {
            short.push_str(content);
            kept_bytes += content.len();
        } else {
            short.push('#');
            if content.ends_with('\n') {
                short.push('\n');
            }
        }
    }
    Shortened {
        text: short,
        starts: short_starts,
        kept_bytes,
    }
}

/// A lint of the whole of `input.text`, with the ranges the rules found something at
/// (before suppressions).
fn lint_text(
    input: &LintInput,
    project: &dyn Project,
    settings: &Settings,
    selection: &RuleSelection,
    parallel: bool,
) -> ((Vec<Diagnostic>, ParsedFile), Vec<Range<usize>>) {
    let parsed = ParsedFile::parse(input.kind, input.text);
    let found = rule_findings(
        input,
        &parsed,
        &OnceLock::new(),
        project,
        settings,
        selection,
        parallel,
    );
    let ranges = found.iter().map(|found| found.range.clone()).collect();
    ((finish(input, selection, found), parsed), ranges)
}

/// Offsets where the lines of `text` start (a last line without `\n` included).
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1))
        .filter(|&start| start < text.len())
        .collect()
}

/// How many lines two texts (with their line starts) share at their start, and then how
/// many of the others at their end.
fn same_lines(old: (&str, &[usize]), new: (&str, &[usize])) -> (usize, usize) {
    // A line is the same in both texts when the bytes both share at the start (or the
    // end) cover it and it starts and ends at the same place (counted from the end).
    let old_range = |line| line_range(old.0, old.1, line);
    let new_range = |line| line_range(new.0, new.1, line);
    let (old_count, new_count) = (old.1.len(), new.1.len());
    let (old_bytes, new_bytes) = (old.0.as_bytes(), new.0.as_bytes());
    let prefix = common_prefix(old_bytes, new_bytes);
    let same_before = (0..old_count.min(new_count))
        .take_while(|&line| {
            let (old, new) = (old_range(line), new_range(line));
            old == new && new.end <= prefix
        })
        .count();
    // The lines after those cannot reach back before their end.
    let shared = same_before
        .checked_sub(1)
        .map_or(0, |line| new_range(line).end);
    let suffix = common_suffix(
        old_bytes,
        new_bytes,
        old_bytes.len().min(new_bytes.len()) - shared,
    );
    let from_end = |length: usize, range: Range<usize>| (length - range.start, length - range.end);
    let same_after = (0..(old_count - same_before).min(new_count - same_before))
        .take_while(|&back| {
            let old = from_end(old_bytes.len(), old_range(old_count - 1 - back));
            let new = from_end(new_bytes.len(), new_range(new_count - 1 - back));
            old == new && new.0 <= suffix
        })
        .count();
    (same_before, same_after)
}

/// How many bytes `old` and `new` share at their start.
#[must_use]
pub fn common_prefix(old: &[u8], new: &[u8]) -> usize {
    // Whole chunks are compared with `==` (a vectorised memcmp), then bytes.
    const CHUNK: usize = 256;
    let length = old.len().min(new.len());
    let mut same = 0;
    while same + CHUNK <= length && old[same..same + CHUNK] == new[same..same + CHUNK] {
        same += CHUNK;
    }
    // Then eight bytes at a time (short texts, such as paths, have no whole chunk).
    while same + 8 <= length {
        let word =
            |bytes: &[u8]| u64::from_le_bytes(bytes[same..same + 8].try_into().unwrap_or_default());
        let differ = word(old) ^ word(new);
        if differ != 0 {
            // Little-endian: the lowest set bit is in the first differing byte.
            return same + (differ.trailing_zeros() / 8) as usize;
        }
        same += 8;
    }
    same + old[same..length]
        .iter()
        .zip(&new[same..length])
        .take_while(|(old, new)| old == new)
        .count()
}

/// How many bytes `old` and `new` share at their end, at most `limit`.
#[must_use]
pub fn common_suffix(old: &[u8], new: &[u8], limit: usize) -> usize {
    const CHUNK: usize = 256;
    let length = old.len().min(new.len()).min(limit);
    let tail = |bytes: &[u8], from: usize, to: usize| bytes.len() - to..bytes.len() - from;
    let mut same = 0;
    while same + CHUNK <= length
        && old[tail(old, same, same + CHUNK)] == new[tail(new, same, same + CHUNK)]
    {
        same += CHUNK;
    }
    same + old[..old.len() - same]
        .iter()
        .rev()
        .zip(new[..new.len() - same].iter().rev())
        .take(length - same)
        .take_while(|(old, new)| old == new)
        .count()
}

/// Line `line` with its `\n`.
fn line_range(text: &str, starts: &[usize], line: usize) -> Range<usize> {
    starts[line]..starts.get(line + 1).copied().unwrap_or(text.len())
}

fn line_text<'a>(text: &'a str, starts: &[usize], line: usize) -> &'a str {
    &text[line_range(text, starts, line)]
}

/// The lines of a new text against the last lint's.
struct Edit {
    /// States of the new lines (edited lines are kept whatever their state).
    lines: Vec<LineState>,
    /// New lines that are not in the last text.
    edited: Range<usize>,
    /// Lines of the last text that are gone.
    removed: Range<usize>,
}

impl Edit {
    /// `None` when an edited line is not safe.
    fn between(
        last: &Linted,
        text: &str,
        starts: &[usize],
        roles: &[Role],
        classify: &impl Fn(usize) -> Option<bool>,
        name_key: &impl Fn(usize) -> u64,
    ) -> Option<Edit> {
        let (old_count, new_count) = (last.starts.len(), starts.len());
        let (same_before, same_after) = same_lines((&last.text, &last.starts), (text, starts));
        let edited = same_before..new_count - same_after;
        let removed = same_before..old_count - same_after;
        // A structural line edited or removed changes what the lines around it are.
        if edited.clone().any(|line| roles[line] == Role::Structural)
            || last.lines[removed.clone()]
                .iter()
                .any(|state| state.role == Role::Structural)
        {
            return None;
        }
        let mut lines = Vec::with_capacity(new_count);
        lines.extend_from_slice(&last.lines[..same_before]);
        for line in edited.clone() {
            let inert = classify(line)?;
            lines.push(LineState {
                role: roles[line],
                name: name_key(line),
                inert,
                found: false,
            });
        }
        lines.extend_from_slice(&last.lines[old_count - same_after..]);
        // A line whose role changed (an entry that became the first) is judged again,
        // and read this time.
        for (line, state) in lines.iter_mut().enumerate() {
            if state.role != roles[line] {
                state.role = roles[line];
                state.inert = classify(line)?;
                state.found = true;
            }
        }
        Some(Edit {
            lines,
            edited,
            removed,
        })
    }

    /// The names of the lines of the last text that are gone.
    fn removed_names(&self, last: &Linted) -> Vec<u64> {
        last.lines[self.removed.clone()]
            .iter()
            .map(|state| state.name)
            .collect()
    }
}

/// Which lines of the new text the lint reads: see the module documentation.
fn kept_lines(lines: &[LineState], edited: &Range<usize>, removed_names: &[u64]) -> Vec<bool> {
    let last_line = lines.len().saturating_sub(1);
    let mut kept: Vec<bool> = lines
        .iter()
        .enumerate()
        .map(|(line, state)| {
            !state.inert || state.found || edited.contains(&line) || line == 0 || line == last_line
        })
        .collect();
    let mut names: Vec<u64> = removed_names.to_vec();
    names.extend(
        lines
            .iter()
            .zip(&kept)
            .filter(|&(_, &kept)| kept)
            .map(|(state, _)| state.name),
    );
    names.retain(|&name| name != 0);
    names.sort_unstable();
    names.dedup();
    for (state, kept) in lines.iter().zip(&mut kept) {
        if !*kept && state.name != 0 {
            *kept = names.binary_search(&state.name).is_ok();
        }
    }
    kept
}

/// [`LineState::name`] of a line.
fn name_key(kind: FileKind, line: &str) -> u64 {
    let name = match kind {
        FileKind::EnvFile => name_of(line),
        _ => compose_entry(line).map(|(name, _)| name),
    };
    name.map_or(0, |name| {
        let mut hasher = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(name, &mut hasher);
        std::hash::Hasher::finish(&hasher).max(1)
    })
}

/// `text` with the lines that are not kept replaced by comment lines of the same length
/// (`#` and spaces; the `\n` stays). Not by blanks: node
/// dotenv's pattern starts with `^\s*`, which on a run of blank lines tries every line
/// start against the rest of the run.
fn blank_out(text: &str, starts: &[usize], kept: &[bool]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for (line, _) in kept.iter().enumerate().filter(|&(_, &kept)| !kept) {
        let range = line_range(text, starts, line);
        let end = if bytes[range.end - 1] == b'\n' {
            range.end - 1
        } else {
            range.end
        };
        if range.start < end {
            bytes[range.start] = b'#';
            bytes[range.start + 1..end].fill(b' ');
        }
    }
    String::from_utf8(bytes).expect("whole lines were replaced by ASCII")
}

/// Whether a lint of this many bytes that matter pays for threads.
fn is_big(bytes: usize) -> bool {
    bytes >= PARALLEL_BYTES
}

/// Marks the lines the findings start on.
fn mark_found(lines: &mut [LineState], starts: &[usize], found: &[Range<usize>]) {
    for range in found {
        let line = starts
            .partition_point(|&start| start <= range.start)
            .saturating_sub(1);
        if let Some(state) = lines.get_mut(line) {
            state.found = true;
        }
    }
}

/// The variable a safe line sets.
fn name_of(line: &str) -> Option<&str> {
    let line = line.strip_prefix("export ").unwrap_or(line);
    let (name, _) = line.split_once('=')?;
    (!name.starts_with('#')).then_some(name)
}

/// Whether the line at `range` is safe (`None` if not) and then inert.
fn classify(
    text: &str,
    range: Range<usize>,
    project: &dyn Project,
    settings: &Settings,
) -> Option<bool> {
    let line = &text[range.clone()];
    let content = line.strip_suffix('\n').unwrap_or(line);
    if content.contains('\r') {
        return None;
    }
    if content.bytes().all(|byte| byte == b' ') {
        return Some(true);
    }
    // Suppressions, and the debug builds' test markers.
    let mentions_keylint = contains_ignore_ascii_case(content, "keylint");
    if content.starts_with('#') {
        return Some(!mentions_keylint);
    }
    // Only the simple lines without blanks after the value, or with the one space before
    // an unquoted value's comment: docker keeps the blanks and comments of the others
    // in the value, which rules look at.
    let simple = simple_line::at(text, range.start).filter(|simple| {
        let blanks = simple.trailing_blanks().len();
        simple.end() == range.end
            && (blanks == 0
                || (blanks == 1 && simple.comment().is_some() && simple.quote().is_none()))
    })?;
    let raw = &text[simple.value_range()];
    Some(!mentions_keylint && is_inert(simple.name(text), raw, project, settings))
}

/// Whether an assignment of `raw` to `name` is inert (see the module documentation).
fn is_inert(name: &str, raw: &str, project: &dyn Project, settings: &Settings) -> bool {
    let bare = raw.trim_matches(['"', '\'']);
    provider::variable(name).is_none()
        && !settings
            .extra_variables
            .api_keys
            .iter()
            .any(|(extra, _)| extra == name)
        && !project.reads_name(name)
        && !is_key_name(name)
        && !PROVIDER_WORDS
            .iter()
            .any(|word| contains_ignore_ascii_case(name, word))
        && !is_near_miss(name)
        && provider::key_shape(bare).is_none()
        && !is_secret_value(raw)
}

/// The roles of a Compose file's lines, when every line is of the plain block shape whose
/// structure depends on indentation alone: empty lines, comments, `key:`, `key: scalar`
/// and `- scalar`, with spaces for indentation and scalars that are plain words or
/// simply quoted (no `$`, `#`, anchors, aliases, flow or block scalars, no `\r` or tab),
/// every `environment:` entry at one indentation, and no `env_file`, `extends` or merge
/// key (which bring in other files or other services). `None` otherwise.
fn compose_roles(text: &str, starts: &[usize]) -> Option<Vec<Role>> {
    let mut roles = Vec::with_capacity(starts.len());
    // Open keys: indentation, and whether the key is `environment:`.
    let mut open: Vec<(usize, bool)> = Vec::new();
    // The entries of the `environment:` being read: their indentation, list or map.
    let mut entries: Option<(usize, bool)> = None;
    for line in 0..starts.len() {
        let line = line_text(text, starts, line);
        let content = line.strip_suffix('\n').unwrap_or(line);
        if content.contains(['\r', '\t']) {
            return None;
        }
        let rest = content.trim_start_matches(' ');
        if rest.is_empty() || rest.starts_with('#') {
            roles.push(Role::Free);
            continue;
        }
        let indent = content.len() - rest.len();
        while open.last().is_some_and(|&(open, _)| open >= indent) {
            open.pop();
        }
        let in_environment = open.last().is_some_and(|&(_, environment)| environment);
        let (list, key, value) = match rest.strip_prefix("- ") {
            Some(item) => (true, None, Some(item)),
            None => {
                let (key, value) = rest.split_once(':')?;
                let plain = !key.is_empty()
                    && key
                        .bytes()
                        .all(|byte| byte.is_ascii_alphanumeric() || b"_.-".contains(&byte));
                if !plain || matches!(key, "env_file" | "extends") {
                    return None;
                }
                match value {
                    "" => (false, Some(key), None),
                    _ => (false, Some(key), Some(value.strip_prefix(' ')?)),
                }
            }
        };
        if value.is_some_and(|value| !is_simple_scalar(value)) {
            return None;
        }
        if in_environment {
            // An entry: all of one `environment:` at one indentation, of one form.
            value?;
            let role = match entries {
                None => {
                    entries = Some((indent, list));
                    Role::First
                }
                Some(shape) if shape == (indent, list) => Role::Free,
                Some(_) => return None,
            };
            roles.push(role);
            continue;
        }
        if let Some(key) = key.filter(|_| value.is_none()) {
            open.push((indent, key == "environment"));
            entries = None;
        } else if list && open.is_empty() {
            return None;
        }
        roles.push(Role::Structural);
    }
    Some(roles)
}

/// A scalar whose meaning does not depend on anything around it: a plain word (with
/// inner spaces) or a simply quoted string, with none of `$`, `#`, `\`, and not starting
/// with a YAML indicator.
fn is_simple_scalar(value: &str) -> bool {
    let inner_ok = |inner: &str, quote: char| !inner.contains([quote, '$', '#', '\\']);
    if let Some(inner) = value
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    {
        return inner_ok(inner, '"');
    }
    if let Some(inner) = value
        .strip_prefix('\'')
        .and_then(|rest| rest.strip_suffix('\''))
    {
        return inner_ok(inner, '\'');
    }
    value
        .bytes()
        .next()
        .is_some_and(|first| first.is_ascii_alphanumeric() || b"_./".contains(&first))
        && value
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"_./+=,%@:- ".contains(&byte))
        && !value.contains(": ")
        && !value.ends_with([' ', ':'])
}

/// The name and raw value of a Compose `environment:` entry line (`NAME: value` or
/// `- NAME=value`).
fn compose_entry(line: &str) -> Option<(&str, &str)> {
    let content = line
        .strip_suffix('\n')
        .unwrap_or(line)
        .trim_start_matches(' ');
    if content.starts_with('#') {
        return None;
    }
    match content.strip_prefix("- ") {
        Some(item) => item.split_once('='),
        None => content
            .split_once(':')
            .map(|(name, value)| (name, value.trim_start_matches(' '))),
    }
}

/// Whether a Compose line with this role is inert.
fn classify_compose(
    line: &str,
    role: Role,
    project: &dyn Project,
    settings: &Settings,
) -> Option<bool> {
    let content = line
        .strip_suffix('\n')
        .unwrap_or(line)
        .trim_start_matches(' ');
    if role != Role::Free {
        return Some(false);
    }
    if content.is_empty() {
        return Some(true);
    }
    if content.starts_with('#') {
        return Some(!contains_ignore_ascii_case(content, "keylint"));
    }
    Some(
        !contains_ignore_ascii_case(content, "keylint")
            && compose_entry(line)
                .is_some_and(|(name, raw)| is_inert(name, raw, project, settings)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn naive_prefix(old: &[u8], new: &[u8]) -> usize {
        old.iter()
            .zip(new)
            .take_while(|(old, new)| old == new)
            .count()
    }

    fn naive_suffix(old: &[u8], new: &[u8], limit: usize) -> usize {
        old.iter()
            .rev()
            .zip(new.iter().rev())
            .take(limit)
            .take_while(|(old, new)| old == new)
            .count()
    }

    /// Two texts sharing a long run, each with a few bytes of its own around it (runs
    /// longer than the chunks compared at once, and edits at every offset in them).
    fn texts() -> impl Strategy<Value = (Vec<u8>, Vec<u8>)> {
        (
            prop::collection::vec(prop::sample::select(b"ab\n".to_vec()), 0..1200),
            prop::collection::vec(prop::sample::select(b"ab\n".to_vec()), 0..4),
            prop::collection::vec(prop::sample::select(b"ab\n".to_vec()), 0..4),
            0usize..1200,
        )
            .prop_map(|(shared, old_part, new_part, at)| {
                let at = at.min(shared.len());
                let splice = |part: &[u8]| {
                    let mut text = shared[..at].to_vec();
                    text.extend_from_slice(part);
                    text.extend_from_slice(&shared[at..]);
                    text
                };
                (splice(&old_part), splice(&new_part))
            })
    }

    proptest! {
        #[test]
        fn common_prefix_and_suffix_are_the_bytewise_ones((old, new) in texts(), limit in 0usize..1300) {
            prop_assert_eq!(common_prefix(&old, &new), naive_prefix(&old, &new));
            prop_assert_eq!(common_suffix(&old, &new, limit), naive_suffix(&old, &new, limit));
        }
    }

    fn naive_same_lines(old: &str, new: &str) -> (usize, usize) {
        let (old_lines, new_lines): (Vec<&str>, Vec<&str>) = (
            old.split_inclusive('\n').collect(),
            new.split_inclusive('\n').collect(),
        );
        let before = old_lines
            .iter()
            .zip(&new_lines)
            .take_while(|(old, new)| old == new)
            .count();
        let after = old_lines[before..]
            .iter()
            .rev()
            .zip(new_lines[before..].iter().rev())
            .take_while(|(old, new)| old == new)
            .count();
        (before, after)
    }

    proptest! {
        #[test]
        fn same_lines_are_the_equal_lines((old, new) in texts()) {
            let (old, new) = (String::from_utf8(old).unwrap(), String::from_utf8(new).unwrap());
            let (old_starts, new_starts) = (line_starts(&old), line_starts(&new));
            prop_assert_eq!(
                same_lines((&old, &old_starts), (&new, &new_starts)),
                naive_same_lines(&old, &new)
            );
        }
    }

    #[test]
    fn line_starts_include_a_last_line_without_newline() {
        assert_eq!(line_starts(""), Vec::<usize>::new());
        assert_eq!(line_starts("A=1\nB=2"), vec![0, 4]);
        assert_eq!(line_starts("A=1\n\n"), vec![0, 4]);
    }
}
