//! The leak check for test suites that are not Rust (the editor end-to-end tests): looks
//! for windows of the fixture's secrets in captured output (hover text, logs,
//! diagnostics) and reports each leak masked.

use std::path::Path;
use std::process::ExitCode;

use keylint_test_support::Secrets;

const USAGE: &str = "\
usage: keylint-leak-check [--fixture DIR]... [--secret-env NAME]... [--min-secrets N] [--] OUTPUT...

Secrets: every key-shaped token in the files under each --fixture DIR, and the value of
each environment variable --secret-env NAME. OUTPUT: a file, a directory (every file under
it) or - (standard input).
Exit status: 0 no leak, 1 a leak (each reported, masked), 2 usage error, no output, or
fewer than N secrets (default 1).";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("keylint-leak-check: {message}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Whether no output leaks.
fn run(arguments: Vec<String>) -> Result<bool, String> {
    let mut secrets = Secrets::default();
    let mut minimum = 1;
    let mut outputs = Vec::new();
    let mut arguments = arguments.into_iter();
    while let Some(argument) = arguments.next() {
        let mut value = |name: &str| {
            arguments
                .next()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match argument.as_str() {
            "--fixture" => {
                let dir = value("--fixture")?;
                secrets = secrets.with(&Secrets::in_dir(Path::new(&dir)));
            }
            "--secret-env" => {
                let name = value("--secret-env")?;
                let secret = std::env::var(&name).map_err(|_| format!("${name} is not set"))?;
                secrets = secrets.with(&Secrets::new([secret]));
            }
            "--min-secrets" => {
                minimum = value("--min-secrets")?
                    .parse()
                    .map_err(|_| "--min-secrets needs a number".to_string())?;
            }
            "--" => outputs.extend(&mut arguments),
            "-h" | "--help" => return Err("help".to_string()),
            _ => outputs.push(argument),
        }
    }
    if secrets.len() < minimum.max(1) {
        return Err(format!(
            "{} secret(s) found, at least {minimum} expected",
            secrets.len()
        ));
    }
    if outputs.is_empty() {
        return Err("no output to check".to_string());
    }
    let mut leaks = 0;
    let mut checked = 0;
    for output in &outputs {
        for (label, text) in read(output)? {
            checked += 1;
            for leak in secrets.leaks(&label, &text) {
                leaks += 1;
                println!("LEAK {leak}");
            }
        }
    }
    println!(
        "keylint-leak-check: {checked} output(s), {} secret(s), {leaks} leak(s)",
        secrets.len()
    );
    Ok(leaks == 0)
}

/// The texts an OUTPUT argument names, labelled by path.
fn read(output: &str) -> Result<Vec<(String, String)>, String> {
    if output == "-" {
        let mut text = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut text)
            .map_err(|error| format!("standard input: {error}"))?;
        return Ok(vec![(
            "standard input".to_string(),
            String::from_utf8_lossy(&text).into_owned(),
        )]);
    }
    let path = Path::new(output);
    if path.is_dir() {
        let mut texts = Vec::new();
        let entries = std::fs::read_dir(path).map_err(|error| format!("{output}: {error}"))?;
        for entry in entries.flatten() {
            texts.extend(read(&entry.path().to_string_lossy())?);
        }
        return Ok(texts);
    }
    let bytes = std::fs::read(path).map_err(|error| format!("{output}: {error}"))?;
    Ok(vec![(
        output.to_string(),
        String::from_utf8_lossy(&bytes).into_owned(),
    )])
}
