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

// ---- the client
import { createClient, createV2Client, parseTradeBill, decryptMiniProgramData, type Transaction, type Refund } from 'wechatpay-wasm'

async function clientTypes() {
  const client = createClient({ mchid: '1', serialNo: 's', privateKey: 'pem', keys: { PUB_KEY_ID_1: 'pem' }, apiV3Key: 'k', timeoutMs: 5000 })
  const { prepayId: id, appId, payParams } = await client.prepayJsapi({
    description: 'd', out_trade_no: 'o', notify_url: 'https://x.example/n', amount: { total: 1 }, payer: { openid: 'o' },
  }, { signal: AbortSignal.timeout(1000) })
  const paySign: string = payParams.paySign
  const app = await client.prepayApp({ description: 'd', out_trade_no: 'o', notify_url: 'u', amount: { total: 1 } })
  const packageValue: 'Sign=WXPay' = app.payParams.package
  const tx: Transaction = await client.queryOrder({ out_trade_no: 'o' })
  const state: string = tx.trade_state
  await client.queryOrder({ transaction_id: '42' })
  const r: Refund = await client.refund({ out_trade_no: 'o', out_refund_no: 'r', amount: { refund: 1, total: 1, currency: 'CNY' } })
  const { rows, totals } = await client.tradeBill({ bill_date: '2026-11-26', tar_type: 'GZIP' })
  const fee: number | undefined = rows[0]?.fee_milli_fen
  const count: number = totals.count
  const { data, requestId } = await client.request<{ prepay_id: string }>({ method: 'POST', path: '/v3/pay/transactions/jsapi', body: {} })
  const prepay: string = data.prepay_id
  const stop: () => void = client.startCertificateRefresh({ intervalMs: 3600000, onError: (e) => console.log(e) })
  const notice = await client.verifyNotification({ headers: {}, body: '' })
  const v2 = createV2Client({ appid: 'wx1', mchid: '1', key: 'k', fetch: (url, init) => fetch(url, init) })
  const q = await v2.orderQuery({ out_trade_no: 'o' })
  const v2State: string = q.trade_state
  const bill = parseTradeBill('csv')
  const open = decryptMiniProgramData<{ openId: string }>({ encryptedData: 'e', iv: 'i', sessionKey: 's', appId: 'wx1' })
  const watermark: string = open.watermark.appid
  try {
    await client.closeOrder({ out_trade_no: 'o' })
  } catch (e) {
    if (isWechatPayError(e) && (e.code === 'ERR_TIMEOUT' || e.code === 'ERR_ANSWER_MISMATCH' || e.code === 'ERR_DIGEST_MISMATCH')) console.log(e.code)
    if (isWechatPayError(e) && e.code === 'ERR_WECHAT') { const s: number | undefined = e.status; const w: string | undefined = e.wechatCode; const v: boolean | undefined = e.verified; void [s, w, v] }
  }
  // @ts-expect-error: a refund needs its amounts
  await client.refund({ out_trade_no: 'o', out_refund_no: 'r' })
  // @ts-expect-error: the app's params are not wx.requestPayment's
  const wrong: RequestPaymentParams = app.payParams
  void [id, appId, paySign, packageValue, state, r, fee, count, requestId, prepay, stop, notice, v2State, bill, watermark, wrong]
}
void clientTypes
