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
   * APP 调起支付 parameters: `sign` is RSA over `appid\ntimestamp\nnoncestr\nprepayid\n`, the prepay_id bare.
   * @throws {WechatPayError} ERR_INVALID_INPUT (`appId`, `partnerId`, `prepayId`, `timeStamp`, `nonceStr`),
   *   ERR_INVALID_KEY, ERR_UNSUPPORTED_RUNTIME
   */
  appPayment(options: {
    /** The mobile app's AppID. */
    appId: string
    /** The merchant id (partner mode: the sub-merchant's). */
    partnerId: string
    /** The bare prepay_id. */
    prepayId: string
    /** Unix seconds; default now. */
    timeStamp?: number | string
    /** 1–32 letters and digits; default 32 random ones. */
    nonceStr?: string
  }): Promise<AppPaymentParams>
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

// ---- The client: every call signed, sent on the runtime's fetch, verified and bound to its request

/**
 * What `fetch` a client uses: the runtime's by default. Pass your own for a proxy, a test double, or (API v2
 * refunds) one that presents the merchant's client certificate. It is asked with `redirect: 'manual'`: a
 * redirect is an answer (ERR_WECHAT, unsigned), never followed to another host.
 */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: RequestInit['body']; redirect: 'manual'; signal: AbortSignal }) => Promise<{
  status: number
  headers: { get(name: string): string | null }
  arrayBuffer(): Promise<ArrayBuffer>
}>

/** Per-call options. */
export interface CallOptions {
  /** Cancels the call: ERR_ABORTED (ERR_TIMEOUT when its reason is a `TimeoutError`, as from `AbortSignal.timeout`). */
  signal?: AbortSignal
}

export interface ClientOptions {
  /**
   * The merchant ID (商户号) that signs every request: the service provider's (`sp_mchid`) with `partner: true`.
   */
  mchid: string
  /** The serial number of the merchant API certificate (40 hex digits). */
  serialNo: string
  /** The merchant API private key, PEM (`apiclient_key.pem`). Never echoed in errors or `toString`. */
  privateKey: string
  /**
   * WeChat Pay's keys by the `Wechatpay-Serial` naming them: the WeChat Pay public key by its `PUB_KEY_ID_…`
   * (sent as `Wechatpay-Serial` on every request, so WeChat signs answers with it), and/or platform certificates
   * by serial. May be empty for a merchant on platform certificates that calls `refreshCertificates()` first.
   */
  keys?: Record<string, string>
  /** The APIv3 key: needed for notifications, platform certificates. */
  apiV3Key?: string
  /** The AppID orders default to (`appid`; partner mode: `sp_appid`). */
  appid?: string
  /** A service provider (服务商): partner endpoints, `sp_mchid` = `mchid`, each call names its `sub_mchid`. */
  partner?: boolean
  /** Default `https://api.mch.weixin.qq.com` (or the backup api2.mch.weixin.qq.com, a simulator's). */
  baseUrl?: string
  /** Default: the runtime's `fetch`. */
  fetch?: FetchLike
  /** Limit of each call, connection to last byte, in ms; default 10000. */
  timeoutMs?: number
  /** Default `wechatpay-wasm` (browsers do not let it be set). */
  userAgent?: string
  /** As `createVerifier`'s: default 300. */
  maxSkewSeconds?: number
  /** As `createVerifier`'s: the clock in Unix seconds. */
  now?: () => number
}

/** What `client.request` resolves. */
export interface ClientResponse<T = unknown> {
  /** 2xx: anything else threw ERR_WECHAT. */
  status: number
  headers: { get(name: string): string | null }
  /** The verified answer, parsed; `null` for an empty body (204). */
  data: T
  /** `Request-ID`, for WeChat Pay's support. */
  requestId?: string
}

/** A JSAPI / mini-program order: WeChat's field names (`appid` and `mchid` filled in by the client). */
export interface JsapiOrder {
  /** Default: the client's `appid`. */
  appid?: string
  description: string
  /** 6–32 of 0-9 A-Z a-z _ - | *, unique per merchant. */
  out_trade_no: string
  /** HTTPS, no query string. */
  notify_url: string
  /** In fen (1 = ¥0.01). */
  amount: { total: number; currency?: 'CNY' }
  payer: { openid: string }
  time_expire?: string
  attach?: string
  goods_tag?: string
  support_fapiao?: boolean
  detail?: Record<string, unknown>
  scene_info?: Record<string, unknown>
  settle_info?: { profit_sharing?: boolean }
  [field: string]: unknown
}

/** A partner (服务商) order: `sp_mchid` filled in by the client, `sp_appid` defaults to its `appid`. */
export interface PartnerOrder {
  sp_appid?: string
  sub_mchid: string
  /** The sub-merchant's AppID: required with `payer.sub_openid`. */
  sub_appid?: string
  description: string
  out_trade_no: string
  notify_url: string
  amount: { total: number; currency?: 'CNY' }
  /** `sp_openid` when paying in the service provider's app, `sub_openid` in the sub-merchant's (with `sub_appid`). */
  payer?: { sp_openid: string } | { sub_openid: string }
  [field: string]: unknown
}

/** An APP, H5 or Native order: as `JsapiOrder`, with its own `scene_info` rules (H5: `scene_info.h5_info`). */
export type Order = Omit<JsapiOrder, 'payer'> & { payer?: { openid: string } }

/** The prepay answer of JSAPI / mini program, with what `wx.requestPayment` takes. */
export interface JsapiPrepay {
  /** Valid for two hours. */
  prepayId: string
  /** The AppID `paySign` is signed for: the order's `appid`; partner: `sub_appid` for `payer.sub_openid`, else `sp_appid`. */
  appId: string
  payParams: RequestPaymentParams & { signType: 'RSA' }
}

/** APP 调起支付 parameters (OpenSDK `PayReq`: appId, partnerId, prepayId, packageValue, nonceStr, timeStamp, sign). */
export interface AppPaymentParams {
  appid: string
  /** The merchant id (partner: the sub-merchant's). */
  partnerid: string
  /** The bare prepay_id (it is what `sign` covers). */
  prepayid: string
  package: 'Sign=WXPay'
  noncestr: string
  timestamp: string
  /** SHA256withRSA over `appid\ntimestamp\nnoncestr\nprepayid\n`, base64. */
  sign: string
}

/** What every transaction `queryOrder` returns has (WeChat's fields; partner answers carry `sp_*`/`sub_*`). */
interface TransactionBase {
  appid?: string
  mchid?: string
  sp_appid?: string
  sp_mchid?: string
  sub_appid?: string
  sub_mchid?: string
  out_trade_no: string
  trade_type?: string
  trade_state_desc?: string
  bank_type?: string
  attach?: string
  success_time?: string
  payer?: { openid?: string; sp_openid?: string; sub_openid?: string }
  [field: string]: unknown
}

/** A paid order (`SUCCESS`; `REFUND` once a refund was made): the client checked its number and amount are there. */
export interface PaidTransaction extends TransactionBase {
  trade_state: 'SUCCESS' | 'REFUND'
  transaction_id: string
  /** In fen: compare `total` with your order before marking it paid. */
  amount: { total: number; payer_total?: number; currency?: string; payer_currency?: string }
}

/** An order not paid (yet): WeChat's other states. */
export interface UnpaidTransaction extends TransactionBase {
  /** NOTPAY, CLOSED, REVOKED (payment-code orders), USERPAYING (the payer is entering the password), PAYERROR. */
  trade_state: 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR'
  transaction_id?: string
  amount?: { total: number; payer_total?: number; currency?: string; payer_currency?: string }
}

/** A transaction as `queryOrder` returns it: `trade_state` narrows it (`SUCCESS` has `transaction_id` and `amount`). */
export type Transaction = PaidTransaction | UnpaidTransaction

/** Which order: exactly one of your number and WeChat's (both, or neither, is ERR_INVALID_INPUT). */
export type OrderNumber = { out_trade_no: string; transaction_id?: never } | { transaction_id: string; out_trade_no?: never }

/** A refund request: WeChat's field names; exactly one of `out_trade_no` and `transaction_id`. */
export type RefundRequest = OrderNumber & RefundFields

/** What a refund request says besides the order. */
export interface RefundFields {
  /** The same number refunds only once: retry with it, never with a new one. */
  out_refund_no: string
  reason?: string
  notify_url?: string
  funds_account?: string
  /** In fen; `total` is the order's total. */
  amount: { refund: number; total: number; currency: 'CNY'; from?: { account: string; amount: number }[] }
  goods_detail?: Record<string, unknown>[]
  /** Partner mode: required. */
  sub_mchid?: string
  [field: string]: unknown
}

/** A refund (create and query answer). */
export interface Refund {
  refund_id: string
  out_refund_no: string
  transaction_id: string
  out_trade_no: string
  channel: string
  user_received_account: string
  success_time?: string
  create_time: string
  /** SUCCESS, CLOSED, PROCESSING, ABNORMAL: a create answer means accepted, not refunded. */
  status: string
  funds_account?: string
  amount: {
    total: number
    refund: number
    payer_total: number
    payer_refund: number
    settlement_refund?: number
    settlement_total?: number
    discount_refund?: number
    currency: string
    [field: string]: unknown
  }
  [field: string]: unknown
}

/** A verified bill apply answer. */
export interface BillFile {
  hash_type: 'SHA1' | string
  /** Lower-case hex SHA-1 of the uncompressed file. */
  hash_value: string
  /** Fetched with a signed GET; on the client's base URL or WeChat Pay's host only. */
  download_url: string
}

/** One file of a sub-merchant's fund-flow bill: AES-256-GCM encrypted under `encrypt_key`. */
export interface EncryptedBillFile extends BillFile {
  /** The file's place in the bill, from 1: the files are joined in this order. */
  bill_sequence: number
  /** Lower-case hex SHA-1 of the decrypted file. */
  hash_value: string
  /** The file's AES-256 key, RSA-OAEP encrypted to the merchant certificate (base64). */
  encrypt_key: string
  /** The AES-GCM nonce. */
  nonce: string
}

/** A trade bill row (交易账单): amounts in fen, the fee in 1/1000 fen; columns this package does not know keep their header as name. */
export interface TradeBillRow {
  trade_time: string
  appid: string
  mchid: string
  sub_mchid: string
  device_info: string
  transaction_id: string
  out_trade_no: string
  openid: string
  trade_type: string
  trade_state: string
  bank_type: string
  currency: string
  settlement_total?: number
  coupon_amount?: number
  /** REFUND bills. */
  refund_apply_time?: string
  refund_success_time?: string
  refund_id?: string
  out_refund_no?: string
  refund?: number
  recharge_coupon_refund?: number
  refund_type?: string
  refund_status?: string
  description: string
  attach: string
  /** 手续费 in 1/1000 fen (0.00001 yuan): `0.00600` yuan is 600. */
  fee_milli_fen?: number
  /** As written, e.g. `0.60%`. */
  rate: string
  total?: number
  refund_applied?: number
  rate_remark?: string
  [column: string]: string | number | undefined
}

export interface TradeBillTotals {
  count: number
  settlement_total?: number
  refund_total?: number
  recharge_coupon_refund_total?: number
  fee_total_milli_fen?: number
  total?: number
  refund_applied_total?: number
  [column: string]: string | number | undefined
}

/** A fund-flow bill row (资金账单), amounts in fen. */
export interface FundFlowBillRow {
  time: string
  transaction_id: string
  flow_id: string
  business_name: string
  business_type: string
  /** 收入 or 支出. */
  direction: string
  amount?: number
  balance?: number
  applicant: string
  /** As written: WeChat writes line breaks as the two characters `\r`, `\n`. */
  remark: string
  voucher_no: string
  [column: string]: string | number | undefined
}

export interface FundFlowBillTotals {
  count: number
  income_count: number
  income?: number
  expense_count: number
  expense?: number
  [column: string]: string | number | undefined
}

export interface Bill<Row, Totals> {
  rows: Row[]
  totals: Totals
}

/** A platform certificate the client downloaded. */
export interface DownloadedCertificate {
  serialNo: string
  effectiveTime: string
  expireTime: string
}

/**
 * The API v3 client. Every answer is verified (fail closed: a 2xx that does not verify throws) and, for the
 * typed operations, bound to its request: a genuine answer about another order, refund or merchant is
 * refused (ERR_ANSWER_MISMATCH, ERR_MERCHANT_MISMATCH). Nothing is retried: retry yourself with the same
 * out_trade_no / out_refund_no (WeChat makes those idempotent), after a query when the outcome is unknown.
 *
 * Every call may throw ERR_TIMEOUT (no answer within `timeoutMs`), ERR_ABORTED (your signal), ERR_NETWORK,
 * ERR_WECHAT (a non-2xx answer: `status`, `wechatCode`, `wechatMessage`, `detail`, `requestId`, `verified`),
 * and the verification errors of `Verifier.verifyResponse`.
 */
export interface Client {
  readonly mchid: string
  readonly partner: boolean
  /**
   * Any API v3 call: signed over the path, query and body exactly as sent, the answer verified.
   * @throws {WechatPayError} ERR_WECHAT, ERR_TIMEOUT, ERR_ABORTED, ERR_NETWORK, ERR_MALFORMED_JSON, the
   *   verification errors, ERR_INVALID_INPUT
   */
  request<T = unknown>(request: {
    method: string
    /** `/v3/…`, relative to `baseUrl`; path segments percent-encoded. */
    path: string
    query?: Record<string, string | number | undefined>
    /** An object (sent as JSON), or the exact text or bytes to send. */
    body?: object | string | Uint8Array
    headers?: Record<string, string>
    signal?: AbortSignal
  }): Promise<ClientResponse<T>>
  /**
   * JSAPI / mini-program prepay, and the signed `wx.requestPayment` parameters.
   * @throws {WechatPayError} as `request`, ERR_MALFORMED_MESSAGE (no prepay_id), ERR_INVALID_INPUT
   */
  prepayJsapi(order: JsapiOrder | PartnerOrder, options?: CallOptions): Promise<JsapiPrepay>
  /**
   * APP prepay, and the signed APP parameters.
   * @throws {WechatPayError} as `prepayJsapi`
   */
  prepayApp(order: Order | PartnerOrder, options?: CallOptions): Promise<{ prepayId: string; appId: string; payParams: AppPaymentParams }>
  /**
   * H5 prepay (`scene_info.h5_info` required): the URL to open in the payer's mobile browser (5 minutes).
   * @throws {WechatPayError} as `prepayJsapi`
   */
  prepayH5(order: Order | PartnerOrder, options?: CallOptions): Promise<{ h5Url: string }>
  /**
   * Native prepay: the `weixin://` URL to show as a QR code.
   * @throws {WechatPayError} as `prepayJsapi`
   */
  prepayNative(order: Order | PartnerOrder, options?: CallOptions): Promise<{ codeUrl: string }>
  /**
   * The order, by your number or WeChat's (an unpaid order only by yours). Partner mode: with `sub_mchid`.
   * @throws {WechatPayError} ERR_ANSWER_MISMATCH (an answer about another order), ERR_MERCHANT_MISMATCH,
   *   ERR_MALFORMED_MESSAGE, ERR_WECHAT (`wechatCode` ORDER_NOT_EXIST, …), as `request`
   */
  queryOrder(which: OrderNumber & { sub_mchid?: string }, options?: CallOptions): Promise<Transaction>
  /**
   * Closes an unpaid order (204; a paid one: ERR_WECHAT, refund it instead).
   * @throws {WechatPayError} as `request`
   */
  closeOrder(which: { out_trade_no: string; sub_mchid?: string }, options?: CallOptions): Promise<void>
  /**
   * Asks for a refund (accepted, not done: query it, or wait for its notification).
   * @throws {WechatPayError} ERR_ANSWER_MISMATCH (another refund, order or amount), as `request`
   */
  refund(refund: RefundRequest, options?: CallOptions): Promise<Refund>
  /**
   * A refund, by your refund number.
   * @throws {WechatPayError} ERR_ANSWER_MISMATCH, as `request`
   */
  queryRefund(which: { out_refund_no: string; sub_mchid?: string }, options?: CallOptions): Promise<Refund>
  /**
   * Applies for a trade bill (available from 10:00 the next day, for three months).
   * @throws {WechatPayError} ERR_WECHAT (`NO_STATEMENT_EXIST`, `STATEMENT_CREATING`), ERR_UNSUPPORTED_ALGORITHM,
   *   ERR_MALFORMED_MESSAGE (a download_url elsewhere), as `request`
   */
  applyTradeBill(query: { bill_date: string; bill_type?: 'ALL' | 'SUCCESS' | 'REFUND' | string; tar_type?: 'GZIP'; sub_mchid?: string }, options?: CallOptions): Promise<BillFile>
  /** Applies for a fund-flow bill. @throws {WechatPayError} as `applyTradeBill` */
  applyFundFlowBill(query: { bill_date: string; account_type?: 'BASIC' | 'OPERATION' | 'FEES'; tar_type?: 'GZIP' }, options?: CallOptions): Promise<BillFile>
  /**
   * Downloads a bill (signed GET; the answer is unsigned, so its SHA-1 is checked), gunzipped when gzip.
   * @throws {WechatPayError} ERR_DIGEST_MISMATCH, ERR_MALFORMED_MESSAGE (bad gzip), ERR_WECHAT, ERR_TIMEOUT, ERR_ABORTED, ERR_NETWORK
   */
  downloadBill(file: BillFile, options?: CallOptions): Promise<Uint8Array>
  /** Apply, download, parse. @throws {WechatPayError} as those */
  tradeBill(query: Parameters<Client['applyTradeBill']>[0], options?: CallOptions): Promise<Bill<TradeBillRow, TradeBillTotals>>
  /** Apply, download, parse. @throws {WechatPayError} as those */
  fundFlowBill(query: Parameters<Client['applyFundFlowBill']>[0], options?: CallOptions): Promise<Bill<FundFlowBillRow, FundFlowBillTotals>>
  /**
   * A service provider applies for one sub-merchant's fund-flow bill (申请单个子商户资金账单): its files, checked
   * (numbered 1 to `download_bill_count`, each URL on the client's base URL or WeChat Pay's), in order.
   * @throws {WechatPayError} ERR_WECHAT (`NO_AUTH`: not a service provider; `NO_STATEMENT_EXIST`),
   *   ERR_MALFORMED_MESSAGE, ERR_UNSUPPORTED_ALGORITHM, as `request`
   */
  applySubMerchantFundFlowBill(query: { sub_mchid: string; bill_date: string; account_type: 'BASIC' | 'OPERATION' | 'FEES'; algorithm?: 'AEAD_AES_256_GCM' }, options?: CallOptions): Promise<EncryptedBillFile[]>
  /**
   * Downloads each file (signed GET), decrypts its key with the merchant private key (RSA-OAEP) and the file with
   * it (AES-256-GCM), checks the SHA-1 of the decrypted file, and joins the files in order.
   * @throws {WechatPayError} ERR_DECRYPT_FAILED (a changed file, key or nonce), ERR_DIGEST_MISMATCH, ERR_WECHAT,
   *   ERR_TIMEOUT, ERR_ABORTED, ERR_NETWORK
   */
  downloadSubMerchantBill(files: EncryptedBillFile[], options?: CallOptions): Promise<Uint8Array>
  /** Apply, download and decrypt, parse. @throws {WechatPayError} as those */
  subMerchantFundFlowBill(query: Parameters<Client['applySubMerchantFundFlowBill']>[0], options?: CallOptions): Promise<Bill<FundFlowBillRow, FundFlowBillTotals>>
  /**
   * Downloads the platform certificates (merchants not yet on WeChat Pay public keys), decrypts them with the
   * APIv3 key, verifies the answer with them (its signer must be one of them), and verifies with them from then
   * on. Unknown serials never trigger it: call it at start, and on a schedule.
   * @throws {WechatPayError} ERR_WECHAT (404 RESOURCE_NOT_EXISTS: the merchant is on public keys), ERR_DECRYPT_FAILED,
   *   ERR_UNKNOWN_SERIAL, the verification errors, ERR_INVALID_INPUT (no apiV3Key)
   */
  refreshCertificates(options?: CallOptions): Promise<DownloadedCertificate[]>
  /**
   * Refreshes every `intervalMs` (default 12 h; at least 1000) until stopped; failures go to `onError` and
   * the certificates in use stay. On Workers, call `refreshCertificates` from a Cron Trigger instead.
   */
  startCertificateRefresh(options?: { intervalMs?: number; onError?: (error: unknown) => void }): () => void
  stopCertificateRefresh(): void
  /**
   * Uploads an image (JPG, BMP, PNG; ≤ 2 MB) or video: signed over the `meta` JSON, multipart with the part `file`.
   * @throws {WechatPayError} as `request`, ERR_MALFORMED_MESSAGE
   */
  uploadMedia(media: { filename: string; file: Uint8Array | ArrayBuffer; type?: 'image' | 'video' }, options?: CallOptions): Promise<{ media_id: string }>
  /**
   * Encrypts a sensitive request field (RSA-OAEP SHA-1) with the WeChat Pay public key, else the newest platform
   * certificate; the client sends that key's serial as `Wechatpay-Serial`.
   * @throws {WechatPayError} ERR_INVALID_INPUT (more than 214 bytes), ERR_INVALID_KEY
   */
  encrypt(plaintext: string): Promise<string>
  /**
   * Decrypts a sensitive field of an answer with the merchant private key (RSA-OAEP SHA-1).
   * @throws {WechatPayError} ERR_DECRYPT_FAILED
   */
  decrypt(ciphertext: string): Promise<string>
  /**
   * Verifies and decrypts a notification with the client's keys and APIv3 key (see `Verifier.verifyNotification`).
   * @throws {WechatPayError} as `Verifier.verifyNotification`
   */
  verifyNotification(notification: { headers: HeadersLike; body: RawBody }): Promise<V3Notification>
}

/**
 * An API v3 client. Synchronous: keys are read and checked here.
 * @throws {WechatPayError} ERR_INVALID_KEY, ERR_INVALID_INPUT
 */
export declare function createClient(options: ClientOptions): Client

export interface V2ClientOptions {
  appid: string
  mchid: string
  /** The API v2 key. */
  key: string
  /** Default HMAC-SHA256. */
  signType?: V2SignType
  /** Default `https://api.mch.weixin.qq.com`. */
  baseUrl?: string
  /**
   * Default: the runtime's `fetch`. `refund` needs the merchant's client certificate: on Node, undici's `fetch`
   * with an `Agent({ connect: { cert, key } })` as `dispatcher` (README: "API v2 refunds").
   */
  fetch?: FetchLike
  /** Default 10000. */
  timeoutMs?: number
  userAgent?: string
}

/** A verified API v2 answer: every field, amounts as numbers. */
export type V2Answer = Record<string, string | number>

/**
 * The API v2 client: signed XML, every answer verified (`sign`), for this merchant (`appid`, `mch_id`) and
 * about what was asked (ERR_ANSWER_MISMATCH otherwise). A business failure is ERR_WECHAT with `err_code`.
 */
export interface V2Client {
  readonly appid: string
  readonly mchid: string
  /**
   * JSAPI unifiedorder and the `wx.requestPayment` parameters.
   * @throws {WechatPayError} as `parseUnifiedOrderResponse`, ERR_TIMEOUT, ERR_ABORTED, ERR_NETWORK
   */
  unifiedOrder(order: Omit<UnifiedOrder, 'appid' | 'mch_id'> & { appid?: string; mch_id?: string }, options?: CallOptions): Promise<{ prepayId: string; payParams: RequestPaymentParams & { signType: V2SignType } }>
  /** @throws {WechatPayError} ERR_WECHAT (`err_code` ORDERNOTEXIST, …), ERR_ANSWER_MISMATCH, ERR_MERCHANT_MISMATCH, the signature errors, transport errors */
  orderQuery(which: OrderNumber, options?: CallOptions): Promise<V2Answer & { trade_state: string }>
  /** @throws {WechatPayError} ERR_WECHAT (`err_code` ORDERPAID: query it), as `orderQuery` */
  closeOrder(which: { out_trade_no: string }, options?: CallOptions): Promise<V2Answer>
  /**
   * `POST /secapi/pay/refund` (client certificate). The same out_refund_no refunds once: retry with it.
   * @throws {WechatPayError} ERR_ANSWER_MISMATCH (another order, refund number or amount), as `orderQuery`
   */
  refund(refund: OrderNumber & { out_refund_no: string; total_fee: number; refund_fee: number; refund_desc?: string; notify_url?: string; [field: string]: string | number | undefined }, options?: CallOptions): Promise<V2Answer & { refund_id: string }>
  /**
   * A refund, by your refund number (no client certificate needed): `refund` is it, found among the answer's
   * `_$n` fields. `refund_status`: SUCCESS, REFUNDCLOSE, PROCESSING or CHANGE (abnormal).
   * @throws {WechatPayError} ERR_WECHAT (`err_code` REFUNDNOTEXIST), ERR_ANSWER_MISMATCH (other refunds only), as `orderQuery`
   */
  refundQuery(which: { out_refund_no: string }, options?: CallOptions): Promise<V2Answer & {
    refund: { out_refund_no: string; refund_id: string; refund_fee: number; refund_status: string; refund_success_time?: string }
  }>
}

/**
 * An API v2 client. Synchronous.
 * @throws {WechatPayError} ERR_INVALID_KEY, ERR_INVALID_INPUT
 */
export declare function createV2Client(options: V2ClientOptions): V2Client

/**
 * Reads a trade bill (the text, or its UTF-8 bytes, uncompressed) into rows and totals.
 * @throws {WechatPayError} ERR_MALFORMED_MESSAGE (naming the line)
 */
export declare function parseTradeBill(bill: string | Uint8Array | ArrayBuffer): Bill<TradeBillRow, TradeBillTotals>
/** Reads a fund-flow bill. @throws {WechatPayError} ERR_MALFORMED_MESSAGE */
export declare function parseFundFlowBill(bill: string | Uint8Array | ArrayBuffer): Bill<FundFlowBillRow, FundFlowBillTotals>

/**
 * Decrypts mini-program open data (`encryptedData` of getUserInfo, the legacy getPhoneNumber, getShareInfo):
 * AES-128-CBC with the session key, then checks `watermark.appid`.
 * @throws {WechatPayError} ERR_INVALID_KEY (session key), ERR_INVALID_INPUT (iv, encryptedData), ERR_DECRYPT_FAILED
 *   (a wrong or stale session key), ERR_MALFORMED_JSON, ERR_MALFORMED_MESSAGE, ERR_MERCHANT_MISMATCH (another app)
 */
export declare function decryptMiniProgramData<T = Record<string, unknown>>(options: {
  encryptedData: string
  iv: string
  /** From jscode2session; the latest login's. */
  sessionKey: string
  /** Your mini program's AppID: the watermark must carry it. */
  appId: string
}): T & { watermark: { appid: string; timestamp: number } }
