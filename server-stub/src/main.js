// Starts the merchant backend and the WeChat simulator (ROLE=all, the default; or ROLE=merchant / ROLE=wechat
// for one per process) and prints their URLs. The merchant runs on Node with SQLite, or with
// MERCHANT_RUNTIME=workerd as the Worker on workerd with a local D1 (same port, same URL); the simulator always
// on Node. The merchant's scheduled job runs every MAINTENANCE_INTERVAL_SECONDS. SIGTERM/SIGINT stop everything
// after in-flight deliveries finish.
import { serve } from '@hono/node-server'
import { loadConfig } from './config.js'
import { d1Api, openDb } from './db.js'
import { createLogger } from './log.js'
import { createMerchantApp } from './merchant/app.js'
import { certificateFetch } from './merchant/certificate-fetch.js'
import { merchantMigrations } from './merchant/migrations.js'
import { wechatMigrations } from './wechat/migrations.js'
import { serveWechat } from './wechat/serve.js'

const config = loadConfig()
if (!['all', 'merchant', 'wechat'].includes(config.role)) throw new Error('ROLE must be all, merchant or wechat')
const runs = (role) => config.role === 'all' || config.role === role
const host = config.merchantHost
const onNode = runs('merchant') && host.runtime === 'node'
const db = (runs('wechat') || onNode) && openDb(config.dbPath, [onNode ? merchantMigrations : [], runs('wechat') ? wechatMigrations : []])
const servers = []
const stops = []
let wechat
// Installed first: a signal during start-up (the Worker's build takes seconds) still stops what has started.
process.once('SIGTERM', shutdown)
process.once('SIGINT', shutdown)

function listen(name, fetch, port) {
  return new Promise((resolve) => {
    const server = serve({ fetch, port, hostname: config.host }, (info) => {
      console.log(`${name} listening on http://${config.host}:${info.port}`)
      resolve()
    })
    servers.push(server)
  })
}

if (runs('wechat')) {
  wechat = await serveWechat({ config: config.wechat, db, log: createLogger('wechat'), host: config.host, port: config.simPort })
  console.log(`WeChat simulator's mutual-TLS port (API v2 refunds) at https://${config.host}:${wechat.ports.https}`)
  console.log(`WeChat simulator listening on http://${config.host}:${wechat.ports.http}`)
}

if (runs('merchant')) {
  const log = createLogger('merchant')
  const name = `merchant backend (API ${config.merchant.api}, ${host.runtime})`
  if (onNode) {
    // API v2 refunds go to the simulator's mutual-TLS port when it runs here and no other host was named
    const merchantConfig = wechat && !process.env.WECHATPAY_MTLS_BASE_URL && !process.env.WECHATPAY_BASE_URL
      ? { ...config.merchant, wechatpayMtlsBaseUrl: `https://${config.host}:${wechat.ports.https}` }
      : config.merchant
    const merchant = createMerchantApp({ config: merchantConfig, db: d1Api(db), log, certificateFetch: certificateFetch(merchantConfig) })
    let running = Promise.resolve()
    const scheduled = () => (running = merchant.maintenance.run())
    stops.push(() => running.catch(() => {}))
    // As wrangler dev serves it for the Worker: POST/GET /cdn-cgi/handler/scheduled runs the job now.
    const fetch = !host.scheduledRoute ? merchant.app.fetch : async (request) => {
      if (new URL(request.url).pathname !== '/cdn-cgi/handler/scheduled') return merchant.app.fetch(request)
      try {
        await scheduled()
        return new Response('ok')
      } catch (e) {
        log.info('maintenance.failed', { error: String(e) })
        return new Response('exception', { status: 500 })
      }
    }
    await listen(name, fetch, config.merchantPort)
    if (host.maintenanceIntervalSeconds > 0) {
      const timer = setInterval(() => scheduled().catch((e) => log.info('maintenance.failed', { error: String(e) })), host.maintenanceIntervalSeconds * 1000)
      stops.unshift(() => clearInterval(timer))
    }
  } else {
    const { startWorkerdMerchant } = await import('./workerd.js')
    const worker = await startWorkerdMerchant({
      vars: config.merchantVars,
      host: config.host,
      port: config.merchantPort,
      persistDir: config.dbPath === ':memory:' ? null : host.d1PersistDir,
      scheduledRoute: host.scheduledRoute,
      intervalSeconds: host.maintenanceIntervalSeconds,
      log,
    })
    stops.push(() => worker.stop())
    console.log(`${name} listening on http://${config.host}:${worker.url.port}`)
    if (!(config.dbPath === ':memory:')) console.log(`D1 ${host.d1PersistDir} (wrangler --persist-to)`)
  }
}
if (db) console.log(`database ${config.dbPath}`)

async function shutdown() {
  await Promise.all([...servers.map((s) => new Promise((r) => s.close(r))), ...stops.map((stop) => stop())])
  await wechat?.stop()
  if (db) db.close()
  process.exit(0)
}
