//! `docker run --env-file`, from docker/cli `pkg/kvfile/kvfile.go` `parseKeyValueFile`
//! (docs/loaders.md; read from the source, then run unchanged): lines split at `\n` with one `\r` dropped, the BOM trimmed on
//! line 1, leading white space trimmed, `#` lines skipped, then everything after the
//! first `=` verbatim. A name with a space or tab makes `docker run` exit.

use super::{Entry, OutcomeOf, Reading};
use crate::syntax::simple_line::SimpleLines;

pub(super) fn load<'t>(text: &'t str, simple_lines: &'t SimpleLines) -> Reading<'t> {
    let mut read = Reading::with_capacity(simple_lines.line_count());
    let mut simple_lines = simple_lines.cursor();
    let mut line_start = 0;
    while line_start < text.len() {
        // A simple line has no blank, `\r` or BOM to strip, and is no comment; without
        // `export ` its name is all before the first `=`, and a valid one. Docker keeps
        // what follows the value, and its quotes: only a bare value is the loaders' one.
        if let Some(simple) = simple_lines.at(line_start) {
            let line = &text[line_start..simple.end()];
            let line = line.strip_suffix('\n').unwrap_or(line);
            if simple.export() {
                read.entries.push(read_line(line, line_start));
            } else if simple.quote().is_none() && simple.value_range().end == simple.content_end() {
                read.push_plain(simple);
            } else {
                read.entries.push(Entry {
                    name: simple.name(text).into(),
                    at: line_start,
                    outcome: OutcomeOf::Value(
                        text[simple.value_range().start..line_start + line.len()].into(),
                    ),
                });
            }
            line_start = simple.end();
            continue;
        }
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |index| line_start + index);
        let next = (line_end + 1).min(text.len());
        let mut line = &text[line_start..line_end];
        if let Some(without_cr) = line.strip_suffix('\r') {
            line = without_cr;
        }
        let mut offset = line_start;
        if line_start == 0 && line.starts_with('\u{feff}') {
            line = &line['\u{feff}'.len_utf8()..];
            offset += '\u{feff}'.len_utf8();
        }
        let trimmed = line.trim_start();
        offset += line.len() - trimmed.len();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            read.entries.push(read_line(trimmed, offset));
        }
        line_start = next;
        if line_end == text.len() {
            break;
        }
    }
    read
}

fn read_line(line: &str, at: usize) -> Entry<'_> {
    let (name, value) = match line.split_once('=') {
        Some((name, value)) => (name, Some(value)),
        None => (line, None),
    };
    let outcome = if name.contains([' ', '\t']) {
        OutcomeOf::Refused(
            format!("`docker run` exits: variable '{name}' contains whitespaces").into(),
        )
    } else if name.is_empty() {
        OutcomeOf::Refused("`docker run` exits: no variable name on the line".into())
    } else {
        match value {
            Some(value) => OutcomeOf::Value(value.into()),
            None => OutcomeOf::Absent(
                "a line without `=` is copied from the docker CLI's own environment, or dropped"
                    .into(),
            ),
        }
    };
    Entry {
        name: name.into(),
        at,
        outcome,
    }
}
