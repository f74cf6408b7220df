// The simulator's API v2 over real HTTP and HTTPS: unifiedorder (idempotent), orderquery by either number,
// closeorder, refund on the mutual-TLS port (the merchant's client certificate required), refundquery, refund
// notifications with req_info, and WeChat's notification quirks on demand.
import 'reflect-metadata'
import assert from 'node:assert/strict'
import { webcrypto } from 'node:crypto'
import https from 'node:https'
import { test } from 'node:test'
import * as x509 from '@peculiar/x509'
import { decryptV2RefundNotification, nonceStr, parseV2Notification, parseXml, requestPaymentV2, signV2, toXml } from 'wechatpay-wasm'
import { loadConfig } from '../src/config.js'
import { openidFor } from '../src/wechat/ids.js'
import { DATA_DIR, keysOf, startSim } from './sim-world.js'

/** POSTs XML over HTTPS with the given client certificate (or none); resolves the parsed answer. */
function tlsPost(s, path, body, { key, cert } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request(`${s.https}${path}`, { method: 'POST', ca: s.config.wechat.tls.ca, key, cert, headers: { 'content-type': 'text/xml' } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d) => { text += d })
      res.on('end', () => resolve(parseXml(text)))
    })
    req.on('error', reject)
    req.end(body)
  })
}
const post = async (s, path, body) => parseXml(await (await fetch(`${s.http}${path}`, { method: 'POST', body })).text())
const signed = (m, fields, signType = 'MD5') => {
  const f = { appid: m.appId, mch_id: m.mchid, nonce_str: nonceStr(), sign_type: signType, ...fields }
  return toXml({ ...f, sign: signV2(f, { key: m.apiV2Key, signType }) })
}

async function paidV2Order(s, outTradeNo, { signType = 'MD5', user = 'vic' } = {}) {
  const m = s.direct
  const order = { body: '肥皂', out_trade_no: outTradeNo, total_fee: 800, spbill_create_ip: '127.0.0.1', notify_url: 'https://merchant.example/v2/notify', trade_type: 'JSAPI', openid: openidFor(m.appId, user) }
  const r = await post(s, '/pay/unifiedorder', signed(m, order, signType))
  assert.equal(r.result_code, 'SUCCESS', JSON.stringify(r))
  const params = requestPaymentV2({ key: m.apiV2Key, appId: m.appId, prepayId: r.prepay_id, signType })
  const paid = await fetch(`${s.http}/sim/cashier/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...params, payer: user }) })
  assert.equal(paid.status, 200, await paid.clone().text())
  return { order, prepayId: r.prepay_id }
}

test('v2 refund needs the merchant certificate: no certificate fails the handshake; the wrong one is refused; the right one refunds once', async () => {
  const s = await startSim()
  try {
    const m = s.direct
    const { order } = await paidV2Order(s, 'V2REFUND01')
    const refund = (over = {}) => signed(m, { out_trade_no: order.out_trade_no, out_refund_no: 'V2R-1', total_fee: 800, refund_fee: 300, notify_url: 'https://merchant.example/v2/refund', ...over })
    const own = { key: keysOf(m).merchantPrivateKey, cert: keysOf(m).merchantCertificate }

    await assert.rejects(tlsPost(s, '/secapi/pay/refund', refund()), 'no client certificate: the TLS handshake fails')
    // A certificate WeChat (the simulator's CA) did not issue.
    const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 }
    const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])
    x509.cryptoProvider.set(webcrypto)
    const selfSigned = await x509.X509CertificateGenerator.createSelfSigned({ name: `CN=${m.mchid}`, keys, signingAlgorithm: alg })
    const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64')
    await assert.rejects(tlsPost(s, '/secapi/pay/refund', refund(), { key: `-----BEGIN PRIVATE KEY-----\n${pkcs8}\n-----END PRIVATE KEY-----\n`, cert: selfSigned.toString('pem') }))
    // A valid certificate of another merchant.
    const other = await tlsPost(s, '/secapi/pay/refund', refund(), { key: keysOf(s.partner).merchantPrivateKey, cert: keysOf(s.partner).merchantCertificate })
    assert.equal(other.return_code, 'FAIL')
    assert.match(other.return_msg, /证书与商户号不匹配/)
    // The plain HTTP port has no certificate to offer.
    const plain = await post(s, '/secapi/pay/refund', refund())
    assert.deepEqual([plain.return_code, /证书/.test(plain.return_msg)], ['FAIL', true])

    const ok = await tlsPost(s, '/secapi/pay/refund', refund(), own)
    assert.deepEqual([ok.return_code, ok.result_code, ok.out_refund_no, ok.refund_fee, ok.total_fee, ok.settlement_refund_fee], ['SUCCESS', 'SUCCESS', 'V2R-1', '300', '800', '300'])
    assert.match(ok.refund_id, /^50\d{27}$/)
    const { sign, ...unsigned } = ok
    assert.equal(sign, signV2(unsigned, { key: m.apiV2Key, signType: 'MD5' }), 'the answer is signed')
    assert.equal((await tlsPost(s, '/secapi/pay/refund', refund(), own)).refund_id, ok.refund_id, 'the same out_refund_no, the same refund')
    const changed = await tlsPost(s, '/secapi/pay/refund', refund({ refund_fee: 200 }), own)
    assert.deepEqual([changed.result_code, changed.err_code], ['FAIL', 'PARAM_ERROR'])
    assert.equal((await tlsPost(s, '/secapi/pay/refund', refund({ out_refund_no: 'V2R-2', refund_fee: 501 }), own)).err_code, 'ERROR', 'more than is left')
    assert.equal((await tlsPost(s, '/secapi/pay/refund', refund({ out_refund_no: 'V2R-3', out_trade_no: 'NOSUCH' }), own)).err_code, 'INVALID_TRANSACTIONID')
    assert.equal((await tlsPost(s, '/secapi/pay/refund', refund({ out_refund_no: 'V2R-4', refund_fee: undefined }), own)).err_code, 'PARAM_ERROR')
    const badSign = refund().replace(/<sign>.*<\/sign>/, '<sign><![CDATA[00000000000000000000000000000000]]></sign>')
    assert.equal((await tlsPost(s, '/secapi/pay/refund', badSign, own)).return_msg, 'SIGNERROR')

    // The refund notification: unsigned, the refund in req_info (AES-256-ECB with MD5 of the API key).
    const row = s.db.prepare("SELECT * FROM wx_deliveries WHERE event_type LIKE 'REFUND.%'").get()
    assert.equal(row.notify_url, 'https://merchant.example/v2/refund')
    assert.equal(parseXml(row.body).sign, undefined)
    const n = decryptV2RefundNotification(row.body, { key: m.apiV2Key, appId: m.appId, mchId: m.mchid })
    assert.deepEqual([n.out_refund_no, n.refund_id, n.refund_fee, n.total_fee, n.refund_status, n.refund_recv_accout], ['V2R-1', ok.refund_id, 300, 800, 'SUCCESS', '支付用户零钱'])
    assert.match(n.success_time, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
    assert.throws(() => decryptV2RefundNotification(row.body, { key: 'x'.repeat(32) }))

    // refundquery by each of the four numbers.
    for (const by of [{ out_refund_no: 'V2R-1' }, { refund_id: ok.refund_id }, { out_trade_no: order.out_trade_no }, { transaction_id: ok.transaction_id }]) {
      const q = await post(s, '/pay/refundquery', signed(m, by))
      assert.deepEqual([q.result_code, q.refund_count, q.out_refund_no_0, q.refund_status_0, q.refund_fee_0], ['SUCCESS', '1', 'V2R-1', 'SUCCESS', '300'], JSON.stringify(by))
    }
    assert.equal((await post(s, '/pay/refundquery', signed(m, { out_refund_no: 'NONE' }))).err_code, 'REFUNDNOTEXIST')
  } finally {
    await s.sim.stop()
  }
})

test('v2 unifiedorder is idempotent; orderquery by transaction_id or out_trade_no; closeorder', async () => {
  const s = await startSim()
  try {
    const m = s.direct
    const order = { body: '毛巾', out_trade_no: 'V2IDEM0001', total_fee: 1990, spbill_create_ip: '127.0.0.1', notify_url: 'https://merchant.example/n', trade_type: 'JSAPI', openid: 'o1' }
    const first = await post(s, '/pay/unifiedorder', signed(m, order))
    const again = await post(s, '/pay/unifiedorder', signed(m, { ...order, spbill_create_ip: '10.0.0.1' }))
    assert.equal(again.prepay_id, first.prepay_id, 'a new nonce and IP are the same order')
    assert.equal((await post(s, '/pay/unifiedorder', signed(m, { ...order, total_fee: 1991 }))).err_code, 'OUT_TRADE_NO_USED')
    assert.equal((await post(s, '/pay/orderquery', signed(m, { out_trade_no: 'V2IDEM0001' }))).trade_state, 'NOTPAY')
    assert.equal((await post(s, '/pay/orderquery', signed(m, {}))).err_code, 'LACK_PARAMS')
    assert.equal((await post(s, '/pay/closeorder', signed(m, { out_trade_no: 'V2IDEM0001' }))).result_code, 'SUCCESS')
    assert.equal((await post(s, '/pay/closeorder', signed(m, { out_trade_no: 'V2IDEM0001' }))).err_code, 'ORDERCLOSED')
    assert.equal((await post(s, '/pay/unifiedorder', signed(m, order))).err_code, 'ORDERCLOSED')

    const { prepayId } = await paidV2Order(s, 'V2QUERY001', { signType: 'HMAC-SHA256' })
    const q = await post(s, '/pay/orderquery', signed(m, { out_trade_no: 'V2QUERY001' }, 'HMAC-SHA256'))
    assert.deepEqual([q.trade_state, q.total_fee, q.cash_fee, q.trade_type], ['SUCCESS', '800', '800', 'JSAPI'])
    assert.equal(q.sign.length, 64)
    const byId = await post(s, '/pay/orderquery', signed(m, { transaction_id: q.transaction_id }))
    assert.equal(byId.out_trade_no, 'V2QUERY001')
    assert.equal((await post(s, '/pay/orderquery', signed(m, { transaction_id: '4200000000000000000000000000' }))).err_code, 'ORDERNOTEXIST')
    assert.equal((await post(s, '/pay/closeorder', signed(m, { out_trade_no: 'V2QUERY001' }))).err_code, 'ORDERPAID')
    assert.ok(prepayId)
  } finally {
    await s.sim.stop()
  }
})

test('quirks on demand: an MD5-signed v2 notification for an HMAC-SHA256 merchant, and one without sign_type', async () => {
  const s = await startSim()
  try {
    const m = s.direct
    const notification = async (no) => {
      await paidV2Order(s, no, { signType: 'HMAC-SHA256' })
      return parseXml(s.db.prepare('SELECT body FROM wx_deliveries ORDER BY id DESC').pluck().get())
    }
    const normal = await notification('QUIRK00001')
    assert.deepEqual([normal.sign_type, normal.sign.length], ['HMAC-SHA256', 64])
    const set = async (quirks) => (await fetch(`${s.http}/sim/merchants/${m.mchid}/settings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ quirks }) })).json()
    assert.deepEqual((await set(['v2-notify-md5'])).quirks, ['v2-notify-md5'])
    const md5 = await notification('QUIRK00002')
    assert.deepEqual([md5.sign_type, md5.sign.length], ['MD5', 32])
    await set(['v2-notify-md5', 'v2-notify-no-sign-type'])
    const bare = await notification('QUIRK00003')
    assert.deepEqual([bare.sign_type, bare.sign.length], [undefined, 32])
    // Still genuine: a verifier that picks the algorithm by the signature's length accepts it.
    const xml = s.db.prepare('SELECT body FROM wx_deliveries ORDER BY id DESC').pluck().get()
    assert.equal(parseV2Notification(xml, { key: m.apiV2Key, appId: m.appId, mchId: m.mchid }).out_trade_no, 'QUIRK00003')
    await set(['v2-notify-no-sign-type'])
    const noType = await notification('QUIRK00004')
    assert.deepEqual([noType.sign_type, noType.sign.length], [undefined, 64])
    assert.equal((await fetch(`${s.http}/sim/merchants/${m.mchid}/settings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"quirks":["nope"]}' })).status, 400)
    // The same quirks from the start, by SIM_QUIRKS.
    const t = await startSim({ SIM_QUIRKS: 'v2-notify-md5,v2-notify-no-sign-type' })
    try {
      assert.deepEqual(await (await fetch(`${t.http}/sim/merchants`)).json().then((l) => l[0].quirks), ['v2-notify-md5', 'v2-notify-no-sign-type'])
    } finally {
      await t.sim.stop()
    }
    assert.throws(() => loadConfig({ DATA_DIR, SIM_MERCHANT_KEY_MODE: 'both' }), /KEY_MODE/)
  } finally {
    await s.sim.stop()
  }
})
