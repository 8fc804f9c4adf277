//! `--fix` over several files gives the same result as fixing one file at a time until
//! nothing changes, whatever the order the files are taken in: `fix_files` works in
//! rounds against the previous round's texts, so the threads that fix files in parallel
//! cannot race.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use keylint_core::source::kind_by_name;
use keylint_workspace::config::{ConfigChoice, Configs};
use keylint_workspace::discover::discover_with;
use keylint_workspace::lint::with_texts;
use keylint_workspace::{FixTarget, Fixed, Index, Overrides, Workspace, fix_files};
use proptest::prelude::*;

/// Lines with the mistakes the fixes mend, some of them across files (a misspelled name
/// a Compose file interpolates, a `.env` a Compose file reads).
fn env_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("OPENAI_APIKEY=sk-proj-abc".to_string()),
        Just("OPENAI_API_KEY=\" sk-proj-abc\"".to_string()),
        Just("ANTHROPIC_API_KEY= sk-ant-abc\r".to_string()),
        Just("export MODEL = gpt-4o".to_string()),
        Just("GEMINI_API_KEY=AIza\u{200b}abc".to_string()),
        Just("OPENAI_BASEURL=https://api.openai.com/v1".to_string()),
        Just("PLAIN=value".to_string()),
        Just("# a comment".to_string()),
    ]
}

fn compose_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("      - OPENAI_API_KEY=\"${OPENAI_API_KEY}\"".to_string()),
        Just("      - KEY=${OPENAI_APIKEY}".to_string()),
        Just("      - ANTHROPIC_API_KEY= ${ANTHROPIC_API_KEY}".to_string()),
        Just("      - MODEL=${MODEL:-gpt-4o}".to_string()),
    ]
}

fn project() -> impl Strategy<Value = Vec<(String, String)>> {
    (
        prop::collection::vec(env_line(), 1..6),
        prop::collection::vec(env_line(), 0..4),
        prop::collection::vec(compose_line(), 0..4),
    )
        .prop_map(|(env, other, compose)| {
            let mut files = vec![(".env".to_string(), env.join("\n") + "\n")];
            if !other.is_empty() {
                files.push(("deploy/prod.env".to_string(), other.join("\n") + "\n"));
            }
            if !compose.is_empty() {
                files.push((
                    "compose.yaml".to_string(),
                    format!(
                        "services:\n  app:\n    image: app\n    environment:\n{}\n",
                        compose.join("\n")
                    ),
                ));
            }
            files
        })
}

fn workspace(root: &Path) -> (Workspace, Vec<FixTarget>) {
    let configs = Arc::new(Configs::new(ConfigChoice::Ignore, None));
    let discovery = discover_with(&[root.to_path_buf()], &configs).unwrap();
    let targets = discovery
        .targets
        .iter()
        .map(|path| FixTarget {
            path: path.clone(),
            kind: kind_by_name(&path.to_string_lossy()).unwrap(),
            text: std::fs::read_to_string(path).unwrap(),
        })
        .collect();
    let workspace = Workspace::new(
        Index::from_discovery(&discovery),
        configs,
        Overrides::default(),
    );
    (workspace, targets)
}

/// Fixes one file at a time, in `order`, each against the others' current texts, until a
/// pass over all of them changes nothing.
fn one_at_a_time(workspace: &Workspace, targets: &[FixTarget], order: &[usize]) -> Vec<String> {
    let mut texts: Vec<Fixed> = targets
        .iter()
        .map(|target| Fixed::unchanged(&target.text))
        .collect();
    for _ in 0..16 {
        let mut changed = false;
        for &index in order {
            let snapshot = with_texts(workspace, targets, &texts);
            let target = &targets[index];
            let fixed = snapshot.fix(&target.path, &texts[index].text, target.kind, true);
            if fixed.text != texts[index].text {
                texts[index].text = fixed.text;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    texts.into_iter().map(|fixed| fixed.text).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn fixing_several_files_does_not_depend_on_their_order(
        files in project(),
        seed in any::<u64>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in &files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
        }
        let (workspace, targets) = workspace(dir.path());
        let together: Vec<String> = fix_files(&workspace, &targets, true)
            .into_iter()
            .map(|fixed| fixed.text)
            .collect();
        // Two orders: as listed, and shuffled by the seed.
        let mut order: Vec<usize> = (0..targets.len()).collect();
        let in_order = one_at_a_time(&workspace, &targets, &order);
        let mut state = seed | 1;
        for index in (1..order.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            order.swap(index, (state % (index as u64 + 1)) as usize);
        }
        let shuffled = one_at_a_time(&workspace, &targets, &order);
        let paths: Vec<&PathBuf> = targets.iter().map(|target| &target.path).collect();
        prop_assert_eq!(&together, &in_order, "files {:?}", paths);
        prop_assert_eq!(&together, &shuffled, "files {:?}", paths);
    }
}
