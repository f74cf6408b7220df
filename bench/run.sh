#!/usr/bin/env bash
# Every benchmark, printed as the markdown BENCHMARKS.md holds. Not a test: nothing here asserts a time.
# Run it on a quiet machine; the ratios (cases in one process, taking turns) are what to compare.
set -euo pipefail
cd "$(dirname "$0")"
bash ../pkg/build.sh >/dev/null
rm -rf node_modules/wechatpay-wasm # the fresh build, not a stale copy
npm install --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
# client-order.mjs serves server-stub's simulator in its own process
[ -f ../server-stub/node_modules/.package-lock.json ] || (cd ../server-stub && npm install --no-audit --no-fund --loglevel=error >/dev/null)
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(uname -sr)"
for b in v2-sign.mjs v3-node.mjs workerd-rsa.mjs cold-start.mjs client-order.mjs; do echo; node "$b"; done
echo
for runtime in node workerd; do
  for api in v3 v2; do (cd .. && node bench/server-load.mjs --api "$api" --runtime "$runtime"); done
done
