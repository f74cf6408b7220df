// The transactions and refunds as WeChat Pay describes them, and the notifications it sends, as outbox rows:
// v3 a JSON envelope whose resource is AES-256-GCM encrypted with the merchant's APIv3 key (signed per attempt
// by the notifier); v2 XML signed with the API key, and v2 refund notifications with an AES-256-ECB `req_info`.
import { createCipheriv, createHash } from 'node:crypto'
import { encryptResource, nonceStr, signV2, toXml } from 'wechatpay-wasm'
import { openidFor } from './ids.js'
import { compact, rfc3339, v2Time } from './time.js'

const TRADE_STATE_DESC = { NOTPAY: '未支付', SUCCESS: '支付成功', CLOSED: '已关闭', REFUND: '转入退款' }
// v3 names the H5 trade type MWEB, as v2 did.
export const TRADE_TYPES = { jsapi: 'JSAPI', app: 'APP', h5: 'MWEB', native: 'NATIVE' }

export const isPaid = (tx) => tx.state === 'SUCCESS' || tx.state === 'REFUND'
/** CLOSED once an unpaid order is past its time_expire (WeChat closes it), else the stored state. */
export const effectiveState = (tx, now) => (tx.state === 'NOTPAY' && tx.time_expire && tx.time_expire <= now ? 'CLOSED' : tx.state)

/** Partner mode: the payer's sp_openid (and sub_openid when the order has a sub_appid) once paid, else as sent. */
function partnerPayer(tx) {
  if (!tx.sp_mchid) return undefined
  if (tx.payer_user) return { sp_openid: openidFor(tx.appid, tx.payer_user), ...(tx.sub_appid ? { sub_openid: openidFor(tx.sub_appid, tx.payer_user) } : {}) }
  return tx.openid ? { [tx.payer_field]: tx.openid } : undefined
}

/**
 * The transaction as v3 query answers and notifications describe it: direct (appid, mchid, payer.openid) or
 * partner (sp_appid, sp_mchid, sub_appid?, sub_mchid, payer.sp_openid / sub_openid). attach only once paid.
 */
export function transactionResource(tx, now = Date.now()) {
  const paid = isPaid(tx)
  const state = effectiveState(tx, now)
  const ids = tx.sp_mchid
    ? { sp_appid: tx.appid, sp_mchid: tx.sp_mchid, ...(tx.sub_appid ? { sub_appid: tx.sub_appid } : {}), sub_mchid: tx.mchid }
    : { appid: tx.appid, mchid: tx.mchid }
  const payer = partnerPayer(tx) ?? (tx.openid ? { openid: tx.openid } : undefined)
  return {
    ...ids,
    out_trade_no: tx.out_trade_no,
    ...(paid ? { transaction_id: tx.transaction_id, trade_type: tx.trade_type } : {}),
    trade_state: state,
    trade_state_desc: TRADE_STATE_DESC[state],
    ...(paid ? { bank_type: 'OTHERS', success_time: rfc3339(tx.paid_at), attach: tx.attach ?? '' } : {}),
    ...(payer ? { payer } : {}),
    amount: { total: tx.amount, currency: 'CNY', ...(paid ? { payer_total: tx.amount, payer_currency: 'CNY' } : {}) },
  }
}

/** The refund object of v3 create and query answers (every field WeChat's documents mark required). */
export function refundResource(tx, r) {
  return {
    refund_id: r.refund_id,
    out_refund_no: r.out_refund_no,
    transaction_id: tx.transaction_id,
    out_trade_no: tx.out_trade_no,
    channel: r.received_account ? 'OTHER_BANKCARD' : 'ORIGINAL',
    user_received_account: r.received_account || '支付用户零钱',
    ...(r.status === 'SUCCESS' ? { success_time: rfc3339(r.success_at) } : {}),
    create_time: rfc3339(r.created_at),
    status: r.status,
    ...(r.funds_account ? { funds_account: r.funds_account } : {}),
    amount: {
      total: tx.amount,
      refund: r.amount,
      from: [],
      payer_total: tx.amount,
      payer_refund: r.amount,
      settlement_refund: r.amount,
      settlement_total: tx.amount,
      discount_refund: 0,
      currency: 'CNY',
      refund_fee: 0,
    },
    promotion_detail: [],
  }
}

function v3Envelope(merchant, eventType, summary, originalType, plaintext, now) {
  return JSON.stringify({
    id: crypto.randomUUID(),
    create_time: rfc3339(now),
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary,
    resource: { original_type: originalType, ...encryptResource(plaintext, merchant.apiV3Key, { associatedData: originalType }) },
  })
}

/** The v2 payment notification's fields, signed as the merchant's quirks say (see README: Quirks). */
function v2PaymentXml(merchant, tx) {
  const orderSignType = tx.sign_type || 'MD5'
  // WeChat has been seen sending MD5-signed notifications without sign_type to HMAC-SHA256 merchants.
  const signType = merchant.quirks.has('v2-notify-md5') ? 'MD5' : orderSignType
  const fields = {
    return_code: 'SUCCESS',
    appid: tx.appid,
    mch_id: tx.mchid,
    nonce_str: nonceStr(),
    sign_type: merchant.quirks.has('v2-notify-no-sign-type') ? undefined : signType,
    result_code: 'SUCCESS',
    openid: tx.openid,
    is_subscribe: 'N',
    trade_type: tx.trade_type,
    bank_type: 'OTHERS',
    total_fee: tx.amount,
    fee_type: 'CNY',
    cash_fee: tx.amount,
    transaction_id: tx.transaction_id,
    out_trade_no: tx.out_trade_no,
    attach: tx.attach ?? undefined,
    time_end: compact(tx.paid_at),
  }
  return toXml({ ...fields, sign: signV2(fields, { key: merchant.apiV2Key, signType }) })
}

/** The outbox row announcing that `tx` was paid. `merchant` is the one that placed the order (partner: the sp). */
export function paymentDelivery(merchant, tx, now) {
  const base = { mchid: merchant.mchid, api: tx.api, eventType: 'TRANSACTION.SUCCESS', notifyUrl: tx.notify_url }
  if (tx.api === 'v3') {
    return { ...base, body: v3Envelope(merchant, 'TRANSACTION.SUCCESS', '支付成功', 'transaction', transactionResource(tx, now), now) }
  }
  return { ...base, body: v2PaymentXml(merchant, tx) }
}

const REFUND_EVENTS = { SUCCESS: ['REFUND.SUCCESS', '退款成功'], ABNORMAL: ['REFUND.ABNORMAL', '退款异常'], CLOSED: ['REFUND.CLOSED', '退款关闭'] }

/** The outbox row of a v3 refund notification (REFUND.SUCCESS, .ABNORMAL or .CLOSED), or null without a URL. */
export function refundDelivery(merchant, tx, refund, now) {
  const notifyUrl = refund.notify_url || tx.notify_url
  if (!notifyUrl) return null
  const [eventType, summary] = REFUND_EVENTS[refund.status]
  const resource = {
    ...(tx.sp_mchid ? { sp_mchid: tx.sp_mchid, sub_mchid: tx.mchid } : { mchid: tx.mchid }),
    out_trade_no: tx.out_trade_no,
    transaction_id: tx.transaction_id,
    out_refund_no: refund.out_refund_no,
    refund_id: refund.refund_id,
    refund_status: refund.status,
    ...(refund.status === 'SUCCESS' ? { success_time: rfc3339(refund.success_at) } : {}),
    user_received_account: refund.received_account || '支付用户零钱',
    amount: { total: tx.amount, refund: refund.amount, payer_total: tx.amount, payer_refund: refund.amount },
  }
  return { mchid: merchant.mchid, api: 'v3', eventType, notifyUrl, body: v3Envelope(merchant, eventType, summary, 'refund', resource, now) }
}

/**
 * The outbox row of a v2 refund notification: unsigned, the refund in `req_info` = base64(AES-256-ECB/PKCS#7,
 * key = lowercase hex MD5 of the API key) of `<root>…</root>` (pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=9_16).
 */
export function v2RefundDelivery(merchant, tx, refund) {
  if (!refund.notify_url) return null
  const info = {
    transaction_id: tx.transaction_id,
    out_trade_no: tx.out_trade_no,
    refund_id: refund.refund_id,
    out_refund_no: refund.out_refund_no,
    total_fee: tx.amount,
    settlement_total_fee: tx.amount,
    refund_fee: refund.amount,
    settlement_refund_fee: refund.amount,
    refund_status: refund.status === 'SUCCESS' ? 'SUCCESS' : refund.status === 'ABNORMAL' ? 'CHANGE' : 'REFUNDCLOSE',
    success_time: refund.status === 'SUCCESS' ? v2Time(refund.success_at) : undefined,
    refund_recv_accout: '支付用户零钱',
    refund_account: 'REFUND_SOURCE_UNSETTLED_FUNDS',
    refund_request_source: 'API',
  }
  const root = toXml(info).replace(/^<xml>/, '<root>').replace(/<\/xml>$/, '</root>')
  const key = createHash('md5').update(merchant.apiV2Key).digest('hex')
  const cipher = createCipheriv('aes-256-ecb', Buffer.from(key, 'latin1'), null)
  const reqInfo = Buffer.concat([cipher.update(root, 'utf8'), cipher.final()]).toString('base64')
  const body = toXml({ return_code: 'SUCCESS', return_msg: 'OK', appid: tx.appid, mch_id: tx.mchid, nonce_str: nonceStr(), req_info: reqInfo })
  return { mchid: merchant.mchid, api: 'v2', eventType: `REFUND.${refund.status}`, notifyUrl: refund.notify_url, body }
}
