// API v3 query and close, direct and partner (pay.weixin.qq.com/doc/v3/merchant/4013070356, 4013070354,
// 4012791861; doc/v3/partner/4012526017…): an unpaid order can only be queried by out_trade_no; close is
// re-entrant and answers 204 (an empty, signed body), also for an out_trade_no WeChat never saw.
import { z } from 'zod'
import { isPaid, transactionResource } from './events.js'
import { parse, requireQueryMchid, WxError } from './v3.js'

const Close = z.object({ mchid: z.string().min(1).max(32) })
const PartnerClose = z.object({ sp_mchid: z.string().min(1).max(32), sub_mchid: z.string().min(1).max(32) })
const notFound = () => new WxError(404, 'ORDER_NOT_EXIST', '订单不存在')

export function transactionRoutes(app, { v3, store, registry, log, now }) {
  const direct = (tx) => (tx && !tx.sp_mchid ? tx : undefined)
  const ofPartner = (m, tx) => (tx && tx.sp_mchid === m.mchid ? tx : undefined)
  /** The sub-merchant named by `sub_mchid` (query or body) of service provider `m`. */
  const sub = (m, subMchid) => {
    const s = registry.subMerchant(m, subMchid)
    if (!s) throw new WxError(400, 'INVALID_REQUEST', '受理关系不存在 (sub_mchid is not a sub-merchant of sp_mchid)')
    return s
  }

  app.get('/v3/pay/transactions/out-trade-no/:outTradeNo', v3.signed(async (c, m) => {
    requireQueryMchid(c, 'mchid', m.mchid)
    const tx = direct(store.transactionByTradeNo(m.mchid, c.req.param('outTradeNo')))
    if (!tx) throw notFound()
    return { body: transactionResource(tx, now()) }
  }))

  app.get('/v3/pay/transactions/id/:transactionId', v3.signed(async (c, m) => {
    requireQueryMchid(c, 'mchid', m.mchid)
    const tx = direct(store.transactionById(m.mchid, c.req.param('transactionId')))
    if (!tx) throw notFound()
    return { body: transactionResource(tx, now()) }
  }))

  app.get('/v3/pay/partner/transactions/out-trade-no/:outTradeNo', v3.signed(async (c, m) => {
    requireQueryMchid(c, 'sp_mchid', m.mchid)
    const s = sub(m, c.req.query('sub_mchid'))
    const tx = ofPartner(m, store.transactionByTradeNo(s.mchid, c.req.param('outTradeNo')))
    if (!tx) throw notFound()
    return { body: transactionResource(tx, now()) }
  }))

  app.get('/v3/pay/partner/transactions/id/:transactionId', v3.signed(async (c, m) => {
    requireQueryMchid(c, 'sp_mchid', m.mchid)
    const s = sub(m, c.req.query('sub_mchid'))
    const tx = ofPartner(m, store.transactionById(s.mchid, c.req.param('transactionId')))
    if (!tx) throw notFound()
    return { body: transactionResource(tx, now()) }
  }))

  /** Closes `tx` (or remembers an unknown number as closed); 400 ORDERPAID once paid. */
  function close(mchid, outTradeNo, tx) {
    if (!tx) {
      store.closeUnknownTradeNo(mchid, outTradeNo, now())
      return { status: 204 }
    }
    if (isPaid(tx)) throw new WxError(400, 'ORDERPAID', '订单已支付')
    if (store.close(tx.prepay_id, now())) log.info('transaction.state', { out_trade_no: tx.out_trade_no, from: 'NOTPAY', to: 'CLOSED' })
    return { status: 204 }
  }

  app.post('/v3/pay/transactions/out-trade-no/:outTradeNo/close', v3.signed(async (c, m, text) => {
    if (parse(Close, text).mchid !== m.mchid) throw new WxError(400, 'PARAM_ERROR', 'mchid 与签名商户号不一致 (mchid is not the signer\'s)', { location: 'body', field: 'mchid' })
    const no = c.req.param('outTradeNo')
    return close(m.mchid, no, direct(store.transactionByTradeNo(m.mchid, no)))
  }))

  app.post('/v3/pay/partner/transactions/out-trade-no/:outTradeNo/close', v3.signed(async (c, m, text) => {
    const b = parse(PartnerClose, text)
    if (b.sp_mchid !== m.mchid) throw new WxError(400, 'PARAM_ERROR', 'sp_mchid 与签名商户号不一致 (sp_mchid is not the signer\'s)', { location: 'body', field: 'sp_mchid' })
    const s = sub(m, b.sub_mchid)
    const no = c.req.param('outTradeNo')
    return close(s.mchid, no, ofPartner(m, store.transactionByTradeNo(s.mchid, no)))
  }))
}
