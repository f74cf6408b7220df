// The merchant from the outside, over real HTTP, on either engine: main.js as a process with
// MERCHANT_RUNTIME=node (Hono on Node, SQLite) or MERCHANT_RUNTIME=workerd (the Worker on workerd, a local D1),
// the simulator in a process of its own, the test as the mini program and, where it must be, as WeChat.
// test.sh runs this file once per engine. Nothing here looks into a database: only answers and logs.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createSigner, encryptResource, nonceStr, signV2, toXml } from 'wechatpay-wasm'
import { loadConfig } from '../src/config.js'
import { startFaultProxy } from './fault-proxy.js'
import { freePort, startStub } from './processes.js'
import { DATA_DIR } from './world.js'

const ENGINE = process.env.MERCHANT_RUNTIME || 'node'
const creds = loadConfig({ DATA_DIR }).wechat.merchants[0]
const mc = () => loadConfig({ DATA_DIR }).merchant
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), `blackbox-${ENGINE}-`))

/**
 * Starts a merchant on this engine against the simulator at `simPort`; `env` adds or overrides settings. `reuse`
 * (a merchant stopped before) starts it again on the same port and data.
 */
async function startMerchant(simPort, env = {}, reuse = {}) {
  const dir = reuse.dir ?? tmp()
  const port = reuse.port ?? await freePort()
  const handle = await startStub({
    DATA_DIR, ROLE: 'merchant', MERCHANT_RUNTIME: ENGINE, MERCHANT_PORT: String(port), SIM_PORT: String(simPort),
    DB_PATH: path.join(dir, 'merchant.sqlite'), D1_PERSIST_DIR: path.join(dir, 'wrangler'),
    MAINTENANCE_INTERVAL_SECONDS: '0', SCHEDULED_ROUTE: '1', ...env,
  })
  return { ...handle, url: `http://127.0.0.1:${port}`, port, dir }
}

async function startSimulator() {
  const port = await freePort()
  const handle = await startStub({ DATA_DIR, ROLE: 'wechat', SIM_PORT: String(port), DB_PATH: path.join(tmp(), 'wechat.sqlite') })
  // the mutual-TLS port (API v2 refunds), as main.js prints it
  const tlsUrl = /mutual-TLS port[^\n]* at (https:\/\/\S+)/.exec(handle.output())[1]
  return { ...handle, url: `http://127.0.0.1:${port}`, port, tlsUrl }
}

async function call(base, method, url, { body, token, headers = {} } = {}) {
  const res = await fetch(base + url, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  })
  const text = await res.text()
  let json = null
  try {
    json = JSON.parse(text)
  } catch {}
  return { status: res.status, json, text }
}

/** The mini program and the payer, against one merchant and the simulator. */
function buyer(M, W) {
  // The cashier pays as the WeChat user who is logged in: the one who placed the order.
  const users = new Map()
  const payers = new Map()
  const self = {
    async login(user = 'alice') {
      const { json: { code } } = await call(W, 'POST', '/sim/wx/login', { body: { user } })
      const r = await call(M, 'POST', '/api/login', { body: { code } })
      assert.equal(r.status, 200, r.text)
      users.set(r.json.token, user)
      return r.json.token
    },
    async order(token, productId = 'soap', quantity = 1) {
      const r = await call(M, 'POST', '/api/orders', { body: { productId, quantity }, token })
      assert.equal(r.status, 201, r.text)
      payers.set(r.json.payParams.package, users.get(token))
      return r.json
    },
    pay: async (payParams) => call(W, 'POST', '/sim/cashier/confirm', { body: { ...payParams, payer: payers.get(payParams.package) } }),
    get: async (token, orderId) => (await call(M, 'GET', `/api/orders/${orderId}`, { token })).json,
    /** Polls the order until `done(order)`; bounded by a count of rounds, not by a clock. */
    async until(token, orderId, done) {
      let o
      for (let i = 0; i < 400; i++) {
        o = await self.get(token, orderId)
        if (done(o)) return o
        await new Promise((r) => setTimeout(r, 25))
      }
      return o
    },
    scheduled: async () => call(M, 'GET', '/cdn-cgi/handler/scheduled'),
  }
  return self
}

/** The simulator's own record of a transaction, asked as the merchant asks (signed v3 query). */
async function wechatTransaction(W, outTradeNo) {
  const mc = loadConfig({ DATA_DIR }).merchant
  const signer = createSigner({ mchid: mc.mchid, serialNo: mc.merchantSerialNo, privateKey: mc.merchantPrivateKey })
  const url = `/v3/pay/transactions/out-trade-no/${outTradeNo}?mchid=${mc.mchid}`
  return (await call(W, 'GET', url, { headers: { authorization: await signer.authorization({ method: 'GET', url, body: '' }) } })).json
}

/** A TRANSACTION.SUCCESS notification for `transaction`, signed and encrypted as WeChat Pay would. */
async function notification(transaction, id = crypto.randomUUID()) {
  const body = JSON.stringify({
    id, create_time: new Date().toISOString(), resource_type: 'encrypt-resource', event_type: 'TRANSACTION.SUCCESS', summary: '支付成功',
    resource: { original_type: 'transaction', ...encryptResource(transaction, creds.apiV3Key, { associatedData: 'transaction' }) },
  })
  const signer = createSigner({ mchid: creds.mchid, serialNo: creds.wechatpayPublicKeyId, privateKey: creds.wechatpayPrivateKey })
  return { body, headers: { 'content-type': 'application/json', ...(await signer.responseHeaders({ body })) } }
}

const paidLines = (output, orderId) => output().split('\n').filter((l) => / order\.state /.test(l) && l.includes(`order=${orderId}`) && l.includes('to=PAID'))

let sim
before(async () => {
  sim = await startSimulator()
})
after(async () => {
  await sim.stop()
})

for (const api of ['v3', 'v2']) {
  test(`${ENGINE} ${api}: login → order → cashier → notification → PAID, with the merchant restarted mid-flow`, async () => {
    let merchant = await startMerchant(sim.port, { MERCHANT_API: api })
    const b = buyer(merchant.url, sim.url)
    try {
      const token = await b.login('carol')
      const first = await b.order(token)
      assert.deepEqual((await b.pay(first.payParams)).json, { errMsg: 'requestPayment:ok' })
      assert.equal((await b.until(token, first.orderId, (o) => o.state !== 'CREATED')).state, 'PAID')

      // The order is placed, the merchant goes down, the payer pays, the notification has nowhere to go.
      const second = await b.order(token, 'towel', 2)
      await merchant.stop()
      assert.equal(merchant.exitCode(), 0, 'SIGTERM stops the merchant cleanly')
      const logs = [merchant.output()]
      assert.equal((await b.pay(second.payParams)).status, 200)
      merchant = await startMerchant(sim.port, { MERCHANT_API: api }, merchant)
      const after = await b.until(token, second.orderId, (o) => o.state !== 'CREATED')
      assert.equal(after.state, 'PAID', 'a retry reached the restarted merchant, whose session and order survived')
      assert.equal(after.amount, 3980)
      logs.push(merchant.output())
      for (const secret of [token, creds.apiV3Key, creds.apiV2Key, creds.appSecret]) {
        assert.ok(!logs.some((l) => l.includes(secret)), 'no secret in the logs')
      }
      assert.equal(paidLines(() => logs[0], first.orderId).length, 1)
    } finally {
      await merchant.stop()
    }
  })
}

describe(`${ENGINE}: an API v2 merchant`, () => {
  let m, proxy, b, token
  before(async () => {
    proxy = await startFaultProxy(sim.url)
    m = await startMerchant(sim.port, { MERCHANT_API: 'v2', WECHATPAY_BASE_URL: proxy.url, WECHATPAY_MTLS_BASE_URL: sim.tlsUrl })
    b = buyer(m.url, sim.url)
    token = await b.login('fay')
  })
  after(async () => {
    await m.stop()
    await proxy.close()
  })

  test("sync: WeChat's signed orderquery answer about another order never pays this one", async () => {
    const victim = await b.order(token)
    const paidOne = await b.order(token)
    assert.equal((await b.pay(paidOne.payParams)).status, 200)
    const mc = loadConfig({ DATA_DIR }).merchant
    // the next orderquery (about victim) gets the genuine, signed answer about paidOne
    proxy.fail(/^\/pay\/orderquery$/, async () => {
      const fields = { appid: mc.appId, mch_id: mc.mchid, out_trade_no: paidOne.outTradeNo, nonce_str: nonceStr(), sign_type: 'HMAC-SHA256' }
      const xml = toXml({ ...fields, sign: signV2(fields, { key: mc.apiV2Key, signType: 'HMAC-SHA256' }) })
      return fetch(`${sim.url}/pay/orderquery`, { method: 'POST', body: xml })
    })
    const r = await call(m.url, 'POST', `/api/orders/${victim.orderId}/sync`, { token })
    assert.equal(r.status, 502, r.text)
    assert.match(r.json.message, /WECHATPAY_MISMATCH/)
    assert.equal((await b.get(token, victim.orderId)).state, 'CREATED')
  })

  test(ENGINE === 'node'
    ? 'a refund over mutual TLS: accepted, then its (unsigned) notification confirmed by refundquery: REFUNDED'
    : 'a refund needs the merchant certificate, which the Worker cannot present: 501', async () => {
    const order = await b.order(token)
    assert.equal((await b.pay(order.payParams)).status, 200)
    assert.equal((await b.until(token, order.orderId, (o) => o.state === 'PAID')).state, 'PAID')
    const r = await call(m.url, 'POST', `/api/orders/${order.orderId}/refund`, { token })
    if (ENGINE !== 'node') {
      assert.deepEqual([r.status, r.json.code], [501, 'NOT_SUPPORTED'])
      return
    }
    assert.equal(r.status, 202, r.text)
    assert.equal(r.json.refund.state, 'PROCESSING')
    const done = await b.until(token, order.orderId, (o) => o.state === 'REFUNDED')
    assert.equal(done.state, 'REFUNDED')
    assert.equal(done.refund.state, 'SUCCESS')
    assert.ok(proxy.seen.includes('POST /pay/refundquery'), 'the notification was confirmed by asking WeChat')
    // a forged refund notice (req_info under another key) changes nothing
    const forged = await call(m.url, 'POST', '/api/pay/notify/v2/refund', {
      body: toXml({ return_code: 'SUCCESS', appid: mc().appId, mch_id: mc().mchid, req_info: 'AAAA' }), headers: { 'content-type': 'text/xml' },
    })
    assert.equal(forged.status, 400)
  })
})

describe(`${ENGINE}: a merchant whose notify URL is dead (WeChat's notifications never arrive)`, () => {
  let m, proxy, b, token
  before(async () => {
    proxy = await startFaultProxy(sim.url)
    m = await startMerchant(sim.port, {
      MERCHANT_PUBLIC_URL: `http://127.0.0.1:${await freePort()}`,
      WECHATPAY_BASE_URL: proxy.url,
      ORDER_QUERY_INTERVAL_SECONDS: '3600',
      ORDER_TTL_SECONDS: '0',
    })
    b = buyer(m.url, sim.url)
    token = await b.login('dora')
  })
  after(async () => {
    await m.stop()
    await proxy.close()
  })
  const queries = (order) => proxy.seen.filter((s) => s === `GET /v3/pay/transactions/out-trade-no/${order.outTradeNo}`).length

  test('ten concurrent duplicate notifications (one id; then ten ids) pay the order once', async () => {
    const order = await b.order(token)
    assert.equal((await b.pay(order.payParams)).status, 200)
    const tx = await wechatTransaction(sim.url, order.outTradeNo)
    assert.equal(tx.trade_state, 'SUCCESS')
    const post = (n) => call(m.url, 'POST', '/api/pay/notify', { body: n.body, headers: n.headers })
    const one = await notification(tx)
    const same = await Promise.all(Array.from({ length: 10 }, () => post(one)))
    assert.deepEqual(same.map((r) => r.status), Array(10).fill(204))
    const many = await Promise.all(await Promise.all(Array.from({ length: 10 }, async () => post(await notification(tx)))))
    assert.deepEqual(many.map((r) => r.status), Array(10).fill(204))
    const paid = await b.get(token, order.orderId)
    assert.equal(paid.state, 'PAID')
    assert.equal(paid.transactionId, tx.transaction_id)
    assert.equal(paidLines(m.output, order.orderId).length, 1, 'one CREATED → PAID transition')
    // Genuinely WeChat's, but about a transaction that already pays another order: refused.
    const other = await b.order(token)
    const wrong = await notification({ ...tx, out_trade_no: other.outTradeNo, transaction_id: tx.transaction_id })
    assert.equal((await post(wrong)).status, 400)
    assert.equal((await b.get(token, other.orderId)).state, 'CREATED')
  })

  test('sync: a paid order whose notification was lost becomes PAID by asking WeChat, at most once per interval', async () => {
    const order = await b.order(token)
    const early = await call(m.url, 'POST', `/api/orders/${order.orderId}/sync`, { token })
    assert.deepEqual([early.status, early.json.state], [200, 'CREATED'])
    assert.equal(queries(order), 1, 'asked WeChat: NOTPAY')
    assert.equal((await b.pay(order.payParams)).status, 200)
    const limited = await call(m.url, 'POST', `/api/orders/${order.orderId}/sync`, { token })
    assert.deepEqual([limited.status, limited.json.state], [200, 'CREATED'], 'asked too recently: the current state, without asking')
    assert.equal(queries(order), 1)

    const paid = await b.order(token, 'towel')
    assert.equal((await b.pay(paid.payParams)).status, 200)
    assert.equal((await b.get(token, paid.orderId)).state, 'CREATED', 'the notification is lost')
    const synced = await call(m.url, 'POST', `/api/orders/${paid.orderId}/sync`, { token })
    assert.equal(synced.status, 200)
    assert.equal(synced.json.state, 'PAID')
    assert.match(synced.json.transactionId, /^4200\d{24}$/)
    assert.equal(paidLines(m.output, paid.orderId).length, 1)
    const again = await call(m.url, 'POST', `/api/orders/${paid.orderId}/sync`, { token })
    assert.equal(again.json.state, 'PAID')
    assert.equal(queries(paid), 1, 'a PAID order is not asked about')
  })

  test("sync: WeChat's signed answer about another order never pays this one", async () => {
    // The same product: the amount matches, only out_trade_no tells the answers apart.
    const victim = await b.order(token)
    const paidOne = await b.order(token)
    assert.equal((await b.pay(paidOne.payParams)).status, 200)
    // The network hands back the (genuine, signed) answer about paidOne when asked about victim.
    proxy.fail(new RegExp(`/out-trade-no/${victim.outTradeNo}$`), async () => {
      const mc = loadConfig({ DATA_DIR }).merchant
      const signer = createSigner({ mchid: mc.mchid, serialNo: mc.merchantSerialNo, privateKey: mc.merchantPrivateKey })
      const url = `/v3/pay/transactions/out-trade-no/${paidOne.outTradeNo}?mchid=${mc.mchid}`
      return fetch(sim.url + url, { headers: { authorization: await signer.authorization({ method: 'GET', url, body: '' }), accept: 'application/json' } })
    })
    // the package's client refuses the answer (ERR_ANSWER_MISMATCH): the check fails, nothing is marked paid
    const r = await call(m.url, 'POST', `/api/orders/${victim.orderId}/sync`, { token })
    assert.equal(r.status, 502, r.text)
    assert.equal(r.json.code, 'WECHATPAY_ERROR')
    assert.match(r.json.message, /WECHATPAY_MISMATCH/)
    assert.equal((await b.get(token, victim.orderId)).state, 'CREATED')
    assert.equal(paidLines(m.output, victim.orderId).length, 0)
  })

  test('a refund WeChat made but whose answer was lost: asking again gets that refund, never a second one', async () => {
    const order = await b.order(token)
    await b.pay(order.payParams)
    assert.equal((await call(m.url, 'POST', `/api/orders/${order.orderId}/sync`, { token })).json.state, 'PAID')
    proxy.fail(/\/v3\/refund\/domestic\/refunds$/, 'lose')
    assert.equal((await call(m.url, 'POST', `/api/orders/${order.orderId}/refund`, { token })).status, 502)
    const again = await call(m.url, 'POST', `/api/orders/${order.orderId}/refund`, { token })
    // The simulator refuses a second refund of the whole amount (NOT_ENOUGH): a 202 means the same out_refund_no,
    // and WeChat's answer to the repeat (the refund already made, SUCCESS) settles it with no notification at all.
    assert.equal(again.status, 202, again.text)
    assert.equal(again.json.refund.state, 'SUCCESS')
    assert.equal(again.json.state, 'REFUNDED')
    assert.ok(m.output().includes(`refund.accepted out_refund_no=${again.json.refund.outRefundNo}`))
    const third = await call(m.url, 'POST', `/api/orders/${order.orderId}/refund`, { token })
    assert.equal(third.status, 202)
    assert.equal(proxy.seen.filter((x) => x === 'POST /v3/refund/domestic/refunds').length, 2, 'answered once: not asked a third time')
  })

  test('the scheduled job pays what WeChat says is paid, and closes unpaid orders past their expiry at WeChat too', async () => {
    const paid = await b.order(token)
    const abandoned = await b.order(token, 'towel')
    assert.equal((await b.pay(paid.payParams)).status, 200)
    const r = await b.scheduled()
    assert.deepEqual([r.status, r.text], [200, 'ok'])
    assert.equal((await b.get(token, paid.orderId)).state, 'PAID')
    assert.equal(paidLines(m.output, paid.orderId).length, 1)
    assert.equal((await b.get(token, abandoned.orderId)).state, 'CLOSED')
    const late = await b.pay(abandoned.payParams)
    assert.equal(late.status, 400)
    assert.equal(late.json.code, 'ORDER_CLOSED', 'closed at WeChat as well')
  })
})

describe(`${ENGINE}: a merchant whose network to WeChat fails (a proxy breaks calls on request)`, () => {
  let m, proxy, b, token
  before(async () => {
    proxy = await startFaultProxy(sim.url)
    m = await startMerchant(sim.port, { WECHATPAY_BASE_URL: proxy.url, WECHAT_API_BASE_URL: proxy.url, WECHAT_TIMEOUT_MS: '5000', REFUND_RETRY_SECONDS: '0' })
    b = buyer(m.url, sim.url)
    token = await b.login('erin')
  })
  after(async () => {
    await m.stop()
    await proxy.close()
  })
  const refundCalls = () => proxy.seen.filter((s) => s === 'POST /v3/refund/domestic/refunds').length
  const paidOrder = async () => {
    const order = await b.order(token)
    await b.pay(order.payParams)
    assert.equal((await b.until(token, order.orderId, (o) => o.state === 'PAID')).state, 'PAID')
    return order
  }

  test('a refund whose call failed is resubmitted with the same out_refund_no when asked again', async () => {
    const order = await paidOrder()
    proxy.fail(/\/v3\/refund\/domestic\/refunds$/, '502')
    const failed = await call(m.url, 'POST', `/api/orders/${order.orderId}/refund`, { token })
    assert.equal(failed.status, 502)
    assert.equal(failed.json.code, 'WECHATPAY_ERROR')
    const pending = await b.get(token, order.orderId)
    assert.equal(pending.refund.state, 'PROCESSING')
    const calls = refundCalls()
    const again = await call(m.url, 'POST', `/api/orders/${order.orderId}/refund`, { token })
    assert.equal(again.status, 202)
    assert.equal(refundCalls(), calls + 1, 'asked WeChat again')
    assert.equal(again.json.refund.outRefundNo, pending.refund.outRefundNo, 'with the same out_refund_no')
    const done = await b.until(token, order.orderId, (o) => o.state === 'REFUNDED')
    assert.equal(done.state, 'REFUNDED')
    assert.equal(done.refund.state, 'SUCCESS')
  })

  test('a refund WeChat never received is resubmitted by the scheduled job', async () => {
    const order = await paidOrder()
    proxy.fail(/\/v3\/refund\/domestic\/refunds$/, '502')
    assert.equal((await call(m.url, 'POST', `/api/orders/${order.orderId}/refund`, { token })).status, 502)
    const { refund } = await b.get(token, order.orderId)
    const calls = refundCalls()
    const r = await b.scheduled()
    assert.equal(r.status, 200)
    assert.equal(refundCalls(), calls + 1, 'the job asked WeChat again')
    assert.ok(m.output().includes(`refund.accepted out_refund_no=${refund.outRefundNo}`), 'with the same out_refund_no')
    const done = await b.until(token, order.orderId, (o) => o.state === 'REFUNDED')
    assert.equal(done.state, 'REFUNDED')
  })

  test('WeChat accepting and never answering: login and ordering end with a 504 {code, message}', { timeout: 120_000 }, async () => {
    proxy.fail(/\/sns\/jscode2session$/, 'hang')
    const { json: { code } } = await call(sim.url, 'POST', '/sim/wx/login', { body: { user: 'erin' } })
    const login = await call(m.url, 'POST', '/api/login', { body: { code } })
    assert.equal(login.status, 504)
    assert.equal(login.json.code, 'WECHAT_TIMEOUT')
    assert.equal(typeof login.json.message, 'string')
    proxy.fail(/\/v3\/pay\/transactions\/jsapi$/, 'hang')
    const order = await call(m.url, 'POST', '/api/orders', { body: { productId: 'soap', quantity: 1 }, token })
    assert.equal(order.status, 504)
    assert.equal(order.json.code, 'WECHATPAY_TIMEOUT')
    const list = (await call(m.url, 'GET', '/api/orders', { token })).json
    assert.equal(list[0].state, 'CLOSED', 'the order without a prepay_id is closed, not left dangling')
  })
})

describe(`${ENGINE}: inputs`, () => {
  let m, b, token, order
  before(async () => {
    m = await startMerchant(sim.port)
    b = buyer(m.url, sim.url)
    token = await b.login('fred')
    order = await b.order(token)
  })
  after(async () => {
    await m.stop()
  })

  test('login codes with a space, a newline, a NUL or non-ASCII are a 400 {code, message}, not a 500', async () => {
    for (const code of ['a b', 'a\nb', 'a\u0000b', '登录', 'é', 'x'.repeat(129), '', ' ']) {
      const r = await call(m.url, 'POST', '/api/login', { body: { code } })
      assert.equal(r.status, 400, JSON.stringify(code))
      assert.equal(r.json.code, 'INVALID_REQUEST')
      assert.equal(typeof r.json.message, 'string')
    }
  })

  test('no input reaches a 500: every endpoint with odd paths, headers and bodies', async () => {
    const oddIds = ['%00', '%E0%A4%A', 'x'.repeat(2000), '..%2F..', '%F0%9F%98%80', 'AAAAAAAAAAAAAAAA', "' OR 1=1 --"]
    const bodies = ['', '{', '[]', 'null', '"x"', '{"code":{}}', new Uint8Array([0xff, 0xfe, 0x00]), '<xml><a>', '{"productId":"soap","quantity":1e400}']
    const auths = [undefined, 'Bearer', 'Bearer x', `Bearer ${'A'.repeat(200)}`, 'Basic Zm9vOmJhcg==', `Bearer ${token}`]
    const routes = [['POST', '/api/login'], ['GET', '/api/products'], ['GET', '/api/products/%00'], ['POST', '/api/orders'], ['GET', '/api/orders'],
      ['POST', '/api/pay/notify'], ['POST', '/api/pay/notify/v2'], ['DELETE', '/api/orders'], ['PUT', '/api/login']]
    for (const id of oddIds) for (const suffix of ['', '/sync', '/close', '/refund']) routes.push([suffix ? 'POST' : 'GET', `/api/orders/${id}${suffix}`])
    let n = 0
    for (const [method, url] of routes) {
      for (const authorization of auths) {
        for (const body of method === 'GET' ? [undefined] : bodies) {
          const r = await call(m.url, method, url, { body, headers: authorization ? { authorization, 'wechatpay-signature': 'x', 'wechatpay-serial': 'y' } : {} })
          n++
          assert.ok(r.status < 500, `${method} ${url} ${authorization} ${body}: ${r.status} ${r.text}`)
          if (!url.endsWith('/v2') && r.status >= 400) assert.ok(typeof r.json?.code === 'string' && typeof r.json?.message === 'string', `${method} ${url}: ${r.text}`)
        }
      }
    }
    assert.ok(n > 500)
    assert.equal((await b.get(token, order.orderId)).state, 'CREATED')
  })

  test('a body over 64 KB is a 413 on every route, declared or chunked, and nothing is done', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(65 * 1024) })
    const routes = ['/api/login', '/api/orders', `/api/orders/${order.orderId}/close`, `/api/orders/${order.orderId}/refund`,
      `/api/orders/${order.orderId}/sync`, '/api/pay/notify', '/api/pay/notify/v2', '/api/products']
    const chunked = (url) => new Promise((resolve, reject) => {
      const req = http.request(m.url + url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'transfer-encoding': 'chunked' } }, (res) => {
        let text = ''
        res.on('data', (d) => { text += d })
        res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(text) }))
      })
      req.on('error', reject)
      for (let i = 0; i < 5; i++) req.write('x'.repeat(13 * 1024 + 1))
      req.end()
    })
    for (const url of routes) {
      const declared = await call(m.url, 'POST', url, { body: big, token })
      assert.deepEqual([declared.status, declared.json?.code], [413, 'BODY_TOO_LARGE'], `declared ${url}`)
      const streamed = await chunked(url)
      assert.deepEqual([streamed.status, streamed.json.code], [413, 'BODY_TOO_LARGE'], `chunked ${url}`)
    }
    assert.equal((await b.get(token, order.orderId)).state, 'CREATED', 'the oversized close did nothing')
  })

  test("GET /api/orders: this buyer's orders, newest first, at most 50, each with its fields", async () => {
    const other = await b.login('gina')
    const theirs = await b.order(other)
    const mine = [order]
    for (let i = 0; i < 51; i++) mine.push(await b.order(token, ['soap', 'towel', 'toothbrush'][i % 3], 1 + (i % 2)))
    await b.pay(mine.at(-1).payParams)
    await b.until(token, mine.at(-1).orderId, (o) => o.state === 'PAID')
    const list = await call(m.url, 'GET', '/api/orders', { token })
    assert.equal(list.status, 200)
    assert.equal(list.json.length, 50)
    assert.deepEqual(list.json.map((o) => o.orderId), mine.slice(-50).reverse().map((o) => o.orderId))
    assert.ok(!list.json.some((o) => o.orderId === theirs.orderId))
    const [newest, next] = list.json
    assert.deepEqual(Object.keys(newest).sort(), ['amount', 'createdAt', 'description', 'orderId', 'outTradeNo', 'productId', 'quantity', 'state', 'transactionId'])
    assert.deepEqual({ ...newest, createdAt: undefined, transactionId: undefined }, {
      orderId: mine.at(-1).orderId, outTradeNo: mine.at(-1).outTradeNo, state: 'PAID', amount: mine.at(-1).amount,
      description: mine.at(-1).description, productId: 'toothbrush', quantity: 1, createdAt: undefined, transactionId: undefined,
    })
    assert.match(newest.transactionId, /^4200\d{24}$/)
    assert.ok(!('transactionId' in next))
    assert.ok(Date.parse(newest.createdAt) >= Date.parse(next.createdAt))
    assert.deepEqual((await call(m.url, 'GET', '/api/orders', { token: other })).json.map((o) => o.orderId), [theirs.orderId])
    assert.equal((await call(m.url, 'GET', '/api/orders')).status, 401)
  })
})

describe(`${ENGINE}: purging`, () => {
  let m, b
  before(async () => {
    m = await startMerchant(sim.port, { RETENTION_SECONDS: '0', MAINTENANCE_INTERVAL_SECONDS: '1' })
    b = buyer(m.url, sim.url)
  })
  after(async () => {
    await m.stop()
  })

  test('closed unpaid orders are deleted by the scheduled job after the retention; paid ones stay', async () => {
    const token = await b.login('hana')
    const closed = await b.order(token)
    const paid = await b.order(token, 'towel')
    await b.pay(paid.payParams)
    await b.until(token, paid.orderId, (o) => o.state === 'PAID')
    assert.equal((await call(m.url, 'POST', `/api/orders/${closed.orderId}/close`, { token })).json.state, 'CLOSED')
    assert.equal((await b.scheduled()).status, 200)
    assert.equal((await call(m.url, 'GET', `/api/orders/${closed.orderId}`, { token })).status, 404)
    assert.deepEqual((await call(m.url, 'GET', '/api/orders', { token })).json.map((o) => o.orderId), [paid.orderId])
  })

  test('the job also runs on its own, every MAINTENANCE_INTERVAL_SECONDS', async () => {
    const runs = () => (m.output().match(/ maintenance\.done /g) || []).length
    for (let i = 0; i < 2000 && runs() < 2; i++) await new Promise((r) => setTimeout(r, 25))
    assert.ok(runs() >= 2, 'the trigger ran it once; the timer did too')
  })
})
