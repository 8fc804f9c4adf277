//! `keylint inspect --names`: every variable of a project, where it is set and where the
//! code reads it. The workspace assembles it (`Workspace::variables`); this file walks
//! the directory, makes paths relative to it, masks and prints. Names only: no value is
//! read for this output, and a key written where a name goes is masked like everywhere.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Result, bail};
use keylint_core::mask::{for_display, for_display_lines};
use keylint_core::project::normalize;
use keylint_workspace::config::{ConfigChoice, Configs};
use keylint_workspace::discover::discover_with;
use keylint_workspace::names::{Kept, SetKind, SetPlace, Variable};
use keylint_workspace::{Index, Overrides, Workspace};
use serde::Serialize;

use crate::inspect_command::{Format, JsonOutput, to_json};

pub fn render(root: &Path, format: Format) -> Result<String> {
    if root.exists() && !root.is_dir() {
        bail!(
            "--names takes the project directory, not a file: {}",
            root.display()
        );
    }
    let configs = Arc::new(Configs::new(ConfigChoice::Discover, None));
    let discovery = discover_with(&[root.to_path_buf()], &configs)?;
    let workspace = Workspace::new(
        Index::from_discovery(&discovery),
        configs,
        Overrides {
            base: std::env::current_dir().unwrap_or_default(),
            ..Overrides::default()
        },
    );
    let variables = workspace.variables();
    let shown_root = root.display().to_string();
    let root = normalize(root);
    Ok(match format {
        Format::Json => names_json(&variables, &root),
        Format::Human => {
            for_display_lines(&names_human(&variables, &root, &shown_root)).into_owned()
        }
    })
}

/// `path` relative to the inspected directory, as shown (`/` between components).
fn relative(path: &Path, root: &Path) -> String {
    let inside = path.strip_prefix(root).unwrap_or(path);
    inside
        .components()
        .map(|component| component.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Who gets the value of `place`: the programs that keep it, and those that keep
/// another line of the same file (or a later entry of the same service or job).
fn who_gets(place: &SetPlace) -> String {
    let scope = place
        .site
        .scope
        .as_deref()
        .map(|scope| format!(" ({scope})"))
        .unwrap_or_default();
    let (winners, losers): (Vec<_>, Vec<_>) = place.consumers.iter().partition(|kept| kept.wins);
    let names = |kept: &[&Kept]| {
        kept.iter()
            .map(|kept| kept.consumer.display_name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if place.kind != SetKind::EnvFile {
        return if losers.is_empty() {
            format!("as written{scope}")
        } else {
            format!("overridden by a later entry{scope}")
        };
    }
    match (winners.is_empty(), losers.is_empty()) {
        (false, true) => names(&winners),
        (false, false) => format!("{} (not {}: another line)", names(&winners), names(&losers)),
        (true, _) => format!("nobody: {} keep another line", names(&losers)),
    }
}

fn names_human(variables: &[Variable], root: &Path, shown_root: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Variables of {} (where each is set, who gets which line, where the code reads it)",
        for_display(shown_root)
    );
    if variables.is_empty() {
        let _ = writeln!(out, "  no variables");
        return out;
    }
    let place = |path: &Path, line: usize| format!("{}:{line}", for_display(&relative(path, root)));
    let place_width = variables
        .iter()
        .flat_map(|variable| {
            let set = variable
                .set
                .iter()
                .map(|set| place(&set.site.path, set.site.line));
            let read = variable
                .read
                .iter()
                .map(|read| place(&read.path, read.line));
            set.chain(read)
        })
        .map(|shown| shown.chars().count())
        .max()
        .unwrap_or(0);
    let kind_width = variables
        .iter()
        .flat_map(|variable| &variable.set)
        .map(|set| set.kind.description().len())
        .max()
        .unwrap_or(0);
    for variable in variables {
        let _ = writeln!(out, "{}", for_display(variable.name));
        if variable.set.is_empty() {
            let _ = writeln!(out, "  set   nowhere");
        }
        for (index, set) in variable.set.iter().enumerate() {
            let label = if index == 0 { "set " } else { "    " };
            let _ = writeln!(
                out,
                "  {label}  {:place_width$}  {:kind_width$}  {}",
                place(&set.site.path, set.site.line),
                set.kind.description(),
                who_gets(set),
            );
        }
        if variable.read.is_empty() {
            let _ = writeln!(out, "  read  nowhere in the code");
        }
        for (index, read) in variable.read.iter().enumerate() {
            let label = if index == 0 { "read" } else { "    " };
            let mut notes = Vec::new();
            if read.by_default {
                notes.push("an SDK client reads it by default");
            }
            if read.case_insensitive {
                notes.push("any letter case");
            }
            let shown = place(&read.path, read.line);
            if notes.is_empty() {
                let _ = writeln!(out, "  {label}  {shown}");
            } else {
                let _ = writeln!(out, "  {label}  {shown:place_width$}  {}", notes.join(", "));
            }
        }
    }
    out
}

#[derive(Serialize)]
struct JsonVariable {
    name: String,
    set: Vec<JsonSet>,
    read: Vec<JsonRead>,
}

#[derive(Serialize)]
struct JsonSet {
    path: String,
    line: usize,
    kind: &'static str,
    /// The Compose service, Kubernetes object or workflow job.
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    consumers: Vec<JsonKept>,
}

#[derive(Serialize)]
struct JsonKept {
    consumer: &'static str,
    wins: bool,
}

#[derive(Serialize)]
struct JsonRead {
    path: String,
    line: usize,
    by_default: bool,
    case_insensitive: bool,
}

fn names_json(variables: &[Variable], root: &Path) -> String {
    let variables = variables
        .iter()
        .map(|variable| JsonVariable {
            name: variable.name.to_string(),
            set: variable
                .set
                .iter()
                .map(|set| JsonSet {
                    path: relative(&set.site.path, root),
                    line: set.site.line,
                    kind: set.kind.id(),
                    scope: set.site.scope.clone(),
                    consumers: set
                        .consumers
                        .iter()
                        .map(|kept| JsonKept {
                            consumer: kept.consumer.id(),
                            wins: kept.wins,
                        })
                        .collect(),
                })
                .collect(),
            read: variable
                .read
                .iter()
                .map(|read| JsonRead {
                    path: relative(&read.path, root),
                    line: read.line,
                    by_default: read.by_default,
                    case_insensitive: read.case_insensitive,
                })
                .collect(),
        })
        .collect();
    // `to_json` masks every string (a key where a name goes) as the other inspect output.
    to_json(&JsonOutput {
        version: 1,
        variables,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_inspected_directory() {
        assert_eq!(
            relative(Path::new("app/x/.env"), Path::new("app")),
            "x/.env"
        );
        assert_eq!(
            relative(Path::new("compose.yaml"), Path::new("")),
            "compose.yaml"
        );
    }
}
