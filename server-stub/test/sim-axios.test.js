// Another SDK's own client, unchanged, against the simulator over real HTTP and HTTPS: wechatpay-axios-plugin
// (its v3 client with `certs` keyed by the PUB_KEY_ID, its v2 client with the merchant certificate). What a
// real client trips on (header case, content types, an empty 204 body that is signed, bill CSV) must work.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { Aes, Formatter, Hash, Multipart, Rsa, Wechatpay } from 'wechatpay-axios-plugin'
import { openidFor } from '../src/wechat/ids.js'
import { keysOf, startSim } from './sim-world.js'

const postJson = (url, body) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

function client(s, m, { certificateMode = false } = {}) {
  const own = keysOf(m)
  return new Wechatpay({
    mchid: m.mchid,
    serial: m.merchantSerialNo,
    privateKey: own.merchantPrivateKey,
    certs: certificateMode ? { [m.platformSerialNo]: m.platformCertificate } : { [m.wechatpayPublicKeyId]: m.wechatpayPublicKey },
    secret: m.apiV2Key,
    merchant: { cert: own.merchantCertificate, key: own.merchantPrivateKey, ca: s.config.wechat.tls.ca },
    baseURL: `${s.http}/`,
  })
}

test('wechatpay-axios-plugin v3: prepay, pay, query, close, refund, refund query, bill, media, errors', async () => {
  const s = await startSim()
  try {
    const m = s.direct
    const wxpay = client(s, m)
    const openid = openidFor(m.appId, 'ann')
    const order = (no) => ({ appid: m.appId, mchid: m.mchid, description: 'Image形象店-深圳腾大-QQ公仔', out_trade_no: no, notify_url: 'https://merchant.example/notify', amount: { total: 100, currency: 'CNY' }, payer: { openid } })
    const { data: { prepay_id: prepayId } } = await wxpay.v3.pay.transactions.jsapi.post(order('AXIOS00001'))
    assert.match(prepayId, /^wx/)
    // paySign as the plugin's README makes it.
    const timeStamp = String(Formatter.timestamp())
    const nonceStr = Formatter.nonce()
    const paySign = Rsa.sign(Formatter.joinedByLineFeed(m.appId, timeStamp, nonceStr, `prepay_id=${prepayId}`), Rsa.from(keysOf(m).merchantPrivateKey))
    const paid = await postJson(`${s.http}/sim/cashier/confirm`, { timeStamp, nonceStr, package: `prepay_id=${prepayId}`, signType: 'RSA', paySign, payer: 'ann' })
    assert.equal(paid.status, 200)

    const q = await wxpay.v3.pay.transactions.outTradeNo.$out_trade_no$.get({ params: { mchid: m.mchid }, out_trade_no: 'AXIOS00001' })
    assert.deepEqual([q.status, q.data.trade_state, q.data.amount.total], [200, 'SUCCESS', 100])
    const byId = await wxpay.v3.pay.transactions.id._transaction_id_.get({ params: { mchid: m.mchid }, transaction_id: q.data.transaction_id })
    assert.equal(byId.data.out_trade_no, 'AXIOS00001')

    await wxpay.v3.pay.transactions.native.post({ ...order('AXIOS00002'), payer: undefined })
    const closed = await wxpay.v3.pay.transactions.outTradeNo.$out_trade_no$.close.post({ mchid: m.mchid }, { out_trade_no: 'AXIOS00002' })
    assert.deepEqual([closed.status, closed.data], [204, ''], 'an empty 204, signed, verifies')

    const refund = await wxpay.v3.refund.domestic.refunds.post({
      transaction_id: q.data.transaction_id, out_refund_no: 'AXIOS-R1', reason: '商品已售完', notify_url: 'https://merchant.example/refund', funds_account: 'AVAILABLE',
      amount: { refund: 60, from: [{ account: 'AVAILABLE', amount: 60 }], total: 100, currency: 'CNY' },
    })
    assert.equal(refund.data.status, 'PROCESSING')
    const rq = await wxpay.v3.refund.domestic.refunds._out_refund_no_.get({ out_refund_no: 'AXIOS-R1' })
    assert.deepEqual([rq.data.status, rq.data.amount.settlement_refund, rq.data.amount.discount_refund], ['SUCCESS', 60, 0])

    // WeChat's errors reach the caller as {code, message} with the HTTP status.
    await assert.rejects(wxpay.v3.pay.transactions.jsapi.post({ ...order('AXIOS00001'), amount: { total: 101, currency: 'CNY' } }), (e) => {
      assert.deepEqual([e.response.status, e.response.data.code], [400, 'ORDERPAID'])
      return true
    })
    await assert.rejects(wxpay.v3.pay.transactions.outTradeNo.$out_trade_no$.get({ params: { mchid: m.mchid }, out_trade_no: 'NOSUCHORDER' }), (e) => e.response.status === 404)

    // Bills: apply, download (unsigned: the plugin skips verification there), digest, and the plugin's CSV parser.
    const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
    const apply = await wxpay.v3.bill.tradebill.get({ params: { bill_date: today, bill_type: 'ALL' } })
    const token = new URL(apply.data.download_url).searchParams.get('token')
    const file = await wxpay.v3.billdownload.file.get({ params: { token }, responseType: 'arraybuffer' })
    assert.equal(Hash.sha1(file.data), apply.data.hash_value)
    const { rows, summary } = Formatter.castCsvBill(file.data)
    assert.equal(rows.length, 2, 'one payment, one refund')
    assert.deepEqual([rows[0]['商户订单号'], rows[0]['应结订单金额'], rows[1]['退款金额']], ['AXIOS00001', '1.00', '0.60'])
    assert.deepEqual([summary['总交易单数'], summary['应结订单总金额'], summary['退款总金额']], ['2', '1.00', '0.60'])

    // Media upload, the plugin's Multipart signed over the meta JSON.
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082', 'hex')
    const meta = { filename: 'logo.png', sha256: createHash('sha256').update(png).digest('hex') }
    const form = new Multipart()
    form.append('meta', JSON.stringify(meta), 'meta.json').append('file', png, 'logo.png')
    const media = await wxpay.v3.merchant.media.upload.post(form, { meta, headers: form.getHeaders() })
    assert.match(media.data.media_id, /^[\w-]+$/)
  } finally {
    await s.sim.stop()
  }
})

test('wechatpay-axios-plugin v3 in certificate mode: /v3/certificates, answers signed by the platform certificate', async () => {
  const s = await startSim({ SIM_MERCHANT_KEY_MODE: 'certificate' })
  try {
    const m = s.direct
    const wxpay = client(s, m, { certificateMode: true })
    const { data } = await wxpay.v3.certificates.get()
    assert.equal(data.data[0].serial_no, m.platformSerialNo)
    const { ciphertext, nonce, associated_data: aad } = data.data[0].encrypt_certificate
    assert.equal(Aes.AesGcm.decrypt(ciphertext, m.apiV3Key, nonce, aad).trim(), m.platformCertificate.trim())
    // A client holding only the public key cannot verify a certificate-mode merchant's answers.
    await assert.rejects(client(s, m).v3.certificates.get(), (e) => e.code === 'EV3_RES_HEADER_PLATFORM_SERIAL')
  } finally {
    await s.sim.stop()
  }
})

test('wechatpay-axios-plugin v2: unifiedorder, orderquery, closeorder, and refund over mutual TLS with the merchant certificate', async () => {
  const s = await startSim()
  try {
    const m = s.direct
    const wxpay = client(s, m)
    const openid = openidFor(m.appId, 'bea')
    const { data: order } = await wxpay.v2.pay.unifiedorder.post({
      appid: m.appId, mch_id: m.mchid, body: '肥皂', out_trade_no: 'AXIOSV2001', total_fee: 800, spbill_create_ip: '127.0.0.1',
      notify_url: 'https://merchant.example/v2', trade_type: 'JSAPI', openid, sign_type: Hash.ALGO_HMAC_SHA256,
    })
    assert.deepEqual([order.return_code, order.result_code], ['SUCCESS', 'SUCCESS'])
    const timeStamp = String(Formatter.timestamp())
    const nonceStr = Formatter.nonce()
    const pkg = `prepay_id=${order.prepay_id}`
    const paySign = Hash.sign(Hash.ALGO_HMAC_SHA256, { appId: m.appId, timeStamp, nonceStr, package: pkg, signType: Hash.ALGO_HMAC_SHA256 }, m.apiV2Key)
    assert.equal((await postJson(`${s.http}/sim/cashier/confirm`, { timeStamp, nonceStr, package: pkg, signType: 'HMAC-SHA256', paySign, payer: 'bea' })).status, 200)
    const { data: q } = await wxpay.v2.pay.orderquery.post({ appid: m.appId, mch_id: m.mchid, out_trade_no: 'AXIOSV2001' })
    assert.equal(q.trade_state, 'SUCCESS')
    const { data: refund } = await wxpay.v2.secapi.pay.refund.post(
      { appid: m.appId, mch_id: m.mchid, out_trade_no: 'AXIOSV2001', out_refund_no: 'AXIOSV2-R1', total_fee: 800, refund_fee: 800 },
      { security: true, baseURL: `${s.https}/` },
    )
    assert.deepEqual([refund.return_code, refund.result_code, refund.refund_fee], ['SUCCESS', 'SUCCESS', '800'])
    const { data: rq } = await wxpay.v2.pay.refundquery.post({ appid: m.appId, mch_id: m.mchid, out_refund_no: 'AXIOSV2-R1' })
    assert.equal(rq.refund_status_0, 'SUCCESS')
    await wxpay.v2.pay.unifiedorder.post({
      appid: m.appId, mch_id: m.mchid, body: '毛巾', out_trade_no: 'AXIOSV2002', total_fee: 100, spbill_create_ip: '127.0.0.1', notify_url: 'https://merchant.example/v2', trade_type: 'JSAPI', openid,
    })
    const { data: closed } = await wxpay.v2.pay.closeorder.post({ appid: m.appId, mch_id: m.mchid, out_trade_no: 'AXIOSV2002' })
    assert.equal(closed.result_code, 'SUCCESS')
  } finally {
    await s.sim.stop()
  }
})
