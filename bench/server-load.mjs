// Load run of server-stub: create-order, then pay, then notify, with 50 concurrent clients (autocannon in this
// process, the server in another, loopback only), with the merchant on Node + SQLite or on workerd + D1.
// Afterwards every order must be in exactly one consistent state: none lost, none paid twice. Prints orders per
// second and p50/p99 latency with the machine's facts.
// Usage: node bench/server-load.mjs [--orders 2000] [--api v3|v2] [--runtime node|workerd]
//        (needs server-stub's npm install)
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const STUB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../server-stub')
const require = createRequire(path.join(STUB, 'package.json'))
const autocannon = require('autocannon')
const Database = require('better-sqlite3')

const { values: opts } = parseArgs({
  options: { orders: { type: 'string', default: '2000' }, api: { type: 'string', default: 'v3' }, runtime: { type: 'string', default: 'node' } },
})
const ORDERS = Number(opts.orders)
const CONNECTIONS = 50

const freePort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address()
    s.close(() => resolve(port))
  })
})

// The machine's 1-minute load average before the run: other work on it slows every number below.
const loadAtStart = +os.loadavg()[0].toFixed(2)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'server-load-'))
const env = {
  ...process.env, ROLE: 'all', DATA_DIR: dir, DB_PATH: path.join(dir, 'load.sqlite'), MERCHANT_API: opts.api,
  MERCHANT_RUNTIME: opts.runtime, MERCHANT_PORT: String(await freePort()), SIM_PORT: String(await freePort()),
}
const M = `http://127.0.0.1:${env.MERCHANT_PORT}`
const W = `http://127.0.0.1:${env.SIM_PORT}`
const logFile = path.join(dir, 'server.log')
const server = spawn(process.execPath, [path.join(STUB, 'src/main.js')], { env, stdio: ['ignore', fs.openSync(logFile, 'w'), 'inherit'] })
const stopServer = () => new Promise((r) => {
  if (server.exitCode !== null) return r()
  server.once('exit', r)
  server.kill('SIGTERM')
})
process.once('exit', () => server.kill('SIGKILL'))

async function waitListening() {
  for (let i = 0; i < 1200; i++) {
    if ((fs.readFileSync(logFile, 'utf8').match(/ listening on /g) || []).length === 2) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`server did not start:\n${fs.readFileSync(logFile, 'utf8')}`)
}

/** Runs SQL on the merchant's database after the server stopped: (sql) => rows, for each query. */
async function merchantRowsOf(queries) {
  if (opts.runtime === 'node') {
    const db = new Database(env.DB_PATH, { readonly: true })
    const rows = queries.map((sql) => db.prepare(sql).all())
    db.close()
    return rows
  }
  const { openLocalD1 } = await import(path.join(STUB, 'src/workerd.js'))
  const d1 = await openLocalD1(path.join(dir, 'wrangler'))
  const rows = []
  for (const sql of queries) rows.push((await d1.db.prepare(sql).all()).results)
  await d1.dispose()
  return rows
}

const postJson = async (url, body) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()

function run(opts) {
  return new Promise((resolve, reject) => autocannon({ connections: CONNECTIONS, timeout: 10, ...opts }, (err, result) => (err ? reject(err) : resolve(result))))
}

await waitListening()
const tokens = []
for (let i = 0; i < CONNECTIONS; i++) {
  const { code } = await postJson(`${W}/sim/wx/login`, { user: `load${i}` })
  tokens.push((await postJson(`${M}/api/login`, { code })).token)
}

const products = ['soap', 'towel', 'toothbrush']
const created = []
let n = 0
const started = performance.now()
const createRun = await run({
  url: M,
  amount: ORDERS,
  requests: [{
    method: 'POST',
    path: '/api/orders',
    // One request at a time per connection: the context carries who ordered to onResponse.
    setupRequest: (req, context) => {
      const i = n++
      context.user = `load${i % tokens.length}`
      return {
        ...req,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i % tokens.length]}` },
        body: JSON.stringify({ productId: products[i % products.length], quantity: 1 + (i % 3) }),
      }
    },
    onResponse: (status, body, context) => {
      if (status === 201) created.push({ ...JSON.parse(body), payer: context.user })
    },
  }],
})
const createdAt = performance.now()

let k = 0
const payRun = await run({
  url: W,
  amount: created.length,
  requests: [{
    method: 'POST',
    path: '/sim/cashier/confirm',
    setupRequest: (req) => ({ ...req, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...created[k].payParams, payer: created[k++].payer }) }),
  }],
})

// Notifications go out asynchronously: wait (bounded) until WeChat's side has every one acknowledged (the merchant
// answers 2xx only once the payment is applied).
const sim = new Database(env.DB_PATH, { readonly: true })
const delivered = sim.prepare("SELECT count(*) FROM wx_deliveries WHERE state = 'DELIVERED'").pluck()
for (let i = 0; i < 2400 && delivered.get() < created.length; i++) await new Promise((r) => setTimeout(r, 50))
const settled = performance.now()
sim.close()
await stopServer()

// Consistency, on the databases the server left behind: the simulator's SQLite, and the merchant's (the same
// SQLite file on Node; on workerd the local D1, opened through Miniflare).
const check = new Database(env.DB_PATH, { readonly: true })
const one = (sql, ...a) => check.prepare(sql).pluck().get(...a)
const [orders, notifications] = await merchantRowsOf([
  'SELECT id, out_trade_no, state, amount, transaction_id FROM orders',
  'SELECT order_id, count(*) AS n FROM notifications GROUP BY order_id',
])
const notifiedCount = new Map(notifications.map((r) => [r.order_id, r.n]))
const problems = []
const expect = (ok, what) => { if (!ok) problems.push(what) }
expect(createRun.non2xx === 0 && createRun.errors === 0 && created.length === ORDERS, `create: ${created.length}/${ORDERS} created, ${createRun.non2xx} non-2xx, ${createRun.errors} errors`)
expect(payRun.non2xx === 0 && payRun.errors === 0, `pay: ${payRun.non2xx} non-2xx, ${payRun.errors} errors`)
expect(orders.length === created.length, 'every created order is stored, and no other')
const byId = new Map(orders.map((o) => [o.id, o]))
const txOf = check.prepare('SELECT * FROM wx_transactions WHERE out_trade_no = ?')
let lost = 0
for (const c of created) {
  const o = byId.get(c.orderId)
  const tx = o && txOf.get(o.out_trade_no)
  if (!o || o.state !== 'PAID' || !tx || tx.state !== 'SUCCESS' || tx.transaction_id !== o.transaction_id || tx.amount !== o.amount || notifiedCount.get(o.id) !== 1) {
    lost++
    problems.push(`order ${c.orderId} inconsistent: ${JSON.stringify({ state: o?.state, wx: tx?.state, notifications: o && notifiedCount.get(o.id) })}`)
  }
}
expect(new Set(orders.map((o) => o.transaction_id)).size === created.length, 'one distinct transaction per order')
expect(one("SELECT count(*) FROM wx_deliveries WHERE state = 'DELIVERED'") === created.length, 'every notification delivered once')
const paidLines = fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => / order\.state .*to=PAID/.test(l)).length
const doublePaid = Math.max(0, paidLines - created.length)
expect(paidLines === created.length, `${paidLines} CREATED→PAID transitions logged for ${created.length} orders`)
const retries = one('SELECT coalesce(sum(attempts), 0) FROM wx_deliveries') - created.length
check.close()

const s = (ms) => ms / 1000
const report = {
  api: opts.api,
  runtime: opts.runtime,
  orders: created.length,
  connections: CONNECTIONS,
  createOrder: { ordersPerSec: Math.round(created.length / s(createdAt - started)), p99ms: createRun.latency.p99, p50ms: createRun.latency.p50 },
  cashierConfirm: { perSec: Math.round(created.length / s(payRun.duration * 1000)), p99ms: payRun.latency.p99, p50ms: payRun.latency.p50 },
  endToEnd: { ordersPerSec: Math.round(created.length / s(settled - started)), seconds: +s(settled - started).toFixed(2), notifyRetries: retries },
  audit: { lost, doublePaid, consistent: problems.length === 0 },
  machine: { loadAverageAtStart: loadAtStart, cpu: os.cpus()[0].model, cores: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
}
console.log(JSON.stringify(report, null, 2))
if (problems.length) {
  console.error(`INCONSISTENT (${problems.length}):\n${problems.slice(0, 20).join('\n')}`)
  process.exitCode = 1
} else {
  fs.rmSync(dir, { recursive: true, force: true })
}
