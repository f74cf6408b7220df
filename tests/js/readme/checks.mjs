// What each README snippet must do when run, by its marker name (`<!-- test: node|worker NAME -->`):
// - `expect(output)`: a script that runs to completion, judged by what it prints;
// - `serve(post, output)`: a server (the snippet listens on env PORT) driven with requests;
// - `drive(post, output)`: a Worker, driven with requests in miniflare.
// `env` (and for Workers, `bindings`) is what the snippet reads; `files` are written beside a Node snippet.
import { createPublicKey, verify as rsaVerify } from 'node:crypto'
import * as api from 'wechatpay-wasm'
import { PREPAY_ID_V3, PUB_KEY_ID, TEST_PRIVATE_KEY, TEST_PUBLIC_KEY } from './wechat.mjs'

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
}

