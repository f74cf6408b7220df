// The whole flow for an API v2 merchant through app.request(): login, order, cashier, notification, PAID.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseXml, signV2, toXml } from 'wechatpay-wasm'
import { createWorld } from './world.js'

for (const signType of ['MD5', 'HMAC-SHA256']) {
  test(`v2 merchant (${signType}): login → order → pay → notification → PAID`, async () => {
    const w = createWorld({ env: { MERCHANT_API: 'v2', WECHATPAY_V2_SIGN_TYPE: signType } })
    const token = await w.login()
    const order = await w.order(token, 'soap', 2)
    assert.equal(order.amount, 1600)
    assert.equal(order.payParams.signType, signType)
    assert.match(order.payParams.package, /^prepay_id=wx/)
    const preview = await (await w.sim('POST', '/sim/cashier/preview', { package: order.payParams.package })).json()
    assert.deepEqual(preview, { merchantName: '肥皂小铺 (模拟商户)', description: '肥皂 × 2', amount: 1600 })
    const res = await w.pay(order.payParams)
    assert.deepEqual(await res.json(), { errMsg: 'requestPayment:ok' })
    const paid = await w.state(token, order.orderId)
    assert.equal(paid.state, 'PAID')
    assert.match(paid.transactionId, /^4200\d{24}$/)
    assert.equal(w.stateChanges(order.orderId).length, 2, 'CREATED, then PAID')
  })
}

test('v2: a paySign made with the wrong key is refused at the cashier; the order stays CREATED', async () => {
  const w = createWorld({ env: { MERCHANT_API: 'v2' } })
  const token = await w.login()
  const order = await w.order(token)
  const p = order.payParams
  const forged = { ...p, paySign: signV2({ appId: w.config.merchant.appId, nonceStr: p.nonceStr, package: p.package, signType: p.signType, timeStamp: p.timeStamp }, { key: 'x'.repeat(32), signType: p.signType }) }
  const res = await w.pay(forged)
  assert.equal(res.status, 400)
  assert.match((await res.json()).errMsg, /^requestPayment:fail /)
  assert.equal((await w.state(token, order.orderId)).state, 'CREATED')
  assert.equal(w.count('SELECT count(*) FROM wx_deliveries'), 0)
})

test('v2 notifications: duplicates acknowledged once, tampered amount and bad signature rejected', async () => {
  const w = createWorld({ env: { MERCHANT_API: 'v2' } })
  const token = await w.login()
  const order = await w.order(token)
  // Hold the first delivery back so the test can replay the genuine notification itself.
  w.delivery.fail = 1
  await w.pay(order.payParams)
  const genuine = w.delivery.seen[0]
  const post = (body) => w.merchant.request('/api/pay/notify/v2', { method: 'POST', headers: { 'content-type': 'text/xml' }, body })

  const fields = parseXml(genuine.body)
  const key = w.config.merchant.apiV2Key
  const { sign, ...unsigned } = fields
  const resigned = { ...unsigned, total_fee: '1' }
  let res = await post(toXml({ ...resigned, sign: signV2(resigned, { key, signType: fields.sign_type }) }))
  assert.equal(res.status, 400, 'a correctly signed notification with the wrong amount is still rejected')
  assert.equal(parseXml(await res.text()).return_code, 'FAIL')
  res = await post(genuine.body.replace(`<total_fee>${fields.total_fee}</total_fee>`, '<total_fee>1</total_fee>'))
  assert.equal(res.status, 400, 'a tampered amount breaks the signature')
  assert.equal((await w.state(token, order.orderId)).state, 'CREATED')

  const replies = await Promise.all(Array.from({ length: 10 }, () => post(genuine.body)))
  for (const r of replies) assert.deepEqual(parseXml(await r.text()), { return_code: 'SUCCESS', return_msg: 'OK' })
  assert.equal((await w.state(token, order.orderId)).state, 'PAID')
  assert.equal(w.count('SELECT count(*) FROM notifications WHERE order_id = ?', order.orderId), 1)
  assert.equal(w.stateChanges(order.orderId).filter((l) => l.includes('to=PAID')).length, 1)
})
