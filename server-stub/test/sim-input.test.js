// Bad input is never a 500: every simulator endpoint, signed or not, fed bodies and queries of the wrong shape,
// answers a 4xx with WeChat's error shape (or a v2 FAIL), and stores nothing.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createSim } from './sim-world.js'

const V3 = [
  ['POST', '/v3/pay/transactions/jsapi'], ['POST', '/v3/pay/transactions/app'], ['POST', '/v3/pay/transactions/h5'], ['POST', '/v3/pay/transactions/native'],
  ['POST', '/v3/pay/partner/transactions/jsapi'], ['POST', '/v3/pay/partner/transactions/native'],
  ['GET', '/v3/pay/transactions/out-trade-no/X%00Y?mchid=1'], ['GET', '/v3/pay/transactions/id/%E4?mchid='], ['GET', '/v3/pay/partner/transactions/id/1?sp_mchid=1&sub_mchid=2'],
  ['POST', '/v3/pay/transactions/out-trade-no/X/close'], ['POST', '/v3/pay/partner/transactions/out-trade-no/X/close'],
  ['POST', '/v3/refund/domestic/refunds'], ['GET', '/v3/refund/domestic/refunds/%20?sub_mchid=x'], ['POST', '/v3/refund/domestic/refunds/5/apply-abnormal-refund'],
  ['GET', '/v3/bill/tradebill?bill_date=2026-13-45&bill_type=ALL&bill_type=SUCCESS'], ['GET', '/v3/bill/fundflowbill?bill_date='], ['GET', '/v3/bill/sub-merchant-fundflowbill?sub_mchid='],
  ['GET', '/v3/billdownload/file?token=%FF'], ['GET', '/v3/certificates?algorithm_type=EC'], ['POST', '/v3/merchant/media/upload'],
]
const BODIES = ['', 'null', '[]', '{}', '"x"', '1e999', '{"amount":{"total":"800"},"payer":[],"mchid":{}}', '{"__proto__":{"x":1}}', '\u0000', '{'.repeat(5000)]

test('v3 endpoints: wrong shapes, signed and unsigned, are 4xx with {code, message}; nothing is stored', async () => {
  const w = createSim()
  const c = w.client()
  for (const [method, path] of V3) {
    for (const body of method === 'GET' ? [''] : BODIES) {
      for (const sign of [true, false]) {
        const r = await c.call(method, path, body || undefined, { sign, headers: { 'content-type': path.includes('media') ? 'multipart/form-data; boundary=zz' : 'application/json' } })
        assert.ok(r.status >= 400 && r.status < 500, `${method} ${path} ${JSON.stringify(body).slice(0, 20)} → ${r.status} ${r.text.slice(0, 120)}`)
        assert.equal(typeof r.json?.code, 'string', `${method} ${path}: {code, message}`)
      }
    }
  }
  assert.equal(w.count('SELECT count(*) FROM wx_transactions') + w.count('SELECT count(*) FROM wx_refunds') + w.count('SELECT count(*) FROM wx_media'), 0)
})

test('v2, login, cashier and control endpoints: wrong shapes are answered, never a 500', async () => {
  const w = createSim()
  const req = (method, path, body, type = 'application/json') => w.app.request(path, { method, headers: { 'content-type': type }, body })
  for (const path of ['/pay/unifiedorder', '/pay/orderquery', '/pay/closeorder', '/pay/refundquery', '/secapi/pay/refund']) {
    for (const body of ['', '<xml>', '<xml><mch_id>1</mch_id></xml>', `<xml><mch_id>${w.direct.mchid}</mch_id><sign>x</sign></xml>`, 'not xml', '<!DOCTYPE x [<!ENTITY a "a">]><xml>&a;</xml>']) {
      const r = await req('POST', path, body, 'text/xml')
      assert.equal(r.status, 200, path)
      assert.match(await r.text(), /<return_code><!\[CDATA\[FAIL\]\]><\/return_code>/, `${path} ${body}`)
    }
  }
  for (const [path, bodies] of [
    ['/sim/wx/login', ['', '[]', '{"user":1}', '{"user":"a b"}', '{"extra":1}']],
    ['/sim/cashier/preview', ['', '{}', '{"package":"prepay_id=../../x"}']],
    ['/sim/cashier/confirm', ['', '{}', '{"timeStamp":"1","nonceStr":"n","package":"prepay_id=wx1","signType":"RSA","paySign":"x","payer":"a b"}']],
    ['/sim/cashier/app', ['{}', '{"appid":"a","partnerid":"b","prepayid":"c","package":"x","noncestr":"n","timestamp":"1","sign":"s"}']],
    ['/sim/cashier/native', ['{}', '{"code_url":"weixin://wxpay/bizpayurl?pr=wx1","payer":"bo"}', '{"code_url":"https://evil.example/","payer":"bo"}']],
    ['/sim/cashier/h5', ['{}', '{"h5_url":"not a url","payer":"bo"}', '{"h5_url":"http://x/sim/checkmweb?prepay_id=../x","payer":"bo"}']],
    ['/sim/cashier/cancel', ['{}']],
    [`/sim/merchants/${w.direct.mchid}/settings`, ['', '{"keyMode":1}', '{"quirks":"all"}', '{"other":true}']],
  ]) {
    for (const body of bodies) {
      const r = await req('POST', path, body)
      assert.ok(r.status >= 400 && r.status < 500, `${path} ${body} → ${r.status}`)
    }
  }
  for (const q of ['', 'appid=%FF', 'appid=x&secret=y&js_code=z&grant_type=other', `appid=${w.direct.appId}&secret=${w.direct.appSecret}&js_code=${'a'.repeat(5000)}&grant_type=authorization_code`]) {
    const r = await w.app.request(`/sns/jscode2session?${q}`)
    assert.equal(r.status, 200)
    assert.equal(typeof (await r.json()).errcode, 'number', q.slice(0, 40))
  }
})
