// API v3 in Node, through the package's public API beside the same written directly on node:crypto, in one
// process: (1) one order — Authorization sign, response verify, paySign; (2) one notification — verify and
// decrypt a 1 KB resource. The node:crypto versions do the same checks (headers, skew, serial) a careful
// hand-written integration does, with keys parsed once. With a BEFORE_DIST argument (the dist/ of an earlier
// build), that build runs in the same turns too, so the two are compared on the same machine at the same time.
import { join } from 'node:path'
import { createDecipheriv, createPrivateKey, createPublicKey, createSign, createVerify, randomBytes } from 'node:crypto'
import { createSigner, createVerifier } from 'wechatpay-wasm'
import { API_V3_KEY, APPID, MCHID, ORDER_BODY, PRIVATE_KEY, PUBLIC_KEY, PUB_KEY_ID, SERIAL, URL_PATH, signedNotification, signedResponse } from './lib/fixtures.mjs'
import { machine, measure, table } from './lib/measure.mjs'

const response = await signedResponse()
const notification = await signedNotification()

/** The order and the notification through a package's public API. */
function viaPackage({ createSigner, createVerifier }) {
  const signer = createSigner({ mchid: MCHID, serialNo: SERIAL, privateKey: PRIVATE_KEY })
  const verifier = createVerifier({ keys: { [PUB_KEY_ID]: PUBLIC_KEY } })
  const input = { headers: notification.headers, body: notification.body }
  return {
    async order() {
      await signer.authorization({ method: 'POST', url: URL_PATH, body: ORDER_BODY })
      await verifier.verifyResponse(response)
      return signer.requestPayment({ appId: APPID, prepayId: 'wx201410272009395522657a690389285100' })
    },
    notify: () => verifier.verifyNotification(input, { apiV3Key: API_V3_KEY }),
  }
}
const current = viaPackage({ createSigner, createVerifier })
const before = process.argv[2] ? viaPackage(await import(join(process.argv[2], 'node.mjs'))) : null

const privateKey = createPrivateKey(PRIVATE_KEY)
const publicKey = createPublicKey(PUBLIC_KEY)
const nodeKeys = { [PUB_KEY_ID]: publicKey }
const rsaSign = (message) => createSign('RSA-SHA256').update(message).sign(privateKey, 'base64')

/** The checks verifyResponse makes, hand-written: headers present, skew, known serial, RSA over ts\nnonce\nbody\n. */
function nodeVerify(headers, body) {
  const h = (name) => headers[name]
  const [ts, nonce, signature, serial] = ['Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Signature', 'Wechatpay-Serial'].map(h)
  if (!ts || !nonce || !signature || !serial) throw new Error('missing header')
  if (Math.abs(Math.floor(Date.now() / 1000) - Number(ts)) > 300) throw new Error('skew')
  const key = nodeKeys[serial]
  if (!key) throw new Error('unknown serial')
  if (!createVerify('RSA-SHA256').update(`${ts}\n${nonce}\n${body}\n`).verify(key, signature, 'base64')) throw new Error('signature')
}

async function nodeOrder() {
  const ts = String(Math.floor(Date.now() / 1000))
  const nonce = randomBytes(16).toString('hex')
  const signature = rsaSign(`POST\n${URL_PATH}\n${ts}\n${nonce}\n${ORDER_BODY}\n`)
  void `WECHATPAY2-SHA256-RSA2048 mchid="${MCHID}",nonce_str="${nonce}",signature="${signature}",timestamp="${ts}",serial_no="${SERIAL}"`
  nodeVerify(response.headers, response.body)
  const pkg = 'prepay_id=wx201410272009395522657a690389285100'
  return { timeStamp: ts, nonceStr: nonce, package: pkg, signType: 'RSA', paySign: rsaSign(`${APPID}\n${ts}\n${nonce}\n${pkg}\n`) }
}

async function nodeNotify() {
  nodeVerify(notification.headers, notification.body)
  const envelope = JSON.parse(notification.body)
  const r = envelope.resource
  if (r.algorithm !== 'AEAD_AES_256_GCM') throw new Error('algorithm')
  const data = Buffer.from(r.ciphertext, 'base64')
  const decipher = createDecipheriv('aes-256-gcm', API_V3_KEY, r.nonce)
  decipher.setAuthTag(data.subarray(data.length - 16))
  decipher.setAAD(Buffer.from(r.associated_data))
  const resource = JSON.parse(Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString())
  return { id: envelope.id, eventType: envelope.event_type, resource }
}

const cases = (f) => ({ ...(before ? { 'wechatpay-wasm (before)': before[f] } : {}), 'wechatpay-wasm': current[f] })
const order = await measure({ 'node:crypto (hand-written)': nodeOrder, ...cases('order') }, { warmup: 300 })
const notify = await measure({ 'node:crypto (hand-written)': nodeNotify, ...cases('notify') }, { warmup: 1000, rounds: 15, ms: 200 })
console.log([`API v3 in Node, ${machine()}`, '',
  table('one order: Authorization + response verify + paySign (2 RSA signs, 1 verify)', order, 'node:crypto (hand-written)'), '',
  table(`one notification: verify + decrypt a ${notification.plaintextBytes}-byte resource`, notify, 'node:crypto (hand-written)')].join('\n'))
