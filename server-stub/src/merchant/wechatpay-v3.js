// The merchant's API v3 client: every request signed (Authorization), every answer verified against the
// WeChat Pay public key before it is believed. Same interface as wechatpay-v2.js.
import { createSigner, createVerifier, isWechatPayError } from 'wechatpay-wasm'
import { GatewayError, fetchText } from './gateway-error.js'

export function createV3Gateway({ config, fetch, now }) {
  const signer = createSigner({ mchid: config.mchid, serialNo: config.merchantSerialNo, privateKey: config.merchantPrivateKey })
  const verifier = createVerifier({
    keys: { [config.wechatpayPublicKeyId]: config.wechatpayPublicKey },
    maxSkewSeconds: config.maxSkewSeconds,
    now: () => Math.floor(now() / 1000),
  })

  async function call(method, pathAndQuery, payload) {
    const body = payload === undefined ? '' : JSON.stringify(payload)
    const url = new URL(config.wechatpayBaseUrl + pathAndQuery)
    const headers = {
      authorization: await signer.authorization({ method, url: url.pathname + url.search, body }),
      accept: 'application/json',
      'user-agent': 'wechatpay-wasm-server-stub',
      // Public-key mode: asks WeChat to sign its answer with the WeChat Pay public key's pair.
      'wechatpay-serial': config.wechatpayPublicKeyId,
    }
    if (body) headers['content-type'] = 'application/json'
    const res = await fetchText(fetch, url.href, { method, headers, body: body || undefined }, config.wechatTimeoutMs)
    const { text } = res
    let verified
    try {
      ({ verified } = await verifier.verifyResponse({ status: res.status, headers: res.headers, body: text }))
    } catch (e) {
      if (!isWechatPayError(e)) throw e
      throw new GatewayError('WECHATPAY_UNVERIFIED', `WeChat Pay's answer failed verification (${e.code})`, res.status)
    }
    const json = text ? parseJson(text) : null
    if (!res.ok) throw new GatewayError(json?.code || `HTTP_${res.status}`, json?.message || `HTTP ${res.status}`, res.status, verified)
    return json
  }

  const tradeNoPath = (outTradeNo) => `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}`

  return {
    api: 'v3',
    async prepay({ outTradeNo, description, amount, openid }) {
      const r = await call('POST', '/v3/pay/transactions/jsapi', {
        appid: config.appId,
        mchid: config.mchid,
        description,
        out_trade_no: outTradeNo,
        notify_url: config.notifyUrl,
        amount: { total: amount, currency: 'CNY' },
        payer: { openid },
      })
      if (typeof r?.prepay_id !== 'string') throw new GatewayError('WECHATPAY_BAD_ANSWER', 'no prepay_id in the answer')
      return r.prepay_id
    },
    payParams: (prepayId) => signer.requestPayment({ appId: config.appId, prepayId }),
    async query(outTradeNo) {
      const t = await call('GET', `${tradeNoPath(outTradeNo)}?mchid=${encodeURIComponent(config.mchid)}`)
      return { outTradeNo: t.out_trade_no, tradeState: t.trade_state, transactionId: t.transaction_id, appid: t.appid, mchid: t.mchid, amount: t.amount?.total }
    },
    async close(outTradeNo) {
      await call('POST', `${tradeNoPath(outTradeNo)}/close`, { mchid: config.mchid })
    },
    async refund({ outTradeNo, outRefundNo, amount }) {
      const r = await call('POST', '/v3/refund/domestic/refunds', {
        out_trade_no: outTradeNo,
        out_refund_no: outRefundNo,
        notify_url: config.notifyUrl,
        amount: { refund: amount, total: amount, currency: 'CNY' },
      })
      return { outRefundNo: r.out_refund_no, refundId: r.refund_id, status: r.status, amount: r.amount?.refund }
    },
    /** Verifies and decrypts a notification (raw body); throws WechatPayError when it is not WeChat's. */
    verifyNotification: (headers, body) => verifier.verifyNotification({ headers, body }, { apiV3Key: config.apiV3Key }),
  }
}

function parseJson(text) {
  try {
    return JSON.parse(text)
  } catch {
    throw new GatewayError('WECHATPAY_BAD_ANSWER', 'the answer is not JSON')
  }
}
