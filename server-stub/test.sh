#!/usr/bin/env bash
# server-stub's tests, as CI runs them: installs what is missing, then runs every test file once.
# Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")"
# The package is consumed as built output, like any user would: build it if it is not there.
[ -f ../pkg/dist/node.mjs ] || bash ../pkg/build.sh
# Install when node_modules is missing or older than the lockfile (better-sqlite3 compiles from source here).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund --loglevel=error
fi
# One credential set (RSA keys, certificates) for every test file, instead of one each.
TEST_KEYS_DIR=$(mktemp -d)/keys
export TEST_KEYS_DIR
trap 'rm -rf "$(dirname "$TEST_KEYS_DIR")"' EXIT
node -e "import('./src/credentials.js').then((c) => c.ensureCredentials(process.env.TEST_KEYS_DIR))"
node --test --test-concurrency=1 test/*.test.js
