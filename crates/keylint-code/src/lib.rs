//! keylint-code: which environment variables a program's source code reads, by name.
//!
//! Text in, reads out: [`read_source`] parses one source file with a real grammar
//! (tree-sitter) and returns every place it reads an environment variable by a literal
//! name (`os.environ["X"]`, `process.env.X`, `os.Getenv("X")`, `env::var("X")`, …), the
//! names SDK clients read by default (`OpenAI()` reads `OPENAI_API_KEY`, from
//! [`keylint_core::provider::SDK_CLIENTS`]), pydantic settings fields, .NET configuration
//! keys, and the calls that load env files (`load_dotenv()`, `godotenv.Load()`, …).
//! [`manifest::loaders`] says which env-file loaders a package manifest brings.
//!
//! **Architecture invariant:** no I/O, no async, and nothing panics on any input: a file
//! that does not parse yields the reads tree-sitter's error recovery still finds.
//! A file without any marker of a read ([`may_read_env`]) is not parsed at all.

mod csharp;
mod go;
mod java;
mod javascript;
pub mod manifest;
pub mod mentions;
mod python;
mod rust;
mod syntax;
mod windows;

use std::cell::RefCell;
use std::ops::Range;

use keylint_core::consumer::Consumer;
use keylint_core::provider::SdkClient;

/// A source language keylint reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    Python,
    /// JavaScript, with JSX (read with the TSX grammar, a superset of both).
    JavaScript,
    TypeScript,
    /// TypeScript with JSX (`.tsx`).
    Tsx,
    Go,
    Rust,
    Java,
    CSharp,
}

impl Language {
    /// The language of a file, from its extension.
    #[must_use]
    pub fn from_path(path: &str) -> Option<Language> {
        let extension = path.rsplit_once('.')?.1;
        Some(match extension {
            "py" => Language::Python,
            "js" | "jsx" | "mjs" | "cjs" => Language::JavaScript,
            "ts" | "mts" | "cts" => Language::TypeScript,
            "tsx" => Language::Tsx,
            "go" => Language::Go,
            "rs" => Language::Rust,
            "java" => Language::Java,
            "cs" => Language::CSharp,
            _ => return None,
        })
    }

    /// Name used in messages and output.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "Python",
            Language::JavaScript => "JavaScript",
            Language::TypeScript | Language::Tsx => "TypeScript",
            Language::Go => "Go",
            Language::Rust => "Rust",
            Language::Java => "Java",
            Language::CSharp => "C#",
        }
    }

    /// Substrings every read of this language contains one of; a file with none of them
    /// is not parsed.
    fn markers(self) -> &'static [&'static str] {
        match self {
            Language::Python => python::MARKERS,
            Language::JavaScript | Language::TypeScript | Language::Tsx => javascript::MARKERS,
            Language::Go => go::MARKERS,
            Language::Rust => rust::MARKERS,
            Language::Java => java::MARKERS,
            Language::CSharp => csharp::MARKERS,
        }
    }

    /// The parts of the file to parse ([`windows`]): those holding a marker, the imports
    /// of an SDK package (`import openai`), for JavaScript the bare `config(` of
    /// `import { config } from "dotenv"`, for Rust the bare loaders of `use dotenvy::…`
    /// and `env :: var` spaced out in a macro, and for C# any receiver whose name holds
    /// "config" in any case. An SDK class imported under another name is called where no
    /// marker finds it: then the file is read again whole.
    fn windows(self, text: &str) -> Option<Vec<Range<usize>>> {
        let extra: &[&str] = match self {
            Language::JavaScript | Language::TypeScript | Language::Tsx => {
                &["config(", "openai", "anthropic"]
            }
            Language::Python => &["openai", "anthropic"],
            Language::Rust => &["env", "from_filename", "from_path"],
            _ => &[],
        };
        let mut hits: Vec<usize> = self
            .markers()
            .iter()
            .chain(extra)
            .flat_map(|marker| memchr::memmem::find_iter(text.as_bytes(), marker))
            .collect();
        if self == Language::CSharp {
            let lower = text.to_ascii_lowercase();
            hits.extend(memchr::memmem::find_iter(lower.as_bytes(), "config"));
        }
        hits.sort_unstable();
        windows::windows(self, text, &hits)
    }

    fn grammar(self) -> tree_sitter::Language {
        match self {
            Language::Python => tree_sitter_python::LANGUAGE.into(),
            Language::JavaScript | Language::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Language::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Language::Go => tree_sitter_go::LANGUAGE.into(),
            Language::Rust => tree_sitter_rust::LANGUAGE.into(),
            Language::Java => tree_sitter_java::LANGUAGE.into(),
            Language::CSharp => tree_sitter_c_sharp::LANGUAGE.into(),
        }
    }

    /// Index of this language's parser in a thread's parser cache.
    fn parser_slot(self) -> usize {
        match self {
            Language::Python => 0,
            Language::JavaScript | Language::Tsx => 1,
            Language::TypeScript => 2,
            Language::Go => 3,
            Language::Rust => 4,
            Language::Java => 5,
            Language::CSharp => 6,
        }
    }
}

/// How the code reads a variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadForm {
    /// By name: `os.getenv("X")`, `process.env.X`, `os.Getenv("X")`, `env::var("X")`.
    Direct,
    /// An SDK client's constructor reads it because the argument was not passed
    /// (`OpenAI()`); the range is the class name in the call.
    SdkDefault(&'static SdkClient),
    /// A field of a pydantic `BaseSettings` class (env prefix applied); the range is the
    /// field name, or the alias that replaces it.
    SettingsField,
    /// A .NET configuration key (`configuration["Section:Key"]`), which the environment
    /// supplies as `Section__Key`; the range is the key (or its last part).
    DotnetConfiguration,
}

/// One place where code reads an environment variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvRead {
    /// The variable's name as the environment spells it. Case-insensitive reads (pydantic
    /// settings, .NET configuration) are recorded in upper case.
    pub name: String,
    /// Byte range of the name in the file: inside the quotes of a literal, or the
    /// identifier (`process.env.X`, a settings field, an SDK class).
    pub range: Range<usize>,
    /// 1-based line of `range.start`.
    pub line: usize,
    pub language: Language,
    pub form: ReadForm,
    /// The program matches the name regardless of case.
    pub case_insensitive: bool,
    /// The read has a default or fallback right there (`os.getenv("X", "d")`,
    /// `process.env.X ?? "d"`, `.unwrap_or(…)`), so a missing variable is not fatal.
    pub has_fallback: bool,
}

/// Which file a loader call reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadedFile {
    /// No file named: the loader's default (`.env`, searched as the loader does).
    Default,
    /// A literal path, and its byte range in the source.
    Named { path: String, range: Range<usize> },
    /// A path computed at run time.
    Dynamic,
}

/// A call that loads an env file into the environment (or reads one into a map).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvFileLoad {
    pub consumer: Consumer,
    pub file: LoadedFile,
    /// Byte range of the call (or import) that loads it.
    pub range: Range<usize>,
    /// 1-based line of `range.start`.
    pub line: usize,
}

/// What one source file reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CodeReads {
    /// In source order.
    pub reads: Vec<EnvRead>,
    /// In source order.
    pub loads: Vec<EnvFileLoad>,
}

/// Whether `text` may read an environment variable at all: a cheap substring test that
/// spares parsing the files that cannot.
#[must_use]
pub fn may_read_env(language: Language, text: &str) -> bool {
    language
        .markers()
        .iter()
        .any(|marker| text.contains(marker))
}

/// The reads and env-file loads of one source file. Files without any marker of a read
/// are not parsed.
#[must_use]
pub fn read_source(language: Language, text: &str) -> CodeReads {
    read_parsed(language, text, true)
}

/// [`read_source`], parsing only the items that hold a marker when `windowed`.
fn read_parsed(language: Language, text: &str, windowed: bool) -> CodeReads {
    if !may_read_env(language, text) {
        return CodeReads::default();
    }
    let Some((tree, windowed)) = parse(language, text, windowed) else {
        return CodeReads::default();
    };
    let mut reads = CodeReads::default();
    let source = syntax::Source {
        text,
        language,
        root: tree.root_node(),
    };
    let sdk_aliased = match language {
        Language::Python => python::read(&source, &mut reads),
        Language::JavaScript | Language::TypeScript | Language::Tsx => {
            javascript::read(&source, &mut reads)
        }
        Language::Go => {
            go::read(&source, &mut reads);
            false
        }
        Language::Rust => {
            rust::read(&source, &mut reads);
            false
        }
        Language::Java => {
            java::read(&source, &mut reads);
            false
        }
        Language::CSharp => {
            csharp::read(&source, &mut reads);
            false
        }
    };
    if sdk_aliased && windowed {
        return read_parsed(language, text, false);
    }
    reads.reads.sort_by_key(|read| read.range.start);
    reads.loads.sort_by_key(|load| load.range.start);
    reads
}

/// [`read_source`] for a file named `path`; `None` when keylint does not read its language.
#[must_use]
pub fn read_file(path: &str, text: &str) -> Option<CodeReads> {
    Language::from_path(path).map(|language| read_source(language, text))
}

const PARSER_SLOTS: usize = 7;

thread_local! {
    /// One parser per language per thread, made on first use: a parser holds buffers
    /// that grow to the largest file it has read, so reusing it saves allocations.
    static PARSERS: RefCell<[Option<tree_sitter::Parser>; PARSER_SLOTS]> =
        RefCell::new(Default::default());
}

/// The tree of `text`, and whether it holds only the windows (not the whole file).
fn parse(language: Language, text: &str, windowed: bool) -> Option<(tree_sitter::Tree, bool)> {
    PARSERS.with(|parsers| {
        let mut parsers = parsers.borrow_mut();
        let slot = &mut parsers[language.parser_slot()];
        if slot.is_none() {
            let mut parser = tree_sitter::Parser::new();
            // The grammars are pinned and built with a compatible tree-sitter: this only
            // fails on an ABI mismatch, and then the file has no reads rather than a panic.
            parser.set_language(&language.grammar()).ok()?;
            *slot = Some(parser);
        }
        let parser = slot.as_mut()?;
        if let Some(windows) = language.windows(text).filter(|_| windowed) {
            let ranges = windows::included_ranges(text, &windows);
            if parser.set_included_ranges(&ranges).is_ok() {
                let tree = parser.parse(text, None);
                // Back to whole files for the next parse, whatever happened.
                parser.set_included_ranges(&[]).ok()?;
                match tree {
                    Some(tree) if !tree.root_node().has_error() => return Some((tree, true)),
                    // A window that cut through something: read the whole file.
                    _ => {}
                }
            }
        }
        parser.parse(text, None).map(|tree| (tree, false))
    })
}

#[cfg(test)]
mod tests;
