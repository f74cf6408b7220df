// The wasm boundary before and after serde, side by side in one process: each public function that crosses it
// with a structured result (serde-wasm-bindgen objects now, JSON text + JSON.parse before), with an error's
// context, and the flat path of signV2 (unchanged), on the package as built now and on a build of the commit
// before serde, taking turns.
// Usage: node bench/boundary.mjs BEFORE_DIST   (BEFORE_DIST: the dist/ of `bash pkg/build.sh` at that commit)
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as after from 'wechatpay-wasm'
import { API_V3_KEY, PRIVATE_KEY, PUBLIC_KEY, PUB_KEY_ID, signedNotification, signedResponse } from './lib/fixtures.mjs'
import { machine, measure } from './lib/measure.mjs'

const beforeDist = process.argv[2]
if (!beforeDist) throw new Error('usage: node bench/boundary.mjs BEFORE_DIST')
const before = await import(join(beforeDist, 'node.mjs'))

const KEY = '192006250b4c09247ec02edce69f6a2d'
const vectors = (name) => JSON.parse(readFileSync(new URL(`../tests/vectors/${name}`, import.meta.url)))
const notice = vectors('v2_notification.json').cases.find((c) => c.id === 'md5').args
const login = '{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o","session_key":"tiihtNczf5v6AKRyjwEUhQ==","unionid":"ocMvos6NjeKLIBqg5Mr9QjxrP1FA"}'
const params = {
  appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', nonce_str: 'ibuaiVcKdpRxkhJA', body: 'Tencent-Soap',
  out_trade_no: '20261127000000000001', total_fee: 888, spbill_create_ip: '203.0.113.7',
  notify_url: 'https://example.com/api/pay/notify/v2', trade_type: 'JSAPI', openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
}
const response = await signedResponse()
const notification = await signedNotification()

/** One case per public function, built on either package. */
function cases(api) {
  const verifier = api.createVerifier({ keys: { [PUB_KEY_ID]: PUBLIC_KEY } })
  const signer = api.createSigner({ mchid: '1900007291', serialNo: PUB_KEY_ID, privateKey: PRIVATE_KEY })
  const thrown = (f) => () => {
    try {
      f()
    } catch (e) {
      return e.offset
    }
  }
  return {
    'signV2 (flat path)': () => api.signV2(params, { key: KEY, signType: 'HMAC-SHA256' }),
    'parseV2Notification (23 fields)': () => api.parseV2Notification(...notice),
    'parseCode2Session': () => api.parseCode2Session(login),
    'requestPaymentV2 (5 options, 5 results)': () => api.requestPaymentV2({ appId: 'wxd930ea5d5a258f4f',
      prepayId: 'wx201410272009395522657a690389285100', key: KEY, timeStamp: 1490840662, nonceStr: 'ibuaiVcKdpRxkhJA' }),
    'parseXml error (context object)': thrown(() => api.parseXml('<xml><a>1</a><a>2</a></xml>')),
    'encryptResource (1 KB)': () => api.encryptResource('x'.repeat(1000), API_V3_KEY, { nonce: 'abcdefghijkl' }),
    'verifyResponse': () => verifier.verifyResponse(response),
    'verifyNotification (1 KB resource)': () => verifier.verifyNotification(notification, { apiV3Key: API_V3_KEY }),
    'responseHeaders': () => signer.responseHeaders({ body: '{}', timestamp: 1554208460, nonce: 'abc' }),
  }
}

const [was, now] = [cases(before), cases(after)]
const lines = [`wasm boundary before and after serde, ${machine()} (median of 9 interleaved turns)`, '',
  '| function | before ops/s | after ops/s | after / before |', '|---|---:|---:|---:|']
for (const name of Object.keys(now)) {
  const r = await measure({ before: was[name], after: now[name] }, { rounds: 9, warmup: name.startsWith('verify') ? 300 : 2000 })
  lines.push(`| ${name} | ${Math.round(r.before).toLocaleString('en')} | ${Math.round(r.after).toLocaleString('en')} | ${(r.after / r.before).toFixed(2)}× |`)
}
console.log(lines.join('\n'))
