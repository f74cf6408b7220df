// The merchant's Worker on workerd, from Node: what `MERCHANT_RUNTIME=workerd node src/main.js` runs. Miniflare
// starts workerd with the bundle `wrangler deploy` would upload (scripts/build-worker.mjs) and wrangler.jsonc's
// settings; a local D1 migrated from the same .sql files as SQLite; the merchant's variables and secrets as
// bindings (in memory, never written anywhere); and, as Miniflare has no cron, the scheduled handler on a timer.
import { spawnSync } from 'node:child_process'
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

/**
 * Starts the Worker listening on host:port. `persistDir` holds D1 as `wrangler --persist-to <dir>` lays it out
 * (null: in memory). Resolves to { url, scheduled(), stop() }.
 */
export async function startWorkerdMerchant({ vars, host, port, persistDir, scheduledRoute, intervalSeconds, log }) {
  const dir = buildWorker()
  const options = JSON.parse(fs.readFileSync(path.join(dir, 'miniflare.json'), 'utf8'))
  const signalListeners = () => ['SIGINT', 'SIGTERM'].flatMap((signal) => process.listeners(signal).map((l) => [signal, l]))
  const before = new Set(signalListeners().map(([, l]) => l))
  const mf = new Miniflare({
    modules: true,
    scriptPath: path.join(dir, options.main),
    modulesRoot: dir,
    modulesRules: options.modulesRules,
    compatibilityDate: options.compatibilityDate,
    compatibilityFlags: options.compatibilityFlags,
    d1Databases: options.d1Databases,
    d1Persist: persistDir ? path.join(persistDir, 'v3', 'd1') : false,
    bindings: { ...options.bindings, ...vars },
    cf: false,
    host,
    port,
    // /cdn-cgi/handler/scheduled, as wrangler dev serves it.
    unsafeTriggerHandlers: scheduledRoute,
  })
  // Miniflare's own SIGINT/SIGTERM handlers exit the process at once; main.js stops everything in order instead
  // (this Worker included). Its exit hook stays: workerd goes with the process however it ends.
  for (const [signal, listener] of signalListeners()) if (!before.has(listener)) process.off(signal, listener)
  let url
  try {
    url = await mf.ready
    log.info('d1.migrations', { applied: (await migrateD1(await mf.getD1Database('DB'))).join(',') || 'none' })
  } catch (e) {
    await mf.dispose()
    throw e
  }
  const cron = options.crons?.[0] ?? '*/5 * * * *'
  const scheduled = async () => {
    const r = await (await mf.getWorker()).scheduled({ cron })
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

/** The local D1 in `persistDir` (as `wrangler --persist-to` lays it out), opened alone: for audits and tests. */
export async function openLocalD1(persistDir) {
  const options = JSON.parse(fs.readFileSync(path.join(buildWorker({ quiet: true }), 'miniflare.json'), 'utf8'))
  const mf = new Miniflare({ modules: true, script: 'export default {}', cf: false, d1Databases: options.d1Databases, d1Persist: path.join(persistDir, 'v3', 'd1') })
  return { db: await mf.getD1Database('DB'), dispose: () => mf.dispose() }
}
