// Type-level tests of the package's .d.ts, through ESM resolution (checked by tsc, never run).
import {
  signV2, verifyV2, toXml, parseXml, buildUnifiedOrder, parseUnifiedOrderResponse, parseV2Notification,
  v2NotificationReply, decryptV2RefundNotification, requestPaymentV2, code2SessionUrl, parseCode2Session,
  nonceStr, WechatPayError, isWechatPayError, type WechatPayErrorCode, type RequestPaymentParams,
} from 'wechatpay-wasm'

const key = '192006250b4c09247ec02edce69f6a2d'
const sign: string = signV2({ appid: 'wx1', total_fee: 1, attach: undefined }, { key, signType: 'HMAC-SHA256' })
const same: { appid: string; sign: string } = verifyV2({ appid: 'wx1', sign }, { key })
const xml: string = toXml({ appid: 'wx1', total_fee: 1 })
const fields: Record<string, string> = parseXml(new TextEncoder().encode(xml))
buildUnifiedOrder({ appid: 'wx1', mch_id: '1', body: 'b', out_trade_no: 'o', total_fee: 1, spbill_create_ip: '127.0.0.1',
  notify_url: 'https://x.example/n', openid: 'o' }, { key, nonceStr: 'abc' })
const { prepayId }: { prepayId: string } = parseUnifiedOrderResponse(xml, { key, appId: 'wx1', mchId: '1' })
const paid = parseV2Notification(xml, { key })
const amount: number = paid.total_fee
const reply: string = v2NotificationReply(false, 'amount mismatch')
const refund = decryptV2RefundNotification(xml, { key, mchId: '1' })
const refunded: number = refund.refund_fee
const pay: RequestPaymentParams = requestPaymentV2({ appId: 'wx1', prepayId, key, timeStamp: 1490840662 })
const url: string = code2SessionUrl({ appId: 'wx1', secret: 's', code: 'c', baseUrl: 'http://127.0.0.1:8788' })
const { openid, session_key, unionid }: { openid: string; session_key: string; unionid?: string } = parseCode2Session('{}')
const n: string = nonceStr(16)

try {
  signV2({}, { key })
} catch (e) {
  if (isWechatPayError(e)) {
    const code: WechatPayErrorCode = e.code
    if (e.code === 'ERR_WECHAT') console.log(e.errcode, e.err_code_des)
    // @ts-expect-error: not a code
    if (e.code === 'ERR_NOT_A_CODE') console.log(code)
  }
  if (e instanceof WechatPayError) console.log(e.field)
}

// @ts-expect-error: nested objects are not WeChat fields
signV2({ detail: { a: 1 } }, { key })
// @ts-expect-error: the key is required
signV2({ a: '1' }, {})
// @ts-expect-error: RSA is API v3
requestPaymentV2({ appId: 'wx1', prepayId: 'p', key, signType: 'RSA' })
// @ts-expect-error: unifiedorder needs openid
buildUnifiedOrder({ appid: 'wx1', mch_id: '1', body: 'b', out_trade_no: 'o', total_fee: 1, spbill_create_ip: 'ip', notify_url: 'u' }, { key })

void [same, fields, amount, reply, refunded, pay, url, openid, session_key, unionid, n]
