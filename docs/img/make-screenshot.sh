#!/usr/bin/env bash
# Regenerate docs/img/unsafe-release-report.png: the HTML report of examples/unsafe-release,
# rendered by headless Chromium (Debian package `chromium`). Needs `gatekeeper` on PATH (or
# GATEKEEPER=/path/to/gatekeeper). Run from anywhere: bash docs/img/make-screenshot.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
gatekeeper="${GATEKEEPER:-gatekeeper}"
chromium="${CHROMIUM:-chromium}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The gate blocks this release (exit 1); any other exit code is a real failure.
set +e
(cd "$root/examples/unsafe-release" && "$gatekeeper" check --now 2026-11-28T12:00:00Z \
  --results "$work/results.json" -f html -o "$work/report.html" > /dev/null)
code=$?
set -e
if [ "$code" -ne 1 ]; then
  echo "make-screenshot: gatekeeper check exited $code, expected 1 (blocked)" >&2
  exit 1
fi

"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --hide-scrollbars --window-size=1280,1700 \
  --screenshot="$root/docs/img/unsafe-release-report.png" "file://$work/report.html" 2> /dev/null
echo "wrote docs/img/unsafe-release-report.png"
