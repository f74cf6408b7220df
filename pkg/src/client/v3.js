// The API v3 client: every call signed, sent on the runtime's fetch (bounded in time), its answer verified and
// bound to the request before anything in it is returned. The core decides what an answer must say
// (src/client/v3.rs); this module does the I/O.
import { core, str, optStr, key, opts, describe, rawBody, jsonBytes } from '../boundary.js'
import { WechatPayError, invalid } from '../error.js'
import { createSigner } from '../v3-signer.js'
import { createVerifier } from '../v3-verifier.js'
import { host, importKey } from '../v3-host.js'
import { decryptCertificates, encryptSensitive } from '../v3.js'
import { exchange, MAX_TIMER_MS } from './transport.js'
import { downloadBill, openEncryptedBill, parseBill } from './bill.js'
import { multipart } from './multipart.js'

const DEFAULT_BASE_URL = 'https://api.mch.weixin.qq.com'
const DEFAULT_TIMEOUT_MS = 10000
const DEFAULT_USER_AGENT = 'wechatpay-wasm'
const encoder = new TextEncoder()
const utf8 = new TextDecoder()

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer)

function object(value, field) {
  if (!isObject(value)) throw invalid(field, `expected an object of WeChat's field names, got ${describe(value)}`)
  return value
}

/** The field of a call's first argument that names its subject (`out_trade_no`, `sub_mchid`, …). */
function field(o, name, what) {
  const v = o[name]
  if (typeof v !== 'string' || v === '') throw invalid(name, `required: ${what}`)
  return str(v, name)
}

/** A field the client fills in: refused when the caller passed another value (a request for another merchant). */
function own(o, name, value) {
  if (o[name] !== undefined && o[name] !== value) {
    const given = typeof o[name] === 'string' ? `"${o[name].slice(0, 64)}"` : describe(o[name])
    throw invalid(name, `${given} differs from the client's ${name} "${value}": use a client per merchant`)
  }
  return value
}

/** A number as a path segment: "." and ".." are refused, since the URL would resolve them to another path. */
function segment(v, name) {
  if (v === '.' || v === '..') throw invalid(name, `"${v}" is not a number WeChat issues, and would change the path of the call`)
  return encodeURIComponent(v)
}

/** The `{ signal }` of a call's options. */
function callOptions(options) {
  const o = opts(options)
  if (o.signal !== undefined && (o.signal === null || typeof o.signal !== 'object' || typeof o.signal.aborted !== 'boolean')) {
    throw invalid('signal', `expected an AbortSignal, got ${describe(o.signal)}`)
  }
  return o
}

class Client {
  #mchid
  #appid
  #partner
  #signer
  #privateKeyPem
  #decryptKey = null
  #configured
  #downloaded = {}
  #verifier
  #verifierOptions
  #baseUrl
  #origin
  #fetch
  #timeoutMs
  #userAgent
  #apiV3Key
  #publicKeyId
  #timer = null

  constructor(c) {
    this.#mchid = c.mchid
    this.#appid = c.appid
    this.#partner = c.partner
    this.#signer = c.signer
    this.#privateKeyPem = c.privateKey
    this.#configured = c.keys
    this.#verifierOptions = c.verifierOptions
    this.#verifier = Object.keys(c.keys).length ? createVerifier({ keys: c.keys, ...c.verifierOptions }) : null
    this.#baseUrl = c.baseUrl
    this.#origin = new URL(c.baseUrl).origin
    this.#fetch = c.fetch
    this.#timeoutMs = c.timeoutMs
    this.#userAgent = c.userAgent
    this.#apiV3Key = c.apiV3Key
    this.#publicKeyId = Object.keys(c.keys).find((s) => s.startsWith('PUB_KEY_ID_'))
  }

  get mchid() { return this.#mchid }
  get partner() { return this.#partner }

  /** The serial sent as `Wechatpay-Serial` and used to encrypt: the WeChat Pay public key, else the newest certificate. */
  get #serial() {
    if (this.#publicKeyId) return this.#publicKeyId
    let newest
    for (const [serial, c] of Object.entries(this.#downloaded)) {
      if (!newest || c.effectiveTime > this.#downloaded[newest].effectiveTime) newest = serial
    }
    return newest
  }

  #url(path, query) {
    if (typeof path !== 'string' || !path.startsWith('/')) throw invalid('path', `the path of the API, e.g. /v3/pay/transactions/jsapi, got ${describe(path)}`)
    let qs = ''
    if (query !== undefined && query !== null) {
      const params = new URLSearchParams()
      for (const [k, v] of Object.entries(object(query, 'query'))) {
        if (v === undefined || v === null) continue
        if (typeof v !== 'string' && typeof v !== 'number') throw invalid(k, `a query value is a string or number, got ${describe(v)}`)
        params.append(k, String(v))
      }
      const text = params.toString()
      qs = text ? `?${text}` : ''
    }
    return new URL(this.#baseUrl + path + qs)
  }

  /** Signs and sends; resolves the raw exchange. `signed` is what the signature covers when it is not the body (media). */
  async #send({ method, url, body, signed, contentType, headers, signal }) {
    const target = url.pathname + url.search
    const authorization = await this.#signer.authorization({ method, url: target, body: signed ?? body ?? '' })
    const h = { Accept: 'application/json', 'User-Agent': this.#userAgent }
    if (headers !== undefined && headers !== null) {
      for (const [k, v] of Object.entries(object(headers, 'headers'))) {
        if (k.toLowerCase() === 'authorization') throw invalid('headers', 'Authorization is computed by the client')
        if (typeof v !== 'string' && typeof v !== 'number') throw invalid('headers', `the value of ${k.slice(0, 64)} is a string, got ${describe(v)}`)
        // the runtime's own rules, checked here: fetch would refuse them after signing, as if the network had failed
        try {
          new Headers([[k, String(v)]])
        } catch {
          throw invalid('headers', `${k.slice(0, 64)}: not a valid HTTP header name and value (a token for the name; no line breaks or characters above U+00FF in the value)`)
        }
        h[k] = String(v)
      }
    }
    h.Authorization = authorization
    const serial = this.#serial
    if (serial && !Object.keys(h).some((k) => k.toLowerCase() === 'wechatpay-serial')) h['Wechatpay-Serial'] = serial
    if (body !== undefined) h['Content-Type'] = contentType ?? 'application/json'
    const res = await exchange(this.#fetch, url.href, { method, headers: h, body }, { timeoutMs: this.#timeoutMs, signal })
    return { ...res, requestId: res.headers.get('request-id') ?? undefined }
  }

  #verifierFor(status) {
    if (this.#verifier) return this.#verifier
    throw new WechatPayError('ERR_UNKNOWN_SERIAL', 'no WeChat Pay key to verify the answer with: pass keys (the WeChat Pay ' +
      'public key by its PUB_KEY_ID_…), or await client.refreshCertificates() first', { status })
  }

  /** A signed exchange whose answer is verified; a non-2xx answer throws ERR_WECHAT. */
  async #call(request) {
    const res = await this.#send(request)
    const { verified } = await this.#verifierFor(res.status).verifyResponse({ status: res.status, headers: res.headers, body: res.body })
    if (res.status < 200 || res.status > 299) core.v3ErrorAnswer(res.status, verified, res.requestId, res.body)
    return res
  }

  /** A typed operation's call: JSON in, the verified answer out (200 with a body, or 204). */
  async #json(method, path, { query, body, signal } = {}) {
    const payload = body === undefined ? undefined : jsonBytes(body, 'body')
    const res = await this.#call({ method, url: this.#url(path, query), body: payload, signal })
    if (res.status !== 200 && res.status !== 204) core.v3ErrorAnswer(res.status, true, res.requestId, res.body)
    return res
  }

  async request(request) {
    const r = opts(request, 'request')
    const method = str(r.method, 'method').toUpperCase()
    let body
    if (r.body !== undefined && r.body !== null) {
      // fetch refuses it, after signing, as if the network had failed
      if (method === 'GET' || method === 'HEAD') throw invalid('body', `a ${method} request has no body: put its fields in query`)
      body = typeof r.body === 'string' || ArrayBuffer.isView(r.body) || r.body instanceof ArrayBuffer
        ? rawBody(r.body, 'body')
        : jsonBytes(object(r.body, 'body'), 'body')
    }
    const res = await this.#call({ method, url: this.#url(r.path, r.query), body, headers: r.headers, signal: callOptions(r).signal })
    const text = utf8.decode(res.body)
    let data = null
    if (text) {
      try {
        data = JSON.parse(text)
      } catch {
        throw new WechatPayError('ERR_MALFORMED_JSON', 'malformed JSON: the verified answer is not JSON', { offset: 0, status: res.status })
      }
    }
    return { status: res.status, headers: res.headers, data, requestId: res.requestId }
  }

  // ---- payments

  /** The order as sent: the caller's fields, the client's merchant (and default app) filled in. */
  #order(order) {
    const o = { ...object(order, 'order') }
    if (this.#partner) {
      o.sp_mchid = own(o, 'sp_mchid', this.#mchid)
      if (o.sp_appid === undefined && this.#appid) o.sp_appid = this.#appid
      field(o, 'sub_mchid', 'the sub-merchant (特约商户) the order is for')
      field(o, 'sp_appid', 'the service provider\'s AppID (or createClient({ appid }))')
    } else {
      o.mchid = own(o, 'mchid', this.#mchid)
      if (o.appid === undefined && this.#appid) o.appid = this.#appid
      field(o, 'appid', 'the AppID the order is paid in (or createClient({ appid }))')
    }
    field(o, 'out_trade_no', 'your order number, 6 to 32 of 0-9 A-Z a-z _ - | *')
    return o
  }

  #prepayPath(kind) {
    return this.#partner ? `/v3/pay/partner/transactions/${kind}` : `/v3/pay/transactions/${kind}`
  }

  /** The AppID the payment is made in: partner mode picks sub_appid when paying in the sub-merchant's app. */
  #payingApp(o, kind) {
    if (!this.#partner) return o.appid
    const payer = isObject(o.payer) ? o.payer : {}
    const sub = kind === 'jsapi' ? payer.sub_openid !== undefined : o.sub_appid !== undefined
    if (kind === 'jsapi' && (payer.sub_openid !== undefined) === (payer.sp_openid !== undefined)) {
      throw invalid('payer', 'exactly one of sp_openid (paying in the service provider\'s app) and sub_openid (in the sub-merchant\'s app, with sub_appid)')
    }
    return sub ? field(o, 'sub_appid', 'the sub-merchant\'s AppID, which issued payer.sub_openid') : o.sp_appid
  }

  async #prepay(kind, answerField, order, options) {
    const o = this.#order(order)
    const appId = kind === 'jsapi' || kind === 'app' ? this.#payingApp(o, kind) : undefined
    const { body } = await this.#json('POST', this.#prepayPath(kind), { body: o, signal: callOptions(options).signal })
    return { value: core.v3PrepayAnswer(answerField, body), appId, order: o }
  }

  async prepayJsapi(order, options) {
    const { value: prepayId, appId } = await this.#prepay('jsapi', 'prepay_id', order, options)
    return { prepayId, appId, payParams: await this.#signer.requestPayment({ appId, prepayId }) }
  }

  async prepayApp(order, options) {
    const { value: prepayId, appId, order: o } = await this.#prepay('app', 'prepay_id', order, options)
    const partnerId = this.#partner ? o.sub_mchid : this.#mchid
    return { prepayId, appId, payParams: await this.#signer.appPayment({ appId, partnerId, prepayId }) }
  }

  async prepayH5(order, options) {
    return { h5Url: (await this.#prepay('h5', 'h5_url', order, options)).value }
  }

  async prepayNative(order, options) {
    return { codeUrl: (await this.#prepay('native', 'code_url', order, options)).value }
  }

  /** The merchant query parameters, and the sub-merchant in partner mode. */
  #merchantQuery(o) {
    if (!this.#partner) return { query: { mchid: this.#mchid }, sub: undefined }
    const sub = field(o, 'sub_mchid', 'the sub-merchant (特约商户) the order belongs to')
    return { query: { sp_mchid: this.#mchid, sub_mchid: sub }, sub }
  }

  async queryOrder(which, options) {
    const o = object(which, 'query')
    const byId = o.transaction_id !== undefined
    if (byId === (o.out_trade_no !== undefined)) throw invalid('out_trade_no', 'exactly one of out_trade_no and transaction_id')
    const no = byId ? field(o, 'transaction_id', 'WeChat\'s payment number') : field(o, 'out_trade_no', 'your order number')
    const { query, sub } = this.#merchantQuery(o)
    const base = this.#partner ? '/v3/pay/partner/transactions' : '/v3/pay/transactions'
    const path = `${base}/${byId ? 'id' : 'out-trade-no'}/${segment(no, byId ? 'transaction_id' : 'out_trade_no')}`
    const res = await this.#json('GET', path, { query, signal: callOptions(options).signal })
    core.v3CheckTransaction(this.#mchid, sub, this.#partner, byId ? undefined : no, byId ? no : undefined, res.body)
    return JSON.parse(utf8.decode(res.body))
  }

  async closeOrder(which, options) {
    const o = object(which, 'order')
    const no = field(o, 'out_trade_no', 'your order number')
    const { query } = this.#merchantQuery(o)
    const base = this.#partner ? '/v3/pay/partner/transactions' : '/v3/pay/transactions'
    await this.#json('POST', `${base}/out-trade-no/${segment(no, 'out_trade_no')}/close`, { body: query, signal: callOptions(options).signal })
  }

  async refund(refund, options) {
    const o = { ...object(refund, 'refund') }
    const outRefundNo = field(o, 'out_refund_no', 'your refund number: the same number refunds once, retry with it')
    if ((o.out_trade_no === undefined) === (o.transaction_id === undefined)) {
      throw invalid('out_trade_no', 'exactly one of out_trade_no and transaction_id')
    }
    const amount = object(o.amount, 'amount')
    for (const k of ['refund', 'total']) {
      if (!Number.isSafeInteger(amount[k]) || amount[k] < 1) throw invalid(`amount.${k}`, 'a positive whole number of fen')
    }
    if (this.#partner) field(o, 'sub_mchid', 'the sub-merchant (特约商户) the order belongs to')
    const res = await this.#json('POST', '/v3/refund/domestic/refunds', { body: o, signal: callOptions(options).signal })
    core.v3CheckRefund(outRefundNo, o.sub_mchid, o.out_trade_no, o.transaction_id, amount.refund, amount.total, res.body)
    return JSON.parse(utf8.decode(res.body))
  }

  async queryRefund(which, options) {
    const o = object(which, 'query')
    const no = field(o, 'out_refund_no', 'your refund number')
    const sub = this.#partner ? field(o, 'sub_mchid', 'the sub-merchant (特约商户) the refund belongs to') : undefined
    const res = await this.#json('GET', `/v3/refund/domestic/refunds/${segment(no, 'out_refund_no')}`, {
      query: sub ? { sub_mchid: sub } : undefined, signal: callOptions(options).signal,
    })
    core.v3CheckRefund(no, sub, undefined, undefined, undefined, undefined, res.body)
    return JSON.parse(utf8.decode(res.body))
  }

  // ---- bills

  async #applyBill(path, query, options) {
    const res = await this.#json('GET', path, { query: object(query, 'query'), signal: callOptions(options).signal })
    return JSON.parse(core.billFile(res.body, this.#origin))
  }

  applyTradeBill(query, options) {
    field(object(query, 'query'), 'bill_date', 'the day, YYYY-MM-DD')
    return this.#applyBill('/v3/bill/tradebill', query, options)
  }

  applyFundFlowBill(query, options) {
    field(object(query, 'query'), 'bill_date', 'the day, YYYY-MM-DD')
    return this.#applyBill('/v3/bill/fundflowbill', query, options)
  }

  async downloadBill(file, options) {
    const f = object(file, 'file')
    // the download_url of a verified apply answer, checked again: the signed GET goes nowhere else
    const checked = this.#billFile(str(f.hash_type, 'hash_type'), str(f.hash_value, 'hash_value'), str(f.download_url, 'download_url'))
    return downloadBill(checked, (url, signal) => this.#billBytes(url, signal), callOptions(options).signal)
  }

  /** A bill file's digest and URL, checked by the core as in an apply answer: `{hash_type, hash_value, download_url}`. */
  #billFile(hash_type, hash_value, download_url) {
    return JSON.parse(core.billFile(encoder.encode(JSON.stringify({ hash_type, hash_value, download_url })), this.#origin))
  }

  /** The signed GET of a bill file. */
  async #billBytes(url, signal) {
    const res = await this.#send({ method: 'GET', url: new URL(url), signal })
    // the file's answer is not signed; its digest is checked instead, and an error answer proves nothing
    if (res.status !== 200) core.v3ErrorAnswer(res.status, false, res.requestId, res.body)
    return res.body
  }

  async applySubMerchantFundFlowBill(query, options) {
    const q = object(query, 'query')
    field(q, 'sub_mchid', 'the sub-merchant (特约商户) whose bill this is')
    field(q, 'bill_date', 'the day, YYYY-MM-DD')
    field(q, 'account_type', 'BASIC, OPERATION or FEES')
    if (q.algorithm !== undefined && q.algorithm !== 'AEAD_AES_256_GCM') throw invalid('algorithm', 'AEAD_AES_256_GCM, the only one WeChat offers (the default)')
    const res = await this.#json('GET', '/v3/bill/sub-merchant-fundflowbill', {
      query: { ...q, algorithm: 'AEAD_AES_256_GCM' }, signal: callOptions(options).signal,
    })
    let answer
    try {
      answer = JSON.parse(utf8.decode(res.body))
    } catch {
      throw new WechatPayError('ERR_MALFORMED_JSON', 'malformed JSON: the bill answer is not JSON', { offset: 0 })
    }
    const list = isObject(answer) && answer.download_bill_list
    if (!Array.isArray(list) || answer.download_bill_count !== list.length) {
      throw new WechatPayError('ERR_MALFORMED_MESSAGE', 'malformed message, field download_bill_count: expected the number of files listed', { field: 'download_bill_count' })
    }
    return this.#encryptedBillFiles(list, (k) => new WechatPayError('ERR_MALFORMED_MESSAGE', `malformed message, field ${k}: missing or not a string`, { field: k }))
  }

  /**
   * The files of a sub-merchant bill answer, checked (numbered 1 to their count, once each; each download_url on
   * an allowed origin, each digest SHA-1, a key and a nonce) and in bill_sequence order.
   */
  #encryptedBillFiles(files, missing) {
    if (files.length < 1 || files.length > 100) {
      throw new WechatPayError('ERR_MALFORMED_MESSAGE', 'malformed message, field download_bill_count: expected 1 to 100 files', { field: 'download_bill_count' })
    }
    const placed = new Array(files.length)
    for (const file of files) {
      const f = isObject(file) ? file : {}
      const text = (k) => {
        if (typeof f[k] !== 'string' || f[k] === '') throw missing(k)
        return str(f[k], k)
      }
      const at = f.bill_sequence - 1
      if (!Number.isSafeInteger(at) || at < 0 || at >= files.length || placed[at]) {
        throw new WechatPayError('ERR_MALFORMED_MESSAGE', 'malformed message, field bill_sequence: expected the files numbered 1, 2, … once each', { field: 'bill_sequence' })
      }
      // the digest and the URL as for any bill (the core's check): the signed GET goes nowhere else
      const checked = this.#billFile(text('hash_type'), text('hash_value'), text('download_url'))
      const nonce = text('nonce')
      if (encoder.encode(nonce).length > 64) throw new WechatPayError('ERR_MALFORMED_MESSAGE', 'malformed message, field nonce: longer than 64 bytes', { field: 'nonce' })
      placed[at] = { bill_sequence: at + 1, ...checked, encrypt_key: text('encrypt_key'), nonce }
    }
    return placed
  }

  async downloadSubMerchantBill(files, options) {
    if (!Array.isArray(files)) throw invalid('files', `the files of applySubMerchantFundFlowBill's answer, got ${describe(files)}`)
    // the files of a verified apply answer, checked again: the signed GETs go nowhere else, every part is there
    const checked = this.#encryptedBillFiles(files, (k) => invalid(k, 'required, as the apply answer gave it'))
    const { signal } = callOptions(options)
    const parts = []
    for (const file of checked) {
      // the key first: a key that does not decrypt (another merchant's bill) downloads nothing
      const keyText = await this.decrypt(file.encrypt_key)
      parts.push(await openEncryptedBill(file, await this.#billBytes(file.download_url, signal), keyText))
    }
    if (parts.length === 1) return parts[0]
    const whole = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
    parts.reduce((at, p) => (whole.set(p, at), at + p.length), 0)
    return whole
  }

  async tradeBill(query, options) {
    return parseBill('trade', await this.downloadBill(await this.applyTradeBill(query, options), options))
  }

  async fundFlowBill(query, options) {
    return parseBill('fundflow', await this.downloadBill(await this.applyFundFlowBill(query, options), options))
  }

  async subMerchantFundFlowBill(query, options) {
    return parseBill('fundflow', await this.downloadSubMerchantBill(await this.applySubMerchantFundFlowBill(query, options), options))
  }

  // ---- platform certificates (merchants not yet on WeChat Pay public keys)

  async refreshCertificates(options) {
    if (!this.#apiV3Key) throw invalid('apiV3Key', 'createClient({ apiV3Key }) is needed to decrypt the platform certificates')
    const res = await this.#send({ method: 'GET', url: this.#url('/v3/certificates'), signal: callOptions(options).signal })
    if (res.status !== 200) {
      const verified = this.#verifier && res.headers.get('wechatpay-signature')
        ? (await this.#verifier.verifyResponse({ status: res.status, headers: res.headers, body: res.body })).verified
        : false
      core.v3ErrorAnswer(res.status, verified, res.requestId, res.body)
    }
    // decrypting authenticates the certificates (AES-GCM under the APIv3 key, which only WeChat shares); the
    // answer itself must then be signed by one of them
    const certificates = decryptCertificates(res.body, this.#apiV3Key)
    const carried = Object.fromEntries(certificates.map((c) => [c.serialNo, c.certificate]))
    await createVerifier({ keys: carried, ...this.#verifierOptions }).verifyResponse({ status: res.status, headers: res.headers, body: res.body })
    // built before anything changes: a failure leaves the client as it was
    const verifier = createVerifier({ keys: { ...this.#configured, ...carried }, ...this.#verifierOptions })
    this.#downloaded = Object.fromEntries(certificates.map((c) => [c.serialNo, c]))
    this.#verifier = verifier
    return certificates.map(({ serialNo, effectiveTime, expireTime }) => ({ serialNo, effectiveTime, expireTime }))
  }

  startCertificateRefresh(options) {
    const o = opts(options)
    const intervalMs = o.intervalMs ?? 12 * 3600 * 1000
    if (!Number.isSafeInteger(intervalMs) || intervalMs < 1000 || intervalMs > MAX_TIMER_MS) {
      throw invalid('intervalMs', `1000 to ${MAX_TIMER_MS} ms; WeChat advises refreshing more often than every 12 hours`)
    }
    if (o.onError !== undefined && typeof o.onError !== 'function') throw invalid('onError', 'a function called with each failed refresh')
    this.stopCertificateRefresh()
    this.#timer = setInterval(() => {
      this.refreshCertificates().catch((e) => { if (o.onError) o.onError(e) })
    }, intervalMs)
    // a refresh timer never keeps a Node process alive by itself
    if (typeof this.#timer === 'object' && typeof this.#timer.unref === 'function') this.#timer.unref()
    return () => this.stopCertificateRefresh()
  }

  stopCertificateRefresh() {
    if (this.#timer !== null) clearInterval(this.#timer)
    this.#timer = null
  }

  // ---- media

  async uploadMedia(media, options) {
    const m = object(media, 'media')
    const filename = str(m.filename, 'filename')
    const file = m.file instanceof ArrayBuffer ? new Uint8Array(m.file) : m.file
    if (!ArrayBuffer.isView(file)) throw invalid('file', `the file's bytes (a Uint8Array or ArrayBuffer), got ${describe(m.file)}`)
    const bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength)
    const video = m.type === 'video'
    if (m.type !== undefined && m.type !== 'image' && !video) throw invalid('type', 'image (default) or video')
    const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes))
    const meta = JSON.stringify({ filename, sha256: [...digest].map((b) => b.toString(16).padStart(2, '0')).join('') })
    const { body, contentType } = multipart(meta, filename, bytes)
    const res = await this.#call({
      method: 'POST', url: this.#url(video ? '/v3/merchant/media/video_upload' : '/v3/merchant/media/upload'),
      body, signed: meta, contentType, signal: callOptions(options).signal,
    })
    if (res.status !== 200) core.v3ErrorAnswer(res.status, true, res.requestId, res.body)
    return { media_id: core.v3MediaAnswer(res.body) }
  }

  // ---- sensitive fields and notifications

  async encrypt(plaintext) {
    const serial = this.#serial
    const pem = serial && (this.#configured[serial] ?? this.#downloaded[serial]?.certificate)
    if (!pem) throw invalid('keys', 'no WeChat Pay public key or platform certificate to encrypt with')
    return encryptSensitive(plaintext, pem)
  }

  async decrypt(ciphertext) {
    const data = core.sensitiveCiphertext(str(ciphertext, 'ciphertext'))
    if (!this.#decryptKey) {
      this.#decryptKey = importKey(host.importDecryptKey, core.v3SignerKey(this.#mchid, this.#signer.serialNo, this.#privateKeyPem),
        'the merchant private key')
    }
    return core.sensitivePlaintext(await host.oaepDecrypt(await this.#decryptKey, data))
  }

  async verifyNotification(notification) {
    if (!this.#apiV3Key) throw invalid('apiV3Key', 'createClient({ apiV3Key }) is needed to decrypt notifications')
    return this.#verifierFor(undefined).verifyNotification(notification, { apiV3Key: this.#apiV3Key })
  }

  toString() {
    return `[Client mchid=${this.#mchid}${this.#partner ? ' partner' : ''}]`
  }
}

export function createClient(options) {
  const o = opts(options)
  const mchid = str(o.mchid, 'mchid')
  const privateKey = key(o.privateKey, 'privateKey', 'the merchant private key (apiclient_key.pem), a PEM string')
  const signer = createSigner({ mchid, serialNo: o.serialNo, privateKey })
  const keys = o.keys ?? {}
  if (!isObject(keys)) throw invalid('keys', `expected { [Wechatpay-Serial]: PEM }, got ${describe(keys)}`)
  const apiV3Key = o.apiV3Key === undefined ? undefined : key(o.apiV3Key, 'apiV3Key', 'the APIv3 key, a string of 32 characters')
  if (!Object.keys(keys).length && !apiV3Key) {
    throw invalid('keys', 'the WeChat Pay public key by its PUB_KEY_ID_… (商户平台 → API安全); or, for merchants on ' +
      'platform certificates, apiV3Key and await client.refreshCertificates()')
  }
  const baseUrl = (optStr(o.baseUrl, 'baseUrl') ?? DEFAULT_BASE_URL).replace(/\/+$/, '')
  let parsed
  try {
    parsed = new URL(baseUrl)
  } catch {
    throw invalid('baseUrl', 'an absolute URL such as https://api.mch.weixin.qq.com')
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw invalid('baseUrl', 'an http(s) URL')
  const fetchFn = o.fetch ?? ((...args) => globalThis.fetch(...args))
  if (typeof fetchFn !== 'function') throw invalid('fetch', `expected a fetch function, got ${describe(fetchFn)}`)
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMER_MS) {
    throw invalid('timeoutMs', `1 to ${MAX_TIMER_MS} milliseconds (default 10000)`)
  }
  if (o.partner !== undefined && typeof o.partner !== 'boolean') throw invalid('partner', 'true for a service provider (服务商)')
  const verifierOptions = {}
  if (o.maxSkewSeconds !== undefined) verifierOptions.maxSkewSeconds = o.maxSkewSeconds
  if (o.now !== undefined) verifierOptions.now = o.now
  // checked now, not at the first call
  if (Object.keys(keys).length) createVerifier({ keys, ...verifierOptions })
  return new Client({
    mchid, signer, privateKey, keys, verifierOptions, baseUrl, fetch: fetchFn, timeoutMs, apiV3Key,
    appid: optStr(o.appid, 'appid'), partner: o.partner === true,
    userAgent: optStr(o.userAgent, 'userAgent') ?? DEFAULT_USER_AGENT,
  })
}
