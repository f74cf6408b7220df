#!/usr/bin/env bash
# Builds the demo for weapp and H5, then serves the H5 app on 127.0.0.1:8790 until Ctrl-C.
# It does not start server-stub: start that first (merchant on 8787, WeChat simulator on 8788),
# as the project's main command does. H5_PORT changes the port.
set -euo pipefail
cd "$(dirname "$0")"
port=${H5_PORT:-8790}

bash scripts/install.sh
bash scripts/build.sh weapp
bash scripts/build.sh h5

for p in 8787 8788; do
  (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || echo "note: nothing answers on 127.0.0.1:$p yet; start server-stub before paying"
done
cat <<EOT

WeChat DevTools: import the folder $PWD/dist  (appid touristappid; urlCheck is off so 127.0.0.1 is allowed)
H5 (simulated WeChat cashier): http://127.0.0.1:$port/   (Ctrl-C stops it)
EOT
exec node scripts/serve-static.mjs dist-h5 "$port"
