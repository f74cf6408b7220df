// The merchant's Worker on workerd, from Node: what `MERCHANT_RUNTIME=workerd node src/main.js` runs. Miniflare
// starts workerd with the bundle `wrangler deploy` would upload (scripts/build-worker.mjs) and wrangler.jsonc's
// settings; a local D1 migrated from the same .sql files as SQLite; the merchant's variables and secrets as
// bindings (in memory, never written anywhere); and, as Miniflare has no cron, the scheduled handler on a timer.
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Miniflare } from 'miniflare'
import { buildWorker } from '../scripts/build-worker.mjs'
import { migrateD1 } from './merchant/migrations.js'

// Offline: no metrics, no Request.cf download, no error reports (wrangler's and Miniflare's own switches).
Object.assign(process.env, { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_ERROR_REPORTS: 'false' })
// Miniflare's exit hook stops workerd when this process exits, but not when it is killed (SIGKILL): where
// setpriv exists (Linux), workerd is started with a parent-death signal instead, so it never outlives us.
if (!process.env.MINIFLARE_WORKERD_PATH && spawnSync('setpriv', ['--version']).status === 0) {
  process.env.SERVER_STUB_WORKERD = createRequire(import.meta.url)('workerd').default
  process.env.MINIFLARE_WORKERD_PATH = fileURLToPath(new URL('../scripts/workerd-with-parent.sh', import.meta.url))
}

// A second Worker beside the merchant, never routed to, bound to the same D1 and to the merchant: Node reaches
// D1 and the merchant's scheduled handler through it with plain async requests (dispatchFetch), guarded by a
// secret made per start. Miniflare's own proxies (getD1Database, getWorker) make a synchronous cross-thread
// call for every prepare() and first call, and one of those failed now and then on a busy machine (an
// assertion in Miniflare's SynchronousFetcher), which stopped main.js at start.
const CONTROL = `export default {
  async fetch(request, env) {
    if (request.headers.get('authorization') !== 'Bearer ' + env.SECRET) return new Response('forbidden', { status: 403 })
    const { op, cron, mode, statements } = await request.json()
    try {
      if (op === 'scheduled') return Response.json(await env.MERCHANT.scheduled({ cron }))
      const prepared = statements.map(({ sql, args }) => env.DB.prepare(sql).bind(...args))
      return Response.json(mode === 'batch' ? await env.DB.batch(prepared) : [await prepared[0][mode]()])
    } catch (e) {
      return Response.json({ error: String(e && e.message || e) }, { status: 500 })
    }
  },
}`

function controlOf(mf, secret) {
  const call = async (body) => {
    const res = await mf.dispatchFetch('http://control/', {
      method: 'POST', body: JSON.stringify(body), headers: { 'MF-Route-Override': 'control', authorization: `Bearer ${secret}` },
    })
    const answer = await res.json()
    if (answer.error) throw new Error(answer.error)
    return answer
  }
  // D1's client API (the part the store and the migrations use), each call one request to the control Worker.
  const statement = (sql, args = []) => ({
    sql,
    args,
    bind: (...values) => statement(sql, values),
    all: async () => (await call({ mode: 'all', statements: [{ sql, args }] }))[0],
    run: async () => (await call({ mode: 'run', statements: [{ sql, args }] }))[0],
    first: async (column) => {
      const [row] = await call({ mode: 'first', statements: [{ sql, args }] })
      return column === undefined || row === null ? row : row[column]
    },
  })
  return {
    db: { prepare: (sql) => statement(sql), batch: (statements) => call({ mode: 'batch', statements: statements.map(({ sql, args }) => ({ sql, args })) }) },
    scheduled: (cron) => call({ op: 'scheduled', cron }),
  }
}

const buildOptions = () => JSON.parse(fs.readFileSync(path.join(buildWorker({ quiet: true }), 'miniflare.json'), 'utf8'))
const d1Persist = (persistDir) => (persistDir ? path.join(persistDir, 'v3', 'd1') : false)
const controlWorker = (options, secret, bindings = {}) => ({
  name: 'control', modules: true, script: CONTROL, compatibilityDate: options.compatibilityDate,
  d1Databases: options.d1Databases, bindings: { SECRET: secret }, ...bindings,
})

/**
 * Starts the Worker listening on host:port. `persistDir` holds D1 as `wrangler --persist-to <dir>` lays it out
 * (null: in memory). Resolves to { url, scheduled(), stop() }.
 */
export async function startWorkerdMerchant({ vars, host, port, persistDir, scheduledRoute, intervalSeconds, log }) {
  const dir = buildWorker()
  const options = JSON.parse(fs.readFileSync(path.join(dir, 'miniflare.json'), 'utf8'))
  const secret = randomBytes(32).toString('hex')
  const signalListeners = () => ['SIGINT', 'SIGTERM'].flatMap((signal) => process.listeners(signal).map((l) => [signal, l]))
  const before = new Set(signalListeners().map(([, l]) => l))
  const mf = new Miniflare({
    workers: [{
      name: 'merchant',
      modules: true,
      scriptPath: path.join(dir, options.main),
      modulesRoot: dir,
      modulesRules: options.modulesRules,
      compatibilityDate: options.compatibilityDate,
      compatibilityFlags: options.compatibilityFlags,
      d1Databases: options.d1Databases,
      bindings: { ...options.bindings, ...vars },
    }, controlWorker(options, secret, { serviceBindings: { MERCHANT: 'merchant' } })],
    d1Persist: d1Persist(persistDir),
    cf: false,
    host,
    port,
    // /cdn-cgi/handler/scheduled, as wrangler dev serves it.
    unsafeTriggerHandlers: scheduledRoute,
  })
  // Miniflare's own SIGINT/SIGTERM handlers exit the process at once; main.js stops everything in order instead
  // (this Worker included). Its exit hook stays: workerd goes with the process however it ends.
  for (const [signal, listener] of signalListeners()) if (!before.has(listener)) process.off(signal, listener)
  const control = controlOf(mf, secret)
  let url
  try {
    url = await mf.ready
    log.info('d1.migrations', { applied: (await migrateD1(control.db)).join(',') || 'none' })
  } catch (e) {
    await mf.dispose()
    throw e
  }
  const cron = options.crons?.[0] ?? '*/5 * * * *'
  const scheduled = async () => {
    const r = await control.scheduled(cron)
    if (r.outcome !== 'ok') throw new Error(`scheduled handler: ${r.outcome}`)
  }
  const timer = intervalSeconds > 0 && setInterval(() => scheduled().catch((e) => log.info('maintenance.failed', { error: e.message })), intervalSeconds * 1000)
  return {
    url,
    scheduled,
    async stop() {
      clearInterval(timer)
      await mf.dispose()
    },
  }
}

/**
 * A local D1 alone, with D1's client API from Node: the one in `persistDir` (as `wrangler --persist-to` lays it
 * out), or a fresh one in memory (null). For audits and tests; resolves to { db, dispose() }.
 */
export async function openLocalD1(persistDir) {
  const secret = randomBytes(32).toString('hex')
  const mf = new Miniflare({ workers: [controlWorker(buildOptions(), secret)], d1Persist: d1Persist(persistDir), cf: false })
  await mf.ready
  return { db: controlOf(mf, secret).db, dispose: () => mf.dispose() }
}
