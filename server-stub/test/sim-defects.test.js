// Defects an independent test found in the simulator (issue 10), and its DevTools mode (issue 11), each held
// by a test: redirects are not deliveries and are never followed; every notification attempt has a timeout;
// the purge bounds what unauthenticated calls can store; DevTools login codes only when switched on.
import assert from 'node:assert/strict'
import http from 'node:http'
import { test } from 'node:test'
import { openidFor } from '../src/wechat/ids.js'
import { createSim, jsapiOrder, payJsapi } from './sim-world.js'

/** A real HTTP server on a free port; `handler(req, res)` decides. Resolves its URL and a close(). */
function server(handler) {
  const hits = []
  const s = http.createServer((req, res) => {
    hits.push({ method: req.method, url: req.url })
    handler(req, res)
  })
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${s.address().port}`,
    hits,
    close: () => new Promise((r) => {
      s.closeAllConnections()
      s.close(r)
    }),
  })))
}

async function paidWithNotifyUrl(w, notifyUrl, user = 'alice') {
  const order = jsapiOrder(w.direct, { notify_url: notifyUrl, payer: { openid: openidFor(w.direct.appId, user) } })
  const r = await w.client().call('POST', '/v3/pay/transactions/jsapi', order)
  assert.equal(r.status, 200)
  assert.equal((await payJsapi(w, w.direct, r.json.prepay_id, user)).status, 200)
  return order
}
const delivery = (w) => ({ ...w.db.prepare('SELECT state, attempts, last_result FROM wx_deliveries').get() })

test('a 302 from the notify_url is not a delivery: never followed, retried on the schedule until a 2xx', async () => {
  const elsewhere = await server((req, res) => res.writeHead(200).end('ok'))
  let answer = 302
  const merchant = await server((req, res) => {
    req.resume()
    if (answer === 302) res.writeHead(302, { location: `${elsewhere.url}/steal` }).end()
    else res.writeHead(204).end()
  })
  try {
    const w = createSim({ fetch: globalThis.fetch })
    await paidWithNotifyUrl(w, `${merchant.url}/notify`)
    assert.deepEqual(delivery(w), { state: 'PENDING', attempts: 1, last_result: 'HTTP 302' })
    w.clock.now += 60_000
    await w.sim.notifier.runDue()
    assert.deepEqual(delivery(w), { state: 'PENDING', attempts: 2, last_result: 'HTTP 302' })
    assert.equal(elsewhere.hits.length, 0, 'the simulator never requests another host')
    answer = 204
    w.clock.now += 60_000
    await w.sim.notifier.runDue()
    assert.deepEqual(delivery(w), { state: 'DELIVERED', attempts: 3, last_result: 'HTTP 204' })
    assert.deepEqual(merchant.hits.map((h) => h.method), ['POST', 'POST', 'POST'])
  } finally {
    await merchant.close()
    await elsewhere.close()
  }
})

test('a notify_url that accepts and never answers: the attempt times out, and is retried', async () => {
  const silent = await server(() => {}) // reads nothing, answers nothing
  try {
    const w = createSim({ fetch: globalThis.fetch, env: { SIM_NOTIFY_TIMEOUT_MS: '200' } })
    await paidWithNotifyUrl(w, `${silent.url}/notify`)
    assert.deepEqual(delivery(w), { state: 'PENDING', attempts: 1, last_result: 'timeout' })
    assert.equal(silent.hits.length, 1)
  } finally {
    await silent.close()
  }
})

test('purge: expired login codes, abandoned orders, old notifications go; paid orders stay', async () => {
  const w = createSim()
  for (let i = 0; i < 500; i++) await w.app.request('/sim/wx/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  assert.equal(w.count('SELECT count(*) FROM wx_login_codes'), 500)
  const paid = await paidWithNotifyUrl(w, 'https://merchant.example/notify')
  const c = w.client()
  await c.call('POST', '/v3/pay/transactions/jsapi', jsapiOrder(w.direct, { out_trade_no: 'ABANDONED1' }))
  await c.call('POST', '/v3/pay/transactions/jsapi', jsapiOrder(w.direct, { out_trade_no: 'CLOSED0001' }))
  await c.call('POST', '/v3/pay/transactions/out-trade-no/CLOSED0001/close', { mchid: w.direct.mchid })
  assert.equal(w.sim.janitor.run(), 0, 'nothing has expired yet')

  w.clock.now += 301 * 1000 // past the login codes' 5 minutes
  w.sim.janitor.run()
  assert.equal(w.count('SELECT count(*) FROM wx_login_codes'), 0)
  assert.equal(w.count('SELECT count(*) FROM wx_transactions'), 3)
  w.clock.now += 24 * 3600 * 1000 // past the retention of the closed order and the delivered notification
  w.sim.janitor.run()
  assert.deepEqual(w.db.prepare('SELECT out_trade_no FROM wx_transactions ORDER BY out_trade_no').pluck().all(), ['ABANDONED1', paid.out_trade_no].sort())
  assert.equal(w.count('SELECT count(*) FROM wx_deliveries'), 0)
  w.clock.now += 7 * 24 * 3600 * 1000 // the unpaid order expired (7 days) a day ago
  w.sim.janitor.run()
  assert.deepEqual(w.db.prepare('SELECT out_trade_no FROM wx_transactions').pluck().all(), [paid.out_trade_no], 'the paid order stays for the bills')
  assert.ok(w.lines.some((l) => l.includes(' purge rows=')))
  w.clock.now += 93 * 24 * 3600 * 1000
  w.sim.janitor.run()
  assert.equal(w.count('SELECT count(*) FROM wx_transactions'), 0, 'after the three-month bill window')
})

test('jscode2session takes a WeChat DevTools code only in DevTools mode (off by default), once, as the user devtools', async () => {
  const devtoolsCode = '0c3Xa1100aBcDe2fGh3iJk4lMn5oPq6r' // shaped like DevTools' own: the simulator never issued it
  const session = async (w, code) => (await w.app.request(`/sns/jscode2session?appid=${w.direct.appId}&secret=${w.direct.appSecret}&js_code=${code}&grant_type=authorization_code`)).json()
  const off = createSim()
  assert.equal((await session(off, devtoolsCode)).errcode, 40029)
  assert.equal(off.config.wechat.devtoolsLogin, false)

  const on = createSim({ env: { SIM_DEVTOOLS_LOGIN: '1' } })
  const first = await session(on, devtoolsCode)
  assert.equal(first.openid, openidFor(on.direct.appId, 'devtools'))
  assert.equal((await session(on, devtoolsCode)).errcode, 40029, 'once')
  assert.equal((await session(on, 'x y')).errcode, 40029, 'not shaped like a code')
  // A code the simulator issued and that was used stays used, DevTools mode or not.
  const { code } = await (await on.app.request('/sim/wx/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user":"zoe"}' })).json()
  assert.equal((await session(on, code)).openid, openidFor(on.direct.appId, 'zoe'))
  assert.equal((await session(on, code)).errcode, 40029)
  // The DevTools user pays its own orders at the cashier page's default payer.
  const page = await on.app.request('/sim/cashier')
  assert.equal(page.status, 200)
  assert.match(page.headers.get('content-type'), /^text\/html/)
  const html = await page.text()
  assert.match(html, /value="devtools"/)
  assert.match(html, /确认支付/)
})
