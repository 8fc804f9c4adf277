//! Reading a workspace file as text, safely: only regular files (a FIFO would block
//! forever, `/dev/zero` would fill memory), never more than a size limit, and with a
//! clear word for what is not text.

use std::io::Read as _;
use std::path::Path;

/// Files larger than this are not linted: no real config file is this big.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Files read only for what they tell about others (hints, siblings, `.gitignore`)
/// larger than this are not read: real ones are a few kilobytes.
pub const MAX_CONTEXT_BYTES: u64 = 1 << 20;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileText {
    Text(String),
    /// Not text keylint can lint; the message says why (never the content).
    Unreadable {
        message: String,
        /// The loaders fail on it too (UTF-16, invalid UTF-8), so it is worth an error.
        breaks_loaders: bool,
    },
}

impl FileText {
    /// The text, if it is one.
    #[must_use]
    pub fn into_text(self) -> Option<String> {
        match self {
            FileText::Text(text) => Some(text),
            FileText::Unreadable { .. } => None,
        }
    }
}

/// Reads `path` (following symlinks) as text, at most `limit` bytes. Special files and
/// larger files are `Unreadable` with the reason; `Err` only for I/O errors (missing,
/// no permission).
pub fn read_text(path: &Path, limit: u64) -> std::io::Result<FileText> {
    let metadata = std::fs::metadata(path)?;
    if let Some(kind) = special_kind(&metadata) {
        return Ok(skipped(format!(
            "skipped: {kind}, not a regular file (keylint reads only regular files)"
        )));
    }
    if metadata.len() > limit {
        return Ok(too_big(metadata.len(), limit));
    }
    read_open(open_without_blocking(path, true)?, limit)
}

/// [`read_text`] for a file its directory listing showed as a regular file, not a link:
/// opened without following a link (one swapped in since is looked at as
/// [`read_text`] does) and checked on the open file, which spares asking the path first.
pub fn read_listed_file(path: &Path, limit: u64) -> std::io::Result<FileText> {
    #[cfg(unix)]
    {
        match open_without_blocking(path, false) {
            Ok(file) => read_open(file, limit),
            Err(error) if error.raw_os_error() == Some(libc::ELOOP) => read_text(path, limit),
            Err(error) => Err(error),
        }
    }
    #[cfg(not(unix))]
    read_text(path, limit)
}

/// Reads an open file that was not checked yet, or may have been swapped for a special
/// file since it was.
fn read_open(file: std::fs::File, limit: u64) -> std::io::Result<FileText> {
    let metadata = file.metadata()?;
    if let Some(kind) = special_kind(&metadata) {
        return Ok(skipped(format!("skipped: {kind}, not a regular file")));
    }
    if metadata.len() > limit {
        return Ok(too_big(metadata.len(), limit));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(too_big(bytes.len() as u64, limit));
    }
    Ok(decode(bytes))
}

/// The text of a file read for context (a sibling `.env`, a hint file): `None` when it
/// is missing, special, larger than [`MAX_CONTEXT_BYTES`] or not UTF-8 text.
#[must_use]
pub fn read_context(path: &Path) -> Option<String> {
    read_text(path, MAX_CONTEXT_BYTES)
        .ok()
        .and_then(FileText::into_text)
}

/// Whether `path` is (or links to) a regular file.
#[must_use]
pub fn is_regular_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|metadata| special_kind(&metadata).is_none())
}

fn skipped(message: String) -> FileText {
    FileText::Unreadable {
        message,
        breaks_loaders: false,
    }
}

fn too_big(size: u64, limit: u64) -> FileText {
    skipped(format!(
        "skipped: {} is larger than the {} limit",
        human_size(size),
        human_size(limit)
    ))
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{} KiB", bytes.div_ceil(1 << 10))
    }
}

/// What a non-regular file is, in words; `None` for a regular file.
#[must_use]
pub fn special_kind(metadata: &std::fs::Metadata) -> Option<&'static str> {
    let file_type = metadata.file_type();
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if file_type.is_char_device() {
            return Some("a character device");
        }
        if file_type.is_block_device() {
            return Some("a block device");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
    }
    Some("a special file")
}

/// Opens for reading without waiting for a writer (a FIFO swapped in after the check
/// would otherwise block `open` itself), following a final symlink or not.
#[cfg_attr(not(unix), allow(unused_variables))]
fn open_without_blocking(path: &Path, follow: bool) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        let no_follow = if follow { 0 } else { libc::O_NOFOLLOW };
        options.custom_flags(libc::O_NONBLOCK | no_follow);
    }
    options.open(path)
}

/// Bytes → text, or why they are not text keylint can read.
#[must_use]
pub fn decode(bytes: Vec<u8>) -> FileText {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return FileText::Unreadable {
            message: "the file is UTF-16 (as Windows PowerShell 5 `>` writes it): python-dotenv raises, dotenvy and docker fail, node dotenv and Compose see no variables — save it as UTF-8".to_string(),
            breaks_loaders: true,
        };
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return skipped("skipped: binary file".to_string());
    }
    match String::from_utf8(bytes) {
        Ok(text) => FileText::Text(text),
        Err(error) => FileText::Unreadable {
            message: format!(
                "not valid UTF-8 (byte {}): docker and dotenvy refuse the file and python-dotenv raises — save it as UTF-8",
                error.utf8_error().valid_up_to()
            ),
            breaks_loaders: true,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_and_limits_hold() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        std::fs::write(&path, "A=1\n").unwrap();
        assert_eq!(
            read_text(&path, 100).unwrap(),
            FileText::Text("A=1\n".into())
        );
        let FileText::Unreadable { message, .. } = read_text(&path, 2).unwrap() else {
            panic!("over the limit")
        };
        assert!(message.contains("larger than the 1 KiB limit"), "{message}");
        assert!(read_text(&dir.path().join("missing"), 100).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_skipped_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join(".env");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let FileText::Unreadable { message, .. } = read_text(&fifo, MAX_FILE_BYTES).unwrap() else {
            panic!("a FIFO is not text")
        };
        assert!(message.contains("FIFO"), "{message}");
        let zero = dir.path().join("zero.env");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let FileText::Unreadable { message, .. } = read_text(&zero, MAX_FILE_BYTES).unwrap() else {
            panic!("a device is not text")
        };
        assert!(message.contains("character device"), "{message}");
        assert_eq!(read_context(&zero), None);
        assert_eq!(read_context(&fifo), None);
    }
}
