// The one place that knows how to start the project's server-stub for the e2e tests.
// SERVER_STUB_MAIN may point elsewhere (e.g. a checkout of server-stub in another folder).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const REPO = path.resolve(here, '../..')
const MAIN = process.env.SERVER_STUB_MAIN || path.join(REPO, 'server-stub/src/main.js')

// Fixed by the contract and baked into the builds through .env.*.
export const MERCHANT_PORT = 8787
export const SIM_PORT = 8788
export const MERCHANT = `http://127.0.0.1:${MERCHANT_PORT}`
export const SIM = `http://127.0.0.1:${SIM_PORT}`

const listening = (port) => new Promise((resolve) => {
  const s = net.connect(port, '127.0.0.1')
  s.once('connect', () => { s.destroy(); resolve(true) })
  s.once('error', () => resolve(false))
})

/**
 * Starts `node server-stub/src/main.js` (merchant on 8787, simulator on 8788, in-memory DB); `merchantApi: 'v2'`
 * configures a v2 merchant. Output goes to `logFile`. Resolves once both ports accept connections.
 */
export async function startServerStub({ merchantApi, logFile }) {
  if (!fs.existsSync(MAIN)) throw new Error(`server-stub not found at ${MAIN}`)
  for (const port of [MERCHANT_PORT, SIM_PORT]) {
    if (await listening(port)) throw new Error(`port ${port} is already in use: stop whatever listens there first`)
  }
  fs.mkdirSync(path.dirname(logFile), { recursive: true })
  const log = fs.openSync(logFile, 'w')
  const env = { ...process.env, MERCHANT_PORT: String(MERCHANT_PORT), SIM_PORT: String(SIM_PORT), DB_PATH: ':memory:' }
  if (merchantApi) env.MERCHANT_API = merchantApi
  const child = spawn(process.execPath, [MAIN], { cwd: REPO, env, stdio: ['ignore', log, log] })
  let exited = null
  child.once('exit', (code, signal) => { exited = signal || `code ${code}` })
  // Never leave a server-stub behind on the fixed ports, even if the test itself dies.
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  for (let waited = 0; !(await listening(MERCHANT_PORT) && await listening(SIM_PORT)); waited += 100) {
    if (exited || waited > 15000) {
      child.kill('SIGKILL')
      throw new Error(`server-stub did not come up (${exited || 'timeout'}):\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    async stop() {
      if (exited) return
      const gone = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
      await gone
      clearTimeout(timer)
      process.off('exit', killOnExit)
    }
  }
}
