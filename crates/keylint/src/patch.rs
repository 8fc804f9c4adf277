//! `--diff`: what `--fix` would change, as one patch that `git apply` accepts, with no key
//! in it.
//!
//! A file whose changed and context lines hold no secret gets an ordinary unified diff
//! (lines byte for byte, `\r` included, and `\ No newline at end of file`). A line with a
//! key in it can be neither shown (the key would leak) nor masked (the patch would not
//! apply), so such a file gets a git binary patch instead: a `delta` from the file as it
//! is, which copies every byte the fix keeps (the key included) from the file itself and
//! carries only the text the fixes insert. `git apply` checks the file against the blob
//! hash of the `index` line before it changes anything. Its readable view, secrets
//! masked, goes to standard error.

use std::collections::HashMap;
use std::io::Write as _;
use std::ops::Range;
use std::path::Path;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use keylint_core::FileKind;
use keylint_core::fix::{Piece, Provenance};
use keylint_core::project::normalize;
use keylint_core::redaction::{redact_file, secret_ranges_in_file};
use sha1::{Digest as _, Sha1};
use similar::{ChangeTag, TextDiff};

/// Lines of context around a change, as `git diff`.
const CONTEXT_LINES: usize = 3;

/// How long the line diff may take before it settles for a coarser (still correct) one.
const DIFF_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// One fixed file.
pub struct Change<'a> {
    /// The path in the patch (see [`path_in_patch`]).
    pub path: &'a str,
    pub kind: FileKind,
    pub before: &'a str,
    pub after: &'a str,
    pub provenance: &'a Provenance,
}

/// A file's part of the patch.
pub enum FilePatch {
    Text(String),
    /// The patch, and what it changes as a unified diff with every secret masked.
    Binary {
        patch: String,
        masked_view: String,
    },
}

/// Why a file's fix cannot be shown as a patch.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A fix writes more of a secret than a mask shows that the file does not already
    /// hold (a value re-encoded as base64 shares no text with its old encoding).
    WritesASecret,
    /// Too big for a binary delta (offsets are 32-bit).
    TooBig,
}

pub fn file_patch(change: &Change) -> Result<FilePatch, Refusal> {
    let hunks = diff_hunks(change.before, change.after);
    let header = format!(
        "diff --git {} {}\nindex {}..{}\n",
        quoted("a/", change.path),
        quoted("b/", change.path),
        blob_id(change.before.as_bytes()),
        blob_id(change.after.as_bytes()),
    );
    if !hunks_touch_a_secret(change, &hunks) {
        return Ok(FilePatch::Text(
            header + &unified_body(change.path, &hunks, |line| line.to_string()),
        ));
    }
    let delta = delta(
        change.before,
        change.provenance,
        change.after.len(),
        &secret_ranges_in_file(change.after, change.kind),
    )?;
    let masked_before = redact_file(change.before, change.kind).text;
    let masked_after = redact_file(change.after, change.kind).text;
    let masked_hunks = diff_hunks(&masked_before, &masked_after);
    Ok(FilePatch::Binary {
        patch: header + "GIT binary patch\n" + &binary_hunk(&delta),
        masked_view: unified_body(change.path, &masked_hunks, visible_line_end),
    })
}

/// The path of `file` (as linted) in a patch, `/`-separated: relative to the top of the
/// git work tree around the current directory, as `git diff` writes it, so `git apply`
/// finds the file from anywhere in the repository; outside a repository, as linted
/// (relative to the current directory).
pub fn path_in_patch(file: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .map(|cwd| std::fs::canonicalize(&cwd).unwrap_or(cwd))
        .and_then(|cwd| {
            let top = cwd.ancestors().find(|dir| dir.join(".git").exists())?;
            normalize(&cwd.join(file))
                .strip_prefix(top)
                .ok()
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| normalize(file));
    relative
        .to_string_lossy()
        .replace(std::path::MAIN_SEPARATOR, "/")
}

// ---------------------------------------------------------------------------------------
// Unified diff

/// One line of a hunk: ' ', '-' or '+', the line with its line ending, and its byte
/// ranges in the old and new text.
struct Line<'a> {
    tag: char,
    text: &'a str,
    old: Option<Range<usize>>,
    new: Option<Range<usize>>,
}

struct Hunk<'a> {
    old: Range<usize>,
    new: Range<usize>,
    lines: Vec<Line<'a>>,
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(at, _)| at + 1))
        .filter(|&start| start < text.len())
        .chain(std::iter::once(text.len()))
        .collect()
}

fn diff_hunks<'a>(before: &'a str, after: &'a str) -> Vec<Hunk<'a>> {
    let diff = TextDiff::configure()
        .timeout(DIFF_TIMEOUT)
        .diff_lines(before, after);
    let old_starts = line_starts(before);
    let new_starts = line_starts(after);
    let span = |starts: &[usize], index: usize| starts[index]..starts[index + 1];
    diff.grouped_ops(CONTEXT_LINES)
        .into_iter()
        .filter(|group| !group.is_empty())
        .map(|group| {
            let (first, last) = (&group[0], &group[group.len() - 1]);
            let lines = group
                .iter()
                .flat_map(|op| diff.iter_changes(op))
                .map(|change| {
                    let old = change.old_index().map(|index| span(&old_starts, index));
                    let new = change.new_index().map(|index| span(&new_starts, index));
                    let text = match (&old, &new) {
                        (Some(old), _) => &before[old.clone()],
                        (None, Some(new)) => &after[new.clone()],
                        (None, None) => "",
                    };
                    Line {
                        tag: match change.tag() {
                            ChangeTag::Equal => ' ',
                            ChangeTag::Delete => '-',
                            ChangeTag::Insert => '+',
                        },
                        text,
                        old,
                        new,
                    }
                })
                .collect();
            Hunk {
                old: first.old_range().start..last.old_range().end,
                new: first.new_range().start..last.new_range().end,
                lines,
            }
        })
        .collect()
}

/// Whether a line of a hunk, changed or context, holds a secret in the old or new text.
fn hunks_touch_a_secret(change: &Change, hunks: &[Hunk]) -> bool {
    let old_secrets = secret_ranges_in_file(change.before, change.kind);
    let new_secrets = secret_ranges_in_file(change.after, change.kind);
    let touches = |secrets: &[Range<usize>], line: &Option<Range<usize>>| {
        line.as_ref().is_some_and(|line| {
            let after = secrets.partition_point(|secret| secret.end <= line.start);
            secrets
                .get(after)
                .is_some_and(|secret| secret.start < line.end)
        })
    };
    hunks
        .iter()
        .flat_map(|hunk| &hunk.lines)
        .any(|line| touches(&old_secrets, &line.old) || touches(&new_secrets, &line.new))
}

/// `@@ -1,3 +1,2 @@`: a count of 1 is left out; an empty side names the line before it.
fn range_of(lines: &Range<usize>) -> String {
    match lines.len() {
        0 => format!("{},0", lines.start),
        1 => format!("{}", lines.start + 1),
        count => format!("{},{count}", lines.start + 1),
    }
}

fn unified_body(path: &str, hunks: &[Hunk], show: impl Fn(&str) -> String) -> String {
    // `git diff` ends a name with a space in a tab, so that it is read whole.
    let tab = if path.contains(' ') { "\t" } else { "" };
    let mut out = format!(
        "--- {}{tab}\n+++ {}{tab}\n",
        quoted("a/", path),
        quoted("b/", path)
    );
    for hunk in hunks {
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range_of(&hunk.old),
            range_of(&hunk.new)
        ));
        for line in &hunk.lines {
            out.push(line.tag);
            out.push_str(&show(line.text));
            if !line.text.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    out
}

/// For the readable view: a `\r` before the line break shown as `\r`, so a line-ending
/// change does not look like two equal lines.
fn visible_line_end(line: &str) -> String {
    match line.strip_suffix("\r\n") {
        Some(content) => format!("{content}\\r\n"),
        None => line.to_string(),
    }
}

/// A path as git writes it in a patch: `a/path`, or in C-style quotes when it holds a
/// quote, a backslash, a control character or a non-ASCII byte.
fn quoted(prefix: &str, path: &str) -> String {
    let needs_quotes = path
        .bytes()
        .any(|byte| !(0x20..0x7f).contains(&byte) || byte == b'"' || byte == b'\\');
    if !needs_quotes {
        return format!("{prefix}{path}");
    }
    let mut out = format!("\"{prefix}");
    for byte in path.bytes() {
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            0x20..=0x7e => out.push(char::from(byte)),
            other => out.push_str(&format!("\\{other:03o}")),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------------------
// Binary patch

/// Git's name of a file's content: the SHA-1 of `blob <length>\0<bytes>`.
fn blob_id(bytes: &[u8]) -> String {
    let mut hasher = Sha1::new();
    hasher.update(format!("blob {}\0", bytes.len()).as_bytes());
    hasher.update(bytes);
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Inserted text is matched against the file this far around the place it replaces.
const MATCH_WINDOW: usize = 4096;

/// Runs at least this long that the file already holds are copied, not inserted.
const MIN_COPY: usize = 8;

/// Git's largest copy in one instruction (as git writes them).
const MAX_COPY: usize = 0x10000;

/// Git's largest insert in one instruction.
const MAX_INSERT: usize = 0x7f;

/// Of a secret, a patch may carry as literal text at most what a mask shows of it.
const MAX_SECRET_LITERAL: usize = 4;

/// Git's delta format (`patch-delta.c`): the two sizes, then instructions that copy a
/// range of the old file or insert literal bytes. Every piece the fixes kept is a copy,
/// and so is every run of 8+ bytes of inserted text that the file already holds near
/// the place it replaces (a base64 value re-encoded without its final newline shares all
/// but its last characters with the old one). Literal bytes inside a secret of the new
/// text (`secrets`) may be at most [`MAX_SECRET_LITERAL`] per secret.
fn delta(
    before: &str,
    provenance: &Provenance,
    after_length: usize,
    secrets: &[Range<usize>],
) -> Result<Vec<u8>, Refusal> {
    if u32::try_from(before.len()).is_err() {
        return Err(Refusal::TooBig);
    }
    let source = before.as_bytes();
    let mut out = Vec::new();
    push_size(&mut out, before.len());
    push_size(&mut out, after_length);
    let mut literal_in_secret = vec![0usize; secrets.len()];
    // Where the next piece starts in the new text.
    let mut position = 0;
    let pieces = provenance.pieces();
    for (index, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Original(range) => {
                push_copy(&mut out, range.clone());
                position += range.len();
            }
            Piece::Inserted(text) => {
                let previous_end = pieces[..index].iter().rev().find_map(|piece| match piece {
                    Piece::Original(range) => Some(range.end),
                    Piece::Inserted(_) => None,
                });
                let next_start = pieces[index + 1..].iter().find_map(|piece| match piece {
                    Piece::Original(range) => Some(range.start),
                    Piece::Inserted(_) => None,
                });
                let (from, to) = (
                    previous_end.unwrap_or(0),
                    next_start.unwrap_or(source.len()),
                );
                let window = from.min(to).saturating_sub(MATCH_WINDOW)
                    ..(from.max(to) + MATCH_WINDOW).min(source.len());
                for part in matched(source, window, text.as_bytes()) {
                    match part {
                        Matched::Copy(range) => {
                            position += range.len();
                            push_copy(&mut out, range);
                        }
                        Matched::Literal(bytes) => {
                            let literal = position..position + bytes.len();
                            for (secret, count) in secrets.iter().zip(&mut literal_in_secret) {
                                *count += overlap(secret, &literal);
                                if *count > MAX_SECRET_LITERAL {
                                    return Err(Refusal::WritesASecret);
                                }
                            }
                            position = literal.end;
                            push_insert(&mut out, bytes);
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

fn overlap(a: &Range<usize>, b: &Range<usize>) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

enum Matched<'a> {
    Copy(Range<usize>),
    Literal(&'a [u8]),
}

/// `text` as copies of `source` (runs of [`MIN_COPY`]+ bytes starting in `window`) and
/// literal bytes between them.
fn matched<'a>(source: &[u8], window: Range<usize>, text: &'a [u8]) -> Vec<Matched<'a>> {
    if text.len() < MIN_COPY || window.len() < MIN_COPY {
        return vec![Matched::Literal(text)];
    }
    let mut starts: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for start in window.start..=window.end - MIN_COPY {
        starts
            .entry(&source[start..start + MIN_COPY])
            .or_default()
            .push(start);
    }
    let mut parts = Vec::new();
    let mut literal_start = 0;
    let mut at = 0;
    while at + MIN_COPY <= text.len() {
        let longest = starts
            .get(&text[at..at + MIN_COPY])
            .into_iter()
            .flatten()
            .map(|&start| {
                let length = source[start..]
                    .iter()
                    .zip(&text[at..])
                    .take_while(|(a, b)| a == b)
                    .count();
                (start, length)
            })
            .max_by_key(|&(start, length)| (length, std::cmp::Reverse(start)));
        match longest {
            Some((start, length)) => {
                if literal_start < at {
                    parts.push(Matched::Literal(&text[literal_start..at]));
                }
                parts.push(Matched::Copy(start..start + length));
                at += length;
                literal_start = at;
            }
            None => at += 1,
        }
    }
    if literal_start < text.len() {
        parts.push(Matched::Literal(&text[literal_start..]));
    }
    parts
}

/// A size in the delta header: 7 bits a byte, least significant first.
fn push_size(out: &mut Vec<u8>, mut size: usize) {
    loop {
        let byte = (size & 0x7f) as u8;
        size >>= 7;
        if size == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Copy instructions: a command byte whose low bits say which offset and size bytes
/// follow (zero bytes are left out; a size of 0x10000 is written as none).
fn push_copy(out: &mut Vec<u8>, range: Range<usize>) {
    let mut start = range.start;
    while start < range.end {
        let size = (range.end - start).min(MAX_COPY);
        let mut command = 0x80u8;
        let mut arguments = Vec::with_capacity(7);
        for (bit, byte) in (start as u32).to_le_bytes().into_iter().enumerate() {
            if byte != 0 {
                command |= 1 << bit;
                arguments.push(byte);
            }
        }
        let written_size = if size == MAX_COPY { 0 } else { size };
        for (bit, byte) in (written_size as u32).to_le_bytes()[..3].iter().enumerate() {
            if *byte != 0 {
                command |= 0x10 << bit;
                arguments.push(*byte);
            }
        }
        out.push(command);
        out.extend(arguments);
        start += size;
    }
}

fn push_insert(out: &mut Vec<u8>, bytes: &[u8]) {
    for chunk in bytes.chunks(MAX_INSERT) {
        out.push(chunk.len() as u8);
        out.extend_from_slice(chunk);
    }
}

/// `delta <size>`, then the deflated delta in base85 lines of up to 52 bytes (a leading
/// letter gives each line's byte count), then an empty line. The reverse hunk git also
/// writes is left out: it would have to insert what the fix removed.
fn binary_hunk(delta: &[u8]) -> String {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    encoder
        .write_all(delta)
        .expect("writing into memory does not fail");
    let deflated = encoder.finish().expect("writing into memory does not fail");
    let mut out = format!("delta {}\n", delta.len());
    for line in deflated.chunks(52) {
        let length = line.len() as u8;
        out.push(char::from(if length <= 26 {
            b'A' + length - 1
        } else {
            b'a' + length - 27
        }));
        out.push_str(&base85(line));
        out.push('\n');
    }
    out.push('\n');
    out
}

/// Git's base85: each 4 bytes (big-endian, the last group padded with zeros) as 5 digits.
fn base85(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 85] =
        b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";
    let mut out = String::with_capacity(bytes.len().div_ceil(4) * 5);
    for group in bytes.chunks(4) {
        let mut padded = [0u8; 4];
        padded[..group.len()].copy_from_slice(group);
        let mut value = u32::from_be_bytes(padded);
        let mut digits = [0u8; 5];
        for digit in digits.iter_mut().rev() {
            *digit = DIGITS[(value % 85) as usize];
            value /= 85;
        }
        out.extend(digits.iter().map(|&digit| char::from(digit)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies a delta as git's `patch_delta` does.
    fn apply_delta(source: &[u8], delta: &[u8]) -> Vec<u8> {
        let mut at = 0;
        let mut size = || {
            let (mut value, mut shift) = (0usize, 0);
            loop {
                let byte = delta[at];
                at += 1;
                value |= usize::from(byte & 0x7f) << shift;
                shift += 7;
                if byte & 0x80 == 0 {
                    return value;
                }
            }
        };
        assert_eq!(size(), source.len());
        let target_size = size();
        let mut out = Vec::new();
        while at < delta.len() {
            let command = delta[at];
            at += 1;
            if command & 0x80 != 0 {
                let mut read = |count: usize, bit0: u8| {
                    let mut value = 0usize;
                    for index in 0..count {
                        if command & (bit0 << index) != 0 {
                            value |= usize::from(delta[at]) << (8 * index);
                            at += 1;
                        }
                    }
                    value
                };
                let offset = read(4, 0x01);
                let size = match read(3, 0x10) {
                    0 => 0x10000,
                    size => size,
                };
                out.extend_from_slice(&source[offset..offset + size]);
            } else {
                assert_ne!(command, 0, "reserved");
                out.extend_from_slice(&delta[at..at + usize::from(command)]);
                at += usize::from(command);
            }
        }
        assert_eq!(out.len(), target_size);
        out
    }

    #[test]
    fn base85_is_gits() {
        // Git's encode_85 on these bytes (the last group padded with zeros).
        assert_eq!(base85(&[0, 0, 0, 0]), "00000");
        assert_eq!(base85(&[0xff, 0xff, 0xff, 0xff]), "|NsC0");
        assert_eq!(base85(b"a"), "VE_OC");
        assert_eq!(base85(b"hello world"), "Xk~0{Zy<MXa%^M(");
    }

    #[test]
    fn delta_copies_kept_bytes_and_reencoded_base64() {
        let key = "c2stcHJvai1BYmMxMjM0NTY3ODkwYWJjZGVmZ2hpams=";
        let before = format!("data:\n  KEY: {key}Cg==\nx: 1\n");
        let after = format!("data:\n  KEY: {key}\nx: 1\n");
        let start = before.find(key).unwrap();
        let mut provenance = Provenance::unchanged(before.len());
        let edit = keylint_core::Edit::replace(start..start + key.len() + 4, key);
        provenance.record(&[&edit]);
        let start_after = after.find(key).unwrap();
        let secret = start_after..start_after + key.len();
        let delta = delta(
            &before,
            &provenance,
            after.len(),
            std::slice::from_ref(&secret),
        )
        .unwrap();
        assert_eq!(apply_delta(before.as_bytes(), &delta), after.as_bytes());
        // The key's bytes are copied, never carried.
        assert!(
            !delta
                .windows(12)
                .any(|window| key.as_bytes().windows(12).any(|k| k == window)),
            "{delta:?}"
        );
    }

    #[test]
    fn a_fix_that_writes_new_secret_text_is_refused() {
        // A leading blank removed from base64 data: the new encoding shares nothing
        // with the old one.
        let before = "  KEY: IHNrLXByb2otWng5Q3Y4Qm43TXE2V3I1RXQ0\n";
        let after = "  KEY: c2stcHJvai1aeDlDdjhCbjdNcTZXcjVFdDQ=\n";
        let value = 7..after.len() - 1;
        let mut provenance = Provenance::unchanged(before.len());
        let edit = keylint_core::Edit::replace(value.clone(), &after[value.clone()]);
        provenance.record(&[&edit]);
        assert_eq!(
            delta(
                before,
                &provenance,
                after.len(),
                std::slice::from_ref(&value)
            ),
            Err(Refusal::WritesASecret)
        );
        // Outside a secret, new text is simply carried.
        assert!(delta(before, &provenance, after.len(), &[]).is_ok());
    }

    #[test]
    fn large_copies_are_split_as_git_writes_them() {
        let before = "x".repeat(MAX_COPY * 2 + 5);
        let after = format!("{before}y");
        let mut provenance = Provenance::unchanged(before.len());
        let edit = keylint_core::Edit::replace(before.len()..before.len(), "y");
        provenance.record(&[&edit]);
        let delta = delta(&before, &provenance, after.len(), &[]).unwrap();
        assert_eq!(apply_delta(before.as_bytes(), &delta), after.as_bytes());
    }

    #[test]
    fn hunk_ranges_follow_the_unified_format() {
        assert_eq!(range_of(&(0..0)), "0,0");
        assert_eq!(range_of(&(4..5)), "5");
        assert_eq!(range_of(&(4..7)), "5,3");
    }

    #[test]
    fn paths_are_quoted_as_git_quotes_them() {
        assert_eq!(quoted("a/", "deploy/.env"), "a/deploy/.env");
        assert_eq!(quoted("a/", "my app/.env"), "a/my app/.env");
        assert_eq!(quoted("b/", "caf\u{e9}.env"), "\"b/caf\\303\\251.env\"");
        assert_eq!(quoted("a/", "a\"b\\c"), "\"a/a\\\"b\\\\c\"");
    }
}
