// An in-process world for tests: merchant and simulator wired together through app.request() (no ports),
// one in-memory database, generated credentials in a temp folder, and recorded log lines.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadConfig } from '../src/config.js'
import { d1Api, openDb } from '../src/db.js'
import { createLogger } from '../src/log.js'
import { createMerchantApp } from '../src/merchant/app.js'
import { merchantMigrations } from '../src/merchant/migrations.js'
import { createWechatApp } from '../src/wechat/app.js'
import { wechatMigrations } from '../src/wechat/migrations.js'

// One credential set for the whole test run: RSA key generation is the slow part. test.sh generates it once for
// every test file (TEST_KEYS_DIR); a file run alone generates its own.
export const DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'server-stub-test-'))
if (process.env.TEST_KEYS_DIR) fs.cpSync(process.env.TEST_KEYS_DIR, path.join(DATA_DIR, 'keys'), { recursive: true })
process.on('exit', () => fs.rmSync(DATA_DIR, { recursive: true, force: true }))

export function createWorld({ env = {}, dbPath = ':memory:' } = {}) {
  const config = loadConfig({ DATA_DIR, DB_PATH: dbPath, ...env })
  const db = openDb(config.dbPath, [merchantMigrations, wechatMigrations])
  const lines = []
  const log = (role) => createLogger(role, (line) => lines.push(line))
  // Lets a test break the merchant's notify endpoint, or watch what the simulator delivers.
  const delivery = { fail: 0, seen: [] }
  let merchant
  const wechat = createWechatApp({
    config: config.wechat, db, log: log('wechat'),
    fetch: async (url, init) => {
      delivery.seen.push({ url, headers: { ...init.headers }, body: init.body })
      if (delivery.fail > 0) {
        delivery.fail--
        return new Response('down for maintenance', { status: 503 })
      }
      return merchant.app.request(url, init)
    },
  })
  merchant = createMerchantApp({ config: config.merchant, db: d1Api(db), log: log('merchant'), fetch: (url, init) => wechat.app.request(url, init) })

  const json = (app, method, url, body, headers = {}) => app.request(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })

  const world = {
    config, db, lines, delivery, merchant: merchant.app, wechat: wechat.app, notifier: wechat.notifier, maintenance: merchant.maintenance,
    sim: (method, url, body) => json(wechat.app, method, url, body),
    api: (method, url, body, token) => json(merchant.app, method, url, body, token ? { authorization: `Bearer ${token}` } : {}),
    /** The simulated WeChat user who logged in last (login's default, also after a restart): the cashier pays as that user. */
    user: 'alice',
    async login(user = 'alice') {
      world.user = user
      const { code } = await (await world.sim('POST', '/sim/wx/login', { user })).json()
      const res = await world.api('POST', '/api/login', { code })
      return (await res.json()).token
    },
    async order(token, productId = 'soap', quantity = 1) {
      const res = await world.api('POST', '/api/orders', { productId, quantity }, token)
      if (res.status !== 201) throw new Error(`order: ${res.status} ${await res.text()}`)
      return res.json()
    },
    /** Confirms at the cashier as `payer` and waits for the notification to be delivered (or to fail). */
    async pay(payParams, payer = world.user) {
      const res = await world.sim('POST', '/sim/cashier/confirm', { ...payParams, payer })
      await new Promise((r) => setTimeout(r, 0))
      await world.notifier.idle()
      return res
    },
    async state(token, orderId) {
      return (await world.api('GET', `/api/orders/${orderId}`, undefined, token)).json()
    },
    count: (sql, ...args) => db.prepare(sql).pluck().get(...args),
    stateChanges: (orderId) => lines.filter((l) => l.includes(' order.state ') && l.includes(`order=${orderId}`)),
  }
  return world
}
