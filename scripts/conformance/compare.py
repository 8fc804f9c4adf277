#!/usr/bin/env python3
"""Compares what the real loaders set with what keylint says each consumer sets.

Usage: compare.py WORK_DIR EXCEPTIONS_MD

WORK_DIR holds corpus/ (corpus.json), keylint.json, python-dotenv.json, node-dotenv.json,
godotenv.json, dotenvy.jsonl and shell.out (see scripts/conformance.sh). A check is one (file, consumer)
pair: the whole environment the program gets from the file must be equal byte for byte, both
as keylint's consumer model gives it and as `keylint inspect` shows it (checked as
`CONSUMER (inspect)`).
Documented exceptions are the rows of the table under "## Documented exceptions" in
EXCEPTIONS_MD: `| consumer | file ids | reason |`, where file ids is a comma-separated
list of ids or shell-style patterns (`g-*`). Prints every undocumented disagreement,
every stale exception, and the summary line `conformance: N passed, N failed`
(plus the documented count); exits 1 when anything failed.
"""
import fnmatch
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
            for pattern in cells[1].split(","):
                exceptions[(cells[0], pattern.strip().strip("`"))] = cells[2]
    return exceptions


def read_shell(path, baseline_id):
    results = {}
    with open(path, "rb") as handle:
        chunks = handle.read().split(b"\0")
    current = None
    for chunk in chunks:
        if chunk.startswith(b"@@FILE "):
            current = chunk[len(b"@@FILE "):].decode()
            results[current] = {}
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
    return cleaned


def main():
    work, exceptions_path = sys.argv[1], sys.argv[2]
    corpus = {case["id"]: case for case in load_json(os.path.join(work, "corpus", "corpus.json"))}
    keylint = load_json(os.path.join(work, "keylint.json"))
    real = {
        "python-dotenv": load_json(os.path.join(work, "python-dotenv.json"))["results"],
        "node-dotenv": load_json(os.path.join(work, "node-dotenv.json"))["results"],
        "godotenv": load_json(os.path.join(work, "godotenv.json"))["results"],
        "dotenvy": {},
        "shell": read_shell(os.path.join(work, "shell.out"), "baseline-empty"),
    }
    with open(os.path.join(work, "dotenvy.jsonl"), encoding="utf-8") as handle:
        for row in handle:
            ident, _, data = row.rstrip("\n").partition("\t")
            real["dotenvy"][ident] = json.loads(data)
    exceptions = read_exceptions(exceptions_path)
    used = set()
    passed = failed = documented = 0
    for ident, case in corpus.items():
        for consumer, results in real.items():
            # A loader's own test inputs are checked against that loader only.
            if consumer not in case.get("loaders", [consumer]):
                continue
            expected = results[ident]["env"]
            # The consumer model, and what `keylint inspect` shows for it.
            for checked, view in ((consumer, "env"), (consumer + " (inspect)", "inspect")):
                actual = keylint[ident][consumer][view]
                if expected == actual:
                    passed += 1
                    continue
                key = next((key for key in exceptions if key[0] == checked and fnmatch.fnmatchcase(ident, key[1])), None)
                if key is not None:
                    used.add(key)
                    documented += 1
                    continue
                failed += 1
                names = sorted(set(expected) | set(actual))
                diff = ["    %s: real %s, keylint %s" % (
                    name,
                    json.dumps(expected.get(name, "(unset)"), ensure_ascii=True),
                    json.dumps(actual.get(name, "(unset)"), ensure_ascii=True),
                ) for name in names if expected.get(name) != actual.get(name) or (name in expected) != (name in actual)]
                print("DISAGREE %s %s (%s) bytes=%s\n%s" % (
                    checked, ident, case["label"], json.dumps(case["bytes"], ensure_ascii=True), "\n".join(diff)))
    stale = sorted(set(exceptions) - used)
    for consumer, ident in stale:
        print("STALE exception (now agrees or no such file): %s %s" % (consumer, ident))
    print("conformance: %d passed, %d failed (%d documented exceptions, %d stale; %d files x %d live loaders)" % (
        passed, failed + len(stale), documented, len(stale), len(corpus), len(real)))
    return 1 if failed or stale else 0


if __name__ == "__main__":
    sys.exit(main())
