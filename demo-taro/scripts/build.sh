#!/usr/bin/env bash
# Builds one target (production mode, URLs from .env.production) unless its output is newer than every input.
# Usage: scripts/build.sh weapp|h5
set -euo pipefail
cd "$(dirname "$0")/.."
type=${1:-}
case "$type" in
  weapp) out=dist; marker=dist/app.json ;;
  h5) out=dist-h5; marker=dist-h5/index.html ;;
  *) echo "usage: $0 weapp|h5" >&2; exit 2 ;;
esac
stamp=node_modules/.cache/demo-taro/$type.stamp
if [ -f "$stamp" ] && [ -f "$marker" ] &&
   [ -z "$(find src config types babel.config.js project.config.json package-lock.json .env* -newer "$stamp" -print -quit)" ]; then
  echo "$type: $out/ is up to date"
  exit 0
fi
rm -f "$stamp"
# --no-check: Taro's config check would fetch a schema from the internet.
bash scripts/heartbeat.sh "building $out/" npx taro build --type "$type" --no-check
# taro build can exit 0 after a failure: trust the output, not the exit code.
[ -f "$marker" ] || { echo "taro build --type $type produced no $marker" >&2; exit 1; }
mkdir -p "$(dirname "$stamp")"
touch "$stamp"
