// The notifications WeChat Pay sends, as outbox rows: v3 a JSON envelope whose resource is AES-256-GCM
// encrypted with the merchant's APIv3 key (signed per attempt by the notifier); v2 XML signed with the API key.
import { encryptResource, nonceStr, signV2, toXml } from 'wechatpay-wasm'
import { compact, rfc3339 } from './time.js'

/** The transaction as v3 query answers and notifications describe it. */
export function transactionResource(tx) {
  const paid = tx.state === 'SUCCESS' || tx.state === 'REFUND'
  return {
    appid: tx.appid,
    mchid: tx.mchid,
    out_trade_no: tx.out_trade_no,
    ...(paid ? { transaction_id: tx.transaction_id } : {}),
    trade_type: 'JSAPI',
    trade_state: tx.state,
    trade_state_desc: { NOTPAY: '未支付', SUCCESS: '支付成功', CLOSED: '已关闭', REFUND: '转入退款' }[tx.state],
    ...(paid ? { bank_type: 'OTHERS', success_time: rfc3339(tx.paid_at) } : {}),
    attach: tx.attach ?? '',
    payer: { openid: tx.openid },
    amount: { total: tx.amount, currency: 'CNY', ...(paid ? { payer_total: tx.amount, payer_currency: 'CNY' } : {}) },
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

/** The outbox row announcing that `tx` was paid. */
export function paymentDelivery(merchant, tx, now) {
  const base = { mchid: tx.mchid, api: tx.api, eventType: 'TRANSACTION.SUCCESS', notifyUrl: tx.notify_url }
  if (tx.api === 'v3') {
    return { ...base, body: v3Envelope(merchant, 'TRANSACTION.SUCCESS', '支付成功', 'transaction', transactionResource(tx), now) }
  }
  const signType = tx.sign_type || 'MD5'
  const fields = {
    return_code: 'SUCCESS',
    appid: tx.appid,
    mch_id: tx.mchid,
    nonce_str: nonceStr(),
    sign_type: signType,
    result_code: 'SUCCESS',
    openid: tx.openid,
    is_subscribe: 'N',
    trade_type: 'JSAPI',
    bank_type: 'OTHERS',
    total_fee: tx.amount,
    fee_type: 'CNY',
    cash_fee: tx.amount,
    transaction_id: tx.transaction_id,
    out_trade_no: tx.out_trade_no,
    attach: tx.attach ?? undefined,
    time_end: compact(tx.paid_at),
  }
  return { ...base, body: toXml({ ...fields, sign: signV2(fields, { key: merchant.apiV2Key, signType }) }) }
}

/** The outbox row of a v3 REFUND.SUCCESS notification. */
export function refundDelivery(merchant, tx, refund) {
  const resource = {
    mchid: tx.mchid,
    out_trade_no: tx.out_trade_no,
    transaction_id: tx.transaction_id,
    out_refund_no: refund.outRefundNo,
    refund_id: refund.refundId,
    refund_status: 'SUCCESS',
    success_time: rfc3339(refund.now),
    user_received_account: '支付用户零钱',
    amount: { total: tx.amount, refund: refund.amount, payer_total: tx.amount, payer_refund: refund.amount },
  }
  return {
    mchid: tx.mchid,
    api: 'v3',
    eventType: 'REFUND.SUCCESS',
    notifyUrl: refund.notifyUrl || tx.notify_url,
    body: v3Envelope(merchant, 'REFUND.SUCCESS', '退款成功', 'refund', resource, refund.now),
  }
}
