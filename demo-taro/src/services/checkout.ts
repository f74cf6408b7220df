// 立即下单 → order → wx.requestPayment → ask the merchant. Pages only render what these return.
import { ApiError, CreatedOrder, OrderStatus, buyerMessage, createOrder, developerMessage, getOrder, syncOrder } from './merchant'
import { ensureLogin } from './session'
import * as wx from './wx'

// payParams of orders created in this run, so a cancelled payment can be retried for the same order.
const created = new Map<string, CreatedOrder>()

export async function placeOrder(productId: string, quantity: number): Promise<CreatedOrder> {
  const order = await withLogin((token) => createOrder(token, productId, quantity))
  created.set(order.orderId, order)
  return order
}

export const createdOrder = (orderId: string) => created.get(orderId)

/** Calls the merchant with a session token; a stored token may have expired on the server: log in again once. */
export async function withLogin<T>(fn: (token: string) => Promise<T>): Promise<T> {
  try {
    return await fn(await ensureLogin())
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401 && e.code === 'UNAUTHORIZED')) throw e
    return fn(await ensureLogin(true))
  }
}

export type PayOutcome =
  | { kind: 'paid'; order: OrderStatus }
  | { kind: 'cancelled' }
  /** WeChat's cashier did not pay (and the merchant has no payment either) */
  | { kind: 'failed'; reason: string }
  /** WeChat's cashier said paid (or may have), but the merchant has not confirmed it within the waits below */
  | { kind: 'unconfirmed'; reason: string }

// After requestPayment:ok the payment notification normally reaches the merchant within a moment. When it has not,
// WeChat's guidance is to query the order: the merchant's /sync does that. Waits before each sync, in ms: about
// 15 s in all, then the page says the result is still being confirmed and offers to check again.
export const SYNC_BACKOFF_MS = [500, 1000, 2000, 4000, 8000]
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Asks the merchant until it says PAID: its order first, then its /sync with backoff (`waits`, ms before each).
 * A CLOSED or REFUNDED order, or a merchant that cannot be reached, ends the wait.
 */
export async function confirmPaid(orderId: string, waits = SYNC_BACKOFF_MS): Promise<PayOutcome> {
  try {
    let order = await withLogin((token) => getOrder(token, orderId))
    for (const wait of waits) {
      if (order.state !== 'CREATED') break
      await sleep(wait)
      try {
        order = await withLogin((token) => syncOrder(token, orderId))
      } catch (e) {
        // The merchant limits how often it asks WeChat for one order: that is a "not yet", not a failure.
        if (!(e instanceof ApiError && e.status === 429)) throw e
      }
    }
    if (order.state === 'PAID') return { kind: 'paid', order }
    if (order.state === 'CREATED') return { kind: 'unconfirmed', reason: '商户尚未收到微信支付的结果' }
    return { kind: 'failed', reason: `订单${order.state === 'CLOSED' ? '已关闭' : '已退款'}` }
  } catch (e) {
    return { kind: 'unconfirmed', reason: buyerMessage(e) }
  }
}

/** Pays with the server's payParams untouched, then trusts only the merchant (`onConfirming` marks that wait). */
export async function pay(order: CreatedOrder, onConfirming: () => void): Promise<PayOutcome> {
  try {
    await wx.requestPayment(order.payParams)
  } catch (e) {
    console.warn(`[demo] requestPayment for ${order.orderId} failed: ${developerMessage(e)}`)
    if (developerMessage(e) === 'requestPayment:fail cancel') return { kind: 'cancelled' }
    // The cashier refuses an order that is already paid (e.g. paid on the simulator's cashier page from WeChat
    // DevTools): the merchant's state decides here too, so ask it once before calling this a failure.
    const known = await confirmPaid(order.orderId, [0])
    return known.kind === 'paid' ? known : { kind: 'failed', reason: buyerMessage(e) }
  }
  onConfirming()
  return confirmPaid(order.orderId)
}
