//! Generators of the config the rules are about, for the property tests: the variable
//! names programs read (and their usual misspellings), fabricated keys of every
//! provider's shape (random bytes, never real keys), the mistakes that break them, and
//! `.env` files and valid Compose, Kubernetes and workflow documents that hold them.

use base64::Engine as _;
use keylint_core::FileKind;
use keylint_core::provider::VARIABLES;
use proptest::prelude::*;
use proptest::sample::select;

/// A generated file: where it sits, what it is, and its text.
#[derive(Clone, Debug)]
pub struct Document {
    pub path: &'static str,
    pub kind: FileKind,
    pub text: String,
}

/// Names the provider table knows, their usual misspellings, and unrelated names.
pub fn variable_name() -> impl Strategy<Value = String> {
    let known: Vec<&str> = VARIABLES.iter().map(|variable| variable.name).collect();
    let misspelled = vec![
        "OPENAI_APIKEY",
        "OPEN_AI_API_KEY",
        "OPENAPI_API_KEY",
        "ANTROPIC_API_KEY",
        "OPENAI_API_TOKEN",
        "OPENAI_BASEURL",
        "GEMINI_KEY",
        "AZURE_OPENAI_APIKEY",
        "openai_api_key",
    ];
    let unrelated = vec!["DATABASE_URL", "PORT", "LOG_LEVEL"];
    prop_oneof![
        6 => select(known),
        3 => select(misspelled),
        1 => select(unrelated),
    ]
    .prop_map(str::to_string)
}

fn alphanumeric(length: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[A-Za-z0-9]{{{length}}}")).expect("a valid pattern")
}

/// A key of each provider's shape (provider.rs), with random characters.
pub fn fabricated_key() -> impl Strategy<Value = String> {
    prop_oneof![
        (alphanumeric(74), alphanumeric(74)).prop_map(|(a, b)| format!("sk-proj-{a}T3BlbkFJ{b}")),
        (alphanumeric(60), alphanumeric(60))
            .prop_map(|(a, b)| format!("sk-svcacct-{a}T3BlbkFJ{b}")),
        (alphanumeric(60), alphanumeric(60)).prop_map(|(a, b)| format!("sk-admin-{a}T3BlbkFJ{b}")),
        (alphanumeric(20), alphanumeric(20)).prop_map(|(a, b)| format!("sk-{a}T3BlbkFJ{b}")),
        alphanumeric(93).prop_map(|a| format!("sk-ant-api03-{a}AA")),
        alphanumeric(93).prop_map(|a| format!("sk-ant-admin01-{a}AA")),
        alphanumeric(35).prop_map(|a| format!("AIza{a}")),
        "[0-9a-f]{32}",
        (alphanumeric(40), alphanumeric(38)).prop_map(|(a, b)| format!("{a}JQQJ99{b}")),
    ]
}

/// A value for `name`: a key where a key goes, an id or URL where those go, or text.
fn plain_value() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => fabricated_key(),
        1 => alphanumeric(24).prop_map(|id| format!("org-{id}")),
        1 => alphanumeric(24).prop_map(|id| format!("proj_{id}")),
        1 => Just("https://api.openai.com/v1".to_string()),
        1 => Just("https://example-resource.openai.azure.com".to_string()),
        1 => Just("sk-your-key-here".to_string()),
    ]
}

/// The mistakes the rules are about, applied to a value before it is written.
#[derive(Clone, Copy, Debug)]
pub enum Mistake {
    None,
    /// `Bearer ` in front of the key (KL304).
    Bearer,
    /// A blank inside the value's quotes (KL102).
    InnerBlank,
    /// A no-break space at the end or a zero-width space inside (KL103).
    Invisible,
    /// A `\n` escape at the end of a double-quoted value (KL104).
    NewlineEscape,
    /// “Curly” quotes around the value (KL101).
    CurlyQuotes,
}

fn mistake() -> impl Strategy<Value = Mistake> {
    prop_oneof![
        3 => Just(Mistake::None),
        1 => Just(Mistake::Bearer),
        1 => Just(Mistake::InnerBlank),
        1 => Just(Mistake::Invisible),
        1 => Just(Mistake::NewlineEscape),
        1 => Just(Mistake::CurlyQuotes),
    ]
}

/// The value's characters with the mistake in them (quotes and escapes are the writer's).
fn with_mistake(value: &str, mistake: Mistake, at: usize) -> String {
    match mistake {
        Mistake::Bearer => format!("Bearer {value}"),
        Mistake::InnerBlank => format!(" {value}"),
        Mistake::Invisible if at.is_multiple_of(2) => format!("{value}\u{a0}"),
        Mistake::Invisible => {
            let middle = value.char_indices().nth(value.chars().count() / 2);
            let split = middle.map_or(value.len(), |(index, _)| index);
            format!("{}\u{200b}{}", &value[..split], &value[split..])
        }
        Mistake::CurlyQuotes => format!("\u{201c}{value}\u{201d}"),
        Mistake::None | Mistake::NewlineEscape => value.to_string(),
    }
}

/// One assignment: a name, a value and a mistake.
fn assignment() -> impl Strategy<Value = (String, String, Mistake, usize)> {
    (variable_name(), plain_value(), mistake(), any::<usize>())
}

/// A `.env` line for the assignment: `export ` or not, blanks around `=` (KL106) or not,
/// no quotes, `'…'` or `"…"`, a comment or not, LF or CRLF.
fn env_line() -> impl Strategy<Value = String> {
    (
        assignment(),
        select(vec!["", "export "]),
        select(vec!["=", "=", "=", " = ", " ="]),
        select(vec!["", "'", "\""]),
        select(vec!["", "", " # note"]),
        select(vec!["\n", "\n", "\r\n"]),
    )
        .prop_map(
            |((name, value, mistake, at), export, separator, quote, comment, ending)| {
                let (quote, value) = match mistake {
                    Mistake::NewlineEscape => ("\"", format!("{value}\\n")),
                    Mistake::InnerBlank if quote.is_empty() => {
                        ("\"", with_mistake(&value, mistake, at))
                    }
                    _ => (quote, with_mistake(&value, mistake, at)),
                };
                format!("{export}{name}{separator}{quote}{value}{quote}{comment}{ending}")
            },
        )
}

pub fn env_document() -> impl Strategy<Value = Document> {
    prop::collection::vec(env_line(), 1..6).prop_map(|lines| Document {
        path: ".env",
        kind: FileKind::EnvFile,
        text: lines.concat(),
    })
}

/// A YAML scalar for a mapping value, valid YAML whatever the mistake: plain,
/// `'single'`, `"double"` (where a `\n` escape goes), or a `|` block (KL104 keeps its
/// final line break).
fn yaml_value(value: &str, mistake: Mistake, at: usize, style: usize, indent: &str) -> String {
    let text = with_mistake(value, mistake, at);
    match (mistake, style % 4) {
        (Mistake::NewlineEscape, _) => format!("\"{text}\\n\""),
        (Mistake::InnerBlank | Mistake::Invisible, 0) | (_, 1) => format!("'{text}'"),
        (_, 2) => format!("\"{text}\""),
        (_, 3) if !matches!(mistake, Mistake::InnerBlank) => format!("|\n{indent}  {text}"),
        _ => text,
    }
}

/// A Compose file with one service whose `environment:` is a list (`- NAME=value`, the
/// value's quotes kept: KL101) or a map, holding keys as written (KL503).
pub fn compose_document() -> impl Strategy<Value = Document> {
    (
        prop::collection::vec((assignment(), any::<usize>()), 1..5),
        any::<bool>(),
    )
        .prop_map(|(assignments, list)| {
            let mut text =
                String::from("services:\n  api:\n    image: python:3.12\n    environment:\n");
            for ((name, value, mistake, at), style) in assignments {
                if list {
                    let quote = ["", "\"", "'"][style % 3];
                    let value = match mistake {
                        Mistake::NewlineEscape => {
                            text.push_str(&format!("      - \"{name}={value}\\n\"\n"));
                            continue;
                        }
                        _ => with_mistake(&value, mistake, at),
                    };
                    text.push_str(&format!("      - {name}={quote}{value}{quote}\n"));
                } else {
                    let scalar = yaml_value(&value, mistake, at, style, "        ");
                    text.push_str(&format!("      {name}: {scalar}\n"));
                }
            }
            Document {
                path: "compose.yaml",
                kind: FileKind::Compose,
                text,
            }
        })
}

/// A Kubernetes Secret (`data:` base64, the encoded value ending in a newline or not:
/// KL104) or a Deployment's container `env:`.
pub fn kubernetes_document() -> impl Strategy<Value = Document> {
    (
        prop::collection::vec((assignment(), any::<usize>()), 1..4),
        any::<bool>(),
    )
        .prop_map(|(assignments, secret)| {
            let mut text = if secret {
                String::from("apiVersion: v1\nkind: Secret\nmetadata:\n  name: llm\ndata:\n")
            } else {
                String::from(
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:1\n          env:\n",
                )
            };
            for ((name, value, mistake, at), style) in assignments {
                if secret {
                    let mut decoded = with_mistake(&value, mistake, at);
                    if matches!(mistake, Mistake::NewlineEscape) {
                        decoded.push('\n');
                    }
                    let encoded = base64::engine::general_purpose::STANDARD.encode(decoded);
                    text.push_str(&format!("  {name}: {encoded}\n"));
                } else {
                    let scalar = yaml_value(&value, mistake, at, style, "              ");
                    text.push_str(&format!(
                        "            - name: {name}\n              value: {scalar}\n"
                    ));
                }
            }
            Document {
                path: "k8s/api.yaml",
                kind: FileKind::OtherYaml,
                text,
            }
        })
}

/// A GitHub Actions workflow with keys written into `env:` (KL503).
pub fn workflow_document() -> impl Strategy<Value = Document> {
    prop::collection::vec((assignment(), any::<usize>()), 1..4).prop_map(|assignments| {
        let mut text = String::from(
            "name: test\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n",
        );
        for ((name, value, mistake, at), style) in assignments {
            let scalar = yaml_value(&value, mistake, at, style, "      ");
            text.push_str(&format!("      {name}: {scalar}\n"));
        }
        text.push_str("    steps:\n      - run: pytest\n");
        Document {
            path: ".github/workflows/test.yml",
            kind: FileKind::Workflow,
            text,
        }
    })
}

/// Any of the four kinds of document.
pub fn document() -> impl Strategy<Value = Document> {
    prop_oneof![
        2 => env_document(),
        2 => compose_document(),
        1 => kubernetes_document(),
        1 => workflow_document(),
    ]
}
