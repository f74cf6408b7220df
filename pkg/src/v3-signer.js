// API v3, the signing side: the Authorization header, v3 wx.requestPayment params, any signature, and (for
// simulators) the Wechatpay-* headers of a response. The core builds messages and outputs; the host signs.
import { core, str, optStr, key, opts, rawBody, unixSeconds } from './boundary.js'
import { host, importKey } from './v3-host.js'

const EMPTY = new Uint8Array(0)

/** Unix seconds as digits; the current time when absent. */
const seconds = (value, field) => unixSeconds(value, field) ?? String(Math.floor(Date.now() / 1000))

class Signer {
  #mchid
  #serialNo
  #pkcs8
  #key = null

  constructor(mchid, serialNo, pkcs8) {
    this.#mchid = mchid
    this.#serialNo = serialNo
    this.#pkcs8 = pkcs8
  }

  get mchid() { return this.#mchid }
  get serialNo() { return this.#serialNo }

  async #sign(message) {
    this.#key ??= importKey(host.importSigningKey, this.#pkcs8, 'the merchant private key')
    return host.sign(await this.#key, message)
  }

  async authorization(options) {
    const o = opts(options)
    const timestamp = seconds(o.timestamp, 'timestamp')
    const nonce = optStr(o.nonceStr, 'nonceStr') ?? core.nonceStr(32)
    const body = o.body === undefined || o.body === null ? EMPTY : rawBody(o.body, 'body')
    const message = core.v3RequestMessage(str(o.method, 'method'), str(o.url, 'url'), timestamp, nonce, body)
    return core.v3Authorization(this.#mchid, this.#serialNo, nonce, timestamp, await this.#sign(message))
  }

  async requestPayment(options) {
    const o = opts(options)
    const appId = str(o.appId, 'appId')
    const prepayId = str(o.prepayId, 'prepayId')
    const timeStamp = seconds(o.timeStamp, 'timeStamp')
    const nonceStr = optStr(o.nonceStr, 'nonceStr') ?? core.nonceStr(32)
    const signature = await this.#sign(core.v3PaymentMessage(appId, prepayId, timeStamp, nonceStr))
    return core.v3RequestPayment(appId, prepayId, timeStamp, nonceStr, signature)
  }

  async appPayment(options) {
    const o = opts(options)
    const appId = str(o.appId, 'appId')
    const partnerId = str(o.partnerId, 'partnerId')
    const prepayId = str(o.prepayId, 'prepayId')
    const timeStamp = seconds(o.timeStamp, 'timeStamp')
    const nonceStr = optStr(o.nonceStr, 'nonceStr') ?? core.nonceStr(32)
    const signature = await this.#sign(core.appPaymentMessage(appId, prepayId, timeStamp, nonceStr))
    return JSON.parse(core.appPayment(appId, partnerId, prepayId, timeStamp, nonceStr, signature))
  }

  async sign(message) {
    // a copy: the bytes signed are the bytes given, whatever the caller's buffer becomes while the key imports
    return core.base64(await this.#sign(rawBody(message, 'message').slice()))
  }

  async responseHeaders(options) {
    const o = opts(options)
    const timestamp = seconds(o.timestamp, 'timestamp')
    const nonce = optStr(o.nonce, 'nonce') ?? core.nonceStr(32)
    const signature = await this.#sign(core.v3ResponseMessage(timestamp, nonce, rawBody(o.body, 'body')))
    return core.v3ResponseHeaders(this.#mchid, this.#serialNo, timestamp, nonce, signature)
  }

  toString() {
    return `[Signer mchid=${this.#mchid} serialNo=${this.#serialNo}]`
  }
}

export function createSigner(options) {
  const o = opts(options)
  const mchid = str(o.mchid, 'mchid')
  const serialNo = str(o.serialNo, 'serialNo')
  const pkcs8 = core.v3SignerKey(mchid, serialNo,
    key(o.privateKey, 'privateKey', 'the merchant private key (apiclient_key.pem), a PEM string'))
  return new Signer(mchid, serialNo, pkcs8)
}
