//! Rust: `env::var("X")`, `std::env::var_os("X")`, `dotenvy::var("X")` (which loads `.env`
//! first), and dotenvy's loaders (`dotenvy::dotenv()`, `from_filename(…)`, `from_path(…)`).
//! Reads inside macro arguments (`format!("{}", env::var("X")?)`) are found in the tokens.

use keylint_core::consumer::Consumer;
use tree_sitter::Node;

use crate::syntax::{Source, StringSyntax, only_named_child};
use crate::{CodeReads, LoadedFile, ReadForm};

pub(crate) const MARKERS: &[&str] = &["env::var", "dotenvy"];

const STRINGS: StringSyntax = StringSyntax {
    literals: &["string_literal", "raw_string_literal"],
    contents: &["string_content"],
    delimiters: &[],
};

/// dotenvy functions that load `.env` (searched upwards from the working directory).
const DEFAULT_LOADERS: &[&str] = &["dotenv", "dotenv_override", "dotenv_iter"];
/// dotenvy functions that load the file their argument names.
const NAMED_LOADERS: &[&str] = &[
    "from_filename",
    "from_filename_override",
    "from_filename_iter",
    "from_path",
    "from_path_override",
    "from_path_iter",
];
/// Methods that give a read a fallback: `env::var("X").unwrap_or(…)`.
const FALLBACKS: &[&str] = &["unwrap_or", "unwrap_or_else", "unwrap_or_default"];

pub(crate) fn read(source: &Source, out: &mut CodeReads) {
    // `use dotenvy::dotenv; dotenv().ok();` calls the loader by its bare name.
    let uses_dotenvy = source.text.contains("dotenvy");
    source.each_node(|node| match node.kind() {
        "call_expression" => call(source, node, uses_dotenvy, out),
        "token_tree" => macro_tokens(source, node, out),
        _ => {}
    });
}

/// (`env`, `var`) for `std::env::var`, `env::var` or `::std::env::var`.
fn path_call<'a>(source: &Source<'a>, function: Node<'a>) -> Option<(&'a str, &'a str)> {
    match function.kind() {
        "scoped_identifier" => {
            let path = function.child_by_field_name("path")?;
            let name = function.child_by_field_name("name")?;
            let last = match path.kind() {
                "scoped_identifier" => path.child_by_field_name("name")?,
                _ => path,
            };
            Some((source.text_of(last), source.text_of(name)))
        }
        "identifier" => Some(("", source.text_of(function))),
        _ => None,
    }
}

fn call(source: &Source, node: Node, uses_dotenvy: bool, out: &mut CodeReads) {
    let Some((module, function)) = node
        .child_by_field_name("function")
        .and_then(|function| path_call(source, function))
    else {
        return;
    };
    let first = node
        .child_by_field_name("arguments")
        .and_then(|arguments| arguments.named_child(0));
    match (module, function) {
        ("env" | "dotenvy", "var" | "var_os") => {
            if module == "dotenvy" {
                out.loads
                    .push(source.load(Consumer::Dotenvy, LoadedFile::Default, node));
            }
            if let Some((name, at)) = first.and_then(|first| source.name_literal(first, &STRINGS)) {
                let mut read = source.read(name, at, ReadForm::Direct);
                read.has_fallback = has_fallback(source, node);
                out.push(read);
            }
        }
        ("dotenvy", loader) | ("", loader)
            if DEFAULT_LOADERS.contains(&loader) && (module == "dotenvy" || uses_dotenvy) =>
        {
            out.loads
                .push(source.load(Consumer::Dotenvy, LoadedFile::Default, node));
        }
        ("dotenvy", loader) | ("", loader)
            if NAMED_LOADERS.contains(&loader) && (module == "dotenvy" || uses_dotenvy) =>
        {
            let file = first.map_or(LoadedFile::Dynamic, |path| named_file(source, path));
            out.loads.push(source.load(Consumer::Dotenvy, file, node));
        }
        _ => {}
    }
}

/// A path argument: `"x.env"`, `Path::new("x.env")` or `PathBuf::from("x.env")`.
fn named_file(source: &Source, path: Node) -> LoadedFile {
    let literal = if path.kind() == "call_expression" {
        path.child_by_field_name("arguments")
            .and_then(only_named_child)
            .unwrap_or(path)
    } else {
        path
    };
    source.loaded_file(literal, &STRINGS)
}

fn has_fallback(source: &Source, call: Node) -> bool {
    call.parent().is_some_and(|parent| {
        parent.kind() == "field_expression"
            && parent
                .child_by_field_name("field")
                .is_some_and(|field| FALLBACKS.contains(&source.text_of(field)))
    })
}

/// `env :: var ( "X" )` as tokens of a macro's arguments.
fn macro_tokens(source: &Source, node: Node, out: &mut CodeReads) {
    let mut cursor = node.walk();
    let tokens: Vec<Node> = node.children(&mut cursor).collect();
    for window in tokens.windows(4) {
        let [module, separator, function, arguments] = window else {
            continue;
        };
        let is_read = module.kind() == "identifier"
            && matches!(source.text_of(*module), "env" | "dotenvy")
            && separator.kind() == "::"
            && matches!(source.text_of(*function), "var" | "var_os")
            && arguments.kind() == "token_tree";
        if !is_read {
            continue;
        }
        if let Some((name, at)) =
            only_named_child(*arguments).and_then(|literal| source.name_literal(literal, &STRINGS))
        {
            out.push(source.read(name, at, ReadForm::Direct));
        }
    }
}
