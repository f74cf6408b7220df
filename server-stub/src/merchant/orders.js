// Orders: priced here from the catalog (never by the client), stored before WeChat hears of them, then a
// prepay_id and the signed wx.requestPayment params. Close and refund go through WeChat first.
import { z } from 'zod'
import { ApiError, jsonBody, randomId } from '../http.js'
import { MAX_QUANTITY, findProduct } from './catalog.js'
import { GatewayError } from './gateway-error.js'
import { requireSession } from './auth.js'

const CreateOrder = z.object({
  productId: z.string().min(1).max(64),
  quantity: z.number().int().min(1).max(MAX_QUANTITY),
}).strict()

// out_trade_no: ≤ 32 of [0-9A-Za-z_-|*], unique per merchant; a time prefix keeps them sortable in bills.
const tradeNo = (prefix, at) => `${prefix}${new Date(at).toISOString().replace(/\D/g, '').slice(0, 14)}${randomId(9)}`

const view = (o) => ({ orderId: o.id, state: o.state, amount: o.amount, ...(o.transaction_id ? { transactionId: o.transaction_id } : {}) })

function wechatFailure(e, what) {
  if (!(e instanceof GatewayError)) throw e
  return new ApiError(502, 'WECHATPAY_ERROR', `${what}: WeChat Pay said ${e.code}: ${e.message}`)
}

export function orderRoutes(app, { store, gateway, payments, log, now }) {
  app.use('/api/orders', requireSession({ store, now }))
  app.use('/api/orders/*', requireSession({ store, now }))

  const ownOrder = (c) => {
    const order = store.order(c.req.param('orderId'))
    if (!order || order.openid !== c.get('openid')) throw new ApiError(404, 'ORDER_NOT_FOUND', 'no such order for this session')
    return order
  }

  app.post('/api/orders', async (c) => {
    const { productId, quantity } = await jsonBody(c, CreateOrder)
    const product = findProduct(productId)
    if (!product) throw new ApiError(404, 'PRODUCT_NOT_FOUND', 'no such product')
    const at = now()
    const order = {
      id: randomId(12),
      outTradeNo: tradeNo('ST', at),
      openid: c.get('openid'),
      productId,
      quantity,
      amount: product.price * quantity,
      description: `${product.name} × ${quantity}`,
      api: gateway.api,
      now: at,
    }
    store.createOrder(order)
    log.info('order.state', { order: order.id, to: 'CREATED', amount: order.amount, api: order.api })
    let prepayId, payParams
    try {
      prepayId = await gateway.prepay(order)
      payParams = await gateway.payParams(prepayId)
    } catch (e) {
      // Nobody can pay an order without a prepay_id: close it so it is not left dangling.
      if (store.close(order.id, 'PREPAY_FAILED', now())) log.info('order.state', { order: order.id, from: 'CREATED', to: 'CLOSED', reason: 'PREPAY_FAILED' })
      throw wechatFailure(e, 'the order could not be placed')
    }
    store.setPrepay(order.id, prepayId, now())
    return c.json({ orderId: order.id, outTradeNo: order.outTradeNo, amount: order.amount, description: order.description, payParams }, 201)
  })

  app.get('/api/orders/:orderId', (c) => c.json(view(ownOrder(c))))

  app.post('/api/orders/:orderId/close', async (c) => {
    let order = ownOrder(c)
    if (order.state === 'CREATED') {
      try {
        // The payer may have paid a moment ago: ask first, so a paid order is never closed.
        const q = await gateway.query(order.out_trade_no)
        if (q.tradeState === 'SUCCESS') {
          payments.fromQuery(order.out_trade_no, q)
        } else {
          // Already CLOSED at WeChat (a close that failed halfway before): only our side is left to do.
          if (q.tradeState !== 'CLOSED') await gateway.close(order.out_trade_no)
          if (store.close(order.id, 'MERCHANT_CLOSED', now())) log.info('order.state', { order: order.id, from: 'CREATED', to: 'CLOSED' })
        }
      } catch (e) {
        throw wechatFailure(e, 'the order could not be closed')
      }
      order = store.order(order.id)
    }
    if (order.state !== 'CLOSED') throw new ApiError(409, 'ORDER_PAID', `the order is ${order.state} and cannot be closed`)
    return c.json(view(order))
  })

  app.post('/api/orders/:orderId/refund', async (c) => {
    const order = ownOrder(c)
    let refund = store.refundOfOrder(order.id)
    if (!refund) {
      if (order.state !== 'PAID') throw new ApiError(409, 'ORDER_NOT_PAID', `the order is ${order.state}: only a paid order can be refunded`)
      if (!gateway.refund) throw new ApiError(501, 'NOT_SUPPORTED', `refunds are not available to API ${gateway.api} merchants here`)
      const outRefundNo = tradeNo('RF', now())
      store.startRefund(outRefundNo, order, now())
      log.info('refund.state', { order: order.id, out_refund_no: outRefundNo, to: 'PROCESSING' })
      try {
        const r = await gateway.refund({ outTradeNo: order.out_trade_no, outRefundNo, amount: order.amount })
        store.setRefundId(outRefundNo, r.refundId, now())
      } catch (e) {
        // Left PROCESSING: WeChat may have taken it; its refund notification (or a retry of this call) settles it.
        throw wechatFailure(e, 'the refund could not be requested')
      }
      refund = store.refundOfOrder(order.id)
    }
    return c.json({ ...view(store.order(order.id)), refund: { outRefundNo: refund.out_refund_no, state: refund.state, amount: refund.amount } }, 202)
  })
}
