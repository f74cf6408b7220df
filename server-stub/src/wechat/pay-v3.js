// API v3 as WeChat Pay serves it: every request's Authorization verified with the merchant's public key
// (bad → 401 SIGN_ERROR), bodies validated, every answer signed with the WeChat Pay public key's pair.
import { isWechatPayError } from 'wechatpay-wasm'
import { z } from 'zod'
import { describeIssues, randomId, textBody } from '../http.js'
import { refundDelivery, transactionResource } from './events.js'
import { newPrepayId, newRefundId } from './ids.js'
import { rfc3339 } from './time.js'

class WxError extends Error {
  constructor(status, code, message) {
    super(message)
    this.status = status
    this.code = code
  }
}

const notifyUrl = z.string().max(256).url().refine((u) => !u.includes('?'), 'notify_url takes no query string')
const Jsapi = z.object({
  appid: z.string().min(1).max(32),
  mchid: z.string().min(1).max(32),
  description: z.string().min(1).max(127),
  out_trade_no: z.string().regex(/^[0-9A-Za-z_\-|*]{6,32}$/, '6-32 of 0-9 A-Z a-z _ - | *'),
  time_expire: z.string().optional(),
  attach: z.string().max(128).optional(),
  notify_url: notifyUrl,
  amount: z.object({ total: z.number().int().positive(), currency: z.literal('CNY').optional() }),
  payer: z.object({ openid: z.string().min(1).max(128) }),
})
const Close = z.object({ mchid: z.string().min(1) })
const Refund = z.object({
  transaction_id: z.string().optional(),
  out_trade_no: z.string().optional(),
  out_refund_no: z.string().regex(/^[0-9A-Za-z_\-|*@]{1,64}$/),
  reason: z.string().max(80).optional(),
  notify_url: notifyUrl.optional(),
  amount: z.object({ refund: z.number().int().positive(), total: z.number().int().positive(), currency: z.literal('CNY') }),
}).refine((r) => r.transaction_id || r.out_trade_no, 'transaction_id or out_trade_no is required')

const parse = (schema, text) => {
  let value
  try {
    value = JSON.parse(text)
  } catch {
    throw new WxError(400, 'PARAM_ERROR', 'the body is not valid JSON')
  }
  const r = schema.safeParse(value)
  if (!r.success) throw new WxError(400, 'PARAM_ERROR', describeIssues(r.error))
  return r.data
}


export function payV3Routes(app, { config, store, registry, notifier, log, now }) {
  /** Verifies the request, runs `fn`, and signs whatever it answers, errors included. */
  const signed = (fn) => async (c) => {
    let merchant
    try {
      const text = await textBody(c)
      const url = new URL(c.req.url)
      let auth
      try {
        auth = await registry.verifier.verifyRequest({ method: c.req.method, url: url.pathname + url.search, headers: c.req.raw.headers, body: text })
      } catch (e) {
        if (!isWechatPayError(e)) throw e
        log.info('v3.sign_error', { reason: e.code })
        return c.json({ code: 'SIGN_ERROR', message: `签名错误: ${e.code}` }, 401)
      }
      merchant = registry.bySerial(auth.serialNo)
      if (!merchant || merchant.mchid !== auth.mchid) return c.json({ code: 'SIGN_ERROR', message: '签名错误: serial_no does not belong to mchid' }, 401)
      const { status = 200, body } = await fn(c, merchant, text)
      return reply(c, merchant, status, body)
    } catch (e) {
      if (!(e instanceof WxError) || !merchant) throw e
      return reply(c, merchant, e.status, { code: e.code, message: e.message })
    }
  }

  async function reply(c, merchant, status, body) {
    const text = body === undefined ? '' : JSON.stringify(body)
    const headers = { ...(await registry.signer(merchant).responseHeaders({ body: text })), 'Request-ID': randomId(12) }
    if (text) headers['content-type'] = 'application/json'
    return c.body(text || null, status, headers)
  }

  const ownTransaction = (merchant, outTradeNo) => {
    const tx = store.transactionByTradeNo(merchant.mchid, outTradeNo)
    if (!tx) throw new WxError(404, 'ORDER_NOT_EXIST', '订单不存在')
    return tx
  }

  app.post('/v3/pay/transactions/jsapi', signed(async (c, merchant, text) => {
    const o = parse(Jsapi, text)
    if (o.mchid !== merchant.mchid) throw new WxError(400, 'PARAM_ERROR', 'mchid differs from the signer\'s')
    if (o.appid !== merchant.appId) throw new WxError(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配')
    if (store.transactionByTradeNo(merchant.mchid, o.out_trade_no)) throw new WxError(400, 'OUT_TRADE_NO_USED', '商户订单号重复')
    const at = now()
    const prepayId = newPrepayId(at)
    store.createTransaction({
      prepayId, mchid: o.mchid, appid: o.appid, outTradeNo: o.out_trade_no, api: 'v3', signType: null, description: o.description,
      amount: o.amount.total, openid: o.payer.openid, notifyUrl: o.notify_url, attach: o.attach ?? null, now: at,
      expiresAt: at + config.prepayTtlSeconds * 1000,
    })
    log.info('transaction.state', { out_trade_no: o.out_trade_no, to: 'NOTPAY', api: 'v3' })
    return { body: { prepay_id: prepayId } }
  }))

  app.get('/v3/pay/transactions/out-trade-no/:outTradeNo', signed(async (c, merchant) => {
    if (c.req.query('mchid') !== merchant.mchid) throw new WxError(400, 'PARAM_ERROR', 'mchid query parameter missing or not the signer\'s')
    return { body: transactionResource(ownTransaction(merchant, c.req.param('outTradeNo'))) }
  }))

  app.post('/v3/pay/transactions/out-trade-no/:outTradeNo/close', signed(async (c, merchant, text) => {
    if (parse(Close, text).mchid !== merchant.mchid) throw new WxError(400, 'PARAM_ERROR', 'mchid differs from the signer\'s')
    const tx = ownTransaction(merchant, c.req.param('outTradeNo'))
    if (tx.state === 'SUCCESS' || tx.state === 'REFUND') throw new WxError(400, 'ORDERPAID', '订单已支付')
    if (store.close(tx.prepay_id)) log.info('transaction.state', { out_trade_no: tx.out_trade_no, from: 'NOTPAY', to: 'CLOSED' })
    return { status: 204 }
  }))

  app.post('/v3/refund/domestic/refunds', signed(async (c, merchant, text) => {
    const r = parse(Refund, text)
    const tx = r.transaction_id ? store.transactionById(merchant.mchid, r.transaction_id) : store.transactionByTradeNo(merchant.mchid, r.out_trade_no)
    if (!tx) throw new WxError(404, 'RESOURCE_NOT_EXISTS', '订单不存在')
    const existing = store.refund(merchant.mchid, r.out_refund_no)
    if (!existing) {
      if (tx.state !== 'SUCCESS' && tx.state !== 'REFUND') throw new WxError(400, 'INVALID_REQUEST', '订单未支付')
      if (r.amount.total !== tx.amount) throw new WxError(400, 'PARAM_ERROR', 'amount.total differs from the order total')
      if (r.amount.refund > tx.amount - store.refundedAmount(tx.prepay_id)) throw new WxError(403, 'NOT_ENOUGH', '退款金额超过可退金额')
      const refund = { refundId: newRefundId(), mchid: merchant.mchid, outRefundNo: r.out_refund_no, prepayId: tx.prepay_id, amount: r.amount.refund, notifyUrl: r.notify_url ?? null, now: now() }
      store.addRefund(refund, refundDelivery(merchant, tx, refund))
      log.info('transaction.state', { out_trade_no: tx.out_trade_no, to: 'REFUND', out_refund_no: r.out_refund_no })
      notifier.kick()
    }
    const refund = store.refund(merchant.mchid, r.out_refund_no)
    if (refund.prepay_id !== tx.prepay_id) throw new WxError(400, 'PARAM_ERROR', 'out_refund_no belongs to another order')
    return {
      body: {
        refund_id: refund.refund_id,
        out_refund_no: refund.out_refund_no,
        transaction_id: tx.transaction_id,
        out_trade_no: tx.out_trade_no,
        channel: 'ORIGINAL',
        user_received_account: '支付用户零钱',
        create_time: rfc3339(refund.created_at),
        status: 'PROCESSING',
        amount: { total: tx.amount, refund: refund.amount, payer_total: tx.amount, payer_refund: refund.amount, currency: 'CNY' },
      },
    }
  }))
}
