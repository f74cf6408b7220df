#!/usr/bin/env bash
# Installs node_modules when package.json or the lockfile changed since the last install.
# Never `npm ci`: Taro 4.2.0's lockfile names optional platform bindings that the registry does not have.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.package-lock.json   # written by npm at the end of every install
if [ ! -f "$stamp" ] || [ package.json -nt "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  npm install --ignore-scripts --no-audit --no-fund
fi
