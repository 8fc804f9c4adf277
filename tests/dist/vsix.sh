#!/usr/bin/env bash
# The two VS Code packages scripts/dist.sh built: the platform one carries the server and
# says its platform; the universal one carries none (it uses keylint from PATH); both have
# the icon, and every link and image of the README they ship resolves to a file of this
# repository (the Marketplace and Open VSX show it away from the repository). The platform
# package is also installed and driven in VS Code by tests/editors/vscode.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
platform=$(dist_artifact 'keylint-vscode-*-*.vsix')
# keylint-vscode-<version>-<os>-<arch>.vsix -> keylint-vscode-<version>.vsix
universal="${platform%-*-*.vsix}.vsix"
[ -f "$universal" ] || { echo "no universal package $universal: run scripts/dist.sh" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# unzip keeps the mode bits, as VS Code does when it installs a package.
unzip -q "$platform" -d "$work/platform"
unzip -q "$universal" -d "$work/universal"

check "platform package: server/keylint inside, executable" [ -x "$work/platform/extension/server/keylint" ]
check "platform package: runs" "$work/platform/extension/server/keylint" --version
check "platform package: its platform in the manifest" grep -q 'TargetPlatform="linux-' "$work/platform/extension.vsixmanifest"
check "universal package: no server inside" [ ! -e "$work/universal/extension/server" ]
check "universal package: no platform in the manifest" sh -c "! grep -q TargetPlatform '$work/universal/extension.vsixmanifest'"
for package in platform universal; do
    check "$package package: the icon" [ -s "$work/$package/extension/images/icon.png" ]
done

# Every absolute link into the repository (`<repository>/raw|blob/HEAD/<path>`) must name a
# file of this checkout, once `..` segments are resolved as a browser does.
repository=$(node -p 'require(process.argv[1]).repository.url' "$DIST_ROOT/editors/vscode/package.json")
python3 - "$work/platform/extension/readme.md" "$repository" "$DIST_ROOT" > "$work/links.txt" <<'PY'
import os, posixpath, re, sys
readme, repository, root = sys.argv[1:]
for url in re.findall(r"\]\((https?://[^)\s]+)\)", open(readme).read()):
    if not url.startswith(repository + "/"):
        continue
    path = re.sub(r"^(raw|blob)/HEAD/", "", url[len(repository) + 1:]).split("#")[0]
    path = posixpath.normpath(path)
    print(("ok" if path and os.path.exists(os.path.join(root, path)) else "missing"), url)
PY
cat "$work/links.txt"
check "the README links into the repository" grep -q '^ok .*/raw/HEAD/.*\.png' "$work/links.txt"
check "… and every one resolves" sh -c "! grep -q '^missing' '$work/links.txt'"

summary vsix
