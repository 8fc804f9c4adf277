//! Benchmark of the code reader (not a test): indexes every source file under a directory
//! on two threads, as a CLI or server would, reading the files included, and reports the
//! wall time (median of 5 runs) and the parse throughput per language on one thread.
//! With `--once` it indexes once and prints nothing, for timing the whole process with
//! hyperfine next to `keylint lint`.
//!
//!   cargo run --release -p keylint-code --example bench_code_reads -- DIR [--once]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use keylint_code::{Language, may_read_env, read_source};

fn walk(directory: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(directory) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, files);
        } else if Language::from_path(&path.to_string_lossy()).is_some() {
            files.push(path);
        }
    }
}

/// Reads and indexes every file on `threads` threads; returns the number of reads found.
fn index(files: &[PathBuf], threads: usize) -> usize {
    let next = AtomicUsize::new(0);
    let found = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let at = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(at) else { break };
                    let Ok(text) = std::fs::read_to_string(path) else {
                        continue;
                    };
                    let Some(language) = Language::from_path(&path.to_string_lossy()) else {
                        continue;
                    };
                    found.fetch_add(read_source(language, &text).reads.len(), Ordering::Relaxed);
                }
            });
        }
    });
    found.into_inner()
}

fn main() {
    let directory = std::env::args()
        .nth(1)
        .expect("usage: bench_code_reads DIR");
    let mut files = Vec::new();
    walk(Path::new(&directory), &mut files);
    if std::env::args().any(|argument| argument == "--once") {
        std::hint::black_box(index(&files, 2));
        return;
    }
    let texts: Vec<(Language, String)> = files
        .iter()
        .filter_map(|path| {
            let language = Language::from_path(&path.to_string_lossy())?;
            Some((language, std::fs::read_to_string(path).ok()?))
        })
        .collect();
    let bytes: usize = texts.iter().map(|(_, text)| text.len()).sum();
    let parsed = texts
        .iter()
        .filter(|(language, text)| may_read_env(*language, text))
        .count();

    let mut runs: Vec<Duration> = Vec::new();
    let mut reads = 0;
    for _ in 0..5 {
        let start = Instant::now();
        reads = index(&files, 2);
        runs.push(start.elapsed());
    }
    runs.sort();
    println!(
        "{} files, {:.1} MB, {parsed} parsed (the rest have no marker), {reads} reads",
        files.len(),
        bytes as f64 / 1e6
    );
    println!(
        "index on 2 threads, files read included: median {:.1} ms (min {:.1} ms)",
        runs[2].as_secs_f64() * 1e3,
        runs[0].as_secs_f64() * 1e3
    );

    // Parse throughput per language, one thread, marker-bearing files only.
    let mut by_language: BTreeMap<&str, (usize, Duration)> = BTreeMap::new();
    for (language, text) in texts
        .iter()
        .filter(|(language, text)| may_read_env(*language, text))
    {
        let start = Instant::now();
        std::hint::black_box(read_source(*language, text));
        let entry = by_language.entry(language.name()).or_default();
        entry.0 += text.len();
        entry.1 += start.elapsed();
    }
    for (language, (bytes, time)) in by_language {
        println!(
            "  {language:<10} {:>6.2} MB parsed in {:>7.1} ms: {:>6.1} MB/s",
            bytes as f64 / 1e6,
            time.as_secs_f64() * 1e3,
            bytes as f64 / 1e6 / time.as_secs_f64()
        );
    }
}
