#!/usr/bin/env python3
"""Compares what the real loaders set with what keylint says each consumer sets.

Usage: compare.py WORK_DIR EXCEPTIONS_MD

WORK_DIR holds corpus/ (corpus.json), keylint.json, python-dotenv.json, node-dotenv.json,
godotenv.json, dotenvy.jsonl, shell.out, docker.json and compose.json (see
scripts/conformance.sh). A check is one (file, consumer) pair: the whole environment the
program gets from the file must be equal byte for byte, both as keylint's consumer model
gives it and as `keylint inspect` shows it (checked as `CONSUMER (inspect)`); for docker
and Compose, which refuse a whole file, so must whether the file is refused. A loader's
own test inputs (python-dotenv's, godotenv's) are checked against that loader only.
Documented exceptions are the rows of the table under "## Documented exceptions" in
EXCEPTIONS_MD: `| consumer | file ids | reason |`, where file ids is a comma-separated
list of exact ids (no patterns: an exception names the files it excuses). An exception
that no longer fires is stale and fails the run. bash's `$$` is its process id, new on
every run; keylint keeps `$$` as written, so in files containing `$$` the id bash printed
is read back as `$$` before comparing (counted in the summary). Prints every undocumented
disagreement, every stale exception, and the summary line `conformance: N passed,
N failed` (plus the documented count); exits 1 when anything failed.
"""
import json
import os
import sys


def load_json(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def read_exceptions(path):
    exceptions = {}
    in_section = False
    with open(path, encoding="utf-8") as handle:
        for row in handle:
            if row.startswith("## "):
                in_section = row.strip() == "## Documented exceptions"
                continue
            if not in_section or not row.startswith("|"):
                continue
            cells = [cell.strip().strip("`") for cell in row.strip().strip("|").split("|")]
            if len(cells) < 3 or cells[0] in ("consumer", "") or set(cells[0]) <= set("-: "):
                continue
            for ident in cells[1].split(","):
                ident = ident.strip().strip("`")
                if any(character in ident for character in "*?["):
                    sys.exit("exception %r: name exact file ids, not patterns" % ident)
                exceptions[(cells[0], ident)] = cells[2]
    return exceptions


def read_shell(path, baseline_id):
    """bash's environment per file, and its process id per file."""
    results = {}
    pids = {}
    with open(path, "rb") as handle:
        chunks = handle.read().split(b"\0")
    current = None
    for chunk in chunks:
        if chunk.startswith(b"@@FILE "):
            current = chunk[len(b"@@FILE "):].decode()
            results[current] = {}
        elif chunk.startswith(b"@@PID "):
            pids[current] = chunk[len(b"@@PID "):].decode()
        elif current is not None and b"=" in chunk:
            name, _, value = chunk.partition(b"=")
            results[current][name.decode("utf-8", "surrogateescape")] = value.decode("utf-8", "surrogateescape")
    baseline = results.pop(baseline_id)
    cleaned = {}
    for ident, env in results.items():
        cleaned[ident] = {
            "env": {name: value for name, value in env.items() if name != "_" and baseline.get(name) != value},
            "error": None,
        }
    return cleaned, pids


def read_process_id_as_written(env, pid):
    """bash's environment with its process id read back as the `$$` it came from."""
    return {name: value.replace(pid, "$$") for name, value in env.items()}


def main():
    work, exceptions_path = sys.argv[1], sys.argv[2]
    corpus = {case["id"]: case for case in load_json(os.path.join(work, "corpus", "corpus.json"))}
    keylint = load_json(os.path.join(work, "keylint.json"))
    real = {
        "python-dotenv": load_json(os.path.join(work, "python-dotenv.json"))["results"],
        "node-dotenv": load_json(os.path.join(work, "node-dotenv.json"))["results"],
        "godotenv": load_json(os.path.join(work, "godotenv.json"))["results"],
        "dotenvy": {},
        "docker-env-file": load_json(os.path.join(work, "docker.json"))["results"],
        "compose": load_json(os.path.join(work, "compose.json"))["results"],
    }
    real["shell"], shell_pids = read_shell(os.path.join(work, "shell.out"), "baseline-empty")
    with open(os.path.join(work, "dotenvy.jsonl"), encoding="utf-8") as handle:
        for row in handle:
            ident, _, data = row.rstrip("\n").partition("\t")
            real["dotenvy"][ident] = json.loads(data)
    exceptions = read_exceptions(exceptions_path)
    used = set()
    passed = failed = documented = 0
    process_id_files = 0
    for ident, case in corpus.items():
        if "$$" in case["bytes"]:
            process_id_files += 1
        for consumer, results in real.items():
            # A loader's own test inputs are checked against that loader only.
            if consumer not in case.get("loaders", [consumer]):
                continue
            expected = results[ident]["env"]
            if consumer == "shell" and "$$" in case["bytes"]:
                expected = read_process_id_as_written(expected, shell_pids[ident])
            # The consumer model, and what `keylint inspect` shows for it.
            for checked, view in ((consumer, "env"), (consumer + " (inspect)", "inspect")):
                actual = keylint[ident][consumer][view]
                wanted = expected
                if consumer in ("docker-env-file", "compose"):
                    real_refused = results[ident].get("refused", False)
                    keylint_refused = keylint[ident][consumer].get("refused") is not None
                    if real_refused != keylint_refused:
                        wanted = dict(expected, **{"(refused)": results[ident]["error"]})
                        actual = dict(actual, **{"(refused)": keylint[ident][consumer]["refused"]})
                if wanted == actual:
                    passed += 1
                    continue
                key = (checked, ident)
                if key in exceptions:
                    used.add(key)
                    documented += 1
                    continue
                failed += 1
                names = sorted(set(wanted) | set(actual))
                diff = ["    %s: real %s, keylint %s" % (
                    name,
                    json.dumps(wanted.get(name, "(unset)"), ensure_ascii=True),
                    json.dumps(actual.get(name, "(unset)"), ensure_ascii=True),
                ) for name in names if wanted.get(name) != actual.get(name) or (name in wanted) != (name in actual)]
                print("DISAGREE %s %s (%s) bytes=%s\n%s" % (
                    checked, ident, case["label"], json.dumps(case["bytes"], ensure_ascii=True), "\n".join(diff)))
    stale = sorted(set(exceptions) - used)
    for consumer, ident in stale:
        print("STALE exception (now agrees or no such file): %s %s" % (consumer, ident))
    print("conformance: %d passed, %d failed (%d documented exceptions, %d stale; %d files x %d live loaders; "
          "bash's process id read as $$ in %d files)" % (
              passed, failed + len(stale), documented, len(stale), len(corpus), len(real), process_id_files))
    return 1 if failed or stale else 0


if __name__ == "__main__":
    sys.exit(main())
