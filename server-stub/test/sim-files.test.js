// The simulator's bills, platform certificates and media upload through app.request(): bills built from the
// day's real transactions in WeChat's CSV, their SHA-1 digest over the uncompressed file, the unsigned download;
// /v3/certificates by the merchant's mode; multipart media signed over the meta JSON.
import assert from 'node:assert/strict'
import { constants, createDecipheriv, createHash, privateDecrypt } from 'node:crypto'
import { test } from 'node:test'
import { gunzipSync } from 'node:zlib'
import { createVerifier, decryptCertificates } from 'wechatpay-wasm'
import { createSim, keysOf, paidOrder } from './sim-world.js'

const sha1 = (b) => createHash('sha1').update(b).digest('hex')
const pathOf = (url) => url.slice(new URL(url).origin.length)

test('trade bill: WeChat\'s CSV from the day\'s payments and refunds (Beijing day), SHA-1 of the uncompressed file, unsigned download', async () => {
  const w = createSim()
  const c = w.client()
  // 23:59:30 in Beijing on 2026-03-01: the payment belongs to that day, not to the UTC one.
  w.clock.now = Date.parse('2026-03-01T15:59:30Z')
  const { order: a } = await paidOrder(w, { out_trade_no: 'BILL000001', description: '肥皂 × 2', amount: { total: 1600, currency: 'CNY' }, attach: 'a,b' })
  const { order: b } = await paidOrder(w, { out_trade_no: 'BILL000002' }, 'bob')
  assert.equal((await c.call('POST', '/v3/refund/domestic/refunds', { out_trade_no: b.out_trade_no, out_refund_no: 'BR-1', amount: { refund: 300, total: 800, currency: 'CNY' } })).status, 200)
  w.clock.now = Date.parse('2026-03-01T16:00:30Z') // 00:00:30 on 03-02 in Beijing
  await paidOrder(w, { out_trade_no: 'BILL000003' }, 'cy')

  const apply = await c.call('GET', '/v3/bill/tradebill?bill_date=2026-03-01&bill_type=ALL')
  assert.deepEqual([apply.status, apply.verified, apply.json.hash_type], [200, true, 'SHA1'])
  assert.match(apply.json.download_url, /\/v3\/billdownload\/file\?token=[\w-]+$/)
  const dl = await c.call('GET', pathOf(apply.json.download_url))
  assert.equal(dl.status, 200)
  assert.equal(dl.headers.get('wechatpay-signature'), null, 'the file is not signed: its digest is the check')
  assert.equal(sha1(dl.text), apply.json.hash_value)
  assert.ok(dl.text.startsWith('\uFEFF'), 'UTF-8 with a BOM')
  const lines = dl.text.slice(1).split('\r\n')
  assert.equal(lines.at(-1), '', 'every line ends in CRLF')
  assert.equal(lines[0], '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注')
  // A value may hold a comma (商户数据包 'a,b' here): WeChat does not quote, every field starts with a backtick.
  const rows = lines.slice(1, -3).map((l) => l.split(/,(?=`)/))
  assert.equal(rows.length, 3, 'two payments and one refund on 03-01; the third payment is 03-02\'s')
  for (const r of rows) for (const cell of r) assert.ok(cell.startsWith('`'), `backtick-prefixed: ${cell}`)
  const [pa] = rows
  assert.deepEqual(pa.slice(0, 4).map((x) => x.slice(1)), ['2026-03-01 23:59:30', w.direct.appId, w.direct.mchid, '0'])
  assert.deepEqual(pa.slice(6, 14).map((x) => x.slice(1)), ['BILL000001', pa[7].slice(1), 'JSAPI', 'SUCCESS', 'OTHERS', 'CNY', '16.00', '0.00'])
  assert.deepEqual([pa[20], pa[21]], ['`肥皂 × 2', '`a,b'])
  assert.equal(pa[22], '`0.09600', 'fee with 5 decimals')
  assert.equal(pa[23], '`0.60%')
  const refund = rows.find((r) => r[9] === '`REFUND')
  assert.deepEqual([refund[15], refund[16], refund[19]], ['`BR-1', '`3.00', '`SUCCESS'])
  assert.equal(lines.at(-3), '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额')
  assert.equal(lines.at(-2), '`3,`24.00,`3.00,`0.00,`0.12600,`24.00,`3.00')

  // GZIP: the digest is still over the uncompressed bill.
  const gz = await c.call('GET', '/v3/bill/tradebill?bill_date=2026-03-01&bill_type=SUCCESS&tar_type=GZIP')
  assert.match(gz.json.download_url, /&tartype=gzip$/)
  const bytes = Buffer.from(await (await w.app.request(pathOf(gz.json.download_url), { headers: { authorization: await c.signer.authorization({ method: 'GET', url: pathOf(gz.json.download_url), timestamp: Math.floor(w.clock.now / 1000) }) } })).arrayBuffer())
  assert.deepEqual([...bytes.subarray(0, 2)], [0x1f, 0x8b], 'gzip')
  assert.notEqual(sha1(bytes), gz.json.hash_value)
  const plain = gunzipSync(bytes).toString('utf8')
  assert.equal(sha1(plain), gz.json.hash_value)
  assert.equal(plain.split('\r\n')[0], '\uFEFF交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,商品名称,商户数据包,手续费,费率,订单金额,费率备注')
  assert.equal(plain.split('\r\n').at(-2), '`2,`24.00,`0.14400,`24.00')
  const rb = await c.call('GET', '/v3/bill/tradebill?bill_date=2026-03-01&bill_type=REFUND')
  const refundBill = (await c.call('GET', pathOf(rb.json.download_url))).text.split('\r\n')
  assert.match(refundBill[0], /^\uFEFF交易时间,.*费率,订单金额,申请退款金额,费率备注$/)
  assert.match(refundBill[0], /货币种类,应结订单金额,代金券金额,退款申请时间,退款成功时间,微信退款单号/)
  assert.equal(refundBill.length, 5)

  // The link is the applicant's, signed, and short-lived.
  assert.equal((await c.call('GET', pathOf(apply.json.download_url), undefined, { sign: false })).status, 401)
  const other = await w.client(w.partner).call('GET', pathOf(apply.json.download_url))
  assert.deepEqual([other.status, other.json.code], [403, 'NO_AUTH'])
  assert.equal((await c.call('GET', '/v3/billdownload/file?token=nope')).json.code, 'INVALID_REQUEST')
  w.clock.now += 301 * 1000
  assert.equal((await c.call('GET', pathOf(apply.json.download_url))).status, 400, 'expired after 5 minutes')

  const no = await c.call('GET', '/v3/bill/tradebill?bill_date=2026-02-27')
  assert.deepEqual([no.status, no.json.code, no.verified], [400, 'NO_STATEMENT_EXIST', true])
  for (const q of ['bill_date=2026-03-09', 'bill_date=2026-3-1', 'bill_date=2026-02-30', 'bill_date=2026-03-01&bill_type=ODD', 'bill_date=2026-03-01&tar_type=ZIP', '', 'bill_date=2025-10-01']) {
    assert.equal((await c.call('GET', `/v3/bill/tradebill?${q}`)).json.code, 'PARAM_ERROR', q)
  }
})

test('fund-flow bill of the BASIC account, and the sub-merchant fund-flow bill whose key is encrypted to the merchant certificate', async () => {
  const w = createSim()
  const c = w.client()
  await paidOrder(w, { out_trade_no: 'FUND000001' })
  const today = new Date(w.clock.now + 8 * 3600 * 1000).toISOString().slice(0, 10)
  const f = await c.call('GET', `/v3/bill/fundflowbill?bill_date=${today}`)
  assert.equal(f.status, 200)
  const lines = (await c.call('GET', pathOf(f.json.download_url))).text.split('\r\n')
  assert.equal(lines[0], '\uFEFF记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元),账户结余(元),资金变更提交申请人,备注,业务凭证号')
  assert.deepEqual(lines.slice(1, 3).map((l) => l.split(',').slice(3, 8).join(',')), ['`交易,`交易,`收入,`8.00,`8.00', '`扣除交易手续费,`扣除交易手续费,`支出,`0.05,`7.95'])
  assert.equal(lines.at(-3), '资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额')
  assert.equal(lines.at(-2), '`2,`1,`8.00,`1,`0.05')
  assert.equal((await c.call('GET', `/v3/bill/fundflowbill?bill_date=${today}&account_type=OPERATION`)).json.code, 'NO_STATEMENT_EXIST')
  assert.equal((await c.call('GET', `/v3/bill/sub-merchant-fundflowbill?sub_mchid=1&bill_date=${today}&account_type=BASIC&algorithm=AEAD_AES_256_GCM`)).json.code, 'NO_AUTH')

  // The service provider, for its sub-merchant.
  const p = w.client(w.partner)
  const { signer } = p
  const order = { sp_appid: w.partner.appId, sp_mchid: w.partner.mchid, sub_mchid: w.sub.mchid, description: '花', out_trade_no: 'SUBFUND001', notify_url: 'https://sp.example/n', amount: { total: 1000 } }
  const { json: { code_url: codeUrl } } = await p.call('POST', '/v3/pay/partner/transactions/native', order)
  await w.app.request('/sim/cashier/native', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code_url: codeUrl, payer: 'gus' }) })
  const q = `/v3/bill/sub-merchant-fundflowbill?sub_mchid=${w.sub.mchid}&bill_date=${today}&account_type=BASIC&algorithm=AEAD_AES_256_GCM`
  const s = await p.call('GET', q)
  assert.deepEqual([s.status, s.verified, s.json.download_bill_count], [200, true, 1])
  const item = s.json.download_bill_list[0]
  assert.deepEqual(Object.keys(item).sort(), ['bill_sequence', 'download_url', 'encrypt_key', 'hash_type', 'hash_value', 'nonce'])
  // The sensitive field: decrypted with the merchant's private key (RSA-OAEP, SHA-1).
  const key = privateDecrypt({ key: keysOf(w.partner).merchantPrivateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(item.encrypt_key, 'base64'))
  assert.equal(key.length, 32)
  assert.throws(() => privateDecrypt({ key: keysOf(w.direct).merchantPrivateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(item.encrypt_key, 'base64')))
  const u = pathOf(item.download_url)
  const bytes = Buffer.from(await (await w.app.request(u, { headers: { authorization: await signer.authorization({ method: 'GET', url: u, timestamp: Math.floor(w.clock.now / 1000) }) } })).arrayBuffer())
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(item.nonce))
  d.setAuthTag(bytes.subarray(-16))
  const plain = Buffer.concat([d.update(bytes.subarray(0, -16)), d.final()]).toString('utf8')
  assert.equal(sha1(plain), item.hash_value)
  assert.match(plain, /`SUBFUND001\r\n/)
  assert.equal((await p.call('GET', q.replace(w.sub.mchid, w.direct.mchid))).json.code, 'INVALID_REQUEST')
  assert.equal((await p.call('GET', q.replace('AEAD_AES_256_GCM', 'RC4'))).json.code, 'PARAM_ERROR')
})

test('GET /v3/certificates: 404 RESOURCE_NOT_EXISTS in public-key mode; in certificate mode encrypted certificates, signed by their key', async () => {
  const w = createSim()
  const c = w.client()
  const none = await c.call('GET', '/v3/certificates')
  assert.deepEqual([none.status, none.json.code, none.verified, none.serial], [404, 'RESOURCE_NOT_EXISTS', true, w.direct.wechatpayPublicKeyId])
  assert.match(none.json.message, /无可用的平台证书/)

  const set = (body) => w.app.request(`/sim/merchants/${w.direct.mchid}/settings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  assert.deepEqual(await (await set({ keyMode: 'certificate' })).json(), { mchid: w.direct.mchid, keyMode: 'certificate', quirks: [] })
  const r = await c.call('GET', '/v3/certificates?algorithm_type=RSA')
  assert.deepEqual([r.status, r.serial], [200, w.direct.platformSerialNo])
  assert.equal(r.json.data[0].encrypt_certificate.associated_data, 'certificate')
  assert.equal(r.json.data[0].encrypt_certificate.algorithm, 'AEAD_AES_256_GCM')
  const [cert] = decryptCertificates(r.text, w.direct.apiV3Key)
  assert.equal(cert.serialNo, w.direct.platformSerialNo)
  assert.match(cert.effectiveTime, /\+08:00$/)
  // The answer verifies with the certificate it carries (and only with it).
  const byItself = createVerifier({ keys: { [cert.serialNo]: cert.certificate }, now: () => Math.floor(w.clock.now / 1000) })
  assert.equal((await byItself.verifyResponse({ status: 200, headers: r.headers, body: r.text })).verified, true)
  assert.throws(() => decryptCertificates(r.text, w.partner.apiV3Key))
  // Every other answer is now signed with the certificate too.
  const q = await c.call('GET', `/v3/pay/transactions/out-trade-no/NONE000001?mchid=${w.direct.mchid}`)
  assert.deepEqual([q.serial, q.verified], [w.direct.platformSerialNo, true])
  assert.equal((await set({ keyMode: 'nonsense' })).status, 400)
  assert.equal((await w.app.request('/sim/merchants/1/settings', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 404)
  await set({ keyMode: 'public-key' })
  assert.equal((await c.call('GET', '/v3/certificates')).status, 404)
  const listed = await (await w.app.request('/sim/merchants')).json()
  assert.equal(listed.length, 2)
  assert.ok(!JSON.stringify(listed).includes('PRIVATE'), 'no key in the listing')
})

// A 1×1 PNG.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082', 'hex')

test('media upload: multipart, signed over the meta JSON; digest, extension, part name and size checked', async () => {
  const w = createSim()
  const { signer } = w.client()
  const url = '/v3/merchant/media/upload'
  const upload = async ({ file = PNG, filename = 'shop.png', sha256 = createHash('sha256').update(file).digest('hex'), part = 'file', signMeta, metaAsBlob = false, sign = true } = {}) => {
    const meta = JSON.stringify({ filename, sha256 })
    const form = new FormData()
    form.append('meta', metaAsBlob ? new Blob([meta], { type: 'application/json' }) : meta)
    form.append(part, new Blob([file], { type: 'image/png' }), filename)
    const headers = sign ? { authorization: await signer.authorization({ method: 'POST', url, body: signMeta ?? meta, timestamp: Math.floor(w.clock.now / 1000) }) } : {}
    const res = await w.app.request(url, { method: 'POST', headers, body: form })
    return { status: res.status, json: await res.json() }
  }
  const ok = await upload()
  assert.equal(ok.status, 200)
  assert.match(ok.json.media_id, /^[\w-]{40,512}$/)
  assert.equal((await upload({ metaAsBlob: true })).status, 200)
  assert.equal(w.count('SELECT count(*) FROM wx_media'), 2)
  const refused = [
    [{ sha256: '0'.repeat(64) }, 400, 'PARAM_ERROR'],
    [{ filename: 'shop.gif' }, 400, 'PARAM_ERROR'],
    [{ filename: 'png' }, 400, 'PARAM_ERROR'],
    [{ part: 'image' }, 400, 'PARAM_ERROR'],
    [{ file: Buffer.from('not an image at all') }, 400, 'PARAM_ERROR'],
    [{ file: Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]) }, 400, 'PARAM_ERROR'],
    [{ signMeta: '{"filename":"other.png","sha256":"00"}' }, 401, 'SIGN_ERROR'],
    [{ sign: false }, 401, 'SIGN_ERROR'],
  ]
  for (const [o, status, code] of refused) {
    const r = await upload(o)
    assert.deepEqual([r.status, r.json.code], [status, code], JSON.stringify(o).slice(0, 60))
  }
  assert.match((await upload({ part: 'image' })).json.message, /\/body\/file/)
  const notMultipart = await w.app.request(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: await signer.authorization({ method: 'POST', url, body: '{}' }) }, body: '{}' })
  assert.equal(notMultipart.status, 400)
  const huge = await w.app.request(url, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(3 * 1024 * 1024) }, body: new Uint8Array(3 * 1024 * 1024) })
  assert.equal(huge.status, 413)
  assert.equal(w.count('SELECT count(*) FROM wx_media'), 2)
})
