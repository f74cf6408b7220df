// The simulator's own contract, for merchant backends other than ours: jscode2session, v2 unifiedorder, the
// cashier's input checks.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { nonceStr, parseUnifiedOrderResponse, parseXml, signV2, toXml } from 'wechatpay-wasm'
import { createWorld } from './world.js'

test('jscode2session: errcodes for missing, unknown, reused and expired input; a stable openid per user', async () => {
  const w = createWorld({ env: { MERCHANT_API: 'v2' } })
  const { appId, appSecret } = w.config.merchant
  const code = async (user) => (await (await w.sim('POST', '/sim/wx/login', user ? { user } : {})).json()).code
  const session = async (q) => (await w.wechat.request(`/sns/jscode2session?${new URLSearchParams({ grant_type: 'authorization_code', ...q })}`)).json()
  assert.equal((await session({ secret: appSecret, js_code: 'x' })).errcode, 41002)
  assert.equal((await session({ appid: appId, js_code: 'x' })).errcode, 41004)
  assert.equal((await session({ appid: appId, secret: appSecret })).errcode, 41008)
  assert.equal((await session({ appid: 'wx0000000000000000', secret: appSecret, js_code: 'x' })).errcode, 40013)
  assert.equal((await session({ appid: appId, secret: 'wrong', js_code: await code() })).errcode, 40125)
  const c = await code('dave')
  const first = await session({ appid: appId, secret: appSecret, js_code: c })
  assert.match(first.openid, /^o[0-9a-f]{27}$/)
  assert.ok(first.session_key)
  assert.equal((await session({ appid: appId, secret: appSecret, js_code: c })).errcode, 40029, 'a code works once')
  assert.equal((await session({ appid: appId, secret: appSecret, js_code: await code('dave') })).openid, first.openid)
  assert.notEqual((await session({ appid: appId, secret: appSecret, js_code: await code('erin') })).openid, first.openid)
  const expired = createWorld({ env: { MERCHANT_API: 'v2', SIM_LOGIN_CODE_TTL_SECONDS: '0' } })
  const late = (await (await expired.sim('POST', '/sim/wx/login', {})).json()).code
  assert.equal((await (await expired.wechat.request(`/sns/jscode2session?appid=${appId}&secret=${appSecret}&js_code=${late}&grant_type=authorization_code`)).json()).errcode, 40029)
  const bad = await w.sim('POST', '/sim/wx/login', { user: 'no spaces allowed' })
  assert.equal(bad.status, 400)
  assert.equal((await bad.json()).code, 'INVALID_REQUEST')
})

test('v2 unifiedorder: sign check, required fields, reused out_trade_no, malformed XML', async () => {
  const w = createWorld({ env: { MERCHANT_API: 'v2' } })
  const { appId, mchid, apiV2Key: key } = w.config.merchant
  const order = {
    appid: appId, mch_id: mchid, body: '肥皂', out_trade_no: 'T0001', total_fee: 800, spbill_create_ip: '127.0.0.1',
    notify_url: 'http://127.0.0.1:8787/api/pay/notify/v2', trade_type: 'JSAPI', openid: 'o123', nonce_str: nonceStr(), sign_type: 'MD5',
  }
  const send = async (fields, signKey = key) => {
    const body = toXml({ ...fields, sign: signV2(fields, { key: signKey }) })
    return (await w.wechat.request('/pay/unifiedorder', { method: 'POST', body })).text()
  }
  assert.deepEqual(parseXml(await send(order, 'k'.repeat(32))), { return_code: 'FAIL', return_msg: 'SIGNERROR' })
  const ok = parseUnifiedOrderResponse(await send(order), { key, appId, mchId: mchid })
  assert.match(ok.prepayId, /^wx/)
  // The same order again gets the same prepay_id; the number reused for another order is OUT_TRADE_NO_USED.
  assert.equal(parseUnifiedOrderResponse(await send({ ...order, nonce_str: nonceStr() }), { key }).prepayId, ok.prepayId)
  const again = await send({ ...order, total_fee: 801 })
  assert.throws(() => parseUnifiedOrderResponse(again, { key }), { err_code: 'OUT_TRADE_NO_USED' })
  const { openid, ...noOpenid } = order
  assert.equal(parseXml(await send({ ...noOpenid, out_trade_no: 'T0002' })).err_code, 'LACK_PARAMS')
  assert.equal(parseXml(await send({ ...order, out_trade_no: 'T0003', total_fee: '0' })).err_code, 'INVALID_REQUEST')
  const malformed = async (body) => parseXml(await (await w.wechat.request('/pay/unifiedorder', { method: 'POST', body })).text())
  assert.equal((await malformed('<xml><a>')).return_msg, 'XML_FORMAT_ERROR')
  assert.equal((await malformed('<!DOCTYPE x [<!ENTITY e "e">]><xml><a>&e;</a></xml>')).return_msg, 'XML_FORMAT_ERROR')
  assert.equal(w.count('SELECT count(*) FROM wx_transactions'), 1)
})

test('cashier: malformed params are refused with a requestPayment:fail errMsg', async () => {
  const w = createWorld({ env: { MERCHANT_API: 'v2' } })
  for (const body of ['{', {}, { timeStamp: 1, nonceStr: 'n', package: 'prepay_id=wx1', signType: 'MD5', paySign: 'A' }, { timeStamp: '1', nonceStr: 'n', package: 'wx1', signType: 'MD5', paySign: 'A' }, { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'SHA1', paySign: 'A' }]) {
    const res = await w.sim('POST', '/sim/cashier/confirm', body)
    assert.equal(res.status, 400)
    assert.match((await res.json()).errMsg, /^requestPayment:fail /)
  }
  const res = await w.sim('POST', '/sim/cashier/preview', { package: 'nonsense' })
  assert.equal(res.status, 400)
})
