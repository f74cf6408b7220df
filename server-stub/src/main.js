// Starts the merchant backend and the WeChat simulator (ROLE=all, the default; or ROLE=merchant / ROLE=wechat
// for one per process) and prints their URLs. SIGTERM/SIGINT stop them after in-flight deliveries finish.
import { serve } from '@hono/node-server'
import { loadConfig } from './config.js'
import { openDb } from './db.js'
import { createLogger } from './log.js'
import { createMerchantApp } from './merchant/app.js'
import { merchantMigrations } from './merchant/migrations.js'
import { wechatMigrations } from './wechat/migrations.js'
import { serveWechat } from './wechat/serve.js'

const config = loadConfig()
if (!['all', 'merchant', 'wechat'].includes(config.role)) throw new Error('ROLE must be all, merchant or wechat')
const runs = (role) => config.role === 'all' || config.role === role
const db = openDb(config.dbPath, [runs('merchant') ? merchantMigrations : [], runs('wechat') ? wechatMigrations : []])
const servers = []
let wechat

function listen(name, app, port) {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname: config.host }, (info) => {
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
  const merchant = createMerchantApp({ config: config.merchant, db, log: createLogger('merchant') })
  await listen(`merchant backend (API ${config.merchant.api})`, merchant.app, config.merchantPort)
}
console.log(`database ${config.dbPath}`)

async function shutdown() {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  await wechat?.stop()
  db.close()
  process.exit(0)
}
process.once('SIGTERM', shutdown)
process.once('SIGINT', shutdown)
