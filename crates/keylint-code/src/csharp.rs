//! C#: `Environment.GetEnvironmentVariable("X")`, and .NET configuration keys
//! (`configuration["Section:Key"]`, `GetSection("A").GetValue<T>("B")`,
//! `GetConnectionString("Db")`), which the environment supplies as `Section__Key`.

use tree_sitter::Node;

use crate::syntax::{Source, StringSyntax, is_left_of};
use crate::{CodeReads, ReadForm};

pub(crate) const MARKERS: &[&str] = &[
    "GetEnvironmentVariable",
    "onfiguration",
    "GetSection",
    "GetValue",
    "GetConnectionString",
];

const STRINGS: StringSyntax = StringSyntax {
    literals: &["string_literal"],
    contents: &["string_literal_content"],
    delimiters: &[],
};

pub(crate) fn read(source: &Source, out: &mut CodeReads) {
    source.each_node(|node| match node.kind() {
        "invocation_expression" => invocation(source, node, out),
        "element_access_expression" => element_access(source, node, out),
        _ => {}
    });
}

fn has_fallback(node: Node) -> bool {
    is_left_of(node, &["binary_expression"], &["??"])
}

/// The method name of `receiver.Method(…)` / `receiver.Method<T>(…)`, and the receiver.
fn method<'a>(source: &Source<'a>, node: Node<'a>) -> Option<(&'a str, Node<'a>)> {
    let function = node.child_by_field_name("function")?;
    if function.kind() != "member_access_expression" {
        return None;
    }
    let name = function.child_by_field_name("name")?;
    let name = match name.kind() {
        "generic_name" => name.named_child(0)?,
        _ => name,
    };
    Some((
        source.text_of(name),
        function.child_by_field_name("expression")?,
    ))
}

/// The literal string arguments of a call or indexer, in order, with their nodes.
fn string_arguments<'a>(source: &Source<'a>, list: Node<'a>) -> Vec<Option<(&'a str, Node<'a>)>> {
    let mut cursor = list.walk();
    list.named_children(&mut cursor)
        .filter(|argument| argument.kind() == "argument")
        .map(|argument| {
            argument
                .named_child(0)
                .and_then(|value| source.literal(value, &STRINGS))
        })
        .collect()
}

fn invocation(source: &Source, node: Node, out: &mut CodeReads) {
    let Some((method, receiver)) = method(source, node) else {
        return;
    };
    let Some(arguments) = node.child_by_field_name("arguments") else {
        return;
    };
    let strings = string_arguments(source, arguments);
    let first = strings.first().copied().flatten();
    match method {
        "GetEnvironmentVariable"
            if matches!(
                source.text_of(receiver),
                "Environment" | "System.Environment"
            ) =>
        {
            if let Some((name, at)) =
                first.filter(|(name, _)| crate::syntax::is_variable_name(name))
            {
                let mut read = source.read(name, at, ReadForm::Direct);
                read.has_fallback = has_fallback(node);
                out.push(read);
            }
        }
        "GetValue" => {
            if let (Some(sections), Some((key, at))) =
                (configuration_sections(source, receiver), first)
            {
                let fallback = strings.len() > 1 || has_fallback(node);
                push_key(source, &sections, key, at, fallback, out);
            }
        }
        "GetConnectionString" => {
            if let (Some(sections), Some((key, at))) =
                (configuration_sections(source, receiver), first)
            {
                let mut sections = sections;
                sections.push("ConnectionStrings");
                push_key(source, &sections, key, at, has_fallback(node), out);
            }
        }
        _ => {}
    }
}

/// `configuration["Section:Key"]`, `config.GetSection("A")["B"]`.
fn element_access(source: &Source, node: Node, out: &mut CodeReads) {
    let (Some(receiver), Some(subscript)) = (
        node.child_by_field_name("expression"),
        node.child_by_field_name("subscript"),
    ) else {
        return;
    };
    let Some(sections) = configuration_sections(source, receiver) else {
        return;
    };
    if let Some(Some((key, at))) = string_arguments(source, subscript).first().copied()
        && !crate::syntax::is_assigned(node, &["assignment_expression"])
    {
        push_key(source, &sections, key, at, has_fallback(node), out);
    }
}

/// The sections above a configuration receiver: `[]` for `configuration`,
/// `builder.Configuration` or `_config`; `["A", "B"]` for `config.GetSection("A").GetSection("B")`.
/// `None` when the receiver does not look like configuration.
fn configuration_sections<'a>(source: &Source<'a>, receiver: Node<'a>) -> Option<Vec<&'a str>> {
    match receiver.kind() {
        "identifier" => is_configuration_name(source.text_of(receiver)).then(Vec::new),
        "member_access_expression" => receiver
            .child_by_field_name("name")
            .is_some_and(|name| is_configuration_name(source.text_of(name)))
            .then(Vec::new),
        "invocation_expression" => {
            let (method, inner) = method(source, receiver)?;
            if !matches!(method, "GetSection" | "GetRequiredSection") {
                return None;
            }
            let arguments = receiver.child_by_field_name("arguments")?;
            let (section, _) = string_arguments(source, arguments)
                .first()
                .copied()
                .flatten()?;
            let mut sections = configuration_sections(source, inner)?;
            sections.push(section);
            Some(sections)
        }
        _ => None,
    }
}

fn is_configuration_name(name: &str) -> bool {
    name.to_ascii_lowercase().contains("config")
}

/// A configuration key read: `A:B` (under `sections`) is the variable `A__B`.
fn push_key(
    source: &Source,
    sections: &[&str],
    key: &str,
    at: Node,
    has_fallback: bool,
    out: &mut CodeReads,
) {
    let path: Vec<&str> = sections.iter().copied().chain([key]).collect();
    let name = path.join(":").replace(':', "__");
    if !crate::syntax::is_variable_name(&name) {
        return;
    }
    let mut read = source.read(&name, at, ReadForm::DotnetConfiguration);
    read.case_insensitive = true;
    read.has_fallback = has_fallback;
    out.push(read);
}
