//! Times the core on one env file, in process (no CLI start-up, no file discovery):
//! `lint()` with every rule, and, to show where the time goes, the `.env` reader and each
//! consumer model alone. Used by `scripts/bench.sh`; build it with `--release`.
//!
//! Usage: `bench_lint FILE [ITERATIONS] [--lint-only]` prints one line per measurement with
//! the median in milliseconds; `--lint-only` times `lint()` alone, for a profile of it.
//!
//! It allocates with mimalloc, as the `keylint` binary (command line and server) that runs
//! the core does.

use std::path::Path;
use std::time::Instant;

use keylint_core::consumer::{Consumer, load_env_file};
use keylint_core::syntax::dotenv;
use keylint_core::{FileKind, LintInput, LoneFile, RuleSelection, Settings, lint};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median_ms(iterations: usize, mut run: impl FnMut() -> usize) -> (f64, usize) {
    let mut times = Vec::with_capacity(iterations);
    let mut output = 0;
    for _ in 0..iterations {
        let start = Instant::now();
        output = std::hint::black_box(run());
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], output)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: bench_lint FILE [ITERATIONS] [--lint-only]");
    let iterations: usize = args
        .next()
        .map_or(20, |text| text.parse().expect("a number"));
    let lint_only = args.next().is_some_and(|flag| flag == "--lint-only");
    let text = std::fs::read_to_string(&path).expect("a UTF-8 file");
    let lines = text.lines().count();
    let input = LintInput::new(Path::new(".env"), &text, FileKind::EnvFile);
    let (ms, findings) = median_ms(iterations, || {
        lint(
            &input,
            &LoneFile::default(),
            &Settings::default(),
            &RuleSelection::default(),
        )
        .len()
    });
    println!("lint (all rules)\t{ms:.2} ms\t{lines} lines, {findings} findings");
    if lint_only {
        return;
    }
    let (ms, statements) = median_ms(iterations, || dotenv::parse(&text).statements.len());
    println!(".env reader\t{ms:.2} ms\t{statements} statements");
    for consumer in Consumer::ENV_FILE {
        let (ms, _) = median_ms(iterations, || load_env_file(consumer, &text).len());
        println!("consumer {}\t{ms:.2} ms", consumer.id());
    }
}
