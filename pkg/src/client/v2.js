// The API v2 client: signed XML sent on the runtime's fetch (bounded in time), every answer verified and bound
// to the request by the core (src/client/v2.rs). Refunds need the merchant's client certificate: pass a
// `fetch` that presents it (README: "API v2 refunds").
import { core, str, optStr, key, opts, describe, frame, framedCount, checkText } from '../boundary.js'
import { invalid } from '../error.js'
import { buildUnifiedOrder, parseUnifiedOrderResponse, requestPaymentV2, signV2 } from '../v2.js'
import { exchange, MAX_TIMER_MS } from './transport.js'

const DEFAULT_BASE_URL = 'https://api.mch.weixin.qq.com'
const DEFAULT_TIMEOUT_MS = 10000
const utf8 = new TextDecoder()

function object(value, field) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(field, `expected an object of WeChat's field names, got ${describe(value)}`)
  return value
}

function callOptions(options) {
  const o = opts(options)
  if (o.signal !== undefined && (o.signal === null || typeof o.signal !== 'object' || typeof o.signal.aborted !== 'boolean')) {
    throw invalid('signal', `expected an AbortSignal, got ${describe(o.signal)}`)
  }
  return o
}

/** Exactly one of out_trade_no and transaction_id: [out_trade_no, transaction_id]. */
function orderOf(o) {
  const byId = o.transaction_id !== undefined
  if (byId === (o.out_trade_no !== undefined)) throw invalid('out_trade_no', 'exactly one of out_trade_no and transaction_id')
  return byId ? [undefined, str(o.transaction_id, 'transaction_id')] : [str(o.out_trade_no, 'out_trade_no'), undefined]
}

function amount(o, name) {
  const v = o[name]
  if (!Number.isSafeInteger(v) || v < 1) throw invalid(name, 'a positive whole number of fen')
  return v
}

class V2Client {
  #appid
  #mchid
  #key
  #signType
  #baseUrl
  #fetch
  #timeoutMs
  #userAgent

  constructor(c) {
    this.#appid = c.appid
    this.#mchid = c.mchid
    this.#key = c.key
    this.#signType = c.signType
    this.#baseUrl = c.baseUrl
    this.#fetch = c.fetch
    this.#timeoutMs = c.timeoutMs
    this.#userAgent = c.userAgent
  }

  get appid() { return this.#appid }
  get mchid() { return this.#mchid }

  async #post(path, xml, signal) {
    const res = await exchange(this.#fetch, this.#baseUrl + path, {
      method: 'POST', headers: { 'Content-Type': 'text/xml; charset=utf-8', 'User-Agent': this.#userAgent }, body: xml,
    }, { timeoutMs: this.#timeoutMs, signal })
    // API v2 answers 200 even to failures (return_code FAIL); another status is a proxy's, unsigned
    if (res.status !== 200) core.v3ErrorAnswer(res.status, false, undefined, res.body)
    return checkText(utf8.decode(res.body), 'answer')
  }

  /** The caller's fields with the client's appid and mch_id: another one is refused before anything is sent. */
  #own(fields, what) {
    const o = { ...object(fields, what) }
    for (const [name, value] of [['appid', this.#appid], ['mch_id', this.#mchid]]) {
      if (o[name] !== undefined && o[name] !== value) {
        throw invalid(name, `${typeof o[name] === 'string' ? `"${o[name].slice(0, 64)}"` : describe(o[name])} differs from the client's: use a client per merchant`)
      }
      o[name] = value
    }
    return o
  }

  /** The signed request. */
  #request(fields) {
    const framed = checkText(frame(this.#own(fields, 'request'), 'request'), 'request')
    return core.v2BuildRequest(framed, framedCount, this.#key, this.#signType)
  }

  async unifiedOrder(order, options) {
    // the answer must be for the client's app and merchant, and the payment is signed for its app
    const o = this.#own(order, 'order')
    const xml = buildUnifiedOrder(o, { key: this.#key, signType: this.#signType })
    const answer = await this.#post('/pay/unifiedorder', xml, callOptions(options).signal)
    const { prepayId } = parseUnifiedOrderResponse(answer, { key: this.#key, appId: this.#appid, mchId: this.#mchid })
    return { prepayId, payParams: requestPaymentV2({ appId: this.#appid, prepayId, key: this.#key, signType: this.#signType }) }
  }

  async orderQuery(which, options) {
    const o = object(which, 'query')
    const [outTradeNo, transactionId] = orderOf(o)
    const answer = await this.#post('/pay/orderquery', this.#request(o), callOptions(options).signal)
    return JSON.parse(core.v2OrderQuery(answer, this.#key, this.#appid, this.#mchid, this.#signType, outTradeNo, transactionId))
  }

  async closeOrder(which, options) {
    const o = object(which, 'order')
    str(o.out_trade_no, 'out_trade_no')
    const answer = await this.#post('/pay/closeorder', this.#request(o), callOptions(options).signal)
    return JSON.parse(core.v2CloseOrder(answer, this.#key, this.#appid, this.#mchid, this.#signType))
  }

  async refund(refund, options) {
    const o = object(refund, 'refund')
    const [outTradeNo, transactionId] = orderOf(o)
    const outRefundNo = str(o.out_refund_no, 'out_refund_no')
    const totalFee = amount(o, 'total_fee')
    const refundFee = amount(o, 'refund_fee')
    const answer = await this.#post('/secapi/pay/refund', this.#request(o), callOptions(options).signal)
    return JSON.parse(core.v2Refund(answer, this.#key, this.#appid, this.#mchid, this.#signType, outTradeNo, transactionId, outRefundNo, totalFee, refundFee))
  }

  async refundQuery(which, options) {
    const o = object(which, 'query')
    const outRefundNo = str(o.out_refund_no, 'out_refund_no')
    const answer = await this.#post('/pay/refundquery', this.#request(o), callOptions(options).signal)
    return JSON.parse(core.v2RefundQuery(answer, this.#key, this.#appid, this.#mchid, this.#signType, outRefundNo))
  }

  toString() {
    return `[V2Client appid=${this.#appid} mchid=${this.#mchid}]`
  }
}

export function createV2Client(options) {
  const o = opts(options)
  const appid = str(o.appid, 'appid')
  const mchid = str(o.mchid, 'mchid')
  const k = key(o.key, 'key', 'the API v2 key, a string of 32 characters')
  const signType = optStr(o.signType, 'signType') ?? 'HMAC-SHA256'
  if (signType !== 'MD5' && signType !== 'HMAC-SHA256') throw invalid('signType', 'MD5 or HMAC-SHA256')
  const baseUrl = (optStr(o.baseUrl, 'baseUrl') ?? DEFAULT_BASE_URL).replace(/\/+$/, '')
  try {
    if (!/^https?:$/.test(new URL(baseUrl).protocol)) throw new Error()
  } catch {
    throw invalid('baseUrl', 'an absolute http(s) URL such as https://api.mch.weixin.qq.com')
  }
  const fetchFn = o.fetch ?? ((...args) => globalThis.fetch(...args))
  if (typeof fetchFn !== 'function') throw invalid('fetch', `expected a fetch function, got ${describe(fetchFn)}`)
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMER_MS) {
    throw invalid('timeoutMs', `1 to ${MAX_TIMER_MS} milliseconds (default 10000)`)
  }
  // the key is checked now (32 ASCII characters), not at the first call
  signV2({ appid }, { key: k, signType })
  return new V2Client({ appid, mchid, key: k, signType, baseUrl, fetch: fetchFn, timeoutMs, userAgent: optStr(o.userAgent, 'userAgent') ?? 'wechatpay-wasm' })
}
