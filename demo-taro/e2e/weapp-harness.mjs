// Runs the built mini program (dist/) in Node with stand-in App/Page/wx globals and taps through
// list → soap detail → quantity + → 立即下单 → requestPayment (cancel, then 重新支付 and confirm) → 支付成功,
// against the real server-stub: wx.login asks the simulator for a code, wx.requestPayment goes to the
// simulator's cashier, wx.request is real HTTP. It executes Taro's real runtime, so Taro stays pinned.
// Then as in WeChat DevTools with the tourist appid: wx.login gives a code the simulator never issued and
// wx.requestPayment cannot pay. Without the simulator's DevTools login mode the buyer reads a Chinese login error;
// with it (SIM_DEVTOOLS_LOGIN=1, as start.sh runs it) the order is placed, paid on the simulator's cashier page
// (in Chromium, with the params the app copies) and 查询支付结果 shows 支付成功.
// Usage: node e2e/weapp-harness.mjs [v3|v2]   (the merchant API server-stub is started with)
import crypto from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { MERCHANT, SIM, startServerStub } from '../scripts/servers.mjs'
import { check, finish } from './check.mjs'
import { launchChromium, yuan } from './h5-page.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const dist = path.join(here, '../dist')
const require = createRequire(import.meta.url)
const merchantApi = process.argv[2] || 'v3'
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

// ---- wx stand-in: records every boundary call -------------------------------------------------------------
const calls = []
const storage = new Map()
const modals = []
const loadings = []
const payAnswers = ['cancel', 'confirm'] // the user cancels the first cashier, then pays
let lastOrderResponse = null
// 'simulator': codes and payments through the simulator; 'devtools': as WeChat DevTools with the tourist appid.
let wxMode = 'simulator'
let clipboard = null
// What the harness's DevTools answers to requestPayment. The real text depends on the DevTools version; the app
// must not depend on it (any failure but a cancel is handled alike).
const DEVTOOLS_PAY_FAIL = 'requestPayment:fail no permission'
/** A code like DevTools' wx.login gives: 32 letters and digits the simulator never issued. */
const devtoolsCode = () => crypto.randomBytes(24).toString('base64').replace(/[^0-9A-Za-z]/g, '').slice(0, 32).padEnd(32, '0')
const settle = (o, ok, res) => { (ok ? o.success : o.fail)?.(res); o.complete?.(res) }
const postJson = async (url, body) => {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: r.status, data: await r.json().catch(() => null) }
}

const wxImpl = {
  login(o = {}) {
    calls.push('wx.login')
    if (wxMode === 'devtools') return setTimeout(() => settle(o, true, { code: devtoolsCode(), errMsg: 'login:ok' }), 0)
    postJson(`${SIM}/sim/wx/login`, {}).then(
      (r) => settle(o, r.status === 200, { code: r.data?.code, errMsg: r.status === 200 ? 'login:ok' : `login:fail ${r.status}` }),
      (e) => settle(o, false, { errMsg: `login:fail ${e.message}` }))
  },
  request(o = {}) {
    const method = o.method || 'GET'
    calls.push(`wx.request ${method} ${o.url.replace(MERCHANT, '')}`)
    fetch(o.url, { method, headers: o.header, body: method === 'GET' ? undefined : JSON.stringify(o.data) })
      .then(async (r) => {
        const data = await r.json().catch(() => null)
        if (method === 'POST' && o.url === `${MERCHANT}/api/orders` && r.status === 201) lastOrderResponse = data
        settle(o, true, { data, statusCode: r.status, header: Object.fromEntries(r.headers), errMsg: 'request:ok' })
      }, (e) => settle(o, false, { errMsg: `request:fail ${e.message}` }))
    return { abort() {}, onHeadersReceived() {}, offHeadersReceived() {} }
  },
  requestPayment(o = {}) {
    const { success, fail, complete, ...params } = o
    if (wxMode === 'devtools') {
      calls.push('wx.requestPayment devtools')
      return setTimeout(() => settle(o, false, { errMsg: DEVTOOLS_PAY_FAIL }), 0)
    }
    const answer = payAnswers.shift() || 'confirm'
    calls.push(`wx.requestPayment ${answer}`)
    check(`requestPayment gets the server's payParams untouched (${answer})`,
      JSON.stringify(params) === JSON.stringify(lastOrderResponse?.payParams), JSON.stringify(params))
    // wx.login above asks the simulator for the user 'default' (its default): the cashier pays as that user.
    const done = answer === 'cancel' ? postJson(`${SIM}/sim/cashier/cancel`, { package: params.package }) : postJson(`${SIM}/sim/cashier/confirm`, { ...params, payer: 'default' })
    done.then((r) => settle(o, r.data?.errMsg === 'requestPayment:ok', r.data || { errMsg: `requestPayment:fail ${r.status}` }),
      (e) => settle(o, false, { errMsg: `requestPayment:fail ${e.message}` }))
  },
  showModal(o = {}) {
    modals.push(o.title)
    calls.push(`wx.showModal ${o.title}`)
    setTimeout(() => settle(o, true, { confirm: true, cancel: false, errMsg: 'showModal:ok' }), 0)
  },
  showLoading(o = {}) { loadings.push(o.title); settle(o, true, { errMsg: 'showLoading:ok' }) },
  hideLoading(o = {}) { settle(o, true, { errMsg: 'hideLoading:ok' }) },
  setClipboardData(o = {}) { clipboard = o.data; settle(o, true, { errMsg: 'setClipboardData:ok' }) },
  navigateTo(o) { openPage(o.url); settle(o, true, { errMsg: 'navigateTo:ok' }) },
  redirectTo(o) { stack.pop()?.onUnload?.(); openPage(o.url); settle(o, true, { errMsg: 'redirectTo:ok' }) },
  reLaunch(o) { while (stack.length) stack.pop().onUnload?.(); openPage(o.url); settle(o, true, { errMsg: 'reLaunch:ok' }) },
  getStorageSync: (k) => (storage.has(k) ? storage.get(k) : ''),
  setStorageSync: (k, v) => { storage.set(k, v) },
  getSystemInfoSync: () => ({ platform: 'devtools', windowWidth: 375, windowHeight: 667, pixelRatio: 2, screenWidth: 375, screenHeight: 667, SDKVersion: '3.0.0' }),
  getWindowInfo: () => ({ windowWidth: 375, windowHeight: 667, pixelRatio: 2, screenWidth: 375, screenHeight: 667 }),
  getAppBaseInfo: () => ({ SDKVersion: '3.0.0' }),
  getDeviceInfo: () => ({ platform: 'devtools' }),
  canIUse: () => true,
  nextTick: (f) => setTimeout(f, 0)
}
// Anything else Taro touches (onAppShow, setNavigationBarTitle…) succeeds quietly, like a device with nothing to say.
globalThis.wx = new Proxy(wxImpl, {
  get: (t, k) => (k in t ? t[k] : typeof k === 'string' ? (o = {}) => settle(o || {}, true, { errMsg: `${k}:ok` }) : undefined)
})

// ---- App/Page stand-ins with a page stack -----------------------------------------------------------------
let app = null
let loadingRoute = null
const pageConfigs = new Map()
const stack = []
globalThis.App = (c) => { app = c }
globalThis.Page = (c) => { pageConfigs.set(loadingRoute, c) }
globalThis.Component = () => {}
globalThis.getApp = () => app
globalThis.getCurrentPages = () => stack
globalThis.requirePlugin = () => ({})

function setPath(obj, key, val) {
  const parts = key.replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean)
  let o = obj
  for (let i = 0; i < parts.length - 1; i++) o = o[parts[i]] ??= /^\d+$/.test(parts[i + 1]) ? [] : {}
  o[parts[parts.length - 1]] = val
}

function openPage(url) {
  const [route, query = ''] = url.replace(/^\//, '').split('?')
  loadingRoute = route
  require(path.join(dist, `${route}.js`))
  const config = pageConfigs.get(route)
  const page = Object.assign(Object.create(config), {
    route, __wxWebviewId__: stack.length + 1, options: {},
    data: structuredClone(config.data || {}),
    setData(d, done) { for (const k of Object.keys(d)) setPath(this.data, k, d[k]); if (done) setTimeout(done, 0) },
    selectComponent: () => null,
    createSelectorQuery: () => ({})
  })
  stack.at(-1)?.onHide?.()
  stack.push(page)
  // Like WeChat, query values arrive still URL-encoded.
  page.onLoad(Object.fromEntries(query.split('&').filter(Boolean).map((kv) => kv.split('='))))
  page.onShow?.()
  page.onReady?.()
}

// ---- reading and tapping the rendered tree ----------------------------------------------------------------
const text = (n) => (n ? (n.v !== undefined ? String(n.v) : '') + (n.cn || []).map(text).join('') : '')
const find = (n, pred) => {
  if (!n) return null
  if (pred(n)) return n
  for (const c of n.cn || []) { const r = find(c, pred); if (r) return r }
  return null
}
const current = () => stack.at(-1)
const byId = (id) => find(current()?.data.root, (n) => n.uid === id)
async function waitFor(what, pred, ms = 10000) {
  for (const t0 = Date.now(); Date.now() - t0 < ms; await sleep(25)) if (pred()) return true
  throw new Error(`timed out waiting for ${what}`)
}
function tap(id) {
  const node = byId(id)
  if (!node) throw new Error(`no node #${id} on ${current()?.route}`)
  const target = { id, dataset: { sid: node.sid } }
  current().eh({ type: 'tap', timeStamp: Date.now(), detail: { x: 1, y: 1 }, target, currentTarget: target })
}

// ---- the walk-through -------------------------------------------------------------------------------------
// Errors thrown inside the app's event handlers surface here, not in the walk-through.
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (e) => check(`no ${event}`, false, e?.stack || String(e)))
}
let stub = null
try {
  const logFile = path.join(here, 'artifacts', `server-stub-weapp-${merchantApi}.log`)
  fs.rmSync(logFile, { force: true })
  stub = await startServerStub({ env: { MERCHANT_API: merchantApi, DB_PATH: ':memory:' }, logFile })
  const soap = (await (await fetch(`${MERCHANT}/api/products`)).json()).find((p) => p.specs?.silkiness)
  check('server lists a soap with silkiness', !!soap)
  require(path.join(dist, 'app.js'))
  check('app.js calls App()', !!app)
  app.onLaunch?.({ path: 'pages/index/index', query: {}, scene: 1001 })
  app.onShow?.({ path: 'pages/index/index', query: {}, scene: 1001 })
  openPage('pages/index/index')
  await waitFor('product list', () => byId(`product-${soap.id}`))
  check('list renders the soap', text(byId(`product-${soap.id}`)).includes(soap.name))

  tap(`product-${soap.id}`)
  await waitFor('detail page', () => current().route === 'pages/product/index' && byId('spec-silkiness'))
  check('detail shows 丝滑度', text(byId('spec-silkiness')) === `丝滑度: ${soap.specs.silkiness}`, text(byId('spec-silkiness')))
  check('detail shows size', text(byId('spec-size')).includes(soap.specs.size))
  tap('qty-plus')
  await waitFor('quantity 2', () => text(byId('qty')) === '2')

  tap('buy')
  await waitFor('payment outcome', () => /^支付(成功|失败|结果确认中)/.test(text(byId("status"))), 20000)
  const orderId = lastOrderResponse?.orderId
  check('status shows 支付成功 with the order id', text(byId('status')) === `支付成功 订单号 ${orderId}`, text(byId('status')))
  check('cancel offered a retry, then success was shown', modals.join(' | ') === '支付已取消 | 支付成功', modals.join(' | '))
  check('payParams match the merchant API', merchantApi === 'v2'
    ? ['MD5', 'HMAC-SHA256'].includes(lastOrderResponse?.payParams.signType)
    : lastOrderResponse?.payParams.signType === 'RSA', lastOrderResponse?.payParams.signType)
  const expected = ['wx.login', 'wx.request POST /api/login', 'wx.request POST /api/orders', 'wx.requestPayment cancel',
    'wx.showModal 支付已取消', 'wx.requestPayment confirm', 'wx.request GET /api/orders/']
  const seen = calls.filter((c) => !c.startsWith('wx.request GET /api/products')).map((c) => c.replace(/\/api\/orders\/.+/, '/api/orders/'))
  check('loading shown while ordering and while asking the merchant', loadings.includes('下单中…') && loadings.includes('确认支付结果…'), loadings.join(' | '))
  check('boundary calls in order: login → order → pay → ask merchant', expected.every((c, i) => seen[i] === c), seen.join(' | '))
  const token = storage.get('merchant-session')?.token
  const onServer = await (await fetch(`${MERCHANT}/api/orders/${orderId}`, { headers: { authorization: `Bearer ${token}` } })).json()
  check('merchant has the order PAID for price × 2', onServer.state === 'PAID' && onServer.amount === soap.price * 2, JSON.stringify(onServer))

  tap('orders')
  await waitFor('我的订单', () => current().route === 'pages/orders/index' && byId(`state-${orderId}`))
  check('我的订单 lists the order as 已支付', text(byId(`state-${orderId}`)) === '已支付', text(byId(`order-${orderId}`)))
  check('the order shows its product\'s picture', JSON.stringify(byId(`order-${orderId}`)).includes(`/assets/products/${soap.id}.svg`))
  check('the picture is in the mini program', fs.existsSync(path.join(dist, `assets/products/${soap.id}.svg`)))

  // ---- WeChat DevTools, without the simulator's DevTools login mode: a Chinese error, no English 401 ----------
  wxMode = 'devtools'
  storage.clear()
  wx.reLaunch({ url: `/pages/product/index?id=${soap.id}` })
  await waitFor('detail page', () => byId('buy'))
  tap('buy')
  await waitFor('order error', () => byId('order-error'))
  check('DevTools code without the login mode: the buyer reads a Chinese login error',
    text(byId('order-error')) === '下单失败: 微信登录凭证无效或已过期,请重试 (错误码 INVALID_LOGIN_CODE)', text(byId('order-error')))
  await stub.stop()

  // ---- WeChat DevTools with the login mode, as start.sh runs the simulator --------------------------------
  stub = await startServerStub({ env: { MERCHANT_API: merchantApi, DB_PATH: ':memory:', SIM_DEVTOOLS_LOGIN: '1' }, logFile })
  storage.clear()
  wx.reLaunch({ url: `/pages/product/index?id=${soap.id}` })
  await waitFor('detail page', () => byId('buy'))
  lastOrderResponse = null
  tap('buy')
  await waitFor('payment outcome', () => /^支付(成功|失败|结果确认中)/.test(text(byId("status"))), 20000)
  check('DevTools login code is accepted: the order is placed', !!lastOrderResponse?.orderId, text(byId('order-error')))
  const devOrder = lastOrderResponse?.orderId
  check('requestPayment failing in DevTools shows 支付失败 in Chinese', text(byId('status')) === `支付失败,请重新尝试 订单号 ${devOrder}: 微信支付未能完成`, text(byId('status')))
  check('DevTools: the page says how to pay on the simulator\'s cashier page', text(byId('devtools-hint')).includes('收银台'))
  tap('copy-params')
  await waitFor('params on the clipboard', () => clipboard)
  check('复制支付参数 copies the five requestPayment params', JSON.stringify(JSON.parse(clipboard)) === JSON.stringify(lastOrderResponse.payParams), clipboard)
  // The developer pastes them into the simulator's cashier page in a browser and pays as the DevTools user.
  const browser = await launchChromium()
  try {
    const page = await browser.newPage()
    await page.goto(`${SIM}/sim/cashier`)
    await page.locator('#params').fill(clipboard)
    await page.locator('#read').click()
    await page.locator('#order').waitFor()
    check('the cashier page shows the order\'s amount, paying as the DevTools user',
      (await page.locator('#amount').innerText()) === yuan(lastOrderResponse.amount) && (await page.locator('#payer').inputValue()) === 'devtools')
    await page.locator('#pay').click()
    await page.locator('#result.ok').waitFor()
    check('the simulator\'s cashier page pays it', (await page.locator('#result').innerText()).startsWith('支付成功'), await page.locator('#result').innerText())
  } finally {
    await browser.close()
  }
  tap('check')
  await waitFor('支付成功', () => /^支付成功/.test(text(byId('status'))), 20000)
  check('查询支付结果 then shows 支付成功', text(byId('status')) === `支付成功 订单号 ${devOrder}`, text(byId('status')))
} catch (e) {
  check('harness ran to the end', false, e.stack || String(e))
} finally {
  await stub?.stop()
}
finish()
