// Executes every README snippet marked `<!-- test: node NAME -->` or `<!-- test: worker NAME -->` against the
// packed package installed in tests/node_modules (run tests/js/run.mjs first). WeChat's servers cannot be
// reached, so `fetch` to them is answered by ./readme/wechat.mjs, which checks signatures as WeChat does.
// Usage: node tests/js/readme.mjs [README path]
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as api from 'wechatpay-wasm'
import { checks } from './readme/checks.mjs'

const tests = join(dirname(fileURLToPath(import.meta.url)), '..')
const readme = process.argv[2] || join(tests, '../README.md')
const work = join(tests, '.work/readme')
mkdirSync(work, { recursive: true })

/** The marked snippets, in order: {kind, name, code}. */
export function snippets(markdown) {
  const found = []
  const re = /<!-- test: (node|worker) ([\w-]+) -->\s*```js\n([\s\S]*?)```/g
  for (let m; (m = re.exec(markdown));) found.push({ kind: m[1], name: m[2], code: m[3] })
  return found
}

async function runNode({ name, code }) {
  const file = join(work, `${name}.mjs`)
  writeFileSync(file, `import '${join(tests, 'js/readme/wechat.mjs')}'\n${code}`)
  const { env, expect } = checks[name]
  const r = spawnSync(process.execPath, [file], { cwd: tests, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30000 })
  const out = r.stdout + r.stderr
  return r.status === 0 && expect(out, api) ? null : out.slice(-1500)
}

async function runWorker({ name, code }) {
  const dir = join(work, name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'snippet.mjs'), code)
  execFileSync(join(tests, 'node_modules/.bin/esbuild'), [join(dir, 'snippet.mjs'), '--bundle', '--format=esm',
    '--platform=neutral', '--conditions=workerd,worker,browser', '--external:*.wasm', `--outfile=${join(dir, 'worker.mjs')}`,
    '--log-level=warning'], { cwd: tests })
  writeFileSync(join(dir, 'wechatpay_wasm_bg.wasm'), readFileSync(join(tests, 'node_modules/wechatpay-wasm/dist/wechatpay_wasm_bg.wasm')))
  const { Miniflare } = await import(join(tests, 'node_modules/miniflare/dist/src/index.js'))
  const { bindings, drive } = checks[name]
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(dir, 'worker.mjs'),
    modulesRules: [{ type: 'ESModule', include: ['**/*.mjs'] }, { type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-04-01',
    bindings,
  })
  try {
    return await drive((init) => mf.dispatchFetch('http://localhost/notify', init), api)
  } finally {
    await mf.dispose()
  }
}

const found = snippets(readFileSync(readme, 'utf8'))
let failed = 0
for (const s of found) {
  if (!checks[s.name]) {
    console.log(`FAIL readme ${s.name}: no check for this snippet in tests/js/readme/checks.mjs`)
    failed++
    continue
  }
  const problem = await (s.kind === 'node' ? runNode(s) : runWorker(s))
  console.log(`${problem ? 'FAIL' : 'ok  '} readme ${s.kind} ${s.name}${problem ? '\n' + problem : ''}`)
  failed += problem ? 1 : 0
}
const missing = Object.keys(checks).filter((n) => !found.some((s) => s.name === n))
for (const n of missing) console.log(`FAIL readme ${n}: the README has no snippet marked with this name`), failed++
process.exit(failed ? 1 : 0)
