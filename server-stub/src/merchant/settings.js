// The merchant's settings, from environment variables with the same names everywhere: process.env on Node
// (src/config.js fills in the simulator and the generated credentials as defaults), vars and secrets on Workers.
// No file or network access here, so the Worker uses it as it is. A missing key fails at start, naming it.

// WeChat's own hosts: the defaults on Workers (Node's default is the simulator).
const WECHAT_HOSTS = { api: 'https://api.weixin.qq.com', pay: 'https://api.mch.weixin.qq.com' }

/** Every variable read here: what src/workerd.js hands the local Worker. */
export const MERCHANT_VARS = [
  'MERCHANT_API', 'WECHAT_APPID', 'WECHAT_APPSECRET', 'WECHATPAY_MCHID', 'WECHATPAY_MERCHANT_SERIAL_NO',
  'WECHATPAY_MERCHANT_PRIVATE_KEY', 'WECHATPAY_PUBLIC_KEY_ID', 'WECHATPAY_PUBLIC_KEY', 'WECHATPAY_APIV3_KEY',
  'WECHATPAY_APIV2_KEY', 'WECHATPAY_V2_SIGN_TYPE', 'WECHAT_API_BASE_URL', 'WECHATPAY_BASE_URL', 'MERCHANT_PUBLIC_URL',
  'WECHATPAY_MERCHANT_CERTIFICATE', 'WECHATPAY_MTLS_BASE_URL', 'WECHATPAY_CA_CERTIFICATE',
  'SPBILL_CREATE_IP', 'SESSION_TTL_SECONDS', 'MAX_SKEW_SECONDS', 'WECHAT_TIMEOUT_MS', 'ORDER_TTL_SECONDS',
  'ORDER_QUERY_INTERVAL_SECONDS', 'REFUND_RETRY_SECONDS', 'RETENTION_SECONDS', 'MAINTENANCE_BATCH',
]

export function merchantSettings(env) {
  const get = (name) => (env[name] === undefined || env[name] === '' ? undefined : String(env[name]))
  const required = (name, what) => {
    const v = get(name)
    if (v === undefined) throw new Error(`${name} is not set: ${what}`)
    return v
  }
  const int = (name, fallback) => {
    const v = get(name)
    if (v === undefined) return fallback
    const n = Number(v)
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer`)
    return n
  }
  const url = (name, fallback) => {
    const v = (get(name) ?? fallback ?? required(name, 'an http(s) URL')).replace(/\/$/, '')
    if (!/^https?:\/\/[^\s?#]+$/.test(v)) throw new Error(`${name} must be an http(s) URL without query string`)
    return v
  }

  const api = get('MERCHANT_API') ?? 'v3'
  if (api !== 'v2' && api !== 'v3') throw new Error('MERCHANT_API must be v2 or v3')
  const v2SignType = get('WECHATPAY_V2_SIGN_TYPE') ?? 'HMAC-SHA256'
  if (v2SignType !== 'MD5' && v2SignType !== 'HMAC-SHA256') throw new Error('WECHATPAY_V2_SIGN_TYPE must be MD5 or HMAC-SHA256')
  // v3 keys are needed by a v3 merchant; a v2 merchant verifies v3 notifications only if they are set.
  const v3 = api === 'v3' ? required : get
  // Where WeChat posts notifications: this merchant's own public URL.
  const publicUrl = url('MERCHANT_PUBLIC_URL')

  return {
    api,
    appId: required('WECHAT_APPID', "the mini program's AppID (wx…)"),
    appSecret: required('WECHAT_APPSECRET', "the mini program's AppSecret (a secret)"),
    mchid: required('WECHATPAY_MCHID', 'the merchant id (商户号)'),
    merchantSerialNo: v3('WECHATPAY_MERCHANT_SERIAL_NO', "the merchant API certificate's serial number"),
    merchantPrivateKey: v3('WECHATPAY_MERCHANT_PRIVATE_KEY', 'apiclient_key.pem, the PEM text (a secret)'),
    wechatpayPublicKeyId: v3('WECHATPAY_PUBLIC_KEY_ID', 'the WeChat Pay public key id (PUB_KEY_ID_…)'),
    wechatpayPublicKey: v3('WECHATPAY_PUBLIC_KEY', 'pub_key.pem, the PEM text'),
    apiV3Key: v3('WECHATPAY_APIV3_KEY', 'the 32-character APIv3 key (a secret)'),
    apiV2Key: api === 'v2' ? required('WECHATPAY_APIV2_KEY', 'the 32-character API v2 key (a secret)') : get('WECHATPAY_APIV2_KEY'),
    v2SignType,
    wechatApiBaseUrl: url('WECHAT_API_BASE_URL', WECHAT_HOSTS.api),
    wechatpayBaseUrl: url('WECHATPAY_BASE_URL', WECHAT_HOSTS.pay),
    // API v2 refunds: the merchant API certificate (apiclient_cert.pem, PEM text) presented over mutual TLS, where
    // (WeChat's own host unless a simulator's mutual-TLS port), and a CA to trust beside the public ones (a
    // simulator's). Node only: a Worker has no way here to present a certificate, and refunds v2 are a 501 there.
    merchantCertificate: get('WECHATPAY_MERCHANT_CERTIFICATE'),
    wechatpayMtlsBaseUrl: url('WECHATPAY_MTLS_BASE_URL', get('WECHATPAY_BASE_URL') ?? WECHAT_HOSTS.pay),
    extraCaCertificate: get('WECHATPAY_CA_CERTIFICATE'),
    notifyUrl: `${publicUrl}/api/pay/notify${api === 'v2' ? '/v2' : ''}`,
    refundNotifyUrl: `${publicUrl}/api/pay/notify${api === 'v2' ? '/v2/refund' : ''}`,
    spbillCreateIp: get('SPBILL_CREATE_IP') ?? '127.0.0.1',
    sessionTtlSeconds: int('SESSION_TTL_SECONDS', 7200),
    maxSkewSeconds: int('MAX_SKEW_SECONDS', 300),
    // Every call to WeChat gives up after this; a mini program's wx.request gives up after 60 s.
    wechatTimeoutMs: int('WECHAT_TIMEOUT_MS', 10_000),
    // An order not paid this long after it was created is closed (at WeChat, then here): the prepay_id's lifetime.
    orderTtlSeconds: int('ORDER_TTL_SECONDS', 7200),
    // WeChat is asked about one order at most once per this many seconds (POST /api/orders/:id/sync, the job).
    orderQueryIntervalSeconds: int('ORDER_QUERY_INTERVAL_SECONDS', 5),
    // The scheduled job resubmits a refund WeChat has not answered once this long has passed since the last try.
    refundRetrySeconds: int('REFUND_RETRY_SECONDS', 60),
    // Closed unpaid orders, logins without a session or an order, and notification records go after this long.
    retentionSeconds: int('RETENTION_SECONDS', 7 * 86400),
    // How many orders and refunds one run of the scheduled job asks WeChat about (Workers Free: 50 subrequests).
    maintenanceBatch: int('MAINTENANCE_BATCH', 20),
  }
}
