// scratch A/B (not committed): node bench/ab-tmp.mjs name=DIST ... ; cases interleaved per variant
import { createHash, createHmac, createDecipheriv, createPublicKey, createVerify } from 'node:crypto'
import { join } from 'node:path'
import { API_V3_KEY, PUBLIC_KEY, PUB_KEY_ID, signedNotification } from './lib/fixtures.mjs'
import { measure } from './lib/measure.mjs'

const which = (process.env.CASES || 'hmac,md5,notify').split(',')
const rounds = Number(process.env.ROUNDS || 21)
const variants = {}
for (const a of process.argv.slice(2)) { const [n, d] = a.split('='); variants[n] = await import(join(d, 'node.mjs')) }
const key = '192006250b4c09247ec02edce69f6a2d'
const params = {
  appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', nonce_str: 'ibuaiVcKdpRxkhJA', body: 'Tencent-Soap',
  out_trade_no: '20261127000000000001', total_fee: 888, spbill_create_ip: '203.0.113.7',
  notify_url: 'https://example.com/api/pay/notify/v2', trade_type: 'JSAPI', openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
}
function nodeCrypto(p, type) {
  const s = Object.keys(p).filter((k) => p[k] !== '' && p[k] != null && k !== 'sign').sort()
    .map((k) => k + '=' + p[k]).join('&') + '&key=' + key
  return (type === 'HMAC-SHA256' ? createHmac('sha256', key) : createHash('md5')).update(s, 'utf8').digest('hex').toUpperCase()
}
const notification = await signedNotification()
const publicKey = createPublicKey(PUBLIC_KEY)
function nodeNotify() {
  const h = notification.headers
  const body = notification.body
  if (!h['Wechatpay-Timestamp']) throw 0
  if (!createVerify('RSA-SHA256').update(`${h['Wechatpay-Timestamp']}\n${h['Wechatpay-Nonce']}\n${body}\n`).verify(publicKey, h['Wechatpay-Signature'], 'base64')) throw new Error('sig')
  const envelope = JSON.parse(body)
  const r = envelope.resource
  const data = Buffer.from(r.ciphertext, 'base64')
  const decipher = createDecipheriv('aes-256-gcm', API_V3_KEY, r.nonce)
  decipher.setAuthTag(data.subarray(data.length - 16))
  decipher.setAAD(Buffer.from(r.associated_data))
  const resource = JSON.parse(Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString())
  return { id: envelope.id, eventType: envelope.event_type, resource }
}
const out = []
for (const c of which) {
  const cases = {}
  if (c === 'hmac' || c === 'md5') {
    const t = c === 'hmac' ? 'HMAC-SHA256' : 'MD5'
    cases.node = () => nodeCrypto(params, t)
    for (const [n, v] of Object.entries(variants)) cases[n] = () => v.signV2(params, { key, signType: t })
  } else if (c === 'notify') {
    cases.node = nodeNotify
    for (const [n, v] of Object.entries(variants)) {
      const verifier = v.createVerifier({ keys: { [PUB_KEY_ID]: PUBLIC_KEY } })
      const input = { headers: notification.headers, body: notification.body }
      cases[n] = () => verifier.verifyNotification(input, { apiV3Key: API_V3_KEY })
    }
  }
  const r = await measure(cases, { rounds, ms: 200, warmup: c === 'notify' ? 1000 : 2000 })
  out.push(`${c}: ` + Object.entries(r).map(([n, ops]) => `${n} ${(ops / r.node).toFixed(3)}×`).join('  ') + `  (node ${Math.round(r.node)}/s)`)
}
console.log(out.join('\n'))
