// H5 build in headless Chromium against the real server-stub: pay, cancel + retry, merchant unreachable, v2 merchant.
// Usage: node e2e/h5.e2e.mjs   (needs dist-h5/ built; starts server-stub and the static server itself)
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { serveStatic } from '../scripts/serve-static.mjs'
import { MERCHANT, startServerStub } from './server-stub.mjs'
import { check, finish } from './check.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const ARTIFACTS = path.join(here, 'artifacts')
const H5_PORT = 8790
const APP = `http://127.0.0.1:${H5_PORT}/`
const yuan = (fen) => `¥${(fen / 100).toFixed(2)}`

fs.mkdirSync(ARTIFACTS, { recursive: true })
const web = await serveStatic(path.join(here, '../dist-h5'), H5_PORT)
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-taro-chromium-'))
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  // --user-data-dir is not allowed here: Playwright takes the profile as the first argument.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 390, height: 844 }
})
const pageErrors = []
let stub = null

async function withStub(name, merchantApi, fn) {
  console.log(`# ${name}`)
  try {
    stub = await startServerStub({ merchantApi, logFile: path.join(ARTIFACTS, `server-stub-h5-${merchantApi || 'v3'}.log`) })
    const page = await ctx.newPage()
    page.on('pageerror', (e) => pageErrors.push(`${name}: ${e.message}`))
    // Offline guard: nothing may leave 127.0.0.1.
    await page.route((url) => url.hostname !== '127.0.0.1', (r) => { check('only 127.0.0.1 is contacted', false, r.request().url()); r.abort() })
    await fn(page)
    await page.close()
  } catch (e) {
    check(`${name} ran to the end`, false, e.stack || String(e))
  } finally {
    await stub?.stop()
  }
}

async function merchantGet(page, urlPath) {
  // The page's own session token (Taro H5 keeps storage as {"data": …} in localStorage).
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('merchant-session') || '{}').data?.token)
  const r = await fetch(MERCHANT + urlPath, { headers: { authorization: `Bearer ${token}` } })
  return r.json()
}

async function soapProduct() {
  const products = await (await fetch(`${MERCHANT}/api/products`)).json()
  return products.find((p) => p.specs && p.specs.silkiness)
}

const status = (page) => page.locator('#status')
const modal = (page, title) => page.locator('.taro__modal .taro-modal__content', { hasText: title })

/**
 * The order as the server created it (201). A token kept in storage from an earlier server run is answered
 * with 401 first; the app then logs in again, so wait for the 201.
 */
async function orderCreated(page) {
  const res = await page.waitForResponse((r) => r.url() === `${MERCHANT}/api/orders` && r.request().method() === 'POST' && r.status() === 201, { timeout: 15000 })
  return res.json()
}

/** Opens the soap's detail page, taps 立即下单 and returns the created order as the server sent it. */
async function orderSoap(page, soap, viaList) {
  if (viaList) {
    await page.goto(APP)
    await page.locator(`#product-${soap.id}`).click()
  } else {
    await page.goto(`${APP}#/pages/product/index?id=${encodeURIComponent(soap.id)}`)
  }
  await page.locator('#buy').waitFor()
  const created = orderCreated(page)
  await page.locator('#buy').click()
  const order = await created
  await page.locator('#sim-cashier').waitFor()
  return order
}

await withStub('pay (v3 merchant)', undefined, async (page) => {
  const soap = await soapProduct()
  check('server lists a soap with size and silkiness', !!(soap && soap.specs.size), JSON.stringify(soap))
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
  check('order has v3 payParams (signType RSA)', order.payParams?.signType === 'RSA', JSON.stringify(order.payParams))
  check('order amount is price × 2', order.amount === soap.price * 2, String(order.amount))
  const sheet = page.locator('#sim-cashier')
  await sheet.waitFor()
  check('cashier sheet shows the amount', (await sheet.innerText()).includes(yuan(order.amount)), await sheet.innerText())
  check('nothing says success before paying', !(await page.content()).includes('支付成功'))
  await page.locator('#sim-cashier-confirm').click()
  await status(page).getByText(/^支付(成功|失败)/).waitFor({ timeout: 15000 })
  check('status shows 支付成功 with the order id', (await status(page).innerText()) === `支付成功 订单号 ${order.orderId}`, await status(page).innerText())
  check('modal says 支付成功', await modal(page, '支付成功').isVisible())
  await page.screenshot({ path: path.join(ARTIFACTS, 'result.png'), fullPage: true })
  const onServer = await merchantGet(page, `/api/orders/${order.orderId}`)
  check('merchant has the order PAID', onServer.state === 'PAID', JSON.stringify(onServer))
  await modal(page, '支付成功').locator('.taro-model__confirm').click()
})

await withStub('cancel, then retry the same order', undefined, async (page) => {
  const soap = await soapProduct()
  const order = await orderSoap(page, soap, false)
  await page.locator('#sim-cashier-cancel').click()
  await status(page).getByText(/^支付已取消/).waitFor({ timeout: 15000 })
  check('status says cancelled, not success', !(await status(page).innerText()).includes('成功'), await status(page).innerText())
  check('modal offers 重新支付', (await modal(page, '支付已取消').innerText()).includes('重新支付'))
  check('merchant keeps the order CREATED', (await merchantGet(page, `/api/orders/${order.orderId}`)).state === 'CREATED')
  await modal(page, '支付已取消').locator('.taro-model__cancel').click()
  await page.locator('#retry').click()
  await page.locator('#sim-cashier-confirm').click()
  await status(page).getByText(/^支付(成功|失败)/).waitFor({ timeout: 15000 })
  check('retry pays the same order', (await status(page).innerText()) === `支付成功 订单号 ${order.orderId}`, await status(page).innerText())
  check('merchant has the order PAID after retry', (await merchantGet(page, `/api/orders/${order.orderId}`)).state === 'PAID')
})

await withStub('merchant unreachable after the payment', undefined, async (page) => {
  const soap = await soapProduct()
  await orderSoap(page, soap, false)
  await page.route(`${MERCHANT}/api/orders/*`, (r) => r.abort('connectionrefused'))
  await page.locator('#sim-cashier-confirm').click()
  await status(page).getByText(/^支付(成功|失败)/).waitFor({ timeout: 15000 })
  const text = await status(page).innerText()
  check('no false success when the result cannot be confirmed', text.startsWith('支付失败,请重新尝试') && text.includes('无法连接商户服务器'), text)
  check('modal says 支付失败,请重新尝试', await modal(page, '支付失败,请重新尝试').isVisible())
})

await withStub('merchant server down', undefined, async (page) => {
  const soap = await soapProduct()
  await page.goto(`${APP}#/pages/product/index?id=${encodeURIComponent(soap.id)}`)
  await page.locator('#buy').waitFor()
  await stub.stop()
  await page.locator('#buy').click()
  await page.locator('#order-error').waitFor({ timeout: 15000 })
  const text = await page.locator('#order-error').innerText()
  check('order error says the server is unreachable', /^下单失败: 无法连接(商户服务器|微信模拟器)/.test(text), text)
  check('no 支付成功 anywhere', !(await page.content()).includes('支付成功'))
  await page.goto(APP)
  await page.locator('#list-error').waitFor({ timeout: 15000 })
  check('product list says it cannot reach the merchant', (await page.locator('#list-error').innerText()).includes('无法连接商户服务器'))
})

await withStub('pay (v2 merchant)', 'v2', async (page) => {
  const soap = await soapProduct()
  const order = await orderSoap(page, soap, true)
  check('order has v2 payParams (MD5 or HMAC-SHA256)', ['MD5', 'HMAC-SHA256'].includes(order.payParams?.signType), order.payParams?.signType)
  await page.locator('#sim-cashier-confirm').click()
  await status(page).getByText(/^支付(成功|失败)/).waitFor({ timeout: 15000 })
  check('v2: status shows 支付成功', (await status(page).innerText()) === `支付成功 订单号 ${order.orderId}`, await status(page).innerText())
  check('v2: merchant has the order PAID', (await merchantGet(page, `/api/orders/${order.orderId}`)).state === 'PAID')
})

check('no page errors', pageErrors.length === 0, pageErrors.join(' | '))
await ctx.close()
web.close()
fs.rmSync(profile, { recursive: true, force: true })
finish()
