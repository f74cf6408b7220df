#!/usr/bin/env bash
# The demo in one command, from a fresh checkout: builds the package, installs what is missing, builds the
# mini program (dist/) and the H5 app (dist-h5/), then runs server-stub (merchant on 8787, WeChat simulator on
# 8788, SQLite in server-stub/data/) and serves H5 on 8790 until Ctrl-C or SIGTERM, which stop all of it.
# Every step skips what is up to date, so a second start takes seconds. MERCHANT_API=v2 runs a v2 merchant.
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

bash ../pkg/build.sh                          # server-stub signs and verifies with the built package
bash scripts/install.sh ../server-stub        # compiles better-sqlite3 on the first run (about 75 s)
bash scripts/install.sh . --ignore-scripts
bash scripts/build.sh weapp
bash scripts/build.sh h5
exec node scripts/run-demo.mjs
