// Driving the H5 demo in headless Chromium: shared by the H5 e2e and the test of start.sh.
// Debian's /usr/bin/chromium through playwright-core (no browser download); CHROMIUM_PATH overrides it.
import { chromium } from 'playwright-core'
import { APP, MERCHANT } from '../scripts/servers.mjs'

export { APP }
export const yuan = (fen) => `¥${(fen / 100).toFixed(2)}`

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync']
  })
}

/**
 * A phone-sized page in a fresh context (its own storage, so no session token from an earlier run), with page
 * errors collected into `errors` and every request that would leave 127.0.0.1 aborted and reported to `onLeak`.
 */
export async function newPhonePage(browser, errors, onLeak) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true })
  const page = await context.newPage()
  page.on('pageerror', (e) => errors.push(e.message))
  await page.route((url) => url.hostname !== '127.0.0.1', (r) => { onLeak(r.request().url()); r.abort() })
  return page
}

export const status = (page) => page.locator('#status')
export const modal = (page, title) => page.locator('.taro__modal .taro-modal__content', { hasText: title })
/** Waits for the result page to settle (支付成功, 支付失败 or 支付结果确认中) and returns its status line. */
export async function outcome(page) {
  await status(page).getByText(/^支付(成功|失败|结果确认中)/).waitFor({ timeout: 30000 })
  return status(page).innerText()
}

/** Taro's H5 navigation bar: its title and its back button (shown only when there is a page to go back to). */
export const navBar = (page) => ({
  title: page.locator('#taro-navigation-bar .taro-navigation-bar-title'),
  back: page.locator('#taro-navigation-bar .taro-navigation-bar-back')
})

/** Whether every product picture on the page has loaded (an <img> Taro renders inside each Image). */
export const imagesLoaded = (page) => page.evaluate(() => {
  const imgs = [...document.querySelectorAll('.thumb img, .hero img')]
  return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0)
})

/** Waits until the loading toast has faded out and the page has slid into place, so a screenshot shows the result. */
export function settled(page) {
  return page.waitForFunction(() => [...document.querySelectorAll('.taro__toast')].every((t) => getComputedStyle(t).display === 'none') &&
    document.documentElement.scrollWidth <= window.innerWidth, null, { timeout: 5000 })
}

/** The catalog's soap: the product with size and silkiness. */
export async function soapProduct() {
  const products = await (await fetch(`${MERCHANT}/api/products`)).json()
  return products.find((p) => p.specs?.size && p.specs?.silkiness)
}

/** GET on the merchant with the page's own session token (Taro H5 keeps storage as {"data": …} in localStorage). */
export async function merchantGet(page, urlPath) {
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('merchant-session') || '{}').data?.token)
  const r = await fetch(MERCHANT + urlPath, { headers: { authorization: `Bearer ${token}` } })
  return r.json()
}

/** The order as the merchant created it (the 201 answer to POST /api/orders). */
export async function orderCreated(page) {
  const res = await page.waitForResponse((r) => r.url() === `${MERCHANT}/api/orders` && r.request().method() === 'POST' && r.status() === 201, { timeout: 15000 })
  return res.json()
}

/** Opens the soap's detail page (from the list, or directly), taps 立即下单 and returns the order once the cashier sheet is up. */
export async function orderSoap(page, soap, { viaList = false } = {}) {
  if (viaList) {
    await page.goto(APP)
    await page.locator(`#product-${soap.id}`).click()
  } else {
    await page.goto(`${APP}#/pages/product/index?id=${encodeURIComponent(soap.id)}`)
  }
  await page.locator('#buy').waitFor({ timeout: 15000 })
  const created = orderCreated(page)
  await page.locator('#buy').click()
  const order = await created
  await page.locator('#sim-cashier').waitFor()
  return order
}
