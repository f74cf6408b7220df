// Bundles the merchant's Worker as `wrangler deploy` would (wrangler deploy --dry-run), and records the Miniflare
// options wrangler derives from wrangler.jsonc beside it, so src/workerd.js can start the Worker without loading
// wrangler (which takes seconds). Skips the build when nothing it depends on changed. Prints the build's folder.
// Usage: node scripts/build-worker.mjs      (src/workerd.js runs it when MERCHANT_RUNTIME=workerd)
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const STUB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const CONFIG = path.join(STUB, 'wrangler.jsonc')
const BUILDS = path.join(STUB, '.wrangler', 'merchant-builds')

/** Every file the bundle is made from (the sources, the package, the installed dependencies, the config). */
function inputs() {
  const files = []
  const walk = (p) => {
    if (!fs.existsSync(p)) return
    if (fs.statSync(p).isDirectory()) for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e))
    else files.push(p)
  }
  for (const p of ['src', 'wrangler.jsonc', 'node_modules/.package-lock.json', '../pkg/dist', '../pkg/package.json']) walk(path.join(STUB, p))
  return files
}

export function buildWorker({ quiet = false } = {}) {
  const key = createHash('sha256')
  for (const f of inputs()) key.update(`${path.relative(STUB, f)} ${fs.statSync(f).size} ${fs.statSync(f).mtimeMs}\n`)
  const dir = path.join(BUILDS, key.digest('hex').slice(0, 16))
  if (fs.existsSync(path.join(dir, 'miniflare.json'))) return dir

  fs.mkdirSync(BUILDS, { recursive: true })
  const tmp = fs.mkdtempSync(path.join(BUILDS, 'tmp-'))
  const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_ERROR_REPORTS: 'false' }
  const wrangler = path.join(STUB, 'node_modules/wrangler/bin/wrangler.js')
  const run = (args) => {
    const r = spawnSync(process.execPath, args, { cwd: STUB, env, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`${args.slice(0, 2).join(' ')} failed:\n${r.stdout}\n${r.stderr}`)
    return r.stdout
  }
  if (!quiet) process.stderr.write('bundling the merchant Worker (wrangler deploy --dry-run)\n')
  run([wrangler, 'deploy', '--dry-run', '--outdir', tmp, '--config', CONFIG])
  // wrangler's reading of wrangler.jsonc, as wrangler dev hands it to Miniflare; its vars only (never .dev.vars).
  run(['--input-type=module', '-e', `
    import fs from 'node:fs'
    import { unstable_getMiniflareWorkerOptions as options, unstable_readConfig as readConfig } from 'wrangler'
    const config = readConfig({ config: ${JSON.stringify(CONFIG)} })
    const { workerOptions: w } = options(config)
    fs.writeFileSync(${JSON.stringify(path.join(tmp, 'miniflare.json'))}, JSON.stringify({
      main: 'worker.js', compatibilityDate: w.compatibilityDate, compatibilityFlags: w.compatibilityFlags,
      modulesRules: w.modulesRules, d1Databases: w.d1Databases, bindings: config.vars, crons: config.triggers.crons,
    }, null, 2))
  `])
  try {
    fs.renameSync(tmp, dir)
  } catch (e) {
    // Another process built the same inputs first: theirs is as good.
    if (!fs.existsSync(path.join(dir, 'miniflare.json'))) throw e
    fs.rmSync(tmp, { recursive: true, force: true })
  }
  // Older builds go (the newest few stay for processes still running from them), and builds left half-done.
  const all = fs.readdirSync(BUILDS).map((d) => ({ d, t: fs.statSync(path.join(BUILDS, d)).mtimeMs }))
  const old = all.filter(({ d }) => !d.startsWith('tmp-') && d !== path.basename(dir)).sort((a, b) => b.t - a.t).slice(2)
    .concat(all.filter(({ d, t }) => d.startsWith('tmp-') && t < Date.now() - 3600_000))
  for (const { d } of old) fs.rmSync(path.join(BUILDS, d), { recursive: true, force: true })
  return dir
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(buildWorker())
