// The H5 build in headless Chromium (a phone: 390×844, scale 2, touch) against the real server-stub, for one
// merchant API: browse with the navigation bar's back button, pay, see the order in 我的订单; cancel, then retry;
// the cashier refusing a paySign; the cashier's answer lost after paying; the payment notification lost (the
// merchant's notify URL dead: the app asks the merchant to query WeChat); the merchant unreachable after paying,
// then checked again; WeChat Pay refusing the order; the merchant server down. Every scenario starts its own
// server-stub. Screenshots land in e2e/artifacts/.
// Usage: [MERCHANT_RUNTIME=workerd] node e2e/h5.e2e.mjs [v3|v2]   (needs dist-h5/ built; serves it on 8790 itself)
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { MERCHANT, SIM, startH5Server, startServerStub } from '../scripts/servers.mjs'
import { APP, imagesLoaded, launchChromium, merchantGet, modal, navBar, newPhonePage, orderCreated, orderSoap, outcome, settled, soapProduct, status, yuan } from './h5-page.mjs'
import { check, finish } from './check.mjs'

const api = process.argv[2] || 'v3'
// MERCHANT_RUNTIME=workerd (server-stub's knob) runs the merchant on workerd + D1: its files get their own names.
const runtime = process.env.MERCHANT_RUNTIME || 'node'
const tag = runtime === 'node' ? api : `${api}-${runtime}`
const here = path.dirname(fileURLToPath(import.meta.url))
const ARTIFACTS = path.join(here, 'artifacts')
const LOG = path.join(ARTIFACTS, `server-stub-h5-${tag}.log`)
fs.mkdirSync(ARTIFACTS, { recursive: true })
fs.rmSync(LOG, { force: true })

const web = await startH5Server({ logFile: path.join(ARTIFACTS, `h5-server-${tag}.log`) })
const browser = await launchChromium()
const pageErrors = []

/**
 * Runs one scenario on a fresh page against its own server-stub (in-memory database, this run's merchant API,
 * plus `env`). `split` runs the simulator and the merchant as two processes, so the merchant can go down alone.
 */
async function scenario(name, fn, { env = {}, split = false } = {}) {
  console.log(`# ${name} (${api} merchant on ${runtime})`)
  fs.appendFileSync(LOG, `--- ${name}\n`)
  const running = []
  const start = async (extra = {}) => {
    const stub = await startServerStub({ env: { MERCHANT_API: api, DB_PATH: ':memory:', ...env, ...extra }, logFile: LOG })
    running.push(stub)
    return stub
  }
  try {
    const stubs = split ? { wechat: await start({ ROLE: 'wechat' }), merchant: await start({ ROLE: 'merchant' }) } : { all: await start() }
    const errors = []
    const page = await newPhonePage(browser, errors, (url) => check('only 127.0.0.1 is contacted', false, url))
    await fn(page, stubs)
    await page.context().close()
    pageErrors.push(...errors.map((e) => `${name}: ${e}`))
  } catch (e) {
    check(`${name} ran to the end`, false, e.stack || String(e))
  } finally {
    for (const stub of running) await stub.stop()
  }
}

const expectedSignTypes = api === 'v2' ? ['MD5', 'HMAC-SHA256'] : ['RSA']

async function shot(page, name) {
  const file = path.join(ARTIFACTS, `${name}-${tag}.png`)
  await settled(page)
  await page.screenshot({ path: file, fullPage: true })
  check(`screenshot ${path.basename(file)} kept`, fs.statSync(file).size > 0)
}

/** A port nothing listens on: bound once by the system, then closed. */
const closedPort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)) })
})

await scenario('browse, pay, and find the order in 我的订单', async (page) => {
  const soap = await soapProduct()
  check('server lists a soap with size and silkiness', !!soap, JSON.stringify(soap))
  await page.goto(APP)
  await page.locator(`#product-${soap.id}`).waitFor({ timeout: 15000 })
  check('product list shows the soap', (await page.locator(`#product-${soap.id}`).innerText()).includes(soap.name))
  const bar = navBar(page)
  check('a navigation bar shows the page title', (await bar.title.innerText()) === '商品列表')
  check('the first page has no back button', !(await bar.back.isVisible()))
  await page.waitForFunction(() => document.querySelectorAll('.thumb img').length > 0)
  await page.waitForLoadState('networkidle')
  check('every product has its picture', await imagesLoaded(page))
  await shot(page, 'list')

  await page.locator(`#product-${soap.id}`).click()
  await page.locator('#product-name').waitFor()
  check('the bar shows 商品详情 with a back button', (await bar.title.innerText()) === '商品详情' && await bar.back.isVisible())
  await bar.back.click()
  await page.locator('#my-orders').waitFor()
  check('back returns to the product list', (await bar.title.innerText()) === '商品列表' && await page.locator(`#product-${soap.id}`).isVisible())
  await page.locator(`#product-${soap.id}`).click()
  await page.locator('#product-name').waitFor()
  check('detail shows size', (await page.locator('#spec-size').innerText()).includes(soap.specs.size))
  check('detail shows 丝滑度', (await page.locator('#spec-silkiness').innerText()) === `丝滑度: ${soap.specs.silkiness}`)
  check('detail shows price in yuan', (await page.locator('#price').innerText()) === yuan(soap.price))
  await page.waitForLoadState('networkidle')
  check('detail shows the soap\'s picture', await imagesLoaded(page))
  await page.locator('#qty-plus').click()
  check('stepper raises the quantity', (await page.locator('#qty').innerText()) === '2')
  await shot(page, 'detail')

  const created = orderCreated(page)
  await page.locator('#buy').click()
  const order = await created
  check(`order has ${api} payParams (signType ${expectedSignTypes.join(' or ')})`, expectedSignTypes.includes(order.payParams?.signType), JSON.stringify(order.payParams))
  check('order amount is price × 2', order.amount === soap.price * 2, String(order.amount))
  const sheet = page.locator('#sim-cashier')
  await sheet.waitFor()
  check('cashier sheet shows the amount', (await sheet.innerText()).includes(yuan(order.amount)), await sheet.innerText())
  check('nothing says success before paying', !(await page.content()).includes('支付成功'))
  await page.locator('#sim-cashier-confirm').click()
  check('status shows 支付成功 with the order id', (await outcome(page)) === `支付成功 订单号 ${order.orderId}`, await status(page).innerText())
  check('modal says 支付成功', await modal(page, '支付成功').isVisible())
  await shot(page, 'result')
  const onServer = await merchantGet(page, `/api/orders/${order.orderId}`)
  check('merchant has the order PAID', onServer.state === 'PAID' && onServer.amount === order.amount, JSON.stringify(onServer))

  await modal(page, '支付成功').locator('.taro-model__confirm').click()
  await page.locator('#orders').click()
  const row = page.locator(`#order-${order.orderId}`)
  await row.waitFor({ timeout: 15000 })
  check('我的订单 lists the order as 已支付', (await page.locator(`#state-${order.orderId}`).innerText()) === '已支付', await row.innerText())
  check('the row shows amount and quantity', (await row.innerText()).includes(`${yuan(order.amount)} · 共 2 件`), await row.innerText())
  check('the bar shows 我的订单 with a back button', (await bar.title.innerText()) === '我的订单' && await bar.back.isVisible())
  await page.waitForLoadState('networkidle')
  check('the order shows its product\'s picture', await imagesLoaded(page))
  await shot(page, 'orders')
  await bar.back.click()
  await status(page).waitFor()
  check('back returns to the result page', (await bar.title.innerText()) === '支付结果' && (await status(page).innerText()).startsWith('支付成功'))
  await page.locator('#home').click()
  await page.locator('#my-orders').click()
  await row.waitFor({ timeout: 15000 })
  check('我的订单 is reachable from the product list', await page.locator(`#state-${order.orderId}`).isVisible())
})

await scenario('cancel, then retry the same order', async (page) => {
  const order = await orderSoap(page, await soapProduct())
  await page.locator('#sim-cashier-cancel').click()
  await status(page).getByText(/^支付已取消/).waitFor({ timeout: 15000 })
  check('status says cancelled, not success', !(await status(page).innerText()).includes('成功'), await status(page).innerText())
  check('modal offers 重新支付', (await modal(page, '支付已取消').innerText()).includes('重新支付'))
  check('merchant keeps the order CREATED', (await merchantGet(page, `/api/orders/${order.orderId}`)).state === 'CREATED')
  await modal(page, '支付已取消').locator('.taro-model__cancel').click()
  await page.locator('#retry').click()
  await page.locator('#sim-cashier-confirm').click()
  check('retry pays the same order', (await outcome(page)) === `支付成功 订单号 ${order.orderId}`, await status(page).innerText())
  check('merchant has the order PAID after retry', (await merchantGet(page, `/api/orders/${order.orderId}`)).state === 'PAID')
})

await scenario('the cashier refuses the paySign', async (page) => {
  // A merchant whose signature is wrong: the simulator must refuse it, as WeChat's client does.
  await page.route(`${MERCHANT}/api/orders`, async (route) => {
    const res = await route.fetch()
    const body = await res.json()
    if (body.payParams) body.payParams.paySign = (body.payParams.paySign[0] === 'A' ? 'B' : 'A') + body.payParams.paySign.slice(1)
    await route.fulfill({ response: res, json: body })
  })
  const order = await orderSoap(page, await soapProduct())
  const refused = page.waitForResponse(`${SIM}/sim/cashier/confirm`)
  await page.locator('#sim-cashier-confirm').click()
  const answer = await (await refused).json()
  check('simulator answers {errMsg, code, message}', /^requestPayment:fail /.test(answer.errMsg) && answer.code === 'SIGN_ERROR' && !!answer.message, JSON.stringify(answer))
  const text = await outcome(page)
  check('status says 支付失败 with the simulator\'s reason, in Chinese', text === `支付失败,请重新尝试 订单号 ${order.orderId}: ${answer.message}`, text)
  check('modal says 支付失败,请重新尝试', await modal(page, '支付失败,请重新尝试').isVisible())
  check('merchant keeps the order CREATED', (await merchantGet(page, `/api/orders/${order.orderId}`)).state === 'CREATED')
})

await scenario('the cashier\'s answer is lost after paying', async (page) => {
  const order = await orderSoap(page, await soapProduct())
  // The payment goes through at the simulator, but its answer never reaches the page.
  await page.route(`${SIM}/sim/cashier/confirm`, async (route) => { await route.fetch(); await route.abort('connectionreset') })
  await page.locator('#sim-cashier-confirm').click()
  check('the app asks the merchant and shows 支付成功', (await outcome(page)) === `支付成功 订单号 ${order.orderId}`, await status(page).innerText())
  check('merchant has the order PAID', (await merchantGet(page, `/api/orders/${order.orderId}`)).state === 'PAID')
})

const deadPort = await closedPort()
await scenario('the payment notification is lost (notify URL dead)', async (page) => {
  const syncs = []
  page.on('request', (r) => { if (/\/api\/orders\/[^/]+\/sync$/.test(r.url())) syncs.push(r.url()) })
  const order = await orderSoap(page, await soapProduct())
  await page.locator('#sim-cashier-confirm').click()
  const text = await outcome(page)
  check('the app asks the merchant to query WeChat (/sync)', syncs.length > 0, `${syncs.length} sync calls`)
  check('and shows 支付成功 once the merchant has it PAID', text === `支付成功 订单号 ${order.orderId}`, text)
  check('merchant has the order PAID without any notification', (await merchantGet(page, `/api/orders/${order.orderId}`)).state === 'PAID')
}, { env: { MERCHANT_PUBLIC_URL: `http://127.0.0.1:${deadPort}` } })

await scenario('the notification is lost and the merchant cannot confirm yet', async (page) => {
  const order = await orderSoap(page, await soapProduct())
  // The merchant's /sync finds nothing (as when WeChat cannot be asked): the app must not wait forever or say 失败.
  await page.route(/\/api\/orders\/[^/]+\/sync$/, (route) => route.fulfill({ json: { orderId: order.orderId, state: 'CREATED', amount: order.amount } }))
  await page.locator('#sim-cashier-confirm').click()
  const text = await outcome(page)
  check('status says the result is still being confirmed, in Chinese', text.startsWith(`支付结果确认中 订单号 ${order.orderId}`) && text.includes('我的订单'), text)
  check('no 支付失败 and no 支付成功', !text.includes('失败') && !text.includes('成功'), text)
  check('modal says 支付结果确认中', await modal(page, '支付结果确认中').isVisible())
  await shot(page, 'unconfirmed')
  await modal(page, '支付结果确认中').locator('.taro-model__confirm').click()
  await page.unroute(/\/api\/orders\/[^/]+\/sync$/)
  await page.locator('#orders').click()
  await page.locator(`#order-${order.orderId}`).waitFor({ timeout: 15000 })
  check('我的订单 shows it 待支付 with 查询支付结果', (await page.locator(`#state-${order.orderId}`).innerText()) === '待支付' && await page.locator(`#check-${order.orderId}`).isVisible())
  await page.locator(`#check-${order.orderId}`).click()
  await page.locator(`#state-${order.orderId}`).getByText('已支付').waitFor({ timeout: 15000 })
  check('查询支付结果 in 我的订单 finds it 已支付', (await page.locator(`#state-${order.orderId}`).innerText()) === '已支付')
}, { env: { MERCHANT_PUBLIC_URL: `http://127.0.0.1:${deadPort}` } })

await scenario('the merchant is unreachable after paying, then checked again', async (page) => {
  const order = await orderSoap(page, await soapProduct())
  await page.route(`${MERCHANT}/api/orders/*`, (r) => r.abort('connectionrefused'))
  await page.route(`${MERCHANT}/api/orders/*/sync`, (r) => r.abort('connectionrefused'))
  await page.locator('#sim-cashier-confirm').click()
  const text = await outcome(page)
  check('no false success and no 支付失败: 支付结果确认中', text.startsWith('支付结果确认中') && text.includes('无法连接商户服务器'), text)
  await modal(page, '支付结果确认中').locator('.taro-model__confirm').click()
  await page.unroute(`${MERCHANT}/api/orders/*`)
  await page.unroute(`${MERCHANT}/api/orders/*/sync`)
  await page.locator('#check').click()
  check('查询支付结果 shows 支付成功 from the merchant\'s state', (await outcome(page)) === `支付成功 订单号 ${order.orderId}`, await status(page).innerText())
  check('merchant has the order PAID', (await merchantGet(page, `/api/orders/${order.orderId}`)).state === 'PAID')
})

await scenario('WeChat Pay refuses the order (prepay 502)', async (page) => {
  const soap = await soapProduct()
  await page.goto(`${APP}#/pages/product/index?id=${encodeURIComponent(soap.id)}`)
  await page.locator('#buy').waitFor({ timeout: 15000 })
  const refused = page.waitForResponse((r) => r.url() === `${MERCHANT}/api/orders` && r.request().method() === 'POST')
  await page.locator('#buy').click()
  const res = await refused
  const body = await res.json()
  check('merchant answers 502 WECHATPAY_ERROR', res.status() === 502 && body.code === 'WECHATPAY_ERROR', `${res.status()} ${JSON.stringify(body)}`)
  await page.locator('#order-error').waitFor({ timeout: 15000 })
  const text = await page.locator('#order-error').innerText()
  check('order error is Chinese, with the code for support', text === '下单失败: 微信支付暂时无法下单,请稍后重试 (错误码 WECHATPAY_ERROR)', text)
  check('the server\'s English message stays out of the page', !(await page.content()).includes(body.message))
  check('no cashier sheet and no 支付成功', !(await page.locator('#sim-cashier').count()) && !(await page.content()).includes('支付成功'))
}, { env: { WECHATPAY_MCHID: '1900000001' } }) // a merchant id the simulator does not know

await scenario('merchant server down', async (page, stubs) => {
  const soap = await soapProduct()
  await page.goto(`${APP}#/pages/product/index?id=${encodeURIComponent(soap.id)}`)
  await page.locator('#buy').waitFor({ timeout: 15000 })
  await stubs.merchant.stop()
  await page.locator('#buy').click()
  await page.locator('#order-error').waitFor({ timeout: 15000 })
  const text = await page.locator('#order-error').innerText()
  check('order error says the merchant server is unreachable', text.startsWith('下单失败: 无法连接商户服务器'), text)
  check('no cashier sheet and no 支付成功', !(await page.locator('#sim-cashier').count()) && !(await page.content()).includes('支付成功'))
  await page.goto(APP)
  await page.locator('#list-error').waitFor({ timeout: 15000 })
  check('product list says it cannot reach the merchant', (await page.locator('#list-error').innerText()).includes('无法连接商户服务器'))
}, { split: true })

check('no page errors', pageErrors.length === 0, pageErrors.join(' | '))
await browser.close()
await web.stop()
finish()
