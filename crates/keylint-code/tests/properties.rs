//! No input makes the code reader panic, and every range it reports lies on the text.

use keylint_code::{Language, LoadedFile, manifest, read_source};
use proptest::prelude::*;

const LANGUAGES: [Language; 8] = [
    Language::Python,
    Language::JavaScript,
    Language::TypeScript,
    Language::Tsx,
    Language::Go,
    Language::Rust,
    Language::Java,
    Language::CSharp,
];

const MANIFESTS: [&str; 6] = [
    "package.json",
    "requirements-dev.txt",
    "pyproject.toml",
    "go.mod",
    "Cargo.toml",
    "other.txt",
];

/// Source-like text: fragments of reads and loads glued with arbitrary characters, so the
/// parsers see near-valid code and not only noise.
fn source_like() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("os.environ[\"X\"]".to_string()),
        Just("os.getenv('Y', d)".to_string()),
        Just("process.env.Z".to_string()),
        Just("const { A = 1 } = process.env;".to_string()),
        Just("import.meta.env.V".to_string()),
        Just("os.Getenv(`G`)".to_string()),
        Just("env::var(\"R\")".to_string()),
        Just("dotenvy::from_path(Path::new(\"a\"))".to_string()),
        Just("System.getenv(\"J\")".to_string()),
        Just("config.GetSection(\"S\")[\"K\"]".to_string()),
        Just("class S(BaseSettings):\n    a: int\n".to_string()),
        Just("from openai import OpenAI\nOpenAI()".to_string()),
        Just("load_dotenv(\".env\")".to_string()),
        Just("godotenv.Load(\"x\")".to_string()),
        "\\PC{0,12}",
        "[(){}\\[\\]\"'`\n ]{1,4}",
    ];
    prop::collection::vec(fragment, 0..12).prop_map(|parts| parts.concat())
}

fn check_ranges(text: &str) {
    for language in LANGUAGES {
        let reads = read_source(language, text);
        for read in &reads.reads {
            assert!(
                text.get(read.range.clone()).is_some(),
                "{language:?} read range"
            );
            assert!(read.line >= 1);
        }
        for load in &reads.loads {
            assert!(
                text.get(load.range.clone()).is_some(),
                "{language:?} load range"
            );
            if let LoadedFile::Named { path, range } = &load.file {
                assert_eq!(text.get(range.clone()), Some(path.as_str()));
            }
        }
    }
    for name in MANIFESTS {
        for loader in manifest::loaders(name, text) {
            assert!(text.get(loader.range.clone()).is_some(), "{name} range");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_ranges(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn source_like_text_never_panics(text in source_like()) {
        check_ranges(&text);
    }
}
