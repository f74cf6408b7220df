#!/usr/bin/env bash
# server-stub's tests, as CI runs them: installs what is missing, then runs every test file once, and the black-box
# merchant suite once more with the merchant on workerd + D1 (the first run has it on Node + SQLite).
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
# wrangler and Miniflare offline: no metrics, no Request.cf download, no error reports.
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_ERROR_REPORTS=false
# The Worker's bundle, built once here rather than inside the first test that starts it.
node scripts/build-worker.mjs >/dev/null
node --test --test-concurrency=1 test/*.test.js
MERCHANT_RUNTIME=workerd node --test --test-concurrency=1 test/blackbox.test.js
