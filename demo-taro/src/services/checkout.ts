// 立即下单 → order → wx.requestPayment → ask the merchant. Pages only render what these return.
import { ApiError, CreatedOrder, OrderStatus, createOrder, describeError, getOrder } from './merchant'
import { ensureLogin } from './session'
import * as wx from './wx'

// payParams of orders created in this run, so a cancelled payment can be retried for the same order.
const created = new Map<string, CreatedOrder>()

export async function placeOrder(productId: string, quantity: number): Promise<CreatedOrder> {
  let order: CreatedOrder
  try {
    order = await createOrder(await ensureLogin(), productId, quantity)
  } catch (e) {
    // A stored token may have expired on the server: log in again once.
    if (!(e instanceof ApiError && e.status === 401)) throw e
    order = await createOrder(await ensureLogin(true), productId, quantity)
  }
  created.set(order.orderId, order)
  return order
}

export const createdOrder = (orderId: string) => created.get(orderId)

export type PayOutcome =
  | { kind: 'paid'; order: OrderStatus }
  | { kind: 'cancelled' }
  | { kind: 'failed'; reason: string }

const POLLS = 8
const POLL_MS = 500
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Only the merchant's order state counts: requestPayment:ok means the cashier closed, and the payment
 * notification may reach the merchant a moment later, so ask a few times.
 */
async function confirmWithMerchant(orderId: string): Promise<PayOutcome> {
  try {
    const token = await ensureLogin()
    for (let i = 0; ; i++) {
      const order = await getOrder(token, orderId)
      if (order.state === 'PAID') return { kind: 'paid', order }
      if (order.state !== 'CREATED') return { kind: 'failed', reason: `订单状态 ${order.state}` }
      if (i === POLLS - 1) return { kind: 'failed', reason: '商户尚未收到支付结果 (订单状态 CREATED)' }
      await sleep(POLL_MS)
    }
  } catch (e) {
    return { kind: 'failed', reason: `${describeError(e)},支付结果未确认` }
  }
}

/** The order if the merchant has it PAID; null when it has not, or cannot say. */
async function paidOnMerchant(orderId: string): Promise<OrderStatus | null> {
  try {
    const order = await getOrder(await ensureLogin(), orderId)
    return order.state === 'PAID' ? order : null
  } catch {
    return null
  }
}

/** Pays with the server's payParams untouched, then trusts only the merchant (`onConfirming` marks that wait). */
export async function pay(order: CreatedOrder, onConfirming: () => void): Promise<PayOutcome> {
  try {
    await wx.requestPayment(order.payParams)
  } catch (e) {
    const reason = describeError(e)
    if (reason === 'requestPayment:fail cancel') return { kind: 'cancelled' }
    // The cashier refuses an order that is already paid (a retry after a result that could not be confirmed):
    // the merchant's state decides here too, so ask it once before calling this a failure.
    const paid = await paidOnMerchant(order.orderId)
    return paid ? { kind: 'paid', order: paid } : { kind: 'failed', reason }
  }
  onConfirming()
  return confirmWithMerchant(order.orderId)
}
