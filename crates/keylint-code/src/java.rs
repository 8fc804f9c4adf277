//! Java: `System.getenv("X")`, `System.getenv().get("X")` and `.getOrDefault("X", d)`.

use tree_sitter::Node;

use crate::syntax::{Source, StringSyntax};
use crate::{CodeReads, ReadForm};

pub(crate) const MARKERS: &[&str] = &["getenv"];

const STRINGS: StringSyntax = StringSyntax {
    literals: &["string_literal"],
    contents: &["string_fragment"],
    delimiters: &[],
};

pub(crate) fn read(source: &Source, out: &mut CodeReads) {
    source.each_node(|node| {
        if node.kind() == "method_invocation" {
            invocation(source, node, out);
        }
    });
}

/// `System.getenv` or `java.lang.System.getenv`, called with `arguments`.
fn is_getenv(source: &Source, node: Node) -> bool {
    node.kind() == "method_invocation"
        && node
            .child_by_field_name("name")
            .is_some_and(|name| source.text_of(name) == "getenv")
        && node
            .child_by_field_name("object")
            .is_some_and(|object| matches!(source.text_of(object), "System" | "java.lang.System"))
}

fn invocation(source: &Source, node: Node, out: &mut CodeReads) {
    let Some(arguments) = node.child_by_field_name("arguments") else {
        return;
    };
    let method = node
        .child_by_field_name("name")
        .map(|name| source.text_of(name));
    let has_fallback = if is_getenv(source, node) {
        false
    } else if matches!(method, Some("get" | "getOrDefault"))
        && node
            .child_by_field_name("object")
            .is_some_and(|object| is_getenv(source, object))
    {
        method == Some("getOrDefault")
    } else {
        return;
    };
    if let Some((name, at)) = arguments
        .named_child(0)
        .and_then(|first| source.name_literal(first, &STRINGS))
    {
        let mut read = source.read(name, at, ReadForm::Direct);
        read.has_fallback = has_fallback;
        out.push(read);
    }
}
