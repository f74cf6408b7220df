// Runs the JS suite against the PACKED package on every runtime we claim:
//   Node 20 (this machine's), 22 and 24 — each with `import` and `require`; Deno; Bun (import and require);
//   workerd through miniflare, with and without nodejs_compat; headless Chromium (Debian's) via playwright-core.
// Then `differential`: API v3's RSA on the hosts against the pure-Rust RSA (tests/differential.rs), and the
// client suite (`client-*`, tests/js/client/): createClient and createV2Client against server-stub's WeChat
// simulator over real HTTP, every operation in Node, Deno, Bun and workerd, the JSAPI flow in Chromium (on a page
// and in a module Web Worker).
// The package is `npm pack`ed and installed into tests/node_modules exactly as a user's project would get it.
// Usage: node tests/js/run.mjs [runtime …]   (names as in the table below; default: all)
import { execFileSync, spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startWorld } from './client/world.mjs'

const tests = join(dirname(fileURLToPath(import.meta.url)), '..')
const root = join(tests, '..')
const bin = (name) => join(tests, 'node_modules/.bin', name)
const bundleDir = join(tests, 'js/.bundle')

function packAndInstall() {
  const work = join(tests, '.work')
  mkdirSync(work, { recursive: true })
  // same name and version as the last run: npm would keep the stale copy
  rmSync(join(tests, 'node_modules/wechatpay-wasm'), { recursive: true, force: true })
  const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: join(root, 'pkg') }))
  execFileSync('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', join(work, filename)], { cwd: tests, stdio: 'inherit' })
  return filename
}

function bundle() {
  rmSync(bundleDir, { recursive: true, force: true })
  const esbuild = (...args) => execFileSync(bin('esbuild'), ['--bundle', '--format=esm', '--log-level=warning', '--loader:.pem=text', ...args], { cwd: tests, stdio: 'inherit' })
  esbuild('js/suite.mjs', `--outfile=${join(bundleDir, 'suite.mjs')}`)
  // what `wrangler deploy` does: resolve the workerd condition, keep the .wasm as its own module
  esbuild('js/runners/worker.mjs', `--outfile=${join(bundleDir, 'worker/worker.mjs')}`, '--conditions=workerd,worker,browser',
    '--platform=neutral', '--external:*.wasm', '--external:../.bundle/suite.mjs', `--metafile=${join(bundleDir, 'worker.json')}`)
  const inputs = Object.keys(JSON.parse(readFileSync(join(bundleDir, 'worker.json'))).inputs)
  if (!inputs.some((i) => i.endsWith('wechatpay-wasm/dist/workerd.js'))) throw new Error('the worker bundle did not resolve dist/workerd.js')
  copyFileSync(join(bundleDir, 'suite.mjs'), join(bundleDir, 'worker/suite.mjs'))
  execFileSync('sed', ['-i', 's#"\\.\\./\\.bundle/suite\\.mjs"#"./suite.mjs"#', join(bundleDir, 'worker/worker.mjs')])
  copyFileSync(join(tests, 'node_modules/wechatpay-wasm/dist/wechatpay_wasm_bg.wasm'), join(bundleDir, 'worker/wechatpay_wasm_bg.wasm'))
  // the client suite's worker: one bundle, the .wasm beside it
  esbuild('js/client/runners/worker.mjs', `--outfile=${join(bundleDir, 'client-worker/worker.mjs')}`, '--conditions=workerd,worker,browser',
    '--platform=neutral', '--external:*.wasm')
  copyFileSync(join(tests, 'node_modules/wechatpay-wasm/dist/wechatpay_wasm_bg.wasm'), join(bundleDir, 'client-worker/wechatpay_wasm_bg.wasm'))
}

/** Runs a process that prints `RESULT {json}` last. */
function runProcess(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: tests, env: { ...process.env, ...env } })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '))
      resolve(line ? JSON.parse(line.slice(7)) : { passed: 0, failed: 1, failures: [{ name: `exit ${code}`, info: out.slice(-2000) }] })
    })
  })
}

async function workerd(compat, { script = 'worker/worker.mjs', url = 'http://localhost/' } = {}) {
  const { Miniflare } = await import(join(tests, 'node_modules/miniflare/dist/src/index.js'))
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(bundleDir, script),
    modulesRules: [{ type: 'ESModule', include: ['**/*.mjs', '**/*.js'] }, { type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-04-01',
    compatibilityFlags: compat ? ['nodejs_compat'] : [],
  })
  try {
    const res = await mf.dispatchFetch(url)
    return await res.json()
  } finally {
    await mf.dispose()
  }
}

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' }

async function chromium(pageUrl) {
  if (pageUrl) return chromiumPage(pageUrl)
  const server = createServer((req, res) => {
    const path = normalize(join(tests, decodeURIComponent(new URL(req.url, 'http://x').pathname)))
    if (!path.startsWith(tests)) return res.writeHead(403).end()
    try {
      const body = readFileSync(path)
      res.writeHead(200, { 'content-type': MIME[extname(path)] || 'application/octet-stream' }).end(body)
    } catch {
      res.writeHead(404).end()
    }
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  try {
    return await chromiumPage(`http://127.0.0.1:${server.address().port}/js/runners/browser.html`)
  } finally {
    server.close()
  }
}

/** Opens `pageUrl` in headless Chromium and waits for the `window.__result` it sets. */
async function chromiumPage(pageUrl) {
  const { chromium } = await import(join(tests, 'node_modules/playwright-core/index.mjs'))
  const profile = mkdtempSync(join(tmpdir(), 'wechatpay-chromium-'))
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  try {
    const page = ctx.pages()[0] || (await ctx.newPage())
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(pageUrl)
    await page.waitForFunction(() => window.__result, null, { timeout: 120000 })
    const result = await page.evaluate(() => window.__result)
    if (errors.length) result.failures.push({ name: 'page errors', info: errors.join('; ') }), result.failed++
    return result
  } finally {
    await ctx.close()
    rmSync(profile, { recursive: true, force: true })
  }
}

/** tests/differential.rs: host and pure-Rust RSA agree on 1,000 messages; needs the release build (see there)
 * and the `rsa` feature, without which the test compiles to nothing: so it must report exactly 1 passed. */
function differential() {
  return new Promise((resolve) => {
    const cargo = spawn('cargo', ['test', '--release', '--quiet', '--features', 'rsa', '--test', 'differential'], { cwd: root })
    let out = ''
    cargo.stdout.on('data', (d) => (out += d))
    cargo.stderr.on('data', (d) => (out += d))
    cargo.on('close', (code) => resolve(code === 0 && /test result: ok\. 1 passed/.test(out) ? { passed: 1, failed: 0, failures: [] }
      : { passed: 0, failed: 1, failures: [{ name: 'host vs pure-Rust RSA', info: out.slice(-2000) }] }))
  })
}

const node = (version) => (version === 20 ? process.execPath : join(tests, `node_modules/node${version}/bin/node`))
const runtimes = {
  'node20-esm': () => runProcess(node(20), ['js/runners/node.mjs']),
  'node20-cjs': () => runProcess(node(20), ['js/runners/node.cjs']),
  'node22-esm': () => runProcess(node(22), ['js/runners/node.mjs']),
  'node22-cjs': () => runProcess(node(22), ['js/runners/node.cjs']),
  'node24-esm': () => runProcess(node(24), ['js/runners/node.mjs']),
  'node24-cjs': () => runProcess(node(24), ['js/runners/node.cjs']),
  // no permission flags: importing the package must need none (the deno entry imports its .wasm as a module)
  deno: () => runProcess(bin('deno'), ['run', 'js/runners/node.mjs'], { DENO_NO_UPDATE_CHECK: '1' }),
  'bun-esm': () => runProcess(bin('bun'), ['js/runners/node.mjs']),
  'bun-cjs': () => runProcess(bin('bun'), ['js/runners/node.cjs']),
  workerd: () => workerd(false),
  'workerd-nodejs_compat': () => workerd(true),
  chromium: () => chromium(),
  differential,
}

// the client suite needs the simulator: started once, for every client-* runtime
let world = null
const helper = async () => (world ??= await startWorld()).url
const clientProcess = async (command, args) => runProcess(command, args, { CLIENT_HELPER: await helper() })
Object.assign(runtimes, {
  'client-node20': () => clientProcess(node(20), ['js/client/runners/node.mjs']),
  'client-node22': () => clientProcess(node(22), ['js/client/runners/node.mjs']),
  'client-node24': () => clientProcess(node(24), ['js/client/runners/node.mjs']),
  'client-deno': () => clientProcess(bin('deno'), ['run', '--allow-read', '--allow-env', '--allow-net', 'js/client/runners/node.mjs']),
  'client-bun': () => clientProcess(bin('bun'), ['js/client/runners/node.mjs']),
  'client-workerd': async () => workerd(false, { script: 'client-worker/worker.mjs', url: `http://localhost/?helper=${encodeURIComponent(await helper())}` }),
  'client-chromium': async () => chromium(`${await helper()}/js/client/runners/browser.html`),
})

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(runtimes)
const tarball = packAndInstall()
bundle()
console.log(`suite against ${tarball}`)
let failed = 0
for (const name of wanted) {
  const started = Date.now()
  let result
  try {
    result = await runtimes[name]()
  } catch (e) {
    result = { passed: 0, failed: 1, failures: [{ name: 'runner', info: String(e.stack || e) }] }
  }
  failed += result.failed ? 1 : 0
  console.log(`${result.failed ? 'FAIL' : 'ok  '} ${name.padEnd(22)} ${String(result.passed).padStart(4)} passed, ${result.failed} failed  (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  for (const f of result.failures.slice(0, 10)) console.log(`       ${f.name}: ${String(f.info).slice(0, 400)}`)
}
await world?.stop()
process.exit(failed ? 1 : 0)
