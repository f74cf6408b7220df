#!/usr/bin/env bash
# The demo in one command, from a fresh checkout: builds the package, installs what is missing, builds the
# mini program (dist/) and the H5 app (dist-h5/), then runs server-stub (merchant on 8787, WeChat simulator on
# 8788, SQLite in server-stub/data/) and serves H5 on 8790 until Ctrl-C or SIGTERM, which stop all of it.
# Every step skips what is up to date, so a second start takes seconds. MERCHANT_API=v2 runs a v2 merchant;
# MERCHANT_RUNTIME=workerd runs the merchant on workerd + D1. Times: see README.md.
set -euo pipefail
cd "$(dirname "$0")"
# A SIGTERM during set-up ends the script once the step in progress is done: nothing is left running.
trap 'exit 143' TERM

# The ports are fixed (the builds have the URLs baked in): fail now rather than after minutes of building.
for port in 8787 8788 8790; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use (another start.sh or test.sh?): stop it and start again" >&2
    exit 1
  fi
done

# One set-up step: says what it does and how long it took (the long ones also print a line every 20 s).
n=0
step() {
  local what=$1 start=$SECONDS
  shift
  n=$((n + 1))
  echo "== [$n/5] $what"
  "$@"
  echo "   ($((SECONDS - start)) s)"
}
step 'the wechatpay-wasm package: Rust → wasm (first time: a cargo build)' \
  bash scripts/heartbeat.sh 'building the package' bash ../pkg/build.sh   # server-stub signs and verifies with it
step 'server-stub dependencies (first time: npm compiles better-sqlite3 from source)' bash scripts/install.sh ../server-stub
step 'demo-taro dependencies (first time: Taro, about 800 packages)' bash scripts/install.sh . --ignore-scripts
step 'the mini program for WeChat DevTools (dist/)' bash scripts/build.sh weapp
step 'the H5 app (dist-h5/)' bash scripts/build.sh h5
exec node scripts/run-demo.mjs
