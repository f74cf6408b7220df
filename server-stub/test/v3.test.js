// API v3 end to end through app.request(): the flow, forged and replayed notifications, refunds, and the
// simulator checking merchants' signatures as WeChat Pay does.
import assert from 'node:assert/strict'
import { createCipheriv, createHash, generateKeyPairSync } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createClient, createSigner, createVerifier, encryptResource, parseXml, toXml } from 'wechatpay-wasm'
import { createWorld } from './world.js'

const OFFICIAL_TEST_KEY = fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../tests/vectors/official_test_private_key.pem'), 'utf8')

/** The test as WeChat Pay: signs with the simulator's key for this merchant. */
const wechatSigner = (w) => {
  const m = w.config.wechat.merchants[0]
  return createSigner({ mchid: m.mchid, serialNo: m.wechatpayPublicKeyId, privateKey: m.wechatpayPrivateKey })
}
const notify = (w, headers, body) => w.merchant.request('/api/pay/notify', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })

/** An order paid at the cashier whose notification was held back: returns it and the genuine notification. */
async function paidButNotNotified(w) {
  const token = await w.login()
  const order = await w.order(token)
  w.delivery.fail = 1
  assert.equal((await w.pay(order.payParams)).status, 200)
  return { token, order, genuine: w.delivery.seen.at(-1) }
}

test('v3: login → order → pay → notification → PAID', async () => {
  const w = createWorld()
  const token = await w.login()
  const order = await w.order(token, 'towel', 3)
  assert.equal(order.amount, 5970)
  assert.equal(order.payParams.signType, 'RSA')
  assert.deepEqual(Object.keys(order.payParams).sort(), ['nonceStr', 'package', 'paySign', 'signType', 'timeStamp'])
  assert.deepEqual(await (await w.pay(order.payParams)).json(), { errMsg: 'requestPayment:ok' })
  const paid = await w.state(token, order.orderId)
  assert.equal(paid.state, 'PAID')
  assert.equal(paid.transactionId, w.count('SELECT transaction_id FROM wx_transactions'))
})

test('v3: a paySign not made with the merchant key is refused at the cashier', async () => {
  const w = createWorld()
  const token = await w.login()
  const order = await w.order(token)
  const other = createSigner({ mchid: w.config.merchant.mchid, serialNo: w.config.merchant.merchantSerialNo, privateKey: OFFICIAL_TEST_KEY })
  const forged = await other.requestPayment({ appId: w.config.merchant.appId, prepayId: order.payParams.package.slice('prepay_id='.length) })
  const res = await w.pay(forged)
  assert.equal(res.status, 400)
  assert.match((await res.json()).errMsg, /^requestPayment:fail /)
  const wrongType = await w.pay({ ...order.payParams, signType: 'MD5' })
  assert.equal(wrongType.status, 400)
  assert.equal((await w.state(token, order.orderId)).state, 'CREATED')
})

test('v3: ten duplicate notifications → paid once, one row', async () => {
  const w = createWorld()
  const { token, order, genuine } = await paidButNotNotified(w)
  const replies = await Promise.all(Array.from({ length: 10 }, () => notify(w, genuine.headers, genuine.body)))
  assert.deepEqual(replies.map((r) => r.status), Array(10).fill(204))
  assert.equal((await w.state(token, order.orderId)).state, 'PAID')
  assert.equal(w.count('SELECT count(*) FROM notifications'), 1)
  assert.equal(w.stateChanges(order.orderId).filter((l) => l.includes('to=PAID')).length, 1)
})

test('v3: forged, tampered, skewed, probing and mismatched notifications are rejected; the order stays CREATED', async () => {
  const w = createWorld()
  const { token, order, genuine } = await paidButNotNotified(w)
  const m = w.config.wechat.merchants[0]
  const envelope = JSON.parse(genuine.body)
  const signer = wechatSigner(w)
  const signed = async (body, o = {}) => ({ 'content-type': 'application/json', ...(await signer.responseHeaders({ body, ...o })) })

  // One byte of the ciphertext changed under the genuine headers.
  const tampered = genuine.body.replace(envelope.resource.ciphertext, `${envelope.resource.ciphertext[0] === 'A' ? 'B' : 'A'}${envelope.resource.ciphertext.slice(1)}`)
  assert.equal((await notify(w, genuine.headers, tampered)).status, 401)
  // Genuinely signed by WeChat's key, skewed by more than five minutes either way: an old one replayed, or a future one.
  for (const skew of [-301, 301]) {
    const timestamp = Math.floor(Date.now() / 1000) + skew
    assert.equal((await notify(w, await signed(genuine.body, { timestamp }), genuine.body)).status, 401)
  }
  // Signed by someone else's key under an unknown serial.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
  const stranger = createSigner({ mchid: m.mchid, serialNo: 'PUB_KEY_ID_0000000000000000000000000000', privateKey })
  assert.equal((await notify(w, await stranger.responseHeaders({ body: genuine.body }), genuine.body)).status, 401)
  // Someone else's key claiming WeChat's serial.
  const impostor = createSigner({ mchid: m.mchid, serialNo: m.wechatpayPublicKeyId, privateKey })
  assert.equal((await notify(w, await impostor.responseHeaders({ body: genuine.body }), genuine.body)).status, 401)
  // A signature probe, and no signature headers at all.
  assert.equal((await notify(w, { ...genuine.headers, 'Wechatpay-Signature': 'WECHATPAY/SIGNTEST/AAAA' }, genuine.body)).status, 401)
  assert.equal((await notify(w, {}, genuine.body)).status, 401)
  // WeChat's key, WeChat's encryption, but an amount that is not the order's: rejected as a mismatch.
  const transaction = {
    appid: m.appId, mchid: m.mchid, out_trade_no: order.outTradeNo, transaction_id: '4200000000000000000000000001', trade_type: 'JSAPI',
    trade_state: 'SUCCESS', payer: { openid: 'o1' }, amount: { total: 1, payer_total: 1, currency: 'CNY', payer_currency: 'CNY' },
  }
  const wrongAmount = JSON.stringify({ ...envelope, id: crypto.randomUUID(), resource: { original_type: 'transaction', ...encryptResource(transaction, m.apiV3Key, { associatedData: 'transaction' }) } })
  const res = await notify(w, await signed(wrongAmount), wrongAmount)
  assert.equal(res.status, 400)
  assert.equal((await res.json()).code, 'REJECTED')

  assert.equal((await w.state(token, order.orderId)).state, 'CREATED')
  assert.equal(w.count('SELECT count(*) FROM notifications'), 0)
  assert.ok(w.lines.some((l) => l.includes('payment.rejected') && l.includes('amount 1 differs')), 'the mismatch is logged')
  // The genuine one still works afterwards.
  assert.equal((await notify(w, genuine.headers, genuine.body)).status, 204)
  assert.equal((await w.state(token, order.orderId)).state, 'PAID')
})

test('v3: refund → REFUND.SUCCESS notification → REFUNDED; unpaid orders cannot be refunded', async () => {
  const w = createWorld()
  const token = await w.login()
  const order = await w.order(token)
  const early = await w.api('POST', `/api/orders/${order.orderId}/refund`, undefined, token)
  assert.equal(early.status, 409)
  assert.equal((await early.json()).code, 'ORDER_NOT_PAID')
  await w.pay(order.payParams)
  const res = await w.api('POST', `/api/orders/${order.orderId}/refund`, undefined, token)
  assert.equal(res.status, 202)
  assert.equal((await res.json()).refund.amount, order.amount)
  await new Promise((r) => setTimeout(r, 0))
  await w.notifier.idle()
  assert.equal((await w.state(token, order.orderId)).state, 'REFUNDED')
  assert.equal(w.count('SELECT state FROM refunds'), 'SUCCESS')
  assert.equal(w.count('SELECT state FROM wx_transactions'), 'REFUND')
  const again = await (await w.api('POST', `/api/orders/${order.orderId}/refund`, undefined, token)).json()
  assert.equal(again.refund.state, 'SUCCESS')
  assert.equal(w.count('SELECT count(*) FROM wx_refunds'), 1, 'asking twice refunds once')
})

/** The merchant's own client, talking to the in-process simulator (what its operator does outside the app). */
const merchantClient = (w) => {
  const m = w.config.merchant
  return createClient({
    mchid: m.mchid, serialNo: m.merchantSerialNo, privateKey: m.merchantPrivateKey, keys: { [m.wechatpayPublicKeyId]: m.wechatpayPublicKey },
    baseUrl: m.wechatpayBaseUrl, fetch: (url, init) => w.wechat.request(url, init),
  })
}
const settled = async (w) => {
  await new Promise((r) => setTimeout(r, 0))
  await w.notifier.idle()
}

test('v3: a refund WeChat reports ABNORMAL, then SUCCESS once it is settled, ends REFUNDED', async () => {
  const w = createWorld({ env: { SIM_QUIRKS: 'refund-abnormal' } })
  const token = await w.login()
  const order = await w.order(token)
  await w.pay(order.payParams)
  assert.equal((await w.api('POST', `/api/orders/${order.orderId}/refund`, undefined, token)).status, 202)
  await settled(w)
  const abnormal = await w.state(token, order.orderId)
  assert.deepEqual([abnormal.state, abnormal.refund.state], ['PAID', 'ABNORMAL'], 'REFUND.ABNORMAL: the money did not reach the buyer')
  // The merchant settles it at WeChat (商户平台, or the abnormal-refund API); WeChat then notifies REFUND.SUCCESS.
  const client = merchantClient(w)
  const { refund_id: refundId } = await client.queryRefund({ out_refund_no: abnormal.refund.outRefundNo })
  await client.request({ method: 'POST', path: `/v3/refund/domestic/refunds/${refundId}/apply-abnormal-refund`,
    body: { out_refund_no: abnormal.refund.outRefundNo, type: 'MERCHANT_BANK_CARD' } })
  await settled(w)
  assert.equal(JSON.parse(w.delivery.seen.at(-1).body).event_type, 'REFUND.SUCCESS')
  const done = await w.state(token, order.orderId)
  assert.deepEqual([done.state, done.refund.state], ['REFUNDED', 'SUCCESS'])
  assert.equal(w.lines.filter((l) => l.includes(' order.state ') && l.includes('to=REFUNDED')).length, 1)
})

test('v3 merchants: an API v2 refund notification (a refund made before the move to v3) is confirmed over v3', async () => {
  const w = createWorld()
  const token = await w.login()
  const order = await w.order(token)
  await w.pay(order.payParams)
  w.delivery.fail = 1e6 // the v3 refund notification never arrives
  assert.equal((await w.api('POST', `/api/orders/${order.orderId}/refund`, undefined, token)).status, 202)
  const { refund } = await w.state(token, order.orderId)
  // what WeChat sends to a v2 refund's notify_url: req_info, AES-256-ECB under MD5(API v2 key), unsigned
  const m = w.config.merchant
  const info = toXml({ transaction_id: (await w.state(token, order.orderId)).transactionId, out_trade_no: order.outTradeNo, refund_id: '50300000000000000000000000000',
    out_refund_no: refund.outRefundNo, total_fee: order.amount, settlement_total_fee: order.amount, refund_fee: order.amount,
    settlement_refund_fee: order.amount, refund_status: 'SUCCESS', success_time: '2026-11-27 12:00:00', refund_recv_accout: '支付用户零钱',
    refund_account: 'REFUND_SOURCE_UNSETTLED_FUNDS', refund_request_source: 'API' }).replace(/^<xml>/, '<root>').replace(/<\/xml>$/, '</root>')
  const cipher = createCipheriv('aes-256-ecb', Buffer.from(createHash('md5').update(m.apiV2Key).digest('hex'), 'latin1'), null)
  const reqInfo = Buffer.concat([cipher.update(info, 'utf8'), cipher.final()]).toString('base64')
  const res = await w.merchant.request('/api/pay/notify/v2/refund', {
    method: 'POST', headers: { 'content-type': 'text/xml' },
    body: toXml({ return_code: 'SUCCESS', appid: m.appId, mch_id: m.mchid, nonce_str: 'n', req_info: reqInfo }),
  })
  assert.equal(res.status, 200, await res.clone().text())
  assert.equal(parseXml(await res.text()).return_code, 'SUCCESS')
  const done = await w.state(token, order.orderId)
  assert.deepEqual([done.state, done.refund.state], ['REFUNDED', 'SUCCESS'], 'WeChat, asked over v3, says SUCCESS')
})

test('v2 merchants: refunds are not available (they need the merchant certificate)', async () => {
  const w = createWorld({ env: { MERCHANT_API: 'v2' } })
  const token = await w.login()
  const order = await w.order(token)
  await w.pay(order.payParams)
  const res = await w.api('POST', `/api/orders/${order.orderId}/refund`, undefined, token)
  assert.equal(res.status, 501)
  assert.equal(w.count('SELECT count(*) FROM refunds'), 0)
})

test('simulator v3: Authorization checked as WeChat does, bodies validated, answers signed', async () => {
  const w = createWorld()
  const mc = w.config.merchant
  const signer = createSigner({ mchid: mc.mchid, serialNo: mc.merchantSerialNo, privateKey: mc.merchantPrivateKey })
  const verifier = createVerifier({ keys: { [mc.wechatpayPublicKeyId]: mc.wechatpayPublicKey } })
  const call = async (method, url, payload, { sign = signer, body: raw } = {}) => {
    const body = payload === undefined ? '' : JSON.stringify(payload)
    const headers = { 'content-type': 'application/json', authorization: await sign.authorization({ method, url, body }) }
    const res = await w.wechat.request(url, { method, headers, body: raw ?? (body || undefined) })
    const text = await res.text()
    return { status: res.status, json: text ? JSON.parse(text) : null, verified: (await verifier.verifyResponse({ status: res.status, headers: res.headers, body: text })).verified }
  }
  const order = {
    appid: mc.appId, mchid: mc.mchid, description: '肥皂', out_trade_no: 'T00000001', notify_url: 'http://127.0.0.1:8787/api/pay/notify',
    amount: { total: 800, currency: 'CNY' }, payer: { openid: 'o1' },
  }
  const unsigned = await w.wechat.request('/v3/pay/transactions/jsapi', { method: 'POST', body: JSON.stringify(order) })
  assert.equal(unsigned.status, 401)
  assert.equal((await unsigned.json()).code, 'SIGN_ERROR')
  const otherKey = createSigner({ mchid: mc.mchid, serialNo: mc.merchantSerialNo, privateKey: OFFICIAL_TEST_KEY })
  assert.equal((await call('POST', '/v3/pay/transactions/jsapi', order, { sign: otherKey })).json.code, 'SIGN_ERROR')
  const altered = await call('POST', '/v3/pay/transactions/jsapi', order, { body: JSON.stringify({ ...order, amount: { total: 1 } }) })
  assert.equal(altered.status, 401, 'the body changed after signing')

  const ok = await call('POST', '/v3/pay/transactions/jsapi', order)
  assert.equal(ok.status, 200)
  assert.match(ok.json.prepay_id, /^wx/)
  assert.equal(ok.verified, true)
  // WeChat's prepay is idempotent: the same order again gets the same prepay_id; a changed one is refused.
  const reused = await call('POST', '/v3/pay/transactions/jsapi', order)
  assert.deepEqual([reused.status, reused.json.prepay_id, reused.verified], [200, ok.json.prepay_id, true])
  const changed = await call('POST', '/v3/pay/transactions/jsapi', { ...order, description: '香皂' })
  assert.deepEqual([changed.status, changed.json.code, changed.verified], [400, 'INVALID_REQUEST', true])
  const { amount, ...noAmount } = order
  assert.equal((await call('POST', '/v3/pay/transactions/jsapi', { ...noAmount, out_trade_no: 'T00000002' })).json.code, 'PARAM_ERROR')
  assert.equal((await call('POST', '/v3/pay/transactions/jsapi', { ...order, out_trade_no: 'T00000003', appid: 'wx0' })).json.code, 'APPID_MCHID_NOT_MATCH')

  const queryUrl = `/v3/pay/transactions/out-trade-no/T00000001?mchid=${mc.mchid}`
  assert.equal((await call('GET', queryUrl)).json.trade_state, 'NOTPAY')
  const closed = await call('POST', '/v3/pay/transactions/out-trade-no/T00000001/close', { mchid: mc.mchid })
  assert.deepEqual([closed.status, closed.verified], [204, true])
  assert.equal((await call('GET', queryUrl)).json.trade_state, 'CLOSED')
  assert.equal((await call('GET', `/v3/pay/transactions/out-trade-no/NOPE00001?mchid=${mc.mchid}`)).status, 404)
})
