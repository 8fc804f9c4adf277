//! Hostile input through the CLI: invalid UTF-8, UTF-16, NUL bytes, a 10 MB line, deeply
//! nested YAML and a billion-laughs compose file each get a clear result (a KL001 finding
//! or an ordinary lint run), never a crash, a hang or an out-of-memory abort.

use std::path::Path;
use std::time::{Duration, Instant};

use assert_cmd::Command;

/// Lints `dir` as JSON; returns the diagnostics and the exit code.
fn lint(dir: &Path) -> (Vec<serde_json::Value>, i32) {
    let start = Instant::now();
    let output = Command::cargo_bin("keylint")
        .unwrap()
        .current_dir(dir)
        .args(["lint", "--format", "json", "."])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    assert!(start.elapsed() < Duration::from_secs(120), "keylint hung");
    let code = output.status.code().expect("exited, not killed");
    assert!(
        code == 0 || code == 1,
        "exit {code}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "not JSON ({error}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    (json["diagnostics"].as_array().unwrap().clone(), code)
}

fn one_file(name: &str, bytes: &[u8]) -> (Vec<serde_json::Value>, i32) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), bytes).unwrap();
    lint(dir.path())
}

fn codes(diagnostics: &[serde_json::Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .map(|diagnostic| diagnostic["code"].as_str().unwrap())
        .collect()
}

#[test]
fn invalid_utf8_is_a_clear_finding() {
    let (diagnostics, code) = one_file(".env", b"OPENAI_API_KEY=sk-\xff\xfeabc\nNEXT=1\n");
    assert_eq!(codes(&diagnostics), ["KL001"], "{diagnostics:?}");
    assert_eq!(code, 1);
    let (diagnostics, _) = one_file("compose.yaml", b"services:\n  a:\n    image: \xc3\x28\n");
    assert_eq!(codes(&diagnostics), ["KL001"], "{diagnostics:?}");
}

#[test]
fn utf16_and_nul_bytes_are_clear_findings() {
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(
            "OPENAI_API_KEY=sk-abc\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let (diagnostics, code) = one_file(".env", &utf16);
    assert_eq!(codes(&diagnostics), ["KL001"], "{diagnostics:?}");
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("UTF-16")
    );
    assert_eq!(code, 1);
    let (diagnostics, _) = one_file(".env", b"A=1\n\0\0\0binary");
    assert_eq!(codes(&diagnostics), ["KL001"], "{diagnostics:?}");
}

#[test]
fn a_long_line_is_linted() {
    let mut text = b"OPENAI_API_KEY=\"".to_vec();
    text.extend(std::iter::repeat_n(b'a', 10 << 20));
    text.extend(b"\"\nNEXT=1\n");
    let (diagnostics, _) = one_file(".env", &text);
    assert!(
        diagnostics
            .iter()
            .all(|diagnostic| diagnostic["code"] != "KL001"),
        "{diagnostics:?}"
    );
}

#[test]
fn deep_and_exploding_yaml_is_handled() {
    let deep = format!("services: {}{}\n", "[".repeat(200_000), "]".repeat(200_000));
    one_file("compose.yaml", deep.as_bytes());
    let mut laughs = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..12 {
        let previous = format!("*a{}", level - 1);
        laughs.push_str(&format!(
            "a{level}: &a{level} [{}]\n",
            vec![previous; 10].join(", ")
        ));
    }
    laughs.push_str("services:\n  s:\n    environment: *a11\n");
    one_file("compose.yaml", laughs.as_bytes());
}
