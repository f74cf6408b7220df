// What every API v3 endpoint shares, as WeChat Pay serves it: the request's Authorization verified with the
// merchant's public key (bad → 401 SIGN_ERROR), errors as `{code, message, detail?}`, and every answer signed
// for the merchant (pay.weixin.qq.com/doc/v3/merchant/4012365336, 4013053249: 签名验证, 应答签名).
import { isWechatPayError } from 'wechatpay-wasm'
import { z } from 'zod'
import { describeIssues, textBody } from '../http.js'

/** A WeChat Pay error answer: HTTP status and WeChat's code. */
export class WxError extends Error {
  constructor(status, code, message, detail) {
    super(message)
    this.status = status
    this.code = code
    this.detail = detail
  }
}

/** WeChat's notify_url rule: https (http is kept for the simulator's local use), no query string, ≤ 255 chars. */
export const notifyUrl = (max = 255) => z.string().max(max).refine((u) => {
  try {
    const url = new URL(u)
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.search && !url.hash && !u.includes('?') && url.username === '' && url.password === ''
  } catch {
    return false
  }
}, 'notify_url must be an https URL without a query string')

/** Parses a JSON body against a zod schema: not JSON, or not valid, is 400 PARAM_ERROR naming the field. */
export function parse(schema, text) {
  let value
  try {
    value = JSON.parse(text)
  } catch {
    throw new WxError(400, 'PARAM_ERROR', '请求体不是合法的JSON (the body is not valid JSON)')
  }
  const r = schema.safeParse(value)
  if (!r.success) {
    const issue = r.error.issues[0]
    throw new WxError(400, 'PARAM_ERROR', `参数错误: ${describeIssues(r.error)}`, { location: 'body', field: issue.path.join('.') })
  }
  return r.data
}

/** An error answer carries `detail` only when there is one, as WeChat's do. */
const errorBody = (e) => ({ code: e.code, message: e.message, ...(e.detail ? { detail: e.detail } : {}) })

export function createV3({ registry, log, now }) {
  /** Signs `body` (an object, or undefined for an empty answer) for merchant `m`. */
  async function reply(c, m, status, body, extraHeaders = {}) {
    const text = body === undefined ? '' : JSON.stringify(body)
    const headers = { ...(await registry.signer(m).responseHeaders({ body: text, timestamp: Math.floor(now() / 1000) })), 'Request-ID': requestId(), ...extraHeaders }
    if (text) headers['Content-Type'] = 'application/json; charset=utf-8'
    return c.body(text || null, status, headers)
  }

  /**
   * A v3 route: verifies the Authorization over `signedText(c)` (default: the raw body), finds the merchant by
   * the certificate serial and checks it owns the mchid, runs `fn(c, merchant, text)` → `{status?, body?}`, and
   * signs whatever it answers, errors included. A 401 SIGN_ERROR is not signed: WeChat could not tell who asked.
   */
  const signed = (fn, { signedText = (c) => textBody(c) } = {}) => async (c) => {
    let merchant
    try {
      let text
      try {
        text = await signedText(c)
      } catch (e) {
        if (e instanceof WxError) return c.json(errorBody(e), e.status, { 'Request-ID': requestId() })
        throw e
      }
      // The path and query exactly as sent (a lone trailing '?' included): what the merchant signed.
      const url = c.req.url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '')
      let auth
      try {
        auth = await registry.verifier.verifyRequest({ method: c.req.method, url, headers: c.req.raw.headers, body: text })
      } catch (e) {
        if (!isWechatPayError(e)) throw e
        log.info('v3.sign_error', { reason: e.code })
        return c.json({
          code: 'SIGN_ERROR',
          message: `签名错误，请检查后再试 (${e.code})`,
          detail: { sign_information: { method: c.req.method, url, sign_message_length: signMessageLength(c, url, text) } },
        }, 401, { 'Request-ID': requestId() })
      }
      merchant = registry.bySerial(auth.serialNo)
      if (!merchant || merchant.mchid !== auth.mchid) {
        return c.json({ code: 'SIGN_ERROR', message: '签名错误: serial_no does not belong to mchid' }, 401, { 'Request-ID': requestId() })
      }
      const { status = 200, body, headers, raw } = await fn(c, merchant, text)
      // An unsigned answer (bill files): WeChat checks those bytes by their digest instead.
      if (raw) return raw
      return reply(c, merchant, status, body, headers)
    } catch (e) {
      if (!(e instanceof WxError) || !merchant) throw e
      return reply(c, merchant, e.status, errorBody(e))
    }
  }

  return { signed, reply }
}

// Request-ID: WeChat's are long hex strings; the digits after the last '-' are an internal error number.
const requestId = () => [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase()

function signMessageLength(c, url, text) {
  const ts = /timestamp="(\d+)"/.exec(c.req.header('authorization') ?? '')?.[1] ?? ''
  const nonce = /nonce_str="([^"]*)"/.exec(c.req.header('authorization') ?? '')?.[1] ?? ''
  return new TextEncoder().encode(`${c.req.method}\n${url}\n${ts}\n${nonce}\n${text}\n`).length
}

/** `mchid`-style query parameters: present and equal to the signer's, or 400 PARAM_ERROR. */
export function requireQueryMchid(c, name, expected) {
  const v = c.req.query(name)
  if (!v) throw new WxError(400, 'PARAM_ERROR', `缺少参数 ${name}`, { location: 'query', field: name })
  if (v !== expected) throw new WxError(400, 'PARAM_ERROR', `${name} 与签名商户号不一致 (${name} is not the signer's)`, { location: 'query', field: name })
}

