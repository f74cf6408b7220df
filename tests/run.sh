#!/usr/bin/env bash
# Every test of the project, from a fresh machine: the README's test command, and what CI runs.
# Each stage sets up what it needs; a second run skips what is already in place.
#
# Stages that do not depend on each other run side by side, in lanes, each lane's output in tests/.logs/<lane>.log
# (printed whole when the lane fails): first the set-up (the wasm toolchain and build, the test runtimes and
# Chromium, the two npm installs), then the checks (Rust; the JS suite on every runtime; server-stub; demo-taro,
# the only lane that uses the demo's fixed ports 8787/8788/8790). `bash tests/run.sh <lane> …` runs only those
# lanes of the second phase, one after the other.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# wrangler and Miniflare offline: no metrics, no Request.cf download, no error reports
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_ERROR_REPORTS=false
started=$SECONDS
logs=tests/.logs
rm -rf "$logs" && mkdir -p "$logs"
stage() { printf '\n=== %s (%ss)\n' "$1" "$((SECONDS - started))"; }

lane_rust() {
  stage "Rust: format, lints (native and wasm32), unit, vector and doc tests, docs as docs.rs builds them"
  cargo fmt --check
  # with the pure-Rust RSA (what the tests run), and as a user gets the crate by default
  cargo clippy --quiet --all-targets --features rsa -- -D warnings
  cargo clippy --quiet --all-targets -- -D warnings
  # the wasm as shipped (v3), the v2-only build, and the crate as another wasm32 project gets it (no binding layer)
  cargo clippy --quiet --target wasm32-unknown-unknown --lib --no-default-features --features wasm,v3 -- -D warnings
  cargo clippy --quiet --target wasm32-unknown-unknown --lib --no-default-features --features wasm -- -D warnings
  cargo clippy --quiet --target wasm32-unknown-unknown --lib -- -D warnings
  # every test, the vectors' RSA cases and the README's examples included (they need `rsa`)
  cargo test --quiet --features rsa
  # docs.rs's build (Cargo.toml's [package.metadata.docs.rs]): nightly there, so `doc_cfg` is allowed here
  RUSTC_BOOTSTRAP=1 RUSTDOCFLAGS="--cfg docsrs -D warnings" cargo doc --quiet --no-deps --all-features

  stage "derived vectors: Python+openssl against node:crypto"
  python3 tests/vectors/derive.py | node tests/vectors/derive-check.mjs >/dev/null

  stage "packages as published: npm pack (publint, attw) and cargo package (its tests from the .crate), from a clean copy"
  bash tests/packages.sh
}

lane_js() {
  stage "JS suite on the packed package: Node 20/22/24, Deno, Bun, workerd, Chromium; host-vs-Rust RSA differential; the client against the simulator"
  node tests/js/run.mjs

  stage "types: the .d.ts against a consumer, with ESM and CJS resolution"
  tests/node_modules/.bin/tsc -p tests/types/tsconfig.json

  stage "README snippets, executed against the packed package"
  node tests/js/readme.mjs
}

lane_server_stub() {
  stage "server-stub: merchant backend and WeChat Pay simulator, on Node + SQLite and workerd + D1, over real HTTP"
  bash server-stub/test.sh
}

lane_demo() {
  stage "demo-taro: weapp compile and harness, H5 end to end in Chromium (Node and workerd merchants), the main command"
  bash demo-taro/test.sh
}

# Runs each named function in the background with its output in its log; waits for all; a failed lane's log is
# printed whole, the others' as their stage lines and last line.
pids=()
names=()
run_lanes() {
  pids=()
  names=()
  for lane in "$@"; do
    (set -e; "lane_$lane"; echo "ended at $((SECONDS - started))s") >"$logs/$lane.log" 2>&1 &
    pids+=($!)
    names+=("$lane")
  done
  local failed=0 i
  for i in "${!pids[@]}"; do
    if wait "${pids[$i]}"; then
      printf 'ok   %-18s %s\n' "${names[$i]}" "$(tail -n 1 "$logs/${names[$i]}.log")"
    else
      failed=1
      printf '\nFAIL %s (%ss): its log, %s:\n' "${names[$i]}" "$((SECONDS - started))" "$logs/${names[$i]}.log"
      cat "$logs/${names[$i]}.log"
    fi
  done
  return $failed
}
# Ctrl-C or a failure elsewhere: stop every lane still running, with what it started.
trap 'for p in "${pids[@]}"; do pkill -TERM -P "$p" 2>/dev/null; kill "$p" 2>/dev/null; done' INT TERM

lane_setup_package() { bash pkg/build.sh; }
lane_setup_tools() { bash tests/setup.sh; }
lane_setup_server_stub() { bash demo-taro/scripts/install.sh ../server-stub; }
lane_setup_demo() { bash demo-taro/scripts/install.sh . --ignore-scripts; }

if [ $# -gt 0 ]; then
  for lane in "$@"; do "lane_$lane"; done
  exit 0
fi

stage "set-up, side by side: the wasm package (Rust toolchain, wasm-bindgen, bundles), Chromium and the test runtimes, server-stub's and demo-taro's npm installs"
run_lanes setup_package setup_tools setup_server_stub setup_demo
stage "checks, side by side: Rust, the JS suite, server-stub, demo-taro (logs in $logs/)"
run_lanes rust js server_stub demo
for name in rust js server_stub demo; do
  printf '\n--- %s\n' "$name"
  # each stage with its start time, and the counts the test tools print
  grep -E '^=== |^(ok|FAIL) +[a-z0-9_-]+ +[0-9]+ passed|^# (pass|fail) |^[a-z0-9-]+: [0-9]+ passed|^test result:' "$logs/$name.log" || true
done
printf '\nall tests passed in %ss\n' "$((SECONDS - started))"
