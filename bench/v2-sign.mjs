// v2 sign of a 10-field unifiedorder set, HMAC-SHA256 and MD5: the package's public signV2 beside a plain
// node:crypto implementation and the signers of tenpay and wechatpay-axios-plugin, in one Node process.
// The `await` in measure() is paid equally by every case (all are synchronous). With a BEFORE_DIST argument (the
// dist/ of an earlier build), that build's signV2 takes its turns too.
import { createHash, createHmac } from 'node:crypto'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { signV2 } from 'wechatpay-wasm'
import { measure, table, machine } from './lib/measure.mjs'

const require = createRequire(import.meta.url)
const Tenpay = require('tenpay')
const { Hash } = require('wechatpay-axios-plugin')

const key = '192006250b4c09247ec02edce69f6a2d'
const params = {
  appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', nonce_str: 'ibuaiVcKdpRxkhJA', body: 'Tencent-Soap',
  out_trade_no: '20261127000000000001', total_fee: 888, spbill_create_ip: '203.0.113.7',
  notify_url: 'https://example.com/api/pay/notify/v2', trade_type: 'JSAPI', openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
}

/** What a careful hand-written signer on node:crypto does. */
function nodeCrypto(p, type) {
  const s = Object.keys(p).filter((k) => p[k] !== '' && p[k] != null && k !== 'sign').sort()
    .map((k) => k + '=' + p[k]).join('&') + '&key=' + key
  return (type === 'HMAC-SHA256' ? createHmac('sha256', key) : createHash('md5')).update(s, 'utf8').digest('hex').toUpperCase()
}
const tenpay = new Tenpay({ appid: params.appid, mchid: params.mch_id, partnerKey: key })
const before = process.argv[2] ? (await import(join(process.argv[2], 'node.mjs'))).signV2 : null

const out = [`v2 sign, 10-field unifiedorder set, ${machine()}`]
for (const type of ['HMAC-SHA256', 'MD5']) {
  const cases = {
    'node:crypto (plain JS)': () => nodeCrypto(params, type),
    ...(before ? { 'wechatpay-wasm signV2 (before)': () => before(params, { key, signType: type }) } : {}),
    'wechatpay-wasm signV2': () => signV2(params, { key, signType: type }),
    'tenpay _getSign': () => tenpay._getSign(params, type),
    'wechatpay-axios-plugin Hash.sign': () => Hash.sign(type, params, key),
  }
  const answers = new Set(Object.values(cases).map((f) => f()))
  if (answers.size !== 1) throw new Error(`the signers disagree: ${[...answers]}`)
  out.push('', table(`${type} (every signer gives ${[...answers][0].slice(0, 12)}…)`, await measure(cases), 'node:crypto (plain JS)'))
}
console.log(out.join('\n'))
