#!/usr/bin/env python3
"""Real `docker run --env-file`: the docker CLI parses the env file itself, then sends the
list it read to the daemon in the `containers/create` request ("Env"). No daemon runs on
this machine, so this script answers on a unix socket as a stand-in daemon (`/_ping` and
`containers/create` only) and records that list: the CLI's own parser runs, for real.
The program's environment is that list applied in order (`NAME=value` sets, a bare `NAME`
unsets, as the daemon merges it), which is what keylint's model claims.

Usage: docker_env.py SCRATCH_DIR FILE... ; prints JSON
`{"version": CLI_VERSION, "results": {ID: {"env": {...}, "refused": bool, "error": str}}}`.
A file the CLI refuses (it exits before sending anything) is `refused` with its message.
Runs every CLI in an empty environment (`env -i PATH=…`): a bare `NAME` line copies the
CLI's own variable, and there is none.
"""
import http.server
import json
import os
import socketserver
import subprocess
import sys
import threading

API_VERSION = "1.41"


class StandInDaemon(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    captured = None

    def address_string(self):
        return "unix"

    def log_message(self, *arguments):
        pass

    def _reply(self, code, body):
        data = json.dumps(body).encode() if body is not None else b"OK"
        self.send_response(code)
        self.send_header("Api-Version", API_VERSION)
        self.send_header("OSType", "linux")
        self.send_header("Content-Type", "application/json" if body is not None else "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_HEAD(self):
        self._reply(200, None)

    def do_GET(self):
        if self.path.endswith("/_ping"):
            self._reply(200, None)
        else:
            self._reply(404, {"message": "not part of the stand-in daemon"})

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if "/containers/create" in self.path:
            StandInDaemon.captured = json.loads(body)
            self._reply(201, {"Id": "0123456789ab", "Warnings": []})
        else:
            self._reply(404, {"message": "not part of the stand-in daemon"})


def environment_of(env_list):
    env = {}
    for entry in env_list:
        name, equals, value = entry.partition("=")
        if equals:
            env[name] = value
        else:
            env.pop(name, None)
    return env


def main():
    scratch, files = sys.argv[1], sys.argv[2:]
    socket_path = os.path.join(scratch, "docker.sock")
    if os.path.exists(socket_path):
        os.remove(socket_path)
    server = socketserver.UnixStreamServer(socket_path, StandInDaemon)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    clean = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": scratch,
        "DOCKER_HOST": "unix://" + socket_path,
        "DOCKER_CONFIG": os.path.join(scratch, "docker-config"),
    }
    version = subprocess.run(["docker", "--version"], env=clean, capture_output=True, text=True).stdout.strip()
    results = {}
    for path in files:
        ident = os.path.basename(path)[: -len(".env")]
        StandInDaemon.captured = None
        run = subprocess.run(
            ["docker", "create", "--env-file", path, "keylint-conformance"],
            env=clean, capture_output=True, timeout=60,
        )
        if run.returncode == 0 and StandInDaemon.captured is not None:
            env = environment_of(StandInDaemon.captured.get("Env") or [])
            results[ident] = {"env": env, "refused": False, "error": None}
        else:
            error = run.stderr.decode("utf-8", "replace").strip()
            results[ident] = {"env": {}, "refused": True, "error": error}
    server.shutdown()
    json.dump({"version": version, "results": results}, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
