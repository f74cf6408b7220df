#!/usr/bin/env bash
# Builds one target unless its output is newer than every input. Usage: scripts/build.sh weapp|h5 [mode]
# mode picks .env.<mode> (production by default; the tests use test).
set -euo pipefail
cd "$(dirname "$0")/.."
type=$1
mode=${2:-production}
case "$type" in
  weapp) out=dist; marker=dist/app.json ;;
  h5) out=dist-h5; marker=dist-h5/index.html ;;
  *) echo "usage: $0 weapp|h5 [mode]" >&2; exit 2 ;;
esac
stamps=node_modules/.cache/demo-taro
stamp=$stamps/$type.$mode.stamp
if [ -f "$stamp" ] && [ -f "$marker" ] &&
   [ -z "$(find src config types babel.config.js project.config.json package-lock.json .env* -newer "$stamp" -print -quit)" ]; then
  echo "$type ($mode): $out/ is up to date"
  exit 0
fi
rm -f "$stamps/$type".*.stamp
# --no-check: Taro's config check would fetch a schema from the internet.
npx taro build --type "$type" --mode "$mode" --no-check
# taro build can exit 0 after a failure: trust the output, not the exit code.
[ -f "$marker" ] || { echo "taro build --type $type produced no $marker" >&2; exit 1; }
mkdir -p "$stamps"
touch "$stamp"
