// Orders: priced here from the catalog (never by the client), stored before WeChat hears of them, then a
// prepay_id and the signed wx.requestPayment params. Sync, close and refund go through WeChat first.
import { z } from 'zod'
import { ApiError, jsonBody, randomId } from '../http.js'
import { requireSession } from './auth.js'
import { MAX_QUANTITY, findProduct } from './catalog.js'
import { GatewayError } from './gateway-error.js'

const CreateOrder = z.object({
  productId: z.string().min(1).max(64),
  quantity: z.number().int().min(1).max(MAX_QUANTITY),
}).strict()

/** The most orders GET /api/orders lists. */
const ORDER_LIST_LIMIT = 50

// out_trade_no: ≤ 32 of [0-9A-Za-z_-|*], unique per merchant; a time prefix keeps them sortable in bills.
const tradeNo = (prefix, at) => `${prefix}${new Date(at).toISOString().replace(/\D/g, '').slice(0, 14)}${randomId(9)}`
// Order ids are randomId(12): anything else is no order of ours, without asking the database.
const ORDER_ID = /^[A-Za-z0-9_-]{16}$/

/** An order as the mini program sees it. */
const orderView = (o) => ({
  orderId: o.id,
  outTradeNo: o.out_trade_no,
  state: o.state,
  amount: o.amount,
  description: o.description,
  productId: o.product_id,
  quantity: o.quantity,
  createdAt: new Date(o.created_at).toISOString(),
  ...(o.transaction_id ? { transactionId: o.transaction_id } : {}),
  ...(o.refund_no ? { refund: { outRefundNo: o.refund_no, state: o.refund_state, amount: o.refund_amount } } : {}),
})

/** A failed call to WeChat as the answer to the mini program: 504 when WeChat did not answer in time, else 502. */
function wechatFailure(e, what) {
  if (!(e instanceof GatewayError)) throw e
  if (e.code === 'WECHAT_TIMEOUT') return new ApiError(504, 'WECHATPAY_TIMEOUT', `${what}: WeChat Pay did not answer in time; try again`)
  return new ApiError(502, 'WECHATPAY_ERROR', `${what}: WeChat Pay said ${e.code}: ${e.message}`)
}

export function orderRoutes(app, { store, gateway, payments, log, now }) {
  app.use('/api/orders', requireSession({ store, now }))
  app.use('/api/orders/*', requireSession({ store, now }))

  const ownOrder = async (c) => {
    const id = c.req.param('orderId')
    const order = ORDER_ID.test(id) ? await store.order(id) : null
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
    await store.createOrder(order)
    log.info('order.state', { order: order.id, to: 'CREATED', amount: order.amount, api: order.api })
    let prepayId, payParams
    try {
      ({ prepayId, payParams } = await gateway.prepay(order))
    } catch (e) {
      // Nobody can pay an order without a prepay_id: close it so it is not left dangling.
      if (await store.close(order.id, 'PREPAY_FAILED', now())) log.info('order.state', { order: order.id, from: 'CREATED', to: 'CLOSED', reason: 'PREPAY_FAILED' })
      throw wechatFailure(e, 'the order could not be placed')
    }
    await store.setPrepay(order.id, prepayId, now())
    return c.json({ orderId: order.id, outTradeNo: order.outTradeNo, amount: order.amount, description: order.description, payParams }, 201)
  })

  app.get('/api/orders', async (c) => c.json((await store.ordersOf(c.get('openid'), ORDER_LIST_LIMIT)).map(orderView)))

  app.get('/api/orders/:orderId', async (c) => c.json(orderView(await ownOrder(c))))

  // After wx.requestPayment says ok, or whenever the page wants the truth: a CREATED order is checked with WeChat
  // (rate-limited per order), so a lost notification never leaves a paid order unpaid.
  app.post('/api/orders/:orderId/sync', async (c) => {
    const order = await ownOrder(c)
    try {
      await payments.reconcile(order)
    } catch (e) {
      throw wechatFailure(e, 'the order could not be checked')
    }
    return c.json(orderView(await store.order(order.id)))
  })

  app.post('/api/orders/:orderId/close', async (c) => {
    let order = await ownOrder(c)
    if (order.state === 'CREATED') {
      try {
        // The payer may have paid a moment ago: ask first, so a paid order is never closed.
        const q = await gateway.query(order.out_trade_no)
        if (q.tradeState === 'SUCCESS') {
          await payments.fromQuery(order, q)
        } else {
          // Already CLOSED at WeChat (a close that failed halfway before): only our side is left to do.
          if (q.tradeState !== 'CLOSED') await gateway.close(order.out_trade_no)
          if (await store.close(order.id, 'MERCHANT_CLOSED', now())) log.info('order.state', { order: order.id, from: 'CREATED', to: 'CLOSED' })
        }
      } catch (e) {
        throw wechatFailure(e, 'the order could not be closed')
      }
      order = await store.order(order.id)
    }
    if (order.state !== 'CLOSED') throw new ApiError(409, 'ORDER_PAID', `the order is ${order.state} and cannot be closed`)
    return c.json(orderView(order))
  })

  app.post('/api/orders/:orderId/refund', async (c) => {
    const order = await ownOrder(c)
    let refund = await store.refundOfOrder(order.id)
    if (!refund) {
      if (order.state !== 'PAID') throw new ApiError(409, 'ORDER_NOT_PAID', `the order is ${order.state}: only a paid order can be refunded`)
      if (!gateway.refund) throw new ApiError(501, 'NOT_SUPPORTED', `refunds are not available to API ${gateway.api} merchants here`)
      refund = await store.startRefund(tradeNo('RF', now()), order.id, now())
      if (!refund) throw new ApiError(409, 'ORDER_NOT_PAID', 'the order is no longer paid')
      log.info('refund.state', { order: order.id, out_refund_no: refund.out_refund_no, to: 'PROCESSING' })
    }
    // New, or not answered by WeChat yet (the last call failed or timed out): (re)submit, same out_refund_no.
    if (refund.state === 'PROCESSING' && !refund.refund_id) {
      try {
        await payments.submitRefund(refund, order.out_trade_no)
      } catch (e) {
        throw wechatFailure(e, 'the refund could not be requested')
      }
    }
    return c.json(orderView(await store.order(order.id)), 202)
  })
}
