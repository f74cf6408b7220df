// The H5 build in headless Chromium against the real server-stub, for one merchant API:
// pay; cancel, then retry; the cashier refusing a paySign; the result unconfirmable, then a retry of a paid order;
// WeChat Pay refusing the order; the merchant server down. Every scenario starts its own server-stub.
// Usage: node e2e/h5.e2e.mjs [v3|v2]   (needs dist-h5/ built; serves it on 8790 itself)
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { MERCHANT, SIM, startH5Server, startServerStub } from '../scripts/servers.mjs'
import { APP, launchChromium, merchantGet, modal, newPhonePage, orderCreated, orderSoap, outcome, settled, soapProduct, status, yuan } from './h5-page.mjs'
import { check, finish } from './check.mjs'

const api = process.argv[2] || 'v3'
const here = path.dirname(fileURLToPath(import.meta.url))
const ARTIFACTS = path.join(here, 'artifacts')
const LOG = path.join(ARTIFACTS, `server-stub-h5-${api}.log`)
fs.mkdirSync(ARTIFACTS, { recursive: true })
fs.rmSync(LOG, { force: true })

const web = await startH5Server({ logFile: path.join(ARTIFACTS, `h5-server-${api}.log`) })
const browser = await launchChromium()
const pageErrors = []

/**
 * Runs one scenario on a fresh page against its own server-stub (in-memory database, this run's merchant API,
 * plus `env`). `split` runs the simulator and the merchant as two processes, so the merchant can go down alone.
 */
async function scenario(name, fn, { env = {}, split = false } = {}) {
  console.log(`# ${name} (${api} merchant)`)
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

await scenario('pay', async (page) => {
  const soap = await soapProduct()
  check('server lists a soap with size and silkiness', !!soap, JSON.stringify(soap))
  await page.goto(APP)
  await page.locator(`#product-${soap.id}`).waitFor({ timeout: 15000 })
  check('product list shows the soap', (await page.locator(`#product-${soap.id}`).innerText()).includes(soap.name))
  await page.locator(`#product-${soap.id}`).click()
  await page.locator('#product-name').waitFor()
  check('detail shows size', (await page.locator('#spec-size').innerText()).includes(soap.specs.size))
  check('detail shows 丝滑度', (await page.locator('#spec-silkiness').innerText()) === `丝滑度: ${soap.specs.silkiness}`)
  check('detail shows price in yuan', (await page.locator('#price').innerText()) === yuan(soap.price))
  await page.locator('#qty-plus').click()
  check('stepper raises the quantity', (await page.locator('#qty').innerText()) === '2')

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
  const shot = path.join(ARTIFACTS, `result-${api}.png`)
  await settled(page)
  await page.screenshot({ path: shot, fullPage: true })
  check('screenshot of the result page kept', fs.statSync(shot).size > 0, path.relative(process.cwd(), shot))
  const onServer = await merchantGet(page, `/api/orders/${order.orderId}`)
  check('merchant has the order PAID', onServer.state === 'PAID' && onServer.amount === order.amount, JSON.stringify(onServer))
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
  check('status says 支付失败 with the simulator\'s reason', text === `支付失败,请重新尝试 订单号 ${order.orderId}: ${answer.errMsg}`, text)
  check('modal says 支付失败,请重新尝试', await modal(page, '支付失败,请重新尝试').isVisible())
  check('merchant keeps the order CREATED', (await merchantGet(page, `/api/orders/${order.orderId}`)).state === 'CREATED')
})

await scenario('result unconfirmed, then a retry finds the order paid', async (page) => {
  const order = await orderSoap(page, await soapProduct())
  await page.route(`${MERCHANT}/api/orders/*`, (r) => r.abort('connectionrefused'))
  await page.locator('#sim-cashier-confirm').click()
  const text = await outcome(page)
  check('no false success when the result cannot be confirmed', text.startsWith('支付失败,请重新尝试') && text.includes('无法连接商户服务器'), text)
  check('modal says 支付失败,请重新尝试', await modal(page, '支付失败,请重新尝试').isVisible())
  await page.unroute(`${MERCHANT}/api/orders/*`)
  await modal(page, '支付失败,请重新尝试').locator('.taro-model__confirm').click()
  // The cashier answers 409 for a paid order: the app must ask the merchant rather than report a failure.
  const preview = page.waitForResponse(`${SIM}/sim/cashier/preview`)
  await page.locator('#retry').click()
  check('cashier preview answers 409 ORDERPAID', (await preview).status() === 409)
  check('the retry shows 支付成功 from the merchant\'s state', (await outcome(page)) === `支付成功 订单号 ${order.orderId}`, await status(page).innerText())
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
  check('order error shows the server\'s message and code', text === `下单失败: ${body.message} (WECHATPAY_ERROR)`, text)
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
