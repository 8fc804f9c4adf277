//! "Insert startup validation": a check, in the file's own language and with only its
//! standard library, that stops the program at start-up when a provider key variable is
//! missing, empty, padded with whitespace, quoted or not that provider's key. It names
//! the variable and the problem and never prints the value.
//!
//! Placement: after the imports, or after a top-level dotenv load (`load_dotenv()`,
//! `dotenv.config()`) that follows them, so the check sees what the loader set.
//! Python and JavaScript/TypeScript run it at module level; Go in `func init()`; Rust
//! at the top of `fn main` (after a `dotenvy` call there).

use keylint_core::provider::{self, KeyCharset, Provider, Role};

/// Marker the inserted code carries; a file that has it for a variable is not offered
/// the action again for that variable.
#[must_use]
pub fn marker(variable: &str) -> String {
    format!("keylint: startup validation for {variable}")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    Python,
    JavaScript,
    Go,
    Rust,
}

impl Language {
    #[must_use]
    pub fn from_path(path: &str) -> Option<Language> {
        let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "py" => Some(Language::Python),
            "js" | "mjs" | "cjs" | "jsx" | "ts" | "mts" | "cts" | "tsx" => {
                Some(Language::JavaScript)
            }
            "go" => Some(Language::Go),
            "rs" => Some(Language::Rust),
            _ => None,
        }
    }

    /// Ways this language reads `name` from the environment.
    fn reads(self, name: &str) -> Vec<String> {
        match self {
            Language::Python => ["\"", "'"]
                .iter()
                .flat_map(|quote| {
                    [
                        format!("environ[{quote}{name}{quote}]"),
                        format!("environ.get({quote}{name}{quote}"),
                        format!("getenv({quote}{name}{quote}"),
                    ]
                })
                .collect(),
            Language::JavaScript => vec![
                format!("process.env.{name}"),
                format!("process.env[\"{name}\"]"),
                format!("process.env['{name}']"),
            ],
            Language::Go => vec![
                format!("Getenv(\"{name}\")"),
                format!("LookupEnv(\"{name}\")"),
            ],
            Language::Rust => vec![
                format!("env::var(\"{name}\")"),
                format!("env::var_os(\"{name}\")"),
            ],
        }
    }
}

/// The provider API-key variables `text` reads and does not validate yet, in the order
/// of the provider table.
#[must_use]
pub fn candidates(language: Language, text: &str) -> Vec<(&'static str, Provider)> {
    let mut found: Vec<(&'static str, Provider)> = Vec::new();
    for known in provider::VARIABLES
        .iter()
        .filter(|known| known.role == Role::ApiKey)
    {
        if found.iter().any(|(name, _)| *name == known.name) {
            continue;
        }
        let reads = language.reads(known.name).iter().any(|read| {
            text.match_indices(read.as_str()).any(|(index, matched)| {
                // `process.env.OPENAI_API_KEY_2` is another variable.
                !text[index + matched.len()..]
                    .chars()
                    .next()
                    .is_some_and(|next| next.is_ascii_alphanumeric() || next == '_')
            })
        });
        if reads && !text.contains(&marker(known.name)) {
            found.push((known.name, known.provider));
        }
    }
    found
}

/// What a well-formed key of the provider looks like, from the provider table: prefix,
/// a prefix it must not have (another provider's that extends it), the characters it
/// may contain, the minimum length, and a name for messages.
struct Shape {
    prefix: &'static str,
    not_prefix: &'static str,
    allow_dash_underscore: bool,
    min_length: usize,
    noun: &'static str,
    hint: String,
}

fn shape(provider: Provider) -> Shape {
    let spec = provider.spec();
    let allow_dash_underscore = spec.key_charset == KeyCharset::AlphanumericDashUnderscore;
    let min_length = spec.min_key_length();
    let hint = if spec.key_prefix.is_empty() {
        let characters = if allow_dash_underscore {
            "letters, digits, - and _"
        } else {
            "letters and digits"
        };
        format!(
            "{} keys are {min_length} or more {characters}",
            spec.display_name
        )
    } else {
        format!("{} keys start with {}", spec.display_name, spec.key_prefix)
    };
    Shape {
        prefix: spec.key_prefix,
        // One lookalike at most today (`sk-ant-` for OpenAI's `sk-`); the snippets test one.
        not_prefix: spec.lookalike_prefixes().next().unwrap_or_default(),
        allow_dash_underscore,
        min_length,
        noun: spec.key_noun,
        hint,
    }
}

/// Messages, one place for all languages: `<NAME> <problem>. <advice>`.
const MISSING: &str = "is missing: set it in the environment (or the .env file your program loads)";
const EMPTY: &str = "is empty: set it to your API key";
const WHITESPACE: &str = "has whitespace around the value: remove the spaces, tabs or line breaks";
const QUOTES: &str = "has quotes around the value: remove the quotes (your loader kept them)";
const SUFFIX: &str = ". The value is not shown.";

fn not_key(shape: &Shape) -> String {
    format!("is not {} ({})", shape.noun, shape.hint)
}

/// The code to insert for `variable` and where: a byte offset into `text`.
#[must_use]
pub fn snippet(
    language: Language,
    text: &str,
    variable: &str,
    provider: Provider,
) -> (usize, String) {
    let shape = shape(provider);
    match language {
        Language::Python => (python_insertion(text), python(variable, &shape)),
        Language::JavaScript => (javascript_insertion(text), javascript(variable, &shape)),
        Language::Go => (go_insertion(text), go(variable, &shape)),
        Language::Rust => rust_insertion(text).map_or_else(
            || (rust_use_insertion(text), rust_function(variable, &shape)),
            |(offset, indent)| (offset, rust_block(variable, &shape, &indent)),
        ),
    }
}

fn python(variable: &str, shape: &Shape) -> String {
    let function = format!("_keylint_check_{}", variable.to_ascii_lowercase());
    let charset = if shape.allow_dash_underscore {
        "c.isascii() and (c.isalnum() or c in \"-_\")"
    } else {
        "c.isascii() and c.isalnum()"
    };
    format!(
        r#"

# {marker} (inserted by keylint; standard library only)
def {function}():
    import os
    import sys

    value = os.environ.get("{variable}")
    if value is None:
        problem = "{MISSING}"
    elif value == "":
        problem = "{EMPTY}"
    elif value != value.strip():
        problem = "{WHITESPACE}"
    elif value[0] in "\"'\u201c\u201d\u2018\u2019" or value[-1] in "\"'\u201c\u201d\u2018\u2019":
        problem = "{QUOTES}"
    elif (
        not value.startswith("{prefix}")
        or ("{not_prefix}" != "" and value.startswith("{not_prefix}"))
        or len(value) < {min_length}
        or not all({charset} for c in value)
    ):
        problem = "{not_key}"
    else:
        problem = None
    if problem is not None:
        sys.exit("Startup check failed: {variable} " + problem + "{SUFFIX}")


{function}()
"#,
        marker = marker(variable),
        prefix = shape.prefix,
        not_prefix = shape.not_prefix,
        min_length = shape.min_length,
        not_key = not_key(shape),
    )
}

fn javascript(variable: &str, shape: &Shape) -> String {
    let charset = if shape.allow_dash_underscore {
        "/^[A-Za-z0-9_-]+$/"
    } else {
        "/^[A-Za-z0-9]+$/"
    };
    format!(
        r#"
// {marker} (inserted by keylint; no dependencies)
(() => {{
  const value = process.env["{variable}"];
  let problem = null;
  if (value === undefined) problem = "{MISSING}";
  else if (value === "") problem = "{EMPTY}";
  else if (value !== value.trim()) problem = "{WHITESPACE}";
  else if (/^["'\u201c\u201d\u2018\u2019]|["'\u201c\u201d\u2018\u2019]$/.test(value)) problem = "{QUOTES}";
  else if (
    !value.startsWith("{prefix}") ||{not_prefix}
    value.length < {min_length} ||
    !{charset}.test(value)
  ) problem = "{not_key}";
  if (problem !== null) {{
    console.error(`Startup check failed: {variable} ${{problem}}{SUFFIX}`);
    process.exit(1);
  }}
}})();
"#,
        marker = marker(variable),
        prefix = shape.prefix,
        // Only when there is one: `tsc --strict` rejects comparing two string literals.
        not_prefix = if shape.not_prefix.is_empty() {
            String::new()
        } else {
            format!("\n    value.startsWith(\"{}\") ||", shape.not_prefix)
        },
        min_length = shape.min_length,
        not_key = not_key(shape),
    )
}

fn go(variable: &str, shape: &Shape) -> String {
    let extra = if shape.allow_dash_underscore {
        " || c == '-' || c == '_'"
    } else {
        ""
    };
    format!(
        r#"
// {marker} (inserted by keylint; standard library only)
func init() {{
	value, ok := os.LookupEnv("{variable}")
	problem := ""
	quoted := false
	for _, q := range []string{{"\"", "'", "\u201c", "\u201d", "\u2018", "\u2019"}} {{
		if len(value) >= len(q) && (value[:len(q)] == q || value[len(value)-len(q):] == q) {{
			quoted = true
		}}
	}}
	isSpace := func(c byte) bool {{ return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f' }}
	validChars := true
	for _, c := range value {{
		if !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'){extra}) {{
			validChars = false
		}}
	}}
	prefix, notPrefix := "{prefix}", "{not_prefix}"
	switch {{
	case !ok:
		problem = "{MISSING}"
	case value == "":
		problem = "{EMPTY}"
	case isSpace(value[0]) || isSpace(value[len(value)-1]):
		problem = "{WHITESPACE}"
	case quoted:
		problem = "{QUOTES}"
	case len(value) < len(prefix) || value[:len(prefix)] != prefix ||
		(notPrefix != "" && len(value) >= len(notPrefix) && value[:len(notPrefix)] == notPrefix) ||
		len(value) < {min_length} || !validChars:
		problem = "{not_key}"
	}}
	if problem != "" {{
		os.Stderr.WriteString("Startup check failed: {variable} " + problem + "{SUFFIX}\n")
		os.Exit(1)
	}}
}}
"#,
        marker = marker(variable),
        prefix = shape.prefix,
        not_prefix = shape.not_prefix,
        min_length = shape.min_length,
        not_key = not_key(shape),
    )
}

fn rust_body(variable: &str, shape: &Shape, indent: &str) -> String {
    let extra = if shape.allow_dash_underscore {
        " || c == '-' || c == '_'"
    } else {
        ""
    };
    let body = format!(
        r#"// {marker} (inserted by keylint; standard library only)
{{
    let problem = match std::env::var("{variable}") {{
        Err(std::env::VarError::NotPresent) => Some("{MISSING}".to_string()),
        Err(std::env::VarError::NotUnicode(_)) => Some("{not_key}".to_string()),
        Ok(value) if value.is_empty() => Some("{EMPTY}".to_string()),
        Ok(value) if value.trim() != value => Some("{WHITESPACE}".to_string()),
        Ok(value)
            if ["\"", "'", "\u{{201c}}", "\u{{201d}}", "\u{{2018}}", "\u{{2019}}"]
                .iter()
                .any(|quote| value.starts_with(quote) || value.ends_with(quote)) =>
        {{
            Some("{QUOTES}".to_string())
        }}
        Ok(value)
            if !value.starts_with("{prefix}")
                || (!"{not_prefix}".is_empty() && value.starts_with("{not_prefix}"))
                || value.chars().count() < {min_length}
                || !value.chars().all(|c| c.is_ascii_alphanumeric(){extra}) =>
        {{
            Some("{not_key}".to_string())
        }}
        Ok(_) => None,
    }};
    if let Some(problem) = problem {{
        eprintln!("Startup check failed: {variable} {{problem}}{SUFFIX}");
        std::process::exit(1);
    }}
}}
"#,
        marker = marker(variable),
        prefix = shape.prefix,
        not_prefix = shape.not_prefix,
        min_length = shape.min_length,
        not_key = not_key(shape),
    );
    body.lines()
        .map(|line| {
            if line.is_empty() {
                "\n".to_string()
            } else {
                format!("{indent}{line}\n")
            }
        })
        .collect()
}

fn rust_block(variable: &str, shape: &Shape, indent: &str) -> String {
    rust_body(variable, shape, indent)
}

fn rust_function(variable: &str, shape: &Shape) -> String {
    format!(
        "\n/// Call this first in `main`: stops the program when {variable} is unusable.\nfn keylint_check_{}() {{\n{}}}\n",
        variable.to_ascii_lowercase(),
        rust_body(variable, shape, "    ")
    )
}

/// Byte offset of the start of the line after line `index` (0-based) of `lines`.
fn after_line(text: &str, line: usize) -> usize {
    let mut offset = 0;
    for (index, piece) in text.split_inclusive('\n').enumerate() {
        offset += piece.len();
        if index == line {
            return offset;
        }
    }
    text.len()
}

fn is_dotenv_load(line: &str) -> bool {
    [
        "load_dotenv(",
        "dotenv.config(",
        "dotenv').config(",
        "dotenv\").config(",
        "dotenvy::dotenv",
        "dotenvy::from_",
    ]
    .iter()
    .any(|marker| line.contains(marker))
}

fn python_insertion(text: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let mut last = None;
    let mut open_parens = 0i32;
    let mut in_docstring: Option<&str> = None;
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if let Some(quote) = in_docstring {
            if trimmed.contains(quote) {
                in_docstring = None;
                last = last.or(Some(index)).max(Some(index));
            }
            continue;
        }
        if open_parens > 0 {
            open_parens += paren_balance(line);
            last = Some(index);
            continue;
        }
        let top_level = !line.starts_with([' ', '\t']);
        if top_level && (trimmed.starts_with("import ") || trimmed.starts_with("from ")) {
            open_parens = paren_balance(line).max(0);
            last = Some(index);
        } else if top_level && is_dotenv_load(trimmed) {
            last = Some(index);
        } else if index == 0 || last.is_none() {
            // Module docstring before the imports.
            for quote in ["\"\"\"", "'''"] {
                if trimmed.starts_with(quote) {
                    if trimmed.len() < 6 || !trimmed[3..].contains(quote) {
                        in_docstring = Some(quote);
                    }
                    last = Some(index);
                }
            }
        }
    }
    last.map_or(0, |line| after_line(text, line))
}

fn paren_balance(line: &str) -> i32 {
    line.chars().fold(0, |balance, character| match character {
        '(' => balance + 1,
        ')' => balance - 1,
        _ => balance,
    })
}

fn javascript_insertion(text: &str) -> usize {
    let mut last = None;
    let mut in_import = false;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if in_import {
            last = Some(index);
            if trimmed.contains(" from ") || trimmed.starts_with("} from") || trimmed.ends_with(';')
            {
                in_import = false;
            }
            continue;
        }
        let top_level = !line.starts_with([' ', '\t']);
        if !top_level {
            continue;
        }
        if trimmed.starts_with("import ") || trimmed.starts_with("import{") {
            last = Some(index);
            let complete = trimmed.contains(" from ")
                || trimmed.starts_with("import '")
                || trimmed.starts_with("import \"");
            in_import = !complete;
        } else if (trimmed.contains("require(")
            && (trimmed.starts_with("const ")
                || trimmed.starts_with("let ")
                || trimmed.starts_with("var ")
                || trimmed.starts_with("require(")))
            || is_dotenv_load(trimmed)
            || (index == 0
                && (trimmed.starts_with("#!")
                    || trimmed == "\"use strict\";"
                    || trimmed == "'use strict';"))
        {
            last = Some(index);
        }
    }
    last.map_or(0, |line| after_line(text, line))
}

fn go_insertion(text: &str) -> usize {
    let mut last = None;
    let mut in_block = false;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if in_block {
            if trimmed.starts_with(')') {
                in_block = false;
                last = Some(index);
            }
            continue;
        }
        if trimmed.starts_with("package ") {
            last = Some(index);
        } else if trimmed.starts_with("import (") {
            in_block = true;
        } else if trimmed.starts_with("import ") {
            last = Some(index);
        }
    }
    last.map_or(0, |line| after_line(text, line))
}

/// Inside `fn main`: after its opening line, or after a dotenvy call in it.
fn rust_insertion(text: &str) -> Option<(usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let main = lines.iter().position(|line| {
        let trimmed = line.trim_start();
        (trimmed.starts_with("fn main(")
            || trimmed.starts_with("async fn main(")
            || trimmed.starts_with("pub fn main("))
            && line.trim_end().ends_with('{')
    })?;
    let mut insert_after = main;
    let mut indent = format!(
        "{}    ",
        &lines[main][..lines[main].len() - lines[main].trim_start().len()]
    );
    for (index, line) in lines.iter().enumerate().skip(main + 1) {
        if line.trim_start().starts_with('}')
            && line.len() - line.trim_start().len() <= indent.len() - 4
        {
            break;
        }
        if is_dotenv_load(line) {
            insert_after = index;
            indent = line[..line.len() - line.trim_start().len()].to_string();
            break;
        }
    }
    Some((after_line(text, insert_after), indent))
}

fn rust_use_insertion(text: &str) -> usize {
    let last = text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.starts_with("use ") || line.starts_with("pub use "))
        .map(|(index, _)| index)
        .last();
    last.map_or(0, |line| after_line(text, line))
}

/// The text to insert at `offset`, with a newline first when the line before has none.
#[must_use]
pub fn with_leading_newline(text: &str, offset: usize, snippet: &str) -> String {
    if offset > 0 && !text[..offset].ends_with('\n') {
        format!("\n{snippet}")
    } else {
        snippet.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The snippets check one prefix a key must not have.
    #[test]
    fn each_provider_has_at_most_one_lookalike_prefix() {
        for provider in Provider::ALL {
            assert!(
                provider.spec().lookalike_prefixes().count() <= 1,
                "{provider}"
            );
        }
        assert_eq!(shape(Provider::OpenAi).not_prefix, "sk-ant-");
        assert_eq!(
            shape(Provider::AzureOpenAi).hint,
            "Azure OpenAI keys are 32 or more letters and digits"
        );
    }
}
