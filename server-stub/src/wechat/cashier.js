// The cashier: what the WeChat client does inside wx.requestPayment. Preview shows the order; confirm checks the
// prepay_id and the paySign as WeChat does, marks the transaction paid and queues its notification; cancel
// changes nothing, so the same params can be paid later.
import { z } from 'zod'
import { ApiError, jsonBody } from '../http.js'
import { paymentDelivery } from './events.js'
import { newTransactionId } from './ids.js'
import { paySignFailure } from './pay-sign.js'

const pkg = z.string().regex(/^prepay_id=[\w-]{1,64}$/, 'prepay_id=…')
const PackageBody = z.object({ package: pkg }).strict()
const PayParams = z.object({
  timeStamp: z.string().regex(/^\d{1,12}$/),
  nonceStr: z.string().min(1).max(32),
  package: pkg,
  signType: z.enum(['MD5', 'HMAC-SHA256', 'RSA']),
  paySign: z.string().min(1).max(1024),
}).strict()

class PayFailure extends Error {
  constructor(status, code, reason) {
    super(reason)
    this.status = status
    this.code = code
  }
}

export function cashierRoutes(app, { store, registry, notifier, log, now }) {
  /** The open transaction behind a package, or why it cannot be paid. */
  const openTransaction = (packageValue) => {
    const tx = store.transaction(packageValue.slice('prepay_id='.length))
    if (!tx) throw new PayFailure(404, 'PREPAY_NOT_FOUND', 'prepay_id 不存在')
    if (tx.state === 'SUCCESS' || tx.state === 'REFUND') throw new PayFailure(409, 'ORDERPAID', '该订单已支付')
    if (tx.state === 'CLOSED') throw new PayFailure(409, 'ORDER_CLOSED', '该订单已关闭')
    if (tx.expires_at <= now()) throw new PayFailure(404, 'PREPAY_EXPIRED', 'prepay_id 已过期')
    return tx
  }

  app.post('/sim/cashier/preview', async (c) => {
    const { package: p } = await jsonBody(c, PackageBody)
    try {
      const tx = openTransaction(p)
      return c.json({ merchantName: registry.byMchid(tx.mchid).name, description: tx.description, amount: tx.amount })
    } catch (e) {
      if (!(e instanceof PayFailure)) throw e
      return c.json({ code: e.code, message: e.message }, e.status)
    }
  })

  // Failures answer as wx.requestPayment's fail callback would ({errMsg}), with {code, message} beside it.
  app.post('/sim/cashier/confirm', async (c) => {
    const fail = (status, code, reason) => c.json({ errMsg: `requestPayment:fail ${reason}`, code, message: reason }, status)
    let params
    try {
      params = await jsonBody(c, PayParams)
    } catch (e) {
      if (!(e instanceof ApiError)) throw e
      return fail(e.status, e.code, e.message)
    }
    let tx
    try {
      tx = openTransaction(params.package)
    } catch (e) {
      if (!(e instanceof PayFailure)) throw e
      return fail(400, e.code, e.message)
    }
    const merchant = registry.byMchid(tx.mchid)
    const reason = await paySignFailure(tx, merchant, params, registry.verifier)
    if (reason) {
      log.info('cashier.rejected', { out_trade_no: tx.out_trade_no, reason })
      return fail(400, 'SIGN_ERROR', reason)
    }
    const transactionId = newTransactionId()
    if (!store.pay(tx.prepay_id, transactionId, now(), (paid) => paymentDelivery(merchant, paid, now()))) {
      return fail(400, 'ORDERPAID', '该订单已支付')
    }
    log.info('transaction.state', { out_trade_no: tx.out_trade_no, from: 'NOTPAY', to: 'SUCCESS', transaction_id: transactionId })
    notifier.kick()
    return c.json({ errMsg: 'requestPayment:ok' })
  })

  app.post('/sim/cashier/cancel', async (c) => {
    await jsonBody(c, PackageBody)
    log.info('cashier.cancel')
    return c.json({ errMsg: 'requestPayment:fail cancel' })
  })
}
