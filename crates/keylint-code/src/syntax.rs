//! Helpers over tree-sitter trees that every language reader shares.

use keylint_core::consumer::Consumer;
use tree_sitter::Node;

use crate::{CodeReads, EnvFileLoad, EnvRead, Language, LoadedFile, ReadForm};

/// One parsed file.
pub(crate) struct Source<'a> {
    pub text: &'a str,
    pub language: Language,
    pub root: Node<'a>,
}

/// How a language writes string literals: the literal's node kinds, the kinds of the
/// node holding its text, and the kinds of its delimiters (anything else inside, an
/// escape or an interpolation, makes it no plain literal).
pub(crate) struct StringSyntax {
    pub literals: &'static [&'static str],
    pub contents: &'static [&'static str],
    pub delimiters: &'static [&'static str],
}

impl<'a> Source<'a> {
    pub fn text_of(&self, node: Node) -> &'a str {
        &self.text[node.byte_range()]
    }

    /// Visits every node, parents before children, in source order.
    pub fn each_node(&self, mut visit: impl FnMut(Node<'a>)) {
        let mut cursor = self.root.walk();
        loop {
            visit(cursor.node());
            if cursor.goto_first_child() {
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return;
                }
            }
        }
    }

    /// The text of a plain string literal (no escapes, no interpolation, not empty) and
    /// the node of its text (without the quotes).
    pub fn literal(&self, node: Node<'a>, syntax: &StringSyntax) -> Option<(&'a str, Node<'a>)> {
        if !syntax.literals.contains(&node.kind()) {
            return None;
        }
        let mut content = None;
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if syntax.contents.contains(&child.kind()) && content.is_none() {
                content = Some(child);
            } else if !syntax.delimiters.contains(&child.kind()) {
                return None;
            }
        }
        let content = content?;
        Some((self.text_of(content), content))
    }

    /// A literal that names an environment variable.
    pub fn name_literal(
        &self,
        node: Node<'a>,
        syntax: &StringSyntax,
    ) -> Option<(&'a str, Node<'a>)> {
        self.literal(node, syntax)
            .filter(|(name, _)| is_variable_name(name))
    }

    /// A read of `name`, written at `at`.
    pub fn read(&self, name: &str, at: Node, form: ReadForm) -> EnvRead {
        EnvRead {
            name: name.to_string(),
            range: at.byte_range(),
            line: at.start_position().row + 1,
            language: self.language,
            form,
            case_insensitive: false,
            has_fallback: false,
        }
    }

    pub fn load(&self, consumer: Consumer, file: LoadedFile, call: Node) -> EnvFileLoad {
        EnvFileLoad {
            consumer,
            file,
            range: call.byte_range(),
            line: call.start_position().row + 1,
        }
    }

    /// The file a loader argument names: a literal path, or one computed at run time.
    pub fn loaded_file(&self, argument: Node<'a>, syntax: &StringSyntax) -> LoadedFile {
        match self.literal(argument, syntax) {
            Some((path, content)) => LoadedFile::Named {
                path: path.to_string(),
                range: content.byte_range(),
            },
            None => LoadedFile::Dynamic,
        }
    }
}

/// A name a program could look up in its environment: not empty, no white space,
/// control characters or `=`.
pub(crate) fn is_variable_name(name: &str) -> bool {
    !name.is_empty()
        && !name.chars().any(|character| {
            character.is_whitespace() || character.is_control() || character == '='
        })
}

/// Whether `node` is the left operand of a fallback operator (`??`, `||`, `or`) in its
/// parent, as in `process.env.X ?? "default"`.
pub(crate) fn is_left_of(node: Node, parent_kinds: &[&str], operators: &[&str]) -> bool {
    node.parent().is_some_and(|parent| {
        parent_kinds.contains(&parent.kind())
            && parent.child_by_field_name("left") == Some(node)
            && parent
                .child_by_field_name("operator")
                .is_some_and(|operator| operators.contains(&operator.kind()))
    })
}

/// Whether `node` is what its parent assigns to (`os.environ["X"] = …`).
pub(crate) fn is_assigned(node: Node, assignment_kinds: &[&str]) -> bool {
    node.parent().is_some_and(|parent| {
        assignment_kinds.contains(&parent.kind())
            && parent.child_by_field_name("left") == Some(node)
    })
}

/// The first named child of `node`, if it has exactly one.
pub(crate) fn only_named_child(node: Node) -> Option<Node> {
    (node.named_child_count() == 1)
        .then(|| node.named_child(0))
        .flatten()
}

impl CodeReads {
    pub(crate) fn push(&mut self, read: EnvRead) {
        self.reads.push(read);
    }
}
