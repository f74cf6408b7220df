// The running half of start.sh: server-stub (merchant + WeChat simulator, SQLite under server-stub/data/ unless
// DB_PATH says otherwise) and the H5 app, until SIGINT (Ctrl-C) or SIGTERM, which stop both and free the ports.
// server-stub's knobs pass through the environment (MERCHANT_API=v2 for a v2 merchant). Run after both builds.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { H5_PORT, serveStatic } from './serve-static.mjs'
import { MERCHANT, SIM, startServerStub } from './server-stub.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
let stub = null
let web = null

// Installed before anything starts: a signal during start-up stops what is already up (and server-stub's own
// exit hook kills a half-started one).
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    console.log(`\n${signal}: stopping server-stub and the H5 server`)
    await Promise.all([stub?.stop(), web?.stop()])
    process.exit(0)
  })
}

try {
  stub = await startServerStub()
  web = await serveStatic(path.join(root, 'dist-h5'), H5_PORT)
} catch (e) {
  console.error(`demo-taro: ${e.message}`)
  await stub?.stop()
  process.exit(1)
}
console.log(`
demo-taro is running (Ctrl-C stops everything):
  H5 app, with a simulated WeChat cashier   http://127.0.0.1:${H5_PORT}/
  merchant backend (server-stub)            ${MERCHANT}
  WeChat Pay simulator                      ${SIM}
  WeChat DevTools: import the folder        ${path.join(root, 'dist')}
    (appid touristappid, urlCheck off so 127.0.0.1 is allowed; the tourist appid cannot really pay)
`)
