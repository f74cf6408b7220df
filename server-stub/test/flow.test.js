// The flow's branches, for both kinds of merchant: cancel, notify retries, close, expiry, WeChat refusing.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createWorld } from './world.js'

/** Runs the due deliveries until `done()` holds; bounded by a count of rounds, not by a clock. */
async function deliverUntil(w, done) {
  for (let round = 0; round < 500 && !(await done()); round++) {
    await w.notifier.runDue()
    await new Promise((r) => setTimeout(r, 5))
  }
}

for (const api of ['v3', 'v2']) {
  test(`${api}: cancel leaves the order CREATED; the same params pay it afterwards`, async () => {
    const w = createWorld({ env: { MERCHANT_API: api } })
    const token = await w.login()
    const order = await w.order(token)
    const cancel = await w.sim('POST', '/sim/cashier/cancel', { package: order.payParams.package })
    assert.deepEqual(await cancel.json(), { errMsg: 'requestPayment:fail cancel' })
    assert.equal((await w.state(token, order.orderId)).state, 'CREATED')
    assert.equal(w.count('SELECT count(*) FROM wx_deliveries'), 0)
    assert.equal((await w.pay(order.payParams)).status, 200)
    assert.equal((await w.state(token, order.orderId)).state, 'PAID')
  })

  test(`${api}: the notify endpoint fails twice, a retry on the schedule succeeds`, async () => {
    const w = createWorld({ env: { MERCHANT_API: api } })
    const token = await w.login()
    const order = await w.order(token)
    w.delivery.fail = 2
    await w.pay(order.payParams)
    assert.equal((await w.state(token, order.orderId)).state, 'CREATED', 'the first attempt failed')
    await deliverUntil(w, async () => (await w.state(token, order.orderId)).state === 'PAID')
    assert.equal((await w.state(token, order.orderId)).state, 'PAID')
    const d = w.db.prepare('SELECT state, attempts FROM wx_deliveries').get()
    assert.deepEqual({ ...d }, { state: 'DELIVERED', attempts: 3 })
    assert.equal(w.delivery.seen.length, 3)
    assert.equal(w.count('SELECT count(*) FROM notifications WHERE order_id = ?', order.orderId), 1)
  })

  test(`${api}: close an unpaid order; it cannot be paid afterwards; a paid order cannot be closed`, async () => {
    const w = createWorld({ env: { MERCHANT_API: api } })
    const token = await w.login()
    const order = await w.order(token)
    const closed = await w.api('POST', `/api/orders/${order.orderId}/close`, undefined, token)
    assert.equal(closed.status, 200)
    assert.equal((await closed.json()).state, 'CLOSED')
    assert.equal(w.count('SELECT state FROM wx_transactions'), 'CLOSED')
    const again = await w.api('POST', `/api/orders/${order.orderId}/close`, undefined, token)
    assert.equal((await again.json()).state, 'CLOSED', 'closing twice is harmless')
    const res = await w.pay(order.payParams)
    assert.equal(res.status, 400)
    assert.equal((await res.json()).code, 'ORDER_CLOSED')
    assert.equal((await w.state(token, order.orderId)).state, 'CLOSED')

    const paid = await w.order(token)
    await w.pay(paid.payParams)
    const refused = await w.api('POST', `/api/orders/${paid.orderId}/close`, undefined, token)
    assert.equal(refused.status, 409)
    assert.equal((await refused.json()).code, 'ORDER_PAID')
  })

  test(`${api}: closing an order WeChat already saw paid settles it as PAID instead`, async () => {
    const w = createWorld({ env: { MERCHANT_API: api } })
    const token = await w.login()
    const order = await w.order(token)
    w.delivery.fail = 1
    await w.pay(order.payParams)
    assert.equal((await w.state(token, order.orderId)).state, 'CREATED', 'the notification has not arrived yet')
    const res = await w.api('POST', `/api/orders/${order.orderId}/close`, undefined, token)
    assert.equal(res.status, 409)
    assert.equal((await w.state(token, order.orderId)).state, 'PAID')
    await deliverUntil(w, () => w.count("SELECT count(*) FROM wx_deliveries WHERE state = 'DELIVERED'") === 1)
    assert.equal(w.stateChanges(order.orderId).filter((l) => l.includes('to=PAID')).length, 1, 'the late notification is a duplicate')
  })

  test(`${api}: an expired prepay_id is refused at the cashier`, async () => {
    const w = createWorld({ env: { MERCHANT_API: api, SIM_PREPAY_TTL_SECONDS: '0' } })
    const token = await w.login()
    const order = await w.order(token)
    const preview = await w.sim('POST', '/sim/cashier/preview', { package: order.payParams.package })
    assert.equal(preview.status, 404)
    assert.equal((await preview.json()).code, 'PREPAY_EXPIRED')
    const res = await w.pay(order.payParams)
    assert.equal(res.status, 400)
    assert.match((await res.json()).errMsg, /^requestPayment:fail /)
    const unknown = await w.sim('POST', '/sim/cashier/preview', { package: 'prepay_id=wx0000' })
    assert.equal(unknown.status, 404)
    assert.equal((await unknown.json()).code, 'PREPAY_NOT_FOUND')
  })

  test(`${api}: WeChat Pay unusable → 502, and the order is closed, not left dangling`, async () => {
    const w = createWorld({ env: { MERCHANT_API: api, WECHATPAY_BASE_URL: 'http://127.0.0.1:8788/nowhere' } })
    const token = await w.login()
    const res = await w.api('POST', '/api/orders', { productId: 'soap', quantity: 1 }, token)
    assert.equal(res.status, 502)
    assert.equal((await res.json()).code, 'WECHATPAY_ERROR')
    assert.equal(w.count("SELECT count(*) FROM orders WHERE state = 'CLOSED' AND close_reason = 'PREPAY_FAILED'"), 1)
  })
}
