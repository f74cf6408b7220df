#!/usr/bin/env bash
# Everything the demo is checked by: installs what is missing, builds weapp + H5, then runs tsc, the wcc/wcsc
# compile, the no-simulator-in-weapp check, the weapp Node harness and the H5 e2e in headless Chromium (each for a
# v3 and a v2 merchant, against the real server-stub; the H5 e2e also with the merchant on workerd + D1), the
# supervisor of the running demo (on both runtimes), and start.sh from a fresh copy of the repository.
# Ports 8787/8788/8790 must be free. Exits non-zero on any failure; see README.md for what each step checks.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)   # CJK text in screenshots
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
[ -f ../pkg/dist/node.mjs ] || bash ../pkg/build.sh    # server-stub runs on the built package
bash scripts/install.sh ../server-stub
bash scripts/install.sh . --ignore-scripts
# The same builds start.sh serves: what is tested is what the demo runs.
bash scripts/build.sh weapp
bash scripts/build.sh h5

passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Runs one step, shows its output and adds its closing "N passed, N failed" to the totals.
step() {
  local name=$1 start=$SECONDS rc=0 p=0 f=0
  shift
  echo "== $name"
  "$@" 2>&1 | tee "$log" || rc=$?
  local counts
  counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1 || true)
  if [ -n "$counts" ]; then
    p=${counts%% passed*}
    f=${counts##*, }
    f=${f%% failed}
  elif [ $rc -eq 0 ]; then
    p=1   # a step without a summary (tsc) counts as one check
  fi
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1
    echo "!! $name exited with $rc"
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  echo "   ($name: $((SECONDS - start)) s)"
}
step typecheck npx tsc --noEmit -p .
step weapp-compile node e2e/weapp-compile.mjs dist
step no-sim-in-weapp node e2e/no-sim-in-weapp.mjs
for api in v3 v2; do
  step "weapp-harness-$api" node e2e/weapp-harness.mjs "$api"
  step "h5-e2e-$api" node e2e/h5.e2e.mjs "$api"
done
step demo-robust node e2e/demo-robust.mjs
# The merchant as a Worker on workerd + D1 (server-stub's MERCHANT_RUNTIME=workerd): the same page, the same demo.
step h5-e2e-v3-workerd env MERCHANT_RUNTIME=workerd node e2e/h5.e2e.mjs v3
step demo-robust-workerd env MERCHANT_RUNTIME=workerd node e2e/demo-robust.mjs
# Last and slowest (cold on purpose, see README.md for its time): start.sh in a fresh copy of the repository.
step start-from-clean-checkout node e2e/start-from-clean-checkout.mjs
echo "demo-taro: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
