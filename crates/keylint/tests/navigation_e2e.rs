//! Navigation end to end: the real `keylint lsp` binary over stdio on a small project in
//! each language (Python, TypeScript, Go, Rust; Java and C# for definition and references),
//! in UTF-8 and UTF-16 positions:
//! definition from every read form in code to the `.env` line first and then the Compose
//! and workflow entries, and from a Compose `${X}` to the `.env` line; references from the
//! `.env` name to the read in code and the `${X}`/`$X` uses (the assignments too with
//! `includeDeclaration`); completion of names in `.env` and in Compose `environment:`
//! (list and map form); hover on the read in code with the masked value each consumer
//! receives and the live probe (a loopback mock). Every response and the server's log
//! pass the shared leak check.

#[path = "../../keylint-lsp/tests/common/mod.rs"]
mod common;

use std::ops::Range;
use std::time::{Duration, Instant};

use common::*;
use keylint_test_support::Secrets;
use serde_json::{Value, json};

/// One language's project: a source file that reads `OPENAI_API_KEY` and
/// `OPENAI_BASE_URL` (set in `.env`) and `OPENAI_ORG_ID` (set nowhere), and loads `.env`.
struct Language {
    source_path: &'static str,
    source: &'static str,
    /// Each read to go to the definition of: text around the name, and the name.
    reads: &'static [(&'static str, &'static str)],
    /// The client offers `utf-8` positions (else UTF-16 only).
    utf8: bool,
}

const PYTHON: Language = Language {
    source_path: "app/main.py",
    source: "import os\nfrom dotenv import load_dotenv\n\nload_dotenv()\nclé = os.environ[\"OPENAI_API_KEY\"]\nbase = os.getenv(\"OPENAI_BASE_URL\")\norg = os.getenv(\"OPENAI_ORG_ID\")\n",
    reads: &[
        ("os.environ[\"OPENAI_API_KEY\"]", "OPENAI_API_KEY"),
        ("os.getenv(\"OPENAI_BASE_URL\")", "OPENAI_BASE_URL"),
    ],
    utf8: true,
};

const TYPESCRIPT: Language = Language {
    source_path: "web/src/index.ts",
    source: "import \"dotenv/config\";\n\nconst clé = process.env.OPENAI_API_KEY;\nconst base = process.env[\"OPENAI_BASE_URL\"];\nconst api = import.meta.env.VITE_API_URL;\nconst org = process.env.OPENAI_ORG_ID;\n",
    reads: &[
        ("process.env.OPENAI_API_KEY", "OPENAI_API_KEY"),
        ("process.env[\"OPENAI_BASE_URL\"]", "OPENAI_BASE_URL"),
        ("import.meta.env.VITE_API_URL", "VITE_API_URL"),
    ],
    utf8: false,
};

const GO: Language = Language {
    source_path: "cmd/api/main.go",
    source: "package main\n\nimport (\n\t\"os\"\n\n\t\"github.com/joho/godotenv\"\n)\n\nfunc main() {\n\tgodotenv.Load()\n\tclé := os.Getenv(\"OPENAI_API_KEY\")\n\tbase := os.Getenv(\"OPENAI_BASE_URL\")\n\torg := os.Getenv(\"OPENAI_ORG_ID\")\n\t_, _, _ = clé, base, org\n}\n",
    reads: &[
        ("os.Getenv(\"OPENAI_API_KEY\")", "OPENAI_API_KEY"),
        ("os.Getenv(\"OPENAI_BASE_URL\")", "OPENAI_BASE_URL"),
    ],
    utf8: true,
};

const RUST: Language = Language {
    source_path: "src/main.rs",
    source: "use std::env;\n\nfn main() {\n    dotenvy::dotenv().ok();\n    let clé = env::var(\"OPENAI_API_KEY\").unwrap();\n    let base = std::env::var(\"OPENAI_BASE_URL\");\n    let org = env::var(\"OPENAI_ORG_ID\");\n}\n",
    reads: &[
        ("env::var(\"OPENAI_API_KEY\")", "OPENAI_API_KEY"),
        ("std::env::var(\"OPENAI_BASE_URL\")", "OPENAI_BASE_URL"),
    ],
    utf8: false,
};

/// Java and C# programs load no env file keylint knows of.
const JAVA: Language = Language {
    source_path: "src/main/java/App.java",
    source: "public class App {\n    public static void main(String[] args) {\n        String clé = System.getenv(\"OPENAI_API_KEY\");\n    }\n}\n",
    reads: &[("System.getenv(\"OPENAI_API_KEY\")", "OPENAI_API_KEY")],
    utf8: false,
};

const CSHARP: Language = Language {
    source_path: "Api/Program.cs",
    source: "var clé = Environment.GetEnvironmentVariable(\"OPENAI_API_KEY\");\n",
    reads: &[(
        "Environment.GetEnvironmentVariable(\"OPENAI_API_KEY\")",
        "OPENAI_API_KEY",
    )],
    utf8: true,
};

const COMPOSE: &str = "services:\n  api:\n    image: app\n    environment:\n      - OPENAI_API_KEY=${OPENAI_API_KEY}\n      - OPENAI_BASE_URL\n  worker:\n    image: app\n    environment:\n      GREETING: \"😀\"\n      OPENAI_BASE_URL: ${OPENAI_BASE_URL}\n";

const WORKFLOW: &str = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n      OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}\n    steps:\n      - run: test -n \"$OPENAI_API_KEY\"\n";

fn dotenv(port: u16) -> String {
    format!(
        "# Fabricated key (random bytes in the right shape) 😀\nOPENAI_API_KEY={}\nOPENAI_BASE_URL=http://127.0.0.1:{port}/v1\nVITE_API_URL=https://api.example.com\n",
        openai_key('n')
    )
}

/// The byte range of `name` inside the first `context` of `text`.
fn range_in(text: &str, context: &str, name: &str) -> Range<usize> {
    let start = text
        .find(context)
        .unwrap_or_else(|| panic!("{context} in {text}"))
        + context.find(name).unwrap();
    start..start + name.len()
}

/// An LSP position of a byte offset, in UTF-8 bytes or UTF-16 units.
fn position(text: &str, offset: usize, utf8: bool) -> Value {
    let line_start = text[..offset].rfind('\n').map_or(0, |index| index + 1);
    let line = text[..offset].matches('\n').count();
    let character = if utf8 {
        offset - line_start
    } else {
        text[line_start..offset].encode_utf16().count()
    };
    json!({"line": line, "character": character})
}

fn lsp_range(text: &str, range: &Range<usize>, utf8: bool) -> Value {
    json!({"start": position(text, range.start, utf8), "end": position(text, range.end, utf8)})
}

struct Session {
    root: tempfile::TempDir,
    child: tokio::process::Child,
    client: TestClient,
    language: &'static Language,
    secrets: Secrets,
    env_text: String,
}

impl Session {
    async fn start(language: &'static Language, mock: &MockProvider) -> Session {
        let root = tempfile::tempdir().unwrap();
        let env_text = dotenv(mock.port);
        for (path, text) in [
            (".env", env_text.as_str()),
            ("compose.yaml", COMPOSE),
            (".github/workflows/ci.yml", WORKFLOW),
            (language.source_path, language.source),
        ] {
            let path = root.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let secrets = Secrets::in_dir(root.path());
        assert!(!secrets.is_empty(), "the fixture's keys are found");
        let (child, mut client) = spawn_server(env!("CARGO_BIN_EXE_keylint"), "trace");
        let capabilities = if language.utf8 {
            pull_capabilities()
        } else {
            push_capabilities()
        };
        let allowed = format!("127.0.0.1:{}", mock.port);
        let result = client
            .initialize(
                capabilities,
                json!({"keylint": {"probe": {"allowedHosts": [allowed]}}}),
                &file_uri(root.path()),
            )
            .await;
        let encoding = if language.utf8 { "utf-8" } else { "utf-16" };
        assert_eq!(result["capabilities"]["positionEncoding"], encoding);
        assert_eq!(result["capabilities"]["definitionProvider"], true);
        assert_eq!(result["capabilities"]["referencesProvider"], true);
        assert!(result["capabilities"]["completionProvider"].is_object());
        let mut session = Session {
            root,
            child,
            client,
            language,
            secrets,
            env_text,
        };
        session.open(language.source_path, language.source).await;
        session
    }

    /// Definition at `offset` of the source file, asked again until it lists the three
    /// places that set the name (the workspace is indexed in the background, so the
    /// first answers may come before it is ready) or 20 s passed.
    async fn definition_of_three(&mut self, path: &str, source: &str, offset: usize) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let definition = self
                .at("textDocument/definition", path, source, offset, json!({}))
                .await;
            if definition.as_array().is_some_and(|found| found.len() >= 3)
                || Instant::now() > deadline
            {
                return definition;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn uri(&self, path: &str) -> String {
        file_uri(&self.root.path().join(path))
    }

    async fn open(&mut self, path: &str, text: &str) {
        let uri = self.uri(path);
        self.client.open(&uri, text, 1).await;
    }

    /// `request` at the `name` inside `context` of the file `path` (whose text is
    /// `text`), its result checked for leaks.
    async fn at(
        &mut self,
        method: &str,
        path: &str,
        text: &str,
        offset: usize,
        extra: Value,
    ) -> Value {
        let mut params = json!({
            "textDocument": {"uri": self.uri(path)},
            "position": position(text, offset, self.language.utf8),
        });
        if let (Some(params), Some(extra)) = (params.as_object_mut(), extra.as_object()) {
            params.extend(extra.clone());
        }
        let result = self.client.request(method, params).await;
        self.secrets.assert_no_leak(method, &result.to_string());
        result
    }

    /// `textDocument/references` at `offset` of the project's `.env` (whose text is `text`).
    async fn references_in_env(
        &mut self,
        text: &str,
        offset: usize,
        include_declaration: bool,
    ) -> Value {
        self.at(
            "textDocument/references",
            ".env",
            text,
            offset,
            json!({"context": {"includeDeclaration": include_declaration}}),
        )
        .await
    }

    /// `(path, range)` of each location, paths relative to the project.
    fn places(&self, locations: &Value) -> Vec<(String, Value)> {
        locations
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|location| {
                let uri = location["uri"].as_str().unwrap();
                let root = file_uri(self.root.path());
                let path = uri.strip_prefix(&format!("{root}/")).unwrap().to_string();
                (path, location["range"].clone())
            })
            .collect()
    }

    /// Where the project sets `OPENAI_API_KEY`: the `.env` line, the Compose entry, the
    /// workflow's `env:`.
    fn places_that_set_the_key(&self) -> [(String, Value); 3] {
        [
            self.place(".env", "\nOPENAI_API_KEY=", "OPENAI_API_KEY"),
            self.place("compose.yaml", "- OPENAI_API_KEY=", "OPENAI_API_KEY"),
            self.place(
                ".github/workflows/ci.yml",
                "OPENAI_API_KEY:",
                "OPENAI_API_KEY",
            ),
        ]
    }

    /// The place of `name` inside `context` of the project file `path`.
    fn place(&self, path: &str, context: &str, name: &str) -> (String, Value) {
        let text = std::fs::read_to_string(self.root.path().join(path)).unwrap();
        let range = range_in(&text, context, name);
        (
            path.to_string(),
            lsp_range(&text, &range, self.language.utf8),
        )
    }

    async fn finish(mut self) {
        let log = shut_down(&mut self.child, &mut self.client, Duration::from_secs(5)).await;
        self.secrets.assert_no_leak("server log", &log);
    }
}

async fn navigate(language: &'static Language) {
    let mock = MockProvider::start(401, INVALID_KEY_BODY).await;
    let mut session = Session::start(language, &mock).await;
    let source = language.source;
    let path = language.source_path;

    // Definition from each read form: the `.env` line the code loads first, then the
    // Compose entries, then the workflow's.
    let (context, name) = language.reads[0];
    let offset = range_in(source, context, name).start + 3;
    let definition = session.definition_of_three(path, source, offset).await;
    let [env, compose, workflow] = session.places_that_set_the_key();
    assert_eq!(
        session.places(&definition),
        vec![env, compose, workflow],
        "{definition}"
    );
    for (context, name) in &language.reads[1..] {
        let range = range_in(source, context, name);
        // At the end of the name too.
        let definition = session
            .at(
                "textDocument/definition",
                path,
                source,
                range.end,
                json!({}),
            )
            .await;
        let places = session.places(&definition);
        assert_eq!(
            places.first(),
            Some(&session.place(".env", &format!("\n{name}="), name)),
            "{name}: {definition}"
        );
    }
    // Nothing sets OPENAI_ORG_ID: no location.
    let org = range_in(source, "OPENAI_ORG_ID", "OPENAI_ORG_ID");
    let definition = session
        .at(
            "textDocument/definition",
            path,
            source,
            org.start,
            json!({}),
        )
        .await;
    assert_eq!(definition, json!([]));

    // From `${OPENAI_API_KEY}` in the Compose file to the `.env` line that supplies it.
    session.open("compose.yaml", COMPOSE).await;
    let used = range_in(COMPOSE, "${OPENAI_API_KEY}", "OPENAI_API_KEY");
    let definition = session
        .at(
            "textDocument/definition",
            "compose.yaml",
            COMPOSE,
            used.start + 1,
            json!({}),
        )
        .await;
    assert_eq!(
        session.places(&definition),
        vec![session.place(".env", "\nOPENAI_API_KEY=", "OPENAI_API_KEY")]
    );

    // References from the `.env` name: the read in code and the `${X}`/`$X` uses; the
    // assignments too with includeDeclaration.
    let env_text = session.env_text.clone();
    session.open(".env", &env_text).await;
    let name_in_env = range_in(&env_text, "\nOPENAI_API_KEY=", "OPENAI_API_KEY");
    let read = session.place(path, context, name);
    let compose_use = session.place("compose.yaml", "${OPENAI_API_KEY}", "OPENAI_API_KEY");
    let workflow_use = session.place(
        ".github/workflows/ci.yml",
        "$OPENAI_API_KEY",
        "OPENAI_API_KEY",
    );
    let references = session
        .references_in_env(&env_text, name_in_env.start + 2, false)
        .await;
    let mut found = session.places(&references);
    found.sort_by_key(|(path, range)| (path.clone(), range.to_string()));
    let mut expected = vec![read.clone(), compose_use.clone(), workflow_use.clone()];
    expected.sort_by_key(|(path, range)| (path.clone(), range.to_string()));
    assert_eq!(found, expected, "{references}");
    let references = session
        .references_in_env(&env_text, name_in_env.start, true)
        .await;
    let found = session.places(&references);
    for place in [read, compose_use, workflow_use]
        .into_iter()
        .chain(session.places_that_set_the_key())
    {
        assert!(found.contains(&place), "{place:?} in {references}");
    }
    assert_eq!(found.len(), 6, "{references}");

    // Completion on a new line of `.env`: the names the code reads that the file does not
    // set, with where they are read, then the provider names.
    let typed = format!("{env_text}OPE");
    let uri = session.uri(".env");
    session.client.change_full(&uri, &typed, 2).await;
    let completion = session
        .at(
            "textDocument/completion",
            ".env",
            &typed,
            typed.len(),
            json!({}),
        )
        .await;
    let labels = offered(&completion);
    let org_line = source[..org.start].matches('\n').count() + 1;
    let org_item = item(&completion, "OPENAI_ORG_ID");
    assert_eq!(
        org_item["detail"],
        format!("read at {path}:{org_line}"),
        "{completion}"
    );
    // Where it is read is also drawn in every row, for a client that says it can.
    let label_details = if language.utf8 {
        json!({"description": format!("read at {path}:{org_line}")})
    } else {
        Value::Null
    };
    assert_eq!(org_item["labelDetails"], label_details, "{completion}");
    let replaced = typed.len() - 3..typed.len();
    assert_eq!(
        org_item["textEdit"]["range"],
        lsp_range(&typed, &replaced, language.utf8)
    );
    assert!(
        position_of(&labels, "OPENAI_ORG_ID") < position_of(&labels, "ANTHROPIC_API_KEY"),
        "read names come first: {labels:?}"
    );
    for set in ["OPENAI_API_KEY", "OPENAI_BASE_URL"] {
        assert!(
            !labels.contains(&set.to_string()),
            "{set} is set already: {labels:?}"
        );
    }

    // Completion in Compose `environment:`, list form (api) and map form (worker): the
    // names the block does not set yet.
    let list = COMPOSE.replace(
        "      - OPENAI_BASE_URL\n",
        "      - OPENAI_BASE_URL\n      - OP\n",
    );
    let compose_uri = session.uri("compose.yaml");
    session.client.change_full(&compose_uri, &list, 2).await;
    let at = list.find("      - OP\n").unwrap() + "      - OP".len();
    let completion = session
        .at(
            "textDocument/completion",
            "compose.yaml",
            &list,
            at,
            json!({}),
        )
        .await;
    let labels = offered(&completion);
    assert!(labels.contains(&"OPENAI_ORG_ID".to_string()), "{labels:?}");
    assert!(
        !labels.contains(&"OPENAI_API_KEY".to_string()),
        "{labels:?}"
    );
    let map = format!("{COMPOSE}      OP");
    session.client.change_full(&compose_uri, &map, 3).await;
    let completion = session
        .at(
            "textDocument/completion",
            "compose.yaml",
            &map,
            map.len(),
            json!({}),
        )
        .await;
    let labels = offered(&completion);
    assert!(labels.contains(&"OPENAI_API_KEY".to_string()), "{labels:?}");
    assert!(
        !labels.contains(&"OPENAI_BASE_URL".to_string()),
        "{labels:?}"
    );
    // Not in a value.
    let completion = session
        .at(
            "textDocument/completion",
            "compose.yaml",
            &map,
            map.find("image: app").unwrap() + 9,
            json!({}),
        )
        .await;
    assert!(labels_or_none(&completion).is_empty(), "{completion}");
    session.client.change_full(&uri, &env_text, 3).await;
    session.client.change_full(&compose_uri, COMPOSE, 4).await;

    // Hover on the read in code: each place's value as its readers get it, masked, and
    // the live probe of the one the program gets first.
    let offset = range_in(source, context, name).start + 1;
    let deadline = Instant::now() + Duration::from_secs(10);
    let value = loop {
        let hover = session
            .at("textDocument/hover", path, source, offset, json!({}))
            .await;
        let value = hover["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if value.contains("invalid key") || Instant::now() > deadline {
            assert_eq!(
                hover["range"],
                lsp_range(source, &range_in(source, context, name), language.utf8)
            );
            break value;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        value.starts_with("**OPENAI_API_KEY**\n\nOpenAI API key"),
        "{value}"
    );
    assert!(
        value.contains("**.env:2** — the program gets this one first"),
        "{value}"
    );
    assert!(value.contains("sk-proj-…"), "{value}");
    assert!(value.contains("What the program receives"), "{value}");
    assert!(value.contains("**compose.yaml:5** (`api`)"), "{value}");
    assert!(value.contains("invalid key"), "{value}");
    assert!(mock.connections() >= 1);
    session.finish().await;
}

fn offered(completion: &Value) -> Vec<String> {
    let labels = labels_or_none(completion);
    assert!(!labels.is_empty(), "{completion}");
    labels
}

/// The labels offered, in the order a client shows them (by `sortText`).
fn labels_or_none(completion: &Value) -> Vec<String> {
    let items = completion.get("items").unwrap_or(completion);
    let mut items: Vec<&Value> = items
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .collect();
    items.sort_by_key(|item| {
        item["sortText"]
            .as_str()
            .or(item["label"].as_str())
            .map(str::to_string)
    });
    items
        .iter()
        .map(|item| item["label"].as_str().unwrap().to_string())
        .collect()
}

fn item<'a>(completion: &'a Value, label: &str) -> &'a Value {
    completion
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["label"] == label)
        .unwrap_or_else(|| panic!("{label} offered: {completion}"))
}

/// Where `label` is among `labels`.
fn position_of(labels: &[String], label: &str) -> usize {
    labels
        .iter()
        .position(|offered| offered == label)
        .unwrap_or_else(|| panic!("{label} in {labels:?}"))
}

/// Java and C#: definition from the read lists every place that sets the name (Compose
/// `environment:` first: nothing says the program loads the `.env`), and references from
/// the `.env` name list the read.
async fn navigate_without_a_loader(language: &'static Language) {
    let mock = MockProvider::start(401, INVALID_KEY_BODY).await;
    let mut session = Session::start(language, &mock).await;
    let (source, path) = (language.source, language.source_path);
    let (context, name) = language.reads[0];
    let offset = range_in(source, context, name).start + 1;
    let definition = session.definition_of_three(path, source, offset).await;
    let [env, compose, workflow] = session.places_that_set_the_key();
    assert_eq!(
        session.places(&definition),
        vec![compose, env, workflow],
        "{definition}"
    );
    let env_text = session.env_text.clone();
    session.open(".env", &env_text).await;
    let name_in_env = range_in(&env_text, "\nOPENAI_API_KEY=", "OPENAI_API_KEY");
    let references = session
        .references_in_env(&env_text, name_in_env.start, false)
        .await;
    let read = session.place(path, context, name);
    assert!(session.places(&references).contains(&read), "{references}");
    session.finish().await;
}

#[tokio::test]
async fn java() {
    navigate_without_a_loader(&JAVA).await;
}

#[tokio::test]
async fn csharp() {
    navigate_without_a_loader(&CSHARP).await;
}

#[tokio::test]
async fn python() {
    navigate(&PYTHON).await;
}

#[tokio::test]
async fn typescript() {
    navigate(&TYPESCRIPT).await;
}

#[tokio::test]
async fn go() {
    navigate(&GO).await;
}

#[tokio::test]
async fn rust() {
    navigate(&RUST).await;
}

#[test]
fn positions_count_utf16_units_or_bytes() {
    let text = "a\nclé = x\n";
    let offset = text.find('=').unwrap();
    assert_eq!(
        position(text, offset, true),
        json!({"line": 1, "character": 5})
    );
    assert_eq!(
        position(text, offset, false),
        json!({"line": 1, "character": 4})
    );
}

/// A repository that reads a key as if it were a variable name: hover, definition,
/// references and completion show it nowhere (completion does not offer it).
#[tokio::test]
async fn a_key_used_as_a_name_shows_nowhere() {
    let mock = MockProvider::start(401, INVALID_KEY_BODY).await;
    let key = anthropic_key();
    let source: &'static str = Box::leak(
        format!(
            "import os\nfrom dotenv import load_dotenv\nload_dotenv()\nos.environ[\"{key}\"]\n"
        )
        .into_boxed_str(),
    );
    let language: &'static Language = Box::leak(Box::new(Language {
        source_path: "main.py",
        source,
        reads: &[],
        utf8: false,
    }));
    let mut session = Session::start(language, &mock).await;
    assert_eq!(session.secrets.len(), 2, "both keys are checked");
    let env_text = format!("{}{key}=x\n", session.env_text);
    std::fs::write(session.root.path().join(".env"), &env_text).unwrap();
    session.open(".env", &env_text).await;
    let offset = source.find(&key).unwrap() + 4;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let hover = session
            .at("textDocument/hover", "main.py", source, offset, json!({}))
            .await;
        if hover.to_string().contains(".env:5") || Instant::now() > deadline {
            assert!(hover.to_string().contains(".env:5"), "{hover}");
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let definition = session
        .at(
            "textDocument/definition",
            "main.py",
            source,
            offset,
            json!({}),
        )
        .await;
    assert_eq!(session.places(&definition).len(), 1, "{definition}");
    let references = session
        .references_in_env(&env_text, env_text.find(&key).unwrap(), true)
        .await;
    assert_eq!(session.places(&references).len(), 2, "{references}");
    // Compose does not set it, so only the masker keeps it out of the list.
    let typed = format!("{COMPOSE}      s");
    session.open("compose.yaml", &typed).await;
    let completion = session
        .at(
            "textDocument/completion",
            "compose.yaml",
            &typed,
            typed.len(),
            json!({}),
        )
        .await;
    assert!(
        !offered(&completion)
            .iter()
            .any(|label| label.starts_with("sk-"))
    );
    session.finish().await;
}
