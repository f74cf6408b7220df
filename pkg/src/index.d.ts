// Types of wechatpay-wasm. Hand-written; the error-code union is generated from the Rust list.
import type { WechatPayErrorCode } from './error-codes.js'
export type { WechatPayErrorCode }

/**
 * The error every function throws. `code` is stable; the message names the likely mistake and never contains
 * a key, a secret or a signature. Context properties depend on the code (`field`, `header`, `serial`, …).
 *
 * @example
 * try { verifyV2(fields, { key }) } catch (e) {
 *   if (isWechatPayError(e) && e.code === 'ERR_SIGNATURE_MISMATCH') { ... }
 * }
 */
export declare class WechatPayError extends Error {
  readonly name: 'WechatPayError'
  readonly code: WechatPayErrorCode
  /** The argument or field at fault (ERR_INVALID_INPUT, ERR_MALFORMED_MESSAGE, ERR_MERCHANT_MISMATCH, …). */
  readonly field?: string
  /** Byte offset of the problem (ERR_MALFORMED_XML, ERR_MALFORMED_JSON). */
  readonly offset?: number
  /** WeChat's own codes (ERR_WECHAT): login `errcode`/`errmsg`, v2 `return_code`/`return_msg`, `err_code`/`err_code_des`. */
  readonly errcode?: number
  readonly errmsg?: string
  readonly return_code?: string
  readonly return_msg?: string
  readonly err_code?: string
  readonly err_code_des?: string
  /** Other context, by code. */
  readonly [context: string]: unknown
}

/** Whether `e` is a WechatPayError (works across realms and between the CJS and ESM copies). */
export declare function isWechatPayError(e: unknown): e is WechatPayError

/** A flat API v2 message: WeChat's field names to strings or numbers; `undefined`/`null` fields are left out. */
export type V2Params = Record<string, string | number | bigint | null | undefined>

/** API v2 signature algorithms. */
export type V2SignType = 'MD5' | 'HMAC-SHA256'

/** What every function that holds the API v2 key takes. */
export interface V2KeyOptions {
  /** The 32-character API v2 key (商户平台 → 账户中心 → API安全). Never echoed in errors. */
  key: string
}

/** Options of the functions that verify a received message and can check whose it is. */
export interface V2VerifyOptions extends V2KeyOptions {
  /** The expected `appid`; a message for another app is ERR_MERCHANT_MISMATCH. */
  appId?: string
  /** The expected `mch_id`; a message for another merchant is ERR_MERCHANT_MISMATCH. */
  mchId?: string
}

/**
 * API v2 signature of `params`: sorted by name, empty values and `sign` skipped, `&key=KEY` appended, MD5 or
 * HMAC-SHA256, upper-case hex.
 * @throws {WechatPayError} ERR_INVALID_INPUT (a value that is not a string or finite number, a bad field name),
 *   ERR_INVALID_KEY, ERR_UNSUPPORTED_ALGORITHM
 */
export declare function signV2(
  params: V2Params,
  options: V2KeyOptions & {
    /** Default: the params' own `sign_type`, else MD5 (WeChat's default). Must agree with `sign_type`. */
    signType?: V2SignType
  },
): string

/**
 * Verifies the `sign` of a received API v2 message over every other field (unknown ones too), in constant
 * time; the algorithm comes from `sign_type`, else from the signature's length. Returns `params`.
 * @throws {WechatPayError} ERR_MISSING_SIGNATURE, ERR_SIGNATURE_MISMATCH, ERR_MALFORMED_SIGNATURE,
 *   ERR_UNSUPPORTED_ALGORITHM, ERR_INVALID_KEY, ERR_INVALID_INPUT
 */
export declare function verifyV2<T extends V2Params>(params: T, options: V2KeyOptions): T

/**
 * `<xml>…</xml>` with strings in CDATA (a `]]>` inside round-trips) and numbers bare, in the object's order.
 * @throws {WechatPayError} ERR_INVALID_INPUT
 */
export declare function toXml(params: V2Params): string

/**
 * Parses WeChat's flat XML into its fields. DOCTYPE, entities, attributes, nesting, duplicates and documents
 * over 256 KiB are refused.
 * @throws {WechatPayError} ERR_MALFORMED_XML
 */
export declare function parseXml(xml: string | Uint8Array | ArrayBuffer): Record<string, string>

/** A JSAPI unifiedorder request: WeChat's field names (`trade_type` defaults to JSAPI). */
export interface UnifiedOrder extends V2Params {
  appid: string
  mch_id: string
  /** ≤ 127 characters. */
  body: string
  /** 1–32 characters of 0-9 A-Z a-z _ - | *, unique per merchant. */
  out_trade_no: string
  /** Amount in fen (1 = ¥0.01), a positive integer. */
  total_fee: number | string
  /** The payer's IP address. */
  spbill_create_ip: string
  /** Where WeChat posts the payment notification: absolute http(s) URL, no query string. */
  notify_url: string
  /** The payer's openid (from jscode2session). */
  openid: string
}

/**
 * The signed XML body of a JSAPI unifiedorder request (`nonce_str`, `sign_type`, `sign` added).
 * @throws {WechatPayError} ERR_INVALID_INPUT naming the field, ERR_INVALID_KEY, ERR_UNSUPPORTED_ALGORITHM
 */
export declare function buildUnifiedOrder(
  order: UnifiedOrder,
  options: V2KeyOptions & {
    /** Default MD5. The response, and `requestPaymentV2`, must use the same. */
    signType?: V2SignType
    /** Default: 32 random characters from crypto.getRandomValues. */
    nonceStr?: string
  },
): string

/** A verified, successful unifiedorder response. */
export interface UnifiedOrderResponse {
  /** Valid for two hours; pass it to `requestPaymentV2`. */
  prepayId: string
  tradeType: string
  /** Every field of the response, verified. */
  fields: Record<string, string>
}

/**
 * Parses and verifies a unifiedorder response.
 * @throws {WechatPayError} ERR_WECHAT (with `return_code`/`return_msg`, or `err_code`/`err_code_des`),
 *   ERR_MISSING_SIGNATURE, ERR_SIGNATURE_MISMATCH, ERR_MERCHANT_MISMATCH, ERR_MALFORMED_MESSAGE, ERR_MALFORMED_XML
 */
export declare function parseUnifiedOrderResponse(xml: string | Uint8Array | ArrayBuffer, options: V2VerifyOptions): UnifiedOrderResponse

/** A verified payment notification: every field received but `sign`, amounts as numbers (fen). */
export interface V2PaymentNotification {
  appid: string
  mch_id: string
  /** `SUCCESS` when paid. */
  result_code: string
  out_trade_no: string
  transaction_id?: string
  /** Compare with your order's amount before marking it paid. */
  total_fee: number
  cash_fee?: number
  openid?: string
  time_end?: string
  [field: string]: string | number | undefined
}

/**
 * Parses and verifies a payment notification (`POST` to your notify_url). A missing `sign` is an error, never a
 * pass. Reply with `v2NotificationReply`.
 * @throws {WechatPayError} ERR_MISSING_SIGNATURE, ERR_SIGNATURE_MISMATCH, ERR_WECHAT, ERR_MERCHANT_MISMATCH,
 *   ERR_MALFORMED_MESSAGE, ERR_MALFORMED_XML, ERR_INVALID_KEY
 */
export declare function parseV2Notification(xml: string | Uint8Array | ArrayBuffer, options: V2VerifyOptions): V2PaymentNotification

/**
 * The exact reply XML: `SUCCESS`/`OK` when `ok`, else `FAIL` with `message` (WeChat then retries).
 * @throws {WechatPayError} ERR_INVALID_INPUT
 */
export declare function v2NotificationReply(ok: boolean, message?: string): string

/** A decrypted refund notification: `appid`, `mch_id` and the `req_info` fields, amounts as numbers. */
export interface V2RefundNotification {
  appid: string
  mch_id: string
  transaction_id: string
  out_trade_no: string
  refund_id: string
  out_refund_no: string
  total_fee: number
  refund_fee: number
  settlement_total_fee?: number
  settlement_refund_fee?: number
  /** SUCCESS, CHANGE or REFUNDCLOSE. */
  refund_status: string
  success_time?: string
  refund_recv_accout?: string
  refund_account?: string
  refund_request_source?: string
  [field: string]: string | number | undefined
}

/**
 * Decrypts a refund notification's `req_info` (AES-256-ECB keyed with MD5 of the API key, strict padding).
 * It is not signed: treat it as a reason to query the refund.
 * @throws {WechatPayError} ERR_DECRYPT_FAILED, ERR_MERCHANT_MISMATCH, ERR_WECHAT, ERR_MALFORMED_MESSAGE,
 *   ERR_MALFORMED_XML, ERR_INVALID_KEY
 */
export declare function decryptV2RefundNotification(xml: string | Uint8Array | ArrayBuffer, options: V2VerifyOptions): V2RefundNotification

/** What `wx.requestPayment` / `Taro.requestPayment` take, exactly. */
export interface RequestPaymentParams {
  timeStamp: string
  nonceStr: string
  /** `prepay_id=…` */
  package: string
  signType: 'MD5' | 'HMAC-SHA256' | 'RSA'
  paySign: string
}

/**
 * v2 `wx.requestPayment` parameters: `paySign` over appId, nonceStr, package, signType, timeStamp.
 * @throws {WechatPayError} ERR_INVALID_INPUT, ERR_INVALID_KEY, ERR_UNSUPPORTED_ALGORITHM
 */
export declare function requestPaymentV2(options: V2KeyOptions & {
  /** The mini program's AppID: signed, though not passed to wx.requestPayment. */
  appId: string
  /** The bare prepay_id from unifiedorder. */
  prepayId: string
  /** Default MD5; must equal the unifiedorder `sign_type`. */
  signType?: V2SignType
  /** Unix seconds; default now. */
  timeStamp?: string | number
  /** Default: 32 random characters. */
  nonceStr?: string
}): RequestPaymentParams & { signType: V2SignType }

/**
 * The jscode2session URL (server side only: it carries the secret; never log it).
 * @throws {WechatPayError} ERR_INVALID_INPUT, ERR_INVALID_KEY
 */
export declare function code2SessionUrl(options: {
  /** The mini program's AppID. */
  appId: string
  /** The AppSecret. */
  secret: string
  /** The code from wx.login / Taro.login. */
  code: string
  /** Default https://api.weixin.qq.com (a simulator's otherwise). */
  baseUrl?: string
}): string

/** A successful jscode2session answer. Keep `session_key` on the server. */
export interface Code2Session {
  openid: string
  session_key: string
  unionid?: string
}

/**
 * Parses the jscode2session answer (the body text, bytes, or the parsed object).
 * @throws {WechatPayError} ERR_WECHAT (with `errcode`, `errmsg`), ERR_MALFORMED_MESSAGE, ERR_MALFORMED_JSON
 */
export declare function parseCode2Session(json: string | Uint8Array | ArrayBuffer | object): Code2Session

/**
 * A nonce of `length` (1–32, default 32) characters from [0-9A-Za-z], from crypto.getRandomValues.
 * @throws {WechatPayError} ERR_INVALID_INPUT
 */
export declare function nonceStr(length?: number): string
