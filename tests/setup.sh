#!/usr/bin/env bash
# What the tests need beyond the package build (pkg/build.sh installs the Rust side): Debian's Chromium and a
# CJK font, and the runtimes of tests/package.json (Node 22/24, Deno, Bun, workerd, playwright-core).
# Idempotent: a second run checks and returns in about a second.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "wenquanyi micro hei"; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi

# npm runs no install scripts here (--ignore-scripts: nothing may reach outside the registry); the runtimes
# ship their binaries in optional dependencies, and bun's postinstall only copies its own.
stamp=node_modules/.installed-from
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
node_modules/.bin/bun --version >/dev/null 2>&1 || (cd node_modules/bun && node install.js >/dev/null)
