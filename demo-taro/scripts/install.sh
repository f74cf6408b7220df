#!/usr/bin/env bash
# Installs a package folder's node_modules when package.json or the lockfile changed since the last install.
# Usage: scripts/install.sh <folder> [npm install flags]
#   demo-taro:   scripts/install.sh . --ignore-scripts   (never `npm ci`: Taro 4.2.0's lockfile names optional
#                platform bindings the registry does not have; no install script is needed, see README.md)
#   server-stub: scripts/install.sh ../server-stub     (runs better-sqlite3's install: a compile from source)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1
heartbeat=$PWD/scripts/heartbeat.sh
shift
stamp=$dir/node_modules/.package-lock.json   # written by npm at the end of every install
if [ ! -f "$stamp" ] || [ "$dir/package.json" -nt "$stamp" ] || [ "$dir/package-lock.json" -nt "$stamp" ]; then
  name=$(basename "$(cd "$dir" && pwd)")
  echo "npm install in $name"
  # npm prints nothing until it is done, e.g. while better-sqlite3 compiles.
  (cd "$dir" && bash "$heartbeat" "installing $name" npm install --no-audit --no-fund --loglevel=error "$@")
fi
