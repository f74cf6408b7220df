// The cashier: what the WeChat client does when a buyer pays. JSAPI / mini program (wx.requestPayment's five
// params), APP (the OpenSDK PayReq), Native (scanning code_url) and H5 (opening h5_url). Each is paid *as the
// logged-in WeChat user* (`payer`, the `user` of /sim/wx/login): a JSAPI order belongs to the openid it was
// placed for, and WeChat refuses anyone else ("下单账号与支付账号不一致"). Preview shows the order; confirm checks
// the prepay_id and the signature as WeChat does, marks the transaction paid and queues its notification;
// cancel changes nothing, so the same params can be paid later.
import { createVerify } from 'node:crypto'
import { z } from 'zod'
import { ApiError, jsonBody } from '../http.js'
import { paymentDelivery } from './events.js'
import { newTransactionId, openidFor } from './ids.js'
import { paySignFailure } from './pay-sign.js'

const prepayId = z.string().regex(/^[\w-]{1,64}$/)
const pkg = z.string().regex(/^prepay_id=[\w-]{1,64}$/, 'prepay_id=…')
export const USER = /^[\w.@-]{1,32}$/
const payer = z.string().regex(USER, 'the logged-in WeChat user (the user of /sim/wx/login): letters, digits, _ . @ -, at most 32').optional()
const PackageBody = z.object({ package: pkg }).strict()
const PayParams = z.object({
  timeStamp: z.string().regex(/^\d{1,12}$/),
  nonceStr: z.string().min(1).max(32),
  package: pkg,
  signType: z.enum(['MD5', 'HMAC-SHA256', 'RSA']),
  paySign: z.string().min(1).max(1024),
  payer,
}).strict()
// The OpenSDK PayReq, as the APP passes it to WeChat (pay.weixin.qq.com/doc/v3/merchant/4013070158).
const AppParams = z.object({
  appid: z.string().min(1).max(32),
  partnerid: z.string().min(1).max(32),
  prepayid: prepayId,
  package: z.literal('Sign=WXPay'),
  noncestr: z.string().min(1).max(32),
  timestamp: z.string().regex(/^\d{1,12}$/),
  sign: z.string().min(1).max(1024),
  payer,
}).strict()
const NativeBody = z.object({ code_url: z.string().regex(/^weixin:\/\/wxpay\/bizpayurl\?pr=[\w-]{1,64}$/, 'weixin://wxpay/bizpayurl?pr=…'), payer }).strict()
const H5Body = z.object({ h5_url: z.string().max(2048), payer }).strict()

class PayFailure extends Error {
  constructor(status, code, reason) {
    super(reason)
    this.status = status
    this.code = code
  }
}

export function cashierRoutes(app, { store, registry, notifier, log, now }) {
  /** The open transaction behind a prepay_id, or why it cannot be paid. */
  const openTransaction = (id, tradeType) => {
    const tx = store.transaction(id)
    if (!tx) throw new PayFailure(404, 'PREPAY_NOT_FOUND', 'prepay_id 不存在')
    if (tx.state === 'SUCCESS' || tx.state === 'REFUND') throw new PayFailure(409, 'ORDERPAID', '该订单已支付')
    if (tx.state === 'CLOSED' || (tx.time_expire && tx.time_expire <= now())) throw new PayFailure(409, 'ORDER_CLOSED', '该订单已关闭')
    if (tx.expires_at <= now()) throw new PayFailure(404, 'PREPAY_EXPIRED', 'prepay_id 已过期')
    if (tradeType && tx.trade_type !== tradeType) throw new PayFailure(400, 'TRADE_TYPE_MISMATCH', `该订单的交易类型是 ${tx.trade_type}，不能以 ${tradeType} 方式支付`)
    return tx
  }
  /** The merchant that placed `tx`: the direct merchant, or the service provider. */
  const placedBy = (tx) => registry.byMchid(tx.sp_mchid ?? tx.mchid)
  /** The app the buyer pays in: partner orders for a sub_openid are paid in the sub-merchant's app. */
  const payingApp = (tx) => (tx.sp_mchid && tx.payer_field === 'sub_openid' ? tx.sub_appid : tx.appid)

  /** Pays `tx` as `user`, queueing the notification in the same database transaction. */
  function pay(tx, user) {
    const openid = openidFor(payingApp(tx), user)
    const transactionId = newTransactionId()
    if (!store.pay(tx.prepay_id, { transactionId, openid, user }, now(), (paid) => paymentDelivery(placedBy(paid), paid, now()))) {
      throw new PayFailure(400, 'ORDERPAID', '该订单已支付')
    }
    log.info('transaction.state', { out_trade_no: tx.out_trade_no, from: 'NOTPAY', to: 'SUCCESS', transaction_id: transactionId })
    notifier.kick()
  }
  const requirePayer = (p) => {
    if (!p) throw new PayFailure(400, 'PAYER_REQUIRED', '未登录微信：请传入付款的微信用户 payer (the user of /sim/wx/login)')
    return p
  }

  app.post('/sim/cashier/preview', async (c) => {
    const { package: p } = await jsonBody(c, PackageBody)
    try {
      const tx = openTransaction(p.slice('prepay_id='.length))
      return c.json({ merchantName: registry.party(tx.mchid)?.name ?? tx.mchid, description: tx.description, amount: tx.amount })
    } catch (e) {
      if (!(e instanceof PayFailure)) throw e
      return c.json({ code: e.code, message: e.message }, e.status)
    }
  })

  /** A confirm route: failures answer as the client's fail callback would (`fail(e)`), with {code, message}. */
  const confirm = (schema, fail, fn) => async (c) => {
    let params
    try {
      params = await jsonBody(c, schema)
    } catch (e) {
      if (!(e instanceof ApiError)) throw e
      return c.json({ ...fail(e.message), code: e.code, message: e.message }, e.status)
    }
    try {
      return c.json(await fn(params))
    } catch (e) {
      if (!(e instanceof PayFailure)) throw e
      log.info('cashier.rejected', { code: e.code })
      return c.json({ ...fail(e.message), code: e.code, message: e.message }, 400)
    }
  }

  const jsapiFail = (reason) => ({ errMsg: `requestPayment:fail ${reason}` })
  app.post('/sim/cashier/confirm', confirm(PayParams, jsapiFail, async (params) => {
    const tx = openTransaction(params.package.slice('prepay_id='.length), 'JSAPI')
    const reason = await paySignFailure(tx, placedBy(tx), params, registry.verifier, payingApp(tx))
    if (reason) throw new PayFailure(400, 'SIGN_ERROR', reason)
    const user = requirePayer(params.payer)
    if (openidFor(payingApp(tx), user) !== tx.openid) throw new PayFailure(400, 'PAYER_MISMATCH', '下单账号与支付账号不一致，请核实后再支付')
    pay(tx, user)
    return { errMsg: 'requestPayment:ok' }
  }))

  // OpenSDK's BaseResp: errCode 0 success, -1 error, -2 cancelled.
  const appFail = (reason) => ({ errCode: -1, errStr: reason })
  app.post('/sim/cashier/app', confirm(AppParams, appFail, async (p) => {
    const tx = openTransaction(p.prepayid, 'APP')
    const m = placedBy(tx)
    if (p.partnerid !== m.mchid || p.appid !== payingApp(tx)) throw new PayFailure(400, 'SIGN_ERROR', '支付验证签名失败 (appid or partnerid is not the order\'s)')
    // sign: SHA256withRSA over appid\ntimestamp\nnoncestr\nprepayid\n with the key that placed the order.
    const ok = createVerify('RSA-SHA256').update(`${p.appid}\n${p.timestamp}\n${p.noncestr}\n${p.prepayid}\n`).verify(m.merchantPublicKey, p.sign, 'base64')
    if (!ok) throw new PayFailure(400, 'SIGN_ERROR', '支付验证签名失败')
    pay(tx, requirePayer(p.payer))
    return { errCode: 0, errStr: '' }
  }))

  const scanFail = (reason) => ({ errMsg: `pay:fail ${reason}` })
  app.post('/sim/cashier/native', confirm(NativeBody, scanFail, async (p) => {
    const tx = openTransaction(p.code_url.slice(p.code_url.indexOf('pr=') + 3), 'NATIVE')
    pay(tx, requirePayer(p.payer))
    return { errMsg: 'pay:ok' }
  }))

  app.post('/sim/cashier/h5', confirm(H5Body, scanFail, async (p) => {
    let id
    try {
      const u = new URL(p.h5_url)
      if (u.pathname !== '/sim/checkmweb') throw new Error('not an h5_url')
      id = prepayId.parse(u.searchParams.get('prepay_id'))
    } catch {
      throw new PayFailure(400, 'INVALID_REQUEST', 'h5_url 不是模拟器下发的支付链接')
    }
    const tx = openTransaction(id, 'MWEB')
    pay(tx, requirePayer(p.payer))
    return { errMsg: 'pay:ok' }
  }))

  app.post('/sim/cashier/cancel', async (c) => {
    await jsonBody(c, PackageBody)
    log.info('cashier.cancel')
    return c.json({ errMsg: 'requestPayment:fail cancel' })
  })
}
