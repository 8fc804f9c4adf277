#!/usr/bin/env python3
"""Generates source files for the code-reading benchmark (deterministic).

Usage: gen_sources.py OUT_DIR FILES

FILES source files of 1-12 KB (about 4 KB on average) in the mix of an LLM application:
35% Python, 30% TypeScript/TSX, 10% JavaScript, 12% Go, 8% Rust, 5% Java/C#. A third of
them read environment variables (`os.getenv`, `process.env.X`, `os.Getenv`, `env::var`,
SDK clients, settings classes, dotenv loaders), so they are parsed; the rest hold ordinary
code with none of the markers and are skipped by the pre-filter, as most files of a real
project are.
"""
import os
import random
import sys

rng = random.Random(11)
NAMES = ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "DATABASE_URL", "REDIS_URL", "LOG_LEVEL", "PORT",
         "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT", "SENTRY_DSN", "APP_MODE"]

FILLER = {
    "py": "def handler_{n}(request, items):\n    total = 0\n    for item in items:\n        if item.price > {n}:\n            total += item.price * 2\n    return {{'total': total, 'count': len(items)}}\n\n",
    "ts": "export function handler{n}(items: Item[]): Summary {{\n  let total = 0;\n  for (const item of items) {{\n    if (item.price > {n}) total += item.price * 2;\n  }}\n  return {{ total, count: items.length }};\n}}\n\n",
    "tsx": "export const Card{n} = ({{ title, items }}: Props) => (\n  <div className=\"card\">\n    <h2>{{title}}</h2>\n    <ul>{{items.map((item) => <li key={{item.id}}>{{item.name}} {n}</li>)}}</ul>\n  </div>\n);\n\n",
    "js": "function handler{n}(items) {{\n  let total = 0;\n  for (const item of items) {{\n    if (item.price > {n}) total += item.price * 2;\n  }}\n  return {{ total, count: items.length }};\n}}\n\n",
    "go": "func handler{n}(items []Item) (int, error) {{\n\ttotal := 0\n\tfor _, item := range items {{\n\t\tif item.Price > {n} {{\n\t\t\ttotal += item.Price * 2\n\t\t}}\n\t}}\n\treturn total, nil\n}}\n\n",
    "rs": "pub fn handler_{n}(items: &[Item]) -> Result<usize, Error> {{\n    let mut total = 0;\n    for item in items {{\n        if item.price > {n} {{\n            total += item.price * 2;\n        }}\n    }}\n    Ok(total)\n}}\n\n",
    "java": "    public int handler{n}(List<Item> items) {{\n        int total = 0;\n        for (Item item : items) {{\n            if (item.price > {n}) total += item.price * 2;\n        }}\n        return total;\n    }}\n\n",
    "cs": "    public int Handler{n}(List<Item> items)\n    {{\n        var total = 0;\n        foreach (var item in items) {{ if (item.Price > {n}) total += item.Price * 2; }}\n        return total;\n    }}\n\n",
}
HEAD = {
    "py": "import json\nimport logging\n\nlogger = logging.getLogger(__name__)\n\n",
    "ts": "import type {{ Item, Summary }} from './types';\n\n",
    "tsx": "import React from 'react';\n\n",
    "js": "'use strict';\n\n",
    "go": "package handlers\n\nimport \"errors\"\n\n",
    "rs": "use crate::model::{{Item, Error}};\n\n",
    "java": "package app;\n\nimport java.util.List;\n\npublic class Handlers{n} {{\n",
    "cs": "namespace App;\n\npublic class Handlers{n}\n{{\n",
}
TAIL = {"java": "}\n", "cs": "}\n"}


def reads(ext):
    name = rng.choice(NAMES)
    return {
        "py": rng.choice([f"KEY = os.getenv(\"{name}\")\n", f"VALUE = os.environ[\"{name}\"]\n",
                          "from dotenv import load_dotenv\nload_dotenv()\n",
                          "from openai import OpenAI\nclient = OpenAI()\n",
                          f"class Settings(BaseSettings):\n    {name.lower()}: str = \"\"\n"]),
        "ts": f"const value{rng.randint(0, 99)} = process.env.{name} ?? '';\n",
        "tsx": f"const url = import.meta.env.VITE_{name};\n",
        "js": rng.choice([f"const {{ {name} }} = process.env;\n", "require('dotenv').config();\n"]),
        "go": f"var value = os.Getenv(\"{name}\")\n",
        "rs": f"pub fn key() -> String {{ std::env::var(\"{name}\").unwrap_or_default() }}\n",
        "java": f"    String key = System.getenv(\"{name}\");\n",
        "cs": f"    string key = Environment.GetEnvironmentVariable(\"{name}\");\n",
    }[ext]


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    extensions = ["py"] * 35 + ["ts"] * 20 + ["tsx"] * 10 + ["js"] * 10 + ["go"] * 12 + ["rs"] * 8 + ["java"] * 3 + ["cs"] * 2
    for index in range(count):
        ext = rng.choice(extensions)
        directory = os.path.join(out, "src", f"module{index % 50}")
        os.makedirs(directory, exist_ok=True)
        parts = [HEAD[ext].format(n=index)]
        size = rng.randint(1000, 12000) if rng.random() < 0.2 else rng.randint(1000, 5000)
        if rng.random() < 1 / 3:
            parts.append(reads(ext))
        n = 0
        while sum(map(len, parts)) < size:
            parts.append(FILLER[ext].format(n=n))
            n += 1
        parts.append(TAIL.get(ext, ""))
        with open(os.path.join(directory, f"file{index}.{ext}"), "w") as handle:
            handle.write("".join(parts))


if __name__ == "__main__":
    main()
