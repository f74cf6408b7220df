// The simulator's API v3 prepay, query and close, direct and partner, through app.request(): WeChat's paths,
// required fields, status and error codes, idempotent prepay, and the cashier paying as the right user.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openidFor } from '../src/wechat/ids.js'
import { createSim, jsapiOrder, payJsapi } from './sim-world.js'

const json = (w, path, body) => w.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

test('prepay: JSAPI, APP, H5 and Native answer prepay_id, h5_url, code_url; every answer signed', async () => {
  const w = createSim()
  const c = w.client()
  const base = jsapiOrder(w.direct)
  const { payer, ...noPayer } = base
  const h5 = { ...noPayer, out_trade_no: 'H5ORDER01', scene_info: { payer_client_ip: '203.0.113.7', h5_info: { type: 'Wap' } } }
  const jsapi = await c.call('POST', '/v3/pay/transactions/jsapi', base)
  assert.deepEqual([jsapi.status, jsapi.verified], [200, true])
  assert.match(jsapi.json.prepay_id, /^wx\d{12}/)
  const app = await c.call('POST', '/v3/pay/transactions/app', { ...noPayer, out_trade_no: 'APPORDER01' })
  assert.match(app.json.prepay_id, /^wx/)
  const h = await c.call('POST', '/v3/pay/transactions/h5', h5)
  assert.equal(h.status, 200)
  assert.match(h.json.h5_url, /^http:\/\/localhost\/sim\/checkmweb\?prepay_id=wx\w+&package=\d+$/)
  const n = await c.call('POST', '/v3/pay/transactions/native', { ...noPayer, out_trade_no: 'NATIVE0001' })
  assert.match(n.json.code_url, /^weixin:\/\/wxpay\/bizpayurl\?pr=wx\w+$/)
  assert.equal(w.count("SELECT group_concat(trade_type, ',') FROM (SELECT trade_type FROM wx_transactions ORDER BY rowid)"), 'JSAPI,APP,MWEB,NATIVE')

  // Required fields per kind: JSAPI needs payer.openid; H5 needs scene_info with h5_info.
  const missing = async (kind, body, field) => {
    const r = await c.call('POST', `/v3/pay/transactions/${kind}`, body)
    assert.deepEqual([r.status, r.json.code, r.verified], [400, 'PARAM_ERROR', true], `${kind} without ${field}`)
    assert.match(r.json.message, new RegExp(field.replace('.', '\\.')))
  }
  await missing('jsapi', { ...noPayer, out_trade_no: 'MISSING001' }, 'payer')
  await missing('h5', { ...h5, out_trade_no: 'MISSING002', scene_info: { payer_client_ip: '203.0.113.7' } }, 'scene_info.h5_info')
  await missing('h5', { ...noPayer, out_trade_no: 'MISSING003' }, 'scene_info')
  for (const field of ['appid', 'mchid', 'description', 'out_trade_no', 'notify_url', 'amount']) {
    const { [field]: _, ...without } = base
    await missing('jsapi', { ...without, out_trade_no: field === 'out_trade_no' ? undefined : `MISS${field}` }, field)
  }
  const bad = async (body, code, status = 400) => {
    const r = await c.call('POST', '/v3/pay/transactions/jsapi', body)
    assert.deepEqual([r.status, r.json.code], [status, code], JSON.stringify(body).slice(0, 80))
  }
  await bad({ ...base, out_trade_no: 'short' }, 'PARAM_ERROR')
  await bad({ ...base, out_trade_no: 'BADAMOUNT1', amount: { total: 0 } }, 'PARAM_ERROR')
  await bad({ ...base, out_trade_no: 'BADAMOUNT2', amount: { total: 1.5 } }, 'PARAM_ERROR')
  await bad({ ...base, out_trade_no: 'BADEXPIRE1', time_expire: 'tomorrow' }, 'PARAM_ERROR')
  await bad({ ...base, out_trade_no: 'WRONGMCH01', mchid: w.partner.mchid }, 'PARAM_ERROR')
  await bad({ ...base, out_trade_no: 'WRONGAPP01', appid: w.sub.appId }, 'APPID_MCHID_NOT_MATCH')
  await bad('{"appid":', 'PARAM_ERROR')
  // A direct merchant is not a service provider.
  const asPartner = await c.call('POST', '/v3/pay/partner/transactions/jsapi', {
    ...noPayer, appid: undefined, mchid: undefined, sp_appid: w.direct.appId, sp_mchid: w.direct.mchid, sub_mchid: w.sub.mchid, payer: { sp_openid: 'o1' },
  })
  assert.deepEqual([asPartner.status, asPartner.json.code], [403, 'NO_AUTH'])
})

test('prepay: notify_url must be https (http for local use) without a query string, at most 255 characters', async () => {
  const w = createSim()
  const c = w.client()
  const p = w.client(w.partner)
  let i = 0
  const partnerOrder = (notifyUrl) => ({
    sp_appid: w.partner.appId, sp_mchid: w.partner.mchid, sub_mchid: w.sub.mchid, description: '花', out_trade_no: `PNOTIFY${i++}`,
    notify_url: notifyUrl, amount: { total: 100 }, payer: { sp_openid: 'o1' },
  })
  const { payer, ...noPayer } = jsapiOrder(w.direct)
  const bodies = {
    jsapi: (u) => jsapiOrder(w.direct, { notify_url: u, out_trade_no: `NOTIFY${i++}` }),
    app: (u) => ({ ...noPayer, notify_url: u, out_trade_no: `NOTIFY${i++}` }),
    h5: (u) => ({ ...noPayer, notify_url: u, out_trade_no: `NOTIFY${i++}`, scene_info: { payer_client_ip: '::1', h5_info: { type: 'iOS' } } }),
    native: (u) => ({ ...noPayer, notify_url: u, out_trade_no: `NOTIFY${i++}` }),
  }
  const refused = ['file:///etc/passwd', 'gopher://127.0.0.1:25/x', 'javascript:alert(1)', 'ftp://merchant.example/n', 'https://merchant.example/n?order=1',
    'https://user:pw@merchant.example/n', 'notify', `https://merchant.example/${'n'.repeat(240)}`]
  for (const [kind, body] of Object.entries(bodies)) {
    for (const u of refused) {
      const r = await c.call('POST', `/v3/pay/transactions/${kind}`, body(u))
      assert.deepEqual([r.status, r.json.code], [400, 'PARAM_ERROR'], `${kind} ${u}`)
    }
    for (const u of ['https://merchant.example/notify', 'http://127.0.0.1:8787/api/pay/notify']) {
      assert.equal((await c.call('POST', `/v3/pay/transactions/${kind}`, body(u))).status, 200, `${kind} ${u}`)
    }
  }
  for (const u of refused) assert.equal((await p.call('POST', '/v3/pay/partner/transactions/jsapi', partnerOrder(u))).json.code, 'PARAM_ERROR', `partner ${u}`)
  assert.equal((await p.call('POST', '/v3/pay/partner/transactions/jsapi', partnerOrder('https://sp.example/notify'))).status, 200)
  assert.equal(w.count("SELECT count(*) FROM wx_transactions WHERE notify_url NOT LIKE 'http%'"), 0)
})

test('prepay is idempotent by out_trade_no: identical → the same prepay_id; changed → INVALID_REQUEST; paid → ORDERPAID', async () => {
  const w = createSim()
  const c = w.client()
  const order = jsapiOrder(w.direct, { payer: { openid: openidFor(w.direct.appId, 'alice') } })
  const first = await c.call('POST', '/v3/pay/transactions/jsapi', order)
  // The same fields in another order are the same request.
  const reordered = Object.fromEntries(Object.entries(order).reverse())
  const again = await c.call('POST', '/v3/pay/transactions/jsapi', reordered)
  assert.deepEqual([again.status, again.json.prepay_id, again.verified], [200, first.json.prepay_id, true])
  const changed = await c.call('POST', '/v3/pay/transactions/jsapi', { ...order, amount: { total: 801, currency: 'CNY' } })
  assert.deepEqual([changed.status, changed.json.code, changed.json.message], [400, 'INVALID_REQUEST', '请求重入时，参数与首次请求时不一致'])
  assert.equal((await c.call('POST', '/v3/pay/transactions/jsapi', { ...order, attach: 'x' })).json.code, 'INVALID_REQUEST')
  // The prepay_id expired (2 h), the order did not (7 days): the same request gets a new prepay_id.
  w.clock.now += 7201 * 1000
  const renewed = await c.call('POST', '/v3/pay/transactions/jsapi', order)
  assert.equal(renewed.status, 200)
  assert.notEqual(renewed.json.prepay_id, first.json.prepay_id)
  assert.equal((await payJsapi(w, w.direct, renewed.json.prepay_id, 'alice')).status, 200)
  const paid = await c.call('POST', '/v3/pay/transactions/jsapi', order)
  assert.deepEqual([paid.status, paid.json.code], [400, 'ORDERPAID'])
  // Closed, then asked again: ORDER_CLOSED. Closed before it ever existed: INVALID_REQUEST (as WeChat answers).
  const other = jsapiOrder(w.direct, { out_trade_no: 'CLOSEDFIRST' })
  await c.call('POST', '/v3/pay/transactions/jsapi', other)
  assert.equal((await c.call('POST', '/v3/pay/transactions/out-trade-no/CLOSEDFIRST/close', { mchid: w.direct.mchid })).status, 204)
  assert.equal((await c.call('POST', '/v3/pay/transactions/jsapi', other)).json.code, 'ORDER_CLOSED')
  assert.equal((await c.call('POST', '/v3/pay/transactions/out-trade-no/NEVERPLACED1/close', { mchid: w.direct.mchid })).status, 204)
  const late = await c.call('POST', '/v3/pay/transactions/jsapi', jsapiOrder(w.direct, { out_trade_no: 'NEVERPLACED1' }))
  assert.deepEqual([late.status, late.json.code], [400, 'INVALID_REQUEST'])
})

test('query by out_trade_no and by transaction_id; an unpaid order only by out_trade_no; close is re-entrant, 204 signed', async () => {
  const w = createSim()
  const c = w.client()
  const { mchid } = w.direct
  const order = jsapiOrder(w.direct, { payer: { openid: openidFor(w.direct.appId, 'bob') }, attach: 'cart-7' })
  const { json: { prepay_id: prepayId } } = await c.call('POST', '/v3/pay/transactions/jsapi', order)
  const byNo = `/v3/pay/transactions/out-trade-no/${order.out_trade_no}?mchid=${mchid}`
  const unpaid = await c.call('GET', byNo)
  assert.equal(unpaid.verified, true)
  assert.deepEqual(unpaid.json, {
    appid: w.direct.appId, mchid, out_trade_no: order.out_trade_no, trade_state: 'NOTPAY', trade_state_desc: '未支付',
    payer: { openid: order.payer.openid }, amount: { total: 800, currency: 'CNY' },
  })
  assert.equal((await c.call('GET', `/v3/pay/transactions/out-trade-no/${order.out_trade_no}`)).json.code, 'PARAM_ERROR', 'mchid is required')
  assert.equal((await c.call('GET', `/v3/pay/transactions/out-trade-no/${order.out_trade_no}?mchid=${w.partner.mchid}`)).json.code, 'PARAM_ERROR')
  assert.deepEqual([(await c.call('GET', `/v3/pay/transactions/out-trade-no/UNKNOWN0001?mchid=${mchid}`)).status], [404])
  assert.equal((await c.call('GET', `/v3/pay/transactions/out-trade-no/UNKNOWN0001?mchid=${mchid}`)).json.code, 'ORDER_NOT_EXIST')

  await payJsapi(w, w.direct, prepayId, 'bob')
  const paid = await c.call('GET', byNo)
  assert.equal(paid.json.trade_state, 'SUCCESS')
  assert.equal(paid.json.trade_type, 'JSAPI')
  assert.equal(paid.json.attach, 'cart-7')
  assert.match(paid.json.transaction_id, /^4200\d{24}$/)
  assert.match(paid.json.success_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/)
  assert.deepEqual(paid.json.amount, { total: 800, currency: 'CNY', payer_total: 800, payer_currency: 'CNY' })
  const byId = await c.call('GET', `/v3/pay/transactions/id/${paid.json.transaction_id}?mchid=${mchid}`)
  assert.deepEqual([byId.status, byId.verified, byId.json], [200, true, paid.json])
  assert.equal((await c.call('GET', `/v3/pay/transactions/id/4200000000000000000000000000?mchid=${mchid}`)).status, 404)
  // Another merchant's transaction is not found, even by its id.
  const p = w.client(w.partner)
  assert.equal((await p.call('GET', `/v3/pay/partner/transactions/id/${paid.json.transaction_id}?sp_mchid=${w.partner.mchid}&sub_mchid=${w.sub.mchid}`)).status, 404)

  const closePaid = await c.call('POST', `/v3/pay/transactions/out-trade-no/${order.out_trade_no}/close`, { mchid })
  assert.deepEqual([closePaid.status, closePaid.json.code], [400, 'ORDERPAID'])
  const open = jsapiOrder(w.direct, { out_trade_no: 'TOCLOSE0001' })
  await c.call('POST', '/v3/pay/transactions/jsapi', open)
  for (let k = 0; k < 2; k++) {
    const closed = await c.call('POST', '/v3/pay/transactions/out-trade-no/TOCLOSE0001/close', { mchid })
    assert.deepEqual([closed.status, closed.text, closed.verified], [204, '', true])
  }
  assert.equal((await c.call('GET', `/v3/pay/transactions/out-trade-no/TOCLOSE0001?mchid=${mchid}`)).json.trade_state, 'CLOSED')
  assert.equal((await c.call('POST', '/v3/pay/transactions/out-trade-no/TOCLOSE0001/close', {})).json.code, 'PARAM_ERROR')
  // An order past its time_expire reads CLOSED.
  await c.call('POST', '/v3/pay/transactions/jsapi', jsapiOrder(w.direct, { out_trade_no: 'EXPIRES0001' }))
  w.clock.now += 8 * 24 * 3600 * 1000
  assert.equal((await c.call('GET', `/v3/pay/transactions/out-trade-no/EXPIRES0001?mchid=${mchid}`)).json.trade_state, 'CLOSED')
})

test('Authorization is checked on every v3 request: unsigned, wrong key, altered, another merchant\'s serial → 401 SIGN_ERROR', async () => {
  const w = createSim()
  const c = w.client()
  const order = jsapiOrder(w.direct)
  const paths = [['POST', '/v3/pay/transactions/jsapi', order], ['POST', '/v3/pay/transactions/app', order], ['POST', '/v3/pay/partner/transactions/jsapi', order],
    ['GET', `/v3/pay/transactions/id/1?mchid=${w.direct.mchid}`], ['POST', '/v3/refund/domestic/refunds', {}], ['GET', '/v3/refund/domestic/refunds/R1'],
    ['GET', '/v3/bill/tradebill?bill_date=2026-01-01'], ['GET', '/v3/certificates'], ['GET', '/v3/billdownload/file?token=x']]
  for (const [method, path, body] of paths) {
    const r = await c.call(method, path, body, { sign: false })
    assert.deepEqual([r.status, r.json.code], [401, 'SIGN_ERROR'], `${method} ${path}`)
  }
  const altered = await c.call('POST', '/v3/pay/transactions/jsapi', order, { rawBody: JSON.stringify({ ...order, amount: { total: 1 } }) })
  assert.equal(altered.status, 401)
  assert.equal(altered.json.detail.sign_information.method, 'POST')
  const url = `/v3/pay/transactions/out-trade-no/X?mchid=${w.direct.mchid}`
  const old = await c.signer.authorization({ method: 'GET', url, timestamp: Math.floor(w.clock.now / 1000) - 301 })
  assert.equal((await w.app.request(url, { headers: { authorization: old } })).status, 401, 'signed more than 300 s ago')
  const { signer } = w.client(w.partner)
  const auth = await signer.authorization({ method: 'GET', url: `/v3/pay/transactions/out-trade-no/X?mchid=${w.direct.mchid}` })
  const forged = auth.replace(`mchid="${w.partner.mchid}"`, `mchid="${w.direct.mchid}"`)
  const r = await w.app.request(`/v3/pay/transactions/out-trade-no/X?mchid=${w.direct.mchid}`, { headers: { authorization: forged } })
  assert.equal(r.status, 401, 'the partner\'s certificate does not sign for the direct merchant')
  assert.equal(w.count('SELECT count(*) FROM wx_transactions'), 0)
})

test('partner (服务商) prepay, query and close; the cashier checks paySign against the appid the buyer pays in', async () => {
  const w = createSim()
  const p = w.client(w.partner)
  const sp = { sp_appid: w.partner.appId, sp_mchid: w.partner.mchid, sub_mchid: w.sub.mchid }
  const order = (over) => ({ ...sp, description: '山茶花', out_trade_no: `P${Math.random().toString(36).slice(2, 12)}`, notify_url: 'https://sp.example/notify', amount: { total: 1990 }, ...over })
  // sub_openid: the buyer pays inside the sub-merchant's app, so paySign is over sub_appid.
  const subOrder = order({ sub_appid: w.sub.appId, payer: { sub_openid: openidFor(w.sub.appId, 'carol') } })
  const r = await p.call('POST', '/v3/pay/partner/transactions/jsapi', subOrder)
  assert.deepEqual([r.status, r.verified], [200, true])
  assert.equal((await payJsapi(w, w.partner, r.json.prepay_id, 'carol', w.partner.appId)).json.code, 'SIGN_ERROR', 'signed over sp_appid: refused')
  assert.equal((await payJsapi(w, w.partner, r.json.prepay_id, 'dave', w.sub.appId)).json.code, 'PAYER_MISMATCH')
  assert.deepEqual(await payJsapi(w, w.partner, r.json.prepay_id, 'carol', w.sub.appId), { status: 200, json: { errMsg: 'requestPayment:ok' } })
  const q = await p.call('GET', `/v3/pay/partner/transactions/out-trade-no/${subOrder.out_trade_no}?sp_mchid=${sp.sp_mchid}&sub_mchid=${sp.sub_mchid}`)
  assert.equal(q.verified, true)
  assert.deepEqual(
    { ...q.json, transaction_id: undefined, success_time: undefined },
    {
      sp_appid: sp.sp_appid, sp_mchid: sp.sp_mchid, sub_appid: w.sub.appId, sub_mchid: sp.sub_mchid, out_trade_no: subOrder.out_trade_no, transaction_id: undefined,
      trade_type: 'JSAPI', trade_state: 'SUCCESS', trade_state_desc: '支付成功', bank_type: 'OTHERS', success_time: undefined, attach: '',
      payer: { sp_openid: openidFor(sp.sp_appid, 'carol'), sub_openid: openidFor(w.sub.appId, 'carol') },
      amount: { total: 1990, currency: 'CNY', payer_total: 1990, payer_currency: 'CNY' },
    },
  )
  const byId = await p.call('GET', `/v3/pay/partner/transactions/id/${q.json.transaction_id}?sp_mchid=${sp.sp_mchid}&sub_mchid=${sp.sub_mchid}`)
  assert.deepEqual(byId.json, q.json)
  // The notification went to the partner's URL, signed for the service provider.
  const sent = w.sent.at(-1)
  assert.equal(sent.url, 'https://sp.example/notify')

  // sp_openid: paid inside the provider's app, paySign over sp_appid.
  const spOrder = order({ payer: { sp_openid: openidFor(sp.sp_appid, 'erin') } })
  const r2 = await p.call('POST', '/v3/pay/partner/transactions/jsapi', spOrder)
  assert.equal((await payJsapi(w, w.partner, r2.json.prepay_id, 'erin', w.sub.appId)).json.code, 'SIGN_ERROR')
  assert.equal((await payJsapi(w, w.partner, r2.json.prepay_id, 'erin', sp.sp_appid)).status, 200)

  const refusals = [
    [order({ payer: { sub_openid: 'o1' } }), 'PARAM_ERROR'], // sub_openid without sub_appid
    [order({ payer: {} }), 'PARAM_ERROR'],
    [order({ sub_mchid: w.direct.mchid, payer: { sp_openid: 'o1' } }), 'INVALID_REQUEST'],
    [order({ sub_appid: w.direct.appId, payer: { sp_openid: 'o1' } }), 'INVALID_REQUEST'],
    [order({ sp_appid: w.sub.appId, payer: { sp_openid: 'o1' } }), 'APPID_MCHID_NOT_MATCH'],
    [order({ sp_mchid: w.direct.mchid, payer: { sp_openid: 'o1' } }), 'PARAM_ERROR'],
  ]
  for (const [body, code] of refusals) assert.equal((await p.call('POST', '/v3/pay/partner/transactions/jsapi', body)).json.code, code, JSON.stringify(body))
  for (const kind of ['app', 'native']) assert.equal((await p.call('POST', `/v3/pay/partner/transactions/${kind}`, order())).status, 200, kind)
  const h5 = await p.call('POST', '/v3/pay/partner/transactions/h5', order({ scene_info: { payer_client_ip: '127.0.0.1', h5_info: { type: 'Android' } } }))
  assert.match(h5.json.h5_url, /checkmweb\?prepay_id=/)

  const open = order({ payer: { sp_openid: 'o1' } })
  await p.call('POST', '/v3/pay/partner/transactions/jsapi', open)
  const close = await p.call('POST', `/v3/pay/partner/transactions/out-trade-no/${open.out_trade_no}/close`, { sp_mchid: sp.sp_mchid, sub_mchid: sp.sub_mchid })
  assert.deepEqual([close.status, close.verified], [204, true])
  assert.equal((await p.call('GET', `/v3/pay/partner/transactions/out-trade-no/${open.out_trade_no}?sp_mchid=${sp.sp_mchid}&sub_mchid=${sp.sub_mchid}`)).json.trade_state, 'CLOSED')
  assert.equal((await p.call('GET', `/v3/pay/partner/transactions/out-trade-no/${open.out_trade_no}?sp_mchid=${sp.sp_mchid}&sub_mchid=${w.direct.mchid}`)).json.code, 'INVALID_REQUEST')
})

test('cashier: APP PayReq, Native code_url and H5 h5_url pay as a user; a JSAPI order refuses a missing or different payer', async () => {
  const w = createSim()
  const c = w.client()
  const { payer, ...noPayer } = jsapiOrder(w.direct)
  const app = await c.call('POST', '/v3/pay/transactions/app', { ...noPayer, out_trade_no: 'APPPAY0001' })
  const prepayid = app.json.prepay_id
  const timestamp = String(Math.floor(w.clock.now / 1000))
  const noncestr = 'n0nce'
  const sign = await c.signer.sign(`${w.direct.appId}\n${timestamp}\n${noncestr}\n${prepayid}\n`)
  const payReq = { appid: w.direct.appId, partnerid: w.direct.mchid, prepayid, package: 'Sign=WXPay', noncestr, timestamp, sign }
  assert.equal((await json(w, '/sim/cashier/app', { ...payReq, sign: sign.replace(/^./, sign[0] === 'A' ? 'B' : 'A'), payer: 'amy' })).status, 400)
  assert.equal((await json(w, '/sim/cashier/app', { ...payReq, payer: undefined })).status, 400)
  const ok = await json(w, '/sim/cashier/app', { ...payReq, payer: 'amy' })
  assert.deepEqual([ok.status, await ok.json()], [200, { errCode: 0, errStr: '' }])
  const q = await c.call('GET', `/v3/pay/transactions/out-trade-no/APPPAY0001?mchid=${w.direct.mchid}`)
  assert.deepEqual([q.json.trade_state, q.json.trade_type, q.json.payer], ['SUCCESS', 'APP', { openid: openidFor(w.direct.appId, 'amy') }])

  const native = await c.call('POST', '/v3/pay/transactions/native', { ...noPayer, out_trade_no: 'NATIVEPAY1' })
  assert.equal((await json(w, '/sim/cashier/native', { code_url: native.json.code_url, payer: 'ben' })).status, 200)
  assert.equal((await json(w, '/sim/cashier/native', { code_url: native.json.code_url, payer: 'ben' })).status, 400, 'paid once')
  const h5 = await c.call('POST', '/v3/pay/transactions/h5', { ...noPayer, out_trade_no: 'H5PAY00001', scene_info: { payer_client_ip: '1.2.3.4', h5_info: { type: 'Wap' } } })
  // An H5 order cannot be paid as a JSAPI one.
  assert.equal((await json(w, '/sim/cashier/native', { code_url: `weixin://wxpay/bizpayurl?pr=${new URL(h5.json.h5_url).searchParams.get('prepay_id')}`, payer: 'cy' })).status, 400)
  assert.equal((await json(w, '/sim/cashier/h5', { h5_url: h5.json.h5_url, payer: 'cy' })).status, 200)
  assert.equal(w.count("SELECT count(*) FROM wx_transactions WHERE state = 'SUCCESS'"), 3)
  const page = await w.app.request(h5.json.h5_url.replace('http://localhost', ''))
  assert.equal(page.status, 200)
  assert.match(await page.text(), /微信支付模拟收银台/)

  // JSAPI: the payer must be the user whose openid the order was placed for.
  const order = jsapiOrder(w.direct, { out_trade_no: 'JSAPIPAYER1', payer: { openid: openidFor(w.direct.appId, 'dora') } })
  const { json: { prepay_id: prepayId } } = await c.call('POST', '/v3/pay/transactions/jsapi', order)
  const missing = await payJsapi(w, w.direct, prepayId, undefined)
  assert.deepEqual([missing.status, missing.json.code], [400, 'PAYER_REQUIRED'])
  assert.match(missing.json.errMsg, /^requestPayment:fail /)
  const other = await payJsapi(w, w.direct, prepayId, 'eve')
  assert.deepEqual([other.status, other.json.code, other.json.errMsg], [400, 'PAYER_MISMATCH', 'requestPayment:fail 下单账号与支付账号不一致，请核实后再支付'])
  assert.equal(w.count("SELECT state FROM wx_transactions WHERE out_trade_no = 'JSAPIPAYER1'"), 'NOTPAY')
  assert.equal((await payJsapi(w, w.direct, prepayId, 'dora')).status, 200)
})
