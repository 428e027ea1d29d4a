#!/usr/bin/env bash
# Creates (once) a Python venv for the reference agent in fixtures/agents/python,
# keyed by a hash of its requirements file, in a cache outside the repo.
# Idempotent: a marker file records a completed install.
# Last line of stdout: absolute path of the venv's python.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQ="$ROOT/fixtures/agents/python/requirements.txt"
CACHE="${LKDIAG_CACHE:-$HOME/.cache/lkdiag}"
HASH="$(sha256sum "$REQ" | cut -c1-12)"
VENV="$CACHE/venv-$HASH"
PY="$VENV/bin/python"
MARKER="$VENV/.lkdiag-installed"

if [[ -f "$MARKER" && -x "$PY" ]]; then
  echo "$PY"
  exit 0
fi

PYTHON="${PYTHON:-}"
if [[ -z "$PYTHON" ]]; then
  for c in python3.12 python3.11 python3.10 python3; do
    # (pyenv shims exist for every name but fail for inactive versions, so run it)
    if "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' >/dev/null 2>&1; then
      PYTHON="$c"; break
    fi
  done
fi
if [[ -z "$PYTHON" ]]; then
  echo "setup-agent-venv: no python3 found (need >= 3.10)" >&2
  exit 1
fi

mkdir -p "$CACHE"
rm -rf "$VENV"
start=$(date +%s)
"$PYTHON" -m venv "$VENV" >&2
"$PY" -m pip install --disable-pip-version-check -q --upgrade pip >&2
"$PY" -m pip install --disable-pip-version-check -q -r "$REQ" >&2
"$PY" -c 'import livekit.agents, livekit.plugins.openai' >&2
"$PY" -m pip freeze > "$VENV/.lkdiag-freeze.txt"
touch "$MARKER"
echo "setup-agent-venv: installed in $(( $(date +%s) - start ))s" >&2
echo "$PY"
