//! Probe results cached by a hash of what was sent, for 10 minutes.
//!
//! Hover in an editor asks about the same key again and again; the provider should
//! see one request, not one per mouse move. The cache key is a SHA-256 over the
//! provider, the key, the header values and the URL, so changing any of them (a new
//! `OPENAI_ORG_ID`, a different base URL) probes again, and the key itself is never
//! stored: the memory cache holds hashes and outcomes, and the optional disk cache
//! (used by the CLI, under the user's cache directory) holds files named by the hash
//! hex whose content is the outcome JSON — verdict, status, code, host, header names
//! and messages, which never contain the key.
//!
//! `unknown` outcomes are not cached: they describe the network, not the key, and the
//! user who fixes the network wants the next probe to be live.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{ProbeOutcome, Verdict};
use keylint_core::provider::{KeyHeader, Provider};

/// How long a result stays valid.
pub const CACHE_TTL: Duration = Duration::from_secs(10 * 60);

/// The memory cache forgets expired entries once it holds this many.
const PRUNE_ABOVE: usize = 512;

/// SHA-256 hex over the provider, key, header values and URL. Each field is
/// length-prefixed so that no two different inputs hash the same bytes.
#[must_use]
pub fn cache_key(provider: Provider, key: &str, headers: &[(&str, &str)], url: &str) -> String {
    let mut hasher = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    field(b"keylint-probe cache v1");
    field(provider.id().as_bytes());
    field(key.as_bytes());
    for (name, value) in headers {
        field(name.to_ascii_lowercase().as_bytes());
        field(value.as_bytes());
    }
    field(url.as_bytes());
    let digest = hasher.finalize();
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Whether an outcome may be cached (see the module documentation).
#[must_use]
pub fn is_cacheable(outcome: &ProbeOutcome) -> bool {
    outcome.verdict != Verdict::Unknown
}

/// In-memory cache shared by all clones of a [`Prober`](crate::Prober).
#[derive(Debug)]
pub struct MemoryCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Instant, ProbeOutcome)>>,
}

impl MemoryCache {
    /// An empty cache whose entries live `ttl`.
    #[must_use]
    pub fn new(ttl: Duration) -> MemoryCache {
        MemoryCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The outcome stored under `hash` if it is younger than the TTL at `now`.
    #[must_use]
    pub fn get(&self, hash: &str, now: Instant) -> Option<ProbeOutcome> {
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        match entries.get(hash) {
            Some((stored, outcome)) if now.saturating_duration_since(*stored) < self.ttl => {
                Some(outcome.clone())
            }
            Some(_) => {
                entries.remove(hash);
                None
            }
            None => None,
        }
    }

    /// Stores `outcome` under `hash` as of `now`.
    pub fn insert(&self, hash: String, outcome: ProbeOutcome, now: Instant) {
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        if entries.len() >= PRUNE_ABOVE {
            let ttl = self.ttl;
            entries.retain(|_, (stored, _)| now.saturating_duration_since(*stored) < ttl);
        }
        entries.insert(hash, (now, outcome));
    }
}

/// The on-disk form of an outcome. Header names are stored as text and mapped back
/// to the crate's static names when read.
#[derive(Debug, Serialize, Deserialize)]
struct DiskRecord {
    version: u32,
    stored_at: u64,
    #[serde(with = "crate::verdict_name")]
    verdict: Verdict,
    http_status: Option<u16>,
    error_code: Option<String>,
    host: String,
    headers_sent: Vec<String>,
    message: String,
    fix: String,
}

const DISK_VERSION: u32 = 1;

/// A directory of `<sha256 hex>.json` files, one per cached outcome.
#[derive(Debug, Clone)]
pub struct DiskCache {
    dir: PathBuf,
    ttl: Duration,
}

impl DiskCache {
    /// A cache in `dir` (created on first write) whose entries live `ttl`.
    #[must_use]
    pub fn new(dir: PathBuf, ttl: Duration) -> DiskCache {
        DiskCache { dir, ttl }
    }

    /// The directory holding the cache files.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, hash: &str) -> Option<PathBuf> {
        // The hash is ours, but never let it name anything outside the directory.
        if hash.is_empty() || !hash.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return None;
        }
        Some(self.dir.join(format!("{hash}.json")))
    }

    /// The outcome stored under `hash`, if present, readable and fresh at `now`.
    /// Expired or unreadable files are removed.
    #[must_use]
    pub fn get(&self, hash: &str, now: SystemTime) -> Option<ProbeOutcome> {
        let path = self.path(hash)?;
        let text = fs::read_to_string(&path).ok()?;
        let Ok(record) = serde_json::from_str::<DiskRecord>(&text) else {
            let _ = fs::remove_file(&path);
            return None;
        };
        let now_secs = now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |age| age.as_secs());
        let fresh = record.version == DISK_VERSION
            && record.stored_at <= now_secs
            && now_secs - record.stored_at < self.ttl.as_secs();
        if !fresh {
            let _ = fs::remove_file(&path);
            return None;
        }
        Some(ProbeOutcome {
            verdict: record.verdict,
            http_status: record.http_status,
            error_code: record.error_code,
            host: record.host,
            headers_sent: record
                .headers_sent
                .iter()
                .filter_map(|name| static_header_name(name))
                .collect(),
            message: record.message,
            fix: record.fix,
            cached: true,
        })
    }

    /// Stores `outcome` under `hash` as of `now`: written to a temporary file and
    /// renamed, readable by the user only. Errors are ignored (a cache is optional).
    pub fn put(&self, hash: &str, outcome: &ProbeOutcome, now: SystemTime) {
        let _ = self.try_put(hash, outcome, now);
    }

    fn try_put(&self, hash: &str, outcome: &ProbeOutcome, now: SystemTime) -> std::io::Result<()> {
        let Some(path) = self.path(hash) else {
            return Ok(());
        };
        let record = DiskRecord {
            version: DISK_VERSION,
            stored_at: now
                .duration_since(UNIX_EPOCH)
                .map_or(0, |age| age.as_secs()),
            verdict: outcome.verdict,
            http_status: outcome.http_status,
            error_code: outcome.error_code.clone(),
            host: outcome.host.clone(),
            headers_sent: outcome
                .headers_sent
                .iter()
                .map(|name| (*name).to_string())
                .collect(),
            message: outcome.message.clone(),
            fix: outcome.fix.clone(),
        };
        let json = serde_json::to_vec_pretty(&record).map_err(std::io::Error::other)?;
        create_private_dir(&self.dir)?;
        let temp = self.dir.join(format!(".{hash}.{}.tmp", std::process::id()));
        {
            let mut file = create_private_file(&temp)?;
            file.write_all(&json)?;
            file.sync_all()?;
        }
        fs::rename(&temp, &path).inspect_err(|_| {
            let _ = fs::remove_file(&temp);
        })
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

fn create_private_file(path: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Maps a stored header name back to the `&'static str` the crate reports.
fn static_header_name(name: &str) -> Option<&'static str> {
    Provider::ALL.iter().find_map(|provider| {
        let spec = provider.spec();
        let key_header = match spec.key_header {
            KeyHeader::Bearer => "Authorization",
            KeyHeader::Named(header) => header,
        };
        std::iter::once(key_header)
            .chain(spec.static_headers.iter().map(|(header, _)| *header))
            .chain(spec.org_header)
            .chain(spec.project_header)
            .find(|candidate| candidate.eq_ignore_ascii_case(name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(verdict: Verdict) -> ProbeOutcome {
        ProbeOutcome {
            verdict,
            http_status: Some(401),
            error_code: Some("invalid_api_key".into()),
            host: "api.openai.com".into(),
            headers_sent: vec!["Authorization", "OpenAI-Organization"],
            message: "m".into(),
            fix: "f".into(),
            cached: false,
        }
    }

    #[test]
    fn key_depends_on_every_field() {
        let base = cache_key(
            Provider::OpenAi,
            "k",
            &[("OpenAI-Organization", "org")],
            "u",
        );
        assert_eq!(base.len(), 64);
        assert_eq!(
            base,
            cache_key(
                Provider::OpenAi,
                "k",
                &[("openai-organization", "org")],
                "u"
            )
        );
        for other in [
            cache_key(
                Provider::Anthropic,
                "k",
                &[("OpenAI-Organization", "org")],
                "u",
            ),
            cache_key(
                Provider::OpenAi,
                "k2",
                &[("OpenAI-Organization", "org")],
                "u",
            ),
            cache_key(
                Provider::OpenAi,
                "k",
                &[("OpenAI-Organization", "org2")],
                "u",
            ),
            cache_key(Provider::OpenAi, "k", &[], "u"),
            cache_key(
                Provider::OpenAi,
                "k",
                &[("OpenAI-Organization", "org")],
                "u2",
            ),
            // Length prefixes: moving bytes between fields changes the hash.
            cache_key(
                Provider::OpenAi,
                "ko",
                &[("OpenAI-Organization", "rg")],
                "u",
            ),
        ] {
            assert_ne!(base, other);
        }
        assert!(base.chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn memory_ttl() {
        let cache = MemoryCache::new(CACHE_TTL);
        let start = Instant::now();
        cache.insert("aa".into(), outcome(Verdict::InvalidKey), start);
        assert!(cache.get("aa", start + Duration::from_secs(599)).is_some());
        assert!(cache.get("aa", start + Duration::from_secs(600)).is_none());
        assert!(
            cache.get("aa", start).is_none(),
            "expired entries are removed"
        );
        assert!(cache.get("bb", start).is_none());
    }

    #[test]
    fn disk_round_trip_ttl_and_hygiene() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DiskCache::new(dir.path().join("probe"), CACHE_TTL);
        let hash = cache_key(Provider::OpenAi, "secret", &[], "u");
        let now = SystemTime::now();
        cache.put(&hash, &outcome(Verdict::InvalidKey), now);
        let read = cache.get(&hash, now + Duration::from_secs(60)).unwrap();
        assert!(read.cached);
        assert_eq!(read.verdict, Verdict::InvalidKey);
        assert_eq!(
            read.headers_sent,
            vec!["Authorization", "OpenAI-Organization"]
        );
        assert!(cache.get(&hash, now + Duration::from_secs(601)).is_none());
        assert!(
            !dir.path()
                .join("probe")
                .join(format!("{hash}.json"))
                .exists(),
            "expired file removed"
        );
        // Names that are not hashes never touch the file system.
        assert!(cache.get("../../etc/passwd", now).is_none());
        cache.put("../x", &outcome(Verdict::Ok), now);
        assert!(!dir.path().join("x.json").exists());
        // A corrupt file is dropped.
        fs::write(dir.path().join("probe").join("ab.json"), "{").unwrap();
        assert!(cache.get("ab", now).is_none());
        assert!(!dir.path().join("probe").join("ab.json").exists());
    }

    #[cfg(unix)]
    #[test]
    fn disk_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let cache = DiskCache::new(dir.path().join("c"), CACHE_TTL);
        cache.put("abcd", &outcome(Verdict::Ok), SystemTime::now());
        let mode = fs::metadata(dir.path().join("c").join("abcd.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
}
