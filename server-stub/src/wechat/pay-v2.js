// API v2 as WeChat Pay serves it: XML in and out. A message WeChat cannot read or authenticate gets
// return_code FAIL; a business error gets return_code SUCCESS, result_code FAIL and err_code, signed.
import { isWechatPayError, nonceStr, parseXml, signV2, toXml, verifyV2 } from 'wechatpay-wasm'
import { textBody } from '../http.js'
import { newPrepayId } from './ids.js'
import { compact } from './time.js'

class BusinessError extends Error {
  constructor(errCode, description) {
    super(description)
    this.errCode = errCode
  }
}

const TRADE_NO = /^[0-9A-Za-z_\-|*]{1,32}$/

export function payV2Routes(app, { config, store, registry, log, now }) {
  const xml = (c, fields) => c.body(toXml(fields), 200, { 'content-type': 'text/xml; charset=utf-8' })

  /** Reads and authenticates a v2 request, runs `fn`, and signs its answer. */
  const signed = (fn) => async (c) => {
    let fields
    try {
      fields = parseXml(await textBody(c))
    } catch (e) {
      if (!isWechatPayError(e)) throw e
      return xml(c, { return_code: 'FAIL', return_msg: 'XML_FORMAT_ERROR' })
    }
    const merchant = registry.byMchid(fields.mch_id)
    if (!merchant) return xml(c, { return_code: 'FAIL', return_msg: 'MCHID_NOT_EXIST' })
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

  const ownTransaction = (merchant, outTradeNo) => {
    const tx = outTradeNo && store.transactionByTradeNo(merchant.mchid, outTradeNo)
    if (!tx) throw new BusinessError('ORDERNOTEXIST', '订单不存在')
    return tx
  }

  app.post('/pay/unifiedorder', signed((f, merchant, signType) => {
    for (const name of ['body', 'out_trade_no', 'total_fee', 'spbill_create_ip', 'notify_url', 'trade_type', 'openid', 'nonce_str']) {
      if (!f[name]) throw new BusinessError('LACK_PARAMS', `缺少参数 ${name}`)
    }
    if (f.trade_type !== 'JSAPI') throw new BusinessError('INVALID_REQUEST', 'only trade_type JSAPI is simulated')
    if (!TRADE_NO.test(f.out_trade_no)) throw new BusinessError('INVALID_REQUEST', 'out_trade_no: 1-32 of 0-9 A-Z a-z _ - | *')
    if (!/^[1-9]\d{0,9}$/.test(f.total_fee)) throw new BusinessError('INVALID_REQUEST', 'total_fee is a positive integer in fen')
    if (f.body.length > 127) throw new BusinessError('INVALID_REQUEST', 'body is at most 127 characters')
    if (!/^https?:\/\/[^?]+$/.test(f.notify_url)) throw new BusinessError('INVALID_REQUEST', 'notify_url is an http(s) URL without a query string')
    if (store.transactionByTradeNo(merchant.mchid, f.out_trade_no)) throw new BusinessError('OUT_TRADE_NO_USED', '商户订单号重复')
    const at = now()
    const prepayId = newPrepayId(at)
    store.createTransaction({
      prepayId, mchid: merchant.mchid, appid: f.appid, outTradeNo: f.out_trade_no, api: 'v2', signType, description: f.body,
      amount: Number(f.total_fee), openid: f.openid, notifyUrl: f.notify_url, attach: f.attach ?? null, now: at,
      expiresAt: at + config.prepayTtlSeconds * 1000,
    })
    log.info('transaction.state', { out_trade_no: f.out_trade_no, to: 'NOTPAY', api: 'v2' })
    return { trade_type: 'JSAPI', prepay_id: prepayId }
  }))

  app.post('/pay/orderquery', signed((f, merchant) => {
    const tx = ownTransaction(merchant, f.out_trade_no)
    const paid = tx.state === 'SUCCESS' || tx.state === 'REFUND'
    return {
      trade_state: tx.state,
      out_trade_no: tx.out_trade_no,
      openid: tx.openid,
      trade_type: 'JSAPI',
      total_fee: tx.amount,
      fee_type: 'CNY',
      ...(paid ? { transaction_id: tx.transaction_id, cash_fee: tx.amount, bank_type: 'OTHERS', time_end: compact(tx.paid_at) } : {}),
    }
  }))

  app.post('/pay/closeorder', signed((f, merchant) => {
    const tx = ownTransaction(merchant, f.out_trade_no)
    if (tx.state === 'SUCCESS' || tx.state === 'REFUND') throw new BusinessError('ORDERPAID', '订单已支付')
    if (tx.state === 'CLOSED') throw new BusinessError('ORDERCLOSED', '订单已关闭')
    if (store.close(tx.prepay_id)) log.info('transaction.state', { out_trade_no: tx.out_trade_no, from: 'NOTPAY', to: 'CLOSED' })
    return {}
  }))
}
