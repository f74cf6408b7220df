// API v2: sign and verify, XML, unifiedorder, notifications, refund req_info, requestPayment params.
import { core, frame, framedCount, checkText, str, optStr, key, body, opts, unixSeconds, writeScratch, readScratch, describe } from './boundary.js'
import { WechatPayError, invalid } from './error.js'

const API_KEY = 'the API v2 key, a string of 32 characters'

/** The core reads the key's length as bytes: a non-ASCII key (never valid) is refused here, plainly. */
function asciiKey(k) {
  if (!/^[\x00-\x7f]*$/.test(k)) {
    throw new WechatPayError('ERR_INVALID_KEY', 'invalid key: the API v2 key is 32 ASCII letters and digits')
  }
  return k
}

/** An expected appid or mch_id: absent skips the check, but an empty one is a mistake (an unset variable?). */
function expected(value, field) {
  const v = optStr(value, field)
  if (v === '') throw invalid(field, 'empty; leave it out to skip the check, or pass the expected value')
  return v
}

export function signV2(params, options) {
  const s = frame(params)
  const o = opts(options)
  const k = asciiKey(key(o.key, 'key', API_KEY))
  const t = optStr(o.signType, 'signType') ?? ''
  // checked once, as one flat string: the key and signType are already checked, so a problem is in params
  const written = writeScratch(checkText(k + t + s, 'params'))
  return readScratch(core.signV2(k.length, t.length, written, framedCount))
}

/**
 * The `algorithms` option of the verifying functions, joined for the core (which checks the names): absent
 * accepts the message's own algorithm, MD5 or HMAC-SHA256.
 */
function algorithms(value) {
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value) || value.length === 0) {
    throw invalid('algorithms', `expected a non-empty array such as ['HMAC-SHA256'], got ${describe(value)}`)
  }
  return value.map((name, i) => str(name, `algorithms[${i}]`)).join(',')
}

export function verifyV2(params, options) {
  const s = checkText(frame(params), 'params')
  const o = opts(options)
  core.verifyV2(s, framedCount, key(o.key, 'key', API_KEY), algorithms(o.algorithms))
  return params
}

export function toXml(params) {
  const s = checkText(frame(params), 'params')
  return core.toXml(s, framedCount)
}

export function parseXml(xml) {
  return JSON.parse(core.parseXml(body(xml, 'xml', 'ERR_MALFORMED_XML')))
}

export function buildUnifiedOrder(order, options) {
  const s = checkText(frame(order, 'order'), 'order')
  const o = opts(options)
  return core.buildUnifiedOrder(s, framedCount, key(o.key, 'key', API_KEY),
    optStr(o.signType, 'signType'), optStr(o.nonceStr, 'nonceStr'))
}

/** A received message checked against the merchant's key, appid and mch_id (and, when signed, `algorithms`). */
function merchantCall(fn, xml, options, signed) {
  const o = opts(options)
  const args = [body(xml, 'xml', 'ERR_MALFORMED_XML'), key(o.key, 'key', API_KEY), expected(o.appId, 'appId'),
    expected(o.mchId, 'mchId')]
  return JSON.parse(signed ? fn(...args, algorithms(o.algorithms)) : fn(...args))
}

export const parseUnifiedOrderResponse = (xml, options) =>
  merchantCall(core.parseUnifiedOrderResponse, xml, options, true)
export const parseV2Notification = (xml, options) => merchantCall(core.parseV2Notification, xml, options, true)
export const decryptV2RefundNotification = (xml, options) =>
  merchantCall(core.decryptV2RefundNotification, xml, options, false)

export function v2NotificationReply(ok, message) {
  if (typeof ok !== 'boolean') throw invalid('ok', 'expected true (processed) or false (WeChat should retry)')
  return core.v2NotificationReply(ok, optStr(message, 'message'))
}

export function requestPaymentV2(options) {
  const o = opts(options)
  return JSON.parse(core.requestPaymentV2(str(o.appId, 'appId'), str(o.prepayId, 'prepayId'),
    key(o.key, 'key', API_KEY), optStr(o.signType, 'signType'), unixSeconds(o.timeStamp, 'timeStamp'),
    optStr(o.nonceStr, 'nonceStr')))
}
