#!/usr/bin/env python3
"""Generates a realistic project tree for the benchmarks (deterministic).

Usage: gen_tree.py OUT_DIR FILES             a tree of FILES files
       gen_tree.py --findings OUT_DIR FILES  a tree with many findings (below)
       gen_tree.py --big OUT_FILE LINES      one .env of LINES lines

About 70% are env files (`.env`, `.env.local`, `.env.production`, `app.env`, …) of 10–60
lines: quoted and unquoted values, comments, blank lines, `export`, realistic fake keys
for OpenAI/Anthropic/Gemini/Azure, and a few mistakes (quotes for docker, trailing
space, duplicates, `KEY = value`, placeholders). About 10% are compose/YAML files
(`compose.yaml` with `environment:` and `env_file:`, Kubernetes manifests) and 20%
source files (Python/JS that load dotenv).

The `--findings` tree is 60% env files and 40% Compose/Kubernetes files and no source
files, with mistakes on about a fifth of the lines (the report is long, as on a project
that was never linted).
"""
import os
import random
import string
import sys

rng = random.Random(7)
ALNUM = string.ascii_letters + string.digits


def token(length):
    return "".join(rng.choice(ALNUM) for _ in range(length))


def fake_key():
    return rng.choice([
        lambda: "sk-proj-" + token(40) + "T3BlbkFJ" + token(40),
        lambda: "sk-ant-api03-" + token(93) + "AA",
        lambda: "AIza" + token(35),
        lambda: token(32).lower(),
    ])()


PLAIN = ["DATABASE_URL", "REDIS_URL", "LOG_LEVEL", "PORT", "HOST", "NODE_ENV", "APP_NAME", "SENTRY_DSN",
         "FEATURE_FLAG_X", "TIMEOUT_MS", "WORKERS", "CACHE_TTL", "S3_BUCKET", "REGION", "DEBUG", "ALLOWED_HOSTS"]
KEYS = ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "AZURE_OPENAI_API_KEY", "OPENAI_ORG_ID",
        "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT", "SECRET_KEY", "JWT_SECRET", "STRIPE_API_KEY"]
VALUES = {"DATABASE_URL": "postgres://app:pw@db:5432/app", "REDIS_URL": "redis://cache:6379/0", "LOG_LEVEL": "info",
          "PORT": "8080", "HOST": "0.0.0.0", "NODE_ENV": "production", "APP_NAME": "my app",
          "OPENAI_BASE_URL": "https://api.openai.com/v1", "AZURE_OPENAI_ENDPOINT": "https://x.openai.azure.com/"}


def env_line(name):
    value = VALUES.get(name) or (fake_key() if name in KEYS else token(rng.randint(3, 20)))
    roll = rng.random()
    if roll < 0.55:
        line = f"{name}={value}" if " " not in value else f'{name}="{value}"'
    elif roll < 0.75:
        line = f'{name}="{value}"'
    elif roll < 0.82:
        line = f"{name}='{value}'"
    elif roll < 0.87:
        line = f"export {name}={value}"
    elif roll < 0.9:
        line = f"{name}={value} # {rng.choice(['prod', 'rotate monthly', 'see wiki'])}"
    elif roll < 0.92:
        line = f"{name}={value} "  # trailing space
    elif roll < 0.93:
        line = f"{name} = {value}"
    elif roll < 0.94:
        line = f"{name}=your-key-here"
    else:
        line = f"{name}={value}"
    return line


def env_file(lines):
    out = ["# " + rng.choice(["Application settings", "Copy to .env and fill in", "Production config"])]
    names = rng.sample(PLAIN + KEYS, k=min(len(PLAIN + KEYS), lines))
    while len(out) < lines:
        roll = rng.random()
        if roll < 0.08:
            out.append("")
        elif roll < 0.14:
            out.append("# " + token(rng.randint(5, 30)))
        elif roll < 0.16 and len(out) > 3:
            out.append(env_line(rng.choice(names)))  # duplicate
        else:
            name = names[len(out) % len(names)] if len(out) < len(names) else f"{rng.choice(PLAIN)}_{len(out)}"
            out.append(env_line(name))
    return "\n".join(out) + "\n"


def compose_file():
    services = []
    for index in range(rng.randint(1, 4)):
        env = "\n".join(f"      - {env_line(rng.choice(PLAIN + KEYS))}" for _ in range(rng.randint(2, 8)))
        services.append(f"""  svc{index}:
    image: example/app:{rng.randint(1, 9)}.{rng.randint(0, 20)}
    env_file: [.env]
    ports: ["{8000 + index}:8080"]
    environment:
{env}
""")
    return "services:\n" + "".join(services)


def k8s_file():
    env = "\n".join(f"            - name: {rng.choice(PLAIN + KEYS)}\n              value: \"{token(16)}\"" for _ in range(rng.randint(2, 8)))
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    spec:
      containers:
        - name: app
          image: example/app:1.0
          env:
{env}
"""


def source_file(ext):
    if ext == "py":
        return "import os\nfrom dotenv import load_dotenv\n\nload_dotenv()\nclient = os.environ['OPENAI_API_KEY']\n" + "\n".join(
            f"def f{index}(x):\n    return x + {index}\n" for index in range(rng.randint(5, 40)))
    return "require('dotenv').config();\nconst key = process.env.OPENAI_API_KEY;\n" + "\n".join(
        f"function f{index}(x) {{ return x + {index}; }}" for index in range(rng.randint(5, 40)))


def tree(out, count):
    env_names = [".env", ".env.local", ".env.production", ".env.development", ".env.staging", "app.env", ".env.test"]
    for index in range(count):
        directory = os.path.join(out, f"svc{index // 20:04d}", rng.choice(["", "config", "deploy"]))
        os.makedirs(directory, exist_ok=True)
        roll = rng.random()
        slot = index % 20
        if roll < 0.7:
            name = env_names[slot % len(env_names)]
            text = env_file(rng.randint(10, 60))
        elif roll < 0.8:
            name, text = (f"compose{slot}.yaml", compose_file()) if rng.random() < 0.6 else (f"deploy{slot}.yaml", k8s_file())
        else:
            ext = rng.choice(["py", "js"])
            name, text = f"main{slot}.{ext}", source_file(ext)
        path = os.path.join(directory, name)
        if os.path.exists(path):
            path = os.path.join(directory, f"{slot}{name}" if not name.startswith(".env") else f"{name}.{slot}")
        with open(path, "w") as handle:
            handle.write(text)


MISTAKES = [
    lambda name, value: f'{name}="{value}"  # quoted for docker',
    lambda name, value: f"{name}={value} ",
    lambda name, value: f"{name} = {value}",
    lambda name, value: f"{name}=your-key-here",
    lambda name, value: f"{name.lower()}={value}",
    lambda name, value: f"{name}={value}\r",
    lambda name, value: f"OPENAI_APIKEY={value}",
    lambda name, value: f"{name}=${{UNDEFINED_{rng.randint(0, 9)}}}",
    lambda name, value: f"{name}='{value}",
]


def findings_env_file(lines):
    out = []
    for index in range(lines):
        name = rng.choice(PLAIN + KEYS)
        if rng.random() < 0.2:
            value = fake_key() if name in KEYS else token(12)
            out.append(rng.choice(MISTAKES)(name, value))
        else:
            out.append(env_line(name))
    return "\n".join(out) + "\n"


def findings_tree(out, count):
    env_names = [".env", ".env.local", ".env.production", "app.env", ".env.staging", ".env.test"]
    for index in range(count):
        directory = os.path.join(out, f"svc{index // 20:04d}", rng.choice(["", "config", "deploy"]))
        os.makedirs(directory, exist_ok=True)
        slot = index % 20
        if slot < 12:
            name, text = env_names[slot % len(env_names)], findings_env_file(rng.randint(10, 60))
        elif slot < 17:
            name, text = f"compose{slot}.yaml", compose_file()
        else:
            name, text = f"deploy{slot}.yaml", k8s_file()
        path = os.path.join(directory, name)
        if os.path.exists(path):
            path = os.path.join(directory, f"{slot}{name}" if not name.startswith(".env") else f"{name}.{slot}")
        with open(path, "w", newline="") as handle:
            handle.write(text)


def main():
    if sys.argv[1] == "--findings":
        findings_tree(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "--big":
        lines = int(sys.argv[3])
        out = []
        while len(out) < lines:
            out.extend(env_file(60).splitlines())
        with open(sys.argv[2], "w") as handle:
            handle.write("\n".join(out[:lines]) + "\n")
    else:
        tree(sys.argv[1], int(sys.argv[2]))


if __name__ == "__main__":
    main()
