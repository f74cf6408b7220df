// Starts src/main.js as real processes on free loopback ports, for the tests over HTTP.
import { spawn } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/main.js')

export const freePort = () => new Promise((resolve, reject) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address()
    s.close(() => resolve(port))
  })
  s.on('error', reject)
})

/** Spawns main.js with `env`; resolves once every role it runs is listening. */
export function startStub(env) {
  const child = spawn(process.execPath, [MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const expected = env.ROLE === 'all' || !env.ROLE ? 2 : 1
  return new Promise((resolve, reject) => {
    const onData = (d) => {
      output += d
      if ((output.match(/ listening on /g) || []).length === expected) resolve(handle)
    }
    const handle = {
      output: () => output,
      exitCode: () => child.exitCode,
      stop: () => new Promise((r) => {
        if (child.exitCode !== null) return r()
        child.once('exit', r)
        child.kill('SIGTERM')
      }),
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => reject(new Error(`main.js exited (${code}) before listening:\n${output}`)))
  })
}
