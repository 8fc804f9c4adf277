//! Assignments from YAML: Compose `environment:`, Kubernetes `env:` and Secrets,
//! and `env:` mappings (GitHub Actions at every level, Helm values).

use std::ops::Range;

use base64::Engine as _;

use crate::assignment::{Assignment, Origin};
use crate::consumer::Outcome;
use crate::source::FileKind;
use crate::syntax::yaml::{Node, NodeKind, Style, YamlFile};

#[must_use]
pub fn yaml_assignments(kind: FileKind, text: &str, yaml: &YamlFile) -> Vec<Assignment> {
    let mut found = Vec::new();
    for document in &yaml.documents {
        if kind == FileKind::Compose {
            for (service_key, service) in
                document.get("services").into_iter().flat_map(Node::entries)
            {
                let service_name = service_key.as_str().unwrap_or_default().to_string();
                if let Some(environment) = service.get("environment") {
                    compose_environment(text, yaml, environment, &service_name, &mut found);
                }
            }
        } else {
            let scope = object_scope(document);
            if document.get("kind").and_then(Node::as_str) == Some("Secret") {
                secret_entries(text, document, scope.as_deref(), &mut found);
            }
            env_blocks(text, document, scope.as_deref(), 0, &mut found);
        }
    }
    found
}

/// `Kind/name` of a Kubernetes object, for messages.
fn object_scope(document: &Node) -> Option<String> {
    let kind = document.get("kind")?.as_str()?;
    let name = document
        .get("metadata")
        .and_then(|metadata| metadata.get("name"))
        .and_then(Node::as_str)
        .unwrap_or("?");
    Some(format!("{kind}/{name}"))
}

/// The bytes of a scalar's text without its YAML quotes.
fn inner_range(text: &str, node: &Node) -> Range<usize> {
    let span = node.span.clone();
    match &node.kind {
        NodeKind::Scalar {
            style: Style::SingleQuoted | Style::DoubleQuoted,
            ..
        } if span.len() >= 2 => span.start + 1..span.end - 1,
        NodeKind::Scalar {
            style: Style::Literal | Style::Folded,
            ..
        } => span.start..span.start + text[span].trim_end_matches(['\n', '\r']).len(),
        _ => span,
    }
}

fn scalar_outcome(node: &Node) -> Outcome {
    match node.as_str() {
        _ if node.is_null() => Outcome::Absent(
            "a null value is taken from the shell or the project `.env`".to_string(),
        ),
        Some(value) => Outcome::Value(value.to_string()),
        None => Outcome::Absent("not a plain value".to_string()),
    }
}

fn compose_environment(
    text: &str,
    yaml: &YamlFile,
    environment: &Node,
    service: &str,
    found: &mut Vec<Assignment>,
) {
    match &environment.kind {
        NodeKind::Sequence(items) => {
            for item in items {
                let Some(raw) = item.as_str() else { continue };
                let inner = inner_range(text, item);
                let (name, value) = match raw.split_once('=') {
                    Some((name, value)) => (name, Some(value)),
                    None => (raw, None),
                };
                // Ranges come from the written text, so they stay on character boundaries even
                // when a double-quoted item has escapes (`"KEY=é\t"`): the name ends at the
                // first written `=`, and the value runs from there to the closing quote.
                let written = &text[inner.clone()];
                let (name_range, value_range) = match written.find('=') {
                    Some(equals) if value.is_some() => (
                        inner.start..inner.start + equals,
                        inner.start + equals + 1..inner.end,
                    ),
                    _ => (inner.clone(), inner.end..inner.end),
                };
                let outcome = match value {
                    Some(value) => Outcome::Value(value.to_string()),
                    None => Outcome::Absent(
                        "a bare name is taken from the shell or the project `.env`".to_string(),
                    ),
                };
                found.push(Assignment {
                    name: name.into(),
                    name_range,
                    value_range,
                    origin: Origin::ComposeList,
                    scope: Some(service.to_string()),
                    yaml_outcome: Some(outcome),
                });
            }
        }
        NodeKind::Mapping(_) => {
            for (key, value) in merged_entries(yaml, environment) {
                let Some(name) = key.as_str() else { continue };
                found.push(Assignment {
                    name: name.into(),
                    name_range: inner_range(text, key),
                    value_range: value.span.clone(),
                    origin: Origin::ComposeMap,
                    scope: Some(service.to_string()),
                    yaml_outcome: Some(scalar_outcome(value)),
                });
            }
        }
        _ => {}
    }
}

/// Entries of a mapping with `<<: *anchor` merges resolved one level deep.
fn merged_entries<'a>(yaml: &'a YamlFile, mapping: &'a Node) -> Vec<(&'a Node, &'a Node)> {
    let mut entries = Vec::new();
    for (key, value) in mapping.entries() {
        if key.as_str() == Some("<<") {
            let targets: Vec<&Node> = match &value.kind {
                NodeKind::Alias(id) => yaml.anchors.get(id).into_iter().collect(),
                NodeKind::Sequence(items) => items
                    .iter()
                    .filter_map(|item| match item.kind {
                        NodeKind::Alias(id) => yaml.anchors.get(&id),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            entries.extend(targets.into_iter().flat_map(Node::entries));
        } else {
            entries.push((key, value));
        }
    }
    entries
}

fn secret_entries(text: &str, document: &Node, scope: Option<&str>, found: &mut Vec<Assignment>) {
    for (section, origin) in [
        ("data", Origin::SecretData),
        ("stringData", Origin::SecretStringData),
    ] {
        for (key, value) in document.get(section).into_iter().flat_map(Node::entries) {
            let Some(name) = key.as_str() else { continue };
            let mut outcome = scalar_outcome(value);
            if origin == Origin::SecretData
                && let Outcome::Value(encoded) = &outcome
            {
                let compact: String = encoded
                    .chars()
                    .filter(|character| !character.is_whitespace())
                    .collect();
                outcome = match base64::engine::general_purpose::STANDARD.decode(compact.as_bytes())
                {
                    Ok(bytes) => match String::from_utf8(bytes) {
                        Ok(decoded) => Outcome::Value(decoded),
                        Err(_) => Outcome::Absent("the base64 data is not UTF-8 text".to_string()),
                    },
                    Err(_) => Outcome::Refused(
                        "Kubernetes rejects the Secret: the value is not valid base64".to_string(),
                    ),
                };
            }
            found.push(Assignment {
                name: name.into(),
                name_range: inner_range(text, key),
                value_range: value.span.clone(),
                origin: origin.clone(),
                scope: scope.map(str::to_string),
                yaml_outcome: Some(outcome),
            });
        }
    }
}

/// Finds `env:` blocks anywhere: a list of `{name, value}` (Kubernetes) or a mapping
/// (workflows, Helm values).
fn env_blocks(
    text: &str,
    node: &Node,
    scope: Option<&str>,
    depth: usize,
    found: &mut Vec<Assignment>,
) {
    if depth > 64 {
        return;
    }
    match &node.kind {
        NodeKind::Mapping(entries) => {
            for (key, value) in entries {
                if key.as_str() == Some("env") {
                    env_block(text, value, scope, found);
                }
                env_blocks(text, value, scope, depth + 1, found);
            }
        }
        NodeKind::Sequence(items) => {
            for item in items {
                env_blocks(text, item, scope, depth + 1, found);
            }
        }
        _ => {}
    }
}

fn env_block(text: &str, block: &Node, scope: Option<&str>, found: &mut Vec<Assignment>) {
    match &block.kind {
        NodeKind::Sequence(items) => {
            for item in items {
                let (Some(name_node), Some(value)) = (item.get("name"), item.get("value")) else {
                    continue;
                };
                let Some(name) = name_node.as_str() else {
                    continue;
                };
                found.push(Assignment {
                    name: name.into(),
                    name_range: inner_range(text, name_node),
                    value_range: value.span.clone(),
                    origin: Origin::KubernetesEnv,
                    scope: scope.map(str::to_string),
                    yaml_outcome: Some(scalar_outcome(value)),
                });
            }
        }
        NodeKind::Mapping(entries) => {
            for (key, value) in entries {
                let Some(name) = key.as_str() else { continue };
                if !matches!(value.kind, NodeKind::Scalar { .. }) {
                    continue;
                }
                found.push(Assignment {
                    name: name.into(),
                    name_range: inner_range(text, key),
                    value_range: value.span.clone(),
                    origin: Origin::YamlEnvMap,
                    scope: scope.map(str::to_string),
                    yaml_outcome: Some(scalar_outcome(value)),
                });
            }
        }
        _ => {}
    }
}
