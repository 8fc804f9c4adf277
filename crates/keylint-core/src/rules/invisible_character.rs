//! KL103 invisible-character: characters nobody sees in an editor but the program receives.

use std::ops::Range;

use crate::assignment::{Assignment, Origin};
use crate::consumer::{Consumer, Outcome};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::mask::{escape_invisible, is_invisible};
use crate::rules::{
    Context, FixAvailability, Judgement, Rule, Syntax, is_key_name, join_clauses, join_names,
    with_fix,
};
use crate::syntax::dotenv::{EnvFile, StatementKind};

pub(crate) struct InvisibleCharacter;

impl Rule for InvisibleCharacter {
    const CODE: &'static str = "KL103";
    const NAME: &'static str = "invisible-character";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::Sometimes;
    const SUMMARY: &'static str =
        "`\\r` (CRLF), NBSP, zero-width characters, a BOM or control characters in a name or value";
    const DOC: &'static str = r#"
## What it does
Finds characters that an editor does not show but a program receives:
- `\r` from Windows (CRLF) line endings, which a shell (`set -a; . .env`) keeps at the
  end of every value; reported once per file;
- `\r` alone as a line ending (classic Mac), which dotenvy, Compose, docker and a shell
  read as part of the value, swallowing the next lines;
- a byte order mark (BOM) at the start of an env file, which breaks bash, python-dotenv
  before 1.2.3 and dotenvy's `from_path_iter`;
- non-breaking spaces (NBSP), zero-width characters (U+200B–U+200D, U+2060),
  bidirectional controls and control characters in a variable's name or value.

Spaces such as NBSP, zero-width joiners (emoji, several scripts) and bidirectional
controls in ordinary text values can be deliberate; they are reported only for API
keys and variables whose name says they hold a secret. Comments are never checked.

## Why is this bad?
The provider compares the whole string: a key with a zero-width space or a `\r` is a
different key (`401 invalid_api_key`), and Python's HTTP clients refuse to send a
non-ASCII header at all (`UnicodeEncodeError`). A name with an invisible character is
a different variable, so the program finds no key. Which loaders keep which character
is in `docs/loaders.md` of the keylint repository; severity follows
the consumers that read the file.

## Example
```
OPENAI_API_KEY=sk-proj-…<U+200B>
```

Use instead:
```
OPENAI_API_KEY=sk-proj-…
```

## Fix safety
Deleting the characters is safe: no key or variable name contains them on purpose.
CRLF and CR-only line endings are converted to LF for the whole file; the BOM is
removed.
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        if let Some(env) = &ctx.parsed.env {
            out.extend(byte_order_mark(ctx, env));
            // A search for `\r` (memchr) settles most files at once.
            if memchr::memchr(b'\r', ctx.text.as_bytes()).is_some() {
                out.extend(crlf_line_endings(ctx));
                out.extend(cr_line_endings(ctx, env));
            }
        }
        // Every place `characters` looks at is a range of the text: one pass over the
        // whole settles most files.
        if is_plain(ctx.text) {
            return;
        }
        for (index, assignment) in ctx.assignments().iter().enumerate() {
            characters(ctx, index, assignment, out);
        }
    }
}

fn byte_order_mark(ctx: &Context, env: &EnvFile) -> Option<Diagnostic> {
    let bom = env.bom.clone()?;
    // What a BOM breaks is the first variable; before a comment or blank line it is harmless.
    let Some(StatementKind::Assignment(first)) =
        env.statements.first().map(|statement| &statement.kind)
    else {
        return None;
    };
    let name = escape_invisible(ctx.slice(first.name.clone()));
    let judged = &ctx.judged;
    let breaks = [
        (
            Consumer::Shell,
            format!("a shell runs the first line as a command and never sets {name}"),
        ),
        (
            Consumer::PythonDotenv,
            format!("python-dotenv before 1.2.3 reads the name as `<BOM>{name}`"),
        ),
        (
            Consumer::Dotenvy,
            "dotenvy's `from_path_iter` fails on the first line".to_string(),
        ),
        (
            Consumer::Godotenv,
            "godotenv fails on the first line and sets nothing from the file".to_string(),
        ),
    ];
    let broken: Vec<&String> = breaks
        .iter()
        .filter(|(consumer, _)| judged.contains(consumer))
        .map(|(_, effect)| effect)
        .collect();
    if broken.is_empty() {
        return None;
    }
    // The shell and godotenv (1.5.1, the latest) break whatever the version; the others
    // depend on the version or API.
    let severity = if ctx.consumers.is_known()
        && (judged.contains(&Consumer::Shell) || judged.contains(&Consumer::Godotenv))
    {
        Severity::Error
    } else {
        Severity::Warning
    };
    let fine = join_names(
        judged
            .iter()
            .copied()
            .filter(|consumer| !breaks.iter().any(|(breaker, _)| breaker == consumer)),
    );
    let stripped = if fine.is_empty() {
        String::new()
    } else {
        format!("; {fine} skip it")
    };
    let broken: Vec<String> = broken.into_iter().cloned().collect();
    let message = format!(
        "the file starts with an invisible byte order mark (BOM): {}{stripped} — save it as UTF-8 without BOM",
        join_clauses(&broken)
    );
    Some(with_fix(
        InvisibleCharacter::diagnostic(severity, bom.clone(), message),
        Fix::safe("Remove the byte order mark", vec![Edit::delete(bom)]),
    ))
}

/// The first assignment whose value some judged loader receives with a `\r` in it.
fn first_keeping_cr<'a>(ctx: &'a Context) -> Option<(&'a Assignment, Judgement)> {
    let keeps_cr = |outcome: &Outcome| outcome.value().is_some_and(|value| value.contains('\r'));
    ctx.assignments()
        .iter()
        .enumerate()
        .find_map(|(index, assignment)| {
            // Only a value with a `\r` is judged: most values of the file hold none.
            ctx.any_outcome(index, keeps_cr)
                .then(|| {
                    ctx.judge_value(index, Syntax::Accidental, |_, outcome| {
                        keeps_cr(outcome).then(|| "keeps".to_string())
                    })
                })
                .flatten()
                .map(|judgement| (assignment, judgement))
        })
}

/// The offsets of the `\r` of each `\r\n` in `text`: a search for the rare `\r` alone,
/// where a search for the pair walks the whole file.
fn crlf_offsets(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'\r', bytes).filter(|&at| bytes.get(at + 1) == Some(&b'\n'))
}

fn crlf_line_endings(ctx: &Context) -> Option<Diagnostic> {
    let first_crlf = crlf_offsets(ctx.text).next()?;
    let (assignment, judgement) = first_keeping_cr(ctx)?;
    // The provider keys it breaks come first, and the finding points at the first of
    // them: that is the value whose `\r` makes requests fail.
    let cr_of_line = |assignment: &Assignment| {
        let start = assignment.name_range.start;
        let newline = start + ctx.text[start..].find('\n')?;
        (newline > 0 && ctx.text.as_bytes()[newline - 1] == b'\r').then_some(newline - 1)
    };
    let keys: Vec<(&Assignment, usize)> = ctx
        .assignments()
        .iter()
        .filter(|other| ctx.key_variable_provider(&other.name).is_some())
        .filter_map(|other| Some((other, cr_of_line(other)?)))
        .collect();
    let mut named: Vec<String> = Vec::new();
    for (key, _) in &keys {
        let name = escape_invisible(&key.name);
        if !named.contains(&name) {
            named.push(name);
        }
    }
    let (pointed, subjects) = match keys.first() {
        Some((_, cr)) => (*cr, join_clauses(&named)),
        None => (
            cr_of_line(assignment).unwrap_or(first_crlf),
            escape_invisible(&assignment.name),
        ),
    };
    let keeps = if judgement.broken.len() == 1 {
        "keeps"
    } else {
        "keep"
    };
    let stripped = if judgement.fine.is_empty() {
        String::new()
    } else {
        format!("; {} strip it", judgement.fine_names())
    };
    let message = format!(
        "the file has Windows (CRLF) line endings: {} {keeps} the `\\r` in {subjects} (and in every other value){stripped} — convert the file to LF line endings",
        judgement.broken_names(),
    );
    let edits = crlf_offsets(ctx.text)
        .map(|at| Edit::delete(at..at + 1))
        .collect();
    Some(with_fix(
        InvisibleCharacter::diagnostic(judgement.severity, pointed..pointed + 1, message),
        Fix::safe("Convert the line endings to LF", edits),
    ))
}

fn cr_line_endings(ctx: &Context, env: &EnvFile) -> Option<Diagnostic> {
    let lone_cr: Vec<Range<usize>> = env
        .statements
        .iter()
        .filter(|statement| {
            let text = ctx.slice(statement.span.clone());
            text.ends_with('\r')
        })
        .map(|statement| statement.span.end - 1..statement.span.end)
        .collect();
    let first = lone_cr.first()?.clone();
    let (assignment, judgement) = first_keeping_cr(ctx)?;
    let reads = if judgement.broken.len() == 1 {
        "reads"
    } else {
        "read"
    };
    let fine = if judgement.fine.is_empty() {
        String::new()
    } else {
        format!("; {} treat `\\r` as a line break", judgement.fine_names())
    };
    // In a file of `\n` lines a lone `\r` is a stray, not the file's convention.
    let what = if ctx.text.contains('\n') {
        "a line ends with a lone carriage return (`\\r`)"
    } else {
        "the file has `\\r`-only (classic Mac) line endings"
    };
    let message = format!(
        "{what}: {} {reads} {} with the `\\r` and the lines after it as one value{fine} — use LF line endings",
        judgement.broken_names(),
        escape_invisible(&assignment.name)
    );
    let edits = lone_cr
        .into_iter()
        .map(|range| Edit::replace(range, "\n"))
        .collect();
    Some(with_fix(
        InvisibleCharacter::diagnostic(judgement.severity, first, message),
        Fix::safe("Convert the line endings to LF", edits),
    ))
}

/// Where in an assignment a character sits, which decides how consumers are asked.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Name,
    /// Between the name and the value: around `=`, where loaders trim different blanks.
    Separator,
    Value,
}

fn characters(ctx: &Context, index: usize, assignment: &Assignment, out: &mut Vec<Diagnostic>) {
    let written = match (&assignment.origin, &ctx.parsed.env) {
        (Origin::EnvFile { statement }, Some(env)) => match &env.statements[*statement].kind {
            StatementKind::Assignment(written) => Some(written),
            _ => None,
        },
        _ => None,
    };
    let places = [
        (Place::Name, Some(assignment.name_range.clone())),
        (Place::Value, Some(assignment.value_range.clone())),
        (
            Place::Separator,
            written.map(|written| written.separator.clone()),
        ),
        (
            Place::Value,
            written.map(|written| written.trailing_blanks.clone()),
        ),
    ];
    // The places lie close together and are mostly plain: one pass over the stretch
    // that holds them all settles most assignments.
    let stretch = places
        .iter()
        .filter_map(|(_, range)| range.clone())
        .reduce(|a, b| a.start.min(b.start)..a.end.max(b.end));
    if stretch.is_some_and(|stretch| is_plain(ctx.slice(stretch))) {
        return;
    }
    // Asked only when a value has a character that may be deliberate in text.
    let mut secret: Option<bool> = None;
    for (place, range) in places {
        let Some(range) = range else {
            continue;
        };
        // base64 text: what it decodes to is not in the source.
        if assignment.origin == Origin::SecretData && place != Place::Name {
            continue;
        }
        for run in invisible_runs(ctx.slice(range.clone()), range.start) {
            let text = ctx.slice(run.clone());
            let always = text.chars().all(is_never_deliberate);
            if place != Place::Name
                && !always
                && !*secret
                    .get_or_insert_with(|| ctx.is_key_like(index) || is_key_name(&assignment.name))
            {
                continue;
            }
            if let Some(diagnostic) = character_run(ctx, index, assignment, place, run) {
                out.push(diagnostic);
            }
        }
    }
}

/// Control characters, zero-width spaces and word joiners: in a value they are a paste
/// accident, never text. The zero-width (non-)joiners U+200C/U+200D are left out: emoji
/// sequences and several scripts use them on purpose.
fn is_never_deliberate(character: char) -> bool {
    character.is_control() || matches!(character, '\u{200b}' | '\u{2060}' | '\u{feff}')
}

/// Printable ASCII, tabs and line feeds only, which are never invisible: most text is
/// only that, and one pass over the bytes settles it.
fn is_plain(text: &str) -> bool {
    // Blocks folded without an early exit, which the compiler turns into vector code.
    text.as_bytes().chunks(64).all(|block| {
        block.iter().fold(true, |plain, &byte| {
            plain & matches!(byte, b' '..=b'~' | b'\t' | b'\n')
        })
    })
}

/// Byte ranges of consecutive invisible characters in `text` (which starts at `offset`).
/// A `\r` before `\n` is a line ending (reported once per file), not a character in a value.
fn invisible_runs(text: &str, offset: usize) -> Vec<Range<usize>> {
    let mut runs: Vec<Range<usize>> = Vec::new();
    if is_plain(text) {
        return runs;
    }
    for (at, character) in text.char_indices() {
        let line_ending = character == '\r' && text[at + 1..].starts_with('\n');
        if !is_invisible(character) || line_ending {
            continue;
        }
        let range = offset + at..offset + at + character.len_utf8();
        match runs.last_mut() {
            Some(last) if last.end == range.start => last.end = range.end,
            _ => runs.push(range),
        }
    }
    runs
}

/// "a zero-width space (U+200B)".
fn describe(text: &str) -> String {
    let mut characters = text.chars();
    let (Some(character), None) = (characters.next(), characters.next()) else {
        return format!(
            "{} invisible characters ({})",
            text.chars().count(),
            escape_invisible(text)
        );
    };
    let code = format!("U+{:04X}", character as u32);
    match character {
        '\u{a0}' => "a non-breaking space (NBSP)".to_string(),
        '\r' => "a carriage return (`\\r`)".to_string(),
        '\u{200b}' => format!("a zero-width space ({code})"),
        '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => {
            format!("a zero-width character ({code})")
        }
        '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            format!("a bidirectional control character ({code})")
        }
        other if other.is_control() => format!("a control character ({code})"),
        other if other.is_whitespace() => format!("a non-ASCII space ({code})"),
        _ => format!("an invisible character ({code})"),
    }
}

fn character_run(
    ctx: &Context,
    index: usize,
    assignment: &Assignment,
    place: Place,
    run: Range<usize>,
) -> Option<Diagnostic> {
    let text = ctx.slice(run.clone());
    let ask = |_, outcome: &Outcome| {
        let kept = match (place, outcome.value()) {
            // A name with the character is another variable: nobody gets the intended one.
            (Place::Name, _) => true,
            (Place::Separator, None) => true,
            (_, Some(value)) => value.contains(text),
            (Place::Value, None) => false,
        };
        kept.then(|| "keeps".to_string())
    };
    // A name or separator that a loader refuses is broken by the character; a value a
    // loader never reads is another finding.
    let judgement = if place == Place::Value {
        ctx.judge_value(index, Syntax::Accidental, ask)
    } else {
        ctx.judge(index, Syntax::Accidental, ask)
    }?;
    let what = describe(text);
    let name = escape_invisible(&assignment.name);
    let message = if place == Place::Name {
        let intended: String = assignment
            .name
            .chars()
            .filter(|character| !is_invisible(*character))
            .collect();
        format!("the name {name} contains {what}, so the program never gets {intended} — delete it")
    } else {
        let raw = ctx.slice(assignment.value_range.clone());
        let position = if run.end <= assignment.value_range.start || raw.is_empty() {
            "at the start of its value"
        } else if run.start >= assignment.value_range.end {
            "at the end of its value"
        } else {
            "in its value"
        };
        if judgement.is_yaml() || judgement.fine.is_empty() && judgement.broken.len() > 1 {
            let who = if judgement.is_yaml() {
                "the program receives it"
            } else {
                "every loader keeps it"
            };
            format!("{name} has {what} {position}, and {who} — delete it")
        } else {
            let keeps = if judgement.broken.len() == 1 {
                "keeps"
            } else {
                "keep"
            };
            let stripped = if judgement.fine.is_empty() {
                String::new()
            } else {
                format!("; {} strip it", judgement.fine_names())
            };
            format!(
                "{name} has {what} {position}: {} {keeps} it{stripped} — delete it",
                judgement.broken_names()
            )
        }
    };
    Some(with_fix(
        InvisibleCharacter::diagnostic(judgement.severity, run.clone(), message),
        Fix::safe("Delete the invisible characters", vec![Edit::delete(run)]),
    ))
}

#[cfg(test)]
mod tests {
    use crate::consumer::Consumer;
    use crate::rules::test_support::{check, check_with, fix_all};

    #[test]
    fn crlf_is_reported_once_per_file() {
        let text = "# settings\r\nOPENAI_API_KEY=sk-abc\r\nNEXT=1\r\n";
        insta::assert_snapshot!(check("KL103", ".env", text), @r"
        2:22-2:23 warning KL103: the file has Windows (CRLF) line endings: a shell (`set -a; . .env`) keeps the `\r` in OPENAI_API_KEY (and in every other value); python-dotenv, node dotenv, dotenvy, Compose and docker --env-file strip it — convert the file to LF line endings
          fix (safe): Convert the line endings to LF => # settings\nOPENAI_API_KEY=sk-abc\nNEXT=1\n
        ");
        insta::assert_snapshot!(check_with("KL103", ".env", text, &[Consumer::Shell]), @r"
        2:22-2:23 error KL103: the file has Windows (CRLF) line endings: a shell (`set -a; . .env`) keeps the `\r` in OPENAI_API_KEY (and in every other value) — convert the file to LF line endings
          fix (safe): Convert the line endings to LF => # settings\nOPENAI_API_KEY=sk-abc\nNEXT=1\n
        ");
        insta::assert_snapshot!(check_with("KL103", ".env", text, &[Consumer::PythonDotenv, Consumer::ComposeEnvFile]), @"");
    }

    #[test]
    fn cr_only_line_endings() {
        insta::assert_snapshot!(check("KL103", ".env", "A=1\nOPENAI_API_KEY=sk-abc\rNEXT=1\n"), @r"
        2:22-3:1 warning KL103: a line ends with a lone carriage return (`\r`): dotenvy, Compose, docker --env-file and a shell (`set -a; . .env`) read OPENAI_API_KEY with the `\r` and the lines after it as one value; python-dotenv and node dotenv treat `\r` as a line break — use LF line endings
          fix (safe): Convert the line endings to LF => A=1\nOPENAI_API_KEY=sk-abc\nNEXT=1\n
        ");
        insta::assert_snapshot!(check("KL103", ".env", "OPENAI_API_KEY=sk-abc\rNEXT=1\r"), @r"
        1:22-2:1 warning KL103: the file has `\r`-only (classic Mac) line endings: dotenvy, Compose, docker --env-file and a shell (`set -a; . .env`) read OPENAI_API_KEY with the `\r` and the lines after it as one value; python-dotenv and node dotenv treat `\r` as a line break — use LF line endings
          fix (safe): Convert the line endings to LF => OPENAI_API_KEY=sk-abc\nNEXT=1\n
        ");
    }

    #[test]
    fn byte_order_mark() {
        let text = "\u{feff}OPENAI_API_KEY=sk-abc\n";
        insta::assert_snapshot!(check("KL103", ".env", text), @r"
        1:1-1:2 warning KL103: the file starts with an invisible byte order mark (BOM): a shell runs the first line as a command and never sets OPENAI_API_KEY, python-dotenv before 1.2.3 reads the name as `<BOM>OPENAI_API_KEY` and dotenvy's `from_path_iter` fails on the first line; node dotenv, Compose and docker --env-file skip it — save it as UTF-8 without BOM
          fix (safe): Remove the byte order mark => OPENAI_API_KEY=sk-abc\n
        ");
        insta::assert_snapshot!(check_with("KL103", ".env", text, &[Consumer::Shell]), @r"
        1:1-1:2 error KL103: the file starts with an invisible byte order mark (BOM): a shell runs the first line as a command and never sets OPENAI_API_KEY — save it as UTF-8 without BOM
          fix (safe): Remove the byte order mark => OPENAI_API_KEY=sk-abc\n
        ");
        insta::assert_snapshot!(check_with("KL103", ".env", text, &[Consumer::NodeDotenv, Consumer::ComposeEnvFile]), @"");
        // godotenv is judged only where it is known to read the file.
        insta::assert_snapshot!(check_with("KL103", ".env", text, &[Consumer::Godotenv]), @r#"
1:1-1:2 error KL103: the file starts with an invisible byte order mark (BOM): godotenv fails on the first line and sets nothing from the file — save it as UTF-8 without BOM
  fix (safe): Remove the byte order mark => OPENAI_API_KEY=sk-abc\n
"#);
        insta::assert_snapshot!(check("KL103", ".env", "\u{feff}# comment\nA=1\n"), @"");
    }

    #[test]
    fn characters_in_names_and_values() {
        insta::assert_snapshot!(check("KL103", ".env", "OPENAI_API_KEY=sk-\u{200b}abc\nOPENAI\u{200d}_ORG_ID=org-abc\nANTHROPIC_API_KEY=sk-ant-abc\u{a0}\nBELL=a\u{7}b\n"), @r"
        1:19-1:20 error KL103: OPENAI_API_KEY has a zero-width space (U+200B) in its value, and every loader keeps it — delete it
          fix (safe): Delete the invisible characters => OPENAI_API_KEY=sk-abc\nOPENAI<U+200D>_ORG_ID=org-abc\nANTHROPIC_API_KEY=sk-ant-abc<NBSP>\nBELL=a<U+0007>b\n
        2:7-2:8 error KL103: the name OPENAI<U+200D>_ORG_ID contains a zero-width character (U+200D), so the program never gets OPENAI_ORG_ID — delete it
          fix (safe): Delete the invisible characters => OPENAI_API_KEY=sk-<U+200B>abc\nOPENAI_ORG_ID=org-abc\nANTHROPIC_API_KEY=sk-ant-abc<NBSP>\nBELL=a<U+0007>b\n
        3:29-3:30 warning KL103: ANTHROPIC_API_KEY has a non-breaking space (NBSP) at the end of its value: docker --env-file and a shell (`set -a; . .env`) keep it; python-dotenv and node dotenv strip it — delete it
          fix (safe): Delete the invisible characters => OPENAI_API_KEY=sk-<U+200B>abc\nOPENAI<U+200D>_ORG_ID=org-abc\nANTHROPIC_API_KEY=sk-ant-abc\nBELL=a<U+0007>b\n
        4:7-4:8 error KL103: BELL has a control character (U+0007) in its value, and every loader keeps it — delete it
          fix (safe): Delete the invisible characters => OPENAI_API_KEY=sk-<U+200B>abc\nOPENAI<U+200D>_ORG_ID=org-abc\nANTHROPIC_API_KEY=sk-ant-abc<NBSP>\nBELL=ab\n
        ");
        insta::assert_snapshot!(check_with("KL103", ".env", "ANTHROPIC_API_KEY=sk-ant-abc\u{a0}\n", &[Consumer::ComposeEnvFile]), @"");
        insta::assert_snapshot!(check_with("KL103", ".env", "ANTHROPIC_API_KEY=\u{a0}sk-ant-abc\n", &[Consumer::DockerEnvFile]), @r"
        1:19-1:20 error KL103: ANTHROPIC_API_KEY has a non-breaking space (NBSP) at the start of its value: docker --env-file keeps it — delete it
          fix (safe): Delete the invisible characters => ANTHROPIC_API_KEY=sk-ant-abc\n
        ");
        insta::assert_snapshot!(check("KL103", "compose.yaml", "services:\n  api:\n    environment:\n      OPENAI_API_KEY: \"sk-abc\u{2060}\"\n      GEMINI_API_KEY: AIza\u{202e}x\n"), @r#"
        4:30-4:31 error KL103: OPENAI_API_KEY has a zero-width character (U+2060) in its value, and the program receives it — delete it
          fix (safe): Delete the invisible characters => services:\n  api:\n    environment:\n      OPENAI_API_KEY: "sk-abc"\n      GEMINI_API_KEY: AIza<U+202E>x\n
        5:27-5:28 error KL103: GEMINI_API_KEY has a bidirectional control character (U+202E) in its value, and the program receives it — delete it
          fix (safe): Delete the invisible characters => services:\n  api:\n    environment:\n      OPENAI_API_KEY: "sk-abc<U+2060>"\n      GEMINI_API_KEY: AIzax\n
        "#);
    }

    #[test]
    fn near_misses() {
        insta::assert_snapshot!(check("KL103", ".env", "# clé API — ne pas partager\u{a0}!\nGREETING=\"bonjour\u{202f}!\"\nINDENT=\u{a0}\u{a0}x\nTITLE=\u{202b}abc\nA=1\nB=x\u{a0}\nBANNER=\"👩\u{200d}💻 ready\u{fe0f}\"\n"), @"");
        insta::assert_snapshot!(check("KL103", "compose.yaml", "# ключ\r\nservices:\r\n  api:\r\n    environment:\r\n      OPENAI_API_KEY: sk-abc\r\n"), @"");
        insta::assert_snapshot!(check("KL103", ".env", "PRIVATE_KEY=\"-----BEGIN KEY-----\nabc\n-----END KEY-----\"\nA=1\n"), @"");
    }

    #[test]
    fn fixes_are_idempotent_and_leave_nothing_to_report() {
        let cases: Vec<(&str, &str, &[Consumer])> = vec![
            (
                ".env",
                "\u{feff}OPENAI_API_KEY=sk-\u{200b}abc\u{a0}\nOPENAI\u{200d}_ORG_ID=org-abc\n",
                &[],
            ),
            (".env", "OPENAI_API_KEY=sk-abc\rNEXT=1\r", &[]),
            (
                ".env",
                "OPENAI_API_KEY=sk-abc\u{a0}\r\nNEXT=\"a\r\nb\"\r\n",
                &[],
            ),
            (
                "compose.yaml",
                "services:\n  api:\n    environment:\n      OPENAI_API_KEY: \"sk-abc\u{2060}\"\n",
                &[],
            ),
        ];
        for (path, text, consumers) in cases {
            let fixed = fix_all("KL103", path, text, consumers);
            assert_ne!(fixed, text, "{text:?} has a fix");
            assert_eq!(fix_all("KL103", path, &fixed, consumers), fixed);
            assert_eq!(
                check_with("KL103", path, &fixed, consumers),
                "",
                "after fixing {text:?}"
            );
        }
    }
}
