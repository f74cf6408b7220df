// What each README snippet must do when run, by its marker name (`<!-- test: node|worker NAME -->`):
// - `expect(output)`: a script that runs to completion, judged by what it prints;
// - `serve(post, output)`: a server (the snippet listens on env PORT) driven with requests;
// - `drive(post, output)`: a Worker, driven with requests in miniflare.
// `env` (and for Workers, `bindings`) is what the snippet reads; `files` are written beside a Node snippet.
// The client's snippets (`simulator: true`) run against server-stub's WeChat simulator: their `env`, `files`,
// `bindings` are functions of that world (its merchant's ids and keys), `before`/`after` set it up, and `expect`
// and `drive` may ask it what happened (an order paid at its cashier, a notification delivered).
import { createPublicKey, verify as rsaVerify } from 'node:crypto'
import * as api from 'wechatpay-wasm'
import { PREPAY_ID_V3, PUB_KEY_ID, TEST_PRIVATE_KEY, TEST_PUBLIC_KEY } from './wechat.mjs'
import miniprogram from '../../vectors/miniprogram.json' with { type: 'json' }

const V2_KEY = '192006250b4c09247ec02edce69f6a2d'
const API_V3_KEY = '0123456789abcdef0123456789abcdef'
const V2 = { WECHATPAY_V2_KEY: V2_KEY, WECHATPAY_APPID: 'wxd930ea5d5a258f4f', WECHATPAY_MCHID: '10000100' }
const V3 = { WECHATPAY_PUBLIC_KEY_ID: PUB_KEY_ID, WECHATPAY_APIV3_KEY: API_V3_KEY }
const KEY_FILES = { 'apiclient_key.pem': TEST_PRIVATE_KEY, 'pub_key.pem': TEST_PUBLIC_KEY }

/** A v2 payment notification, signed (then tampered with, if asked); `failed`: a signed result_code FAIL. */
function v2Notification({ tamper = false, failed = false } = {}) {
  const paid = { result_code: 'SUCCESS', openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', trade_type: 'JSAPI', bank_type: 'CFT',
    cash_fee: 888, transaction_id: '4200000000202611270000000001', time_end: '20261127120000' }
  const fields = { return_code: 'SUCCESS', appid: V2.WECHATPAY_APPID, mch_id: V2.WECHATPAY_MCHID, nonce_str: api.nonceStr(),
    ...(failed ? { result_code: 'FAIL', err_code: 'NOTENOUGH', err_code_des: '余额不足' } : paid), total_fee: 888,
    out_trade_no: failed ? 'SOAP20261127002' : 'SOAP20261127001' }
  const sign = api.signV2(fields, { key: V2_KEY })
  return { method: 'POST', body: api.toXml({ ...fields, total_fee: tamper ? 1 : 888, sign }) }
}

/** Waits (a bounded number of turns) until `output()` contains `text`: a Worker's console output arrives on a pipe. */
async function printed(output, text) {
  for (let i = 0; i < 100 && !output().includes(text); i++) await new Promise((r) => setTimeout(r, 50))
  return output().includes(text)
}

/** A v3 notification as WeChat Pay sends it: signed headers, encrypted resource (then tampered with, if asked). */
async function v3Notification({ tamper = false } = {}) {
  const wechat = api.createSigner({ mchid: '1900007291', serialNo: PUB_KEY_ID, privateKey: TEST_PRIVATE_KEY })
  const transaction = { mchid: '1900007291', appid: 'wxd678efh567hg6787', out_trade_no: 'SOAP20261127001',
    transaction_id: '4200000000202611270000000001', trade_type: 'JSAPI', trade_state: 'SUCCESS', trade_state_desc: '支付成功',
    payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }, amount: { total: 888, payer_total: 888, currency: 'CNY' } }
  const body = JSON.stringify({ id: 'EV-2026112700000001', create_time: '2026-11-27T12:00:00+08:00',
    resource_type: 'encrypt-resource', event_type: 'TRANSACTION.SUCCESS', summary: '支付成功',
    resource: { original_type: 'transaction', ...api.encryptResource(transaction, API_V3_KEY, { associatedData: 'transaction' }) } })
  const headers = { ...(await wechat.responseHeaders({ body })), 'Content-Type': 'application/json' }
  return { method: 'POST', headers, body: tamper ? body.replace('EV-2026112700000001', 'EV-2026112700000002') : body }
}

/** A genuine v3 notification gets 204; a tampered one 401 naming ERR_SIGNATURE_MISMATCH. */
async function driveV3(post) {
  const ok = await post(await v3Notification())
  if (ok.status !== 204) return `a genuine notification got ${ok.status} ${await ok.text()}`
  const forged = await post(await v3Notification({ tamper: true }))
  const reply = await forged.text()
  return forged.status === 401 && JSON.parse(reply).message === 'ERR_SIGNATURE_MISMATCH' ? null
    : `a tampered notification got ${forged.status} ${reply}`
}

const field = (out, name) => new RegExp(`${name}: '([^']*)'`).exec(out)?.[1]

// ---- the client's snippets, against the simulator

const BEIJING_DAY = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
const merchantOf = (w) => w.credentials.merchant
const simEnv = (w) => {
  const m = merchantOf(w)
  return { WECHATPAY_MCHID: m.mchid, WECHATPAY_SERIAL_NO: m.merchantSerialNo, WECHATPAY_PUBLIC_KEY_ID: m.wechatpayPublicKeyId,
    WECHATPAY_APIV3_KEY: m.apiV3Key, WECHAT_APPID: m.appId, WECHATPAY_BASE_URL: w.simulator }
}
const simFiles = (w) => ({ 'apiclient_key.pem': merchantOf(w).merchantPrivateKey, 'pub_key.pem': merchantOf(w).wechatpayPublicKey })
const post = async (url, body) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()

/** A WeChat user of the simulator logged in to the merchant's mini program: their openid there. */
async function openidOf(w, user) {
  const { code } = await post(`${w.simulator}/sim/wx/login`, { user })
  const m = merchantOf(w)
  return api.parseCode2Session(await (await fetch(api.code2SessionUrl({ baseUrl: w.simulator, appId: m.appId, secret: m.appSecret, code }))).text()).openid
}

const setMerchant = (w, settings) => post(`${w.simulator}/sim/merchants/${merchantOf(w).mchid}/settings`, settings)

async function notificationsOf(w, tag) {
  for (let i = 0; i < 400; i++) {
    const list = await (await fetch(`${w.url}/notifications/${tag}`)).json()
    if (list.length) return list
    await new Promise((r) => setTimeout(r, 25))
  }
  return []
}

export const checks = {
  'v3-notify': { bindings: { ...V3, WECHATPAY_PUBLIC_KEY: TEST_PUBLIC_KEY }, drive: driveV3 },
  'v3-notify-node': {
    env: V3,
    files: KEY_FILES,
    serve: async (post, output) =>
      (await driveV3(post)) ?? (output().includes('paid SOAP20261127001 888') ? null : 'no "paid" line printed'),
  },
  'v3-request-payment': {
    files: KEY_FILES,
    expect(out) {
      const message = `wxd678efh567hg6787\n${field(out, 'timeStamp')}\n${field(out, 'nonceStr')}\n${field(out, 'package')}\n`
      return field(out, 'signType') === 'RSA' && field(out, 'package') === 'prepay_id=wx201410272009395522657a690389285100' &&
        rsaVerify('sha256', Buffer.from(message), createPublicKey(TEST_PUBLIC_KEY), Buffer.from(field(out, 'paySign') ?? '', 'base64'))
    },
  },
  'v3-authorization': {
    env: V3,
    files: KEY_FILES,
    expect: (out) => out.trim() === PREPAY_ID_V3,
  },
  'v2-order': {
    env: { WECHATPAY_V2_KEY: V2_KEY },
    expect: (out) => /paySign: '[0-9A-F]{64}'/.test(out) && out.includes("package: 'prepay_id=wx2716") &&
      field(out, 'signType') === 'HMAC-SHA256',
  },
  'v2-notify': {
    bindings: V2,
    async drive(post, output) {
      // a signed FAIL notice is acknowledged, and not taken for a payment
      const failed = await (await post(v2Notification({ failed: true }))).text()
      if (failed !== api.v2NotificationReply(true)) return `a signed FAIL notification got ${failed}`
      if (!(await printed(output, 'payment failed SOAP20261127002 NOTENOUGH'))) return `no "payment failed" line: ${output()}`
      if (output().includes('paid SOAP20261127002')) return `a failed payment was logged as paid: ${output()}`
      const ok = await (await post(v2Notification())).text()
      if (ok !== api.v2NotificationReply(true)) return `a valid notification got ${ok}`
      if (!(await printed(output, 'paid SOAP20261127001 888'))) return `no "paid" line for a payment: ${output()}`
      const forged = await (await post(v2Notification({ tamper: true }))).text()
      return forged === api.v2NotificationReply(false, 'ERR_SIGNATURE_MISMATCH') ? null : `a tampered notification got ${forged}`
    },
  },
  login: {
    env: { WECHAT_APP_SECRET: 'test-app-secret' },
    expect: (out) => out.trim() === 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o true',
  },
  // the order SOAP20261127001 placed here is paid at the simulator's cashier, for the snippets after it
  'client-order': {
    simulator: true,
    env: async (w) => ({ ...simEnv(w), PAYER_OPENID: await openidOf(w, 'readme') }),
    files: simFiles,
    async expect(out, w) {
      const params = { timeStamp: field(out, 'timeStamp'), nonceStr: field(out, 'nonceStr'), package: field(out, 'package'),
        signType: field(out, 'signType'), paySign: field(out, 'paySign') }
      const paid = await post(`${w.simulator}/sim/cashier/confirm`, { ...params, payer: 'readme' })
      return params.signType === 'RSA' && out.startsWith(params.package.slice('prepay_id='.length)) && paid.errMsg === 'requestPayment:ok'
    },
  },
  'client-lifecycle': {
    simulator: true,
    env: simEnv,
    files: simFiles,
    expect: (out) => /^paid \d{28}$/m.test(out) && out.includes('refund PROCESSING') && out.includes('not closed: 400 ORDERPAID'),
  },
  'client-worker': {
    simulator: true,
    bindings: (w) => ({ ...simEnv(w), WECHATPAY_PRIVATE_KEY: merchantOf(w).merchantPrivateKey,
      WECHATPAY_PUBLIC_KEY: merchantOf(w).wechatpayPublicKey, NOTIFY_URL: `${w.url}/notify/readme-worker` }),
    async drive(request, output, w) {
      const openid = await openidOf(w, 'readme')
      const order = await request({ method: 'POST', body: JSON.stringify({ outTradeNo: 'SOAP20261127003', openid }) }, '/order')
      const params = await order.json()
      if (order.status !== 200 || params.signType !== 'RSA') return `/order answered ${order.status} ${JSON.stringify(params)}`
      const paid = await post(`${w.simulator}/sim/cashier/confirm`, { ...params, payer: 'readme' })
      if (paid.errMsg !== 'requestPayment:ok') return `the cashier refused the params: ${JSON.stringify(paid)}`
      const [delivered] = await notificationsOf(w, 'readme-worker')
      if (!delivered) return 'the simulator delivered no notification'
      // as WeChat sent them, without the hop's own headers (host, length, connection)
      const notice = { ...delivered, headers: Object.fromEntries(Object.entries(delivered.headers).filter(([k]) => /^(wechatpay-|request-id|content-type)/.test(k))) }
      const ok = await request({ method: 'POST', headers: notice.headers, body: notice.body })
      if (ok.status !== 204) return `the notification got ${ok.status} ${await ok.text()}`
      const forged = await request({ method: 'POST', headers: notice.headers, body: notice.body.replace('"id":"', '"id":"X') })
      const reply = await forged.text()
      return forged.status === 401 && JSON.parse(reply).message === 'ERR_SIGNATURE_MISMATCH' ? null : `a tampered notification got ${forged.status} ${reply}`
    },
  },
  'client-bills': {
    simulator: true,
    env: (w) => ({ ...simEnv(w), BILL_DATE: BEIJING_DAY() }),
    files: simFiles,
    expect: (out) => /^SOAP20261127001 SUCCESS 888 0$/m.test(out) && /^SOAP20261127001 REFUND \d+ 888$/m.test(out) &&
      /^orders \d+ total \d+ fees -?\d+$/m.test(out),
  },
  'client-certificates': {
    simulator: true,
    env: simEnv,
    files: simFiles,
    before: (w) => setMerchant(w, { keyMode: 'certificate' }),
    after: (w) => setMerchant(w, { keyMode: 'public-key' }),
    expect: (out, w) => out.toUpperCase().includes(merchantOf(w).platformSerialNo.toUpperCase()) && /^REFUND$/m.test(out),
  },
  // a v2 order paid first; the snippet refunds it over the simulator's mutual-TLS port, trusting its CA as a
  // deployment trusts the public CAs (NODE_EXTRA_CA_CERTS: the snippet itself passes no `ca`)
  'v2-refund': {
    simulator: true,
    env: (w, dir) => ({ WECHAT_APPID: merchantOf(w).appId, WECHATPAY_MCHID: merchantOf(w).mchid, WECHATPAY_V2_KEY: merchantOf(w).apiV2Key,
      WECHATPAY_BASE_URL: w.simulatorTls, NODE_EXTRA_CA_CERTS: `${dir}/simulator_ca.pem` }),
    files: (w) => ({ 'apiclient_cert.pem': merchantOf(w).merchantCertificate, 'apiclient_key.pem': merchantOf(w).merchantPrivateKey,
      'simulator_ca.pem': w.credentials.ca }),
    async before(w) {
      const m = merchantOf(w)
      const v2 = api.createV2Client({ appid: m.appId, mchid: m.mchid, key: m.apiV2Key, baseUrl: w.simulator })
      const { payParams } = await v2.unifiedOrder({ body: '香皂', out_trade_no: 'SOAP20261127002', total_fee: 888,
        spbill_create_ip: '203.0.113.7', notify_url: 'https://shop.example.com/pay/notify/v2', openid: await openidOf(w, 'readme') })
      await post(`${w.simulator}/sim/cashier/confirm`, { ...payParams, payer: 'readme' })
    },
    expect: (out) => /^refund \d+ 888$/m.test(out),
  },
  'miniprogram-data': {
    env: {
      ENCRYPTED_DATA: miniprogram.cases[0].args[0].encryptedData, IV: miniprogram.cases[0].args[0].iv,
      SESSION_KEY: miniprogram.cases[0].args[0].sessionKey,
    },
    expect: (out) => out.trim() === 'oGZUI0egBJY1zhBYw2KhdUfwVJJE wx4f4bc4dec97d474b',
  },
}

