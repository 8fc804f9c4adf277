//! Settings (docs/lsp.md), from `initializationOptions` and
//! `workspace/didChangeConfiguration` only:
//! `{"keylint": {"probe": {"enable", "timeoutMs", "allowedHosts"}, "select", "ignore",
//! "consumers": {"glob": "consumer"}}}`.
//!
//! `allowedHosts` is a user-level setting: the server never reads it from
//! `workspace/configuration` answers or from files in the workspace.

use std::time::Duration;

use keylint_core::consumer::Consumer;
use keylint_probe::ProbeSettings;
use keylint_probe::target::AllowedHost;
use keylint_workspace::Overrides;
use serde_json::Value;

/// Default hard limit for one probe.
pub const DEFAULT_PROBE_TIMEOUT_MS: u64 = 5000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Live probe in hover (official hosts only unless `allowed_hosts` says otherwise).
    pub probe_enable: bool,
    pub probe_timeout_ms: u64,
    pub allowed_hosts: Vec<String>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// (glob, consumer) in the order given.
    pub consumers: Vec<(String, Consumer)>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            probe_enable: true,
            probe_timeout_ms: DEFAULT_PROBE_TIMEOUT_MS,
            allowed_hosts: Vec::new(),
            select: Vec::new(),
            ignore: Vec::new(),
            consumers: Vec::new(),
        }
    }
}

impl Settings {
    /// Reads `{"keylint": {...}}` (or the inner object itself). Missing or malformed
    /// entries keep their defaults; invalid hosts and unknown consumers are dropped and
    /// reported in the returned list of warnings.
    #[must_use]
    pub fn from_json(value: Option<&Value>) -> (Settings, Vec<String>) {
        let mut settings = Settings::default();
        let mut warnings = Vec::new();
        let Some(value) = value else {
            return (settings, warnings);
        };
        let root = value.get("keylint").unwrap_or(value);
        if let Some(probe) = root.get("probe") {
            if let Some(enable) = probe.get("enable").and_then(Value::as_bool) {
                settings.probe_enable = enable;
            }
            if let Some(timeout) = probe.get("timeoutMs").and_then(Value::as_u64) {
                settings.probe_timeout_ms = timeout.clamp(1, 60_000);
            }
            for host in strings(probe.get("allowedHosts")) {
                if AllowedHost::parse(&host).is_some() {
                    settings.allowed_hosts.push(host);
                } else {
                    warnings.push(format!(
                        "keylint.probe.allowedHosts: `{host}` is not HOST or HOST:PORT; ignored"
                    ));
                }
            }
        }
        settings.select = strings(root.get("select"));
        settings.ignore = strings(root.get("ignore"));
        if let Some(consumers) = root.get("consumers").and_then(Value::as_object) {
            for (glob, consumer) in consumers {
                let id = consumer.as_str().unwrap_or_default();
                match Consumer::from_id(id) {
                    Some(consumer) if globset::Glob::new(glob).is_ok() => {
                        settings.consumers.push((glob.clone(), consumer));
                    }
                    _ => warnings.push(format!(
                        "keylint.consumers: `{glob}` = `{id}` is not a glob and a consumer ({}); ignored",
                        Consumer::env_file_ids()
                    )),
                }
            }
        }
        (settings, warnings)
    }

    /// What these settings say over `keylint.toml`, as command-line flags would: a
    /// non-empty `select`/`ignore` replaces the config's, `consumers` win over its
    /// `[consumers]` (globs relative to the workspace folder).
    #[must_use]
    pub fn overrides(&self, root: Option<&std::path::Path>) -> Overrides {
        Overrides {
            select: (!self.select.is_empty()).then(|| self.select.clone()),
            ignore: (!self.ignore.is_empty()).then(|| self.ignore.clone()),
            consumers: self.consumers.clone(),
            env_files: Vec::new(),
            base: root.map(std::path::Path::to_path_buf).unwrap_or_default(),
        }
    }

    #[must_use]
    pub fn probe_settings(&self) -> ProbeSettings {
        ProbeSettings {
            timeout: Duration::from_millis(self.probe_timeout_ms),
            allowed_hosts: self.allowed_hosts.clone(),
            ..ProbeSettings::default()
        }
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_documented_shape() {
        let (settings, warnings) = Settings::from_json(Some(&json!({"keylint": {
            "probe": {"enable": false, "timeoutMs": 250, "allowedHosts": ["127.0.0.1:8080", "not a host"]},
            "select": ["KL1"], "ignore": ["KL103"],
            "consumers": {"deploy/*.env": "docker-env-file", "x": "nope"}
        }})));
        assert!(!settings.probe_enable);
        assert_eq!(settings.probe_timeout_ms, 250);
        assert_eq!(settings.allowed_hosts, ["127.0.0.1:8080"]);
        assert_eq!(settings.select, ["KL1"]);
        assert_eq!(settings.ignore, ["KL103"]);
        assert_eq!(
            settings.consumers,
            [("deploy/*.env".to_string(), Consumer::DockerEnvFile)]
        );
        assert_eq!(warnings.len(), 2);
        assert_eq!(Settings::from_json(None).0, Settings::default());
    }
}
