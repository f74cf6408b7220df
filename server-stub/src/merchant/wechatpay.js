// The merchant's gateway to WeChat Pay: the package's clients (createClient for API v3, createV2Client for v2)
// behind the interface orders.js, payments.js and notify.js use. Every call is signed, bounded in time, its
// answer verified and checked to be about what was asked by the client; here WeChat's words become the
// merchant's (GatewayError, and plain objects with the fields the merchant keeps).
import { createClient, createV2Client, isWechatPayError } from 'wechatpay-wasm'
import { GatewayError } from './gateway-error.js'

/** A failure of the client as the merchant's GatewayError (codes as orders.js and payments.js know them). */
function gatewayError(e) {
  if (!isWechatPayError(e)) return e
  switch (e.code) {
    case 'ERR_TIMEOUT':
      return new GatewayError('WECHAT_TIMEOUT', e.message)
    case 'ERR_NETWORK':
    case 'ERR_ABORTED':
      return new GatewayError('WECHAT_UNREACHABLE', e.message)
    case 'ERR_WECHAT':
      // API v3: WeChat's code, the status and whether the answer was signed (isRefusal needs both); API v2: its
      // err_code (a signed business refusal) or return_code (the request itself refused)
      if (e.status !== undefined) return new GatewayError(e.wechatCode || `HTTP_${e.status}`, e.wechatMessage ?? e.message, e.status, e.verified)
      return new GatewayError(e.err_code || e.return_code || 'FAIL', e.err_code_des || e.return_msg || e.message)
    case 'ERR_ANSWER_MISMATCH':
    case 'ERR_MERCHANT_MISMATCH':
      return new GatewayError('WECHATPAY_MISMATCH', `WeChat Pay's answer is about another ${e.field}: ${e.actual}, not ${e.expected}`)
    default:
      return new GatewayError('WECHATPAY_UNVERIFIED', `WeChat Pay's answer failed verification (${e.code})`)
  }
}

/** `fn` with the client's errors as GatewayErrors. */
const gateway = (fn) => async (...args) => {
  try {
    return await fn(...args)
  } catch (e) {
    throw gatewayError(e)
  }
}

export function createV3Gateway({ config, fetch, now }) {
  const client = createClient({
    mchid: config.mchid,
    serialNo: config.merchantSerialNo,
    privateKey: config.merchantPrivateKey,
    keys: { [config.wechatpayPublicKeyId]: config.wechatpayPublicKey },
    apiV3Key: config.apiV3Key,
    appid: config.appId,
    baseUrl: config.wechatpayBaseUrl,
    fetch,
    timeoutMs: config.wechatTimeoutMs,
    maxSkewSeconds: config.maxSkewSeconds,
    now: () => Math.floor(now() / 1000),
    userAgent: 'wechatpay-wasm-server-stub',
  })
  return {
    api: 'v3',
    prepay: gateway(async ({ outTradeNo, description, amount, openid }) => {
      const { prepayId, payParams } = await client.prepayJsapi({
        description, out_trade_no: outTradeNo, notify_url: config.notifyUrl, amount: { total: amount, currency: 'CNY' }, payer: { openid },
      })
      return { prepayId, payParams }
    }),
    query: gateway(async (outTradeNo) => {
      const t = await client.queryOrder({ out_trade_no: outTradeNo })
      return { tradeState: t.trade_state, transactionId: t.transaction_id, appid: t.appid, mchid: t.mchid, amount: t.amount?.total }
    }),
    close: gateway((outTradeNo) => client.closeOrder({ out_trade_no: outTradeNo })),
    refund: gateway(async ({ outTradeNo, outRefundNo, amount }) => {
      const r = await client.refund({
        out_trade_no: outTradeNo, out_refund_no: outRefundNo, notify_url: config.notifyUrl, amount: { refund: amount, total: amount, currency: 'CNY' },
      })
      return { refundId: r.refund_id, status: r.status, amount: r.amount.refund }
    }),
    /** The refund's outcome by asking WeChat: `state` SUCCESS, CLOSED or ABNORMAL, or undefined while PROCESSING. */
    queryRefund: gateway(async (outRefundNo) => {
      const r = await client.queryRefund({ out_refund_no: outRefundNo })
      return { refundId: r.refund_id, state: r.status === 'PROCESSING' ? undefined : r.status, amount: r.amount.refund }
    }),
    /** Verifies and decrypts a notification (raw body); throws WechatPayError when it is not WeChat's. */
    verifyNotification: (headers, body) => client.verifyNotification({ headers, body }),
  }
}

/** API v2 refund states as the merchant keeps them (CHANGE: abnormal); PROCESSING is not an outcome yet. */
const V2_REFUND_STATES = { SUCCESS: 'SUCCESS', REFUNDCLOSE: 'CLOSED', CHANGE: 'ABNORMAL' }

/**
 * `certificateFetch` presents the merchant's client certificate (refunds need it); without one, as on Workers,
 * the gateway has no `refund` and orders.js answers 501.
 */
export function createV2Gateway({ config, fetch, certificateFetch }) {
  const options = { appid: config.appId, mchid: config.mchid, key: config.apiV2Key, signType: config.v2SignType, timeoutMs: config.wechatTimeoutMs, userAgent: 'wechatpay-wasm-server-stub' }
  const client = createV2Client({ ...options, baseUrl: config.wechatpayBaseUrl, fetch })
  const secure = certificateFetch && createV2Client({ ...options, baseUrl: config.wechatpayMtlsBaseUrl, fetch: certificateFetch })
  return {
    api: 'v2',
    prepay: gateway(async ({ outTradeNo, description, amount, openid }) => client.unifiedOrder({
      body: description, out_trade_no: outTradeNo, total_fee: amount, spbill_create_ip: config.spbillCreateIp, notify_url: config.notifyUrl, openid,
    })),
    query: gateway(async (outTradeNo) => {
      const t = await client.orderQuery({ out_trade_no: outTradeNo })
      return { tradeState: t.trade_state, transactionId: t.transaction_id, appid: t.appid, mchid: t.mch_id, amount: t.total_fee }
    }),
    close: gateway(async (outTradeNo) => {
      await client.closeOrder({ out_trade_no: outTradeNo })
    }),
    refund: secure && gateway(async ({ outTradeNo, outRefundNo, amount }) => {
      const r = await secure.refund({ out_trade_no: outTradeNo, out_refund_no: outRefundNo, total_fee: amount, refund_fee: amount, notify_url: config.refundNotifyUrl })
      // an API v2 refund answer says accepted, not how it ended: its notification (or a query) does
      return { refundId: r.refund_id, status: 'PROCESSING', amount: r.refund_fee }
    }),
    /** The refund's outcome by asking WeChat: `state` SUCCESS, CLOSED or ABNORMAL, or undefined while in progress. */
    queryRefund: gateway(async (outRefundNo) => {
      const { refund } = await client.refundQuery({ out_refund_no: outRefundNo })
      return { refundId: refund.refund_id, state: V2_REFUND_STATES[refund.refund_status], amount: refund.refund_fee }
    }),
  }
}
