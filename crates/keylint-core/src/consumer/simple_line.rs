//! Lines every loader reads the same way, recognised in one cheap pass so the loader
//! models can skip their general parsers for them: most lines of a real `.env` are like
//! this, and the general parsers (a backtracking regex for node dotenv, char-by-char
//! readers for the others) cost ten times more per line.
//!
//! A simple line is `[export ]NAME=VALUE` then `\n` or the end of the text, with no
//! indentation, `NAME` an ASCII identifier, and `VALUE` empty, a run of plain characters,
//! or plain characters and spaces inside `'…'` or `"…"`. Plain characters are ASCII
//! letters, digits and `_-./+=:@,%`: nothing any loader treats specially (no `#`, `$`,
//! backslash, quote or blank, and no `\r`). Read from the start of a line, every loader
//! ends such a line where it ends, with the value as written minus its quotes (loaders.md,
//! "Safe for all six"); `docker --env-file` alone keeps the quotes and the `export `.
//! Whether a loader is at the start of a line is for its model to know: after a quote
//! left open, it is not.

/// One simple line. Offsets are into the text the line was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct SimpleLine<'a> {
    /// Written with a leading `export `.
    pub export: bool,
    pub name: &'a str,
    /// What a dotenv loader or a shell gives the program: the value without its quotes.
    pub value: &'a str,
    /// Everything after `=`, quotes included: what `docker --env-file` gives.
    pub as_written: &'a str,
    /// Offset just after the line's `\n`, or the end of the text.
    pub end: usize,
}

fn is_plain(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"_-./+=:@,%".contains(&byte)
}

/// The simple line starting at `start`, if the line there is one.
pub(super) fn at(text: &str, start: usize) -> Option<SimpleLine<'_>> {
    let bytes = text.as_bytes();
    let mut index = start;
    let export = bytes[start..].starts_with(b"export ");
    if export {
        index += "export ".len();
    }
    let name_start = index;
    if !bytes
        .get(index)
        .is_some_and(|byte| *byte == b'_' || byte.is_ascii_alphabetic())
    {
        return None;
    }
    while bytes
        .get(index)
        .is_some_and(|byte| *byte == b'_' || byte.is_ascii_alphanumeric())
    {
        index += 1;
    }
    let name_end = index;
    if bytes.get(index) != Some(&b'=') {
        return None;
    }
    index += 1;
    let value_start = index;
    let (value, value_end) = match bytes.get(index) {
        Some(&quote @ (b'\'' | b'"')) => {
            index += 1;
            while bytes
                .get(index)
                .is_some_and(|&byte| is_plain(byte) || byte == b' ')
            {
                index += 1;
            }
            if bytes.get(index) != Some(&quote) {
                return None;
            }
            (&text[value_start + 1..index], index + 1)
        }
        _ => {
            while bytes.get(index).copied().is_some_and(is_plain) {
                index += 1;
            }
            (&text[value_start..index], index)
        }
    };
    let end = match bytes.get(value_end) {
        None => value_end,
        Some(b'\n') => value_end + 1,
        Some(_) => return None,
    };
    Some(SimpleLine {
        export,
        name: &text[name_start..name_end],
        value,
        as_written: &text[value_start..value_end],
        end,
    })
}

/// Whether `offset` is at the start of a line of `text`.
pub(super) fn is_line_start(text: &str, offset: usize) -> bool {
    offset == 0 || text.as_bytes().get(offset - 1) == Some(&b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_plain_quoted_and_exported_lines() {
        let text = "A=b=c:d\nexport KEY='my app'\nB=\"x.y\"\nEMPTY=\n";
        let first = at(text, 0).unwrap();
        assert_eq!((first.name, first.value, first.end), ("A", "b=c:d", 8));
        let second = at(text, 8).unwrap();
        assert!(second.export);
        assert_eq!(
            (second.name, second.value, second.as_written),
            ("KEY", "my app", "'my app'")
        );
        let third = at(text, second.end).unwrap();
        assert_eq!((third.value, third.as_written), ("x.y", "\"x.y\""));
        let empty = at(text, third.end).unwrap();
        assert_eq!(
            (empty.name, empty.value, empty.end),
            ("EMPTY", "", text.len())
        );
        assert_eq!(at("A=1", 0).unwrap().end, 3);
    }

    #[test]
    fn anything_a_loader_reads_its_own_way_is_not_simple() {
        for line in [
            "A=b c\n",
            "A=b #c\n",
            "A=b\r\n",
            "A='b\n",
            "A=\"b\"c\n",
            "A=\"b\" \n",
            "A=$B\n",
            "A=\"a\\nb\"\n",
            "A='it''s'\n",
            " A=b\n",
            "A =b\n",
            "export  A=b\n",
            "1A=b\n",
            "A.B=c\n",
            "A:b\n",
            "A\n",
            "# A=b\n",
            "A=é\n",
            "A=`b`\n",
            "\u{feff}A=b\n",
        ] {
            assert_eq!(at(line, 0), None, "{line:?}");
        }
    }
}
