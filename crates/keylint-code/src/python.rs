//! Python: `os.environ["X"]`, `os.environ.get("X")`, `os.getenv("X")`, SDK clients
//! (`OpenAI()`), pydantic `BaseSettings` fields, and `load_dotenv()` / `dotenv_values()`.

use std::collections::HashMap;

use keylint_core::consumer::Consumer;
use keylint_core::provider::{SdkLanguage, sdk_client};
use tree_sitter::Node;

use crate::syntax::{Source, StringSyntax, is_assigned, is_left_of};
use crate::{CodeReads, LoadedFile, ReadForm};

pub(crate) const MARKERS: &[&str] = &[
    "environ",
    "getenv",
    "dotenv",
    "BaseSettings",
    "OpenAI",
    "Anthropic",
];

const STRINGS: StringSyntax = StringSyntax {
    literals: &["string"],
    contents: &["string_content"],
    delimiters: &["string_start", "string_end"],
};

/// Reads `source` into `out`; returns whether an SDK class was imported under another name
/// (`from openai import OpenAI as Client`), whose calls only a whole-file parse finds.
pub(crate) fn read<'a>(source: &Source<'a>, out: &mut CodeReads) -> bool {
    // Local name → (package, exported name), from `from openai import OpenAI as O`;
    // module alias → package, from `import openai as oa`.
    let mut imported: HashMap<&'a str, (&'a str, &'a str)> = HashMap::new();
    let mut modules: HashMap<&'a str, &'a str> = HashMap::new();
    let mut calls = Vec::new();
    source.each_node(|node| match node.kind() {
        "subscript" => environ_subscript(source, node, out),
        "call" if !environ_call(source, node, out) && !dotenv_load(source, node, out) => {
            calls.push(node);
        }
        "import_from_statement" => from_import(source, node, &mut imported),
        "import_statement" => module_import(source, node, &mut modules),
        "class_definition" => settings_class(source, node, out),
        _ => {}
    });
    for call in calls {
        sdk_constructor(source, call, &imported, &modules, out);
    }
    imported.iter().any(|(&local, &(package, class))| {
        local != class && sdk_client(SdkLanguage::Python, package, class).is_some()
    })
}

/// `os.environ` or a bare `environ` (`from os import environ`).
fn is_environ(source: &Source, node: Node) -> bool {
    is_os_member(source, node, "environ")
}

fn is_os_member(source: &Source, node: Node, member: &str) -> bool {
    match node.kind() {
        "identifier" => source.text_of(node) == member,
        "attribute" => {
            node.child_by_field_name("object")
                .is_some_and(|object| source.text_of(object) == "os")
                && node
                    .child_by_field_name("attribute")
                    .is_some_and(|attribute| source.text_of(attribute) == member)
        }
        _ => false,
    }
}

/// `os.environ["X"]`, not as an assignment or `del` target.
fn environ_subscript(source: &Source, node: Node, out: &mut CodeReads) {
    let Some(value) = node.child_by_field_name("value") else {
        return;
    };
    if !is_environ(source, value)
        || is_assigned(node, &["assignment", "augmented_assignment"])
        || node
            .parent()
            .is_some_and(|parent| parent.kind() == "delete_statement")
    {
        return;
    }
    let Some(subscript) = node.child_by_field_name("subscript") else {
        return;
    };
    if let Some((name, at)) = source.name_literal(subscript, &STRINGS) {
        let mut read = source.read(name, at, ReadForm::Direct);
        read.has_fallback = has_or_fallback(node);
        out.push(read);
    }
}

fn has_or_fallback(node: Node) -> bool {
    is_left_of(node, &["boolean_operator"], &["or"])
}

/// `os.environ.get("X"[, default])`, `os.environ.setdefault(…)`, `os.getenv("X"[, default])`.
fn environ_call(source: &Source, node: Node, out: &mut CodeReads) -> bool {
    let Some(function) = node.child_by_field_name("function") else {
        return false;
    };
    let reads = is_os_member(source, function, "getenv")
        || (function.kind() == "attribute"
            && function
                .child_by_field_name("object")
                .is_some_and(|object| is_environ(source, object))
            && function
                .child_by_field_name("attribute")
                .is_some_and(|method| matches!(source.text_of(method), "get" | "setdefault")));
    if !reads {
        return false;
    }
    let Some(arguments) = node.child_by_field_name("arguments") else {
        return true;
    };
    let positional = positional_arguments(arguments);
    if let Some((name, at)) = positional
        .first()
        .and_then(|&first| source.name_literal(first, &STRINGS))
    {
        let mut read = source.read(name, at, ReadForm::Direct);
        read.has_fallback = positional.len() > 1
            || keyword_argument(source, arguments, "default").is_some()
            || has_or_fallback(node);
        out.push(read);
    }
    true
}

fn positional_arguments(arguments: Node) -> Vec<Node> {
    let mut cursor = arguments.walk();
    arguments
        .named_children(&mut cursor)
        .filter(|argument| {
            !matches!(
                argument.kind(),
                "keyword_argument" | "list_splat" | "dictionary_splat" | "comment"
            )
        })
        .collect()
}

/// The value of keyword argument `name=` in an argument list.
fn keyword_argument<'a>(source: &Source<'a>, arguments: Node<'a>, name: &str) -> Option<Node<'a>> {
    let mut cursor = arguments.walk();
    arguments
        .named_children(&mut cursor)
        .filter(|argument| argument.kind() == "keyword_argument")
        .find(|argument| {
            argument
                .child_by_field_name("name")
                .is_some_and(|key| source.text_of(key) == name)
        })
        .and_then(|argument| argument.child_by_field_name("value"))
}

fn has_splat(arguments: Node) -> bool {
    let mut cursor = arguments.walk();
    arguments
        .named_children(&mut cursor)
        .any(|argument| matches!(argument.kind(), "list_splat" | "dictionary_splat"))
}

/// The last name of a dotted callee: `load_dotenv` in `dotenv.load_dotenv`.
fn callee_name<'a>(source: &Source<'a>, function: Node<'a>) -> Option<&'a str> {
    match function.kind() {
        "identifier" => Some(source.text_of(function)),
        "attribute" => function
            .child_by_field_name("attribute")
            .map(|attribute| source.text_of(attribute)),
        _ => None,
    }
}

/// `load_dotenv(…)` and `dotenv_values(…)` (python-dotenv): the file is the first
/// argument or `dotenv_path=`; `find_dotenv()` searches for `.env`, the default.
fn dotenv_load(source: &Source, node: Node, out: &mut CodeReads) -> bool {
    let Some(function) = node.child_by_field_name("function") else {
        return false;
    };
    if !matches!(
        callee_name(source, function),
        Some("load_dotenv" | "dotenv_values")
    ) {
        return false;
    }
    let file = match node.child_by_field_name("arguments") {
        None => LoadedFile::Default,
        Some(arguments) => {
            let path = positional_arguments(arguments)
                .first()
                .copied()
                .or_else(|| keyword_argument(source, arguments, "dotenv_path"));
            match path {
                None if keyword_argument(source, arguments, "stream").is_some() => {
                    LoadedFile::Dynamic
                }
                None => LoadedFile::Default,
                Some(path) => find_dotenv_file(source, path)
                    .unwrap_or_else(|| source.loaded_file(path, &STRINGS)),
            }
        }
    };
    out.loads
        .push(source.load(Consumer::PythonDotenv, file, node));
    true
}

/// `find_dotenv()` (the default `.env`, searched upwards) or `find_dotenv("name")`.
fn find_dotenv_file(source: &Source, path: Node) -> Option<LoadedFile> {
    if path.kind() != "call"
        || path
            .child_by_field_name("function")
            .and_then(|function| callee_name(source, function))
            != Some("find_dotenv")
    {
        return None;
    }
    let arguments = path.child_by_field_name("arguments")?;
    let name = positional_arguments(arguments)
        .first()
        .copied()
        .or_else(|| keyword_argument(source, arguments, "filename"));
    Some(name.map_or(LoadedFile::Default, |name| {
        source.loaded_file(name, &STRINGS)
    }))
}

/// `from openai import OpenAI as O` → `O` is `("openai", "OpenAI")`.
fn from_import<'a>(
    source: &Source<'a>,
    node: Node<'a>,
    imported: &mut HashMap<&'a str, (&'a str, &'a str)>,
) {
    let Some(module) = node.child_by_field_name("module_name") else {
        return;
    };
    let package = top_package(source.text_of(module));
    let mut cursor = node.walk();
    for name in node.children_by_field_name("name", &mut cursor) {
        let (exported, local) = match name.kind() {
            "aliased_import" => (
                name.child_by_field_name("name"),
                name.child_by_field_name("alias"),
            ),
            _ => (Some(name), Some(name)),
        };
        if let (Some(exported), Some(local)) = (exported, local) {
            imported.insert(source.text_of(local), (package, source.text_of(exported)));
        }
    }
}

/// `import openai` / `import openai as oa` → `openai` / `oa` is the package `openai`.
fn module_import<'a>(source: &Source<'a>, node: Node<'a>, modules: &mut HashMap<&'a str, &'a str>) {
    let mut cursor = node.walk();
    for name in node.children_by_field_name("name", &mut cursor) {
        match name.kind() {
            "aliased_import" => {
                if let (Some(module), Some(alias)) = (
                    name.child_by_field_name("name"),
                    name.child_by_field_name("alias"),
                ) {
                    modules.insert(source.text_of(alias), top_package(source.text_of(module)));
                }
            }
            _ => {
                let module = source.text_of(name);
                modules.insert(top_package(module), top_package(module));
            }
        }
    }
}

fn top_package(module: &str) -> &str {
    module.split('.').next().unwrap_or(module)
}

/// `OpenAI()`, `openai.AzureOpenAI(api_key=…)`: the names the client reads because the
/// argument that replaces each was not passed. A call with `*args`/`**kwargs` may pass
/// any of them, so it says nothing.
fn sdk_constructor(
    source: &Source,
    node: Node,
    imported: &HashMap<&str, (&str, &str)>,
    modules: &HashMap<&str, &str>,
    out: &mut CodeReads,
) {
    let Some(function) = node.child_by_field_name("function") else {
        return;
    };
    let (package, class, at) = match function.kind() {
        "identifier" => match imported.get(source.text_of(function)) {
            Some(&(package, class)) => (package, class, function),
            None => return,
        },
        "attribute" => {
            let (Some(object), Some(attribute)) = (
                function.child_by_field_name("object"),
                function.child_by_field_name("attribute"),
            ) else {
                return;
            };
            match modules.get(source.text_of(object)) {
                Some(&package) => (package, source.text_of(attribute), attribute),
                None => return,
            }
        }
        _ => return,
    };
    let Some(client) = sdk_client(SdkLanguage::Python, package, class) else {
        return;
    };
    let Some(arguments) = node.child_by_field_name("arguments") else {
        return;
    };
    if has_splat(arguments) {
        return;
    }
    for default in client.reads {
        let passed = default
            .arguments
            .iter()
            .any(|argument| keyword_argument(source, arguments, argument).is_some());
        if !passed {
            out.push(source.read(default.variable, at, ReadForm::SdkDefault(client)));
        }
    }
}

/// What a settings class says about its names: `env_prefix`, `case_sensitive`, `env_file`.
#[derive(Default)]
struct SettingsConfig<'a> {
    prefix: &'a str,
    case_sensitive: bool,
}

/// A pydantic `BaseSettings` subclass: each annotated field is read from the
/// environment as `env_prefix + field` (case-insensitive unless `case_sensitive=True`),
/// or by its alias (`Field(alias=…)`, `validation_alias=…`, pydantic 1's `env=…`).
/// `env_file` in its config is a python-dotenv load (pydantic-settings reads it with
/// `dotenv_values`).
fn settings_class<'a>(source: &Source<'a>, node: Node<'a>, out: &mut CodeReads) {
    let is_settings = node
        .child_by_field_name("superclasses")
        .is_some_and(|superclasses| {
            let mut cursor = superclasses.walk();
            superclasses
                .named_children(&mut cursor)
                .any(|base| callee_name(source, base) == Some("BaseSettings"))
        });
    let Some(body) = node.child_by_field_name("body").filter(|_| is_settings) else {
        return;
    };
    let mut config = SettingsConfig::default();
    let mut fields = Vec::new();
    let mut cursor = body.walk();
    for statement in body.named_children(&mut cursor) {
        match statement.kind() {
            "expression_statement" => {
                let Some(assignment) = statement
                    .named_child(0)
                    .filter(|child| child.kind() == "assignment")
                else {
                    continue;
                };
                let Some(left) = assignment.child_by_field_name("left") else {
                    continue;
                };
                let name = source.text_of(left);
                let right = assignment.child_by_field_name("right");
                if name == "model_config" {
                    if let Some(right) = right {
                        settings_config_call(source, right, &mut config, out);
                    }
                } else if left.kind() == "identifier"
                    && !name.starts_with('_')
                    && assignment
                        .child_by_field_name("type")
                        .is_some_and(|annotation| {
                            !source.text_of(annotation).starts_with("ClassVar")
                        })
                {
                    fields.push((left, right));
                }
            }
            "class_definition"
                if statement
                    .child_by_field_name("name")
                    .is_some_and(|name| source.text_of(name) == "Config") =>
            {
                settings_config_class(source, statement, &mut config, out);
            }
            _ => {}
        }
    }
    for (field, value) in fields {
        let aliases = value
            .map(|value| field_aliases(source, value))
            .unwrap_or_default();
        if aliases.is_empty() {
            let name = format!("{}{}", config.prefix, source.text_of(field));
            out.push(settings_read(source, &name, field, &config));
        }
        for (alias, at) in aliases {
            out.push(settings_read(source, alias, at, &config));
        }
    }
}

fn settings_read(source: &Source, name: &str, at: Node, config: &SettingsConfig) -> crate::EnvRead {
    let spelled = if config.case_sensitive {
        name.to_string()
    } else {
        name.to_ascii_uppercase()
    };
    let mut read = source.read(&spelled, at, ReadForm::SettingsField);
    read.case_insensitive = !config.case_sensitive;
    read
}

/// `model_config = SettingsConfigDict(env_prefix="APP_", …)` or a dict literal.
fn settings_config_call<'a>(
    source: &Source<'a>,
    value: Node<'a>,
    config: &mut SettingsConfig<'a>,
    out: &mut CodeReads,
) {
    match value.kind() {
        "call" => {
            let Some(arguments) = value.child_by_field_name("arguments") else {
                return;
            };
            let mut cursor = arguments.walk();
            for argument in arguments.named_children(&mut cursor) {
                if argument.kind() == "keyword_argument"
                    && let (Some(key), Some(setting)) = (
                        argument.child_by_field_name("name"),
                        argument.child_by_field_name("value"),
                    )
                {
                    settings_option(source, source.text_of(key), setting, config, out);
                }
            }
        }
        "dictionary" => {
            let mut cursor = value.walk();
            for pair in value.named_children(&mut cursor) {
                if let (Some(key), Some(setting)) = (
                    pair.child_by_field_name("key"),
                    pair.child_by_field_name("value"),
                ) && let Some((key, _)) = source.literal(key, &STRINGS)
                {
                    settings_option(source, key, setting, config, out);
                }
            }
        }
        _ => {}
    }
}

/// pydantic 1 style: `class Config: env_prefix = "APP_"`.
fn settings_config_class<'a>(
    source: &Source<'a>,
    class: Node<'a>,
    config: &mut SettingsConfig<'a>,
    out: &mut CodeReads,
) {
    let Some(body) = class.child_by_field_name("body") else {
        return;
    };
    let mut cursor = body.walk();
    for statement in body.named_children(&mut cursor) {
        if let Some(assignment) = statement
            .named_child(0)
            .filter(|child| child.kind() == "assignment")
            && let (Some(key), Some(setting)) = (
                assignment.child_by_field_name("left"),
                assignment.child_by_field_name("right"),
            )
        {
            settings_option(source, source.text_of(key), setting, config, out);
        }
    }
}

fn settings_option<'a>(
    source: &Source<'a>,
    key: &str,
    value: Node<'a>,
    config: &mut SettingsConfig<'a>,
    out: &mut CodeReads,
) {
    match key {
        "env_prefix" => {
            if let Some((prefix, _)) = source.literal(value, &STRINGS) {
                config.prefix = prefix;
            }
        }
        "case_sensitive" => config.case_sensitive = source.text_of(value) == "True",
        "env_file" => {
            let files: Vec<Node> = if matches!(value.kind(), "tuple" | "list") {
                let mut cursor = value.walk();
                value.named_children(&mut cursor).collect()
            } else {
                vec![value]
            };
            for file in files {
                let loaded = source.loaded_file(file, &STRINGS);
                out.loads
                    .push(source.load(Consumer::PythonDotenv, loaded, file));
            }
        }
        _ => {}
    }
}

/// The names `Field(alias="X")`, `Field(validation_alias=AliasChoices("A", "B"))` or
/// pydantic 1's `Field(env="X")` / `env=["A", "B"]` give a field instead of its own.
fn field_aliases<'a>(source: &Source<'a>, value: Node<'a>) -> Vec<(&'a str, Node<'a>)> {
    if value.kind() != "call"
        || value
            .child_by_field_name("function")
            .and_then(|function| callee_name(source, function))
            != Some("Field")
    {
        return Vec::new();
    }
    let Some(arguments) = value.child_by_field_name("arguments") else {
        return Vec::new();
    };
    let Some(alias) = ["validation_alias", "alias", "env"]
        .iter()
        .find_map(|key| keyword_argument(source, arguments, key))
    else {
        return Vec::new();
    };
    let choices: Vec<Node> = match alias.kind() {
        "call" => alias
            .child_by_field_name("arguments")
            .map(positional_arguments)
            .unwrap_or_default(),
        "list" | "tuple" | "set" => {
            let mut cursor = alias.walk();
            alias.named_children(&mut cursor).collect()
        }
        _ => vec![alias],
    };
    choices
        .into_iter()
        .filter_map(|choice| source.name_literal(choice, &STRINGS))
        .collect()
}
