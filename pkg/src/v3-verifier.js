// API v3, the verifying side: responses and notifications from WeChat Pay, and (for simulators) merchants'
// requests and wx.requestPayment parameters. The core makes every check and builds every result; the host only verifies the RSA signature.
import { core, str, key, opts, rawBody, checkText, describe, unixSeconds, view, decode, writeBody } from './boundary.js'
import { WechatPayError, invalid } from './error.js'
import { host, importKey } from './v3-host.js'

/** The index the core gives when there is no signature to verify (`u32::MAX`). */
const NO_KEY = 0xffffffff

const WECHATPAY_HEADERS = ['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial',
  'wechatpay-signature-type', 'request-id']
const API_V3_KEY = 'the APIv3 key, a string of 32 characters'
const clock = () => Math.floor(Date.now() / 1000)
const MAX_SKEW = 3600

/** Looks headers up case-insensitively: a `Headers` (anything with `get`) or a plain record (Node's). */
function headerLookup(headers) {
  if (headers !== null && typeof headers === 'object' && typeof headers.get === 'function') {
    return (name) => headers.get(name) ?? undefined
  }
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) {
    throw invalid('headers', `expected a Headers object or a record of header names, got ${describe(headers)}`)
  }
  const lower = new Map()
  for (const name of Object.keys(headers)) {
    const l = name.toLowerCase()
    // two spellings of one header: which one counts would be a guess
    if (lower.has(l)) throw invalid('headers', `${name} is given twice, in different letter cases`)
    lower.set(l, headers[name])
  }
  return (name) => lower.get(name)
}

function headerValue(value, name) {
  if (value === undefined || value === null) return ''
  if (Array.isArray(value)) value = value.join(', ')
  if (typeof value !== 'string') throw invalid(name, `expected a string header value, got ${describe(value)}`)
  return value
}

/** The Wechatpay-* headers joined by NUL, the one string the core reads them from. */
function wechatpayHeaders(headers) {
  const get = headerLookup(headers)
  return checkText(WECHATPAY_HEADERS.map((name) => headerValue(get(name), name)).join('\0'), 'headers')
}

class Verifier {
  #serials
  #spki
  #keys
  #maxSkew
  #now

  constructor(serials, spki, maxSkew, now) {
    this.#serials = serials
    this.#spki = spki
    this.#keys = new Array(spki.length)
    this.#maxSkew = maxSkew
    this.#now = now
  }

  #time() {
    let t
    try {
      t = this.#now()
    } catch (e) {
      throw invalid('now', `now() threw ${e && e.name}: ${e && e.message}`)
    }
    if (typeof t !== 'number') throw invalid('now', `now() returns Unix seconds, a number; got ${describe(t)}`)
    return t
  }

  /** The host's key for key number `i`: the key once imported, a promise of it the first time. */
  #hostKey(i) {
    const k = this.#keys[i]
    if (k !== undefined) return k
    const importing = importKey(host.importVerifyingKey, this.#spki[i], 'a verifier key')
      .then((imported) => (this.#keys[i] = imported))
    this.#keys[i] = importing
    return importing
  }

  /**
   * Has the host verify the signature the core holds, then lets the core conclude. `layout` says where the
   * key index, message and signature are (`[key, message, length, signature, length, …]`); they are viewed in
   * the core's memory, so `layout` is fetched again (`relayout`) after any wait. Returns a promise when it has
   * to wait (a key to import, an asynchronous host), else nothing: with node:crypto and imported keys, nothing
   * waits.
   */
  #verifySignature(layout, relayout, conclude) {
    if (layout[0] === NO_KEY) return undefined
    const hostKey = this.#hostKey(layout[0])
    if (hostKey instanceof Promise) return hostKey.then((k) => this.#verifyWith(k, relayout(), conclude))
    return this.#verifyWith(hostKey, layout, conclude)
  }

  #verifyWith(hostKey, layout, conclude) {
    const refused = (e) => {
      // a key the host cannot verify with is not a signature that does not match
      throw new WechatPayError('ERR_INVALID_KEY',
        `invalid key: ${host.name} could not verify with the key of this serial (${e && e.name})`, {}, { cause: e })
    }
    let verified
    try {
      verified = host.verify(hostKey, view(layout[1], layout[2]), view(layout[3], layout[4]))
    } catch (e) {
      refused(e)
    }
    // node:crypto answers at once: no turn of the event loop, so the core's bytes stay where they are
    if (!(verified instanceof Promise)) {
      conclude(verified === true)
      return undefined
    }
    return verified.then((v) => conclude(v === true), refused)
  }

  /** Runs what the core left to the host for a V3Check; returns the core's result. */
  async #verify(check) {
    try {
      await this.#verifySignature(check.layout(), () => check.layout(), (v) => check.conclude(v))
      return check.result
    } finally {
      check.free()
    }
  }

  async verifyResponse(response) {
    const r = opts(response, 'response')
    if (!Number.isInteger(r.status) || r.status < 0 || r.status > 0xffff) {
      throw invalid('status', `expected the HTTP status code, got ${describe(r.status)}`)
    }
    const check = core.v3CheckResponse(this.#serials, this.#maxSkew, this.#time(), r.status,
      wechatpayHeaders(r.headers), rawBody(r.body, 'body'))
    return this.#verify(check)
  }

  async verifyNotification(notification, options) {
    const n = opts(notification, 'notification')
    const apiV3Key = key(opts(options).apiV3Key, 'apiV3Key', API_V3_KEY)
    const headers = wechatpayHeaders(n.headers)
    const time = this.#time()
    // one call: the core reads the body from the scratch buffer, checks headers, envelope and key, and holds
    // what the host needs under a handle, with where it is
    const checked = core.v3CheckNotification(this.#serials, this.#maxSkew, time, headers, writeBody(n.body, 'body'),
      apiV3Key)
    const handle = checked[0]
    const relayout = () => core.v3NotificationLayout(handle)
    try {
      let layout = checked.subarray(1)
      const verifying = this.#verifySignature(layout, relayout, (v) => core.v3NotificationConclude(handle, v))
      let waited = verifying instanceof Promise
      if (waited) await verifying
      if (!host.aesForNotifications) {
        const opened = JSON.parse(core.v3NotificationDecrypt(handle))
        opened.resource = JSON.parse(opened.resource)
        return opened
      }
      let aesKey = host.importAesKey(apiV3Key)
      if (aesKey instanceof Promise) {
        waited = true
        try {
          aesKey = await aesKey
        } catch (e) {
          throw new WechatPayError('ERR_INVALID_KEY', `invalid key: ${host.name} refused the APIv3 key (${e && e.name})`,
            {}, { cause: e })
        }
      }
      // after a wait, fetched again: another call into the core may have moved its memory meanwhile
      if (waited) layout = relayout()
      const [, , , , , nonce, nonceLength, aad, aadLength, ciphertext, ciphertextLength] = layout
      const plaintext = await host.aesGcmDecrypt(aesKey, view(nonce, nonceLength), view(aad, aadLength),
        view(ciphertext, ciphertextLength))
      const opened = JSON.parse(core.v3NotificationOpen(handle, plaintext))
      // the core checked the plaintext (UTF-8, strict JSON, the event's resource): JSON.parse reads it the same way
      opened.resource = JSON.parse(decode(plaintext))
      return opened
    } finally {
      core.v3NotificationRelease(handle) // a no-op once opened
    }
  }

  async verifyRequest(request) {
    const r = opts(request, 'request')
    const authorization = headerValue(headerLookup(r.headers)('authorization'), 'authorization')
    const body = r.body === undefined || r.body === null ? new Uint8Array(0) : rawBody(r.body, 'body')
    const check = core.v3CheckRequest(this.#serials, this.#maxSkew, this.#time(), str(r.method, 'method'),
      str(r.url, 'url'), checkText(authorization, 'authorization') || undefined, body)
    return this.#verify(check)
  }

  async verifyRequestPayment(params, options) {
    const p = opts(params, 'params')
    const o = opts(options)
    const timeStamp = unixSeconds(p.timeStamp, 'timeStamp')
    const check = core.v3CheckRequestPayment(this.#serials, str(o.serialNo, 'serialNo'), str(o.appId, 'appId'),
      str(timeStamp, 'timeStamp'), str(p.nonceStr, 'nonceStr'), str(p.package, 'package'), str(p.signType, 'signType'),
      str(p.paySign, 'paySign'))
    return this.#verify(check)
  }

  toString() {
    return `[Verifier serials=${this.#serials.split('\n').join(',')}]`
  }
}

export function createVerifier(options) {
  const o = opts(options)
  const keys = o.keys
  if (keys === null || typeof keys !== 'object' || Array.isArray(keys) || Object.keys(keys).length === 0) {
    throw invalid('keys', 'expected { [Wechatpay-Serial]: PEM }: platform certificates by serial, WeChat Pay ' +
      `public keys by PUB_KEY_ID_…; got ${describe(keys)}`)
  }
  const serials = Object.keys(keys)
  const lowered = new Set(serials.map((s) => s.toLowerCase()))
  if (lowered.size !== serials.length) throw invalid('keys', 'two serials differ only in letter case; serials match case-insensitively')
  const spki = serials.map((serial) =>
    core.v3VerifierKey(serial, key(keys[serial], `keys["${serial}"]`, 'a PEM public key or certificate')))
  const maxSkew = o.maxSkewSeconds ?? 300
  // a wider window is a replay window: to re-verify a stored message, pass `now` as the time it was received
  if (!Number.isInteger(maxSkew) || maxSkew < 0 || maxSkew > MAX_SKEW) {
    throw invalid('maxSkewSeconds', `expected 0 to ${MAX_SKEW} seconds (WeChat recommends 300), got ${describe(maxSkew)}`)
  }
  const now = o.now ?? clock
  if (typeof now !== 'function') throw invalid('now', `expected a function returning Unix seconds, got ${describe(now)}`)
  return new Verifier(serials.join('\n'), spki, maxSkew, now)
}
