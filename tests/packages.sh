#!/usr/bin/env bash
# The two packages as they would be published, built from a clean copy of the repository (the files git tracks
# or would track: no target/, node_modules/, dist/ or other build output):
# - npm: `npm pack` builds dist/ itself (prepack), and the tarball passes publint and attw (are the types wrong);
#   the README inside it shows only code the repository's README runs;
# - crates.io: `cargo package` holds what the crate needs and nothing else, and the crate's tests pass when run
#   from the package; default features pull no wasm-bindgen, js-sys or getrandom into a user's tree.
# Needs what pkg/build.sh and tests/setup.sh install. Usage: bash tests/packages.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$HOME/.cargo/bin:$PATH"
bin=$root/tests/node_modules/.bin
fail() { printf 'FAIL %s\n' "$*" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/wechatpay-packages.XXXXXX")
trap 'rm -rf "$work"' EXIT
# (files deleted but not yet committed are left out)
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do [ ! -e "$f" ] || printf '%s\0' "$f"; done |
  tar --null -T - -cf - | tar -xf - -C "$work" --one-top-level=clean --touch
clean=$work/clean
# compiled dependencies are shared with the checkout's target/; the copies' files are all new (--touch), so this
# crate itself is always rebuilt (a test binary kept from an earlier copy would read that copy's vector files)
export CARGO_TARGET_DIR=$root/target

echo "--- npm: pack from the clean copy (prepack builds dist/)"
(cd "$clean/pkg" && npm pack --silent --pack-destination "$work" >/dev/null)
tarball=$(ls "$work"/wechatpay-wasm-*.tgz)
tar -tzf "$tarball" | sort > "$work/npm-files"
cat "$work/npm-files"
for f in package/package.json package/README.md package/LICENSE; do
  grep -qx "$f" "$work/npm-files" || fail "the npm tarball lacks $f"
done

echo "--- npm: publint"
"$bin/publint" run --strict "$tarball"
echo "--- npm: attw"
# the package's own types only: nothing is looked up on the registry
"$bin/attw" --no-definitely-typed --no-color --format table-flipped "$tarball"

echo "--- npm: the README's code is code the repository's README runs"
node --input-type=module - "$root/pkg/README.md" "$root/README.md" <<'EOF'
import { readFileSync } from 'node:fs'
// blocks of ```js without their `// comments` (which may be reworded for npm readers)
const blocks = (file) => [...readFileSync(file, 'utf8').matchAll(/```js\n([\s\S]*?)```/g)]
  .map((m) => m[1].split('\n').filter((l) => !/^\s*\/\/ /.test(l)).map((l) => l.replace(/\s+\/\/ .*$/, '')).join('\n'))
const [npm, repository] = process.argv.slice(2).map(blocks)
if (!npm.length) throw new Error('pkg/README.md has no js example')
for (const block of npm) {
  if (!repository.includes(block)) throw new Error(`pkg/README.md: not an example of README.md:\n${block}`)
}
EOF

echo "--- crate: cargo package --list"
(cd "$clean" && cargo package --list --quiet) > "$work/crate-files"
cat "$work/crate-files"
for f in LICENSE src/README.md src/lib.rs tests/vectors.rs; do
  grep -qx "$f" "$work/crate-files" || fail "the crate lacks $f"
done
while read -r f; do
  case $f in
    Cargo.toml | Cargo.toml.orig | Cargo.lock | .cargo_vcs_info.json | LICENSE | src/README.md | src/*.rs | tests/vectors.rs) ;;
    tests/vectors/*.json | tests/vectors/*.pem)
      # only vector files a test reads: named, in quotes, by tests/vectors.rs or by a packaged vector file
      grep -qF "\"${f#tests/vectors/}\"" "$clean/tests/vectors.rs" $(sed -n "s#^tests/vectors/.*\.json\$#$clean/&#p" "$work/crate-files") ||
        fail "the crate packages $f, which no test reads"
      ;;
    *) fail "the crate packages $f, which it does not need" ;;
  esac
done < "$work/crate-files"

echo "--- crate: cargo package, then its tests from the unpacked .crate"
(cd "$clean" && cargo package --quiet --allow-dirty)
crate=$(ls "$CARGO_TARGET_DIR"/package/wechatpay-wasm-*.crate)
tar -xzf "$crate" -C "$work" --touch
(cd "$work"/wechatpay-wasm-*/ && cargo test --quiet --features rsa 2>&1 | tee "$work/crate-test" | grep -E '^test result|running')
grep -q '^test result: ok' "$work/crate-test" || fail "the packaged crate's tests"

echo "--- crate: no wasm-only dependency for users (default features, native and wasm32)"
for target in "" "--target wasm32-unknown-unknown"; do
  # shellcheck disable=SC2086
  tree=$(cargo tree --quiet -e normal $target --prefix none)
  ! grep -E '^(wasm-bindgen|js-sys|getrandom) ' <<<"$tree" || fail "default features ${target:-native} pull the above"
done
# the check sees them when they are there: the npm build's features
cargo tree --quiet -e normal --target wasm32-unknown-unknown --no-default-features --features wasm,v3 --prefix none |
  grep -qE '^wasm-bindgen v' || fail "cargo tree does not show wasm-bindgen even with the wasm feature"
echo "packages ok"
