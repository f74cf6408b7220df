// The one place that knows how to start and stop the project's server-stub: start.sh (scripts/run-demo.mjs)
// and the e2e tests use it. SERVER_STUB_MAIN may point elsewhere (e.g. a checkout of server-stub in another folder).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const MAIN = process.env.SERVER_STUB_MAIN || path.join(REPO, 'server-stub/src/main.js')

// Fixed: the builds have these URLs baked in through .env.*.
export const MERCHANT_PORT = 8787
export const SIM_PORT = 8788
export const MERCHANT = `http://127.0.0.1:${MERCHANT_PORT}`
export const SIM = `http://127.0.0.1:${SIM_PORT}`

/** Whether something accepts connections on 127.0.0.1:port. */
export const listening = (port) => new Promise((resolve) => {
  const s = net.connect(port, '127.0.0.1')
  s.once('connect', () => { s.destroy(); resolve(true) })
  s.once('error', () => resolve(false))
})

/**
 * Starts `node server-stub/src/main.js` with `env` over this process's environment: the tests pass e.g.
 * `{MERCHANT_API: 'v2', DB_PATH: ':memory:'}`, or `{ROLE: 'wechat'}` for the simulator alone. Output goes to
 * `logFile` (appended), else to this process's stdout. Resolves once the ports of its role accept connections.
 */
export async function startServerStub({ env = {}, logFile } = {}) {
  if (!fs.existsSync(MAIN)) throw new Error(`server-stub not found at ${MAIN}`)
  const fullEnv = { ...process.env, ...env, MERCHANT_PORT: String(MERCHANT_PORT), SIM_PORT: String(SIM_PORT) }
  const role = fullEnv.ROLE || 'all'
  const ports = [role !== 'wechat' && MERCHANT_PORT, role !== 'merchant' && SIM_PORT].filter(Boolean)
  for (const port of ports) {
    if (await listening(port)) throw new Error(`port ${port} is already in use: stop whatever listens there first`)
  }
  let out = 'inherit'
  if (logFile) {
    fs.mkdirSync(path.dirname(logFile), { recursive: true })
    out = fs.openSync(logFile, 'a')
  }
  const child = spawn(process.execPath, [MAIN], { cwd: REPO, env: fullEnv, stdio: ['ignore', out, out] })
  if (logFile) fs.closeSync(out)
  let exited = null
  child.once('exit', (code, signal) => { exited = signal || `code ${code}` })
  // Never leave a server-stub behind on the fixed ports, even if the caller dies.
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  for (let waited = 0; !(await Promise.all(ports.map(listening))).every(Boolean); waited += 100) {
    if (exited || waited > 15000) {
      child.kill('SIGKILL')
      const log = logFile ? `:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}` : ''
      throw new Error(`server-stub did not come up (${exited || 'timeout'})${log}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    /** SIGTERM (server-stub finishes in-flight deliveries), SIGKILL if it is still there after 3 s. */
    async stop() {
      process.off('exit', killOnExit)
      if (exited) return
      const gone = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
      await gone
      clearTimeout(timer)
    }
  }
}
