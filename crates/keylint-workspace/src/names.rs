//! Every variable of the project, by name: where it is set (and, for each program that
//! reads the file, which of the file's assignments it keeps) and where the code reads
//! it. `keylint inspect --names` prints it; names only, never values.

use std::collections::BTreeSet;

use keylint_core::assignment::Origin;
use keylint_core::code::CodeRead;
use keylint_core::consumer::Consumer;
use keylint_core::project::Project as _;
use keylint_core::source::FileKind;

use crate::Workspace;
use crate::setters::SetSite;

/// What kind of place sets a variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetKind {
    EnvFile,
    ComposeEnvironment,
    Workflow,
    Kubernetes,
    /// An `env:` mapping in other YAML (Helm values and the like).
    OtherYaml,
}

impl SetKind {
    fn of(site: &SetSite) -> SetKind {
        match (&site.origin, site.kind) {
            (Origin::EnvFile { .. }, _) => SetKind::EnvFile,
            (Origin::ComposeList | Origin::ComposeMap, _) => SetKind::ComposeEnvironment,
            (Origin::KubernetesEnv | Origin::SecretData | Origin::SecretStringData, _) => {
                SetKind::Kubernetes
            }
            (Origin::YamlEnvMap, FileKind::Workflow) => SetKind::Workflow,
            (Origin::YamlEnvMap, _) => SetKind::OtherYaml,
        }
    }

    /// Name in JSON output.
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            SetKind::EnvFile => "env_file",
            SetKind::ComposeEnvironment => "compose_environment",
            SetKind::Workflow => "workflow",
            SetKind::Kubernetes => "kubernetes",
            SetKind::OtherYaml => "yaml",
        }
    }

    /// Name in the human table.
    #[must_use]
    pub fn description(self) -> &'static str {
        match self {
            SetKind::EnvFile => "env file",
            SetKind::ComposeEnvironment => "Compose environment",
            SetKind::Workflow => "workflow env",
            SetKind::Kubernetes => "Kubernetes env",
            SetKind::OtherYaml => "YAML env",
        }
    }
}

/// Whether `consumer` keeps this assignment when the file (for YAML: the service, job
/// or object) sets the name more than once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kept {
    pub consumer: Consumer,
    pub wins: bool,
}

/// One place that sets a variable.
#[derive(Clone, Debug)]
pub struct SetPlace<'a> {
    pub site: &'a SetSite,
    pub kind: SetKind,
    /// The programs that read it: the env file's consumers (every common loader when
    /// nobody is known to read it), or the YAML value as written.
    pub consumers: Vec<Kept>,
}

/// A variable: where it is set, in the order [`Workspace::where_set`] gives (the place a
/// program gets its value from first), and where the code reads it.
#[derive(Clone, Debug)]
pub struct Variable<'a> {
    pub name: &'a str,
    pub set: Vec<SetPlace<'a>>,
    pub read: Vec<&'a CodeRead>,
}

impl Workspace {
    /// Every variable the project sets (env files, Compose `environment:`, workflow and
    /// Kubernetes `env:`; not templates) or its code reads, by name. A name the code
    /// reads in any letter case is listed under each spelling that is set, with its reads
    /// (not again on its own).
    #[must_use]
    pub fn variables(&self) -> Vec<Variable<'_>> {
        let code = self.code_index();
        let setters = self.setters();
        let set_elsewhere = |name: &str| {
            !setters.contains_key(name)
                && setters.keys().any(|set| set.eq_ignore_ascii_case(name))
                && code.reads_of(name).iter().all(|read| read.case_insensitive)
        };
        let names: BTreeSet<&str> = setters
            .keys()
            .map(String::as_str)
            .chain(code.names().filter(|name| !set_elsewhere(name)))
            .collect();
        names
            .into_iter()
            .map(|name| {
                let sites = self.where_set(name, false, None);
                let set = sites
                    .iter()
                    .map(|site| SetPlace {
                        site,
                        kind: SetKind::of(site),
                        consumers: self.kept(site, &sites),
                    })
                    .collect();
                Variable {
                    name,
                    set,
                    read: code.reads_of(name),
                }
            })
            .collect()
    }

    /// Who reads `site`'s file and whether each keeps `site` among the `all` places that
    /// set the same name.
    fn kept(&self, site: &SetSite, all: &[&SetSite]) -> Vec<Kept> {
        if site.kind == FileKind::EnvFile {
            return self
                .consumers_of(&site.path)
                .judged()
                .into_iter()
                .map(|consumer| Kept {
                    consumer,
                    wins: if consumer.first_wins() {
                        site.occurrence == 0
                    } else {
                        site.occurrence + 1 == site.occurrences
                    },
                })
                .collect();
        }
        // YAML: the last entry of a service, job or object is the one that counts.
        let later = all.iter().any(|other| {
            other.path == site.path
                && other.scope == site.scope
                && other.range.start > site.range.start
        });
        vec![Kept {
            consumer: Consumer::YamlAsWritten,
            wins: !later,
        }]
    }
}

#[cfg(test)]
mod tests {
    use crate::helpers::workspace;

    /// A place as the test compares it: file name, line, kind, (reader, wins) each.
    type Place = (String, usize, &'static str, Vec<(&'static str, bool)>);

    #[test]
    fn sets_reads_and_the_duplicate_each_loader_keeps() {
        let (_dir, workspace) = workspace(&[
            (
                "app/main.py",
                "from dotenv import load_dotenv\nimport os\nload_dotenv()\nos.environ['KEY']\nos.getenv('ONLY_READ', 'x')\n",
            ),
            ("svc/src/main.rs", "fn main() { dotenvy::dotenv().ok(); }\n"),
            (".env", "KEY=first\nKEY=second\nONLY_SET=1\n"),
            (
                "compose.yaml",
                "services:\n  api:\n    environment:\n      - KEY=a\n      - KEY=b\n  worker:\n    environment:\n      KEY: c\n",
            ),
            (
                ".github/workflows/ci.yml",
                "on: push\nenv:\n  KEY: d\njobs: {}\n",
            ),
        ]);
        let variables = workspace.variables();
        let names: Vec<&str> = variables.iter().map(|variable| variable.name).collect();
        assert_eq!(names, ["KEY", "ONLY_READ", "ONLY_SET"]);
        let key = &variables[0];
        let places: Vec<Place> = key
            .set
            .iter()
            .map(|place| {
                (
                    place
                        .site
                        .path
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                    place.site.line,
                    place.kind.id(),
                    place
                        .consumers
                        .iter()
                        .map(|kept| (kept.consumer.id(), kept.wins))
                        .collect(),
                )
            })
            .collect();
        // The .env the code loads first (python-dotenv and Compose keep the last line,
        // dotenvy the first), then Compose `environment:` (the last entry of each
        // service), then the workflow.
        let env = |line: usize, wins_last: bool| {
            (
                ".env".to_string(),
                line,
                "env_file",
                vec![
                    ("python-dotenv", wins_last),
                    ("dotenvy", !wins_last),
                    ("compose", wins_last),
                ],
            )
        };
        let yaml = |file: &str, line: usize, kind: &'static str, wins: bool| {
            (file.to_string(), line, kind, vec![("yaml", wins)])
        };
        assert_eq!(
            places,
            [
                env(2, true),
                env(1, false),
                yaml("compose.yaml", 8, "compose_environment", true),
                yaml("compose.yaml", 5, "compose_environment", true),
                yaml("compose.yaml", 4, "compose_environment", false),
                yaml("ci.yml", 3, "workflow", true),
            ]
        );
        assert_eq!(key.read.len(), 1);
        assert_eq!(key.read[0].line, 4);
        let only_read = &variables[1];
        assert!(only_read.set.is_empty());
        assert_eq!(only_read.read[0].line, 5);
        assert!(variables[2].read.is_empty());
    }

    #[test]
    fn a_name_read_in_any_case_is_listed_under_the_spelling_that_is_set() {
        let (_dir, workspace) = workspace(&[
            (
                "settings.py",
                "from pydantic_settings import BaseSettings

class Settings(BaseSettings):
    openai_api_key: str
    log_level: str
",
            ),
            (
                ".env",
                "openai_api_key=x
",
            ),
        ]);
        let variables = workspace.variables();
        let listed: Vec<(&str, usize, Vec<bool>)> = variables
            .iter()
            .map(|variable| {
                (
                    variable.name,
                    variable.set.len(),
                    variable
                        .read
                        .iter()
                        .map(|read| read.case_insensitive)
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            listed,
            [
                ("LOG_LEVEL", 0, vec![true]),
                ("openai_api_key", 1, vec![true])
            ]
        );
    }
}
