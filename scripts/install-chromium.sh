#!/usr/bin/env bash
# The browser tests (packages/web/test/journey.test.ts) drive a system Chromium with
# playwright-core: Playwright's own browser download is not possible here. Installs Debian's
# chromium unless CHROMIUM_PATH (GitHub's runners: their preinstalled Chrome) or
# /usr/bin/chromium is already there.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$browser" ]; then
  echo "Browser for the tests: $browser"
  exit 0
fi
if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable." >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "No /usr/bin/chromium and no apt-get: install Chromium and set CHROMIUM_PATH to it." >&2
  exit 1
fi
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "Installing Debian's chromium for the browser tests..."
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
echo "Browser for the tests: $(/usr/bin/chromium --version)"
