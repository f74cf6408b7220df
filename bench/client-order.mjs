// The client's JSAPI order path — sign, call, verify, paySign — beside the same written by hand on node:crypto
// and fetch, both against server-stub's WeChat simulator served in this process on loopback (its keys fresh in
// a temporary folder, its database in memory). The simulator's work (checking the signature, storing the order,
// signing the answer) is in both; the ratio is what the client costs over a careful hand-written call.
import { createPrivateKey, createPublicKey, createSign, createVerify, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createClient } from 'wechatpay-wasm'
import { machine, measure, table } from './lib/measure.mjs'

// server-stub's folder (CLIENT_SIMULATOR: another copy's src/main.js)
const stub = process.env.CLIENT_SIMULATOR ? new URL('../', pathToFileURL(process.env.CLIENT_SIMULATOR)) : new URL('../server-stub/', import.meta.url)
const dataDir = mkdtempSync(join(tmpdir(), 'wechatpay-bench-client-'))
const { loadConfig } = await import(new URL('src/config.js', stub))
const { openDb } = await import(new URL('src/db.js', stub))
const { wechatMigrations } = await import(new URL('src/wechat/migrations.js', stub))
const { createWechatApp } = await import(new URL('src/wechat/app.js', stub))
const { serve } = await import(createRequire(new URL('package.json', stub)).resolve('@hono/node-server'))

const config = loadConfig({ DATA_DIR: dataDir, DB_PATH: ':memory:', HOST: '127.0.0.1' })
const db = openDb(':memory:', [wechatMigrations])
const wechat = createWechatApp({ config: config.wechat, db, log: { info() {} } })
const server = await new Promise((resolve) => {
  const s = serve({ fetch: wechat.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
})
const baseUrl = `http://127.0.0.1:${server.address().port}`
const m = config.merchant

const client = createClient({
  mchid: m.mchid, serialNo: m.merchantSerialNo, privateKey: m.merchantPrivateKey,
  keys: { [m.wechatpayPublicKeyId]: m.wechatpayPublicKey }, appid: m.appId, baseUrl,
})
const order = (outTradeNo) => ({
  appid: m.appId, mchid: m.mchid, description: '香皂', out_trade_no: outTradeNo, notify_url: 'https://shop.example.com/pay/notify',
  amount: { total: 888, currency: 'CNY' }, payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
})
let n = 0
const tradeNo = () => `B${process.pid}T${Date.now().toString(36)}${(n++).toString(36)}`.slice(0, 32)

async function packageOrder() {
  return client.prepayJsapi(order(tradeNo()))
}

// by hand: the same request, the same checks of the answer (headers, skew, serial, RSA), the same paySign
const privateKey = createPrivateKey(m.merchantPrivateKey)
const publicKey = createPublicKey(m.wechatpayPublicKey)
const rsaSign = (message) => createSign('RSA-SHA256').update(message).sign(privateKey, 'base64')
const PATH = '/v3/pay/transactions/jsapi'

async function handOrder() {
  const body = JSON.stringify(order(tradeNo()))
  const ts = String(Math.floor(Date.now() / 1000))
  const nonce = randomBytes(16).toString('hex')
  const signature = rsaSign(`POST\n${PATH}\n${ts}\n${nonce}\n${body}\n`)
  const res = await fetch(baseUrl + PATH, {
    method: 'POST',
    body,
    headers: {
      Authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${m.mchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${ts}",serial_no="${m.merchantSerialNo}"`,
      Accept: 'application/json', 'Content-Type': 'application/json', 'User-Agent': 'bench', 'Wechatpay-Serial': m.wechatpayPublicKeyId,
    },
  })
  const text = await res.text()
  const h = (name) => res.headers.get(name)
  const [rts, rnonce, rsig, serial] = ['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial'].map(h)
  if (!rts || !rnonce || !rsig || !serial) throw new Error('missing header')
  if (Math.abs(Math.floor(Date.now() / 1000) - Number(rts)) > 300) throw new Error('skew')
  if (serial !== m.wechatpayPublicKeyId) throw new Error('unknown serial')
  if (!createVerify('RSA-SHA256').update(`${rts}\n${rnonce}\n${text}\n`).verify(publicKey, rsig, 'base64')) throw new Error('signature')
  if (res.status !== 200) throw new Error(`HTTP ${res.status} ${text}`)
  const prepayId = JSON.parse(text).prepay_id
  if (typeof prepayId !== 'string') throw new Error('no prepay_id')
  const payTs = String(Math.floor(Date.now() / 1000))
  const payNonce = randomBytes(16).toString('hex')
  const pkg = `prepay_id=${prepayId}`
  return { prepayId, payParams: { timeStamp: payTs, nonceStr: payNonce, package: pkg, signType: 'RSA', paySign: rsaSign(`${m.appId}\n${payTs}\n${payNonce}\n${pkg}\n`) } }
}

try {
  const results = await measure({ 'node:crypto + fetch (hand-written)': handOrder, 'wechatpay-wasm createClient': packageOrder }, { warmup: 200 })
  console.log([`The client's JSAPI order against the simulator in this process, ${machine()}`, '',
    table('one order: sign, POST /v3/pay/transactions/jsapi, verify the answer, paySign', results, 'node:crypto + fetch (hand-written)')].join('\n'))
} finally {
  await new Promise((r) => server.close(r))
  await wechat.stop?.()
  db.close()
  rmSync(dataDir, { recursive: true, force: true })
}
