//! A walk cut short by its entry limit (the language server's index of a huge folder)
//! keeps the same files on every run, however the threads that walk it are scheduled.

use keylint_workspace::config::{ConfigChoice, Configs};
use keylint_workspace::discover::{Discovery, discover_bounded};

fn discover_in_pool(root: &std::path::Path, threads: usize, limit: usize) -> Discovery {
    let configs = Configs::new(ConfigChoice::Ignore, None);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(|| discover_bounded(&[root.to_path_buf()], &configs, limit).unwrap())
}

#[test]
fn a_truncated_walk_finds_the_same_files_every_time() {
    let dir = tempfile::tempdir().unwrap();
    for service in 0..30 {
        let service_dir = dir.path().join(format!("svc{service:02}/config"));
        std::fs::create_dir_all(&service_dir).unwrap();
        for file in 0..8 {
            std::fs::write(service_dir.join(format!(".env.{file}")), "A=1\n").unwrap();
        }
        std::fs::write(service_dir.join("../compose.yaml"), "services: {}\n").unwrap();
    }
    let first = discover_in_pool(dir.path(), 4, 120);
    assert!(first.truncated, "the limit cuts the walk short");
    assert!(!first.targets.is_empty());
    for _ in 0..20 {
        let again = discover_in_pool(dir.path(), 4, 120);
        assert_eq!(again.targets, first.targets);
        assert_eq!(again.hints, first.hints);
    }
    assert_eq!(discover_in_pool(dir.path(), 1, 120).targets, first.targets);
    // Under the limit the parallel walk finds everything.
    let whole = discover_in_pool(dir.path(), 4, usize::MAX);
    assert!(!whole.truncated);
    assert_eq!(whole.targets.len(), 30 * 9);
    // The limit counts every entry looked at, the root too: 1 + 30 * (the service, its
    // config directory, 8 env files, compose.yaml).
    let entries = 1 + 30 * 11;
    for threads in [1, 4] {
        assert!(!discover_in_pool(dir.path(), threads, entries).truncated);
        let cut = discover_in_pool(dir.path(), threads, entries - 1);
        assert!(cut.truncated);
        let one = discover_in_pool(dir.path(), 1, entries - 1);
        assert_eq!((cut.targets, cut.hints), (one.targets, one.hints));
    }
}
