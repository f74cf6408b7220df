// The simulator alone, for its own tests: one in-memory database, the generated credentials, a clock the test
// moves, and a signed API v3 client for the direct merchant and for the service provider (as a merchant's own
// code would call WeChat: Authorization signed with the merchant key, answers verified with WeChat's key).
import path from 'node:path'
import { createSigner, createVerifier } from 'wechatpay-wasm'
import { loadConfig } from '../src/config.js'
import { ensureCredentials } from '../src/credentials.js'
import { openDb } from '../src/db.js'
import { createLogger } from '../src/log.js'
import { createWechatApp } from '../src/wechat/app.js'
import { openidFor } from '../src/wechat/ids.js'
import { wechatMigrations } from '../src/wechat/migrations.js'
import { serveWechat } from '../src/wechat/serve.js'
import { DATA_DIR } from './world.js'

export { DATA_DIR }

export function createSim({ env = {}, fetch } = {}) {
  const config = loadConfig({ DATA_DIR, DB_PATH: ':memory:', ...env })
  const db = openDb(':memory:', [wechatMigrations])
  const lines = []
  const clock = { now: Date.now() }
  const sent = []
  const sim = createWechatApp({
    config: config.wechat, db, log: createLogger('wechat', (l) => lines.push(l)), now: () => clock.now,
    fetch: fetch ?? (async (url, init) => {
      sent.push({ url, init })
      return new Response(null, { status: 204 })
    }),
  })
  const [direct, partner] = config.wechat.merchants
  const world = {
    config, db, lines, clock, sent, sim, app: sim.app, direct, partner, sub: partner.subMerchants[0],
    count: (sql, ...args) => db.prepare(sql).pluck().get(...args),
    /** A v3 client of merchant `m` (default: the direct one). */
    client(m = direct, { base = '' } = {}) {
      const signer = createSigner({ mchid: m.mchid, serialNo: m.merchantSerialNo, privateKey: keysOf(m).merchantPrivateKey })
      const keys = { [m.wechatpayPublicKeyId]: m.wechatpayPublicKey, [m.platformSerialNo]: m.platformCertificate }
      const verifier = createVerifier({ keys, now: () => Math.floor(clock.now / 1000) })
      return {
        signer,
        async call(method, url, payload, { headers = {}, rawBody, sign = true } = {}) {
          const body = payload === undefined ? '' : typeof payload === 'string' ? payload : JSON.stringify(payload)
          const h = { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}), ...headers }
          if (sign) h.authorization = await signer.authorization({ method, url, body, timestamp: Math.floor(clock.now / 1000) })
          const res = base
            ? await globalThis.fetch(base + url, { method, headers: h, body: rawBody ?? (body || undefined) })
            : await sim.app.request(url, { method, headers: h, body: rawBody ?? (body || undefined) })
          // Decoded keeping a BOM (bills start with one), which Response.text() would drop.
          const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer())
          let verified = null
          try {
            verified = (await verifier.verifyResponse({ status: res.status, headers: res.headers, body: text })).verified
          } catch (e) {
            verified = e.code
          }
          return { status: res.status, headers: res.headers, text, json: text ? safeJson(text) : null, verified, serial: res.headers.get('wechatpay-serial') }
        },
      }
    },
  }
  return world
}

const safeJson = (t) => {
  try {
    return JSON.parse(t)
  } catch {
    return null
  }
}

// The merchant's private key lives with the merchant, not in the simulator's config: read it from credentials.
let creds
export function keysOf(m) {
  creds ??= ensureCredentials(path.join(DATA_DIR, 'keys'))
  return m.mchid === creds.mchid ? creds : creds.partner
}

/** A JSAPI order body for the direct merchant. */
export const jsapiOrder = (m, over = {}) => ({
  appid: m.appId, mchid: m.mchid, description: '肥皂', out_trade_no: `T${Date.now()}${Math.floor(Math.random() * 1e6)}`.slice(0, 32),
  notify_url: 'https://merchant.example/api/pay/notify', amount: { total: 800, currency: 'CNY' }, payer: { openid: 'o1' }, ...over,
})

/** Pays a JSAPI order at the cashier as `user`, as wx.requestPayment would: the paySign made by `m`'s key. */
export async function payJsapi(w, m, prepayId, user, appId = m.appId) {
  const params = await w.client(m).signer.requestPayment({ appId, prepayId })
  const res = await w.app.request('/sim/cashier/confirm', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...params, payer: user }) })
  await new Promise((r) => setTimeout(r, 0))
  await w.sim.notifier.idle()
  return { status: res.status, json: await res.json() }
}

/** Places a JSAPI order for `user` and pays it; returns the order body and the prepay_id. */
export async function paidOrder(w, over = {}, user = 'alice') {
  const order = jsapiOrder(w.direct, { payer: { openid: openidFor(w.direct.appId, user) }, ...over })
  const r = await w.client().call('POST', '/v3/pay/transactions/jsapi', order)
  if (r.status !== 200) throw new Error(`prepay: ${r.status} ${r.text}`)
  const paid = await payJsapi(w, w.direct, r.json.prepay_id, user)
  if (paid.status !== 200) throw new Error(`pay: ${paid.status} ${JSON.stringify(paid.json)}`)
  return { order, prepayId: r.json.prepay_id }
}

/** The simulator on real loopback ports (HTTP, and HTTPS with mutual TLS); notifications are recorded, not sent. */
export async function startSim(env = {}) {
  const config = loadConfig({ DATA_DIR, DB_PATH: ':memory:', SIM_TLS_PORT: '0', ...env })
  const db = openDb(':memory:', [wechatMigrations])
  const sent = []
  const fetch = async (url, init) => {
    sent.push({ url, init })
    return new Response(null, { status: 204 })
  }
  const sim = await serveWechat({ config: config.wechat, db, log: createLogger('wechat', () => {}), host: '127.0.0.1', port: 0, fetch })
  const [direct, partner] = config.wechat.merchants
  return { sim, db, config, direct, partner, sent, http: `http://127.0.0.1:${sim.ports.http}`, https: `https://127.0.0.1:${sim.ports.https}` }
}
