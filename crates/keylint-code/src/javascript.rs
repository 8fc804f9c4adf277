//! JavaScript and TypeScript (with JSX): `process.env.X`, `process.env["X"]`,
//! `import.meta.env.X`, `const { X } = process.env`, SDK clients (`new OpenAI()`), and
//! dotenv (`require("dotenv").config()`, `import "dotenv/config"`).

use std::collections::HashMap;

use keylint_core::consumer::Consumer;
use keylint_core::provider::{SdkLanguage, sdk_client, sdk_default_export};
use tree_sitter::Node;

use crate::syntax::{Source, StringSyntax, is_assigned, is_left_of};
use crate::{CodeReads, EnvRead, LoadedFile, ReadForm};

pub(crate) const MARKERS: &[&str] = &["process.env", "meta.env", "dotenv", "OpenAI", "Anthropic"];

const STRINGS: StringSyntax = StringSyntax {
    literals: &["string"],
    contents: &["string_fragment"],
    delimiters: &[],
};

const DOTENV: &str = "dotenv";

/// What a local name is bound to by an import or `require`.
#[derive(Clone, Copy)]
enum Binding<'a> {
    /// The package itself: a default import, `import * as`, or `require("pkg")`.
    Package(&'a str),
    /// A named export: `import { OpenAI } from "openai"`, `const { config } = require("dotenv")`.
    Export(&'a str, &'a str),
}

/// Reads `source` into `out`; returns whether an SDK class was imported under another name
/// (`import Client from "openai"`), whose constructions only a whole-file parse finds.
pub(crate) fn read<'a>(source: &Source<'a>, out: &mut CodeReads) -> bool {
    let mut bindings: HashMap<&'a str, Binding<'a>> = HashMap::new();
    let mut calls = Vec::new();
    source.each_node(|node| match node.kind() {
        "member_expression" => member_read(source, node, out),
        "subscript_expression" => subscript_read(source, node, out),
        "variable_declarator" => declarator(source, node, &mut bindings, out),
        "import_statement" => import(source, node, &mut bindings, out),
        "call_expression" | "new_expression" => calls.push(node),
        _ => {}
    });
    for call in calls {
        if call.kind() == "new_expression" {
            sdk_constructor(source, call, &bindings, out);
        } else {
            dotenv_call(source, call, &bindings, out);
        }
    }
    bindings.iter().any(|(&local, binding)| match *binding {
        Binding::Package(package) => sdk_default_export(SdkLanguage::JavaScript, package)
            .is_some_and(|client| !client.classes.contains(&local)),
        Binding::Export(package, class) => {
            local != class && sdk_client(SdkLanguage::JavaScript, package, class).is_some()
        }
    })
}

/// `process.env` or `import.meta.env`.
fn is_env_object(source: &Source, node: Node) -> bool {
    if node.kind() != "member_expression"
        || node
            .child_by_field_name("property")
            .is_none_or(|property| source.text_of(property) != "env")
    {
        return false;
    }
    node.child_by_field_name("object")
        .is_some_and(|object| match object.kind() {
            "identifier" => source.text_of(object) == "process",
            "meta_property" => source.text_of(object) == "import.meta",
            _ => false,
        })
}

/// A read is not one when it is assigned to or deleted.
fn is_written(node: Node) -> bool {
    is_assigned(
        node,
        &["assignment_expression", "augmented_assignment_expression"],
    ) || node.parent().is_some_and(|parent| {
        parent.kind() == "unary_expression"
            && parent
                .child_by_field_name("operator")
                .is_some_and(|operator| operator.kind() == "delete")
    })
}

fn has_fallback(node: Node) -> bool {
    is_left_of(node, &["binary_expression"], &["??", "||"])
}

fn direct(source: &Source, name: &str, at: Node, whole: Node) -> EnvRead {
    let mut read = source.read(name, at, ReadForm::Direct);
    read.has_fallback = has_fallback(whole);
    read
}

/// `process.env.X`, `import.meta.env.X`.
fn member_read(source: &Source, node: Node, out: &mut CodeReads) {
    let (Some(object), Some(property)) = (
        node.child_by_field_name("object"),
        node.child_by_field_name("property"),
    ) else {
        return;
    };
    if property.kind() == "property_identifier"
        && is_env_object(source, object)
        && !is_written(node)
    {
        out.push(direct(source, source.text_of(property), property, node));
    }
}

/// `process.env["X"]`.
fn subscript_read(source: &Source, node: Node, out: &mut CodeReads) {
    let (Some(object), Some(index)) = (
        node.child_by_field_name("object"),
        node.child_by_field_name("index"),
    ) else {
        return;
    };
    if is_env_object(source, object)
        && !is_written(node)
        && let Some((name, at)) = source.name_literal(index, &STRINGS)
    {
        out.push(direct(source, name, at, node));
    }
}

/// `const { X, Y: y, Z = "d" } = process.env`, and `require` bindings.
fn declarator<'a>(
    source: &Source<'a>,
    node: Node<'a>,
    bindings: &mut HashMap<&'a str, Binding<'a>>,
    out: &mut CodeReads,
) {
    let (Some(name), Some(value)) = (
        node.child_by_field_name("name"),
        node.child_by_field_name("value"),
    ) else {
        return;
    };
    if is_env_object(source, value) && name.kind() == "object_pattern" {
        let mut cursor = name.walk();
        for property in name.named_children(&mut cursor) {
            let (key, has_fallback) = match property.kind() {
                "shorthand_property_identifier_pattern" => (Some(property), false),
                "pair_pattern" => (property.child_by_field_name("key"), false),
                "object_assignment_pattern" => (property.child_by_field_name("left"), true),
                _ => (None, false),
            };
            let Some(key) = key else { continue };
            let named = match key.kind() {
                "string" => source.name_literal(key, &STRINGS),
                "property_identifier" | "shorthand_property_identifier_pattern" => {
                    Some((source.text_of(key), key))
                }
                _ => None,
            };
            if let Some((variable, at)) = named {
                let mut read = source.read(variable, at, ReadForm::Direct);
                read.has_fallback = has_fallback;
                out.push(read);
            }
        }
        return;
    }
    let Some(package) = required_package(source, value) else {
        return;
    };
    match name.kind() {
        "identifier" => {
            bindings.insert(source.text_of(name), Binding::Package(package));
        }
        "object_pattern" => {
            let mut cursor = name.walk();
            for property in name.named_children(&mut cursor) {
                let (exported, local) = match property.kind() {
                    "shorthand_property_identifier_pattern" => (Some(property), Some(property)),
                    "pair_pattern" => (
                        property.child_by_field_name("key"),
                        property.child_by_field_name("value"),
                    ),
                    _ => (None, None),
                };
                if let (Some(exported), Some(local)) = (exported, local) {
                    bindings.insert(
                        source.text_of(local),
                        Binding::Export(package, source.text_of(exported)),
                    );
                }
            }
        }
        _ => {}
    }
}

/// The package of `require("pkg")`.
fn required_package<'a>(source: &Source<'a>, node: Node<'a>) -> Option<&'a str> {
    if node.kind() != "call_expression"
        || node
            .child_by_field_name("function")
            .is_none_or(|function| source.text_of(function) != "require")
    {
        return None;
    }
    let arguments = node.child_by_field_name("arguments")?;
    let first = arguments.named_child(0)?;
    source.literal(first, &STRINGS).map(|(package, _)| package)
}

/// `import OpenAI, { AzureOpenAI as Az } from "openai"`, `import * as dotenv from "dotenv"`,
/// and `import "dotenv/config"` (a load of the default `.env`).
fn import<'a>(
    source: &Source<'a>,
    node: Node<'a>,
    bindings: &mut HashMap<&'a str, Binding<'a>>,
    out: &mut CodeReads,
) {
    let Some((package, _)) = node
        .child_by_field_name("source")
        .and_then(|package| source.literal(package, &STRINGS))
    else {
        return;
    };
    if package == "dotenv/config" {
        out.loads
            .push(source.load(Consumer::NodeDotenv, LoadedFile::Default, node));
        return;
    }
    let mut cursor = node.walk();
    let Some(clause) = node
        .named_children(&mut cursor)
        .find(|child| child.kind() == "import_clause")
    else {
        return;
    };
    let mut cursor = clause.walk();
    for part in clause.named_children(&mut cursor) {
        match part.kind() {
            "identifier" => {
                bindings.insert(source.text_of(part), Binding::Package(package));
            }
            "namespace_import" => {
                if let Some(local) = part.named_child(0) {
                    bindings.insert(source.text_of(local), Binding::Package(package));
                }
            }
            "named_imports" => {
                let mut cursor = part.walk();
                for specifier in part.named_children(&mut cursor) {
                    let exported = specifier.child_by_field_name("name");
                    let local = specifier.child_by_field_name("alias").or(exported);
                    if let (Some(exported), Some(local)) = (exported, local) {
                        bindings.insert(
                            source.text_of(local),
                            Binding::Export(package, source.text_of(exported)),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

/// The package a callee or constructor comes from, and the name it has there
/// (`None` for the package's default export).
fn resolve<'a>(
    source: &Source<'a>,
    node: Node<'a>,
    bindings: &HashMap<&'a str, Binding<'a>>,
) -> Option<(&'a str, Option<&'a str>)> {
    match node.kind() {
        "identifier" => match bindings.get(source.text_of(node))? {
            Binding::Package(package) => Some((package, None)),
            Binding::Export(package, name) => Some((package, Some(name))),
        },
        "member_expression" => {
            let object = node.child_by_field_name("object")?;
            let property = source.text_of(node.child_by_field_name("property")?);
            let package = match object.kind() {
                "identifier" => match bindings.get(source.text_of(object))? {
                    Binding::Package(package) => *package,
                    Binding::Export(..) => return None,
                },
                _ => required_package(source, object)?,
            };
            Some((package, Some(property)))
        }
        _ => None,
    }
}

/// `require("dotenv").config({ path: ".env.local" })`, `dotenv.config()`, `config()`
/// imported from dotenv, and `require("dotenv/config")`.
fn dotenv_call(
    source: &Source,
    node: Node,
    bindings: &HashMap<&str, Binding>,
    out: &mut CodeReads,
) {
    if required_package(source, node) == Some("dotenv/config") {
        out.loads
            .push(source.load(Consumer::NodeDotenv, LoadedFile::Default, node));
        return;
    }
    let Some(function) = node.child_by_field_name("function") else {
        return;
    };
    if !matches!(
        resolve(source, function, bindings),
        Some((DOTENV, Some("config" | "configDotenv")))
    ) {
        return;
    }
    let options = node
        .child_by_field_name("arguments")
        .and_then(|arguments| arguments.named_child(0));
    let files = match options {
        None => vec![LoadedFile::Default],
        Some(options) if options.kind() == "object" => {
            match object_property(source, options, "path") {
                None => vec![LoadedFile::Default],
                Some(path) if path.kind() == "array" => {
                    let mut cursor = path.walk();
                    path.named_children(&mut cursor)
                        .map(|file| source.loaded_file(file, &STRINGS))
                        .collect()
                }
                Some(path) => vec![source.loaded_file(path, &STRINGS)],
            }
        }
        Some(_) => vec![LoadedFile::Dynamic],
    };
    for file in files {
        out.loads
            .push(source.load(Consumer::NodeDotenv, file, node));
    }
}

/// The value of `key: value` in an object literal.
fn object_property<'a>(source: &Source<'a>, object: Node<'a>, key: &str) -> Option<Node<'a>> {
    let mut cursor = object.walk();
    object
        .named_children(&mut cursor)
        .filter(|pair| pair.kind() == "pair")
        .find(|pair| {
            pair.child_by_field_name("key")
                .is_some_and(|name| property_name(source, name) == Some(key))
        })
        .and_then(|pair| pair.child_by_field_name("value"))
}

fn property_name<'a>(source: &Source<'a>, key: Node<'a>) -> Option<&'a str> {
    match key.kind() {
        "property_identifier" | "shorthand_property_identifier" => Some(source.text_of(key)),
        "string" => source.literal(key, &STRINGS).map(|(name, _)| name),
        _ => None,
    }
}

/// `new OpenAI()`, `new AzureOpenAI({ apiKey })`: the names the client reads because the
/// option that replaces each was not passed. Options that are not an object literal, or
/// that spread another object, may pass any of them, so they say nothing.
fn sdk_constructor(
    source: &Source,
    node: Node,
    bindings: &HashMap<&str, Binding>,
    out: &mut CodeReads,
) {
    let Some(constructor) = node.child_by_field_name("constructor") else {
        return;
    };
    let client = match resolve(source, constructor, bindings) {
        Some((package, Some(class))) => sdk_client(SdkLanguage::JavaScript, package, class),
        Some((package, None)) => sdk_default_export(SdkLanguage::JavaScript, package),
        None => None,
    };
    let Some(client) = client else {
        return;
    };
    let at = constructor
        .child_by_field_name("property")
        .unwrap_or(constructor);
    let options = node
        .child_by_field_name("arguments")
        .and_then(|arguments| arguments.named_child(0));
    let mut passed = Vec::new();
    if let Some(options) = options {
        if options.kind() != "object" {
            return;
        }
        let mut cursor = options.walk();
        for property in options.named_children(&mut cursor) {
            match property.kind() {
                "pair" => passed.extend(
                    property
                        .child_by_field_name("key")
                        .and_then(|key| property_name(source, key)),
                ),
                "shorthand_property_identifier" => passed.push(source.text_of(property)),
                "comment" => {}
                _ => return,
            }
        }
    }
    for default in client.reads {
        if !default
            .arguments
            .iter()
            .any(|argument| passed.contains(argument))
        {
            out.push(source.read(default.variable, at, ReadForm::SdkDefault(client)));
        }
    }
}
