#!/usr/bin/env python3
"""Real Docker Compose v2 reading `env_file:`: for each file, a one-service project whose
service names it in `env_file:`, then `docker-compose config --format json` (no daemon
needed) and the service's resolved `environment`. `config` writes each `$` of a value as
`$$` (so its output stays valid Compose); that is undone here.

Usage: compose_env.py DOCKER_COMPOSE SCRATCH_DIR FILE... ; prints JSON
`{"version": VERSION, "results": {ID: {"env": {...}, "refused": bool, "error": str}}}`.
Runs in an empty environment (`env -i`), so `${VAR}` finds only earlier lines of the file.
"""
import json
import os
import shutil
import subprocess
import sys

PROJECT = "services:\n  app:\n    image: keylint-conformance\n    env_file: [app.env]\n"


def main():
    compose, scratch, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    project = os.path.join(scratch, "compose-project")
    os.makedirs(project, exist_ok=True)
    with open(os.path.join(project, "compose.yaml"), "w", encoding="utf-8") as handle:
        handle.write(PROJECT)
    clean = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": scratch,
        "DOCKER_CONFIG": os.path.join(scratch, "docker-config"),
    }
    version = subprocess.run([compose, "version", "--short"], env=clean, capture_output=True, text=True).stdout.strip()
    results = {}
    for path in files:
        ident = os.path.basename(path)[: -len(".env")]
        shutil.copyfile(path, os.path.join(project, "app.env"))
        run = subprocess.run(
            [compose, "--project-name", "conformance", "config", "--format", "json"],
            cwd=project, env=clean, capture_output=True, timeout=60,
        )
        if run.returncode == 0:
            service = json.loads(run.stdout)["services"]["app"]
            # A name with no value (null) is not set in the container.
            env = {
                name: value.replace("$$", "$")
                for name, value in (service.get("environment") or {}).items()
                if value is not None
            }
            results[ident] = {"env": env, "refused": False, "error": None}
        else:
            error = run.stderr.decode("utf-8", "replace").strip()
            results[ident] = {"env": {}, "refused": True, "error": error}
    json.dump({"version": version, "results": results}, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
