//! Where a YAML file uses a variable: every `${NAME}` and `$NAME` in a value (Compose
//! interpolation, a workflow's `run:` script), defaults of defaults included, with the
//! name's byte range. Mapping keys are never uses, and `$$` is an escaped dollar.

use std::ops::Range;

use crate::consumer::{MAX_NESTING, find_interpolations};
use crate::syntax::yaml::{Node, YamlFile};

/// One use of a variable by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameUse {
    pub name: String,
    /// Byte range of the name in the file.
    pub range: Range<usize>,
}

/// Every use in the values of `yaml` (parsed from `text`), in document order.
#[must_use]
pub fn yaml_uses(text: &str, yaml: &YamlFile) -> Vec<NameUse> {
    let mut found = Vec::new();
    for scalar in yaml.documents.iter().flat_map(Node::value_scalars) {
        let Some(written) = text.get(scalar.span.clone()) else {
            continue;
        };
        if written.contains('$') {
            uses_in(written, scalar.span.start, 0, &mut found);
        }
    }
    found
}

/// The references in `written` (which starts at `offset` in the file) and in their
/// defaults, to [`MAX_NESTING`] levels.
fn uses_in(written: &str, offset: usize, depth: usize, found: &mut Vec<NameUse>) {
    for reference in find_interpolations(written) {
        let range = reference.name_range();
        found.push(NameUse {
            name: reference.name.clone(),
            range: offset + range.start..offset + range.end,
        });
        if depth < MAX_NESTING && reference.argument.contains('$') {
            uses_in(
                &reference.argument,
                offset + reference.argument_start(),
                depth + 1,
                found,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::yaml;

    fn uses(text: &str) -> Vec<(String, &str)> {
        yaml_uses(text, &yaml::parse(text))
            .into_iter()
            .map(|found| (found.name, &text[found.range]))
            .collect()
    }

    #[test]
    fn values_are_read_for_names_and_keys_are_not() {
        let text = "services:\n  api:\n    environment:\n      - KEY=\"${OPENAI_API_KEY}\"\n  web:\n    environment:\n      ${NOT_A_USE}: x\n      BASE: ${A:-${B}} $$ESCAPED $C\n";
        assert_eq!(
            uses(text),
            vec![
                ("OPENAI_API_KEY".to_string(), "OPENAI_API_KEY"),
                ("A".to_string(), "A"),
                ("B".to_string(), "B"),
                ("C".to_string(), "C"),
            ]
        );
    }

    #[test]
    fn a_workflow_script_uses_its_variables() {
        let text = "jobs:\n  test:\n    env:\n      KEY: ${{ secrets.KEY }}\n    steps:\n      - run: |\n          curl -H \"Authorization: Bearer $KEY\" x\n";
        assert_eq!(uses(text), vec![("KEY".to_string(), "KEY")]);
    }

    #[test]
    fn deep_defaults_stop_at_the_nesting_limit() {
        let text = format!("a: {}x{}\n", "${A:-".repeat(200), "}".repeat(200));
        assert_eq!(yaml_uses(&text, &yaml::parse(&text)).len(), MAX_NESTING + 1);
    }
}
