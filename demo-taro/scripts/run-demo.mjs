// The running half of start.sh, a small supervisor: server-stub (merchant + WeChat simulator, SQLite under
// server-stub/data/ unless DB_PATH says otherwise; its WeChat DevTools login mode on) and the H5 server, each its
// own process, until SIGINT (Ctrl-C) or SIGTERM, which stop both and free the ports. server-stub's knobs pass
// through the environment (MERCHANT_API=v2, MERCHANT_RUNTIME=workerd). Run after both builds.
//
// One part failing never takes the other down silently: a part that exits on its own is reported and restarted
// (its state is in SQLite, so nothing is lost). A part that fails again within STABLE_MS of each of MAX_RESTARTS
// restarts, or cannot be started again, stops the whole demo with a message saying which part and why (exit 1).
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { APP, MERCHANT, SIM, startH5Server, startServerStub } from './servers.mjs'

const MAX_RESTARTS = 3
const STABLE_MS = 60_000
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const say = (line) => console.log(`demo-taro: ${line}`)

const parts = {
  // The simulator's WeChat DevTools login mode (off by default, on for the demo only): a login code DevTools made
  // is taken as the simulated user `devtools`, so the mini program can log in there.
  'server-stub': { start: () => startServerStub({ env: { SIM_DEVTOOLS_LOGIN: '1' } }), handle: null, upSince: 0, failures: 0 },
  'the H5 server': { start: () => startH5Server(), handle: null, upSince: 0, failures: 0 }
}
let stopping = false

async function stopAll(code, why) {
  if (stopping) return
  stopping = true
  if (why) say(why)
  await Promise.all(Object.values(parts).map((p) => p.handle?.stop()))
  process.exit(code)
}

/** Starts a part and watches it: an exit nobody asked for is reported, then restarted or the end of the demo. */
async function run(name) {
  const part = parts[name]
  part.handle = await part.start()
  part.upSince = Date.now()
  const handle = part.handle
  console.log(`${name} is up (pid ${handle.pid})`)
  handle.exited.then(async (how) => {
    if (stopping || part.handle !== handle) return
    // Failures count in a row while the part never stays up STABLE_MS; a part that ran well for a while starts over.
    part.failures = Date.now() - part.upSince < STABLE_MS ? part.failures + 1 : 1
    if (part.failures > MAX_RESTARTS) {
      return stopAll(1, `${name} stopped unexpectedly (${how}) again: ${MAX_RESTARTS} restarts in a row did not ` +
        'keep it up, so the demo stops. Its last output is above.')
    }
    say(`${name} stopped unexpectedly (${how}); restarting it (restart ${part.failures} of at most ${MAX_RESTARTS} in a row)`)
    try {
      await run(name)
    } catch (e) {
      await stopAll(1, `${name} could not be restarted, so the demo stops: ${e.message}`)
    }
  })
}

// Installed before anything starts: a signal during start-up stops what is already up (and each child's own
// exit hook kills a half-started one).
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.log('')
    stopAll(0, `${signal}: stopping server-stub and the H5 server`)
  })
}
// The supervisor itself failing is the one thing that cannot be restarted: say so and take the parts along.
process.on('uncaughtException', (e) => stopAll(1, `the supervisor failed, so the demo stops: ${e.stack || e}`))

try {
  await run('server-stub')
  await run('the H5 server')
} catch (e) {
  await stopAll(1, `could not start: ${e.message}`)
}
console.log(`
demo-taro is running (Ctrl-C stops everything):
  H5 app, with a simulated WeChat cashier   ${APP}
  merchant backend (server-stub)            ${MERCHANT}
  WeChat Pay simulator                      ${SIM}
  WeChat DevTools: import the folder        ${root}
    (appid touristappid: it logs in, but cannot pay; pay its orders on the simulator's cashier page
     ${SIM}/sim/cashier  with the params 复制支付参数 copies, then tap 查询支付结果. See demo-taro/README.md)
`)
