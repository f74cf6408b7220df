#!/usr/bin/env bash
# Runs a step that can stay quiet for minutes (cargo --quiet, npm compiling better-sqlite3, a Taro build) and says
# every 20 s that it is still at work, so nobody has to guess whether it hangs.
# Usage: scripts/heartbeat.sh "<what is happening>" command [args…]   (exits with the command's status)
set -uo pipefail
what=$1
shift
start=$SECONDS
# The ticker runs in the background and the step in the foreground, so Ctrl-C reaches the step as usual.
(
  next=20
  while sleep 1; do
    elapsed=$((SECONDS - start))
    if [ "$elapsed" -ge "$next" ]; then
      echo "   … still ${what} (${elapsed} s)"
      next=$((next + 20))
    fi
  done
) &
ticker=$!
trap 'kill "$ticker" 2>/dev/null' EXIT
"$@"
