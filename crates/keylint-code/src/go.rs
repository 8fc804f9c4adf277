//! Go: `os.Getenv("X")`, `os.LookupEnv("X")`, and godotenv (`godotenv.Load(…)`,
//! `import _ "github.com/joho/godotenv/autoload"`).

use keylint_core::consumer::Consumer;
use tree_sitter::Node;

use crate::syntax::{Source, StringSyntax};
use crate::{CodeReads, LoadedFile, ReadForm};

pub(crate) const MARKERS: &[&str] = &["Getenv", "LookupEnv", "godotenv"];

const STRINGS: StringSyntax = StringSyntax {
    literals: &["interpreted_string_literal", "raw_string_literal"],
    contents: &[
        "interpreted_string_literal_content",
        "raw_string_literal_content",
    ],
    delimiters: &[],
};

/// godotenv's functions that read env files named by their arguments (`.env` without).
const GODOTENV_LOADERS: &[&str] = &["Load", "Overload", "Read"];

pub(crate) fn read(source: &Source, out: &mut CodeReads) {
    source.each_node(|node| match node.kind() {
        "call_expression" => call(source, node, out),
        "import_spec" => {
            let autoload = node
                .child_by_field_name("path")
                .and_then(|path| source.literal(path, &STRINGS))
                .is_some_and(|(path, _)| path == "github.com/joho/godotenv/autoload");
            if autoload {
                out.loads
                    .push(source.load(Consumer::Godotenv, LoadedFile::Default, node));
            }
        }
        _ => {}
    });
}

/// `package.Function` of a call, when the callee is a selector on a plain identifier.
fn selector<'a>(source: &Source<'a>, function: Node<'a>) -> Option<(&'a str, &'a str)> {
    if function.kind() != "selector_expression" {
        return None;
    }
    let operand = function.child_by_field_name("operand")?;
    let field = function.child_by_field_name("field")?;
    (operand.kind() == "identifier").then(|| (source.text_of(operand), source.text_of(field)))
}

fn call(source: &Source, node: Node, out: &mut CodeReads) {
    let Some((package, function)) = node
        .child_by_field_name("function")
        .and_then(|function| selector(source, function))
    else {
        return;
    };
    let Some(arguments) = node.child_by_field_name("arguments") else {
        return;
    };
    let mut cursor = arguments.walk();
    let arguments: Vec<Node> = arguments
        .named_children(&mut cursor)
        .filter(|argument| argument.kind() != "comment")
        .collect();
    match (package, function) {
        ("os", "Getenv" | "LookupEnv") => {
            if let Some((name, at)) = arguments
                .first()
                .and_then(|&first| source.name_literal(first, &STRINGS))
            {
                out.push(source.read(name, at, ReadForm::Direct));
            }
        }
        ("godotenv", loader) if GODOTENV_LOADERS.contains(&loader) => {
            if arguments.is_empty() {
                out.loads
                    .push(source.load(Consumer::Godotenv, LoadedFile::Default, node));
            }
            for argument in arguments {
                let file = if argument.kind() == "variadic_argument" {
                    LoadedFile::Dynamic
                } else {
                    source.loaded_file(argument, &STRINGS)
                };
                out.loads.push(source.load(Consumer::Godotenv, file, node));
            }
        }
        _ => {}
    }
}
