// API v3 domestic refunds: create, query, and the abnormal-refund application (whose bank fields arrive
// encrypted to WeChat's key, announced by Wechatpay-Serial). pay.weixin.qq.com/doc/v3/merchant/4012552567,
// 4012556645, 4012556678; partner: doc/v3/partner/4012709253 (the same paths with sub_mchid).
// Idempotent by out_refund_no: the same number with the same amounts is the same refund ("同一退款单号多次请求只退一笔").
import { z } from 'zod'
import { isPaid, refundDelivery, refundResource } from './events.js'
import { newRefundId } from './ids.js'
import { notifyUrl, parse, WxError } from './v3.js'

const MAX_REFUNDS_PER_ORDER = 50
const Refund = z.object({
  sub_mchid: z.string().min(1).max(32).optional(),
  transaction_id: z.string().min(1).max(32).optional(),
  out_trade_no: z.string().min(1).max(32).optional(),
  out_refund_no: z.string().regex(/^[0-9A-Za-z_\-|*@]{1,64}$/, '1-64 of 0-9 A-Z a-z _ - | * @'),
  reason: z.string().max(80).optional(),
  notify_url: notifyUrl(256).optional(),
  funds_account: z.enum(['AVAILABLE', 'UNSETTLED']).optional(),
  amount: z.object({
    refund: z.number().int().min(1),
    total: z.number().int().min(1),
    currency: z.literal('CNY'),
    from: z.array(z.object({ account: z.enum(['AVAILABLE', 'UNAVAILABLE']), amount: z.number().int().min(1) })).optional(),
  }),
  goods_detail: z.array(z.object({
    merchant_goods_id: z.string().min(1).max(32),
    wechatpay_goods_id: z.string().max(32).optional(),
    goods_name: z.string().max(256).optional(),
    unit_price: z.number().int().min(0),
    refund_amount: z.number().int().min(0),
    refund_quantity: z.number().int().min(1),
  })).optional(),
}).refine((r) => Boolean(r.transaction_id) !== Boolean(r.out_trade_no), { message: 'transaction_id 和 out_trade_no 必须且只能填一个', path: ['out_trade_no'] })
  .refine((r) => !r.amount.from || r.amount.from.reduce((s, f) => s + f.amount, 0) === r.amount.refund, { message: 'amount.from 之和须等于 amount.refund', path: ['amount', 'from'] })

const Abnormal = z.object({
  sub_mchid: z.string().min(1).max(32).optional(),
  out_refund_no: z.string().min(1).max(64),
  type: z.enum(['USER_BANK_CARD', 'MERCHANT_BANK_CARD']),
  bank_type: z.string().max(32).optional(),
  bank_account: z.string().max(1024).optional(),
  real_name: z.string().max(1024).optional(),
}).refine((a) => a.type !== 'USER_BANK_CARD' || (a.bank_type && a.bank_account && a.real_name), { message: 'USER_BANK_CARD 需要 bank_type、bank_account、real_name', path: ['bank_account'] })

export function refundRoutes(app, { v3, store, registry, notifier, log, now }) {
  /** The merchant whose orders the call is about: the signer, or (partner) its sub-merchant `sub_mchid`. */
  function orderMerchant(m, subMchid) {
    if (subMchid === undefined) return { mchid: m.mchid, partner: false }
    const s = registry.subMerchant(m, subMchid)
    if (!s) throw new WxError(400, 'INVALID_REQUEST', '受理关系不存在 (sub_mchid is not a sub-merchant of sp_mchid)')
    return { mchid: s.mchid, partner: true }
  }
  const belongs = (m, owner, tx) => tx && (owner.partner ? tx.sp_mchid === m.mchid : !tx.sp_mchid)

  app.post('/v3/refund/domestic/refunds', v3.signed(async (c, m, text) => {
    const r = parse(Refund, text)
    const owner = orderMerchant(m, r.sub_mchid)
    const tx = r.transaction_id ? store.transactionById(owner.mchid, r.transaction_id) : store.transactionByTradeNo(owner.mchid, r.out_trade_no)
    if (!belongs(m, owner, tx) || !isPaid(tx)) throw new WxError(404, 'RESOURCE_NOT_EXISTS', '订单不存在')
    const existing = store.refund(owner.mchid, r.out_refund_no)
    if (existing) {
      if (existing.prepay_id !== tx.prepay_id) throw new WxError(400, 'INVALID_REQUEST', '退款单号已用于其他订单 (out_refund_no belongs to another order)')
      if (existing.amount !== r.amount.refund || (existing.total ?? tx.amount) !== r.amount.total) {
        throw new WxError(400, 'INVALID_REQUEST', '订单金额或退款金额与之前请求不一致，请核实后再试')
      }
      return { body: refundResource(tx, existing) }
    }
    if (r.amount.total !== tx.amount) throw new WxError(400, 'PARAM_ERROR', '订单金额与实际不一致 (amount.total is not the order total)', { location: 'body', field: 'amount.total' })
    const refunded = store.refundedAmount(tx.prepay_id)
    if (refunded >= tx.amount) throw new WxError(400, 'INVALID_REQUEST', '订单已全额退款')
    if (r.amount.refund > tx.amount - refunded) throw new WxError(400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额')
    if (store.refundsOf(tx.prepay_id).length >= MAX_REFUNDS_PER_ORDER) throw new WxError(400, 'INVALID_REQUEST', '部分退款次数超过限制 (50)')
    const at = now()
    const status = m.quirks.has('refund-abnormal') ? 'ABNORMAL' : 'SUCCESS'
    const row = {
      refund_id: newRefundId(), out_refund_no: r.out_refund_no, amount: r.amount.refund, total: r.amount.total, status,
      created_at: at, success_at: status === 'SUCCESS' ? at : null, notify_url: r.notify_url ?? null, funds_account: r.funds_account ?? null,
    }
    store.addRefund(
      { refundId: row.refund_id, mchid: owner.mchid, outRefundNo: row.out_refund_no, prepayId: tx.prepay_id, amount: row.amount, total: row.total, notifyUrl: row.notify_url, now: at, status, successAt: row.success_at, reason: r.reason ?? null, fundsAccount: row.funds_account },
      refundDelivery(m, tx, row, at),
    )
    log.info('refund.state', { out_trade_no: tx.out_trade_no, out_refund_no: r.out_refund_no, to: status })
    notifier.kick()
    // Accepted, not done: the outcome comes from the query or the notification.
    return { body: { ...refundResource(tx, row), status: 'PROCESSING', success_time: undefined } }
  }))

  app.get('/v3/refund/domestic/refunds/:outRefundNo', v3.signed(async (c, m) => {
    const owner = orderMerchant(m, c.req.query('sub_mchid'))
    const r = store.refund(owner.mchid, c.req.param('outRefundNo'))
    const tx = r && store.transaction(r.prepay_id)
    if (!belongs(m, owner, tx)) throw new WxError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在')
    return { body: refundResource(tx, r) }
  }))

  app.post('/v3/refund/domestic/refunds/:refundId/apply-abnormal-refund', v3.signed(async (c, m, text) => {
    const a = parse(Abnormal, text)
    const owner = orderMerchant(m, a.sub_mchid)
    const r = store.refundById(owner.mchid, c.req.param('refundId'))
    const tx = r && store.transaction(r.prepay_id)
    if (!belongs(m, owner, tx) || r.out_refund_no !== a.out_refund_no) throw new WxError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在')
    let account
    if (a.bank_account || a.real_name) {
      // Encrypted fields: Wechatpay-Serial names the WeChat Pay key they were encrypted to.
      const serial = c.req.header('wechatpay-serial')
      if (!serial) throw new WxError(400, 'PARAM_ERROR', '请求包含加密的敏感信息，请求头 Wechatpay-Serial 必填', { location: 'header', field: 'Wechatpay-Serial' })
      if (serial !== registry.encryptionSerial(m)) throw new WxError(400, 'PARAM_ERROR', `Wechatpay-Serial ${serial} 不是可用的微信支付公钥ID或平台证书序列号`, { location: 'header', field: 'Wechatpay-Serial' })
      const bankAccount = a.bank_account && registry.decryptSensitive(m, serial, a.bank_account)
      const realName = a.real_name && registry.decryptSensitive(m, serial, a.real_name)
      if ((a.bank_account && !bankAccount) || (a.real_name && !realName)) throw new WxError(400, 'PARAM_ERROR', '敏感信息解密失败，请使用 Wechatpay-Serial 对应的公钥以 RSA-OAEP (SHA-1) 加密')
      account = bankAccount ? `${a.bank_type || '银行卡'}${bankAccount.slice(-4)}` : null
    }
    if (r.status !== 'ABNORMAL') throw new WxError(400, 'INVALID_REQUEST', '退款单状态不是异常，无需发起异常退款')
    const at = now()
    store.settleRefund(r.refund_id, account ?? '商户基本账户', at, (settled) => refundDelivery(m, tx, settled, at))
    log.info('refund.state', { out_refund_no: r.out_refund_no, from: 'ABNORMAL', to: 'SUCCESS' })
    notifier.kick()
    return { body: { ...refundResource(tx, store.refundById(owner.mchid, r.refund_id)), status: 'PROCESSING', success_time: undefined } }
  }))
}
