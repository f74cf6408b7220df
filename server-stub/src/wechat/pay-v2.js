// API v2 as WeChat Pay serves it: XML in and out. A message WeChat cannot read or authenticate gets
// return_code FAIL; a business error gets return_code SUCCESS, result_code FAIL and err_code, signed.
// unifiedorder, orderquery, closeorder and refundquery take no client certificate; /secapi/pay/refund needs the
// merchant's (mutual TLS on the simulator's HTTPS port). pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=9_1 …9_5
import { createHash } from 'node:crypto'
import { isWechatPayError, nonceStr, parseXml, signV2, toXml, verifyV2 } from 'wechatpay-wasm'
import { textBody } from '../http.js'
import { isPaid, v2RefundDelivery } from './events.js'
import { newPrepayId, newRefundId } from './ids.js'
import { compact, v2Time } from './time.js'

class BusinessError extends Error {
  constructor(errCode, description) {
    super(description)
    this.errCode = errCode
  }
}

const TRADE_NO = /^[0-9A-Za-z_\-|*]{1,32}$/
const REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/
const FEN = /^[1-9]\d{0,9}$/
// What may change when an order is sent again: the nonce, its signature and the client's IP.
const VOLATILE = new Set(['nonce_str', 'sign', 'sign_type', 'spbill_create_ip'])
const digest = (f) => createHash('sha256').update(JSON.stringify(Object.keys(f).filter((k) => !VOLATILE.has(k)).sort().map((k) => [k, f[k]]))).digest('hex')

/** The merchant certificate the TLS client presented, or null (plain HTTP, or no certificate). */
function clientCertificate(c) {
  const socket = c.env?.incoming?.socket
  if (!socket?.encrypted || !socket.authorized) return null
  const cert = socket.getPeerCertificate()
  return cert && cert.subject ? cert : null
}

export function payV2Routes(app, { config, store, registry, notifier, log, now }) {
  const xml = (c, fields) => c.body(toXml(fields), 200, { 'Content-Type': 'text/xml; charset=utf-8' })

  /** Reads and authenticates a v2 request, runs `fn`, and signs its answer. */
  const signed = (fn, { certificate = false } = {}) => async (c) => {
    let fields
    try {
      fields = parseXml(await textBody(c))
    } catch (e) {
      if (!isWechatPayError(e)) throw e
      return xml(c, { return_code: 'FAIL', return_msg: 'XML_FORMAT_ERROR' })
    }
    const merchant = registry.byMchid(fields.mch_id)
    if (!merchant) return xml(c, { return_code: 'FAIL', return_msg: 'MCHID_NOT_EXIST' })
    if (certificate) {
      // WeChat reads the merchant certificate off the TLS connection; its CN is the mch_id.
      const cert = clientCertificate(c)
      if (!cert) return xml(c, { return_code: 'FAIL', return_msg: '证书不存在或无效：该接口需要商户API证书 (the simulator\'s HTTPS port, with apiclient_cert.pem)' })
      if (cert.subject.CN !== merchant.mchid) return xml(c, { return_code: 'FAIL', return_msg: `证书与商户号不匹配 (certificate of ${cert.subject.CN}, mch_id ${merchant.mchid})` })
    }
    const signType = fields.sign_type || 'MD5'
    if (signType !== 'MD5' && signType !== 'HMAC-SHA256') return xml(c, { return_code: 'FAIL', return_msg: 'sign_type is MD5 or HMAC-SHA256' })
    try {
      verifyV2(fields, { key: merchant.apiV2Key })
    } catch (e) {
      if (!isWechatPayError(e)) throw e
      log.info('v2.sign_error', { reason: e.code })
      return xml(c, { return_code: 'FAIL', return_msg: 'SIGNERROR' })
    }
    let result
    try {
      if (fields.appid !== merchant.appId) throw new BusinessError('APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配')
      result = { result_code: 'SUCCESS', ...fn(fields, merchant, signType) }
    } catch (e) {
      if (!(e instanceof BusinessError)) throw e
      result = { result_code: 'FAIL', err_code: e.errCode, err_code_des: e.message }
    }
    const answer = { return_code: 'SUCCESS', return_msg: 'OK', appid: fields.appid, mch_id: merchant.mchid, nonce_str: nonceStr(), ...result }
    return xml(c, { ...answer, sign: signV2(answer, { key: merchant.apiV2Key, signType }) })
  }

  /** The merchant's own (direct, v2) order by transaction_id (first) or out_trade_no. */
  const ownTransaction = (merchant, f) => {
    const tx = f.transaction_id ? store.transactionById(merchant.mchid, f.transaction_id) : f.out_trade_no && store.transactionByTradeNo(merchant.mchid, f.out_trade_no)
    if (!tx || tx.sp_mchid) throw new BusinessError('ORDERNOTEXIST', '订单不存在')
    return tx
  }

  app.post('/pay/unifiedorder', signed((f, merchant, signType) => {
    for (const name of ['body', 'out_trade_no', 'total_fee', 'spbill_create_ip', 'notify_url', 'trade_type', 'openid', 'nonce_str']) {
      if (!f[name]) throw new BusinessError('LACK_PARAMS', `缺少参数 ${name}`)
    }
    if (f.trade_type !== 'JSAPI') throw new BusinessError('INVALID_REQUEST', 'only trade_type JSAPI is simulated')
    if (!TRADE_NO.test(f.out_trade_no)) throw new BusinessError('INVALID_REQUEST', 'out_trade_no: 1-32 of 0-9 A-Z a-z _ - | *')
    if (!FEN.test(f.total_fee)) throw new BusinessError('INVALID_REQUEST', 'total_fee is a positive integer in fen')
    if (f.body.length > 127) throw new BusinessError('INVALID_REQUEST', 'body is at most 127 characters')
    if (f.notify_url.length > 256 || !/^https?:\/\/[^?#\s]+$/.test(f.notify_url)) throw new BusinessError('INVALID_REQUEST', 'notify_url is an http(s) URL without a query string')
    const existing = store.transactionByTradeNo(merchant.mchid, f.out_trade_no)
    const requestDigest = digest(f)
    if (existing) {
      // The same order again gets its prepay_id again; anything changed is a reused number (OUT_TRADE_NO_USED).
      if (isPaid(existing)) throw new BusinessError('ORDERPAID', '该订单已支付')
      if (existing.state === 'CLOSED') throw new BusinessError('ORDERCLOSED', '订单已关闭')
      if (existing.request_digest !== requestDigest || existing.expires_at <= now()) throw new BusinessError('OUT_TRADE_NO_USED', '商户订单号重复')
      return { trade_type: 'JSAPI', prepay_id: existing.prepay_id }
    }
    const at = now()
    const prepayId = newPrepayId(at)
    store.createTransaction({
      prepayId, mchid: merchant.mchid, appid: f.appid, outTradeNo: f.out_trade_no, api: 'v2', signType, description: f.body,
      amount: Number(f.total_fee), openid: f.openid, payerField: 'openid', notifyUrl: f.notify_url, attach: f.attach ?? null, now: at,
      expiresAt: at + config.prepayTtlSeconds * 1000, requestDigest,
    })
    log.info('transaction.state', { out_trade_no: f.out_trade_no, to: 'NOTPAY', api: 'v2' })
    return { trade_type: 'JSAPI', prepay_id: prepayId }
  }))

  app.post('/pay/orderquery', signed((f, merchant) => {
    if (!f.transaction_id && !f.out_trade_no) throw new BusinessError('LACK_PARAMS', '缺少参数 transaction_id 或 out_trade_no')
    const tx = ownTransaction(merchant, f)
    const paid = isPaid(tx)
    return {
      trade_state: tx.state,
      trade_state_desc: { NOTPAY: '未支付', SUCCESS: '支付成功', CLOSED: '已关闭', REFUND: '转入退款' }[tx.state],
      out_trade_no: tx.out_trade_no,
      attach: tx.attach ?? undefined,
      openid: tx.openid || undefined,
      trade_type: tx.trade_type,
      total_fee: tx.amount,
      fee_type: 'CNY',
      ...(paid ? { transaction_id: tx.transaction_id, cash_fee: tx.amount, settlement_total_fee: tx.amount, bank_type: 'OTHERS', time_end: compact(tx.paid_at), is_subscribe: 'N' } : {}),
    }
  }))

  app.post('/pay/closeorder', signed((f, merchant) => {
    const tx = ownTransaction(merchant, { out_trade_no: f.out_trade_no })
    if (isPaid(tx)) throw new BusinessError('ORDERPAID', '订单已支付')
    if (tx.state === 'CLOSED') throw new BusinessError('ORDERCLOSED', '订单已关闭')
    if (store.close(tx.prepay_id, now())) log.info('transaction.state', { out_trade_no: tx.out_trade_no, from: 'NOTPAY', to: 'CLOSED' })
    return {}
  }))

  app.post('/secapi/pay/refund', signed((f, merchant) => {
    for (const name of ['out_refund_no', 'total_fee', 'refund_fee', 'nonce_str']) if (!f[name]) throw new BusinessError('PARAM_ERROR', `缺少参数 ${name}`)
    if (!f.transaction_id && !f.out_trade_no) throw new BusinessError('PARAM_ERROR', '缺少参数 transaction_id 或 out_trade_no')
    if (!REFUND_NO.test(f.out_refund_no)) throw new BusinessError('PARAM_ERROR', 'out_refund_no: 1-64 of 0-9 A-Z a-z _ - | * @')
    if (!FEN.test(f.total_fee) || !FEN.test(f.refund_fee)) throw new BusinessError('PARAM_ERROR', 'total_fee and refund_fee are positive integers in fen')
    if (f.notify_url && (f.notify_url.length > 256 || !/^https?:\/\/[^?#\s]+$/.test(f.notify_url))) throw new BusinessError('PARAM_ERROR', 'notify_url is an http(s) URL without a query string')
    if (f.refund_desc && f.refund_desc.length > 80) throw new BusinessError('PARAM_ERROR', 'refund_desc is at most 80 characters')
    let tx
    try {
      tx = ownTransaction(merchant, f)
    } catch {
      throw new BusinessError('INVALID_TRANSACTIONID', '无效transaction_id (the order does not exist)')
    }
    if (!isPaid(tx)) throw new BusinessError('INVALID_TRANSACTIONID', '订单未支付 (the order is not paid)')
    const total = Number(f.total_fee)
    const amount = Number(f.refund_fee)
    let refund = store.refund(merchant.mchid, f.out_refund_no)
    if (refund) {
      if (refund.prepay_id !== tx.prepay_id) throw new BusinessError('PARAM_ERROR', '退款单号已用于其他订单')
      if (refund.amount !== amount || (refund.total ?? tx.amount) !== total) throw new BusinessError('PARAM_ERROR', '订单金额或退款金额与之前请求不一致，请核实后再试')
    } else {
      if (total !== tx.amount) throw new BusinessError('PARAM_ERROR', '订单金额与实际不一致 (total_fee is not the order total)')
      const refunded = store.refundedAmount(tx.prepay_id)
      if (amount > tx.amount - refunded) throw new BusinessError('ERROR', '累计退款金额大于支付金额')
      const at = now()
      const status = merchant.quirks.has('refund-abnormal') ? 'ABNORMAL' : 'SUCCESS'
      const row = { refund_id: newRefundId(), out_refund_no: f.out_refund_no, amount, total, status, created_at: at, success_at: status === 'SUCCESS' ? at : null, notify_url: f.notify_url ?? null }
      store.addRefund(
        { refundId: row.refund_id, mchid: merchant.mchid, outRefundNo: row.out_refund_no, prepayId: tx.prepay_id, amount, total, notifyUrl: row.notify_url, now: at, api: 'v2', status, successAt: row.success_at, reason: f.refund_desc ?? null },
        v2RefundDelivery(merchant, tx, row),
      )
      log.info('refund.state', { out_trade_no: tx.out_trade_no, out_refund_no: f.out_refund_no, to: status, api: 'v2' })
      notifier.kick()
      refund = store.refund(merchant.mchid, f.out_refund_no)
    }
    return {
      transaction_id: tx.transaction_id, out_trade_no: tx.out_trade_no, out_refund_no: refund.out_refund_no, refund_id: refund.refund_id,
      refund_fee: refund.amount, settlement_refund_fee: refund.amount, total_fee: tx.amount, settlement_total_fee: tx.amount, fee_type: 'CNY',
      cash_fee: tx.amount, cash_refund_fee: refund.amount, coupon_refund_fee: 0, coupon_refund_count: 0,
    }
  }, { certificate: true }))

  app.post('/pay/refundquery', signed((f, merchant) => {
    let refunds
    if (f.refund_id || f.out_refund_no) {
      const r = f.refund_id ? store.refundById(merchant.mchid, f.refund_id) : store.refund(merchant.mchid, f.out_refund_no)
      refunds = r ? [r] : []
    } else if (f.transaction_id || f.out_trade_no) {
      let tx
      try {
        tx = ownTransaction(merchant, f)
      } catch {
        throw new BusinessError('REFUNDNOTEXIST', '退款订单查询失败 (no such order)')
      }
      refunds = store.refundsOf(tx.prepay_id)
    } else {
      throw new BusinessError('PARAM_ERROR', '缺少参数 transaction_id、out_trade_no、out_refund_no 或 refund_id')
    }
    if (!refunds.length) throw new BusinessError('REFUNDNOTEXIST', '退款订单查询失败')
    const tx = store.transaction(refunds[0].prepay_id)
    const offset = Number(f.offset || 0)
    const page = refunds.slice(offset, offset + 10)
    const STATUS = { SUCCESS: 'SUCCESS', ABNORMAL: 'CHANGE', CLOSED: 'REFUNDCLOSE', PROCESSING: 'PROCESSING' }
    const each = Object.assign({}, ...page.map((r, n) => ({
      [`out_refund_no_${n}`]: r.out_refund_no,
      [`refund_id_${n}`]: r.refund_id,
      [`refund_channel_${n}`]: 'ORIGINAL',
      [`refund_fee_${n}`]: r.amount,
      [`settlement_refund_fee_${n}`]: r.amount,
      [`refund_status_${n}`]: STATUS[r.status],
      [`refund_account_${n}`]: 'REFUND_SOURCE_UNSETTLED_FUNDS',
      [`refund_recv_accout_${n}`]: r.received_account || '支付用户零钱',
      ...(r.status === 'SUCCESS' ? { [`refund_success_time_${n}`]: v2Time(r.success_at) } : {}),
    })))
    return {
      transaction_id: tx.transaction_id, out_trade_no: tx.out_trade_no, total_fee: tx.amount, settlement_total_fee: tx.amount, fee_type: 'CNY',
      cash_fee: tx.amount, total_refund_count: refunds.length, refund_count: page.length, ...each,
    }
  }))
}
