//! KL202 duplicate-variable: the same variable set twice with different values.

use std::cell::OnceCell;
use std::fmt::Write as _;
use std::sync::Arc;

use crate::assignment::{Assignment, Origin};
use crate::consumer::{Consumer, Outcome};
use crate::diagnostic::{Diagnostic, Severity};
use crate::line_index::LineIndex;
use crate::rules::{ComposeEnv, Context, FixAvailability, Rule, push_names};

pub(crate) struct DuplicateVariable;

impl Rule for DuplicateVariable {
    const CODE: &'static str = "KL202";
    const NAME: &'static str = "duplicate-variable";
    const SEVERITY: Severity = Severity::Warning;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str =
        "The same variable twice with different values; says which one wins for each consumer";
    const DOC: &'static str = r#"
## What it does
Finds a variable set more than once with different values: twice in one env file, or
twice in the `environment:` list of one Compose service. The message says which line
each program that reads the file uses.

## Why is this bad?
The loaders do not agree on which copy wins. python-dotenv, node dotenv, Compose,
`docker run --env-file` and a shell keep the last one; dotenvy keeps the first. Editing
the line you see first, or appending a new key at the end, can leave the program with
the old, revoked key and a `401 invalid_api_key` that makes no sense when you read the
file. Compose keeps the last item of an `environment:` list.

In a Compose service, `environment:` beats every `env_file:`, and a later `env_file:`
beats an earlier one. A variable set in both with different values is reported on the
winning copy, naming the loser: editing the losing file changes
nothing in the container.

Copies with the same value are harmless and not reported; neither are Compose map
entries that override a `<<: *anchor` merge, which is how overriding is meant to be
written.

## Example
```shell
OPENAI_API_KEY=sk-proj-old…
OPENAI_BASE_URL=https://api.openai.com/v1
OPENAI_API_KEY=sk-proj-new…
```

Use instead:
```shell
OPENAI_BASE_URL=https://api.openai.com/v1
OPENAI_API_KEY=sk-proj-new…
```
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        compose_sources(ctx, out);
        // Line numbers are only needed for a finding: most files have none.
        let lines = OnceCell::new();
        let assignments = ctx.assignments();
        // Buffers for the names set more than once, kept from one to the next.
        let mut copies: Vec<usize> = Vec::new();
        let mut reads: Vec<Reads> = Vec::new();
        for (index, assignment) in assignments.iter().enumerate() {
            if !matches!(
                assignment.origin,
                Origin::EnvFile { .. } | Origin::ComposeList
            ) {
                continue;
            }
            let group = copies_of(ctx, index);
            // One finding per name, on its last copy.
            if group.clone().nth(1).is_none() || group.clone().next_back() != Some(index) {
                continue;
            }
            copies.clear();
            copies.extend(group);
            let line_of =
                |copy: usize| lines.get_or_init(|| name_lines(ctx.line_index(), assignments))[copy];
            // Every copy has the judged consumers of `assignment` (all from an env file or
            // all from YAML): one walk over the copies reads them all.
            let consumers = ctx.judged_consumers(assignment);
            reads.clear();
            reads.resize(consumers.len(), Reads::default());
            for &copy in &copies {
                for ((_, outcome), read) in ctx.judged_outcomes(copy).zip(&mut reads) {
                    let Some(outcome) = outcome
                        .filter(|outcome| assignment.origin.is_yaml() || outcome.value().is_some())
                    else {
                        continue;
                    };
                    match read.first {
                        None => read.first = Some((copy, outcome)),
                        Some((_, first)) => read.differ |= *first != *outcome,
                    }
                    read.last = copy;
                }
            }
            // Quoting is deliberate syntax that only docker keeps: `A=x` and `A="x"`
            // differ for docker alone, which counts only when docker is known to read it.
            let differ = consumers.iter().zip(&reads).any(|(&consumer, read)| {
                read.differ && (ctx.consumers.is_known() || consumer != Consumer::DockerEnvFile)
            });
            if !differ {
                continue;
            }
            // Each line some consumer uses, with those consumers as bits of their positions
            // in `consumers`: at most one line per consumer, so no vector per finding.
            let mut winners = [(0, 0_u8); Consumer::KINDS];
            let mut lines_used = 0;
            for (position, (&consumer, read)) in consumers.iter().zip(&reads).enumerate() {
                let Some((first, _)) = read.first else {
                    continue;
                };
                let line = line_of(if consumer.first_wins() {
                    first
                } else {
                    read.last
                });
                match winners[..lines_used]
                    .iter_mut()
                    .find(|(other, _)| *other == line)
                {
                    Some((_, users)) => *users |= 1 << position,
                    None => {
                        winners[lines_used] = (line, 1 << position);
                        lines_used += 1;
                    }
                }
            }
            let winners = &mut winners[..lines_used];
            winners.sort_by_key(|(line, _)| *line);
            // Written into one buffer: on a file with many copies these messages are long.
            let mut message = String::with_capacity(160 + 8 * copies.len() + 100 * winners.len());
            message.push_str(&assignment.name);
            message.push_str(" is set ");
            match copies.len() {
                2 => message.push_str("twice"),
                count => {
                    message.push_str(itoa::Buffer::new().format(count));
                    message.push_str(" times");
                }
            }
            if let (Origin::ComposeList, Some(service)) = (&assignment.origin, &assignment.scope) {
                write!(message, " in the environment of service `{service}`")
                    .expect("writing to a String");
            }
            message.push_str(" (lines ");
            for (position, &copy) in copies.iter().enumerate() {
                if position > 0 {
                    message.push_str(if position + 1 == copies.len() {
                        " and "
                    } else {
                        ", "
                    });
                }
                message.push_str(itoa::Buffer::new().format(line_of(copy)));
            }
            message.push_str(") with different values: ");
            for (position, &(line, users)) in winners.iter().enumerate() {
                if position > 0 {
                    message.push_str(", ");
                }
                // Compose reads the `environment:` list; "YAML" would say nothing.
                if assignment.origin == Origin::ComposeList {
                    message.push_str("Compose");
                } else {
                    push_names(
                        &mut message,
                        consumers
                            .iter()
                            .enumerate()
                            .filter(|(user, _)| users & (1 << user) != 0)
                            .map(|(_, &consumer)| consumer),
                    );
                }
                message.push_str(if users.count_ones() == 1 {
                    " uses line "
                } else {
                    " use line "
                });
                message.push_str(itoa::Buffer::new().format(line));
            }
            message.push_str(" — keep only the one you mean");
            out.push(Self::diagnostic(
                Self::SEVERITY,
                assignment.name_range.clone(),
                message,
            ));
        }
    }
}

/// The 1-based line of each assignment's name. Names come in file order (but for YAML
/// merges): one walk over the lines finds them all, where a search per copy of a name set
/// hundreds of times would not.
fn name_lines(index: &LineIndex, assignments: &[Assignment]) -> Vec<usize> {
    let mut line = 0;
    assignments
        .iter()
        .map(|assignment| {
            let at = assignment.name_range.start;
            if index.line_start(line).is_some_and(|start| start > at) {
                line = index.line_of(at);
            }
            while index.line_start(line + 1).is_some_and(|start| start <= at) {
                line += 1;
            }
            line + 1
        })
        .collect()
}

/// What one consumer reads of a variable's copies: the first copy it reads (with what it
/// gets), the last one, and whether the values differ.
#[derive(Clone, Default)]
struct Reads<'a> {
    first: Option<(usize, &'a Outcome)>,
    last: usize,
    differ: bool,
}

/// Where a copy of a variable comes from: an env file (`true`) or a Compose
/// `environment:`, list or map (`false`). Other YAML scopes hold several programs (the
/// containers of a Deployment, the steps of a job), so their copies are not the same
/// variable (`None`).
fn source(assignment: &Assignment) -> Option<bool> {
    match assignment.origin {
        Origin::EnvFile { .. } => Some(true),
        Origin::ComposeList | Origin::ComposeMap => Some(false),
        _ => None,
    }
}

/// The indices of the copies of assignment `index`'s variable, in file order: the
/// assignments of the same name in the same scope (lines of one env file, or entries of
/// one Compose service's `environment:`, merged anchors included) from the same source.
fn copies_of<'a>(
    ctx: &'a Context,
    index: usize,
) -> impl DoubleEndedIterator<Item = usize> + Clone + 'a {
    let from = source(&ctx.assignments()[index]);
    // An env file's assignments all come from its lines: only YAML groups need sorting out.
    let mixed = ctx.parsed.env.is_none();
    ctx.named_like(index).iter().copied().filter(move |&other| {
        from.is_some() && (!mixed || source(&ctx.assignments()[other]) == from)
    })
}

/// The copy of assignment `index`'s variable each judged consumer keeps, by the
/// consumer's place in the row of [`Context::judged_outcomes`] (which every copy shares):
/// value rules judge only the copy a program actually uses. Asked once for all consumers.
pub(crate) fn kept_copies(ctx: &Context, index: usize) -> [Option<usize>; Consumer::KINDS] {
    let copies = copies_of(ctx, index);
    let mut kept = [None; Consumer::KINDS];
    for ((position, (consumer, _)), kept) in ctx.judged_outcomes(index).enumerate().zip(&mut kept) {
        let reads = |&copy: &usize| {
            ctx.judged_outcome(copy, position)
                .is_some_and(|outcome| outcome.value().is_some())
        };
        *kept = if consumer.first_wins() {
            copies.clone().find(reads)
        } else {
            copies.clone().rev().find(reads)
        };
    }
    kept
}

/// Compose: a variable a service gets from `environment:` and from an `env_file:` (or
/// from two `env_file:`s) with different values. `environment:` wins, then the later file.
fn compose_sources(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let (Some(yaml), crate::source::FileKind::Compose) = (&ctx.parsed.yaml, ctx.parsed.kind) else {
        return;
    };
    let services: Vec<(&str, Vec<crate::hints::ComposeEnvFileEntry>)> = yaml
        .documents
        .iter()
        .flat_map(|document| {
            document
                .get("services")
                .into_iter()
                .flat_map(crate::syntax::yaml::Node::entries)
        })
        .filter_map(|(service_key, service)| {
            Some((
                service_key.as_str()?,
                crate::hints::service_env_files(service),
            ))
        })
        .collect();
    // Services mostly share their env files: each, as written, is read and loaded once.
    let mut loaded: foldhash::HashMap<&str, Option<Arc<ComposeEnv>>> = foldhash::HashMap::default();
    for entry in services.iter().flat_map(|(_, entries)| entries) {
        if let Some(written) = entry.path.as_str() {
            loaded
                .entry(written)
                .or_insert_with(|| ctx.compose_env(&crate::project::sibling(ctx.path, written)));
        }
    }
    let mut by_service = None;
    for (service_name, entries) in &services {
        // The service's env files as written.
        let mut files: Vec<(&str, &ComposeEnv)> = Vec::new();
        // name -> (value, index in `files`, offset)
        let mut from_files: foldhash::HashMap<&str, (&str, usize, usize)> =
            foldhash::HashMap::default();
        for entry in entries {
            let Some(written) = entry.path.as_str() else {
                continue;
            };
            let Some(Some(file)) = loaded.get(written) else {
                continue;
            };
            files.push((written, file));
            let current = files.len() - 1;
            // Room for the file's entries at once: growing the map rehashes it.
            from_files.reserve(file.loaded.len());
            for (name, value, at) in file
                .loaded
                .iter()
                .filter_map(|loaded| match &loaded.outcome {
                    Outcome::Value(value) => Some((&loaded.name, value, &loaded.at)),
                    _ => None,
                })
            {
                if let Some(&(earlier, earlier_file, earlier_at)) = from_files.get(name.as_str())
                    && earlier != value
                    && files[earlier_file].0 != written
                {
                    let (earlier_written, earlier_file) = files[earlier_file];
                    out.push(DuplicateVariable::diagnostic(
                        Severity::Warning,
                        entry.path.span.clone(),
                        format!(
                            "{name} is set in {earlier_written} (line {}) and in {written} (line {}) with different values: service `{service_name}` gets the one from {written}, the later `env_file:`",
                            earlier_file.line_of(earlier_at),
                            file.line_of(*at),
                        ),
                    ));
                }
                from_files.insert(name, (value, current, *at));
            }
        }
        if from_files.is_empty() {
            continue;
        }
        // Found once for all services: a scan of every assignment per service is quadratic
        // in a Compose file with thousands of them.
        let by_service = by_service.get_or_insert_with(|| {
            let mut by_service: foldhash::HashMap<&str, Vec<&Assignment>> =
                foldhash::HashMap::default();
            for assignment in ctx.assignments() {
                if let Some(scope) = assignment.scope.as_deref() {
                    by_service.entry(scope).or_default().push(assignment);
                }
            }
            by_service
        });
        for &assignment in by_service.get(service_name).into_iter().flatten() {
            let Some(Outcome::Value(value)) = &assignment.yaml_outcome else {
                continue;
            };
            if value.contains('$') {
                // Interpolated: the value is only known when Compose runs.
                continue;
            }
            if let Some(&(file_value, file, at)) = from_files.get(assignment.name.as_str())
                && file_value != value
            {
                let (written, file) = files[file];
                out.push(DuplicateVariable::diagnostic(
                    Severity::Warning,
                    assignment.name_range.clone(),
                    format!(
                        "{} is also set in {written} (line {}) with a different value: `environment:` wins, so the value in {written} never reaches service `{service_name}`",
                        assignment.name,
                        file.line_of(at),
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::consumer::Consumer;
    use crate::rules::test_support::{check, check_with};

    #[test]
    fn compose_environment_beats_env_file_and_later_files_beat_earlier() {
        use crate::rules::test_support::{MemoryProject, check_in_project};
        let project = MemoryProject::default()
            .with_file("common.env", "LOG_LEVEL=debug\nREGION=eu\n")
            .with_file("api.env", "LOG_LEVEL=info\nREGION=eu\nMODEL=gpt-4o\n");
        let compose = "services:\n  api:\n    env_file: [common.env, api.env]\n    environment:\n      MODEL: gpt-4o-mini\n      REGION: eu\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n";
        insta::assert_snapshot!(check_in_project("KL202", "compose.yaml", compose, &project), @"
        3:28-3:35 warning KL202: LOG_LEVEL is set in common.env (line 1) and in api.env (line 1) with different values: service `api` gets the one from api.env, the later `env_file:`
        5:7-5:12 warning KL202: MODEL is also set in api.env (line 3) with a different value: `environment:` wins, so the value in api.env never reaches service `api`
        ");
        // Same values everywhere, or files that cannot be read: nothing to say.
        let agreeing = MemoryProject::default().with_file("api.env", "MODEL=gpt-4o-mini\n");
        insta::assert_snapshot!(check_in_project("KL202", "compose.yaml", "services:\n  api:\n    env_file: [api.env, missing.env]\n    environment:\n      MODEL: gpt-4o-mini\n", &agreeing), @"");
        // Each service against its own env files only, whichever services have none.
        let services = "services:\n  web:\n    environment:\n      MODEL: gpt-4o-mini\n  api:\n    env_file: api.env\n    environment:\n      MODEL: gpt-4o-mini\n  worker:\n    environment:\n      MODEL: o3\n  cron:\n    env_file: api.env\n    environment:\n      MODEL: o3\n";
        insta::assert_snapshot!(check_in_project("KL202", "compose.yaml", services, &agreeing), @"15:7-15:12 warning KL202: MODEL is also set in api.env (line 1) with a different value: `environment:` wins, so the value in api.env never reaches service `cron`");
    }

    #[test]
    fn env_file_duplicate_says_who_uses_which_line() {
        insta::assert_snapshot!(check("KL202", ".env", "OPENAI_API_KEY=sk-one\nOPENAI_BASE_URL=https://api.openai.com/v1\nOPENAI_API_KEY=sk-two\n"), @"3:1-3:15 warning KL202: OPENAI_API_KEY is set twice (lines 1 and 3) with different values: dotenvy uses line 1, python-dotenv, node dotenv, Compose, docker --env-file and a shell (`set -a; . .env`) use line 3 — keep only the one you mean");
        insta::assert_snapshot!(check_with("KL202", ".env", "OPENAI_API_KEY=sk-one\n\nOPENAI_API_KEY=sk-two\n", &[Consumer::ComposeEnvFile]), @"3:1-3:15 warning KL202: OPENAI_API_KEY is set twice (lines 1 and 3) with different values: Compose uses line 3 — keep only the one you mean");
        insta::assert_snapshot!(check("KL202", ".env", "A=1\nA=2\nB=x\nA=3\n"), @"4:1-4:2 warning KL202: A is set 3 times (lines 1, 2 and 4) with different values: dotenvy uses line 1, python-dotenv, node dotenv, Compose, docker --env-file and a shell (`set -a; . .env`) use line 4 — keep only the one you mean");
    }

    #[test]
    fn compose_list_duplicate() {
        insta::assert_snapshot!(check("KL202", "compose.yaml", "services:\n  api:\n    environment:\n      - OPENAI_API_KEY=sk-one\n      - OPENAI_API_KEY=sk-two\n  worker:\n    environment:\n      - OPENAI_API_KEY=sk-three\n"), @"5:9-5:23 warning KL202: OPENAI_API_KEY is set twice in the environment of service `api` (lines 4 and 5) with different values: Compose uses line 5 — keep only the one you mean");
    }

    #[test]
    fn near_misses() {
        // Same value twice, different variables, other services, anchor overrides.
        insta::assert_snapshot!(check("KL202", ".env", "OPENAI_API_KEY=sk-one\nOPENAI_API_KEY=\"sk-one\"\nopenai_api_key=sk-two\n"), @"");
        insta::assert_snapshot!(check("KL202", "compose.yaml", "x-env: &env\n  OPENAI_API_KEY: sk-one\nservices:\n  api:\n    environment:\n      <<: *env\n      OPENAI_API_KEY: sk-two\n  worker:\n    environment:\n      - OPENAI_API_KEY=sk-three\n"), @"");
        insta::assert_snapshot!(check("KL202", ".env", "# OPENAI_API_KEY=sk-old\nOPENAI_API_KEY=sk-new\n"), @"");
    }
}
