#!/usr/bin/env bash
# Every test of the project, from a fresh machine: the README's test command, and what CI runs.
# Each stage sets up what it needs; a second run skips what is already in place.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
started=$SECONDS
stage() { printf '\n=== %s (%ss)\n' "$1" "$((SECONDS - started))"; }

stage "package build (Rust toolchain, wasm, bindgen, bundles)"
bash pkg/build.sh
stage "test tools (Chromium, runtimes; server-stub, whose simulator the client suite and README snippets talk to)"
bash tests/setup.sh
if [ ! -f server-stub/node_modules/.package-lock.json ] || [ server-stub/package-lock.json -nt server-stub/node_modules/.package-lock.json ]; then
  (cd server-stub && npm install --no-audit --no-fund --loglevel=error)
fi

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

stage "JS suite on the packed package: Node 20/22/24, Deno, Bun, workerd, Chromium; host-vs-Rust RSA differential; the client against the simulator"
node tests/js/run.mjs

stage "types: the .d.ts against a consumer, with ESM and CJS resolution"
tests/node_modules/.bin/tsc -p tests/types/tsconfig.json

stage "packages as published: npm pack (publint, attw) and cargo package (its tests from the .crate), from a clean copy"
bash tests/packages.sh

stage "README snippets, executed against the packed package"
node tests/js/readme.mjs

stage "server-stub: merchant backend and WeChat Pay simulator, on SQLite and real HTTP"
bash server-stub/test.sh

stage "demo-taro: weapp compile and harness, H5 end to end in Chromium (v3 and v2), the main command"
bash demo-taro/test.sh

printf '\nall tests passed in %ss\n' "$((SECONDS - started))"
