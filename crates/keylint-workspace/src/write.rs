//! Writing files keylint changes (`--fix`) or creates (`--output`), without losing or
//! leaking anything:
//!
//! - A fix goes to the real file behind a symlink, not over the link.
//! - The new text is written to a temporary file, then renamed over the old one, so a
//!   crash leaves either version, never half of one. The temporary file lives in a
//!   `.keylint-tmp/` directory beside the file whose own `.gitignore` ignores it, so an
//!   interrupted run never gets a copy of a secret file staged by `git add -A`; a signal
//!   removes it at once ([`remove_unfinished`]), and a later write in that directory
//!   removes what a killed run left.
//! - The file keeps its mode and its owner (a fix run as root must not hand the app's
//!   `.env` to root), and a file that changed since it was read is not overwritten.
//! - A report written to a FIFO or a device (`--output /dev/stdout`) is written into it.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context as _, Result, bail};

use crate::files::{FileText, MAX_FILE_BYTES, read_text, special_kind};

/// The directory beside a written file that holds its temporary copy.
pub const TEMP_DIR: &str = ".keylint-tmp";

/// Temporary files of writes in progress, for [`remove_unfinished`].
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Replaces `path` (or the file it links to) with `fixed`, if it still holds `original`.
pub fn write_fixed(path: &Path, original: &str, fixed: &str) -> Result<()> {
    let real = std::fs::canonicalize(path)
        .with_context(|| format!("cannot resolve {}", path.display()))?;
    let metadata =
        std::fs::metadata(&real).with_context(|| format!("cannot read {}", path.display()))?;
    if let Some(kind) = special_kind(&metadata) {
        bail!("{} is {kind}, not a file keylint can fix", path.display());
    }
    replace(
        &real,
        fixed,
        &Keep {
            permissions: Some(metadata.permissions()),
            owner: owner_of(&metadata),
            original: Some(original),
        },
    )
    .with_context(|| format!("{} is not fixed", path.display()))
}

/// Writes a report to `path`: into it when it is a FIFO or a device, else atomically
/// over the regular file it is or links to (keeping its mode and owner), else a new
/// file readable by others, like any report.
pub fn write_report(path: &Path, contents: &str) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(metadata) if special_kind(&metadata).is_some() => {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            file.write_all(contents.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))
        }
        Ok(metadata) => {
            let real = std::fs::canonicalize(path)
                .with_context(|| format!("cannot resolve {}", path.display()))?;
            replace(
                &real,
                contents,
                &Keep {
                    permissions: Some(metadata.permissions()),
                    owner: owner_of(&metadata),
                    original: None,
                },
            )
            .with_context(|| format!("cannot write {}", path.display()))
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            // A dangling symlink is written through: the file appears where it points.
            let target = match std::fs::read_link(path) {
                Ok(target) => path.parent().unwrap_or(Path::new("")).join(target),
                Err(_) => path.to_path_buf(),
            };
            replace(&target, contents, &Keep::new_report())
                .with_context(|| format!("cannot write {}", path.display()))
        }
        Err(error) => Err(error).with_context(|| format!("cannot write {}", path.display())),
    }
}

/// Removes the temporary files of writes still in progress. Called on SIGINT, SIGTERM
/// and SIGHUP before the process exits.
pub fn remove_unfinished() {
    let unfinished = UNFINISHED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for path in unfinished.iter() {
        let _ = std::fs::remove_file(path);
        if let Some(dir) = path.parent() {
            remove_if_only_ignore_file(dir);
        }
    }
}

/// What the new file keeps of the old one.
struct Keep<'a> {
    permissions: Option<std::fs::Permissions>,
    owner: Option<(u32, u32)>,
    /// The text the file must still hold for the write to go ahead.
    original: Option<&'a str>,
}

impl Keep<'_> {
    fn new_report() -> Keep<'static> {
        #[cfg(unix)]
        let permissions = {
            use std::os::unix::fs::PermissionsExt as _;
            Some(std::fs::Permissions::from_mode(0o644))
        };
        #[cfg(not(unix))]
        let permissions = None;
        Keep {
            permissions,
            owner: None,
            original: None,
        }
    }
}

fn replace(real: &Path, contents: &str, keep: &Keep) -> Result<()> {
    let dir = real
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let temp_dir = temp_dir_in(dir)?;
    let mut temporary = tempfile::Builder::new()
        .prefix(&format!("{}-", std::process::id()))
        .tempfile_in(&temp_dir)
        .with_context(|| format!("cannot write in {}", temp_dir.display()))?;
    register(temporary.path());
    let result = (|| -> Result<()> {
        temporary.write_all(contents.as_bytes())?;
        temporary.as_file().sync_all()?;
        if let Some(permissions) = &keep.permissions {
            temporary.as_file().set_permissions(permissions.clone())?;
        }
        keep_owner(temporary.as_file(), keep.owner)?;
        pause_for_tests();
        if let Some(original) = keep.original {
            let now = read_text(real, MAX_FILE_BYTES)?;
            if now != FileText::Text(original.to_string()) {
                bail!("it changed since keylint read it; run keylint again");
            }
        }
        Ok(())
    })();
    let path = temporary.path().to_path_buf();
    let outcome = result.and_then(|()| {
        temporary
            .persist(real)
            .map(drop)
            .map_err(|error| anyhow::Error::new(error.error))
    });
    // On failure the temporary file was removed when it was dropped.
    unregister(&path);
    remove_if_only_ignore_file(&temp_dir);
    outcome
}

/// `dir/.keylint-tmp`, created with a `.gitignore` that ignores everything in it, after
/// removing what killed runs left there.
fn temp_dir_in(dir: &Path) -> Result<PathBuf> {
    let temp_dir = dir.join(TEMP_DIR);
    std::fs::create_dir_all(&temp_dir)
        .with_context(|| format!("cannot create {}", temp_dir.display()))?;
    let ignore = temp_dir.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(
            &ignore,
            "# keylint's temporary files: never commit them\n*\n",
        )
        .with_context(|| format!("cannot write {}", ignore.display()))?;
    }
    remove_stale(&temp_dir);
    Ok(temp_dir)
}

/// Removes temporary files of processes that no longer run (on Linux, by their pid;
/// elsewhere, those older than an hour).
fn remove_stale(temp_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(temp_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        if name == ".gitignore" {
            continue;
        }
        let pid = name
            .split('-')
            .next()
            .and_then(|pid| pid.parse::<u32>().ok());
        let stale = match pid {
            Some(pid) if pid == std::process::id() => false,
            Some(pid) if Path::new("/proc/self").exists() => {
                !Path::new(&format!("/proc/{pid}")).exists()
            }
            _ => entry
                .metadata()
                .and_then(|metadata| metadata.modified())
                .ok()
                .and_then(|modified| modified.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600),
        };
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Removes `.keylint-tmp` when nothing but its `.gitignore` is left.
fn remove_if_only_ignore_file(temp_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(temp_dir) else {
        return;
    };
    let only_ignore = entries
        .flatten()
        .all(|entry| entry.file_name() == ".gitignore");
    if only_ignore {
        let _ = std::fs::remove_file(temp_dir.join(".gitignore"));
        let _ = std::fs::remove_dir(temp_dir);
    }
}

/// Debug builds only: `KEYLINT_TEST_WRITE_PAUSE_MS` holds a write between its temporary
/// copy and the rename, so tests can interrupt it or edit the file meanwhile.
fn pause_for_tests() {
    #[cfg(debug_assertions)]
    if let Some(pause) = std::env::var("KEYLINT_TEST_WRITE_PAUSE_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(pause));
    }
}

fn register(path: &Path) {
    UNFINISHED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(path.to_path_buf());
}

fn unregister(path: &Path) {
    UNFINISHED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .retain(|unfinished| unfinished != path);
}

#[cfg(unix)]
fn owner_of(metadata: &std::fs::Metadata) -> Option<(u32, u32)> {
    use std::os::unix::fs::MetadataExt as _;
    Some((metadata.uid(), metadata.gid()))
}

#[cfg(not(unix))]
fn owner_of(_metadata: &std::fs::Metadata) -> Option<(u32, u32)> {
    None
}

/// Gives the new file the old one's owner; refuses when that is not possible (a fix run
/// by another user than the owner would hand the file to that user).
#[cfg(unix)]
fn keep_owner(file: &std::fs::File, owner: Option<(u32, u32)>) -> Result<()> {
    use std::os::unix::fs::MetadataExt as _;
    let Some((uid, gid)) = owner else {
        return Ok(());
    };
    let current = file.metadata()?;
    if (current.uid(), current.gid()) == (uid, gid) {
        return Ok(());
    }
    std::os::unix::fs::fchown(file, Some(uid), Some(gid)).with_context(|| {
        format!("it belongs to user {uid} (group {gid}) and keylint cannot keep that owner; run it as that user")
    })
}

#[cfg(not(unix))]
fn keep_owner(_file: &std::fs::File, _owner: Option<(u32, u32)>) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_go_through_symlinks_and_leave_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.env");
        std::fs::write(&real, "A= 1\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
            std::os::unix::fs::symlink("real.env", dir.path().join(".env")).unwrap();
        }
        #[cfg(not(unix))]
        std::fs::copy(&real, dir.path().join(".env")).unwrap();
        write_fixed(&dir.path().join(".env"), "A= 1\n", "A=1\n").unwrap();
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "A=1\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            assert!(
                std::fs::symlink_metadata(dir.path().join(".env"))
                    .unwrap()
                    .is_symlink()
            );
            let mode = std::fs::metadata(&real).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        std::fs::write(&path, "A=edited by the user\n").unwrap();
        let error = write_fixed(&path, "A= 1\n", "A=1\n").unwrap_err();
        assert!(format!("{error:#}").contains("changed since keylint read it"));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "A=edited by the user\n"
        );
        assert!(!dir.path().join(TEMP_DIR).exists());
    }

    #[test]
    fn stale_temporary_files_are_ignored_by_git_and_removed_later() {
        let dir = tempfile::tempdir().unwrap();
        let temp_dir = dir.path().join(TEMP_DIR);
        std::fs::create_dir(&temp_dir).unwrap();
        std::fs::write(temp_dir.join(".gitignore"), "*\n").unwrap();
        // A process id that cannot be running (above the kernel's maximum).
        let stale = temp_dir.join("4294967295-abc");
        std::fs::write(&stale, "OPENAI_API_KEY=secret\n").unwrap();
        let path = dir.path().join(".env");
        std::fs::write(&path, "A= 1\n").unwrap();
        write_fixed(&path, "A= 1\n", "A=1\n").unwrap();
        if Path::new("/proc/self").exists() {
            assert!(!stale.exists());
            assert!(!temp_dir.exists());
        }
    }

    #[cfg(unix)]
    #[test]
    fn reports_are_written_into_fifos_and_through_links() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("report.fifo");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let reader = std::thread::spawn({
            let fifo = fifo.clone();
            move || std::fs::read_to_string(fifo).unwrap()
        });
        write_report(&fifo, "report\n").unwrap();
        assert_eq!(reader.join().unwrap(), "report\n");
        use std::os::unix::fs::FileTypeExt as _;
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());

        let real = dir.path().join("real.sarif");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("out.sarif");
        std::os::unix::fs::symlink("real.sarif", &link).unwrap();
        write_report(&link, "new").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }
}
