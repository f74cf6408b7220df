#!/bin/sh
# workerd that dies with the process that started it, even one killed by SIGKILL (Linux's parent-death signal):
# src/workerd.js has Miniflare start workerd through this, so no workerd outlives `node src/main.js` on its port.
exec setpriv --pdeathsig KILL -- "$SERVER_STUB_WORKERD" "$@"
