#!/usr/bin/env bash
# Installs livekit-server (pinned) into a cache outside the repo, by compiling it
# from the Go module proxy with `go install`. Idempotent: exits fast if the binary
# is already there and reports the pinned version.
# Last line of stdout: absolute path of the livekit-server binary.
set -euo pipefail

VERSION="1.13.5"
CACHE="${LKDIAG_CACHE:-$HOME/.cache/lkdiag}"
DEST="$CACHE/livekit-server-v$VERSION"
BIN="$DEST/livekit-server"

if [[ -x "$BIN" ]] && "$BIN" --version 2>/dev/null | grep -q "$VERSION"; then
  echo "$BIN"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "install-livekit-server: 'go' not found on PATH (need Go >= 1.24)" >&2
  exit 1
fi

mkdir -p "$DEST"
echo "install-livekit-server: compiling livekit-server v$VERSION (takes a few minutes)..." >&2
start=$(date +%s)
GOBIN="$DEST" GOFLAGS="${GOFLAGS:-} -mod=mod" \
  go install "github.com/livekit/livekit-server/cmd/server@v$VERSION" >&2
mv -f "$DEST/server" "$BIN"
echo "install-livekit-server: done in $(( $(date +%s) - start ))s" >&2

if ! "$BIN" --version 2>/dev/null | grep -q "$VERSION"; then
  echo "install-livekit-server: built binary does not report version $VERSION:" >&2
  "$BIN" --version >&2 || true
  exit 1
fi
echo "$BIN"
