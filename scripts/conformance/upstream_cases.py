#!/usr/bin/env python3
"""Adds the loaders' own test inputs to the conformance corpus.

Usage: upstream_cases.py CORPUS_DIR PYTHON_DOTENV_TESTS GODOTENV_SOURCE

- `pt-<n>.env`: python-dotenv's published parser and `dotenv_values` test inputs, from the
  pinned version's sdist (PYTHON_DOTENV_TESTS is its `tests/` folder): every `test_input`
  or `string` parameter of the `pytest.mark.parametrize` tables in `test_parser.py` and
  `test_main.py`, and every file content `write_text(...)` gives a test there.
- `gt-<n>.env`: godotenv's own test inputs (GODOTENV_SOURCE is the package's source folder,
  Debian's golang-github-joho-godotenv-dev): its `fixtures/*.env` files and every string
  literal of `godotenv_test.go` that holds `=` or `:`.

Each case lists the one loader whose tests it comes from (`"loaders"`): compare.py checks
it against that loader only. The files are appended to CORPUS_DIR/corpus.json.
"""
import ast
import glob
import json
import os
import re
import sys


def python_dotenv_inputs(tests):
    inputs = []
    for name in ("test_parser.py", "test_main.py"):
        with open(os.path.join(tests, name), encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            function = node.func
            called = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
            if called == "parametrize" and len(node.args) == 2 and isinstance(node.args[0], ast.Constant):
                names = [part.strip() for part in node.args[0].value.split(",")]
                wanted = [index for index, part in enumerate(names) if part in ("test_input", "string")]
                if not wanted or not isinstance(node.args[1], (ast.List, ast.Tuple)):
                    continue
                for row in node.args[1].elts:
                    if isinstance(row, ast.Tuple) and len(row.elts) > wanted[0]:
                        value = row.elts[wanted[0]]
                        if isinstance(value, ast.Constant) and isinstance(value.value, str):
                            inputs.append(value.value)
            elif called == "write_text" and node.args and isinstance(node.args[0], ast.Constant):
                if isinstance(node.args[0].value, str):
                    inputs.append(node.args[0].value)
    return inputs


# Go string literals: "…" with escapes, or `…` raw.
GO_STRING = re.compile(r'"(?:\\.|[^"\\\n])*"|`[^`]*`')


def go_unquote(literal):
    if literal.startswith("`"):
        return literal[1:-1].replace("\r", "")
    return ast.literal_eval(literal)


def godotenv_inputs(source):
    inputs = []
    for fixture in sorted(glob.glob(os.path.join(source, "fixtures", "*.env"))):
        with open(fixture, encoding="utf-8") as handle:
            inputs.append(handle.read())
    with open(os.path.join(source, "godotenv_test.go"), encoding="utf-8") as handle:
        for literal in GO_STRING.findall(handle.read()):
            text = go_unquote(literal)
            if ("=" in text or ":" in text) and not text.startswith("fixtures/"):
                inputs.append(text)
    return inputs


def main():
    corpus_dir, python_tests, godotenv_source = sys.argv[1:4]
    manifest_path = os.path.join(corpus_dir, "corpus.json")
    with open(manifest_path, encoding="utf-8") as handle:
        manifest = json.load(handle)
    suites = [
        ("pt", "python-dotenv", "python-dotenv's own tests", python_dotenv_inputs(python_tests)),
        ("gt", "godotenv", "godotenv's own tests", godotenv_inputs(godotenv_source)),
    ]
    for prefix, loader, label, inputs in suites:
        seen = set()
        for text in inputs:
            if text in seen:
                continue
            seen.add(text)
            ident = "%s-%03d" % (prefix, len(seen))
            manifest.append({"id": ident, "label": label, "bytes": text, "loaders": [loader]})
            with open(os.path.join(corpus_dir, ident + ".env"), "wb") as handle:
                handle.write(text.encode("utf-8"))
    with open(manifest_path, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=True, indent=0)
    print(len(manifest))


if __name__ == "__main__":
    main()
