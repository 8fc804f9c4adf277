#!/usr/bin/env python3
"""Real python-dotenv: for each FILE, the variables `load_dotenv(FILE)` sets in a clean
process (what the application reads from os.environ). Prints JSON {FILE-ID: {"env": {...},
"error": str|null}}. Run it with an almost empty environment (`env -i PATH=...`)."""
import importlib.metadata
import json
import logging
import os
import sys

from dotenv import load_dotenv

logging.getLogger("dotenv.main").addHandler(logging.NullHandler())
logging.getLogger("dotenv.main").propagate = False


def main():
    out = {"version": importlib.metadata.version("python-dotenv"), "results": {}}
    for path in sys.argv[1:]:
        before = dict(os.environ)
        result = {"env": {}, "error": None}
        try:
            load_dotenv(path)
        except Exception as error:  # noqa: BLE001 - report whatever it raises
            result["error"] = "%s: %s" % (type(error).__name__, error)
        for name in list(os.environ):
            if name not in before:
                result["env"][name] = os.environ[name]
                del os.environ[name]
        out["results"][os.path.basename(path)[: -len(".env")]] = result
    json.dump(out, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
