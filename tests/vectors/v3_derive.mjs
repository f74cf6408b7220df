// Writes the API v3 vector files (v3_*.json, aes_gcm.json) from the official inputs, computing every derived
// value with node:crypto alone (independent of the package): RSA signatures, AES-256-GCM. The official
// expected values (the request signature and paySign of WeChat's 签名生成 and 小程序调起支付 pages for the official
// test key, and a GCM value computed with OpenSSL and Python `cryptography`) are asserted before anything is written.
// Usage: node tests/vectors/v3_derive.mjs   (rewrites the files; `git diff` must then be empty)
import assert from 'node:assert/strict'
import { createCipheriv, createPrivateKey, sign } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const dir = dirname(fileURLToPath(import.meta.url))
const read = (name) => readFileSync(join(dir, name), 'utf8')
const write = (name, doc) => writeFileSync(join(dir, name), JSON.stringify(doc, null, 2) + '\n')
const file = (name) => ({ $file: name })

const KEY = createPrivateKey(read('official_test_private_key.pem'))
const rsa = (message) => sign('sha256', Buffer.from(message), KEY).toString('base64')
const gcm = (plaintext, key, nonce, aad) => {
  const c = createCipheriv('aes-256-gcm', key, nonce).setAAD(Buffer.from(aad))
  return Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]).toString('base64')
}

const MCHID = '1900007291'
const MERCHANT_SERIAL = '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB'
const PUB_KEY_ID = 'PUB_KEY_ID_0114232204102025021100381800000000'
const CERT_SERIAL = '5F1C2B7A9E3D4C6B8A0F1E2D3C4B5A6978879605'
const NOW = 1554208460
const NONCE = '593BEC0C930BF1AFEB40B4A08C8FB242'
const API_V3_KEY = '0123456789abcdef0123456789abcdef'
const SIGNER = [{ mchid: MCHID, serialNo: MERCHANT_SERIAL, privateKey: file('official_test_private_key.pem') }]
const VERIFIER = [{
  keys: { [PUB_KEY_ID]: file('official_test_public_key.pem'), [CERT_SERIAL]: file('official_test_certificate.pem') },
  now: { $returns: NOW },
}]
const KEY_SOURCE = 'the official test key pair (published with WeChat\'s 签名生成 example) stands in for WeChat Pay\'s key: configured as ' +
  `${PUB_KEY_ID} (public key) and ${CERT_SERIAL} (tests/vectors/official_test_certificate.pem, a self-signed test ` +
  `fixture); clock at ${NOW}; signatures derived with node:crypto by tests/vectors/v3_derive.mjs`

// B4, B5: the official request and paySign signatures
const ORDER = '{"appid":"wxd678efh567hg6787","mchid":"1900007291","description":"Image形象店-深圳腾大-QQ公仔","out_trade_no":"1217752501201407033233368018","notify_url":"https://www.weixin.qq.com/wxpay/pay.php","amount":{"total":100,"currency":"CNY"},"payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}'
const ORDER_MESSAGE = `POST\n/v3/pay/transactions/jsapi\n${NOW}\n${NONCE}\n${ORDER}\n`
const OFFICIAL_SIGNATURE = 'jnks4dlrPw3ZX+ozVvSK39oa0t7OMBsg83BHAwd8BRdUFiVaQNTLTvci+wURgP1OQBbKYhFGvt7iqYpDSTQkp7Uq1sltaQKyncCyrA1g88m5bsKERQfPyT0ahSwKTYJ1CAn9QiJuSJRq1QsQs07eehbU/k9BCS51jTyc1Jpsi2H77HF9f/BnjXAOP3/sPObg6V5Ee4EzwLox684hhuMuIwHo7D8KFk3LIHOKDcNI4It1aCXydFWNpNK+SG86VUDe5kwoDpw4Ulqfu9z8OFDGbDs9TCxEv8iqQzbpxOlEVoOe2kalSYM5kApQb3nZcxdUtoE0liJGW3RGUNE0t4v01A=='
assert.equal(Buffer.byteLength(ORDER_MESSAGE), 372)
assert.equal(rsa(ORDER_MESSAGE), OFFICIAL_SIGNATURE)
const authorization = (signature, nonce = NONCE, ts = NOW) =>
  `WECHATPAY2-SHA256-RSA2048 mchid="${MCHID}",nonce_str="${nonce}",signature="${signature}",timestamp="${ts}",serial_no="${MERCHANT_SERIAL}"`
const OFFICIAL_AUTHORIZATION = authorization(OFFICIAL_SIGNATURE)
const PAY = { appId: 'wx2421b1c4370ec43b', prepayId: 'wx201410272009395522657a690389285100', timeStamp: String(NOW), nonceStr: NONCE }
const PAY_SIGN = 'mI35pfNEQV6777ke/1T+LJLQDNTm7yeoUJH+j/adPGhmCCi0PbgkvYQTRcXH0uibcLVtvFLdGLpmoYO9FV6lBBsTAjuhh5YOvQi0e2g3e0yytitiNET9FEuqM0pjnKfRW4K6LIZDdbWJv9KhZUx3DrJa5TL7OJ7VdADVivxVySIlPVKjGwuCXzuXSJes0UcILgWQUMyha5/3nYofuHtS7r+KYyMuxD+oJ9VM1Qdxk4UIG59CP5Y3wtYIFybyF3bdu1caHTRRX+DLyMXyYA/IrTmiW01c4RPjpHBX5Dk1sZyY1zVsWNsvMHr2e1NTWtBxKJ+qk5N61J7caYoepHFaxw=='
assert.equal(rsa(`${PAY.appId}\n${PAY.timeStamp}\n${PAY.nonceStr}\nprepay_id=${PAY.prepayId}\n`), PAY_SIGN)
// B7: AES-256-GCM
const B7 = 'Iaml06TFOrwRcJZafyok5IwmWSN9bT/ChyeS'
assert.equal(gcm('Hello World', API_V3_KEY, 'abcdefghijkl', 'certificate'), B7)

const order = (o) => ({ method: 'POST', url: '/v3/pay/transactions/jsapi', body: ORDER, timestamp: String(NOW), nonceStr: NONCE, ...o })
const GET_CERTIFICATES = authorization(rsa(`GET\n/v3/certificates\n${NOW}\n${NONCE}\n\n`))
const ENV_STYLE_KEY = read('official_test_private_key.pem').trim().split('\n').join('\\n')

write('v3_request_sign.json', {
  source: 'WeChat Pay API v3 签名生成 (pay.weixin.qq.com/wiki/doc/api_external/ch/wechatpay/wechatpay4_0.shtml): official ' +
    'expected signature for the official test key, merchant 1900007291, serial 408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB ' +
    '(its expected signature); other signatures derived with node:crypto by tests/vectors/v3_derive.mjs',
  function: 'createSigner().authorization',
  setup: SIGNER,
  cases: [
    { id: 'official-post-jsapi', args: [order()], expected: OFFICIAL_AUTHORIZATION },
    { id: 'absolute-url', comment: 'scheme and host are not signed', args: [order({ url: 'https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi' })], expected: OFFICIAL_AUTHORIZATION },
    { id: 'lower-case-method', args: [order({ method: 'post' })], expected: OFFICIAL_AUTHORIZATION },
    { id: 'body-as-bytes', args: [order({ body: { $bytes: ORDER } })], expected: OFFICIAL_AUTHORIZATION },
    { id: 'timestamp-as-number', layers: ['js'], args: [order({ timestamp: NOW })], expected: OFFICIAL_AUTHORIZATION },
    { id: 'pkcs1-private-key', comment: 'RSA PRIVATE KEY (PKCS#1) signs the same', setup: [{ ...SIGNER[0], privateKey: file('official_test_private_key_pkcs1.pem') }], args: [order()], expected: OFFICIAL_AUTHORIZATION },
    { id: 'pem-with-literal-newlines', comment: 'a PEM pasted into an environment variable keeps \\n as two characters', setup: [{ ...SIGNER[0], privateKey: ENV_STYLE_KEY }], args: [order()], expected: OFFICIAL_AUTHORIZATION },
    { id: 'get-without-body', comment: 'the body line is empty', args: [{ method: 'GET', url: '/v3/certificates', timestamp: String(NOW), nonceStr: NONCE }], expected: GET_CERTIFICATES },
    { id: 'url-with-fragment', args: [order({ url: '/v3/pay/transactions/jsapi#x' })], error: 'ERR_INVALID_INPUT', errorContext: { field: 'url' } },
    { id: 'url-without-path', args: [order({ url: 'v3/pay/transactions/jsapi' })], error: 'ERR_INVALID_INPUT', errorContext: { field: 'url' } },
    { id: 'url-not-percent-encoded', args: [order({ url: '/v3/refund/domestic/refunds/退款' })], error: 'ERR_INVALID_INPUT', errorContext: { field: 'url' } },
    { id: 'method-not-a-method', args: [order({ method: 'PO ST' })], error: 'ERR_INVALID_INPUT', errorContext: { field: 'method' } },
    { id: 'nonce-too-long', args: [order({ nonceStr: 'A'.repeat(33) })], error: 'ERR_INVALID_INPUT', errorContext: { field: 'nonceStr' } },
    { id: 'timestamp-not-digits', args: [order({ timestamp: '1554208460.5' })], error: 'ERR_INVALID_INPUT', errorContext: { field: 'timestamp' } },
    { id: 'sign-official-message', function: 'createSigner().sign', args: [ORDER_MESSAGE], expected: OFFICIAL_SIGNATURE },
    { id: 'response-headers', comment: "WeChat's side: the headers of a signed response", function: 'createSigner().responseHeaders', setup: [{ mchid: MCHID, serialNo: PUB_KEY_ID, privateKey: file('official_test_private_key.pem') }], args: [{ body: '{"prepay_id":"wx201410272009395522657a690389285100"}', timestamp: String(NOW), nonce: NONCE }], expected: {
      'Wechatpay-Timestamp': String(NOW), 'Wechatpay-Nonce': NONCE, 'Wechatpay-Signature': rsa(`${NOW}\n${NONCE}\n{"prepay_id":"wx201410272009395522657a690389285100"}\n`), 'Wechatpay-Serial': PUB_KEY_ID, 'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    } },
    { id: 'key-1024-bits', function: 'createSigner', args: [{ ...SIGNER[0], privateKey: file('rsa1024_test_private_key.pem') }], error: 'ERR_INVALID_KEY' },
    { id: 'key-not-rsa', function: 'createSigner', args: [{ ...SIGNER[0], privateKey: file('ec_test_private_key.pem') }], error: 'ERR_INVALID_KEY' },
    { id: 'public-key-instead-of-private', function: 'createSigner', args: [{ ...SIGNER[0], privateKey: file('official_test_public_key.pem') }], error: 'ERR_INVALID_KEY' },
    { id: 'certificate-instead-of-private', function: 'createSigner', args: [{ ...SIGNER[0], privateKey: file('official_test_certificate.pem') }], error: 'ERR_INVALID_KEY' },
    { id: 'not-pem', function: 'createSigner', args: [{ ...SIGNER[0], privateKey: 'MIIEvAIBADANBgkqhkiG9w0BAQEFAASC' }], error: 'ERR_INVALID_KEY' },
    { id: 'truncated-pem', function: 'createSigner', args: [{ ...SIGNER[0], privateKey: read('official_test_private_key.pem').slice(0, 900) + '\n-----END PRIVATE KEY-----\n' }], error: 'ERR_INVALID_KEY' },
    { id: 'mchid-not-an-id', function: 'createSigner', args: [{ ...SIGNER[0], mchid: '1900007291"' }], error: 'ERR_INVALID_INPUT', errorContext: { field: 'mchid' } },
    { id: 'private-key-not-a-string', layers: ['js'], function: 'createSigner', args: [{ ...SIGNER[0], privateKey: 42 }], error: 'ERR_INVALID_KEY' },
  ],
})

const PAY_PARAMS = { timeStamp: PAY.timeStamp, nonceStr: NONCE, package: `prepay_id=${PAY.prepayId}`, signType: 'RSA', paySign: PAY_SIGN }
const CASHIER = { appId: PAY.appId, serialNo: MERCHANT_SERIAL }
write('v3_request_payment.json', {
  source: 'WeChat Pay API v3 小程序调起支付签名 (pay.weixin.qq.com/doc/v3/merchant/4012365341): official paySign for the ' +
    'official test key (its expected paySign), built by the signer and checked as WeChat\'s client does (cashier-*, simulators)',
  function: 'createSigner().requestPayment',
  setup: SIGNER,
  cases: [
    { id: 'official-paysign', args: [PAY], expected: { timeStamp: PAY.timeStamp, nonceStr: NONCE, package: `prepay_id=${PAY.prepayId}`, signType: 'RSA', paySign: PAY_SIGN } },
    { id: 'pkcs1-private-key', setup: [{ ...SIGNER[0], privateKey: file('official_test_private_key_pkcs1.pem') }], args: [PAY], expected: { timeStamp: PAY.timeStamp, nonceStr: NONCE, package: `prepay_id=${PAY.prepayId}`, signType: 'RSA', paySign: PAY_SIGN } },
    { id: 'time-stamp-as-number', layers: ['js'], args: [{ ...PAY, timeStamp: NOW }], expected: { timeStamp: PAY.timeStamp, nonceStr: NONCE, package: `prepay_id=${PAY.prepayId}`, signType: 'RSA', paySign: PAY_SIGN } },
    { id: 'package-instead-of-prepay-id', args: [{ ...PAY, prepayId: `prepay_id=${PAY.prepayId}` }], error: 'ERR_INVALID_INPUT', errorContext: { field: 'prepayId' } },
    { id: 'app-id-malformed', args: [{ ...PAY, appId: 'wx 2421' }], error: 'ERR_INVALID_INPUT', errorContext: { field: 'appId' } },
    { id: 'nonce-too-long', args: [{ ...PAY, nonceStr: 'A'.repeat(33) }], error: 'ERR_INVALID_INPUT', errorContext: { field: 'nonceStr' } },
    { id: 'time-stamp-not-digits', args: [{ ...PAY, timeStamp: '-1' }], error: 'ERR_INVALID_INPUT', errorContext: { field: 'timeStamp' } },
    ...[
      { id: 'cashier-official-paysign', args: [PAY_PARAMS, CASHIER], expected: { prepayId: PAY.prepayId } },
      { id: 'cashier-time-stamp-as-number', layers: ['js'], args: [{ ...PAY_PARAMS, timeStamp: NOW }, CASHIER], expected: { prepayId: PAY.prepayId } },
      { id: 'cashier-another-app', args: [PAY_PARAMS, { ...CASHIER, appId: 'wxd678efh567hg6787' }], error: 'ERR_SIGNATURE_MISMATCH' },
      { id: 'cashier-nonce-changed', args: [{ ...PAY_PARAMS, nonceStr: NONCE.replace('5', '6') }, CASHIER], error: 'ERR_SIGNATURE_MISMATCH' },
      { id: 'cashier-sign-type-md5', args: [{ ...PAY_PARAMS, signType: 'MD5' }, CASHIER], error: 'ERR_UNSUPPORTED_ALGORITHM', errorContext: { field: 'signType' } },
      { id: 'cashier-package-without-prefix', args: [{ ...PAY_PARAMS, package: PAY.prepayId }, CASHIER], error: 'ERR_INVALID_INPUT', errorContext: { field: 'package' } },
      { id: 'cashier-unknown-serial', args: [PAY_PARAMS, { ...CASHIER, serialNo: CERT_SERIAL }], error: 'ERR_UNKNOWN_SERIAL' },
      { id: 'cashier-pay-sign-not-base64', args: [{ ...PAY_PARAMS, paySign: PAY_SIGN.replace(/.$/, '*') }, CASHIER], error: 'ERR_MALFORMED_SIGNATURE' },
    ].map((c) => ({ ...c, function: 'createVerifier().verifyRequestPayment', setup: [{ keys: { [MERCHANT_SERIAL]: file('official_test_public_key.pem') } }] })),
  ],
})

// responses: WeChat's side signs with the test key
const PREPAY = '{"prepay_id":"wx201410272009395522657a690389285100"}'
const RNONCE = 'DBA0C3BB7F6FB95CB0C4BCE89E8A5E9D'
const signed = (body, { ts = NOW, nonce = RNONCE, serial = PUB_KEY_ID, extra = {} } = {}) => ({
  'Wechatpay-Timestamp': String(ts), 'Wechatpay-Nonce': nonce, 'Wechatpay-Signature': rsa(`${ts}\n${nonce}\n${body}\n`),
  'Wechatpay-Serial': serial, 'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048', 'Request-ID': '08F78BB5AF0610B9B8D8C00118D4F9B30328A68B17', ...extra,
})
const without = (headers, name) => Object.fromEntries(Object.entries(headers).filter(([k]) => k !== name))
const H = signed(PREPAY)
const verified = (o = {}) => ({ verified: true, serial: PUB_KEY_ID, timestamp: NOW, nonce: RNONCE, requestId: H['Request-ID'], ...o })
const tampered = PREPAY.replace('wx2014', 'wx2015')

write('v3_response_verify.json', {
  source: `WeChat Pay API v3 如何使用微信支付公钥验签 (pay.weixin.qq.com/docs/merchant/development/interface-rules/signature-verification.html) / 如何使用平台证书验签名 (pay.weixin.qq.com/doc/v3/partner/4013059030); ${KEY_SOURCE}`,
  function: 'createVerifier().verifyResponse',
  setup: VERIFIER,
  cases: [
    { id: 'public-key', args: [{ status: 200, headers: H, body: PREPAY }], expected: verified() },
    { id: 'platform-certificate', args: [{ status: 200, headers: signed(PREPAY, { serial: CERT_SERIAL }), body: PREPAY }], expected: verified({ serial: CERT_SERIAL }) },
    { id: 'serial-in-lower-case', args: [{ status: 200, headers: signed(PREPAY, { serial: CERT_SERIAL.toLowerCase() }), body: PREPAY }], expected: verified({ serial: CERT_SERIAL.toLowerCase() }) },
    { id: 'header-names-in-lower-case', args: [{ status: 200, headers: Object.fromEntries(Object.entries(H).map(([k, v]) => [k.toLowerCase(), v])), body: PREPAY }], expected: verified() },
    { id: 'body-as-bytes', args: [{ status: 200, headers: H, body: { $bytes: PREPAY } }], expected: verified() },
    { id: 'skew-plus-300-accepted', args: [{ status: 200, headers: signed(PREPAY, { ts: NOW + 300 }), body: PREPAY }], expected: verified({ timestamp: NOW + 300 }) },
    { id: 'skew-minus-300-accepted', args: [{ status: 200, headers: signed(PREPAY, { ts: NOW - 300 }), body: PREPAY }], expected: verified({ timestamp: NOW - 300 }) },
    { id: 'skew-plus-301', args: [{ status: 200, headers: signed(PREPAY, { ts: NOW + 301 }), body: PREPAY }], error: 'ERR_TIMESTAMP_SKEW', errorContext: { timestamp: NOW + 301, now: NOW, maxSkewSeconds: 300 } },
    { id: 'skew-minus-301', args: [{ status: 200, headers: signed(PREPAY, { ts: NOW - 301 }), body: PREPAY }], error: 'ERR_TIMESTAMP_SKEW', errorContext: { timestamp: NOW - 301 } },
    { id: 'skew-window-configured', setup: [{ ...VERIFIER[0], maxSkewSeconds: 60 }], args: [{ status: 200, headers: signed(PREPAY, { ts: NOW - 61 }), body: PREPAY }], error: 'ERR_TIMESTAMP_SKEW', errorContext: { maxSkewSeconds: 60 } },
    { id: 'unknown-serial', comment: 'nothing is fetched', args: [{ status: 200, headers: signed(PREPAY, { serial: 'PUB_KEY_ID_0000000000000000000000000000000000' }), body: PREPAY }], error: 'ERR_UNKNOWN_SERIAL', errorContext: { serial: 'PUB_KEY_ID_0000000000000000000000000000000000' } },
    { id: 'one-body-byte-tampered', args: [{ status: 200, headers: H, body: tampered }], error: 'ERR_SIGNATURE_MISMATCH' },
    { id: 're-serialised-json', comment: 'a framework that parses and re-serialises the body breaks the signature', args: [{ status: 200, headers: H, body: JSON.stringify(JSON.parse(PREPAY), null, 1) }], error: 'ERR_SIGNATURE_MISMATCH' },
    { id: 'signtest-probe', args: [{ status: 200, headers: { ...H, 'Wechatpay-Signature': 'WECHATPAY/SIGNTEST/' + H['Wechatpay-Signature'] }, body: PREPAY }], error: 'ERR_SIGNATURE_PROBE' },
    ...['Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Signature', 'Wechatpay-Serial'].map((h) => (
      { id: `2xx-without-${h.toLowerCase()}`, args: [{ status: 200, headers: without(H, h), body: PREPAY }], error: 'ERR_MISSING_HEADER', errorContext: { header: h } })),
    { id: '2xx-with-an-empty-signature', args: [{ status: 200, headers: { ...H, 'Wechatpay-Signature': '' }, body: PREPAY }], error: 'ERR_MISSING_HEADER', errorContext: { header: 'Wechatpay-Signature' } },
    { id: 'empty-body-204', comment: 'the message ends in an empty body line', args: [{ status: 204, headers: signed(''), body: '' }], expected: verified() },
    { id: 'empty-body-204-with-a-body', args: [{ status: 204, headers: signed(''), body: '{}' }], error: 'ERR_SIGNATURE_MISMATCH' },
    { id: 'non-2xx-unsigned', comment: "WeChat's error bodies are often unsigned: returned unverified", args: [{ status: 400, headers: { 'Request-ID': H['Request-ID'] }, body: '{"code":"PARAM_ERROR","message":"参数错误"}' }], expected: { verified: false, requestId: H['Request-ID'] } },
    { id: 'non-2xx-signed', args: [{ status: 404, headers: signed('{"code":"ORDER_NOT_EXIST","message":"订单不存在"}'), body: '{"code":"ORDER_NOT_EXIST","message":"订单不存在"}' }], expected: verified() },
    { id: 'non-2xx-signed-and-tampered', args: [{ status: 404, headers: signed('{"code":"ORDER_NOT_EXIST","message":"订单不存在"}'), body: '{"code":"ORDER_NOT_EXIST","message":"订单存在"}' }], error: 'ERR_SIGNATURE_MISMATCH' },
    { id: 'signature-not-base64', args: [{ status: 200, headers: { ...H, 'Wechatpay-Signature': H['Wechatpay-Signature'].replace(/.$/, '*') }, body: PREPAY }], error: 'ERR_MALFORMED_SIGNATURE' },
    { id: 'signature-too-short', args: [{ status: 200, headers: { ...H, 'Wechatpay-Signature': H['Wechatpay-Signature'].slice(0, 172) }, body: PREPAY }], error: 'ERR_MALFORMED_SIGNATURE' },
    { id: 'signature-type-sm2', args: [{ status: 200, headers: { ...H, 'Wechatpay-Signature-Type': 'WECHATPAY2-SM2-WITH-SM3' }, body: PREPAY }], error: 'ERR_UNSUPPORTED_ALGORITHM', errorContext: { field: 'Wechatpay-Signature-Type', value: 'WECHATPAY2-SM2-WITH-SM3' } },
    { id: 'timestamp-not-seconds', args: [{ status: 200, headers: { ...H, 'Wechatpay-Timestamp': '2019-04-02T12:34:20Z' }, body: PREPAY }], error: 'ERR_MALFORMED_MESSAGE', errorContext: { field: 'Wechatpay-Timestamp' } },
    { id: 'clock-in-milliseconds', comment: 'now: Date.now instead of seconds', setup: [{ ...VERIFIER[0], now: { $returns: NOW * 1000 } }], layers: ['js'], args: [{ status: 200, headers: H, body: PREPAY }], error: 'ERR_INVALID_INPUT', errorContext: { field: 'now' } },
    { id: 'status-not-http', args: [{ status: 700, headers: H, body: PREPAY }], error: 'ERR_INVALID_INPUT', errorContext: { field: 'status' } },
    { id: 'headers-as-node-arrays', layers: ['js'], args: [{ status: 200, headers: Object.fromEntries(Object.entries(H).map(([k, v]) => [k, [v]])), body: PREPAY }], expected: verified() },
    { id: 'body-parsed-not-raw', layers: ['js'], args: [{ status: 200, headers: H, body: JSON.parse(PREPAY) }], error: 'ERR_INVALID_INPUT', errorContext: { field: 'body' } },
    { id: 'pkcs1-public-key', setup: [{ keys: { [PUB_KEY_ID]: file('official_test_public_key_pkcs1.pem') }, now: { $returns: NOW } }], args: [{ status: 200, headers: H, body: PREPAY }], expected: verified() },
    { id: 'public-key-1024-bits', function: 'createVerifier', args: [{ keys: { [PUB_KEY_ID]: file('rsa1024_test_public_key.pem') } }], error: 'ERR_INVALID_KEY' },
    { id: 'public-key-not-rsa', function: 'createVerifier', args: [{ keys: { [PUB_KEY_ID]: file('ec_test_public_key.pem') } }], error: 'ERR_INVALID_KEY' },
    { id: 'public-key-exponent-1', comment: 'the official modulus with e = 1, a key no host can use: refused as a key, never left to turn into signature mismatches (node:crypto "verifies" with it)', function: 'createVerifier', args: [{ keys: { [PUB_KEY_ID]: file('rsa_exponent_1_test_public_key.pem') } }], error: 'ERR_INVALID_KEY' },
    { id: 'private-key-configured', function: 'createVerifier', args: [{ keys: { [PUB_KEY_ID]: file('official_test_private_key.pem') } }], error: 'ERR_INVALID_KEY' },
    { id: 'certificate-under-another-serial', function: 'createVerifier', args: [{ keys: { '5F1C2B7A9E3D4C6B8A0F1E2D3C4B5A6978879606': file('official_test_certificate.pem') } }], error: 'ERR_INVALID_KEY' },
    { id: 'serial-malformed', function: 'createVerifier', args: [{ keys: { 'PUB KEY': file('official_test_public_key.pem') } }], error: 'ERR_INVALID_KEY' },
    { id: 'no-keys', layers: ['js'], function: 'createVerifier', args: [{ keys: {} }], error: 'ERR_INVALID_INPUT', errorContext: { field: 'keys' } },
  ],
})

// notifications
const TRANSACTION = JSON.stringify({
  mchid: MCHID, appid: 'wxd678efh567hg6787', out_trade_no: '1217752501201407033233368018', transaction_id: '4200000000201904020000000001',
  trade_type: 'JSAPI', trade_state: 'SUCCESS', trade_state_desc: '支付成功', bank_type: 'CMC', attach: '', success_time: '2019-04-02T20:34:40+08:00',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }, amount: { total: 100, payer_total: 100, currency: 'CNY', payer_currency: 'CNY' },
})
const REFUND = JSON.stringify({
  mchid: MCHID, out_trade_no: '1217752501201407033233368018', transaction_id: '4200000000201904020000000001', out_refund_no: 'R1217752501201407033233368018',
  refund_id: '50000000382019052709732678859', refund_status: 'SUCCESS', success_time: '2019-04-03T13:29:35+08:00', user_received_account: '招商银行信用卡0403',
  amount: { total: 100, refund: 100, payer_total: 100, payer_refund: 100 },
})
const GCM_NONCE = 'fdasflkja484'
const envelope = (resource, o = {}) => JSON.stringify({
  id: 'EV-2018022511223320873', create_time: '2019-04-02T20:34:41+08:00', resource_type: 'encrypt-resource', event_type: 'TRANSACTION.SUCCESS', summary: '支付成功',
  resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', associated_data: 'transaction', nonce: GCM_NONCE, ...resource }, ...o,
})
const PAID = envelope({ ciphertext: gcm(TRANSACTION, API_V3_KEY, GCM_NONCE, 'transaction') })
const REFUNDED = envelope({ original_type: 'refund', associated_data: 'refund', ciphertext: gcm(REFUND, API_V3_KEY, GCM_NONCE, 'refund') },
  { id: 'EV-2018022511223320874', event_type: 'REFUND.SUCCESS', summary: '退款成功' })
const opened = (body, resource) => {
  const e = JSON.parse(body)
  return { id: e.id, eventType: e.event_type, createTime: e.create_time, resourceType: e.resource_type, summary: e.summary, resource: JSON.parse(resource) }
}
const ct = Buffer.from(gcm(TRANSACTION, API_V3_KEY, GCM_NONCE, 'transaction'), 'base64')
const withResource = (plaintext) => envelope({ ciphertext: gcm(plaintext, API_V3_KEY, GCM_NONCE, 'transaction') })
const REFUND_NO_AMOUNT = JSON.stringify({ ...JSON.parse(REFUND), amount: undefined })
const NO_AMOUNT = envelope({ original_type: 'refund', associated_data: 'refund', ciphertext: gcm(REFUND_NO_AMOUNT, API_V3_KEY, GCM_NONCE, 'refund') },
  { id: 'EV-2018022511223320875', event_type: 'REFUND.SUCCESS', summary: '退款成功' })
const notification = (body, headers = signed(body)) => ({ headers, body })
const V3KEY = { apiV3Key: API_V3_KEY }

write('v3_notification.json', {
  source: `WeChat Pay API v3 支付/退款结果通知 (退款: pay.weixin.qq.com/doc/v3/merchant/4012791865) and 如何解密回调报文 ` +
    `(pay.weixin.qq.com/docs/partner/products/platform-certificate/decryption-certificate.html); ${KEY_SOURCE}; resources ` +
    `encrypted with node:crypto under the APIv3 key ${API_V3_KEY}`,
  function: 'createVerifier().verifyNotification',
  setup: VERIFIER,
  cases: [
    { id: 'transaction-success', args: [notification(PAID), V3KEY], expected: opened(PAID, TRANSACTION) },
    { id: 'refund-success', args: [notification(REFUNDED), V3KEY], expected: opened(REFUNDED, REFUND) },
    { id: 'platform-certificate', args: [notification(PAID, signed(PAID, { serial: CERT_SERIAL })), V3KEY], expected: opened(PAID, TRANSACTION) },
    { id: 'wrong-api-v3-key', comment: 'the #1 failure of other SDKs: a clear code, not "unable to authenticate data"', args: [notification(PAID), { apiV3Key: 'fedcba9876543210fedcba9876543210' }], error: 'ERR_DECRYPT_FAILED' },
    { id: 'api-v3-key-of-16-bytes', args: [notification(PAID), { apiV3Key: 'testAPIv3Key0000' }], error: 'ERR_INVALID_KEY' },
    { id: 'associated-data-mismatch', comment: 'signed, but associated_data says refund while the ciphertext was made with transaction', args: [notification(envelope({ associated_data: 'refund', ciphertext: ct.toString('base64') })), V3KEY], error: 'ERR_DECRYPT_FAILED' },
    { id: 'truncated-tag', comment: 'signed, but the last 4 bytes of the tag are gone', args: [notification(envelope({ ciphertext: ct.subarray(0, ct.length - 4).toString('base64') })), V3KEY], error: 'ERR_DECRYPT_FAILED' },
    { id: 'ciphertext-shorter-than-a-tag', args: [notification(envelope({ ciphertext: ct.subarray(0, 15).toString('base64') })), V3KEY], error: 'ERR_DECRYPT_FAILED' },
    { id: 'resource-algorithm-sm4', args: [notification(envelope({ algorithm: 'AEAD_SM4_GCM', ciphertext: ct.toString('base64') })), V3KEY], error: 'ERR_UNSUPPORTED_ALGORITHM', errorContext: { field: 'algorithm' } },
    { id: 'resource-missing', args: [notification(JSON.stringify({ id: 'EV-1', create_time: '2019-04-02T20:34:41+08:00', resource_type: 'encrypt-resource', event_type: 'TRANSACTION.SUCCESS', summary: '支付成功' })), V3KEY], error: 'ERR_MALFORMED_MESSAGE', errorContext: { field: 'resource' } },
    { id: 'body-not-json', args: [notification('id=EV-1&event_type=TRANSACTION.SUCCESS'), V3KEY], error: 'ERR_MALFORMED_JSON' },
    { id: 'decrypted-resource-not-an-object', args: [notification(envelope({ ciphertext: gcm('[1,2]', API_V3_KEY, GCM_NONCE, 'transaction') })), V3KEY], error: 'ERR_MALFORMED_MESSAGE', errorContext: { field: 'resource' } },
    { id: 'one-body-byte-tampered', args: [notification(PAID.replace('EV-2018', 'EV-2019'), H), V3KEY], error: 'ERR_SIGNATURE_MISMATCH' },
    { id: 'signed-for-another-body', args: [{ headers: signed(REFUNDED), body: PAID }, V3KEY], error: 'ERR_SIGNATURE_MISMATCH' },
    { id: 'skew-plus-301', args: [notification(PAID, signed(PAID, { ts: NOW + 301 })), V3KEY], error: 'ERR_TIMESTAMP_SKEW' },
    { id: 'skew-minus-301', comment: 'a replay of an old notification', args: [notification(PAID, signed(PAID, { ts: NOW - 301 })), V3KEY], error: 'ERR_TIMESTAMP_SKEW' },
    { id: 'signtest-probe', args: [notification(PAID, { ...signed(PAID), 'Wechatpay-Signature': 'WECHATPAY/SIGNTEST/' + signed(PAID)['Wechatpay-Signature'] }), V3KEY], error: 'ERR_SIGNATURE_PROBE' },
    { id: 'unknown-serial', args: [notification(PAID, signed(PAID, { serial: 'PUB_KEY_ID_0000000000000000000000000000000000' })), V3KEY], error: 'ERR_UNKNOWN_SERIAL' },
    { id: 'unsigned', args: [notification(PAID, { 'Content-Type': 'application/json' }), V3KEY], error: 'ERR_MISSING_HEADER', errorContext: { header: 'Wechatpay-Timestamp' } },
    { id: 'refund-without-amount', comment: 'WeChat was seen to leave amount out of a (partner) refund notification: typed as optional, not refused', args: [notification(NO_AMOUNT)], expected: opened(NO_AMOUNT, REFUND_NO_AMOUNT) },
    { id: 'resource-amount-not-an-integer', comment: 'amounts are exact integers: 100.0 is refused, never rounded', args: [notification(withResource(TRANSACTION.replace('"total":100', '"total":100.0')))], error: 'ERR_MALFORMED_MESSAGE', errorContext: { field: 'resource.amount.total' } },
    { id: 'resource-amount-as-a-string', args: [notification(withResource(TRANSACTION.replace('"total":100', '"total":"100"')))], error: 'ERR_MALFORMED_MESSAGE', errorContext: { field: 'resource.amount.total' } },
    { id: 'resource-amount-as-an-array', comment: 'an object in the wrong shape: serde would read a struct from an array, field by field; refused', args: [notification(withResource(TRANSACTION.replace('"amount":{"total":100,"payer_total":100,"currency":"CNY","payer_currency":"CNY"}', '"amount":[100,100,"CNY","CNY"]')))], error: 'ERR_MALFORMED_MESSAGE', errorContext: { field: 'resource.amount' } },
    { id: 'resource-amount-beyond-2-53', comment: 'JavaScript could not hold it exactly', args: [notification(withResource(TRANSACTION.replace('"total":100', '"total":9007199254740992')))], error: 'ERR_MALFORMED_MESSAGE', errorContext: { field: 'resource.amount.total' } },
    { id: 'resource-without-out-trade-no', args: [notification(withResource(TRANSACTION.replace('"out_trade_no":"1217752501201407033233368018",', '')))], error: 'ERR_MALFORMED_MESSAGE', errorContext: { field: 'resource.out_trade_no' } },
    { id: 'resource-duplicate-key', comment: 'two out_trade_no: which one would a later reader take? refused', args: [notification(withResource(TRANSACTION.replace('"mchid"', '"out_trade_no":"X","mchid"')))], error: 'ERR_MALFORMED_JSON' },
    { id: 'resource-duplicate-unknown-key', comment: 'duplicates are refused at every level, in members nobody reads too', args: [notification(withResource(TRANSACTION.replace('"mchid"', '"promotion_detail":[{"amount":1,"amount":2}],"mchid"')))], error: 'ERR_MALFORMED_JSON' },
    { id: 'resource-offset-in-bytes', comment: 'the } after the comma is byte 12 of the plaintext, character 8: offsets count bytes', args: [notification(withResource('{"支付":1,}'))], error: 'ERR_MALFORMED_JSON', errorContext: { offset: 12 } },
    { id: 'envelope-duplicate-key', comment: 'signed, but with two ids', args: [notification(PAID.replace('{"id":"EV-2018022511223320873"', '{"id":"EV-1","id":"EV-2018022511223320873"'))], error: 'ERR_MALFORMED_JSON' },
    { id: 'event-neither-payment-nor-refund', comment: 'eventType narrows resource in the types: any other event is refused, with the way to read it', args: [notification(envelope({ ciphertext: ct.toString('base64') }, { event_type: 'PROFITSHARING.SUCCESS' }))], error: 'ERR_MALFORMED_MESSAGE', errorContext: { field: 'event_type' } },
    { id: 'refund-event-with-a-transaction', comment: 'REFUND.* must carry a refund', args: [notification(envelope({ ciphertext: ct.toString('base64') }, { event_type: 'REFUND.SUCCESS' }))], error: 'ERR_MALFORMED_MESSAGE', errorContext: { field: 'resource.amount.refund' } },
  ].map((c) => (c.args.length === 1 ? { ...c, args: [...c.args, V3KEY] } : c)),
})

// AES-GCM resources and /v3/certificates
const CERT_PEM = read('official_test_certificate.pem').slice(read('official_test_certificate.pem').indexOf('-----BEGIN'))
const certificates = (serial) => ({ data: [{ serial_no: serial, effective_time: '2026-11-27T18:12:46+08:00', expire_time: '2126-11-03T18:12:46+08:00',
  encrypt_certificate: { algorithm: 'AEAD_AES_256_GCM', nonce: 'a1b2c3d4e5f6', associated_data: 'certificate', ciphertext: gcm(CERT_PEM, API_V3_KEY, 'a1b2c3d4e5f6', 'certificate') } }] })
const resource = (o) => ({ algorithm: 'AEAD_AES_256_GCM', ciphertext: B7, nonce: 'abcdefghijkl', associated_data: 'certificate', ...o })
const json = (aad) => ({ algorithm: 'AEAD_AES_256_GCM', ciphertext: gcm(TRANSACTION, API_V3_KEY, GCM_NONCE, aad), nonce: GCM_NONCE, associated_data: aad })

write('aes_gcm.json', {
  source: 'AEAD_AES_256_GCM (如何解密回调报文和平台证书, pay.weixin.qq.com/docs/partner/products/platform-certificate/decryption-certificate.html): the Hello World value is derived and cross-checked with two ' +
    'implementations; the 16-byte key case is wechatpay-go\'s utils test; JSON resources and the certificate list are ' +
    'derived with node:crypto by tests/vectors/v3_derive.mjs',
  function: 'decryptResource',
  cases: [
    { id: 'b7-encrypt', function: 'encryptResource', args: ['Hello World', API_V3_KEY, { nonce: 'abcdefghijkl', associatedData: 'certificate' }], expected: resource() },
    { id: 'b7-decrypts-to-text-not-json', comment: 'B7 authenticates ("Hello World"), but decryptResource returns JSON objects', args: [resource(), API_V3_KEY], error: 'ERR_MALFORMED_JSON' },
    { id: 'b7-aad-mismatch', args: [resource({ associated_data: 'transaction' }), API_V3_KEY], error: 'ERR_DECRYPT_FAILED' },
    { id: 'b7-one-ciphertext-byte-flipped', args: [resource({ ciphertext: Buffer.from(B7, 'base64').map((b, i) => (i === 0 ? b ^ 1 : b)).toString('base64') }), API_V3_KEY], error: 'ERR_DECRYPT_FAILED' },
    { id: 'b7-truncated-tag', args: [resource({ ciphertext: Buffer.from(B7, 'base64').subarray(0, 26).toString('base64') }), API_V3_KEY], error: 'ERR_DECRYPT_FAILED' },
    { id: '16-byte-key-must-be-rejected', comment: 'a 16-byte key would silently select AES-128; an APIv3 key is exactly 32 bytes (wechatpay-go utils test vector)', args: [{ algorithm: 'AEAD_AES_256_GCM', ciphertext: 'FsdXzxryWfKwvLJKf8LG/ToRPTRh8RN9wROC', nonce: 'wCq51qZv4Yfg', associated_data: 'Dl56FrqWQJF1t9LtC3vEUsniZKvbqdR8' }, 'testAPIv3Key0000'], error: 'ERR_INVALID_KEY' },
    { id: 'key-with-trailing-newline', args: [resource(), API_V3_KEY + '\n'], error: 'ERR_INVALID_KEY' },
    { id: 'transaction', args: [json('transaction'), API_V3_KEY], expected: JSON.parse(TRANSACTION) },
    { id: 'empty-associated-data', args: [json(''), API_V3_KEY], expected: JSON.parse(TRANSACTION) },
    { id: 'associated-data-absent', comment: 'absent means empty', args: [{ ...json(''), associated_data: undefined }, API_V3_KEY], expected: JSON.parse(TRANSACTION) },
    { id: 'ciphertext-not-base64', args: [resource({ ciphertext: 'Iaml06TFOrwRcJZafyok5Iwm*' }), API_V3_KEY], error: 'ERR_DECRYPT_FAILED' },
    { id: 'nonce-of-11-bytes', args: [resource({ nonce: 'abcdefghijk' }), API_V3_KEY], error: 'ERR_MALFORMED_MESSAGE', errorContext: { field: 'nonce' } },
    { id: 'algorithm-sm4', args: [resource({ algorithm: 'AEAD_SM4_GCM' }), API_V3_KEY], error: 'ERR_UNSUPPORTED_ALGORITHM', errorContext: { field: 'algorithm', value: 'AEAD_SM4_GCM' } },
    { id: 'encrypt-json-round-trip', function: 'encryptResource', args: [TRANSACTION, API_V3_KEY, { nonce: GCM_NONCE, associatedData: 'transaction' }], expected: json('transaction') },
    { id: 'encrypt-nonce-of-16', function: 'encryptResource', args: ['{}', API_V3_KEY, { nonce: 'abcdefghijklmnop' }], error: 'ERR_INVALID_INPUT', errorContext: { field: 'nonce' } },
    { id: 'encrypt-16-byte-key', function: 'encryptResource', args: ['{}', 'testAPIv3Key0000', { nonce: 'abcdefghijkl' }], error: 'ERR_INVALID_KEY' },
    { id: 'certificates', function: 'decryptCertificates', args: [JSON.stringify(certificates(CERT_SERIAL)), API_V3_KEY], expected: [{ serialNo: CERT_SERIAL, effectiveTime: '2026-11-27T18:12:46+08:00', expireTime: '2126-11-03T18:12:46+08:00', certificate: CERT_PEM }] },
    { id: 'certificates-as-object', layers: ['js'], function: 'decryptCertificates', args: [certificates(CERT_SERIAL), API_V3_KEY], expected: [{ serialNo: CERT_SERIAL, effectiveTime: '2026-11-27T18:12:46+08:00', expireTime: '2126-11-03T18:12:46+08:00', certificate: CERT_PEM }] },
    { id: 'certificates-serial-mismatch', comment: 'the announced serial_no must be the decrypted certificate\'s', function: 'decryptCertificates', args: [JSON.stringify(certificates('5F1C2B7A9E3D4C6B8A0F1E2D3C4B5A6978879606')), API_V3_KEY], error: 'ERR_MALFORMED_MESSAGE', errorContext: { field: 'serial_no' } },
    { id: 'certificates-wrong-key', function: 'decryptCertificates', args: [JSON.stringify(certificates(CERT_SERIAL)), 'fedcba9876543210fedcba9876543210'], error: 'ERR_DECRYPT_FAILED' },
    { id: 'certificates-no-data', function: 'decryptCertificates', args: ['{"code":"NOT_FOUND"}', API_V3_KEY], error: 'ERR_MALFORMED_MESSAGE', errorContext: { field: 'data' } },
  ],
})

// merchants' requests checked as WeChat Pay does (simulators)
const REQUEST = { method: 'POST', url: '/v3/pay/transactions/jsapi', headers: { Authorization: OFFICIAL_AUTHORIZATION }, body: ORDER }
write('v3_request_verify.json', {
  source: 'WeChat Pay API v3 签名生成, checked from WeChat\'s side (simulators): the official request and signature ' +
    '(its expected signature); the merchant key is the official test public key under the merchant serial',
  function: 'createVerifier().verifyRequest',
  setup: [{ keys: { [MERCHANT_SERIAL]: file('official_test_public_key.pem') }, now: { $returns: NOW } }],
  cases: [
    { id: 'official-request', args: [REQUEST], expected: { mchid: MCHID, serialNo: MERCHANT_SERIAL, timestamp: NOW, nonceStr: NONCE } },
    { id: 'items-in-another-order', comment: '"以上五项签名信息，无顺序要求"', args: [{ ...REQUEST, headers: { authorization: `WECHATPAY2-SHA256-RSA2048 serial_no="${MERCHANT_SERIAL}", timestamp="${NOW}", signature="${OFFICIAL_SIGNATURE}", nonce_str="${NONCE}", mchid="${MCHID}"` } }], expected: { mchid: MCHID, serialNo: MERCHANT_SERIAL, timestamp: NOW, nonceStr: NONCE } },
    { id: 'one-body-byte-tampered', args: [{ ...REQUEST, body: ORDER.replace('"total":100', '"total":1') }], error: 'ERR_SIGNATURE_MISMATCH' },
    { id: 'another-url', args: [{ ...REQUEST, url: '/v3/pay/partner/transactions/jsapi' }], error: 'ERR_SIGNATURE_MISMATCH' },
    { id: 'no-authorization', args: [{ ...REQUEST, headers: {} }], error: 'ERR_MISSING_HEADER', errorContext: { header: 'Authorization' } },
    { id: 'unknown-serial', setup: [{ keys: { [CERT_SERIAL]: file('official_test_certificate.pem') }, now: { $returns: NOW } }], args: [REQUEST], error: 'ERR_UNKNOWN_SERIAL', errorContext: { serial: MERCHANT_SERIAL } },
    { id: 'skew-plus-301', setup: [{ keys: { [MERCHANT_SERIAL]: file('official_test_public_key.pem') }, now: { $returns: NOW - 301 } }], args: [REQUEST], error: 'ERR_TIMESTAMP_SKEW' },
    { id: 'item-missing', args: [{ ...REQUEST, headers: { Authorization: OFFICIAL_AUTHORIZATION.replace(`,serial_no="${MERCHANT_SERIAL}"`, '') } }], error: 'ERR_MALFORMED_SIGNATURE' },
    { id: 'item-repeated', args: [{ ...REQUEST, headers: { Authorization: OFFICIAL_AUTHORIZATION + `,mchid="${MCHID}"` } }], error: 'ERR_MALFORMED_SIGNATURE' },
    { id: 'scheme-sm2', args: [{ ...REQUEST, headers: { Authorization: OFFICIAL_AUTHORIZATION.replace('WECHATPAY2-SHA256-RSA2048', 'WECHATPAY2-SM2-WITH-SM3') } }], error: 'ERR_UNSUPPORTED_ALGORITHM' },
    { id: 'signtest-probe', args: [{ ...REQUEST, headers: { Authorization: OFFICIAL_AUTHORIZATION.replace('signature="', 'signature="WECHATPAY/SIGNTEST/') } }], error: 'ERR_SIGNATURE_PROBE' },
  ],
})

write('v3_sensitive.json', {
  source: '敏感信息加密 (pay.weixin.qq.com/wiki/doc/api_external/ch/wechatpay/wechatpay4_3.shtml): RSA-OAEP with SHA-1 under the WeChat Pay public key or platform certificate. ' +
    'OAEP is randomised, so only refusals are known answers; the JS suite decrypts real ciphertexts with WebCrypto',
  function: 'encryptSensitive',
  cases: [
    { id: 'longer-than-one-block', comment: 'RSA 2048 with OAEP SHA-1 takes at most 214 bytes', args: ['x'.repeat(215), file('official_test_public_key.pem')], error: 'ERR_INVALID_INPUT', errorContext: { field: 'plaintext' } },
    { id: 'private-key-given', args: ['张三', file('official_test_private_key.pem')], error: 'ERR_INVALID_KEY' },
    { id: 'key-1024-bits', args: ['张三', file('rsa1024_test_public_key.pem')], error: 'ERR_INVALID_KEY' },
    { id: 'key-not-rsa', args: ['张三', file('ec_test_public_key.pem')], error: 'ERR_INVALID_KEY' },
  ],
})
console.log('v3 vectors written')
