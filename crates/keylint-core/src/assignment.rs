//! One model for "variable NAME gets RAW text at SPAN, read by CONSUMER", whatever the
//! file format. Rules work on [`ParsedFile`]: its assignments and, for each, the
//! outcome every consumer gets.

use std::ops::Range;
use std::sync::OnceLock;

use compact_str::CompactString;

use crate::consumer::{
    Consumer, DroppedCr, Entry, Outcome, OutcomeOf, Reading, Reason, UniversalNewlines,
    plain_entry, read_env_file,
};
use crate::source::FileKind;
use crate::syntax::dotenv::{self, EnvFile, StatementKind};
use crate::syntax::simple_line::SimpleLines;
use crate::syntax::yaml::{self, YamlFile};

/// Where an assignment was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A line of an env file; the index is into [`EnvFile::statements`].
    EnvFile { statement: usize },
    /// Compose `environment:` list item `- KEY=value`.
    ComposeList,
    /// Compose `environment:` map entry `KEY: value`.
    ComposeMap,
    /// Kubernetes container `env:` item `{name, value}`.
    KubernetesEnv,
    /// Kubernetes Secret `data:` entry (base64).
    SecretData,
    /// Kubernetes Secret `stringData:` entry.
    SecretStringData,
    /// An `env:` mapping: GitHub Actions at any level, Helm values and the like.
    YamlEnvMap,
}

impl Origin {
    #[must_use]
    pub fn is_yaml(&self) -> bool {
        !matches!(self, Origin::EnvFile { .. })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub name: CompactString,
    pub name_range: Range<usize>,
    /// The value as written: quotes included (YAML quotes too), comment excluded.
    pub value_range: Range<usize>,
    pub origin: Origin,
    /// Compose service, or the Kubernetes object / workflow job the value belongs to.
    pub scope: Option<String>,
    /// For YAML: what the program receives (the YAML value; base64-decoded for Secret
    /// `data:`). `None` for env files, whose outcomes depend on the consumer.
    pub yaml_outcome: Option<Outcome>,
}

/// A parsed file with its assignments and what each consumer makes of them.
#[derive(Clone, Debug)]
pub struct ParsedFile {
    pub kind: FileKind,
    pub env: Option<EnvFile>,
    pub yaml: Option<YamlFile>,
    pub assignments: Vec<Assignment>,
    /// Env files: the text, kept to read consumers' outcomes when first asked for.
    env_text: Option<Box<str>>,
    /// Which consumers read every assignment of the file as its simple line's value.
    read_alike: ReadAlike,
    /// Env files: the simple lines, found once for the reader and every loader model.
    simple_lines: SimpleLines,
    /// Env files: per assignment, where its statement's content starts, which ties it to
    /// the loaders' entries (kept apart from the statements, whose size would make every
    /// model's pass over them read far more memory).
    content_starts: Vec<usize>,
    /// Env files with a `\r`: the copy python-dotenv and node dotenv read, made for the
    /// first of them.
    universal_newlines: UniversalNewlines,
    /// Per env-file consumer (in [`Consumer::ENV_FILE`] order), what it makes of each
    /// assignment. Read on first use: redacting a file for display, or a project whose
    /// only consumer is known, needs few or none of them.
    outcomes: [OnceLock<Readings>; Consumer::ENV_FILE.len()],
    /// Per assignment written as a simple line, the value a loader reading it from the
    /// line's start gives.
    simple_values: OnceLock<Vec<Option<Outcome>>>,
}

/// What one consumer makes of each assignment of an env file. The lines every loader
/// reads alike are held once, in `simple_values`; a table of offsets points at the others,
/// so that rules asking every consumer about every line mostly read a small table.
#[derive(Clone, Debug)]
struct Readings {
    /// Per assignment (same order as `assignments`), its outcome's index in `other`, or
    /// [`SIMPLE_VALUE`] where it is the one in `simple_values`.
    at: Vec<usize>,
    other: Vec<Outcome>,
    /// The reason last pushed, refused or not, and its index in `other`.
    last_reason: Option<(bool, Reason, usize)>,
}

const SIMPLE_VALUE: usize = usize::MAX;

impl Readings {
    fn with_capacity(assignments: usize) -> Readings {
        Readings {
            at: Vec::with_capacity(assignments),
            other: Vec::new(),
            last_reason: None,
        }
    }

    fn push_simple(&mut self) {
        self.at.push(SIMPLE_VALUE);
    }

    fn push(&mut self, outcome: Outcome) {
        self.at.push(self.other.len());
        self.other.push(outcome);
    }

    /// Pushes a model's reason, held once for a run of assignments that share it (the
    /// lines after the one that stopped dotenvy, a file Compose refuses).
    fn push_reason(&mut self, refused: bool, reason: &Reason) {
        if let Some((last_refused, last, at)) = &self.last_reason
            && *last_refused == refused
            && Reason::ptr_eq(last, reason)
        {
            self.at.push(*at);
            return;
        }
        self.last_reason = Some((refused, reason.clone(), self.other.len()));
        let reason = String::from(&**reason);
        self.push(if refused {
            Outcome::Refused(reason)
        } else {
            Outcome::Absent(reason)
        });
    }
}

impl ParsedFile {
    #[must_use]
    pub fn parse(kind: FileKind, text: &str) -> ParsedFile {
        match kind {
            FileKind::EnvFile => parse_env(text),
            _ => {
                let yaml = yaml::parse(text);
                let kind = crate::source::refine_yaml_kind(kind, &yaml);
                let assignments = crate::extract::yaml_assignments(kind, text, &yaml);
                ParsedFile {
                    kind,
                    env: None,
                    yaml: Some(yaml),
                    assignments,
                    env_text: None,
                    read_alike: ReadAlike::Nobody,
                    simple_lines: SimpleLines::default(),
                    content_starts: Vec::new(),
                    universal_newlines: UniversalNewlines::default(),
                    outcomes: Default::default(),
                    simple_values: OnceLock::new(),
                }
            }
        }
    }

    /// What `consumer` makes of assignment `index`. YAML assignments have one outcome
    /// whatever the consumer asked.
    #[must_use]
    pub fn outcome(&self, index: usize, consumer: Consumer) -> Option<&Outcome> {
        if self.env_text.is_none() {
            return self.assignments.get(index)?.yaml_outcome.as_ref();
        }
        let readings = self.outcomes_of(consumer)?;
        match *readings.at.get(index)? {
            SIMPLE_VALUE => self.simple_values().get(index)?.as_ref(),
            at => readings.other.get(at),
        }
    }

    /// [`ParsedFile::outcome`] of every assignment in order, for one consumer: a pass over
    /// its readings rather than a look-up per assignment.
    pub(crate) fn outcomes(&self, consumer: Consumer) -> impl Iterator<Item = Option<&Outcome>> {
        let env = self.env_text.is_some().then(|| {
            self.outcomes_of(consumer)
                .map(|readings| (readings, self.simple_values()))
        });
        self.assignments
            .iter()
            .enumerate()
            .map(move |(index, assignment)| match env {
                None => assignment.yaml_outcome.as_ref(),
                Some(None) => None,
                Some(Some((readings, simple_values))) => match readings.at[index] {
                    SIMPLE_VALUE => simple_values[index].as_ref(),
                    at => readings.other.get(at),
                },
            })
    }

    /// Reads the file as each of `consumers` does, side by side when the file is big
    /// enough for threads to pay off. Later [`ParsedFile::outcome`] calls find them ready.
    pub fn read_consumers(&self, consumers: &[Consumer]) {
        let Some(text) = self.env_text.as_deref() else {
            return;
        };
        let missing: Vec<Consumer> = consumers
            .iter()
            .copied()
            .filter(|&consumer| {
                env_slot(consumer).is_some_and(|slot| self.outcomes[slot].get().is_none())
            })
            .collect();
        if text.len() < PARALLEL_BYTES || missing.len() < 2 {
            for consumer in missing {
                self.outcomes_of(consumer);
            }
            return;
        }
        std::thread::scope(|scope| {
            for consumer in missing {
                scope.spawn(move || self.outcomes_of(consumer));
            }
            // Every model's matching needs them: found here while the models read.
            self.simple_values();
        });
    }

    fn outcomes_of(&self, consumer: Consumer) -> Option<&Readings> {
        let slot = env_slot(consumer)?;
        if let Some(readings) = self.outcomes[slot].get() {
            return Some(readings);
        }
        let text = self.env_text.as_deref()?;
        Some(self.outcomes[slot].get_or_init(|| {
            if self.read_alike.covers(consumer) {
                Readings {
                    at: vec![SIMPLE_VALUE; self.assignments.len()],
                    other: Vec::new(),
                    last_reason: None,
                }
            } else {
                self.model_outcomes(consumer, text, &self.universal_newlines)
            }
        }))
    }

    /// What `consumer`'s model makes of each assignment, tied to keylint's statements by
    /// where they start (`text` is the file's, `universal_newlines` its copy for the
    /// loaders that want one).
    fn model_outcomes(
        &self,
        consumer: Consumer,
        text: &str,
        universal_newlines: &UniversalNewlines,
    ) -> Readings {
        let read = read_env_file(consumer, text, &self.simple_lines, universal_newlines);
        self.readings(consumer, text, read)
    }

    /// [`ParsedFile::model_outcomes`] of what the model read.
    fn readings(&self, consumer: Consumer, text: &str, read: Reading) -> Readings {
        let mut readings = Readings::with_capacity(self.assignments.len());
        let Reading {
            entries: mut loaded,
            plain,
            refused,
        } = read;
        if let Some(reason) = refused {
            for _ in &self.assignments {
                readings.push_reason(true, &reason);
            }
            return readings;
        }
        // Only a loader that refuses whole files can have refused this one (`docker run`
        // exits at a line with no name).
        let file_refusal = consumer
            .refuses_whole_file()
            .then(|| refused_file(&loaded))
            .flatten();
        // Entries in statement order (loaders read front to back; a stable sort keeps a
        // statement read twice in reading order, and the last reading is the one that counts).
        // Most loaders read them in that order already, and a sort would take a buffer.
        if !loaded.is_sorted_by_key(|entry| entry.at) {
            loaded.sort_by_key(|entry| entry.at);
        }
        // Plain lines come in reading order, which is the order of their starts.
        let mut plain = plain.into_iter().map(|(line, _)| line).peekable();
        let mut next = 0;
        let mut not_read: Option<Reason> = None;
        for ((&at, assignment), simple_value) in self
            .content_starts
            .iter()
            .zip(&self.assignments)
            .zip(self.simple_values())
        {
            let mut reading = None;
            while let Some(entry) = loaded.get(next)
                && entry.at <= at
            {
                if entry.at == at {
                    reading = Some(next);
                }
                next += 1;
            }
            while plain.next_if(|line| line.start() < at).is_some() {}
            // A plain line read at a statement is the one keylint read there, unless keylint
            // read a statement from further back: then it is matched as any entry is.
            let plain_line = plain.next_if(|line| line.start() == at);
            if plain_line.is_some() && simple_value.is_some() {
                readings.push_simple();
                continue;
            }
            let entry = match (plain_line, reading) {
                (Some(line), _) => &mut plain_entry(line, text, &DroppedCr::default()),
                (None, Some(index)) => &mut loaded[index],
                (None, None) => {
                    match &file_refusal {
                        Some(reason) => readings.push_reason(true, reason),
                        None => readings.push_reason(
                            false,
                            not_read.get_or_insert_with(|| "not read as an assignment".into()),
                        ),
                    }
                    continue;
                }
            };
            match &mut entry.outcome {
                OutcomeOf::Absent(reason) => readings.push_reason(false, reason),
                OutcomeOf::Refused(reason) => readings.push_reason(true, reason),
                OutcomeOf::Value(value) if reads_name(text, &entry.name, assignment) => {
                    if simple_value
                        .as_ref()
                        .is_some_and(|simple| simple.value() == Some(&**value))
                    {
                        readings.push_simple();
                    } else {
                        readings.push(Outcome::Value(std::mem::take(value).into_owned()));
                    }
                }
                OutcomeOf::Value(_) if entry.name.is_empty() => {
                    readings.push(Outcome::Absent("read under an empty name".to_string()));
                }
                OutcomeOf::Value(_) => readings.push(Outcome::Absent(format!(
                    "read under another name, `{}`",
                    crate::mask::escape_invisible(&entry.name)
                ))),
            }
        }
        readings
    }

    fn simple_values(&self) -> &[Option<Outcome>] {
        self.simple_values.get_or_init(|| {
            let (Some(text), Some(env)) = (self.env_text.as_deref(), self.env.as_ref()) else {
                return Vec::new();
            };
            let mut simple_lines = self.simple_lines.cursor();
            self.assignments
                .iter()
                .map(|assignment| {
                    let Origin::EnvFile { statement } = assignment.origin else {
                        return None;
                    };
                    let line = simple_lines.at(env.statements[statement].span.start)?;
                    Some(Outcome::Value(line.value(text).to_string()))
                })
                .collect()
        })
    }
}

/// `consumer`'s place in [`Consumer::ENV_FILE`] (rules ask for it on every outcome).
fn env_slot(consumer: Consumer) -> Option<usize> {
    match consumer {
        Consumer::PythonDotenv => Some(0),
        Consumer::NodeDotenv => Some(1),
        Consumer::Dotenvy => Some(2),
        Consumer::Godotenv => Some(3),
        Consumer::ComposeEnvFile => Some(4),
        Consumer::DockerEnvFile => Some(5),
        Consumer::Shell => Some(6),
        Consumer::YamlAsWritten => None,
    }
}

fn parse_env(text: &str) -> ParsedFile {
    let simple_lines = SimpleLines::new(text);
    let env = dotenv::parse_with(text, &simple_lines);
    let mut assignments = Vec::with_capacity(env.statements.len());
    let mut content_starts = Vec::with_capacity(env.statements.len());
    for (statement_index, statement) in env.statements.iter().enumerate() {
        if let StatementKind::Assignment(assignment) = &statement.kind {
            content_starts.push(statement.content_start);
            assignments.push(Assignment {
                name: CompactString::new(&text[assignment.name.clone()]),
                name_range: assignment.name.clone(),
                value_range: assignment.value.clone(),
                origin: Origin::EnvFile {
                    statement: statement_index,
                },
                scope: None,
                yaml_outcome: None,
            });
        }
    }
    let read_alike = ReadAlike::of(text, &env, &simple_lines);
    ParsedFile {
        kind: FileKind::EnvFile,
        env: Some(env),
        yaml: None,
        assignments,
        read_alike,
        simple_lines,
        content_starts,
        universal_newlines: UniversalNewlines::default(),
        env_text: Some(text.into()),
        outcomes: Default::default(),
        simple_values: OnceLock::new(),
    }
}

/// The names of the assignments [`ParsedFile::parse`] finds in an env file, in order,
/// from the syntax alone (no statement kept, nothing for the loaders prepared): what a
/// project-wide "is this name set anywhere?" needs from every env file.
#[must_use]
pub fn env_assignment_names(text: &str) -> Vec<&str> {
    let simple_lines = SimpleLines::new(text);
    dotenv::statements(text, &simple_lines)
        .filter_map(|statement| match statement.kind {
            StatementKind::Assignment(assignment) => Some(&text[assignment.name]),
            _ => None,
        })
        .collect()
}

/// Files at least this big read their loaders, and run their rules, on parallel threads.
pub(crate) const PARALLEL_BYTES: usize = 64 * 1024;

/// Which consumers read every assignment of an env file as its simple line's value, so
/// that their models need not run. A loader reads a simple line (see
/// [`crate::syntax::simple_line`]) as every other does when it reads it from the line's
/// start (docs/loaders.md, "The short version"), and empty lines and lines starting with
/// `#` set nothing and end where they end for all of them (indented ones need not: a
/// shell does not trim a no-break space): in a file of only such lines, with LF endings
/// and no BOM, every loader starts each line at its start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum ReadAlike {
    /// Simple lines only, unquoted, without `export` or a comment: every consumer.
    Everyone,
    /// Simple lines only, some quoted or with `export`, none with a comment: the dotenv
    /// libraries, Compose and a shell read the values alike; `docker --env-file` keeps the
    /// quotes and refuses `export`, so its model runs.
    DotenvLoaders,
    /// Simple lines only, some with an inline ` # comment` or trailing blanks:
    /// python-dotenv, node dotenv, dotenvy, Compose and a shell cut the comment at its
    /// `#` and drop the blanks; godotenv cuts at the last blank-then-`#` and docker keeps
    /// both, so their models run.
    FirstHashCutters,
    /// Some line is not simple (or the file has a BOM or a `\r`): every model runs.
    Nobody,
}

impl ReadAlike {
    fn of(text: &str, env: &EnvFile, simple_lines: &SimpleLines) -> ReadAlike {
        if env.bom.is_some() || memchr::memchr(b'\r', text.as_bytes()).is_some() {
            return ReadAlike::Nobody;
        }
        let mut simple_lines = simple_lines.cursor();
        let mut alike = ReadAlike::Everyone;
        for statement in &env.statements {
            let written = &text[statement.span.clone()];
            match &statement.kind {
                StatementKind::Blank if written == "\n" => {}
                StatementKind::Comment if written.starts_with('#') => {}
                StatementKind::Blank | StatementKind::Comment | StatementKind::Other => {
                    return ReadAlike::Nobody;
                }
                StatementKind::Assignment(_) => match simple_lines.at(statement.span.start) {
                    None => return ReadAlike::Nobody,
                    Some(line) if !line.trailing_blanks().is_empty() => {
                        alike = alike.max(ReadAlike::FirstHashCutters);
                    }
                    Some(line) if line.export() || line.quote().is_some() => {
                        alike = alike.max(ReadAlike::DotenvLoaders);
                    }
                    Some(_) => {}
                },
            }
        }
        alike
    }

    fn covers(self, consumer: Consumer) -> bool {
        match self {
            ReadAlike::Everyone => true,
            ReadAlike::DotenvLoaders => consumer != Consumer::DockerEnvFile,
            ReadAlike::FirstHashCutters => {
                !matches!(consumer, Consumer::DockerEnvFile | Consumer::Godotenv)
            }
            ReadAlike::Nobody => false,
        }
    }
}

/// Whether a model read `name` as `assignment`'s name: mostly it borrowed the very bytes
/// from `text`, which their address tells without comparing them.
fn reads_name(text: &str, name: &str, assignment: &Assignment) -> bool {
    let written = &assignment.name_range;
    std::ptr::eq(name.as_ptr(), text.as_ptr().wrapping_add(written.start))
        && name.len() == written.len()
        || name == assignment.name
}

/// The reason of a refusal read under no name (`docker run` exits at a line without
/// one): it stands for the file, so the assignments the model read nothing for get it too.
fn refused_file(loaded: &[Entry]) -> Option<Reason> {
    loaded.iter().find_map(|entry| match &entry.outcome {
        OutcomeOf::Refused(reason) if entry.name.is_empty() => Some(reason.clone()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Lines of the shapes [`ReadAlike`] accepts (simple lines of every kind, empty lines,
    /// comments holding quotes and `$`), and now and then one it must not, which loaders
    /// read their own ways (open quotes, `$VAR`, `KEY: v`, a bare name, a blank that stops
    /// dotenvy).
    fn line() -> impl Strategy<Value = String> {
        let name = "[AB_][AB0-9_]{0,2}";
        let value = prop_oneof![
            "[A-Za-z0-9_./+=:@,%-]{0,6}",
            "'[ a-z0-9_./+=:@,%-]{0,6}'",
            "\"[ a-z0-9_./+=:@,%-]{0,6}\"",
            "[A-Za-z0-9_./+=:@,%-]{1,6} #[ -~é]{0,8}",
            "[a-z0-9]{1,4} {2,3}#[ a-z#'$]{0,6}",
            "['\"][ a-z0-9]{0,4}['\"] {1,2}#[ a-z#\"\\\\]{0,6}",
        ];
        let blanks = prop_oneof![4 => Just(""), 1 => Just(" "), 1 => Just("   ")];
        let simple = (prop_oneof![Just(""), Just("export ")], name, value, blanks)
            .prop_map(|(export, name, value, blanks)| format!("{export}{name}={value}{blanks}"));
        prop_oneof![
            12 => simple,
            2 => Just(String::new()),
            2 => "#[ -~é]{0,10}",
            1 => prop_oneof![
                Just(" ".to_string()),
                Just("\t# it's".to_string()),
                Just("\u{a0}# it's".to_string()),
                Just("A='open".to_string()),
                Just("B=x$A".to_string()),
                Just("A=b\r".to_string()),
                Just("C=\"a b".to_string()),
                Just("K=a b".to_string()),
                Just("D=\"x\"y #z".to_string()),
                Just("E=${A}".to_string()),
                Just("F: v".to_string()),
                Just("G".to_string()),
                Just("H=a #c 'q".to_string()),
                Just("I='x\nJ=y'".to_string()),
            ],
        ]
    }

    /// Lines ending in `\n`, now and then in `\r\n` (which some loaders read from a copy).
    fn text() -> impl Strategy<Value = String> {
        let ending = prop_oneof![6 => Just("\n"), 1 => Just("\r\n")];
        (
            prop::collection::vec((line(), ending), 0..10),
            any::<bool>(),
        )
            .prop_map(|(lines, last_newline)| {
                let mut text: String = lines
                    .iter()
                    .flat_map(|(line, ending)| [line.as_str(), ending])
                    .collect();
                if !last_newline && let Some((_, ending)) = lines.last() {
                    text.truncate(text.len() - ending.len());
                }
                text
            })
    }

    #[test]
    fn env_slots_follow_the_env_file_order() {
        for (slot, consumer) in Consumer::ENV_FILE.into_iter().enumerate() {
            assert_eq!(env_slot(consumer), Some(slot), "{}", consumer.id());
        }
        assert_eq!(env_slot(Consumer::YamlAsWritten), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Where [`ReadAlike`] lets a consumer skip its model, the outcomes are the ones the
        /// model gives, assignment by assignment.
        #[test]
        fn consumers_read_alike_as_their_models_do(text in text()) {
            let parsed = ParsedFile::parse(FileKind::EnvFile, &text);
            for consumer in Consumer::ENV_FILE {
                if !parsed.read_alike.covers(consumer) {
                    continue;
                }
                let model = parsed.model_outcomes(consumer, &text, &UniversalNewlines::default());
                for index in 0..parsed.assignments.len() {
                    let expected = match model.at[index] {
                        SIMPLE_VALUE => parsed.simple_values()[index].as_ref(),
                        at => Some(&model.other[at]),
                    };
                    prop_assert_eq!(
                        parsed.outcome(index, consumer),
                        expected,
                        "{} on assignment {} of {:?}",
                        consumer.id(),
                        index,
                        text
                    );
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The simple-line table only spares the models their general parsers: every
        /// model reads a text the same with it as without it.
        #[test]
        fn simple_lines_change_no_model_reading(text in text()) {
            let simple_lines = SimpleLines::new(&text);
            let no_lines = SimpleLines::default();
            let (with_table, without_table) = (UniversalNewlines::default(), UniversalNewlines::default());
            let entries = |read: Reading<'_>| read.into_loaded(&text);
            for consumer in Consumer::ENV_FILE {
                prop_assert_eq!(
                    entries(read_env_file(consumer, &text, &simple_lines, &with_table)),
                    entries(read_env_file(consumer, &text, &no_lines, &without_table)),
                    "{} on {:?}",
                    consumer.id(),
                    text
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The simple lines a model read plainly are matched to the assignments as their
        /// entries would be.
        #[test]
        fn plain_lines_match_as_their_entries_do(text in text()) {
            let parsed = ParsedFile::parse(FileKind::EnvFile, &text);
            let universal = UniversalNewlines::default();
            for consumer in Consumer::ENV_FILE {
                let read = || read_env_file(consumer, &text, &parsed.simple_lines, &universal);
                let as_entries = Reading::from(read().into_entries(&text, &DroppedCr::default()));
                let (plain, entries) = (
                    parsed.readings(consumer, &text, read()),
                    parsed.readings(consumer, &text, as_entries),
                );
                for index in 0..parsed.assignments.len() {
                    let outcome = |readings: &Readings| match readings.at[index] {
                        SIMPLE_VALUE => parsed.simple_values()[index].clone(),
                        at => Some(readings.other[at].clone()),
                    };
                    prop_assert_eq!(
                        outcome(&plain),
                        outcome(&entries),
                        "{} on assignment {} of {:?}",
                        consumer.id(),
                        index,
                        text
                    );
                }
            }
        }
    }
}
