#!/usr/bin/env bash
# Installs the Python tools the tests run into .tools/venv: exact versions, hash-checked, from PyPI
# only (no pip.conf, no find-links, no constraints of this machine), never into the user's Python.
# Does nothing when .tools/venv already holds exactly tools/requirements.txt, installed at this
# path (a venv's scripts name its absolute path: a moved or copied one is installed afresh).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.tools/venv
want=$(sha256sum tools/requirements.txt | cut -d' ' -f1)
if [[ -x "$venv/bin/python" && "$(cat "$venv/.requirements.sha256" 2> /dev/null)" == "$want" &&
  "$(head -n 1 "$venv/bin/pip" 2> /dev/null)" == "#!$PWD/$venv/bin/python"* ]]; then
  exit 0
fi
echo "Installing the pinned Python tools into $venv (tools/requirements.txt)..."
start=$SECONDS
rm -rf "$venv"
"${PYTHON:-python3}" -m venv "$venv"
unset PIP_FIND_LINKS PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_CONSTRAINT PIP_REQUIRE_VIRTUALENV
export PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1
"$venv/bin/python" -m pip install --quiet --no-deps --require-hashes --only-binary :all: \
  --index-url https://pypi.org/simple --requirement tools/requirements.txt
"$venv/bin/python" -m pip check
echo "$want" > "$venv/.requirements.sha256"
echo "Installed in $(( SECONDS - start ))s: $("$venv/bin/python" --version), $(ls "$venv/bin" | wc -l) entries in $venv/bin."
