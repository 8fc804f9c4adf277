//! Per language, the reads and loads found, next to the near misses that are none.

use super::{CodeReads, Language, LoadedFile, ReadForm, read_source};

/// One line per read and per load: `line:column name (form, flags) «text at the range»`.
fn render(language: Language, text: &str) -> String {
    let CodeReads { reads, loads } = read_source(language, text);
    let column =
        |offset: usize| offset - text[..offset].rfind('\n').map_or(0, |newline| newline + 1) + 1;
    let mut lines = Vec::new();
    for read in reads {
        let form = match read.form {
            ReadForm::Direct => "direct".to_string(),
            ReadForm::SdkDefault(client) => format!("{} default", client.classes[0]),
            ReadForm::SettingsField => "settings field".to_string(),
            ReadForm::DotnetConfiguration => ".NET configuration".to_string(),
        };
        let mut flags = String::new();
        if read.has_fallback {
            flags.push_str(", fallback");
        }
        if read.case_insensitive {
            flags.push_str(", any case");
        }
        assert_eq!(read.language, language);
        lines.push(format!(
            "{}:{} {} ({form}{flags}) «{}»",
            read.line,
            column(read.range.start),
            read.name,
            &text[read.range.clone()]
        ));
    }
    for load in loads {
        let file = match &load.file {
            LoadedFile::Default => "the default .env".to_string(),
            LoadedFile::Named { path, range } => {
                assert_eq!(&text[range.clone()], path);
                format!("`{path}`")
            }
            LoadedFile::Dynamic => "a path computed at run time".to_string(),
        };
        lines.push(format!(
            "{} loads {file} with {}",
            load.line,
            load.consumer.id()
        ));
    }
    lines.join("\n")
}

#[test]
fn python_reads() {
    let text = r#"import os
from os import environ, getenv
key = os.environ["OPENAI_API_KEY"]
org = os.environ.get("OPENAI_ORG_ID", "org-default")
base = os.getenv('OPENAI_BASE_URL') or "https://api.openai.com/v1"
mode = environ.get("APP_MODE")
level = getenv("LOG_LEVEL", default="info")
os.environ.setdefault("TZ", "UTC")
"#;
    insta::assert_snapshot!(render(Language::Python, text), @r#"
3:19 OPENAI_API_KEY (direct) «OPENAI_API_KEY»
4:23 OPENAI_ORG_ID (direct, fallback) «OPENAI_ORG_ID»
5:19 OPENAI_BASE_URL (direct, fallback) «OPENAI_BASE_URL»
6:21 APP_MODE (direct) «APP_MODE»
7:17 LOG_LEVEL (direct, fallback) «LOG_LEVEL»
8:24 TZ (direct, fallback) «TZ»
"#);
}

#[test]
fn python_near_misses() {
    let text = r#"import os
name = "OPENAI_API_KEY"
os.environ[name]
os.environ.get(f"{prefix}_KEY")
os.getenv("OPENAI_" + "API_KEY")
os.environ["OPENAI_API_KEY"] = "set, not read"
del os.environ["OLD"]
# os.getenv("COMMENTED_OUT")
other.environ["NOT_OS"]
print("os.getenv('IN_A_STRING')")
os.environ
os.getenv("")
"#;
    insta::assert_snapshot!(render(Language::Python, text), @"");
}

#[test]
fn python_sdk_clients() {
    let text = r#"from openai import OpenAI, AzureOpenAI as Azure
import anthropic
client = OpenAI()
configured = OpenAI(api_key=key, base_url=url)
azure = Azure(api_version="2024-06-01", azure_endpoint=endpoint)
claude = anthropic.AsyncAnthropic(auth_token=token)
opaque = OpenAI(**options)
"#;
    insta::assert_snapshot!(render(Language::Python, text), @r#"
3:10 OPENAI_API_KEY (OpenAI default) «OpenAI»
3:10 OPENAI_ORG_ID (OpenAI default) «OpenAI»
3:10 OPENAI_PROJECT_ID (OpenAI default) «OpenAI»
3:10 OPENAI_BASE_URL (OpenAI default) «OpenAI»
4:14 OPENAI_ORG_ID (OpenAI default) «OpenAI»
4:14 OPENAI_PROJECT_ID (OpenAI default) «OpenAI»
5:9 AZURE_OPENAI_API_KEY (AzureOpenAI default) «Azure»
5:9 AZURE_OPENAI_AD_TOKEN (AzureOpenAI default) «Azure»
5:9 OPENAI_ORG_ID (AzureOpenAI default) «Azure»
5:9 OPENAI_PROJECT_ID (AzureOpenAI default) «Azure»
6:20 ANTHROPIC_API_KEY (Anthropic default) «AsyncAnthropic»
6:20 ANTHROPIC_BASE_URL (Anthropic default) «AsyncAnthropic»
"#);
}

#[test]
fn python_sdk_needs_the_import() {
    // A class named like an SDK's but not imported from it reads nothing by default.
    let text =
        "from langchain_openai import OpenAI\nclass Anthropic: pass\nOpenAI()\nAnthropic()\n";
    insta::assert_snapshot!(render(Language::Python, text), @"");
}

#[test]
fn python_settings_classes() {
    let text = r#"from pydantic import Field, AliasChoices
from pydantic_settings import BaseSettings, SettingsConfigDict

class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APP_", env_file=(".env", ".env.prod"))
    openai_api_key: str
    timeout: int = 30
    region: str = Field("eu", alias="AZURE_REGION")
    model: str = Field(validation_alias=AliasChoices("LLM_MODEL", "MODEL"))
    _private: str = "x"

class Legacy(pydantic.BaseSettings):
    anthropic_api_key: str
    class Config:
        env_prefix = "Old_"
        case_sensitive = True
        env_file = ".env.legacy"

class NotSettings(BaseModel):
    not_read: str
"#;
    insta::assert_snapshot!(render(Language::Python, text), @r#"
6:5 APP_OPENAI_API_KEY (settings field, any case) «openai_api_key»
7:5 APP_TIMEOUT (settings field, any case) «timeout»
8:38 AZURE_REGION (settings field, any case) «AZURE_REGION»
9:55 LLM_MODEL (settings field, any case) «LLM_MODEL»
9:68 MODEL (settings field, any case) «MODEL»
13:5 Old_anthropic_api_key (settings field) «anthropic_api_key»
5 loads `.env` with python-dotenv
5 loads `.env.prod` with python-dotenv
17 loads `.env.legacy` with python-dotenv
"#);
}

#[test]
fn python_loads() {
    let text = r#"from dotenv import load_dotenv, dotenv_values, find_dotenv
import dotenv
load_dotenv()
load_dotenv(".env.local", override=True)
dotenv.load_dotenv(dotenv_path=path)
config = dotenv_values(find_dotenv())
shared = dotenv_values(find_dotenv("shared.env"))
load_dotenv(stream=io.StringIO(text))
"#;
    insta::assert_snapshot!(render(Language::Python, text), @r#"
3 loads the default .env with python-dotenv
4 loads `.env.local` with python-dotenv
5 loads a path computed at run time with python-dotenv
6 loads the default .env with python-dotenv
7 loads `shared.env` with python-dotenv
8 loads a path computed at run time with python-dotenv
"#);
}

#[test]
fn javascript_reads() {
    let text = r#"const key = process.env.OPENAI_API_KEY;
const org = process.env["OPENAI_ORG_ID"] ?? "org-default";
const base = process.env.OPENAI_BASE_URL || "https://api.openai.com/v1";
const { ANTHROPIC_API_KEY, PORT: port, MODE = "dev", "QUOTED": q } = process.env;
const url = import.meta.env.VITE_API_URL;
const optional = process.env?.DEBUG;
export const App = () => <div title={process.env.APP_TITLE}>{import.meta.env.VITE_NAME}</div>;
"#;
    insta::assert_snapshot!(render(Language::JavaScript, text), @r#"
1:25 OPENAI_API_KEY (direct) «OPENAI_API_KEY»
2:26 OPENAI_ORG_ID (direct, fallback) «OPENAI_ORG_ID»
3:26 OPENAI_BASE_URL (direct, fallback) «OPENAI_BASE_URL»
4:9 ANTHROPIC_API_KEY (direct) «ANTHROPIC_API_KEY»
4:28 PORT (direct) «PORT»
4:40 MODE (direct, fallback) «MODE»
4:55 QUOTED (direct) «QUOTED»
5:29 VITE_API_URL (direct) «VITE_API_URL»
6:31 DEBUG (direct) «DEBUG»
7:50 APP_TITLE (direct) «APP_TITLE»
7:78 VITE_NAME (direct) «VITE_NAME»
"#);
}

#[test]
fn javascript_near_misses() {
    let text = r#"const name = "OPENAI_API_KEY";
process.env[name];
process.env[`OPENAI_${suffix}`];
process.env.OPENAI_API_KEY = "set, not read";
delete process.env.OLD;
// process.env.COMMENTED_OUT
/* import.meta.env.BLOCK_COMMENT */
const text = "process.env.IN_A_STRING";
other.env.NOT_PROCESS;
const all = process.env;
const { nested: { DEEP } } = config;
"#;
    insta::assert_snapshot!(render(Language::JavaScript, text), @"");
}

#[test]
fn typescript_reads_and_clients() {
    let text = r#"import OpenAI, { AzureOpenAI } from "openai";
import Anthropic from "@anthropic-ai/sdk";
const key: string = process.env.OPENAI_API_KEY!;
const casted = <string>process.env.LEGACY_CAST;
const client = new OpenAI();
const azure = new AzureOpenAI({ apiKey, apiVersion: "2024-06-01", endpoint: url });
const claude = new Anthropic({ ...options });
const unknown = new OpenAI(options);
"#;
    insta::assert_snapshot!(render(Language::TypeScript, text), @r#"
3:33 OPENAI_API_KEY (direct) «OPENAI_API_KEY»
4:36 LEGACY_CAST (direct) «LEGACY_CAST»
5:20 OPENAI_API_KEY (OpenAI default) «OpenAI»
5:20 OPENAI_ORG_ID (OpenAI default) «OpenAI»
5:20 OPENAI_PROJECT_ID (OpenAI default) «OpenAI»
5:20 OPENAI_BASE_URL (OpenAI default) «OpenAI»
6:19 OPENAI_BASE_URL (AzureOpenAI default) «AzureOpenAI»
6:19 OPENAI_ORG_ID (AzureOpenAI default) «AzureOpenAI»
6:19 OPENAI_PROJECT_ID (AzureOpenAI default) «AzureOpenAI»
"#);
}

#[test]
fn tsx_and_commonjs_clients() {
    let tsx = "export function Key(): JSX.Element { return <span>{process.env.NEXT_PUBLIC_KEY as string}</span>; }\n";
    insta::assert_snapshot!(render(Language::Tsx, tsx), @"1:64 NEXT_PUBLIC_KEY (direct) «NEXT_PUBLIC_KEY»");
    let commonjs = "const { OpenAI } = require('openai');\nconst Anthropic = require('@anthropic-ai/sdk');\nnew OpenAI({ organization: 'org-x' });\nnew Anthropic.Anthropic();\n";
    insta::assert_snapshot!(render(Language::JavaScript, commonjs), @r#"
3:5 OPENAI_API_KEY (OpenAI default) «OpenAI»
3:5 OPENAI_PROJECT_ID (OpenAI default) «OpenAI»
3:5 OPENAI_BASE_URL (OpenAI default) «OpenAI»
4:15 ANTHROPIC_API_KEY (Anthropic default) «Anthropic»
4:15 ANTHROPIC_AUTH_TOKEN (Anthropic default) «Anthropic»
4:15 ANTHROPIC_BASE_URL (Anthropic default) «Anthropic»
"#);
}

#[test]
fn javascript_loads() {
    let text = r#"require("dotenv").config();
require('dotenv').config({ path: '.env.local' });
import "dotenv/config";
import dotenv from "dotenv";
import { config } from "dotenv";
dotenv.config({ path: [".env.shared", ".env"] });
config({ path: envPath });
require("dotenv/config");
something.config();
"#;
    insta::assert_snapshot!(render(Language::JavaScript, text), @r#"
1 loads the default .env with node-dotenv
2 loads `.env.local` with node-dotenv
3 loads the default .env with node-dotenv
6 loads `.env.shared` with node-dotenv
6 loads `.env` with node-dotenv
7 loads a path computed at run time with node-dotenv
8 loads the default .env with node-dotenv
"#);
}

#[test]
fn go_reads_and_loads() {
    let text = r#"package main

import (
	"os"

	"github.com/joho/godotenv"
	_ "github.com/joho/godotenv/autoload"
)

func main() {
	godotenv.Load()
	godotenv.Load(".env.local", "shared.env")
	godotenv.Overload(path)
	key := os.Getenv("OPENAI_API_KEY")
	org, ok := os.LookupEnv(`OPENAI_ORG_ID`)
	name := "OPENAI_" + suffix
	_ = os.Getenv(name)
	// os.Getenv("COMMENTED_OUT")
	_ = fmt.Sprint("os.Getenv(\"IN_A_STRING\")")
	_ = other.Getenv("NOT_OS")
}
"#;
    insta::assert_snapshot!(render(Language::Go, text), @r#"
14:20 OPENAI_API_KEY (direct) «OPENAI_API_KEY»
15:27 OPENAI_ORG_ID (direct) «OPENAI_ORG_ID»
7 loads the default .env with godotenv
11 loads the default .env with godotenv
12 loads `.env.local` with godotenv
12 loads `shared.env` with godotenv
13 loads a path computed at run time with godotenv
"#);
}

#[test]
fn rust_reads_and_loads() {
    let text = r#"use std::env;
use dotenvy::dotenv;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    dotenv().ok();
    dotenvy::from_filename(".env.local")?;
    dotenvy::from_path(std::path::Path::new("config/.env"))?;
    let key = env::var("OPENAI_API_KEY")?;
    let base = std::env::var("OPENAI_BASE_URL").unwrap_or_else(|_| "https://api.openai.com/v1".into());
    let raw = env::var_os("HOME");
    let via = dotenvy::var("ANTHROPIC_API_KEY")?;
    println!("{}", env::var("IN_A_MACRO").unwrap_or_default());
    let name = format!("OPENAI_{}", suffix);
    let _ = env::var(&name);
    // env::var("COMMENTED_OUT")
    let text = "env::var(\"IN_A_STRING\")";
    Ok(())
}
"#;
    insta::assert_snapshot!(render(Language::Rust, text), @r#"
8:25 OPENAI_API_KEY (direct) «OPENAI_API_KEY»
9:31 OPENAI_BASE_URL (direct, fallback) «OPENAI_BASE_URL»
10:28 HOME (direct) «HOME»
11:29 ANTHROPIC_API_KEY (direct) «ANTHROPIC_API_KEY»
12:30 IN_A_MACRO (direct) «IN_A_MACRO»
5 loads the default .env with dotenvy
6 loads `.env.local` with dotenvy
7 loads `config/.env` with dotenvy
11 loads the default .env with dotenvy
"#);
}

#[test]
fn java_reads() {
    let text = r#"class App {
    String key = System.getenv("OPENAI_API_KEY");
    String org = System.getenv().getOrDefault("OPENAI_ORG_ID", "org-default");
    String base = java.lang.System.getenv().get("OPENAI_BASE_URL");
    Map<String, String> all = System.getenv();
    String built = System.getenv("OPENAI_" + suffix);
    // System.getenv("COMMENTED_OUT")
    String other = config.getenv("NOT_SYSTEM");
}
"#;
    insta::assert_snapshot!(render(Language::Java, text), @r#"
2:33 OPENAI_API_KEY (direct) «OPENAI_API_KEY»
3:48 OPENAI_ORG_ID (direct, fallback) «OPENAI_ORG_ID»
4:50 OPENAI_BASE_URL (direct) «OPENAI_BASE_URL»
"#);
}

#[test]
fn csharp_reads() {
    let text = r#"var key = Environment.GetEnvironmentVariable("OPENAI_API_KEY") ?? "";
var endpoint = builder.Configuration["AzureOpenAI:Endpoint"];
var apiKey = configuration.GetSection("AzureOpenAI")["ApiKey"];
var deployment = _config.GetSection("AzureOpenAI").GetValue<string>("Deployment", "gpt-4o");
var db = Configuration.GetConnectionString("Default");
var nested = config.GetRequiredSection("A").GetSection("B").GetValue<int>("C");
var registry = key.GetValue("NotConfiguration");
var built = Environment.GetEnvironmentVariable("OPENAI_" + suffix);
// Environment.GetEnvironmentVariable("COMMENTED_OUT")
configuration["Written:Key"] = "value";
"#;
    insta::assert_snapshot!(render(Language::CSharp, text), @r#"
1:47 OPENAI_API_KEY (direct, fallback) «OPENAI_API_KEY»
2:39 AzureOpenAI__Endpoint (.NET configuration, any case) «AzureOpenAI:Endpoint»
3:55 AzureOpenAI__ApiKey (.NET configuration, any case) «ApiKey»
4:70 AzureOpenAI__Deployment (.NET configuration, fallback, any case) «Deployment»
5:45 ConnectionStrings__Default (.NET configuration, any case) «Default»
6:76 A__B__C (.NET configuration, any case) «C»
"#);
}

#[test]
fn files_without_markers_are_not_parsed() {
    assert!(!super::may_read_env(Language::Python, "print('hello')\n"));
    assert!(super::may_read_env(Language::Python, "os.getenv('X')"));
    assert_eq!(
        read_source(Language::Go, "package main\nfunc main() {}\n"),
        CodeReads::default()
    );
}

#[test]
fn languages_by_extension() {
    for (path, language) in [
        ("app/settings.py", Some(Language::Python)),
        ("web/src/main.jsx", Some(Language::JavaScript)),
        ("server.mjs", Some(Language::JavaScript)),
        ("api/index.ts", Some(Language::TypeScript)),
        ("ui/App.tsx", Some(Language::Tsx)),
        ("cmd/main.go", Some(Language::Go)),
        ("src/main.rs", Some(Language::Rust)),
        ("App.java", Some(Language::Java)),
        ("Program.cs", Some(Language::CSharp)),
        ("README.md", None),
        ("Makefile", None),
    ] {
        assert_eq!(Language::from_path(path), language, "{path}");
    }
}

fn render_manifest(path: &str, text: &str) -> String {
    super::manifest::loaders(path, text)
        .iter()
        .map(|loader| {
            assert_eq!(text[loader.range.clone()], loader.package);
            format!(
                "{} {} ({})",
                loader.line,
                loader.package,
                loader.consumer.id()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn manifests_name_their_loaders() {
    let package_json = r#"{"name": "dotenv-demo", "dependencies": {"openai": "^4", "dotenv": "^16.4.5"},
 "devDependencies": {"vite": "^5", "dotenv-expand": "^11"}}"#;
    insta::assert_snapshot!(render_manifest("web/package.json", package_json), @r#"
1 dotenv (node-dotenv)
2 vite (node-dotenv)
"#);
    let requirements = "# python-dotenv is not this comment\n-r base.txt\nPython_Dotenv[cli]>=1.0  # loads .env\npydantic-settings==2.3\nrequests\n";
    insta::assert_snapshot!(render_manifest("requirements-dev.txt", requirements), @r#"
3 Python_Dotenv (python-dotenv)
4 pydantic-settings (python-dotenv)
"#);
    let pyproject = "[project]\nname = \"app\"\ndependencies = [\"openai>=1\", \"pydantic[dotenv]<2\"]\n[tool.poetry.group.dev.dependencies]\npython-dotenv = \"^1\"\n";
    insta::assert_snapshot!(render_manifest("pyproject.toml", pyproject), @r#"
3 pydantic (python-dotenv)
5 python-dotenv (python-dotenv)
"#);
    let go_mod = "module example.com/app\n\ngo 1.22\n\nrequire (\n\tgithub.com/joho/godotenv v1.5.1 // indirect\n\tgithub.com/sashabaranov/go-openai v1.20.0\n)\n";
    insta::assert_snapshot!(render_manifest("go.mod", go_mod), @"6 github.com/joho/godotenv (godotenv)");
    let cargo = "[package]\nname = \"app\"\n\n[dependencies]\ndotenvy = \"0.15\"\n\n[target.'cfg(unix)'.dev-dependencies]\nenv = { package = \"dotenvy\", version = \"0.15\" }\n";
    insta::assert_snapshot!(render_manifest("Cargo.toml", cargo), @"5 dotenvy (dotenvy)");
}

#[test]
fn manifest_near_misses() {
    // Mentions of a loader that are not dependencies, and files that are no manifests.
    assert_eq!(
        render_manifest(
            "package.json",
            r#"{"name": "dotenv", "scripts": {"dev": "vite"}}"#
        ),
        ""
    );
    assert_eq!(render_manifest("package.json", "{not json"), "");
    assert_eq!(
        render_manifest("go.mod", "module github.com/joho/godotenv\n"),
        ""
    );
    assert_eq!(
        render_manifest("Cargo.toml", "[package]\nname = \"dotenvy\"\n"),
        ""
    );
    assert_eq!(render_manifest("notes.txt", "python-dotenv\n"), "");
    assert!(super::manifest::is_manifest("api/requirements.txt"));
    assert!(!super::manifest::is_manifest("api/requirements.rst"));
}

/// Top-level items a file is made of in the window tests: plain code, reads in and out of
/// functions, and the traps windows must not fall into (a read-like line at column 0 inside
/// a multi-line string or comment, a column-0 comment inside a function, continuations).
const PYTHON_ITEMS: &[&str] = &[
    "def work(items):\n    total = 0\n    for item in items:\n        total += item.price * 2\n    return total\n\n",
    "def key():\n    value = os.getenv(\"IN_FUNCTION\")\n    return value\n\n",
    "TOP = os.environ[\"TOP_LEVEL\"]\n",
    "\"\"\"\nUsage:\nos.getenv(\"IN_DOCSTRING\")\n\"\"\"\n",
    "EXAMPLE = '''\nos.environ[\"IN_STRING\"]\n'''\n",
    "# os.getenv(\"IN_COMMENT\")\n",
    "def split():\n    a = 1\n# a note at column 0\n    b = os.getenv(\"AFTER_NOTE\")\n    return b\n\n",
    "value = compute(\n    os.getenv(\"ARGUMENT\"),\n)\n",
    "if ready:\n    pass\nelse:\n    os.environ.get(\"IN_ELSE\", \"x\")\n",
    "class Settings(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix=\"APP_\")\n    field: str\n\n",
    "load_dotenv(\".env.local\")\n",
    "from openai import OpenAI as Client\n",
    "def make():\n    return Client(api_key=key)\n\n",
    "import anthropic\n",
    "def claude():\n    return anthropic.Anthropic()\n\n",
];

const JAVASCRIPT_ITEMS: &[&str] = &[
    "function work(items) {\n  let total = 0;\n  for (const item of items) total += item.price * 2;\n  return total;\n}\n\n",
    "export function key() {\n  return process.env.IN_FUNCTION;\n}\n\n",
    "export const top = process.env.TOP_LEVEL ?? \"x\";\n",
    "const text = `\nprocess.env.IN_TEMPLATE\n`;\n",
    "/*\nprocess.env.IN_COMMENT\n*/\n",
    "const value = compute()\n.then(() => process.env.CHAINED);\n",
    "import { config } from \"dotenv\";\n",
    "config({ path: \".env.local\" });\n",
    "export const Card = () => (\n  <div>{import.meta.env.VITE_TITLE}</div>\n);\n",
    "const { DESTRUCTURED } = process.env;\n",
    "import Client from \"openai\";\n",
    "export function make() {\n  return new Client();\n}\n\n",
    "import { AzureOpenAI } from \"openai\";\n",
    "export const azure = () => new AzureOpenAI({ apiKey });\n",
];

const GO_ITEMS: &[&str] = &[
    "func work(items []int) int {\n\ttotal := 0\n\tfor _, item := range items {\n\t\ttotal += item * 2\n\t}\n\treturn total\n}\n\n",
    "func key() string {\n\treturn os.Getenv(\"IN_FUNCTION\")\n}\n\n",
    "var top = os.Getenv(\"TOP_LEVEL\")\n",
    "var usage = `\nos.Getenv(\"IN_RAW_STRING\")\n`\n",
    "/*\nos.Getenv(\"IN_COMMENT\")\n*/\n",
    "func load() {\n\tgodotenv.Load(\".env.local\")\n}\n\n",
];

const RUST_ITEMS: &[&str] = &[
    "fn work(items: &[u32]) -> u32 {\n    let mut total = 0;\n    for item in items {\n        total += item * 2;\n    }\n    total\n}\n\n",
    "fn key() -> String {\n    std::env::var(\"IN_FUNCTION\").unwrap_or_default()\n}\n\n",
    "impl Config {\n    fn token() -> Option<String> {\n        env::var(\"IN_METHOD\").ok()\n    }\n\n    fn other(&self) -> char {\n        let brace = '{';\n        brace\n    }\n}\n\n",
    "const USAGE: &str = \"\n} env::var(\\\"IN_STRING\\\") {\n\";\n",
    "const RAW: &str = r#\"\n}\nenv::var(\"IN_RAW\")\n\"#;\n",
    "/* a comment { /* nested } */\nenv::var(\"IN_COMMENT\")\n*/\n",
    "fn life<'a>(x: &'a str) -> &'a str {\n    let _ = env::var_os(\"WITH_LIFETIME\");\n    x\n}\n\n",
    "fn load() {\n    dotenvy::from_filename(\".env.local\").ok();\n}\n\n",
    "use dotenvy::dotenv;\n",
    "fn start() {\n    dotenv().ok();\n}\n\n",
    "fn spaced() {\n    println!(\"{}\", env :: var(\"IN_MACRO\").unwrap());\n}\n\n",
    "mod tests {\n    fn helper() {\n        if true {\n            let _ = std::env::var(\"DEEP\");\n        } else {\n            let _ = env::var(\"IN_ELSE\");\n        }\n    }\n}\n\n",
    "fn chained() -> String {\n    env::var(\"CHAINED\")\n        .unwrap_or_else(|_| {\n            \"x\".into()\n        })\n}\n\n",
    "fn chars() {\n    let quote = '\"';\n    let _ = env::var(\"AFTER_QUOTE_CHAR\");\n}\n\n",
];

/// Members of a class (the file adds the class around them).
const JAVA_ITEMS: &[&str] = &[
    "    int work(List<Integer> items) {\n        int total = 0;\n        for (int item : items) total += item * 2;\n        return total;\n    }\n\n",
    "    String key() {\n        return System.getenv(\"IN_METHOD\");\n    }\n\n",
    "    static final String FIELD = System.getenv().getOrDefault(\"FIELD\", \"x\");\n",
    "    static final String BLOCK = \"\"\"\n        }\n        System.getenv(\"IN_TEXT_BLOCK\")\n        \"\"\";\n",
    "    /* } System.getenv(\"IN_COMMENT\") { */\n",
    "    char brace() { return '}'; }\n",
    "    static class Inner {\n        String deep() {\n            return System.getenv(\"IN_INNER\");\n        }\n    }\n\n",
    "    Runnable task = new Runnable() {\n        public void run() { System.getenv(\"ANONYMOUS\"); }\n    };\n",
];

/// Members of a class (the file adds the class around them).
const CSHARP_ITEMS: &[&str] = &[
    "    public int Work(List<int> items)\n    {\n        var total = 0;\n        foreach (var item in items) { total += item * 2; }\n        return total;\n    }\n\n",
    "    public string Key() => Environment.GetEnvironmentVariable(\"IN_METHOD\") ?? \"x\";\n",
    "    private readonly IConfiguration _config;\n",
    "    public string Model() => _config[\"Llm:Model\"];\n",
    "    public string Host()\n    {\n        return configuration.GetSection(\"Db\").GetValue<string>(\"Host\");\n    }\n\n",
    "    const string Verbatim = @\"\n}\nEnvironment.GetEnvironmentVariable(\"\"IN_VERBATIM\"\")\n\";\n",
    "    // } Environment.GetEnvironmentVariable(\"IN_COMMENT\")\n",
    "    public string Interpolated() => $\"{_config[\"Name\"]}\";\n",
];

fn file_of(items: &[&str], picks: &[usize], (head, tail): (&str, &str)) -> String {
    let mut text = head.to_string();
    for &pick in picks {
        text.push_str(items[pick % items.len()]);
        // Plain code between items, so that windows are a small part of the file.
        text.push_str(items[0]);
        text.push_str(items[0]);
    }
    text.push_str(tail);
    text
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    /// Parsing only the items that hold a marker finds exactly what parsing the whole file
    /// finds.
    #[test]
    fn windows_read_what_whole_files_read(picks in proptest::collection::vec(0usize..100, 1..10)) {
        for (language, items, around) in [
            (Language::Python, PYTHON_ITEMS, ("import os\n\n", "")),
            (Language::JavaScript, JAVASCRIPT_ITEMS, ("'use strict';\n\n", "")),
            (Language::Go, GO_ITEMS, ("package main\n\nimport \"os\"\n\n", "")),
            (Language::Rust, RUST_ITEMS, ("use std::env;\n\n", "")),
            (Language::Java, JAVA_ITEMS, ("package app;\n\npublic class App {\n", "}\n")),
            (Language::CSharp, CSHARP_ITEMS, ("namespace App\n{\npublic class App\n{\n", "}\n}\n")),
        ] {
            let text = file_of(items, &picks, around);
            proptest::prop_assert_eq!(
                super::read_parsed(language, &text, true),
                super::read_parsed(language, &text, false),
                "{:?}\n{}", language, text
            );
        }
    }
}

#[test]
fn windows_leave_strings_and_comments_alone() {
    // Every item once, with plain code around: the traps read nothing, windowed or not.
    let all: Vec<usize> = (0..PYTHON_ITEMS.len()).collect();
    let python = file_of(PYTHON_ITEMS, &all, ("import os\n\n", ""));
    assert!(
        super::Language::Python.windows(&python).is_some(),
        "the file is windowed"
    );
    insta::assert_snapshot!(render(Language::Python, &python), @r#"
22:24 IN_FUNCTION (direct) «IN_FUNCTION»
37:19 TOP_LEVEL (direct) «TOP_LEVEL»
97:20 AFTER_NOTE (direct) «AFTER_NOTE»
113:16 ARGUMENT (direct) «ARGUMENT»
130:21 IN_ELSE (direct, fallback) «IN_ELSE»
145:5 APP_FIELD (settings field, any case) «field»
186:12 OPENAI_ORG_ID (OpenAI default) «Client»
186:12 OPENAI_PROJECT_ID (OpenAI default) «Client»
186:12 OPENAI_BASE_URL (OpenAI default) «Client»
214:22 ANTHROPIC_API_KEY (Anthropic default) «Anthropic»
214:22 ANTHROPIC_AUTH_TOKEN (Anthropic default) «Anthropic»
214:22 ANTHROPIC_BASE_URL (Anthropic default) «Anthropic»
159 loads `.env.local` with python-dotenv
"#);
    let all: Vec<usize> = (0..JAVASCRIPT_ITEMS.len()).collect();
    let javascript = file_of(JAVASCRIPT_ITEMS, &all, ("'use strict';\n\n", ""));
    assert!(super::Language::JavaScript.windows(&javascript).is_some());
    insta::assert_snapshot!(render(Language::JavaScript, &javascript), @r#"
22:22 IN_FUNCTION (direct) «IN_FUNCTION»
37:32 TOP_LEVEL (direct, fallback) «TOP_LEVEL»
81:25 CHAINED (direct) «CHAINED»
121:25 VITE_TITLE (direct) «VITE_TITLE»
135:9 DESTRUCTURED (direct) «DESTRUCTURED»
162:14 OPENAI_API_KEY (OpenAI default) «Client»
162:14 OPENAI_ORG_ID (OpenAI default) «Client»
162:14 OPENAI_PROJECT_ID (OpenAI default) «Client»
162:14 OPENAI_BASE_URL (OpenAI default) «Client»
190:32 OPENAI_API_VERSION (AzureOpenAI default) «AzureOpenAI»
190:32 OPENAI_BASE_URL (AzureOpenAI default) «AzureOpenAI»
190:32 AZURE_OPENAI_ENDPOINT (AzureOpenAI default) «AzureOpenAI»
190:32 OPENAI_ORG_ID (AzureOpenAI default) «AzureOpenAI»
190:32 OPENAI_PROJECT_ID (AzureOpenAI default) «AzureOpenAI»
107 loads `.env.local` with node-dotenv
"#);
}

#[test]
fn brace_languages_are_windowed_and_read_the_same() {
    for (language, items, around) in [
        (Language::Rust, RUST_ITEMS, ("use std::env;\n\n", "")),
        (Language::Java, JAVA_ITEMS, ("public class App {\n", "}\n")),
        // Without the interpolated string, whose braces the scan does not follow.
        (
            Language::CSharp,
            &CSHARP_ITEMS[..CSHARP_ITEMS.len() - 1],
            ("namespace App\n{\npublic class App\n{\n", "}\n}\n"),
        ),
    ] {
        let picks: Vec<usize> = (0..items.len()).collect();
        let text = file_of(items, &picks, around);
        assert!(
            language.windows(&text).is_some(),
            "{language:?} is windowed"
        );
        let windowed = super::read_parsed(language, &text, true);
        assert_eq!(windowed, super::read_parsed(language, &text, false));
        assert!(!windowed.reads.is_empty(), "{language:?}");
    }
}

/// Every source file of the examples and of the benchmark's generator: the windows read
/// exactly what the whole file reads.
#[test]
fn windows_read_the_corpus_as_whole_files() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let generated = tempfile::tempdir().unwrap();
    let generator = std::process::Command::new("python3")
        .arg(root.join("scripts/bench/gen_sources.py"))
        .arg(generated.path())
        .arg("600")
        .status();
    assert!(
        generator.is_ok_and(|status| status.success()),
        "gen_sources.py runs"
    );
    let mut files = Vec::new();
    for directory in [root.join("examples"), generated.path().to_path_buf()] {
        let mut pending = vec![directory];
        while let Some(directory) = pending.pop() {
            for entry in std::fs::read_dir(&directory).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    pending.push(path);
                } else {
                    files.push(path);
                }
            }
        }
    }
    let mut windowed = 0;
    for path in &files {
        let Some(language) = Language::from_path(&path.to_string_lossy()) else {
            continue;
        };
        let text = std::fs::read_to_string(path).unwrap();
        windowed +=
            usize::from(super::may_read_env(language, &text) && language.windows(&text).is_some());
        assert_eq!(
            super::read_parsed(language, &text, true),
            super::read_parsed(language, &text, false),
            "{}",
            path.display()
        );
    }
    assert!(windowed > 100, "{windowed} files windowed");
}
