//! The do-nothing floor of the CLI benchmarks: walks the tree as `keylint lint` does (the
//! `ignore` crate, on every core) and reads every file, then prints nothing. No linter
//! that reads the files can be faster than this; `scripts/bench.sh` times it beside
//! keylint and dotenv-linter.
//!
//! Usage: `bench_floor PATH` (a directory or one file).

use std::sync::atomic::{AtomicU64, Ordering};

use ignore::{WalkBuilder, WalkState};

fn main() {
    let root = std::env::args().nth(1).expect("usage: bench_floor PATH");
    let bytes = AtomicU64::new(0);
    WalkBuilder::new(&root)
        .hidden(false)
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                if let Ok(entry) = entry
                    && entry.file_type().is_some_and(|kind| kind.is_file())
                    && let Ok(text) = std::fs::read(entry.path())
                {
                    bytes.fetch_add(text.len() as u64, Ordering::Relaxed);
                }
                WalkState::Continue
            })
        });
    std::hint::black_box(bytes.load(Ordering::Relaxed));
}
