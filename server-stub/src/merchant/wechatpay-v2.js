// The merchant's API v2 client: signed XML out, every answer's sign verified. Same interface as wechatpay-v3.js.
import {
  buildUnifiedOrder, isWechatPayError, nonceStr, parseUnifiedOrderResponse, parseXml, requestPaymentV2, signV2, toXml, verifyV2,
} from 'wechatpay-wasm'
import { GatewayError, fetchText } from './gateway-error.js'

export function createV2Gateway({ config, fetch }) {
  const key = config.apiV2Key
  const signType = config.v2SignType

  async function post(path, xml) {
    const init = { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml }
    return (await fetchText(fetch, config.wechatpayBaseUrl + path, init, config.wechatTimeoutMs)).text
  }

  /** A generic signed v2 call; the answer is verified and checked for return_code and result_code. */
  async function call(path, fields) {
    const request = { appid: config.appId, mch_id: config.mchid, ...fields, nonce_str: nonceStr(), sign_type: signType }
    request.sign = signV2(request, { key, signType })
    const text = await post(path, toXml(request))
    try {
      const answer = parseXml(text)
      if (answer.return_code !== 'SUCCESS') throw new GatewayError(answer.return_code || 'FAIL', answer.return_msg || 'return_code FAIL')
      verifyV2(answer, { key })
      if (answer.appid !== config.appId || answer.mch_id !== config.mchid) throw new GatewayError('WECHATPAY_BAD_ANSWER', 'the answer is for another merchant')
      if (answer.result_code !== 'SUCCESS') throw new GatewayError(answer.err_code || 'FAIL', answer.err_code_des || 'result_code FAIL')
      return answer
    } catch (e) {
      throw asGatewayError(e)
    }
  }

  return {
    api: 'v2',
    async prepay({ outTradeNo, description, amount, openid }) {
      const xml = buildUnifiedOrder({
        appid: config.appId,
        mch_id: config.mchid,
        body: description,
        out_trade_no: outTradeNo,
        total_fee: amount,
        spbill_create_ip: config.spbillCreateIp,
        notify_url: config.notifyUrl,
        openid,
      }, { key, signType })
      const text = await post('/pay/unifiedorder', xml)
      try {
        return parseUnifiedOrderResponse(text, { key, appId: config.appId, mchId: config.mchid }).prepayId
      } catch (e) {
        throw asGatewayError(e)
      }
    },
    payParams: async (prepayId) => requestPaymentV2({ appId: config.appId, prepayId, key, signType }),
    async query(outTradeNo) {
      const t = await call('/pay/orderquery', { out_trade_no: outTradeNo })
      return { outTradeNo: t.out_trade_no, tradeState: t.trade_state, transactionId: t.transaction_id, appid: t.appid, mchid: t.mch_id, amount: Number(t.total_fee) }
    },
    async close(outTradeNo) {
      await call('/pay/closeorder', { out_trade_no: outTradeNo })
    },
    // No refund: v2's /secapi/pay/refund needs the merchant's client certificate (mutual TLS), not modelled here.
  }
}

function asGatewayError(e) {
  if (e instanceof GatewayError) return e
  if (!isWechatPayError(e)) return e
  if (e.code === 'ERR_WECHAT') return new GatewayError(e.err_code || e.return_code || 'FAIL', e.err_code_des || e.return_msg || e.message)
  return new GatewayError('WECHATPAY_UNVERIFIED', `WeChat Pay's answer failed verification (${e.code})`)
}
