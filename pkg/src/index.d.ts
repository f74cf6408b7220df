// Types of wechatpay-wasm. Hand-written; the error codes and their context properties are generated from the
// Rust lists (error-codes.d.ts).
import type { WechatPayErrorCode, WechatPayErrorContexts } from './error-codes.js'
export type { WechatPayErrorCode, WechatPayErrorContexts }

/** What every WechatPayError has, whatever its code. */
export interface WechatPayErrorBase<C extends WechatPayErrorCode = WechatPayErrorCode> extends Error {
  readonly name: 'WechatPayError'
  /** Stable: branch on it. */
  readonly code: C
  /** The message names the likely mistake and never contains a key, a secret or a signature. */
  readonly message: string
  /** The error this one wraps (ES2022 `cause`), e.g. the host crypto's refusal of a key. */
  readonly cause?: unknown
}

/** A WechatPayError of code `C`, with the context properties that code carries. */
export type WechatPayErrorOf<C extends WechatPayErrorCode> = C extends WechatPayErrorCode
  ? WechatPayErrorBase<C> & WechatPayErrorContexts[C]
  : never

/**
 * The error every function throws: a union keyed by `code`, so narrowing on `code` types the context
 * properties (`field`, `offset`, `header`, `serial`, `errcode`, …) and a property the code does not carry, or a
 * misspelt one, is a compile error. Offsets are byte offsets in the UTF-8 input, not string indexes.
 *
 * @example
 * try { verifyV2(fields, { key }) } catch (e) {
 *   if (isWechatPayError(e) && e.code === 'ERR_MALFORMED_XML') console.log(e.offset)
 * }
 */
export type WechatPayError = WechatPayErrorOf<WechatPayErrorCode>

/** The class: `instanceof WechatPayError` narrows to the union; `new` takes the code's context. */
export declare const WechatPayError: {
  new <C extends WechatPayErrorCode>(
    code: C,
    message: string,
    context?: WechatPayErrorContexts[C],
    options?: { cause?: unknown },
  ): WechatPayErrorOf<C>
  readonly prototype: WechatPayError
}

/** Whether `e` is a WechatPayError (also one from another realm, or from the other of the CJS and ESM copies). */
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

/** Options of the functions that verify a signed message: which algorithms to accept. */
export interface V2SignatureOptions extends V2KeyOptions {
  /**
   * The algorithms accepted, like jose's `algorithms` allowlist. Default: the message's own (`sign_type`, else
   * the signature's length), MD5 or HMAC-SHA256, since WeChat MD5-signs some notifications of HMAC-SHA256
   * merchants. A message signed otherwise is ERR_ALGORITHM_NOT_ALLOWED, before its signature is checked.
   */
  algorithms?: V2SignType[]
}

/** Options of the functions that verify a received message and can check whose it is. */
export interface V2VerifyOptions extends V2SignatureOptions {
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
 * time; the algorithm comes from `sign_type`, else from the signature's length, unless `algorithms` pins it.
 * Returns `params`.
 * @throws {WechatPayError} ERR_MISSING_SIGNATURE, ERR_SIGNATURE_MISMATCH, ERR_MALFORMED_SIGNATURE,
 *   ERR_ALGORITHM_NOT_ALLOWED, ERR_UNSUPPORTED_ALGORITHM, ERR_INVALID_KEY, ERR_INVALID_INPUT
 */
export declare function verifyV2<T extends V2Params>(params: T, options: V2SignatureOptions): T

/**
 * `<xml>…</xml>` with strings in CDATA (a `]]>` inside round-trips) and numbers bare, in the object's order.
 * @throws {WechatPayError} ERR_INVALID_INPUT
 */
export declare function toXml(params: V2Params): string

/**
 * Parses WeChat's flat XML into its fields. DOCTYPE, entities, attributes, nesting, duplicates and documents
 * over 256 KiB are refused.
 * @throws {WechatPayError} ERR_MALFORMED_XML (its `offset` is a byte offset in the UTF-8 document: for a string
 *   with non-ASCII text before the fault, not the string index)
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
 *   ERR_MISSING_SIGNATURE, ERR_SIGNATURE_MISMATCH, ERR_MALFORMED_SIGNATURE, ERR_ALGORITHM_NOT_ALLOWED,
 *   ERR_UNSUPPORTED_ALGORITHM,
 *   ERR_MERCHANT_MISMATCH, ERR_MALFORMED_MESSAGE, ERR_MALFORMED_XML, ERR_INVALID_KEY, ERR_INVALID_INPUT
 */
export declare function parseUnifiedOrderResponse(xml: string | Uint8Array | ArrayBuffer, options: V2VerifyOptions): UnifiedOrderResponse

/** What every verified payment notification has: every field received but `sign`, amounts as numbers (fen). */
interface V2PaymentNotificationFields {
  appid: string
  mch_id: string
  out_trade_no: string
  /** The order's amount in fen: compare it with your order. */
  total_fee: number
  [field: string]: string | number | undefined
}

/** `result_code` SUCCESS: paid. Compare `total_fee` with your order, then mark it paid once. */
export interface V2PaymentSuccess extends V2PaymentNotificationFields {
  result_code: 'SUCCESS'
  transaction_id: string
  openid: string
  /** yyyyMMddHHmmss, China time. */
  time_end: string
  cash_fee: number
}

/** `result_code` FAIL: the payment failed, nothing was paid; reply SUCCESS all the same (it was received). */
export interface V2PaymentFailure extends V2PaymentNotificationFields {
  result_code: 'FAIL'
  err_code?: string
  err_code_des?: string
}

/** A verified payment notification: narrow on `result_code` before treating it as paid. */
export type V2PaymentNotification = V2PaymentSuccess | V2PaymentFailure

/**
 * Parses and verifies a payment notification (`POST` to your notify_url). A missing `sign` is an error, never a
 * pass. A correctly signed failure (`result_code` FAIL) is returned, not thrown: only `result_code` SUCCESS is a
 * payment. Reply with `v2NotificationReply`.
 * @throws {WechatPayError} ERR_MISSING_SIGNATURE, ERR_SIGNATURE_MISMATCH, ERR_MALFORMED_SIGNATURE,
 *   ERR_ALGORITHM_NOT_ALLOWED, ERR_UNSUPPORTED_ALGORITHM, ERR_MERCHANT_MISMATCH, ERR_MALFORMED_MESSAGE (also: an
 *   unsigned `return_code` FAIL, which anyone could send), ERR_MALFORMED_XML, ERR_INVALID_KEY, ERR_INVALID_INPUT
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
 * @throws {WechatPayError} ERR_DECRYPT_FAILED, ERR_MERCHANT_MISMATCH, ERR_MALFORMED_MESSAGE (also: an unsigned
 *   `return_code` FAIL), ERR_MALFORMED_XML, ERR_INVALID_KEY, ERR_INVALID_INPUT
 */
export declare function decryptV2RefundNotification(
  xml: string | Uint8Array | ArrayBuffer,
  options: V2KeyOptions & { appId?: string; mchId?: string },
): V2RefundNotification

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
 * @throws {WechatPayError} ERR_WECHAT (with `errcode`, a number also when WeChat sent it as a string of digits,
 *   and `errmsg`), ERR_MALFORMED_MESSAGE (an `errcode` that is not an int32 or its digits), ERR_MALFORMED_JSON
 *   (duplicate keys too), ERR_INVALID_INPUT (not text, bytes or a JSON-able object)
 */
export declare function parseCode2Session(json: string | Uint8Array | ArrayBuffer | object): Code2Session

/**
 * A nonce of `length` (1–32, default 32) characters from [0-9A-Za-z], from crypto.getRandomValues.
 * @throws {WechatPayError} ERR_INVALID_INPUT
 */
export declare function nonceStr(length?: number): string

// ---- API v3: JSON, SHA256withRSA (on the host's crypto: node:crypto in Node, WebCrypto elsewhere), AES-256-GCM

/**
 * Headers: a `Headers` object (anything with `get(name)`), or a plain record such as Node's
 * `IncomingHttpHeaders` (array values are joined with `, `). Names are matched case-insensitively.
 */
export type HeadersLike = { get(name: string): string | null } | Record<string, string | string[] | undefined>

/**
 * A message body exactly as sent or received: a string (UTF-8) or bytes. Signatures cover these bytes, so
 * pass the raw body (`await request.text()`, `express.raw()`), never parsed and re-serialised JSON.
 */
export type RawBody = string | Uint8Array | ArrayBuffer

export interface SignerOptions {
  /** The merchant ID (商户号), e.g. `1900007291`. */
  mchid: string
  /**
   * The serial number of the merchant API certificate (`openssl x509 -noout -serial -in apiclient_cert.pem`,
   * 40 hex digits). For a simulator signing as WeChat Pay: the `PUB_KEY_ID_…` or platform certificate serial.
   */
  serialNo: string
  /**
   * The merchant API private key, PEM: `apiclient_key.pem` (PKCS#8 `PRIVATE KEY`) or PKCS#1 `RSA PRIVATE KEY`;
   * RSA of 2048 to 4096 bits. Read once; never echoed in errors or `toString`.
   */
  privateKey: string
}

/** The `Wechatpay-*` headers of a signed response or notification (a type, so it is also a `HeadersLike`). */
export type WechatpayResponseHeaders = {
  'Wechatpay-Timestamp': string
  'Wechatpay-Nonce': string
  'Wechatpay-Signature': string
  /** The signer's `serialNo`. */
  'Wechatpay-Serial': string
  'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048'
}

/**
 * Signs API v3 requests and `wx.requestPayment` parameters with the merchant API private key. The key is
 * imported into the host's crypto on first use and kept: create one signer and reuse it.
 */
export interface Signer {
  /** As given to `createSigner`. */
  readonly mchid: string
  /** As given to `createSigner`. */
  readonly serialNo: string
  /**
   * The `Authorization` header of a request:
   * `WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",timestamp="…",serial_no="…"`, signed over
   * `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`.
   * @throws {WechatPayError} ERR_INVALID_INPUT (`method`, `url`, `timestamp`, `nonceStr`, `body`), ERR_INVALID_KEY
   *   (the host refused the key), ERR_UNSUPPORTED_RUNTIME (no crypto.subtle)
   */
  authorization(request: {
    /** The HTTP method, e.g. `POST` (upper-cased). */
    method: string
    /** The path and query exactly as sent (`/v3/pay/transactions/jsapi`), or an absolute URL (scheme and host are dropped). */
    url: string
    /** The exact body sent; absent or `''` for GET. */
    body?: RawBody
    /** Unix seconds; default now. */
    timestamp?: number | string
    /** 1–32 letters and digits; default 32 random ones. */
    nonceStr?: string
  }): Promise<string>
  /**
   * v3 `wx.requestPayment` / `Taro.requestPayment` parameters: `paySign` is RSA over
   * `appId\ntimeStamp\nnonceStr\npackage\n`; `signType` is `RSA`. Sign with the same merchant key that
   * placed the order.
   * @throws {WechatPayError} ERR_INVALID_INPUT (`appId`, `prepayId`, `timeStamp`, `nonceStr`), ERR_INVALID_KEY,
   *   ERR_UNSUPPORTED_RUNTIME
   */
  requestPayment(options: {
    /** The mini program's AppID: signed, though not passed to wx.requestPayment. */
    appId: string
    /** The bare `prepay_id` from `POST /v3/pay/transactions/jsapi` (not `prepay_id=…`). */
    prepayId: string
    /** Unix seconds; default now. */
    timeStamp?: number | string
    /** 1–32 letters and digits; default 32 random ones. */
    nonceStr?: string
  }): Promise<RequestPaymentParams & { signType: 'RSA' }>
  /**
   * Base64 SHA256withRSA (RSASSA-PKCS1-v1_5) of any other message.
   * @throws {WechatPayError} ERR_INVALID_INPUT, ERR_INVALID_KEY, ERR_UNSUPPORTED_RUNTIME
   */
  sign(message: RawBody): Promise<string>
  /**
   * WeChat Pay's side, for simulators and tests: the `Wechatpay-*` headers that sign a response or notification
   * body (`TIMESTAMP\nNONCE\nBODY\n`); `Wechatpay-Serial` is this signer's `serialNo`.
   * @throws {WechatPayError} ERR_INVALID_INPUT, ERR_INVALID_KEY, ERR_UNSUPPORTED_RUNTIME
   */
  responseHeaders(response: {
    /** The exact body that will be sent. */
    body: RawBody
    /** Unix seconds; default now. */
    timestamp?: number | string
    /** Letters and digits; default 32 random ones. */
    nonce?: string
  }): Promise<WechatpayResponseHeaders>
}

/**
 * A signer for the merchant API private key. Synchronous: the PEM is read and checked here (RSA, 2048 bits or
 * more); the host's key is imported on first use.
 * @throws {WechatPayError} ERR_INVALID_KEY (not PEM, encrypted, a public key or certificate, not RSA, under 2048
 *   bits), ERR_INVALID_INPUT (`mchid`, `serialNo`)
 */
export declare function createSigner(options: SignerOptions): Signer

export interface VerifierOptions {
  /**
   * WeChat Pay's keys by the `Wechatpay-Serial` that names them: WeChat Pay public keys (`PUB_KEY_ID_…`, a PEM
   * `PUBLIC KEY`) and platform certificates (their serial in hex, a PEM `CERTIFICATE`), both at once during the
   * migration. A serial not listed is ERR_UNKNOWN_SERIAL: nothing is ever fetched. For `verifyRequest`
   * (simulators): merchants' public keys or certificates by merchant serial.
   */
  keys: Record<string, string>
  /** The largest |now − Wechatpay-Timestamp| accepted, either way; default 300 (WeChat's 5 minutes). */
  maxSkewSeconds?: number
  /** The clock, in Unix seconds; default `Math.floor(Date.now() / 1000)`. */
  now?: () => number
}

/** What `verifyResponse` resolves to. */
export interface VerifiedResponse {
  /**
   * `true` when the signature verified. `false` only for a non-2xx response without `Wechatpay-Signature`
   * (WeChat's error bodies are often unsigned): read its `{code, message}`, but do not trust it further.
   */
  verified: boolean
  /** `Wechatpay-Serial`. */
  serial?: string
  /** `Wechatpay-Timestamp`. */
  timestamp?: number
  /** `Wechatpay-Nonce`: keep it for the skew window to refuse replays. */
  nonce?: string
  /** `Request-ID`, for WeChat Pay's support. */
  requestId?: string
}

/** A decrypted payment (`TRANSACTION.SUCCESS`), as WeChat sends it; the core checked the fields named here. */
export interface V3Transaction {
  appid: string
  mchid: string
  out_trade_no: string
  transaction_id: string
  trade_type: string
  /** `SUCCESS` when paid. */
  trade_state: string
  trade_state_desc?: string
  bank_type?: string
  attach?: string
  success_time?: string
  payer: { openid: string; [field: string]: unknown }
  /** In fen, exact integers: compare `total` with your order before marking it paid. */
  amount: { total: number; payer_total?: number; currency?: string; payer_currency?: string; [field: string]: unknown }
  [field: string]: unknown
}

/** A decrypted refund (`REFUND.SUCCESS`, `REFUND.ABNORMAL`, `REFUND.CLOSED`); the core checked the fields named here. */
export interface V3Refund {
  mchid: string
  out_trade_no: string
  transaction_id: string
  out_refund_no: string
  refund_id: string
  /** `SUCCESS`, `CLOSED` or `ABNORMAL`. */
  refund_status: string
  success_time?: string
  user_received_account?: string
  /** In fen, exact integers. WeChat was seen to leave it out (a partner notification), so check it is there. */
  amount?: { total: number; refund: number; payer_total?: number; payer_refund?: number; [field: string]: unknown }
  [field: string]: unknown
}

/** What every verified notification has. */
interface V3NotificationBase {
  /** The notification id: process each once (WeChat retries until you answer 2xx). */
  id: string
  createTime: string
  /** `encrypt-resource`. */
  resourceType: string
  summary: string
}

/** A verified payment notification: `eventType` `TRANSACTION.SUCCESS`. */
export interface V3TransactionNotification extends V3NotificationBase {
  eventType: `TRANSACTION.${string}`
  resource: V3Transaction
}

/** A verified refund notification: `eventType` `REFUND.SUCCESS`, `REFUND.ABNORMAL` or `REFUND.CLOSED`. */
export interface V3RefundNotification extends V3NotificationBase {
  eventType: `REFUND.${string}`
  resource: V3Refund
}

/** A verified, decrypted notification: `eventType` narrows `resource`. */
export type V3Notification = V3TransactionNotification | V3RefundNotification

/** A merchant request verified as WeChat Pay does (simulators): the `Authorization` header's items. */
export interface VerifiedRequest {
  mchid: string
  /** The merchant certificate serial the request was signed for. */
  serialNo: string
  timestamp: number
  nonceStr: string
}

/**
 * Verifies what WeChat Pay sends. Fails closed, one code per cause; the RSA check runs on the host's crypto with
 * the keys imported once: create one verifier and reuse it.
 */
export interface Verifier {
  /**
   * Verifies a response from WeChat Pay. A 2xx must carry every `Wechatpay-*` header and verify; a non-2xx is
   * verified the same way when it carries `Wechatpay-Signature`, else resolves `{ verified: false }`.
   * @throws {WechatPayError} ERR_MISSING_HEADER (names it), ERR_SIGNATURE_PROBE (`WECHATPAY/SIGNTEST/`),
   *   ERR_TIMESTAMP_SKEW, ERR_UNKNOWN_SERIAL, ERR_MALFORMED_SIGNATURE (bad base64 or length),
   *   ERR_SIGNATURE_MISMATCH (its message names the usual cause: a re-serialised body, or the wrong key for the
   *   serial), ERR_UNSUPPORTED_ALGORITHM, ERR_MALFORMED_MESSAGE, ERR_INVALID_INPUT, ERR_UNSUPPORTED_RUNTIME
   */
  verifyResponse(response: {
    /** The HTTP status. */
    status: number
    headers: HeadersLike
    /** The raw body (`''` for a 204). */
    body: RawBody
  }): Promise<VerifiedResponse>
  /**
   * Verifies a notification (WeChat's `POST` to your `notify_url`), then decrypts its resource
   * (AEAD_AES_256_GCM with the APIv3 key) and checks it is the resource its `eventType` names. Answer 2xx once
   * processed; anything else makes WeChat retry. Payments (`TRANSACTION.*`) and refunds (`REFUND.*`) only:
   * verify other notifications with `verifyResponse({ status: 200, … })` and decrypt them with `decryptResource`.
   * @throws {WechatPayError} as `verifyResponse`, and ERR_INVALID_KEY (an APIv3 key that is not 32 bytes),
   *   ERR_DECRYPT_FAILED (the wrong APIv3 key, or altered data), ERR_MALFORMED_JSON, ERR_MALFORMED_MESSAGE
   *   (naming the field, e.g. `resource.amount.total`; an other `eventType`)
   */
  verifyNotification(
    notification: {
      headers: HeadersLike
      /** The raw request body. */
      body: RawBody
    },
    options: {
      /** The 32-character APIv3 key (商户平台 → API安全 → APIv3密钥), not the API v2 key. */
      apiV3Key: string
    },
  ): Promise<V3Notification>
  /**
   * WeChat Pay's side, for simulators: verifies a merchant's request (`Authorization` against `keys` by its
   * `serial_no`, with the same skew rule).
   * @throws {WechatPayError} ERR_MISSING_HEADER, ERR_MALFORMED_SIGNATURE, ERR_UNSUPPORTED_ALGORITHM,
   *   ERR_SIGNATURE_PROBE, ERR_TIMESTAMP_SKEW, ERR_UNKNOWN_SERIAL, ERR_SIGNATURE_MISMATCH, ERR_INVALID_INPUT
   */
  verifyRequest(request: {
    method: string
    /** The path and query as received. */
    url: string
    headers: HeadersLike
    /** The raw body; absent for none. */
    body?: RawBody
  }): Promise<VerifiedRequest>
  /**
   * WeChat Pay's side, for simulators: verifies v3 `wx.requestPayment` parameters as WeChat's client does before
   * it shows the cashier (`signType` RSA, `paySign` over `appId\ntimeStamp\nnonceStr\npackage\n` with the key
   * of the merchant certificate that placed the order). No timestamp window applies. Resolves the `prepay_id`.
   * @throws {WechatPayError} ERR_UNSUPPORTED_ALGORITHM (MD5 or HMAC-SHA256: API v2), ERR_INVALID_INPUT,
   *   ERR_UNKNOWN_SERIAL, ERR_MALFORMED_SIGNATURE, ERR_SIGNATURE_MISMATCH
   */
  verifyRequestPayment(
    /** What the mini program passed to wx.requestPayment. */
    params: { timeStamp: string | number; nonceStr: string; package: string; signType: string; paySign: string },
    options: {
      /** The mini program's AppID the order was placed for (signed, but not passed to wx.requestPayment). */
      appId: string
      /** The serial of the merchant certificate the order was placed with: one of the verifier's keys. */
      serialNo: string
    },
  ): Promise<{ prepayId: string }>
}

/**
 * A verifier for WeChat Pay's keys. Synchronous: every PEM is read and checked here.
 * @throws {WechatPayError} ERR_INVALID_KEY (naming the serial: not PEM, a private key, not RSA, under 2048 bits,
 *   a certificate under another serial), ERR_INVALID_INPUT (`keys` empty, `maxSkewSeconds`, `now`)
 */
export declare function createVerifier(options: VerifierOptions): Verifier

/** An encrypted resource, as in notifications and `/v3/certificates`. */
export interface EncryptedResource {
  /** `AEAD_AES_256_GCM`. */
  algorithm: string
  /** Base64 of ciphertext ‖ 16-byte tag. */
  ciphertext: string
  /** 12 characters. */
  nonce: string
  /** The associated data (`transaction`, `refund`, `certificate`); absent means empty. */
  associated_data?: string
  original_type?: string
}

/**
 * Decrypts a resource (AEAD_AES_256_GCM with the APIv3 key) into its JSON object. Synchronous.
 * @throws {WechatPayError} ERR_INVALID_KEY (not 32 bytes), ERR_DECRYPT_FAILED (wrong key, altered or truncated),
 *   ERR_UNSUPPORTED_ALGORITHM, ERR_MALFORMED_MESSAGE (a nonce that is not 12 bytes), ERR_MALFORMED_JSON,
 *   ERR_INVALID_INPUT
 */
export declare function decryptResource<R = Record<string, unknown>>(resource: EncryptedResource, apiV3Key: string): R

/**
 * Encrypts as WeChat Pay does (simulators and tests). Synchronous.
 * @throws {WechatPayError} ERR_INVALID_KEY, ERR_INVALID_INPUT
 */
export declare function encryptResource(
  /** The resource: JSON text, or an object (serialised with JSON.stringify). */
  plaintext: string | object,
  /** The 32-character APIv3 key. */
  apiV3Key: string,
  options?: {
    /** 12 printable characters; default 12 random letters and digits. */
    nonce?: string
    /** Default empty. */
    associatedData?: string
  },
): EncryptedResource & { algorithm: 'AEAD_AES_256_GCM'; associated_data: string }

/** A platform certificate from `GET /v3/certificates`. */
export interface PlatformCertificate {
  /** Upper-case hex: the key for `createVerifier({ keys })`. */
  serialNo: string
  effectiveTime: string
  expireTime: string
  /** The X.509 certificate, PEM. */
  certificate: string
}

/**
 * Decrypts a `GET /v3/certificates` reply (verify the reply first); each certificate is checked to be RSA and
 * to carry the serial announced. Synchronous.
 * @throws {WechatPayError} ERR_DECRYPT_FAILED, ERR_INVALID_KEY, ERR_MALFORMED_JSON, ERR_MALFORMED_MESSAGE,
 *   ERR_UNSUPPORTED_ALGORITHM, ERR_INVALID_INPUT
 */
export declare function decryptCertificates(
  /** The reply body, or the parsed object. */
  json: string | Uint8Array | ArrayBuffer | object,
  /** The 32-character APIv3 key. */
  apiV3Key: string,
): PlatformCertificate[]

/**
 * Encrypts a sensitive field (a name, an ID number) for a request: RSA-OAEP with SHA-1, as WeChat Pay requires,
 * base64. Send the key's serial in the `Wechatpay-Serial` request header.
 * @throws {WechatPayError} ERR_INVALID_KEY (not an RSA public key or certificate, under 2048 bits),
 *   ERR_INVALID_INPUT (more than one RSA block: 214 bytes with RSA 2048), ERR_UNSUPPORTED_RUNTIME
 */
export declare function encryptSensitive(
  plaintext: string,
  /** WeChat Pay's public key (`PUBLIC KEY`) or platform certificate, PEM. */
  publicKeyOrCertificate: string,
): Promise<string>
