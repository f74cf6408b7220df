// Starting, watching and stopping the demo's servers as child processes: server-stub (merchant backend + WeChat
// simulator) and the H5 server (scripts/serve-h5.mjs). start.sh's supervisor (scripts/run-demo.mjs) and the e2e
// tests use these. SERVER_STUB_MAIN may point elsewhere (e.g. a checkout of server-stub in another folder).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const REPO = path.resolve(HERE, '../..')
const STUB_MAIN = process.env.SERVER_STUB_MAIN || path.join(REPO, 'server-stub/src/main.js')

// Fixed: the builds have these URLs baked in through .env.*.
export const MERCHANT_PORT = 8787
export const SIM_PORT = 8788
export const H5_PORT = 8790
export const MERCHANT = `http://127.0.0.1:${MERCHANT_PORT}`
export const SIM = `http://127.0.0.1:${SIM_PORT}`
export const APP = `http://127.0.0.1:${H5_PORT}/`

/** Whether something accepts connections on 127.0.0.1:port. */
export const listening = (port) => new Promise((resolve) => {
  const s = net.connect(port, '127.0.0.1')
  s.once('connect', () => { s.destroy(); resolve(true) })
  s.once('error', () => resolve(false))
})

/**
 * Runs `node file ...args` with `env` over this process's environment and resolves once every port in `ports`
 * accepts connections. Output goes to `logFile` (appended), else to this process's stdout and stderr.
 * The handle: `pid`; `exited`, a promise of how the process ended ('code 1', 'SIGKILL'); `stop()`, which sends
 * SIGTERM and SIGKILL after 3 s.
 */
async function startNodeServer(name, file, { args = [], env = {}, ports, logFile }) {
  if (!fs.existsSync(file)) throw new Error(`${name} not found at ${file}`)
  // A server that just ended may leave a child a moment longer on its port (server-stub's workerd dies with its
  // parent, but not in the same instant): wait for the ports a little before calling them taken.
  for (let waited = 0; ; waited += 100) {
    const busy = []
    for (const port of ports) if (await listening(port)) busy.push(port)
    if (!busy.length) break
    if (waited >= 10000) throw new Error(`port ${busy.join(' and ')} is already in use: stop whatever listens there first`)
    await new Promise((r) => setTimeout(r, 100))
  }
  let out = 'inherit'
  if (logFile) {
    fs.mkdirSync(path.dirname(logFile), { recursive: true })
    out = fs.openSync(logFile, 'a')
  }
  const child = spawn(process.execPath, [file, ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', out, out] })
  if (logFile) fs.closeSync(out)
  let how = null
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(how = signal || `code ${code}`)))
  // Never leave a server behind on the fixed ports, even if the caller dies.
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  exited.then(() => process.off('exit', killOnExit))
  // workerd (MERCHANT_RUNTIME=workerd) takes seconds to start, many more on a busy machine: a minute before giving up
  const deadline = Date.now() + 60000
  while (!(await Promise.all(ports.map(listening))).every(Boolean)) {
    if (how || Date.now() > deadline) {
      child.kill('SIGKILL')
      const log = logFile ? `:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}` : ''
      throw new Error(`${name} did not come up (${how || 'nothing listening after 60 s'})${log}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    pid: child.pid,
    exited,
    async stop() {
      if (how) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
      await exited
      clearTimeout(timer)
    }
  }
}

/**
 * server-stub with `env` over this process's environment: the tests pass e.g. `{MERCHANT_API: 'v2', DB_PATH:
 * ':memory:'}`, or `{ROLE: 'wechat'}` for the simulator alone. Ready once the ports of its role accept connections.
 * stop() lets it finish in-flight notification deliveries (SIGTERM).
 */
export function startServerStub({ env = {}, logFile } = {}) {
  const role = { ...process.env, ...env }.ROLE || 'all'
  const ports = [role !== 'wechat' && MERCHANT_PORT, role !== 'merchant' && SIM_PORT].filter(Boolean)
  return startNodeServer('server-stub', STUB_MAIN, {
    env: { ...env, MERCHANT_PORT: String(MERCHANT_PORT), SIM_PORT: String(SIM_PORT) }, ports, logFile
  })
}

/** The H5 server (scripts/serve-h5.mjs) for demo-taro/dist-h5 on H5_PORT. */
export function startH5Server({ logFile } = {}) {
  return startNodeServer('the H5 server', path.join(HERE, 'serve-h5.mjs'), {
    args: [path.join(HERE, '../dist-h5'), String(H5_PORT)], ports: [H5_PORT], logFile
  })
}
