// Executes every README snippet marked `<!-- test: node NAME -->` or `<!-- test: worker NAME -->` against the
// packed package installed in tests/node_modules (tests/js/run.mjs installs it). WeChat's servers cannot be
// reached, so `fetch` to them is answered by ./readme/wechat.mjs, which checks requests as WeChat does; the
// client's snippets talk to server-stub's WeChat simulator instead (started once, by ./client/world.mjs, and
// named by WECHATPAY_BASE_URL). What each snippet must do is in ./readme/checks.mjs.
// Usage: node tests/js/readme.mjs [README path]
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checks } from './readme/checks.mjs'
import { startWorld } from './client/world.mjs'

const tests = join(dirname(fileURLToPath(import.meta.url)), '..')
const readme = process.argv[2] || join(tests, '../README.md')
const work = join(tests, '.work/readme')

/** The marked snippets, in order: {kind, name, code}. */
function snippets(markdown) {
  const found = []
  const re = /<!-- test: (node|worker) ([\w-]+) -->\s*```js\n([\s\S]*?)```/g
  for (let m; (m = re.exec(markdown));) found.push({ kind: m[1], name: m[2], code: m[3] })
  return found
}

const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address()
    s.close(() => resolve(port))
  })
})

async function waitForPort(port) {
  for (let i = 0; i < 200; i++) {
    try {
      return await fetch(`http://127.0.0.1:${port}/`, { method: 'HEAD' })
    } catch {
      await new Promise((r) => setTimeout(r, 50))
    }
  }
}

/** The simulator's world, for the snippets whose check asks for it (`simulator: true`); started once. */
let world = null
const worldOf = async (check) => (check.simulator ? (world ??= await startWorld()) : undefined)
/** A check's value that may depend on the world (and the snippet's folder). */
const valueOf = async (v, w, dir) => (typeof v === 'function' ? v(w, dir) : v)

/** A Node snippet in its own folder, with the WeChat stand-in loaded first; a script, or a server on PORT. */
async function runNode({ name, code }, check) {
  const dir = join(work, name)
  mkdirSync(dir, { recursive: true })
  const w = await worldOf(check)
  for (const [file, text] of Object.entries((await valueOf(check.files, w, dir)) || {})) writeFileSync(join(dir, file), text)
  writeFileSync(join(dir, 'snippet.mjs'), `import '${join(tests, 'js/readme/wechat.mjs')}'\n${code}`)
  const port = check.serve ? await freePort() : undefined
  if (check.before) await check.before(w)
  const child = spawn(process.execPath, ['snippet.mjs'], {
    cwd: dir, env: { ...process.env, ...(await valueOf(check.env, w, dir)), ...(port ? { PORT: String(port) } : {}) },
  })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  const exited = new Promise((resolve) => child.on('close', resolve))
  if (check.serve) {
    await waitForPort(port)
    const problem = await check.serve((init) => fetch(`http://127.0.0.1:${port}/notify`, init), () => out)
    child.kill()
    await exited
    return problem && `${problem}\n${out}`
  }
  const timer = setTimeout(() => child.kill(), 30000)
  const status = await exited
  clearTimeout(timer)
  try {
    return status === 0 && (await check.expect(out, w)) ? null : out.slice(-1500)
  } finally {
    if (check.after) await check.after(w)
  }
}

/** A Worker snippet, bundled as wrangler would and run in miniflare. */
async function runWorker({ name, code }, check) {
  const dir = join(work, name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'snippet.mjs'), code)
  execFileSync(join(tests, 'node_modules/.bin/esbuild'), [join(dir, 'snippet.mjs'), '--bundle', '--format=esm',
    '--platform=neutral', '--conditions=workerd,worker,browser', '--external:*.wasm', `--outfile=${join(dir, 'worker.mjs')}`,
    '--log-level=warning'], { cwd: tests })
  writeFileSync(join(dir, 'wechatpay_wasm_bg.wasm'), readFileSync(join(tests, 'node_modules/wechatpay-wasm/dist/wechatpay_wasm_bg.wasm')))
  const { Miniflare } = await import(join(tests, 'node_modules/miniflare/dist/src/index.js'))
  const w = await worldOf(check)
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(dir, 'worker.mjs'),
    modulesRules: [{ type: 'ESModule', include: ['**/*.mjs'] }, { type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-04-01',
    bindings: await valueOf(check.bindings, w, dir),
    handleRuntimeStdio: (stdout, stderr) => { // the snippets' console.log
      stdout.on('data', (d) => (out += d))
      stderr.on('data', (d) => (out += d))
    },
  })
  let out = ''
  try {
    return await check.drive((init, path = '/notify') => mf.dispatchFetch(`http://localhost${path}`, init), () => out, w)
  } finally {
    await mf.dispose()
  }
}

const found = snippets(readFileSync(readme, 'utf8'))
let failed = 0
for (const s of found) {
  const check = checks[s.name]
  let problem = check ? null : 'no check for this snippet in tests/js/readme/checks.mjs'
  if (check) {
    try {
      problem = await (s.kind === 'node' ? runNode(s, check) : runWorker(s, check))
    } catch (e) {
      problem = String(e.stack || e)
    }
  }
  console.log(`${problem ? 'FAIL' : 'ok  '} readme ${s.kind} ${s.name}${problem ? '\n' + problem : ''}`)
  failed += problem ? 1 : 0
}
for (const name of Object.keys(checks).filter((n) => !found.some((s) => s.name === n))) {
  console.log(`FAIL readme ${name}: the README has no snippet marked with this name`)
  failed++
}
await world?.stop()
process.exit(failed ? 1 : 0)
