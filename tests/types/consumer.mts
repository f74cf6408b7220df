// Type-level tests of the package's .d.ts, through ESM resolution (checked by tsc, never run). Each
// `@ts-expect-error` is a mistake the types must refuse: tsc fails if one compiles.
import {
  signV2, verifyV2, toXml, parseXml, buildUnifiedOrder, parseUnifiedOrderResponse, parseV2Notification,
  v2NotificationReply, decryptV2RefundNotification, requestPaymentV2, code2SessionUrl, parseCode2Session,
  nonceStr, createVerifier, WechatPayError, isWechatPayError, type WechatPayErrorCode, type RequestPaymentParams,
} from 'wechatpay-wasm'

const key = '192006250b4c09247ec02edce69f6a2d'
const sign: string = signV2({ appid: 'wx1', total_fee: 1, attach: undefined }, { key, signType: 'HMAC-SHA256' })
const same: { appid: string; sign: string } = verifyV2({ appid: 'wx1', sign }, { key, algorithms: ['HMAC-SHA256'] })
const xml: string = toXml({ appid: 'wx1', total_fee: 1 })
const fields: Record<string, string> = parseXml(new TextEncoder().encode(xml))
buildUnifiedOrder({ appid: 'wx1', mch_id: '1', body: 'b', out_trade_no: 'o', total_fee: 1, spbill_create_ip: '127.0.0.1',
  notify_url: 'https://x.example/n', openid: 'o' }, { key, nonceStr: 'abc' })
const { prepayId }: { prepayId: string } = parseUnifiedOrderResponse(xml, { key, appId: 'wx1', mchId: '1' })
const reply: string = v2NotificationReply(false, 'amount mismatch')
const refund = decryptV2RefundNotification(xml, { key, mchId: '1' })
const refunded: number = refund.refund_fee
const pay: RequestPaymentParams = requestPaymentV2({ appId: 'wx1', prepayId, key, timeStamp: 1490840662 })
const url: string = code2SessionUrl({ appId: 'wx1', secret: 's', code: 'c', baseUrl: 'http://127.0.0.1:8788' })
const { openid, session_key, unionid }: { openid: string; session_key: string; unionid?: string } = parseCode2Session('{}')
const n: string = nonceStr(16)

// a v2 notification is a payment only when result_code says SUCCESS
const notice = parseV2Notification(xml, { key, algorithms: ['HMAC-SHA256'] })
const amount: number = notice.total_fee
// @ts-expect-error: transaction_id is not known to be there before result_code is checked
const early: string = notice.transaction_id
if (notice.result_code === 'SUCCESS') {
  const id: string = notice.transaction_id
  const cash: number = notice.cash_fee
  void [id, cash]
} else {
  const why: string | undefined = notice.err_code_des
  // @ts-expect-error: a failed payment has no cash_fee to count
  const cash: number = notice.cash_fee
  void [why, cash]
}
// @ts-expect-error: RSA is API v3's, not an API v2 algorithm
verifyV2({ appid: 'wx1', sign }, { key, algorithms: ['RSA'] })

// errors: narrowing on code types the context; a misspelt property or one the code lacks does not compile
try {
  signV2({}, { key })
} catch (e) {
  if (isWechatPayError(e)) {
    const code: WechatPayErrorCode = e.code
    // @ts-expect-error: a typo
    console.log(e.cdoe)
    // @ts-expect-error: not every code has a field
    console.log(e.field)
    if (e.code === 'ERR_WECHAT') {
      const errcode: number | undefined = e.errcode
      console.log(errcode, e.err_code_des, e.return_msg)
      // @ts-expect-error: ERR_WECHAT has no offset
      console.log(e.offset)
    }
    if (e.code === 'ERR_MALFORMED_XML' || e.code === 'ERR_MALFORMED_JSON') {
      const offset: number = e.offset
      void offset
    }
    if (e.code === 'ERR_TIMESTAMP_SKEW') {
      const skew: number = e.now - e.timestamp + e.maxSkewSeconds
      void skew
    }
    if (e.code === 'ERR_MERCHANT_MISMATCH') console.log(e.field, e.expected, e.actual)
    if (e.code === 'ERR_MISSING_HEADER') console.log(e.header)
    if (e.code === 'ERR_UNKNOWN_SERIAL') console.log(e.serial)
    if (e.code === 'ERR_UNSUPPORTED_ALGORITHM' || e.code === 'ERR_ALGORITHM_NOT_ALLOWED') console.log(e.field, e.value)
    if (e.code === 'ERR_INVALID_KEY') {
      const cause: unknown = e.cause
      // @ts-expect-error: ERR_INVALID_KEY names no field
      console.log(cause, e.field)
    }
    // @ts-expect-error: not a code
    if (e.code === 'ERR_NOT_A_CODE') console.log(code)
  }
  if (e instanceof WechatPayError && e.code === 'ERR_INVALID_INPUT') console.log(e.field)
}

// the real constructor: the code's context, and ES2022's { cause }
const made = new WechatPayError('ERR_INVALID_INPUT', 'invalid x: …', { field: 'x' }, { cause: new Error('inner') })
const made2: string = made.field
// @ts-expect-error: ERR_MISSING_HEADER's context is { header }
void new WechatPayError('ERR_MISSING_HEADER', 'missing header', { field: 'x' })

// v3: eventType narrows the resource
const verifier = createVerifier({ keys: { PUB_KEY_ID_01: '-----BEGIN PUBLIC KEY-----…' } })
const notification = await verifier.verifyNotification({ headers: {}, body: '' }, { apiV3Key: key })
if (notification.eventType === 'TRANSACTION.SUCCESS') {
  const total: number = notification.resource.amount.total
  const trade: string = notification.resource.out_trade_no
  // @ts-expect-error: a transaction has no refund_id
  const refundId: string = notification.resource.refund_id
  void [total, trade, refundId]
} else if (notification.eventType === 'REFUND.SUCCESS') {
  const status: string = notification.resource.refund_status
  const refundTotal: number | undefined = notification.resource.amount?.refund
  // @ts-expect-error: the amount of a refund may be absent
  const sure: number = notification.resource.amount.refund
  void [status, refundTotal, sure]
}

// @ts-expect-error: nested objects are not WeChat fields
signV2({ detail: { a: 1 } }, { key })
// @ts-expect-error: the key is required
signV2({ a: '1' }, {})
// @ts-expect-error: RSA is API v3
requestPaymentV2({ appId: 'wx1', prepayId: 'p', key, signType: 'RSA' })
// @ts-expect-error: unifiedorder needs openid
buildUnifiedOrder({ appid: 'wx1', mch_id: '1', body: 'b', out_trade_no: 'o', total_fee: 1, spbill_create_ip: 'ip', notify_url: 'u' }, { key })

void [same, fields, amount, early, reply, refunded, pay, url, openid, session_key, unionid, n, made2]

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
  // @ts-expect-error: an order is not known to be paid before trade_state says so
  const unsure: number = tx.amount.total
  if (tx.trade_state === 'SUCCESS') {
    const paidTotal: number = tx.amount.total
    const paidId: string = tx.transaction_id
    void [paidTotal, paidId]
  }
  await client.queryOrder({ transaction_id: '42' })
  const r: Refund = await client.refund({ out_trade_no: 'o', out_refund_no: 'r', amount: { refund: 1, total: 1, currency: 'CNY' } })
  const { rows, totals } = await client.tradeBill({ bill_date: '2026-11-26', tar_type: 'GZIP' })
  const fee: number | undefined = rows[0]?.fee_milli_fen
  const count: number = totals.count
  const files = await client.applySubMerchantFundFlowBill({ sub_mchid: '1900000109', bill_date: '2026-11-26', account_type: 'BASIC' })
  const sequence: number = files[0].bill_sequence
  const joined: Uint8Array = await client.downloadSubMerchantBill(files)
  const subFund = await client.subMerchantFundFlowBill({ sub_mchid: '1900000109', bill_date: '2026-11-26', account_type: 'BASIC' })
  const direction: string = subFund.rows[0].direction
  // @ts-expect-error: the bill's algorithm is AEAD_AES_256_GCM
  await client.applySubMerchantFundFlowBill({ sub_mchid: '1', bill_date: '2026-11-26', account_type: 'BASIC', algorithm: 'SM4' })
  void [sequence, joined, direction]
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
  // @ts-expect-error: one order number, not both (the client refuses it)
  await client.queryOrder({ out_trade_no: 'o', transaction_id: '42' })
  // @ts-expect-error: one order number, not both
  await client.refund({ out_trade_no: 'o', transaction_id: '42', out_refund_no: 'r', amount: { refund: 1, total: 1, currency: 'CNY' } })
  // @ts-expect-error: one order number, not both
  await v2.orderQuery({ out_trade_no: 'o', transaction_id: '42' })
  // @ts-expect-error: the app's params are not wx.requestPayment's
  const wrong: RequestPaymentParams = app.payParams
  void [id, appId, paySign, packageValue, state, unsure, r, fee, count, requestId, prepay, stop, notice, v2State, bill, watermark, wrong]
}
void clientTypes
