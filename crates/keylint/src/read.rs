//! Reading a file as text, with a clear word for what is not text.

use std::path::Path;

/// Files larger than this are not linted: no real config file is this big.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

#[derive(Clone)]
pub enum FileText {
    Text(String),
    /// Not text keylint can lint; the message says why (never the content).
    Unreadable {
        message: String,
        breaks_loaders: bool,
    },
}

pub fn read_text(path: &Path) -> std::io::Result<FileText> {
    let size = std::fs::metadata(path)?.len();
    if size > MAX_FILE_BYTES {
        return Ok(FileText::Unreadable {
            message: format!(
                "skipped: {} MiB is larger than the {} MiB limit",
                size >> 20,
                MAX_FILE_BYTES >> 20
            ),
            breaks_loaders: false,
        });
    }
    Ok(decode(std::fs::read(path)?))
}

pub fn decode(bytes: Vec<u8>) -> FileText {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return FileText::Unreadable {
            message: "the file is UTF-16 (as Windows PowerShell 5 `>` writes it): python-dotenv raises, dotenvy and docker fail, node dotenv and Compose see no variables — save it as UTF-8".to_string(),
            breaks_loaders: true,
        };
    }
    if bytes.iter().take(8192).any(|&byte| byte == 0) {
        return FileText::Unreadable {
            message: "skipped: binary file".to_string(),
            breaks_loaders: false,
        };
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
