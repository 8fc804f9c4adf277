#!/usr/bin/env python3
"""Writes the conformance corpus: tricky `.env` files as exact bytes.

Usage: corpus.py OUT_DIR [COUNT] [SEED]

- `r-<id>.env`: every row of the verified loader table
  (`crates/keylint-core/resources/test/loader_cases.json`, described in docs/loaders.md).
- `g-<n>.env`: COUNT (default 400) generated files, deterministic for a SEED (default 8):
  quotes, escapes, comments, CRLF, BOM, unicode spaces, duplicates, multi-line values,
  interpolation, bare names, YAML-style colons.

Names are not secret-looking on purpose (values are compared unmasked) and never collide
with the variables a clean process has (PATH, HOME, PWD). No value contains `$(`, `;`,
`|`, `&`, `<` or `>`, because the bash consumer really sources each file.
"""
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "..", "..", "crates", "keylint-core", "resources", "test", "loader_cases.json")

NAMES = ["APP_VALUE", "APP_OTHER", "OTHER_V", "DB_URL", "x_lower", "A1", "_U", "APP.DOT", "APP-DASH"]
# weights: mostly well-formed names, a few that some loaders reject
NAME_WEIGHTS = [6, 4, 4, 3, 1, 1, 1, 1, 1]
WORDS = ["abc", "sk-abc", "x1/y+z==", "a.b-c_d", "\u00fcn\u00efc\u00f6de", "1234", "p@ss:w0rd", "https://h.example/v1"]
DQ_PIECES = ["\\n", "\\t", "\\r", '\\"', "\\\\", "\\'", "\\$", "\\ ", "\\x", " ", "'", "#", " #", "$OTHER_V",
             "${OTHER_V}", "${UNSET_V}", "${UNSET_V:-dflt}", "${OTHER_V:-dflt}", "\n", "\u00a0", "\u200b", "`"]
SQ_PIECES = ["\\n", "\\\\", "\\'", " ", '"', "#", " #", "$OTHER_V", "${OTHER_V}", "\n", "\u00a0", "`"]
PREFIXES = ["", "", "", "", "export ", "  ", "\t", "export  "]
SEPARATORS = ["=", "=", "=", "=", "=", " = ", "\t=", "= ", " =", ":", ": "]


def word(rng):
    return rng.choice(WORDS)


def double_quoted(rng):
    inner = "".join(rng.choice([word(rng), rng.choice(DQ_PIECES)]) for _ in range(rng.randint(1, 4)))
    return '"' + inner + '"'


def single_quoted(rng):
    inner = "".join(rng.choice([word(rng), rng.choice(SQ_PIECES)]) for _ in range(rng.randint(1, 3)))
    return "'" + inner + "'"


def unquoted(rng):
    shapes = [
        lambda: word(rng),
        lambda: word(rng) + " " + word(rng),
        lambda: word(rng) + "#frag",
        # A comment that quotes, escapes and interpolates (loaders must ignore all of it).
        lambda: word(rng) + rng.choice([" # it's", "  # it's", '  # say "hi" $OTHER_V \\',
                                         " # \u00e9t\u00e9 `x` ${UNSET_V}"]),
        lambda: "#" + word(rng),
        lambda: word(rng) + "'" + word(rng),
        lambda: word(rng) + '"' + word(rng) + '"',
        lambda: "$OTHER_V",
        lambda: "${OTHER_V}",
        lambda: "${UNSET_V}",
        lambda: "${UNSET_V:-" + word(rng) + "}",
        lambda: "${OTHER_V:-dflt}",
        lambda: "pre${OTHER_V}post",
        lambda: "pre$OTHER_V",
        lambda: "$$",
        lambda: word(rng) + "\\",
        lambda: word(rng) + "\u200b" + word(rng),
        lambda: "\u201c" + word(rng) + "\u201d",
        lambda: "`" + word(rng) + "`",
        lambda: "",
    ]
    return rng.choice(shapes)()


def value(rng):
    kind = rng.random()
    if kind < 0.35:
        text = unquoted(rng)
    elif kind < 0.6:
        text = double_quoted(rng)
    elif kind < 0.75:
        text = single_quoted(rng)
    elif kind < 0.8:
        text = rng.choice(['"', "'"]) + word(rng)  # unterminated
    elif kind < 0.85:
        text = '"' + word(rng) + "\n" + word(rng) + '"'  # multi-line
    elif kind < 0.9:
        text = rng.choice(["'a'\"b\"", '"a"\'b\'', "'a'b", '"a"b'])
    else:
        text = " " + word(rng)
    if rng.random() < 0.3:
        text += rng.choice([" ", "\t", "\u00a0", " # c", "\t# c", "#c", "  # note", " \u00a0"])
    return text


def line(rng, names_so_far):
    kind = rng.random()
    if kind < 0.08:
        return "# " + rng.choice(["comment", "APP_VALUE=old", "\u00e9t\u00e9"])
    if kind < 0.12:
        return rng.choice(["", "  ", "\t"])
    if kind < 0.15:
        return rng.choice(NAMES)  # a bare name
    if names_so_far and rng.random() < 0.2:
        name = rng.choice(names_so_far)  # a duplicate
    else:
        name = rng.choices(NAMES, NAME_WEIGHTS)[0]
    names_so_far.append(name)
    return rng.choice(PREFIXES) + name + rng.choice(SEPARATORS) + value(rng)


def generated(rng):
    names = []
    lines = []
    if rng.random() < 0.4:
        lines.append("OTHER_V=" + rng.choice(['"' + word(rng) + '"', word(rng), "'" + word(rng) + "'"]))
        names.append("OTHER_V")
    for _ in range(rng.randint(1, 6)):
        lines.append(line(rng, names))
    ending = rng.choice(["\n", "\n", "\n", "\r\n", "mixed"])
    text = ""
    for index, item in enumerate(lines):
        eol = rng.choice(["\n", "\r\n"]) if ending == "mixed" else ending
        if "\n" in item and ending != "\n":
            item = item.replace("\n", eol)
        if index == len(lines) - 1 and rng.random() < 0.15:
            eol = ""  # no final newline
        text += item + eol
    if rng.random() < 0.1:
        text = "\ufeff" + text
    return text


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    os.makedirs(out, exist_ok=True)
    manifest = []
    with open(CASES, encoding="utf-8") as handle:
        for case in json.load(handle)["cases"]:
            ident = "r-" + case["id"]
            data = bytes.fromhex(case["hex"])
            manifest.append({"id": ident, "label": case["label"], "bytes": data.decode("utf-8")})
            with open(os.path.join(out, ident + ".env"), "wb") as handle_out:
                handle_out.write(data)
    rng = random.Random(seed)
    for number in range(1, count + 1):
        ident = "g-%04d" % number
        text = generated(rng)
        for bad in ("$(", ";", "|", "&", "<", ">"):
            assert bad not in text, (ident, text)
        manifest.append({"id": ident, "label": "generated", "bytes": text})
        with open(os.path.join(out, ident + ".env"), "wb") as handle_out:
            handle_out.write(text.encode("utf-8"))
    with open(os.path.join(out, "corpus.json"), "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=True, indent=0)
    print(len(manifest))


if __name__ == "__main__":
    main()
