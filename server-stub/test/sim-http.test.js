// The simulator over real HTTP and HTTPS, as a merchant meets it: as its own process (main.js, ROLE=wechat), and
// on real ports in this process for the partner and cashier flows; and the credentials folder of an older version gaining certificates without losing its keys.
import assert from 'node:assert/strict'
import { generateKeyPairSync, X509Certificate } from 'node:crypto'
import fs from 'node:fs'
import https from 'node:https'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { createSigner, createVerifier, decryptCertificates, encryptSensitive } from 'wechatpay-wasm'
import { ensureCredentials } from '../src/credentials.js'
import { openidFor } from '../src/wechat/ids.js'
import { freePort, startStub } from './processes.js'
import { keysOf, startSim } from './sim-world.js'
import { DATA_DIR } from './world.js'

test('main.js ROLE=wechat: v3 over HTTP (prepay, query, close, refund refusal, bill, certificates), the cashier page, the mutual-TLS port', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'server-stub-sim-'))
  const [port, tlsPort] = [await freePort(), await freePort()]
  const sim = await startStub({ DATA_DIR, ROLE: 'wechat', SIM_PORT: String(port), SIM_TLS_PORT: String(tlsPort), DB_PATH: path.join(dir, 'wechat.sqlite') })
  const base = `http://127.0.0.1:${port}`
  try {
    assert.match(sim.output(), new RegExp(`mutual-TLS port \\(API v2 refunds\\) at https://127\\.0\\.0\\.1:${tlsPort}`))
    const creds = ensureCredentials(path.join(DATA_DIR, 'keys'))
    const signer = createSigner({ mchid: creds.mchid, serialNo: creds.merchantSerialNo, privateKey: creds.merchantPrivateKey })
    const verifier = createVerifier({ keys: { [creds.wechatpayPublicKeyId]: creds.wechatpayPublicKey, [creds.platformSerialNo]: creds.platformCertificate } })
    const call = async (method, url, payload) => {
      const body = payload === undefined ? '' : JSON.stringify(payload)
      const res = await fetch(base + url, {
        method,
        headers: { accept: 'application/json', 'user-agent': 'sim-http-test', ...(body ? { 'content-type': 'application/json' } : {}), authorization: await signer.authorization({ method, url, body }) },
        body: body || undefined,
      })
      const text = await res.text()
      return { status: res.status, json: text ? JSON.parse(text) : null, text, headers: res.headers, verified: (await verifier.verifyResponse({ status: res.status, headers: res.headers, body: text })).verified }
    }
    const order = { appid: creds.appId, mchid: creds.mchid, description: '肥皂', out_trade_no: 'HTTP000001', notify_url: 'https://merchant.example/notify', amount: { total: 800 } }
    const prepay = await call('POST', '/v3/pay/transactions/native', order)
    assert.deepEqual([prepay.status, prepay.verified], [200, true])
    assert.match(prepay.json.code_url, /^weixin:\/\/wxpay\/bizpayurl\?pr=/)
    assert.match(prepay.headers.get('content-type'), /^application\/json/)
    const q = await call('GET', `/v3/pay/transactions/out-trade-no/HTTP000001?mchid=${creds.mchid}`)
    assert.deepEqual([q.json.trade_state, q.verified], ['NOTPAY', true])
    const closed = await call('POST', '/v3/pay/transactions/out-trade-no/HTTP000001/close', { mchid: creds.mchid })
    assert.deepEqual([closed.status, closed.text, closed.verified], [204, '', true])
    const refund = await call('POST', '/v3/refund/domestic/refunds', { out_trade_no: 'HTTP000001', out_refund_no: 'HR-1', amount: { refund: 1, total: 800, currency: 'CNY' } })
    assert.deepEqual([refund.status, refund.json.code, refund.verified], [404, 'RESOURCE_NOT_EXISTS', true])
    const bill = await call('GET', '/v3/bill/tradebill?bill_date=2026-01-01')
    assert.ok(['NO_STATEMENT_EXIST', 'PARAM_ERROR'].includes(bill.json.code))
    const certs = await call('GET', '/v3/certificates')
    assert.deepEqual([certs.status, certs.json.code], [404, 'RESOURCE_NOT_EXISTS'])
    const unsigned = await fetch(`${base}/v3/certificates`)
    assert.equal(unsigned.status, 401)
    // Switched to certificate mode at run time, as a merchant not yet on public keys.
    const set = await fetch(`${base}/sim/merchants/${creds.mchid}/settings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"keyMode":"certificate"}' })
    assert.equal(set.status, 200)
    const list = await call('GET', '/v3/certificates')
    assert.deepEqual([list.status, list.headers.get('wechatpay-serial'), list.verified], [200, creds.platformSerialNo, true])
    assert.equal(decryptCertificates(list.text, creds.apiV3Key)[0].certificate.trim(), creds.platformCertificate.trim())

    const page = await fetch(`${base}/sim/cashier?package=prepay_id%3Dwx1`)
    assert.deepEqual([page.status, /微信支付模拟收银台/.test(await page.text())], [200, true])

    // The mutual-TLS port: the simulator's CA for the server, the merchant's certificate for the client.
    const tlsGet = (options) => new Promise((resolve, reject) => {
      https.get(`https://127.0.0.1:${tlsPort}/sim/merchants`, { ca: creds.simulator.caCertificate, ...options }, (res) => {
        res.resume()
        resolve(res.statusCode)
      }).on('error', reject)
    })
    await assert.rejects(tlsGet({}), 'without a client certificate the handshake fails')
    assert.equal(await tlsGet({ key: creds.merchantPrivateKey, cert: creds.merchantCertificate }), 200)
  } finally {
    await sim.stop()
  }
})

test('an older credentials folder gains certificates and the service provider, and keeps its keys and ids', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'server-stub-oldkeys-'))
  const pair = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } })
  const merchant = pair()
  const wechatpay = pair()
  // The layout before certificates: four PEMs and these ids (a serial whose first bit is set, as random ones were).
  const ids = {
    merchantName: '肥皂小铺 (模拟商户)', appId: 'wx0123456789abcdef', appSecret: 'a'.repeat(32), mchid: '1900000001', merchantSerialNo: `F${'0'.repeat(38)}1`,
    wechatpayPublicKeyId: 'PUB_KEY_ID_0119000000012024000000000000', apiV3Key: 'k'.repeat(32), apiV2Key: 'v'.repeat(32),
  }
  fs.writeFileSync(path.join(dir, 'credentials.json'), JSON.stringify(ids))
  for (const [f, pem] of [['apiclient_key.pem', merchant.privateKey], ['apiclient_pub.pem', merchant.publicKey], ['pub_key.pem', wechatpay.publicKey], ['simulator_wechatpay_private_key.pem', wechatpay.privateKey]]) {
    fs.writeFileSync(path.join(dir, f), pem)
  }
  const c = ensureCredentials(dir)
  for (const [k, v] of Object.entries(ids)) assert.equal(c[k], v, k)
  assert.equal(c.merchantPrivateKey, merchant.privateKey)
  assert.equal(c.wechatpayPrivateKey, wechatpay.privateKey)
  const cert = new X509Certificate(c.merchantCertificate)
  assert.equal(cert.serialNumber, ids.merchantSerialNo)
  assert.equal(cert.publicKey.export({ type: 'spki', format: 'pem' }), merchant.publicKey, 'the certificate is of the existing key')
  assert.ok(cert.checkIssued(new X509Certificate(c.simulator.caCertificate)))
  assert.match(cert.subject, /CN=1900000001/)
  assert.equal(new X509Certificate(c.platformCertificate).serialNumber, c.platformSerialNo)
  assert.match(c.partner.subMchid, /^19\d{8}$/)
  // A second load generates nothing.
  const again = ensureCredentials(dir)
  assert.equal(again.platformCertificate, c.platformCertificate)
  assert.equal(again.partner.merchantPrivateKey, c.partner.merchantPrivateKey)
})

test('over real HTTP: partner prepay, pay, query, close, refund, sub-merchant bill; APP and H5 paid at the cashier; an abnormal refund applied', async () => {
  const s = await startSim()
  try {
    const sp = s.partner
    const sub = sp.subMerchants[0]
    const client = (m) => {
      const own = keysOf(m)
      const signer = createSigner({ mchid: m.mchid, serialNo: m.merchantSerialNo, privateKey: own.merchantPrivateKey })
      const verifier = createVerifier({ keys: { [m.wechatpayPublicKeyId]: m.wechatpayPublicKey } })
      return {
        signer,
        async call(method, url, payload, headers = {}) {
          const body = payload === undefined ? '' : JSON.stringify(payload)
          const res = await fetch(s.http + url, { method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers, authorization: await signer.authorization({ method, url, body }) }, body: body || undefined })
          const text = await res.text()
          const verified = await verifier.verifyResponse({ status: res.status, headers: res.headers, body: text }).then((v) => v.verified, (e) => e.code)
          return { status: res.status, text, json: text && res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : null, verified }
        },
      }
    }
    const post = (path, body) => fetch(s.http + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const p = client(sp)
    const ids = `sp_mchid=${sp.mchid}&sub_mchid=${sub.mchid}`
    const order = { sp_appid: sp.appId, sp_mchid: sp.mchid, sub_appid: sub.appId, sub_mchid: sub.mchid, description: '山茶花', out_trade_no: 'HTTPP00001', notify_url: 'https://sp.example/notify', amount: { total: 990 }, payer: { sub_openid: openidFor(sub.appId, 'hal') } }
    const prepay = await p.call('POST', '/v3/pay/partner/transactions/jsapi', order)
    assert.deepEqual([prepay.status, prepay.verified], [200, true])
    const params = await p.signer.requestPayment({ appId: sub.appId, prepayId: prepay.json.prepay_id })
    assert.equal((await post('/sim/cashier/confirm', { ...params, payer: 'hal' })).status, 200)
    const q = await p.call('GET', `/v3/pay/partner/transactions/out-trade-no/HTTPP00001?${ids}`)
    assert.deepEqual([q.json.trade_state, q.json.payer.sub_openid, q.verified], ['SUCCESS', openidFor(sub.appId, 'hal'), true])
    assert.equal((await p.call('GET', `/v3/pay/partner/transactions/id/${q.json.transaction_id}?${ids}`)).json.out_trade_no, 'HTTPP00001')
    assert.equal((await p.call('POST', '/v3/pay/partner/transactions/out-trade-no/HTTPP00001/close', { sp_mchid: sp.mchid, sub_mchid: sub.mchid })).json.code, 'ORDERPAID')

    // The abnormal refund, switched on at run time; the bank account encrypted to WeChat's key.
    assert.equal((await post(`/sim/merchants/${sp.mchid}/settings`, { quirks: ['refund-abnormal'] })).status, 200)
    const refund = await p.call('POST', '/v3/refund/domestic/refunds', { sub_mchid: sub.mchid, transaction_id: q.json.transaction_id, out_refund_no: 'HTTPPR-1', amount: { refund: 990, total: 990, currency: 'CNY' } })
    assert.equal((await p.call('GET', `/v3/refund/domestic/refunds/HTTPPR-1?sub_mchid=${sub.mchid}`)).json.status, 'ABNORMAL')
    const apply = await p.call('POST', `/v3/refund/domestic/refunds/${refund.json.refund_id}/apply-abnormal-refund`,
      { sub_mchid: sub.mchid, out_refund_no: 'HTTPPR-1', type: 'MERCHANT_BANK_CARD', bank_account: await encryptSensitive('6222000011112222', sp.wechatpayPublicKey) },
      { 'wechatpay-serial': sp.wechatpayPublicKeyId })
    assert.deepEqual([apply.status, apply.verified], [200, true])
    assert.equal((await p.call('GET', `/v3/refund/domestic/refunds/HTTPPR-1?sub_mchid=${sub.mchid}`)).json.status, 'SUCCESS')

    const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
    const bill = await p.call('GET', `/v3/bill/sub-merchant-fundflowbill?sub_mchid=${sub.mchid}&bill_date=${today}&account_type=BASIC&algorithm=AEAD_AES_256_GCM`)
    assert.deepEqual([bill.status, bill.verified], [200, true])
    const url = new URL(bill.json.download_bill_list[0].download_url)
    const file = await p.call('GET', url.pathname + url.search)
    assert.deepEqual([file.status, file.verified], [200, 'ERR_MISSING_HEADER'], 'a bill file is not signed')
    const trade = await p.call('GET', `/v3/bill/tradebill?bill_date=${today}&sub_mchid=${sub.mchid}`)
    assert.equal(trade.status, 200)

    // The direct merchant: APP and H5 orders, paid at the cashier over HTTP.
    const d = client(s.direct)
    const base = { appid: s.direct.appId, mchid: s.direct.mchid, description: '肥皂', notify_url: 'https://merchant.example/notify', amount: { total: 100 } }
    const app = await d.call('POST', '/v3/pay/transactions/app', { ...base, out_trade_no: 'HTTPAPP001' })
    const timestamp = String(Math.floor(Date.now() / 1000))
    const sign = await d.signer.sign(`${s.direct.appId}\n${timestamp}\nnonce\n${app.json.prepay_id}\n`)
    const paidApp = await post('/sim/cashier/app', { appid: s.direct.appId, partnerid: s.direct.mchid, prepayid: app.json.prepay_id, package: 'Sign=WXPay', noncestr: 'nonce', timestamp, sign, payer: 'ivy' })
    assert.deepEqual(await paidApp.json(), { errCode: 0, errStr: '' })
    const h5 = await d.call('POST', '/v3/pay/transactions/h5', { ...base, out_trade_no: 'HTTPH50001', scene_info: { payer_client_ip: '127.0.0.1', h5_info: { type: 'Wap' } } })
    assert.ok(h5.json.h5_url.startsWith(`${s.http}/sim/checkmweb?prepay_id=`))
    assert.equal((await fetch(h5.json.h5_url)).status, 200)
    assert.equal((await post('/sim/cashier/h5', { h5_url: h5.json.h5_url, payer: 'ivy' })).status, 200)
    const paid = await d.call('GET', `/v3/pay/transactions/out-trade-no/HTTPH50001?mchid=${s.direct.mchid}`)
    assert.deepEqual([paid.json.trade_state, paid.json.trade_type], ['SUCCESS', 'MWEB'])
    assert.equal(s.sent.filter((n) => n.url === 'https://merchant.example/notify').length, 2)
  } finally {
    await s.sim.stop()
  }
})
