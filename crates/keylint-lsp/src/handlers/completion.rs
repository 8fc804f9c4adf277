//! `textDocument/completion` where a variable name is typed: at the start of a line of an
//! env file, or of an entry of a Compose `environment:` block (list or map form). First
//! the names the workspace's code reads that the file (in Compose, the block) does not
//! set yet, each with where it is read; then the provider variables keylint knows. Names
//! come from the workspace's code index; nothing is read from the disk.

use std::collections::HashSet;
use std::ops::Range;

use keylint_core::FileKind;
use keylint_core::mask::{for_display, redact};
use keylint_core::provider::VARIABLES;
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionItemLabelDetails, CompletionParams,
    CompletionResponse, CompletionTextEdit, Documentation, TextEdit,
};

use crate::encoding::PositionMap;
use crate::navigation::Cursor;
use crate::server::Backend;
use crate::state::read;

pub fn completion(backend: &Backend, params: CompletionParams) -> Option<CompletionResponse> {
    let position = params.text_document_position;
    let cursor = Cursor::at(backend, &position.text_document.uri, position.position)?;
    let text = cursor.text();
    let line_start = text[..cursor.offset]
        .rfind(['\n', '\r'])
        .map_or(0, |index| index + 1);
    let (typed, already_set) = match cursor.kind? {
        FileKind::EnvFile => {
            let typed = name_typed(&text[line_start..cursor.offset])?;
            let parse = cursor.parsed(backend, FileKind::EnvFile);
            let line_end = line_end(text, cursor.offset);
            let set: HashSet<String> = parse
                .get()
                .assignments
                .iter()
                .filter(|assignment| !(line_start..line_end).contains(&assignment.name_range.start))
                .map(|assignment| assignment.name.to_string())
                .collect();
            (typed, set)
        }
        FileKind::Compose => compose_entry(text, line_start, cursor.offset)?,
        FileKind::Workflow | FileKind::OtherYaml => return None,
    };
    let replaced = line_start + typed..cursor.offset;
    let range = PositionMap::new(text, cursor.encoding).range(&replaced);
    // `detail` alone is drawn by VS Code only beside the focused row, and not at all while
    // its documentation side panel is open; `labelDetails` is drawn in every row.
    let label_details = read(&backend.state.client).completion_label_details;
    let item = |name: &str, detail: String, sort: String| CompletionItem {
        label: name.to_string(),
        kind: Some(CompletionItemKind::VARIABLE),
        label_details: label_details.then(|| CompletionItemLabelDetails {
            detail: None,
            description: Some(for_display(&detail).into_owned()),
        }),
        detail: Some(for_display(&detail).into_owned()),
        sort_text: Some(sort),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
            range,
            name.to_string(),
        ))),
        ..CompletionItem::default()
    };
    // A name that looks like a key is never offered (nor shown).
    let offered = |name: &str| !already_set.contains(name) && redact(name) == name;
    let root = read(&backend.state.client).root.clone();
    let code = cursor.project.code_index();
    let mut read_names: Vec<&str> = code.names().filter(|name| offered(name)).collect();
    read_names.sort_unstable();
    read_names.dedup();
    let mut items: Vec<CompletionItem> = read_names
        .iter()
        .filter_map(|name| {
            let reads = code.reads_of(name);
            let first = reads.first()?;
            let path = root
                .as_deref()
                .and_then(|root| first.path.strip_prefix(root).ok())
                .unwrap_or(&first.path);
            let more = match reads.len() {
                1 => String::new(),
                count => format!(" (and {} more)", count - 1),
            };
            Some(item(
                name,
                format!("read at {}:{}{more}", path.display(), first.line),
                format!("0 {name}"),
            ))
        })
        .collect();
    let read_here: HashSet<&str> = read_names.into_iter().collect();
    for (position, known) in VARIABLES.iter().enumerate() {
        if read_here.contains(known.name) || !offered(known.name) {
            continue;
        }
        let mut completion = item(
            known.name,
            format!(
                "{} {}",
                known.provider.display_name(),
                known.role.description()
            ),
            format!("1 {position:03}"),
        );
        if let Some(canonical) = known.alias_of {
            completion.documentation = Some(Documentation::String(format!(
                "An alias read by {}; the official SDK reads {canonical}.",
                known.read_by
            )));
        }
        items.push(completion);
    }
    Some(CompletionResponse::Array(items))
}

/// Where the name being typed starts in `before` (the line up to the cursor), when the
/// cursor is in the name of an env-file line: after optional indentation and `export `.
fn name_typed(before: &str) -> Option<usize> {
    let rest = before.trim_start();
    let rest = rest
        .strip_prefix("export")
        .filter(|after| after.starts_with([' ', '\t']))
        .map_or(rest, str::trim_start);
    is_name_prefix(rest).then(|| before.len() - rest.len())
}

fn is_name_prefix(text: &str) -> bool {
    text.chars()
        .all(|character| character == '_' || character == '.' || character.is_ascii_alphanumeric())
}

fn line_end(text: &str, offset: usize) -> usize {
    text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |index| offset + index)
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// A line's content without its comment, when it has any.
fn content(line: &str) -> Option<&str> {
    let trimmed = line.trim();
    (!trimmed.is_empty() && !trimmed.starts_with('#')).then_some(trimmed)
}

/// In a Compose file, when the cursor is in the name of an entry of an `environment:`
/// block (`- NAME=…` or `NAME: …`): where the name starts on the line, and the names the
/// block sets (read from its lines, so a half-typed entry that breaks the YAML does not
/// matter).
fn compose_entry(text: &str, line_start: usize, offset: usize) -> Option<(usize, HashSet<String>)> {
    let before = &text[line_start..offset];
    let indent = indentation(before);
    let item = before[indent..].strip_prefix('-');
    let typed = match item {
        Some(after_dash) => offset - line_start - after_dash.trim_start().len(),
        None => indent,
    };
    if !is_name_prefix(&before[typed..]) {
        return None;
    }
    // The block's key: the nearest line above that is less indented (a list may sit at
    // its key's indentation).
    let above = &text[..line_start];
    let mut key_line = None;
    for (start, line) in lines_backwards(above) {
        let Some(line_content) = content(line) else {
            continue;
        };
        let line_indent = indentation(line);
        if line_indent < indent
            || (item.is_some() && line_indent == indent && !line_content.starts_with('-'))
        {
            key_line = Some((start, line_indent, line_content));
            break;
        }
    }
    let (key_start, key_indent, key) = key_line?;
    let key = key.split(" #").next().unwrap_or(key).trim_end();
    if key != "environment:" {
        return None;
    }
    let block = block_after(text, key_start, key_indent);
    let mut set = HashSet::new();
    let mut at = block.start;
    for line in text[block].split_inclusive('\n') {
        // The line being typed sets nothing yet.
        if at != line_start
            && let Some(entry) = content(line)
        {
            let entry = entry.strip_prefix('-').map_or(entry, str::trim_start);
            let name = entry
                .trim_start_matches(['"', '\''])
                .split(['=', ':'])
                .next()
                .unwrap_or_default()
                .trim()
                .trim_end_matches(['"', '\'']);
            if !name.is_empty() {
                set.insert(name.to_string());
            }
        }
        at += line.len();
    }
    Some((typed, set))
}

/// The lines of `text` from the last one up, with where each starts.
fn lines_backwards(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut end = text.len();
    std::iter::from_fn(move || {
        if end == 0 {
            return None;
        }
        let body = text[..end].strip_suffix('\n').unwrap_or(&text[..end]);
        let body = body.strip_suffix('\r').unwrap_or(body);
        let start = body.rfind(['\n', '\r']).map_or(0, |index| index + 1);
        end = start;
        Some((start, &body[start..]))
    })
}

/// The lines after the key line at `key_start` that belong to its block: up to the next
/// content line indented no deeper than the key (a list item at the key's indentation
/// still belongs to it).
fn block_after(text: &str, key_start: usize, key_indent: usize) -> Range<usize> {
    let key_end = line_end(text, key_start);
    let start = key_end
        + if text[key_end..].starts_with("\r\n") {
            2
        } else {
            usize::from(key_end < text.len())
        };
    let mut end = start;
    for line in text[start..].split_inclusive('\n') {
        if let Some(line_content) = content(line) {
            let line_indent = indentation(line);
            if line_indent < key_indent
                || (line_indent == key_indent && !line_content.starts_with('-'))
            {
                break;
            }
        }
        end += line.len();
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_names_are_completed_after_indentation_and_export() {
        assert_eq!(name_typed(""), Some(0));
        assert_eq!(name_typed("OPENAI_A"), Some(0));
        assert_eq!(name_typed("export OPEN"), Some(7));
        assert_eq!(name_typed("  export\tO"), Some(9));
        assert_eq!(name_typed("exp"), Some(0));
        assert_eq!(name_typed("KEY=va"), None);
        assert_eq!(name_typed("# comm"), None);
    }

    fn at_cursor(text_with_cursor: &str) -> Option<(String, Vec<String>)> {
        let offset = text_with_cursor.find('|').unwrap();
        let text = text_with_cursor.replace('|', "");
        let line_start = text[..offset].rfind('\n').map_or(0, |index| index + 1);
        let (typed, set) = compose_entry(&text, line_start, offset)?;
        let mut set: Vec<String> = set.into_iter().collect();
        set.sort();
        Some((text[line_start + typed..offset].to_string(), set))
    }

    #[test]
    fn compose_environment_entries_in_both_forms() {
        let map = "services:\n  api:\n    environment:\n      A: 1\n      OPE|\n    ports: []\n  web:\n    environment:\n      B: 2\n";
        assert_eq!(
            at_cursor(map),
            Some(("OPE".to_string(), vec!["A".to_string()]))
        );
        let list =
            "services:\n  api:\n    environment:\n      - A=1\n      - \"B=2\"\n      - OP|\n";
        assert_eq!(
            at_cursor(list),
            Some(("OP".to_string(), vec!["A".to_string(), "B".to_string()]))
        );
        let compact = "services:\n  api:\n    environment:\n    - A=1\n    - |\n";
        assert_eq!(
            at_cursor(compact),
            Some((String::new(), vec!["A".to_string()]))
        );
    }

    #[test]
    fn not_in_values_nor_outside_environment() {
        assert_eq!(
            at_cursor("services:\n  api:\n    environment:\n      - A=1|\n"),
            None
        );
        assert_eq!(
            at_cursor("services:\n  api:\n    environment:\n      A: x|\n"),
            None
        );
        assert_eq!(
            at_cursor("services:\n  api:\n    ports:\n      - 80|\n"),
            None
        );
        assert_eq!(at_cursor("services:\n  api:\n    ima|\n"), None);
    }
}
