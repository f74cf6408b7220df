// The simulator's v3 refunds through app.request(): every field WeChat's documents mark required, idempotency
// by out_refund_no, WeChat's refusals, refund notifications, partner refunds, and the abnormal refund whose bank
// fields arrive encrypted (Wechatpay-Serial required, RSA-OAEP SHA-1 to WeChat's key).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decryptResource, encryptSensitive } from 'wechatpay-wasm'
import { openidFor } from '../src/wechat/ids.js'
import { createSim, payJsapi, paidOrder } from './sim-world.js'

const REQUIRED = ['refund_id', 'out_refund_no', 'transaction_id', 'out_trade_no', 'channel', 'user_received_account', 'create_time', 'status', 'amount']
const REQUIRED_AMOUNT = ['total', 'refund', 'payer_total', 'payer_refund', 'settlement_refund', 'settlement_total', 'discount_refund', 'currency']

test('refund create and query: required fields, PROCESSING then SUCCESS, REFUND.SUCCESS notification', async () => {
  const w = createSim()
  const c = w.client()
  const { order } = await paidOrder(w)
  const body = { out_trade_no: order.out_trade_no, out_refund_no: 'R-0001', reason: '不想要了', notify_url: 'https://merchant.example/refund-notify', amount: { refund: 300, total: 800, currency: 'CNY' } }
  const r = await c.call('POST', '/v3/refund/domestic/refunds', body)
  assert.deepEqual([r.status, r.verified], [200, true])
  for (const k of REQUIRED) assert.ok(k in r.json, `refund answer has ${k}`)
  for (const k of REQUIRED_AMOUNT) assert.ok(k in r.json.amount, `refund amount has ${k}`)
  assert.equal(r.json.status, 'PROCESSING')
  assert.deepEqual(
    { ...r.json.amount },
    { total: 800, refund: 300, from: [], payer_total: 800, payer_refund: 300, settlement_refund: 300, settlement_total: 800, discount_refund: 0, currency: 'CNY', refund_fee: 0 },
  )
  assert.match(r.json.refund_id, /^50\d{27}$/)
  const q = await c.call('GET', '/v3/refund/domestic/refunds/R-0001')
  assert.deepEqual([q.status, q.verified, q.json.status, q.json.refund_id], [200, true, 'SUCCESS', r.json.refund_id])
  assert.match(q.json.success_time, /\+08:00$/)
  for (const k of REQUIRED) assert.ok(k in q.json)
  assert.equal((await c.call('GET', '/v3/refund/domestic/refunds/R-NONE')).json.code, 'RESOURCE_NOT_EXISTS')
  assert.equal((await c.call('GET', '/v3/refund/domestic/refunds/R-NONE')).status, 404)

  await new Promise((res) => setTimeout(res, 0))
  await w.sim.notifier.idle()
  const n = w.sent.find((s) => s.url === 'https://merchant.example/refund-notify')
  const envelope = JSON.parse(n.init.body)
  assert.equal(envelope.event_type, 'REFUND.SUCCESS')
  const resource = decryptResource(envelope.resource, w.direct.apiV3Key)
  assert.deepEqual({ ...resource, success_time: undefined, refund_id: undefined }, {
    mchid: w.direct.mchid, out_trade_no: order.out_trade_no, transaction_id: q.json.transaction_id, out_refund_no: 'R-0001', refund_id: undefined,
    refund_status: 'SUCCESS', success_time: undefined, user_received_account: '支付用户零钱', amount: { total: 800, refund: 300, payer_total: 800, payer_refund: 300 },
  })
  const tx = await c.call('GET', `/v3/pay/transactions/out-trade-no/${order.out_trade_no}?mchid=${w.direct.mchid}`)
  assert.equal(tx.json.trade_state, 'REFUND')
})

test('refunds are idempotent by out_refund_no; WeChat\'s refusals each with its code', async () => {
  const w = createSim()
  const c = w.client()
  const { order } = await paidOrder(w)
  const { order: other } = await paidOrder(w, {}, 'bob')
  const refund = (over = {}) => c.call('POST', '/v3/refund/domestic/refunds', { out_trade_no: order.out_trade_no, out_refund_no: 'R-1', amount: { refund: 500, total: 800, currency: 'CNY' }, ...over })
  const first = await refund()
  const again = await refund()
  assert.deepEqual([again.status, again.json.refund_id], [200, first.json.refund_id], 'the same number, the same refund')
  const tid = (await c.call('GET', `/v3/pay/transactions/out-trade-no/${order.out_trade_no}?mchid=${w.direct.mchid}`)).json.transaction_id
  assert.equal((await refund({ out_trade_no: undefined, transaction_id: tid })).json.refund_id, first.json.refund_id, 'by transaction_id too')
  const changed = await refund({ amount: { refund: 400, total: 800, currency: 'CNY' } })
  assert.deepEqual([changed.status, changed.json.code], [400, 'INVALID_REQUEST'])
  assert.match(changed.json.message, /与之前请求不一致/)
  assert.equal((await refund({ out_trade_no: other.out_trade_no })).json.code, 'INVALID_REQUEST', 'the number belongs to another order')
  assert.equal(w.count('SELECT count(*) FROM wx_refunds'), 1)

  const refusals = [
    [{ out_refund_no: 'R-2', amount: { refund: 301, total: 800, currency: 'CNY' } }, 400, 'INVALID_REQUEST'], // more than is left
    [{ out_refund_no: 'R-3', amount: { refund: 100, total: 799, currency: 'CNY' } }, 400, 'PARAM_ERROR'], // not the order total
    [{ out_refund_no: 'R-4', amount: { refund: 100, total: 800 } }, 400, 'PARAM_ERROR'], // currency is required
    [{ out_refund_no: 'R-5', out_trade_no: 'NOSUCHORDER' }, 404, 'RESOURCE_NOT_EXISTS'],
    [{ out_refund_no: 'R-6', transaction_id: tid }, 400, 'PARAM_ERROR'], // both numbers
    [{ out_refund_no: 'R 7' }, 400, 'PARAM_ERROR'],
    [{ out_refund_no: 'R-8', notify_url: 'ftp://merchant.example/x' }, 400, 'PARAM_ERROR'],
    [{ out_refund_no: 'R-9', amount: { refund: 100, total: 800, currency: 'CNY', from: [{ account: 'AVAILABLE', amount: 50 }] } }, 400, 'PARAM_ERROR'],
    [{ out_refund_no: 'R-10', sub_mchid: w.sub.mchid }, 400, 'INVALID_REQUEST'], // not a service provider's sub-merchant
  ]
  for (const [over, status, code] of refusals) {
    const r = await refund(over)
    assert.deepEqual([r.status, r.json.code, r.verified], [status, code, true], JSON.stringify(over))
  }
  assert.equal((await refund({ out_refund_no: 'R-11', amount: { refund: 300, total: 800, currency: 'CNY' } })).status, 200, 'the rest')
  assert.equal((await refund({ out_refund_no: 'R-12', amount: { refund: 1, total: 800, currency: 'CNY' } })).json.message, '订单已全额退款')
  // An unpaid order cannot be refunded.
  const unpaid = await c.call('POST', '/v3/pay/transactions/jsapi', { ...order, out_trade_no: 'UNPAID00001' })
  assert.equal(unpaid.status, 200)
  assert.equal((await refund({ out_trade_no: 'UNPAID00001', out_refund_no: 'R-13' })).json.code, 'RESOURCE_NOT_EXISTS')
  // Another merchant cannot refund or see this merchant's refunds.
  const p = w.client(w.partner)
  assert.equal((await p.call('GET', `/v3/refund/domestic/refunds/R-1?sub_mchid=${w.sub.mchid}`)).status, 404)
})

test('partner refunds name the sub-merchant; the notification carries sp_mchid and sub_mchid', async () => {
  const w = createSim()
  const p = w.client(w.partner)
  const order = {
    sp_appid: w.partner.appId, sp_mchid: w.partner.mchid, sub_mchid: w.sub.mchid, description: '花', out_trade_no: 'PREFUND001',
    notify_url: 'https://sp.example/notify', amount: { total: 600 }, payer: { sp_openid: openidFor(w.partner.appId, 'fay') },
  }
  const { json: { prepay_id: prepayId } } = await p.call('POST', '/v3/pay/partner/transactions/jsapi', order)
  assert.equal((await payJsapi(w, w.partner, prepayId, 'fay')).status, 200)
  const body = { sub_mchid: w.sub.mchid, out_trade_no: 'PREFUND001', out_refund_no: 'PR-1', amount: { refund: 600, total: 600, currency: 'CNY' } }
  assert.equal((await p.call('POST', '/v3/refund/domestic/refunds', { ...body, sub_mchid: undefined })).status, 404, 'without sub_mchid the order is not the provider\'s own')
  const r = await p.call('POST', '/v3/refund/domestic/refunds', body)
  assert.deepEqual([r.status, r.verified], [200, true])
  const q = await p.call('GET', `/v3/refund/domestic/refunds/PR-1?sub_mchid=${w.sub.mchid}`)
  assert.equal(q.json.status, 'SUCCESS')
  await new Promise((res) => setTimeout(res, 0))
  await w.sim.notifier.idle()
  const envelope = JSON.parse(w.sent.at(-1).init.body)
  const resource = decryptResource(envelope.resource, w.partner.apiV3Key)
  assert.deepEqual([resource.sp_mchid, resource.sub_mchid, resource.mchid], [w.partner.mchid, w.sub.mchid, undefined])
})

test('abnormal refunds: REFUND.ABNORMAL, then apply-abnormal-refund with encrypted bank fields and Wechatpay-Serial', async () => {
  const w = createSim({ env: { SIM_QUIRKS: 'refund-abnormal' } })
  const c = w.client()
  const { order } = await paidOrder(w)
  const r = await c.call('POST', '/v3/refund/domestic/refunds', { out_trade_no: order.out_trade_no, out_refund_no: 'AB-1', amount: { refund: 800, total: 800, currency: 'CNY' } })
  assert.equal((await c.call('GET', '/v3/refund/domestic/refunds/AB-1')).json.status, 'ABNORMAL')
  await new Promise((res) => setTimeout(res, 0))
  await w.sim.notifier.idle()
  assert.equal(JSON.parse(w.sent.at(-1).init.body).event_type, 'REFUND.ABNORMAL')

  const path = `/v3/refund/domestic/refunds/${r.json.refund_id}/apply-abnormal-refund`
  const key = w.direct.wechatpayPublicKey
  const fields = { out_refund_no: 'AB-1', type: 'USER_BANK_CARD', bank_type: 'ICBC_DEBIT', bank_account: await encryptSensitive('6222020000001234', key), real_name: await encryptSensitive('张三', key) }
  const serial = { 'wechatpay-serial': w.direct.wechatpayPublicKeyId }
  const noSerial = await c.call('POST', path, fields)
  assert.deepEqual([noSerial.status, noSerial.json.code, noSerial.json.detail.field], [400, 'PARAM_ERROR', 'Wechatpay-Serial'])
  assert.equal((await c.call('POST', path, fields, { headers: { 'wechatpay-serial': 'PUB_KEY_ID_0000' } })).json.code, 'PARAM_ERROR')
  // Encrypted to another key: the simulator cannot decrypt it.
  const wrongKey = { ...fields, bank_account: await encryptSensitive('6222020000001234', w.partner.wechatpayPublicKey) }
  assert.match((await c.call('POST', path, wrongKey, { headers: serial })).json.message, /解密失败/)
  assert.equal((await c.call('POST', path, { ...fields, bank_account: undefined }, { headers: serial })).json.code, 'PARAM_ERROR', 'USER_BANK_CARD needs the account')
  assert.equal((await c.call('POST', path.replace(r.json.refund_id, '50000000000000000000000000000'), fields, { headers: serial })).status, 404)
  const ok = await c.call('POST', path, fields, { headers: serial })
  assert.deepEqual([ok.status, ok.verified, ok.json.status], [200, true, 'PROCESSING'])
  const q = await c.call('GET', '/v3/refund/domestic/refunds/AB-1')
  assert.deepEqual([q.json.status, q.json.user_received_account, q.json.channel], ['SUCCESS', 'ICBC_DEBIT1234', 'OTHER_BANKCARD'], 'the decrypted account')
  assert.equal((await c.call('POST', path, fields, { headers: serial })).json.code, 'INVALID_REQUEST', 'no longer abnormal')
  await new Promise((res) => setTimeout(res, 0))
  await w.sim.notifier.idle()
  assert.equal(JSON.parse(w.sent.at(-1).init.body).event_type, 'REFUND.SUCCESS')

  // In certificate mode the fields are encrypted to the platform certificate, named by its serial.
  const cw = createSim({ env: { SIM_QUIRKS: 'refund-abnormal', SIM_MERCHANT_KEY_MODE: 'certificate' } })
  const { order: o2 } = await paidOrder(cw)
  const r2 = await cw.client().call('POST', '/v3/refund/domestic/refunds', { out_trade_no: o2.out_trade_no, out_refund_no: 'AB-2', amount: { refund: 800, total: 800, currency: 'CNY' } })
  const cert = cw.direct.platformCertificate
  const f2 = { out_refund_no: 'AB-2', type: 'MERCHANT_BANK_CARD', bank_account: await encryptSensitive('6222020000009876', cert) }
  const path2 = `/v3/refund/domestic/refunds/${r2.json.refund_id}/apply-abnormal-refund`
  assert.equal((await cw.client().call('POST', path2, f2, { headers: { 'wechatpay-serial': cw.direct.wechatpayPublicKeyId } })).json.code, 'PARAM_ERROR')
  const ok2 = await cw.client().call('POST', path2, f2, { headers: { 'wechatpay-serial': cw.direct.platformSerialNo } })
  assert.deepEqual([ok2.status, ok2.serial], [200, cw.direct.platformSerialNo])
})
