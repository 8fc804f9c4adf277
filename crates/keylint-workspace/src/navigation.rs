//! Between code and config: where a variable is set, in the order that says which place
//! a program gets its value from, and what supplies a `${NAME}` use. The language server
//! turns these into locations (docs/lsp.md, "Definition").

use std::collections::HashMap;
use std::path::Path;

use keylint_core::project::{Project as _, sibling};
use keylint_core::source::FileKind;

use crate::Workspace;
use crate::setters::SetSite;

/// How far down the order a place that sets a name comes, first to last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    /// An env file that a load in the reading file itself reads.
    LoadedHere,
    /// An env file that some other load of the project reads.
    Loaded,
    /// A Compose `environment:` entry: what the container gets.
    ComposeEnvironment,
    /// Any other env file (those Compose reads with `env_file:` among them).
    EnvFile,
    /// Workflow, Kubernetes and other YAML `env:` entries.
    OtherYaml,
}

impl Workspace {
    /// Where `name` is set (in any letter case when the program ignores case), the place
    /// whose value a program reading it in `reader` gets first:
    ///
    /// 1. env files the project's code loads (`load_dotenv()`, `dotenv.config()`,
    ///    `godotenv.Load()`, `dotenvy::dotenv()`, a loader in a package manifest), a
    ///    load in `reader` itself first;
    /// 2. Compose `environment:` entries, which win over `env_file:` in a container;
    /// 3. the other env files;
    /// 4. workflow, Kubernetes and other YAML `env:` entries.
    ///
    /// Within a group the places nearest to `reader` come first (most directories in
    /// common), then by path; within a file the duplicate its loader keeps comes first
    /// (dotenvy keeps the first, every other loader the last).
    #[must_use]
    pub fn where_set(
        &self,
        name: &str,
        case_insensitive: bool,
        reader: Option<&Path>,
    ) -> Vec<&SetSite> {
        let setters = self.setters();
        let mut sites: Vec<&SetSite> = if case_insensitive {
            setters
                .iter()
                .filter(|(set, _)| set.eq_ignore_ascii_case(name))
                .flat_map(|(_, sites)| sites)
                .collect()
        } else {
            setters.get(name).into_iter().flatten().collect()
        };
        let mut files: HashMap<&Path, (Tier, bool)> = HashMap::new();
        for site in &sites {
            files
                .entry(site.path.as_path())
                .or_insert_with(|| self.file_order(site, reader));
        }
        sites.sort_by_cached_key(|site| {
            let (tier, first_wins) = files[site.path.as_path()];
            let nearness = reader.map_or(0, |reader| dirs_in_common(reader, &site.path));
            let kept_rank = if first_wins {
                site.occurrence
            } else {
                site.occurrences - 1 - site.occurrence
            };
            (
                tier,
                std::cmp::Reverse(nearness),
                site.path.clone(),
                kept_rank,
            )
        });
        sites
    }

    /// Where the value of a `${name}` use in the YAML file at `path` comes from: for a
    /// Compose file, the `.env` beside it (and `--env-file` files), the line Compose
    /// keeps (the last) first; for a workflow, its own `env:` entries of that name.
    #[must_use]
    pub fn sources_of_use(&self, path: &Path, kind: FileKind, name: &str) -> Vec<&SetSite> {
        let sites = self.setters().get(name).into_iter().flatten();
        match kind {
            FileKind::Compose => {
                let files: Vec<_> = std::iter::once(sibling(path, ".env"))
                    .chain(self.overrides().env_files.iter().cloned())
                    .collect();
                let mut found: Vec<&SetSite> = sites
                    .filter(|site| site.kind == FileKind::EnvFile && files.contains(&site.path))
                    .collect();
                found.sort_by_key(|site| {
                    let file = files.iter().position(|file| *file == site.path);
                    (file, std::cmp::Reverse(site.occurrence))
                });
                found
            }
            FileKind::Workflow => sites.filter(|site| site.path == path).collect(),
            FileKind::EnvFile | FileKind::OtherYaml => Vec::new(),
        }
    }

    /// The group of the file `site` is in, and whether its loader keeps the first of
    /// duplicates.
    fn file_order(&self, site: &SetSite, reader: Option<&Path>) -> (Tier, bool) {
        match site.kind {
            FileKind::EnvFile => {
                let loads = self.code_index().loads_of(&site.path);
                let tier = if loads.iter().any(|load| Some(load.path.as_path()) == reader) {
                    Tier::LoadedHere
                } else if loads.is_empty() {
                    Tier::EnvFile
                } else {
                    Tier::Loaded
                };
                let first_wins = site.occurrences > 1 && {
                    let consumers = self.consumers_of(&site.path);
                    consumers.is_known()
                        && consumers
                            .judged()
                            .iter()
                            .all(|consumer| consumer.first_wins())
                };
                (tier, first_wins)
            }
            FileKind::Compose => (Tier::ComposeEnvironment, false),
            FileKind::Workflow | FileKind::OtherYaml => (Tier::OtherYaml, false),
        }
    }
}

/// How many directories the two files' folders share from the root.
fn dirs_in_common(a: &Path, b: &Path) -> usize {
    let (Some(a), Some(b)) = (a.parent(), b.parent()) else {
        return 0;
    };
    a.components()
        .zip(b.components())
        .take_while(|(a, b)| a == b)
        .count()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use keylint_core::project::normalize;

    use super::*;
    use crate::helpers::workspace;

    /// `path:line` of each place, relative to the workspace.
    fn places(dir: &tempfile::TempDir, sites: &[&SetSite]) -> Vec<String> {
        sites
            .iter()
            .map(|site| {
                let path = site.path.strip_prefix(dir.path()).unwrap();
                format!("{}:{}", path.display(), site.line)
            })
            .collect()
    }

    #[test]
    fn the_file_the_code_loads_wins_then_compose_then_other_env_files() {
        let (dir, workspace) = workspace(&[
            (
                "app/main.py",
                "from dotenv import load_dotenv\nload_dotenv('config/app.env')\nimport os\nos.environ['KEY']\n",
            ),
            ("app/config/app.env", "KEY=a\nKEY=b\n"),
            ("app/.env", "KEY=near\n"),
            ("other/.env", "KEY=far\n"),
            (
                "compose.yaml",
                "services:\n  api:\n    environment:\n      KEY: x\n",
            ),
            (
                ".github/workflows/ci.yml",
                "on: push\njobs:\n  t:\n    runs-on: x\n    env:\n      KEY: y\n    steps:\n      - run: echo\n",
            ),
        ]);
        let reader = dir.path().join("app/main.py");
        assert_eq!(
            places(&dir, &workspace.where_set("KEY", false, Some(&reader))),
            [
                // python-dotenv keeps the last duplicate.
                "app/config/app.env:2",
                "app/config/app.env:1",
                "compose.yaml:4",
                "app/.env:1",
                "other/.env:1",
                ".github/workflows/ci.yml:6",
            ]
        );
    }

    #[test]
    fn dotenvy_keeps_the_first_duplicate() {
        let (dir, workspace) = workspace(&[
            (
                "src/main.rs",
                "fn main() { dotenvy::dotenv().ok(); std::env::var(\"KEY\"); }\n",
            ),
            (".env", "KEY=first\nKEY=second\n"),
        ]);
        let reader = dir.path().join("src/main.rs");
        assert_eq!(
            places(&dir, &workspace.where_set("KEY", false, Some(&reader))),
            [".env:1", ".env:2"]
        );
    }

    #[test]
    fn names_read_in_any_case_find_every_spelling() {
        let (dir, workspace) = workspace(&[(".env", "openai_api_key=a\nOPENAI_API_KEY=b\n")]);
        assert_eq!(
            places(&dir, &workspace.where_set("OPENAI_API_KEY", true, None)).len(),
            2
        );
        assert_eq!(
            places(&dir, &workspace.where_set("OPENAI_API_KEY", false, None)),
            [".env:2"]
        );
    }

    #[test]
    fn a_compose_use_comes_from_the_env_file_beside_it_and_a_workflow_use_from_its_env() {
        let (dir, workspace) = workspace(&[
            (
                "deploy/compose.yaml",
                "services:\n  api:\n    environment:\n      KEY: ${KEY}\n",
            ),
            ("deploy/.env", "KEY=a\nKEY=b\n"),
            (".env", "KEY=elsewhere\n"),
            (
                ".github/workflows/ci.yml",
                "on: push\njobs:\n  t:\n    runs-on: x\n    env:\n      KEY: y\n    steps:\n      - run: echo $KEY\n",
            ),
        ]);
        let compose = dir.path().join("deploy/compose.yaml");
        assert_eq!(
            places(
                &dir,
                &workspace.sources_of_use(&normalize(&compose), FileKind::Compose, "KEY")
            ),
            ["deploy/.env:2", "deploy/.env:1"]
        );
        let workflow = normalize(&dir.path().join(".github/workflows/ci.yml"));
        assert_eq!(
            places(
                &dir,
                &workspace.sources_of_use(&workflow, FileKind::Workflow, "KEY")
            ),
            [".github/workflows/ci.yml:6"]
        );
        let uses: Vec<(PathBuf, usize)> = workspace.uses()["KEY"]
            .iter()
            .map(|site| {
                (
                    site.path.strip_prefix(dir.path()).unwrap().to_path_buf(),
                    site.line,
                )
            })
            .collect();
        assert!(
            uses.contains(&(PathBuf::from("deploy/compose.yaml"), 4)),
            "{uses:?}"
        );
        assert!(
            uses.contains(&(PathBuf::from(".github/workflows/ci.yml"), 8)),
            "{uses:?}"
        );
    }

    #[test]
    fn open_buffers_replace_their_file() {
        let (dir, mut workspace) = workspace(&[(".env", "KEY=a\n")]);
        workspace.set_overlay(&dir.path().join(".env"), Arc::from("# moved\n\nKEY=b\n"));
        assert_eq!(
            places(&dir, &workspace.where_set("KEY", false, None)),
            [".env:3"]
        );
    }
}
